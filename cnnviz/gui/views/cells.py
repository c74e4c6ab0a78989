"""The Unit view's table of numbers: cells painted in one pass, each a number on the colour of the views' maps
or a label (a QTextDocument of nested tables takes many times longer to lay out: docs/speed.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from cnnviz.gui.views.common import TEXT, fmt


def _colour(value: float, level: float, signed: bool) -> tuple[str, str]:
    """Background and text colour of a number cell: white-red (positive) / white-blue (negative) for signed
    values, black-white for the non-negative maps, like the views' colour maps."""
    t = min(abs(value) / level, 1.0) if level > 0 and math.isfinite(value) else 0.0
    if signed:
        end = (178, 24, 43) if value > 0 else (33, 102, 172)
        rgb = [round(247 + (e - 247) * t) for e in end]
    else:
        rgb = [round(255 * t)] * 3
    text = "#ffffff" if sum(rgb) < 3 * 140 else "#202020"
    return "#{:02x}{:02x}{:02x}".format(*rgb), text


@dataclass(frozen=True)
class Cell:
    """One cell of a :class:`CellTable`: a number on its colour (``bg``), or a label (``bg`` None)."""

    text: str
    bg: str | None = None
    fg: str = TEXT
    italic: bool = False
    span: int = 1  # columns it covers
    align: str = "right"  # right, left or center


def number(value: float, level: float, signed: bool = True) -> Cell:
    """A number on the colour of the views' maps (-0 shown as 0)."""
    bg, fg = _colour(value, level, signed)
    return Cell(fmt(value + 0.0), bg, fg)


def label(text: str, span: int = 1, align: str = "left") -> Cell:
    return Cell(text, span=span, align=align)


PADDING = Cell("0", "#e8e8e8", "#888888", italic=True)  # a zero of the padding, outside the map


class CellTable(QWidget):
    """Rows of cells painted in one pass (a QTextDocument of nested tables takes many times longer to lay out,
    too long for a click: docs/speed.md). Columns are as wide as their widest cell; a row of no cells is a small gap."""

    PAD = 3

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[list[Cell | None]] = []
        self._layout: list[tuple[QRect, Cell]] = []
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[list[Cell | None]]) -> None:
        self.rows = rows
        fm = self.fontMetrics()
        pad, h = self.PAD, self.fontMetrics().height() + 2 * self.PAD
        n = max((sum(c.span if c else 1 for c in row) for row in rows), default=0)
        widths = [0] * n
        least = fm.horizontalAdvance("-0.000") + 2 * pad  # number cells: at least this wide, so grids look even
        for row in rows:  # single columns first, then spans widen their columns evenly where needed
            col = 0
            for c in row:
                if c is not None and c.span == 1:
                    widths[col] = max(widths[col], fm.horizontalAdvance(c.text) + 2 * pad,
                                      least if c.bg is not None else 0)
                col += c.span if c else 1
        for row in rows:
            col = 0
            for c in row:
                if c is not None and c.span > 1:
                    need = fm.horizontalAdvance(c.text) + 2 * pad - sum(widths[col:col + c.span])
                    for n in range(c.span if need > 0 else 0):
                        widths[col + n] += need // c.span + (n < need % c.span)
                col += c.span if c else 1
        x0 = [0]
        for w in widths:
            x0.append(x0[-1] + w)
        self._layout, y = [], 0
        for row in rows:
            col = 0
            for c in row:
                span = c.span if c else 1
                if c is not None:
                    self._layout.append((QRect(x0[col], y, x0[col + span] - x0[col], h), c))
                col += span
            y += h if row else h // 2
        self.setFixedSize(x0[-1] + 1, y + 1)
        self.update()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """A new font (Larger text): the columns and rows are measured again, so that the text below the table
        is never drawn over its last rows."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.rows:
            self.set_rows(self.rows)

    def text(self) -> str:
        """The cells' texts, tab-separated, one row a line (what the table says, for tests and copying)."""
        return "\n".join("\t".join(c.text for c in row if c is not None and c.text) for row in self.rows)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        grid = QColor("#c0c0c0")
        italic = QFont(self.font())
        italic.setItalic(True)
        aligns = {"right": Qt.AlignmentFlag.AlignRight, "left": Qt.AlignmentFlag.AlignLeft,
                  "center": Qt.AlignmentFlag.AlignHCenter}
        for rect, c in self._layout:
            if c.bg is not None:
                painter.fillRect(rect, QColor(c.bg))
                painter.setPen(grid)
                painter.drawRect(rect)
            painter.setPen(QColor(c.fg))
            painter.setFont(italic if c.italic else self.font())
            painter.drawText(rect.adjusted(self.PAD, 0, -self.PAD, 0),
                             aligns[c.align] | Qt.AlignmentFlag.AlignVCenter, c.text)
        painter.end()
