"""Winograd's minimal filtering F(2x2, 3x3) for the 3x3 convolutions (Lavin and Gray, 2016).

The correlation of section 3.2, ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i + mu, j + nu) + b(k)``,
computed a 2x2 block of outputs at a time. For the block at rows ``2t, 2t + 1`` and columns ``2s, 2s + 1``, with
``d`` the 4x4 tile ``x(c, 2t .. 2t + 3, 2s .. 2s + 3)`` of the padded input and ``g = F(k, c)``:

    ``Y = A^T [ sum_c (G g G^T) ⊙ (B^T d B) ] A``                       (``⊙``: element by element)

    ``B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]``
    ``G   = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, -1]]``
    ``A^T = [[1, 1, 1, 0], [0, 1, -1, 1]]``

(the last row of ``G`` and column of ``A^T`` carry the opposite sign of the paper's; the product is the same, and
the back-propagated tiles ``A dY A^T`` then need no negation). The sum over ``c`` of each of the 16 elements
``(xi, nu)`` is one matrix product over all tiles: ``M[xi, nu] = V[xi, nu] U[xi, nu]`` with ``V`` (tiles x C)
and ``U = G g G^T`` (C x K): 16 products of 16 C K multiplications per block where im2col needs 36 C K (2.25
times fewer). The transforms are additions only, written into buffers that are kept between steps.

Back-propagation (section 3.3) is the same arithmetic transposed. With ``dM = A delta A^T`` for each 2x2 block
of ``delta = dE/du``:
  ``dE/dF(k, c) = G^T [ sum over tiles of V[xi, nu](c) dM[xi, nu](k) ] G`` (16 products, tiles summed),
  ``dE/dx`` = the tiles ``B [ sum_k dM[xi, nu](k) U[xi, nu](c, k) ] B^T`` added back where they were read,
which is the full correlation of ``delta`` with the flipped filters of section 3.3, sharing ``dM`` with the
filter gradient instead of transforming a padded copy of ``delta`` a second time.

In exact arithmetic the result is the correlation itself; in float32 it agrees with im2col to about 1e-6
relative (tests/core/test_winograd.py states the bound), in float64 to about 1e-15.

Layout: maps are channel-last ``(N, H, W, C)``. The 4 x 4 indices are stored in the slot order ``ORDER``
(0, 3, 1, 2) on both axes, so that the pairs (0, 3) of the column transform are the 2-column blocks of the input
minus the next block (one pass over contiguous memory) and the pairs (0, 3) of ``dM`` are ``delta``'s 2x2 blocks
themselves.
"""

from __future__ import annotations

import numpy as np

ORDER = (0, 3, 1, 2)
"""Slot ``j`` of the 4-point axes holds index ``ORDER[j]`` (see the module's docstring)."""

G_MATRIX = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, -1]])


def tiles(Ho: int, Wo: int) -> tuple[int, int]:
    """The number of 2x2 output blocks down and across (a last odd row or column is a half-used block)."""
    return (Ho + 1) // 2, (Wo + 1) // 2


def filter_transform(F: np.ndarray) -> np.ndarray:
    """``U[xi, nu] = (G F(k, c) G^T)[xi, nu]`` as (C, K) matrices in slot order, shape (4, 2, 2, C, K)."""
    K, C, _, _ = F.shape
    G = G_MATRIX[list(ORDER)].astype(F.dtype)
    # Two plain products (a batch of 3x3 products would loop over every filter): the columns, then the rows.
    FG = F.reshape(K * C * 3, 3) @ G.T  # (k, c, mu; nu)
    U = G @ FG.reshape(K * C, 3, 4).transpose(1, 0, 2).reshape(3, K * C * 4)  # (xi; k, c, nu)
    return np.ascontiguousarray(U.reshape(4, K, C, 4).transpose(0, 3, 2, 1)).reshape(4, 2, 2, C, K)


def filter_gradient(dU: np.ndarray) -> np.ndarray:
    """``dE/dF(k, c) = G^T dU(c, k) G`` from the (4, 2, 2, C, K) tile sums, shape (K, C, 3, 3)."""
    _, _, _, C, K = dU.shape
    G = G_MATRIX[list(ORDER)].astype(dU.dtype)
    rows = G.T @ dU.reshape(4, 4 * C * K)  # (mu; nu', c, k)
    dF = rows.reshape(3 * 4, C * K).T.reshape(C * K * 3, 4) @ G  # ((c, k, mu); nu)
    return dF.reshape(C, K, 3, 3).transpose(1, 0, 2, 3)


class Winograd3x3:
    """The buffers and the three passes of one 3x3 convolution layer.

    The caller places the input in :attr:`xpad`'s interior (its border stays zero); ``forward(U, b)`` with
    ``U = filter_transform(F)`` returns ``u``; ``backward(delta, need_dx)`` returns ``(dE/dF, dE/db, dE/dxpad
    or None)``.
    """

    def __init__(self, N: int, Ho: int, Wo: int, C: int, K: int, dtype):
        th, tw = tiles(Ho, Wo)
        self.shape = (N, Ho, Wo, C, K, np.dtype(dtype))
        self.N, self.Ho, self.Wo, self.C, self.K, self.th, self.tw = N, Ho, Wo, C, K, th, tw
        P = N * th * tw
        Hp, Wp = 2 * th + 2, 2 * tw + 2
        self.xpad = np.zeros((N, Hp, Wp, C), dtype=dtype)  # the caller writes the interior; the border stays 0
        self._cols = np.empty((2, N, Hp, tw, 2, C), dtype=dtype)  # after the column transform
        self._V = np.empty((4, 2, N, th, tw, 2, C), dtype=dtype)  # slots (xi; g, s): nu slot 2 g + s
        self._M = np.empty((4, 2, 2, P, K), dtype=dtype)
        self._S = np.empty((2, 4, P, K), dtype=dtype)
        self._Y = np.empty((2, 2, N, th, tw, K), dtype=dtype)
        self._dM = np.empty((4, 4, P, K), dtype=dtype)
        self._dY = None if (2 * th, 2 * tw) == (Ho, Wo) else np.zeros((N, 2 * th, 2 * tw, K), dtype=dtype)
        self._U = None

    def _planes(self, a: np.ndarray) -> np.ndarray:
        """(4, 2, N, th, tw, 2, n) as the (4, 2, 2, P, n) matrices of the 16 products (a strided view)."""
        return a.reshape(4, 2, self.N * self.th * self.tw, 2, a.shape[-1]).transpose(0, 1, 3, 2, 4)

    def forward(self, U: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``u`` (N, Ho, Wo, K)."""
        N, th, tw, C, K = self.N, self.th, self.tw, self.C, self.K
        self._U = U
        # Columns: pairs (2s, 2s + 1) minus the next pair gives slots (0, 3) = (d0 - d2, d1 - d3) of B^T d;
        # slots (1, 2) = (d1 + d2, d2 - d1).
        x2 = self.xpad.reshape(N, -1, tw + 1, 2, C)
        T = self._cols
        np.subtract(x2[:, :, :tw], x2[:, :, 1:], out=T[0])
        odd, even = x2[:, :, :tw, 1], x2[:, :, 1:, 0]
        np.add(odd, even, out=T[1, :, :, :, 0])
        np.subtract(even, odd, out=T[1, :, :, :, 1])
        # Rows, the same transform in slot order (0, 3, 1, 2): every pass over rows of contiguous memory.
        R = [T[:, :, r:r + 2 * th:2] for r in range(4)]
        V = self._V
        np.subtract(R[0], R[2], out=V[0])
        np.subtract(R[1], R[3], out=V[1])
        np.add(R[1], R[2], out=V[2])
        np.subtract(R[2], R[1], out=V[3])
        M = self._M
        np.matmul(self._planes(V), U, out=M)
        M = M.reshape(4, 4, -1, K)
        M[2, 2] += b  # A^T's column of slot 2 is (1, 1): the bias reaches all four outputs
        # Y = A^T M A with A^T = [[1, 0, 1, 1], [0, 1, 1, -1]] in slot order: rows, then columns.
        S = self._S
        np.add(M[2], M[3], out=S[0])
        S[0] += M[0]
        np.subtract(M[2], M[3], out=S[1])
        S[1] += M[1]
        Y = self._Y.reshape(2, 2, -1, K)
        np.add(S[:, 2], S[:, 3], out=Y[:, 0])
        Y[:, 0] += S[:, 0]
        np.subtract(S[:, 2], S[:, 3], out=Y[:, 1])
        Y[:, 1] += S[:, 1]
        u = np.empty((N, 2 * th, 2 * tw, K), dtype=self.xpad.dtype)
        np.copyto(u.reshape(N, th, 2, tw, 2, K).transpose(2, 4, 0, 1, 3, 5), self._Y)
        if (2 * th, 2 * tw) != (self.Ho, self.Wo):
            u = np.ascontiguousarray(u[:, :self.Ho, :self.Wo])
        return u

    def backward(self, delta: np.ndarray, need_dx: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``dE/dF``, ``dE/db`` and the padded ``dE/dx`` (None unless ``need_dx``) from ``delta`` (N, Ho, Wo, K)."""
        N, th, tw, C, K = self.N, self.th, self.tw, self.C, self.K
        # dM = A dY A^T with A = [[1, 0], [0, 1], [1, 1], [1, -1]] in slot order: slots (0, 1) on both axes are
        # the 2x2 blocks of delta themselves, slots 2 and 3 their sums and differences.
        dM = self._dM
        planes = dM[:2, :2].reshape(2, 2, N, th, tw, K)
        if self._dY is not None:
            self._dY[:, :self.Ho, :self.Wo] = delta
            delta = self._dY
        np.copyto(planes, delta.reshape(N, th, 2, tw, 2, K).transpose(2, 4, 0, 1, 3, 5))
        np.add(dM[:2, 0], dM[:2, 1], out=dM[:2, 2])
        np.subtract(dM[:2, 0], dM[:2, 1], out=dM[:2, 3])
        np.add(dM[0], dM[1], out=dM[2])
        np.subtract(dM[0], dM[1], out=dM[3])
        db = dM[2, 2].sum(axis=0)  # the sum of each block's four deltas
        dM = dM.reshape(4, 2, 2, -1, K)
        dF = filter_gradient(np.matmul(self._planes(self._V).swapaxes(-1, -2), dM))
        if not need_dx:
            return dF, db, None
        dV = np.empty_like(self._V)
        np.matmul(dM, self._U.swapaxes(-1, -2), out=self._planes(dV))
        return dF, db, self._input_gradient(dV)

    def _input_gradient(self, dV: np.ndarray) -> np.ndarray:
        """``B dV B^T`` of every tile, added back into the padded input where the tile was read."""
        N, th, tw, C = self.N, self.th, self.tw, self.C
        # Rows (the transpose of the forward row pass): with a = dV2 + dV3 and b = dV2 - dV3,
        # row 2t gets dV0[t] - dV0[t - 1] + a[t - 1] and row 2t + 1 gets dV1[t] - dV1[t - 1] + b[t].
        a = np.add(dV[2], dV[3])
        b = np.subtract(dV[2], dV[3])
        T = np.empty_like(self._cols)
        even, odd = T[:, :, 0::2], T[:, :, 1::2]  # (2, N, th + 1, tw, 2, C) each
        even[:, :, 0] = dV[0, :, :, 0]
        np.subtract(dV[0, :, :, 1:], dV[0, :, :, :-1], out=even[:, :, 1:th])
        even[:, :, 1:th] += a[:, :, :-1]
        np.subtract(a[:, :, -1], dV[0, :, :, -1], out=even[:, :, th])
        np.add(dV[1, :, :, 0], b[:, :, 0], out=odd[:, :, 0])
        np.subtract(dV[1, :, :, 1:], dV[1, :, :, :-1], out=odd[:, :, 1:th])
        odd[:, :, 1:th] += b[:, :, 1:]
        np.negative(dV[1, :, :, -1], out=odd[:, :, th])
        # Columns: the pair (2s, 2s + 1) gets T0[s] - T0[s - 1]; columns (2s + 1, 2s + 2) get
        # (T1[s, 0] - T1[s, 1], T1[s, 0] + T1[s, 1]).
        dxpad = np.empty_like(self.xpad)
        pairs = dxpad.reshape(N, -1, tw + 1, 2, C)
        pairs[:, :, 0] = T[0, :, :, 0]
        np.subtract(T[0, :, :, 1:], T[0, :, :, :-1], out=pairs[:, :, 1:tw])
        np.negative(T[0, :, :, -1], out=pairs[:, :, tw])
        Z = np.empty_like(T[1])
        np.subtract(T[1, ..., 0, :], T[1, ..., 1, :], out=Z[..., 0, :])
        np.add(T[1, ..., 0, :], T[1, ..., 1, :], out=Z[..., 1, :])
        dxpad[:, :, 1:2 * tw + 1] += Z.reshape(N, -1, 2 * tw, C)
        return dxpad
