"""The whole network at a glance: one image's path through it, at the timeline's snapshot.

One column per stage in the lecture's order (section 3.2; :mod:`~cnnviz.gui.views.overview_layout` places them):
the input x; each conv layer's u = F * x + b, a = ReLU(u) and p = pool(a), every channel a small heat map; the
flattening in (c, i, j) order; each hidden fully connected layer's a = ReLU(W v + b) as a strip; the output's
Soft(u), one cell a class with its name and probability. Each column is one image in one scene (a mosaic of its
channels), its shape written under it. The values are the model's trace of the selected image (computed once per
snapshot and image for every view), so moving the timeline's cursor shows the path change as the network learns,
and a live run's newest parameters while it follows them.

Colours are the model's fixed levels, the same as the other views': u blue-white-red within +-L_u, a and p
black-white within [0, L_a] (per conv layer), a fully connected layer's a within [0, L_fc], the input and the
probabilities within [0, 1].

Hovering a map or a unit says its value and what it is, and draws lines to what it feeds in the next column (an
input channel to every map of the next conv layer, a map to its channel's next stage, a value to the next
layer). Clicking a conv map's pixel selects that unit everywhere (the model's selection) and the window opens its
computation in the Unit view (:attr:`OverviewView.unit_clicked`); a pixel of the flattening selects the unit of
the last conv layer it comes from; a fully connected unit or an output class opens in the Unit view. Below, while
a conv unit is selected, its filter slides over its input (:class:`~cnnviz.gui.views.slide.FilterSlide`). Labels
that have no room at the view's scale are hidden (a caption that would overlap its neighbour's, the class labels
but the predicted one's): hovering names every value.

The view computes nothing while it is hidden (a tab behind another): it redraws when shown.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsRectItem, QSplitter, QWidget

from cnnviz.core.inspect import dense_input_name
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.common import (
    DIVERGING,
    GREY,
    SEPARATOR,
    TEXT,
    ImageChooser,
    class_names,
    fmt,
    plot_widget,
    row_of,
    status_label,
    view_point,
    view_layout,
)
from cnnviz.gui.views.overview_layout import HEIGHT, Column, feeds, overview_columns
from cnnviz.gui.views.slide import FilterSlide
from cnnviz.gui.views.unit import input_word, select_unit

LINES = "#ff2fd0"  # what the hovered map feeds: magenta, as the Unit view's marks
SELECTED = "#ffb000"  # the selected unit's channel and pixel: orange, as the feature-map view's outline
PREDICTED = "#c03030"
CAPTION_ROOM = 16.0  # scene units above and below the columns for their captions
CAPTION_GAP = 6  # pixels at least between two captions on the same side of the columns
WHAT = {"u": QT_TRANSLATE_NOOP("OverviewView", "F * x + b, before ReLU"), "a": "ReLU(u) = max(0, u)",
        "p": QT_TRANSLATE_NOOP("OverviewView", "the 2×2 block's max of a")}


def outline_segments(rects: list[tuple[float, float, float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """The four sides of each rectangle (x, y, width, height) as pairs of points, for a curve drawn with
    ``connect="pairs"``: one item for any number of outlines."""
    xs, ys = [], []
    for x, y, w, h in rects:
        xs += [x, x + w, x + w, x + w, x + w, x, x, x]
        ys += [y, y, y, y + h, y + h, y + h, y + h, y]
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


class OverviewView(QWidget):
    """Every stage of the network for one image, its values as heat maps (see the module docstring)."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)

    # A unit was clicked, to be shown in the Unit view: its layer ("conv2": the model's selection; "fc1".., "output")
    # and its unit (fully connected ones; -1 for a conv unit).
    unit_clicked = Signal(str, int)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.chooser = ImageChooser(model)
        self.plot = plot_widget()
        self.vb = self.plot.ci.addViewBox(row=0, col=0, lockAspect=True, invertY=True)
        self.vb.setDefaultPadding(0.02)
        self.vb.setMenuEnabled(False)
        self.lines = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(LINES + "b0", width=1, cosmetic=True))
        self.marks = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(SELECTED, width=2, cosmetic=True))
        for item, z in ((self.lines, 20), (self.marks, 21)):
            item.setZValue(z)
            self.vb.addItem(item)
        self.slide = FilterSlide(model)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.plot)
        self.split.addWidget(self.slide)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.status = status_label()
        view_layout(self, row_of(self.chooser, stretch_last=False), (self.split, 1), self.status)

        self.columns: list[Column] = []
        self.images: list[pg.ImageItem] = []
        self._scene_items: list = []  # what was added to the ViewBox for the run's columns (removed with it)
        self.captions: list[tuple[pg.TextItem, bool]] = []  # under each column (or above it: True), left to right
        self.class_labels: list[pg.TextItem] = []
        self.class_names: tuple[str, ...] = ()
        self.best = 0  # the predicted class, whose label stays shown where the others have no room
        self.hovered: tuple[int, int, int, int] | None = None  # (column, tile, i, j) under the mouse
        self._hover_pos: QPointF | None = None
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        # The labels' room is measured on the next turn after a resize or a zoom (not inside the view box's
        # resize or paint), once for many.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_labels)
        self.vb.sigResized.connect(self._fit_timer.start)
        self.vb.sigRangeChanged.connect(self._fit_timer.start)
        self._sized = False  # the splitter's first sizes are set when the view is first shown
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- the columns of the run's network -----------------------------------------------------------------------

    def _build(self) -> None:
        """The columns of the run's network: an image, a backdrop and a caption each (once per run)."""
        for item in self._scene_items:
            self.vb.removeItem(item)
        self._scene_items, self.images, self.captions, self.class_labels = [], [], [], []
        start = self.model.start
        self.columns = [] if start is None else overview_columns(start.config.network)
        self.class_names = () if start is None else class_names(start)
        for col in self.columns:
            x, y, w, h = col.rect
            backdrop = QGraphicsRectItem(x, y, w, h)
            backdrop.setPen(pg.mkPen(None))
            backdrop.setBrush(pg.mkBrush(SEPARATOR["diverging" if col.stage == "u" else "grey"]))
            backdrop.setZValue(-10)
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(DIVERGING if col.stage == "u" else GREY)
            # Under the column, or above it every other column: narrow neighbours' captions would overlap.
            above = len(self.images) % 2
            caption = pg.TextItem(col.caption.replace(": ", "\n", 1), color=TEXT, anchor=(0.5, 1 if above else 0))
            caption.setPos(x + w / 2, -2 if above else HEIGHT + 2)
            self.images.append(image)
            self.captions.append((caption, bool(above)))
            self._scene_items += [backdrop, image, caption]
        out = self.columns[-1] if self.columns else None
        for n in range(out.shape[0] if out is not None else 0):
            x, y, w, h = out.cell(0, n, 0)
            label = pg.TextItem("", color=TEXT, anchor=(0, 0.5))
            label.setPos(x + w + 1, y + h / 2)
            self.class_labels.append(label)
            self._scene_items.append(label)
        for item in self._scene_items:
            self.vb.addItem(item)
        self.lines.setData([], [])
        self.marks.setData([], [])
        if self.columns:
            x, _, w, _ = self.columns[-1].rect
            labels = 2 * CAPTION_ROOM + 4 * max(map(len, self.class_names))  # the class names and probabilities
            self.vb.setRange(xRange=(-2, x + w + labels), yRange=(-CAPTION_ROOM, HEIGHT + CAPTION_ROOM), padding=0)

    def fit_labels(self) -> None:
        """Hide the labels that have no room at the view's scale (hovering still names every value): a caption that
        would overlap the last one shown on its side of the columns, and the class labels but the predicted one's
        where the output's cells are lower than a line of text."""
        shown = {True: -math.inf, False: -math.inf}  # the right end of the last caption shown above, below
        for caption, above in self.captions:
            width = caption.textItem.boundingRect().width()
            centre = self.vb.mapViewToScene(caption.pos()).x()
            fits = centre - width / 2 >= shown[above] + CAPTION_GAP
            caption.setVisible(fits)
            if fits:
                shown[above] = centre + width / 2
        if self.class_labels:
            x, y, _, h = self.columns[-1].cell(0, 0, 0)
            cell = self.vb.mapViewToScene(QPointF(x, y + h)).y() - self.vb.mapViewToScene(QPointF(x, y)).y()
            room = cell >= 0.8 * self.class_labels[0].textItem.boundingRect().height()
            for n, label in enumerate(self.class_labels):
                label.setVisible(room or n == self.best)

    def levels(self, col: Column) -> tuple[float, float]:
        """The model's fixed colour levels of a column."""
        m = self.model
        if col.kind == "conv":
            return m.map_levels(col.layer, col.stage)
        if col.kind == "fc":
            return m.dense_levels(col.layer)
        if col.kind == "flatten" and m.start.config.network.conv:
            return m.map_levels(len(m.start.config.network.conv) - 1, "p")
        return 0.0, 1.0  # the input's pixels, the probabilities

    # -- model ---------------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self._build()
            self.status.setText(self.tr("Waiting for the first snapshot."))
        if changes & {"run", "snapshot", "image", "layer", "channel", "pixel", "levels", "indices"}:
            self.model.redraws.request(self.redraw)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if not self._sized:  # the network gets the larger part; the filter slide below
            self._sized = True
            total = sum(self.split.sizes())
            self.split.setSizes([total * 3 // 5, total - total * 3 // 5])

    # -- drawing -------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        """Draw every column for the selected image at the timeline's snapshot (asked through the model's redraws:
        a view tabbed behind another redraws when it is raised)."""
        trace = self.model.trace()
        if trace is None:
            for image in self.images:
                image.clear()
            for label in self.class_labels:
                label.setText("")
            self.marks.setData([], [])
            self._refresh_slide()
            return
        for col, item in zip(self.columns, self.images):
            levels = self.levels(col)
            with np.errstate(invalid="ignore"):  # a diverging run's inf and NaN: drawn clipped, as the other views
                item.setImage(np.clip(col.image(trace), *levels), levels=levels)
            item.setRect(*col.rect)
        probs = trace.probs[0]
        self.best = best = int(np.argmax(probs))
        for n, label in enumerate(self.class_labels):
            label.setText(f"{self.class_names[n]}  {probs[n]:.2f}")
            label.setColor(PREDICTED if n == best else TEXT)
        self.fit_labels()
        self._mark_selection()
        self._refresh_slide()
        m = self.model
        self.status.setText(self.tr("{image} at step {step}: predicted {predicted} ({p}). Hover a map or a unit to "
                                    "read it; click one to see how it was computed (and a conv unit's filter "
                                    "slide).").format(image=translated(m.describe_image(m.selection.image)),
                                                      step=m.snapshot().step, predicted=self.class_names[best],
                                                      p=f"{probs[best]:.2f}"))
        if self._hover_pos is not None:
            self._on_hover(self._hover_pos)

    def _refresh_slide(self) -> None:
        """The filter slide follows the model; it is shown only while a conv unit is selected (until then the
        network has the whole view, and the status line says to click a unit)."""
        self.slide.refresh()
        self.slide.setVisible(self.slide.unit is not None)

    def _mark_selection(self) -> None:
        """Outline the selected channel in its layer's u, a and p columns, and the selected pixel in them."""
        sel = self.model.selection
        rects = []
        if sel.channel is not None:
            for col in self.columns:
                if col.kind == "conv" and col.layer == sel.layer and sel.channel < col.grid.n:
                    rects.append(col.tile_rect(sel.channel))
                    if sel.pixel is not None:
                        i, j = sel.pixel
                        i, j = (i // 2, j // 2) if col.stage == "p" else (i, j)
                        if i < col.grid.h and j < col.grid.w:
                            rects.append(col.cell(sel.channel, i, j))
        self.marks.setData(*outline_segments(rects))

    # -- hover and click -----------------------------------------------------------------------------------------

    def hit(self, scene_pos: QPointF) -> tuple[int, int, int, int] | None:
        """(column, tile, i, j) under a scene position, or None."""
        point = view_point(self.vb, scene_pos)
        if point is None:
            return None
        x, y = point
        for c, col in enumerate(self.columns):
            cx, cy, w, h = col.rect
            if cx <= x < cx + w and cy <= y < cy + h:
                found = col.locate(x, y)
                return None if found is None else (c, *found)
        return None

    def scene_pos(self, c: int, tile: int, i: int = 0, j: int = 0) -> QPointF:
        """The scene position of the centre of pixel (i, j) of a tile of column ``c`` (for tests and scripts)."""
        x, y, w, h = self.columns[c].cell(tile, i, j)
        return self.vb.mapViewToScene(QPointF(x + w / 2, y + h / 2))

    def describe(self, c: int, tile: int, i: int, j: int) -> str:
        """What a value of the overview is, in words, with its value."""
        m, ix = self.model, self.model.indices
        col = self.columns[c]
        trace = m.trace()
        index = col.index(tile, i, j)
        value = float(col.values(trace)[index])
        if col.kind == "input":
            return self.tr("input x(i={i}, j={j}) = {value}: a pixel of the image, scaled to [0, 1]").format(
                i=ix(i), j=ix(j), value=fmt(value))
        if col.kind == "conv":
            pooling = m.start.config.network.conv[col.layer].pooling
            what = (self.tr(WHAT[col.stage]) if not (col.stage == "p" and pooling == "average") else
                    self.tr("the 2×2 block's mean of a"))
            return self.tr("{name}(k={k}, i={i}, j={j}) = {value}: {what}; channel {k} of {n}. Click to see it "
                           "computed.").format(name=col.name, k=ix(tile), i=ix(i), j=ix(j), value=fmt(value),
                                               what=what, n=col.grid.n)
        n = index[0]
        if col.kind == "flatten":
            return self.tr("flatten v({n}) = {input} = {value}: the last maps read in (c, i, j) order, the first fully "
                           "connected layer's input").format(
                n=ix(n), input=input_word(dense_input_name(m.network, "fc1", n, ix.origin)), value=fmt(value))
        if col.kind == "fc":
            u = float(trace.fc[col.layer].u[0, n])
            return self.tr("fc{l} a(n={n}) = ReLU(u) = {value}, u = {u}. Click to see it computed.").format(
                l=col.layer + 1, n=ix(n), value=fmt(value), u=fmt(u))
        u = float(trace.fc[-1].u[0, n])
        return self.tr("output class {name}: Soft(u)({n}) = {value}, u = {u}. Click to see it computed.").format(
            name=self.class_names[n], n=ix(n), value=fmt(value), u=fmt(u))

    def _on_hover(self, scene_pos: QPointF) -> None:
        self._hover_pos = scene_pos
        hit = self.hit(scene_pos) if self.model.trace() is not None else None
        if hit == self.hovered:
            if hit is not None:
                self.status.setText(self.describe(*hit))  # a new snapshot: the value under the mouse changed
            return
        self.hovered = hit
        if hit is None:
            self.lines.setData([], [])
            return
        self.status.setText(self.describe(*hit))
        segments = np.asarray(feeds(self.columns, *hit), dtype=float).reshape(-1, 4)
        self.lines.setData(segments[:, [0, 2]].ravel(), segments[:, [1, 3]].ravel())

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit(event.scenePos()) if self.model.trace() is not None else None
        if hit is not None:
            self.click(*hit)

    def click(self, c: int, tile: int, i: int, j: int) -> None:
        """What a click on (column, tile, i, j) does: select a conv unit (a pixel of the flattening: the last conv
        layer's unit it comes from), or open a fully connected unit; then :attr:`unit_clicked`."""
        col = self.columns[c]
        if col.kind == "conv":
            select_unit(self.model, tile, i, j, col.stage, layer=col.layer)
            self.unit_clicked.emit(f"conv{col.layer + 1}", -1)
        elif col.kind == "flatten" and self.model.start.config.network.conv:
            last = len(self.model.start.config.network.conv) - 1
            k, i, j = np.unravel_index(col.index(tile, i, j)[0], self.model.trace().conv[last].p.shape[1:])
            select_unit(self.model, int(k), int(i), int(j), "p", layer=last)
            self.unit_clicked.emit(f"conv{last + 1}", -1)
        elif col.kind in ("fc", "output"):
            self.unit_clicked.emit("output" if col.kind == "output" else f"fc{col.layer + 1}", col.index(tile, i, j)[0])

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt): the mouse left the view
        self._hover_pos, self.hovered = None, None
        self.lines.setData([], [])
        super().leaveEvent(event)
