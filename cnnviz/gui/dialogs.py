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
        self.setWindowTitle("The rollback did not recover" if stalled else "The loss became NaN")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if step is None:
            advice = "No snapshot from before the run diverged is left to go back to: stop the run."
        elif stalled:
            advice = f"Roll back to step {step} again with a lower learning rate, or stop the run."
        else:
            advice = (f"The weights were already growing before that step, so lowering the learning rate alone "
                      f"will not help. Roll back to the parameters of step {step} (the last snapshot whose loss "
                      "was sane) and resume with a lower learning rate, or stop the run.")
        problem = event.message.split(". Roll back")[0].rstrip(".")  # the trainer's advice is the choice offered here
        self.text = QLabel(f"{problem[:1].upper()}{problem[1:]}.\n\n{advice}")
        self.text.setWordWrap(True)
        self.lr = NumberBox(max(lr / 10, 1e-6), "The learning rate to resume with (a tenth of the one in force)")
        self.lr.setRange(1e-6, 10.0)
        self.lr.setValue(max(lr / 10, 1e-6))
        form = QFormLayout()
        form.addRow("learning rate", self.lr)
        buttons = QDialogButtonBox()
        self.roll_back_button = buttons.addButton("Roll back and resume", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button = buttons.addButton("Stop the run", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.stay_button = buttons.addButton("Stay paused", QDialogButtonBox.ButtonRole.RejectRole)
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
        self.setWindowTitle(f"Export {title}")
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box, low, high, value, name in ((self.width_box, self.SMALLEST[0], self.LARGEST[0], size[0], "Width"),
                                            (self.height_box, self.SMALLEST[1], self.LARGEST[1], size[1], "Height")):
            box.setRange(low, high)
            box.setSuffix(" px")
            box.setValue(value)
            box.setToolTip(f"{name} of the image in pixels ({low} to {high})")
        self.twice = QPushButton(f"{size[0]} × {size[1]} (view × 2)")
        self.slide = QPushButton(f"{self.SLIDE[0]} × {self.SLIDE[1]} (a slide)")
        for button, value in ((self.twice, size), (self.slide, self.SLIDE)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, v=value: self.set_size(v))
        presets = QHBoxLayout()
        presets.addWidget(self.twice)
        presets.addWidget(self.slide)
        form = QFormLayout()
        form.addRow("width", self.width_box)
        form.addRow("height", self.height_box)
        form.addRow("sizes", presets)
        note = QLabel(f"The content of the {title} view (its plots, without its controls) is drawn again at this "
                      "size.")
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
