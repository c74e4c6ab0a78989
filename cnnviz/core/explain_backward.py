"""How one number of the backward pass was made (section 3.3): the delta of one unit and the gradient of one
weight, each as the lecture's sum of products, with the network's own numbers for one image and its label.

The forward side is :mod:`cnnviz.core.inspect` (how ``u`` was computed); this module is the backward side. Both
take the same arguments and refuse bad ones the same way (ValueError, one sentence). Everything is for ONE image
``x`` and its label in inference mode (no dropout): ``E = -log v(label)``, ``delta = dE/du``. Indices are 0-based
(the notes count from 1); ``origin=1`` writes the ``sources`` strings as the notes count (the window's setting).

:func:`explain_delta` writes out ``delta`` of one unit:

- output layer L: ``delta(n) = v(n) - r(n)`` (``v = Soft(u)``, ``r`` the one-hot label);
- hidden fully connected layer l: ``delta_l(n) = f'(u_l(n)) sum_{n'} W_{l+1}(n', n) delta_{l+1}(n')``;
- the last conv layer, unit ``(k, i, j)`` pooled into ``p(k, i', j')``, flattened to index
  ``q = k h' w' + i' w' + j'``: ``delta(k, i, j) = f'(u(k, i, j)) [won] sum_{n'} W_fc1(n', q) delta_fc1(n')``
  (max pooling: only the winner ``(zeta, eta)`` of the block receives it, the other three get 0; average pooling
  gives each a quarter; without pooling ``p = a`` and ``(i', j') = (i, j)``);
- a conv layer followed by conv layer l + 1 (filters ``F(k', k, mu, nu)``, ``t`` zeros padded before):
  ``delta(k, i, j) = f'(u(k, i, j)) [won] sum_{k'} sum_{mu, nu} F(k', k, mu, nu) delta_{l+1}(k', i' + t - mu,
  j' + t - nu)`` over the delta positions inside its map: the full correlation of the next deltas with the
  flipped filter (the notes' ``delta(c, alpha - mu + 1, beta - nu + 1) F(c, k, mu, nu)``).

:func:`explain_weight_gradient` writes out the gradient of one parameter for the same image:
``dE/dF(k, c, mu, nu) = sum_{i,j} delta(k, i, j) x(c, i + mu, j + nu)`` (``x`` the zero-padded layer input),
``dE/db(k) = sum_{i,j} delta(k, i, j)``; ``dE/dW(n, m) = delta(n) v(m)``, ``dE/db(n) = delta(n)``.

Scale: these are one image's numbers, as the program's ``Backward`` computes them per image (its ``D_t{L2} =
-Y + X_t{L2}``). :meth:`cnnviz.core.Network.loss_and_gradients` differentiates the MEAN loss over a batch of N
images: its deltas of image n are these divided by N, its gradients the mean of these over the batch (the
program's are the sum, which its ``Eta`` multiplies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.core.backprop import Backprop, backprop
from cnnviz.core.functional import same_padding
from cnnviz.core.inspect import (
    _index,
    _pad_before,
    conv_layer_index,
    dense_input_name,
    dense_layer_index,
    explain_unit,
)
from cnnviz.core.network import Network, Trace


@dataclass(frozen=True, eq=False)
class DeltaExplanation:
    """How ``delta = dE/du`` of one unit was computed for one image and its label (see the module docstring).

    ``layer`` "conv2", "fc1", ... (the output layer by its name ``fc{L}``, with ``output`` True); ``unit`` ``(k,
    i, j)`` or ``n``; ``u`` the forward pass's value; ``fprime`` ``f'(u)`` (1 for u > 0, else 0; 1 for the
    output layer, which has no f); ``delta`` the lecture-order back-propagation's value
    (:func:`cnnviz.core.backprop.backprop`).

    The sum: ``terms`` (T,) float64, each one weight times one delta of the next layer, ``terms = weights *
    next_deltas``; ``sources`` (T strings) name each, e.g. ``fc2 W(3, 5) · δ(3)`` or ``conv3 F(1, 0, 2, 1) · δ(1,
    4, 5)``; ``next_positions`` the next layer's delta index of each term ((T,) for a fully connected next
    layer, (T, 3) ``(k', row, col)`` for a conv one, in reading order of the delta window, so that the filter
    appears flipped); ``next_layer`` its name (None for the output layer). ``total`` is ``terms.sum()``:
    ``dE/dp`` of the unit's pooled position (``dE/da`` of a fully connected unit). ``flat_index`` is ``q``, the
    position of ``p(k, i', j')`` in the flattened input of fc1 (last conv layer only).

    Pooling (conv units; fully connected ones have ``pooling`` "none"): ``block``, ``winner`` and ``won`` as in
    :class:`cnnviz.core.inspect.UnitExplanation`; ``share`` the part of ``dE/dp`` the unit receives: 1 (the
    winner, or no pooling), 0.25 (average pooling), 0 (a loser, or an odd last row or column in no block: no
    terms then). So ``delta == fprime * share * total`` up to rounding, and ``fprime * total`` for a winner.

    The output layer: ``terms`` ``[v(n), -r(n)]`` with ``probability`` ``v(n)`` and ``target`` ``r(n)``;
    ``weights``, ``next_deltas`` and ``next_positions`` are empty.
    """

    layer: str
    unit: tuple[int, int, int] | int
    output: bool
    label: int
    u: float
    fprime: float
    delta: float
    next_layer: str | None
    weights: np.ndarray
    next_deltas: np.ndarray
    next_positions: np.ndarray
    terms: np.ndarray
    sources: tuple[str, ...]
    total: float
    flat_index: int | None
    pooling: str
    block: tuple[int, int] | None
    winner: tuple[int, int] | None
    won: bool | None
    share: float
    probability: float | None
    target: float | None


@dataclass(frozen=True, eq=False)
class GradientExplanation:
    """The gradient of one parameter for one image and its label, as the lecture's sum of products.

    ``param`` "conv1.W", "fc2.b", ...; ``index`` its index in that array; ``products`` (T,) float64 =
    ``deltas * inputs``: for a filter ``delta(k, i, j) x(c, i + mu, j + nu)`` at every position ``(i, j)`` of the
    delta map (``positions`` (T, 2), reading order; ``x`` the zero-padded layer input, 0 in the padding); for a
    conv bias ``delta(k, i, j)`` (``inputs`` 1); for a fully connected weight the one product ``delta(n) v(m)``;
    for its bias ``delta(n)`` (``positions`` ``[index]``). ``sources`` (T strings) name each product, e.g.
    ``δ(3, 0, 1) · conv1 p(2, 0, 1)`` (``· 0`` in the padding); ``total`` their sum (float64);
    ``gradient`` the lecture-order back-propagation's value of ``dE/d(param)[index]``, equal to ``total`` up to
    rounding.
    """

    layer: str
    param: str
    index: tuple[int, ...]
    label: int
    deltas: np.ndarray
    inputs: np.ndarray
    products: np.ndarray
    positions: np.ndarray
    sources: tuple[str, ...]
    total: float
    gradient: float


# -- arguments ---------------------------------------------------------------------------------------------------

def layer_kind(network: Network, layer: str) -> tuple[str, int]:
    """``("conv", l)`` or ``("fc", l)`` (0-based) for "conv1".., "fc1".. or "output"; ValueError naming them all."""
    convs = [f"conv{l}" for l in range(1, len(network.config.conv) + 1)]
    name = layer.strip() if isinstance(layer, str) else layer
    if name in convs:
        return "conv", conv_layer_index(network, name)
    try:
        return "fc", dense_layer_index(network, name)
    except ValueError:
        fcs = [f"fc{l}" for l in range(1, len(network.config.fc) + 1)]
        raise ValueError(f"layer must be one of {', '.join(convs + fcs)} or output, not {layer!r}") from None


def _tuple(value, names: tuple[str, ...], what: str) -> tuple:
    """``value`` as a tuple of ``len(names)`` (an integer stands for a 1-tuple); ValueError otherwise."""
    if len(names) == 1 and not isinstance(value, (tuple, list)):
        return (value,)
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        raise ValueError(f"{what} must be ({', '.join(names)}), not {value!r}")
    return tuple(value)


def _backprop(network: Network, x: np.ndarray, label, trace: Trace | None,
              result: Backprop | None) -> tuple[np.ndarray, Backprop]:
    """The image as the network's input and its back-propagation, ``result`` where given (the label and the
    image checked)."""
    label = _index("label", label, network.config.n_classes)
    xin = network.one_input(x)
    if result is None:
        return xin, backprop(network, xin, label, trace=trace)
    if result.label != label:
        raise ValueError(f"the back-propagation given is for label {result.label}, not {label}")
    return xin, result


# -- one delta -------------------------------------------------------------------------------------------------------

def _next_fc(network: Network, deltas, l_next: int, column: int, o: int) -> dict:
    """Terms ``W_{l_next}(n', column) delta_{l_next}(n')`` of fully connected layer ``l_next`` (1-based); ``o`` the
    origin the sources count from."""
    W = network.params[f"fc{l_next}.W"]
    weights = W[:, column].astype(np.float64)
    nd = deltas[f"fc{l_next}"].astype(np.float64)
    return dict(next_layer=f"fc{l_next}", weights=weights, next_deltas=nd, next_positions=np.arange(len(nd)),
                sources=tuple(f"fc{l_next} W({n + o}, {column + o}) · δ({n + o})" for n in range(len(nd))))


def _next_conv(network: Network, deltas, l_next: int, k: int, a: int, b: int, o: int) -> dict:
    """Terms ``F(k', k, mu, nu) delta(k', a + t - mu, b + t - nu)`` of conv layer ``l_next`` (0-based) for
    position ``(a, b)`` of its input map ``k``, the delta positions inside its map, in reading order."""
    F = network.params[f"conv{l_next + 1}.W"]
    d = deltas[f"conv{l_next + 1}"]
    K2, Ho, Wo = d.shape
    m, t = F.shape[2], _pad_before(network, l_next)
    rows = np.arange(max(a + t - m + 1, 0), min(a + t + 1, Ho))
    cols = np.arange(max(b + t - m + 1, 0), min(b + t + 1, Wo))
    kk, rr, cc = (g.ravel() for g in np.meshgrid(np.arange(K2), rows, cols, indexing="ij"))
    mu, nu = a + t - rr, b + t - cc
    return dict(next_layer=f"conv{l_next + 1}", weights=F[kk, k, mu, nu].astype(np.float64),
                next_deltas=d[kk, rr, cc].astype(np.float64), next_positions=np.stack([kk, rr, cc], axis=1),
                sources=tuple(f"conv{l_next + 1} F({q + o}, {k + o}, {e + o}, {f + o}) · δ({q + o}, {r + o}, {s + o})"
                              for q, e, f, r, s in zip(kk, mu, nu, rr, cc)))


def explain_delta(network: Network, x: np.ndarray, label: int, layer: str, unit, trace: Trace | None = None,
                  result: Backprop | None = None, origin: int = 0) -> DeltaExplanation:
    """How ``delta = dE/du`` of one unit was computed for image ``x`` with integer ``label`` (section 3.3; the
    equations are in the module docstring): ``layer`` a conv layer ("conv1", ...) with ``unit = (k, i, j)`` in
    its u map, or "fc1", ..., "output" with ``unit = n``. Images as :func:`cnnviz.core.inspect.explain_unit`
    takes them; ``trace`` (optional) the network's forward trace of this image; ``result`` (optional) its
    :func:`cnnviz.core.backprop.backprop` for this label, already computed (a window's click then costs no
    back-propagation: on the lecture's network that is most of the time). ``unit`` and every field are 0-based;
    only the ``sources`` strings count from ``origin`` (1: as the notes write them). ValueError (one sentence) for
    an unknown layer, a unit or label out of range, or an image of the wrong shape.
    """
    kind, l = layer_kind(network, layer)
    cfg = network.config
    xin, b = _backprop(network, x, label, trace, result)
    if kind == "conv":
        k, i, j = _tuple(unit, ("k", "i", "j"), f"the unit of conv{l + 1}")
        forward = explain_unit(network, xin, f"conv{l + 1}", k, i, j, trace=b.trace)  # checks k, i and j
        k, i, j = forward.channel, forward.row, forward.col
        u, delta = forward.u, float(b.deltas[f"conv{l + 1}"][k, i, j])
        pooling, block = forward.pooling, forward.block
        if pooling == "none":
            share, position = 1.0, (i, j)
        elif block is None:  # the odd last row or column: in no block, no dE/dp reaches it
            share, position = 0.0, None
        else:
            share, position = (0.25 if pooling == "average" else float(forward.won)), block
        flat_index = None
        if position is None:
            parts = dict(next_layer=f"conv{l + 2}" if l + 1 < len(cfg.conv) else "fc1", weights=np.zeros(0),
                         next_deltas=np.zeros(0), sources=(),
                         next_positions=np.zeros((0, 3) if l + 1 < len(cfg.conv) else (0,), dtype=int))
        elif l + 1 < len(cfg.conv):
            parts = _next_conv(network, b.deltas, l + 1, k, *position, origin)
        else:
            _, h, w = b.trace.conv[l].p.shape[1:]
            flat_index = (k * h + position[0]) * w + position[1]
            parts = _next_fc(network, b.deltas, 1, flat_index, origin)
        terms = parts["weights"] * parts["next_deltas"]
        return DeltaExplanation(
            layer=f"conv{l + 1}", unit=(k, i, j), output=False, label=b.label, u=u, fprime=float(u > 0),
            delta=delta, terms=terms, total=float(terms.sum()), flat_index=flat_index, pooling=pooling, block=block,
            winner=forward.winner, won=forward.won, share=share, probability=None, target=None, **parts)
    n = _index("unit", unit, cfg.fc[l])
    u, delta = float(b.trace.fc[l].u[0, n]), float(b.deltas[f"fc{l + 1}"][n])
    common = dict(layer=f"fc{l + 1}", unit=n, label=b.label, u=u, delta=delta, flat_index=None, pooling="none",
                  block=None, winner=None, won=None, share=1.0)
    if l == len(cfg.fc) - 1:
        v, r = float(b.probs[n]), float(n == b.label)
        terms = np.array([v, 0.0 - r])  # 0.0 - r: no -0.0 where r = 0
        return DeltaExplanation(
            output=True, fprime=1.0, next_layer=None, weights=np.zeros(0), next_deltas=np.zeros(0),
            next_positions=np.zeros((0,), dtype=int), terms=terms, sources=(f"v({n + origin})", f"−r({n + origin})"),
            total=float(terms.sum()), probability=v, target=r, **common)
    parts = _next_fc(network, b.deltas, l + 2, n, origin)
    terms = parts["weights"] * parts["next_deltas"]
    return DeltaExplanation(output=False, fprime=float(u > 0), terms=terms, total=float(terms.sum()),
                            probability=None, target=None, **parts, **common)


# -- one weight's gradient -------------------------------------------------------------------------------------------

def input_window(x: np.ndarray, m: int, padding: str, c: int, mu: int, nu: int,
                 shape: tuple[int, int]) -> np.ndarray:
    """``x(c, i + mu, j + nu)`` for every delta position ``(i, j)`` of ``shape`` (Ho, Wo): the zero-padded layer
    input ``x`` (C, H, W) seen by filter weight ``(mu, nu)`` (section 3.3's ``dE/dF`` factor)."""
    before, after = same_padding(m) if padding == "same" else (0, 0)
    xpad = np.pad(x[c], ((before, after), (before, after)))
    Ho, Wo = shape
    return xpad[mu:mu + Ho, nu:nu + Wo]


def explain_weight_gradient(network: Network, x: np.ndarray, label: int, layer: str, index,
                            trace: Trace | None = None, result: Backprop | None = None) -> GradientExplanation:
    """The gradient of one parameter for image ``x`` with integer ``label``, written out as its sum (section 3.3):
    ``layer`` a conv layer with ``index = (k, c, mu, nu)`` (the filter weight ``F(k, c, mu, nu)``) or ``k`` (the
    bias ``b(k)``), or "fc1", ..., "output" with ``index = (n, m)`` (``W(n, m)``) or ``n`` (``b(n)``). See
    :class:`GradientExplanation`; ``trace``, ``result`` and bad arguments as in :func:`explain_delta`.
    """
    kind, l = layer_kind(network, layer)
    name = f"{kind}{l + 1}"
    bias = isinstance(index, (int, np.integer)) or (isinstance(index, (tuple, list)) and len(index) == 1)
    W = network.params[f"{name}.W"]
    if kind == "conv":
        names = ("k",) if bias else ("k", "c", "mu", "nu")
    else:
        names = ("n",) if bias else ("n", "m")
    idx = _tuple(index, names, f"the index of a {'bias' if bias else 'weight'} of {name}")
    idx = tuple(_index(what, value, size) for what, value, size in zip(names, idx, W.shape))
    xin, b = _backprop(network, x, label, trace, result)
    param = f"{name}.{'b' if bias else 'W'}"
    delta = b.deltas[name].astype(np.float64)
    if kind == "conv":
        k = idx[0]
        Ho, Wo = delta.shape[1:]
        rows, cols = (g.ravel() for g in np.meshgrid(np.arange(Ho), np.arange(Wo), indexing="ij"))
        positions = np.stack([rows, cols], axis=1)
        deltas = delta[k].ravel()
        if bias:
            inputs, sources = np.ones_like(deltas), tuple(f"δ({k}, {i}, {j})" for i, j in positions)
        else:
            _, c, mu, nu = idx
            spec = network.config.conv[l]
            maps = xin[0] if l == 0 else b.trace.conv[l - 1].p[0]
            inputs = input_window(maps, spec.size, spec.padding, c, mu, nu, (Ho, Wo)).astype(np.float64).ravel()
            t = _pad_before(network, l)
            H, W_ = maps.shape[1:]
            input_name = "input" if l == 0 else f"conv{l} p"
            sources = tuple(f"δ({k}, {i}, {j}) · " + (f"{input_name}({c}, {i + mu - t}, {j + nu - t})"
                                                      if 0 <= i + mu - t < H and 0 <= j + nu - t < W_ else "0")
                            for i, j in positions)
    else:
        n = idx[0]
        positions, deltas = np.array([idx]), delta[[n]]
        if bias:
            inputs, sources = np.ones(1), (f"δ({n})",)
        else:
            m = idx[1]
            v = b.trace.fc[l - 1].a[0] if l > 0 else (b.trace.conv[-1].p[0].reshape(-1) if b.trace.conv
                                                      else xin[0].reshape(-1))
            inputs = np.array([float(v[m])])
            sources = (f"δ({n}) · {dense_input_name(network, name, m)}",)
    products = deltas * inputs
    return GradientExplanation(
        layer=name, param=param, index=idx, label=b.label, deltas=deltas, inputs=inputs, products=products,
        positions=positions, sources=sources, total=float(products.sum()), gradient=float(b.grads[param][idx]))
