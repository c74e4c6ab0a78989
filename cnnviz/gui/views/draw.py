"""Draw a digit (or open an image of one) and see what the network says it is, while drawing.

The canvas is 28 x 28 pixels, shown large, a light digit on black as in MNIST. The pen is soft like MNIST's
anti-aliased strokes: a pixel whose centre lies within PEN_CORE pixels of the pen's path becomes 1, and the
value falls linearly to 0 at PEN_EDGE pixels (each stroke keeps the larger of the old and new values).
Undo (Ctrl+Z inside the view) goes back one stroke, clear or opened image at a time.

After each pen move the canvas is prepared as MNIST's images were (:func:`cnnviz.data.prepare_image`: its
bounding box scaled to fit 20 x 20, its centre of mass at the centre), stored as uint8 like every test image
(:func:`cnnviz.data.to_uint8`, so that it reaches the network through ``to_input`` as they do), and the bars
show its ten class probabilities ``softmax(u)`` from a forward pass through the timeline's snapshot (the
model's network: the numbers ``model.trace`` gives). It becomes the model's user image
(``model.set_user_image``, index ``USER_IMAGE``) and so the chosen image of every view (feature maps,
pooling, unit, ...): at most every MODEL_INTERVAL seconds while a stroke goes on and at its end, so that the
other views' redraws do not make the pen lag. An opened image (File > Open image…: PNG, JPEG, BMP of any
size, colour or grey, dark on light or light on dark) is prepared the same way and put on the canvas, where it
can be drawn on; a file that is not an image, is empty or has more than MAX_PIXELS pixels gets one sentence.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer, Signal, qInstallMessageHandler
from PySide6.QtGui import QColor, QImage, QImageReader, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import QFileDialog, QSizePolicy, QSplitter, QToolButton, QWidget

from cnnviz.data import prepare_image, to_input, to_uint8
from cnnviz.errors import QT_TRANSLATE_NOOP, Text, UserError
from cnnviz.gui.i18n import translated
from cnnviz.gui.later import later
from cnnviz.gui.state import USER_IMAGE
from cnnviz.gui.views.common import (
    AXIS,
    GREY,
    TEXT,
    ImageBox,
    plot_widget,
    row_of,
    status_label,
    title,
    view_layout,
)

SIZE = 28  # the canvas: SIZE x SIZE pixels
PEN_CORE, PEN_EDGE = 0.9, 2.1  # the pen: 1 within PEN_CORE pixels of its path, falling linearly to 0 at PEN_EDGE
UNDO_DEPTH = 100  # canvases kept for undo
MODEL_INTERVAL = 0.2  # seconds: while a stroke goes on, the other views get the drawing at most this often
MAX_PIXELS = 40_000_000  # an image file larger than this is refused before it is decoded
IMAGE_FILTER = QT_TRANSLATE_NOOP("DrawView", "Images (*.png *.jpg *.jpeg *.bmp);;All files (*)")
GUESS, OTHER = "#2166ac", "#a0a8b4"  # the most probable class's bar, the others


class ImageFileError(UserError):
    """An image file that cannot be used; str() is one sentence naming the file and what is wrong (English, for the
    command line; its :class:`~cnnviz.errors.Text`, ``args[0]``, is what the window translates)."""


def refusal(template: str, **values) -> ImageFileError:
    """An ImageFileError whose sentence is ``template`` (marked with ``QT_TRANSLATE_NOOP("ImageFile", ...)``)."""
    return ImageFileError(Text("ImageFile", template, **values))


def no_digit(path: str | Path) -> ImageFileError:
    return refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} shows no digit: every pixel has the background's colour."),
                   path=path)


def read_image_file(path: str | Path) -> np.ndarray:
    """The pixels of an image file (PNG, JPEG, BMP, or whatever Qt's image plugins read): (H, W) grey, or
    (H, W, 3) RGB, or (H, W, 4) RGBA where it has transparency; uint8. ImageFileError for a file that does not
    exist, is empty, is not an image, or has more than MAX_PIXELS pixels (checked before it is decoded)."""
    path = Path(path)
    if not path.is_file():
        raise refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} does not exist or is not a file."), path=path)
    if path.stat().st_size == 0:
        raise refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} is empty (0 bytes), not an image."), path=path)
    said: list[str] = []  # what Qt's image plugins say meanwhile (libjpeg warns about a broken JPEG): kept
    previous = qInstallMessageHandler(lambda _kind, _context, text: said.append(text))  # for the message
    try:
        image = _decode(path, QImageReader(str(path)))
    finally:
        qInstallMessageHandler(previous)
    if image is None:
        why = said[-1].rstrip(".") if said else Text("ImageFile", QT_TRANSLATE_NOOP("ImageFile", "its data cannot be "
                                                                                                  "decoded"))
        raise refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} cannot be read as an image ({why})."), path=path, why=why)
    grey, alpha = image.isGrayscale() and not image.hasAlphaChannel(), image.hasAlphaChannel()
    fmt = QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGBA8888
    image = image.convertToFormat(fmt)
    h, w, depth = image.height(), image.width(), 1 if grey else 4
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    pixels = pixels.reshape(h, image.bytesPerLine())[:, :w * depth].reshape(h, w, depth)
    if grey:
        return pixels[:, :, 0].copy()
    return pixels.copy() if alpha else pixels[:, :, :3].copy()


def _decode(path: Path, reader: QImageReader) -> QImage | None:
    """The image ``reader`` reads, None where it cannot be decoded; ImageFileError where it is not an image or
    has more than MAX_PIXELS pixels (the size its header gives is checked before the pixels are decoded)."""
    reader.setAutoTransform(True)  # a photo's EXIF orientation
    if not reader.canRead():
        raise refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} is not an image that can be read (PNG, JPEG or BMP)."),
                      path=path)
    _check_size(path, reader.size())
    image = reader.read()
    if image.isNull():
        return None
    _check_size(path, image.size())  # where the header gave no size
    return image


def _check_size(path: Path, size) -> None:
    if size.isValid() and size.width() * size.height() > MAX_PIXELS:
        raise refusal(QT_TRANSLATE_NOOP("ImageFile", "{path} is too large: {width} × {height} pixels, more than {mp} "
                                                     "megapixels."),
                      path=path, width=size.width(), height=size.height(), mp=MAX_PIXELS // 1_000_000)


def pen_stroke(image: np.ndarray, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Draw the pen from ``start`` to ``end`` ((x, y) in pixels: pixel (i, j) covers x in [j, j + 1) and y in
    [i, i + 1)) into ``image`` in place: value ``clip((PEN_EDGE - d) / (PEN_EDGE - PEN_CORE), 0, 1)`` where ``d``
    is the distance from the pixel's centre to the segment, kept where it is larger than the old value."""
    h, w = image.shape
    (x0, y0), (x1, y1) = start, end
    cy, cx = np.mgrid[0:h, 0:w].astype(np.float32) + 0.5
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = np.clip(((cx - x0) * dx + (cy - y0) * dy) / length2, 0.0, 1.0) if length2 > 0 else 0.0
    d = np.hypot(cx - (x0 + t * dx), cy - (y0 + t * dy))
    np.maximum(image, np.clip((PEN_EDGE - d) / (PEN_EDGE - PEN_CORE), 0.0, 1.0), out=image)


class Canvas(QWidget):
    """A SIZE x SIZE image drawn with the mouse, shown as large as the widget allows (square pixels, black
    background, a faint 20 x 20 box in the middle where MNIST's digits fit). ``image`` (float32, in [0, 1])
    holds it; ``changed`` fires after each change (a pen move, clear, undo, a new image)."""

    changed = Signal()
    stroke_ended = Signal()  # the mouse button was released

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.image = np.zeros((SIZE, SIZE), dtype=np.float32)
        self.undo_stack: list[np.ndarray] = []
        self._last: tuple[float, float] | None = None  # where the pen is while a stroke goes on
        self.setMinimumSize(4 * SIZE, 4 * SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMouseTracking(True)  # moves reach us with or without a button; a stroke is ours to track
        self.setToolTip(self.tr("Draw a digit with the mouse (left button); Ctrl+Z undoes a stroke"))

    def is_empty(self) -> bool:
        return not self.image.any()

    @property
    def drawing(self) -> bool:
        """Whether a stroke goes on (the mouse button is down)."""
        return self._last is not None

    # -- geometry ---------------------------------------------------------------------------------------------

    def pixel_rect(self) -> QRectF:
        """Where the image is drawn in the widget: the largest square of whole pixels (each ``s`` x ``s`` screen
        pixels) that fits, centred."""
        side = SIZE * max(1, (min(self.width(), self.height()) - 2) // SIZE)
        return QRectF((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def to_image(self, pos: QPointF) -> tuple[float, float]:
        """A widget position -> (x, y) in image pixels."""
        r = self.pixel_rect()
        return (pos.x() - r.x()) * SIZE / r.width(), (pos.y() - r.y()) * SIZE / r.height()

    def to_widget(self, x: float, y: float) -> QPointF:
        """(x, y) in image pixels -> a widget position (for tests and scripted drawing)."""
        r = self.pixel_rect()
        return QPointF(r.x() + x * r.width() / SIZE, r.y() + y * r.height() / SIZE)

    # -- editing ------------------------------------------------------------------------------------------------

    def _remember(self) -> None:
        """The canvas as it is now, for undo."""
        self.undo_stack.append(self.image.copy())
        del self.undo_stack[:-UNDO_DEPTH]

    def stroke(self, points) -> None:
        """Draw one stroke through ``points`` ((x, y) in image pixels), as the mouse would (one undo step)."""
        points = list(points)
        self._remember()
        for a, b in zip(points, points[1:] or points):
            pen_stroke(self.image, a, b)
        self._changed()

    def clear(self) -> None:
        if not self.is_empty():
            self._remember()
            self.image = np.zeros_like(self.image)
            self._changed()

    def undo(self) -> bool:
        """Back to the canvas before the last stroke, clear or new image; False if there is nothing to undo."""
        if not self.undo_stack:
            return False
        self.image = self.undo_stack.pop()
        self._changed()
        return True

    def set_image(self, image: np.ndarray) -> None:
        """Replace the canvas (an opened image, prepared); one undo step."""
        self._remember()
        self.image = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0).reshape(SIZE, SIZE).copy()
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()

    # -- the mouse ----------------------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._remember()
        self._last = self.to_image(event.position())
        pen_stroke(self.image, self._last, self._last)
        self._changed()
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._last is None:
            return super().mouseMoveEvent(event)
        point = self.to_image(event.position())
        if math.dist(point, self._last) < 0.05:  # less than a twentieth of a pixel: nothing new to draw
            return
        pen_stroke(self.image, self._last, point)
        self._last = point
        self._changed()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._last is not None:
            point = self.to_image(event.position())
            if math.dist(point, self._last) >= 0.05:
                pen_stroke(self.image, self._last, point)
                self._changed()
            self._last = None
            event.accept()
            self.stroke_ended.emit()
            return
        super().mouseReleaseEvent(event)

    # -- painting -----------------------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        r = self.pixel_rect()
        scale = int(r.width()) // SIZE
        grey = to_uint8(self.image).astype(np.uint32)
        argb = (0xFF000000 | grey << 16 | grey << 8 | grey).repeat(scale, axis=0).repeat(scale, axis=1)
        side = SIZE * scale  # drawn unscaled (a scaled drawImage of 28 x 28 pixels costs several ms)
        qimage = QImage(argb.data, side, side, 4 * side, QImage.Format.Format_RGB32)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.drawImage(r.topLeft(), qimage)
        pen = QPen(QColor(90, 90, 90))
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        box = r.width() * 20 / SIZE  # MNIST's 20 x 20 box
        painter.drawRect(QRectF(r.center().x() - box / 2, r.center().y() - box / 2, box, box))
        painter.setPen(QPen(QColor("#909090")))
        painter.drawRect(r.adjusted(-1, -1, 0, 0))
        painter.end()


class DrawView(QWidget):
    """A canvas to draw a digit on, what the network sees (the canvas prepared as MNIST's images were) and its
    ten class probabilities at the timeline's snapshot. The drawing is the model's user image and selection.

    Each pen move updates this view at once: the canvas is prepared and the bars are a forward pass of it with
    the shown snapshot's network (``model.network``, the parameters ``model.trace`` uses). The model, and so
    every other view, gets the drawing at most every MODEL_INTERVAL seconds while a stroke goes on, and at its
    end (the other views' redraws would otherwise make the pen lag); a clear, undo or opened image goes to the
    model at once."""

    open_requested = Signal()  # the "Open image…" button: the window shows its file dialog (File > Open image…)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.canvas = Canvas()
        self.undo_button = QToolButton(text=self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke (Ctrl+Z)"))
        self.clear_button = QToolButton(text=self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the canvas (undo brings it back)"))
        self.open_button = QToolButton(text=self.tr("Open image…"))
        self.open_button.setToolTip(self.tr("Open a PNG, JPEG or BMP image of a digit (File > Open image…, Ctrl+I)"))
        self.info = status_label(lines=1)
        top = row_of(self.undo_button, self.clear_button, self.open_button, self.info)

        # Right: the prepared image (what the network sees) above the ten probabilities.
        self.side = plot_widget()
        self.side.setMinimumWidth(150)
        self.input_title = title(self.side.ci, row=0, col=0)
        self.input_title.setText(self.tr("network input"))
        self.input_box = ImageBox(self.side.ci, GREY, row=1, col=0)
        self.input_box.vb.setMouseEnabled(False, False)
        self.input_box.vb.setMenuEnabled(False)
        self.guess_title = title(self.side.ci, row=2, col=0)
        self.bar_plot = self.side.ci.addPlot(row=3, col=0)
        self.bar_plot.setMouseEnabled(False, False)
        self.bar_plot.hideButtons()
        self.bar_plot.setMenuEnabled(False)
        self.bar_plot.setYRange(0, 1, padding=0.02)
        for name in ("left", "bottom"):
            axis = self.bar_plot.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setTextPen(TEXT)
            axis.setPen(AXIS)
        self.bar_plot.setLabel("left", self.tr("probability"), color=TEXT)
        self.bar_plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0, 0.5, 1)], [(0.25, ""), (0.75, "")]])
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=OTHER)
        self.bar_plot.addItem(self.bars)
        self._set_classes(10)
        self.side.ci.layout.setRowStretchFactor(1, 2)
        self.side.ci.layout.setRowStretchFactor(3, 4)

        self.split = split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.side)
        split.setStretchFactor(0, 1)  # the canvas is square: what is left of its width goes to the bars
        split.setStretchFactor(1, 1)
        split.setSizes([250, 250])
        self.status = status_label()
        view_layout(self, top, (split, 1), self.status)

        self.probabilities: np.ndarray | None = None  # shown in the bars: of the prepared drawing, or None
        self.prepared: np.ndarray | None = None  # the canvas prepared (float32), or None while it is empty
        self._pending = False  # an update is due on the next turn of the event loop
        self._pushed_at = -math.inf  # when the model last got the drawing
        self._push_timer = QTimer(self)  # the model's next turn while a stroke goes on
        self._push_timer.setSingleShot(True)
        self._push_timer.timeout.connect(self._push)
        self._guess = ""
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.canvas.undo)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.open_button.clicked.connect(self.open_requested)
        self.canvas.changed.connect(self._schedule)
        self.canvas.stroke_ended.connect(self._push)
        model.changed.connect(self._on_model)
        user = model.user_image
        if user is not None and user.shape == (SIZE, SIZE):  # a second Draw view (an export): the same drawing
            self.canvas.image = user.astype(np.float32) / 255
            self._show(self.canvas.image.copy())
        else:
            self._show(None)

    # -- the drawing to the bars and the model ------------------------------------------------------------------

    def _schedule(self) -> None:
        """Update on the next turn of the event loop, once for all the pen moves that arrived until then."""
        self.undo_button.setEnabled(bool(self.canvas.undo_stack))
        if not self._pending:
            self._pending = True
            later(self, self._update)

    def _update(self) -> None:
        """Prepare the canvas, show it and its probabilities; the model gets it now, or soon while drawing."""
        self._pending = False
        self._show(prepare_image(self.canvas.image) if not self.canvas.is_empty() else None)
        if self.prepared is None:
            self._push_timer.stop()
            self.model.clear_user_image()
        elif not self.canvas.drawing:
            self._push()
        elif not self._push_timer.isActive():
            wait = self._pushed_at + MODEL_INTERVAL - time.monotonic()
            self._push_timer.start(int(1000 * max(0.0, wait)))

    def _show(self, prepared: np.ndarray | None) -> None:
        """Show the prepared canvas (None: an empty one) and its probabilities."""
        self.prepared = prepared
        self.undo_button.setEnabled(bool(self.canvas.undo_stack))
        self.clear_button.setEnabled(not self.canvas.is_empty())
        shown = np.zeros((SIZE, SIZE), dtype=np.uint8) if prepared is None else to_uint8(prepared)
        self.input_box.set(shown, (0, 255))  # black while empty: the layout stays
        self._show_probabilities()

    def _push(self) -> None:
        """Make the prepared drawing the model's user image and selection (every view shows it)."""
        self._push_timer.stop()
        if self._pending:  # the stroke ended before its last moves were shown
            self._update()
            return
        if self.prepared is not None:
            self._pushed_at = time.monotonic()
            image = to_uint8(self.prepared)
            if not (self.model.user_image is not None and np.array_equal(self.model.user_image, image)
                    and self.model.selection.image == USER_IMAGE):
                self.model.set_user_image(image)

    def load_image(self, path: str | Path) -> None:
        """Open an image file, prepare it and put it on the canvas (ImageFileError, one sentence, if it cannot
        be used; then nothing changes)."""
        pixels = read_image_file(path)
        try:
            prepared = prepare_image(pixels)
        except ValueError:
            raise no_digit(path) from None
        self.canvas.set_image(prepared)
        self._update()  # at once: the opened image is the selection when this returns

    def flush(self) -> None:
        """Bring the bars and the model up to date now (they otherwise follow on the next turns of the event
        loop)."""
        if self._pending:
            self._update()
        if self._push_timer.isActive():
            self._push()

    # -- the bars -----------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        if changes & {"run", "snapshot"}:
            self.model.redraws.request(self._show_probabilities)

    def forward(self, image: np.ndarray) -> np.ndarray | None:
        """The class probabilities of a uint8 image through the shown snapshot's network (what ``model.trace``
        computes for it), or None without a snapshot or for an image of another size."""
        m = self.model
        if m.snapshot() is None or m.network is None or image.shape != tuple(m.network.config.input_shape[1:]):
            return None
        with np.errstate(all="ignore"):  # a diverging run's parameters overflow: NaN, shown as such
            return m.network.forward(to_input(image[None], m.network.dtype)).probs[0]

    def _set_classes(self, n: int) -> None:
        self.bars.setOpts(x=np.arange(n), height=np.zeros(n), width=0.7, brushes=[OTHER] * n)
        self.bar_plot.setXRange(-0.6, n - 0.4, padding=0)
        self.bar_plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(n)]])

    def _say_guess(self, text: str) -> None:
        if text != self._guess:  # a LabelItem's setText costs a layout pass
            self._guess = text
            self.guess_title.setText(text)

    def _show_probabilities(self) -> None:
        """Bars of the prepared drawing's class probabilities through the timeline's snapshot."""
        m = self.model
        probs = None if self.prepared is None else self.forward(to_uint8(self.prepared))
        self.probabilities = probs
        if probs is None:
            n = len(self.bars.opts["x"])
            self.bars.setOpts(height=np.zeros(n), brushes=[OTHER] * n)
            self._say_guess("")
            self.info.setText("")
            if self.prepared is None:
                self.status.setText(self.tr("Draw a digit on the black square with the mouse, or open an image. It "
                                            "is prepared like MNIST's: scaled to fit 20×20, centred by its mass."))
            else:
                self.status.setText(self.tr("No network yet: start a run or open a session to see what it says."))
            return
        n, guess = len(probs), int(np.nan_to_num(probs, nan=-1).argmax())
        if len(self.bars.opts["x"]) != n:
            self._set_classes(n)
        self.bars.setOpts(height=np.nan_to_num(probs), brushes=[GUESS if k == guess else OTHER for k in range(n)])
        step = m.snapshot().step
        self._say_guess(self.tr("a {guess}?  ({percent:.0f}%)").format(guess=guess, percent=100 * probs[guess]))
        self.info.setText(self.tr("step {step}").format(step=step))
        others = np.argsort(np.nan_to_num(probs, nan=-1))[::-1][1:3]
        self.status.setText(self.tr("Step {step}: {guess} with probability {p:.3f}, then {others}. Every view shows "
                                    "this drawing.").format(step=step, guess=guess, p=probs[guess],
                                                            others=", ".join(f"{k}: {probs[k]:.3f}" for k in others)))

    def guess_text(self) -> str:
        """The line above the bars as shown."""
        return self._guess


# -- File > Open image… in the window ------------------------------------------------------------------------------

def open_image_dialog(window) -> bool:
    """The window's File > Open image… (Ctrl+I): choose a file, then :func:`open_image_in`."""
    translate = QCoreApplication.translate
    path, _ = QFileDialog.getOpenFileName(window, translate("DrawView", "Open an image of a digit"), "",
                                          translate("DrawView", IMAGE_FILTER))
    return bool(path) and open_image_in(window, path)


def open_image_in(window, path: str | Path) -> bool:
    """Open an image file in the window's Draw view and show that view; a file that cannot be used gets one
    sentence in a message box (``window.show_message``) and changes nothing. Whether it was opened."""
    try:
        window.views["draw"].load_image(path)
    except ImageFileError as exc:
        window.show_message(QCoreApplication.translate("DrawView", "Cannot open the image"), translated(exc.args[0]))
        return False
    dock = window.docks["draw"]
    dock.show()
    dock.raise_()
    return True


def draw_image_file(widget, model, path: str | Path) -> None:
    """``cnnviz render --draw IMAGE``: an image file on the Draw view's canvas, the chosen image of every view.
    ``widget`` is the window (its Draw view is raised), a Draw view, or another view (the image goes straight
    to ``model``). ImageFileError (one sentence) where the file cannot be used."""
    views = getattr(widget, "views", None)
    if isinstance(views, dict) and "draw" in views:
        views["draw"].load_image(path)
        widget.docks["draw"].raise_()
    elif isinstance(widget, DrawView):
        widget.load_image(path)
    else:
        pixels = read_image_file(path)
        try:
            model.set_user_image(prepare_image(pixels))
        except ValueError:
            raise no_digit(path) from None
