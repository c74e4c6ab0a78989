"""A conv layer and its max pooling computed together, a few images at a time (cnnviz.core.convpool): the same
numbers as the two layers one after the other, and finite differences."""

import numpy as np
import pytest

from cnnviz.core import convpool
from cnnviz.core.convpool import ConvMaxPool
from cnnviz.core.layers import Conv2D, MaxPool2D
from cnnviz.core.program import ColumnMajorMaxPool
from tests.core.gradcheck import check_layer

RNG = np.random.default_rng(22)


def two_images_a_chunk(monkeypatch, Ho, Wo, K, C, m):
    """convpool.CHUNK_FLOATS set so that its chunks hold two images: 5 images in chunks of 2, 2 and 1."""
    monkeypatch.setattr(convpool, "CHUNK_FLOATS", 2 * Ho * Wo * max(K, m * m * C + 1))


@pytest.mark.parametrize("C, m, padding", [(1, 3, "same"), (3, 3, "same"), (2, 2, "same"), (3, 3, "valid"),
                                           (1, 5, "valid")])
def test_the_same_numbers_as_conv_then_max_pooling(monkeypatch, C, m, padding):
    two_images_a_chunk(monkeypatch, 6, 4, 4, C, m)
    H, W = (6, 4) if padding == "same" else (6 + m - 1, 4 + m - 1)
    x = RNG.integers(-2, 3, (5, H, W, C)).astype(np.float64)  # small integers: exact sums, and many ties
    F, b = RNG.integers(-2, 3, (4, C, m, m)).astype(np.float64), RNG.integers(-2, 3, 4).astype(np.float64)
    conv, pool = Conv2D(F, b, padding), MaxPool2D()
    fused = ConvMaxPool(Conv2D(F, b, padding), MaxPool2D())
    assert fused.applies(x.shape)
    p = fused.forward(x)
    assert len(fused._chunks) == 3
    np.testing.assert_array_equal(p, pool.forward(conv.forward(x)))
    np.testing.assert_array_equal(fused.pool.winners, pool.winners)
    dp = RNG.integers(-3, 4, p.shape).astype(np.float64)
    delta = np.empty((5, 6, 4, 4))
    dx = fused.backward(dp, delta)
    np.testing.assert_array_equal(delta, pool.backward(dp))
    np.testing.assert_array_equal(dx, conv.backward(delta))
    for k in ("W", "b"):
        np.testing.assert_array_equal(fused.grads[k], conv.grads[k])
    # inference: the same maps, no winners
    np.testing.assert_array_equal(fused.forward(x, winners=False), p)
    assert fused.pool.winners is None


@pytest.mark.parametrize("C", [1, 3])
def test_gradients_against_finite_differences(monkeypatch, C):
    two_images_a_chunk(monkeypatch, 6, 4, 4, C, 3)
    x = RNG.standard_normal((5, 6, 4, C))
    fused = ConvMaxPool(Conv2D(RNG.standard_normal((4, C, 3, 3)), RNG.standard_normal(4)), MaxPool2D())
    check_layer(fused, x, params=("W", "b"))


def test_a_filter_gradient_without_the_last_chunk_fails_the_check(monkeypatch):
    two_images_a_chunk(monkeypatch, 6, 4, 3, 2, 3)
    x = RNG.standard_normal((5, 6, 4, 2))
    fused = ConvMaxPool(Conv2D(RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3), need_dx=False),
                        MaxPool2D())
    forward = fused.forward

    def forgetful_forward(x, winners=True):  # the backward pass then skips the last chunk, image 5
        p = forward(x, winners)
        fused._chunks = fused._chunks[:-1]
        return p

    fused.forward = forgetful_forward
    with pytest.raises(AssertionError):
        check_layer(fused, x, params=("W",))


def test_only_the_lectures_max_pooling_by_im2col_with_an_even_output():
    F, b = RNG.standard_normal((2, 1, 3, 3)), np.zeros(2)
    assert ConvMaxPool(Conv2D(F, b), MaxPool2D()).applies((1, 6, 4, 1))
    assert not ConvMaxPool(Conv2D(F, b), MaxPool2D()).applies((1, 5, 4, 1))  # odd: a row dropped
    assert not ConvMaxPool(Conv2D(F, b), ColumnMajorMaxPool()).applies((1, 6, 4, 1))  # the program's ties
    assert not ConvMaxPool(Conv2D(F, b, method="winograd"), MaxPool2D()).applies((1, 6, 4, 1))


def test_winograd_agrees_with_im2col_in_float32(monkeypatch):
    """3x3 filters with same padding ("auto"): p, dE/dx, dE/dF and dE/db by Winograd's F(2x2, 3x3), each within
    2e-6 of its largest value by im2col and the tap planes (measured for the lecture's conv2 shape: 3e-7 or less),
    and the same winners."""
    two_images_a_chunk(monkeypatch, 14, 14, 64, 32, 3)
    x = RNG.standard_normal((5, 14, 14, 32)).astype(np.float32)
    F = (RNG.standard_normal((64, 32, 3, 3)) / 17).astype(np.float32)
    b = RNG.standard_normal(64).astype(np.float32)
    auto = ConvMaxPool(Conv2D(F, b), MaxPool2D())
    taps = ConvMaxPool(Conv2D(F, b, method="im2col"), MaxPool2D())
    p, p_im2col = auto.forward(x), taps.forward(x)
    np.testing.assert_array_equal(auto.pool.winners, taps.pool.winners)
    dp = RNG.standard_normal((5, 7, 7, 64)).astype(np.float32)
    dx, reference = auto.backward(dp), taps.backward(dp)
    assert auto._winograd is not None and taps._winograd is None
    for mine, theirs in [(p, p_im2col), (dx, reference), (auto.grads["W"], taps.grads["W"]),
                         (auto.grads["b"], taps.grads["b"])]:
        assert mine.dtype == np.float32
        assert np.abs(mine - theirs).max() < 2e-6 * np.abs(theirs).max()
    assert not np.array_equal(dx, reference)  # another computation, not im2col's again


def test_the_tiles_natural_order_is_the_slot_order_rearranged():
    from cnnviz.core.winograd import G_MATRIX, filter_transform
    from cnnviz.core.winograd_tiles import natural, slot_order

    F = RNG.standard_normal((3, 2, 3, 3))
    U = filter_transform(F)
    np.testing.assert_array_equal(slot_order(natural(U)), U)
    # natural row 4 xi + nu is (G F(k, c) G^T)[xi, nu]
    expected = np.einsum("am,kcmn,bn->abck", G_MATRIX, F, G_MATRIX).reshape(16, 2, 3)
    np.testing.assert_allclose(natural(U), expected, rtol=1e-12, atol=1e-12)
