"""The lecture's functions on plain arrays: correlation, im2col, softmax, cross-entropy.

Notation follows the lecture notes (section numbers refer to ``shared/docs/lecture.md``); indices are
0-based here where the notes count from 1.

Batches of feature maps inside the layers are stored channel-last, ``(N, H, W, C)``: the im2col copy then
moves whole runs of ``C`` contiguous numbers and the matrix products need no transposes (the same reason
PyTorch's ``channels_last`` is faster on CPUs). The mathematics is index for index that of the notes,
whose maps are ``x(c, i, j)``; the public API of :class:`cnnviz.core.Network` speaks ``(N, C, H, W)``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view


def same_padding(m: int) -> tuple[int, int]:
    """Zeros added before and after an axis for the *same* type with a filter of size ``m`` (section 2.3).

    The notes pad ``fix(m/2)`` zeros on both sides; for an even ``m`` the correlation is then one longer than
    the input and the FIRST row/column is dropped (exercise 2 and the program's ``Cnv2``), which is the same as
    padding ``m//2 - 1`` before and ``m//2`` after. So: ``((m - 1) // 2, m // 2)``.
    """
    return (m - 1) // 2, m // 2


def correlate(F: np.ndarray, X: np.ndarray, mode: str = "valid") -> np.ndarray:
    """The lecture's correlation ("convolution") of a 2-D array ``X`` with a 2-D filter ``F``.

    valid (section 2.2): ``(F * X)(j, k) = sum_mu sum_nu F(mu, nu) X(j + mu, k + nu)``, shape
    ``(n1 - m1 + 1, n2 - m2 + 1)``. No kernel flip.

    same (section 2.3): ``X`` zero-padded by :func:`same_padding` on each axis, then valid; shape ``(n1, n2)``.
    """
    F = np.asarray(F)
    X = np.asarray(X)
    if F.ndim != 2 or X.ndim != 2:
        raise ValueError(f"correlate takes 2-D arrays, got F {F.shape} and X {X.shape}")
    if mode == "same":
        X = np.pad(X, [same_padding(m) for m in F.shape])
    elif mode != "valid":
        raise ValueError(f"mode must be 'valid' or 'same', not {mode!r}")
    if F.shape[0] > X.shape[0] or F.shape[1] > X.shape[1]:
        raise ValueError(f"a {F.shape[0]}x{F.shape[1]} filter does not fit a {X.shape[0]}x{X.shape[1]} array")
    windows = sliding_window_view(X, F.shape)  # windows[j, k] = X[j:j+m1, k:k+m2]
    return np.einsum("jkmn,mn->jk", windows, F)


def im2col(xpad: np.ndarray, m: int, out: np.ndarray | None = None) -> np.ndarray:
    """Unfold every m x m window of a padded channel-last batch into one row.

    ``xpad`` is ``(N, Hp, Wp, C)``; the result is ``(N, Ho, Wo, m, m, C)`` with ``Ho = Hp - m + 1`` and
    ``cols[n, i, j, mu, nu, c] = xpad[n, i + mu, j + nu, c]``, so that ``cols.reshape(N*Ho*Wo, m*m*C)``
    times the filters reshaped to ``(m*m*C, K)`` is the correlation of section 3.2.
    The windows are a strided view of ``xpad``; the only cost is one copy into ``out`` (reused between steps).
    """
    return _copied(im2col_windows(xpad, m), out)


def _copied(windows: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """A strided view's numbers in ``out`` (reused between steps), or in a new array."""
    if out is None:
        return windows.copy()
    np.copyto(out, windows)
    return out


def im2col_windows(xpad: np.ndarray, m: int, blocks: bool = False) -> np.ndarray:
    """:func:`im2col`'s result as a read-only strided view of ``xpad``, nothing copied (a caller that unfolds the
    same buffer again and again makes it once). ``blocks`` (even ``Ho`` and ``Wo``): the rows in the order of
    :func:`maps_to_blocks`, shape ``(2, 2, N, Ho/2, Wo/2, m, m, C)``, so that the product gives ``u`` as the four
    planes of 2x2 pooling."""
    N, Hp, Wp, C = xpad.shape
    Ho, Wo = Hp - m + 1, Wp - m + 1
    sn, sh, sw, sc = xpad.strides
    if blocks:
        shape, strides = (2, 2, N, Ho // 2, Wo // 2, m, m, C), (sh, sw, sn, 2 * sh, 2 * sw, sh, sw, sc)
    else:
        shape, strides = (N, Ho, Wo, m, m, C), (sn, sh, sw, sh, sw, sc)
    return as_strided(xpad, shape, strides, writeable=False)


def im2col_planes(x: np.ndarray, m: int, out: np.ndarray | None = None) -> np.ndarray:
    """The windows of a padded batch of single maps ``x`` (N, Hp, Wp) as m*m planes (im2col transposed).

    ``planes[mu, nu, n, i, j] = x[n, i + mu, j + nu]``, shape (m, m, N, Ho, Wo), so that ``planes.reshape(m*m,
    -1).T`` is the column matrix of :func:`im2col` for one channel. Each plane is a copy of whole rows, where
    im2col of one channel copies runs of m numbers.
    """
    return _copied(im2col_planes_windows(x, m), out)


def im2col_planes_windows(x: np.ndarray, m: int, blocks: bool = False) -> np.ndarray:
    """:func:`im2col_planes`'s result as a read-only strided view of ``x``, nothing copied; ``blocks``: each plane in
    the order of :func:`maps_to_blocks`, shape (m, m, 2, 2, N, Ho/2, Wo/2)."""
    N, Hp, Wp = x.shape
    Ho, Wo = Hp - m + 1, Wp - m + 1
    sn, sh, sw = x.strides
    if blocks:
        shape, strides = (m, m, 2, 2, N, Ho // 2, Wo // 2), (sh, sw, sh, sw, sn, 2 * sh, 2 * sw)
    else:
        shape, strides = (m, m, N, Ho, Wo), (sh, sw, sn, sh, sw)
    return as_strided(x, shape, strides, writeable=False)


def maps_to_blocks(a: np.ndarray) -> np.ndarray:
    """Channel-last maps (N, 2h, 2w, C) as the four planes of their 2x2 blocks, ``(2, 2, N, h, w, C)`` with
    ``blocks[r, s, n, i, j, c] = a[n, 2i + r, 2j + s, c]`` (a copy). In this order 2x2 max pooling and its
    backward pass read and write whole planes instead of every other number of every row."""
    N, H, W, C = a.shape
    return np.ascontiguousarray(a.reshape(N, H // 2, 2, W // 2, 2, C).transpose(2, 4, 0, 1, 3, 5))


def blocks_to_maps(blocks: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The inverse of :func:`maps_to_blocks`: (2, 2, N, h, w, C) to channel-last maps (N, 2h, 2w, C), a copy
    (into ``out`` if given, a contiguous array of that shape)."""
    _, _, N, h, w, C = blocks.shape
    a = np.empty((N, 2 * h, 2 * w, C), dtype=blocks.dtype) if out is None else out
    np.copyto(a.reshape(N, h, 2, w, 2, C).transpose(2, 4, 0, 1, 3, 5), blocks)
    return a


def col2im(taps: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Every tap's plane added back where its tap read the padded input: the transpose of :func:`im2col`.

    ``taps`` (m, m, N, Ho, Wo, C), ``out`` (N, Ho + m - 1, Wo + m - 1, C), overwritten with
    ``out[n, i', j', c] = sum over mu, nu with i' - mu in [0, Ho) and j' - nu in [0, Wo) of
    taps[mu, nu, n, i' - mu, j' - nu, c]``. With ``taps[mu, nu] = delta F(:, :, mu, nu)`` this is the full
    correlation of delta with the flipped filters, dE/dx of the padded input (section 3.3)."""
    m, _, _, Ho, Wo, _ = taps.shape
    out[:, :Ho, :Wo] = taps[0, 0]  # the first tap written, not added: no pass of zeros under it
    out[:, Ho:] = 0
    out[:, :Ho, Wo:] = 0
    for mu in range(m):
        for nu in range(m):
            if mu or nu:
                out[:, mu:mu + Ho, nu:nu + Wo] += taps[mu, nu]
    return out


def log_softmax(u: np.ndarray) -> np.ndarray:
    """``log Soft(u)(k) = u(k) - max(u) - log sum_j exp(u(j) - max(u))`` over the last axis (section 3.2).

    Subtracting the maximum leaves the result unchanged (the notes prove it) and keeps ``exp`` from
    overflowing.
    """
    z = u - u.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def softmax(u: np.ndarray) -> np.ndarray:
    """``Soft(u)(k) = exp(u(k) - max u) / sum_j exp(u(j) - max u)`` over the last axis."""
    z = np.exp(u - u.max(axis=-1, keepdims=True))
    z /= z.sum(axis=-1, keepdims=True)
    return z


def cross_entropy(log_probs: np.ndarray, labels: np.ndarray) -> float:
    """Mean over the batch of ``E = -sum_k r(k) log v(k)`` with one-hot ``r``: ``-mean_n log v_n(label_n)``."""
    return float(-log_probs[np.arange(len(labels)), labels].mean())
