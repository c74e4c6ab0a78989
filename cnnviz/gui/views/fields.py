"""The training form's fields: a decimal box that takes what one types, a conv layer's row, spin boxes for counts
and limits, and a field with its red message line under it (:func:`with_error`). Qt widgets, no rules: the form
(:mod:`cnnviz.gui.views.controls`) asks the configuration what is wrong and shows it here.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.core import ConvSpec
from cnnviz.errors import format_number

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #8a5a00;"
MAX_INT = 2**31 - 1  # the largest value a spin box holds: epochs, batch size, intervals and limits up to it


class NumberBox(QDoubleSpinBox):
    """A decimal field that takes what one types ("-0.1", "1e-4", ".5") and shows values without trailing zeros.

    Its range is wide on purpose: the form, not the box, says what is wrong with a value (a negative learning
    rate used to become "-0." and then "0.000000"). :meth:`typed` is the number the text shows now, committed
    or not; ``valueChanged`` follows the spin box's rules (on Enter or leaving the field without keyboard
    tracking)."""

    NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
    START = re.compile(r"[+-]?\d*\.?\d*([eE][+-]?\d*)?")  # what a number can grow from: "", "-", "1e"
    LIMIT = 1e9

    def __init__(self, step: float, tip: str):
        super().__init__()
        self.setDecimals(20)  # QDoubleSpinBox rounds values to this many places
        self.setRange(-self.LIMIT, self.LIMIT)
        self.setSingleStep(step)
        self.setToolTip(tip)
        self.setCorrectionMode(QDoubleSpinBox.CorrectionMode.CorrectToPreviousValue)

    def validate(self, text: str, pos: int):
        t = text.strip()
        if self.NUMBER.fullmatch(t) and abs(float(t)) <= self.LIMIT:
            return QValidator.State.Acceptable, text, pos
        if self.START.fullmatch(t):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def valueFromText(self, text: str) -> float:
        t = text.strip()
        return float(t) if self.NUMBER.fullmatch(t) else self.value()

    def textFromValue(self, value: float) -> str:
        return format_number(value)

    def typed(self) -> float | None:
        """The number in the field now, even before Enter; None while the text is not a number ("", "-", "1e")."""
        t = self.lineEdit().text().strip()
        return float(t) if self.NUMBER.fullmatch(t) and abs(float(t)) <= self.LIMIT else None


class ConvRow:
    """The widgets of one conv layer in the form."""

    def __init__(self, spec: ConvSpec):
        self.filters = QSpinBox()
        self.filters.setRange(0, 512)
        self.filters.setValue(spec.filters)
        translate = QCoreApplication.translate
        self.filters.setToolTip(translate("ConvRow", "Number of filters K"))
        self.size = QSpinBox()
        self.size.setRange(1, 28)
        self.size.setValue(spec.size)
        self.size.setToolTip(translate("ConvRow", "Filter size m (m x m)"))
        self.padding = QComboBox()
        self.padding.addItems(["same", "valid"])
        self.padding.setCurrentText(spec.padding)
        self.padding.setToolTip(translate("ConvRow", "same: zero padding keeps the map size (notes 2.3); valid: no "
                                                     "padding (2.2)"))
        self.pooling = QComboBox()
        self.pooling.addItems(["max", "average", "none"])
        self.pooling.setCurrentText(spec.pooling)
        self.pooling.setToolTip(translate("ConvRow", "2x2 pooling with stride 2 after the ReLU"))
        self.remove = QToolButton()
        self.remove.setText("−")
        self.remove.setToolTip(translate("ConvRow", "Remove this conv layer"))
        self.name = QLabel()
        self.error = error_label()

    @property
    def widgets(self) -> list[QWidget]:
        return [self.name, self.filters, self.size, self.padding, self.pooling, self.remove, self.error]

    def spec(self) -> ConvSpec:
        return ConvSpec(self.filters.value(), self.size.value(), self.padding.currentText(),
                        self.pooling.currentText())


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form whose fields grow, and go under their labels when the dock is too narrow for both."""
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def int_box(lo: int, hi: int, tip: str) -> QSpinBox:
    """A whole-number box from ``lo`` to ``hi`` (MAX_INT: what cnnviz train takes, never clamped)."""
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setToolTip(tip)
    return box


def limit_box(tip: str) -> QSpinBox:
    """A number of images to use, 0 showing as "all"."""
    box = int_box(0, MAX_INT, tip)
    box.setSpecialValueText(QCoreApplication.translate("DataChoice", "all"))
    return box


def error_label() -> QLabel:
    """A red message line, hidden until it has something to say."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def with_error(field: QWidget, extra: QWidget | None = None, note: QLabel | None = None,
               align=None) -> tuple[QWidget, QLabel]:
    """``field`` (with ``extra`` beside it) with a red message line under it, and an optional ``note`` line under
    that: the widget to put in the form, and its message line."""
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(1)
    if align is not None:
        v.addWidget(field, 0, align)
    elif extra is not None:
        h = QHBoxLayout()
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(field, 1)
        h.addWidget(extra)
        v.addLayout(h)
    else:
        v.addWidget(field)
    error = error_label()
    v.addWidget(error)
    if note is not None:
        v.addWidget(note)
    return box, error
