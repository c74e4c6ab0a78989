"""The plain records a run is made of: the trainer yields them, the session files store them, the window's
model takes them (live or replayed). No Qt, no h5py, no training code: every layer of cnnviz speaks these.

Records, in the order :meth:`cnnviz.training.Trainer.run` yields them: one :class:`RunStart`; then per step a
:class:`StepRecord`; :class:`SnapshotRecord` at step 0, every ``snapshot_every`` steps, at every evaluation
and at the end; :class:`EvalRecord` at the end of every epoch, every ``eval_every`` steps and at the end;
:class:`EventRecord` for changes and pauses; and one :class:`RunEnd`. Every evaluation has a snapshot of the
same step before it (so the probabilities of any image can be recomputed with the parameters that were
evaluated).

Since session format version 2 a snapshot also carries a :class:`TrainState`: what continuing the run exactly from
that snapshot needs besides the parameters (the optimizer's velocity, the random generators' states, where in the
epoch the step is, the learning-rate schedule's settings); and the :class:`RunStart` of a run forked from another
names its :class:`ParentRun`; where it continues from is a :class:`ForkPoint` (read from the parent's session).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cnnviz.config import TrainConfig


@dataclass
class ParentRun:
    """The run a fork continues: its session file's name, its ``created`` time, and the step forked from."""

    file: str  # the parent session's file name (no directory)
    created: str  # the parent's ``created`` attribute (ISO-8601 UTC): tells two files of the same name apart
    step: int  # the snapshot step the fork continues from
    path: str = ""  # the parent's absolute path when the fork was made (a hint: the file may have moved since)


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
    # What the labels 0..k-1 mean ("0".."9", "T-shirt/top"...); None: those of ``data_source``, found when the record
    # is made (:func:`cnnviz.datasets.class_names_for_source`). A session records them; an old one means the digits.
    class_names: tuple[str, ...] | None = None
    parent: ParentRun | None = None  # the run this one was forked from, or None
    # What identifies the data (cnnviz.data.MNIST.digests: "train_sha256", "test_sha256"); None where not known (a
    # preview, a session written before cnnviz recorded them).
    data_digests: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.class_names is None:
            from cnnviz.datasets import class_names_for_source  # here: only a record without names needs it

            self.class_names = class_names_for_source(self.data_source)
        self.class_names = tuple(self.class_names)


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


# What a step records, in StepRecord's order: the session file's metrics datasets and the window's per-step series.
METRICS = tuple(f.name for f in fields(StepRecord))


@dataclass
class EvalRecord:
    step: int
    epoch: int
    test_loss: float
    test_accuracy: float
    confusion: np.ndarray  # (classes, classes): row = true class, column = predicted
    predicted: np.ndarray  # (n_test,) predicted class of every test image
    confidence: np.ndarray  # (n_test,) its probability
    n_images: int | None = None  # an early evaluation of the first n_images test images only (None: all of them)


@dataclass
class TrainState:
    """What continuing a run exactly from a snapshot needs besides its parameters.

    ``velocity`` is the momentum's ``M`` of every parameter (:class:`cnnviz.core.MomentumSGD`: ``M <- eps g +
    beta M``, ``theta <- theta - M``), same keys, shapes and dtype as the parameters. The epoch in progress,
    ``epoch`` (1-based), visits the training images in the permutation its shuffling generator draws from
    ``shuffle`` (the generator's state at the start of that epoch); ``position`` of them were used (the next
    minibatch starts there; ``position`` = the number of training images: the epoch is over). ``dropout`` holds
    the state of every worker thread's dropout generator after the snapshot's step. Generator states are
    NumPy's ``bit_generator.state`` dicts as JSON strings. ``base_lr``, ``lr_schedule`` and ``momentum`` are
    the settings in force (a learning rate set by hand during the run holds from then on, "constant").
    """

    velocity: dict[str, np.ndarray]
    shuffle: str
    dropout: tuple[str, ...]
    epoch: int
    position: int
    base_lr: float
    lr_schedule: str
    momentum: float

    @property
    def nbytes(self) -> int:
        return sum(v.nbytes for v in self.velocity.values())


@dataclass
class SnapshotRecord:
    step: int
    epoch: int
    params: dict[str, np.ndarray]  # copies, safe to keep and to send to another thread
    probe_probs: np.ndarray  # (P, classes)
    state: TrainState | None = None  # what continuing from here needs (None: not recorded, format version 1)

    @property
    def nbytes(self) -> int:
        """The bytes of its parameters and of the optimizer's velocity: what keeping it in memory costs."""
        return sum(p.nbytes for p in self.params.values()) + (self.state.nbytes if self.state is not None else 0)


@dataclass
class EventRecord:
    step: int
    kind: str  # "lr", "momentum", "paused", "resumed", "error", "rollback", "stalled", "fork"
    value: float = float("nan")
    message: str = ""


@dataclass
class RunEnd:
    status: str  # "complete", "stopped" or "failed"
    step: int
    message: str = ""


@dataclass
class ForkPoint:
    """Where a run continues another: a snapshot of the parent (``params`` at ``step``, ``epoch`` the snapshot's
    epoch) and its :class:`TrainState` (None for a format-version-1 parent, which recorded none: the velocity then
    starts at zero, the shuffling generator is regenerated from the seed and the dropout generators start anew).
    ``events`` are the parent's events up to ``step`` (a version-1 parent's learning rate and momentum set by hand
    are found in them); ``time`` the parent's training seconds at ``step``; ``notes`` sentences to record as the
    child's "fork" event (and to show). ``changed`` names the learning-rate settings the fork sets itself ("lr",
    "lr_schedule", "momentum": the config's then replace those in force at the snapshot)."""

    params: dict[str, np.ndarray]
    step: int
    epoch: int
    state: TrainState | None
    parent: ParentRun
    time: float = 0.0
    events: list[EventRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: frozenset[str] = frozenset()


Record = RunStart | StepRecord | EvalRecord | SnapshotRecord | EventRecord | RunEnd
