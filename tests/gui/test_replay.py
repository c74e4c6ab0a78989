"""Replay: one timeline that moves every view. Sessions opened every way the window offers (and refused with
one sentence), the cursor moving filters, feature maps and predictions to exactly one snapshot, a live run
scrubbed while it trains, a session followed while another process writes it, killed and version-1 files,
and the test images at hand or not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog

from cnnviz.config import make_config
from cnnviz.core import Network
from cnnviz.data import example_session_path, load_mnist_dir, load_sample, to_input
from cnnviz.gui import main as main_module
from cnnviz.gui.app import MainWindow
from cnnviz.gui.main import build_parser
from cnnviz.records import EvalRecord
from cnnviz.session import SessionError, SessionReader, SessionWriter
from cnnviz.training import Trainer
from tests.test_data import write_idx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = example_session_path()
V1 = ROOT / "tests" / "data" / "session-v1.h5"
V2 = ROOT / "tests" / "data" / "session-v2.h5"
TINY = ["--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
        "--batch-size", "50", "--snapshot-every", "2"]


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(*options: str, epochs: int = 1, data: str | None = "sample") -> MainWindow:
        args = build_parser().parse_args([*TINY, *(["--data", data] if data else []), "--epochs", str(epochs),
                                          "--out", str(tmp_path / "run.h5"), *options])
        window = MainWindow(args)
        qtbot.addWidget(window)  # closed at the end of the test: a run still going is stopped
        window.show()
        return window

    return make


# -- helpers ------------------------------------------------------------------------------------------------------

def curve_steps(window) -> np.ndarray | None:
    x, _ = window.views["loss"].loss_curve.getOriginalDataset()
    return None if x is None else np.asarray(x)


def assert_shows(qtbot, window, path: Path, *, just_opened: bool = True) -> None:
    """The window shows the session at ``path``: the loss curve has exactly its steps; title and status bar
    name the file. The status bar's note of the opening lasts 8 s: it is checked first, and only ``just_opened``
    (a caller that waited since, checks it when it opened)."""
    if just_opened:
        assert path.name in window.statusBar().currentMessage()
    with SessionReader(path) as r:
        steps = r.metrics()["step"]
    assert len(steps) > 0
    qtbot.waitUntil(lambda: (x := curve_steps(window)) is not None and np.array_equal(x, steps), timeout=5000)
    assert window.model.n_steps == len(steps)
    assert Path(window.replay.path).resolve() == path.resolve()
    assert window.windowTitle() == f"{path.name} — cnnviz"
    assert window.session_label.text() == f"session: {path.name}"


def tiles(image: np.ndarray, layout) -> np.ndarray:
    """The tiles of a mosaic image, row by row: (n, h, w)."""
    h, w, s = layout.h, layout.w, layout.sep
    assert image.shape == (layout.rows * (h + s) - s, layout.cols * (w + s) - s)
    padded = np.pad(image, ((0, s), (0, s)), constant_values=np.nan)
    grid = padded.reshape(layout.rows, h + s, layout.cols, w + s)[:, :h, :, :w]
    return grid.transpose(0, 2, 1, 3).reshape(-1, h, w)[:layout.n]


def filters_drawn(view) -> np.ndarray:
    """The filters the view draws showing the weights (it first shows their change), as (K, C, m, m), from its
    mosaic image."""
    view.show_box.setCurrentIndex(view.show_box.findData("weights"))
    t = tiles(view.box.image, view.layout_)
    K, C, m, _ = view.weights().shape
    if C == 1:
        return t[:, None]
    if K > C:  # columns k, rows c
        assert (view.layout_.rows, view.layout_.cols) == (C, K)
        return t.reshape(C, K, m, m).transpose(1, 0, 2, 3)
    assert (view.layout_.rows, view.layout_.cols) == (K, C)
    return t.reshape(K, C, m, m)


def forward(reader: SessionReader, params: dict, image: np.ndarray):
    """An independent forward pass of one test image with ``params``."""
    cfg = reader.train_config
    net = Network(cfg.network, seed=cfg.seed, dtype=np.dtype(cfg.dtype))
    net.set_params(params)
    return net.forward(to_input(image[None], net.dtype))


def captions(view) -> list[str]:
    return [c.textItem.toPlainText() for c in view.captions[:len(view.shown())]]


def tiny_config(**overrides):
    values = dict(conv=(2,), fc=(8, 10), epochs=2, batch_size=50, snapshot_every=1, eval_every=3, threads=1)
    values.update(overrides)
    return make_config("lecture", **values)


# -- 1. opening a session, every way -----------------------------------------------------------------------------

def open_by_method(window, path, monkeypatch):
    assert window.open_session(path)
    return window


def open_by_dialog(window, path, monkeypatch):
    asked = []

    def answer(*args, **kwargs):
        asked.append(args)
        return str(path), "cnnviz sessions (*.h5)"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    assert window.open_action.shortcut() == QKeySequence("Ctrl+O")
    window.open_action.trigger()
    assert asked, "the dialog was not asked"
    return window


def open_by_recent(window, path, monkeypatch):
    assert window.open_session(path)
    assert window.open_session(V1)  # another session shown meanwhile
    assert window.replay.path == V1
    window.recent_menu.aboutToShow.emit()  # as when the menu opens
    actions = {a.toolTip(): a for a in window.recent_menu.actions()}
    assert list(actions) == [str(V1.resolve()), str(path.resolve())]  # newest first
    assert path.name in actions[str(path.resolve())].text()
    actions[str(path.resolve())].trigger()
    return window


def open_by_drop(window, path, monkeypatch):
    def mime(p: Path) -> QMimeData:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(p))])
        return data

    centre = window.rect().center()
    not_a_session = mime(path.with_suffix(".txt"))
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, not_a_session, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()  # only .h5 files are taken
    data = mime(path)
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    drop.ignore()
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    return window


def open_by_example(window, path, monkeypatch):
    assert path == EXAMPLE
    window.example_action.trigger()
    return window


def open_by_command_line(window, path, monkeypatch):
    window.close()  # the window made by main() is used instead
    before = set(QApplication.topLevelWidgets())
    made = []

    def exec_(*_):  # instead of the event loop: keep the window main() shows, and return
        made.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before)
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert main_module.main([str(path)]) == 0
    assert len(made) == 1 and made[0].isVisible()
    return made[0]


@pytest.mark.parametrize("way", [open_by_method, open_by_dialog, open_by_recent, open_by_drop, open_by_example,
                                 open_by_command_line], ids=lambda f: f.__name__.removeprefix("open_by_"))
def test_opening_a_session_shows_its_run(make_window, qtbot, monkeypatch, way):
    window = make_window()
    assert window.windowTitle() == "cnnviz: watch a CNN learn"
    shown = way(window, EXAMPLE, monkeypatch)
    if shown is not window:
        qtbot.addWidget(shown)
    assert_shows(qtbot, shown, EXAMPLE)
    model = shown.model
    assert model.end is not None and model.end.status == "complete"
    assert model.following and model.step == model.last_step == 120  # a finished run opens at its end
    assert not shown.replay.following_file and shown.replay.note == ""
    assert shown.run_label.text().startswith("replay: complete")
    assert shown.message_box is None


# -- 2. the cursor moves every view to exactly one snapshot ------------------------------------------------------

def check_position(window, reader: SessionReader, i: int, image: int) -> None:
    """Every view shows snapshot ``i``, and the evaluation at or before it."""
    model = window.model
    filters, maps, predictions = (window.views[k] for k in ("filters", "feature_maps", "predictions"))
    assert model.snapshot_index == i
    params = reader.params(i)
    trace = forward(reader, params, model.image(image))
    for layer, stage in ((0, "u"), (1, "p")):
        model.select(layer=layer, stage=stage)
        np.testing.assert_array_equal(filters_drawn(filters), params[f"conv{layer + 1}.W"])
        assert f"step {reader.snapshot_steps[i]}" in filters.info.text()
        drawn = tiles(maps.box.image, maps.layout_)
        np.testing.assert_array_equal(drawn, getattr(trace.conv[layer], stage)[0])
    j = np.searchsorted(reader.evals()["step"], model.step, side="right") - 1
    if j < 0:
        assert predictions.evaluation() is None
        assert captions(predictions) == [f"#{n + 1}" for n in predictions.shown()]  # test images from 1
    else:
        ev = reader.eval_record(int(j))
        assert predictions.evaluation().step == ev.step <= model.step
        assert captions(predictions) == [f"{ev.predicted[n]} {100 * ev.confidence[n]:.0f}%"
                                         for n in predictions.shown()]


def test_the_cursor_shows_exactly_one_snapshot_in_every_view(make_window, qtbot):
    window = make_window()
    assert window.open_example()
    model = window.model
    with SessionReader(EXAMPLE) as reader:
        steps = reader.snapshot_steps.tolist()
        image = int(reader.start_record().probe_indices[2])
        model.select(image=image)
        right = window.timeline.timeline_actions[1]
        assert right.shortcut() == QKeySequence(Qt.Key.Key_Right)
        model.seek(0)
        assert not model.following
        check_position(window, reader, 0, image)
        for i in range(1, len(steps)):  # Right: the next snapshot
            right.trigger()
            assert model.step == steps[i]
            check_position(window, reader, i, image)
        for i in (3, 5, 0):  # between two snapshots: the one at or before the cursor
            model.seek(steps[i] + 2)
            assert model.step == steps[i] + 2
            check_position(window, reader, i, image)
        window.timeline.timeline_actions[0].trigger()  # Left from between snapshots: back to snapshot 0's step
        assert model.step == steps[0]


# -- 3. a live run scrubbed while it trains -------------------------------------------------------------------------

def test_seeking_back_in_a_live_run_holds_the_snapshot_until_follow(make_window, qtbot):
    window = make_window(epochs=1000)
    model, filters = window.model, window.views["filters"]
    tiny, data = window.controls.config(), window.controls.data_spec()
    assert window.open_example()  # a replay first: starting a run lets it go, and nothing reads its file again
    window.controls.set_config(tiny, data)  # the form showed the example's run (the lecture's network): a tiny one
    assert window.start_run()
    assert window.replay.path is None and model.start is None and model.n_steps == 0 and len(model.snapshots) == 0
    assert window.windowTitle() == "run.h5 — cnnviz"
    qtbot.waitUntil(lambda: len(model.snapshots) >= 4, timeout=20_000)
    early = model.snapshots[1]
    model.seek(early.step)
    assert not model.following and model.snapshot_index == 1
    assert not window.timeline.follow_button.isChecked() and window.timeline.follow_button.isEnabled()
    n, last = model.n_steps, model.last_step
    qtbot.waitUntil(lambda: model.n_steps > n + 10 and len(model.snapshots) > 6, timeout=20_000)
    assert model.last_step > last and model.step == early.step and not model.following
    assert model.snapshot_index == 1 and model.snapshot() is early
    np.testing.assert_array_equal(filters_drawn(filters), early.params["conv1.W"])
    assert window.timeline.slider.value() == early.step and window.timeline.slider.maximum() >= model.n_steps

    window.timeline.follow_button.click()
    assert model.following and model.step == model.last_step > early.step
    newer = model.snapshot()
    assert newer.step > early.step
    np.testing.assert_array_equal(filters_drawn(filters), newer.params["conv1.W"])
    assert not np.array_equal(newer.params["conv1.W"], early.params["conv1.W"])
    step = model.step
    # and keeps following (each view redraws on a turn of its own while the run grows)
    qtbot.waitUntil(lambda: model.step > step and not model.redraws.waiting, timeout=10_000)
    np.testing.assert_array_equal(filters_drawn(filters), model.snapshot().params["conv1.W"])
    window.stop_run()
    qtbot.waitUntil(lambda: window.state == "idle", timeout=20_000)
    assert model.end.status == "stopped"


# -- 4. a session growing in another process -----------------------------------------------------------------------

def test_a_session_written_by_another_process_is_followed_to_its_end(make_window, qtbot, tmp_path):
    window = make_window()
    path = tmp_path / "growing.h5"
    log_path = tmp_path / "train.log"
    cmd = [sys.executable, "-m", "cnnviz", "train", "--data", "sample", *TINY, "--epochs", "40", "--out", str(path),
           "--quiet"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        qtbot.waitUntil(lambda: path.exists() or proc.poll() is not None, timeout=30_000)
        assert path.exists(), log_path.read_text()
        # Open it once the writer has it open and has written to it: a reader that opens the file between its
        # publication and the writer's reopening takes HDF5's file lock and makes the writer fail.
        published = path.stat().st_mtime_ns
        qtbot.waitUntil(lambda: path.stat().st_mtime_ns != published or proc.poll() is not None, timeout=30_000)
        assert window.open_session(path), window.last_message
        assert path.name in window.statusBar().currentMessage()
        assert proc.poll() is None, "the run ended before it could be followed"
        assert window.replay.following_file and "being written" in window.run_label.text()
        model = window.model
        at_open = model.n_steps
        assert model.end is None and model.following
        qtbot.waitUntil(lambda: model.n_steps > at_open, timeout=30_000)
        assert proc.wait(timeout=60) == 0, log_path.read_text()
        qtbot.waitUntil(lambda: model.end is not None and not model.redraws.waiting, timeout=10_000)
        assert model.end.status == "complete" and not window.replay.following_file
        with SessionReader(path) as r:
            assert r.status == "complete" and r.n_steps == 240
            np.testing.assert_array_equal(model.metric("step"), r.metrics()["step"])
            np.testing.assert_array_equal(model.metric("loss"), r.metrics()["loss"])
            assert model.snapshots.steps == r.snapshot_steps.tolist()
            assert model.evals.steps == r.evals()["step"].tolist()
            assert model.following and model.step == model.last_step == 240
            np.testing.assert_array_equal(filters_drawn(window.views["filters"]), r.params(-1)["conv1.W"])
        assert_shows(qtbot, window, path, just_opened=False)
        assert window.message_box is None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


# -- 5. killed and version-1 sessions ----------------------------------------------------------------------------

def test_the_version_1_session_opens_and_replays(make_window, qtbot):
    window = make_window()
    assert window.open_session(V1)
    assert_shows(qtbot, window, V1)
    model = window.model
    with SessionReader(V1) as r:
        assert r.format_version == 1
        image = int(r.start_record().probe_indices[0])
        model.select(image=image)
        for i in (0, 2, 1):
            model.seek(int(r.snapshot_steps[i]))
            assert model.snapshot_index == i
            np.testing.assert_array_equal(filters_drawn(window.views["filters"]), r.params(i)["conv1.W"])
            trace = forward(r, r.params(i), model.image(image))
            np.testing.assert_array_equal(tiles(window.views["feature_maps"].box.image,
                                                window.views["feature_maps"].layout_), trace.conv[0].u[0])
        model.seek(int(r.evals()["step"][0]))
        assert window.views["predictions"].evaluation().step == r.eval_record(0).step


def test_the_version_2_session_opens_and_replays(make_window, qtbot):
    window = make_window()
    assert window.open_session(V2)
    assert_shows(qtbot, window, V2)
    model = window.model
    with SessionReader(V2) as r:
        assert r.format_version == 2
        image = int(r.start_record().probe_indices[0])
        model.select(image=image)
        for i in (0, 4, 2):
            model.seek(int(r.snapshot_steps[i]))
            assert model.snapshot_index == i
            drawn = filters_drawn(window.views["filters"])  # float32 images of the float64 run's arrays
            np.testing.assert_array_equal(drawn, r.params(i)["conv1.W"].astype(drawn.dtype))
            trace = forward(r, r.params(i), model.image(image))
            maps = tiles(window.views["feature_maps"].box.image, window.views["feature_maps"].layout_)
            np.testing.assert_array_equal(maps, trace.conv[0].u[0].astype(maps.dtype))


def test_a_forked_session_replays_from_its_fork_step(make_window, qtbot, tmp_path):
    """A fork holds its own steps only: its first snapshot is the parent's at the fork step."""
    from cnnviz.cli import main

    child = tmp_path / "child.h5"
    assert main(["train", "--from", str(V2), "--at-step", "4", "--out", str(child), "--quiet"]) == 0
    window = make_window()
    assert window.open_session(child)
    assert_shows(qtbot, window, child)
    model = window.model
    with SessionReader(child) as r, SessionReader(V2) as parent:
        assert r.snapshot_steps.tolist() == [4, 6, 8] and r.metrics()["step"].tolist() == [5, 6, 7, 8]
        for i, step in enumerate(r.snapshot_steps.tolist()):
            model.seek(step)
            assert model.snapshot_index == i
            drawn = filters_drawn(window.views["filters"])
            np.testing.assert_array_equal(drawn, r.params(i)["conv1.W"].astype(drawn.dtype))
        np.testing.assert_array_equal(r.params(0)["conv1.W"], parent.params(2)["conv1.W"])


def killed_session(tmp_path: Path) -> Path:
    """A session as a SIGKILL leaves it after its first evaluation (step 3, with a snapshot at every step):
    copied while its writer is open."""
    data = load_sample().limited(300, 100)
    live, killed = tmp_path / "live.h5", tmp_path / "killed.h5"
    writer = SessionWriter(live)
    try:
        for record in Trainer(tiny_config(), data).run():
            writer.write(record)
            if isinstance(record, EvalRecord):
                shutil.copyfile(live, killed)
                break
    finally:
        writer.close()
    return killed


def test_a_session_whose_writer_was_killed_opens_with_its_committed_rows(make_window, qtbot, tmp_path):
    path = killed_session(tmp_path)
    window = make_window()
    assert window.open_session(path)
    assert_shows(qtbot, window, path)
    model = window.model
    with SessionReader(path) as r:
        assert r.status == "running" and r.n_snapshots == 4
        assert model.snapshots.steps == r.snapshot_steps.tolist() == [0, 1, 2, 3]
        assert model.n_steps == r.n_steps == 3
        assert model.evals.steps == r.evals()["step"].tolist() == [3]
        model.seek(1)
        np.testing.assert_array_equal(filters_drawn(window.views["filters"]), r.params(1)["conv1.W"])
    # no writer holds it: it is not followed, and it ended as interrupted
    assert not window.replay.following_file
    assert model.end.status == "failed" and "interrupted" in model.end.message
    assert window.run_label.text().startswith("replay: interrupted (its writer was killed), 3 steps")


# -- 6. unreadable files change nothing -----------------------------------------------------------------------------

def bad_files(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "notes.h5"
    text.write_text("these are my notes, not a session\n")
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.h5"
    raw = EXAMPLE.read_bytes()
    truncated.write_bytes(raw[:len(raw) // 2])
    folder = tmp_path / "folder.h5"
    folder.mkdir()
    return {"not HDF5": text, "empty": empty, "truncated": truncated, "a directory": folder}


def test_an_unreadable_file_is_refused_with_one_sentence_and_changes_nothing(make_window, qtbot, tmp_path, capsys):
    window = make_window()
    assert window.open_example()
    model = window.model
    model.seek(37)
    before = (model.step, model.snapshot_index, model.eval_index, model.n_steps, model.source,
              window.windowTitle(), window.session_label.text(), window.run_label.text())
    for name, path in bad_files(tmp_path).items():
        with pytest.raises(SessionError) as refused:
            SessionReader(path)
        sentence = str(refused.value)
        assert "\n" not in sentence and sentence.endswith("."), name
        assert not window.open_session(path), name
        box = window.message_box
        assert box is not None and box.isVisible() and box.text() == sentence, name
        after = (model.step, model.snapshot_index, model.eval_index, model.n_steps, model.source,
                 window.windowTitle(), window.session_label.text(), window.run_label.text())
        assert after == before, name
        assert window.replay.path == EXAMPLE and window.replay.reader is not None
        np.testing.assert_array_equal(curve_steps(window), np.arange(1, 121))
        model.seek(42)  # the session shown still replays: the snapshot of step 40
        assert model.snapshot_index == 2
        model.seek(37)
        assert main_module.main([str(path)]) == 2, name  # the command line refuses it before the window opens
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and sentence in err and "Traceback" not in err, name


# -- 7. the test images at hand, or only the probe images ---------------------------------------------------------

def test_without_its_data_folder_a_session_offers_its_probe_images(make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no MNIST in the user cache either
    sample = load_sample()
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name, array in (("train-images-idx3-ubyte", sample.train_images), ("train-labels-idx1-ubyte",
                        sample.train_labels), ("t10k-images-idx3-ubyte", sample.test_images),
                        ("t10k-labels-idx1-ubyte", sample.test_labels)):
        write_idx(folder / name, array)
    path = tmp_path / "from-a-folder.h5"
    with SessionWriter(path) as writer:
        for record in Trainer(tiny_config(epochs=1), load_mnist_dir(folder).limited(300, 100)).run():
            writer.write(record)
    moved = folder.rename(tmp_path / "moved")
    with SessionReader(path) as r:
        assert r.data_path == str(folder.resolve()) and r.n_test == 100
        probes = np.sort(r.start_record().probe_indices)

    window = make_window(data=None)
    assert window.open_session(path)
    model, note = window.model, window.replay.note
    np.testing.assert_array_equal(model.image_indices, probes)
    assert not model.has_image(int(np.setdiff1d(np.arange(100), probes)[0]))
    assert note and "\n" not in note and note.count(". ") == 0 and note.endswith(".")  # one sentence
    assert f"{len(probes)} probe images" in note and str(folder.resolve()) in note
    assert window.statusBar().currentMessage() == note
    np.testing.assert_array_equal(np.sort(window.views["predictions"].indices), probes)
    model.select(image=int(probes[-1]))
    np.testing.assert_array_equal(model.image(int(probes[-1])), sample.test_images[probes[-1]])

    window = make_window(data=str(moved))  # the same test set, elsewhere
    assert window.open_session(path)
    assert window.replay.note == ""
    np.testing.assert_array_equal(window.model.image_indices, np.arange(100))
    assert window.model.has_image(99) and not window.model.has_image(100)
    np.testing.assert_array_equal(window.model.image(57), sample.test_images[57])
