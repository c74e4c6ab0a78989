"""What the views share: colour maps, fixed colour levels, mosaics of small maps, hover, the image chooser.

Coordinates: every image is shown row-major (``axisOrder='row-major'``) in a ViewBox with y pointing down, so
pixel ``(i, j)`` of an array covers ``x`` in ``[j, j + 1)`` and ``y`` in ``[i, i + 1)``, as in the lecture's
matrices. Indices shown to the user are 0-based, as in the code (the notes count from 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnviz.data import to_input

# Blue (negative), white (zero), red (positive): ColorBrewer's RdBu ends, for signed values (filters, u).
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)], name="diverging")
# Black (zero) to white (largest): for images and for the non-negative a and p.
GREY = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)], name="grey")
# What shows through a mosaic's 1-px separators (NaN is drawn transparent): a colour no map uses.
SEPARATOR = {"diverging": "#b0b0b0", "grey": "#dcdcdc"}
BACKGROUND, TEXT, AXIS = "w", "#202020", (110, 110, 110)  # like the loss view: white plots, dark text
FLOOR = 1e-6  # the smallest level, so that an all-zero map still has a valid colour range
# Feature-map levels follow this percentile of a layer's values (not the maximum), so that a few extreme
# pixels do not dim all the others; the few above it show in the top colour, and hover gives every value.
PERCENTILE = 99.5


def robust_peak(values: np.ndarray) -> float:
    """The PERCENTILE-th percentile of ``values`` (what a map's colour levels grow to)."""
    return float(np.percentile(values, PERCENTILE)) if np.size(values) else 0.0


def fmt(value: float) -> str:
    """A number as the views print it: 4 significant digits."""
    return f"{value:.4g}"


class GrowingLevels:
    """An upper colour level per key (a layer) that only grows, so that frames stay comparable over time.

    The first ``update`` sets it to ``margin * peak``; a later peak above it widens it to ``margin * peak``;
    a smaller peak changes nothing. ``reset`` (a new run) forgets every key.
    """

    def __init__(self, margin: float = 1.0):
        self.margin = margin
        self._top: dict = {}

    def reset(self) -> None:
        self._top.clear()

    def update(self, key, peak: float) -> float:
        top = self._top.get(key)
        if top is None or (math.isfinite(peak) and peak > top):
            top = max(peak * self.margin, FLOOR) if math.isfinite(peak) else FLOOR
            self._top[key] = top
        return top

    def get(self, key) -> float | None:
        return self._top.get(key)

    def symmetric(self, key) -> tuple[float, float]:
        """``(-top, top)``: zero is the middle colour (filters, u)."""
        return -self._top[key], self._top[key]

    def positive(self, key) -> tuple[float, float]:
        """``(0, top)``: for values that are never negative (a, p)."""
        return 0.0, self._top[key]


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
        self.image = image
        self.item.setImage(image, levels=levels)
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


def fill_layer_box(box: QComboBox, network_config) -> None:
    """List the conv layers (conv1, conv2, ...) of a network configuration, without emitting a change."""
    box.blockSignals(True)
    box.clear()
    box.addItems([f"conv{l}" for l in range(1, len(network_config.conv) + 1)])
    box.blockSignals(False)


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


def save_png(widget: QWidget, path: str | Path) -> bool:
    """Save what the widget shows now as a PNG (the window's File > Export uses ``grab()`` the same way)."""
    return widget.grab().save(str(path), "PNG")


def gray_pixmap(image: np.ndarray, height: int) -> QPixmap:
    """A uint8 (H, W) image as a pixmap ``height`` pixels tall (nearest neighbour, no smoothing)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = image.shape
    qimage = QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaledToHeight(height, Qt.TransformationMode.FastTransformation)


# -- choosing one test image ----------------------------------------------------------------------------------

class ImageChooser(QWidget):
    """Pick one test image: a probe (the fixed test images the run follows, "digit 7, #123") or any index
    (the spin box); a thumbnail shows it. Emits ``changed(index)`` when the user picks another image;
    :meth:`reset` (a new run) does not emit."""

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = combo_box()
        self.combo.setToolTip("Probe images: test images the run follows, two of each class")
        self.spin = QSpinBox()
        self.spin.setPrefix("test #")
        self.spin.setToolTip("Any test image by its index")
        self.thumb = QLabel()
        self.thumb.setFixedSize(28, 28)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for w in (self.combo, self.spin, self.thumb):
            layout.addWidget(w)
        self._images: np.ndarray | None = None
        self._labels: np.ndarray | None = None
        self._probes: list[int] = []
        self.combo.currentIndexChanged.connect(self._on_probe)
        self.spin.valueChanged.connect(self._on_index)
        self.setEnabled(False)

    def index(self) -> int:
        return self.spin.value()

    def set_index(self, index: int) -> None:
        """Choose a test image by index (as the user would)."""
        self.spin.setValue(index)

    def reset(self, model) -> None:
        """Fill from a RunModel that has started: its probes, its test images; chooses the first probe."""
        start = model.start
        self._images, self._labels = model.test_images, model.test_labels
        self._probes = [int(i) for i in start.probe_indices]
        self.combo.blockSignals(True)
        self.spin.blockSignals(True)
        self.combo.clear()
        for index, label in zip(self._probes, start.probe_labels):
            self.combo.addItem(f"digit {int(label)}, #{index}")
        self.spin.setRange(0, max(0, len(self._images) - 1))
        self.spin.setValue(self._probes[0] if self._probes else 0)
        self.combo.blockSignals(False)
        self.spin.blockSignals(False)
        self.setEnabled(len(self._images) > 0)
        self._show(self.spin.value())

    def trace(self, model):
        """The forward trace of the chosen image through the latest snapshot's network (None before one)."""
        net = model.network
        if model.latest_snapshot is None or self._images is None or not len(self._images):
            return None
        i = self.index()
        return net.forward(to_input(self._images[i:i + 1], net.dtype))

    def _on_probe(self, row: int) -> None:
        if 0 <= row < len(self._probes):
            self.spin.setValue(self._probes[row])

    def _on_index(self, index: int) -> None:
        self._show(index)
        self.changed.emit(index)

    def _show(self, index: int) -> None:
        if self._images is None or not len(self._images):
            return
        label = int(self._labels[index])
        self.combo.blockSignals(True)
        self.combo.setPlaceholderText(f"digit {label}")  # shown for an image that is not a probe
        self.combo.setCurrentIndex(self._probes.index(index) if index in self._probes else -1)
        self.combo.blockSignals(False)
        self.thumb.setPixmap(gray_pixmap(self._images[index], 28))
        self.thumb.setToolTip(f"test image #{index}, a {label}")
