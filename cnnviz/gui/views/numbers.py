"""Numbers written in the cells of a small image (a confusion matrix, the playground's 6x6 arrays).

One TextItem per cell, centred on it, in a font fitted to the cell as drawn now (screen pixels): the largest
size within FONT_RANGE at which the widest number fits the cell's width. Where the cells are too small for
FONT_RANGE's smallest size, or there are more than MAX_CELLS of them, the numbers are hidden (hovering still
reads a value). Pixel ``(i, j)`` covers ``x`` in ``[j, j + 1)`` and ``y`` in ``[i, i + 1)`` (see common.py).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

FONT_RANGE = (7, 22)  # pixel sizes
MAX_CELLS = 20 * 20  # more cells than this: no numbers


class CellNumbers:
    """Numbers over the cells of an image shown in ViewBox ``vb``; ``set`` gives the texts and their colours."""

    def __init__(self, vb: pg.ViewBox, font: QFont):
        self.vb = vb
        self.font = QFont(font)
        self.items: list[pg.TextItem] = []
        self.texts: list[list[str]] = []
        self.shape = (0, 0)
        self.offset = (0.0, 0.0)  # (row, col) of the top-left cell in view coordinates
        self._fitted: tuple | None = None
        vb.sigResized.connect(self.fit)
        vb.sigRangeChanged.connect(self.fit)

    def set(self, texts: list[list[str]], colours: list[list[str]], offset: tuple[float, float] = (0.0, 0.0)) -> None:
        """Write ``texts[i][j]`` in colour ``colours[i][j]`` over cell (i, j) (a list of rows)."""
        rows, cols = len(texts), len(texts[0]) if texts else 0
        self.shape, self.texts, self.offset = (rows, cols), texts, offset
        n = rows * cols if rows * cols <= MAX_CELLS else 0
        while len(self.items) < n:
            item = pg.TextItem(anchor=(0.5, 0.5))
            item.textItem.document().setDocumentMargin(0)
            item.setZValue(5)
            self.vb.addItem(item)
            self.items.append(item)
        for k, item in enumerate(self.items):
            if k >= n:
                item.hide()
                continue
            i, j = divmod(k, cols)
            item.setText(texts[i][j], color=colours[i][j])
            item.setPos(offset[1] + j + 0.5, offset[0] + i + 0.5)
        self._fitted = None
        self.fit()

    def clear(self) -> None:
        self.shape, self.texts = (0, 0), []
        for item in self.items:
            item.hide()

    def shown(self) -> list[list[str]] | None:
        """The texts as shown (rows of strings), or None where the numbers are hidden."""
        rows, cols = self.shape
        if not rows or rows * cols > MAX_CELLS or not self.items[0].isVisible():
            return None
        return [[self.items[i * cols + j].toPlainText() for j in range(cols)] for i in range(rows)]

    def font_size(self) -> int:
        """The font's pixel size now (0 where the numbers are hidden)."""
        return self.items[0].textItem.font().pixelSize() if self.items and self.items[0].isVisible() else 0

    def fit(self, *_) -> None:
        """The largest font whose widest number fits a cell's width (with a margin) and height, as drawn now."""
        rows, cols = self.shape
        n = rows * cols if rows * cols <= MAX_CELLS else 0
        if not n:
            return
        dx, dy = self.vb.viewPixelSize()
        key = (round(dx, 6), round(dy, 6), self.shape)
        if key == self._fitted:
            return
        self._fitted = key
        widest = max((t for row in self.texts for t in row), key=len, default="")
        size = 0
        if dx > 0 and dy > 0:
            width, height = 0.9 / dx, 0.9 / dy  # one cell in screen pixels, with a margin
            font = QFont(self.font)
            for s in range(FONT_RANGE[1], FONT_RANGE[0] - 1, -1):
                font.setPixelSize(s)
                metrics = QFontMetricsF(font)
                if metrics.horizontalAdvance(widest) <= width and metrics.height() <= height:
                    size = s
                    break
        font = QFont(self.font)
        font.setPixelSize(max(size, 1))
        for item in self.items[:n]:
            item.setFont(font)
            item.setVisible(size > 0)


def contrast(fractions: np.ndarray, dark: str = "#202020", light: str = "#ffffff",
             threshold: float = 0.55) -> list[list[str]]:
    """Text colours readable on a colour map: ``light`` where the background's position in the map
    (``fractions``, 0..1, 1 the darkest end) is above ``threshold``, else ``dark``."""
    return [[light if f > threshold else dark for f in row] for row in np.asarray(fractions, dtype=float)]
