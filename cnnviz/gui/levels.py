"""Colour levels and norms derived from a run's snapshots, without Qt: what one snapshot adds, computed off the GUI
thread by the model (:class:`cnnviz.gui.model.RunModel`), and the levels that only widen.

Per conv layer, the largest |F| over all snapshots (filters) and the largest 99.5th percentiles of |u| and of a over
the probe images at every snapshot (feature maps, pooling), so that the colours of every position of a run are
fixed once it is known; and per layer, the gradient and weight norms over the run (the back-propagation view).
"""

from __future__ import annotations

import math

import numpy as np

from cnnviz.core import Network
from cnnviz.core.backprop import layer_norms

PEAK_SAMPLES = 1 << 16  # values a percentile of the colour levels is estimated from, at most
PERCENTILE = 99.5  # feature-map levels follow this percentile, so that a few extreme pixels do not dim the rest
FILTER_MARGIN = 1.1  # filter levels: +-1.1 max|F|
FLOOR = 1e-6  # the smallest level, so that an all-zero map still has a valid colour range


def robust_peak(values: np.ndarray) -> float:
    """The PERCENTILE-th percentile of ``values``, estimated from at most PEAK_SAMPLES evenly spaced ones (the
    same ones every time: the full percentile of a conv layer's maps for 16 probe images costs more than the
    forward pass that made them; the figures are in docs/speed.md); 0 for none; inf or NaN where they are not
    finite, which :meth:`Levels.widen` ignores."""
    flat = np.ravel(values)
    if not flat.size:
        return 0.0
    if flat.size > PEAK_SAMPLES:
        flat = flat[::-(-flat.size // PEAK_SAMPLES)]
    with np.errstate(all="ignore"):  # inf - inf between two infinite values is NaN, not a warning
        return float(np.percentile(flat, PERCENTILE))


def peaks_of(network: Network, params: dict, probes: np.ndarray) -> list[tuple[str, int, float]]:
    """A snapshot's contribution to the colour levels, (kind, layer, peak): its filters' largest |F|, the probe
    images' robust peaks of |u| and of a per conv layer, and of a per hidden fully connected layer ("fc"). Touches
    nothing but ``network`` (the levels thread runs it)."""
    network.set_params(params)
    peaks = [("filters", layer, float(np.abs(params[f"conv{layer + 1}.W"]).max()))
             for layer in range(len(network.config.conv))]
    with np.errstate(all="ignore"):  # huge parameters overflow to inf and NaN: widen ignores those peaks
        trace = network.forward(probes) if len(probes) else None
        if trace is not None:
            for layer, conv in enumerate(trace.conv):
                peaks += [("u", layer, robust_peak(np.abs(conv.u))), ("a", layer, robust_peak(conv.a))]
            peaks += [("fc", layer, robust_peak(fc.a)) for layer, fc in enumerate(trace.fc[:-1])]
    return peaks


class Levels:
    """Colour levels that only widen: per conv layer ``filters`` (max |F|), ``u`` and ``a`` (feature maps); per
    hidden fully connected layer ``fc`` (its a)."""

    def __init__(self, n_layers: int = 0, n_fc: int = 0):
        self.filters = [FLOOR] * n_layers
        self.u = [FLOOR] * n_layers
        self.a = [FLOOR] * n_layers
        self.fc = [FLOOR] * n_fc

    def widen(self, name: str, layer: int, peak: float) -> bool:
        """Widen level ``name`` of ``layer`` to ``peak``; an infinite or NaN peak (a run blowing up) is ignored."""
        values = getattr(self, name)
        if math.isfinite(peak) and peak > values[layer]:
            values[layer] = peak
            return True
        return False


def norms_at(network: Network, params: dict, probes: np.ndarray,
             labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A snapshot's point of the norm curves: per layer ``l``, ``||dE/dtheta_l||`` (the gradient of the mean loss
    over the probe images, inference mode) and ``||theta_l||`` (:func:`cnnviz.core.backprop.layer_norms`). Touches
    nothing but ``network`` (the model's background thread runs it)."""
    network.set_params(params)
    with np.errstate(all="ignore"):  # a diverging run's parameters: inf and NaN, shown as such
        _, grads, weights = layer_norms(network, probes, labels)
    return grads, weights


