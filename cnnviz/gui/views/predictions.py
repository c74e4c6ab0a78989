"""Test images with what the network says they are: a page of the evaluated test images, each with its
predicted class and that class's probability, green when right and red when wrong (updated at every
evaluation, from ``EvalRecord.predicted`` and ``.confidence``). "Misclassified only" pages through the wrong
ones. Select an image to see all its class probabilities as bars: a forward pass of that one image through
``model.network``, the latest snapshot's parameters (which may be a few steps newer than the evaluation).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsRectItem,
    QLabel,
    QSplitter,
    QToolButton,
    QWidget,
)

from cnnviz.data import to_input
from cnnviz.gui.views.common import (
    AXIS,
    BACKGROUND,
    TEXT,
    plot_widget,
    row_of,
    save_png,
    status_label,
    view_layout,
)

ROWS, COLS = 5, 6
PAGE = ROWS * COLS
RIGHT, WRONG, SELECTED, OTHER = "#1a9641", "#d7191c", "#2166ac", "#a0a8b4"
FRAME, CAPTION, GAP = 2, 13, 3  # mosaic pixels: frame around each image, caption band above it, gap between cells
UNKNOWN, PAPER = (150, 150, 150), (255, 255, 255)  # frame before the first evaluation; the gaps (white)


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))


class PredictionsView(QWidget):
    """A page of test images with their predictions, and the class probabilities of the selected one.

    The page is one RGB mosaic (pyqtgraph's way for many small images): each test image in a 2-px frame,
    green when the prediction is right and red when wrong, with a caption "predicted class, probability".
    """

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.wrong_only = QCheckBox("misclassified only")
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.page_label = QLabel()
        self.summary = status_label(lines=1)
        top = row_of(self.wrong_only, self.prev_button, self.page_label, self.next_button, self.summary)

        self.grid = plot_widget()
        self.vb = self.grid.ci.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.mosaic = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.mosaic)
        self.captions = []
        for _ in range(PAGE):
            caption = pg.TextItem(anchor=(0.5, 1.0))
            self.vb.addItem(caption)
            self.captions.append(caption)
        self.vb.sigResized.connect(self._fit_captions)
        self.outline = QGraphicsRectItem()  # around the selected image
        self.outline.setPen(pg.mkPen(SELECTED, width=3, cosmetic=True))
        self.outline.setZValue(10)
        self.vb.addItem(self.outline)
        self.rgb: np.ndarray | None = None  # the page as drawn, (rows, cols, 3) uint8
        self.cell = (0, 0)  # a cell's height and width in mosaic pixels, gap included

        self.bar_plot = pg.PlotWidget(background=BACKGROUND)
        self.bar_plot.setMinimumWidth(170)  # what its axes and title need
        self.bar_plot.setMouseEnabled(False, False)
        self.bar_plot.hideButtons()
        self.bar_plot.setMenuEnabled(False)
        self.bar_plot.setYRange(0, 1, padding=0.02)
        for name, text in (("left", "probability"), ("bottom", "class")):
            axis = self.bar_plot.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setTextPen(TEXT)
            axis.setPen(AXIS)
            self.bar_plot.setLabel(name, text, color=TEXT)
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=OTHER)
        self.bar_plot.addItem(self.bars)

        split = QSplitter()
        split.addWidget(self.grid)
        split.addWidget(self.bar_plot)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 100])
        self.status = status_label("Click an image to see the probability of every class: green bar = the "
                                   "true class, red = a wrong guess.")
        view_layout(self, top, (split, 1), self.status)

        self.indices = np.zeros(0, dtype=np.int64)  # the test images paged through (all, or the wrong ones)
        self.page = 0
        self.selected: int | None = None  # test index
        self.wrong_only.toggled.connect(lambda _: self._filter())
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.grid.scene().sigMouseClicked.connect(self._on_click)
        self.grid.scene().sigMouseMoved.connect(self._on_hover)
        model.started.connect(self._on_started)
        model.evaluated.connect(lambda _: self._filter())
        model.snapshot.connect(lambda _: self.show_probabilities())
        if model.start is not None:
            self._on_started(model.start)

    # -- what is shown -------------------------------------------------------------------------------------------

    def evaluation(self):
        return self.model.evals[-1] if self.model.evals else None

    def shown(self) -> np.ndarray:
        """The test indices on the current page."""
        return self.indices[self.page * PAGE:(self.page + 1) * PAGE]

    def is_right(self, i: int) -> bool | None:
        """Whether the last evaluation classified test image ``i`` right (None before any evaluation)."""
        ev = self.evaluation()
        return None if ev is None else bool(ev.predicted[i] == self.model.test_labels[i])

    def _on_started(self, start) -> None:
        n = start.config.network.n_classes
        self.bars.setOpts(x=np.arange(n), height=np.zeros(n))
        self.bar_plot.setXRange(-0.6, n - 0.4, padding=0)
        self.bar_plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(n)]])
        self.selected = None
        self.page = 0
        self.wrong_only.setChecked(False)
        self._filter()

    def _filter(self) -> None:
        """Choose the images to page through (after an evaluation or the toggle) and redraw."""
        images, ev = self.model.test_images, self.evaluation()
        if images is None:
            return
        n = len(images)
        self.wrong_only.setEnabled(ev is not None)
        wrong = ev.predicted[:n] != self.model.test_labels[:n] if ev is not None else np.zeros(n, dtype=bool)
        self.indices = np.flatnonzero(wrong) if self.wrong_only.isChecked() else np.arange(n)
        self.summary.setText(f"step {ev.step}: {100 * ev.test_accuracy:.1f}% right, {int(wrong.sum())} of {n} "
                             "wrong" if ev is not None else "no evaluation yet")
        self.show_page(self.page)

    def show_page(self, page: int) -> None:
        pages = max(1, -(-len(self.indices) // PAGE))
        self.page = min(max(page, 0), pages - 1)
        self.page_label.setText(f"page {self.page + 1}/{pages}")
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < pages - 1)
        shown, ev = self.shown(), self.evaluation()
        if self.selected is None or self.selected not in shown:
            self.selected = int(shown[0]) if len(shown) else None
        H, W = self.model.test_images.shape[1:]
        ch, cw = CAPTION + H + 2 * FRAME + GAP, W + 2 * FRAME + GAP
        self.cell = (ch, cw)
        self.rgb = np.empty((ROWS * ch - GAP, COLS * cw - GAP, 3), dtype=np.uint8)
        self.rgb[...] = PAPER
        for n, caption in enumerate(self.captions):
            if n >= len(shown):
                caption.setText("")
                continue
            i, (r, c) = int(shown[n]), divmod(n, COLS)
            y, x = r * ch + CAPTION, c * cw
            right = self.is_right(i)
            self.rgb[y:y + H + 2 * FRAME, x:x + W + 2 * FRAME] = (UNKNOWN if right is None else
                                                                 rgb(RIGHT if right else WRONG))
            self.rgb[y + FRAME:y + FRAME + H, x + FRAME:x + FRAME + W] = self.model.test_images[i][..., None]
            caption.setPos(x + W / 2 + FRAME, y + 0.5)
            if right is None:
                caption.setText(f"#{i}", color=TEXT)
            else:
                caption.setText(f"{ev.predicted[i]} {100 * ev.confidence[i]:.0f}%", color=RIGHT if right else WRONG)
            if i == self.selected:
                self.outline.setRect(x - 1, y - 1, W + 2 * FRAME + 2, H + 2 * FRAME + 2)
        self.outline.setVisible(self.selected is not None)
        self.mosaic.setImage(self.rgb, levels=(0, 255))
        self.vb.setRange(xRange=(0, self.rgb.shape[1]), yRange=(0, self.rgb.shape[0]), padding=0.01)
        self._fit_captions()
        self.show_probabilities()

    def _fit_captions(self, *_) -> None:
        """Captions are in screen pixels: size their font to the cells as drawn now (7 to 12 px)."""
        dx, dy = self.vb.viewPixelSize()
        fit = min((self.cell[1] - GAP) / dx / 4.2, 0.9 * CAPTION / dy) if dx > 0 and dy > 0 else 9
        size = int(min(12, max(7, fit)))
        font = QFont(self.font())
        font.setPixelSize(size)
        for caption in self.captions:
            caption.setFont(font)

    # -- the selected image ------------------------------------------------------------------------------------

    def select(self, index: int) -> None:
        """Select a test image (on the current page) and show its class probabilities."""
        self.selected = index
        self.show_page(self.page)

    def probabilities(self) -> np.ndarray | None:
        if self.selected is None or self.model.latest_snapshot is None:
            return None
        net = self.model.network
        return net.predict_proba(to_input(self.model.test_images[self.selected:self.selected + 1], net.dtype))[0]

    def show_probabilities(self) -> None:
        probs = self.probabilities()
        if probs is None:
            self.bars.setOpts(height=np.zeros(len(self.bars.opts["x"])))
            self.bar_plot.setTitle("")
            return
        label, guess = int(self.model.test_labels[self.selected]), int(probs.argmax())
        brushes = [RIGHT if k == label else WRONG if k == guess else OTHER for k in range(len(probs))]
        self.bars.setOpts(height=probs, brushes=brushes)
        self.bar_plot.setTitle(f"#{self.selected}, label {label}", size="10pt", color=TEXT)

    def _cell_at(self, scene_pos) -> int | None:
        """The number of the cell (0 .. PAGE-1, row by row) under a scene position, or None."""
        if self.rgb is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        if p.x() < 0 or p.y() < 0:
            return None
        (r, y), (c, x) = divmod(int(p.y()), self.cell[0]), divmod(int(p.x()), self.cell[1])
        n = r * COLS + c
        inside = y < self.cell[0] - GAP and x < self.cell[1] - GAP
        return n if inside and r < ROWS and c < COLS and n < len(self.shown()) else None

    def _on_click(self, event) -> None:
        n = self._cell_at(event.scenePos())
        if n is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(int(self.shown()[n]))

    def _on_hover(self, scene_pos) -> None:
        n = self._cell_at(scene_pos)
        if n is None:
            return
        i, ev = int(self.shown()[n]), self.evaluation()
        text = f"test #{i}: label {int(self.model.test_labels[i])}"
        if ev is not None:
            text += f", predicted {int(ev.predicted[i])} with probability {ev.confidence[i]:.3f} (step {ev.step})"
        self.status.setText(text)

    def save_png(self, path: str | Path) -> bool:
        return save_png(self, path)
