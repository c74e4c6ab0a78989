"""A 3x3 convolution by Winograd's F(2x2, 3x3) with its transforms written as matrix products.

The arithmetic of :mod:`cnnviz.core.winograd` (Lavin and Gray, 2016) for :mod:`cnnviz.core.convpool`, which
computes a conv layer and its max pooling a few images at a time. With ``d`` the 4x4 tiles of the padded input (a
tile every 2 pixels) and ``U = G F G^T``:

    forward:  ``V = B^T d B``,  ``M[xi, nu] = V[xi, nu] U[xi, nu]``,  ``Y = A^T M A``: the tile's 2x2 outputs,
    ``u(k, 2t + r, 2s + q) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, 2t + r + mu, 2s + q + nu) + b(k)``;
    backward, given ``delta = dE/du`` as the four planes of its 2x2 blocks ``dY``: ``dM = A dY A^T``,
    ``sum over tiles of V[xi, nu]^T dM[xi, nu]`` (for ``dE/dF(k, c) = G^T [ ... ] G``,
    :func:`~cnnviz.core.winograd.filter_gradient`), ``dV[xi, nu] = dM[xi, nu] U[xi, nu]^T`` and ``dE/dx`` = the
    tiles ``B dV B^T`` added back where they were read (the full correlation of delta with the flipped filters,
    section 3.3).

Each transform of the 16 numbers of every tile at once is one matrix product over all tiles and channels:
``kron(B^T, B^T)`` (16 x 16) times the tiles as 16 rows, ``kron(A^T, A^T)`` (4 x 16) to the four planes of ``u``
and its transpose back, ``kron(B, B)`` for the input gradient, so that each is one call that reads and writes
whole rows; written as additions, each took a dozen passes over short runs of numbers. Indices are in their
natural order here (the 16 rows ``4 xi + nu``); ``G``, ``A^T`` and ``B^T`` are :mod:`cnnviz.core.winograd`'s.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cnnviz.core.winograd import ORDER

B_T = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]])
A_T = np.array([[1, 1, 1, 0], [0, 1, -1, 1]])
SLOTS = [4 * ORDER.index(xi) + ORDER.index(nu) for xi in range(4) for nu in range(4)]
"""Row ``4 xi + nu`` here is row ``SLOTS[4 xi + nu]`` of :mod:`cnnviz.core.winograd`'s (4, 2, 2) slot order."""


def natural(U: np.ndarray) -> np.ndarray:
    """:func:`~cnnviz.core.winograd.filter_transform`'s (4, 2, 2, C, K) in natural order, (16, C, K)."""
    return U.reshape(16, *U.shape[3:])[SLOTS]


def slot_order(sums: np.ndarray) -> np.ndarray:
    """(16, C, K) in natural order as :func:`~cnnviz.core.winograd.filter_gradient` takes it, (4, 2, 2, C, K)."""
    out = np.empty_like(sums)
    out[SLOTS] = sums
    return out.reshape(4, 2, 2, *sums.shape[1:])


def tile_windows(xpad: np.ndarray) -> np.ndarray:
    """The 4x4 tiles of ``xpad`` (n, 2 th + 2, 2 tw + 2, C), a tile every 2 pixels, as a read-only strided view
    (4, 4, n, th, tw, C): ``windows[xi, nu, n, t, s] = xpad[n, 2t + xi, 2s + nu]``."""
    n, Hp, Wp, C = xpad.shape
    sn, sh, sw, sc = xpad.strides
    return as_strided(xpad, (4, 4, n, (Hp - 2) // 2, (Wp - 2) // 2, C), (sh, sw, sn, 2 * sh, 2 * sw, sc),
                      writeable=False)


class TileGradients:
    """The buffers and the passes for chunks of ``n`` images of (2 th) x (2 tw) outputs, C maps in, K out."""

    def __init__(self, n: int, th: int, tw: int, C: int, K: int, dtype):
        self.n, self.th, self.tw, self.C, self.K = n, th, tw, C, K
        P = n * th * tw
        self._Bk = np.kron(B_T, B_T).astype(dtype)
        self._Ak = np.kron(A_T, A_T).T.astype(dtype)  # kron(A, A): (16, 4)
        self._Bk_back = np.ascontiguousarray(self._Bk.T)
        self._At = np.ascontiguousarray(self._Ak.T)  # kron(A^T, A^T): (4, 16)
        self._tiles = np.empty((16, P * C), dtype=dtype)  # d, then B dV B^T
        self._V = np.empty((16, P, C), dtype=dtype)
        self._dM = np.empty((16, P, K), dtype=dtype)
        self._dV = np.empty((16, P * C), dtype=dtype)
        self._sums = np.empty((16, C, K), dtype=dtype)

    def transform(self, windows: np.ndarray, V: np.ndarray | None = None) -> np.ndarray:
        """``V = B^T d B`` of the tiles ``windows`` (:func:`tile_windows` of a chunk's padded input) as (16, P, C),
        into ``V`` if given, else into a buffer of this object's."""
        V = self._V if V is None else V
        np.copyto(self._tiles.reshape(4, 4, self.n, self.th, self.tw, self.C), windows)
        np.matmul(self._Bk, self._tiles, out=V.reshape(16, -1))
        return V

    def forward(self, V: np.ndarray, U: np.ndarray, b: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``u`` as the four planes of its 2x2 blocks, ``Y = A^T M A`` with ``M[xi, nu] = V[xi, nu] U[xi, nu]`` (16
        products), written into ``Y`` (2, 2, n, th, tw, K). The bias is added to ``M[1, 1]``, whose column of
        ``A^T`` is (1, 1): it reaches all four outputs of the block."""
        M = self._dM  # the buffer dM takes in the backward pass
        np.matmul(V, U, out=M)
        M[5] += b
        np.matmul(self._At, M.reshape(16, -1), out=Y.reshape(4, -1))
        return Y

    def backward(self, V: np.ndarray, dY: np.ndarray, U_T: np.ndarray, dxpad: np.ndarray | None) -> np.ndarray:
        """``V``: :meth:`transform`'s; ``dY`` (2, 2, n, th, tw, K) contiguous; ``U_T`` (16, K, C) contiguous, each
        ``U[xi, nu]`` transposed, in natural order (a transposed view made the product twice as slow). Returns the
        tile sums ``sum over tiles of V^T dM`` (16, C, K), in a buffer that the next call overwrites, and writes
        dE/dxpad into ``dxpad`` (n, 2 th + 2, 2 tw + 2, C) unless it is None."""
        n, th, tw, C, K = self.n, self.th, self.tw, self.C, self.K
        tiles = self._tiles
        dM = self._dM
        np.matmul(self._Ak, dY.reshape(4, -1), out=dM.reshape(16, -1))
        sums = np.matmul(V.swapaxes(1, 2), dM, out=self._sums)  # into a buffer: a new one costs a third more
        if dxpad is None:
            return sums
        dV = self._dV
        np.matmul(dM, U_T, out=dV.reshape(16, -1, C))
        np.matmul(self._Bk_back, dV, out=tiles)
        # Each tile's 4x4 back where it was read: the tiles overlap by 2 rows and columns, so each 2x2 block of
        # dxpad gets the quarters of up to four tiles, (a, b) = (0, 0) written first.
        back = tiles.reshape(2, 2, 2, 2, n, th, tw, C)  # (a, i, b, j, ...): row 2a + i, column 2b + j of a tile
        blocks = dxpad.reshape(n, th + 1, 2, tw + 1, 2, C)
        blocks[:, th] = 0
        blocks[:, :th, :, tw] = 0
        for a in range(2):
            for b in range(2):
                quarter = back[a, :, b].transpose(2, 3, 0, 4, 1, 5)  # (n, t, i, s, j, C)
                target = blocks[:, a:a + th, :, b:b + tw]
                if a == b == 0:
                    np.copyto(target, quarter)
                else:
                    target += quarter
        return sums
