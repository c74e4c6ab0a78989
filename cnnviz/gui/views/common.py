"""What the views share: colour maps, fixed colour levels, mosaics of small maps, hover, the image chooser.

Coordinates: every image is shown row-major (``axisOrder='row-major'``) in a ViewBox with y pointing down, so
pixel ``(i, j)`` of an array covers ``x`` in ``[j, j + 1)`` and ``y`` in ``[i, i + 1)``, as in the lecture's
matrices. Indices are 0-based in the code; every view writes them as the model's ``indices`` say (from 1 as the
notes count, by default: :mod:`cnnviz.gui.indices`), and its spin boxes of indices are :class:`IndexBox` es.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from cnnviz.datasets import latin_names
from cnnviz.gui.i18n import translated
from cnnviz.gui.state import USER_IMAGE

# Blue (negative), white (zero), red (positive): ColorBrewer's RdBu ends, for signed values (filters, u).
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)], name="diverging")
# Black (zero) to white (largest): for images and for the non-negative a and p.
GREY = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)], name="grey")
# What shows through a mosaic's 1-px separators (NaN is drawn transparent): a colour no map uses.
SEPARATOR = {"diverging": "#b0b0b0", "grey": "#dcdcdc"}
BACKGROUND, TEXT, AXIS = "w", "#202020", (110, 110, 110)  # like the loss view: white plots, dark text
_configured = False


def configure_pyqtgraph() -> None:
    """pyqtgraph's global options, once: row-major images (arrays show as (row, column)), antialiasing."""
    global _configured
    if not _configured:
        pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
        _configured = True


def class_names(start) -> tuple[str, ...]:
    """A run's class names as the views write them (``start`` its RunStart): the names it records, else 0, 1, ...;
    KMNIST's hiragana in romaji on a system without a Japanese font."""
    n = start.config.network.n_classes
    names = tuple(start.class_names) if start.class_names else ()
    names = names if len(names) == n else tuple(str(k) for k in range(n))
    if any(ord(c) >= 0x3000 for name in names for c in name) and \
            not QFontDatabase.families(QFontDatabase.WritingSystem.Japanese):
        names = latin_names(names)
    return names


def fmt(value: float) -> str:
    """A number as the views print it: 4 significant digits, and no negative zero (−log 1 is −0.0)."""
    return f"{value + 0.0:.4g}"


# -- mosaics: many small maps in one image ----------------------------------------------------------------------

@dataclass(frozen=True)
class MosaicLayout:
    """Where tile ``t`` of ``n`` (each ``h`` x ``w``) sits in a grid of ``rows`` x ``cols`` with ``sep``-px gaps."""

    n: int
    rows: int
    cols: int
    h: int
    w: int
    sep: int = 1

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows * (self.h + self.sep) - self.sep, self.cols * (self.w + self.sep) - self.sep)

    def origin(self, tile: int) -> tuple[int, int]:
        """Row and column of the tile's top-left pixel in the mosaic."""
        r, c = divmod(tile, self.cols)
        return r * (self.h + self.sep), c * (self.w + self.sep)

    def locate(self, x: float, y: float) -> tuple[int, int, int] | None:
        """Mosaic coordinates (x = column, y = row) -> ``(tile, i, j)``, or None on a gap or outside."""
        if not (math.isfinite(x) and math.isfinite(y)) or x < 0 or y < 0:
            return None
        col, j = divmod(int(x), self.w + self.sep)
        row, i = divmod(int(y), self.h + self.sep)
        tile = row * self.cols + col
        if i >= self.h or j >= self.w or col >= self.cols or row >= self.rows or tile >= self.n:
            return None
        return tile, i, j


def grid_cols(n: int, aspect: float = 2.0) -> int:
    """Columns for ``n`` square tiles in a grid about ``aspect`` times wider than tall, preferring no empty slot."""
    target = math.sqrt(n * aspect)
    candidates = range(max(1, math.floor(0.7 * target)), min(n, math.ceil(1.3 * target)) + 1)
    return min(candidates, key=lambda c: (-(-n // c) * c - n, abs(c - target)), default=max(1, n))


def mosaic(tiles: np.ndarray, cols: int, sep: int = 1) -> tuple[np.ndarray, MosaicLayout]:
    """Tiles (n, h, w) -> one float32 image of ``rows`` x ``cols`` tiles, gaps and empty slots NaN (transparent)."""
    n, h, w = tiles.shape
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    layout = MosaicLayout(n, rows, cols, h, w, sep)
    padded = np.full((rows * cols, h + sep, w + sep), np.nan, dtype=np.float32)
    padded[:n, :h, :w] = tiles
    image = padded.reshape(rows, cols, h + sep, w + sep).transpose(0, 2, 1, 3).reshape(rows * (h + sep), -1)
    return image[:layout.shape[0], :layout.shape[1]], layout


# -- image boxes and hover ----------------------------------------------------------------------------------------

class ImageBox:
    """A ViewBox (square pixels, y down) with one row-major ImageItem coloured by ``cmap``.

    A backdrop of the separator colour lies exactly under the image, so that NaN pixels (a mosaic's gaps)
    show as thin lines of a colour that the map does not use; a grey frame shows where a dark image ends.
    Mouse zoom and pan work; ``set`` zooms to fit only when the image changes shape, so a zoom the user
    chose survives the next frame.
    """

    def __init__(self, layout: pg.GraphicsLayout, cmap: pg.ColorMap, row: int | None = None,
                 col: int | None = None):
        self.vb = layout.addViewBox(row=row, col=col, lockAspect=True, invertY=True)
        self.vb.setDefaultPadding(0.02)
        self.backdrop = QGraphicsRectItem()
        self.backdrop.setPen(pg.mkPen(None))
        self.backdrop.setZValue(-10)
        self.vb.addItem(self.backdrop)
        self.frame = QGraphicsRectItem()  # a grey outline just outside the image: where a dark image ends
        self.frame.setPen(pg.mkPen("#909090", width=1, cosmetic=True))
        self.frame.setZValue(1)
        self.vb.addItem(self.frame)
        self.item = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.item)
        self.image: np.ndarray | None = None
        self.set_colormap(cmap)

    def set_colormap(self, cmap: pg.ColorMap) -> None:
        self.item.setColorMap(cmap)
        self.backdrop.setBrush(pg.mkBrush(SEPARATOR["grey" if cmap is GREY else "diverging"]))

    @property
    def shape(self) -> tuple[int, int] | None:
        return None if self.image is None else self.image.shape[:2]

    def set(self, image: np.ndarray, levels: tuple[float, float]) -> None:
        reshaped = self.shape != image.shape[:2]
        self.image = image  # as computed: the readouts show its values
        # Drawn clipped to the levels, which it shows the same: pyqtgraph scales in float32, and a diverging run's
        # huge values (1e34) over levels that are not yet wide overflowed, with numpy's warning on the terminal.
        with np.errstate(invalid="ignore"):
            self.item.setImage(np.clip(image, *levels), levels=levels)
        if reshaped:
            self.backdrop.setRect(0, 0, image.shape[1], image.shape[0])
            e = 0.01 * max(image.shape[:2])
            self.frame.setRect(-e, -e, image.shape[1] + 2 * e, image.shape[0] + 2 * e)
            self.frame.show()
            self.vb.autoRange(padding=0.02, items=[self.item])

    def clear(self) -> None:
        self.image = None
        self.item.clear()
        self.backdrop.setRect(0, 0, 0, 0)
        self.frame.hide()

    def pixel(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """``(row, col)`` of the image under a scene position, or None."""
        point = view_point(self.vb, scene_pos)
        if point is None or self.image is None:
            return None
        x, y = point
        if not (0 <= y < self.image.shape[0] and 0 <= x < self.image.shape[1]):
            return None
        return int(y), int(x)

    def scene_pos(self, row: float, col: float) -> QPointF:
        """The scene position of the centre of pixel (row, col) (for tests and scripted hovering)."""
        return self.vb.mapViewToScene(QPointF(col + 0.5, row + 0.5))


def view_point(vb: pg.ViewBox, scene_pos: QPointF) -> tuple[float, float] | None:
    """Scene position -> (x, y) in the ViewBox's data coordinates, or None outside the box."""
    if not vb.isVisible() or not vb.sceneBoundingRect().contains(scene_pos):
        return None
    p = vb.mapSceneToView(scene_pos)
    return p.x(), p.y()


def hover_tile(box: ImageBox, scene_pos: QPointF,
               layout: MosaicLayout | None) -> tuple[int, int, int, float] | None:
    """``(tile, row, col, value)`` under a scene position in a mosaic shown in ``box``, or None."""
    point = view_point(box.vb, scene_pos)
    if point is None or layout is None or box.image is None:
        return None
    hit = layout.locate(*point)
    if hit is None:
        return None
    tile, i, j = hit
    r0, c0 = layout.origin(tile)
    return tile, i, j, float(box.image[r0 + i, c0 + j])


def plot_widget() -> pg.GraphicsLayoutWidget:
    """A white GraphicsLayoutWidget with little margin, like the loss view's."""
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground(BACKGROUND)
    widget.ci.setContentsMargins(2, 2, 2, 2)
    return widget


def color_bar(cmap: pg.ColorMap) -> pg.ColorBarItem:
    """A colour bar that only shows the levels (the views fix them; the user does not drag them)."""
    bar = pg.ColorBarItem(colorMap=cmap, interactive=False, width=12, colorMapMenu=False)
    for name in ("left", "right"):
        axis = bar.getAxis(name)
        axis.setTextPen(TEXT)
        axis.setPen(AXIS)
    return bar


def mosaic_plot(cmap: pg.ColorMap) -> tuple[pg.GraphicsLayoutWidget, ImageBox, pg.ColorBarItem, QGraphicsRectItem]:
    """A plot of one mosaic image with its colour bar, and a hidden outline for the selected tile."""
    plot = plot_widget()
    box = ImageBox(plot.ci, cmap, row=0, col=0)
    bar = color_bar(cmap)
    plot.ci.addItem(bar, row=0, col=1)
    outline = QGraphicsRectItem()
    outline.setPen(pg.mkPen("#ffb000", width=2, cosmetic=True))
    outline.setZValue(10)
    outline.hide()
    box.vb.addItem(outline)
    return plot, box, bar, outline


def title(layout: pg.GraphicsLayout, row: int, col: int) -> pg.LabelItem:
    """A one-line title in a GraphicsLayout, legible on white."""
    return layout.addLabel("", row=row, col=col, size="9pt", color=TEXT)


def view_layout(widget: QWidget, *rows) -> QVBoxLayout:
    """The views' common frame: rows of controls and widgets, top to bottom, with small margins; a
    widget given as ``(widget, 1)`` takes the spare height."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.setSpacing(4)
    for row in rows:
        item, stretch = row if isinstance(row, tuple) else (row, 0)
        if isinstance(item, QHBoxLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item, stretch)
    return layout


def row_of(*widgets, stretch_last: bool = True) -> QHBoxLayout:
    """A row of controls; the last one (an info label) takes the spare width."""
    row = QHBoxLayout()
    row.setSpacing(6)
    for n, w in enumerate(widgets):
        row.addWidget(w, 1 if stretch_last and n == len(widgets) - 1 else 0)
    if not stretch_last:
        row.addStretch(1)
    return row


def status_label(text: str = "", lines: int = 2) -> QLabel:
    """The lines under a view where hovering writes what is under the cursor (wrapped, fixed height, and
    never widening the view); ``lines=1`` for a one-line caption."""
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(lines > 1)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    label.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 4)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


def combo_box() -> QComboBox:
    """A combo box as wide as its longest item (filled after it is shown)."""
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


def gray_pixmap(image: np.ndarray, height: int) -> QPixmap:
    """A uint8 (H, W) image as a pixmap ``height`` pixels tall (nearest neighbour, no smoothing)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = image.shape
    qimage = QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaledToHeight(height, Qt.TransformationMode.FastTransformation)


class IndexBox(QSpinBox):
    """A spin box of a 0-based index, shown as the model's ``indices`` write it: :meth:`set_range`, :meth:`index`,
    :meth:`set_index` and ``index_changed`` speak 0-based indices. When the model's setting changes, the box shows
    the same index written anew, and tells no change."""

    index_changed = Signal(int)

    def __init__(self, model, prefix: str = "", tip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.origin = model.indices.origin  # the origin of the value shown
        self.setPrefix(prefix)
        self.setToolTip(tip)
        self.valueChanged.connect(lambda shown: self.index_changed.emit(shown - self.origin))
        model.changed.connect(self._on_model)

    def index(self) -> int:
        return self.value() - self.origin

    def set_index(self, index: int) -> None:
        self._follow_origin()
        self.setValue(self.model.indices(index))

    def set_range(self, low: int, high: int) -> None:
        """Indices ``low`` to ``high`` (0-based, both included)."""
        self._follow_origin()
        self.setRange(self.model.indices(low), self.model.indices(high))

    def _on_model(self, changes) -> None:
        if "indices" in changes:
            self._follow_origin()

    def _follow_origin(self) -> None:
        """The same index, written from the model's origin (where it changed since the box last showed one)."""
        if self.model.indices.origin != self.origin:
            shift = self.model.indices.origin - self.origin
            low, high, value = self.minimum(), self.maximum(), self.value()
            self.origin = self.model.indices.origin
            blocked = self.blockSignals(True)
            self.setRange(low + shift, high + shift)
            self.setValue(value + shift)
            self.blockSignals(blocked)


# -- the selection: one test image, one layer ----------------------------------------------------------------

class LayerBox(QComboBox):
    """The conv layer of the model's selection: choosing one here chooses it in every view. ``describe(l, spec)``
    gives an item's text (default ``conv1``, ``conv2``...); where a narrow view leaves the box too little room for
    it, the box shows the layer's name alone (``conv1``), and its list the whole text."""

    def __init__(self, model, describe=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._describe = describe or (lambda l, spec: f"conv{l + 1}")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(self.tr("The conv layer (the same in every view)"))
        self.currentIndexChanged.connect(self._on_index)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.blockSignals(True)
            self.clear()
            if self.model.start is not None:
                self.addItems([self._describe(l, spec) for l, spec in enumerate(self.model.start.config.network.conv)])
            self.blockSignals(False)
        if changes & {"run", "layer"} and self.count():
            self.blockSignals(True)
            self.setCurrentIndex(min(self.model.selection.layer, self.count() - 1))
            self.blockSignals(False)

    def _on_index(self, index: int) -> None:
        if index >= 0:
            self.model.select(layer=index)

    def room(self) -> int:
        """The width in pixels that the closed box has for its text."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()

    def shown_text(self) -> str:
        """What the closed box shows: the current item's text where it fits (measured as QComboBox sizes itself,
        by the text's bounding box), else the layer's name."""
        text = self.currentText()
        fits = self.fontMetrics().boundingRect(text).width() <= self.room()
        return text if fits else f"conv{self.currentIndex() + 1}"

    def minimumSizeHint(self) -> QSize:
        """As wide as the longest layer name with the box's frame and arrow (its size hint, as wide as the longest
        item, less the difference): where a view is narrow, the box gives way first."""
        hint, metrics = self.sizeHint(), self.fontMetrics()
        longest = max((metrics.boundingRect(self.itemText(i)).width() for i in range(self.count())), default=0)
        return QSize(hint.width() - longest + metrics.boundingRect(f"conv{self.count()}").width(), hint.height())

    def showPopup(self) -> None:
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + 2 * self.view().frameWidth())
        super().showPopup()

    def paintEvent(self, event) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class ImageChooser(QWidget):
    """The test image of the model's selection: a probe (the fixed test images the run follows, "digit 7,
    #123") or any index (the spin box, when the run's test set is at hand); a thumbnail shows it. Choosing one
    here chooses it in every view."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.combo = combo_box()
        self.combo.setToolTip(self.tr("Probe images: test images the run follows, two of each class"))
        self.spin = IndexBox(model, self.tr("test #"), self.tr("Any test image by its number"))
        self.thumb = QLabel()
        self.thumb.setFixedSize(28, 28)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for w in (self.combo, self.spin, self.thumb):
            layout.addWidget(w)
        self._probes: list[int] = []
        self.combo.currentIndexChanged.connect(self._on_probe)
        self.spin.index_changed.connect(self._on_index)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    def index(self) -> int:
        return self.model.selection.image

    def _on_model(self, changes) -> None:
        m = self.model
        if changes & {"run", "indices"}:
            self.combo.blockSignals(True)
            self.spin.blockSignals(True)
            self.combo.clear()
            self._probes = []
            if m.start is not None:
                self._probes = [int(i) for i in m.start.probe_indices]
                for index, label in zip(self._probes, m.start.probe_labels):
                    self.combo.addItem(self.tr("digit {label}, #{index}").format(label=int(label),
                                                                                 index=m.indices(index)))
                whole = m.test_images is not None
                self.spin.set_range(0, max(0, len(m.test_images) - 1) if whole else 0)
                self.spin.setEnabled(whole)
                self.spin.setToolTip(self.tr("Any test image by its number") if whole else self.tr(
                    "Only the probe images are at hand (the session's test set was not found)"))
            self.combo.blockSignals(False)
            self.spin.blockSignals(False)
            self.setEnabled(m.start is not None and len(m.image_indices) > 0)
        if changes & {"run", "image", "indices"} and m.start is not None and len(m.image_indices):
            self._show(m.selection.image)

    def _on_probe(self, row: int) -> None:
        if 0 <= row < len(self._probes):
            self.model.select(image=self._probes[row])

    def _on_index(self, index: int) -> None:
        if self.model.has_image(index):
            self.model.select(image=index)

    def _show(self, index: int) -> None:
        if not self.model.has_image(index):
            return
        label = self.model.label(index)
        user = index == USER_IMAGE  # the user's drawing (the Draw view): the spin box goes down to it, if any
        drawing = self.model.has_image(USER_IMAGE)
        for w in (self.combo, self.spin):
            w.blockSignals(True)
        # Shown for an image that is not a probe.
        drawn = translated(self.model.describe_image(USER_IMAGE))  # "your drawing"
        self.combo.setPlaceholderText(drawn if user else self.tr("digit {label}").format(label=label))
        self.combo.setCurrentIndex(self._probes.index(index) if index in self._probes else -1)
        if self.spin.isEnabled():
            self.spin.setMinimum(self.model.indices(USER_IMAGE if drawing else 0))
            self.spin.setSpecialValueText(drawn if drawing else "")
            self.spin.set_index(index)
        for w in (self.combo, self.spin):
            w.blockSignals(False)
        self.thumb.setPixmap(gray_pixmap(self.model.image(index), 28))
        if user:
            tip = drawn if label is None else self.tr("your drawing, a {label}").format(label=label)
        else:
            tip = self.tr("test image #{index}, a {label}").format(index=self.model.indices(index), label=label)
        self.thumb.setToolTip(tip)
