"""The layers of the lecture's network, each with ``forward`` and ``backward``.

Contract (shared by every layer): ``forward(x, train)`` returns the output and keeps what ``backward`` needs;
``backward(dout)`` returns the gradient with respect to the input and never writes into ``dout``; layers with
parameters expose ``params`` and ``grads``, mappings with the same keys and shapes.

Feature maps are channel-last ``(N, H, W, C)`` inside the layers (see :mod:`cnnviz.core.functional` for
why); the equations below use the notes' ``x(c, i, j)`` and are the same index for index. Names:
``u`` pre-activation, ``a`` ReLU output, ``p`` pooled output, ``delta`` the gradient of the loss E with
respect to ``u``.
"""

from __future__ import annotations

import numpy as np

from cnnviz.core.functional import col2im, im2col, im2col_planes, log_softmax, same_padding
from cnnviz.core.winograd import Winograd3x3, filter_transform

METHODS = ("auto", "im2col", "winograd")


def uses_winograd(m: int, C: int, K: int) -> bool:
    """Whether "auto" computes a layer by Winograd: 3x3 filters with at least 128 maps in and out.

    Its 16 products take 2.25 times fewer multiplications than im2col's one, but thin matrices run slower per
    multiplication and the transforms are NumPy passes over memory, so for this layer alone im2col is faster for
    the lecture's conv layers and Winograd wins from about 128 x 128 maps (``benchmarks/train_speed.py
    --methods`` prints both per layer; the figures are in docs/speed.md). Training and inference compute a conv
    layer with its max pooling in :mod:`cnnviz.core.convpool`, which takes "auto" 3x3 same-padded layers below
    that size by Winograd with its transforms as matrix products."""
    return m == 3 and min(C, K) >= 128


class Conv2D:
    """Correlation of ``C`` input maps with ``K`` filters (sections 3.2, 3.3), by im2col and one matrix product
    or, for 3x3 filters on enough channels, by Winograd's F(2x2, 3x3) (:mod:`cnnviz.core.winograd`).

    Shapes: input ``x`` (N, H, W, C); filters ``F = W`` (K, C, m, m) as in the notes' ``F(k, c, mu, nu)``;
    bias ``b`` (K,); output ``u`` (N, Ho, Wo, K). Any ``m``, odd or even; ``padding`` "same" (Ho = H, with the
    even-size rule of :func:`~cnnviz.core.functional.same_padding`) or "valid" (Ho = H - m + 1).

    Forward:  ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i + mu, j + nu) + b(k)``
    (``x`` zero-padded for "same").

    Backward, given ``delta(k, i, j) = dE/du(k, i, j)``:
      ``dE/dF(k, c, mu, nu) = sum_n sum_i sum_j delta(k, i, j) x(c, i + mu, j + nu)``,
      ``dE/db(k) = sum_n sum_i sum_j delta(k, i, j)``,
      ``dE/dx(c, i, j) = sum_k sum_mu sum_nu delta(k, i - mu, j - nu) F(k, c, mu, nu)`` (a full correlation
      with the flipped filters; the notes' delta of the previous layer before its ReLU factor).

    ``method``: "auto" (Winograd where :func:`uses_winograd` says so for the layer's shape, im2col elsewhere;
    a fixed rule, so that a run and its continuation compute alike), "im2col" or "winograd" (3x3 only).
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, padding: str = "same", need_dx: bool = True,
                 method: str = "auto"):
        if method not in METHODS or (method == "winograd" and W.shape[2:] != (3, 3)):
            raise ValueError(f"method must be one of {', '.join(METHODS)} (winograd for 3x3 filters), "
                             f"not {method!r} for {W.shape[2]}x{W.shape[3]} filters")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.padding = padding
        self.need_dx = need_dx  # the first layer's input is the image: its gradient is never needed
        self.method = method
        self._xpad = self._cols = self._taps = None
        self._winograd: Winograd3x3 | None = None
        self._last = None  # the Winograd buffers if the last forward pass used them, else None

    def _pads(self, m: int) -> tuple[int, int]:
        return same_padding(m) if self.padding == "same" else (0, 0)

    def method_for(self, C: int) -> str:
        """How the forward pass computes an input of ``C`` maps: "im2col" or "winograd"."""
        K, _, m, _ = self.params["W"].shape
        winograd = self.method == "winograd" or (self.method == "auto" and uses_winograd(m, C, K))
        return "winograd" if winograd else "im2col"

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """``u`` (N, Ho, Wo, K)."""
        N, H, W_, C = x.shape
        Wt = self.params["W"]
        K, _, m, _ = Wt.shape
        before, after = self._pads(m)
        Ho, Wo = H + before + after - m + 1, W_ + before + after - m + 1
        self._last = None
        if self.method_for(C) == "winograd":
            w = self._winograd
            if w is None or w.shape != (N, Ho, Wo, C, K, x.dtype):
                self._winograd = w = Winograd3x3(N, Ho, Wo, C, K, x.dtype)
            w.xpad[:, before:before + H, before:before + W_] = x
            self._last = w
            return w.forward(filter_transform(Wt), self.params["b"])
        # im2col with a last column of ones, so that the product adds the bias (and the filter gradient's product
        # gives dE/db): no pass over u or delta of their own. One input map (the image) is unfolded transposed,
        # m*m planes of whole rows, where im2col would copy runs of m numbers.
        planar = C == 1
        shape = (N, H + before + after, W_ + before + after, C)
        if self._xpad is None or self._xpad.shape != shape or self._xpad.dtype != x.dtype:
            # The padded input and the column matrix are reused between steps; the border and the ones stay.
            self._xpad = np.zeros(shape, dtype=x.dtype)
            P, n = N * Ho * Wo, m * m * C + 1
            self._cols = np.ones((n, P) if planar else (P, n), dtype=x.dtype)
        self._xpad[:, before:before + H, before:before + W_, :] = x
        if planar:
            im2col_planes(self._xpad[..., 0], m, out=self._cols[:-1].reshape(m, m, N, Ho, Wo))
        else:
            im2col(self._xpad, m, out=self._cols[:, :-1].reshape(N, Ho, Wo, m, m, C))
        # Filters as rows (mu, nu, c) to match the column order of im2col, then the bias.
        Wb = np.concatenate([Wt.transpose(0, 2, 3, 1).reshape(K, m * m * C), self.params["b"][:, None]], axis=1)
        u = (self._cols.T if planar else self._cols) @ Wb.T
        return u.reshape(N, Ho, Wo, K)

    def backward(self, delta: np.ndarray) -> np.ndarray | None:
        K, C, m, _ = self.params["W"].shape
        N, Ho, Wo, _ = delta.shape
        before, after = self._pads(m)
        if self._last is not None:
            dF, db, dxpad = self._last.backward(delta, self.need_dx)
            self.grads["W"][...] = dF
            self.grads["b"][...] = db
            if dxpad is None:
                return None
            H, W_ = Ho + m - 1 - before - after, Wo + m - 1 - before - after
            return dxpad[:, before:before + H, before:before + W_]
        d2 = delta.reshape(N * Ho * Wo, K)
        # (K, m*m*C + 1) in (mu, nu, c) order, then the sum of delta (the column of ones).
        dWb = (self._cols @ d2).T if C == 1 else d2.T @ self._cols
        self.grads["W"][...] = dWb[:, :-1].reshape(K, m, m, C).transpose(0, 3, 1, 2)
        self.grads["b"][...] = dWb[:, -1]
        if not self.need_dx:
            return None
        # dE/dx is the full correlation of delta with the flipped filters (section 3.3): the input x(c, i + mu,
        # j + nu) met delta(k, i, j) through F(k, c, mu, nu), so one product gives every tap's contribution as a
        # plane of its own, T[mu, nu] = delta F(:, :, mu, nu) (N Ho Wo x C), and each plane is added back where
        # its tap read the padded input (col2im). im2col of the padded delta instead copies m*m*K numbers a
        # pixel and its product, with C columns only, then reads them all again from memory: 20% slower for
        # the lecture's conv2.
        if self._taps is None or self._taps.shape != (m * m, N * Ho * Wo, C) or self._taps.dtype != delta.dtype:
            self._taps = np.empty((m * m, N * Ho * Wo, C), dtype=delta.dtype)
        np.matmul(d2, self.params["W"].transpose(2, 3, 0, 1).reshape(m * m, K, C), out=self._taps)
        dxpad = col2im(self._taps.reshape(m, m, N, Ho, Wo, C), np.empty((N, Ho + m - 1, Wo + m - 1, C), delta.dtype))
        H, W_ = Ho + m - 1 - before - after, Wo + m - 1 - before - after
        return dxpad[:, before:before + H, before:before + W_]


class ReLU:
    """``a = f(u) = max(0, u)``; backward ``dE/du = f'(u) dE/da`` with ``f'(u) = 1 if u > 0 else 0``."""

    def forward(self, u: np.ndarray, train: bool = False, keep: bool = True) -> np.ndarray:
        """``keep`` False: ``f'(u)`` is not recorded (inference, where no backward pass follows)."""
        self._positive = u > 0 if keep else None
        return np.maximum(u, 0)

    def backward(self, da: np.ndarray) -> np.ndarray:
        return da * self._positive


class MaxPool2D:
    """2x2 max pooling with stride 2 that records the winning position of every block (section 3.2, figure 7).

    ``p(k, i', j') = max(a(k, 2i', 2j'), a(k, 2i', 2j'+1), a(k, 2i'+1, 2j'), a(k, 2i'+1, 2j'+1))``; output
    ``fix(h/2) x fix(w/2)`` (an odd last row/column is dropped). ``winners`` (N, h', w', C) holds which of the
    four won, numbered 0..3 in row-major order within the block, so the notes' ``(zeta, eta)`` is
    ``(2i' + q // 2, 2j' + q % 2)``. Ties go to the FIRST position in row-major order (our fixed rule).

    Backward ("un-pooling", section 3.3): ``dE/da`` is ``dE/dp(i', j')`` at the winning position of each block
    and 0 at the other three, and 0 on a dropped odd edge.
    """

    def forward(self, a: np.ndarray, train: bool = False, winners: bool = True) -> np.ndarray:
        """``winners=False`` skips recording them (inference, where no backward pass or view needs them)."""
        self._in_shape = a.shape
        N, H, W, C = a.shape
        p = np.empty((N, H // 2, W // 2, C), dtype=a.dtype)
        self.winners = np.empty(p.shape, dtype=np.uint8) if winners else None
        b6 = a[:, :2 * (H // 2), :2 * (W // 2), :].reshape(N, H // 2, 2, W // 2, 2, C)
        # (N, h, 2, w, C) each: the left and right number of both rows of every block
        max_of_pairs(b6[..., 0, :], b6[..., 1, :], lambda t, r: t[:, :, r], p, self.winners)
        return p

    def backward(self, dp: np.ndarray) -> np.ndarray:
        N, H, W, C = self._in_shape
        h, w = H // 2, W // 2
        # Every position of every block is written below: zeros only under an odd edge.
        even = (H, W) == (2 * h, 2 * w)
        da = np.empty(self._in_shape, dtype=dp.dtype) if even else np.zeros(self._in_shape, dtype=dp.dtype)
        blocks = da[:, :2 * h, :2 * w, :].reshape(N, h, 2, w, 2, C)  # a view into da
        for q in range(4):
            np.multiply(dp, self.winners == q, out=blocks[:, :, q // 2, :, q % 2, :])
        return da


def max_of_pairs(left: np.ndarray, right: np.ndarray, row, p: np.ndarray, winners: np.ndarray | None) -> None:
    """:class:`MaxPool2D`'s forward pass written into ``p`` and, unless None, ``winners`` (uint8): ``left`` and
    ``right`` hold the left and right number of both rows of every block, ``row(t, r)`` takes row ``r`` of them.
    The first winner in row-major order wins a tie."""
    # Both rows of every block at once: the larger of each row's pair, then of the two rows.
    rows = np.maximum(left, right)
    top, bottom = row(rows, 0), row(rows, 1)
    np.maximum(top, bottom, out=p)
    if winners is None:
        return
    # First winner in row-major order: the bottom row wins only if strictly larger, and within a row the right
    # one only if strictly larger. Boolean operations and one-byte sums (np.where on booleans and shifts of bytes
    # are several times slower).
    right_wins = np.greater(right, left)
    r0, r1 = row(right_wins, 0), row(right_wins, 1)
    bottom_wins = np.greater(bottom, top)
    right_in_winning_row = r0 ^ (bottom_wins & (r0 ^ r1))
    np.add(bottom_wins.view(np.uint8), bottom_wins.view(np.uint8), out=winners)
    winners += right_in_winning_row.view(np.uint8)


def max_of_planes(planes: np.ndarray, p: np.ndarray, winners: np.ndarray | None) -> None:
    """:func:`max_of_pairs` of ``u`` given as the four planes of its 2x2 blocks, (2, 2, ...)."""
    max_of_pairs(planes[:, 0], planes[:, 1], lambda t, r: t[r], p, winners)


def unpool_planes(dp: np.ndarray, winners: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:class:`MaxPool2D`'s backward pass into the four planes of the 2x2 blocks, ``out`` (2, 2, *dp.shape):
    ``dp`` where the block's winner was, 0 at the other three."""
    which = np.equal(winners, np.arange(4, dtype=winners.dtype).reshape(4, *(1,) * winners.ndim))
    np.multiply(dp, which, out=out.reshape(4, *dp.shape))  # two passes over all four planes, not eight
    return out


class AvgPool2D:
    """2x2 average pooling with stride 2, the notes' alternative to max pooling.

    ``p(k, i', j') = (1/4) sum of the block``; backward gives each of the four ``dE/dp(i', j') / 4``.
    """

    def forward(self, a: np.ndarray, train: bool = False) -> np.ndarray:
        N, H, W, C = a.shape
        h, w = H // 2, W // 2
        self._in_shape = a.shape
        return a[:, :2 * h, :2 * w, :].reshape(N, h, 2, w, 2, C).mean(axis=(2, 4))

    def backward(self, dp: np.ndarray) -> np.ndarray:
        N, H, W, C = self._in_shape
        h, w = H // 2, W // 2
        da = np.zeros(self._in_shape, dtype=dp.dtype)
        da[:, :2 * h, :2 * w, :].reshape(N, h, 2, w, 2, C)[...] = (dp / 4)[:, :, None, :, None, :]
        return da


class Flatten:
    """Vectorise the last maps in the notes' (c, i, j) row-major order: ``v(c*h*w + i*w + j) = p(c, i, j)``."""

    def forward(self, p: np.ndarray, train: bool = False) -> np.ndarray:
        self._shape = p.shape
        N = p.shape[0]
        return p.transpose(0, 3, 1, 2).reshape(N, -1)

    def backward(self, dv: np.ndarray) -> np.ndarray:
        N, h, w, C = self._shape
        return dv.reshape(N, C, h, w).transpose(0, 2, 3, 1)


class Dense:
    """Fully connected layer (section 3.2): ``u = W v + b`` with ``W`` (out, in), ``b`` (out,), ``v`` (N, in).

    Backward (section 3.3), given ``delta = dE/du`` (N, out):
    ``dE/dW = delta^T v``, ``dE/db = sum_n delta``, ``dE/dv = delta W`` (the notes' ``W^T delta`` per sample).
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, v: np.ndarray, train: bool = False) -> np.ndarray:
        self._v = v
        u = v @ self.params["W"].T
        u += self.params["b"]
        return u

    def backward(self, delta: np.ndarray) -> np.ndarray:
        np.matmul(delta.T, self._v, out=self.grads["W"])
        self.grads["b"][...] = delta.sum(axis=0)
        return delta @ self.params["W"]


class Dropout:
    """Inverted dropout with ratio ``r``: ``y = x * mask``, ``mask = [keep] / (1 - r)``, keep with probability 1 - r.

    Only in training; at test time ``y = x``. Backward uses the same mask: ``dE/dx = mask * dE/dy`` (the
    original program forgot this, which made its gradient inexact). ``mask`` is the last training pass's (None
    after a pass at test time).
    """

    def __init__(self, ratio: float):
        self.ratio = ratio
        self.mask = None

    def forward(self, x: np.ndarray, train: bool = False, rng: np.random.Generator | None = None) -> np.ndarray:
        if not train or self.ratio == 0:
            self.mask = None
            return x
        keep = rng.random(x.shape, dtype=x.dtype) >= self.ratio
        self.mask = keep * x.dtype.type(1 / (1 - self.ratio))
        return x * self.mask

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy if self.mask is None else dy * self.mask


class SoftmaxCrossEntropy:
    """Output layer: ``v = Soft(u)``, ``E = -(1/N) sum_n log v_n(label_n)`` (mean over the batch).

    Backward (section 3.3): ``delta_out = (v - r) / N`` with one-hot ``r``; the ``1/N`` is the mean's.
    """

    def forward(self, u: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        log_v = log_softmax(u)
        self._labels = labels
        self.probs = np.exp(log_v)
        return float(-log_v[np.arange(len(labels)), labels].mean()), self.probs

    def backward(self) -> np.ndarray:
        N = len(self._labels)
        delta = self.probs.copy()
        delta[np.arange(N), self._labels] -= 1
        delta /= N
        return delta
