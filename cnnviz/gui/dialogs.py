"""Small dialogs of the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QVBoxLayout, QWidget


class DivergedDialog(QDialog):
    """A loss became NaN and the run is paused: roll back to the last sane snapshot with a lower learning rate
    (:attr:`roll_back`, with the rate), stop the run (:attr:`stop_run`), or close and stay paused.

    Resuming with a lower learning rate alone does not work: the weights were already huge before the step whose
    loss became NaN, so every resume fails again. ``step`` is the step of the snapshot to go back to (None:
    there is none, and only stopping is offered)."""

    roll_back = Signal(float)
    stop_run = Signal()

    def __init__(self, parent: QWidget, message: str, step: int | None, lr: float):
        super().__init__(parent)
        self.setWindowTitle("The loss became NaN")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if step is None:
            advice = "No snapshot from before the run diverged is left to go back to: stop the run."
        else:
            advice = (f"The weights were already growing before that step, so lowering the learning rate alone "
                      f"will not help. Roll back to the parameters of step {step} (the last snapshot whose loss "
                      "was sane) and resume with a lower learning rate, or stop the run.")
        problem = message.split(". Roll back")[0].rstrip(".")  # the trainer's advice is the choice offered here
        self.text = QLabel(f"{problem[:1].upper()}{problem[1:]}.\n\n{advice}")
        self.text.setWordWrap(True)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(6)
        self.lr.setRange(1e-6, 10.0)
        self.lr.setSingleStep(max(lr / 10, 1e-6))
        self.lr.setValue(max(lr / 10, 1e-6))
        self.lr.setToolTip("The learning rate to resume with (a tenth of the one that diverged)")
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
