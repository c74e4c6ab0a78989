"""What the views show, in one object on the GUI thread: the run's data model (napari's split).

The live worker (``worker.py``) and, later, a session replay feed the same :class:`RunModel` with the plain
records of :mod:`cnnviz.training`; every view listens to its signals and holds no training state of its own.
The model coalesces: the window's ~30 Hz timer hands it all records that arrived since the last tick, so a
view redraws at most once a tick whatever the training speed.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from cnnviz.core import Network
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)

METRICS = ("step", "epoch", "loss", "accuracy", "lr", "momentum", "time")


class RunModel(QObject):
    """The state of the run being shown. Signals fire on the GUI thread, once per :meth:`feed` at most each."""

    started = Signal(object)  # RunStart: a new run (views reset; the test images are in .test_images)
    stepped = Signal()  # new rows in .metrics
    evaluated = Signal(object)  # EvalRecord (also the last of .evals)
    snapshot = Signal(object)  # SnapshotRecord; .network holds its parameters
    event = Signal(object)  # EventRecord
    ended = Signal(object)  # RunEnd

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.start: RunStart | None = None
        self.network: Network | None = None  # the latest snapshot's parameters, for feature maps and pooling
        self.test_images: np.ndarray | None = None  # (M, H, W) uint8, the evaluated test images
        self.test_labels: np.ndarray | None = None
        self.latest_snapshot: SnapshotRecord | None = None
        self.evals: list[EvalRecord] = []
        self.events: list[EventRecord] = []
        self.end: RunEnd | None = None
        self._metrics = np.zeros((0, len(METRICS)))
        self.n_steps = 0

    # -- reading ------------------------------------------------------------------------------------------------

    def metric(self, name: str) -> np.ndarray:
        """A view (no copy) of one per-step series, in step order: one of METRICS."""
        return self._metrics[:self.n_steps, METRICS.index(name)]

    @property
    def steps_per_epoch(self) -> int:
        return self.start.steps_per_epoch if self.start else 1

    # -- feeding ------------------------------------------------------------------------------------------------

    def begin(self, start: RunStart, test_images: np.ndarray, test_labels: np.ndarray) -> None:
        """A new run: forget the old one."""
        self.start, self.end = start, None
        self.test_images, self.test_labels = test_images, test_labels
        self.network = Network(start.config.network, dtype=np.dtype(start.config.dtype))
        self.latest_snapshot = None
        self.evals, self.events = [], []
        self._metrics = np.zeros((1024, len(METRICS)))
        self.n_steps = 0
        self.started.emit(start)

    def feed(self, records: list) -> None:
        """Records from the worker or a replay, in order. Signals are coalesced: one ``stepped`` for all steps,
        one ``snapshot`` for the newest snapshot."""
        steps, snapshot = [], None
        for r in records:
            if isinstance(r, StepRecord):
                steps.append([getattr(r, name) for name in METRICS])
            elif isinstance(r, SnapshotRecord):
                snapshot = r
            elif isinstance(r, EvalRecord):
                self.evals.append(r)
            elif isinstance(r, EventRecord):
                self.events.append(r)
            elif isinstance(r, RunEnd):
                self.end = r
        if steps:
            self._append(np.array(steps, dtype=float))
            self.stepped.emit()
        if snapshot is not None:
            self.latest_snapshot = snapshot
            self.network.set_params(snapshot.params)
            self.snapshot.emit(snapshot)
        for r in records:
            if isinstance(r, EvalRecord):
                self.evaluated.emit(r)
            elif isinstance(r, EventRecord):
                self.event.emit(r)
        if self.end is not None and any(isinstance(r, RunEnd) for r in records):
            self.ended.emit(self.end)

    def _append(self, rows: np.ndarray) -> None:
        # Preallocated and doubled when full, so that a long run appends in amortised constant time.
        need = self.n_steps + len(rows)
        if need > len(self._metrics):
            grown = np.zeros((max(need, 2 * len(self._metrics)), len(METRICS)))
            grown[:self.n_steps] = self._metrics[:self.n_steps]
            self._metrics = grown
        self._metrics[self.n_steps:need] = rows
        self.n_steps = need
