"""One unit's delta and one weight's gradient written out (cnnviz.core.explain_backward): every delta must be the
network's own backward pass (its layers' ``backward``, not the lecture-order code the explanation reads), and
``f'(u) * share * sum of the terms``; every term must be the weight and the delta its source names; every
gradient must be its products' sum, the network's and the finite differences'; a wrong variant must fail."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnviz.core import Network, NetworkConfig
from cnnviz.core import explain_backward as eb
from cnnviz.core.backprop import backprop
from cnnviz.core.explain_backward import explain_delta, explain_weight_gradient
from cnnviz.core.functional import log_softmax
from cnnviz.data import load_sample, to_input
from tests.core.test_inspect import CONFIGS, image

FC = (16, 12, 4)  # two hidden fully connected layers: fc1's delta comes from fc2's, fc2's from the output's


def network(name: str, seed: int = 1) -> Network:
    """A float64 network of test_inspect's CONFIGS (odd and even filters, same and valid, max / average / none,
    odd map sizes) with three fully connected layers and non-zero biases."""
    shape, conv = CONFIGS[name]
    net = Network(NetworkConfig(input_shape=shape, conv=conv, fc=FC, dropout=0.0, seed=seed), dtype=np.float64)
    rng = np.random.default_rng(seed)
    for key, value in net.params.items():
        if key.endswith(".b"):
            value[...] = rng.normal(0.0, 0.1, value.shape)
    return net


def units(net: Network):
    """Every (layer, unit) of the network."""
    for l, (_, shape) in enumerate((n, s) for n, s in net.config.shapes() if n.endswith(".u") and "conv" in n):
        for unit in np.ndindex(*shape):
            yield f"conv{l + 1}", unit
    for l, size in enumerate(net.config.fc):
        for n in range(size):
            yield f"fc{l + 1}", n


def loss_of(net: Network, x: np.ndarray, label: int) -> float:
    return float(-log_softmax(net.forward(x).fc[-1].u[0])[label])


def numeric(net: Network, x: np.ndarray, label: int, name: str, idx: tuple, eps: float = 1e-6) -> float:
    """dE/d(param[idx]) by central differences (float64)."""
    p = net.params[name]
    old = p[idx]
    p[idx] = old + eps
    up = loss_of(net, x, label)
    p[idx] = old - eps
    down = loss_of(net, x, label)
    p[idx] = old
    return (up - down) / (2 * eps)


# -- deltas ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CONFIGS)
def test_every_delta_is_the_backward_pass_and_fprime_times_the_sum_of_its_terms(name):
    net = network(name)
    x, label = image(net), 2
    trace = net.forward(x)
    _, _, deltas = net.loss_and_gradients(x, np.array([label]), train=False)  # one image: N = 1, no scale
    seen = {"winner": 0, "loser": 0, "nonzero": 0}
    for layer, unit in units(net):
        e = explain_delta(net, x, label, layer, unit, trace=trace)
        expected = deltas[layer][0][unit]
        assert e.delta == pytest.approx(expected, rel=1e-10, abs=1e-13), (layer, unit)
        assert e.layer == layer and e.unit == unit and e.label == label
        assert e.fprime * e.share * e.total == pytest.approx(e.delta, rel=1e-10, abs=1e-13), (layer, unit)
        assert len(e.sources) == len(e.terms) and e.total == pytest.approx(e.terms.sum(), rel=1e-12, abs=1e-15)
        if e.output:
            continue
        np.testing.assert_array_equal(e.terms, e.weights * e.next_deltas)
        assert e.fprime == float(e.u > 0)
        seen["nonzero"] += e.delta != 0
        if e.won is True:
            seen["winner"] += 1
            assert e.share == 1 and e.fprime * e.terms.sum() == pytest.approx(e.delta, rel=1e-10, abs=1e-13)
        elif e.won is False:  # a loser (or the odd last row or column): delta reaches it not
            seen["loser"] += 1
            assert e.share == 0 and e.delta == 0
        elif e.pooling == "average":
            assert e.share == (0.25 if e.block is not None else 0)
    assert seen["nonzero"] > 0
    if any(spec.pooling == "max" for spec in net.config.conv):
        assert seen["winner"] > 0 and seen["loser"] > 0


@pytest.mark.parametrize("name", CONFIGS)
def test_every_term_is_the_weight_and_the_delta_its_source_names(name):
    net = network(name)
    x, label = image(net), 1
    trace = net.forward(x)
    _, _, deltas = net.loss_and_gradients(x, np.array([label]), train=False)
    P, L = net.params, len(net.config.conv)
    for l, spec in enumerate(net.config.conv):
        _, K, Hu, Wu = trace.conv[l].u.shape
        for i, j in {(0, 0), (Hu - 1, Wu - 1), (Hu // 2, Wu // 2), (1, Wu - 2)}:
            e = explain_delta(net, x, label, f"conv{l + 1}", (K - 1, i, j), trace=trace)
            if e.share == 0 and not e.sources:  # no block covers it
                continue
            # the pooled position's dE/dp: from the flattening into fc1, or through the next conv layer
            a, b = (i, j) if spec.pooling == "none" else e.block
            assert e.next_layer == (f"conv{l + 2}" if l + 1 < L else "fc1")
            for term, source, w, d, pos in zip(e.terms, e.sources, e.weights, e.next_deltas, e.next_positions):
                if l + 1 < L:
                    q, k, mu, nu, q2, r, s = map(int, re.fullmatch(
                        rf"conv{l + 2} F\((\d+), (\d+), (\d+), (\d+)\) · δ\((\d+), (\d+), (\d+)\)", source).groups())
                    assert q == q2 and (q, r, s) == tuple(pos)
                    t = (net.config.conv[l + 1].size - 1) // 2 if net.config.conv[l + 1].padding == "same" else 0
                    assert k == K - 1 and (r, s) == (a + t - mu, b + t - nu)  # the filter flipped
                    # to rounding: training computes a 3x3 conv layer with its pooling by Winograd's tiles
                    assert w == P[f"conv{l + 2}.W"][q, k, mu, nu]
                    assert d == pytest.approx(deltas[f"conv{l + 2}"][0, q, r, s], rel=1e-12, abs=1e-300)
                else:
                    n, column, n2 = map(int, re.fullmatch(r"fc1 W\((\d+), (\d+)\) · δ\((\d+)\)", source).groups())
                    h, w_ = trace.conv[l].p.shape[2:]
                    assert n == n2 == pos and column == e.flat_index == ((K - 1) * h + a) * w_ + b
                    assert w == P["fc1.W"][n, column]
                    assert d == pytest.approx(deltas["fc1"][0, n], rel=1e-12, abs=1e-300)
                assert term == w * d
    for l in range(len(FC) - 1):
        e = explain_delta(net, x, label, f"fc{l + 1}", 3, trace=trace)
        assert e.next_layer == f"fc{l + 2}" and e.sources[2] == f"fc{l + 2} W(2, 3) · δ(2)"
        np.testing.assert_array_equal(e.weights, P[f"fc{l + 2}.W"][:, 3])
        np.testing.assert_allclose(e.next_deltas, deltas[f"fc{l + 2}"][0], rtol=1e-12, atol=1e-300)


def test_the_output_delta_is_v_minus_r():
    net = network("lecture-like")
    x = image(net)
    probs = net.forward(x).probs[0]
    for n in range(FC[-1]):
        e = explain_delta(net, x, 3, "output", n)
        assert e.output and e.layer == "fc3" and e.next_layer is None and e.fprime == 1
        assert e.probability == probs[n] and e.target == float(n == 3)
        np.testing.assert_array_equal(e.terms, [probs[n], -float(n == 3)])
        assert e.sources == (f"v({n})", f"−r({n})") and e.delta == pytest.approx(probs[n] - (n == 3), rel=1e-12)


def test_a_loser_gets_no_delta_though_its_block_has_one():
    """Figure 7 and un-pooling: the three losers of a block see the same dE/dp as the winner and get 0."""
    net = network("lecture-like")
    x = image(net)
    trace = net.forward(x)
    for l, layer in enumerate(("conv1", "conv2")):
        H, W = trace.conv[l].u.shape[2:]
        every = (explain_delta(net, x, 0, layer, (0, i, j), trace=trace) for i in range(H) for j in range(W))
        e = next(e for e in every if e.won is False and e.fprime == 1 and e.total != 0)
        winner = explain_delta(net, x, 0, layer, (0, *e.winner), trace=trace)
        assert e.delta == 0 and e.share == 0 and winner.won and winner.block == e.block
        assert winner.total == e.total  # the same block's dE/dp
        assert winner.delta == pytest.approx(winner.fprime * e.total, rel=1e-12)


def test_a_batch_mean_scales_each_images_delta_by_one_over_n():
    """loss_and_gradients differentiates the mean over N images: its deltas of image n are explain_delta's / N."""
    net = network("even-same")
    rng = np.random.default_rng(7)
    x, labels = rng.random((3, *net.config.input_shape)), np.array([0, 3, 1])
    _, _, deltas = net.loss_and_gradients(x, labels, train=False)
    for n in range(3):
        for layer, unit in [("conv1", (2, 5, 6)), ("conv2", (1, 3, 2)), ("fc2", 1), ("output", 2)]:
            name = "fc3" if layer == "output" else layer
            e = explain_delta(net, x[n], labels[n], layer, unit)
            assert e.delta == pytest.approx(3 * deltas[name][n][unit], rel=1e-10, abs=1e-13)


def test_a_back_propagation_already_computed_gives_the_same_explanations():
    net = network("three-layers")
    x = image(net)
    result = backprop(net, x, 2)
    for layer, unit in [("conv1", (1, 4, 5)), ("conv2", (2, 3, 3)), ("conv3", (0, 1, 1)), ("fc2", 3)]:
        a, b = explain_delta(net, x, 2, layer, unit), explain_delta(net, x, 2, layer, unit, result=result)
        assert a.delta == b.delta and a.sources == b.sources
        np.testing.assert_array_equal(a.terms, b.terms)
    g = explain_weight_gradient(net, x, 2, "conv2", (1, 0, 1, 0), result=result)
    assert g.total == explain_weight_gradient(net, x, 2, "conv2", (1, 0, 1, 0)).total
    with pytest.raises(ValueError, match="^the back-propagation given is for label 2, not 1$"):
        explain_delta(net, x, 1, "fc1", 0, result=result)


def test_the_lecture_network_on_a_digit():
    net = Network(NetworkConfig())
    digit = load_sample().test_images[0]  # uint8, scaled by 1/255 as explain_unit does
    label = int(load_sample().test_labels[0])
    _, _, deltas = net.loss_and_gradients(to_input(digit[None]), np.array([label]), train=False)
    for layer, unit in [("conv1", (5, 14, 13)), ("conv2", (7, 6, 8)), ("fc1", 17), ("fc2", 4), ("output", label)]:
        e = explain_delta(net, digit, label, layer, unit)
        name = "fc3" if layer == "output" else layer
        assert e.delta == pytest.approx(deltas[name][0][unit], rel=1e-5, abs=1e-7)
        assert e.fprime * e.share * e.total == pytest.approx(e.delta, rel=1e-4, abs=1e-7)
    assert len(explain_delta(net, digit, label, "conv1", (0, 9, 9)).terms) == 64 * 3 * 3  # F(k', k, mu, nu)
    assert len(explain_delta(net, digit, label, "conv2", (0, 9, 9)).terms) == 100  # W(n', q), n' of fc1


@pytest.mark.parametrize(("layer", "unit", "label", "message"), [
    ("conv3", (0, 0, 0), 0, "layer must be one of conv1, conv2, fc1, fc2, fc3 or output, not 'conv3'"),
    ("fc4", 0, 0, "layer must be one of conv1, conv2, fc1, fc2, fc3 or output, not 'fc4'"),
    ("conv1", 5, 0, r"the unit of conv1 must be \(k, i, j\), not 5"),
    ("conv1", (0, 0), 0, r"the unit of conv1 must be \(k, i, j\), not \(0, 0\)"),
    ("conv1", (3, 0, 0), 0, "channel must be an integer from 0 to 2, not 3"),
    ("conv2", (0, 0, 6), 0, "col must be an integer from 0 to 5, not 6"),
    ("fc1", 16, 0, "unit must be an integer from 0 to 15, not 16"),
    ("output", (1,), 0, r"unit must be an integer from 0 to 3, not \(1,\)"),
    ("fc1", 0, 4, "label must be an integer from 0 to 3, not 4"),
    ("fc1", 0, True, "label must be an integer from 0 to 3, not True"),
])
def test_bad_delta_arguments_are_one_sentence(layer, unit, label, message):
    net = network("lecture-like")
    with pytest.raises(ValueError, match="^" + message + "$"):
        explain_delta(net, image(net), label, layer, unit)


def test_a_bad_image_is_one_sentence():
    net = network("lecture-like")
    with pytest.raises(ValueError, match=r"^the image must have shape .*, not \(12, 13\)$"):
        explain_delta(net, np.zeros((12, 13)), 0, "fc1", 0)
    with pytest.raises(ValueError, match="^an integer image must hold pixels from 0 to 255$"):
        explain_weight_gradient(net, np.full((12, 12), 300), 0, "fc1", 0)


# -- one weight's gradient ---------------------------------------------------------------------------------------

def indices(net: Network, name: str, count: int = 6):
    """The first, the last and a few random indices of parameter ``name``, as the API takes them."""
    shape = net.params[name].shape
    rng = np.random.default_rng(len(name))
    picked = {tuple(0 for _ in shape), tuple(s - 1 for s in shape)}
    picked |= {tuple(int(rng.integers(s)) for s in shape) for _ in range(count)}
    return sorted(picked)


@pytest.mark.parametrize("name", CONFIGS)
def test_each_gradient_is_the_sum_of_its_products_the_networks_and_finite_differences(name):
    net = network(name)
    x, label = image(net), 3
    loss, grads, _ = net.loss_and_gradients(x, np.array([label]), train=False)
    for pname in net.params:
        layer, kind = pname.split(".")
        for idx in indices(net, pname):
            g = explain_weight_gradient(net, x, label, layer, idx[0] if kind == "b" else idx)
            assert g.param == pname and g.index == idx and g.layer == layer
            np.testing.assert_array_equal(g.products, g.deltas * g.inputs)
            assert len(g.sources) == len(g.products) == len(g.positions)
            assert g.total == pytest.approx(g.gradient, rel=1e-12, abs=1e-15)
            assert g.total == pytest.approx(grads[pname][idx], rel=1e-10, abs=1e-13)
            assert g.total == pytest.approx(numeric(net, x, label, pname, idx), rel=1e-5, abs=1e-9), (pname, idx)


def test_a_filter_gradient_reads_the_padded_input_and_names_it():
    net = network("even-same")  # conv2: 4x4 filters, same padding: 1 zero before, 2 after
    x = image(net)
    trace = net.forward(x)
    g = explain_weight_gradient(net, x, 1, "conv2", (1, 2, 0, 3))
    p = trace.conv[0].p[0, 2]
    H, W = p.shape
    for (i, j), xin, source in zip(g.positions, g.inputs, g.sources):
        r, s = i + 0 - 1, j + 3 - 1
        inside = 0 <= r < H and 0 <= s < W
        assert xin == (p[r, s] if inside else 0)
        assert source == f"δ(1, {i}, {j}) · " + (f"conv1 p(2, {r}, {s})" if inside else "0")
    b = explain_weight_gradient(net, x, 1, "conv2", 1)
    assert b.param == "conv2.b" and (b.inputs == 1).all() and b.sources[0] == "δ(1, 0, 0)"
    w = explain_weight_gradient(net, x, 1, "fc1", (2, 7))
    assert w.sources == ("δ(2) · conv2 p(c=0, i=2, j=1)",) and w.positions.tolist() == [[2, 7]]
    assert explain_weight_gradient(net, x, 1, "fc2", (2, 4)).sources == ("δ(2) · fc1 a(4)",)


def test_a_flipped_window_fails_the_finite_difference_check(monkeypatch):
    """The check that passes for x(c, i + mu, j + nu) fails for the flipped filter's x(c, i + m-1-mu, ...)."""
    net = network("lecture-like")
    x, label = image(net), 2
    _, grads, _ = net.loss_and_gradients(x, np.array([label]), train=False)
    g = np.abs(grads["conv2.W"])
    g[:, :, 1, 1] = 0  # the centre of a 3x3 filter is its own mirror image
    idx = tuple(int(i) for i in np.unravel_index(np.argmax(g), g.shape))
    expected = numeric(net, x, label, "conv2.W", idx)

    right = explain_weight_gradient(net, x, label, "conv2", idx).total
    real = eb.input_window
    monkeypatch.setattr(eb, "input_window", lambda x, m, pad, c, mu, nu, shape: real(x, m, pad, c, m - 1 - mu,
                                                                                     m - 1 - nu, shape))
    wrong = explain_weight_gradient(net, x, label, "conv2", idx).total
    assert abs(right - expected) < 1e-6 * abs(expected)
    assert abs(wrong - expected) > 1e-3 * abs(expected)


@pytest.mark.parametrize(("layer", "index", "message"), [
    ("conv1", (0, 0), r"the index of a weight of conv1 must be \(k, c, mu, nu\), not \(0, 0\)"),
    ("conv1", (0, 0, 3, 0), "mu must be an integer from 0 to 2, not 3"),
    ("conv2", 4, "k must be an integer from 0 to 3, not 4"),
    ("fc1", (0, 0, 0), r"the index of a weight of fc1 must be \(n, m\), not \(0, 0, 0\)"),
    ("output", (4, 0), "n must be an integer from 0 to 3, not 4"),
    ("fc2", (0, 16), "m must be an integer from 0 to 15, not 16"),
    ("fc2", "0", r"the index of a weight of fc2 must be \(n, m\), not '0'"),
    ("pool1", 0, "layer must be one of conv1, conv2, fc1, fc2, fc3 or output, not 'pool1'"),
])
def test_bad_gradient_arguments_are_one_sentence(layer, index, message):
    net = network("lecture-like")
    with pytest.raises(ValueError, match="^" + message + "$"):
        explain_weight_gradient(net, image(net), 0, layer, index)
