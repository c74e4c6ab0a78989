"""The loss view's event lines: the run's events (learning rate or momentum changed, pause, resume, rollback, error,
stall) as vertical lines on the loss and accuracy plots, labelled on the loss plot, the labels laid out so that they
never print over each other."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from cnnviz.gui.i18n import translated
from cnnviz.records import EventRecord

EVENT_STYLE = {  # kind -> (colour, pen style, label: translated where it is drawn)
    "lr": ((148, 103, 189), Qt.PenStyle.SolidLine, QT_TRANSLATE_NOOP("EventLines", "lr {value:.3g}")),
    "momentum": ((140, 86, 75), Qt.PenStyle.SolidLine, QT_TRANSLATE_NOOP("EventLines", "momentum {value:.3g}")),
    "paused": ((150, 150, 150), Qt.PenStyle.DashLine, QT_TRANSLATE_NOOP("EventLines", "paused")),
    "resumed": ((150, 150, 150), Qt.PenStyle.DotLine, QT_TRANSLATE_NOOP("EventLines", "resumed")),
    "rollback": ((214, 39, 40), Qt.PenStyle.DashLine, QT_TRANSLATE_NOOP("EventLines", "back to step {value:.0f}")),
    "error": ((214, 39, 40), Qt.PenStyle.SolidLine, QT_TRANSLATE_NOOP("EventLines", "error")),
    "stalled": ((214, 39, 40), Qt.PenStyle.DotLine,
                QT_TRANSLATE_NOOP("EventLines", "at chance since step {value:.0f}")),
}
LABEL_TOP = 0.93  # the event labels' highest position, as a fraction of the loss plot's height
LABEL_GAP = 4.0  # pixels between two event labels side by side at the same height



class EventLabel(NamedTuple):
    """An event line as drawn: its record, label text, x position (in the x unit shown) and the label's height
    on the loss plot (a fraction of the plot's height, 0 at the bottom)."""

    event: EventRecord
    text: str
    x: float
    position: float
    shown: bool = True  # False where the plot has no room for the label (the line stays)


class EventLines:
    """The lines of a run's events on ``loss_plot`` (labelled) and ``accuracy_plot``, each event once, in the run's
    order: :attr:`lines` holds (event, line on the loss plot, line on the accuracy plot)."""

    def __init__(self, loss_plot: pg.PlotItem, accuracy_plot: pg.PlotItem):
        self.loss_plot, self.accuracy_plot = loss_plot, accuracy_plot
        self.lines: list[tuple[EventRecord, pg.InfiniteLine, pg.InfiniteLine]] = []
        loss_plot.getViewBox().sigRangeChanged.connect(self.layout)
        loss_plot.getViewBox().sigResized.connect(self.layout)

    def __len__(self) -> int:
        return len(self.lines)

    def clear(self) -> None:
        for _, top, bottom in self.lines:
            self.loss_plot.removeItem(top)
            self.accuracy_plot.removeItem(bottom)
        self.lines.clear()

    def extend(self, events: list[EventRecord], x_of_step: Callable[[float], float]) -> None:
        """Lines for the events not drawn yet (a run's list of events only grows), at ``x_of_step(event.step)``."""
        if len(events) <= len(self.lines):
            return
        for event in events[len(self.lines):]:
            self._add(event, x_of_step(event.step))
        self.layout()

    def move(self, x_of_step: Callable[[float], float]) -> None:
        """Every line to ``x_of_step(event.step)`` (another x axis)."""
        for event, top, bottom in self.lines:
            top.setPos(x_of_step(event.step))
            bottom.setPos(x_of_step(event.step))
        self.layout()

    def labels(self) -> list[EventLabel]:
        """The event lines as drawn, in the order of the run's events."""
        return [EventLabel(event, top.label.toPlainText(), top.value(), top.label.orthoPos, top.label.isVisible())
                for event, top, _ in self.lines]

    def _add(self, event: EventRecord, x: float) -> None:
        colour, style, text = EVENT_STYLE.get(event.kind, ((100, 100, 100), Qt.PenStyle.DashLine, "{kind}"))
        pen = pg.mkPen(colour, width=1.5, style=style)
        label = QCoreApplication.translate("EventLines", text).format(value=event.value, kind=event.kind)
        top = pg.InfiniteLine(pos=x, angle=90, pen=pen, label=label,
                              labelOpts={"position": LABEL_TOP, "color": colour, "fill": (255, 255, 255, 200),
                                         "movable": False})
        bottom = pg.InfiniteLine(pos=x, angle=90, pen=pen)
        tip = QCoreApplication.translate("EventLines", "step {step}: {event}").format(step=event.step, event=label)
        tip += f"\n{translated(event.message)}" if event.message else ""
        top.setToolTip(tip)
        bottom.setToolTip(tip)
        self.loss_plot.addItem(top, ignoreBounds=True)
        self.accuracy_plot.addItem(bottom, ignoreBounds=True)
        self.lines.append((event, top, bottom))

    def layout(self, *_) -> None:
        """Stack the event labels that would overlap: from left to right, each label goes to the highest row
        where it clears the previous label by LABEL_GAP pixels. Rows go down as far as the plot's height allows;
        a label that finds no room there is hidden (its line stays, with the label as its tooltip), so that no
        two labels are ever drawn over each other, however many events are close and however small the plot.

        pyqtgraph writes a label to the right of its line in the left half of the view and to the left of it
        in the right half (so that it stays inside); the extents here follow the same rule."""
        if not self.lines:
            return
        vb = self.loss_plot.getViewBox()
        (x0, x1), _ = vb.viewRange()
        width, height = vb.width(), vb.height()
        if width <= 0 or height <= 0 or not x1 > x0:
            return
        scale = width / (x1 - x0)  # pixels per x unit
        middle = (x0 + x1) / 2
        pitch = (max(top.label.textItem.boundingRect().height() for _, top, _ in self.lines) + 1) / height
        ends = [-math.inf] * max(1, int((LABEL_TOP - 0.05) / pitch) + 1)  # per row: its last label's right end
        for _, top, _ in sorted(self.lines, key=lambda line: line[1].value()):
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
