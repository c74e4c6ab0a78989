"""Export a view as a PNG: its content (its plots, without its controls and caption) drawn at a chosen size.

A new view of the same class is made on the same model (the same run, step and selection), given the choices made
in the shown view's controls and the same text size, and laid out offscreen so that its content has the size
asked for (File > Export view as PNG).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from cnnviz.gui import textsize
from cnnviz.gui.dialogs import ExportDialog
from cnnviz.gui.layouts import create_view


def copy_choices(source: QWidget, target: QWidget) -> None:
    """Give ``target`` (a new view of ``source``'s class) the choices made in ``source``'s own controls: combo
    boxes, check boxes, sliders, spin boxes, in the order the view creates them."""
    kinds = (QComboBox, QAbstractButton, QAbstractSlider, QAbstractSpinBox, QLineEdit)
    pairs = zip([w for w in source.findChildren(QWidget) if isinstance(w, kinds)],
                [w for w in target.findChildren(QWidget) if isinstance(w, kinds)], strict=False)
    for a, b in pairs:
        if type(a) is not type(b):
            break
        if isinstance(a, QComboBox):
            b.setCurrentIndex(a.currentIndex())
        elif isinstance(a, QAbstractButton):
            if a.isCheckable():
                b.setChecked(a.isChecked())
        elif isinstance(a, QAbstractSlider):
            b.setValue(a.value())
        elif isinstance(a, QLineEdit):
            b.setText(a.text())
        elif hasattr(a, "value") and hasattr(b, "setValue"):
            b.setValue(a.value())


def content_rect(view: QWidget) -> QRect:
    """The part of a view that shows its content: the union of its plots (pyqtgraph GraphicsViews), without its
    controls and its caption; the whole view where it has no plot (the form)."""
    rect = QRect()
    for plot in view.findChildren(pg.GraphicsView):
        if plot.isVisible():
            rect = rect.united(QRect(plot.mapTo(view, plot.rect().topLeft()), plot.size()))
    return rect if rect.isValid() else view.rect()


def export_size(view: QWidget) -> tuple[int, int]:
    """The export's default size: twice the view's content as it is on screen, within the dialog's limits."""
    rect = content_rect(view)
    return (min(max(2 * rect.width(), ExportDialog.SMALLEST[0]), ExportDialog.LARGEST[0]),
            min(max(2 * rect.height(), ExportDialog.SMALLEST[1]), ExportDialog.LARGEST[1]))


def render_view(source: QWidget, model, size: tuple[int, int], text_scale: float) -> QPixmap:
    """The content of the view ``source`` drawn at ``size`` pixels: a new view of its class on ``model``, with
    ``source``'s choices and the text at ``text_scale``, laid out offscreen so that its content has that size."""
    width, height = size
    view = create_view(type(source), model, getattr(source, "comparison", None))
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    try:
        copy_choices(source, view)
        textsize.scale_widget(view, text_scale)
        view.resize(width, height)
        view.show()
        for _ in range(2):
            rect = content_rect(view)
            view.resize(view.width() + width - rect.width(), view.height() + height - rect.height())
            for _ in range(3):  # layouts settle, the view draws
                QApplication.processEvents()
        pixmap = view.grab(content_rect(view))
    finally:
        view.close()
        shiboken6.delete(view)
    if (pixmap.width(), pixmap.height()) != (width, height):  # a view that cannot be laid out that small
        pixmap = pixmap.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
    return pixmap


def save_png(pixmap: QPixmap, path: str | Path) -> Path:
    """Write ``pixmap`` to ``path`` as a PNG; the path (OSError where it cannot be written)."""
    path = Path(path)
    if not pixmap.save(str(path), "PNG"):
        raise OSError(QCoreApplication.translate("Export", "cannot write {path}").format(path=path))
    return path


def save_shown(widget: QWidget, path: str | Path) -> Path:
    """What ``widget`` (a view, or the window) shows as a PNG (:func:`save_png`), after the redraws it waits for
    (its model's :class:`~cnnviz.gui.redraws.Redraws`)."""
    redraws = getattr(getattr(widget, "model", None), "redraws", None)
    if redraws is not None:
        redraws.catch_up(widget)
        redraws.flush()
    return save_png(widget.grab(), path)
