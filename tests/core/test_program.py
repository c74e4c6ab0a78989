"""The appendix program's rules (cnnviz.core.program, NetworkConfig(rules="program")): dropout of a fixed count on
every hidden layer but the first, its mask forgotten in the backward pass (by how much the gradient then differs
from the loss's gradient, measured against finite differences), and pooling ties to the first position in
column-major order."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.core import ConvSpec, Network, NetworkConfig
from cnnviz.core.functional import cross_entropy, log_softmax
from cnnviz.core.layers import MaxPool2D
from cnnviz.core.program import ColumnMajorMaxPool, ProgramDropout
from cnnviz.data import load_sample, to_input
from tests.core.gradcheck import TOLERANCE, numerical_gradient, relative_error


def remembered(monkeypatch) -> None:
    """The right variant: the program's dropout with its mask applied in the backward pass."""
    monkeypatch.setattr(ProgramDropout, "backward", lambda self, dy: dy if self.mask is None else dy * self.mask)


# -- dropout ---------------------------------------------------------------------------------------------------------

def test_the_programs_dropout_keeps_a_fixed_count():
    x = np.random.default_rng(0).random((100, 200)) + 1
    d = ProgramDropout(0.2)
    counts = set()
    for seed in range(3):
        y = d.forward(x, train=True, rng=np.random.default_rng(seed))
        kept = y != 0
        counts.add(int(kept.sum()))
        np.testing.assert_allclose(y[kept], x[kept] * 1.25, rtol=1e-15)
        np.testing.assert_array_equal(d.mask, kept * 1.25)
    assert counts == {16_000}  # round(100 * 200 * 0.8), every time: the program's randperm(m*n, num)
    assert ProgramDropout(0.3).forward(x[:1, :7], train=True, rng=np.random.default_rng(0)).nonzero()[0].size == 5
    assert d.forward(x, train=False) is x and d.mask is None
    dy = np.ones_like(x)
    assert d.backward(dy) is dy  # the forgotten mask


def test_the_program_drops_on_every_hidden_layer_but_the_first():
    net = Network(NetworkConfig(input_shape=(1, 8, 8), conv=(ConvSpec(2),), fc=(6, 5, 4, 3), rules="program"))
    x = np.random.default_rng(0).random((10, 1, 8, 8))
    net.loss_and_gradients(x, np.zeros(10, dtype=int), rng=np.random.default_rng(1))
    masks = [dropout.mask for _, _, _, dropout in net.fc_layers[:-1]]
    assert masks[0] is None  # fc1: Forward passes ratio 0
    assert [int((m != 0).sum()) for m in masks[1:]] == [40, 32]  # round(10 * 5 * 0.8), round(10 * 4 * 0.8)
    lecture = Network(NetworkConfig(input_shape=(1, 8, 8), conv=(ConvSpec(2),), fc=(6, 5, 4, 3)))
    assert not any(isinstance(d, ProgramDropout) for *_, d in lecture.fc_layers)


# -- the forgotten mask ------------------------------------------------------------------------------------------

def small(dropout: float = 0.5) -> tuple[Network, np.ndarray, np.ndarray]:
    cfg = NetworkConfig(input_shape=(1, 8, 9), conv=(ConvSpec(3, 3, "same", "max"), ConvSpec(4, 2, "valid", "max")),
                        fc=(12, 10, 4), dropout=dropout, rules="program")
    net = Network(cfg, dtype=np.float64)
    rng = np.random.default_rng(4)
    for name, p in net.params.items():
        if name.endswith(".b"):
            p[...] = rng.normal(0.1, 0.1, p.shape)
    return net, rng.random((6, 1, 8, 9)), rng.integers(0, 4, 6)


def masked_loss(net: Network, x: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """The training loss under the mask that seed ``seed`` draws (the same mask at every call)."""
    trace = net.forward(x, train=True, rng=np.random.default_rng(seed))
    return cross_entropy(log_softmax(trace.fc[-1].u), labels)


def test_the_forgotten_mask_makes_every_gradient_below_the_dropout_inexact(monkeypatch):
    """Finite differences of the loss under one fixed mask: the layer after the dropout (fc3) is exact; fc2 (its
    delta) and everything below are not. With the mask remembered, everything is exact: the mask is the only
    difference. And the remembered delta of fc2 is the forgotten one times the mask, exactly."""
    net, x, labels = small()
    loss, forgot, deltas = net.loss_and_gradients(x, labels, rng=np.random.default_rng(7))
    assert loss == pytest.approx(masked_loss(net, x, labels, 7), rel=1e-12)
    mask = net.fc_layers[1][3].mask
    numeric = {name: numerical_gradient(lambda: masked_loss(net, x, labels, 7), p) for name, p in net.params.items()}
    errors = {name: relative_error(forgot[name], numeric[name]) for name in net.params}
    assert errors["fc3.W"] < TOLERANCE and errors["fc3.b"] < TOLERANCE
    assert all(errors[name] > 0.05 for name in net.params if not name.startswith("fc3")), errors
    remembered(monkeypatch)
    _, right, right_deltas = net.loss_and_gradients(x, labels, rng=np.random.default_rng(7))
    for name in net.params:
        assert relative_error(right[name], numeric[name]) < TOLERANCE, name
    np.testing.assert_allclose(right_deltas["fc2"], deltas["fc2"] * mask, rtol=1e-12, atol=1e-15)


def test_by_how_much_on_the_lecture_network(monkeypatch):
    """The lecture's network at initialisation, 100 test digits, ratio 0.2: the forgotten mask's gradient g is
    |g - g_E| / |g_E| = 24 to 33% off the loss's gradient g_E in every layer below fc3 (cosine 0.95 to 0.98);
    fc3's is exact."""
    sample = load_sample()
    x, labels = to_input(sample.test_images[:100]), sample.test_labels[:100]
    net = Network(NetworkConfig(rules="program"), dtype=np.float64)
    _, forgot, _ = net.loss_and_gradients(x, labels, rng=np.random.default_rng(0))
    remembered(monkeypatch)
    _, right, _ = net.loss_and_gradients(x, labels, rng=np.random.default_rng(0))
    for name in net.params:
        g, g_E = forgot[name], right[name]
        error = np.linalg.norm(g - g_E) / np.linalg.norm(g_E)
        cosine = np.sum(g * g_E) / np.linalg.norm(g) / np.linalg.norm(g_E)
        if name.startswith("fc3"):
            assert error < 1e-12, name
        else:
            assert 0.2 < error < 0.4 and 0.93 < cosine < 0.99, (name, error, cosine)


# -- pooling ties --------------------------------------------------------------------------------------------------

def first_max(block: np.ndarray, order: str) -> tuple[int, int]:
    """The first maximum of a 2x2 block, reading it row by row or column by column."""
    positions = [(0, 0), (0, 1), (1, 0), (1, 1)] if order == "row" else [(0, 0), (1, 0), (0, 1), (1, 1)]
    return max(positions, key=lambda rc: (block[rc], -positions.index(rc)))


@pytest.mark.parametrize("shape", [(2, 6, 8, 3), (1, 7, 5, 2)])  # an odd last row or column: in no block
def test_ties_go_to_the_first_position_in_column_major_order(shape):
    a = np.random.default_rng(0).integers(0, 3, shape).astype(np.float64)  # many ties
    pool, row = ColumnMajorMaxPool(), MaxPool2D()
    p, p_row = pool.forward(a), row.forward(a)
    np.testing.assert_array_equal(p, p_row)  # the same maxima
    N, H, W, C = shape
    zeta = 2 * np.arange(H // 2)[None, :, None, None] + pool.winners // 2
    eta = 2 * np.arange(W // 2)[None, None, :, None] + pool.winners % 2
    differ = 0
    for n, i, j, c in np.ndindex(N, H // 2, W // 2, C):
        block = a[n, 2 * i:2 * i + 2, 2 * j:2 * j + 2, c]
        assert (zeta[n, i, j, c] - 2 * i, eta[n, i, j, c] - 2 * j) == first_max(block, "column")
        assert divmod(int(row.winners[n, i, j, c]), 2) == first_max(block, "row")
        differ += first_max(block, "column") != first_max(block, "row")
    assert differ > 0
    dp = np.random.default_rng(1).normal(size=p.shape)
    da = pool.backward(dp)
    expected = np.zeros_like(a)
    n, i, j, c = np.indices(p.shape)
    expected[n, zeta, eta, c] = dp
    np.testing.assert_array_equal(da, expected)  # only the winner receives dE/dp; the odd edge gets 0


def test_figure_like_tie_and_the_trace():
    """[[0, 5], [5, 0]]: the program's max takes (1, 0), the text's rule (row-major) (0, 1); the network's trace
    and its gradient follow the rules it was built with."""
    a = np.array([[0.0, 5.0], [5.0, 0.0]])[None, :, :, None]
    assert ColumnMajorMaxPool().forward(a) == 5 and MaxPool2D().forward(a) == 5
    pool = ColumnMajorMaxPool()
    pool.forward(a)
    assert int(pool.winners[0, 0, 0, 0]) == 2  # row 1, column 0
    cfg = dict(input_shape=(1, 4, 4), conv=(ConvSpec(1, 1, "same", "max"),), fc=(2,), dropout=0.0)
    x = np.array([[0, 5, 0, 0], [5, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], dtype=np.float64)[None, None]
    for rules, winner in (("program", 2), ("lecture", 1)):
        net = Network(NetworkConfig(**cfg, rules=rules), dtype=np.float64)
        net.params["conv1.W"][...] = 1.0
        trace = net.forward(x)
        assert int(trace.conv[0].winners[0, 0, 0, 0]) == winner and int(trace.conv[0].winners[0, 0, 1, 1]) == 0
        _, _, deltas = net.loss_and_gradients(x, np.array([1]), train=False)
        assert np.flatnonzero(deltas["conv1"][0, 0, :2, :2]).tolist() == [winner]


def test_bad_rules_are_one_sentence():
    with pytest.raises(ValueError, match="^rules must be one of lecture, program, not 'matlab'$"):
        NetworkConfig(rules="matlab")
    assert NetworkConfig.from_dict(NetworkConfig(rules="program").to_dict()).rules == "program"
    old = NetworkConfig().to_dict()
    del old["rules"]  # a session saved before the program's rules existed
    assert NetworkConfig.from_dict(old).rules == "lecture"
