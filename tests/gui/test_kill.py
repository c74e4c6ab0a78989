"""The window killed with SIGKILL in the middle of a run leaves a session that opens: status "running", every
step, snapshot and evaluation its writer committed before the kill, finite parameters.

The window runs in its own process (``python -m cnnviz --start ...``, headless), as a user starts it; its
settings and data directories point at temporary ones. It is killed at three moments: right after its session
file appears, after a few snapshots, after two evaluations (``tests/test_session.py`` does the same for
``cnnviz train``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.records import RunEnd
from cnnviz.session import SessionError, SessionReader
from cnnviz.session.opening import being_written

SNAPSHOT_EVERY = 2
COMMAND = [sys.executable, "-m", "cnnviz", "--start", "--data", "sample", "--limit-train", "300", "--limit-test",
           "100", "--conv", "2", "--fc", "8", "--batch-size", "50", "--snapshot-every", str(SNAPSHOT_EVERY),
           "--epochs", "200"]
TIMEOUT = 120  # seconds for a moment to come (a loaded machine starts the window slowly)

# When to kill: given what a reader sees of the file being written (None: the file is not there yet).
MOMENTS = {
    "file appears": lambda seen: True,
    "a few snapshots": lambda seen: seen is not None and seen["snapshots"] >= 3,  # mostly before the evaluation
    "evaluations": lambda seen: seen is not None and seen["evals"] >= 2,  # one at the end of every epoch
}


def counts(path: Path) -> dict[str, int] | None:
    """What the writer has committed so far, or None where the file cannot be read now (not there yet, or
    caught between two writes: a reader of a file being written retries, as the window's replay does)."""
    try:
        with SessionReader(path) as reader:
            return dict(steps=reader.n_steps, snapshots=reader.n_snapshots, evals=reader.n_evals)
    except SessionError:
        return None


def start_window(tmp_path: Path, name: str) -> dict:
    home = tmp_path / name
    home.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    path = home / "run.h5"
    log = open(home / "window.log", "w")
    proc = subprocess.Popen([*COMMAND, "--out", str(path)], stdout=log, stderr=subprocess.STDOUT, env=env)
    return dict(name=name, proc=proc, path=path, log=log, seen=None, killed=False)


def log_of(trial: dict) -> str:
    trial["log"].flush()
    return Path(trial["log"].name).read_text()[-1500:]


@pytest.fixture
def windows(tmp_path):
    """One window per moment, all started at once; killed (by their own ids) if a test leaves them running."""
    trials = [start_window(tmp_path, f"kill{n}") for n in range(len(MOMENTS))]
    yield trials
    for t in trials:
        if t["proc"].poll() is None:
            t["proc"].kill()
            t["proc"].wait()
        t["log"].close()


def test_a_window_killed_mid_run_leaves_a_session_that_opens(windows, qapp):
    deadline = time.monotonic() + TIMEOUT
    for t, when in zip(windows, MOMENTS.values()):
        t["when"] = when
    while not all(t["killed"] for t in windows):
        for t in windows:
            if t["killed"]:
                continue
            if t["proc"].poll() is not None:
                pytest.fail(f"the window ended by itself ({t['proc'].returncode}):\n{log_of(t)}")
            if time.monotonic() > deadline:
                pytest.fail(f"{t['name']}: the moment to kill never came in {TIMEOUT} s (last seen: {t['seen']}):\n"
                            f"{log_of(t)}")
            if not t["path"].exists():
                continue
            seen = None if t["when"](None) else counts(t["path"])
            if t["when"](seen):
                t["proc"].send_signal(signal.SIGKILL)
                t["proc"].wait(timeout=30)
                t["killed"] = True
                t["seen"] = seen
        time.sleep(0.005)
    for t, moment in zip(windows, MOMENTS):
        assert t["proc"].returncode == -signal.SIGKILL, moment
        check_killed_session(t["path"], t["seen"] or dict(steps=0, snapshots=0, evals=0), moment)
        check_the_window_replays_it(t["path"], moment)


def check_killed_session(path: Path, before: dict[str, int], moment: str) -> None:
    """The file opens, says "running" with no writer holding it, and holds every committed row, complete."""
    assert not being_written(path), moment
    with SessionReader(path) as reader:
        assert reader.status == "running", moment
        assert reader.n_steps >= before["steps"] and reader.n_snapshots >= before["snapshots"], moment
        assert reader.n_evals >= before["evals"], moment
        metrics = reader.metrics()
        assert metrics["step"].tolist() == list(range(1, reader.n_steps + 1)), moment
        assert np.isfinite(metrics["loss"]).all() and np.isfinite(metrics["accuracy"]).all(), moment
        steps = reader.snapshot_steps.tolist()  # none yet where the file has only just appeared
        assert steps == sorted(set(steps)) and steps[:1] in ([], [0]), moment  # snapshot 0, then one a step at most
        assert all(s % SNAPSHOT_EVERY == 0 and s <= reader.n_steps for s in steps), moment
        network = None
        for i in range(reader.n_snapshots):
            params = reader.params(i)
            assert all(np.isfinite(p).all() for p in params.values()), (moment, i)
            network = reader.network(i, network)
        evals = reader.evals()
        assert ((0 <= evals["test_accuracy"]) & (evals["test_accuracy"] <= 1)).all(), moment
        assert np.isfinite(evals["test_loss"]).all(), moment
        for j in range(min(reader.n_evals, reader.n_predictions)):
            predicted, confidence = reader.predictions(j)
            assert len(predicted) == 100 and (confidence > 0).all(), (moment, j)
        records = list(reader.records())
        assert isinstance(records[-1], RunEnd) and records[-1].status == "failed", moment  # interrupted
    if moment != "file appears":
        assert before["snapshots"] >= 3, moment  # killed mid-run, not at its start


def check_the_window_replays_it(path: Path, moment: str) -> None:
    """The window opens it as an interrupted run: every step on its timeline, the last snapshot shown."""
    model = RunModel()
    replay = ReplaySource(model, model)
    try:
        replay.open(path)
        with SessionReader(path) as reader:
            assert model.n_steps == reader.n_steps and len(model.snapshots) == reader.n_snapshots, moment
        assert not replay.following_file and model.end is not None and model.end.status == "failed", moment
        snap = model.snapshot()
        if len(model.snapshots):
            assert snap is not None and all(np.isfinite(p).all() for p in snap.params.values()), moment
            assert model.trace() is not None, moment
        else:
            assert snap is None and model.trace() is None, moment
    finally:
        replay.close()
        model.deleteLater()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_close_the_window_and_finish_its_session(tmp_path, sig):
    trial = start_window(tmp_path, "term")
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            seen = counts(trial["path"])
            if seen is not None and seen["snapshots"] >= 3:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"the window did not train in time:\n{log_of(trial)}")
        trial["proc"].send_signal(sig)
        assert trial["proc"].wait(60) == 0, log_of(trial)
    finally:
        if trial["proc"].poll() is None:
            trial["proc"].kill()
            trial["proc"].wait()
        trial["log"].close()
    with SessionReader(trial["path"]) as r:  # stopped as the command line stops: a final snapshot and evaluation
        assert r.status == "stopped" and r.n_snapshots >= 3
        end = r.end_record().step
        assert r.snapshot_steps[-1] == end and r.evals()["step"][-1] == end
    assert "Traceback" not in Path(trial["log"].name).read_text()
