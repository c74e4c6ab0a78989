"""Winograd's F(2x2, 3x3): the lecture's formula in float64, finite differences, and im2col in float32."""

import numpy as np
import pytest

from cnnviz.core.layers import Conv2D, uses_winograd
from cnnviz.core.winograd import filter_gradient, filter_transform
from tests.core.gradcheck import TOLERANCE, check_layer, naive_conv, numerical_gradient, relative_error

RNG = np.random.default_rng(2016)

FLOAT32_AGREEMENT = 2e-6
"""Winograd against im2col in float32 on the lecture's conv2 (100 images, 32 maps in, 64 out), relative to the
largest value: measured 6e-7 to 9e-7 for u, dE/dF and dE/dx and 3e-6 for dE/db, a sum of 19,600 deltas
whose terms cancel (its bound is 1e-5); in float64 the two agree to 1e-15."""


@pytest.mark.parametrize("padding, shape", [("same", (2, 6, 6)), ("same", (2, 7, 5)), ("same", (1, 2, 2)),
                                            ("valid", (2, 6, 6)), ("valid", (2, 7, 5)), ("valid", (1, 3, 4))])
def test_winograd_is_the_lecture_formula(padding, shape):
    """Even and odd outputs (a half-used last block), a single block, and a single output of 'valid'."""
    N, H, W_ = shape
    x = RNG.standard_normal((N, 3, H, W_))
    F, b = RNG.standard_normal((4, 3, 3, 3)), RNG.standard_normal(4)
    u = Conv2D(F, b, padding, method="winograd").forward(x.transpose(0, 2, 3, 1))
    np.testing.assert_allclose(u.transpose(0, 3, 1, 2), naive_conv(x, F, b, padding), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(2, 6, 6), (2, 5, 7)])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_winograd_gradients(shape, padding):
    """dE/dF, dE/db and dE/dx (the transposed tiles added back) against finite differences, float64."""
    layer = Conv2D(RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3), padding, method="winograd")
    check_layer(layer, RNG.standard_normal((shape[0], shape[1], shape[2], 2)), params=("W", "b"))


def test_winograd_first_layer_skips_the_input_gradient():
    layer = Conv2D(RNG.standard_normal((3, 1, 3, 3)), RNG.standard_normal(3), need_dx=False, method="winograd")
    check_layer(layer, RNG.standard_normal((2, 5, 4, 1)), params=("W", "b"))


def test_a_wrong_winograd_gradient_fails_the_check():
    """The check has teeth: the filter gradient with mu and nu swapped, and dE/dx one column off, both fail."""
    layer = Conv2D(RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3), method="winograd")
    x = RNG.standard_normal((2, 6, 6, 2))
    G = RNG.standard_normal(layer.forward(x).shape)
    dx = layer.backward(G)

    def loss():
        return float((layer.forward(x) * G).sum())

    assert relative_error(layer.grads["W"].swapaxes(2, 3), numerical_gradient(loss, layer.params["W"])) > 1e-2
    assert relative_error(np.roll(dx, 1, axis=2), numerical_gradient(loss, x)) > 1e-2
    assert relative_error(dx, numerical_gradient(loss, x)) < TOLERANCE  # and the right one passes


def test_filter_gradient_is_the_transpose_of_the_filter_transform():
    """<filter_transform(F), dU> = <F, filter_gradient(dU)> for every F and dU: one is the other's adjoint."""
    F, dU = RNG.standard_normal((5, 4, 3, 3)), RNG.standard_normal((4, 2, 2, 4, 5))
    assert np.isclose((filter_transform(F) * dU).sum(), (F * filter_gradient(dU)).sum(), rtol=1e-12)


def test_float32_agrees_with_im2col_on_the_lecture_conv2():
    x = RNG.random((100, 14, 14, 32), dtype=np.float32)
    F = (RNG.standard_normal((64, 32, 3, 3)) * np.sqrt(2 / 288)).astype(np.float32)
    b = (RNG.standard_normal(64) * 0.1).astype(np.float32)
    delta = (RNG.standard_normal((100, 14, 14, 64)) * 1e-3).astype(np.float32)
    results = []
    for method in ("im2col", "winograd"):
        layer = Conv2D(F, b, method=method)
        u = layer.forward(x)
        dx = layer.backward(delta)
        results.append((u, layer.grads["W"].copy(), dx, layer.grads["b"].copy()))
    for ref, new in zip(results[0], results[1]):
        assert new.dtype == np.float32
    for ref, new in zip(results[0][:3], results[1][:3]):
        assert np.abs(new - ref).max() <= FLOAT32_AGREEMENT * np.abs(ref).max()
    db_ref, db_new = results[0][3], results[1][3]
    assert np.abs(db_new - db_ref).max() <= 1e-5 * np.abs(db_ref).max()


def test_buffers_are_reused_but_outputs_are_not():
    layer = Conv2D(RNG.standard_normal((4, 8, 3, 3)), RNG.standard_normal(4), method="winograd")
    x1, x2 = RNG.standard_normal((2, 6, 6, 8)), RNG.standard_normal((3, 6, 6, 8))
    u1 = layer.forward(x1)
    kept = u1.copy()
    layer.forward(x2)  # another batch size: new buffers
    u3 = layer.forward(x1)
    np.testing.assert_array_equal(u1, kept)  # the first output was not overwritten
    np.testing.assert_array_equal(u3, u1)


def test_auto_uses_winograd_only_where_it_measured_faster():
    assert not uses_winograd(3, 32, 64)  # the lecture's conv2: im2col is faster (benchmarks/train_speed.py)
    assert uses_winograd(3, 128, 128)
    assert not uses_winograd(5, 128, 128) and not uses_winograd(3, 1, 32)
    with pytest.raises(ValueError, match="winograd"):
        Conv2D(np.zeros((2, 2, 5, 5)), np.zeros(2), method="winograd")
