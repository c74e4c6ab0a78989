"""The plain records a run is made of: the trainer yields them, the session files store them, the window's
model takes them (live or replayed). No Qt, no h5py, no training code: every layer of cnnviz speaks these.

Records, in the order :meth:`cnnviz.training.Trainer.run` yields them: one :class:`RunStart`; then per step a
:class:`StepRecord`; :class:`SnapshotRecord` at step 0, every ``snapshot_every`` steps, at every evaluation
and at the end; :class:`EvalRecord` at the end of every epoch, every ``eval_every`` steps and at the end;
:class:`EventRecord` for changes and pauses; and one :class:`RunEnd`. Every evaluation has a snapshot of the
same step before it (so the probabilities of any image can be recomputed with the parameters that were
evaluated).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cnnviz.training import TrainConfig


@dataclass
class RunStart:
    config: TrainConfig
    data_source: str
    n_train: int
    n_test: int
    steps_per_epoch: int
    total_steps: int
    probe_indices: np.ndarray
    probe_images: np.ndarray  # (P, H, W) uint8
    probe_labels: np.ndarray
    param_shapes: dict[str, tuple[int, ...]]


@dataclass
class StepRecord:
    step: int  # updates done so far, 1-based for the step just taken
    epoch: int  # 1-based epoch the step belongs to
    loss: float
    accuracy: float  # of the minibatch, before the update
    lr: float
    momentum: float
    time: float  # seconds since the run started, pauses excluded
    images_per_second: float  # of the last 20 steps' computation


@dataclass
class EvalRecord:
    step: int
    epoch: int
    test_loss: float
    test_accuracy: float
    confusion: np.ndarray  # (classes, classes): row = true class, column = predicted
    predicted: np.ndarray  # (n_test,) predicted class of every test image
    confidence: np.ndarray  # (n_test,) its probability


@dataclass
class SnapshotRecord:
    step: int
    epoch: int
    params: dict[str, np.ndarray]  # copies, safe to keep and to send to another thread
    probe_probs: np.ndarray  # (P, classes)


@dataclass
class EventRecord:
    step: int
    kind: str  # "lr", "momentum", "paused", "resumed", "error"
    value: float = float("nan")
    message: str = ""


@dataclass
class RunEnd:
    status: str  # "complete", "stopped" or "failed"
    step: int
    message: str = ""


Record = RunStart | StepRecord | EvalRecord | SnapshotRecord | EventRecord | RunEnd
