"""The training worker: records in order, every snapshot and live copies, commands from another thread, failures."""

from __future__ import annotations

import queue
import time

import numpy as np
import pytest

from cnnviz.errors import ConfigError, DataError, SessionError
from cnnviz.gui.worker import DataReady, LiveSnapshot, SessionWriteFailed, TrainingWorker, WorkerDone, WorkerError
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.session import SessionReader

from .conftest import tiny_config
from .helpers import fill_the_disk_after


def wait_for(worker: TrainingWorker, items: list, predicate, timeout: float = 10.0) -> None:
    """Add what the worker queues to ``items`` until ``predicate(items)``, blocking on its queue for at most
    ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    items += worker.drain()
    while not predicate(items):
        try:
            items.append(worker.queue.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            raise AssertionError(f"timed out; last items: {[type(i).__name__ for i in items[-5:]]}") from None


def run_to_end(worker: TrainingWorker, timeout: float = 20.0) -> list:
    """Everything the worker queued, until WorkerDone."""
    items: list = []
    try:
        wait_for(worker, items, lambda it: it and isinstance(it[-1], WorkerDone), timeout)
    except AssertionError:
        worker.abandon()
        worker.join(10)
        raise
    assert worker.join(5)
    return items


def of(kind, items):
    return [i for i in items if isinstance(i, kind)]


def test_a_run_sends_every_step_and_ends(tiny_data):
    worker = TrainingWorker(tiny_config(), tiny_data, None)
    worker.start()
    items = run_to_end(worker)
    assert isinstance(items[0], DataReady) and items[0].data is tiny_data
    assert isinstance(items[1], RunStart)
    assert [s.step for s in of(StepRecord, items)] == list(range(1, 7))
    assert isinstance(items[-2], RunEnd) and items[-2].status == "complete"
    assert items[-1] == WorkerDone("complete") and worker.status == "complete"
    snapshots = of(SnapshotRecord, items)
    assert snapshots[0].step == 0 and snapshots[-1].step == 6  # the first and the last always
    assert len(of(EvalRecord, items)) == 1


def test_every_trainer_snapshot_arrives(tiny_data):
    # A snapshot every step and no live copies: the window gets them all (its timeline can go back to any).
    worker = TrainingWorker(tiny_config(snapshot_every=1, epochs=3), tiny_data, None, live_interval=0)
    worker.start()
    items = run_to_end(worker)
    assert [s.step for s in of(SnapshotRecord, items)] == list(range(19))
    assert not of(LiveSnapshot, items)


def test_live_snapshots_between_sparse_trainer_snapshots(tiny_data):
    # snapshot_every=0: the trainer snapshots only at the start, at each evaluation and at the end; the worker
    # adds live copies, which are not the trainer's records.
    worker = TrainingWorker(tiny_config(snapshot_every=0, epochs=30), tiny_data, None, live_interval=0.001)
    worker.start()
    items = run_to_end(worker)
    assert [s.step for s in of(SnapshotRecord, items)] == [0] + list(range(6, 181, 6))  # one per epoch's evaluation
    live = [i.snapshot for i in of(LiveSnapshot, items)]
    assert len(live) > 10 and [s.step for s in live] == sorted(s.step for s in live)
    assert set(live[5].params) == set(items[1].param_shapes)
    assert live[5].probe_probs.shape == (16, 10)
    # Each carries which units the latest minibatch's dropout kept (a copy, bool, one row per image).
    masks = [i.dropout["fc1"] for i in of(LiveSnapshot, items)]
    assert all(m.dtype == bool and m.shape[1] == 8 for m in masks) and set(of(LiveSnapshot, items)[0].dropout) == {"fc1"}
    assert 0.1 < 1 - np.mean(np.concatenate(masks)) < 0.3  # dropout 0.2
    assert not all(np.array_equal(masks[0], m) for m in masks[1:])


def test_pause_single_step_resume_and_stop(tiny_data):
    worker = TrainingWorker(tiny_config(epochs=200), tiny_data, None)
    worker.pause()  # before the thread starts: honoured from the first step
    worker.start()
    items: list = []
    wait_for(worker, items, lambda it: any(isinstance(i, EventRecord) and i.kind == "paused" for i in it))
    assert not of(StepRecord, items) and worker.control.must_wait()  # paused before the first step: it waits
    worker.step_once()
    wait_for(worker, items, lambda it: of(LiveSnapshot, it))  # single-stepping shows the new parameters at once
    assert [s.step for s in of(StepRecord, items)] == [1] and worker.control.must_wait()  # one step, then it waits
    assert of(LiveSnapshot, items)[-1].snapshot.step == 1
    worker.resume()
    wait_for(worker, items, lambda it: len(of(StepRecord, it)) >= 5)
    worker.stop()
    items += run_to_end(worker)
    end, = of(RunEnd, items)
    assert end.status == "stopped" and end.step < 1200
    assert of(EvalRecord, items)[-1].step == end.step  # a stopped run still gets its final evaluation


def test_lr_and_momentum_changes_become_events(tiny_data):
    worker = TrainingWorker(tiny_config(epochs=200), tiny_data, None)
    worker.pause()
    worker.start()
    worker.set_lr(0.05)
    worker.set_momentum(0.5)
    worker.step_once()
    items: list = []
    wait_for(worker, items, lambda it: of(StepRecord, it))
    events = {e.kind: e.value for e in of(EventRecord, items)}
    assert events["lr"] == 0.05 and events["momentum"] == 0.5
    step, = of(StepRecord, items)
    assert step.lr == 0.05 and step.momentum == 0.5
    with pytest.raises(ValueError):
        worker.set_lr(0.0)
    worker.abandon()
    items += run_to_end(worker)
    assert of(RunEnd, items)[-1].status == "stopped"


def test_abandon_ends_within_a_minibatch_without_final_evaluation(tiny_data):
    worker = TrainingWorker(tiny_config(epochs=200), tiny_data, None)
    worker.start()
    items: list = []
    wait_for(worker, items, lambda it: len(of(StepRecord, it)) >= 3)
    at = worker.trainer.step
    worker.abandon()
    items += run_to_end(worker)
    end, = of(RunEnd, items)
    assert end.status == "stopped" and end.step == of(StepRecord, items)[-1].step
    assert end.step <= at + 1  # the minibatch under way, if any, and no other
    assert not of(EvalRecord, items)


def test_a_failure_is_relayed_not_lost(tmp_path):
    def broken():
        raise DataError(f"{tmp_path} has no train-images-idx3-ubyte.gz.")

    worker = TrainingWorker(tiny_config(), broken, None)
    worker.start()
    items = run_to_end(worker)
    error, = of(WorkerError, items)
    assert "train-images" in error.message and not error.details  # a user mistake: no traceback
    assert of(RunEnd, items)[0].status == "failed" and items[-1] == WorkerDone("failed")


@pytest.mark.parametrize("error, mistake", [(SessionError("parent.h5 is not a cnnviz session."), True),
                                            (ConfigError("the momentum must be in [0, 1), not 2", "momentum"), True),
                                            (PermissionError("Permission denied: 'data'"), True),
                                            (RuntimeError("a bug"), False)])
def test_a_users_mistake_is_known_by_its_class_and_a_bug_keeps_its_traceback(error, mistake):
    def broken():
        raise error

    worker = TrainingWorker(tiny_config(), broken, None)
    worker.start()
    relayed, = of(WorkerError, run_to_end(worker))
    assert relayed.message == (str(error) if mistake else f"RuntimeError: {error}")
    assert bool(relayed.details) != mistake and ("Traceback" in relayed.details) != mistake


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow that makes the loss NaN
def test_nan_loss_pauses_with_an_error_event(tiny_data):
    worker = TrainingWorker(tiny_config(lr=1e35, momentum=0.0, epochs=50), tiny_data, None)
    worker.start()
    items: list = []
    wait_for(worker, items, lambda it: any(isinstance(i, EventRecord) and i.kind == "error" for i in it))
    error = next(i for i in items if isinstance(i, EventRecord) and i.kind == "error")
    assert "loss became" in error.message
    assert worker.control.paused
    worker.stop()
    items += run_to_end(worker)
    assert of(RunEnd, items)[-1].status == "stopped"


# -- a full disk ---------------------------------------------------------------------------------------------------

def run_until_the_disk_fills(worker: TrainingWorker, calls: list[bool]) -> tuple[list, SessionWriteFailed, bytes]:
    """Start ``worker``; wait for its SessionWriteFailed and for the run to pause; everything queued so far, that
    item, and the session file's bytes then."""
    worker.start()
    items: list = []
    wait_for(worker, items, lambda it: of(SessionWriteFailed, it))
    failed, = of(SessionWriteFailed, items)
    wait_for(worker, items, lambda it: any(isinstance(i, EventRecord) and i.kind == "paused"
                                           for i in it[it.index(failed):]))
    return items, failed, worker.session_path.read_bytes()


def test_a_full_disk_pauses_the_run_and_it_can_go_on_without_the_session(tiny_data, tmp_path, monkeypatch):
    path = tmp_path / "run.h5"
    calls = fill_the_disk_after(monkeypatch, 9)  # the layout, then snapshots 0 to 3 (two flushes each)
    worker = TrainingWorker(tiny_config(epochs=5, snapshot_every=1), tiny_data, path)
    worker.continue_without_session()  # before any failure: nothing
    items, failed, kept = run_until_the_disk_fills(worker, calls)
    assert failed.message == f"No space left on device while writing the session file {path}."
    assert failed.holds == (f"The session {path} holds steps 1..3 and 4 snapshots up to step 3; it opens like an "
                            "interrupted run.")
    assert worker.control.must_wait() and worker.is_alive()  # paused, so what came before the pause is all
    steps = [s.step for s in of(StepRecord, items)]
    assert steps == [1, 2, 3, 4]  # the failure came with step 4's snapshot; no step since
    assert of(SnapshotRecord, items)[-1].step == 4  # the record whose write failed still reaches the window
    assert not of(WorkerError, items) and not of(RunEnd, items)
    worker.continue_without_session()
    items += run_to_end(worker)
    assert [s.step for s in of(StepRecord, items)] == list(range(1, 31))
    assert of(RunEnd, items)[-1].status == "complete" and items[-1] == WorkerDone("complete")
    assert len(of(SessionWriteFailed, items)) == 1 and not of(WorkerError, items)
    assert calls.count(True) == 1  # nothing was written after the failure
    assert path.read_bytes() == kept
    monkeypatch.undo()
    with SessionReader(path) as session:  # readable, like the file of an interrupted run
        assert session.status == "running" and session.n_steps == 3
        assert session.snapshot_steps.tolist() == [0, 1, 2, 3]


def test_a_full_disk_then_stop_ends_the_run_stopped_without_writing(tiny_data, tmp_path, monkeypatch):
    path = tmp_path / "run.h5"
    calls = fill_the_disk_after(monkeypatch, 5)
    worker = TrainingWorker(tiny_config(epochs=200), tiny_data, path)
    items, failed, kept = run_until_the_disk_fills(worker, calls)
    assert failed.message == f"No space left on device while writing the session file {path}."
    worker.stop()
    items += run_to_end(worker)
    end, = of(RunEnd, items)
    assert end.status == "stopped" and items[-1] == WorkerDone("stopped") and worker.status == "stopped"
    assert of(EvalRecord, items)[-1].step == end.step  # the final evaluation reaches the window, not the file
    assert calls.count(True) == 1 and path.read_bytes() == kept
    monkeypatch.undo()
    with SessionReader(path) as session:
        assert session.status == "running" and session.n_steps < end.step


def test_a_full_disk_while_paused_keeps_the_run_paused(tiny_data, tmp_path, monkeypatch):
    """The user had paused (the disk fills with the snapshot of a single step): going on without the session
    leaves the run as the user left it, paused."""
    path = tmp_path / "run.h5"
    calls = fill_the_disk_after(monkeypatch, 3)  # the layout and snapshot 0; the next snapshot fails
    worker = TrainingWorker(tiny_config(epochs=200, snapshot_every=1), tiny_data, path)
    worker.pause()
    worker.start()
    items: list = []
    wait_for(worker, items, lambda it: any(isinstance(i, EventRecord) and i.kind == "paused" for i in it))
    worker.step_once()
    wait_for(worker, items, lambda it: of(SessionWriteFailed, it))
    worker.continue_without_session()
    wait_for(worker, items, lambda it: of(LiveSnapshot, it))  # step 1, whose parameters show as the run waits
    assert [s.step for s in of(StepRecord, items)] == [1] and worker.control.must_wait()  # still paused
    worker.resume()
    wait_for(worker, items, lambda it: len(of(StepRecord, it)) >= 5)
    worker.stop()
    items += run_to_end(worker)
    assert of(RunEnd, items)[-1].status == "stopped" and calls.count(True) == 1
