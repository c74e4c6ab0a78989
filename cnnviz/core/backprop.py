"""Back-propagation for one image, written out in the lecture's order and notation (section 3.3).

:func:`backprop` takes one image ``x`` and its label and returns every layer's delta ``delta = dE/du`` and the
gradient of every filter, weight and bias for that image alone (inference mode: no dropout), computed directly
from the lecture's formulas on the forward trace, not by the layers' ``backward`` methods (the tests check that
both agree):

- output layer L: ``delta_L = v - r`` (``v = Soft(u_L)``, ``r`` the one-hot label), ``E = -log v(label)``;
- hidden fully connected layer l: ``delta_l = f'(u_l) .* (W_{l+1}^T delta_{l+1})``;
- every fully connected layer: ``dE/dW_l = delta_l v_{l-1}^T``, ``dE/db_l = delta_l``;
- the last conv layer: ``W_1^T delta_1`` (the gradient of the flattened ``p``) reshaped to (c, h', w'), routed
  back through the pooling ("un-pooling": for max pooling only the winner ``(zeta, eta)`` of each 2x2 block
  receives it, the other three get 0; average pooling gives each of the four a quarter), then masked by
  ``f'(u)``;
- a conv layer's filters: ``dE/dF(k, c, mu, nu) = sum_{i,j} delta(k, i, j) x(c, i + mu, j + nu)`` (the
  correlation of the zero-padded layer input with the delta map), ``dE/db(k) = sum_{i,j} delta(k, i, j)``;
- the conv layer before: ``dE/dp_prev(c, i, j) = sum_k sum_mu sum_nu delta(k, i - mu, j - nu) F(k, c, mu, nu)``,
  the full correlation of the delta maps with the flipped filters ``F(k, c, m-1-mu, m-1-nu)``, then un-pooled
  and masked by ``f'(u_prev)`` as above.

Indices are 0-based (the notes count from 1); "same" padding adds ``same_padding(m)`` zeros before and after.

:func:`layer_norms` gives, for one set of parameters, each layer's gradient norm and weight norm on a batch
(the mean loss over it): plotted over a run's snapshots they show which layers learn when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.core.functional import same_padding
from cnnviz.core.network import ConvTrace, Network, Trace


@dataclass
class Backprop:
    """One image's back-propagation.

    ``deltas`` maps ``conv1``... to ``dE/du`` of shape (K, H, W) and ``fc1``... to (n,), in layer order;
    ``grads`` has the keys and shapes of ``Network.params`` (``conv1.W`` (K, C, m, m), ``fc1.b`` (n,), ...);
    ``loss`` is ``E = -log v(label)``, ``probs`` the output ``v`` (classes,), ``trace`` the forward pass used.
    """

    label: int
    loss: float
    probs: np.ndarray
    deltas: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]
    trace: Trace


def unpool(dp: np.ndarray, conv: ConvTrace, pooling: str) -> np.ndarray:
    """``dE/da`` (K, H, W) from ``dE/dp`` (K, h', w') of one image (section 3.3, "un-pooling").

    max: ``dE/da(k, zeta, eta) = dE/dp(k, i', j')`` at the winner ``(zeta, eta)`` of block ``(i', j')``, 0 at the
    other three positions; average: ``dE/dp(k, i', j') / 4`` at all four; none: ``dE/da = dE/dp``. An odd last
    row or column that no block covers gets 0.
    """
    if pooling == "none":
        return dp.copy()
    K, H, W = conv.a.shape[1:]
    h, w = H // 2, W // 2
    da = np.zeros((K, H, W), dtype=dp.dtype)
    if pooling == "average":
        da[:, :2 * h, :2 * w] = np.repeat(np.repeat(dp / 4, 2, axis=1), 2, axis=2)
        return da
    zeta, eta = conv.winner_positions()  # (1, K, h', w') each
    k = np.arange(K)[:, None, None]
    da[k, zeta[0], eta[0]] = dp
    return da


def filter_gradient(x: np.ndarray, delta: np.ndarray, m: int, padding: str) -> np.ndarray:
    """``dE/dF(k, c, mu, nu) = sum_{i,j} delta(k, i, j) x(c, i + mu, j + nu)``, shape (K, C, m, m).

    ``x`` (C, H, W) is the layer's input (zero-padded here for "same"), ``delta`` (K, Ho, Wo): the valid
    correlation of the padded input with each delta map, one m x m result per (k, c).
    """
    before, after = same_padding(m) if padding == "same" else (0, 0)
    xpad = np.pad(x, ((0, 0), (before, after), (before, after)))
    Ho, Wo = delta.shape[1:]
    windows = sliding_window_view(xpad, (Ho, Wo), axis=(1, 2))  # (C, m, m, Ho, Wo): x(c, mu + i, nu + j)
    return np.tensordot(delta, windows, axes=([1, 2], [3, 4]))  # sum over i, j


def input_gradient(delta: np.ndarray, F: np.ndarray, in_shape: tuple[int, int], padding: str) -> np.ndarray:
    """``dE/dx(c, i, j) = sum_k sum_mu sum_nu delta(k, i - mu, j - nu) F(k, c, mu, nu)``, shape (C, H, W).

    The full correlation of the delta maps with the flipped filters: ``delta`` framed by m - 1 zeros on every
    side, correlated (valid) with ``F(k, c, m-1-mu, m-1-nu)``, gives the gradient of the zero-padded input
    (Ho + m - 1 rows); its padding rows are cut off for "same". ``in_shape`` is (H, W) of the layer input.
    """
    m = F.shape[2]
    before, _ = same_padding(m) if padding == "same" else (0, 0)
    H, W = in_shape
    framed = np.pad(delta, ((0, 0), (m - 1, m - 1), (m - 1, m - 1)))
    windows = sliding_window_view(framed, (m, m), axis=(1, 2))  # (K, Hp, Wp, m, m)
    flipped = F[:, :, ::-1, ::-1]
    dxpad = np.tensordot(flipped, windows, axes=([0, 2, 3], [0, 3, 4]))  # sum over k, mu, nu: (C, Hp, Wp)
    return dxpad[:, before:before + H, before:before + W]


def backprop(network: Network, x: np.ndarray, label: int, trace: Trace | None = None) -> Backprop:
    """The deltas and gradients of one image ``x`` with integer ``label`` (see the module docstring).

    ``trace`` may be the network's forward trace of this very image (inference mode), to save the forward pass.
    """
    x = network.one_input(x)
    cfg, P = network.config, network.params
    label = int(label)
    if not 0 <= label < cfg.n_classes:
        raise ValueError(f"label must be a class in 0..{cfg.n_classes - 1}, not {label}")
    if trace is None:
        trace = network.forward(x)
    v = trace.probs[0]
    r = np.zeros_like(v)
    r[label] = 1
    deltas: dict[str, np.ndarray] = {}
    grads: dict[str, np.ndarray] = {}

    # Fully connected layers, from the output back: delta_L = v - r; delta_l = f'(u_l) .* (W_{l+1}^T delta_{l+1}).
    L = len(cfg.fc)
    flat = trace.conv[-1].p[0].reshape(-1) if trace.conv else x[0].reshape(-1)
    delta = v - r
    for l in range(L, 0, -1):
        if l < L:
            delta = (trace.fc[l - 1].u[0] > 0) * (P[f"fc{l + 1}.W"].T @ delta)
        deltas[f"fc{l}"] = delta
        v_prev = trace.fc[l - 2].a[0] if l > 1 else flat
        grads[f"fc{l}.W"] = np.outer(delta, v_prev)
        grads[f"fc{l}.b"] = delta.copy()
    dp = (P["fc1.W"].T @ delta).reshape(trace.conv[-1].p.shape[1:]) if trace.conv else None

    # Conv layers, from the last back: un-pool dE/dp, mask by f'(u); filter gradient; dE/dp of the layer before.
    for l in range(len(cfg.conv), 0, -1):
        spec, conv = cfg.conv[l - 1], trace.conv[l - 1]
        delta = (conv.u[0] > 0) * unpool(dp, conv, spec.pooling)
        deltas[f"conv{l}"] = delta
        layer_input = trace.conv[l - 2].p[0] if l > 1 else x[0]
        grads[f"conv{l}.W"] = filter_gradient(layer_input, delta, spec.size, spec.padding)
        grads[f"conv{l}.b"] = delta.sum(axis=(1, 2))
        if l > 1:
            dp = input_gradient(delta, P[f"conv{l}.W"], layer_input.shape[1:], spec.padding)

    order = [f"conv{l}" for l in range(1, len(cfg.conv) + 1)] + [f"fc{l}" for l in range(1, L + 1)]
    with np.errstate(divide="ignore"):
        loss = float(-np.log(v[label]))
    return Backprop(label=label, loss=loss, probs=v, deltas={name: deltas[name] for name in order},
                    grads={name: grads[name].astype(network.dtype, copy=False) for name in P}, trace=trace)


# -- which layers learn when -------------------------------------------------------------------------------------

def layer_names(network: Network) -> list[str]:
    """``conv1``, ..., ``fc1``, ...: the layers with parameters, in order."""
    return list(dict.fromkeys(name.split(".")[0] for name in network.params))


def norms_of(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray],
             names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per layer ``l`` of ``names``: ``||dE/dtheta_l||`` and ``||theta_l||``, the 2-norms over all its weights and
    its biases together (``sqrt(sum dE/dW^2 + sum dE/db^2)`` and ``sqrt(sum W^2 + sum b^2)``), in float64."""
    def norm(arrays, name):
        return float(np.sqrt(sum(np.sum(np.square(arrays[f"{name}.{k}"], dtype=np.float64)) for k in ("W", "b"))))
    return (np.array([norm(grads, n) for n in names]), np.array([norm(params, n) for n in names]))


def mean_gradients(network: Network, x: np.ndarray, labels: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """The mean loss ``E = (1/N) sum_n E_n`` over a batch ``x`` (N, C, H, W) with integer ``labels`` and its
    gradient ``dE/dtheta = (1/N) sum_n dE_n/dtheta`` (float64), in inference mode (no dropout), one image at a
    time by :func:`backprop`."""
    N = len(x)
    if N == 0 or len(labels) != N:
        raise ValueError(f"mean_gradients needs at least one image and one label per image, not {N} and {len(labels)}")
    total, grads = 0.0, {name: np.zeros(p.shape, dtype=np.float64) for name, p in network.params.items()}
    for image, label in zip(x, labels):
        b = backprop(network, image, int(label))
        total += b.loss / N
        for name, value in b.grads.items():
            grads[name] += value / N
    return total, grads


def layer_norms(network: Network, x: np.ndarray, labels: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``(names, gradient norms, weight norms)`` of the network's current parameters on a batch: the gradient of
    the batch's mean loss (inference mode), per layer as in :func:`norms_of`."""
    names = layer_names(network)
    _, grads = mean_gradients(network, x, labels)
    g, w = norms_of(network.params, grads, names)
    return names, g, w
