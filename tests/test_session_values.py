"""Stored values that pass the type and shape checks but cannot be right are refused in one sentence, by the reader
and so by every command (issue: "values that pass the type and shape checks are used as they are"), and sizes the
file cannot hold are refused before anything is allocated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from cnnviz.cli import main
from cnnviz.session import SessionError, SessionReader
from cnnviz.session.values import problem, state_problem

TRAIN = ["train", "--data", "sample", "--limit-train", "200", "--limit-test", "50", "--conv", "2", "--fc", "8",
         "--epochs", "2", "--snapshot-every", "1", "--eval-every", "2", "--threads", "1", "--quiet"]


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    """4 steps (2 an epoch), 5 snapshots, evaluations at steps 2 and 4."""
    path = tmp_path_factory.mktemp("values") / "run.h5"
    assert main([*TRAIN, "--out", str(path)]) == 0
    return path


def changed(session: Path, tmp_path: Path, change) -> Path:
    path = tmp_path / "changed.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r+") as f:
        change(f)
    return path


def refused(path: Path, read, expected: str) -> None:
    with pytest.raises(SessionError) as err:
        with SessionReader(path) as reader:
            read(reader)
    message = str(err.value)
    assert message.startswith(f"{path} is damaged") and expected in message, message
    assert "\n" not in message and message.endswith(".")


def put(name: str, row, value):
    def change(f):
        f[name][row] = value
    return change


CASES = [  # (what the issue reported, the change, how it is read, what the sentence says)
    ("a test accuracy of 7.5 shown as 750.00%", put("eval/test_accuracy", 0, 7.5), lambda r: r.evals(),
     "/eval/test_accuracy holds 7.5 at row 0, not a fraction between 0 and 1"),
    ("a negative confusion count exported", put("eval/confusion", (1, 3, 4), -2), lambda r: r.evals(),
     "/eval/confusion holds -2 at row 1, not a count 0 or more"),
    ("unsorted snapshot steps", put("params/step", 2, 4), lambda r: None,
     "/params/step is out of order (3 at row 3 after 4; its values never fall)"),
    ("a negative snapshot step", put("params/step", 0, -5), lambda r: None,
     "/params/step holds -5 at row 0, not a whole number 0 or more"),
    ("a stored learning rate of -1", put("metrics/lr", 1, -1.0), lambda r: r.metrics(),
     "/metrics/lr holds -1 at row 1, not a learning rate 0 or more"),
    ("a step series out of order", put("metrics/step", 3, 2), lambda r: list(r.step_records()),
     "/metrics/step is out of order (2 at row 3 after 3; its values increase)"),
    ("a confidence above 1", put("predictions/confidence", (0, 5), 3.0), lambda r: r.predictions(0),
     "/predictions/confidence holds 3 at row 0, not a fraction between 0 and 1"),
    ("a probe probability below 0", put("probe/probs", (1, 0, 2), -0.5), lambda r: r.snapshot_record(1),
     "/probe/probs holds -0.5 at row 1, not a fraction between 0 and 1"),
    ("a stored epoch of 0 (a fork ran 60 steps instead of 40)", put("state/epoch", 2, 0),
     lambda r: r.fork_point(2), "its epoch 0 is not one of the run's epochs 1 to 2"),
    ("a negative position (IndexError in a fork)", put("state/position", 2, -100), lambda r: r.fork_point(2),
     "its position -100 in the epoch is not between 0 and its 200 training images"),
    ("a stored momentum of 5.0", put("state/momentum", 4, 5.0), lambda r: r.fork_point(),
     "its momentum 5 is not in [0, 1)"),
    ("a schedule 'exponential'", put("state/lr_schedule", 4, "exponential"), lambda r: r.fork_point(),
     "its learning-rate schedule 'exponential' is not one of"),
    ("a random state of another generator type",
     put("state/shuffle", 4, json.dumps({"bit_generator": "MT19937", "state": {"key": [1], "pos": 0}})),
     lambda r: r.fork_point(), "a generator state is of MT19937, not PCG64"),
    ("steps_per_epoch = 0 (ZeroDivisionError in render and the window)",
     lambda f: f.attrs.__setitem__("steps_per_epoch", 0), lambda r: None, "it has 4 steps but 0 steps an epoch"),
]


@pytest.mark.parametrize("what, change, read, expected", CASES, ids=[c[0] for c in CASES])
def test_a_value_that_cannot_be_right_is_one_sentence(session, tmp_path, what, change, read, expected):
    refused(changed(session, tmp_path, change), read, expected)


def test_the_commands_refuse_it_in_one_line(session, tmp_path, capsys):
    path = changed(session, tmp_path, put("eval/test_accuracy", 1, 7.5))
    for argv in (["info", str(path)], ["export", str(path), "--csv", str(tmp_path / "csv")]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "/eval/test_accuracy holds 7.5 at row 1" in err
    assert not (tmp_path / "csv").exists()
    fork = changed(session, tmp_path, put("state/epoch", 4, 0))
    out = tmp_path / "fork.h5"
    assert main(["train", "--from", str(fork), "--out", str(out), "--quiet"]) == 2
    assert "its epoch 0 is not one of the run's epochs 1 to 2" in capsys.readouterr().err and not out.exists()


def test_a_link_into_another_file_is_refused(session, tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["loss"] = np.zeros(4)

    def link(f):
        del f["metrics/loss"]
        f["metrics/loss"] = h5py.ExternalLink(str(other), "/loss")

    refused(changed(session, tmp_path, link), lambda r: None,
            "/metrics/loss is a link into another file, which a session never holds")


def test_rows_the_file_cannot_hold_are_refused_before_they_are_read(session, tmp_path):
    """A series that claims 10^10 rows (a sparse dataset: HDF5 reads unwritten rows as zeros) was a MemoryError in
    every command and a crash in the window; 10^8 sparse events took minutes."""
    for name, rows in (("metrics/loss", 10**10), ("events/step", 10**8)):
        group = name.split("/")[0]
        def grow(f, name=name, rows=rows, group=group):
            for member in f[group]:
                f[group][member].resize(rows, axis=0)
            f[group].attrs["count"] = rows
        path = changed(session, tmp_path, grow)
        with pytest.raises(SessionError) as err:
            SessionReader(path)
        assert f"claims {rows:,} rows" in str(err.value) and "can hold" in str(err.value), str(err.value)


def test_a_real_session_passes_every_rule(session):
    with SessionReader(session) as reader:
        reader.metrics(), reader.evals(), reader.events(), reader.probe(), reader.fork_point(2)
        list(reader.records())
    for name in ("tests/data/session-v1.h5", "tests/data/session-v2.h5"):
        with SessionReader(Path(__file__).parent.parent / name) as reader:
            list(reader.records())


def test_the_rules_themselves():
    assert problem("eval/test_accuracy", np.array([0.5, np.nan, 1.0])) is None  # NaN: a diverged run's
    assert problem("metrics/lr", np.array([0.1, np.nan])) == "is damaged: /metrics/lr holds nan at row 1, not a " \
                                                             "learning rate 0 or more"
    assert problem("metrics/step", np.array([5, 6]), 10, previous=5) == \
        "is damaged: /metrics/step is out of order (5 at row 10 after 5; its values increase)"
    assert problem("params/step", np.array([5, 5])) is None  # a snapshot twice at one step (cnnviz 0.1 files)
    assert problem("metrics/accuracy", np.array([np.inf])) is not None
    assert problem("no/rule", np.array([-1])) is None
    assert state_problem(1, 0, 0.01, "constant", 0.2, epochs=1, n_train=10) is None
    assert state_problem(2, 0, 0.01, "constant", 0.2, epochs=1, n_train=10) is not None
    assert state_problem(1, 11, 0.01, "constant", 0.2, epochs=1, n_train=10) is not None
    assert state_problem(1, 0, float("nan"), "constant", 0.2, epochs=1, n_train=10) is not None
