"""The learned filters F(k, c, mu, nu) of one conv layer at a time, as they change during training.

Layout: layer 1 (one input channel) shows its K filters wrapped in a grid about twice as wide as tall (32
filters: 4 rows of 8); a later layer shows one m x m slice F(k, c, ., .) per output channel k and input channel
c, K rows by C columns, or C rows by K columns when K > C (the longer side runs across the wide dock: conv2's
64 x 32 slices as 32 rows of 64 are drawn twice as large as 64 rows of 32). The mouse wheel zooms. Colours:
blue negative, white zero, red positive, with levels fixed per layer by the model: +-1.1 max|F| over every
snapshot of the run (widened as a live run adds snapshots, never shrunk), so colours mean the same at every
position of the timeline. Hover shows one weight; a click enlarges a filter with its numbers and selects its
output channel k in every view.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.gui.views.common import (
    DIVERGING,
    LayerBox,
    fmt,
    grid_cols,
    hover_tile,
    mosaic,
    mosaic_plot,
    row_of,
    save_png,
    status_label,
    view_layout,
)


class FiltersView(QWidget):
    """The grid of learned filters of the selected conv layer at the timeline's snapshot."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.layer_box = LayerBox(model, lambda l, spec: f"conv{l + 1}  ({spec.filters} of {spec.size}×{spec.size})")
        self.info = status_label(lines=1)

        self.plot, self.box, self.bar, self.outline = mosaic_plot(DIVERGING)  # outline: around the enlarged filter

        # The enlarged filter: its m x m weights as numbers in cells coloured like the mosaic.
        self.detail = QWidget()
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Close the enlarged filter")
        close.clicked.connect(self.close_detail)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        fm = self.table.fontMetrics()
        self.table.horizontalHeader().setDefaultSectionSize(fm.horizontalAdvance("+0.000") + 16)
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 10)
        self.table.verticalHeader().setFixedWidth(fm.horizontalAdvance("μ=00") + 12)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        head = QHBoxLayout()
        head.addWidget(self.detail_title, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self.detail)
        box.setContentsMargins(4, 0, 0, 0)
        box.addLayout(head)
        box.addWidget(self.table)
        box.addStretch(1)
        self.detail.hide()

        split = QSplitter()
        split.addWidget(self.plot)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.status = status_label("Hover over a weight to read it; click a filter to enlarge it.", lines=1)
        view_layout(self, row_of(self.layer_box, self.info), (split, 1), self.status)

        self.layout_ = None  # the MosaicLayout of the image shown
        self.detail_c = 0  # the input channel c of the enlarged filter F(k, c) (k is the selected channel)
        self._hover_pos = None  # the last hovered scene position: its value is re-read after each redraw
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- model ---------------------------------------------------------------------------------------------------

    def layer(self) -> int:
        """The selected conv layer, 0-based (``conv{layer + 1}``)."""
        return self.model.selection.layer

    def weights(self, layer: int | None = None) -> np.ndarray | None:
        """The shown snapshot's filters of a layer, (K, C, m, m)."""
        snap = self.model.snapshot()
        layer = self.layer() if layer is None else layer
        return None if snap is None else snap.params[f"conv{layer + 1}.W"]

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.box.clear()
            self.layout_ = None
            self._close()
            self.info.setText("waiting for the first snapshot")
        if changes & {"run", "snapshot", "layer", "levels", "channel"}:
            self.redraw()

    # -- drawing -------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        W = self.weights()
        if W is None:
            return
        K, C, m, _ = W.shape
        if C == 1:
            image, layout = mosaic(W[:, 0], grid_cols(K))
        elif K > C:  # columns k, rows c
            image, layout = mosaic(W.transpose(1, 0, 2, 3).reshape(C * K, m, m), K)
        else:  # rows k, columns c
            image, layout = mosaic(W.reshape(K * C, m, m), C)
        self.layout_ = layout
        levels = self.model.filter_levels(self.layer())
        self.box.set(image, levels)
        if tuple(self.bar.levels()) != tuple(levels):  # a new colour bar axis costs a few ms to draw
            self.bar.setLevels(levels)
        top = levels[1]
        grid = f"{K} filters" if C == 1 else f"k across, c down ({K}×{C})" if K > C else f"k down, c across ({K}×{C})"
        self.info.setText(f"{grid} · step {self.model.snapshot().step} · colours ±{top:.3g}")
        k = self.model.selection.channel
        if k is not None and k < K:
            self.enlarge(k, min(self.detail_c, C - 1))  # the same filter, new numbers
        else:
            self._close()
        if self._hover_pos is not None:
            self._on_hover(self._hover_pos)

    def _tile_kc(self, tile: int) -> tuple[int, int]:
        """The (k, c) of a tile of the mosaic drawn by :meth:`redraw`."""
        K, C = self.weights().shape[:2]
        if C == 1:
            return tile, 0
        return divmod(tile, C) if K <= C else divmod(tile, K)[::-1]

    def _kc_tile(self, k: int, c: int) -> int:
        K, C = self.weights().shape[:2]
        return k if C == 1 else k * C + c if K <= C else c * K + k

    def _on_hover(self, scene_pos) -> None:
        self._hover_pos = scene_pos
        hit = hover_tile(self.box, scene_pos, self.layout_)
        if hit is None:
            return
        tile, mu, nu, value = hit
        k, c = self._tile_kc(tile)
        self.status.setText(f"conv{self.layer() + 1}  F(k={k}, c={c}, μ={mu}, ν={nu}) = {fmt(value)}")

    def _on_click(self, event) -> None:
        hit = hover_tile(self.box, event.scenePos(), self.layout_)
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(*self._tile_kc(hit[0]))

    def select(self, k: int, c: int = 0) -> None:
        """Enlarge F(k, c, ., .): selects output channel k in every view."""
        self.detail_c = c
        self.enlarge(k, c)
        self.model.select(channel=k)

    def enlarge(self, k: int, c: int) -> None:
        """Show filter F(k, c, ., .) of the selected layer with its numbers."""
        layer = self.layer()
        F = self.weights()[k, c]
        b = float(self.model.snapshot().params[f"conv{layer + 1}.b"][k])
        self.selected = (layer, k, c)
        m = F.shape[0]
        top = self.model.filter_levels(layer)[1]
        with np.errstate(all="ignore"):  # a diverging run's weights: inf at the ends, NaN in the middle colour
            fraction = np.nan_to_num((F.ravel().astype(np.float64) + top) / (2 * top), nan=0.5, posinf=1.0,
                                     neginf=0.0)
        colours = DIVERGING.map(fraction, mode=pg.ColorMap.QCOLOR)  # QColor refuses NaN, with a warning
        self.table.setRowCount(m)
        self.table.setColumnCount(m)
        self.table.setHorizontalHeaderLabels([f"ν={nu}" for nu in range(m)])
        self.table.setVerticalHeaderLabels([f"μ={mu}" for mu in range(m)])
        for n, value in enumerate(F.ravel()):
            item = QTableWidgetItem(f"{value:+.3f}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(colours[n])
            item.setForeground(Qt.GlobalColor.white if abs(value) >= 0.6 * top else Qt.GlobalColor.black)  # NaN: black
            item.setToolTip(fmt(float(value)))
            self.table.setItem(n // m, n % m, item)
        self.detail_title.setText(f"conv{layer + 1}: F({k}, {c}, μ, ν)\nbias b({k}) = {fmt(b)}")
        # Fit the table to its cells, up to a size a dock can spare (larger filters scroll).
        t = self.table
        width = t.verticalHeader().width() + m * t.horizontalHeader().defaultSectionSize() + 2 * t.frameWidth()
        height = (t.horizontalHeader().sizeHint().height() + m * t.verticalHeader().defaultSectionSize()
                  + 2 * t.frameWidth())
        t.setFixedSize(min(width, 340), min(height, 300))
        r0, c0 = self.layout_.origin(self._kc_tile(k, c))
        self.outline.setRect(c0, r0, m, m)
        self.outline.show()
        self.detail.show()

    def close_detail(self) -> None:
        """Close the enlarged filter (no channel selected)."""
        self._close()
        self.model.select(channel=None)

    def _close(self) -> None:
        self.selected = None
        self.outline.hide()
        self.detail.hide()

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)

    def save_png(self, path: str | Path) -> bool:
        return save_png(self, path)
