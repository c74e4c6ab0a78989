"""One image's back-propagation by the lecture's formulas (cnnviz.core.backprop): against the network's own
backward passes, against finite differences of the loss with respect to every u, every parameter and the input,
against the lecture's 2-D correlation; a deliberately wrong variant must fail the same checks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cnnviz.core import ConvSpec, Network, NetworkConfig, correlate
from cnnviz.core import backprop as bp
from cnnviz.core.functional import log_softmax, same_padding
from tests.core.gradcheck import TOLERANCE, numerical_gradient, relative_error

POOLINGS = ("max", "average", "none")
PADDINGS = ("same", "valid")


def config(pooling: str = "max", padding: str = "same", dropout: float = 0.0) -> NetworkConfig:
    """Two conv layers, an odd (3) and an even (2) filter size, on 9x10 two-channel inputs (odd sizes: pooling
    drops a row), three fully connected layers."""
    return NetworkConfig(input_shape=(2, 9, 10), conv=(ConvSpec(3, 3, padding, pooling), ConvSpec(4, 2, padding, pooling)),
                         fc=(6, 5, 4), dropout=dropout)


def network(cfg: NetworkConfig, seed: int = 1) -> tuple[Network, np.ndarray]:
    """A float64 network with non-zero biases and a continuous random image (no ReLU or max ties)."""
    net = Network(cfg, seed=seed, dtype=np.float64)
    rng = np.random.default_rng(seed)
    for name, p in net.params.items():
        if name.endswith(".b"):
            p[...] = rng.normal(0, 0.1, p.shape)
    return net, rng.random((1, *cfg.input_shape))


def loss_of(net: Network, x: np.ndarray, label: int) -> float:
    """E = -log v(label) in inference mode, by the network's forward pass."""
    return float(-log_softmax(net.forward(x).fc[-1].u[0])[label])


# -- a naive reference: the rest of the network from one conv layer's u, in loops ------------------------------

def naive_conv(x: np.ndarray, F: np.ndarray, b: np.ndarray, padding: str) -> np.ndarray:
    """u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) xpad(c, i + mu, j + nu) + b(k), by loops."""
    K, _, m, _ = F.shape
    before, after = same_padding(m) if padding == "same" else (0, 0)
    xpad = np.pad(x, ((0, 0), (before, after), (before, after)))
    Ho, Wo = xpad.shape[1] - m + 1, xpad.shape[2] - m + 1
    u = np.empty((K, Ho, Wo))
    for k in range(K):
        for i in range(Ho):
            for j in range(Wo):
                u[k, i, j] = np.sum(F[k] * xpad[:, i:i + m, j:j + m]) + b[k]
    return u


def naive_pool(a: np.ndarray, pooling: str) -> np.ndarray:
    if pooling == "none":
        return a
    K, H, W = a.shape
    blocks = a[:, :H // 2 * 2, :W // 2 * 2].reshape(K, H // 2, 2, W // 2, 2)
    return blocks.max(axis=(2, 4)) if pooling == "max" else blocks.mean(axis=(2, 4))


def loss_from_conv_u(net: Network, layer: int, u: np.ndarray, label: int) -> float:
    """E as a function of conv layer ``layer``'s u (1-based), everything after it computed naively."""
    cfg, P = net.config, net.params
    p = naive_pool(np.maximum(u, 0), cfg.conv[layer - 1].pooling)
    for l in range(layer + 1, len(cfg.conv) + 1):
        spec = cfg.conv[l - 1]
        p = naive_pool(np.maximum(naive_conv(p, P[f"conv{l}.W"], P[f"conv{l}.b"], spec.padding), 0), spec.pooling)
    return loss_from_fc_u(net, 1, P["fc1.W"] @ p.reshape(-1) + P["fc1.b"], label)


def loss_from_fc_u(net: Network, layer: int, u: np.ndarray, label: int) -> float:
    """E as a function of fully connected layer ``layer``'s u (1-based)."""
    P, L = net.params, len(net.config.fc)
    for l in range(layer + 1, L + 1):
        u = P[f"fc{l}.W"] @ np.maximum(u, 0) + P[f"fc{l}.b"]
    return float(-log_softmax(u)[label])


# -- agreement with the network's backward passes ----------------------------------------------------------------

@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("padding", PADDINGS)
def test_deltas_and_gradients_equal_the_network_backward_pass(pooling, padding):
    net, x = network(config(pooling, padding))
    b = bp.backprop(net, x, 2)
    # dropout 0: the training pass is the inference pass, and its max pooling records its winners
    loss, grads, deltas = net.loss_and_gradients(x, np.array([2]), train=True)
    assert b.loss == pytest.approx(loss, rel=1e-12)
    assert list(b.grads) == list(net.params) and list(b.deltas) == list(deltas)
    for name in net.params:
        assert b.grads[name].shape == net.params[name].shape
        np.testing.assert_allclose(b.grads[name], grads[name], rtol=1e-10, atol=1e-13, err_msg=name)
    for name in deltas:
        np.testing.assert_allclose(b.deltas[name], deltas[name][0], rtol=1e-10, atol=1e-13, err_msg=name)
        assert b.deltas[name].any(), name  # a check on zeros would prove nothing


@pytest.mark.parametrize("pooling", ["max", "average", "none"])
def test_agrees_with_loss_and_gradients_in_inference_mode(pooling):
    net, x = network(config(pooling, dropout=0.3))
    b = bp.backprop(net, x, 1)
    _, grads, _ = net.loss_and_gradients(x, np.array([1]), train=False)
    for name in net.params:
        np.testing.assert_allclose(b.grads[name], grads[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_float32_network_gives_float32_arrays():
    net = Network(config(), dtype=np.float32)
    x = np.random.default_rng(0).random(config().input_shape, dtype=np.float32)
    b = bp.backprop(net, x, 0)
    assert all(g.dtype == np.float32 for g in b.grads.values())
    assert all(d.dtype == np.float32 for d in b.deltas.values())


# -- finite differences ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("padding", PADDINGS)
def test_every_delta_is_dE_du_by_finite_differences(pooling, padding):
    """delta = dE/du, u perturbed directly: the loss of the rest of the network is computed naively from u."""
    net, x = network(config(pooling, padding))
    label = 3
    b = bp.backprop(net, x, label)
    for l in (1, 2):
        u = b.trace.conv[l - 1].u[0].copy()
        assert loss_from_conv_u(net, l, u, label) == pytest.approx(b.loss, rel=1e-12)  # the reference is right
        numeric = numerical_gradient(lambda l=l, u=u: loss_from_conv_u(net, l, u, label), u)
        assert relative_error(b.deltas[f"conv{l}"], numeric) < TOLERANCE, f"conv{l}"
    for l in (1, 2, 3):
        u = b.trace.fc[l - 1].u[0].copy()
        numeric = numerical_gradient(lambda l=l, u=u: loss_from_fc_u(net, l, u, label), u)
        assert relative_error(b.deltas[f"fc{l}"], numeric) < TOLERANCE, f"fc{l}"


@pytest.mark.parametrize("pooling", POOLINGS)
def test_every_parameter_gradient_by_finite_differences(pooling):
    net, x = network(config(pooling, "valid"))
    b = bp.backprop(net, x, 0)
    for name, p in net.params.items():
        numeric = numerical_gradient(lambda: loss_of(net, x, 0), p)
        assert relative_error(b.grads[name], numeric) < TOLERANCE, name


@pytest.mark.parametrize("padding", PADDINGS)
def test_input_gradient_is_the_full_correlation_with_flipped_filters(padding):
    """dE/dx of the image by finite differences equals input_gradient(delta of conv1, F1): section 3.3's full
    correlation, applied once more down to the image."""
    net, x = network(config("max", padding))
    b = bp.backprop(net, x, 2)
    analytic = bp.input_gradient(b.deltas["conv1"], net.params["conv1.W"], x.shape[2:], padding)
    numeric = numerical_gradient(lambda: loss_of(net, x, 2), x)[0]
    assert analytic.shape == x.shape[1:]
    assert relative_error(analytic, numeric) < TOLERANCE


def test_filter_gradient_is_the_correlation_of_the_input_with_delta():
    """dE/dF(k, c) = correlate(delta(k), x_padded(c)): the lecture's 2-D correlation with delta as the filter;
    dE/db(k) = sum of delta(k)."""
    for padding in PADDINGS:
        net, x = network(config("max", padding))
        b = bp.backprop(net, x, 1)
        layer_input = b.trace.conv[0].p[0]
        m = net.config.conv[1].size
        pads = same_padding(m) if padding == "same" else (0, 0)
        delta, dF = b.deltas["conv2"], b.grads["conv2.W"]
        for k in range(dF.shape[0]):
            for c in range(dF.shape[1]):
                np.testing.assert_allclose(dF[k, c], correlate(delta[k], np.pad(layer_input[c], pads)), rtol=1e-12)
        np.testing.assert_allclose(b.grads["conv2.b"], delta.sum(axis=(1, 2)), rtol=1e-12)


# -- the lecture's structure -----------------------------------------------------------------------------------------

def test_unpooling_puts_deltas_only_at_the_winners():
    net, x = network(config("max", "same"))
    b = bp.backprop(net, x, 2)
    P = net.params
    for l in (1, 2):
        conv, delta = b.trace.conv[l - 1], b.deltas[f"conv{l}"]
        zeta, eta = conv.winner_positions()
        winners = np.zeros(delta.shape, dtype=bool)
        k = np.arange(delta.shape[0])[:, None, None]
        winners[k, zeta[0], eta[0]] = True
        assert not delta[~winners].any()  # the three losers of every block and the dropped odd row: 0
        assert delta[winners].any()
        # at the winner: dE/dp of the block times f'(u)
        dp = (P["fc1.W"].T @ b.deltas["fc1"]).reshape(conv.p.shape[1:]) if l == 2 else \
            bp.input_gradient(b.deltas["conv2"], P["conv2.W"], conv.p.shape[2:], "same")
        np.testing.assert_allclose(delta[k, zeta[0], eta[0]], dp * (conv.u[0][k, zeta[0], eta[0]] > 0), rtol=1e-12)


def test_shapes_and_the_output_delta_of_the_lecture_network():
    net = Network(NetworkConfig())
    x = np.random.default_rng(0).random((28, 28), dtype=np.float32)  # (H, W) is accepted for one channel
    b = bp.backprop(net, x, 7)
    assert {k: v.shape for k, v in b.deltas.items()} == {"conv1": (32, 28, 28), "conv2": (64, 14, 14),
                                                           "fc1": (100,), "fc2": (200,), "fc3": (10,)}
    assert {k: v.shape for k, v in b.grads.items()} == {k: v.shape for k, v in net.params.items()}
    r = np.eye(10, dtype=np.float32)[7]
    np.testing.assert_allclose(b.deltas["fc3"], b.probs - r, rtol=1e-6)  # delta_out = v - r
    assert b.loss == pytest.approx(-np.log(b.probs[7]), rel=1e-6)


@pytest.mark.parametrize("wrong", ["unflipped filters", "unpool to the block's first pixel", "flipped filter gradient"])
def test_a_wrong_variant_fails_the_checks(monkeypatch, wrong):
    net, x = network(config("max", "same"))
    _, grads, deltas = net.loss_and_gradients(x, np.array([2]), train=True)
    if wrong == "unflipped filters":
        real = bp.input_gradient
        monkeypatch.setattr(bp, "input_gradient",
                            lambda d, F, shape, pad: real(d, F[:, :, ::-1, ::-1].copy(), shape, pad))
    elif wrong == "unpool to the block's first pixel":
        def first(dp, conv, pooling):
            da = np.zeros(conv.a.shape[1:], dtype=dp.dtype)
            da[:, :2 * dp.shape[1]:2, :2 * dp.shape[2]:2] = dp
            return da
        monkeypatch.setattr(bp, "unpool", first)
    else:
        real = bp.filter_gradient
        monkeypatch.setattr(bp, "filter_gradient", lambda *args: real(*args)[:, :, ::-1, ::-1])
    b = bp.backprop(net, x, 2)
    monkeypatch.undo()
    worst = max(relative_error(b.grads[name], grads[name]) for name in grads)
    assert worst > 1e-3  # the check that passes for the right code fails for this one
    if wrong != "flipped filter gradient":
        assert relative_error(b.deltas["conv1"], deltas["conv1"][0]) > 1e-3


# -- layer norms ---------------------------------------------------------------------------------------------------

def test_layer_norms_are_those_of_the_batch_mean_gradient():
    net, _ = network(config("max", "same", dropout=0.3))
    rng = np.random.default_rng(5)
    x, labels = rng.random((5, *net.config.input_shape)), np.array([0, 1, 2, 3, 1])
    names, g, w = bp.layer_norms(net, x, labels)
    assert names == ["conv1", "conv2", "fc1", "fc2", "fc3"]
    # the reference: the network's batch gradient with dropout off (the same parameters, dropout ratio 0)
    twin = Network(dataclasses.replace(net.config, dropout=0.0), dtype=np.float64)
    twin.set_params(net.params)
    loss, grads, _ = twin.loss_and_gradients(x, labels, train=True)
    for n, name in enumerate(names):
        expect_g = np.sqrt(np.sum(grads[f"{name}.W"] ** 2) + np.sum(grads[f"{name}.b"] ** 2))
        expect_w = np.sqrt(np.sum(net.params[f"{name}.W"] ** 2) + np.sum(net.params[f"{name}.b"] ** 2))
        assert g[n] == pytest.approx(expect_g, rel=1e-10) and w[n] == pytest.approx(expect_w, rel=1e-12)
    mean_loss, _ = bp.mean_gradients(net, x, labels)
    assert mean_loss == pytest.approx(loss, rel=1e-12)


def test_bad_input_is_one_sentence():
    net, x = network(config())
    with pytest.raises(ValueError, match=r"^the image must have shape \(2, 9, 10\) or \(1, 2, 9, 10\), "
                                         r"not \(2, 2, 9, 10\)$"):
        bp.backprop(net, np.zeros((2, 2, 9, 10)), 0)
    with pytest.raises(ValueError, match="label must be a class in 0..3, not 4"):
        bp.backprop(net, x, 4)
    with pytest.raises(ValueError, match="at least one image"):
        bp.mean_gradients(net, x[:0], np.zeros(0, dtype=int))
