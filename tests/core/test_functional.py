"""The lecture's worked examples (sections 2.2, 2.3), exactly, and softmax / cross-entropy."""

import numpy as np
import pytest

from cnnviz.core import correlate, cross_entropy, log_softmax, softmax
from cnnviz.core.functional import (
    blocks_to_maps,
    im2col,
    im2col_planes,
    im2col_planes_windows,
    im2col_windows,
    maps_to_blocks,
)

X_EX = np.array([[16, 2, 3, 13], [5, 11, 10, 8], [9, 7, 6, 12], [4, 14, 15, 1]])
F_EX = np.array([[0, 1, 0], [1, 1, 1], [0, -1, 1]])


def test_figure_2():
    X = np.arange(1, 37).reshape(6, 6)
    F = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    expected = [[40, 45, 50, 55], [70, 75, 80, 85], [100, 105, 110, 115], [130, 135, 140, 145]]
    np.testing.assert_array_equal(correlate(F, X), expected)


def test_exercise_1_valid():
    np.testing.assert_array_equal(correlate(F_EX, X_EX), [[27, 38], [34, 21]])


def test_exercise_2_same():
    expected = [[24, 20, 16, 8], [30, 27, 38, 19], [31, 34, 21, 25], [27, 40, 36, 28]]
    np.testing.assert_array_equal(correlate(F_EX, X_EX, "same"), expected)


def test_exercise_2_even_filter_g_keeps_x():
    G = np.array([[1, 0], [0, 0]])
    np.testing.assert_array_equal(correlate(G, X_EX, "same"), X_EX)


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
def test_same_keeps_size_and_matches_definition(m):
    rng = np.random.default_rng(m)
    X, F = rng.standard_normal((7, 6)), rng.standard_normal((m, m))
    out = correlate(F, X, "same")
    assert out.shape == X.shape
    # The definition: pad fix(m/2) on every side, correlate, and for even m drop the first row and column.
    p = m // 2
    full = correlate(F, np.pad(X, p))
    np.testing.assert_allclose(out, full[1:, 1:] if m % 2 == 0 else full)


def test_sobel_finds_vertical_edges():
    X = np.zeros((8, 8))
    X[:, 4:] = 1.0
    sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    out = correlate(sobel, X)
    assert np.all(out[:, 2:4] == -4) and np.all(out[:, [0, 1, 4, 5]] == 0)
    assert np.all(correlate(sobel.T, X) == 0)  # no horizontal edges


def test_correlate_refuses_bad_input():
    with pytest.raises(ValueError, match="does not fit"):
        correlate(np.ones((5, 5)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="mode"):
        correlate(np.ones((2, 2)), np.ones((3, 3)), "full")


def test_im2col_unfolds_every_window_into_a_row():
    rng = np.random.default_rng(0)
    xpad = rng.standard_normal((2, 6, 5, 3))
    cols = im2col(xpad, 3)
    assert cols.shape == (2, 4, 3, 3, 3, 3)
    assert cols[1, 2, 1, 2, 0, 1] == xpad[1, 4, 1, 1]  # cols[n, i, j, mu, nu, c] = xpad[n, i + mu, j + nu, c]
    out = np.empty_like(cols)
    assert im2col(xpad, 3, out=out) is out and np.array_equal(out, cols)


def test_im2col_planes_is_im2col_of_one_map_transposed():
    x = np.random.default_rng(0).standard_normal((2, 6, 5))
    planes = im2col_planes(x, 3)
    assert planes.shape == (3, 3, 2, 4, 3) and planes[1, 2, 1, 3, 0] == x[1, 3 + 1, 0 + 2]
    np.testing.assert_array_equal(planes.reshape(9, -1).T, im2col(x[..., None], 3).reshape(-1, 9))
    out = np.empty_like(planes)
    assert im2col_planes(x, 3, out=out) is out and np.array_equal(out, planes)


def test_maps_in_2x2_blocks_and_back():
    a = np.arange(2 * 4 * 6 * 3).reshape(2, 4, 6, 3)
    blocks = maps_to_blocks(a)
    assert blocks.shape == (2, 2, 2, 2, 3, 3) and blocks[1, 0, 1, 1, 2, 0] == a[1, 2 * 1 + 1, 2 * 2 + 0, 0]
    np.testing.assert_array_equal(blocks_to_maps(blocks), a)


def test_im2col_in_2x2_blocks_is_im2col_reordered():
    """The rows of im2col (and the planes' columns) in the order of maps_to_blocks: the same windows."""
    rng = np.random.default_rng(1)
    xpad = rng.standard_normal((2, 6, 8, 3))
    cols = im2col(xpad, 3)  # (2, 4, 6, 3, 3, 3)
    flat = cols.reshape(2, 4, 6, 27)
    np.testing.assert_array_equal(im2col_windows(xpad, 3, blocks=True).reshape(2, 2, 2, 2, 3, 27), maps_to_blocks(flat))
    x = xpad[..., 0]
    planes = im2col_planes(x, 3)  # (3, 3, 2, 4, 6)
    in_blocks = im2col_planes_windows(x, 3, blocks=True)
    for mu in range(3):
        for nu in range(3):
            np.testing.assert_array_equal(in_blocks[mu, nu], maps_to_blocks(planes[mu, nu][..., None])[..., 0])


def test_softmax_invariant_to_a_constant_and_no_overflow():
    u = np.array([[1.0, 2.0, 3.0], [-5.0, 0.0, 5.0]])
    np.testing.assert_allclose(softmax(u), softmax(u + 1000.0))
    big = np.array([[1000.0, 1001.0, 1002.0]], dtype=np.float32)
    with np.errstate(over="raise"):
        v = softmax(big)
        lv = log_softmax(big)
    assert np.all(np.isfinite(v)) and np.isclose(v.sum(), 1.0)
    np.testing.assert_allclose(v, softmax(np.array([[0.0, 1.0, 2.0]])), rtol=1e-6)
    assert np.all(np.isfinite(lv))


def test_cross_entropy_is_the_mean_of_minus_log_probability():
    v = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert np.isclose(cross_entropy(np.log(v), np.array([0, 2])), -(np.log(0.7) + np.log(0.8)) / 2)
