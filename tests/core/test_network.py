"""The whole network: configuration, trace shapes, and back-propagation against finite differences."""

import os
import subprocess
import sys

import numpy as np
import pytest

from cnnviz.core import ConvSpec, Network, NetworkConfig
from cnnviz.errors import ConfigError
from cnnviz.parallel import GradientWorkers
from tests.core.gradcheck import TOLERANCE, numerical_gradient, relative_error


def small_config(**kw):
    kw.setdefault("dropout", 0.3)
    return NetworkConfig(input_shape=(1, 8, 8), conv=(ConvSpec(3, 3), ConvSpec(4, 2)), fc=(6, 5, 4), **kw)


def test_default_is_the_lecture_network():
    cfg = NetworkConfig()
    assert cfg.input_shape == (1, 28, 28) and cfg.fc == (100, 200, 10) and cfg.dropout == 0.2
    assert [(c.filters, c.size, c.padding, c.pooling) for c in cfg.conv] == [(32, 3, "same", "max"),
                                                                              (64, 3, "same", "max")]
    net = Network(cfg)
    assert list(net.params) == ["conv1.W", "conv1.b", "conv2.W", "conv2.b", "fc1.W", "fc1.b",
                                "fc2.W", "fc2.b", "fc3.W", "fc3.b"]
    assert net.params["conv2.W"].shape == (64, 32, 3, 3) and net.params["fc1.W"].shape == (100, 3136)
    assert all(p.dtype == np.float32 for p in net.params.values())


def test_trace_shapes_of_the_default_network():
    net = Network()
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    t = net.forward(x)
    c1, c2 = t.conv
    assert c1.u.shape == c1.a.shape == (2, 32, 28, 28) and c1.p.shape == (2, 32, 14, 14)
    assert c2.u.shape == (2, 64, 14, 14) and c2.p.shape == (2, 64, 7, 7)
    assert c2.p.reshape(2, -1).shape == (2, 3136)
    assert [f.u.shape for f in t.fc] == [(2, 100), (2, 200), (2, 10)]
    assert t.probs.shape == (2, 10) and np.allclose(t.probs.sum(axis=1), 1)
    assert all(a.dtype == np.float32 for a in (c1.u, c1.a, c2.p, t.fc[0].u, t.probs))
    # the trace is consistent: a = ReLU(u), p = max of each block at the recorded winner
    np.testing.assert_array_equal(c1.a, np.maximum(c1.u, 0))
    zeta, eta = c2.winner_positions()
    n, k, i, j = np.indices(c2.p.shape)
    np.testing.assert_array_equal(c2.a[n, k, zeta, eta], c2.p)
    assert np.all(c2.a[:, :, 0::2, 0::2][:, :, :7, :7] <= c2.p)


def test_he_initialisation():
    net = Network(NetworkConfig(), seed=3)
    assert abs(net.params["conv2.W"].std() - np.sqrt(2 / (32 * 9))) < 0.01
    assert abs(net.params["fc1.W"].std() - np.sqrt(2 / 3136)) < 0.001
    assert not net.params["fc1.b"].any()
    same = Network(NetworkConfig(), seed=3, dtype=np.float64)
    np.testing.assert_allclose(same.params["fc1.W"], net.params["fc1.W"], rtol=1e-6)


@pytest.mark.parametrize("conv, message", [
    ((ConvSpec(4, 9, "valid"),), "conv1: a 9x9 filter does not fit its 8x8 input"),
    ((ConvSpec(4, 1),) * 4, "conv4: 2x2 pooling of a 1x1 map leaves nothing"),
    # a filter larger than its input map, with same padding as with valid
    ((ConvSpec(4), ConvSpec(4), ConvSpec(4)), "conv3: a 3x3 filter does not fit its 2x2 input with same padding"),
    ((ConvSpec(4, 9),), "conv1: a 9x9 filter does not fit its 8x8 input with same padding"),
    ((ConvSpec(0),), "conv1 needs at least 1 filter"),
    ((ConvSpec(4, 3, "full"),), "conv1: padding must be"),
])
def test_impossible_configurations_are_refused_naming_the_layer(conv, message):
    with pytest.raises(ConfigError, match=message):
        NetworkConfig(input_shape=(1, 8, 8), conv=conv)


def test_config_round_trips_through_a_dict():
    cfg = small_config()
    assert NetworkConfig.from_dict(cfg.to_dict()) == cfg


def loss_function(net, x, labels, seed):
    return lambda: net.loss_and_gradients(x, labels, rng=np.random.default_rng(seed))[0]


@pytest.mark.parametrize("pooling", ["max", "average", "none"])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_whole_network_gradients_with_dropout_under_a_fixed_mask(pooling, padding):
    cfg = NetworkConfig(input_shape=(1, 8, 8), conv=(ConvSpec(3, 3, padding, pooling), ConvSpec(2, 2, padding, pooling)),
                        fc=(6, 5, 4), dropout=0.3)
    net = Network(cfg, seed=1, dtype=np.float64)
    rng = np.random.default_rng(2)
    for p in net.params.values():  # biases away from zero so that ReLU kinks are not hit exactly
        p += 0.05 * rng.standard_normal(p.shape)
    x, labels = rng.random((3, 1, 8, 8)), np.array([0, 3, 1])
    loss, grads, deltas = net.loss_and_gradients(x, labels, rng=np.random.default_rng(9))
    f = loss_function(net, x, labels, 9)  # the same dropout mask at every evaluation
    for name, p in net.params.items():
        assert grads[name].shape == p.shape
        err = relative_error(grads[name], numerical_gradient(f, p))
        assert err < TOLERANCE, f"{name}: relative error {err:.2e}"
    # the lecture's dE/db(k) = sum_{n,i,j} delta(k, i, j), and dE/db = delta for fully connected layers
    np.testing.assert_allclose(grads["conv2.b"], deltas["conv2"].sum(axis=(0, 2, 3)))
    np.testing.assert_allclose(grads["fc2.b"], deltas["fc2"].sum(axis=0))
    assert deltas["conv1"].shape == (3, 3) + ((8, 8) if padding == "same" else (6, 6))


def test_a_deliberately_wrong_network_gradient_fails():
    net = Network(small_config(dropout=0.0), seed=1, dtype=np.float64)
    rng = np.random.default_rng(3)
    x, labels = rng.random((2, 1, 8, 8)), np.array([1, 2])
    _, grads, _ = net.loss_and_gradients(x, labels)
    numeric = numerical_gradient(loss_function(net, x, labels, 0), net.params["conv2.W"])
    assert relative_error(grads["conv2.W"], numeric) < TOLERANCE
    assert relative_error(grads["conv2.W"].transpose(1, 0, 2, 3).reshape(grads["conv2.W"].shape), numeric) > 0.1
    # forgetting the dropout mask in the backward pass (the original program's bug) is caught too
    net = Network(small_config(dropout=0.5), seed=1, dtype=np.float64)
    _, grads, _ = net.loss_and_gradients(x, labels, rng=np.random.default_rng(4))
    for _, _, _, dropout in net.fc_layers[:-1]:
        dropout.mask = None  # backward without the mask
    net._backward()
    wrong = net.gradients["fc2.W"].copy()
    numeric = numerical_gradient(loss_function(net, x, labels, 4), net.params["fc2.W"])
    assert np.abs(numeric).max() > 0
    assert relative_error(wrong, numeric) > TOLERANCE


def test_two_worker_threads_give_the_full_batch_gradient():
    net = Network(small_config(dropout=0.0), seed=5, dtype=np.float64)
    rng = np.random.default_rng(6)
    x, labels = rng.random((7, 1, 8, 8)), rng.integers(0, 4, 7)
    loss, grads, _ = net.loss_and_gradients(x, labels)
    workers = GradientWorkers(net, 2, seed=0)
    try:
        loss2, correct, grads2 = workers.loss_and_gradients(x, labels)
    finally:
        workers.close()
    assert np.isclose(loss, loss2)
    for name in grads:
        np.testing.assert_allclose(grads2[name], grads[name], rtol=1e-12, atol=1e-15)
    assert correct == int((net.predict_proba(x).argmax(1) == labels).sum())


def test_a_run_on_one_thread_computes_on_one_blas_thread():
    """``threads`` is every thread a run computes on: with one, OpenBLAS's own threads would spin beside it (ten
    times slower a step on a busy 2-core machine). A fresh process, as the setting is made for good."""
    code = ("from threadpoolctl import threadpool_info; from cnnviz.core import Network; "
            "from cnnviz.parallel import GradientWorkers; "
            "blas = lambda: [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']; "
            "before = blas(); GradientWorkers(Network(), 1, seed=0).close(); print(before, blas())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "OPENBLAS_NUM_THREADS": "2"}).stdout.split("] [")
    assert out[0] == "[2" and out[1].strip() == "1]"


def test_float32_stays_float32():
    net = Network(small_config())
    x = np.random.default_rng(0).random((4, 1, 8, 8), dtype=np.float32)
    loss, grads, deltas = net.loss_and_gradients(x, np.arange(4), rng=np.random.default_rng(0))
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(d.dtype == np.float32 for d in deltas.values())


def test_pooling_before_relu_in_training_gives_the_lectures_gradient():
    """Training pools u before ReLU (they commute); the deltas and gradients equal ReLU-then-pool's, also on
    MNIST digits whose blank background makes whole blocks tie."""
    from cnnviz.core import Trace
    from cnnviz.data import load_sample, to_input

    data = load_sample()
    net = Network(NetworkConfig(conv=(ConvSpec(4), ConvSpec(6)), fc=(12, 10), dropout=0.0), seed=2,
                  dtype=np.float64)
    net.params["conv1.b"][:] = [0.1, -0.1, 0.0, 0.2]  # positive biases: ties at a > 0 in the background
    x, labels = to_input(data.test_images[:8], np.float64), data.test_labels[:8].astype(np.intp)
    _, grads, deltas = net.loss_and_gradients(x, labels)  # pool first
    logits = net._logits(x, False, None, Trace(x))  # the lecture's order, as the views see it
    net.output.forward(logits, labels)
    lecture_deltas = {}
    net._backward(lecture_deltas)
    for name in deltas:  # to rounding: conv2's input gradient comes from Winograd's tiles in training
        np.testing.assert_allclose(deltas[name], lecture_deltas[name], rtol=1e-12, atol=1e-16)
    for name, g in net.gradients.items():
        np.testing.assert_allclose(grads[name], g, rtol=1e-12, atol=1e-14)


def test_a_copy_has_the_same_parameters_in_arrays_of_its_own():
    net = Network(small_config(dropout=0.0), seed=3)
    twin = net.copy()
    x = np.random.default_rng(1).random((2, 1, 8, 8), dtype=np.float32)
    np.testing.assert_array_equal(twin.forward(x).probs, net.forward(x).probs)
    assert twin.config == net.config and twin.dtype == net.dtype
    assert all(not np.shares_memory(twin.params[k], net.params[k]) for k in net.params)
    twin.params["conv1.W"] += 1.0  # changing one leaves the other
    assert not np.array_equal(twin.forward(x).probs, net.forward(x).probs)
    np.testing.assert_array_equal(Network(small_config(dropout=0.0), seed=3).forward(x).probs, net.forward(x).probs)


# -- one rule for the input, and bad arguments refused in one sentence (issue 20) ---------------------------------

def test_integer_images_are_pixels_0_to_255_for_every_function_that_takes_images():
    """forward took uint8 images unscaled (a probability of 0.854 where explain_unit's scaled pass said 0.256):
    forward, predict_proba, loss_and_gradients, backprop and explain_unit all read uint8 as pixel / 255."""
    from cnnviz.core.backprop import backprop
    from cnnviz.core.inputs import network_input
    from cnnviz.core.inspect import explain_dense

    net = Network(small_config(dropout=0.0), dtype=np.float64)
    pixels = np.random.default_rng(3).integers(0, 256, (5, 1, 8, 8)).astype(np.uint8)
    scaled = pixels / 255.0
    np.testing.assert_array_equal(network_input(pixels, np.float64), scaled)
    expect = net.forward(scaled).probs
    np.testing.assert_array_equal(net.forward(pixels).probs, expect)
    np.testing.assert_array_equal(net.forward(pixels).x, scaled)
    np.testing.assert_array_equal(net.predict_proba(pixels, batch_size=2), net.predict_proba(scaled, batch_size=2))
    labels = np.arange(5) % 4
    assert net.loss_and_gradients(pixels, labels, train=False)[0] == net.loss_and_gradients(scaled, labels,
                                                                                             train=False)[0]
    assert backprop(net, pixels[0], 1).loss == backprop(net, scaled[0], 1).loss
    out = explain_dense(net, pixels[0], "output", 2)
    assert out.probability == pytest.approx(expect[0, 2], rel=1e-12)
    # an int16 image of the same pixels: the same; the float images untouched (no copy of the network's dtype)
    np.testing.assert_array_equal(net.forward(pixels.astype(np.int16)).probs, expect)
    assert network_input(scaled, np.float64) is scaled


@pytest.mark.parametrize(("call", "message"), [
    (lambda net, x: net.forward(x[:0]), "a batch needs at least one image, this one has none"),
    (lambda net, x: net.loss_and_gradients(x[:0], np.zeros(0, np.int64), train=False),
     "a batch needs at least one image, this one has none"),
    (lambda net, x: net.forward(x[0]), r"the images must be an array of shape \(N, 1, 8, 8\), not \(1, 8, 8\)"),
    (lambda net, x: net.forward(np.full_like(x, np.nan)), "the images hold values that are not finite"),
    (lambda net, x: net.forward(x > 0.5), "the images must hold numbers .*, not bool"),
    (lambda net, x: net.forward(np.full(x.shape, 256, np.int32)), "integer images must hold pixels from 0 to 255"),
    (lambda net, x: net.predict_proba(x, batch_size=-1), "the batch size must be a whole number, 1 or more, not -1"),
    (lambda net, x: net.predict_proba(x, batch_size=0), "the batch size must be a whole number, 1 or more, not 0"),
    (lambda net, x: net.predict_proba(x, batch_size=2.5), "the batch size must be a whole number, 1 or more"),
    (lambda net, x: net.predict_proba(x[:0, :, :4]), r"the images must be an array of shape \(N, 1, 8, 8\)"),
    (lambda net, x: net.loss_and_gradients(x, [0, 1, -1], train=False), "the labels must be classes 0 to 3, not -1"),
    (lambda net, x: net.loss_and_gradients(x, [0, 1, 4], train=False), "the labels must be classes 0 to 3, not 4"),
    (lambda net, x: net.loss_and_gradients(x, [0.0, 1.0, 2.0], train=False),
     r"the labels must be whole numbers \(classes 0 to 3\), not float64"),
    (lambda net, x: net.loss_and_gradients(x, [0, 1], train=False),
     r"the labels must be one per image, shape \(3,\), not \(2,\)"),
    (lambda net, x: Network(net.config, seed=-1), "the seed must be 0 or more, not -1"),
    (lambda net, x: Network(NetworkConfig(seed=-1)), "the seed must be 0 or more, not -1"),
    (lambda net, x: Network(net.config, seed=1.5), "the seed must be a whole number, 0 or more, not 1.5"),
    (lambda net, x: Network(net.config, dtype="int8"), "dtype must be float32 or float64, not int8"),
    (lambda net, x: Network(net.config, dtype="nonsense"), "dtype must be float32 or float64, not 'nonsense'"),
])
def test_bad_arguments_are_a_value_error_of_one_sentence(call, message):
    """An empty batch, batch_size 0 or -1 (an empty result), a label of -1 (trained as the last class), a
    negative seed: raw NumPy errors or silent nonsense before."""
    net = Network(small_config())
    x = np.random.default_rng(0).random((3, 1, 8, 8)).astype(np.float32)
    with pytest.raises(ValueError, match="^" + message) as refused:
        call(net, x)
    assert "\n" not in str(refused.value)


def test_an_empty_set_of_images_has_no_probabilities():
    net = Network(small_config())
    assert net.predict_proba(np.zeros((0, 1, 8, 8), np.uint8)).shape == (0, 4)
