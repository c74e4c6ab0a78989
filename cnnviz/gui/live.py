"""The live source: a training run in a worker thread, feeding the model (the other source is ``replay.py``).

:class:`LiveRun` owns the :class:`~cnnviz.gui.worker.TrainingWorker` and its state (idle, running, paused,
stopping). A ~30 Hz timer drains the worker's queue and hands the model everything that arrived, so the views
redraw at most once a tick whatever the training speed; the GUI thread never waits for the trainer. Run
commands (start, pause/resume, single step, stop, learning rate and momentum) go to the worker, which applies
them before the next minibatch. The window shows what :attr:`state_changed`, :attr:`message` and
:attr:`finished` tell it; it holds no run state itself. The model keeps the run's snapshots in memory up to a
limit (:data:`cnnviz.gui.model.LIVE_SNAPSHOT_BYTES`); older ones are read back from the session file when the
timeline goes back to them (a run without a session file keeps them all).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cnnviz.config import TrainConfig
from cnnviz.core import Network
from cnnviz.data import MNIST, to_input
from cnnviz.gui.i18n import translated
from cnnviz.gui.model import RunModel
from cnnviz.gui.worker import DataReady, LiveSnapshot, SessionWriteFailed, TrainingWorker, WorkerDone, WorkerError
from cnnviz.records import EventRecord, RunStart, SnapshotRecord, StepRecord
from cnnviz.training import run_start

TICK_MS = 33  # the refresh timer: ~30 Hz
# Live parameter copies at most 2 a second (each makes the views recompute; at 4 a second the window cost the
# default run on a 2-core machine about 20% of its speed instead of 10%: benchmarks/gui_responsiveness.py).
LIVE_INTERVAL = 0.5
# A new run's early evaluations (cnnviz.training.early_eval_step): of the first 1,000 test images, as the lecture's
# program evaluated, so that predictions and a confusion matrix come within seconds of Start, not at epoch 1's end.
EARLY_EVAL = 1000
STATES = ("idle", "running", "paused", "stopping")


PREVIEW_SOURCE = "preview"  # the model's source while it shows the form's untrained network


def preview_records(config: TrainConfig, data: MNIST) -> tuple[RunStart, SnapshotRecord]:
    """What a run of ``config`` on ``data`` starts with, without training: its RunStart and its step-0 snapshot
    (the initial parameters drawn from the seed, and the probe images' probabilities under them), the same
    records :meth:`cnnviz.training.Trainer.run` yields first, without converting the training images."""
    network = Network(config.network, seed=config.seed, dtype=np.dtype(config.dtype))
    start = run_start(config, data)
    with np.errstate(all="ignore"):
        probs = network.predict_proba(to_input(start.probe_images, network.dtype))
    return start, SnapshotRecord(0, 1, network.copy_params(), probs)


class LiveRun(QObject):
    """One training run at a time, fed to ``model``."""

    state_changed = Signal(str)  # one of STATES
    message = Signal(str, str, str)  # title, text, details (a traceback for our bugs, else "")
    stepped = Signal(object)  # the last StepRecord of a tick (the status bar)
    # The "error" EventRecord of a loss that became NaN, or a rollback's "stalled" one: the run is paused.
    diverged = Signal(object)
    write_failed = Signal(str, str)  # the session file cannot be written (message, what it holds): paused
    finished = Signal(str)  # the RunEnd status: complete, stopped or failed

    def __init__(self, model: RunModel, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.worker: TrainingWorker | None = None
        self.session_path: Path | None = None
        self.live_interval = LIVE_INTERVAL
        self.last_step: StepRecord | None = None
        self._state = "idle"
        self._data = None
        self._begun = False  # whether the current worker's RunStart has reached the model
        self._reader = None  # the session file, read back for snapshots the model let go from memory
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    @property
    def state(self) -> str:
        return self._state

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def start(self, config: TrainConfig, load_data, session_path: Path | None, paused: bool = False,
              make_trainer=None) -> None:
        """Start training ``config`` on ``load_data()`` (called in the worker thread), saving to
        ``session_path`` (None: no session). ``make_trainer(data)`` builds the trainer instead (a fork continuing
        another run: :mod:`cnnviz.gui.fork`), in the worker thread too. A new run evaluates early (EARLY_EVAL)."""
        if self._state != "idle":
            raise RuntimeError("a run is going on")
        self.close_reader()
        self.session_path = session_path
        self.worker = TrainingWorker(config, load_data, session_path, live_interval=self.live_interval,
                                     make_trainer=make_trainer, early_eval=EARLY_EVAL if make_trainer is None else 0)
        if paused:
            self.worker.pause()
        self._data, self._begun, self.last_step = None, False, None
        self._set_state("paused" if paused else "running")
        self.worker.start()
        self.timer.start()

    def toggle_pause(self) -> None:
        if self._state == "running":
            self.worker.pause()
            self._set_state("paused")
        elif self._state == "paused":
            self.worker.resume()
            self._set_state("running")

    def single_step(self) -> None:
        if self._state in ("running", "paused"):
            self.worker.step_once()
            self._set_state("paused")

    def stop(self) -> None:
        """Stop after the current step, with a final snapshot and evaluation."""
        if self._state in ("running", "paused"):
            self.worker.stop()
            self._set_state("stopping")

    def abandon(self, wait: float | None = None) -> None:
        """Stop now without the final evaluation (a new run, the window closing); ``wait`` seconds at most for
        the worker to finish the session file."""
        if self.worker is not None and self.worker.is_alive():
            self.worker.abandon()
            self._set_state("stopping")
            if wait is not None:
                self.worker.join(wait)
                self.tick()

    def set_lr(self, lr: float) -> bool:
        if self.worker is not None and self._state in ("running", "paused"):
            self.worker.set_lr(lr)
            return True
        return False

    def roll_back(self, snapshot: int, lr: float) -> None:
        """After a loss that became NaN: restore the parameters of the model's snapshot ``snapshot`` with
        learning rate ``lr`` (both recorded as events, in the same run), then resume."""
        if self.worker is None or self._state not in ("running", "paused"):
            return
        snap = self.model.snapshots[snapshot]
        self.worker.roll_back(snap.params, snap.step)
        self.worker.set_lr(lr)
        if self._state == "paused":
            self.toggle_pause()

    def continue_without_session(self) -> None:
        """After :attr:`write_failed`: train on, saving nothing more (the file keeps what it has)."""
        if self.worker is not None and self._state == "paused":
            self.worker.continue_without_session()
            self._set_state("running")

    def set_momentum(self, momentum: float) -> bool:
        if self.worker is not None and self._state in ("running", "paused"):
            self.worker.set_momentum(momentum)
            return True
        return False

    def tick(self) -> None:
        """Hand everything the worker sent since the last tick to the model."""
        worker = self.worker
        if worker is None:
            self.timer.stop()
            return
        records, done = [], None
        for item in worker.drain():
            if isinstance(item, DataReady):
                self._data = item.data
            elif isinstance(item, RunStart):
                records = self._feed(records)
                self.model.begin(item, self._data.test_images, self._data.test_labels,
                                 source=str(self.session_path) if self.session_path else "a run without a session")
                if self.session_path is not None:  # every snapshot stays within reach, not all in memory
                    self.model.snapshots.set_loader(self._stored_snapshot)
                    self.model.read_train_state = self._stored_state
                self._begun = True
            elif isinstance(item, LiveSnapshot):
                records = self._feed(records)
                if self._begun:
                    self.model.live_dropout = item.dropout
                    self.model.set_live(item.snapshot)
            elif isinstance(item, SessionWriteFailed):
                # Nothing more reaches the file: the snapshots from now on stay in memory, all of them.
                self.model.snapshots.memory = None
                self._set_state("paused")
                self.write_failed.emit(translated(item.message), translated(item.holds))
            elif isinstance(item, WorkerError):
                self.message.emit(self.tr("Training failed"), translated(item.message), item.details)
            elif isinstance(item, WorkerDone):
                done = item
            elif isinstance(item, EventRecord) and item.kind in ("error", "stalled"):
                records.append(item)
                records = self._feed(records)  # the model has the run up to the incident before the user decides
                self._set_state("paused")
                self.diverged.emit(item)
            elif self._begun:
                records.append(item)
        self._feed(records)
        if done is not None:
            self.timer.stop()
            worker.join()
            self.worker = None
            self._set_state("idle")
            self.finished.emit(done.status)

    def _stored_snapshot(self, i: int):
        """Snapshot ``i`` read back from the run's session file (opened again when it has grown since)."""
        return self._stored_read(i, lambda reader: reader.snapshot_record(i))

    def _stored_state(self, i: int):
        """Snapshot ``i``'s TrainState (its velocity) read from the run's session file."""
        return self._stored_read(i, lambda reader: reader.train_state(i))

    def _stored_read(self, i: int, read):
        """``read(reader)`` of the file the worker is writing: a reader opened a moment before a write can list
        rows whose data lie beyond the end of file it saw, which reads as damage; opened again, it has them (as
        :meth:`cnnviz.gui.replay.ReplaySource._read` does for a file another process writes). Only a second failure
        is the damage the model reports."""
        from cnnviz.session import SessionError  # noqa: PLC0415

        try:
            return read(self._stored_reader(i))
        except SessionError:
            self.close_reader()
        return read(self._stored_reader(i))

    def _stored_reader(self, i: int):
        """The session file's reader, opened again where it has no snapshot ``i`` yet."""
        from cnnviz.session import SessionReader  # noqa: PLC0415

        if self._reader is None or i >= self._reader.n_snapshots:
            self.close_reader()
            self._reader = SessionReader(self.session_path)
        return self._reader

    def close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _feed(self, records: list) -> list:
        if records and self._begun:
            self.model.feed(records)
            steps = [r for r in records if isinstance(r, StepRecord)]
            if steps:
                self.last_step = steps[-1]
                self.stepped.emit(steps[-1])
        return []
