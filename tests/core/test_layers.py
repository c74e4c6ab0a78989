"""Every layer against finite differences (float64) and against the lecture's formulas written as loops."""

import numpy as np
import pytest

from cnnviz.core.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    ReLU,
    SoftmaxCrossEntropy,
    max_of_planes,
    unpool_planes,
)
from cnnviz.core.functional import maps_to_blocks
from tests.core.gradcheck import TOLERANCE, check_layer, naive_conv, numerical_gradient, relative_error

RNG = np.random.default_rng(1234)


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("C", [1, 3])  # one input map is unfolded as planes, several as im2col rows
def test_conv_forward_is_the_lecture_formula(m, padding, C):
    x = RNG.standard_normal((2, C, 7, 6))
    W, b = RNG.standard_normal((4, C, m, m)), RNG.standard_normal(4)
    u = Conv2D(W, b, padding).forward(x.transpose(0, 2, 3, 1))
    np.testing.assert_allclose(u.transpose(0, 3, 1, 2), naive_conv(x, W, b, padding), rtol=1e-12, atol=1e-12)


def test_conv_same_even_filter_drops_first_row_and_column_like_exercise_2():
    X = np.array([[16, 2, 3, 13], [5, 11, 10, 8], [9, 7, 6, 12], [4, 14, 15, 1]], dtype=float)
    G = np.array([[[[1.0, 0.0], [0.0, 0.0]]]])
    u = Conv2D(G, np.zeros(1), "same").forward(X[None, :, :, None])
    np.testing.assert_array_equal(u[0, :, :, 0], X)


@pytest.mark.parametrize("m", [2, 3])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("C", [1, 2])
def test_conv_gradients(m, padding, C):
    layer = Conv2D(RNG.standard_normal((3, C, m, m)), RNG.standard_normal(3), padding)
    check_layer(layer, RNG.standard_normal((2, 5, 6, C)), params=("W", "b"))


def test_first_conv_layer_skips_the_input_gradient_but_not_its_own():
    layer = Conv2D(RNG.standard_normal((3, 1, 3, 3)), RNG.standard_normal(3), "same", need_dx=False)
    check_layer(layer, RNG.standard_normal((2, 5, 5, 1)), params=("W", "b"))


def test_relu_gradient():
    x = RNG.standard_normal((3, 4, 4, 2))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink
    check_layer(ReLU(), x)


@pytest.mark.parametrize("shape", [(2, 4, 6, 3), (2, 5, 7, 3)])  # even, and odd (last row/column dropped)
def test_max_pool_gradient(shape):
    check_layer(MaxPool2D(), RNG.standard_normal(shape))


@pytest.mark.parametrize("shape", [(2, 4, 6, 3), (1, 5, 5, 2)])
def test_average_pool_gradient(shape):
    layer = AvgPool2D()
    check_layer(layer, RNG.standard_normal(shape))
    x = RNG.standard_normal(shape)
    p = layer.forward(x)
    assert np.isclose(p[0, 0, 0, 0], x[0, :2, :2, 0].mean())


def test_flatten_is_c_i_j_order_and_its_gradient():
    x = RNG.standard_normal((2, 3, 4, 5))  # (N, h, w, C)
    v = Flatten().forward(x)
    c, i, j = 4, 1, 2
    assert v[1, c * 3 * 4 + i * 4 + j] == x[1, i, j, c]
    check_layer(Flatten(), x)


def test_dense_gradient_and_orientation():
    layer = Dense(RNG.standard_normal((5, 7)), RNG.standard_normal(5))
    v = RNG.standard_normal((3, 7))
    np.testing.assert_allclose(layer.forward(v)[1], layer.params["W"] @ v[1] + layer.params["b"])
    check_layer(layer, v, params=("W", "b"))


def test_dropout_gradient_with_a_fixed_mask_and_inverted_scaling():
    layer = Dropout(0.25)
    x = RNG.standard_normal((200, 50))

    def fwd_kwargs():
        return {"train": True, "rng": np.random.default_rng(7)}  # the same mask every call

    class Fixed:
        def forward(self, x):
            return layer.forward(x, **fwd_kwargs())

        def backward(self, d):
            return layer.backward(d)

    check_layer(Fixed(), x)
    y = layer.forward(np.ones((400, 500)), train=True, rng=np.random.default_rng(0))
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert abs((y == 0).mean() - 0.25) < 0.01  # the ratio dropped
    assert abs(y.mean() - 1.0) < 0.01  # inverted: the expectation is kept
    assert layer.forward(x, train=False) is x


def test_softmax_cross_entropy_gradient():
    layer = SoftmaxCrossEntropy()
    u = RNG.standard_normal((4, 6))
    labels = np.array([0, 5, 2, 2])
    layer.forward(u, labels)
    delta = layer.backward()
    numeric = numerical_gradient(lambda: layer.forward(u, labels)[0], u)
    assert relative_error(delta, numeric) < TOLERANCE
    # delta_out = (v - r) / N
    _, v = layer.forward(u, labels)
    np.testing.assert_allclose(delta, (v - np.eye(6)[labels]) / 4)


def test_a_wrong_gradient_fails_the_check():
    """A check that cannot fail proves nothing: break the conv backward on purpose."""
    layer = Conv2D(RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3), "same")
    x = RNG.standard_normal((2, 5, 5, 2))
    out = layer.forward(x)
    G = RNG.standard_normal(out.shape)
    layer.backward(G)
    wrong = layer.grads["W"][:, :, ::-1, ::-1].copy()  # the classic mistake: a flipped kernel
    numeric = numerical_gradient(lambda: float((layer.forward(x) * G).sum()), layer.params["W"])
    assert relative_error(wrong, numeric) > 1e-2
    off_by_scale = layer.grads["b"] * 1.001
    numeric_b = numerical_gradient(lambda: float((layer.forward(x) * G).sum()), layer.params["b"])
    assert relative_error(off_by_scale, numeric_b) > TOLERANCE


# -- pooling positions ----------------------------------------------------------------------------------------

def test_pooling_winners_on_a_figure_7_style_example():
    """A 4x4 map in 2x2 blocks; the winners (zeta, eta) and the pooled values, by hand."""
    a = np.array([[1, 3, 2, 0],
                  [4, 2, 1, 5],
                  [0, 1, 7, 2],
                  [6, 2, 3, 3]], dtype=float)
    pool = MaxPool2D()
    p = pool.forward(a[None, :, :, None])[0, :, :, 0]
    np.testing.assert_array_equal(p, [[4, 5], [6, 7]])
    # Winners inside each block, numbered row-major: (1,0) -> 2, (1,1) -> 3, (1,0) -> 2, (0,0) -> 0.
    np.testing.assert_array_equal(pool.winners[0, :, :, 0], [[2, 3], [2, 0]])
    da = pool.backward(np.array([[10.0, 20.0], [30.0, 40.0]])[None, :, :, None])[0, :, :, 0]
    np.testing.assert_array_equal(da, [[0, 0, 0, 0],
                                       [10, 0, 0, 20],
                                       [0, 0, 40, 0],
                                       [30, 0, 0, 0]])


@pytest.mark.parametrize("block, winner", [
    ([[1, 1], [1, 1]], 0),
    ([[0, 2], [2, 2]], 1),
    ([[0, 0], [3, 3]], 2),
    ([[2, 1], [2, 1]], 0),
    ([[0, 5], [0, 5]], 1),
    ([[0, 0], [0, 0]], 0),
])
def test_pooling_ties_go_to_the_first_position_in_row_major_order(block, winner):
    a = np.array(block, dtype=float)[None, :, :, None]
    pool = MaxPool2D()
    pool.forward(a)
    assert pool.winners[0, 0, 0, 0] == winner
    da = pool.backward(np.ones((1, 1, 1, 1)))[0, :, :, 0]
    expected = np.zeros((2, 2))
    expected[winner // 2, winner % 2] = 1
    np.testing.assert_array_equal(da, expected)  # only the winner receives the gradient


@pytest.mark.parametrize("shape", [(3, 6, 8, 5), (2, 7, 5, 3)])
def test_pooling_winners_are_the_first_maximum_of_every_block(shape):
    """Against np.argmax over each block in row-major order (it returns the first maximum), with many ties."""
    a = RNG.integers(0, 3, shape).astype(np.float32)
    pool = MaxPool2D()
    p = pool.forward(a)
    N, H, W, C = shape
    h, w = H // 2, W // 2
    flat = a[:, :2 * h, :2 * w].reshape(N, h, 2, w, 2, C).transpose(0, 1, 3, 5, 2, 4).reshape(N, h, w, C, 4)
    np.testing.assert_array_equal(pool.winners, flat.argmax(axis=-1))
    np.testing.assert_array_equal(p, flat.max(axis=-1))
    assert pool.winners.dtype == np.uint8
    np.testing.assert_array_equal(pool.forward(a, winners=False), p)


def test_max_pool_of_2x2_block_planes_is_the_same_pooling():
    """max_of_planes and unpool_planes (the fused conv and pooling's, on u in the planes of its blocks): the same
    maxima, winners (ties included) and un-pooled gradient as MaxPool2D."""
    a = RNG.integers(0, 3, (2, 6, 4, 3)).astype(np.float64)  # many ties
    plain = MaxPool2D()
    p = plain.forward(a)
    pooled, winners = np.empty_like(p), np.empty(p.shape, dtype=np.uint8)
    max_of_planes(maps_to_blocks(a), pooled, winners)
    np.testing.assert_array_equal(pooled, p)
    np.testing.assert_array_equal(winners, plain.winners)
    dp = RNG.standard_normal(p.shape)
    out = unpool_planes(dp, winners, np.empty((2, 2, 2, 3, 2, 3)))
    np.testing.assert_array_equal(out, maps_to_blocks(plain.backward(dp)))
