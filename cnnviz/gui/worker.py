"""Runs the trainer in a thread: every record to the session file, a throttled stream of them to the window.

The thread loads the data, builds the :class:`~cnnviz.training.Trainer` and iterates its :meth:`run`
generator (napari's worker pattern: between two records the generator honours pause, single step, stop and
the learning-rate and momentum changes requested through :attr:`TrainingWorker.control`). Every record goes
to the :class:`~cnnviz.session.SessionWriter` in this thread; the window drains :attr:`TrainingWorker.queue`
from its ~30 Hz timer, so nothing here touches Qt.

What reaches the window: every record (every :class:`SnapshotRecord` too: the window keeps them all, so that
the timeline can go back to any of them). So that the filters and feature maps move even when
``snapshot_every`` is large, the worker also sends a :class:`LiveSnapshot` (a parameter copy taken between two
steps, not written to the session) at most ``1 / live_interval`` a second, and one after every single step
taken while paused. Besides the records the queue carries :class:`DataReady` (the loaded data, before the
:class:`RunStart`), :class:`WorkerError` (a message for the user), :class:`SessionWriteFailed` (see below) and
:class:`WorkerDone` (the thread is about to end).

A failure (bad data, impossible architecture, a bug) is caught: the session gets a ``RunEnd("failed")`` and is
closed, and the message goes to the window. A NaN loss is not a failure: the trainer pauses itself and
yields an ``error`` event, which the window shows.

A session file that cannot be written (a full disk) does not end the run either. The writer lets go of the file,
which stays as it was, readable like the file of an interrupted run (status "running", every row committed before
the failure). The worker pauses the trainer (:meth:`TrainingWorker.pause`: the run stops before its next minibatch
and yields a "paused" event), sends one :class:`SessionWriteFailed` (the sentence naming the file and the cause,
and one saying what the file holds), and writes nothing more for the rest of the run. The run then waits for
the user's choice, made from the GUI thread:

- :meth:`TrainingWorker.continue_without_session`: the run goes on (resumed, unless it was paused before the
  failure) and ends as usual, without a session;
- :meth:`TrainingWorker.stop`: the run ends "stopped", its final snapshot and evaluation sent to the window but
  not written.

:meth:`~TrainingWorker.resume` and :meth:`~TrainingWorker.step_once` go on without the session too. A failure
while the run's last records are written (its final evaluation) changes nothing more: the run ends right after.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnviz.config import TrainConfig
from cnnviz.data import MNIST
from cnnviz.errors import QT_TRANSLATE_NOOP, Text, UserError, joined
from cnnviz.records import (
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.training import Control, Trainer


@dataclass
class DataReady:
    """The data the run trains on (sent before its RunStart: the window shows its test images)."""

    data: MNIST


@dataclass
class LiveSnapshot:
    """The parameters between two steps, for the window only (not part of the session); ``dropout`` which units
    the latest minibatch's dropout kept (:meth:`cnnviz.core.Network.dropout_masks`: copies, the first images of
    the minibatch), empty without dropout."""

    snapshot: SnapshotRecord
    dropout: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class WorkerError:
    """Something went wrong in the worker: ``message`` is for the user (a :class:`~cnnviz.errors.Text` the window
    translates where it is a user's mistake), ``details`` a traceback for bugs."""

    message: str
    details: str = ""


@dataclass
class SessionWriteFailed:
    """The session file could not be written (a full disk): the run is paused and nothing more is written to it.
    ``message`` names the file and the cause, ``holds`` says what the file kept (both one sentence, a
    :class:`~cnnviz.errors.Text` the window translates). Answer with
    :meth:`TrainingWorker.continue_without_session` or :meth:`TrainingWorker.stop`."""

    message: str
    holds: str


@dataclass
class WorkerDone:
    """The worker thread has finished (the session file is closed); ``status`` as in RunEnd."""

    status: str


class TrainingWorker:
    """One training run in a background thread.

    ``data`` is an MNIST or a function returning one (called in the thread: loading full MNIST takes a
    moment). ``make_trainer(data)``, if given, builds the trainer instead of ``Trainer(config, data)`` (a run that
    continues another: :func:`cnnviz.fork.resume_from`; a refusal in it is relayed like any failure).
    ``session_path`` None trains without a session file; ``early_eval`` is the trainer's (test images of the early
    evaluations of epoch 1; 0: none). Commands (:meth:`pause`, :meth:`resume`,
    :meth:`step_once`, :meth:`stop`, :meth:`set_lr`, :meth:`set_momentum`) may be called from any thread
    before or during the run; each takes effect before the next minibatch. After a :class:`SessionWriteFailed`,
    :meth:`continue_without_session` or :meth:`stop` (the module's docstring).
    """

    def __init__(self, config: TrainConfig, data: MNIST | Callable[[], MNIST], session_path: str | Path | None,
                 *, live_interval: float = 1 / 3, make_trainer: Callable[[MNIST], Trainer] | None = None,
                 early_eval: int = 0):
        self.config = config
        self.early_eval = early_eval
        self._make_trainer = make_trainer  # the trainer of the loaded data (a fork's: resume_from); None: Trainer
        self.session_path = Path(session_path) if session_path is not None else None
        self.live_interval = live_interval  # 0: no live snapshots
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.control = Control()  # the trainer's, from the start (requests made while the data loads count)
        self.trainer: Trainer | None = None
        self.status: str | None = None  # the RunEnd status once the thread is done
        self._data = data
        self._abandon = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cnnviz-trainer")  # not a daemon: the
        # session file is always finished, even when the window is gone
        # When parameters were last sent, and the epoch of the last step (worker thread only).
        self._last_sent_time = -float("inf")
        self._epoch = 1
        # Set in the worker thread before SessionWriteFailed is queued (so seen by whoever received it): whether
        # the session failed, and whether the run was running then (to be resumed by continue_without_session).
        self._write_failed = False
        self._resume_on_continue = False

    # -- from the GUI thread ----------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread; True if it has ended."""
        if self._thread.ident is not None:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def drain(self) -> list:
        """Everything queued since the last call, in order."""
        items = []
        while True:
            try:
                items.append(self.queue.get_nowait())
            except queue.Empty:
                return items

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step_once(self) -> None:
        self.control.step_once()

    def stop(self) -> None:
        self.control.stop()

    def continue_without_session(self) -> None:
        """After a :class:`SessionWriteFailed`: go on training without a session (nothing more is written; the file
        stays as it was). The run resumes, unless it was paused before the failure. Nothing happens otherwise."""
        if self._write_failed and self._resume_on_continue:
            self._resume_on_continue = False
            self.control.resume()

    def set_lr(self, lr: float) -> None:
        """ConfigError for a value that is not positive."""
        self.control.set_lr(lr)

    def roll_back(self, params, step: int) -> None:
        """Restore a snapshot's parameters (of step ``step``) before the next minibatch (see Control.roll_back)."""
        self.control.roll_back(params, step)

    def set_momentum(self, momentum: float) -> None:
        """ConfigError for a value outside [0, 1)."""
        self.control.set_momentum(momentum)

    def abandon(self) -> None:
        """Stop now, without the final evaluation (the window is closing): the run ends within one minibatch
        and the session is finished with status ``stopped`` (with the parameters of the last step)."""
        self._abandon.set()
        self.control.stop()

    # -- in the worker thread ---------------------------------------------------------------------------------

    def _run(self) -> None:
        trainer, writer, status = None, None, "failed"
        try:
            data = self._data() if callable(self._data) else self._data
            self.queue.put(DataReady(data))
            trainer = (self._make_trainer(data) if self._make_trainer is not None else
                       Trainer(self.config, data, early_eval=self.early_eval))
            trainer.control = self.control
            self.trainer = trainer
            if self._abandon.is_set():
                status = "stopped"
                return
            if self.session_path is not None:
                from cnnviz.session import SessionWriter  # noqa: PLC0415 (h5py only where a session is written)

                self.session_path.parent.mkdir(parents=True, exist_ok=True)
                writer = SessionWriter(self.session_path)
            records = trainer.run()
            try:
                for record in records:
                    closing = self._abandon.is_set() and not isinstance(record, (RunStart, StepRecord, RunEnd))
                    if closing and isinstance(record, SnapshotRecord):
                        # The parameters where the run stopped are kept; its final evaluation is not waited for.
                        writer = self._write(writer, record)
                    if closing or (self._abandon.is_set() and isinstance(record, RunEnd) and record.status == "stopped"
                                   and not record.message):  # the trainer's own end may come first
                        record = RunEnd("stopped", trainer.step, "the window was closed")
                    writer = self._write(writer, record)
                    self._route(record, trainer)
                    if isinstance(record, RunEnd):
                        status = record.status
                        break
            finally:
                records.close()
        except Exception as exc:  # noqa: BLE001 (relayed to the user, never lost)
            user_mistake = isinstance(exc, (UserError, OSError))
            # a user's mistake as its sentence (the window translates it; an OSError's system text stays as it is)
            message = (exc.args[0] if isinstance(exc, UserError) and len(exc.args) == 1 else str(exc)) \
                if user_mistake else f"{type(exc).__name__}: {exc}"
            step = trainer.step if trainer is not None else 0
            end = RunEnd("failed", step, str(message))
            if writer is not None:
                try:
                    writer.write(end)
                except Exception:  # noqa: BLE001 (the session keeps what it had)
                    pass
            self.queue.put(WorkerError(message, "" if user_mistake else traceback.format_exc()))
            self.queue.put(end)
        finally:
            if writer is not None:
                try:
                    writer.close()
                except Exception as exc:  # noqa: BLE001
                    if writer.failure is not None:  # the disk filled as the file was closed: the run is over anyway
                        self.queue.put(WorkerError(joined([writer.failure, writer.holds()], " ")))
                    else:
                        self.queue.put(WorkerError(Text("TrainingWorker", QT_TRANSLATE_NOOP(
                            "TrainingWorker", "the session file {path} could not be closed: {why}"),
                            path=self.session_path, why=exc), traceback.format_exc()))
            self.status = status
            self.queue.put(WorkerDone(status))

    def _write(self, writer, record):
        """Write ``record`` to the session (``writer`` None: there is none); the writer to use from now on. A write
        that fails (a full disk) pauses the run and sends :class:`SessionWriteFailed`, and the writer, which has let
        go of the file, is dropped: None. Any other exception is the run's failure."""
        if writer is None:
            return None
        try:
            writer.write(record)
            return writer
        except Exception:
            if writer.failure is None:
                raise
        self._resume_on_continue = not self.control.paused
        self._write_failed = True
        self.control.pause()
        self.queue.put(SessionWriteFailed(writer.failure, writer.holds()))
        return None

    def _live_snapshot(self, trainer: Trainer) -> LiveSnapshot:
        """The parameters as they are now (the generator is suspended between steps), for the window only."""
        net = trainer.network
        masks = net.dropout_masks()  # before the forward pass below, at test time, lets them go
        probs = net.predict_proba(trainer.x_test[trainer.probe_indices])
        self._last_sent_time = time.monotonic()
        return LiveSnapshot(SnapshotRecord(trainer.step, self._epoch, net.copy_params(), probs), masks)

    def _route(self, record, trainer: Trainer) -> None:
        """Send ``record`` to the window; after a step, maybe a live snapshot too."""
        self.queue.put(record)
        if isinstance(record, SnapshotRecord):
            self._last_sent_time = time.monotonic()
        elif isinstance(record, StepRecord):
            self._epoch = record.epoch
            if trainer.control.must_wait():
                self.queue.put(self._live_snapshot(trainer))  # paused after this step: show where it got to
            elif self.live_interval and time.monotonic() - self._last_sent_time >= self.live_interval:
                self.queue.put(self._live_snapshot(trainer))
