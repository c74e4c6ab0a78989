"""Test images with what the network says they are: a page of the test images at hand, each with the shown
evaluation's predicted class and that class's probability (``EvalRecord.predicted`` and ``.confidence``), green
when right and red when wrong. The shown evaluation is the model's: the last one at or before the timeline
cursor. "Misclassified only" pages through the wrong ones. The selected image (the model's one selection) is
outlined, and its class probabilities are drawn as bars: a forward pass of that image with the parameters of
the shown evaluation (``model.eval_probabilities``), so that the bars agree with its caption.

Compare mode (the window compares other runs, :class:`~cnnviz.gui.compare.Comparison`): "right in A, wrong in B"
pages through the test images that the main run (A) classifies right and a compared run (B, the run box) wrong,
``{i : a_i = t_i != b_i}``, and "right in B, wrong in A" the other way round, each with its count; ``a`` and ``b``
are the predicted classes (``EvalRecord.predicted``) of each run's evaluation at or before the cursor (B's at its
own position: a run shorter than the cursor, its last). The captions and frames stay A's; hovering also names B's
prediction.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsRectItem,
    QLabel,
    QSplitter,
    QToolButton,
    QWidget,
)

from cnnviz.datasets import DIGITS, short_names
from cnnviz.gui.compare import Comparison, RunChooser, right_in_one
from cnnviz.gui.i18n import translated
from cnnviz.gui.state import USER_IMAGE
from cnnviz.gui.views.common import (
    AXIS,
    BACKGROUND,
    TEXT,
    class_names,
    plot_widget,
    row_of,
    status_label,
    view_layout,
)
from cnnviz.training import early_note

ROWS, COLS = 5, 6
HINT = QT_TRANSLATE_NOOP("PredictionsView", "Click an image to see the probability of every class: green bar = the "
                                            "true class, red = a wrong guess.")
PAGE = ROWS * COLS
RIGHT, WRONG, SELECTED, OTHER = "#1a9641", "#d7191c", "#2166ac", "#a0a8b4"
# Mosaic pixels: the frame around each image, the caption band above it, the gaps between cells (wider across,
# so that a caption may be wider than its image: the cells are as tall as the dock allows, never as wide).
FRAME, CAPTION, GAP, HGAP = 2, 14, 3, 12
UNKNOWN, PAPER = (150, 150, 150), (255, 255, 255)  # frame before the first evaluation; the gaps (white)
FONT_RANGE = (6, 14)  # caption font pixel sizes: the largest that fits its cell, within these
READABLE_PT = 1.0  # captions are at least the application's font size less this many points; where a page of
# ROWS x COLS cells has no room for that, the page has fewer rows and columns (more pages)
WIDEST = "8 100%"  # the widest caption of ten classes (sizes the font, so that every page has the same size)
COMPARE = {"all": QT_TRANSLATE_NOOP("PredictionsView", "all images"),  # compare mode's choices
           "a": QT_TRANSLATE_NOOP("PredictionsView", "right in A, wrong in B"),
           "b": QT_TRANSLATE_NOOP("PredictionsView", "right in B, wrong in A")}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))


class PredictionsView(QWidget):
    """A page of test images with the shown evaluation's predictions, and the class probabilities of the
    selected image. It reads the model and draws; the selection is the model's (``model.selection.image``).

    The page is one RGB mosaic (pyqtgraph's way for many small images): each test image in a 2-px frame,
    green when the prediction is right and red when wrong, grey before the first evaluation, with a caption
    "predicted class probability%" (a TextItem) in a band above it. The captions are never smaller than the
    application's font less READABLE_PT: a view too small for ROWS x COLS such captions shows fewer rows and
    columns a page (:meth:`_fit_grid`).
    """

    compares = True  # it is given the window's comparison (cnnviz.gui.layouts.create_view)

    def __init__(self, model, parent: QWidget | None = None, comparison: Comparison | None = None):
        super().__init__(parent)
        self.model = model
        self.comparison = comparison if comparison is not None else Comparison(model)  # as the loss view's
        self.chooser = RunChooser(self.comparison, {key: self.tr(text) for key, text in COMPARE.items()},
                                  self.tr("Compare mode: the test images one run gets right and the other wrong, at "
                                          "the cursor's evaluations"))
        self.compare_row = QWidget()
        compare_row = row_of(self.chooser.mode_box, self.chooser.run_box, stretch_last=False)
        compare_row.setContentsMargins(0, 0, 0, 0)
        self.compare_row.setLayout(compare_row)
        self.compare_row.hide()
        self.wrong_only = QCheckBox(self.tr("misclassified only"))
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
        self.captions: list[pg.TextItem] = []
        for _ in range(PAGE):
            caption = pg.TextItem(anchor=(0.5, 0.5))  # centred in its caption band
            caption.textItem.document().setDocumentMargin(0)  # its box is its line, for the fit and the tests
            self.vb.addItem(caption)
            self.captions.append(caption)
        self.vb.sigResized.connect(self._fit_grid)
        self.vb.sigResized.connect(self._fit_captions)
        self.rows, self.cols = ROWS, COLS  # the page's grid now: ROWS x COLS, or fewer where captions need room
        self.outline = QGraphicsRectItem()  # around the selected image, when it is on the page
        self.outline.setPen(pg.mkPen(SELECTED, width=3, cosmetic=True))
        self.outline.setZValue(10)
        self.outline.hide()
        self.vb.addItem(self.outline)
        self.rgb: np.ndarray | None = None  # the page as drawn, (rows, cols, 3) uint8
        self.cell = (0, 0)  # a cell's height and width in mosaic pixels, gaps included
        self._captions = [("", "")] * PAGE  # (text, colour) each caption shows
        self._range: tuple | None = None  # the mosaic shape the view range was set for
        self._fitted: tuple | None = None  # (pixel size, cell) the caption font was fitted for
        self.class_names: tuple[str, ...] = DIGITS  # the run's (RunStart.class_names); captions use short forms
        self.short_names: tuple[str, ...] = DIGITS
        self._widest = WIDEST
        self._percent = True
        self._image_shape = (0, 0)  # (H, W) of the test images

        self.bar_plot = pg.PlotWidget(background=BACKGROUND)
        self.bar_plot.setMinimumWidth(170)  # what its axes and title need
        self.bar_plot.setMouseEnabled(False, False)
        self.bar_plot.hideButtons()
        self.bar_plot.setMenuEnabled(False)
        self.bar_plot.setYRange(0, 1, padding=0.02)
        for name, text in (("left", self.tr("probability")), ("bottom", self.tr("class"))):
            axis = self.bar_plot.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setTextPen(TEXT)
            axis.setPen(AXIS)
            self.bar_plot.setLabel(name, text, color=TEXT)
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=OTHER)
        self.bar_plot.addItem(self.bars)
        self._ticks: tuple[str, ...] = ()  # the class axis's labels as shown (see _fit_ticks)
        self.bar_plot.getViewBox().sigResized.connect(self._fit_ticks)

        split = QSplitter()
        split.addWidget(self.grid)
        split.addWidget(self.bar_plot)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 100])
        self.status = status_label(self.tr(HINT))
        view_layout(self, top, self.compare_row, (split, 1), self.status)

        self.indices = np.zeros(0, dtype=np.int64)  # the test indices paged through (all, or the wrong ones)
        self.page = 0
        self._drawn: tuple | None = None  # what the page was drawn from: (evaluation, images at hand)
        self.wrong_only.toggled.connect(self._on_toggled)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.grid.scene().sigMouseClicked.connect(self._on_click)
        self.grid.scene().sigMouseMoved.connect(self._on_hover)
        for box in (self.chooser.mode_box, self.chooser.run_box):
            box.currentIndexChanged.connect(lambda _: self._filter(to_selection=True))
        model.changed.connect(self._on_changed)
        self.comparison.changed.connect(self._on_compare)
        self._reset()
        self._on_compare(frozenset({"runs"}))

    # -- following the model --------------------------------------------------------------------------------------

    def _on_changed(self, changes: frozenset) -> None:
        if "run" in changes:
            self._reset()
            return
        if self.model.start is None:
            return
        if changes & {"eval", "data"} and self._source() != self._drawn or "indices" in changes:
            self._drawn = None  # out of date until redrawn (now, or on its turn while the run grows)
            self.model.redraws.request(self._filter)
        elif "image" in changes:
            self._follow_selection()

    def _source(self) -> tuple:
        """What the page depends on: the shown evaluation and the images at hand, and in compare mode run B's
        evaluation (cheap to compare)."""
        m = self.model
        source = (m.eval_index, m.evals.steps[m.eval_index] if m.eval_index is not None else None,
                  len(m.image_indices))
        other = self.chooser.run()
        if other is not None and self.chooser.mode() != "all":
            b = other.model
            source += (self.chooser.mode(), id(other), b.eval_index,
                       b.evals.steps[b.eval_index] if b.eval_index is not None else None)
        return source

    # -- compare mode -----------------------------------------------------------------------------------------------

    def right_in_one(self) -> tuple[np.ndarray, np.ndarray, str]:
        """Among the test images at hand, those run A classifies right and run B wrong, and those B right and A
        wrong, at each run's evaluation at or before the cursor; or two empty arrays and why not (one sentence)."""
        none = np.zeros(0, dtype=np.int64)
        m, ev, other = self.model, self.model.evaluation(), self.chooser.run()
        if other is None:
            return none, none, self.tr("No run B: add a session to compare (File menu).")
        b = other.model.evaluation()
        if ev is None:
            return none, none, self.tr("Run A has no evaluation at or before step {step} yet.").format(step=m.step)
        if b is None:
            return none, none, self.tr("Run B ({file}) has no evaluation at or before step {step}.").format(
                file=other.file, step=other.model.step)
        if len(ev.predicted) != len(b.predicted) or (
                m.test_labels is not None and other.model.test_labels is not None
                and not np.array_equal(m.test_labels, other.model.test_labels)):
            return none, none, self.tr("Run B ({file}) was evaluated on other test images ({b}) than run A ({a}): "
                                       "their predictions cannot be compared.").format(
                file=other.file, b=len(b.predicted), a=len(ev.predicted))
        available = m.image_indices
        labels = (m.test_labels if m.test_labels is not None else
                  np.array([m.label(int(i)) if m.has_image(int(i)) else -1 for i in range(len(ev.predicted))]))
        a_only, b_only = right_in_one(labels, ev.predicted, b.predicted, available)
        return a_only, b_only, ""

    def _on_compare(self, changes) -> None:
        if "runs" in changes:
            self.chooser.refill()
            self.compare_row.setVisible(self.comparison.active)
            self._drawn = None
        if self.model.start is not None and self._source() != self._drawn:
            self._filter()

    def _reset(self) -> None:
        """A new run (or none): its class count, page 0, all images."""
        start = self.model.start
        n = start.config.network.n_classes if start is not None else 10
        self.class_names = class_names(start) if start is not None else DIGITS
        self.short_names = short_names(self.class_names)
        self._percent = max(map(len, self.short_names)) <= 3  # room for "tsu 98%", not for "Sneaker 98%"
        self._widest = max((self._caption_text(k, 1.0) for k in range(n)), key=len)
        self._fitted = None
        self.bars.setOpts(x=np.arange(n), height=np.zeros(n), brushes=[OTHER] * n)
        self.bar_plot.setXRange(-0.6, n - 0.4, padding=0)
        self._ticks = ()
        self._fit_ticks()
        self.page = 0
        self._drawn = None
        self.wrong_only.blockSignals(True)
        self.wrong_only.setChecked(False)
        self.wrong_only.blockSignals(False)
        if start is None:
            self.wrong_only.setEnabled(False)
            self.status.setText(self.tr(HINT))
            return
        self._image_shape = tuple(start.config.network.input_shape[1:])
        self._filter()

    def _on_toggled(self, _checked: bool) -> None:
        self._filter(to_selection=True)

    def _follow_selection(self) -> None:
        """The selected image changed: go to its page if it is paged through but not shown, else move the
        outline; then its bars."""
        i = self.model.selection.image
        at = np.flatnonzero(self.indices == i)
        if len(at) and at[0] // self.page_size != self.page:
            self.show_page(int(at[0]) // self.page_size)
        else:
            self.status.setText(self.tr(HINT))
            self._place_outline()
            self.show_probabilities()

    # -- what is shown --------------------------------------------------------------------------------------------

    def evaluation(self):
        """The evaluation shown (the model's: the last one at or before the cursor), or None."""
        return self.model.evaluation()

    def shown(self) -> np.ndarray:
        """The test indices on the current page."""
        return self.indices[self.page * self.page_size:(self.page + 1) * self.page_size]

    def is_right(self, i: int) -> bool | None:
        """Whether the shown evaluation classified test image ``i`` right (None before any evaluation)."""
        ev = self.evaluation()
        return None if ev is None or i >= len(ev.predicted) else bool(ev.predicted[i] == self.model.label(i))

    def pages(self) -> int:
        return max(1, -(-len(self.indices) // self.page_size))

    @property
    def page_size(self) -> int:
        """Images on a page: ``rows x cols`` (PAGE where the view has room for it)."""
        return self.rows * self.cols

    def _filter(self, to_selection: bool = False) -> None:
        """Choose the images to page through (after an evaluation, a new run or the toggle) and redraw; with
        ``to_selection`` (a new list) go to the selected image's page if it is paged through, else to the first."""
        m, ev = self.model, self.evaluation()
        self._drawn = self._source()
        available = m.image_indices
        if ev is not None:  # an early evaluation is of the first test images only: those are paged through
            available = available[available < len(ev.predicted)]
        labels = (m.test_labels[available] if m.test_labels is not None else
                  np.array([m.label(int(i)) for i in available], dtype=np.int64))
        wrong = ev.predicted[available] != labels if ev is not None else np.zeros(len(available), dtype=bool)
        mode = self.chooser.mode()
        self.wrong_only.setEnabled(ev is not None and mode == "all")
        self.indices = available[wrong] if self.wrong_only.isChecked() and ev is not None else available
        if ev is None:
            self.summary.setText(self.tr("no evaluation yet"))
        else:
            self.summary.setText(self.tr("step {step}: {percent:.1f}% right, {wrong} of {n} wrong{early}").format(
                step=ev.step, percent=100 * ev.test_accuracy, wrong=int(wrong.sum()), n=len(available),
                early=translated(early_note(ev.n_images, m.start.n_test))))
        if self.comparison.active:
            a_only, b_only, why = self.right_in_one()
            for key, n in (("a", len(a_only)), ("b", len(b_only))):
                self.chooser.mode_box.setItemText(list(COMPARE).index(key), f"{self.tr(COMPARE[key])} ({n})"
                                                  if not why else self.tr(COMPARE[key]))
            if mode != "all":
                self.indices = a_only if mode == "a" else b_only
                other = self.chooser.run()
                self.summary.setText(why or self.tr("A step {a}, B step {b}: {a_only} right in A only, {b_only} "
                                                    "right in B only").format(
                    a=ev.step, b=other.model.evaluation().step, a_only=len(a_only), b_only=len(b_only)))
            self.summary.setToolTip(self.summary.text())
        page = self.page
        if to_selection:
            at = np.flatnonzero(self.indices == m.selection.image)
            page = int(at[0]) // self.page_size if len(at) else 0
        self.show_page(page)

    def show_page(self, page: int) -> None:
        """Draw page ``page`` (clipped to the pages there are) of :attr:`indices`."""
        self.page = min(max(page, 0), self.pages() - 1)
        self.status.setText(self.tr(HINT))  # a hovered image's line would be stale
        self.page_label.setText(self.tr("page {page}/{pages}").format(page=self.page + 1, pages=self.pages()))
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages() - 1)
        shown, ev = self.shown(), self.evaluation()
        H, W = self._image_shape
        ch, cw = CAPTION + H + 2 * FRAME + GAP, W + 2 * FRAME + HGAP
        self.cell = (ch, cw)
        self.rgb = np.empty((self.rows * ch - GAP, self.cols * cw - HGAP, 3), dtype=np.uint8)
        self.rgb[...] = PAPER
        for n, caption in enumerate(self.captions):
            if n >= len(shown):
                self._caption(n, "", TEXT)
                continue
            i = int(shown[n])
            y, x = self.frame_origin(n)
            right = self.is_right(i)
            self.rgb[y:y + H + 2 * FRAME, x:x + W + 2 * FRAME] = (UNKNOWN if right is None else
                                                                 rgb(RIGHT if right else WRONG))
            self.rgb[y + FRAME:y + FRAME + H, x + FRAME:x + FRAME + W] = self.model.image(i)[..., None]
            caption.setPos(x + FRAME + W / 2, y - CAPTION / 2)
            if right is None:
                self._caption(n, f"#{self.model.indices(i)}", TEXT)
            else:
                self._caption(n, self._caption_text(int(ev.predicted[i]), ev.confidence[i]), RIGHT if right else WRONG)
        self.mosaic.setImage(self.rgb, levels=(0, 255))
        if self._range != self.rgb.shape[:2]:  # setting the range makes every item repaint: only when it changes
            self._range = self.rgb.shape[:2]
            # half a gap beside the first and last columns: a caption centred on its image is wider than the image
            self.vb.setRange(xRange=(-HGAP / 2, self.rgb.shape[1] + HGAP / 2), yRange=(0, self.rgb.shape[0]),
                             padding=0.01)
        self._fit_captions()
        self._place_outline()
        self.show_probabilities()

    def _caption_text(self, k: int, probability: float) -> str:
        """A caption: the predicted class and its probability ("7 98%", "お 98%"); where the classes have longer
        names, the short name alone ("Sneaker": the probability is in the bars and the hover)."""
        name = self.short_names[k]
        return f"{name} {100 * probability:.0f}%" if self._percent else name

    def _fit_ticks(self, *_) -> None:
        """The class axis's labels: the short names where they fit side by side, else their first three letters,
        else the class numbers."""
        n = len(self.short_names)
        room = self.bar_plot.getViewBox().width() / max(n, 1) - 4  # pixels between two bars' centres, less a gap
        metrics = QFontMetricsF(self.bar_plot.getAxis("bottom").font())
        for labels in (self.short_names, tuple(name[:3] for name in self.short_names), tuple(map(str, range(n)))):
            if max(metrics.horizontalAdvance(label) for label in labels) <= room:
                break
        if labels != self._ticks:
            self._ticks = labels
            self.bar_plot.getAxis("bottom").setTicks([list(enumerate(labels))])

    def _caption(self, n: int, text: str, colour: str) -> None:
        """Set caption ``n`` unless it already says that (a TextItem's setText costs a repaint)."""
        if self._captions[n] != (text, colour):
            self._captions[n] = (text, colour)
            self.captions[n].setText(text, color=colour)

    def frame_origin(self, n: int) -> tuple[int, int]:
        """Mosaic (row, column) of the top-left pixel of cell ``n``'s frame (cells row by row)."""
        r, c = divmod(n, self.cols)
        return r * self.cell[0] + CAPTION, c * self.cell[1]

    def scene_pos(self, n: int) -> QPointF:
        """The scene position of the centre of cell ``n``'s image (for tests and scripted clicks)."""
        y, x = self.frame_origin(n)
        H, W = self._image_shape
        return self.vb.mapViewToScene(QPointF(x + FRAME + W / 2, y + FRAME + H / 2))

    def caption_font_size(self) -> int:
        """The pixel size of the captions' font now."""
        return self.captions[0].textItem.font().pixelSize()

    def readable_size(self) -> int:
        """The smallest caption font, in pixels: the application's font size less READABLE_PT points."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:  # a font given in pixels keeps its size
            font.setPointSizeF(max(1.0, font.pointSizeF() - READABLE_PT))
        return max(FONT_RANGE[0], QFontInfo(font).pixelSize())

    def _fit_grid(self, *_) -> None:
        """Choose the page's rows and columns (at most ROWS x COLS, as many as fit) so that a caption of at
        least :meth:`readable_size` pixels fits its cell at the size the view has now; redraw if they change."""
        width, height = self.vb.width(), self.vb.height()
        if width <= 0 or height <= 0 or self.model.start is None:
            return
        H, W = self._image_shape
        ch, cw = CAPTION + H + 2 * FRAME + GAP, W + 2 * FRAME + HGAP
        font = QFont(self.font())
        font.setPixelSize(self.readable_size())
        metrics = QFontMetricsF(font)
        need = max(metrics.horizontalAdvance(self._widest) / (cw - 2), metrics.height() / CAPTION)  # px per mosaic px
        best = (1, 1)
        for rows in range(1, ROWS + 1):
            for cols in range(1, COLS + 1):
                scale = min(width / (cols * cw), height / (rows * ch - GAP)) / 1.02  # the view's padding
                if scale >= need and rows * cols > best[0] * best[1]:
                    best = (rows, cols)
        if best != (self.rows, self.cols):
            first = self.page * self.page_size
            self.rows, self.cols = best
            self._fitted = None
            self.show_page(first // self.page_size)

    def _fit_captions(self, *_) -> None:
        """Captions are in screen pixels: the largest font (within FONT_RANGE) whose widest caption fits the
        cell's width and whose line fits the caption band, as drawn now."""
        dx, dy = self.vb.viewPixelSize()
        if (dx, dy, self.cell) == self._fitted:
            return
        self._fitted = (dx, dy, self.cell)
        low = self.readable_size()
        high = max(FONT_RANGE[1], low)
        size = low
        if dx > 0 and dy > 0 and self.cell[1]:
            width, height = (self.cell[1] - 2) / dx, CAPTION / dy  # screen pixels; 2 mosaic px apart
            font = QFont(self.font())
            for size in range(high, low - 1, -1):
                font.setPixelSize(size)
                metrics = QFontMetricsF(font)
                if metrics.horizontalAdvance(self._widest) <= width and metrics.height() <= height:
                    break
        font = QFont(self.font())
        font.setPixelSize(size)
        for caption in self.captions:
            caption.setFont(font)

    # -- the selected image ------------------------------------------------------------------------------------

    def _place_outline(self) -> None:
        """Outline the selected image if it is on the page."""
        at = np.flatnonzero(self.shown() == self.model.selection.image)
        if not len(at):
            self.outline.hide()
            return
        y, x = self.frame_origin(int(at[0]))
        H, W = self._image_shape
        self.outline.setRect(x - 1, y - 1, W + 2 * FRAME + 2, H + 2 * FRAME + 2)
        self.outline.show()

    def outlined(self) -> int | None:
        """The test index outlined on the page (the selected image when it is shown), or None."""
        if not self.outline.isVisible():
            return None
        at = np.flatnonzero(self.shown() == self.model.selection.image)
        return int(self.shown()[at[0]]) if len(at) else None

    def show_probabilities(self) -> None:
        """Bars of the selected image's class probabilities with the shown evaluation's parameters."""
        i, ev = self.model.selection.image, self.evaluation()
        probs = self.model.eval_probabilities(i) if self.model.start is not None else None
        n = len(self.bars.opts["x"])
        if probs is None:
            self.bars.setOpts(height=np.zeros(n), brushes=[OTHER] * n)
            title = ("" if self.model.start is None else self.tr("no evaluation yet") if ev is None else
                     self.tr("{image}: image not at hand").format(image=self._name(i)))
            self.bar_plot.setTitle(title, size="10pt", color=TEXT)
            return
        label, guess = self.model.label(i), int(probs.argmax())
        brushes = [RIGHT if k == label else WRONG if k == guess else OTHER for k in range(len(probs))]
        self.bars.setOpts(height=probs, brushes=brushes)
        # A drawing may have no label.
        title = (self.tr("{image} (step {step})") if label is None else
                 self.tr("{image}, label {label} (step {step})")).format(
            image=self._name(i), label=None if label is None else self.class_names[label], step=ev.step)
        self.bar_plot.setTitle(title, size="10pt", color=TEXT)

    def _name(self, i: int) -> str:
        """"#12" for a test image (the view shows test images), "your drawing" for the user's."""
        return translated(self.model.describe_image(i)) if i == USER_IMAGE else f"#{self.model.indices(i)}"

    def bar_title(self) -> str:
        """The probability plot's title as shown."""
        return self.bar_plot.plotItem.titleLabel.text

    def _cell_at(self, scene_pos) -> int | None:
        """The number of the cell (0 .. page_size - 1, row by row) under a scene position, or None."""
        if self.rgb is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        if p.x() < 0 or p.y() < 0:
            return None
        (r, y), (c, x) = divmod(int(p.y()), self.cell[0]), divmod(int(p.x()), self.cell[1])
        n = r * self.cols + c
        inside = y < self.cell[0] - GAP and x < self.cell[1] - HGAP
        return n if inside and r < self.rows and c < self.cols and n < len(self.shown()) else None

    def _on_click(self, event) -> None:
        n = self._cell_at(event.scenePos())
        if n is not None and event.button() == Qt.MouseButton.LeftButton:
            self.model.select(image=int(self.shown()[n]))

    def _on_hover(self, scene_pos) -> None:
        n = self._cell_at(scene_pos)
        if n is None:
            self.status.setText(self.tr(HINT))
            return
        i, ev = int(self.shown()[n]), self.evaluation()
        names, image, label = self.class_names, translated(self.model.describe_image(i)), self.model.label(i)
        if ev is not None and i < len(ev.predicted):
            text = self.tr("{image}: label {label}, predicted {predicted} with probability {p:.3f} (step {step})")
            text = text.format(image=image, label=names[label], predicted=names[int(ev.predicted[i])],
                               p=ev.confidence[i], step=ev.step)
        else:
            text = self.tr("{image}: label {label}").format(image=image, label=names[label])
        other = self.chooser.run()
        b = other.model.evaluation() if other is not None else None
        if b is not None and i < len(b.predicted):
            text = self.tr("{text}; run B: {predicted} (step {step})").format(
                text=text, predicted=names[int(b.predicted[i])], step=b.step)
        self.status.setText(text)
