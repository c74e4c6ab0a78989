"""Tests for cnnviz.session: the HDF5 session writer and reader, crash safety, refusals, and the kept v1 file.

``tests/data/session-v1.h5`` (format version 1, kept so that every later cnnviz is shown to open it) was made
from the repository root with:

    .venv/bin/python -m cnnviz train --data sample --conv 2 --fc 8 --limit-train 200 --limit-test 100 \
        --epochs 1 --snapshot-every 1 --threads 1 --out tests/data/session-v1.h5 --quiet
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from cnnviz.config import make_config
from cnnviz.core import Network
from cnnviz.data import load_sample, resources_dir
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.session import (
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    SessionError,
    SessionReader,
    SessionWriter,
    default_session_dir,
    default_session_path,
    short_config,
)
from cnnviz.session import writer as writer_module
from cnnviz.session.opening import being_written
from cnnviz.session.writer import _snapshot_chunks
from cnnviz.training import Trainer

DATA = Path(__file__).parent / "data"
FIXTURE_V1 = DATA / "session-v1.h5"


def tiny_config(**overrides):
    values = {"conv": (2,), "fc": (8, 10), "epochs": 2, "snapshot_every": 1, "eval_every": 2, "threads": 1,
              "n_probes": 12}
    values.update(overrides)
    return make_config("lecture", **values)


def train_into(path: Path, config, data, *, changes: dict[int, tuple[str, float]] | None = None,
               **options) -> list:
    """Run the trainer (``options``: Trainer's), writing every record to a session at ``path``; returns the
    records."""
    trainer = Trainer(config, data, **options)
    records = []
    with SessionWriter(path) as writer:
        for record in trainer.run():
            records.append(record)
            writer.write(record)
            if isinstance(record, StepRecord) and changes and record.step in changes:
                kind, value = changes[record.step]
                getattr(trainer.control, f"set_{kind}")(value)
    return records


def assert_same(a, b, where: str = "") -> None:
    """Records (or their fields) equal: arrays exactly, with the same dtype for floating-point ones."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and not hasattr(a, "to_dict"):
        assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k}]")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            assert a.dtype == b.dtype, f"{where}: dtype {a.dtype} != {b.dtype}"
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.fixture(scope="module")
def data():
    return load_sample().limited(300, 100)


@pytest.fixture(scope="module")
def run(tmp_path_factory, data):
    """A tiny two-epoch run with a learning-rate and a momentum change: (path, records, config)."""
    config = tiny_config()
    path = tmp_path_factory.mktemp("session") / "run.h5"
    records = train_into(path, config, data, changes={2: ("lr", 0.02), 4: ("momentum", 0.5)})
    return path, records, config


# -- write, then read ------------------------------------------------------------------------------------------

def test_reader_gives_back_the_records_the_trainer_yielded(run):
    path, records, _ = run
    with SessionReader(path) as reader:
        replayed = list(reader.records())
    assert [type(r).__name__ for r in replayed] == [type(r).__name__ for r in records]
    for i, (a, b) in enumerate(zip(records, replayed)):
        assert_same(a, b, f"record {i}")
    assert any(isinstance(r, EventRecord) for r in records)


def test_early_evaluations_of_part_of_the_test_set_are_stored_with_their_size(tmp_path, data, run):
    """The window's early evaluations (the first 40 of 100 test images) come back as they were, their size with
    them; such a file is format version 3 (a version-2 reader would take them for evaluations of every test image),
    one without them stays version 2."""
    path = tmp_path / "early.h5"
    records = train_into(path, tiny_config(batch_size=2, eval_every=0, snapshot_every=0, epochs=1), data,
                         early_eval=40)
    evals = [r for r in records if isinstance(r, EvalRecord)]
    assert [(e.step, e.n_images, len(e.predicted)) for e in evals] == [(25, 40, 40), (50, 40, 40), (100, 40, 40),
                                                                       (150, None, 100)]
    with SessionReader(path) as reader:
        assert reader.format_version == 3
        replayed = list(reader.records())
        for j, e in enumerate(evals):
            assert_same(reader.eval_record(j), e, f"evaluation {j}")
        np.testing.assert_array_equal(reader.evals()["n_images"], [40, 40, 40, 100])
    assert [type(r).__name__ for r in replayed] == [type(r).__name__ for r in records]
    for i, (a, b) in enumerate(zip(records, replayed)):
        assert_same(a, b, f"record {i}")
    with h5py.File(path) as f:  # the rows' ends beyond the images evaluated hold nothing that looks like a result
        assert np.isnan(f["predictions/confidence"][0, 40:]).all() and (f["predictions/predicted"][0, 40:] == 0).all()
    with SessionReader(run[0]) as reader:
        assert reader.format_version == 2 and all(reader.eval_record(j).n_images is None for j in range(reader.n_evals))


def test_parameters_are_bit_identical_and_metrics_equal(run):
    path, records, config = run
    snaps = [r for r in records if isinstance(r, SnapshotRecord)]
    steps = [r for r in records if isinstance(r, StepRecord)]
    evals = [r for r in records if isinstance(r, EvalRecord)]
    with SessionReader(path) as reader:
        assert reader.status == "complete"
        assert reader.train_config == config
        assert reader.format_version == 2 < FORMAT_VERSION  # no early evaluation: older cnnviz reads it too
        assert reader.n_snapshots == len(snaps)
        assert reader.snapshot_steps.tolist() == [s.step for s in snaps]
        for i, snap in enumerate(snaps):
            params = reader.params(i)
            for name, value in snap.params.items():
                assert params[name].dtype == value.dtype == np.float32
                assert params[name].tobytes() == value.tobytes(), (i, name)
        metrics = reader.metrics()
        assert set(metrics) == set(METRICS)
        for name in METRICS:
            assert metrics[name].tolist() == [getattr(s, name) for s in steps], name
        ev = reader.evals()
        assert ev["step"].tolist() == [e.step for e in evals]
        assert ev["test_accuracy"].tolist() == [e.test_accuracy for e in evals]
        assert ev["test_loss"].tolist() == [e.test_loss for e in evals]
        assert np.array_equal(ev["confusion"], np.stack([e.confusion for e in evals]))
        for j, e in enumerate(evals):
            predicted, confidence = reader.predictions(j)
            assert np.array_equal(predicted, e.predicted) and np.array_equal(confidence, e.confidence)
        probe = reader.probe()
        start = records[0]
        assert np.array_equal(probe["indices"], start.probe_indices)
        assert np.array_equal(probe["images"], start.probe_images)
        assert np.array_equal(probe["labels"], start.probe_labels)
        assert np.array_equal(probe["probs"], np.stack([s.probe_probs for s in snaps]))
        assert [(e.step, e.kind, e.value) for e in reader.events()] == [(2, "lr", 0.02), (4, "momentum", 0.5)]
        assert reader.n_test == 100 and reader.n_train == 300
        assert reader.data_source.startswith("bundled sample")


def test_the_file_is_readable_with_plain_h5py(run):
    path, records, _ = run
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == FORMAT and f.attrs["format_version"] == 2
        assert f.attrs["status"] == "complete"
        assert json.loads(f.attrs["config"])["train"]["network"]["fc"] == [8, 10]
        assert f["params/conv1/W"].shape[1:] == (2, 1, 3, 3)
        last = {name: f["params/" + name.replace(".", "/")][-1] for name in records[0].param_shapes}
        final = [r for r in records if isinstance(r, SnapshotRecord)][-1]
        assert all(np.array_equal(last[n], final.params[n]) for n in last)
        assert f["eval"].attrs["n_test"] == 100
        assert f["probe/probs"].shape == (len(f["params/step"]), 12, 10)
        # Version 2: every snapshot's training state, readable with plain h5py and json.
        assert f["state/velocity/conv1/W"].shape == f["params/conv1/W"].shape
        assert np.array_equal(f["state/velocity/conv1/W"][-1], final.state.velocity["conv1.W"])
        assert json.loads(f["state/shuffle"][-1]) == json.loads(final.state.shuffle)
        assert [json.dumps(d) for d in json.loads(f["state/dropout"][-1])] == list(final.state.dropout)
        assert f["state/position"][-1] == records[0].n_train and f["state/epoch"][-1] == 2  # the last epoch: all used


def test_last_snapshot_reproduces_the_recorded_final_accuracy(run, data):
    path, records, config = run
    final = [r for r in records if isinstance(r, EvalRecord)][-1]
    with SessionReader(path) as reader:
        network = reader.network(-1)
        assert reader.snapshot_steps[-1] == final.step
    loss, accuracy, confusion, predicted, _ = Trainer(config, data, network=network).evaluate()
    assert accuracy == final.test_accuracy and loss == final.test_loss
    assert np.array_equal(predicted, final.predicted) and np.array_equal(confusion, final.confusion)


def test_float64_runs_keep_their_dtype(tmp_path, data):
    config = tiny_config(dtype="float64", epochs=1, eval_every=0, snapshot_every=0)
    records = train_into(tmp_path / "f64.h5", config, data)
    final = [r for r in records if isinstance(r, SnapshotRecord)][-1]
    with SessionReader(tmp_path / "f64.h5") as reader:
        assert reader.n_snapshots == 2  # start and end
        assert reader.network(-1).dtype == np.float64
        for name, value in final.params.items():
            assert reader.params(-1)[name].dtype == np.float64
            assert reader.params(-1)[name].tobytes() == value.tobytes()


@pytest.mark.parametrize("snapshot_every, eval_every, stop_at", [(0, 0, None), (2, 0, None), (2, 0, 2), (0, 1, 4)])
def test_records_come_back_in_the_trainers_order(tmp_path, data, snapshot_every, eval_every, stop_at):
    config = tiny_config(epochs=2, snapshot_every=snapshot_every, eval_every=eval_every)
    trainer = Trainer(config, data)
    records = []
    with SessionWriter(tmp_path / "run.h5") as writer:
        for record in trainer.run():
            records.append(record)
            writer.write(record)
            if isinstance(record, StepRecord) and record.step == stop_at:
                trainer.control.stop()
    with SessionReader(tmp_path / "run.h5") as reader:
        assert reader.status == ("stopped" if stop_at else "complete")
        replayed = list(reader.records())
    def kinds(rs):
        return [(type(r).__name__, getattr(r, "step", None)) for r in rs]

    assert kinds(replayed) == kinds(records)
    for i, (a, b) in enumerate(zip(records, replayed)):
        assert_same(a, b, f"record {i}")


def test_snapshot_chunks_stay_within_a_mebibyte():
    # The default network's fc1.W, (100, 3136) float32 = 1.25 MB, is split in two chunks a snapshot.
    chunks, compressed = _snapshot_chunks((100, 3136), 4, 25)
    assert compressed and chunks[0] == 1 and np.prod(chunks) * 4 <= 1 << 20
    chunks, compressed = _snapshot_chunks((32,), 4, 25)
    assert not compressed and chunks == (25, 32)


# -- the writer ------------------------------------------------------------------------------------------------

def _start_record(config, data) -> RunStart:
    return next(Trainer(config, data).run())


def test_file_appears_only_once_it_is_valid(tmp_path, data):
    path = tmp_path / "sub" / "dir" / "run.h5"
    writer = SessionWriter(path)
    assert not path.exists()
    writer.write(_start_record(tiny_config(), data))
    with SessionReader(path) as reader:  # readable before the first snapshot
        assert reader.status == "running" and reader.n_snapshots == 0 and reader.n_steps == 0
    assert [p.name for p in path.parent.iterdir()] == ["run.h5"]  # no temporary file left
    writer.close()
    writer.close()  # idempotent
    with SessionReader(path) as reader:
        assert reader.status == "stopped"  # closed without a RunEnd


@pytest.mark.parametrize("how, status", [("close-failed", "failed"), ("exception", "failed"),
                                         ("interrupt", "stopped"), ("runend", "complete")])
def test_the_status_tells_how_the_run_ended(tmp_path, data, how, status):
    path = tmp_path / "run.h5"
    start = _start_record(tiny_config(), data)
    step = StepRecord(1, 1, 2.3, 0.1, 0.01, 0.2, 0.05, 2000.0)
    if how == "close-failed":
        writer = SessionWriter(path)
        writer.write(start)
        writer.write(step)
        writer.close("failed")
    elif how == "runend":
        with SessionWriter(path) as writer:
            writer.write(start)
            writer.write(step)
            writer.write(RunEnd("complete", 1, "done"))
    else:
        error = RuntimeError("boom") if how == "exception" else KeyboardInterrupt()
        with pytest.raises(type(error)), SessionWriter(path) as writer:
            writer.write(start)
            writer.write(step)
            raise error
    with SessionReader(path) as reader:
        assert reader.status == status
        assert reader.metrics()["loss"].tolist() == [2.3]  # buffered steps are written on close
        end = reader.end_record()
        assert (end.status, end.step) == (status, 1)


def test_writer_refuses_records_out_of_order(tmp_path, data):
    writer = SessionWriter(tmp_path / "run.h5")
    for record in (EventRecord(0, "paused"), StepRecord(1, 1, 2.3, 0.1, 0.01, 0.2, 0.05, 2000.0)):
        with pytest.raises(ValueError, match="must start with a RunStart"):
            writer.write(record)
    writer.close()
    assert not (tmp_path / "run.h5").exists()
    with pytest.raises(ValueError, match="closed"):
        writer.write(_start_record(tiny_config(), data))


def test_events_with_messages_and_no_value(tmp_path, data):
    path = tmp_path / "run.h5"
    with SessionWriter(path) as writer:
        writer.write(_start_record(tiny_config(), data))
        writer.write(EventRecord(0, "paused"))
        writer.write(EventRecord(0, "error", message="the loss became nan at step 1; Ünïcode kept"))
    with SessionReader(path) as reader:
        events = reader.events()
    assert [(e.step, e.kind, e.message) for e in events] == [
        (0, "paused", ""), (0, "error", "the loss became nan at step 1; Ünïcode kept")]
    assert all(np.isnan(e.value) for e in events)


def test_an_unwritable_place_is_one_sentence(tmp_path, data):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    (tmp_path / "taken.h5").mkdir()
    for path, problem in ((blocker / "run.h5", "while writing the session file"), (tmp_path / "taken.h5", "exists")):
        writer = SessionWriter(path)
        with pytest.raises(SessionError, match=problem):
            writer.write(_start_record(tiny_config(), data))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "taken.h5"]  # no temporary file left


def test_an_existing_file_is_never_replaced(tmp_path, data):
    path = tmp_path / "mine.h5"
    path.write_bytes(b"the user's own file")
    with pytest.raises(SessionError, match="exists; a session never overwrites a file"):
        SessionWriter(path).write(_start_record(tiny_config(), data))
    assert path.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.h5"]


def test_a_file_that_appears_while_the_session_is_laid_out_is_kept(tmp_path, data, monkeypatch):
    """The race of a check followed by a rename: the name is taken after the writer looked. Publishing by a
    hard link refuses instead of replacing, and only one of two writers aimed at one path gets it."""
    from cnnviz.session import writer as writer_module

    path = tmp_path / "run.h5"
    real = writer_module.publish

    def taken_meanwhile(tmp, target):
        target.write_bytes(b"another run's file")
        real(tmp, target)

    monkeypatch.setattr(writer_module, "publish", taken_meanwhile)
    with pytest.raises(SessionError, match="exists"):
        SessionWriter(path).write(_start_record(tiny_config(), data))
    assert path.read_bytes() == b"another run's file"
    monkeypatch.setattr(writer_module, "publish", real)

    other = tmp_path / "both.h5"
    first, second = SessionWriter(other), SessionWriter(other)
    first.write(_start_record(tiny_config(), data))
    with pytest.raises(SessionError, match="exists"):
        second.write(_start_record(tiny_config(), data))
    first.close()
    assert SessionReader(other).status == "stopped"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["both.h5", "run.h5"]  # no temporary file left


# -- default paths ---------------------------------------------------------------------------------------------

def test_default_session_path(tmp_path):
    config = make_config()
    assert short_config(config) == "c32-64_f100-200-10_lecture"
    path = default_session_path(config, tmp_path)
    assert path.parent == tmp_path and path.suffix == ".h5"
    stamp, rest = path.stem[:15], path.stem[16:]
    time.strptime(stamp, "%Y%m%d-%H%M%S")
    assert rest == "c32-64_f100-200-10_lecture"
    path.touch()
    again = default_session_path(config, tmp_path)
    assert again != path and not again.exists()


def test_default_directory_is_the_checkouts_sessions_folder_or_cnnviz_sessions(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNVIZ_SESSIONS")
    sessions = resources_dir().parent / "sessions"
    if sessions.is_dir():
        assert default_session_dir() == sessions
    monkeypatch.setenv("CNNVIZ_SESSIONS", str(tmp_path / "runs"))
    assert default_session_dir() == tmp_path / "runs"
    monkeypatch.setenv("CNNVIZ_SESSIONS", "")  # set but empty: as if unset
    assert default_session_dir() != Path("")


# -- crash safety ----------------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """The processor time (user and system) the running process ``pid`` has used so far (Linux's /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, fields 14 and 15


def test_sigkill_at_random_moments_leaves_readable_files(tmp_path):
    """Twelve training processes killed with SIGKILL at random moments (seeded) while they write. A moment is
    the processor time a process has had since its file appeared, not the clock's: on a loaded machine the clock's
    0.8 s gave a process too little time to write several snapshots."""
    rng = random.Random(20240611)
    cmd = [sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--limit-train", "1000",
           "--limit-test", "100", "--conv", "2", "--fc", "8", "--epochs", "50", "--snapshot-every", "1",
           "--eval-every", "3", "--threads", "1", "--quiet"]
    kills, batch = 12, 4
    seen = []
    for first in range(0, kills, batch):
        trials = []
        for t in range(first, first + batch):
            path = tmp_path / f"kill{t}.h5"
            log = open(tmp_path / f"kill{t}.log", "w")
            proc = subprocess.Popen([*cmd, "--out", str(path)], stdout=log, stderr=log)
            trials.append({"proc": proc, "path": path, "log": log, "delay": rng.uniform(0.0, 0.8), "cpu": None})
        deadline = time.monotonic() + 40
        while any(t["proc"].returncode is None for t in trials):
            now = time.monotonic()
            for t in trials:
                if t["proc"].returncode is not None:
                    continue
                if t["proc"].poll() is not None:
                    t["log"].close()
                    pytest.fail(f"training ended by itself ({t['proc'].returncode}): "
                                f"{Path(t['log'].name).read_text()[-500:]}")
                if t["cpu"] is None and t["path"].exists():
                    t["cpu"] = cpu_seconds(t["proc"].pid)
                if t["cpu"] is not None and cpu_seconds(t["proc"].pid) - t["cpu"] >= t["delay"] or now > deadline:
                    t["proc"].send_signal(signal.SIGKILL)
                    t["proc"].wait()
            time.sleep(0.002)
        for t in trials:
            t["log"].close()
            assert t["proc"].returncode == -signal.SIGKILL
            seen.append(check_interrupted(t["path"]))
    assert sum(seen) > kills  # the kills fell after several snapshots, not only at the start


def check_interrupted(path: Path) -> int:
    """An interrupted session opens, says "running", and every snapshot in it is complete; returns how many."""
    with SessionReader(path) as reader:
        assert reader.status == "running"
        n = reader.n_snapshots
        steps = reader.snapshot_steps
        assert steps.tolist() == list(range(n))  # a snapshot every step, from step 0
        network = None
        for i in range(n):
            params = reader.params(i)
            assert all(np.isfinite(p).all() for p in params.values())
            network = reader.network(i, network)
        if n:
            assert not np.array_equal(reader.params(-1)["fc1.W"], np.zeros_like(reader.params(-1)["fc1.W"]))
        metrics = reader.metrics()
        assert metrics["step"].tolist() == list(range(1, reader.n_steps + 1))
        assert np.isfinite(metrics["loss"]).all()
        evals = reader.evals()
        assert ((0 <= evals["test_accuracy"]) & (evals["test_accuracy"] <= 1)).all()
        for j in range(reader.n_evals):
            predicted, confidence = reader.predictions(j)
            assert len(predicted) == 100 and (confidence > 0).all()
        records = list(reader.records())
        assert isinstance(records[-1], RunEnd) and records[-1].status == "failed"
    return n


# -- a full disk -----------------------------------------------------------------------------------------------

# How HDF5 reports a write that the disk refused, as a RuntimeError (h5py's type for a failed flush or close).
HDF5_ENOSPC = ("{what} (file write failed: time = Sun Jun 11 09:30:00 2024\n, filename = 'run.h5', file descriptor"
               " = 3, errno = 28, error message = 'No space left on device', buf = 0x5571, total write size = 4096,"
               " bytes this sub-write = 4096, offset = 614400)")


def fail_flushes(monkeypatch, after: int, error: Exception) -> list[bool]:
    """h5py's File.flush raises ``error`` from its call number ``after`` + 1 on, as on a full disk (the flush is
    then not made); returns the calls, True for each that failed."""
    real = h5py.File.flush
    calls: list[bool] = []

    def flush(self):
        calls.append(len(calls) >= after)
        if calls[-1]:
            raise error
        real(self)

    monkeypatch.setattr(h5py.File, "flush", flush)
    return calls


def snapshot_of(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("error", [ENOSPC, RuntimeError(HDF5_ENOSPC.format(what="Unable to synchronously flush file"))],
                         ids=["OSError", "RuntimeError"])
@pytest.mark.parametrize("which", [1, 2], ids=["data-flush", "count-flush"])
def test_a_failed_write_is_one_sentence_and_the_file_keeps_what_was_committed(tmp_path, data, monkeypatch, error,
                                                                             which):
    """The disk fills during a snapshot's commit (its first flush: the data; or its second: the counts). One
    SessionError names the file and the cause; then every write raises it again at once without touching the
    file, close() is quiet, and the file opens like an interrupted run's with what was committed before."""
    path = tmp_path / "run.h5"
    records = list(Trainer(tiny_config(), data).run())  # a snapshot at every step
    writer = SessionWriter(path)
    snapshots = [i for i, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    fifth = snapshots[4]  # snapshots 0..3 are committed; the disk fills while snapshot 4 is
    for record in records[:fifth]:
        writer.write(record)
    calls = fail_flushes(monkeypatch, which - 1, error)
    sentence = f"No space left on device while writing the session file {path}."
    with pytest.raises(SessionError) as failed:
        writer.write(records[fifth])
    assert str(failed.value) == sentence == writer.failure and writer.closed
    assert failed.value.__cause__ is None and failed.value.__suppress_context__  # one sentence, no chained tracebacks
    n_calls, before = len(calls), snapshot_of(path)
    for record in records[fifth + 1:]:
        with pytest.raises(SessionError, match=re.escape(sentence)):
            writer.write(record)
    with pytest.raises(SessionError, match=re.escape(sentence)):
        writer.flush()
    writer.close()
    writer.close("failed")
    with writer:  # the context manager's close too
        pass
    assert len(calls) == n_calls and snapshot_of(path) == before  # nothing more reached the file
    assert not being_written(path)  # HDF5's lock on it was released
    monkeypatch.undo()
    with SessionReader(path) as reader:
        assert reader.status == "running" and reader.n_snapshots == 4
        assert reader.snapshot_steps.tolist() == [0, 1, 2, 3] and reader.n_steps == 3
        assert_same(reader.snapshot_record(3, state=True), records[snapshots[3]])
    assert writer.holds() == (f"The session {path} holds steps 1..3 and 4 snapshots up to step 3; it opens like an "
                              "interrupted run.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.h5"]


def test_a_failure_inside_hdf5s_own_close_is_one_sentence_once(tmp_path, data, monkeypatch):
    """Everything was flushed, then HDF5's close fails (h5py raises a RuntimeError): one SessionError, and the
    file is never closed a second time (HDF5 may crash on that); it keeps the run, with its status."""
    path = tmp_path / "run.h5"
    writer = SessionWriter(path)
    writer.write(_start_record(tiny_config(), data))
    writer.write(StepRecord(1, 1, 2.3, 0.1, 0.01, 0.2, 0.05, 2000.0))
    real_close, closes = h5py.File.close, []

    def close(self):
        closes.append(self)
        raise RuntimeError(HDF5_ENOSPC.format(what="Can't decrement id ref count"))

    monkeypatch.setattr(h5py.File, "close", close)
    with pytest.raises(SessionError, match=re.escape(f"No space left on device while writing the session file "
                                                     f"{path}.")):
        writer.close()
    writer.close()
    with pytest.raises(SessionError, match="while writing the session file"):
        writer.write(StepRecord(2, 1, 2.2, 0.1, 0.01, 0.2, 0.05, 2000.0))
    assert len(closes) == 1
    assert writer.holds() == f"The session {path} holds step 1 and no snapshots; it opens as a stopped run."
    # The writer keeps that file open to the end of the process, reading the file and writing nothing. Here, where
    # HDF5 is in fact sound, close it, what it still writes going to memory as after any failure.
    monkeypatch.setattr(h5py.File, "close", real_close)
    kept, _ = writer_module._ABANDONED.pop()
    assert kept is closes[0]
    assert writer_module._redirect(writer._fd)
    kept.close()
    with SessionReader(path) as reader:
        assert reader.status == "stopped" and reader.metrics()["loss"].tolist() == [2.3]


def test_a_disk_full_before_the_file_is_laid_out_leaves_nothing(tmp_path, data, monkeypatch):
    path = tmp_path / "run.h5"
    fail_flushes(monkeypatch, 0, ENOSPC)
    writer = SessionWriter(path)
    with pytest.raises(SessionError, match=re.escape(f"No space left on device while writing the session file {path}")):
        writer.write(_start_record(tiny_config(), data))
    with pytest.raises(SessionError, match="while writing the session file"):
        writer.write(EventRecord(0, "paused"))
    writer.close()
    assert list(tmp_path.iterdir()) == []  # neither the session nor its temporary file
    assert writer.holds() == f"No session was saved: {path} was not created."


def test_a_file_size_limit_anywhere_stops_cnnviz_train_cleanly_and_leaves_a_readable_file(tmp_path):
    """Training processes whose files may not grow beyond a limit (RLIMIT_FSIZE: writes fail with EFBIG, "File too
    large", as on a full disk), the limit falling at different moments of the run. Each ends with status 2 and
    two lines (the cause, what the session holds), no traceback and no crash, and leaves no file or one that
    opens like an interrupted run's, holding what the second line says."""
    cmd = [sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--limit-train", "1000",
           "--limit-test", "100", "--conv", "2", "--fc", "8", "--epochs", "50", "--snapshot-every", "1",
           "--eval-every", "3", "--threads", "1", "--quiet"]
    # (Format version 2 stores the optimizer's velocity beside the parameters: about twice the bytes a snapshot.)
    limits = [20_000, 60_000, 130_000, 250_000, 420_000, 560_000, 800_000, 1_100_000]

    def limited(size: int):
        def limit() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        return limit

    procs = [(size, tmp_path / f"limit{size}.h5") for size in limits]
    procs = [(size, path, subprocess.Popen([*cmd, "--out", str(path)], stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True,
                                           preexec_fn=limited(size)))  # noqa: PLW1509 (two system calls)
             for size, path in procs]
    saved = []
    for size, path, proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 2, (size, stderr)
        assert "Traceback" not in stderr and stdout == ""
        failure, holds = stderr.strip().splitlines()
        assert failure == f"cnnviz: File too large while writing the session file {path}.", size
        if not path.exists():
            assert holds == f"cnnviz: No session was saved: {path} was not created."
            continue
        n = check_interrupted(path)
        with SessionReader(path) as reader:
            steps = "no steps" if reader.n_steps == 0 else "step 1" if reader.n_steps == 1 else \
                f"steps 1..{reader.n_steps}"
            snaps = "no snapshots" if n == 0 else f"{n} snapshot{'s' * (n != 1)} up to step {n - 1}"
        assert holds == f"cnnviz: The session {path} holds {steps} and {snaps}; it opens like an interrupted run."
        assert not being_written(path) and path.stat().st_size <= size
        saved.append(n)
    assert len(saved) >= 6 and max(saved) >= 10  # the limit fell at many moments, some after several snapshots
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"limit{size}.h5" for size, path, _ in procs
                                                                if path.exists())  # no temporary file left


# -- refusals --------------------------------------------------------------------------------------------------

def _copy(run, tmp_path: Path, edit=None, name: str = "copy") -> Path:
    path = tmp_path / f"{name}.h5"
    shutil.copyfile(run[0], path)
    if edit is not None:
        with h5py.File(path, "r+") as f:
            edit(f)
    return path


def _bad_files(run, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, part of the expected message)."""
    text = tmp_path / "notes.h5"
    text.write_text("these are my notes, not a session\n")
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(3)
    nwb = tmp_path / "nwb.h5"
    with h5py.File(nwb, "w") as f:
        f.attrs["format"] = "NWB"
    truncated = tmp_path / "truncated.h5"
    raw = Path(run[0]).read_bytes()
    truncated.write_bytes(raw[: len(raw) // 2])

    def newer(f):
        f.attrs["format_version"] = np.int64(FORMAT_VERSION + 1)

    def no_probe(f):
        del f["probe"]

    def no_loss(f):
        del f["metrics/loss"]

    def bad_config(f):
        f.attrs["config"] = "{not json"

    def wrong_shape(f):
        del f["params/fc1/W"]
        f["params/fc1/W"] = np.zeros((3, 4, 5), np.float32)

    return {
        "missing": (tmp_path / "nowhere.h5", "does not exist"),
        "directory": (tmp_path, "is a directory"),
        "text": (text, "is not an HDF5 file"),
        "empty": (empty, "is empty"),
        "truncated": (truncated, "is truncated"),
        "other program": (other, "not a cnnviz session"),
        "other format": (nwb, "its format is 'NWB'"),
        "newer": (_copy(run, tmp_path, newer, "newer"), "written by a newer cnnviz"),
        "no group": (_copy(run, tmp_path, no_probe, "no-group"), "has no /probe group"),
        "no dataset": (_copy(run, tmp_path, no_loss, "no-dataset"), "has no /metrics/loss dataset"),
        "bad config": (_copy(run, tmp_path, bad_config, "bad-config"), "unreadable configuration"),
        "wrong shape": (_copy(run, tmp_path, wrong_shape, "wrong-shape"), "fc1.W"),
    }


def test_bad_files_are_refused_with_one_sentence(run, tmp_path, capsys):
    from cnnviz.cli import main

    for name, (path, expected) in _bad_files(run, tmp_path).items():
        with pytest.raises(SessionError) as info:
            SessionReader(path)
        message = str(info.value)
        assert expected in message, (name, message)
        assert str(path) in message and message.endswith(".") and "\n" not in message, (name, message)
        assert main(["info", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and expected in err, (name, err)


def _replace(name: str, make):
    """An edit that replaces dataset ``name`` with ``make(old values)``."""
    def edit(f):
        old = f[name][()]
        del f[name]
        f[name] = make(old)
    return edit


def _set_attr(where: str, name: str, value):
    def edit(f):
        f[where].attrs[name] = value
    return edit


DAMAGE = {  # name -> (edit of a copy of the session, part of the expected sentence)
    "metrics series of the wrong shape": (
        _replace("metrics/loss", lambda a: np.stack([a, a], axis=1)),
        "/metrics/loss holds float64 of shape (6, 2), not floating-point numbers of shape (rows,)"),
    "metrics series of the wrong type": (
        _replace("metrics/step", lambda a: a.astype(np.float64)),
        "/metrics/step holds float64 of shape (6,), not integers of shape (rows,)"),
    "metrics series of strings": (
        _replace("metrics/lr", lambda a: np.array([b"x"] * len(a))),
        "/metrics/lr holds strings of shape (6,), not floating-point numbers"),
    "a scalar series": (_replace("params/step", lambda a: np.int64(3)), "/params/step holds int64 of shape ()"),
    "confusion matrices of the wrong size": (
        _replace("eval/confusion", lambda a: a[:, :9, :9]),
        "/eval/confusion holds int64 of shape (4, 9, 9), not integers of shape (rows, 10, 10)"),
    "predictions of the wrong width": (
        _replace("predictions/predicted", lambda a: a[:, :99]),
        "/predictions/predicted holds uint8 of shape (4, 99), not integers of shape (rows, 100)"),
    "confidences of the wrong type": (_replace("predictions/confidence", lambda a: (a * 100).astype(np.int32)),
                                      "/predictions/confidence holds int32"),
    "probe images of the wrong shape": (
        _replace("probe/images", lambda a: a[:, :27]),
        "/probe/images holds uint8 of shape (12, 27, 28), not uint8 of shape (12, 28, 28)"),
    "probe images of another type": (_replace("probe/images", lambda a: a.astype(np.float32)),
                                     "/probe/images holds float32"),
    "fewer probe labels than images": (_replace("probe/labels", lambda a: a[:5]),
                                       "/probe/labels holds uint8 of shape (5,), not integers of shape (12,)"),
    "probe probabilities of the wrong width": (_replace("probe/probs", lambda a: a[:, :, :9]), "/probe/probs"),
    "probe labels out of range": (_replace("probe/labels", lambda a: a + 10),
                                  "/probe/labels holds labels outside the 10 classes"),
    "probe indices out of range": (_replace("probe/indices", lambda a: a + 1000),
                                   "/probe/indices holds indices outside the 100 test images"),
    "event kinds as numbers": (_replace("events/kind", lambda a: np.zeros(len(a))), "/events/kind holds float64"),
    "parameters of another type": (
        _replace("params/conv1/W", lambda a: a.astype(np.int32)),
        ("/params/conv1/W holds int32 of shape (7, 2, 1, 3, 3), not floating-point numbers of shape "
         "(rows, 2, 1, 3, 3)")),
    "a negative count": (_set_attr("metrics", "count", np.int64(-1)),
                         "its /metrics group's 'count' attribute is -1, not a whole number 0 or more"),
    "a count beyond the rows": (_set_attr("eval", "count", np.int64(50)),
                                "/eval has count 50 but /eval/step holds only 4 rows"),
    "a count that is text": (_set_attr("events", "count", "many"), "/events group's 'count' attribute is 'many'"),
    "a count that is an array": (_set_attr("params", "count", np.arange(3)), "/params group's 'count' attribute"),
    "an n_test that is negative": (_set_attr("eval", "n_test", np.int64(-5)), "'n_test' attribute is -5"),
    "an unknown status": (_set_attr("/", "status", "exploded"),
                          "its status 'exploded' is not one of running, complete, stopped, failed"),
    "total steps as an array": (_set_attr("/", "total_steps", np.arange(2)), "its 'total_steps' attribute"),
    "an end step that is text": (_set_attr("/", "end_step", "last"), "its 'end_step' attribute is 'last'"),
    "a configuration that is a list": (_set_attr("/", "config", "[1, 2]"), "unreadable configuration"),
    "a negative seed": (_set_attr("/", "config", json.dumps({"train": {"seed": -1}})),
                        "unreadable configuration (ConfigError: the seed"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_datasets_and_attributes_are_refused_when_the_file_opens(run, tmp_path, capsys, damage):
    """Read and exported as nonsense before: now one sentence naming the dataset or attribute, at once."""
    from cnnviz.cli import main

    edit, expected = DAMAGE[damage]
    path = _copy(run, tmp_path, edit)
    with pytest.raises(SessionError) as info:
        SessionReader(path)
    message = str(info.value)
    assert message.startswith(f"{path} ") and expected in message, message
    assert message.endswith(".") and "\n" not in message
    for argv in (["info", str(path)], ["export", str(path), "--csv", str(tmp_path / "csv")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"cnnviz: {message}\n", err
    assert not (tmp_path / "csv").exists()


def test_predicted_classes_out_of_range_are_refused_when_read(run, tmp_path):
    """The predictions are large; their values are checked row by row as they are read."""
    path = _copy(run, tmp_path, _replace("predictions/predicted", lambda a: np.full_like(a, 200)))
    with SessionReader(path) as reader:
        with pytest.raises(SessionError, match="/predictions/predicted row 1 holds classes outside the 10 classes"):
            reader.predictions(1)
        with pytest.raises(SessionError, match="row 0 holds classes outside"):
            list(reader.records())


def test_reading_never_writes_to_the_file(run, tmp_path):
    path = _copy(run, tmp_path)
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    with SessionReader(path) as reader:
        list(reader.records())
        reader.network(0)
        reader.probe()
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    os.chmod(path, 0o444)  # and a read-only file opens
    try:
        with SessionReader(path) as reader:
            assert reader.n_snapshots > 0
    finally:
        os.chmod(path, 0o644)


# -- the kept files of every format version ---------------------------------------------------------------------

def test_the_kept_version_1_file_opens_and_replays():
    with SessionReader(FIXTURE_V1) as reader:
        assert reader.format_version == 1 and reader.status == "complete"
        assert reader.n_snapshots == 3 and reader.snapshot_steps.tolist() == [0, 1, 2]
        assert isinstance(reader.network(-1), Network)
        records = list(reader.records())
        assert isinstance(records[0], RunStart) and isinstance(records[-1], RunEnd)
        final = reader.eval_record(-1)
        data = load_sample().limited(200, reader.n_test)
        _, accuracy, _, predicted, _ = Trainer(reader.train_config, data, network=reader.network(-1)).evaluate()
        assert accuracy == final.test_accuracy and np.array_equal(predicted, final.predicted)
