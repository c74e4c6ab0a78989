"""The appendix program's own run as a reference in the loss view (the lecture notes' appendix,
:mod:`cnnviz.lecture`): the loss it printed every 10 minibatches, divided by its batch of 100 so that it is a mean
loss like the view's (:func:`cnnviz.lecture.reference_curve`, steps 10, 20, ..., 2,400), as a dashed grey curve on
the loss plot; and its accuracy on the first 1,000 test images, 97.1%, as a dashed grey line on the accuracy plot.

A checkable option ("program"), off by default and on for runs of the ``lecture`` and ``program`` presets,
whose settings are the program's. On another x axis than steps the program's steps are counted in its own terms:
epochs of 600 steps, 100 images a step, 805 s spread evenly over its 2,400 steps.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox

from cnnviz.lecture import PROGRAM, reference_curve

REFERENCE_COLOUR = (110, 110, 110)
PRESETS = ("lecture", "program")  # runs of these presets show the reference at first


def reference_x(steps: np.ndarray, axis: str) -> np.ndarray:
    """The program's ``steps`` on the loss view's x ``axis`` ("step", "epoch", "images seen", "training time")."""
    steps = np.asarray(steps, dtype=np.float64)
    scale = {"step": 1.0, "epoch": 1 / PROGRAM.steps_per_epoch, "images seen": float(PROGRAM.batch_size),
             "training time": PROGRAM.seconds / PROGRAM.steps}
    return steps * scale[axis]


class ProgramReference:
    """The program's loss curve and accuracy line on the view's two plots, and the check box that shows them."""

    def __init__(self, loss_plot: pg.PlotItem, accuracy_plot: pg.PlotItem):
        translate = QCoreApplication.translate
        self.box = QCheckBox(translate("ProgramReference", "program"))
        self.box.setToolTip(translate("ProgramReference", "The appendix program's printed loss (÷ {batch}, every "
                                      "{every} steps) and its accuracy, {accuracy:.1%} on the first {n:,} test images, "
                                      "in grey")
                            .format(batch=PROGRAM.batch_size, every=PROGRAM.print_every, accuracy=PROGRAM.accuracy,
                                    n=PROGRAM.test_images))
        pen = pg.mkPen(REFERENCE_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)
        self.curve = pg.PlotDataItem(pen=pen, name="program")
        label = translate("ProgramReference", "program {accuracy:.1%}").format(accuracy=PROGRAM.accuracy)
        self.line = pg.InfiniteLine(pos=PROGRAM.accuracy, angle=0, pen=pen, label=label,
                                    labelOpts=dict(position=0.98, color=REFERENCE_COLOUR, anchors=[(1, 0), (1, 0)]))
        loss_plot.addItem(self.curve, ignoreBounds=True)
        accuracy_plot.addItem(self.line, ignoreBounds=True)
        self._steps, self._loss = reference_curve()
        self.set_axis("step")
        self.box.toggled.connect(self._show)
        self._show(False)

    def for_run(self, preset: str | None) -> None:
        """A new run: shown where its preset is one of the program's (``preset`` None: no run)."""
        self.box.setChecked(preset in PRESETS)
        self._show(self.box.isChecked())

    def set_axis(self, axis: str) -> None:
        self.curve.setData(reference_x(self._steps, axis), self._loss)

    @property
    def shown(self) -> bool:
        return self.curve.isVisible()

    def _show(self, on: bool) -> None:
        self.curve.setVisible(on)
        self.line.setVisible(on)
