""""Continue from here" in the window: a new live run from the cursor's snapshot of the session shown (a fork), set
up in the training form in fork mode; headless, with a tiny float64 network on a slice of the bundled sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from cnnviz.config import make_config
from cnnviz.data import load_sample
from cnnviz.gui.app import MainWindow
from cnnviz.gui.main import build_parser
from cnnviz.gui.fork import WHY_FIXED
from cnnviz.gui.shown_run import NEW_RUN_TEXT
from cnnviz.session import SessionReader
from cnnviz.training import Trainer
from tests.gui.helpers import write_session

DATA = Path(__file__).parents[1] / "data"
V1, V2 = DATA / "session-v1.h5", DATA / "session-v2.h5"
TINY = ["--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
        "--batch-size", "50", "--snapshot-every", "2", "--epochs", "1"]
# 300 images in batches of 50: 6 steps an epoch; 2 epochs: 12 steps, a snapshot every 3 (0, 3, ..., 12). Momentum
# 0.9 makes the velocity matter; dropout 0.3 over 2 worker threads, the dropout generators; float64: exact.
PARENT = {"conv": (2,), "fc": (8, 10), "epochs": 2, "batch_size": 50, "snapshot_every": 3, "momentum": 0.9,
          "dropout": 0.3, "threads": 2, "dtype": "float64"}


def write_parent(path: Path):
    config = make_config("lecture", **PARENT)
    write_session(path, Trainer(config, load_sample().limited(300, 100)).run())
    return config


@pytest.fixture(scope="module")
def parent(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fork-window") / "parent.h5"
    write_parent(path)
    return path


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(*options: str) -> MainWindow:
        window = MainWindow(build_parser().parse_args([*TINY, "--out", str(tmp_path / "child.h5"), *options]))
        qtbot.addWidget(window)  # closed at the end of the test: a run still going is stopped
        window.show()
        return window

    return make


def losses(path: Path) -> dict[int, float]:
    with SessionReader(path) as r:
        m = r.metrics()
        return dict(zip(m["step"].tolist(), m["loss"].tolist()))


def bitwise_equal(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and a[k].tobytes() == b[k].tobytes() for k in a)


def fork_at(window: MainWindow, session: Path, step: int) -> None:
    """Open ``session``, put the cursor at ``step`` and choose Run > Continue from here."""
    assert window.open_session(session)
    window.model.seek(step)
    assert window.fork_action.isEnabled()
    window.fork_action.trigger()
    assert window.fork.active


def run_to_end(window: MainWindow, qtbot, paused: bool = False) -> Path:
    assert window.start_run(paused=paused)
    qtbot.waitUntil(lambda: window.state == "idle", timeout=30_000)
    assert window.model.end.status == "complete"
    return window.live.session_path


def architecture_fields(window: MainWindow) -> list:
    c = window.controls
    fields = [c.fc, c.seed, c.dtype, c.preset, c.source, c.limit_train, c.limit_test, c.add_conv]
    for row in c.conv_rows:
        fields += [row.filters, row.size, row.padding, row.pooling]
    return fields


# -- exact ----------------------------------------------------------------------------------------------------

def test_continuing_a_replay_with_nothing_changed_takes_the_parents_steps_bit_for_bit(make_window, qtbot, parent):
    w = make_window()
    fork_at(w, parent, 7)  # between the snapshots of steps 6 and 9: the one at or before the cursor
    assert w.fork.target.step == 6
    assert w.start_action.text().replace("&", "") == "Start from step 6"
    assert w.fork.banner.isVisible() and w.fork.banner.start_button.text() == "Start from step 6"
    assert w.fork.banner.title.text() == "From step 6 of parent.h5 (epoch 1)"
    with SessionReader(parent) as p:
        assert w.controls.config() == p.train_config  # the form holds the parent's settings, the data too
        at_6 = p.snapshot_record(p.snapshot_steps.tolist().index(6))
    assert w.controls.data_spec().source == "sample" and w.controls.limit_train.value() == 300
    child = run_to_end(w, qtbot)
    assert child == w.session_path and child.name == "child.h5"  # the window's path rule (here the --out)
    mine, theirs = losses(child), losses(parent)
    assert list(mine) == list(range(7, 13))
    assert all(mine[s] == theirs[s] for s in mine)  # identical floats, not merely close
    with SessionReader(child) as c, SessionReader(parent) as p:
        assert c.parent is not None and (c.parent.file, c.parent.step) == ("parent.h5", 6)
        assert c.parent.created == p.created
        assert c.train_config == p.train_config
        assert bitwise_equal(c.params(-1), p.params(-1))
        assert c.snapshot_steps.tolist() == [6, 9, 12]
    # Shown live like any run: its timeline starts at step 6, whose snapshot is the parent's.
    assert w.model.snapshots.steps[0] == 6 and bitwise_equal(w.model.snapshots[0].params, at_6.params)
    assert w.timeline.slider.minimum() == 6 and w.timeline.slider.maximum() == 12
    assert [e.step for e in w.model.events if e.kind == "fork"] == [6]
    w.timeline.timeline_actions[2].trigger()  # Home: the first step of this run
    assert w.model.step == 6 and w.model.snapshot().step == 6
    assert not w.fork.active and all(f.isEnabled() for f in architecture_fields(w))


def test_a_changed_learning_rate_holds_from_the_fork_step_on(make_window, qtbot, parent):
    w = make_window()
    fork_at(w, parent, 9)
    w.controls.lr.setValue(0.002)
    assert w.controls.is_valid()
    child = run_to_end(w, qtbot)
    mine, theirs = losses(child), losses(parent)
    assert mine[10] == theirs[10]  # measured before step 10's update, on the parameters of step 9
    assert all(mine[s] != theirs[s] for s in (11, 12))
    with SessionReader(child) as c:
        assert c.metrics()["lr"].tolist() == [0.002] * 3
        assert c.train_config.lr == 0.002 and c.train_config.momentum == 0.9  # the rest is the parent's
        assert (c.parent.file, c.parent.step) == ("parent.h5", 9)


def test_more_epochs_and_a_fork_of_a_live_run_that_ended(make_window, qtbot, monkeypatch, tmp_path):
    """A live run that has ended, whose session file exists, is continued at the cursor's snapshot; the epochs count
    the parent's, at least the epoch of the snapshot, one more where it ends its epoch."""
    w = make_window()
    assert not w.fork_action.isEnabled()  # the untrained network of the form: nothing to continue
    first = run_to_end(w, qtbot)
    assert w.fork_action.isEnabled()
    w.model.seek(6)  # the last step: it ends the only epoch
    w.fork_action.trigger()
    assert w.fork.target.path == first and w.fork.target.step == 6
    assert w.controls.epochs.minimum() == 2 and w.controls.epochs.value() == 2
    second = tmp_path / "second.h5"
    monkeypatch.setattr("cnnviz.session.default_session_path", lambda config: second)
    assert run_to_end(w, qtbot) == second
    with SessionReader(second) as c:
        assert c.metrics()["step"].tolist() == list(range(7, 13)) and c.train_config.epochs == 2
        assert c.parent.file == "child.h5" and c.parent.step == 6


# -- the form in fork mode ------------------------------------------------------------------------------------

def test_the_architecture_is_fixed_in_fork_mode_and_free_again_after_it(make_window, qtbot, parent):
    w = make_window()
    c = w.controls
    assert w.open_session(parent)
    before = c.config()  # the settings of the session shown (the form shows them)
    fork_at(w, parent, 6)
    assert all(not f.isEnabled() for f in architecture_fields(w))
    assert all(f.isEnabled() for f in (c.lr, c.momentum, c.schedule, c.epochs, c.dropout, c.batch_size))
    assert c.arch_note.isVisible() and c.arch_note.text() == WHY_FIXED
    assert c.arch_note.text().startswith("The architecture of the parent run")
    assert c.fork_mode and c.epochs.minimum() == 2 and w.start_action.isEnabled()  # step 6 ends epoch 1
    w.fork.banner.cancel_button.click()  # Cancel: the form as it was
    assert not w.fork.active and not c.fork_mode and not w.fork.banner.isVisible()
    assert all(f.isEnabled() for f in architecture_fields(w)) and not c.arch_note.isVisible()
    assert c.config() == before and w.start_action.text() == NEW_RUN_TEXT
    w.fork_action.trigger()
    assert w.fork.active and not c.fc.isEnabled()
    w.new_action.trigger()  # File > New run leaves fork mode too
    assert not w.fork.active and c.fc.isEnabled() and c.config() == before
    fork_at(w, parent, 6)  # the form's untrained network shown now: the parent again
    assert w.open_example()  # another session shown: its parent is no longer in sight
    assert not w.fork.active and c.fc.isEnabled()


def test_a_version_1_parent_says_its_velocity_starts_at_zero(make_window, qtbot):
    said = ("Its session format version 1 records no optimizer velocity: the momentum's velocity starts at zero (and "
            "the dropout masks differ from the parent's).")
    w = make_window()
    fork_at(w, V1, 1)
    assert w.fork.banner.note.isVisible() and w.fork.banner.note.text() == said
    assert w.start_run()
    assert said in w.statusBar().currentMessage()  # said once more as the run starts
    qtbot.waitUntil(lambda: w.state == "idle", timeout=30_000)
    with SessionReader(w.live.session_path) as c:
        assert c.metrics()["step"].tolist() == [2] and (c.parent.file, c.parent.step) == ("session-v1.h5", 1)
        assert all(not v.any() for v in c.train_state(0).velocity.values())
        fork, = [e for e in c.events() if e.kind == "fork"]
        assert said in fork.message


# -- refusals: one sentence, nothing started ----------------------------------------------------------------------

def test_a_parent_gone_when_start_is_pressed_is_one_sentence_in_the_form(make_window, tmp_path, parent):
    copy = tmp_path / "parent-copy.h5"
    shutil.copy(parent, copy)
    w = make_window()
    fork_at(w, copy, 6)
    copy.unlink()  # the replay keeps what it read
    assert not w.start_run()
    assert w.state == "idle" and w.fork.active
    banner = w.fork.banner
    assert banner.error.isVisible() and banner.error.text() == f"{copy} does not exist."
    assert w.last_message == f"{copy} does not exist."
    assert not (tmp_path / "child.h5").exists()


def test_an_unreadable_parent_is_one_sentence(make_window, tmp_path, parent):
    copy = tmp_path / "parent-copy.h5"
    shutil.copy(parent, copy)
    w = make_window()
    assert w.open_session(copy)
    copy.unlink()
    copy.write_text("not hdf5")  # the replay still reads the file it opened
    w.model.seek(6)
    w.fork_action.trigger()
    assert not w.fork.active and w.controls.fc.isEnabled()
    assert w.last_message == f"{copy} is not an HDF5 file, so not a cnnviz session."


def test_a_refused_change_is_one_sentence_in_the_form(make_window, parent):
    w = make_window()
    fork_at(w, parent, 6)
    w.controls.seed.setEnabled(True)  # not possible from the form: fork_config's refusal still reaches it
    w.controls.seed.setValue(5)
    assert not w.start_run()
    assert w.fork.banner.error.text() == "A fork keeps its parent's seed (0); it cannot become 5."


def test_missing_parent_data_is_one_sentence_and_start_stays_off(make_window, tmp_path):
    path, gone = tmp_path / "elsewhere.h5", tmp_path / "gone"
    shutil.copy(V2, path)
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["config"])
        config["data"].update(source=str(gone), path=str(gone))
        f.attrs["config"] = json.dumps(config)
    w = make_window()
    fork_at(w, path, 4)
    said = f"The parent run's data cannot be found, so it cannot be continued here: {gone} is not a directory."
    assert w.controls.errors() == {"fork": said}
    assert not w.start_action.isEnabled() and not w.fork.banner.start_button.isEnabled()
    assert said in w.controls.summary.text()
    assert not w.start_run() and w.state == "idle"
    assert not (tmp_path / "child.h5").exists()
