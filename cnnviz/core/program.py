"""The appendix program's own rules where they depart from the text (``NetworkConfig(rules="program")``).

The lecture's text (section 3.3) and cnnviz's default rules differ from what the MATLAB program of the appendix
does in three places; the ``program`` rules do as the program does, so that a run can be compared with one by
the text:

- Dropout (``Total_Layer`` and ``Dropout``): of the ``m x n`` activations of a minibatch (m images, n units),
  exactly ``round(m n (1 - ratio))``, drawn without replacement (``randperm(m*n, num)``), are kept and scaled
  by ``1 / (1 - ratio)``; the others are set to 0. ``Forward`` calls it with ratio 0 for the first fully
  connected layer and with ``drop_ratio`` for every later one (the output layer's is ignored by ``SoftMax``,
  which reads ``Z``): so every hidden fully connected layer but the first drops, fc2 alone in the lecture's
  network. :class:`ProgramDropout`.
- Back-propagation through that dropout (``Backward``): ``D_t{k} = (Z_t{k}>0).*(D_t{k+1}*Weights{k+1})``
  forgets the mask: ``delta_k = f'(u_k) .* (W_{k+1}^T delta_{k+1})`` where the loss's gradient is
  ``f'(u_k) .* mask .* (W_{k+1}^T delta_{k+1})``. A dropped unit still passes a gradient and a kept one passes
  ``1 - ratio`` times too little, so every gradient below the dropped layer is not the loss's gradient
  (tests/core/test_program.py measures by how much); the layer after it (``Grad_weight = D_t{k}'*X_t{k-1}``,
  with the dropped activations) is exact.
- Pooling ties (``Pooling``): MATLAB's ``max`` returns the FIRST maximum of each block's column of ``Im2Col``,
  which lists the block column by column: ``a(2i', 2j')``, ``a(2i'+1, 2j')``, ``a(2i', 2j'+1)``,
  ``a(2i'+1, 2j'+1)``. cnnviz's rule takes the first in row-major order. :class:`ColumnMajorMaxPool`.

The program's printed loss is the SUM of the minibatch's cross-entropies (:mod:`cnnviz.lecture`); cnnviz
records the mean, which is that sum divided by the batch size.
"""

from __future__ import annotations

import numpy as np

from cnnviz.core.layers import MaxPool2D


class ProgramDropout:
    """The program's dropout with ratio ``r`` on a batch ``x`` (N, n): ``y = x * mask``, where ``mask`` holds
    ``1 / (1 - r)`` at exactly ``round(N n (1 - r))`` positions drawn without replacement and 0 elsewhere.
    Backward forgets the mask, as the program's ``Backward`` does: ``dE/dx = dE/dy`` (not the loss's gradient).
    At test time, or with ratio 0, ``y = x``. Where the minibatch is shared out between worker threads
    (:mod:`cnnviz.parallel`), each thread's share keeps its own fixed count (the same total where every share's
    count is a whole number, as for 50 images of 200 units)."""

    def __init__(self, ratio: float):
        self.ratio = ratio
        self.mask: np.ndarray | None = None  # the last training pass's mask (None: no dropout)

    def forward(self, x: np.ndarray, train: bool = False, rng: np.random.Generator | None = None) -> np.ndarray:
        if not train or self.ratio == 0:
            self.mask = None
            return x
        kept = rng.permutation(x.size)[:round(x.size * (1 - self.ratio))]
        mask = np.zeros(x.size, dtype=x.dtype)
        mask[kept] = 1 / (1 - self.ratio)
        self.mask = mask.reshape(x.shape)
        return x * self.mask

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy  # the program's Backward never multiplies by the mask


class ColumnMajorMaxPool(MaxPool2D):
    """2x2 max pooling (:class:`~cnnviz.core.layers.MaxPool2D`, section 3.2) whose ties go to the first position
    of the block in COLUMN-major order, as MATLAB's ``max`` over the program's ``Im2Col`` columns: ``(0, 0)``,
    ``(1, 0)``, ``(0, 1)``, ``(1, 1)``. It pools the transposed maps with the row-major rule (a block's
    column-major order is its transpose's row-major order) and transposes the result, the winners (their row and
    column bits swapped) and the backward pass back; ``winners`` is in the usual row-major numbering."""

    def __init__(self):
        self._pool = MaxPool2D()

    def forward(self, a: np.ndarray, train: bool = False, winners: bool = True) -> np.ndarray:
        p = self._pool.forward(np.ascontiguousarray(a.transpose(0, 2, 1, 3)), train, winners=winners)
        q = self._pool.winners
        # q = 2 r + s in the transposed block is row s, column r of the block: 2 s + r
        self.winners = None if q is None else np.ascontiguousarray(((q & 1) << 1 | q >> 1).transpose(0, 2, 1, 3))
        return np.ascontiguousarray(p.transpose(0, 2, 1, 3))

    def backward(self, dp: np.ndarray) -> np.ndarray:
        da = self._pool.backward(np.ascontiguousarray(dp.transpose(0, 2, 1, 3)))
        return np.ascontiguousarray(da.transpose(0, 2, 1, 3))
