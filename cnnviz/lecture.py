"""Data from the lecture notes themselves: what the appendix's MATLAB program ran with, printed and scored.

Source: the lecture notes' appendix (Hitoshi Arai, 数学者が書いた深層学習講義 畳み込みニューラルネット篇 MATLAB プログラム付き,
1st edition Ver. 1.5, 2025; ``shared/docs/lecture.md`` is the English digest). Its training loop

    ``if mod(i,10)==0, Error = sum(-Y.*log(X_t{1,L2}+1e-5),'all'), end``

printed, every 10 minibatches ``i`` of each epoch, the cross-entropy of that minibatch SUMMED over its 100
images (``Y`` the one-hot labels, ``X_t{1,L2}`` the softmax output of the training forward pass, with dropout,
before the update; ``1e-5`` inside the log). Four epochs of 600 minibatches: 60 lines an epoch, 240 in all,
copied here in printed order as :data:`PROGRAM_ERROR` (the lines ``Error = 187.0938`` ... ``Error = 29.8966``).
Then ``toc`` printed 805.452498 s, the accuracy on the first 1,000 test images 0.971000 (1.338477 s), and the
first ten test images were answered 7 2 1 0 4 1 4 9 6 9 (the program's class 10 is the digit 0; the ninth image,
a 5, was called 6).

In cnnviz's units (:func:`reference_curve`): the loss view plots the MEAN cross-entropy of each step's
minibatch, so a printed value divided by the batch size, 100, is the mean loss of the minibatch the program
trained on at step ``600 (epoch - 1) + i`` = 10, 20, ..., 2,400.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProgramRun:
    """The appendix program's settings and results (the notes' names in parentheses).

    Network (``init_image_size``, ``Filters``, ``Weights``): 1x28x28 input, conv layers of ``conv_filters``
    filters of ``filter_size`` x ``filter_size``, same padding, ReLU, 2x2 max pooling; fully connected layers of
    ``fc`` units, softmax; He initialisation. Training: ``epochs`` (``Epoch``) over ``train_images`` images in
    minibatches of ``batch_size`` (``BatchSize``), shuffled each epoch; ``M <- Eta g - Beta M``, ``theta <- theta
    - M`` with ``g`` the gradient of the batch's SUMMED loss, ``eta`` (``Eta``) and ``beta`` (``Beta``); dropout
    ratio ``drop_ratio``; the loss printed every ``print_every`` minibatches. Results: ``seconds`` for training
    (``toc``), ``accuracy`` on the first ``test_images`` test images (``eval_seconds`` to evaluate them), and the
    digits it answered for the first ten, ``first_predictions``.
    """

    conv_filters: tuple[int, ...] = (32, 64)
    filter_size: int = 3
    fc: tuple[int, ...] = (100, 200, 10)
    epochs: int = 4
    train_images: int = 60_000
    batch_size: int = 100
    eta: float = 1e-4
    beta: float = -0.2
    drop_ratio: float = 0.2
    print_every: int = 10
    seconds: float = 805.452498
    test_images: int = 1_000
    accuracy: float = 0.971
    eval_seconds: float = 1.338477
    first_predictions: tuple[int, ...] = (7, 2, 1, 0, 4, 1, 4, 9, 6, 9)

    @property
    def lr(self) -> float:
        """The learning rate on the MEAN gradient that equals ``Eta`` on the sum: ``Eta * batch_size`` (0.01)."""
        return self.eta * self.batch_size

    @property
    def momentum(self) -> float:
        """Classical momentum ``beta`` in ``M <- lr g + beta M``: ``-Beta`` (0.2)."""
        return -self.beta

    @property
    def steps_per_epoch(self) -> int:
        return self.train_images // self.batch_size

    @property
    def steps(self) -> int:
        return self.epochs * self.steps_per_epoch


PROGRAM = ProgramRun()

# The 240 printed "Error = ..." values, in printed order (60 per epoch); see the module docstring.
PROGRAM_ERROR: tuple[float, ...] = (
    # epoch 1
    187.0938, 154.2223, 117.5135, 107.3014, 101.3021, 69.7032, 60.1384, 80.3276, 71.5251, 62.1540,
    76.2987, 57.6518, 45.5254, 74.5437, 64.2208, 58.5835, 48.9222, 41.6133, 58.5802, 44.5758,
    51.5016, 44.2006, 51.9910, 38.2157, 53.8233, 48.7570, 37.7552, 27.3906, 50.5307, 33.1821,
    26.9751, 22.9181, 37.8468, 52.7764, 32.8974, 52.4852, 46.7627, 39.0996, 41.5830, 34.5535,
    42.3832, 40.3643, 36.7090, 40.7426, 30.4544, 41.6558, 35.8866, 49.3361, 51.0127, 28.0032,
    23.8644, 16.4526, 52.4258, 26.5160, 45.3697, 30.7617, 19.3094, 26.6900, 47.1224, 27.8648,
    # epoch 2
    17.9712, 19.8456, 42.3838, 18.7059, 20.4427, 29.8678, 27.5733, 25.4239, 24.2062, 46.4912,
    42.9663, 32.7472, 32.4016, 23.7074, 16.6487, 17.2878, 22.2105, 27.7210, 43.5128, 21.5606,
    19.6045, 19.6218, 22.8724, 17.9338, 15.4357, 17.0479, 15.5933, 29.9307, 21.4913, 41.7859,
    40.5609, 17.0601, 27.4634, 14.2217, 20.1364, 28.3615, 28.9792, 27.1420, 20.4150, 14.3001,
    29.4409, 24.7152, 24.1101, 46.0693, 12.1892, 11.7126, 29.5687, 8.6009, 23.2503, 18.8115,
    22.9263, 19.9231, 24.2117, 10.6676, 21.7786, 20.9067, 30.4851, 23.5525, 23.8264, 22.1190,
    # epoch 3
    19.2768, 29.8607, 24.3771, 31.8694, 24.1968, 24.8173, 26.4573, 22.9752, 26.0388, 20.6534,
    29.1067, 17.2930, 23.3750, 20.0302, 20.2315, 7.5367, 9.7960, 23.1133, 12.8893, 25.5206,
    17.3525, 39.4160, 8.2115, 14.3914, 10.8945, 23.4490, 26.7701, 13.8361, 13.9693, 24.7258,
    17.8551, 27.9483, 13.0666, 14.3412, 11.7164, 14.7687, 24.8150, 16.2963, 20.0386, 28.0697,
    11.0644, 19.8943, 11.4326, 9.2160, 10.1255, 18.8511, 32.0373, 11.2674, 19.2310, 10.6894,
    28.6003, 29.0682, 23.5396, 20.3993, 18.8565, 21.3105, 12.4028, 9.2942, 33.1903, 17.0115,
    # epoch 4
    20.7610, 19.5488, 6.6304, 24.3450, 8.5416, 29.9209, 12.2441, 16.0289, 25.4931, 8.3173,
    10.9692, 14.6697, 8.3543, 26.0118, 14.9715, 18.9929, 7.7125, 12.8754, 24.4945, 23.5788,
    20.3461, 28.1717, 20.7155, 20.4459, 17.9059, 8.5980, 6.1635, 8.0842, 9.9898, 16.8833,
    8.4715, 17.6937, 25.1088, 34.2543, 7.6551, 22.4387, 10.7015, 13.5003, 16.6288, 16.7999,
    4.2738, 22.1706, 6.7277, 12.8019, 17.5114, 16.6468, 8.1301, 24.8585, 15.6152, 26.5191,
    14.7005, 21.1266, 17.8858, 19.2591, 9.9611, 17.9872, 17.9793, 20.3158, 10.1157, 29.8966,
)


def reference_curve(run: ProgramRun = PROGRAM) -> tuple[np.ndarray, np.ndarray]:
    """The program's printed loss in the loss view's units: ``(steps, mean loss)``, ``steps`` 10, 20, ...,
    2,400 (int64: after ``print_every`` minibatches of each epoch, counted over the epochs) and
    ``PROGRAM_ERROR / batch_size`` (float64: the mean cross-entropy of each printed minibatch)."""
    steps = np.arange(1, len(PROGRAM_ERROR) + 1, dtype=np.int64) * run.print_every
    return steps, np.asarray(PROGRAM_ERROR, dtype=np.float64) / run.batch_size


@dataclass(frozen=True)
class WorkedExample:
    """One of the notes' worked correlations (sections 2.2 and 2.3): ``answer`` is what the notes print for
    ``filter ⋆ x`` with ``padding`` "valid" (``F ⋆ X``) or "same" (``F ⋆_zp X``); ``name`` as the notes call it."""

    name: str
    x: tuple[tuple[int, ...], ...]
    filter: tuple[tuple[int, ...], ...]
    padding: str
    answer: tuple[tuple[int, ...], ...]


FIGURE2_X = tuple(tuple(range(6 * r + 1, 6 * r + 7)) for r in range(6))  # the 6 x 6 array 1..36, row by row
EXERCISE_X = ((16, 2, 3, 13), (5, 11, 10, 8), (9, 7, 6, 12), (4, 14, 15, 1))  # exercises 1 and 2's X
EXERCISE_F = ((0, 1, 0), (1, 1, 1), (0, -1, 1))  # and their F
# The notes' worked examples and their printed answers (figure 2; 練習 1 and 2 with their 解答).
FIGURE2 = WorkedExample("Figure 2", FIGURE2_X, ((0, 1, 0), (1, 1, 1), (0, 1, 0)), "valid",
                        ((40, 45, 50, 55), (70, 75, 80, 85), (100, 105, 110, 115), (130, 135, 140, 145)))
EXERCISE1 = WorkedExample("Exercise 1", EXERCISE_X, EXERCISE_F, "valid", ((27, 38), (34, 21)))
EXERCISE2 = WorkedExample("Exercise 2", EXERCISE_X, EXERCISE_F, "same",
                          ((24, 20, 16, 8), (30, 27, 38, 19), (31, 34, 21, 25), (27, 40, 36, 28)))
EXERCISE2_G = WorkedExample("Exercise 2 (G)", EXERCISE_X, ((1, 0), (0, 0)), "same", EXERCISE_X)  # G ⋆_zp X = X
WORKED_EXAMPLES = (FIGURE2, EXERCISE1, EXERCISE2, EXERCISE2_G)
