"""Small dialogs of the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnviz.errors import Text, sentence
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.fields import NumberBox
from cnnviz.records import EventRecord


class DivergedDialog(QDialog):
    """The run is paused because a loss became NaN (an "error" event) or stayed at chance after a rollback (a
    "stalled" event): roll back to a sane snapshot with a lower learning rate (:attr:`roll_back`, with the rate),
    stop the run (:attr:`stop_run`), or close and stay paused.

    Resuming with a lower learning rate alone does not work: the weights were already huge before the step whose
    loss became NaN, so every resume fails again. ``step`` is the step of the snapshot to go back to (None:
    there is none, and only stopping is offered); the rate offered is a tenth of ``lr``."""

    roll_back = Signal(float)
    stop_run = Signal()

    def __init__(self, parent: QWidget, event: EventRecord, step: int | None, lr: float):
        super().__init__(parent)
        stalled = event.kind == "stalled"
        self.setWindowTitle(self.tr("The rollback did not recover") if stalled else self.tr("The loss became NaN"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if step is None:
            advice = self.tr("No snapshot from before the run diverged is left to go back to: stop the run.")
        elif stalled:
            advice = self.tr("Roll back to step {step} again with a lower learning rate, or stop the run.").format(
                step=step)
        else:
            advice = self.tr("The weights were already growing before that step, so lowering the learning rate "
                             "alone will not help. Roll back to the parameters of step {step} (the last snapshot "
                             "whose loss was sane) and resume with a lower learning rate, or stop the run.").format(
                step=step)
        problem = event.message.values.get("problem", event.message) if isinstance(event.message, Text) else \
            event.message.split(". Roll back")[0]  # the trainer's advice is the choice offered here
        self.text = QLabel(f"{sentence(translated(problem).rstrip('.'))}\n\n{advice}")
        self.text.setWordWrap(True)
        self.lr = NumberBox(max(lr / 10, 1e-6), self.tr("The learning rate to resume with (a tenth of the one in "
                                                        "force)"))
        self.lr.setRange(1e-6, 10.0)
        self.lr.setValue(max(lr / 10, 1e-6))
        form = QFormLayout()
        form.addRow(self.tr("learning rate"), self.lr)
        buttons = QDialogButtonBox()
        self.roll_back_button = buttons.addButton(self.tr("Roll back and resume"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button = buttons.addButton(self.tr("Stop the run"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.stay_button = buttons.addButton(self.tr("Stay paused"), QDialogButtonBox.ButtonRole.RejectRole)
        self.roll_back_button.setEnabled(step is not None)
        self.lr.setEnabled(step is not None)
        self.roll_back_button.clicked.connect(lambda: (self.roll_back.emit(self.lr.value()), self.close()))
        self.stop_button.clicked.connect(lambda: (self.stop_run.emit(), self.close()))
        self.stay_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())


class ExportDialog(QDialog):
    """File > Export view: the size in pixels of the image to save (the view's content drawn at that size, not a
    screen grab). ``size`` is the default (twice the view's size on screen); a button gives 1600 x 1000."""

    SMALLEST, LARGEST = (200, 150), (8000, 8000)  # as ``cnnviz render --size``
    SLIDE = (1600, 1000)

    def __init__(self, parent: QWidget, title: str, size: tuple[int, int]):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export {view}").format(view=title))
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box, low, high, value, tip in (
                (self.width_box, self.SMALLEST[0], self.LARGEST[0], size[0],
                 self.tr("Width of the image in pixels ({low} to {high})")),
                (self.height_box, self.SMALLEST[1], self.LARGEST[1], size[1],
                 self.tr("Height of the image in pixels ({low} to {high})"))):
            box.setRange(low, high)
            box.setSuffix(" px")
            box.setValue(value)
            box.setToolTip(tip.format(low=low, high=high))
        self.twice = QPushButton(self.tr("{width} × {height} (view × 2)").format(width=size[0], height=size[1]))
        self.slide = QPushButton(self.tr("{width} × {height} (a slide)").format(width=self.SLIDE[0],
                                                                               height=self.SLIDE[1]))
        for button, value in ((self.twice, size), (self.slide, self.SLIDE)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, v=value: self.set_size(v))
        presets = QHBoxLayout()
        presets.addWidget(self.twice)
        presets.addWidget(self.slide)
        form = QFormLayout()
        form.addRow(self.tr("width"), self.width_box)
        form.addRow(self.tr("height"), self.height_box)
        form.addRow(self.tr("sizes"), presets)
        note = QLabel(self.tr("The content of the {view} view (its plots, without its controls) is drawn again at "
                              "this size.").format(view=title))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def set_size(self, size: tuple[int, int]) -> None:
        self.width_box.setValue(size[0])
        self.height_box.setValue(size[1])

    def size_chosen(self) -> tuple[int, int]:
        """(width, height) in pixels, within SMALLEST..LARGEST (the boxes refuse anything else)."""
        return self.width_box.value(), self.height_box.value()
