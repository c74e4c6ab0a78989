"""Forks: `cnnviz train --from SESSION [--at-step N]` and :func:`cnnviz.training.resume_from` continue a run from one
of its snapshots, exactly (session format version 2 records the velocity and the random generators' states)."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from cnnviz.cli import main
from cnnviz.config import fork_config, make_config
from cnnviz.data import load_sample
from cnnviz.errors import ConfigError
from cnnviz.fork import resume_from
from cnnviz.records import EventRecord, RunEnd, RunStart, SnapshotRecord, StepRecord
from cnnviz.session import SessionError, SessionReader, SessionWriter
from cnnviz.training import Trainer

DATA = Path(__file__).parent / "data"
V1, V2 = DATA / "session-v1.h5", DATA / "session-v2.h5"
# 300 images in batches of 50: 6 steps an epoch; 3 epochs: 18 steps, a snapshot every 3 (0, 3, ..., 18).
# Momentum 0.9 makes the velocity matter; dropout 0.3 over 2 worker threads, the dropout generators.
PARENT = ["--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
          "--batch-size", "50", "--epochs", "3", "--snapshot-every", "3", "--momentum", "0.9", "--dropout", "0.3",
          "--threads", "2", "--quiet"]


def train(*argv: str) -> int:
    return main(["train", *argv])


@pytest.fixture(scope="module")
def parent64(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fork") / "parent.h5"
    assert train(*PARENT, "--dtype", "float64", "--out", str(path)) == 0
    return path


def losses(path: Path) -> dict[int, float]:
    with SessionReader(path) as r:
        m = r.metrics()
        return dict(zip(m["step"].tolist(), m["loss"].tolist()))


def final_params(path: Path) -> dict[str, np.ndarray]:
    with SessionReader(path) as r:
        return r.params(-1)


def bitwise_equal(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and a[k].tobytes() == b[k].tobytes() for k in a)


# -- exact ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("at_step", [9, 6, 0])  # mid-epoch, an epoch's end, the very start
def test_a_fork_with_nothing_changed_takes_the_parents_steps_bit_for_bit(parent64, tmp_path, capsys, at_step):
    child = tmp_path / "child.h5"
    assert train("--from", str(parent64), "--at-step", str(at_step), "--out", str(child), "--json") == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["status"] == "complete" and result["steps"] == 18
    assert result["parent"]["file"] == "parent.h5" and result["parent"]["step"] == at_step
    mine, theirs = losses(child), losses(parent64)
    assert list(mine) == list(range(at_step + 1, 19))
    assert all(mine[s] == theirs[s] for s in mine)  # identical floats, not merely close
    assert bitwise_equal(final_params(child), final_params(parent64))
    with SessionReader(child) as c, SessionReader(parent64) as p:
        assert c.snapshot_steps.tolist() == [s for s in p.snapshot_steps.tolist() if s >= at_step]
        assert c.train_config == p.train_config
        assert np.array_equal(c.metrics()["lr"], p.metrics()["lr"][at_step:])


def test_a_fork_of_a_finished_run_for_one_more_epoch_is_the_longer_run(parent64, tmp_path):
    """`--epochs` counts the parent's: continuing a 3-epoch run to 4 epochs gives the 4-epoch run (constant lr)."""
    longer, child = tmp_path / "four.h5", tmp_path / "child.h5"
    assert train(*PARENT, "--dtype", "float64", "--epochs", "4", "--out", str(longer)) == 0
    assert train("--from", str(parent64), "--epochs", "4", "--out", str(child), "--quiet") == 0  # the last snapshot
    mine, theirs = losses(child), losses(longer)
    assert list(mine) == list(range(19, 25)) and all(mine[s] == theirs[s] for s in mine)
    assert bitwise_equal(final_params(child), final_params(longer))


def test_float32_forks_continue_to_a_millionth(tmp_path):
    parent, child = tmp_path / "parent.h5", tmp_path / "child.h5"
    assert train(*PARENT, "--out", str(parent)) == 0
    assert train("--from", str(parent), "--at-step", "12", "--out", str(child), "--quiet") == 0
    mine, theirs = losses(child), losses(parent)
    np.testing.assert_allclose([mine[s] for s in range(13, 19)], [theirs[s] for s in range(13, 19)], rtol=1e-6)
    for name, value in final_params(parent).items():
        np.testing.assert_allclose(final_params(child)[name], value, rtol=1e-6, atol=1e-7)


def test_a_changed_learning_rate_diverges_from_the_fork_step_on(parent64, tmp_path):
    child = tmp_path / "lower.h5"
    assert train("--from", str(parent64), "--at-step", "9", "--lr", "0.002", "--out", str(child), "--quiet") == 0
    mine, theirs = losses(child), losses(parent64)
    assert mine[10] == theirs[10]  # step 10's loss is measured before its update, on the parameters of step 9
    assert all(mine[s] != theirs[s] for s in range(11, 19))  # every step after the first update with 0.002 differs
    with SessionReader(child) as c:
        assert c.metrics()["lr"].tolist() == [0.002] * 9
        assert c.parent is not None and (c.parent.file, c.parent.step) == ("parent.h5", 9)
        assert c.train_config.lr == 0.002 and c.train_config.momentum == 0.9  # the rest is the parent's
    with SessionReader(parent64) as p, h5py.File(child, "r") as f:
        assert f.attrs["parent_file"] == "parent.h5" and f.attrs["parent_step"] == 9
        assert f.attrs["parent_created"] == p.created
        assert f.attrs["parent_path"] == str(parent64.resolve())
    assert not bitwise_equal(final_params(child), final_params(parent64))


def test_the_child_names_its_parent_in_cnnviz_info(parent64, tmp_path, capsys):
    child = tmp_path / "child.h5"
    assert train("--from", str(parent64), "--at-step", "3", "--out", str(child), "--quiet") == 0
    capsys.readouterr()
    assert main(["info", str(child)]) == 0
    with SessionReader(parent64) as p:
        assert f"forked from: parent.h5 (created {p.created}) at step 3\n" in capsys.readouterr().out
    assert main(["info", str(child), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parent"]["step"] == 3
    assert main(["info", str(parent64), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parent"] is None


def test_the_settings_set_by_hand_in_the_parent_hold_in_the_fork(tmp_path):
    """A learning rate and a momentum set during the run (the window's controls) are recorded in the snapshots'
    state: a fork after them goes on with them, exactly."""
    data = load_sample().limited(300, 100)
    config = make_config("fast", conv=(2,), fc=(8, 10), epochs=2, batch_size=50, snapshot_every=2, threads=2,
                         dtype="float64")
    trainer = Trainer(config, data)
    parent = tmp_path / "parent.h5"
    with SessionWriter(parent) as writer:
        for record in trainer.run():
            writer.write(record)
            if isinstance(record, StepRecord) and record.step == 3:
                trainer.control.set_lr(0.003)
                trainer.control.set_momentum(0.5)
    records = list(resume_from(parent, 6, data).run())
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert steps[0].lr == 0.003 and steps[0].momentum == 0.5
    theirs = losses(parent)
    assert [r.loss for r in steps] == [theirs[s] for s in range(7, 13)]


# -- the API the window uses ----------------------------------------------------------------------------------

def test_resume_from_gives_a_trainer_whose_records_start_at_the_fork_point(parent64):
    data = load_sample().limited(300, 100)
    trainer = resume_from(parent64, 9, data, momentum=0.5)
    assert trainer.step == 9 and trainer.total_steps == 18 and trainer.config.momentum == 0.5
    records = list(trainer.run())
    start, snap, event = records[:3]
    assert isinstance(start, RunStart) and start.parent.file == "parent.h5" and start.parent.step == 9
    with SessionReader(parent64) as p:
        i = p.snapshot_steps.tolist().index(9)
        assert isinstance(snap, SnapshotRecord) and snap.step == 9 and bitwise_equal(snap.params, p.params(i))
        assert bitwise_equal(snap.state.velocity, p.train_state(i).velocity)
    assert isinstance(event, EventRecord) and event.kind == "fork" and event.value == 9
    assert event.message == f"Continued from step 9 of parent.h5 (created {start.parent.created})."
    assert [r.step for r in records if isinstance(r, StepRecord)] == list(range(10, 19))
    assert all(r.momentum == 0.5 for r in records if isinstance(r, StepRecord))
    assert isinstance(records[-1], RunEnd) and records[-1].status == "complete"


def test_a_changed_batch_size_goes_on_from_the_same_image_of_the_epoch(parent64, tmp_path):
    child = tmp_path / "child.h5"
    assert train("--from", str(parent64), "--at-step", "9", "--batch-size", "100", "--out", str(child),
                 "--quiet") == 0
    with SessionReader(child) as c:
        m = c.metrics()
        # Step 9 is half-way through epoch 2 (150 of 300 images): 2 more steps of 100 images in it (the last of
        # 50), then epoch 3 in 3 steps.
        assert m["step"].tolist() == list(range(10, 15)) and m["epoch"].tolist() == [2, 2, 3, 3, 3]
        assert c.total_steps == 14 and c.train_state(-1).position == 300


def test_the_childs_session_replays_in_the_trainers_order(parent64, tmp_path):
    child = tmp_path / "child.h5"
    assert train("--from", str(parent64), "--at-step", "9", "--out", str(child), "--quiet") == 0
    with SessionReader(child) as c:
        records = list(c.records())
    kinds = [type(r).__name__ for r in records[:4]]
    assert kinds == ["RunStart", "SnapshotRecord", "EventRecord", "StepRecord"]
    assert records[1].step == 9 and records[2].kind == "fork" and records[3].step == 10


def test_fork_config_keeps_the_architecture_and_changes_the_rest():
    parent = make_config("lecture", conv=(2,), fc=(8, 10), dropout=0.3)
    child = fork_config(parent, lr=0.05, dropout=0.1, epochs=9, conv=(2,), fc=(8, 10), padding="same", dtype=None)
    assert (child.lr, child.network.dropout, child.epochs) == (0.05, 0.1, 9)
    assert child.network.conv == parent.network.conv and child.momentum == parent.momentum
    with pytest.raises(ConfigError, match=r"^a fork keeps its parent's fc \(8,10\); it cannot become 16,10$"):
        fork_config(parent, fc=(16, 10))


def test_epochs_fewer_than_the_fork_points_epoch_are_one_sentence(parent64):
    with pytest.raises(ConfigError, match=r"^the fork point \(step 9\) is in epoch 2: the epochs, which count the "
                                          r"parent's, must be at least 2, not 1$"):
        resume_from(parent64, 9, load_sample().limited(300, 100), epochs=1)


# -- version 1 ------------------------------------------------------------------------------------------------

def test_a_fork_of_a_version_1_session_runs_and_says_its_velocity_starts_at_zero(tmp_path, capsys):
    child = tmp_path / "child.h5"
    assert train("--from", str(V1), "--at-step", "1", "--out", str(child), "--json") == 0
    captured = capsys.readouterr()
    said = ("cnnviz: Its session format version 1 records no optimizer velocity: the momentum's velocity starts at "
            "zero (and the dropout masks differ from the parent's).")
    assert said in captured.err.splitlines()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["status"] == "complete" and result["steps"] == 2 and said[len("cnnviz: "):] in result["parent"]["notes"]
    with SessionReader(child) as c:
        assert c.format_version == 2 and c.parent.file == "session-v1.h5" and c.parent.step == 1
        fork = [e for e in c.events() if e.kind == "fork"]
        assert len(fork) == 1 and fork[0].step == 1 and said[len("cnnviz: "):] in fork[0].message
        assert c.metrics()["step"].tolist() == [2]
        with SessionReader(V1) as p:
            assert bitwise_equal(c.params(0), p.params(1))
            assert c.train_config == p.train_config
        velocity = c.train_state(0).velocity
        assert all(not v.any() for v in velocity.values())  # the fork point: zeros


def test_the_version_1_note_is_printed_even_when_quiet(tmp_path, capsys):
    assert train("--from", str(V1), "--epochs", "2", "--out", str(tmp_path / "c.h5"), "--quiet") == 0  # at step 2
    err = capsys.readouterr().err  # and that its data cannot be checked: it records no digest of it
    assert err.count("\n") == 2 and "velocity starts at zero" in err and "records no digest of its data" in err


# -- version 2, the kept file ---------------------------------------------------------------------------------

def test_the_kept_version_2_file_opens_replays_and_continues_exactly(tmp_path):
    with SessionReader(V2) as r:
        assert r.format_version == 2 and r.status == "complete" and r.parent is None
        assert r.snapshot_steps.tolist() == [0, 2, 4, 6, 8]
        records = list(r.records())
        assert isinstance(records[0], RunStart) and isinstance(records[-1], RunEnd)
        snaps = [x for x in records if isinstance(x, SnapshotRecord)]
        assert [s.step for s in snaps] == [0, 2, 4, 6, 8] and all(s.state is not None for s in snaps)
        assert all(len(s.state.dropout) == 2 for s in snaps)  # two worker threads
        assert not any(v.any() for v in snaps[0].state.velocity.values())
        assert all(v.any() for v in snaps[2].state.velocity.values() if v.ndim > 1)
        # 200 images in batches of 50: step 4 ends epoch 1 (all 200 used); step 6 is half-way through epoch 2.
        assert [(s.state.epoch, s.state.position) for s in snaps] == [(1, 0), (1, 100), (1, 200), (2, 100), (2, 200)]
        assert isinstance(r.network(-1).params["conv1.W"], np.ndarray)
        theirs, final = r.metrics(), r.params(-1)
    child = tmp_path / "child.h5"
    assert train("--from", str(V2), "--at-step", "4", "--out", str(child), "--quiet") == 0
    mine = losses(child)
    # Bit for bit on the machine that made it; to 1e-12 anywhere (another CPU's BLAS may round otherwise).
    np.testing.assert_allclose([mine[s] for s in range(5, 9)], theirs["loss"][4:], rtol=1e-12)
    for name, value in final_params(child).items():
        np.testing.assert_allclose(value, final[name], rtol=1e-10, atol=1e-14)


# -- refusals: one line, status 2 -----------------------------------------------------------------------------

@pytest.mark.parametrize("options, message", [
    (["--at-step", "4"], "step 4 is not a snapshot step of {parent}: the nearest snapshots are at steps 3 and 6."),
    (["--at-step", "40"], "step 40 is not a snapshot step of {parent}: the nearest snapshot is at step 18."),
    (["--conv", "4"], "a fork keeps its parent's conv (2); it cannot become 4"),
    (["--fc", "16"], "a fork keeps its parent's fc (8,10); it cannot become 16,10"),
    (["--filter-size", "5"], "a fork keeps its parent's filter size (3); it cannot become 5"),
    (["--padding", "valid"], "a fork keeps its parent's padding (same); it cannot become valid"),
    (["--pooling", "average"], "a fork keeps its parent's pooling (max); it cannot become average"),
    (["--dtype", "float32"], "a fork keeps its parent's dtype (float64); it cannot become float32"),
    (["--seed", "1"], "a fork keeps its parent's seed (0); it cannot become 1"),
    (["--preset", "fast"], ("a fork keeps its parent's preset (lecture): give the settings to change instead "
                            "(learning rate, momentum, schedule, epochs, dropout, batch size)")),
    (["--epochs", "1", "--at-step", "9"], ("the fork point (step 9) is in epoch 2: the epochs, which count the "
                                           "parent's, must be at least 2, not 1")),
    (["--lr", "-1"], "the learning rate must be positive, not -1"),
    ([], "cnnviz train: step 18 ends the 3 epochs of parent.h5: give --epochs 4 or more to go on"),  # the last snapshot
])
def test_a_refused_fork_is_one_line(parent64, tmp_path, capsys, options, message):
    out = tmp_path / "child.h5"
    assert train("--from", str(parent64), *options, "--out", str(out)) == 2
    captured = capsys.readouterr()
    line = message.format(parent=parent64)
    assert captured.err == f"{line if line.startswith('cnnviz') else 'cnnviz: ' + line}\n" and captured.out == ""
    assert not out.exists()


def test_options_equal_to_the_parents_are_not_refused(parent64, tmp_path):
    assert train("--from", str(parent64), "--conv", "2", "--fc", "8", "--dtype", "float64", "--padding", "same",
                 "--seed", "0", "--preset", "lecture", "--at-step", "15", "--out", str(tmp_path / "c.h5"),
                 "--quiet") == 0


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.h5", "{path} does not exist."),
    (lambda d: (d / "notes.h5").write_text("not hdf5") and d / "notes.h5",
     "{path} is not an HDF5 file, so not a cnnviz session."),
])
def test_an_unreadable_parent_gets_the_readers_sentence(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert train("--from", str(path), "--out", str(tmp_path / "child.h5")) == 2
    assert capsys.readouterr().err == f"cnnviz: {message.format(path=path)}\n"
    assert not (tmp_path / "child.h5").exists()


def test_at_step_without_from_is_one_line(capsys):
    assert train("--at-step", "3", "--no-session") == 2
    assert capsys.readouterr().err == "cnnviz train: --at-step needs --from SESSION (the run to continue)\n"


def test_a_session_without_snapshots_cannot_be_forked(tmp_path):
    with h5py.File(V2, "r") as f:
        assert f["params"].attrs["count"] == 5
    path = tmp_path / "empty.h5"
    path.write_bytes(V2.read_bytes())
    with h5py.File(path, "r+") as f:
        f["params"].attrs["count"] = np.int64(0)
    with SessionReader(path) as r, pytest.raises(SessionError, match=r"has no snapshot to continue from\.$"):
        r.fork_point()


def test_a_version_2_file_without_its_state_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "no-state.h5"
    path.write_bytes(V2.read_bytes())
    with h5py.File(path, "r+") as f:
        del f["state/shuffle"]
    with pytest.raises(SessionError) as refused:
        SessionReader(path)
    assert str(refused.value) == f"{path} is incomplete: it has no /state/shuffle dataset."


def test_a_damaged_generator_state_is_refused_when_a_fork_reads_it(tmp_path, capsys):
    path = tmp_path / "damaged.h5"
    path.write_bytes(V2.read_bytes())
    with h5py.File(path, "r+") as f:
        f["state/dropout"][2] = "not json"
    with SessionReader(path) as r:
        r.train_state(1)  # the others read
        with pytest.raises(SessionError, match=r"^.* is damaged: the training state of snapshot 2 cannot be read "):
            r.train_state(2)
    assert train("--from", str(path), "--at-step", "4", "--out", str(tmp_path / "child.h5")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged: the training state of snapshot 2 cannot be read" in err
