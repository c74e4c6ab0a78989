"""How one number of the forward pass was made: a conv unit or a fully connected unit, with the network's own values.

Conv unit (sections 2.2, 2.3, 3.2): for conv layer ``l`` with input maps ``x(c, i, j)`` (the image for conv1,
the previous layer's ``p`` otherwise), filters ``F(k, c, mu, nu)`` (K, C, m, m) and bias ``b(k)``,

    ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i - t + mu, j - t + nu) + b(k)``,  ``a = ReLU(u)``,

with ``t`` the zeros padded before each axis (``t = (m - 1) // 2`` for the same type, see
:func:`~cnnviz.core.functional.same_padding`; 0 for valid) and ``x`` zero outside its map. Then 2x2 pooling:
``p(k, i', j') = max(a(k, 2i'..2i'+1, 2j'..2j'+1))``, won by ``(zeta, eta)``; an odd last row or column is in
no block. :func:`explain_unit` returns the m x m patch of every input channel, the filter, their products and
the sums; :func:`receptive_field` follows a position back through every earlier conv and pooling layer to
the input pixels it depends on.

Fully connected unit (section 3.2): ``u(n) = sum_i W(n, i) v(i) + b(n)``; ``a = ReLU(u)`` for a hidden layer;
the output layer's ``v = Soft(u)``. :func:`explain_dense` lists the products ``W(n, i) v(i)``, largest
``|W(n, i) v(i)|`` first.

Images: ``x`` is one image, ``(H, W)`` (one channel), ``(C, H, W)`` or ``(1, C, H, W)``, taken by the one rule
of every function that takes images (:func:`cnnviz.core.inputs.network_input`): an integer array (uint8) is
pixels 0..255 and is divided by 255; a float array is taken as it is (already scaled to [0, 1]). Everything is in
inference mode (no dropout). Indices are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.core.functional import same_padding
from cnnviz.core.network import Network, Trace


@dataclass(frozen=True, eq=False)
class UnitExplanation:
    """One conv unit ``u(k, i, j)`` of layer ``layer`` (e.g. "conv2") and how it was computed.

    ``patch`` (C, m, m): ``x(c, i - t + mu, j - t + nu)``, the zero-padded input patch (the previous layer's
    ``p``, or the image); ``filter`` (C, m, m): ``F(k, c, mu, nu)``; ``products = patch * filter``;
    ``bias`` ``b(k)``; ``u`` the forward pass's value, equal to ``products.sum() + bias`` (up to rounding:
    ``total`` is that sum in float64); ``a = ReLU(u)``.

    ``input_name`` names ``x`` ("input" or "conv1 p"); ``patch_origin`` is ``(i - t, j - t)``, the patch's
    top-left in the input map's coordinates (negative in the padding); ``input_field`` (row_start, row_stop,
    col_start, col_stop) is the patch clipped to the input map; ``receptive_field`` the same in input pixels,
    through every earlier layer, stop exclusive, clipped to the image.

    Pooling (``pooling`` "max", "average" or "none"): ``block`` ``(i', j')``, the 2x2 block of ``a`` holding
    this position (None without pooling, or on an odd last row/column that no block covers); ``winner`` the
    block's ``(zeta, eta)`` (max pooling only); ``won`` whether this position won it (None unless max pooling;
    False where no block covers it); ``p`` the block's pooled value (``a`` without pooling; None where no
    block covers the position).
    """

    layer: str
    channel: int
    row: int
    col: int
    padding: str
    input_name: str
    patch: np.ndarray
    filter: np.ndarray
    bias: float
    products: np.ndarray
    total: float
    u: float
    a: float
    patch_origin: tuple[int, int]
    input_field: tuple[int, int, int, int]
    receptive_field: tuple[int, int, int, int]
    pooling: str
    block: tuple[int, int] | None
    winner: tuple[int, int] | None
    won: bool | None
    p: float | None

    @property
    def contributions(self) -> np.ndarray:
        """Per input channel ``c``: ``sum_mu sum_nu F(k, c, mu, nu) x(...)`` (C,), float64."""
        return self.products.sum(axis=(1, 2), dtype=np.float64)

    def channel_order(self) -> np.ndarray:
        """Input channels by |contribution|, the largest first (ties: the lower channel first)."""
        return np.argsort(-np.abs(self.contributions), kind="stable")


@dataclass(frozen=True, eq=False)
class DenseExplanation:
    """One fully connected unit ``u(n) = sum_i W(n, i) v(i) + b(n)`` of layer ``layer`` ("fc1".., the last one
    the output layer), with its inputs ordered by ``|W(n, i) v(i)|``, the largest first.

    ``indices`` the input indices ``i`` in that order; ``inputs`` ``v(i)``, ``weights`` ``W(n, i)`` and
    ``products`` ``W(n, i) v(i)`` in the same order; ``total`` the sum of the products (float64); ``bias``
    ``b(n)``; ``u`` the forward pass's value (equal to ``total + bias`` up to rounding); ``a`` ``ReLU(u)``
    for a hidden layer and ``u`` for the output layer; ``probability`` ``Soft(u)(n)`` for the output layer
    (None otherwise); ``input_name`` what ``v`` is ("conv2 p" flattened in (c, i, j) order, or "fc1 a").
    """

    layer: str
    unit: int
    output: bool
    input_name: str
    indices: np.ndarray
    inputs: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    total: float
    bias: float
    u: float
    a: float
    probability: float | None


# -- arguments ---------------------------------------------------------------------------------------------------

def conv_layer_index(network: Network, layer: str) -> int:
    """``"conv2"`` -> 1 (0-based); ValueError naming the layers there are."""
    names = [f"conv{l}" for l in range(1, len(network.config.conv) + 1)]
    if not isinstance(layer, str) or layer.strip() not in names:
        raise ValueError(f"layer must be one of {', '.join(names)}, not {layer!r}")
    return names.index(layer.strip())


def dense_layer_index(network: Network, layer: str) -> int:
    """``"fc1"`` -> 0 (0-based); ``"output"`` is the last fully connected layer."""
    n = len(network.config.fc)
    names = [f"fc{l}" for l in range(1, n + 1)]
    name = layer.strip() if isinstance(layer, str) else layer
    if name == "output":
        return n - 1
    if name not in names:
        raise ValueError(f"layer must be one of {', '.join(names)} or output, not {layer!r}")
    return names.index(name)


def _index(name: str, value, n: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= value < n:
        raise ValueError(f"{name} must be an integer from 0 to {n - 1}, not {value!r}")
    return int(value)


def _trace(network: Network, x: np.ndarray, trace: Trace | None) -> tuple[np.ndarray, Trace]:
    xin = network.one_input(x)
    if trace is None:
        trace = network.forward(xin)
    return xin, trace


# -- receptive fields ------------------------------------------------------------------------------------------------

def map_sizes(network: Network) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Per conv layer: the (H, W) of its input maps and of its u map."""
    _, h, w = network.config.input_shape
    out = []
    for spec in network.config.conv:
        hu, wu = (h, w) if spec.padding == "same" else (h - spec.size + 1, w - spec.size + 1)
        out.append(((h, w), (hu, wu)))
        h, w = (hu // 2, wu // 2) if spec.pooling != "none" else (hu, wu)
    return out


def _pad_before(network: Network, l: int) -> int:
    spec = network.config.conv[l]
    return same_padding(spec.size)[0] if spec.padding == "same" else 0


def receptive_field(network: Network, l: int, rows: tuple[int, int], cols: tuple[int, int],
                    down_to: int = 0) -> tuple[int, int, int, int]:
    """The input rows and columns that positions ``rows`` x ``cols`` (start, stop) of conv layer ``l``'s u map
    (0-based index) depend on, as (row_start, row_stop, col_start, col_stop), stop exclusive.

    Back through conv layer ``l'``: u rows [r0, r1) see input rows [r0 - t, r1 - t + m - 1) (zero padding
    outside the map contributes nothing, so the range is clipped to the map); back through 2x2 pooling:
    p rows [r0, r1) come from a rows [2 r0, 2 r1). Stops at the input of conv layer ``down_to`` (0: the image).
    """
    sizes = map_sizes(network)
    (r0, r1), (c0, c1) = rows, cols
    for k in range(l, down_to - 1, -1):
        m, t = network.config.conv[k].size, _pad_before(network, k)
        (H, W), _ = sizes[k]
        r0, r1 = max(r0 - t, 0), min(r1 - t + m - 1, H)
        c0, c1 = max(c0 - t, 0), min(c1 - t + m - 1, W)
        if k > down_to and network.config.conv[k - 1].pooling != "none":
            r0, r1, c0, c1 = 2 * r0, 2 * r1, 2 * c0, 2 * c1
    return r0, r1, c0, c1


# -- conv units ------------------------------------------------------------------------------------------------------

def explain_unit(network: Network, x: np.ndarray, layer: str, channel: int, row: int, col: int,
                 trace: Trace | None = None) -> UnitExplanation:
    """How ``u(k, i, j)`` of conv layer ``layer`` (k = ``channel``, (i, j) = (``row``, ``col``) in its u map)
    was computed for image ``x`` (see the module docstring for the shapes and scaling accepted).

    ``trace`` (optional) is ``network.forward`` of this image already computed (the window reuses its
    cached trace); without it the forward pass is run here. ValueError (one sentence) for an unknown layer,
    a channel, row or column out of range, or an image of the wrong shape.
    """
    l = conv_layer_index(network, layer)
    spec = network.config.conv[l]
    (H, W), (Hu, Wu) = map_sizes(network)[l]
    k = _index("channel", channel, spec.filters)
    i = _index("row", row, Hu)
    j = _index("col", col, Wu)
    xin, trace = _trace(network, x, trace)
    maps = xin[0] if l == 0 else trace.conv[l - 1].p[0]  # x(c, ., .): the image, or the previous layer's p
    m, t = spec.size, _pad_before(network, l)
    C = maps.shape[0]
    patch = np.zeros((C, m, m), dtype=maps.dtype)
    r0, c0 = i - t, j - t  # the patch's top-left in the input map (negative: in the padding)
    rs, re, cs, ce = max(r0, 0), min(r0 + m, H), max(c0, 0), min(c0 + m, W)
    patch[:, rs - r0:re - r0, cs - c0:ce - c0] = maps[:, rs:re, cs:ce]
    F = network.params[f"conv{l + 1}.W"][k].copy()
    b = float(network.params[f"conv{l + 1}.b"][k])
    products = patch * F
    conv = trace.conv[l]
    u, a = float(conv.u[0, k, i, j]), float(conv.a[0, k, i, j])
    block = winner = won = p = None
    if spec.pooling == "none":
        p = a
    elif i < 2 * (Hu // 2) and j < 2 * (Wu // 2):
        block = (i // 2, j // 2)
        p = float(conv.p[0, k, i // 2, j // 2])
        if conv.winners is not None:
            q = int(conv.winners[0, k, i // 2, j // 2])
            winner = (2 * (i // 2) + q // 2, 2 * (j // 2) + q % 2)
            won = winner == (i, j)
    elif spec.pooling == "max":
        won = False  # on the odd last row or column: in no block, never pooled
    return UnitExplanation(
        layer=f"conv{l + 1}", channel=k, row=i, col=j, padding=spec.padding,
        input_name="input" if l == 0 else f"conv{l} p", patch=patch, filter=F, bias=b, products=products,
        total=float(products.sum(dtype=np.float64)) + b, u=u, a=a, patch_origin=(r0, c0),
        input_field=(rs, re, cs, ce), receptive_field=receptive_field(network, l, (i, i + 1), (j, j + 1)),
        pooling=spec.pooling, block=block, winner=winner, won=won, p=p)


def pooled_position(network: Network, trace: Trace, layer: str, channel: int, row: int, col: int) -> tuple[int, int]:
    """The u-map position a pixel ``(row, col)`` of the layer's p map comes from: its block's winner
    ``(zeta, eta)`` for max pooling, the block's top-left ``(2i', 2j')`` for average pooling, the same
    position without pooling."""
    l = conv_layer_index(network, layer)
    conv = trace.conv[l]
    _, _, h, w = conv.p.shape
    k = _index("channel", channel, conv.p.shape[1])
    i, j = _index("row", row, h), _index("col", col, w)
    pooling = network.config.conv[l].pooling
    if pooling == "none":
        return i, j
    if conv.winners is None:
        return 2 * i, 2 * j
    q = int(conv.winners[0, k, i, j])
    return 2 * i + q // 2, 2 * j + q % 2


# -- fully connected units ---------------------------------------------------------------------------------------------

def dense_input_name(network: Network, layer: str, index: int, origin: int = 0) -> str:
    """What input ``index`` (0-based) of a fully connected layer is, e.g. ``conv2 p(c=3, i=2, j=5)`` or ``fc1
    a(17)``, its indices written from ``origin`` (1: as the notes count)."""
    n = dense_layer_index(network, layer)
    if n > 0:
        return f"fc{n} a({index + origin})"
    shapes = dict(network.config.shapes())
    L = len(network.config.conv)
    if L == 0:
        return f"input({index + origin})"
    _, h, w = shapes.get(f"conv{L}.p", shapes[f"conv{L}.u"])
    stage = "p" if f"conv{L}.p" in shapes else "a"
    ci, rest = divmod(int(index), h * w)
    return f"conv{L} {stage}(c={ci + origin}, i={rest // w + origin}, j={rest % w + origin})"


def explain_dense(network: Network, x: np.ndarray, layer: str, unit: int,
                  trace: Trace | None = None) -> DenseExplanation:
    """How unit ``unit`` of fully connected layer ``layer`` ("fc1", ..., or "output" for the last one) was
    computed for image ``x``: ``u(n) = sum_i W(n, i) v(i) + b(n)``, then ReLU (hidden) or softmax (output).
    ``trace`` as in :func:`explain_unit`. ValueError (one sentence) for a bad layer, unit or image."""
    n = dense_layer_index(network, layer)
    sizes = network.config.fc
    unit = _index("unit", unit, sizes[n])
    _, trace = _trace(network, x, trace)
    if n == 0:
        last = trace.conv[-1].p[0] if trace.conv else trace.x[0]
        v = last.reshape(-1)  # flattened in (c, i, j) order
        input_name = f"conv{len(trace.conv)} p" if trace.conv else "input"
    else:
        v = trace.fc[n - 1].a[0]
        input_name = f"fc{n} a"
    w = network.params[f"fc{n + 1}.W"][unit]
    b = float(network.params[f"fc{n + 1}.b"][unit])
    products = w * v
    order = np.argsort(-np.abs(products), kind="stable")
    output = n == len(sizes) - 1
    fc = trace.fc[n]
    return DenseExplanation(
        layer=f"fc{n + 1}", unit=unit, output=output, input_name=input_name, indices=order, inputs=v[order].copy(),
        weights=w[order].copy(), products=products[order], total=float(products.sum(dtype=np.float64)), bias=b,
        u=float(fc.u[0, unit]), a=float(fc.a[0, unit]),
        probability=float(trace.probs[0, unit]) if output else None)
