"""Where the overview draws each stage of the network, and what feeds what: pure NumPy, no widget.

One column per stage, in the lecture's order (section 3.2): the input ``x``; for each conv layer its maps
``u = F * x + b``, ``a = ReLU(u)`` and ``p = pool(a)`` (no p column without pooling: p = a), each a mosaic of
its channels in one grid shared by the layer's three columns (channel k sits in the same place in u, a and p);
the flattening of the last maps in (c, i, j) order, drawn as a strip read row by row; each hidden fully
connected layer's ``a = ReLU(W v + b)`` as a strip of units; the output layer's ``Soft(u)``, one cell a class.

Scene coordinates: x to the right, y down, in units where a full column is :data:`HEIGHT` tall; every column's
image is drawn into its rectangle (:attr:`Column.rect`), so tiles are square and a layer's u, a and p tiles have
the same size whatever their resolution (p's pixels are twice u's, as pooling halves the maps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication

from cnnviz.core import NetworkConfig, Trace
from cnnviz.gui.views.common import MosaicLayout, grid_cols, mosaic

HEIGHT = 100.0  # scene units: the height of a conv layer's columns and of the strips
INPUT_HEIGHT = 60.0  # the input image's column
STRIP_WIDTH = 5.0  # a fully connected layer's strip
GAP = 18.0  # between two columns
STAGE_NAMES = {"u": "u", "a": "a = ReLU(u)", "p": "p = pool(a)"}


def times(shape: tuple[int, ...]) -> str:
    """A shape as the captions write it: "64 × 14 × 14", "3,136"."""
    return " × ".join(f"{n:,}" for n in shape)


def strip_width(n: int) -> int:
    """Values a row of the flattening's strip holds: the divisor of ``n`` nearest ``sqrt(n / 16)`` (a strip about
    16 times taller than wide; 3,136 values: 224 rows of 14)."""
    target = math.sqrt(n / 16)
    return min((w for w in range(1, n + 1) if n % w == 0), key=lambda w: (abs(w - target), w))


@dataclass(frozen=True)
class Column:
    """One stage of the network in the overview.

    ``key`` names it ("input", "conv2.a", "flatten", "fc1", "output"); ``kind`` is input, conv, flatten, fc or
    output; ``layer`` the conv or fully connected layer (0-based; None for input and flatten); ``stage`` u, a or p
    for a conv column; ``shape`` the values' shape, (C, H, W) or (n,); ``grid`` where each tile (a channel, or the
    whole strip) sits in the column's image; ``rect`` (x, y, width, height) in the scene.
    """

    key: str
    kind: str
    layer: int | None
    stage: str | None
    shape: tuple[int, ...]
    grid: MosaicLayout
    rect: tuple[float, float, float, float]

    @property
    def name(self) -> str:
        """The layer and stage in the lecture's notation: "conv2 a", "fc1 a", "output"."""
        if self.kind == "conv":
            return f"conv{self.layer + 1} {self.stage}"
        if self.kind == "fc":
            return f"fc{self.layer + 1} a"
        return self.key

    @property
    def caption(self) -> str:
        """What is written under the column: "conv2 a: 64 × 14 × 14", "flatten: 3,136 values"."""
        translate = QCoreApplication.translate  # in the window's language
        if self.kind == "flatten":
            return translate("OverviewView", "flatten: {n} values").format(n=f"{self.shape[0]:,}")
        if self.kind == "output":
            return translate("OverviewView", "output: Soft(u), {n}").format(n=self.shape[0])
        if self.kind == "input":
            return translate("OverviewView", "input: {shape}").format(shape=times(self.shape))
        return f"{self.name}: {times(self.shape)}"

    @property
    def scale(self) -> float:
        """Scene units a pixel of the column's image."""
        return self.rect[3] / self.grid.shape[0]

    def values(self, trace: Trace) -> np.ndarray:
        """The stage's values for the trace's first image: (C, H, W) or (n,)."""
        if self.kind == "input":
            return trace.x[0]
        if self.kind == "conv":
            return getattr(trace.conv[self.layer], self.stage)[0]
        if self.kind == "flatten":
            return (trace.conv[-1].p[0] if trace.conv else trace.x[0]).ravel()
        if self.kind == "fc":
            return trace.fc[self.layer].a[0]
        return trace.probs[0]

    def image(self, trace: Trace) -> np.ndarray:
        """What the column draws: its tiles in their grid (gaps NaN), float32."""
        values = self.values(trace)
        if values.ndim == 1:
            return values.reshape(self.grid.h, self.grid.w).astype(np.float32, copy=False)
        return mosaic(values, self.grid.cols)[0]

    def locate(self, x: float, y: float) -> tuple[int, int, int] | None:
        """Scene position -> ``(tile, i, j)`` in the column's image, or None outside its tiles."""
        x0, y0, _, _ = self.rect
        s = self.scale
        return self.grid.locate((x - x0) / s, (y - y0) / s)

    def index(self, tile: int, i: int, j: int) -> tuple[int, ...]:
        """The position of ``(tile, i, j)`` in :meth:`values`: (k, i, j) for maps, (n,) for a strip."""
        return (tile, i, j) if len(self.shape) == 3 else (i * self.grid.w + j,)

    def cell(self, tile: int, i: int = 0, j: int = 0) -> tuple[float, float, float, float]:
        """The scene rectangle (x, y, width, height) of pixel (i, j) of a tile."""
        r0, c0 = self.grid.origin(tile)
        s = self.scale
        return self.rect[0] + (c0 + j) * s, self.rect[1] + (r0 + i) * s, s, s

    def tile_rect(self, tile: int) -> tuple[float, float, float, float]:
        """The scene rectangle of a whole tile (a channel's map; a strip's whole strip)."""
        x, y, s, _ = self.cell(tile)
        return x, y, self.grid.w * s, self.grid.h * s

    def units_rect(self, start: int, stop: int) -> tuple[float, float, float, float]:
        """The scene rectangle of a strip's rows holding values ``start`` to ``stop - 1`` (whole rows)."""
        w, s = self.grid.w, self.scale
        r0, r1 = start // w, -(-stop // w)
        return self.rect[0], self.rect[1] + r0 * s, w * s, (r1 - r0) * s


def _strip(n: int, width: int) -> MosaicLayout:
    return MosaicLayout(1, 1, 1, n // width, width)


def overview_columns(config: NetworkConfig) -> list[Column]:
    """The columns of a network, left to right (see the module docstring), vertically centred on y = HEIGHT / 2."""
    specs: list[tuple] = []  # (key, kind, layer, stage, shape, grid, height, width or None: from the height)
    C, H, W = config.input_shape
    specs.append(("input", "input", None, None, (C, H, W), MosaicLayout(C, -(-C // grid_cols(C, 0.5)),
                                                                        grid_cols(C, 0.5), H, W), INPUT_HEIGHT, None))
    for l, (name, shape) in enumerate((n, s) for n, s in config.shapes() if n.startswith("conv") and n.endswith(".u")):
        K, Hu, Wu = shape
        cols = grid_cols(K, 0.5)
        rows = -(-K // cols)
        spec = config.conv[l]
        for stage in ("u", "a", "p") if spec.pooling != "none" else ("u", "a"):
            h, w = (Hu // 2, Wu // 2) if stage == "p" else (Hu, Wu)
            specs.append((f"conv{l + 1}.{stage}", "conv", l, stage, (K, h, w), MosaicLayout(K, rows, cols, h, w),
                          HEIGHT, None))
    n = dict(config.shapes())["flatten"][0]
    specs.append(("flatten", "flatten", None, None, (n,), _strip(n, strip_width(n)), HEIGHT, None))
    for l, units in enumerate(config.fc[:-1]):
        specs.append((f"fc{l + 1}", "fc", l, None, (units,), _strip(units, 1), HEIGHT, STRIP_WIDTH))
    k = config.fc[-1]
    specs.append(("output", "output", len(config.fc) - 1, None, (k,), _strip(k, 1), HEIGHT,
                  min(HEIGHT / k, 2 * STRIP_WIDTH)))
    columns, x = [], 0.0
    for key, kind, layer, stage, shape, grid, height, width in specs:
        gh, gw = grid.shape
        width = height * gw / gh if width is None else width
        columns.append(Column(key, kind, layer, stage, shape, grid, (x, (HEIGHT - height) / 2, width, height)))
        x += width + GAP
    return columns


def _right(rect: tuple[float, float, float, float]) -> tuple[float, float]:
    x, y, w, h = rect
    return x + w, y + h / 2


def _left(rect: tuple[float, float, float, float]) -> tuple[float, float]:
    x, y, w, h = rect
    return x, y + h / 2


def feeds(columns: list[Column], c: int, tile: int, i: int = 0, j: int = 0) -> list[tuple[float, float, float, float]]:
    """The lines from tile ``tile`` of column ``c`` (pixel (i, j) of a strip) to what it feeds in the next column,
    as segments (x0, y0, x1, y1): a map to every map of the next conv layer (each filter F(k, c, ., .) reads
    input channel c), to the same channel's next stage (ReLU and pooling act channel by channel), or to its values
    in the flattening; a value of a strip to the whole next strip (every unit reads every input)."""
    if c + 1 >= len(columns):
        return []
    src, dst = columns[c], columns[c + 1]
    if src.kind in ("flatten", "fc"):
        start = src.index(tile, i, j)[0]
        a = _right(src.units_rect(start, start + 1))
        x, y, w, h = dst.rect
        return [(*a, x, y), (*a, x, y + h)]
    a = _right(src.tile_rect(tile))
    if dst.kind == "conv" and dst.stage == "u":
        return [(*a, *_left(dst.tile_rect(k))) for k in range(dst.grid.n)]
    if dst.kind == "conv":
        return [(*a, *_left(dst.tile_rect(tile)))]
    # The last maps' channel ``tile``: its h x w values in the flattening, (c, i, j) order.
    n = src.grid.h * src.grid.w
    x, y, w, h = dst.units_rect(tile * n, (tile + 1) * n)
    return [(*a, x, y), (*a, x, y + h)]


def slide_sums(x: np.ndarray, F: np.ndarray, b: float, pad: tuple[int, int], out: tuple[int, int]) -> np.ndarray:
    """The filter sliding over its input, every position's sum worked out as the lecture's figure 2 does by hand:

    ``u(i, j) = sum_c sum_mu sum_nu F(c, mu, nu) x(c, i - t + mu, j - t + nu) + b`` for ``(i, j)`` in ``out``
    (Hu, Wu), ``x`` (C, H, W) the input maps, zero outside them (``pad``: the zeros before and after each axis;
    ``t = pad[0]``), ``F`` (C, m, m) one filter. float64, (Hu, Wu)."""
    C, m, _ = F.shape
    before, after = pad
    padded = np.pad(np.asarray(x, dtype=np.float64), ((0, 0), (before, after), (before, after)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (m, m), axis=(1, 2))  # (C, Hu', Wu', m, m)
    Hu, Wu = out
    return np.einsum("cijmn,cmn->ij", windows[:, :Hu, :Wu], F.astype(np.float64)) + float(b)
