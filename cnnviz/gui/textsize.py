"""The size of the window's text: View > Larger text / Smaller text and the presentation mode.

One factor scales every font of the window: the Qt widgets' (through the window's font, which its children
inherit), and the pyqtgraph items', which do not inherit it: axis ticks (``AxisItem.setTickFont``), axis labels
(their CSS ``font-size``) and titles (``LabelItem``'s ``size``). The captions under the views are QLabels of a
fixed height (:func:`cnnviz.gui.views.common.status_label`): their height follows the font, keeping their number
of lines. Each item's own size at factor 1 is remembered on the item, so scaling is never compounded.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QWidget

STEP = 1.15  # one press of Larger text
SMALLEST, LARGEST = 0.7, 3.0
PRESENTATION = 1.4  # the presentation mode's factor (at least)
_BASE = "_cnnviz_base"  # the attribute that keeps an item's size at factor 1


def clamp(scale: float) -> float:
    """``scale`` within [SMALLEST, LARGEST], rounded to 3 decimals (so that steps up and down meet again)."""
    return round(min(max(float(scale), SMALLEST), LARGEST), 3)


def larger(scale: float) -> float:
    return clamp(scale * STEP)


def smaller(scale: float) -> float:
    return clamp(scale / STEP)


def base_point_size() -> float:
    """The application font's point size (the size of the text at factor 1)."""
    size = QApplication.font().pointSizeF()
    return size if size > 0 else 9.0


def scaled_font(scale: float) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(base_point_size() * scale)
    return font


def _points(text: str | None, default: float) -> float:
    match = re.fullmatch(r"\s*([\d.]+)\s*pt\s*", text or "")
    return float(match[1]) if match else default


def scale_scene(view: pg.GraphicsView, scale: float) -> None:
    """Scale the text of the pyqtgraph items of one GraphicsView (a PlotWidget, a GraphicsLayoutWidget)."""
    base = base_point_size()
    tick_font = scaled_font(scale)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setTickFont(tick_font)
            style = item.labelStyle
            if not hasattr(item, _BASE):
                setattr(item, _BASE, _points(style.get("font-size"), base))
            style["font-size"] = f"{getattr(item, _BASE) * scale:.1f}pt"
            item._updateLabel()
        elif isinstance(item, pg.LabelItem):
            if not hasattr(item, _BASE):
                setattr(item, _BASE, _points(item.opts.get("size"), base))
            item.setText(item.text, size=f"{getattr(item, _BASE) * scale:.1f}pt")


def scale_widget(widget: QWidget, scale: float) -> None:
    """Scale the text of ``widget`` (a view) and everything in it: its font (which its Qt children inherit), its
    pyqtgraph items, and the height of its fixed-height captions."""
    widget.setFont(scaled_font(scale))
    views = [widget] if isinstance(widget, pg.GraphicsView) else []
    views += widget.findChildren(pg.GraphicsView)
    for view in views:
        scale_scene(view, scale)
    for label in widget.findChildren(QLabel):
        if label.minimumHeight() != label.maximumHeight() or label.maximumHeight() <= 0 \
                or not label.pixmap().isNull():
            continue  # only the fixed-height captions (not images)
        if not hasattr(label, _BASE):
            spacing = QFontMetrics(scaled_font(1.0)).lineSpacing()
            setattr(label, _BASE, max(1, round((label.maximumHeight() - 4) / spacing)))
        label.setFixedHeight(getattr(label, _BASE) * QFontMetrics(scaled_font(scale)).lineSpacing() + 4)
