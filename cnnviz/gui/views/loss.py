"""Loss and accuracy against step, epoch, images seen or training time: per-step minibatch values, their moving
average, test evaluations; in compare mode every compared run's too, each in its own colour.

Two linked plots: above the minibatch loss (thin) with its exponential moving average (bold) and the test
loss at each evaluation; below the minibatch accuracy the same way and the test accuracy. Events (learning
rate or momentum changed, pause, resume, error) are vertical lines labelled on the loss plot; labels that
would overlap are stacked at different heights, and one that finds no room is left out (its line keeps it as
a tooltip), so that labels never print over each other. The curves are created once and fed with ``setData`` from
preallocated arrays (clipped to the view, peak-downsampled), so a long run draws as fast as a short one.

The timeline cursor (the model's step) is a solid vertical line on both plots: clicking a plot moves it to the
recorded step nearest the click, and the line on the loss plot can be dragged. The mouse shows the values under
it in a dotted line and in the one-line readout below the plots (elided, so that it never widens the dock).

Drawing cost is what keeps the trainer fast on a small machine, so: the view redraws at most
``redraw_interval`` apart (0.2 s) and not at all while hidden; the axis ranges are set by the view, not by
pyqtgraph's auto-range (which rebuilds both axes at every new point): the x range grows in round steps up to
the planned run, the loss range changes only when a value leaves it, accuracy is fixed to [0, 1]; and the
grid is one path of light lines at the major ticks, redrawn when a range changes (pyqtgraph's own grid
doubles the cost of a frame). Zooming or panning by hand stops the automatic ranges until "Fit" is pressed.

The x axis ("x axis") counts steps, epochs (``step / steps_per_epoch``), images seen (``step × batch size``) or the
training time in seconds (pauses excluded; between two recorded steps interpolated), each run by its own: runs with
different batch sizes meet at the same number of images seen.

Compare mode (the window's :class:`~cnnviz.gui.compare.Comparison` has other runs): the main run's curves take one
colour (blue) and every compared run's theirs (orange, cyan, ...), its test-set dots too, on a dashed line; the
legend names each run by what differs in its configuration, and a small table under the plots lists every setting
that differs, run by run, with the step each run shows (a run shorter than the cursor: its last). "Remove" takes
the selected run out of the comparison.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.gui.compare import MAIN_COLOUR, ComparedRun, Comparison
from cnnviz.gui.model import RunModel
from cnnviz.records import EventRecord
from cnnviz.training import early_note

LOSS_COLOUR = (31, 119, 180)  # blue
ACCURACY_COLOUR = (44, 160, 44)  # green
TEST_COLOUR = (214, 39, 40)  # red
# The per-step curves: only the steps in view, and of those the highest and lowest in each pixel column (pyqtgraph's
# default keeps five columns' worth a pixel: five times the line segments, the loss view's painting grew with the
# run until it stalled the GUI thread: docs/speed.md, the soak).
CURVE = {"skipFiniteCheck": True, "autoDownsample": True, "autoDownsampleFactor": 1.0, "downsampleMethod": "peak",
         "clipToView": True}
STEP_COLOUR = (40, 40, 40)  # the timeline cursor: near black, solid
EVENT_STYLE = {  # kind -> (colour, pen style, label)
    "lr": ((148, 103, 189), Qt.PenStyle.SolidLine, "lr {value:.3g}"),
    "momentum": ((140, 86, 75), Qt.PenStyle.SolidLine, "momentum {value:.3g}"),
    "paused": ((150, 150, 150), Qt.PenStyle.DashLine, "paused"),
    "resumed": ((150, 150, 150), Qt.PenStyle.DotLine, "resumed"),
    "rollback": ((214, 39, 40), Qt.PenStyle.DashLine, "back to step {value:.0f}"),
    "error": ((214, 39, 40), Qt.PenStyle.SolidLine, "error"),
    "stalled": ((214, 39, 40), Qt.PenStyle.DotLine, "at chance since step {value:.0f}"),
}
LABEL_TOP = 0.93  # the event labels' highest position, as a fraction of the loss plot's height
LABEL_GAP = 4.0  # pixels between two event labels side by side at the same height


GRID_PEN = (0, 0, 0, 38)
SHORT_PLOT = 120  # pixels: a plot this short gets y ticks of its own (pyqtgraph's labels overlapped at 1024x700)
LABEL_ROOM = 20  # pixels between two y tick labels of a short plot at least
X_AXES = {"step": "step", "epoch": "epoch", "images seen": "images seen", "training time": "training time (s)"}
TABLE_ROWS = 4  # the difference table shows this many runs at most without scrolling
PLOTS_ROOM = 240  # pixels of the view kept for the controls, legend, plots and readout before the table gets any


def _faint(rgb):
    return pg.mkPen((*rgb, 70), width=1)


def time_table(model: RunModel) -> tuple[np.ndarray, np.ndarray]:
    """(steps, seconds) of a run's recorded steps, with step 0 at 0 s where the run starts at step 1 (a fork starts
    after its parent's step, at its parent's time)."""
    steps, seconds = model.metric("step"), model.metric("time")
    if len(steps) and steps[0] <= 1:
        return np.concatenate([[0.0], steps]), np.concatenate([[0.0], seconds])
    return steps, seconds


def sane_part(steps: np.ndarray, events) -> np.ndarray:
    """Which of ``steps`` the run kept: a rollback at step t back to step b abandons the steps b < step <= t (where
    the run diverged). The loss axis follows the kept ones (after a rollback it stayed at 5e+14, the new curve flat
    along the bottom)."""
    keep = np.ones(len(steps), dtype=bool)
    for e in events:
        if e.kind == "rollback":
            keep &= ~((steps > e.value) & (steps <= e.step))
    return keep


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= ``value`` (> 0)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * power >= value * (1 - 1e-12):
            return m * power
    return 10 * power


def nice_floor(value: float) -> float:
    """The largest of 1, 2, 5 times a power of ten that is <= ``value`` (> 0)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for m in (5, 2, 1):
        if m * power <= value * (1 + 1e-12):
            return m * power
    return power


def ema(values: np.ndarray, weight: float, start: float = 0.0, count: int = 0) -> tuple[np.ndarray, float, int]:
    """Debiased exponential moving average (as TensorBoard's smoothing): ``m_t = w m_{t-1} + (1 - w) x_t``,
    shown as ``m_t / (1 - w^t)``. Continues from ``start`` (the raw ``m``) after ``count`` values; returns the
    smoothed values, the new raw ``m`` and count."""
    out = np.empty(len(values))
    m, t = start, count
    for i, x in enumerate(values.tolist()):
        m = weight * m + (1 - weight) * x
        t += 1
        out[i] = m / (1 - weight ** t) if weight > 0 else m
    return out, m, t


class _Smoothed:
    """A growing series and its moving average, in preallocated arrays (doubled when full)."""

    def __init__(self):
        self.values = np.zeros(1024)
        self.n = 0
        self._m, self._t = 0.0, 0
        self.weight = 0.0

    def reset(self, weight: float) -> None:
        self.n, self._m, self._t, self.weight = 0, 0.0, 0, weight

    def extend(self, raw: np.ndarray) -> None:
        """Smooth ``raw[self.n:]`` (``raw`` is the whole series so far)."""
        new = raw[self.n:]
        if not len(new):
            return
        need = len(raw)
        if need > len(self.values):
            grown = np.zeros(max(need, 2 * len(self.values)))
            grown[:self.n] = self.values[:self.n]
            self.values = grown
        self.values[self.n:need], self._m, self._t = ema(new, self.weight, self._m, self._t)
        self.n = need

    @property
    def series(self) -> np.ndarray:
        return self.values[:self.n]


class ElidedLabel(QLabel):
    """One line of plain text that asks for no width: the layout ignores its width, and text longer than the
    label is cut with an ellipsis, so that setting it never resizes the dock or the window. ``text()`` is the
    whole text, :meth:`shown_text` what fits."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(super().sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as drawn: elided at the right to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.shown_text(), self.foregroundRole())


class EventLabel(NamedTuple):
    """An event line as drawn: its record, label text, x position (in the x unit shown) and the label's height
    on the loss plot (a fraction of the plot's height, 0 at the bottom)."""

    event: EventRecord
    text: str
    x: float
    position: float
    shown: bool = True  # False where the plot has no room for the label (the line stays)


class LossView(QWidget):
    """Loss and accuracy of the run in ``model``, live or replayed, with the model's timeline cursor."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)
    compares = True  # it is given the window's comparison (cnnviz.gui.layouts.create_view)

    title = "Loss and accuracy"
    HINT = ("Faint: every minibatch; bold: smoothed; dots: test set. Point at a curve for its values; "
            "click or drag the solid line to show another step.")

    def __init__(self, model: RunModel, parent: QWidget | None = None, comparison: Comparison | None = None):
        super().__init__(parent)
        self.model = model
        # The runs drawn beside the model's (the window's; alone, none of them): made before the view connects to
        # the model, so that the compared runs have moved when the model's change reaches the view.
        self.comparison = comparison if comparison is not None else Comparison(model)
        self._runs: dict[ComparedRun, dict] = {}  # the compared runs' curves and moving averages
        self._compared_drawn: tuple | None = None  # the compared runs' steps and evaluations drawn
        self._axis = "step"  # the x axis drawn
        self._drawn: tuple[int, int, int] | None = None  # steps, evaluations and events drawn
        self._evals_drawn: tuple | None = None  # the test-set points drawn: evaluations and x axis
        self._event_lines: list[tuple[EventRecord, pg.InfiniteLine, pg.InfiniteLine]] = []

        # -- the controls row
        self.x_axis = QComboBox()
        self.x_axis.addItems(list(X_AXES))
        self.x_axis.setToolTip("What the horizontal axis counts")
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(90)
        self.smoothing.setToolTip("Weight of the exponential moving average drawn in bold (0: none)")
        self.smoothing.setMinimumWidth(60)
        self.smoothing_label = QLabel()
        self.smoothing_label.setMinimumWidth(self.smoothing_label.fontMetrics().horizontalAdvance("0.99 "))
        self.log_loss = QCheckBox("log loss")
        self.log_loss.setToolTip("Logarithmic loss axis")
        self.fit = QToolButton()
        self.fit.setText("Fit")
        self.fit.setToolTip("Back to the automatic ranges after zooming or panning")
        self.fit.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("x axis"))
        row.addWidget(self.x_axis)
        row.addSpacing(6)
        row.addWidget(QLabel("smoothing"))
        row.addWidget(self.smoothing, 1)
        row.addWidget(self.smoothing_label)
        row.addSpacing(6)
        row.addWidget(self.log_loss)
        row.addWidget(self.fit)

        # -- the plots
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        # The legend in a row of its own above the plots, so that it never hides a curve.
        self.legend = pg.LegendItem(colCount=4, labelTextColor="k", horSpacing=12, verSpacing=-6)
        self.legend.layout.setContentsMargins(0, 0, 0, 0)
        self.plots.addItem(self.legend, row=0, col=0)
        self.plots.ci.layout.setRowMaximumHeight(0, 26)
        self.loss_plot = self.plots.addPlot(row=1, col=0)
        self.accuracy_plot = self.plots.addPlot(row=2, col=0)
        self.plots.ci.layout.setRowStretchFactor(1, 1)
        self.plots.ci.layout.setRowStretchFactor(2, 1)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setPreferredHeight(200)  # the same for both: the two plots share the height evenly
        self.accuracy_plot.setXLink(self.loss_plot)
        self.grids = {}
        self._y_spacing: dict = {}  # plot -> its own y tick spacing (a short plot), or None (pyqtgraph's)
        for plot, label in ((self.loss_plot, "loss"), (self.accuracy_plot, "accuracy")):
            plot.disableAutoRange()
            plot.hideButtons()
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setLabel("left", label)
            plot.setMenuEnabled(False)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.enableAutoSIPrefix(False)
                axis.setTextPen("k")
                axis.setPen((110, 110, 110))
            grid = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(GRID_PEN, width=1), antialias=False)
            grid.setZValue(-20)
            plot.addItem(grid, ignoreBounds=True)
            self.grids[plot] = grid
            plot.getViewBox().sigRangeChanged.connect(lambda *_, p=plot: self._update_grid(p))
            plot.getViewBox().sigResized.connect(lambda *_, p=plot: self._update_grid(p))  # ticks follow the size
            plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.loss_plot.getViewBox().sigRangeChanged.connect(self._layout_event_labels)
        self.loss_plot.getViewBox().sigResized.connect(self._layout_event_labels)
        self.accuracy_plot.setYRange(-0.04, 1.04, padding=0)  # 0 and 1 inside, so their ticks are labelled
        self.accuracy_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        self.loss_plot.getViewBox().setLimits(xMin=-1)
        self.accuracy_plot.setLabel("bottom", "step")
        self.loss_plot.getAxis("bottom").setStyle(showValues=False)  # the same x as below: room for the curves

        faint = _faint
        # Curves and scatter items, created once; setData feeds them.
        self.loss_curve = self.loss_plot.plot(pen=faint(LOSS_COLOUR), **CURVE)
        self.loss_smooth = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOUR, width=2), **CURVE)
        self.test_loss = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOUR, width=1.5), symbol="o", symbolSize=6,
                                             symbolBrush=TEST_COLOUR, symbolPen=None)
        self.accuracy_curve = self.accuracy_plot.plot(pen=faint(ACCURACY_COLOUR), **CURVE)
        self.accuracy_smooth = self.accuracy_plot.plot(pen=pg.mkPen(ACCURACY_COLOUR, width=2), **CURVE)
        self.test_accuracy = self.accuracy_plot.plot(pen=pg.mkPen(TEST_COLOUR, width=1.5), symbol="o",
                                                     symbolSize=6, symbolBrush=TEST_COLOUR, symbolPen=None)
        for item, name in ((self.loss_smooth, "loss"), (self.accuracy_smooth, "accuracy"),
                           (self.test_loss, "test set")):
            self.legend.addItem(item, name)
        # The mouse position: dotted, shown only while the mouse is over a plot.
        hover_pen = pg.mkPen((120, 120, 120), width=1, style=Qt.PenStyle.DotLine)
        self.hover_lines = (pg.InfiniteLine(angle=90, pen=hover_pen), pg.InfiniteLine(angle=90, pen=hover_pen))
        # The timeline cursor (the model's step): solid, above the curves; the one on the loss plot is dragged.
        step_pen = pg.mkPen(STEP_COLOUR, width=1.5)
        self.step_lines = (pg.InfiniteLine(angle=90, pen=step_pen, movable=True,
                                           hoverPen=pg.mkPen(STEP_COLOUR, width=3)),
                           pg.InfiniteLine(angle=90, pen=step_pen))
        for plot, hover, step in zip((self.loss_plot, self.accuracy_plot), self.hover_lines, self.step_lines):
            hover.setVisible(False)
            hover.setZValue(-5)
            plot.addItem(hover, ignoreBounds=True)
            step.setVisible(False)
            step.setZValue(10)
            plot.addItem(step, ignoreBounds=True)
        self.step_lines[0].setToolTip("The step shown by every view: drag it, or click a plot")

        self.hover = ElidedLabel(self.HINT)
        self.hover.setToolTip("The values at the mouse position")

        # Compare mode: the settings that differ, run by run, and a button that takes a run out.
        self.compare_table = QTableWidget()
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.compare_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.compare_table.verticalHeader().hide()
        self.compare_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.compare_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.compare_table.setToolTip("Every setting that differs between the runs compared")
        self.remove_button = QToolButton()
        self.remove_button.setText("Remove")
        self.remove_button.setToolTip("Take the selected run out of the comparison")
        self.remove_button.setEnabled(False)
        self.compare_panel = QWidget()
        panel = QHBoxLayout(self.compare_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.addWidget(self.compare_table, 1)
        panel.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.compare_panel.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.compare_panel)
        layout.addWidget(self.hover)

        self.redraw_interval = 0.2  # seconds: a growing run is drawn at most 5 frames a second
        self._auto_range = True  # the view sets the ranges (until the user zooms or pans)
        self._x_max: float | None = None
        self._loss_range: tuple[float, float] | None = None
        self._rollbacks = 0  # the rollbacks the loss range has left out

        self._loss = _Smoothed()
        self._accuracy = _Smoothed()
        self._mouse = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.plots.scene().sigMouseClicked.connect(self._on_click)
        self.plots.installEventFilter(self)
        self.step_lines[0].sigDragged.connect(self._on_step_line_dragged)

        self.x_axis.currentIndexChanged.connect(self._rescale_x)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self.log_loss.toggled.connect(self._on_log)
        self.fit.clicked.connect(self.fit_ranges)
        self.remove_button.clicked.connect(self._remove_selected)
        self.compare_table.itemSelectionChanged.connect(self._on_table_selection)
        model.changed.connect(self._on_changed)
        self.comparison.changed.connect(self._on_compare)
        self.smoothing_label.setText(f"{self.smoothing.value() / 100:.2f}")
        self._rebuild()
        self._rebuild_compared()

    # -- state --------------------------------------------------------------------------------------------------

    @property
    def weight(self) -> float:
        return self.smoothing.value() / 100

    @property
    def by_epoch(self) -> bool:
        return self.x_axis.currentText() == "epoch"

    @property
    def axis(self) -> str:
        """What the x axis counts: one of X_AXES (step, epoch, images seen, training time)."""
        return self.x_axis.currentText()

    def x_of(self, model: RunModel, steps, axis: str | None = None) -> np.ndarray:
        """Steps of ``model``'s run as positions on the x axis (``axis``, default the one shown): the step, the
        epoch ``step / steps_per_epoch``, the images seen ``step × batch size``, or the training time in seconds
        (interpolated between the recorded steps)."""
        axis = axis or self.axis
        steps = np.asarray(steps, dtype=float)
        if axis == "epoch":
            return steps / model.steps_per_epoch
        if axis == "images seen":
            return steps * (model.start.config.batch_size if model.start is not None else 1)
        if axis == "training time":
            s, t = time_table(model)
            return np.interp(steps, s, t) if len(s) else np.zeros_like(steps)
        return steps

    def step_of_x(self, model: RunModel, x: float, axis: str | None = None) -> float:
        """The (fractional) step of ``model``'s run at x axis position ``x``: the inverse of :meth:`x_of`."""
        axis = axis or self.axis
        if axis == "epoch":
            return x * model.steps_per_epoch
        if axis == "images seen":
            return x / (model.start.config.batch_size if model.start is not None else 1)
        if axis == "training time":
            s, t = time_table(model)
            return float(np.interp(x, t, s)) if len(s) else 0.0
        return x

    def _x(self, steps: np.ndarray | float):
        return self.x_of(self.model, steps)

    def _x_of_step(self, step: float, axis: str | None = None) -> float:
        return float(self.x_of(self.model, step, axis))

    def is_auto_range(self) -> bool:
        """Whether the view sets the ranges (False after the user zoomed or panned, until "Fit")."""
        return self._auto_range

    def event_count(self) -> int:
        """How many event lines are drawn (each event of the run once)."""
        return len(self._event_lines)

    def event_labels(self) -> list[EventLabel]:
        """The event lines as drawn, in the order of the run's events."""
        return [EventLabel(event, top.label.toPlainText(), top.value(), top.label.orthoPos, top.label.isVisible())
                for event, top, _ in self._event_lines]

    # -- model changes ------------------------------------------------------------------------------------------

    def _on_changed(self, changes: frozenset) -> None:
        if "run" in changes:
            self._rebuild()
            return
        if "data" in changes:
            self._on_data()
        if "end" in changes and self.model.redraws.pending(self._draw):
            self.model.redraws.request(self._draw, at_once=True)  # the last steps, now
        if "step" in changes:
            self._place_step_lines()
            self._fill_steps()

    def _rebuild(self) -> None:
        """Everything from the model (a new run, or a view opened in the middle of one)."""
        for _, top, bottom in self._event_lines:
            self.loss_plot.removeItem(top)
            self.accuracy_plot.removeItem(bottom)
        self._event_lines.clear()
        self._loss.reset(self.weight)
        self._accuracy.reset(self.weight)
        for item in (self.loss_curve, self.loss_smooth, self.test_loss, self.accuracy_curve, self.accuracy_smooth,
                     self.test_accuracy):
            item.setData([], [])
        self._hide_hover()
        self._x_max, self._loss_range = None, None
        self._auto_range = True
        self.fit.setEnabled(False)
        self._drawn, self._evals_drawn = None, None
        self._place_step_lines()
        for items in self._runs.values():
            items["loss"].reset(self.weight)
            items["accuracy"].reset(self.weight)
        self._colour_main()
        self._fill_legend()
        self._fill_table()
        self._draw_when_shown()

    # -- compare mode -------------------------------------------------------------------------------------------

    @property
    def comparing(self) -> bool:
        """Whether other runs are drawn beside the main one."""
        return self.comparison.active

    def _on_compare(self, changes: frozenset) -> None:
        if "runs" in changes:
            self._rebuild_compared()
            return
        if "data" in changes and self._compared_counts() != self._compared_drawn:  # not for colour levels
            self._draw_when_shown()
        if "position" in changes:
            self._fill_steps()

    def _rebuild_compared(self) -> None:
        """Curves for the runs compared now (a run added or removed, or the main run changed)."""
        for items in self._runs.values():
            for name in ("loss_curve", "loss_smooth", "test_loss"):
                self.loss_plot.removeItem(items[name])
            for name in ("accuracy_curve", "accuracy_smooth", "test_accuracy"):
                self.accuracy_plot.removeItem(items[name])
        self._runs.clear()
        for run in self.comparison.runs if self.comparing else []:
            c = run.colour
            test = {"pen": pg.mkPen(c, width=1.5, style=Qt.PenStyle.DashLine), "symbol": "o", "symbolSize": 6,
                    "symbolBrush": c, "symbolPen": None}
            items = {"loss_curve": self.loss_plot.plot(pen=_faint(c), **CURVE),
                     "loss_smooth": self.loss_plot.plot(pen=pg.mkPen(c, width=2), **CURVE),
                     "test_loss": self.loss_plot.plot(**test),
                     "accuracy_curve": self.accuracy_plot.plot(pen=_faint(c), **CURVE),
                     "accuracy_smooth": self.accuracy_plot.plot(pen=pg.mkPen(c, width=2), **CURVE),
                     "test_accuracy": self.accuracy_plot.plot(**test),
                     "loss": _Smoothed(), "accuracy": _Smoothed()}
            items["loss"].reset(self.weight)
            items["accuracy"].reset(self.weight)
            self._runs[run] = items
        self._colour_main()
        self._fill_legend()
        self._fill_table()
        self._x_max, self._loss_range = None, None
        self._draw_when_shown()

    def _compared_counts(self) -> tuple:
        return tuple((run.model.n_steps, len(run.model.eval_table)) for run in self._runs)

    def run_items(self, run: ComparedRun) -> dict:
        """The curves drawn for a compared run: ``loss_curve``, ``loss_smooth``, ``test_loss``, ``accuracy_curve``,
        ``accuracy_smooth``, ``test_accuracy``."""
        return self._runs[run]

    def _colour_main(self) -> None:
        """The main run's curves: its usual colours, or one colour (with dashed test lines) while comparing."""
        comparing = bool(self._runs)
        loss, accuracy, test = (MAIN_COLOUR,) * 3 if comparing else (LOSS_COLOUR, ACCURACY_COLOUR, TEST_COLOUR)
        self.loss_curve.setPen(_faint(loss))
        self.loss_smooth.setPen(pg.mkPen(loss, width=2))
        self.accuracy_curve.setPen(_faint(accuracy))
        self.accuracy_smooth.setPen(pg.mkPen(accuracy, width=2))
        style = Qt.PenStyle.DashLine if comparing else Qt.PenStyle.SolidLine
        for item in (self.test_loss, self.test_accuracy):
            item.setPen(pg.mkPen(test, width=1.5, style=style))
            item.setSymbolBrush(test)

    def _fill_legend(self) -> None:
        """Loss, accuracy and test set; while comparing, one entry per run, named by what differs."""
        self.legend.clear()
        if self._runs:
            self.legend.setColumnCount(2)
            self.legend.addItem(self.loss_smooth, self.comparison.main_name)
            for run, items in self._runs.items():
                self.legend.addItem(items["loss_smooth"], run.name)
            rows = -(-(len(self._runs) + 1) // 2)
        else:
            self.legend.setColumnCount(4)
            for item, name in ((self.loss_smooth, "loss"), (self.accuracy_smooth, "accuracy"),
                               (self.test_loss, "test set")):
                self.legend.addItem(item, name)
            rows = 1
        self.plots.ci.layout.setRowMaximumHeight(0, 26 + 18 * (rows - 1))

    def legend_names(self) -> list[str]:
        """The legend's entries as drawn."""
        return [label.text for _, label in self.legend.items]

    def _fill_table(self) -> None:
        """The settings that differ between the runs, one row per run (the main run first)."""
        table = self.compare_table
        if not self._runs:
            self.compare_panel.hide()
            table.clear()
            table.setRowCount(0)
            return
        c = self.comparison
        keys, rows = c.differences()
        table.blockSignals(True)
        table.clear()
        table.setColumnCount(3 + len(keys))
        table.setHorizontalHeaderLabels(["run", "file", "at step", *keys])
        table.setRowCount(len(rows))
        colours = [MAIN_COLOUR] + [run.colour for run in c.runs]
        paths = [c.main.source] + [str(run.path) for run in c.runs]
        for r, (name, file, colour, values) in enumerate(zip(c.names(), c.files(), colours, rows)):
            pixmap = QPixmap(10, 10)
            pixmap.fill(QColor(*colour))
            first = QTableWidgetItem(QIcon(pixmap), ("A: " if r == 0 else "") + name)
            first.setToolTip(paths[r])
            table.setItem(r, 0, first)
            table.setItem(r, 1, QTableWidgetItem(file))
            table.setItem(r, 2, QTableWidgetItem(""))
            for k, value in enumerate(values):
                table.setItem(r, 3 + k, QTableWidgetItem(value))
        table.blockSignals(False)
        self._fit_table()
        self._fill_steps()
        self._on_table_selection()

    def _fit_table(self) -> None:
        """The table as tall as its rows (TABLE_ROWS at most) where the view has room beyond PLOTS_ROOM, shorter
        (scrolling) where it has less, and hidden where not even one row fits: the plots keep their height in a
        small window (the legend still names the runs)."""
        table = self.compare_table
        if not self._runs:
            return
        head, row = table.horizontalHeader().sizeHint().height(), table.verticalHeader().defaultSectionSize()
        frame = 2 * table.frameWidth() + 2
        full = head + min(table.rowCount(), TABLE_ROWS) * row + frame
        room = self.height() - PLOTS_ROOM
        fits = room >= head + row + frame
        if fits:
            table.setFixedHeight(min(full, room))
        if self.compare_panel.isHidden() == fits:
            self.compare_panel.setVisible(fits)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_table()

    def _fill_steps(self) -> None:
        """The "at step" column: the step each run shows (a run shorter than the cursor: its last)."""
        if not self._runs or self.compare_table.rowCount() != len(self._runs) + 1:
            return
        m = self.model
        self.compare_table.item(0, 2).setText(str(m.step))
        for r, run in enumerate(self.comparison.runs, 1):
            step = run.model.step
            note = " (its last)" if m.step > step else " (its first)" if m.step < step else ""
            self.compare_table.item(r, 2).setText(f"{step}{note}")

    def table_rows(self) -> list[list[str]]:
        """The difference table's text, row by row (the header first)."""
        t = self.compare_table
        head = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
        return [head] + [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def _on_table_selection(self) -> None:
        rows = {index.row() for index in self.compare_table.selectedIndexes()}
        self.remove_button.setEnabled(any(r >= 1 for r in rows))

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.compare_table.selectedIndexes()})
        runs = [self.comparison.runs[r - 1] for r in rows if 1 <= r <= len(self.comparison.runs)]
        for run in runs:
            self.comparison.remove(run)

    def _on_data(self) -> None:
        """Records were added: redraw, at most every ``redraw_interval`` and only when something drawn grew."""
        m = self.model
        if (m.n_steps, len(m.eval_table), len(m.events)) == self._drawn:
            return  # snapshots only: nothing of them is drawn here
        self.model.redraws.request(self._draw, self.redraw_interval)  # the last steps are drawn, a little later

    def _place_step_lines(self) -> None:
        """The timeline cursor at the model's step (no seek: only a drag or a click asks the model to move)."""
        shown = self.model.start is not None
        x = self._x_of_step(self.model.step)
        for line in self.step_lines:
            if line.isVisible() != shown:
                line.setVisible(shown)
            if line.value() != x:
                line.setPos(x)

    # -- drawing ------------------------------------------------------------------------------------------------

    def _draw_when_shown(self) -> None:
        self.model.redraws.request(self._draw)

    def _draw(self) -> None:
        """Feed the curves with what the model has (a hidden view waits until it is shown)."""
        m = self.model
        n = m.n_steps
        loss, accuracy = m.metric("loss"), m.metric("accuracy")
        self._loss.extend(loss)
        self._accuracy.extend(accuracy)
        x = self._x(m.metric("step"))
        self.loss_curve.setData(x, loss)
        self.accuracy_curve.setData(x, accuracy)
        self.loss_smooth.setData(x, self._loss.series[:n])
        self.accuracy_smooth.setData(x, self._accuracy.series[:n])
        if (len(m.eval_table), self._axis) != self._evals_drawn:  # not at every frame (docs/speed.md, the soak)
            self._draw_evals()
        self._draw_compared()
        self._draw_new_events()
        self._update_ranges()
        self._drawn = (n, len(m.eval_table), len(m.events))

    def _draw_compared(self) -> None:
        """Every compared run's curves and test-set points, on its own x positions."""
        self._compared_drawn = self._compared_counts()
        for run, items in self._runs.items():
            m = run.model
            n = m.n_steps
            loss, accuracy = m.metric("loss"), m.metric("accuracy")
            items["loss"].extend(loss)
            items["accuracy"].extend(accuracy)
            x = self.x_of(m, m.metric("step"))
            items["loss_curve"].setData(x, loss)
            items["accuracy_curve"].setData(x, accuracy)
            items["loss_smooth"].setData(x, items["loss"].series[:n])
            items["accuracy_smooth"].setData(x, items["accuracy"].series[:n])
            table = m.eval_table
            ex = self.x_of(m, table[:, 0])
            for name, column in (("test_loss", 2), ("test_accuracy", 3)):
                y = table[:, column]
                finite = np.isfinite(y)
                items[name].setData(ex[finite], y[finite])

    def _draw_evals(self) -> None:
        """The test-set points (an evaluation of a diverged network, NaN, is left out)."""
        table = self.model.eval_table
        self._evals_drawn = (len(table), self._axis)
        x = self._x(table[:, 0])
        for item, column in ((self.test_loss, 2), (self.test_accuracy, 3)):
            y = table[:, column]
            finite = np.isfinite(y)
            item.setData(x[finite], y[finite])

    def _draw_new_events(self) -> None:
        """Lines for the events not drawn yet (the model's list only grows during a run)."""
        events = self.model.events
        if len(events) <= len(self._event_lines):
            return
        for event in events[len(self._event_lines):]:
            self._add_event_line(event)
        self._layout_event_labels()

    def _add_event_line(self, event: EventRecord) -> None:
        colour, style, text = EVENT_STYLE.get(event.kind, ((100, 100, 100), Qt.PenStyle.DashLine, "{kind}"))
        pen = pg.mkPen(colour, width=1.5, style=style)
        label = text.format(value=event.value, kind=event.kind)
        x = self._x_of_step(event.step)
        top = pg.InfiniteLine(pos=x, angle=90, pen=pen, label=label,
                              labelOpts={"position": LABEL_TOP, "color": colour, "fill": (255, 255, 255, 200),
                                         "movable": False})
        bottom = pg.InfiniteLine(pos=x, angle=90, pen=pen)
        tip = f"step {event.step}: {label}" + (f"\n{event.message}" if event.message else "")
        top.setToolTip(tip)
        bottom.setToolTip(tip)
        self.loss_plot.addItem(top, ignoreBounds=True)
        self.accuracy_plot.addItem(bottom, ignoreBounds=True)
        self._event_lines.append((event, top, bottom))

    def _layout_event_labels(self, *_) -> None:
        """Stack the event labels that would overlap: from left to right, each label goes to the highest row
        where it clears the previous label by LABEL_GAP pixels. Rows go down as far as the plot's height allows;
        a label that finds no room there is hidden (its line stays, with the label as its tooltip), so that no
        two labels are ever drawn over each other, however many events are close and however small the plot.

        pyqtgraph writes a label to the right of its line in the left half of the view and to the left of it
        in the right half (so that it stays inside); the extents here follow the same rule."""
        if not self._event_lines:
            return
        vb = self.loss_plot.getViewBox()
        (x0, x1), _ = vb.viewRange()
        width, height = vb.width(), vb.height()
        if width <= 0 or height <= 0 or not x1 > x0:
            return
        scale = width / (x1 - x0)  # pixels per x unit
        middle = (x0 + x1) / 2
        pitch = (max(top.label.textItem.boundingRect().height() for _, top, _ in self._event_lines) + 1) / height
        ends = [-math.inf] * max(1, int((LABEL_TOP - 0.05) / pitch) + 1)  # per row: its last label's right end
        for _, top, _ in sorted(self._event_lines, key=lambda line: line[1].value()):
            label = top.label
            rect = label.textItem.boundingRect()
            at = top.value() * scale
            left = at if top.value() < middle else at - rect.width()
            row = next((r for r, end in enumerate(ends) if left >= end + LABEL_GAP), None)
            if row is None:  # no room left: the line without its label
                if label.isVisible():
                    label.setVisible(False)
                continue
            ends[row] = left + rect.width()
            position = LABEL_TOP - row * pitch
            if not label.isVisible():
                label.setVisible(True)
            if label.orthoPos != position:
                label.setPosition(position)

    # -- ranges and grid ----------------------------------------------------------------------------------------

    def _update_ranges(self) -> None:
        """Set the ranges if the data has left them (rarely: each change rebuilds the axes)."""
        if not self._auto_range:
            return
        models = [self.model] + [run.model for run in self._runs]
        x_max = max(self._x_end(m) for m in models)
        if x_max != self._x_max:
            self._x_max = x_max
            self.loss_plot.setXRange(0, x_max, padding=0.01)
        values = np.concatenate([v[sane_part(steps, m.events)] for m in models for steps, v in
                                 ((m.metric("step"), m.metric("loss")), (m.eval_table[:, 0], m.eval_table[:, 2]))])
        values = values[np.isfinite(values)]
        if not len(values):
            return
        top = float(values.max())
        rollbacks = sum(e.kind == "rollback" for m in models for e in m.events)
        if rollbacks != self._rollbacks:  # the range may shrink to the sane part
            self._rollbacks, self._loss_range = rollbacks, None
        if self.log_loss.isChecked():
            positive = values[values > 0]
            low = float(positive.min()) if len(positive) else top / 10
            current = self._loss_range
            if current is None or not (current[0] <= low and top <= current[1]):
                rng = (nice_floor(low * 0.8), nice_ceil(top * 1.2))
                self._loss_range = rng
                self.loss_plot.setYRange(math.log10(rng[0]), math.log10(rng[1]), padding=0)
        else:
            current = self._loss_range
            if current is None or top > current[1]:
                rng = (0.0, nice_ceil(top * 1.05))
                self._loss_range = rng
                self.loss_plot.setYRange(*rng, padding=0)

    def _x_end(self, m: RunModel) -> float:
        """The x range's end for a run: a round number of steps past its last (at most its planned steps), or of
        seconds past its last step's time."""
        if self.axis == "training time":
            seconds = float(m.metric("time")[-1]) if m.n_steps else 0.0
            return nice_ceil(max(seconds * 1.1, 1.0))
        last = float(m.metric("step")[-1]) if m.n_steps else 0.0
        total = m.start.total_steps if m.start is not None else 0
        end = nice_ceil(max(last * 1.1, 10.0))
        if total:
            end = min(end, float(total))
        return float(self.x_of(m, end))

    def fit_ranges(self) -> None:
        """Back to the automatic ranges."""
        self._auto_range = True
        self._x_max, self._loss_range = None, None
        self.fit.setEnabled(False)
        self._update_ranges()

    def _on_manual_range(self, *_) -> None:
        self._auto_range = False
        self.fit.setEnabled(True)

    def _update_grid(self, plot) -> None:
        """Light lines at the major ticks of both axes, as one path."""
        (x0, x1), (y0, y1) = plot.viewRange()
        log = plot is self.loss_plot and self.log_loss.isChecked()
        self._fit_y_ticks(plot, y0, y1, log)
        xs = self._major_ticks(plot.getAxis("bottom"), x0, x1, plot.getViewBox().width())
        ys = self._major_ticks(plot.getAxis("left"), y0, y1, plot.getViewBox().height(), log=log)
        if not len(xs) and not len(ys):
            self.grids[plot].setData([], [])
            return
        px = np.column_stack([xs, xs]).ravel()
        py = np.tile([y0, y1], len(xs))
        qx = np.tile([x0, x1], len(ys))
        qy = np.column_stack([ys, ys]).ravel()
        self.grids[plot].setData(np.concatenate([px, qx]), np.concatenate([py, qy]))

    def _fit_y_ticks(self, plot, lo: float, hi: float, log: bool) -> None:
        """A plot shorter than SHORT_PLOT: one level of y ticks at 1, 2 or 5 times a power of ten, at least
        LABEL_ROOM pixels apart (pyqtgraph always labels its first level, which overlapped); else pyqtgraph's."""
        axis, height = plot.getAxis("left"), plot.getViewBox().height()
        spacing = None
        if not log and 0 < height < SHORT_PLOT and math.isfinite(hi - lo) and hi > lo:
            count = max(2.0, min(math.log(height), height / LABEL_ROOM))  # pyqtgraph aims at log(height)
            power = 10.0 ** math.floor(math.log10((hi - lo) / count))
            spacing = next(m * power for m in (1, 2, 5, 10) if m * power * count >= (hi - lo) * (1 - 1e-9))
        if spacing != self._y_spacing.get(plot):
            self._y_spacing[plot] = spacing
            axis.setTickSpacing(levels=None if spacing is None else [(spacing, 0)])

    @staticmethod
    def _major_ticks(axis, lo: float, hi: float, size: float, log: bool = False) -> np.ndarray:
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or size <= 0:
            return np.zeros(0)
        if log:
            return np.arange(math.ceil(lo), math.floor(hi) + 1, dtype=float)
        levels = axis.tickValues(lo, hi, size)
        return np.asarray(levels[0][1] if levels else [], dtype=float)

    # -- user actions -------------------------------------------------------------------------------------------

    def _rescale_x(self) -> None:
        old, self._axis = self._axis, self.axis
        self.accuracy_plot.setLabel("bottom", X_AXES.get(self.axis, self.axis))
        for event, top, bottom in self._event_lines:
            top.setPos(self._x_of_step(event.step))
            bottom.setPos(self._x_of_step(event.step))
        if not self._auto_range and self.model.start is not None:  # keep showing the same steps
            x0, x1 = (self._x_of_step(self.step_of_x(self.model, x, old)) for x in self.loss_plot.viewRange()[0])
            if x1 > x0:
                self.loss_plot.setXRange(x0, x1, padding=0)
        self._x_max = None
        self._hide_hover()
        self._place_step_lines()
        self._layout_event_labels()
        self._draw_when_shown()

    def _on_smoothing(self, value: int) -> None:
        self.smoothing_label.setText(f"{value / 100:.2f}")
        self._loss.reset(self.weight)
        self._accuracy.reset(self.weight)
        for items in self._runs.values():
            items["loss"].reset(self.weight)
            items["accuracy"].reset(self.weight)
        self._draw_when_shown()

    def _on_log(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self._loss_range = None
        self._update_ranges()
        self._update_grid(self.loss_plot)

    def _plot_at(self, scene_pos, whole: bool = True):
        """The plot under a scene position (``whole``: with its axes; else its data area only), or None."""
        for plot in (self.loss_plot, self.accuracy_plot):
            item = plot if whole else plot.getViewBox()
            if item.sceneBoundingRect().contains(scene_pos):
                return plot
        return None

    def _on_click(self, event) -> None:
        """A click (not a drag: pyqtgraph tells them apart) on a plot's data area seeks the nearest step."""
        if event.button() != Qt.MouseButton.LeftButton or event.isAccepted() or self.model.n_steps == 0:
            return
        plot = self._plot_at(event.scenePos(), whole=False)
        if plot is None:
            return
        x = plot.getViewBox().mapSceneToView(event.scenePos()).x()
        event.accept()
        self.model.seek_soon(self._step_at(x))

    def _on_step_line_dragged(self, line: pg.InfiniteLine) -> None:
        """The user drags the timeline cursor (sigDragged comes from the mouse only, never from setPos)."""
        self.step_lines[1].setPos(line.value())
        if self.model.n_steps:
            self.model.seek_soon(self._step_at(line.value()))

    def _on_mouse(self, args) -> None:
        pos = args[0]
        plot = self._plot_at(pos)
        if plot is None or self.model.n_steps == 0:
            self._hide_hover()
            return
        x = plot.getViewBox().mapSceneToView(pos).x()
        self.hover.setText(self.describe(x))
        x_step = self._x_of_step(self._step_at(x))
        for line in self.hover_lines:
            line.setPos(x_step)
            line.setVisible(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plots and event.type() == QEvent.Type.Leave:
            self._mouse.flush()  # a move still queued must not show the line again
            self._hide_hover()
        return super().eventFilter(watched, event)

    def _hide_hover(self) -> None:
        for line in self.hover_lines:
            line.setVisible(False)
        self.hover.setText(self.HINT)

    def _step_at(self, x: float, model: RunModel | None = None) -> int:
        """The recorded step of ``model``'s run (default the main one) nearest to axis position ``x`` (the run has
        steps)."""
        model = model or self.model
        steps = model.metric("step")
        target = self.step_of_x(model, x)
        i = int(np.clip(np.searchsorted(steps, target), 0, len(steps) - 1))
        if i > 0 and abs(steps[i - 1] - target) <= abs(steps[i] - target):
            i -= 1
        return int(steps[i])

    def describe(self, x: float) -> str:
        """The text shown for the mouse at axis position ``x``: the nearest step's values and the latest
        evaluation up to it."""
        m = self.model
        if m.n_steps == 0:
            return " "
        steps = m.metric("step")
        step = self._step_at(x)
        i = int(np.searchsorted(steps, step))
        parts = [f"step {step} (epoch {step / m.steps_per_epoch:.2f})",
                 f"loss {m.metric('loss')[i]:.4f} (smoothed {self._loss.series[i]:.4f})"
                 if i < self._loss.n else f"loss {m.metric('loss')[i]:.4f}",
                 f"batch accuracy {m.metric('accuracy')[i]:.1%}",
                 f"lr {m.metric('lr')[i]:.3g}"]
        table = m.eval_table
        j = int(np.searchsorted(table[:, 0], step, side="right")) - 1
        if j >= 0:
            e_step, _, test_loss, test_accuracy, n_images = table[j]
            parts.append(f"test accuracy {test_accuracy:.2%}, test loss {test_loss:.4f} (step {int(e_step)}"
                         f"{early_note(int(n_images), m.start.n_test)})")
        for run in self._runs:
            r = run.model
            if r.n_steps:
                s = self._step_at(x, r)
                k = int(np.searchsorted(r.metric("step"), s))
                parts.append(f"· {run.name}: loss {r.metric('loss')[k]:.4f} (step {s})")
        return "   ".join(parts)
