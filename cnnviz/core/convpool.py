"""A conv layer and its 2x2 max pooling computed together, a few images at a time.

The same two layers as :class:`~cnnviz.core.layers.Conv2D` followed by :class:`~cnnviz.core.layers.MaxPool2D`
(sections 3.2 and 3.3), for training and inference without a trace (where the network pools before ReLU):

    ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i + mu, j + nu) + b(k)``,
    ``p(k, i', j') = max(u(k, 2i', 2j'), u(k, 2i', 2j'+1), u(k, 2i'+1, 2j'), u(k, 2i'+1, 2j'+1))``;

backward, given ``dE/dp``: ``delta = dE/du`` is ``dE/dp(i', j')`` at each block's winner and 0 at the other three,
then ``dE/dF(k, c, mu, nu) = sum_n sum_i sum_j delta(k, i, j) x(c, i + mu, j + nu)``, ``dE/db(k) = sum delta(k, i,
j)`` and ``dE/dx(c, i, j) = sum_k sum_mu sum_nu delta(k, i - mu, j - nu) F(k, c, mu, nu)``.

Why together: ``u`` of a whole minibatch is several MB, four times the pooled maps. Computed a few images at a
time, each chunk's ``u`` (and in the backward pass its ``delta``) is written and read again while it is still in
the processor's cache, and never goes to memory. The pooling compares the four planes of the 2x2 blocks
(:func:`~cnnviz.core.functional.maps_to_blocks`) with :class:`MaxPool2D`'s rule for ties (the first in row-major
order).

How: 3x3 filters with same padding and more than one input map ("auto", as the lecture's conv2) by Winograd's
F(2x2, 3x3) with its transforms as matrix products (:mod:`cnnviz.core.winograd_tiles`): the 2x2 blocks of ``u``
are its output tiles, 2.25 times fewer multiplications than im2col's in each of the three products, and the
input's transformed tiles ``V`` are kept for the filter gradient. Other layers by :class:`Conv2D`'s im2col and one
matrix product (the rows of each chunk in block order), the column matrix unfolded again in the backward pass;
the input gradient from the tap planes. The filter gradient is the sum of the chunks' products.
"""

from __future__ import annotations

import numpy as np

from cnnviz.core.functional import blocks_to_maps, col2im, im2col_planes_windows, im2col_windows
from cnnviz.core.layers import Conv2D, MaxPool2D, max_of_planes, unpool_planes, uses_winograd
from cnnviz.core.winograd import filter_gradient, filter_transform
from cnnviz.core.winograd_tiles import TileGradients, natural, slot_order, tile_windows

CHUNK_FLOATS = 1 << 17
"""The most numbers of a chunk's largest buffer (512 KB in float32), a quarter of a core's 2 MB second-level cache
on the machines of docs/speed.md: a chunk's several buffers stay in it together (chunks twice and four times as
large made a training step 5 and 20% slower)."""


def fused_method(m: int, padding: str, C: int, K: int, Ho: int, Wo: int, method: str = "auto") -> str | None:
    """How :class:`ConvMaxPool` computes a conv layer of ``C`` maps in, ``K`` filters of ``m`` x ``m``, an ``Ho`` x
    ``Wo`` output and max pooling: "winograd" (its tiles), "im2col", or None where it does not (an odd output, or
    a layer that :class:`Conv2D` computes by Winograd whole: the layers then run one after the other). The one rule
    that the layers and the memory estimate (:mod:`cnnviz.config`) ask."""
    if Ho < 1 or Wo < 1 or Ho % 2 or Wo % 2 or method == "winograd" or (method == "auto" and uses_winograd(m, C, K)):
        return None
    return "winograd" if method == "auto" and m == 3 and padding == "same" and C > 1 else "im2col"


class ConvMaxPool:
    """``conv`` and ``pool`` as one step: ``forward(x, winners)`` returns ``p`` (N, Ho/2, Wo/2, K) and keeps
    what ``backward(dp)`` needs; ``backward`` fills ``conv.grads`` and returns ``dE/dx`` (None when ``conv`` needs
    no input gradient). ``pool.winners`` holds the last forward pass's winners, as after ``pool.forward``."""

    def __init__(self, conv: Conv2D, pool: MaxPool2D):
        self.conv, self.pool = conv, pool
        self.params, self.grads = conv.params, conv.grads  # the conv layer's: the layers' contract
        self._key = None

    def applies(self, shape: tuple[int, ...]) -> bool:
        """Whether this computes the layers for an input of ``shape`` (N, H, W, C): max pooling by the lecture's
        rule and a layer that :func:`fused_method` takes."""
        return type(self.pool) is MaxPool2D and self._method(*shape[1:]) is not None

    def _method(self, H: int, W_: int, C: int) -> str | None:
        K, _, m, _ = self.conv.params["W"].shape
        before, after = self.conv._pads(m)
        return fused_method(m, self.conv.padding, C, K, H + before + after - m + 1, W_ + before + after - m + 1,
                            self.conv.method)

    def _allocate(self, x: np.ndarray) -> None:
        """The buffers for inputs of this shape and type, kept between steps: the padded input (its border stays
        zero), one chunk's ``u`` (then ``delta``), and Winograd's tiles or one chunk's column matrix, delta in map
        order and tap planes."""
        N, H, W_, C = x.shape
        K, _, m, _ = self.conv.params["W"].shape
        before, after = self.conv._pads(m)
        Hp, Wp = H + before + after, W_ + before + after
        Ho, Wo = Hp - m + 1, Wp - m + 1
        self._key = (x.shape, x.dtype)
        self._dims = N, H, W_, C, K, m, before, Ho, Wo
        n_cols = m * m * C + 1
        n = max(1, CHUNK_FLOATS // (Ho * Wo * max(K, n_cols, m * m * C)))
        self._chunks = [(lo, min(lo + n, N)) for lo in range(0, N, n)]
        self._xpad = np.zeros((N, Hp, Wp, C), dtype=x.dtype)
        self._u = np.empty((n * Ho * Wo, K), dtype=x.dtype)
        self._dWb = np.empty((K, n_cols), dtype=x.dtype)
        if self._method(H, W_, C) == "winograd":
            # one set of buffers for each length of chunk; V of every chunk is kept for the backward pass (made
            # at the first forward pass that records winners: inference needs none)
            self._winograd = {k: TileGradients(k, Ho // 2, Wo // 2, C, K, x.dtype)
                              for k in {hi - lo for lo, hi in self._chunks}}
            self._tiles = [tile_windows(self._xpad[lo:hi]) for lo, hi in self._chunks]
            self._V = None
            return
        self._winograd = None
        self._cols = np.ones(n * Ho * Wo * n_cols, dtype=x.dtype)  # the bias's ones stay where a column has them
        self._dmaps = np.empty((n, Ho, Wo, K), dtype=x.dtype)
        self._taps = np.empty((m * m, n * Ho * Wo, C), dtype=x.dtype)
        self._unfoldings = [self._unfolding(lo, hi) for lo, hi in self._chunks]

    def _unfolding(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Images lo..hi's column matrix in the chunk's buffer, (m*m + 1, pixels) planes for one input map, else
        (pixels, m*m*C + 1), and the views that :meth:`_unfold` copies: made once, as a view costs more to make
        than a chunk of the lecture's conv2 to copy."""
        _, _, _, C, _, m, _, Ho, Wo = self._dims
        n, h, w = hi - lo, Ho // 2, Wo // 2
        n_cols = m * m * C + 1
        flat = self._cols[:n * Ho * Wo * n_cols]
        if C == 1:
            cols = flat.reshape(n_cols, n * Ho * Wo)
            windows = im2col_planes_windows(self._xpad[lo:hi, ..., 0], m, True)
            return cols, windows, cols[:-1].reshape(m, m, 2, 2, n, h, w)
        cols = flat.reshape(n * Ho * Wo, n_cols)
        return cols, im2col_windows(self._xpad[lo:hi], m, True), cols[:, :-1].reshape(2, 2, n, h, w, m, m, C)

    def _unfold(self, chunk: int) -> np.ndarray:
        """Chunk ``chunk``'s column matrix with the bias's ones, its rows in the order of the planes of the 2x2
        blocks (:func:`~cnnviz.core.functional.im2col` with ``blocks``). The backward pass unfolds each chunk
        again: that costs about what writing every chunk's matrix to memory and reading it back costs (22 MB for
        the lecture's conv2), and a step needs that much less memory."""
        cols, windows, out = self._unfoldings[chunk]
        np.copyto(out, windows)
        if self._dims[3] == 1:
            cols[-1] = 1  # the planes' row of ones moves with the chunk's length (a column of ones stays)
        return cols

    def forward(self, x: np.ndarray, winners: bool = True) -> np.ndarray:
        """``p`` before ReLU; ``winners`` False: none recorded (inference, no backward pass follows)."""
        if self._key != (x.shape, x.dtype):
            self._allocate(x)
        N, H, W_, C, K, m, before, Ho, Wo = self._dims
        h, w = Ho // 2, Wo // 2
        self._xpad[:, before:before + H, before:before + W_] = x
        F, b = self.conv.params["W"], self.conv.params["b"]
        if self._winograd is not None:
            U = natural(filter_transform(F))
            if winners and self._V is None:
                P = h * w
                V = np.empty(N * P * 16 * C, dtype=x.dtype)
                self._V = [V[16 * P * C * lo:16 * P * C * hi].reshape(16, (hi - lo) * P, C) for lo, hi in self._chunks]
        else:  # filters as rows (mu, nu, c) to match the column order of im2col, then the bias
            Wb = np.concatenate([F.transpose(0, 2, 3, 1).reshape(K, m * m * C), b[:, None]], axis=1)
        p = np.empty((N, h, w, K), dtype=x.dtype)
        self.pool.winners = np.empty((N, h, w, K), dtype=np.uint8) if winners else None
        for i, (lo, hi) in enumerate(self._chunks):
            n = hi - lo
            u = self._u[:n * Ho * Wo]
            if self._winograd is not None:
                g = self._winograd[n]
                g.forward(g.transform(self._tiles[i], self._V[i] if winners else None), U, b, u)
            else:
                cols = self._unfold(i)
                np.matmul(cols.T if C == 1 else cols, Wb.T, out=u)
            max_of_planes(u.reshape(2, 2, n, h, w, K), p[lo:hi],
                          None if self.pool.winners is None else self.pool.winners[lo:hi])
        return p

    def backward(self, dp: np.ndarray, delta: np.ndarray | None = None) -> np.ndarray | None:
        """``dE/dx`` from ``dE/dp`` (N, Ho/2, Wo/2, K); ``delta``: an (N, Ho, Wo, K) array that receives dE/du."""
        N, H, W_, C, K, m, before, Ho, Wo = self._dims
        h, w = Ho // 2, Wo // 2
        need_dx = self.conv.need_dx
        dWb = self._dWb
        dxpad = np.empty_like(self._xpad) if need_dx else None
        F = self.conv.params["W"]
        U_T = np.ascontiguousarray(natural(filter_transform(F)).swapaxes(1, 2)) if self._winograd is not None else None
        W_taps = F.transpose(2, 3, 0, 1).reshape(m * m, K, C) if need_dx and U_T is None else None
        for i, (lo, hi) in enumerate(self._chunks):
            n = hi - lo
            planes = unpool_planes(dp[lo:hi], self.pool.winners[lo:hi],
                                   self._u[:n * Ho * Wo].reshape(2, 2, n, h, w, K))
            if delta is not None:
                blocks_to_maps(planes, delta[lo:hi])
            if U_T is not None:
                sums = self._winograd[n].backward(self._V[i], planes, U_T, None if dxpad is None else dxpad[lo:hi])
                if i == 0:
                    dU = sums.copy()
                else:
                    dU += sums
                continue
            cols = self._unfold(i)
            d2 = planes.reshape(-1, K)
            # (K, m*m*C + 1) in (mu, nu, c) order, then the sum of delta (the ones).
            part = (cols @ d2).T if C == 1 else d2.T @ cols
            if i == 0:
                dWb[...] = part
            else:
                dWb += part
            if need_dx:
                dmaps = blocks_to_maps(planes, self._dmaps[:n]) if delta is None else delta[lo:hi]
                taps = self._taps[:, :n * Ho * Wo]
                np.matmul(dmaps.reshape(-1, K), W_taps, out=taps)
                col2im(taps.reshape(m, m, n, Ho, Wo, C), dxpad[lo:hi])
        if U_T is not None:
            self.conv.grads["W"][...] = filter_gradient(slot_order(dU))
            # each dE/dp went to one position of its block: the sum of delta is the sum of dE/dp
            self.conv.grads["b"][...] = dp.reshape(-1, K).sum(axis=0)
        else:
            self.conv.grads["W"][...] = dWb[:, :-1].reshape(K, m, m, C).transpose(0, 3, 1, 2)
            self.conv.grads["b"][...] = dWb[:, -1]
        return None if dxpad is None else dxpad[:, before:before + H, before:before + W_]
