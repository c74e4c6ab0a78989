"""One unit's arithmetic (cnnviz.core.inspect): the numbers must be the forward pass's, the receptive field must
be exactly the pixels a unit depends on (found by changing every pixel), the pooling winner the trace's."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.core import ConvSpec, Network, NetworkConfig
from cnnviz.core.inspect import explain_dense, explain_unit, pooled_position, receptive_field
from cnnviz.data import load_sample, to_input

# Odd and even filter sizes, same and valid padding, max / average / no pooling, odd map sizes (a dropped edge).
CONFIGS = {
    "lecture-like": ((1, 12, 12), (ConvSpec(3, 3, "same", "max"), ConvSpec(4, 3, "same", "max"))),
    "even-same": ((1, 13, 13), (ConvSpec(3, 2, "same", "max"), ConvSpec(2, 4, "same", "max"))),
    "valid-average": ((1, 13, 11), (ConvSpec(2, 4, "valid", "average"), ConvSpec(3, 2, "valid", "max"))),
    "three-layers": ((2, 15, 15), (ConvSpec(2, 5, "valid", "none"), ConvSpec(3, 2, "same", "max"),
                                   ConvSpec(2, 3, "valid", "max"))),
}


def network(name: str, seed: int = 1) -> Network:
    shape, conv = CONFIGS[name]
    net = Network(NetworkConfig(input_shape=shape, conv=conv, fc=(6, 4), dropout=0.0, seed=seed), dtype=np.float64)
    rng = np.random.default_rng(seed)
    for key, value in net.params.items():
        if key.endswith(".b"):
            value[...] = rng.normal(0.0, 0.1, value.shape)  # nonzero biases: b(k) must be added
    return net


def image(net: Network, seed: int = 2) -> np.ndarray:
    return np.random.default_rng(seed).random((1, *net.config.input_shape))  # continuous: no ReLU or max ties


def positions(H: int, W: int) -> list[tuple[int, int]]:
    """The four corners, the middle of every edge and the middle."""
    return sorted({(i, j) for i in (0, H // 2, H - 1) for j in (0, W // 2, W - 1)})


@pytest.mark.parametrize("name", CONFIGS)
def test_u_is_the_trace_and_the_sum_of_the_products_plus_the_bias(name):
    net = network(name)
    x = image(net)
    trace = net.forward(x)
    for l, spec in enumerate(net.config.conv):
        K, Hu, Wu = trace.conv[l].u.shape[1:]
        maps = x[0] if l == 0 else trace.conv[l - 1].p[0]
        m = spec.size
        before = (m - 1) // 2 if spec.padding == "same" else 0
        padded = np.pad(maps, ((0, 0), (before, m - 1 - before), (before, m - 1 - before)))
        for k in range(K):
            for i in range(Hu):
                for j in range(Wu):
                    e = explain_unit(net, x, f"conv{l + 1}", k, i, j, trace=trace)
                    assert e.u == trace.conv[l].u[0, k, i, j] and e.a == trace.conv[l].a[0, k, i, j]
                    assert e.u == pytest.approx(e.products.sum() + e.bias, rel=1e-12, abs=1e-12)
                    assert e.total == pytest.approx(e.u, rel=1e-12, abs=1e-12)
                    np.testing.assert_array_equal(e.patch, padded[:, i:i + m, j:j + m])
                    np.testing.assert_array_equal(e.filter, net.params[f"conv{l + 1}.W"][k])
                    np.testing.assert_array_equal(e.products, e.patch * e.filter)
                    assert e.bias == net.params[f"conv{l + 1}.b"][k]
                    assert e.patch_origin == (i - before, j - before)
                    assert e.contributions.sum() == pytest.approx(e.products.sum(), rel=1e-12, abs=1e-12)
                    order = e.channel_order()
                    assert sorted(order.tolist()) == list(range(e.patch.shape[0]))
                    assert np.all(np.diff(np.abs(e.contributions[order])) <= 0)


def test_the_method_on_network_takes_uint8_and_scaled_images_alike():
    net = Network(NetworkConfig())
    digit = load_sample().test_images[3]
    a = explain_unit(net, digit, "conv2", 5, 7, 8)  # uint8 (28, 28), scaled by 1/255
    b = explain_unit(net, to_input(digit[None]), "conv2", 5, 7, 8)  # (1, 1, 28, 28) float, as it is
    trace = net.forward(to_input(digit[None]))
    assert a.u == b.u == trace.conv[1].u[0, 5, 7, 8]
    np.testing.assert_array_equal(a.patch, b.patch)
    assert a.patch.shape == a.filter.shape == a.products.shape == (32, 3, 3)
    assert a.layer == "conv2" and a.input_name == "conv1 p" and a.padding == "same"
    assert a.u == pytest.approx(a.products.sum() + a.bias, rel=1e-5, abs=1e-5)
    # The lecture's network: conv2's 3x3 on conv1's pooled maps sees 8x8 pixels in the middle, fewer at a border.
    assert a.receptive_field == (11, 19, 13, 21)
    assert explain_unit(net, digit, "conv2", 0, 0, 13).receptive_field == (0, 5, 23, 28)
    assert explain_unit(net, digit, "conv1", 0, 27, 0).receptive_field == (26, 28, 0, 2)
    assert explain_unit(net, digit, "conv1", 0, 27, 0).input_field == (26, 28, 0, 2)


@pytest.mark.parametrize("name", CONFIGS)
def test_the_receptive_field_is_exactly_the_pixels_that_change_u(name):
    """Every pixel set to +50 and to -50 in turn (one batch): a unit's u changes for some pixel on every edge of
    its receptive field and for none outside it, so the field is the bounding box of what u depends on."""
    net = network(name)
    x = image(net)
    _, H, W = net.config.input_shape
    batch = np.repeat(x, 2 * H * W + 1, axis=0)
    for n, (i, j) in enumerate(np.ndindex(H, W)):
        batch[1 + 2 * n, :, i, j] = 50.0
        batch[2 + 2 * n, :, i, j] = -50.0
    trace = net.forward(batch)
    for l in range(len(net.config.conv)):
        u = trace.conv[l].u
        for k in range(u.shape[1]):
            for i, j in positions(*u.shape[2:]):
                changed = np.abs(u[1:, k, i, j] - u[0, k, i, j]).reshape(H, W, 2).max(axis=2) > 1e-9
                rows, cols = np.nonzero(changed)
                found = (rows.min(), rows.max() + 1, cols.min(), cols.max() + 1)
                e = explain_unit(net, x, f"conv{l + 1}", k, i, j)
                assert e.receptive_field == found, (l, k, i, j)
                r0, r1, c0, c1 = e.receptive_field
                outside = np.ones((H, W), dtype=bool)
                outside[r0:r1, c0:c1] = False
                assert not changed[outside].any()


@pytest.mark.parametrize("name", CONFIGS)
def test_the_input_field_outlines_the_patch_in_the_previous_map(name):
    net = network(name)
    x = image(net)
    for l in range(1, len(net.config.conv)):
        trace = net.forward(x)
        H, W = trace.conv[l - 1].p.shape[2:]
        Hu, Wu = trace.conv[l].u.shape[2:]
        for i, j in positions(Hu, Wu):
            e = explain_unit(net, x, f"conv{l + 1}", 0, i, j, trace=trace)
            r0, r1, c0, c1 = e.input_field
            assert (r0, c0) == (max(e.patch_origin[0], 0), max(e.patch_origin[1], 0))
            assert r1 == min(e.patch_origin[0] + net.config.conv[l].size, H)
            assert c1 == min(e.patch_origin[1] + net.config.conv[l].size, W)
            assert receptive_field(net, l, (i, i + 1), (j, j + 1), down_to=l) == e.input_field


@pytest.mark.parametrize("name", CONFIGS)
def test_won_and_p_agree_with_the_trace(name):
    net = network(name)
    x = image(net)
    trace = net.forward(x)
    for l, spec in enumerate(net.config.conv):
        conv = trace.conv[l]
        K, Hu, Wu = conv.u.shape[1:]
        if spec.pooling == "max":
            zeta, eta = conv.winner_positions()
        for k in range(K):
            for i in range(Hu):
                for j in range(Wu):
                    e = explain_unit(net, x, f"conv{l + 1}", k, i, j, trace=trace)
                    inside = i < 2 * (Hu // 2) and j < 2 * (Wu // 2)
                    assert e.pooling == spec.pooling
                    if spec.pooling == "none":
                        assert e.won is None and e.block is None and e.winner is None and e.p == e.a
                    elif not inside:  # the odd last row or column: in no block
                        assert e.block is None and e.p is None and e.winner is None
                        assert e.won is (False if spec.pooling == "max" else None)
                    else:
                        assert e.block == (i // 2, j // 2) and e.p == conv.p[0, k, i // 2, j // 2]
                        if spec.pooling == "average":
                            assert e.won is None and e.winner is None
                        else:
                            winner = (zeta[0, k, i // 2, j // 2], eta[0, k, i // 2, j // 2])
                            assert e.winner == winner and e.won is (winner == (i, j))
                            assert e.a == e.p if e.won else e.a <= e.p
                            if not e.won and e.a == e.p:  # a tie (all-zero patches give u = b): the first wins
                                assert winner < (i, j)
                            assert pooled_position(net, trace, f"conv{l + 1}", k, i // 2, j // 2) == winner


def test_pooled_position_without_winners():
    net = network("valid-average")
    trace = net.forward(image(net))
    assert pooled_position(net, trace, "conv1", 1, 2, 3) == (4, 6)  # average: the block's top-left


@pytest.mark.parametrize("name", CONFIGS)
def test_dense_units_are_the_trace(name):
    net = network(name)
    x = image(net)
    trace = net.forward(x)
    for n, size in enumerate(net.config.fc):
        for unit in range(size):
            e = explain_dense(net, x, f"fc{n + 1}", unit)
            v = trace.conv[-1].p[0].reshape(-1) if n == 0 else trace.fc[n - 1].a[0]
            W = net.params[f"fc{n + 1}.W"]
            assert e.u == trace.fc[n].u[0, unit] and e.a == trace.fc[n].a[0, unit]
            assert e.u == pytest.approx(e.total + e.bias, rel=1e-12, abs=1e-12)
            assert sorted(e.indices.tolist()) == list(range(len(v)))
            np.testing.assert_array_equal(e.inputs, v[e.indices])
            np.testing.assert_array_equal(e.weights, W[unit, e.indices])
            np.testing.assert_array_equal(e.products, W[unit, e.indices] * v[e.indices])
            assert np.all(np.diff(np.abs(e.products)) <= 0)  # the largest |W v| first
            assert e.bias == net.params[f"fc{n + 1}.b"][unit]
            last = n == len(net.config.fc) - 1
            assert e.output is last
            if last:
                assert e.probability == trace.probs[0, unit] and e.a == e.u
            else:
                assert e.probability is None and e.a == max(e.u, 0.0)
    out = explain_dense(net, x, "output", 2)
    assert out.layer == f"fc{len(net.config.fc)}" and out.probability == trace.probs[0, 2]


@pytest.mark.parametrize(("args", "message"), [
    (("conv3", 0, 0, 0), "layer must be one of conv1, conv2, not 'conv3'"),
    (("fc1", 0, 0, 0), "layer must be one of conv1, conv2"),
    (("conv1", 3, 0, 0), "channel must be an integer from 0 to 2, not 3"),
    (("conv1", -1, 0, 0), "channel must be an integer from 0 to 2, not -1"),
    (("conv1", True, 0, 0), "channel must be an integer"),
    (("conv1", 0.0, 0, 0), "channel must be an integer"),
    (("conv2", 0, 6, 0), "row must be an integer from 0 to 5, not 6"),
    (("conv2", 0, 0, 6), "col must be an integer from 0 to 5, not 6"),
])
def test_bad_unit_arguments_are_one_sentence(args, message):
    net = network("lecture-like")
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        explain_unit(net, image(net), *args)


@pytest.mark.parametrize(("x", "message"), [
    (np.zeros((12, 13)), r"the image must have shape \(1, 12, 12\) or \(1, 1, 12, 12\) or \(12, 12\), not \(12, 13\)"),
    (np.zeros((2, 1, 12, 12)), "the image must have shape"),
    (np.full((12, 12), 300, dtype=np.int16), "an integer image must hold pixels from 0 to 255"),
    (np.full((12, 12), np.nan), "the image holds values that are not finite"),
    (np.zeros((12, 12), dtype=bool), "the image must hold numbers"),
    (np.full((12, 12), "a"), "the image must hold numbers"),
])
def test_bad_images_are_one_sentence(x, message):
    net = network("lecture-like")
    with pytest.raises(ValueError, match=message):
        explain_unit(net, x, "conv1", 0, 0, 0)


@pytest.mark.parametrize(("layer", "unit", "message"), [
    ("fc3", 0, "layer must be one of fc1, fc2 or output, not 'fc3'"),
    ("conv1", 0, "layer must be one of fc1, fc2 or output"),
    ("fc1", 6, "unit must be an integer from 0 to 5, not 6"),
    ("output", 4, "unit must be an integer from 0 to 3, not 4"),
])
def test_bad_dense_arguments_are_one_sentence(layer, unit, message):
    net = network("lecture-like")
    with pytest.raises(ValueError, match="^" + message):
        explain_dense(net, image(net), layer, unit)
