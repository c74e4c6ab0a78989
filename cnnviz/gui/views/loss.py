"""Loss and accuracy against step or epoch: per-step minibatch values, their moving average, test evaluations.

Two linked plots: above the minibatch loss (thin) with its exponential moving average (bold) and the test
loss at each evaluation; below the minibatch accuracy the same way and the test accuracy. Events (learning
rate or momentum changed, pause, resume, error) are vertical lines labelled on the loss plot. The curves are
created once and fed with ``setData`` from preallocated arrays (clipped to the view, peak-downsampled), so a
long run draws as fast as a short one. The mouse shows the values under it.

Drawing cost is what keeps the trainer fast on a small machine, so: the view redraws at most
``redraw_interval`` apart (0.2 s) and not at all while hidden; the axis ranges are set by the view, not by
pyqtgraph's auto-range (which rebuilds both axes at every new point): the x range grows in round steps up to
the planned run, the loss range changes only when a value leaves it, accuracy is fixed to [0, 1]; and the
grid is one path of light lines at the major ticks, redrawn when a range changes (pyqtgraph's own grid
doubles the cost of a frame). Zooming or panning by hand stops the automatic ranges until "Fit" is pressed.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from cnnviz.gui.model import RunModel
from cnnviz.records import EvalRecord, EventRecord, RunStart

LOSS_COLOUR = (31, 119, 180)  # blue
ACCURACY_COLOUR = (44, 160, 44)  # green
TEST_COLOUR = (214, 39, 40)  # red
EVENT_STYLE = {  # kind -> (colour, pen style, label)
    "lr": ((148, 103, 189), Qt.PenStyle.SolidLine, "lr {value:.3g}"),
    "momentum": ((140, 86, 75), Qt.PenStyle.SolidLine, "momentum {value:.3g}"),
    "paused": ((150, 150, 150), Qt.PenStyle.DashLine, "paused"),
    "resumed": ((150, 150, 150), Qt.PenStyle.DotLine, "resumed"),
    "error": ((214, 39, 40), Qt.PenStyle.SolidLine, "error"),
}


GRID_PEN = (0, 0, 0, 38)


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


class LossView(QWidget):
    """Loss and accuracy of the run in ``model``, live or replayed."""

    title = "Loss and accuracy"
    HINT = "Faint: every minibatch; bold: smoothed; dots: test set. Point at a curve for its values."

    def __init__(self, model: RunModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._dirty = False
        self._event_lines: list[tuple[EventRecord, pg.InfiniteLine, pg.InfiniteLine]] = []

        # -- the controls row
        self.x_axis = QComboBox()
        self.x_axis.addItems(["step", "epoch"])
        self.x_axis.setToolTip("What the horizontal axis counts")
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(90)
        self.smoothing.setToolTip("Weight of the exponential moving average drawn in bold (0: none)")
        self.smoothing.setMinimumWidth(100)
        self.smoothing_label = QLabel()
        self.smoothing_label.setMinimumWidth(self.smoothing_label.fontMetrics().horizontalAdvance("0.99 "))
        self.log_loss = QCheckBox("log loss")
        self.log_loss.setToolTip("Logarithmic loss axis")
        self.fit = QPushButton("Fit")
        self.fit.setToolTip("Back to the automatic ranges after zooming or panning")
        self.fit.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("x axis"))
        row.addWidget(self.x_axis)
        row.addSpacing(12)
        row.addWidget(QLabel("smoothing"))
        row.addWidget(self.smoothing, 1)
        row.addWidget(self.smoothing_label)
        row.addSpacing(12)
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
            plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.accuracy_plot.setYRange(-0.04, 1.04, padding=0)  # 0 and 1 inside, so their ticks are labelled
        self.accuracy_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        self.loss_plot.getViewBox().setLimits(xMin=-1)
        self.accuracy_plot.setLabel("bottom", "step")
        self.loss_plot.getAxis("bottom").setStyle(showValues=False)  # the same x as below: room for the curves

        def faint(rgb):
            return pg.mkPen((*rgb, 70), width=1)

        # Curves and scatter items, created once; setData feeds them.
        kw = dict(skipFiniteCheck=True, autoDownsample=True, downsampleMethod="peak", clipToView=True)
        self.loss_curve = self.loss_plot.plot(pen=faint(LOSS_COLOUR), **kw)
        self.loss_smooth = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOUR, width=2), **kw)
        self.test_loss = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOUR, width=1.5), symbol="o", symbolSize=6,
                                             symbolBrush=TEST_COLOUR, symbolPen=None)
        self.accuracy_curve = self.accuracy_plot.plot(pen=faint(ACCURACY_COLOUR), **kw)
        self.accuracy_smooth = self.accuracy_plot.plot(pen=pg.mkPen(ACCURACY_COLOUR, width=2),
                                                       **kw)
        self.test_accuracy = self.accuracy_plot.plot(pen=pg.mkPen(TEST_COLOUR, width=1.5), symbol="o",
                                                     symbolSize=6, symbolBrush=TEST_COLOUR, symbolPen=None)
        for item, name in ((self.loss_smooth, "loss"), (self.accuracy_smooth, "accuracy"),
                           (self.test_loss, "test set")):
            self.legend.addItem(item, name)
        cursor_pen = pg.mkPen((120, 120, 120), width=1, style=Qt.PenStyle.DotLine)
        self.cursors = [pg.InfiniteLine(angle=90, pen=cursor_pen) for _ in range(2)]
        for plot, cursor in zip((self.loss_plot, self.accuracy_plot), self.cursors):
            cursor.setVisible(False)
            cursor.setZValue(-5)
            plot.addItem(cursor, ignoreBounds=True)

        self.hover = QLabel(self.HINT)
        self.hover.setTextFormat(Qt.TextFormat.PlainText)
        self.hover.setToolTip("The values at the mouse position")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.hover)

        self.redraw_interval = 0.2  # seconds: at most 5 frames a second
        self._last_draw = -math.inf
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._draw)
        self._follow = True  # the view sets the ranges (until the user zooms or pans)
        self._x_max: float | None = None
        self._loss_range: tuple[float, float] | None = None

        self._loss = _Smoothed()
        self._accuracy = _Smoothed()
        self._mouse = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)

        self.x_axis.currentIndexChanged.connect(self._rescale_x)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self.log_loss.toggled.connect(self._on_log)
        self.fit.clicked.connect(self.fit_ranges)
        model.started.connect(self._on_started)
        model.stepped.connect(self._on_stepped)
        model.evaluated.connect(self._on_evaluated)
        model.event.connect(self._on_event)
        model.ended.connect(lambda _: self._draw() if self._dirty and self.isVisible() else None)  # the last steps
        self._on_smoothing(self.smoothing.value())
        self._rebuild()

    # -- state --------------------------------------------------------------------------------------------------

    @property
    def weight(self) -> float:
        return self.smoothing.value() / 100

    @property
    def by_epoch(self) -> bool:
        return self.x_axis.currentText() == "epoch"

    def _x(self, steps: np.ndarray | float):
        return np.asarray(steps, dtype=float) / self.model.steps_per_epoch if self.by_epoch else steps

    def _x_of_step(self, step: float) -> float:
        return step / self.model.steps_per_epoch if self.by_epoch else float(step)

    # -- model signals ------------------------------------------------------------------------------------------

    def _on_started(self, start: RunStart) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        """Everything from the model (a new run, or a view opened in the middle of one)."""
        for _, a, b in self._event_lines:
            self.loss_plot.removeItem(a)
            self.accuracy_plot.removeItem(b)
        self._event_lines.clear()
        self._loss.reset(self.weight)
        self._accuracy.reset(self.weight)
        for item in (self.loss_curve, self.loss_smooth, self.test_loss, self.accuracy_curve, self.accuracy_smooth,
                     self.test_accuracy):
            item.setData([], [])
        self.hover.setText(self.HINT)
        for event in self.model.events:
            self._add_event_line(event)
        self._x_max, self._loss_range = None, None
        self._follow = True
        self.fit.setEnabled(False)
        self._dirty = True
        self._draw()

    def _on_stepped(self) -> None:
        self._dirty = True
        if not self.isVisible() or self._redraw_timer.isActive():
            return
        wait = self._last_draw + self.redraw_interval - time.monotonic()
        if wait <= 0:
            self._draw()
        else:
            self._redraw_timer.start(int(wait * 1000) + 1)  # the last steps are drawn, a little later

    def _on_evaluated(self, record: EvalRecord) -> None:
        self._draw_evals()

    def _on_event(self, event: EventRecord) -> None:
        self._add_event_line(event)

    # -- drawing ------------------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if self._dirty:
            self._draw()

    def _draw(self) -> None:
        """Feed the curves with what the model has (a hidden view waits until it is shown)."""
        self._dirty = False
        self._last_draw = time.monotonic()
        self._redraw_timer.stop()
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
        self._draw_evals()
        self._update_ranges()

    def _draw_evals(self) -> None:
        """The test-set points (an evaluation of a diverged network, NaN, is left out)."""
        evals = self.model.evals
        x = self._x(np.array([e.step for e in evals], dtype=float))
        for item, values in ((self.test_loss, [e.test_loss for e in evals]),
                             (self.test_accuracy, [e.test_accuracy for e in evals])):
            y = np.array(values, dtype=float)
            finite = np.isfinite(y)
            item.setData(x[finite], y[finite])

    # -- ranges and grid ----------------------------------------------------------------------------------------

    def _update_ranges(self) -> None:
        """Set the ranges if the data has left them (rarely: each change rebuilds the axes)."""
        if not self._follow:
            return
        m = self.model
        last = float(m.metric("step")[-1]) if m.n_steps else 0.0
        total = m.start.total_steps if m.start is not None else 0
        x_max = nice_ceil(max(last * 1.1, 10.0))
        if total:
            x_max = min(x_max, float(total))
        x_max = self._x_of_step(x_max)
        if x_max != self._x_max:
            self._x_max = x_max
            self.loss_plot.setXRange(0, x_max, padding=0.01)
        loss = m.metric("loss")
        values = [v for v in (loss.max() if len(loss) else np.nan, *(e.test_loss for e in m.evals))
                  if math.isfinite(v)]
        if not values:
            return
        top = max(values)
        if self.log_loss.isChecked():
            lows = [float(loss[loss > 0].min())] if (loss > 0).any() else []
            lows += [e.test_loss for e in m.evals if e.test_loss > 0]
            low = min(lows) if lows else top / 10
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

    def fit_ranges(self) -> None:
        """Back to the automatic ranges."""
        self._follow = True
        self._x_max, self._loss_range = None, None
        self.fit.setEnabled(False)
        self._update_ranges()

    def _on_manual_range(self, *_) -> None:
        self._follow = False
        self.fit.setEnabled(True)

    def _update_grid(self, plot) -> None:
        """Light lines at the major ticks of both axes, as one path."""
        (x0, x1), (y0, y1) = plot.viewRange()
        xs = self._major_ticks(plot.getAxis("bottom"), x0, x1, plot.getViewBox().width())
        ys = self._major_ticks(plot.getAxis("left"), y0, y1, plot.getViewBox().height(),
                               log=plot is self.loss_plot and self.log_loss.isChecked())
        if not len(xs) and not len(ys):
            self.grids[plot].setData([], [])
            return
        px = np.column_stack([xs, xs]).ravel()
        py = np.tile([y0, y1], len(xs))
        qx = np.tile([x0, x1], len(ys))
        qy = np.column_stack([ys, ys]).ravel()
        self.grids[plot].setData(np.concatenate([px, qx]), np.concatenate([py, qy]))

    @staticmethod
    def _major_ticks(axis, lo: float, hi: float, size: float, log: bool = False) -> np.ndarray:
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or size <= 0:
            return np.zeros(0)
        if log:
            return np.arange(math.ceil(lo), math.floor(hi) + 1, dtype=float)
        levels = axis.tickValues(lo, hi, size)
        return np.asarray(levels[0][1] if levels else [], dtype=float)

    def _add_event_line(self, event: EventRecord) -> None:
        colour, style, text = EVENT_STYLE.get(event.kind, ((100, 100, 100), Qt.PenStyle.DashLine, "{kind}"))
        pen = pg.mkPen(colour, width=1.5, style=style)
        label = text.format(value=event.value, kind=event.kind)
        x = self._x_of_step(event.step)
        top = pg.InfiniteLine(pos=x, angle=90, pen=pen, label=label,
                              labelOpts=dict(position=0.93, color=colour, fill=(255, 255, 255, 200), movable=False))
        bottom = pg.InfiniteLine(pos=x, angle=90, pen=pen)
        tip = f"step {event.step}: {label}" + (f"\n{event.message}" if event.message else "")
        top.setToolTip(tip)
        bottom.setToolTip(tip)
        self.loss_plot.addItem(top, ignoreBounds=True)
        self.accuracy_plot.addItem(bottom, ignoreBounds=True)
        self._event_lines.append((event, top, bottom))

    # -- user actions -------------------------------------------------------------------------------------------

    def _rescale_x(self) -> None:
        self.accuracy_plot.setLabel("bottom", self.x_axis.currentText())
        for event, top, bottom in self._event_lines:
            top.setPos(self._x_of_step(event.step))
            bottom.setPos(self._x_of_step(event.step))
        self._x_max = None
        self._draw()

    def _on_smoothing(self, value: int) -> None:
        self.smoothing_label.setText(f"{value / 100:.2f}")
        self._loss.reset(self.weight)
        self._accuracy.reset(self.weight)
        self._draw()

    def _on_log(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self._loss_range = None
        self._update_ranges()
        self._update_grid(self.loss_plot)

    def _on_mouse(self, args) -> None:
        pos = args[0]
        plot = next((p for p in (self.loss_plot, self.accuracy_plot) if p.sceneBoundingRect().contains(pos)), None)
        m = self.model
        if plot is None or m.n_steps == 0:
            for cursor in self.cursors:
                cursor.setVisible(False)
            return
        x = plot.getViewBox().mapSceneToView(pos).x()
        self.hover.setText(self.describe(x))
        step = self._step_at(x)
        for cursor in self.cursors:
            cursor.setPos(self._x_of_step(step))
            cursor.setVisible(True)

    def _step_at(self, x: float) -> int:
        """The recorded step nearest to axis position ``x``."""
        steps = self.model.metric("step")
        target = x * self.model.steps_per_epoch if self.by_epoch else x
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
        done = [e for e in m.evals if e.step <= step]
        if done:
            e = done[-1]
            parts.append(f"test accuracy {e.test_accuracy:.2%}, test loss {e.test_loss:.4f} (step {e.step})")
        return "   ".join(parts)
