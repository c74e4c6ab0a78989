"""Probe history: how sure the network was of each probe image's true class, at every snapshot of the run.

The probe images are the test images the run follows (``RunStart.probe_images``, two of each class). At every
snapshot the trainer records their output probabilities ``y = softmax(u)`` (``SnapshotRecord.probe_probs``,
``/probe/probs`` in a session file); the model gives them all at once (:meth:`RunModel.probe_probs`: read in one
go from the file, never by loading every snapshot's parameters). The view draws them as a heat map: one row per
probe image (labelled with its thumbnail and true class t), one column per snapshot (left to right; the axis
reads the snapshots' steps), colour ``y_t``, the probability of the true class, from 0 (dark) to 1 (yellow).
A white dot marks the first snapshot at which each image was classified right (``argmax_j y_j == t``); the
timeline's snapshot is a white vertical line, the selected image's row is outlined.

Hovering a cell reads its image, step, ``y_t`` and predicted class; clicking one moves the timeline to that
snapshot's step and selects the image in every view (clicking a row's label selects the image only). During a
live run the map grows, redrawn at most every ``redraw_interval`` seconds and only while the view is shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QWidget

from cnnviz.gui.views.common import (
    AXIS,
    TEXT,
    color_bar,
    combo_box,
    gray_pixmap,
    plot_widget,
    row_of,
    status_label,
    view_layout,
)

CMAP = pg.colormap.get("viridis")  # perceptually even, readable in grey and by colour-blind readers
# the rows' order: the run's (class, then test index), or learned first; key -> words
ORDERS = {"class": QT_TRANSLATE_NOOP("ProbeHistoryView", "class"),
          "first right": QT_TRANSLATE_NOOP("ProbeHistoryView", "first right")}
CHOSEN = "#e8000b"  # the selected image's row: red, seen on every colour of the map
THUMB = 28  # the thumbnails' largest size in pixels (one screen pixel an MNIST pixel)
MIN_THUMB = 8  # rows lower than this (pixels) have no thumbnail
FONT_PX, MIN_FONT_PX = 11, 7  # the class labels' size in pixels: as tall as a row, within these
LABEL_WIDTH = 72  # the class names' largest width in pixels
NARROW = 420  # a view narrower than this (pixels) hides the colour bar and the axis title
HINT = QT_TRANSLATE_NOOP("ProbeHistoryView", "Colour: probability of the true class. White dot: first classified "
                                             "right. Point at a cell for its values; click it to show that step and "
                                             "image.")


def first_right(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The index of the first snapshot at which each probe image is classified right, ``argmax_j y_j == t``
    (its probabilities finite), or -1 for none: ``probs`` (S, P, k), ``labels`` (P,) -> (P,) int."""
    with np.errstate(invalid="ignore"):
        right = (probs.argmax(axis=2) == labels[None, :]) & np.isfinite(probs).all(axis=2)
    return np.where(right.any(axis=0), right.argmax(axis=0), -1) if len(probs) else np.full(len(labels), -1)


class StepAxis(pg.AxisItem):
    """The bottom axis of the heat map: column ``i`` (x in [i, i + 1)) is snapshot ``i``; the ticks are round
    steps placed between the snapshots' columns in proportion (snapshots need not be evenly spaced)."""

    def __init__(self):
        super().__init__("bottom")
        self.steps = np.zeros(0)
        self.enableAutoSIPrefix(False)

    def set_steps(self, steps) -> None:
        self.steps = np.asarray(steps, dtype=float)
        self.picture = None
        self.update()

    def _step(self, x):
        return np.interp(x, np.arange(len(self.steps)) + 0.5, self.steps)

    def tickValues(self, minVal, maxVal, size):
        if len(self.steps) < 2 or self.steps[-1] <= self.steps[0]:
            return [(1.0, [i + 0.5 for i in range(len(self.steps))][:1])]
        lo, hi = float(self._step(minVal)), float(self._step(maxVal))
        levels = super().tickValues(lo, hi, size)
        centres = np.arange(len(self.steps)) + 0.5
        return [(spacing, list(np.interp(values, self.steps, centres))) for spacing, values in levels[:2]]

    def tickStrings(self, values, scale, spacing):
        return [str(round(float(s))) for s in self._step(np.asarray(values, dtype=float))] if len(values) else []


class ProbeLabels(pg.AxisItem):
    """The left axis of the heat map: each probe image's row labelled with its true class and its thumbnail
    (as tall as the row, up to THUMB pixels); the selected image's row outlined. Where the rows are too low for
    that (a small dock), the thumbnails go and a class's consecutive rows share one label."""

    def __init__(self):
        super().__init__("left")
        self.rows: list[tuple[str, object]] = []  # (class name, thumbnail pixmap) in the rows' order
        self.chosen: int | None = None  # the selected image's row
        self.label_width = 0
        self.thumb = 0  # the thumbnails' size now (0: none)
        self.font_ = QFont()
        self.font_.setPixelSize(FONT_PX)

    def set_rows(self, rows: list[tuple[str, object]], chosen: int | None) -> None:
        self.rows, self.chosen = rows, chosen
        largest = QFont(self.font_)
        largest.setPixelSize(FONT_PX)
        metrics = pg.QtGui.QFontMetrics(largest)
        self.label_width = min(LABEL_WIDTH, max((metrics.horizontalAdvance(t) for t, _ in rows), default=0))
        self.fit()

    def row_height(self) -> float:
        """A row's height in pixels now."""
        vb = self.linkedView()
        if vb is None or not self.rows:
            return 0.0
        return abs(vb.mapViewToScene(QPointF(0, 1)).y() - vb.mapViewToScene(QPointF(0, 0)).y())

    def fit(self) -> None:
        """The thumbnails' size and the axis' width for the rows' height now."""
        h = self.row_height()
        self.thumb = int(min(h - 1, THUMB)) if h - 1 >= MIN_THUMB else 0
        self.font_.setPixelSize(int(np.clip(h + 1, MIN_FONT_PX, FONT_PX)))
        width = self.label_width + 6 + (self.thumb + 4 if self.thumb else 0)
        if width != self.width():
            self.setWidth(width)
        self.update()

    def row_rect(self, row: int) -> QRectF:
        """Row ``row``'s band in this axis' coordinates."""
        vb = self.linkedView()
        top = self.mapFromScene(vb.mapViewToScene(QPointF(0, row))).y()
        bottom = self.mapFromScene(vb.mapViewToScene(QPointF(0, row + 1))).y()
        return QRectF(0, min(top, bottom), self.width(), abs(bottom - top))

    def row_at(self, scene_pos: QPointF) -> int | None:
        """The row under a scene position on this axis, or None."""
        if self.linkedView() is None or not self.sceneBoundingRect().contains(scene_pos):
            return None
        y = self.linkedView().mapSceneToView(scene_pos).y()
        return int(y) if 0 <= y < len(self.rows) else None

    def texts(self) -> list[tuple[int, int, str]]:
        """The labels drawn now: (first row, last row, text); one per row where a row is tall enough for its
        text, else one per run of consecutive rows of the same class (nothing where even that is too low)."""
        h = self.row_height()
        if h + 1 >= MIN_FONT_PX:
            return [(r, r, text) for r, (text, _) in enumerate(self.rows)]
        groups: list[tuple[int, int, str]] = []
        for r, (text, _) in enumerate(self.rows):
            if groups and groups[-1][2] == text:
                groups[-1] = (groups[-1][0], r, text)
            else:
                groups.append((r, r, text))
        return [g for g in groups if (g[1] - g[0] + 1) * h + 1 >= MIN_FONT_PX]

    def paint(self, p, *args) -> None:
        if self.linkedView() is None or not self.rows:
            return
        p.setFont(self.font_)
        p.setPen(pg.mkPen(TEXT))
        if self.thumb:
            for r, (_, pixmap) in enumerate(self.rows):
                band = self.row_rect(r)
                p.drawPixmap(int(self.width() - 3 - self.thumb), int(band.center().y() - self.thumb / 2),
                             self.thumb, self.thumb, pixmap)
        metrics = p.fontMetrics()
        for first, last, text in self.texts():
            band = self.row_rect(first).united(self.row_rect(last))
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.label_width)
            p.drawText(QRectF(2, band.top(), self.label_width, band.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
        if self.chosen is not None and 0 <= self.chosen < len(self.rows):
            p.setPen(QPen(QColor(CHOSEN), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.row_rect(self.chosen).adjusted(1, 0, -1, 0))


class ProbeHistoryView(QWidget):
    """Probes down, snapshots across, colour the probability of the true class (see the module docstring)."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)

    title = "Probe history"

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.order_box = combo_box()
        for key, text in ORDERS.items():
            self.order_box.addItem(self.tr(text), key)
        self.order_box.setToolTip(self.tr("The rows' order: by class (the run's order), or by when each image was "
                                          "first classified right"))
        self.summary = status_label(lines=1)

        self.plot = plot_widget()
        self.axis = StepAxis()
        self.labels = ProbeLabels()
        self.pi = self.plot.addPlot(row=0, col=0, axisItems={"bottom": self.axis, "left": self.labels})
        self.pi.setMouseEnabled(False, False)
        self.pi.setMenuEnabled(False)
        self.pi.hideButtons()
        self.vb = self.pi.getViewBox()
        self.vb.invertY(True)
        self.axis.setTextPen(TEXT)
        self.axis.setPen(AXIS)
        self.labels.setPen(AXIS)
        self.pi.setLabel("bottom", self.tr("step"), color=TEXT)
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setColorMap(CMAP)
        self.vb.addItem(self.heat)
        self.marks = pg.ScatterPlotItem(symbol="o", size=7, brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=1),
                                        pxMode=True)
        self.marks.setZValue(5)
        self.vb.addItem(self.marks)
        # The timeline's snapshot: a white line edged in black, visible on every colour of the map.
        self.cursor_edge = pg.InfiniteLine(angle=90, pen=pg.mkPen("k", width=4))
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("w", width=2))
        for z, line in enumerate((self.cursor_edge, self.cursor)):
            line.setZValue(8 + z)
            line.hide()
            self.vb.addItem(line, ignoreBounds=True)
        self.outline = QGraphicsRectItem()  # around the selected image's row
        self.outline.setPen(pg.mkPen(CHOSEN, width=2, cosmetic=True))
        self.outline.setZValue(10)
        self.outline.hide()
        self.vb.addItem(self.outline)
        self.bar = color_bar(CMAP)
        self.bar.setLevels((0.0, 1.0))
        self.plot.ci.addItem(self.bar, row=0, col=1)

        self.status = status_label(self.tr(HINT))
        view_layout(self, row_of(QLabel(self.tr("order")), self.order_box, self.summary), (self.plot, 1), self.status)

        self.redraw_interval = 0.25  # seconds: at most 4 frames a second while a run grows
        self._drawn = -1  # snapshots drawn
        self.order = np.zeros(0, dtype=np.int64)  # the rows' probe numbers (positions in RunStart's arrays)
        self.first = np.zeros(0, dtype=np.int64)  # per probe: the first right snapshot, -1 for none
        self.probs = np.zeros((0, 0, 0))  # (S, P, k) as drawn
        self._thumbs: list = []

        self.order_box.currentIndexChanged.connect(lambda _: self.redraw())
        self.vb.sigResized.connect(self._fit)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- following the model --------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        if "run" in changes:
            m = self.model
            self._thumbs = [] if m.start is None else [gray_pixmap(im, THUMB) for im in m.start.probe_images]
            self._drawn = -1
            self.model.redraws.request(self.redraw)  # now (a hidden view: when it is shown)
        elif changes & {"data", "snapshot", "step"} and len(self.model.snapshots) != self._drawn:
            self.model.redraws.request(self.redraw, self.redraw_interval)
        if changes & {"run", "snapshot", "step"}:
            self._place_cursor()
        if changes & {"run", "image"}:
            self._mark_selected()

    # -- drawing --------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        """The heat map of every snapshot the model has."""
        m = self.model
        start = m.start
        n = len(m.snapshots)
        self._drawn = n
        if start is None or n == 0 or not len(start.probe_labels):
            self.probs = np.zeros((0, 0, 0))
            self.order = self.first = np.zeros(0, dtype=np.int64)
            self.heat.clear()
            self.marks.clear()
            self.axis.set_steps([])
            self.labels.set_rows([], None)
            self._place_cursor()
            self._mark_selected()
            self.summary.setText(self.tr("No run.") if start is None else self.tr("No snapshot yet."))
            return
        labels = np.asarray(start.probe_labels, dtype=np.int64)
        self.probs = m.probe_probs()
        self.first = first_right(self.probs, labels)
        if self.order_box.currentData() == "first right":
            never = len(self.probs)  # not yet right: last, in the run's order
            self.order = np.argsort(np.where(self.first < 0, never, self.first), kind="stable")
        else:
            self.order = np.arange(len(labels))
        self.heat.setImage(self.pixels(), levels=(0.0, 1.0), autoDownsample=True)
        self.heat.setRect(0, 0, n, len(labels))
        self.vb.setRange(xRange=(0, n), yRange=(0, len(labels)), padding=0)
        rows = np.flatnonzero(self.first[self.order] >= 0)
        self.marks.setData(x=self.first[self.order][rows] + 0.5, y=rows + 0.5, size=self._mark_size())
        self.axis.set_steps(m.snapshots.steps)
        names = start.class_names
        self.labels.set_rows([(names[labels[p]] if labels[p] < len(names) else str(labels[p]), self._thumbs[p])
                              for p in self.order], None)
        self._place_cursor()
        self._mark_selected()

    def pixels(self) -> np.ndarray:
        """The heat map's values (P, S): row r, column i is ``y_t`` of the r-th probe shown (its true class t) at
        snapshot i."""
        labels = np.asarray(self.model.start.probe_labels, dtype=np.int64)
        p = self.order
        return self.probs[:, p, labels[p]].T

    def _place_cursor(self) -> None:
        """The vertical line through the column of the last snapshot at or before the cursor (the timeline's, or
        the newest while live parameters newer than it are shown); the summary at that snapshot."""
        m = self.model
        i = m.snapshots.at_or_before(m.step) if m.start is not None else None
        shown = i is not None and i < self._drawn
        for line in (self.cursor_edge, self.cursor):
            line.setVisible(shown)
            if shown:
                line.setPos(i + 0.5)
        if shown and len(self.probs) > i:
            labels = np.asarray(self.model.start.probe_labels)
            with np.errstate(invalid="ignore"):
                right = int(((self.probs[i].argmax(axis=1) == labels) & np.isfinite(self.probs[i]).all(axis=1)).sum())
            n = len(labels)
            self.summary.setText(self.tr("Step {step} (snapshot {i}/{count}): {right} of {n} right; {ever} of {n} "
                                         "right at some snapshot").format(step=self.model.snapshots.steps[i], i=i + 1,
                                                                    count=len(self.probs), right=right, n=n,
                                                                    ever=int((self.first >= 0).sum())))

    def _mark_selected(self) -> None:
        """Outline the selected image's row (if it is a probe image)."""
        row = self.selected_row()
        if row is None:
            self.outline.hide()
        else:
            self.outline.setRect(0, row, max(self._drawn, 0), 1)
            self.outline.show()
        self.labels.chosen = row
        self.labels.update()

    def selected_row(self) -> int | None:
        """The row of the selected image, or None when it is not a probe image (or nothing is drawn)."""
        start = self.model.start
        if start is None or not len(self.order):
            return None
        at = np.flatnonzero(np.asarray(start.probe_indices)[self.order] == self.model.selection.image)
        return int(at[0]) if len(at) else None

    # -- the mouse --------------------------------------------------------------------------------------------------

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        """(row, snapshot) of the heat map's cell under a scene position, or None."""
        if not len(self.order) or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        if not (0 <= p.x() < self._drawn and 0 <= p.y() < len(self.order)):
            return None
        return int(p.y()), int(p.x())

    def scene_pos(self, row: int, snapshot: int) -> QPointF:
        """The scene position of the centre of a cell (for tests and scripted clicks)."""
        return self.vb.mapViewToScene(QPointF(snapshot + 0.5, row + 0.5))

    def describe(self, row: int, snapshot: int | None = None) -> str:
        """A row (a probe image), or one of its cells, in words."""
        start, p = self.model.start, int(self.order[row])
        index, t = self.model.indices(start.probe_indices[p]), int(start.probe_labels[p])
        names = start.class_names
        first = int(self.first[p])
        when = (self.tr("first right at step {step}").format(step=self.model.snapshots.steps[first]) if first >= 0
                else self.tr("not classified right at any snapshot yet"))
        if snapshot is None:
            return self.tr("Test #{index}, a {name}: {when}. Click to select it.").format(index=index, name=names[t],
                                                                                       when=when)
        y = self.probs[snapshot, p]
        step = self.model.snapshots.steps[snapshot]
        where = self.tr("Test #{index}, a {name}, step {step} (snapshot {i} of {count})").format(
            index=index, name=names[t], step=step, i=snapshot + 1, count=len(self.probs))
        if not np.isfinite(y).all():
            return self.tr("{where}: the probabilities are not finite (the run diverged); {when}.").format(
                where=where, when=when)
        predicted = int(np.argmax(y))
        return (self.tr("{where}: p({name}) = {p}, predicted {predicted} ({q}, right); {when}.") if predicted == t else
                self.tr("{where}: p({name}) = {p}, predicted {predicted} ({q}, wrong); {when}.")).format(
            where=where, name=names[t], p=f"{y[t]:.3f}", predicted=names[predicted], q=f"{y[predicted]:.3f}", when=when)

    def _on_hover(self, scene_pos) -> None:
        hit = self.cell_at(scene_pos)
        if hit is not None:
            self.status.setText(self.describe(*hit))
            return
        row = self.labels.row_at(scene_pos)
        self.status.setText(self.describe(row) if row is not None and len(self.order) else self.tr(HINT))

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.cell_at(event.scenePos())
        row = hit[0] if hit is not None else self.labels.row_at(event.scenePos())
        if row is None or not len(self.order):
            return
        event.accept()
        index = int(self.model.start.probe_indices[self.order[row]])
        if self.model.has_image(index):
            self.model.select(image=index)
        if hit is not None:
            self.model.seek(self.model.snapshots.steps[hit[1]])

    # -- sizes ------------------------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        """The colour bar and the axis title only where there is room for them (a tab in a small window)."""
        super().resizeEvent(event)
        roomy = event.size().width() >= NARROW and event.size().height() >= NARROW * 3 // 4
        if self.bar.isVisible() != roomy:
            self.bar.setVisible(roomy)
            self.bar.setMaximumWidth(10_000 if roomy else 0)  # hidden, it gives its column back
            self.pi.showLabel("bottom", roomy)

    def _mark_size(self) -> float:
        """The first-right dots' size in pixels: smaller where the rows are low."""
        return float(np.clip(self.labels.row_height() - 2, 4, 8))

    def _fit(self, *_) -> None:
        """The view box changed size: the labels' thumbnails and the dots follow the rows' height."""
        self.labels.fit()
        self.marks.setSize(self._mark_size())
