"""A label for one line of text that may be longer than the room it has (the status bar's fields, the loss view's
readout)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """One line of plain text that asks for no width: the layout ignores its width, and text longer than the label
    is cut with "…" at the right (never drawn into its neighbours), so that setting it never resizes a dock or the
    window. ``text()`` is the whole text, also its tooltip unless ``tip`` is given; :meth:`elided` is what is drawn."""

    def __init__(self, text: str = "", parent: QWidget | None = None, tip: str | None = None):
        super().__init__(parent)
        self.tip = tip
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(super().sizeHint().height())
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        super().setText(text)
        self.setToolTip(text if self.tip is None else self.tip)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(0, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(0, super().minimumSizeHint().height())

    def elided(self) -> str:
        """The text as drawn now: elided at the right to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), self.elided(), self.foregroundRole())
