"""What a session's stored values may be: ranges, order and words (no h5py here; the reader asks these rules).

The reader (:mod:`cnnviz.session.reader`) checks each dataset's type and shape when it opens a file; these rules
check the values it reads, every time it reads them, so that a value that passes the type and shape checks but
cannot be right (a test accuracy of 7.5, a negative count, snapshot steps out of order) is refused in one sentence
instead of being shown, exported or continued from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnviz.config import SCHEDULES, setting_problem
from cnnviz.errors import QT_TRANSLATE_NOOP, Text

__all__ = ["RULES", "Rule", "problem", "state_problem"]


@dataclass(frozen=True)
class Rule:
    """The values a dataset may hold: ``bad(values)`` marks those that may not (NaN passes where ``nan`` allows
    it), ``what`` says what they must be; ``order`` is "", "nondecreasing" or "increasing" along its rows."""

    bad: Callable[[np.ndarray], np.ndarray]
    what: Text
    order: str = ""
    nan: bool = False


def _below(low: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda a: ~(a >= low) | np.isinf(a)


def _outside(low: float, high: float, high_open: bool = False) -> Callable[[np.ndarray], np.ndarray]:
    return lambda a: ~((a >= low) & ((a < high) if high_open else (a <= high)))


# what the values must be (a Text: the window translates it)
STEP = Text("Session", QT_TRANSLATE_NOOP("Session", "a step 0 or more"))
LOSS = Text("Session", QT_TRANSLATE_NOOP("Session", "a loss 0 or more"))
COUNT = Rule(_below(0), Text("Session", QT_TRANSLATE_NOOP("Session", "a whole number 0 or more")), "nondecreasing")
FRACTION = Rule(_outside(0, 1), Text("Session", QT_TRANSLATE_NOOP("Session", "a fraction between 0 and 1")), nan=True)
RULES: dict[str, Rule] = {
    "metrics/step": Rule(_below(0), STEP, "increasing"),
    "metrics/epoch": Rule(_below(1), Text("Session", QT_TRANSLATE_NOOP("Session", "an epoch 1 or more")),
                          "nondecreasing"),
    "metrics/loss": Rule(_below(0), LOSS, nan=True),
    "metrics/accuracy": FRACTION,
    "metrics/lr": Rule(_below(0), Text("Session", QT_TRANSLATE_NOOP("Session", "a learning rate 0 or more"))),
    "metrics/momentum": Rule(_outside(0, 1, high_open=True),
                             Text("Session", QT_TRANSLATE_NOOP("Session", "a momentum in [0, 1)"))),
    "metrics/time": Rule(_below(0), Text("Session", QT_TRANSLATE_NOOP("Session", "a time in seconds 0 or more"))),
    "metrics/images_per_second": Rule(_below(0), Text("Session", QT_TRANSLATE_NOOP("Session", "a speed 0 or more")),
                                      nan=True),
    "eval/step": COUNT,
    "eval/epoch": COUNT,
    "eval/test_loss": Rule(_below(0), LOSS, nan=True),
    "eval/test_accuracy": FRACTION,
    "eval/confusion": Rule(_below(0), Text("Session", QT_TRANSLATE_NOOP("Session", "a count 0 or more"))),
    "params/step": COUNT,
    "params/epoch": COUNT,
    "events/step": Rule(_below(0), STEP),
    "predictions/confidence": FRACTION,
    "probe/probs": FRACTION,
}


def problem(name: str, values: np.ndarray, first_row: int = 0, previous=None) -> Text | None:
    """What is wrong with ``values`` read from ``/name`` (rows from ``first_row`` on; ``previous``: the row
    before them, for the order), as the end of a sentence after the file's name; None when nothing is (or no rule
    applies)."""
    rule = RULES.get(name)
    if rule is None or np.size(values) == 0:
        return None
    a = np.asarray(values, dtype=np.float64)
    bad = rule.bad(a) & ~(np.isnan(a) if rule.nan else False)
    if bad.any():
        at = np.unravel_index(int(np.flatnonzero(bad)[0]), a.shape)
        if a.ndim:
            return Text("Session", QT_TRANSLATE_NOOP("Session", "is damaged: /{name} holds {value} at row {row}, not "
                                                     "{what}"), name=name, value=_shown(a[at]),
                        row=first_row + int(at[0]), what=rule.what)
        return Text("Session", QT_TRANSLATE_NOOP("Session", "is damaged: /{name} holds {value}, not {what}"), name=name,
                    value=_shown(a[at]), what=rule.what)
    if rule.order and a.ndim == 1:
        series = a if previous is None else np.concatenate([[float(previous)], a])
        steps = np.diff(series)
        wrong = steps <= 0 if rule.order == "increasing" else steps < 0
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            row = first_row + i + (0 if previous is None else -1)
            template = (QT_TRANSLATE_NOOP("Session", "is damaged: /{name} is out of order ({value} at row {row} after "
                                          "{before}; its values increase)") if rule.order == "increasing" else
                        QT_TRANSLATE_NOOP("Session", "is damaged: /{name} is out of order ({value} at row {row} after "
                                          "{before}; its values never fall)"))
            return Text("Session", template, name=name, value=_shown(series[i + 1]), row=row + 1,
                        before=_shown(series[i]))
    return None


def _shown(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"


def state_problem(epoch: int, position: int, base_lr: float, schedule: str, momentum: float, *, epochs: int,
                  n_train: int) -> Text | None:
    """What is wrong with a snapshot's training state (where a fork continues) in a run of ``epochs`` epochs over
    ``n_train`` images, as the end of a sentence; None when nothing is."""
    if not 1 <= epoch <= epochs:
        return Text("Session", QT_TRANSLATE_NOOP("Session", "its epoch {epoch} is not one of the run's epochs 1 to "
                                                 "{epochs}"), epoch=epoch, epochs=epochs)
    if not 0 <= position <= n_train:
        return Text("Session", QT_TRANSLATE_NOOP("Session", "its position {position} in the epoch is not between 0 and "
                                                 "its {n} training images"), position=position, n=n_train)
    # the configuration's own rules (cnnviz.config.RULES), said of a stored state
    if setting_problem("lr", base_lr):
        return Text("Session", QT_TRANSLATE_NOOP("Session", "its learning rate {lr} is not positive"),
                    lr=f"{base_lr:g}")
    if setting_problem("lr_schedule", schedule):
        return Text("Session", QT_TRANSLATE_NOOP("Session", "its learning-rate schedule {schedule} is not one of "
                                                 "{schedules}"),
                    schedule=repr(schedule), schedules=", ".join(SCHEDULES))
    if setting_problem("momentum", momentum):
        return Text("Session", QT_TRANSLATE_NOOP("Session", "its momentum {momentum} is not in [0, 1)"),
                    momentum=f"{momentum:g}")
    return None
