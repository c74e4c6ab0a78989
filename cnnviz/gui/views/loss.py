"""Loss and accuracy against step, epoch, images seen or training time: per-step minibatch values, their moving
average, test evaluations; in compare mode every compared run's too, each in its own colour.

Two linked plots: above the minibatch loss (thin) with its exponential moving average (bold) and the test
loss at each evaluation; below the minibatch accuracy the same way and the test accuracy. Events are vertical
lines labelled on the loss plot (:mod:`.loss_events`). The curves are created once and fed with ``setData`` from
preallocated arrays (clipped to the view, peak-downsampled), so a long run draws as fast as a short one.

The timeline cursor (the model's step) is a solid vertical line on both plots: clicking a plot moves it to the
recorded step nearest the click, and the line on the loss plot can be dragged. The mouse shows the values under
it in a dotted line and in the one-line readout below the plots (elided, so that it never widens the dock).

Drawing cost is what keeps the trainer fast on a small machine, so: the view redraws at most
``redraw_interval`` apart (0.2 s) and not at all while hidden; the axis ranges are set by the view, not by
pyqtgraph's auto-range (which rebuilds both axes at every new point): the x range grows in round steps up to
the planned run, the loss range changes only when a value leaves it, accuracy is fixed to [0, 1]; and the
grid is one path (:mod:`.loss_grid`). Zooming or panning by hand stops the automatic ranges until "Fit" is pressed.

The x axis ("x axis") counts steps, epochs (``step / steps_per_epoch``), images seen (``step × batch size``) or the
training time in seconds (pauses excluded; between two recorded steps interpolated), each run by its own: runs with
different batch sizes meet at the same number of images seen.

Compare mode (the window's :class:`~cnnviz.gui.compare.Comparison` has other runs): the main run's curves take one
colour (blue) and every compared run's theirs (orange, cyan, ...), its test-set dots too, on a dashed line; the
legend names each run by what differs in its configuration, and a small table under the plots lists every setting
that differs, run by run (:mod:`.loss_compare`).

"program" draws the lecture appendix program's printed loss and its 97.1% in grey (:mod:`.loss_reference`;
on at first for the ``lecture`` and ``program`` presets' runs).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from cnnviz.gui.i18n import translated
from cnnviz.gui.compare import MAIN_COLOUR, ComparedRun, Comparison
from cnnviz.gui.labels import ElidedLabel
from cnnviz.gui.model import RunModel
from cnnviz.gui.views.loss_compare import CompareTable
from cnnviz.gui.views.loss_events import EventLabel, EventLines
from cnnviz.gui.views.loss_plots import Grid, faint, run_curves
from cnnviz.gui.views.loss_reference import ProgramReference
from cnnviz.gui.views.loss_series import X_AXES, Smoothed, loss_range, loss_values, step_of_x, x_end, x_of
from cnnviz.training import early_note

LOSS_COLOUR = (31, 119, 180)  # blue
ACCURACY_COLOUR = (44, 160, 44)  # green
TEST_COLOUR = (214, 39, 40)  # red
STEP_COLOUR = (40, 40, 40)  # the timeline cursor: near black, solid
PLOTS_ROOM = 240  # pixels of the view kept for the controls, legend, plots and readout before the table gets any


class LossView(QWidget):
    """Loss and accuracy of the run in ``model``, live or replayed, with the model's timeline cursor."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)
    compares = True  # it is given the window's comparison (cnnviz.gui.layouts.create_view)

    title = "Loss and accuracy"
    HINT = QT_TRANSLATE_NOOP("LossView", "Faint: every minibatch; bold: smoothed; dots: test set. Point at a curve "
                                         "for its values; click or drag the solid line to show another step.")

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

        # -- the controls row
        self.x_axis = QComboBox()
        for key in X_AXES:  # each axis by its key (what the code and the remembered choice name), in words shown
            self.x_axis.addItem(self.tr(key), key)
        self.x_axis.setToolTip(self.tr("What the horizontal axis counts"))
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(90)
        self.smoothing.setToolTip(self.tr("Weight of the exponential moving average drawn in bold (0: none)"))
        self.smoothing.setMinimumWidth(60)
        self.smoothing_label = QLabel()
        self.smoothing_label.setMinimumWidth(self.smoothing_label.fontMetrics().horizontalAdvance("0.99 "))
        self.log_loss = QCheckBox(self.tr("log loss"))
        self.log_loss.setToolTip(self.tr("Logarithmic loss axis"))
        self.fit = QToolButton()
        self.fit.setText(self.tr("Fit"))
        self.fit.setToolTip(self.tr("Back to the automatic ranges after zooming or panning"))
        self.fit.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("x axis")))
        row.addWidget(self.x_axis)
        row.addSpacing(6)
        row.addWidget(QLabel(self.tr("smoothing")))
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
        self.event_lines = EventLines(self.loss_plot, self.accuracy_plot)
        self.reference = ProgramReference(self.loss_plot, self.accuracy_plot)
        self.grids = {}
        for plot, label in ((self.loss_plot, self.tr("loss")), (self.accuracy_plot, self.tr("accuracy"))):
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
            self.grids[plot] = Grid(plot, lambda p=plot: p is self.loss_plot and self.log_loss.isChecked())
            plot.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.accuracy_plot.setYRange(-0.04, 1.04, padding=0)  # 0 and 1 inside, so their ticks are labelled
        self.accuracy_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        self.loss_plot.getViewBox().setLimits(xMin=-1)
        self.accuracy_plot.setLabel("bottom", self.tr(X_AXES["step"]))
        self.loss_plot.getAxis("bottom").setStyle(showValues=False)  # the same x as below: room for the curves

        main = run_curves(self.loss_plot, self.accuracy_plot, LOSS_COLOUR, ACCURACY_COLOUR, TEST_COLOUR)
        self.loss_curve, self.loss_smooth, self.test_loss = main["loss_curve"], main["loss_smooth"], main["test_loss"]
        self.accuracy_curve, self.accuracy_smooth = main["accuracy_curve"], main["accuracy_smooth"]
        self.test_accuracy = main["test_accuracy"]
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
        self.step_lines[0].setToolTip(self.tr("The step shown by every view: drag it, or click a plot"))

        self.hover = ElidedLabel(self.tr(self.HINT), tip=self.tr("The values at the mouse position"))

        self.compare_panel = CompareTable(self.comparison)  # compare mode: the settings that differ, run by run
        self.compare_table, self.remove_button = self.compare_panel.table, self.compare_panel.remove_button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.compare_panel)
        bottom = QHBoxLayout()  # the readout, and at its end the program's run (the controls row is full)
        bottom.addWidget(self.hover, 1)
        bottom.addWidget(self.reference.box)
        layout.addLayout(bottom)

        self.redraw_interval = 0.2  # seconds: a growing run is drawn at most 5 frames a second
        self._auto_range = True  # the view sets the ranges (until the user zooms or pans)
        self._x_max: float | None = None
        self._loss_range: tuple[float, float] | None = None
        self._rollbacks = 0  # the rollbacks the loss range has left out

        self._loss = Smoothed()
        self._accuracy = Smoothed()
        self._mouse = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.plots.scene().sigMouseClicked.connect(self._on_click)
        self.plots.installEventFilter(self)
        self.step_lines[0].sigDragged.connect(self._on_step_line_dragged)

        self.x_axis.currentIndexChanged.connect(self._rescale_x)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self.log_loss.toggled.connect(self._on_log)
        self.fit.clicked.connect(self.fit_ranges)
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
        return self.axis == "epoch"

    @property
    def axis(self) -> str:
        """What the x axis counts: one of X_AXES (step, epoch, images seen, training time)."""
        return self.x_axis.currentData()

    def x_of(self, model: RunModel, steps, axis: str | None = None) -> np.ndarray:
        """Steps of ``model``'s run as positions on the x axis (``axis``, default the one shown): :func:`x_of`."""
        return x_of(model, steps, axis or self.axis)

    def step_of_x(self, model: RunModel, x: float, axis: str | None = None) -> float:
        """The (fractional) step of ``model``'s run at x axis position ``x``: :func:`step_of_x`."""
        return step_of_x(model, x, axis or self.axis)

    def _x(self, steps: np.ndarray | float):
        return self.x_of(self.model, steps)

    def _x_of_step(self, step: float, axis: str | None = None) -> float:
        return float(self.x_of(self.model, step, axis))

    def is_auto_range(self) -> bool:
        """Whether the view sets the ranges (False after the user zoomed or panned, until "Fit")."""
        return self._auto_range

    def event_count(self) -> int:
        """How many event lines are drawn (each event of the run once)."""
        return len(self.event_lines)

    def event_labels(self) -> list[EventLabel]:
        """The event lines as drawn, in the order of the run's events."""
        return self.event_lines.labels()

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
            self.compare_panel.fill_steps()

    def _rebuild(self) -> None:
        """Everything from the model (a new run, or a view opened in the middle of one)."""
        self.reference.for_run(self.model.start.config.preset if self.model.start is not None else None)
        self.event_lines.clear()
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
        self.compare_panel.fill(self.height() - PLOTS_ROOM)
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
            self.compare_panel.fill_steps()

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
            items = run_curves(self.loss_plot, self.accuracy_plot, c, c, c, dashed=True)
            self._runs[run] = {**items, "loss": Smoothed(self.weight), "accuracy": Smoothed(self.weight)}
        self._colour_main()
        self._fill_legend()
        self.compare_panel.fill(self.height() - PLOTS_ROOM)
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
        self.loss_curve.setPen(faint(loss))
        self.loss_smooth.setPen(pg.mkPen(loss, width=2))
        self.accuracy_curve.setPen(faint(accuracy))
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
            for item, name in ((self.loss_smooth, self.tr("loss")), (self.accuracy_smooth, self.tr("accuracy")),
                               (self.test_loss, self.tr("test set"))):
                self.legend.addItem(item, name)
            rows = 1
        self.plots.ci.layout.setRowMaximumHeight(0, 26 + 18 * (rows - 1))

    def legend_names(self) -> list[str]:
        """The legend's entries as drawn."""
        return [label.text for _, label in self.legend.items]

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self.compare_panel.fit(self.height() - PLOTS_ROOM)  # the plots keep PLOTS_ROOM pixels before the table

    def table_rows(self) -> list[list[str]]:
        """The difference table's text, row by row (the header first)."""
        return self.compare_panel.rows()

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
        self.event_lines.extend(m.events, self._x_of_step)
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

    # -- ranges and grid ----------------------------------------------------------------------------------------

    def _update_ranges(self) -> None:
        """Set the ranges if the data has left them (rarely: each change rebuilds the axes)."""
        if not self._auto_range:
            return
        models = [self.model] + [run.model for run in self._runs]
        x_max = max(x_end(m, self.axis) for m in models)
        if x_max != self._x_max:
            self._x_max = x_max
            self.loss_plot.setXRange(0, x_max, padding=0.01)
        values = loss_values(models)
        if not len(values):
            return
        rollbacks = sum(e.kind == "rollback" for m in models for e in m.events)
        if rollbacks != self._rollbacks:  # the range may shrink to the sane part
            self._rollbacks, self._loss_range = rollbacks, None
        log = self.log_loss.isChecked()
        rng = loss_range(values, log, self._loss_range)
        if rng != self._loss_range:
            self._loss_range = rng
            self.loss_plot.setYRange(*((math.log10(rng[0]), math.log10(rng[1])) if log else rng), padding=0)

    def fit_ranges(self) -> None:
        """Back to the automatic ranges."""
        self._auto_range = True
        self._x_max, self._loss_range = None, None
        self.fit.setEnabled(False)
        self._update_ranges()

    def _on_manual_range(self, *_) -> None:
        self._auto_range = False
        self.fit.setEnabled(True)

    # -- user actions -------------------------------------------------------------------------------------------

    def _rescale_x(self) -> None:
        old, self._axis = self._axis, self.axis
        self.accuracy_plot.setLabel("bottom", self.tr(X_AXES[self.axis]))
        self.event_lines.move(self._x_of_step)
        self.reference.set_axis(self.axis)
        if not self._auto_range and self.model.start is not None:  # keep showing the same steps
            x0, x1 = (self._x_of_step(self.step_of_x(self.model, x, old)) for x in self.loss_plot.viewRange()[0])
            if x1 > x0:
                self.loss_plot.setXRange(x0, x1, padding=0)
        self._x_max = None
        self._hide_hover()
        self._place_step_lines()
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
        self.grids[self.loss_plot].update_lines()

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
        self.hover.setText(self.tr(self.HINT))

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
        loss = m.metric("loss")[i]
        parts = [self.tr("step {step} (epoch {epoch:.2f})").format(step=step, epoch=step / m.steps_per_epoch),
                 self.tr("loss {loss:.4f} (smoothed {smoothed:.4f})").format(loss=loss, smoothed=self._loss.series[i])
                 if i < self._loss.n else self.tr("loss {loss:.4f}").format(loss=loss),
                 self.tr("batch accuracy {accuracy:.1%}").format(accuracy=m.metric("accuracy")[i]),
                 self.tr("lr {lr:.3g}").format(lr=m.metric("lr")[i])]
        table = m.eval_table
        j = int(np.searchsorted(table[:, 0], step, side="right")) - 1
        if j >= 0:
            e_step, _, test_loss, test_accuracy, n_images = table[j]
            parts.append(self.tr("test accuracy {accuracy:.2%}, test loss {loss:.4f} (step {step}{early})").format(
                accuracy=test_accuracy, loss=test_loss, step=int(e_step),
                early=translated(early_note(int(n_images), m.start.n_test))))
        for run in self._runs:
            r = run.model
            if r.n_steps:
                s = self._step_at(x, r)
                k = int(np.searchsorted(r.metric("step"), s))
                parts.append(self.tr("· {run}: loss {loss:.4f} (step {step})").format(
                    run=run.name, loss=r.metric("loss")[k], step=s))
        return "   ".join(parts)
