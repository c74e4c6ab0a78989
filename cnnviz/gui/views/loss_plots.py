"""The loss view's plot items: a run's curves (:func:`run_curves`), and the grid (:class:`Grid`): light lines at the
major ticks of a plot's axes, as one path redrawn when the plot's range or size changes (pyqtgraph's own grid doubled
the cost of a frame), and a short plot's own y ticks."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

# The per-step curves: only the steps in view, and of those the highest and lowest in each pixel column (pyqtgraph's
# default keeps five columns' worth a pixel: five times the line segments, the loss view's painting grew with the
# run until it stalled the GUI thread: docs/speed.md, the soak).
CURVE = {"skipFiniteCheck": True, "autoDownsample": True, "autoDownsampleFactor": 1.0, "downsampleMethod": "peak",
         "clipToView": True}
GRID_PEN = (0, 0, 0, 38)
SHORT_PLOT = 120  # pixels: a plot this short gets y ticks of its own (pyqtgraph's labels overlapped at 1024x700)
LABEL_ROOM = 20  # pixels between two y tick labels of a short plot at least


def faint(rgb) -> pg.QtGui.QPen:
    """The pen of a run's per-step values: thin and light."""
    return pg.mkPen((*rgb, 70), width=1)


def run_curves(loss_plot: pg.PlotItem, accuracy_plot: pg.PlotItem, loss, accuracy, test, dashed: bool = False) -> dict:
    """A run's items, created once and fed with ``setData``: ``loss_curve`` (every step, faint), ``loss_smooth`` (its
    moving average, bold) and ``test_loss`` (the test set's points on a line, dashed where ``dashed``: a compared
    run), and the same of the accuracy, in colours ``loss``, ``accuracy`` and ``test``."""
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    points = {"pen": pg.mkPen(test, width=1.5, style=style), "symbol": "o", "symbolSize": 6, "symbolBrush": test,
              "symbolPen": None}
    return {"loss_curve": loss_plot.plot(pen=faint(loss), **CURVE),
            "loss_smooth": loss_plot.plot(pen=pg.mkPen(loss, width=2), **CURVE),
            "test_loss": loss_plot.plot(**points),
            "accuracy_curve": accuracy_plot.plot(pen=faint(accuracy), **CURVE),
            "accuracy_smooth": accuracy_plot.plot(pen=pg.mkPen(accuracy, width=2), **CURVE),
            "test_accuracy": accuracy_plot.plot(**points)}


class Grid(pg.PlotCurveItem):
    """The grid of ``plot``, whose y axis is logarithmic while ``log()`` says so."""

    def __init__(self, plot: pg.PlotItem, log: Callable[[], bool]):
        super().__init__(connect="pairs", pen=pg.mkPen(GRID_PEN, width=1), antialias=False)
        self.plot, self.log = plot, log
        self._y_spacing: float | None = None  # the short plot's own y tick spacing, or None (pyqtgraph's)
        self.setZValue(-20)
        plot.addItem(self, ignoreBounds=True)
        plot.getViewBox().sigRangeChanged.connect(self.update_lines)
        plot.getViewBox().sigResized.connect(self.update_lines)  # the ticks follow the size

    def update_lines(self, *_) -> None:
        """Light lines at the major ticks of both axes, as one path."""
        plot = self.plot
        (x0, x1), (y0, y1) = plot.viewRange()
        log = self.log()
        self._fit_y_ticks(y0, y1, log)
        xs = self._major_ticks(plot.getAxis("bottom"), x0, x1, plot.getViewBox().width())
        ys = self._major_ticks(plot.getAxis("left"), y0, y1, plot.getViewBox().height(), log=log)
        if not len(xs) and not len(ys):
            self.setData([], [])
            return
        px = np.column_stack([xs, xs]).ravel()
        py = np.tile([y0, y1], len(xs))
        qx = np.tile([x0, x1], len(ys))
        qy = np.column_stack([ys, ys]).ravel()
        self.setData(np.concatenate([px, qx]), np.concatenate([py, qy]))

    def _fit_y_ticks(self, lo: float, hi: float, log: bool) -> None:
        """A plot shorter than SHORT_PLOT: one level of y ticks at 1, 2 or 5 times a power of ten, at least
        LABEL_ROOM pixels apart (pyqtgraph always labels its first level, which overlapped); else pyqtgraph's."""
        axis, height = self.plot.getAxis("left"), self.plot.getViewBox().height()
        spacing = None
        if not log and 0 < height < SHORT_PLOT and math.isfinite(hi - lo) and hi > lo:
            count = max(2.0, min(math.log(height), height / LABEL_ROOM))  # pyqtgraph aims at log(height)
            power = 10.0 ** math.floor(math.log10((hi - lo) / count))
            spacing = next(m * power for m in (1, 2, 5, 10) if m * power * count >= (hi - lo) * (1 - 1e-9))
        if spacing != self._y_spacing:
            self._y_spacing = spacing
            axis.setTickSpacing(levels=None if spacing is None else [(spacing, 0)])

    @staticmethod
    def _major_ticks(axis, lo: float, hi: float, size: float, log: bool = False) -> np.ndarray:
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or size <= 0:
            return np.zeros(0)
        if log:
            return np.arange(math.ceil(lo), math.floor(hi) + 1, dtype=float)
        levels = axis.tickValues(lo, hi, size)
        return np.asarray(levels[0][1] if levels else [], dtype=float)
