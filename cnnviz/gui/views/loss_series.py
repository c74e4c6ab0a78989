"""The loss view's series maths, without Qt: a run's steps as positions on the x axis (step, epoch, images seen,
training time) and back, the steps a run kept after a rollback, round range ends, and the moving average drawn in
bold (:class:`Smoothed`). ``model`` is a :class:`~cnnviz.gui.state.RunState` (the main run's or a compared one's)."""

from __future__ import annotations

import math

import numpy as np

from cnnviz.errors import QT_TRANSLATE_NOOP
from cnnviz.gui.series import GrowingArray

X_AXES = {  # each x axis, as the loss view's box names it -> its title under the plots (both marked for the window)
    QT_TRANSLATE_NOOP("LossView", "step"): QT_TRANSLATE_NOOP("LossView", "step"),
    QT_TRANSLATE_NOOP("LossView", "epoch"): QT_TRANSLATE_NOOP("LossView", "epoch"),
    QT_TRANSLATE_NOOP("LossView", "images seen"): QT_TRANSLATE_NOOP("LossView", "images seen"),
    QT_TRANSLATE_NOOP("LossView", "training time"): QT_TRANSLATE_NOOP("LossView", "training time (s)"),
}


def time_table(model: RunModel) -> tuple[np.ndarray, np.ndarray]:
    """(steps, seconds) of a run's recorded steps, with step 0 at 0 s where the run starts at step 1 (a fork starts
    after its parent's step, at its parent's time)."""
    steps, seconds = model.metric("step"), model.metric("time")
    if len(steps) and steps[0] <= 1:
        return np.concatenate([[0.0], steps]), np.concatenate([[0.0], seconds])
    return steps, seconds


def sane_part(steps: np.ndarray, events) -> np.ndarray:
    """Which of ``steps`` the run kept: a rollback at step t back to step b abandons the steps b < step <= t (where
    the run diverged). The loss axis follows the kept ones (after a rollback it stayed at 5e+14, the new curve flat
    along the bottom)."""
    keep = np.ones(len(steps), dtype=bool)
    for e in events:
        if e.kind == "rollback":
            keep &= ~((steps > e.value) & (steps <= e.step))
    return keep


def x_of(model, steps, axis: str) -> np.ndarray:
    """Steps of ``model``'s run as positions on the x axis ``axis`` (one of X_AXES): the step, the epoch
    ``step / steps_per_epoch``, the images seen ``step × batch size``, or the training time in seconds (interpolated
    between the recorded steps)."""
    steps = np.asarray(steps, dtype=float)
    if axis == "epoch":
        return steps / model.steps_per_epoch
    if axis == "images seen":
        return steps * (model.start.config.batch_size if model.start is not None else 1)
    if axis == "training time":
        s, t = time_table(model)
        return np.interp(steps, s, t) if len(s) else np.zeros_like(steps)
    return steps


def step_of_x(model, x: float, axis: str) -> float:
    """The (fractional) step of ``model``'s run at x axis position ``x``: the inverse of :func:`x_of`."""
    if axis == "epoch":
        return x * model.steps_per_epoch
    if axis == "images seen":
        return x / (model.start.config.batch_size if model.start is not None else 1)
    if axis == "training time":
        s, t = time_table(model)
        return float(np.interp(x, t, s)) if len(s) else 0.0
    return x


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= ``value`` (> 0)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * power >= value * (1 - 1e-12):
            return m * power
    return 10 * power


def nice_floor(value: float) -> float:
    """The largest of 1, 2, 5 times a power of ten that is <= ``value`` (> 0)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for m in (5, 2, 1):
        if m * power <= value * (1 + 1e-12):
            return m * power
    return power


def ema(values: np.ndarray, weight: float, start: float = 0.0, count: int = 0) -> tuple[np.ndarray, float, int]:
    """Debiased exponential moving average (as TensorBoard's smoothing): ``m_t = w m_{t-1} + (1 - w) x_t``,
    shown as ``m_t / (1 - w^t)``. Continues from ``start`` (the raw ``m``) after ``count`` values; returns the
    smoothed values, the new raw ``m`` and count."""
    out = np.empty(len(values))
    m, t = start, count
    for i, x in enumerate(values.tolist()):
        m = weight * m + (1 - weight) * x
        t += 1
        out[i] = m / (1 - weight ** t) if weight > 0 else m
    return out, m, t


class Smoothed:
    """A growing series' moving average (:func:`ema`), kept as the series grows (a :class:`GrowingArray`)."""

    def __init__(self, weight: float = 0.0):
        self.values = GrowingArray(minimum=1024)
        self._m, self._t = 0.0, 0
        self.weight = weight

    def reset(self, weight: float) -> None:
        self.values.clear()
        self._m, self._t, self.weight = 0.0, 0, weight

    def extend(self, raw: np.ndarray) -> None:
        """Smooth ``raw[len(self.values):]`` (``raw`` is the whole series so far)."""
        new = raw[len(self.values):]
        if len(new):
            smoothed, self._m, self._t = ema(new, self.weight, self._m, self._t)
            self.values.extend(smoothed)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def series(self) -> np.ndarray:
        return self.values.rows


def x_end(model, axis: str) -> float:
    """The x range's end for a run on axis ``axis``: a round number of steps past its last (at most its planned
    steps), or of seconds past its last step's time."""
    if axis == "training time":
        seconds = float(model.metric("time")[-1]) if model.n_steps else 0.0
        return nice_ceil(max(seconds * 1.1, 1.0))
    last = float(model.metric("step")[-1]) if model.n_steps else 0.0
    total = model.start.total_steps if model.start is not None else 0
    end = nice_ceil(max(last * 1.1, 10.0))
    if total:
        end = min(end, float(total))
    return float(x_of(model, end, axis))


def loss_values(models) -> np.ndarray:
    """The finite losses the loss axis shows: every run's per-step and test losses at the steps it kept."""
    values = np.concatenate([v[sane_part(steps, m.events)] for m in models for steps, v in
                             ((m.metric("step"), m.metric("loss")), (m.eval_table[:, 0], m.eval_table[:, 2]))])
    return values[np.isfinite(values)]


def loss_range(values: np.ndarray, log: bool, current: tuple[float, float] | None) -> tuple[float, float]:
    """The loss axis' range for ``values`` (finite, at least one): ``current`` while they stay in it (each change
    rebuilds the axes), else round ends around them: from 0 to a little above the largest, or, on a logarithmic
    axis, from a little below the smallest positive one."""
    top = float(values.max())
    if log:
        positive = values[values > 0]
        low = float(positive.min()) if len(positive) else top / 10
        if current is not None and current[0] <= low and top <= current[1]:
            return current
        return nice_floor(low * 0.8), nice_ceil(top * 1.2)
    if current is not None and top <= current[1]:
        return current
    return 0.0, nice_ceil(top * 1.05)
