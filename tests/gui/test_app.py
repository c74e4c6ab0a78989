"""The main window, headless: a tiny network on a slice of the bundled sample, trained by the real worker."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMessageBox

from cnnviz.core import Network
from cnnviz.gui import app as app_module
from cnnviz.gui import textsize
from cnnviz.gui import layouts, statusbar, workspace
from cnnviz.gui.app import MainWindow
from cnnviz.gui.main import build_parser, main
from cnnviz.gui.dialogs import ExportDialog
from cnnviz.gui.live import PREVIEW_SOURCE
from cnnviz.records import EventRecord
from cnnviz.session import SessionReader
from cnnviz.training import CHANCE as STALL_CHANCE
from tests.gui.helpers import fill_the_disk_after

TINY = ["--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
        "--batch-size", "50", "--snapshot-every", "2"]
VIEWS = ("controls", "loss", "filters", "feature_maps", "pooling", "predictions")


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(*options: str, epochs: int = 1) -> MainWindow:
        args = build_parser().parse_args([*TINY, "--epochs", str(epochs), "--out", str(tmp_path / "run.h5"),
                                          *options])
        window = MainWindow(args)
        qtbot.addWidget(window)  # closed at the end of the test: a run still going is stopped
        window.show()
        return window

    return make


def events(window, kind: str) -> list[EventRecord]:
    return [e for e in window.model.events if e.kind == kind]


def read_session(window):
    with SessionReader(window.session_path) as r:
        return r.status, r.metrics(), r.events()


def test_the_window_has_its_views_menus_and_shortcuts(make_window):
    w = make_window()
    assert set(VIEWS) <= set(w.docks)
    shown = set()  # every view is shown in a workspace, or a tab behind another view there
    for key in layouts.TASK_KEYS[:-1]:  # Compare: while runs are compared
        w.show_task(key)
        shown |= {k for k in w.docks if not w.docks[k].isHidden()}
    assert shown == set(w.docks)
    w.show_task("train")
    menus = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert menus == ["File", "Run", "Timeline", "View", "Help"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in
                 (w.start_action, w.pause_action, w.step_action, w.stop_action, w.new_action, w.export_action,
                  w.quit_action, w.about_action)}
    assert all(shortcuts.values()), shortcuts
    assert w.start_action.isEnabled() and not w.pause_action.isEnabled() and not w.stop_action.isEnabled()
    assert "MNIST" in w.about_text() and "Creative Commons Attribution-Share Alike 3.0" in w.about_text()
    assert "3.2" in w.about_text() and "im2col" in w.about_text()
    assert w.controls.config().network.conv[0].filters == 2  # the command line's options fill the form


def test_a_run_feeds_every_view_and_the_session(make_window, qtbot):
    w = make_window()
    w.start_action.trigger()
    assert w.state == "running" and not w.start_action.isEnabled() and w.stop_action.isEnabled()
    assert not w.controls.fc.isEnabled() and w.controls.lr.isEnabled()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)  # records reach the model on the GUI thread
    qtbot.waitUntil(lambda: w.state == "idle" and not w.model.redraws.waiting, timeout=20_000)
    loss = w.views["loss"]
    x, y = loss.loss_curve.getOriginalDataset()
    assert list(x) == [1, 2, 3, 4, 5, 6] and np.isfinite(y).all()
    filters = w.views["filters"]
    assert filters.weights(0).shape == (2, 1, 3, 3)
    assert (filters.layout_.n, filters.layout_.h, filters.layout_.w) == (2, 3, 3)
    maps = w.views["feature_maps"]
    assert maps.maps().shape == (2, 28, 28) and maps.box.image is not None
    predictions = w.views["predictions"]
    assert predictions.evaluation() is not None and predictions.evaluation().step == 6
    assert len(predictions.shown()) > 0
    assert w.progress.value() == 6 and "step 6/6" in w.run_label.text()
    assert w.controls.fc.isEnabled()
    status, metrics, _ = read_session(w)
    assert status == "complete" and list(metrics["step"]) == [1, 2, 3, 4, 5, 6]


def test_pause_resume_and_stop(make_window, qtbot):
    w = make_window(epochs=1000)
    w.start_run()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)
    w.toggle_pause()
    assert w.state == "paused" and w.pause_action.text().replace("&", "") == "Resume"
    qtbot.waitUntil(lambda: bool(events(w, "paused")), timeout=5000)
    n = w.model.n_steps
    qtbot.wait(300)
    assert w.model.n_steps == n
    w.single_step()
    qtbot.waitUntil(lambda: w.model.n_steps == n + 1, timeout=5000)
    w.toggle_pause()  # resume
    assert w.state == "running"
    qtbot.waitUntil(lambda: w.model.n_steps > n + 1, timeout=5000)
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    assert w.model.end.status == "stopped"
    status, metrics, stored = read_session(w)
    assert status == "stopped" and len(metrics["step"]) == w.model.n_steps
    assert [e.kind for e in stored][:2] == ["paused", "resumed"]


def test_single_step_from_idle_starts_a_paused_run(make_window, qtbot):
    w = make_window(epochs=1000)
    w.single_step()
    qtbot.waitUntil(lambda: w.model.n_steps == 1, timeout=10_000)
    assert w.state == "paused"
    qtbot.wait(200)
    assert w.model.n_steps == 1
    qtbot.waitUntil(lambda: w.model.snapshot() is not None and w.model.snapshot().step == 1, timeout=5000)
    np.testing.assert_array_equal(w.views["filters"].weights(0), w.model.snapshot().params["conv1.W"])


def test_changing_the_learning_rate_during_a_run_is_recorded(make_window, qtbot):
    w = make_window(epochs=1000)
    w.start_run()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)
    w.controls.lr.setValue(0.02)
    qtbot.waitUntil(lambda: bool(events(w, "lr")), timeout=5000)
    w.controls.momentum.setValue(0.5)
    qtbot.waitUntil(lambda: bool(events(w, "momentum")), timeout=5000)
    qtbot.waitUntil(lambda: w.model.metric("lr")[-1] == 0.02, timeout=5000)
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    _, _, stored = read_session(w)
    assert [(e.kind, e.value) for e in stored if e.kind in ("lr", "momentum")] == [("lr", 0.02), ("momentum", 0.5)]
    assert w.views["loss"].event_count() == 2


def test_closing_during_a_run_stops_it_and_finishes_the_session(make_window, qtbot, qtlog):
    w = make_window(epochs=1000)
    w.start_run()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)
    worker = w.live.worker
    w.close()
    assert not worker.is_alive() and w.live.worker is None
    status, metrics, _ = read_session(w)
    assert status == "stopped" and len(metrics["step"]) >= 1
    with SessionReader(w.session_path) as r:
        assert r.snapshot_steps[-1] == metrics["step"][-1]  # the parameters where it stopped are kept
    warnings = [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]
    assert not warnings


def test_a_new_run_is_evaluated_early_on_the_first_test_images(make_window, qtbot, monkeypatch):
    """Predictions and a confusion matrix within seconds of Start: an evaluation of the first EARLY_EVAL test images
    at step 25 of epoch 1 (60 steps here), then the whole test set at the end of the epoch."""
    monkeypatch.setattr("cnnviz.gui.live.EARLY_EVAL", 40)
    w = make_window("--batch-size", "5")
    w.start_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=30_000)
    assert [(e.step, e.n_images) for e in (w.model.evals[j] for j in range(len(w.model.evals)))] == \
        [(25, 40), (50, 40), (60, None)]
    w.model.seek(30)
    assert "an early evaluation, of the first 40 of the 100 test images" in w.views["predictions"].summary.text()
    with SessionReader(w.session_path) as r:
        assert r.format_version == 3 and r.evals()["n_images"].tolist() == [40, 40, 100]


def test_invalid_values_block_start_with_a_message(make_window, qtbot):
    w = make_window()
    w.controls.lr.setValue(0.0)
    assert not w.start_action.isEnabled() and not w.step_action.isEnabled()
    label = w.controls.error_label("lr")
    assert label.isVisible() and "positive" in label.text()
    assert not w.start_run()
    assert w.live.worker is None and "learning rate" in w.last_message
    assert w.message_box is not None and w.message_box.isVisible()
    w.controls.lr.setValue(0.01)
    row = w.controls.conv_rows[0]
    row.padding.setCurrentText("valid")
    row.size.setValue(28)  # a 28x28 filter fits the 28x28 image, but pooling its 1x1 map leaves nothing
    assert not w.start_action.isEnabled()
    assert row.error.isVisible() and "conv1" in row.error.text() and "nothing" in row.error.text()
    row.pooling.setCurrentText("none")
    assert w.start_action.isEnabled() and not row.error.isVisible()


def diverge(w, qtbot):
    """A run that goes well for a few snapshots, then gets a learning rate that makes its loss NaN."""
    w.start_run()
    qtbot.waitUntil(lambda: len(w.model.snapshots) >= 3, timeout=10_000)
    sane_step = w.model.snapshots.steps[-1]
    w.live.worker.set_momentum(0.0)
    w.live.worker.set_lr(1e35)  # beyond the form's range: the weights blow up, then the loss is NaN
    qtbot.waitUntil(lambda: w.diverged_dialog is not None, timeout=10_000)
    return sane_step


def test_a_nan_loss_pauses_and_offers_to_roll_back_to_a_sane_snapshot(make_window, qtbot):
    w = make_window("--snapshot-every", "1", epochs=1000)
    sane_step = diverge(w, qtbot)
    dialog = w.diverged_dialog
    assert dialog.isVisible() and w.state == "paused" and "loss became nan" in dialog.text.text().lower()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    i = w.model.last_sane_snapshot()
    assert w.model.snapshots.steps[i] >= sane_step and f"step {w.model.snapshots.steps[i]}" in dialog.text.text()
    assert all(np.isfinite(p).all() for p in w.model.snapshots[i].params.values())
    back_to = w.model.snapshots.steps[i]
    incident = w.model.n_steps
    dialog.lr.setValue(0.01)
    dialog.roll_back_button.click()
    assert w.diverged_dialog is None or not w.diverged_dialog.isVisible()
    qtbot.waitUntil(lambda: w.model.n_steps >= incident + 5, timeout=10_000)  # it trains on, in the same run
    assert w.state == "running" and w.diverged_dialog is None  # the message once, for the one incident
    rollback, = events(w, "rollback")
    assert rollback.value == back_to
    assert np.isfinite(w.model.metric("loss")[incident:]).all()
    assert w.model.metric("lr")[-1] == 0.01 and w.controls.lr.value() == 0.01
    top = w.model.filter_levels(0)[1]  # the colours of the sane snapshots, not of the blown-up ones
    sane = [k for k in range(len(w.model.snapshots)) if w.model.sane(k)]
    assert top == pytest.approx(1.1 * max(float(np.abs(w.model.snapshots[k].params["conv1.W"]).max()) for k in sane))
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    status, _, stored = read_session(w)
    assert status == "stopped" and [e.kind for e in stored if e.kind in ("error", "rollback", "lr")] == \
        ["lr", "error", "rollback", "lr"]


def test_a_rollback_that_does_not_recover_says_so_and_offers_the_next_step(make_window, qtbot):
    """After a rollback the loss stays at chance (here: a dead network, every weight 0, instead of the snapshot's):
    the run pauses and the dialog says so, offering to roll back to that step again with a lower learning rate; the
    learning rate is written as typed ("0.05", not "0.050000")."""
    w = make_window("--snapshot-every", "1", "--lr", "0.1", "--momentum", "0.9", epochs=1000)
    w.start_run()
    chance = STALL_CHANCE * np.log(10)
    qtbot.waitUntil(lambda: w.model.n_steps >= 30 and w.model.metric("loss")[-1] < chance, timeout=20_000)
    i = len(w.model.snapshots) - 2  # a snapshot whose next step's loss is known: below chance
    back_to = w.model.snapshots.steps[i]
    assert w.model.metric("loss")[back_to] < chance
    dead = {name: np.zeros_like(p) for name, p in w.model.snapshots[i].params.items()}
    w.live.worker.roll_back(dead, back_to)  # as a rollback with a learning rate that kills the network would
    qtbot.waitUntil(lambda: w.diverged_dialog is not None, timeout=20_000)
    dialog = w.diverged_dialog
    assert w.state == "paused" and dialog.windowTitle() == "The rollback did not recover"
    assert dialog.text.text().startswith(f"After the rollback to step {back_to}, whose parameters had given a loss of ")
    assert f"Roll back to step {back_to} again with a lower learning rate, or stop the run." in dialog.text.text()
    assert dialog.lr.text() == "0.01" and dialog.roll_back_button.isEnabled()
    (stalled,) = events(w, "stalled")
    assert stalled.value == back_to
    incident = w.model.n_steps
    dialog.roll_back_button.click()  # the snapshot's own parameters this time: it learns again
    qtbot.waitUntil(lambda: w.model.n_steps >= incident + 5, timeout=10_000)
    assert w.state == "running" and events(w, "rollback")[-1].value == back_to
    assert w.model.metric("lr")[-1] == 0.01
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)


def test_a_nan_loss_can_stop_the_run(make_window, qtbot):
    w = make_window(epochs=1000)
    diverge(w, qtbot)
    w.diverged_dialog.stop_button.click()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    status, _, stored = read_session(w)
    assert status == "stopped" and "error" in [e.kind for e in stored]


def test_old_snapshots_of_a_live_run_are_read_back_from_its_session(make_window, qtbot):
    w = make_window("--snapshot-every", "1", epochs=1000)
    w.model.snapshot_memory = 1  # keep only the newest snapshot in memory: the others come from the file
    w.start_run()
    qtbot.waitUntil(lambda: len(w.model.snapshots) >= 5, timeout=10_000)
    # The newest snapshot's parameters only: the velocity and random states a fork needs stay in the file.
    assert w.model.snapshots.kept_bytes == sum(p.nbytes for p in w.model.snapshots[-1].params.values())
    assert w.model.snapshots[-1].state is None
    w.model.seek(0)  # snapshot 0, read back from the file the worker is writing
    config = w.controls.config()
    initial = Network(config.network, seed=config.seed).params["conv1.W"]
    np.testing.assert_array_equal(w.views["filters"].weights(0), initial)
    w.model.seek(3)
    shown = w.views["filters"].weights(0).copy()
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    # The test reads the file once the worker has closed it: a reader opened a moment before one of the worker's
    # writes can find a group's count ahead of its rows (the window retries that once; a test's reader would not).
    with SessionReader(w.session_path) as r:
        np.testing.assert_array_equal(shown, r.params(3)["conv1.W"])


@pytest.mark.parametrize("choice", ["Continue without saving", "Stop the run"])
def test_a_full_disk_pauses_the_run_and_asks_what_to_do(make_window, qtbot, monkeypatch, choice):
    calls = fill_the_disk_after(monkeypatch, 9)  # the layout, then snapshots 0 to 3 (two flushes each)
    w = make_window(epochs=3)
    w.start_run()
    qtbot.waitUntil(lambda: w.message_box is not None, timeout=10_000)
    box = w.message_box
    assert w.state == "paused" and box.windowTitle() == "The session cannot be saved" and any(calls)
    assert box.text().startswith(f"No space left on device while writing the session file {w.session_path}.")
    assert f"The session {w.session_path} holds steps 1.." in box.text()
    saved = w.session_path.read_bytes()
    next(b for b in box.buttons() if b.text() == choice).click()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    monkeypatch.undo()
    assert w.model.end.status == ("complete" if choice.startswith("Continue") else "stopped")
    if choice.startswith("Continue"):
        assert w.model.n_steps == w.model.start.total_steps == 18
    assert w.session_path.read_bytes() == saved  # nothing more was written; what it holds opens
    with SessionReader(w.session_path) as r:
        assert r.status == "running" and r.n_snapshots == 4


def test_an_existing_out_file_is_refused_and_kept(make_window, tmp_path, qtbot):
    taken = tmp_path / "run.h5"  # the --out of make_window
    taken.write_bytes(b"the user's own file")
    w = make_window()
    assert not w.start_run()
    assert w.state == "idle" and w.live.worker is None
    assert w.last_message == f"{taken} exists; a session never overwrites a file: choose another --out."
    assert taken.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.h5"]


def test_export_and_layout_memory(make_window, tmp_path, qtbot):
    w = make_window()
    path = w.export_view(tmp_path / "loss.png", "loss")
    assert path.stat().st_size > 1000
    assert w.export_window(tmp_path / "window.png").stat().st_size > 1000
    w.show_task("inside")  # the workspace of the pooling view
    w.docks["pooling"].hide()
    w.close()
    again = make_window()
    assert again.layout_.current == "inside"  # remembered, with its arrangement
    assert not again.docks["pooling"].isVisible()  # remembered
    again.reset_layout()
    assert again.docks["pooling"].isVisible()


def test_command_line_mistakes_exit_with_status_2(capsys):
    assert main(["--lr", "-1"]) == 2
    assert "learning rate" in capsys.readouterr().err
    assert main(["--no-such-option"]) == 2


# -- what a new user meets ---------------------------------------------------------------------------------------

def test_the_first_launch_shows_the_untrained_network_and_says_what_to_do(make_window, qtbot):
    w = make_window()
    m, config = w.model, w.controls.config()
    assert w.showing_preview and m.source == PREVIEW_SOURCE and m.start.config == config
    assert m.step == 0 and len(m.snapshots) == 1 and m.snapshots.steps == [0]
    initial = Network(config.network, seed=config.seed)
    for name, p in initial.params.items():  # the weights a run of the form starts from
        np.testing.assert_array_equal(m.snapshot().params[name], p)
    np.testing.assert_array_equal(w.views["filters"].weights(0), initial.params["conv1.W"])
    assert w.views["feature_maps"].maps().shape == (2, 28, 28)
    assert not w.hint_bar.isHidden() and "Start" in w.hint.text() and "Open example session" in w.hint.text()
    assert "F5" in w.hint.text() and "Ctrl+Shift+O" in w.hint.text()
    assert not w.timeline.isEnabled() and "not trained" in w.timeline.label.text()
    w.hint.linkActivated.emit("example")  # the hint's link opens the example session
    assert w.replay.path is not None and not w.showing_preview and w.hint_bar.isHidden()
    w.controls.seed.setValue(5)  # a session is shown: editing the form does not replace it
    qtbot.wait(workspace.PREVIEW_DELAY_MS + 200)
    assert w.replay.path is not None and not w.showing_preview


def test_the_preview_follows_the_form_and_gives_way_to_the_run(make_window, qtbot):
    w = make_window("--epochs", "1000")
    first = w.model.snapshot().params["conv1.W"].copy()
    w.controls.seed.setValue(3)
    w.controls.conv_rows[0].filters.setValue(4)
    assert w.model.start.config.seed == 0  # debounced: not at once
    qtbot.waitUntil(lambda: w.model.start.config.network.conv[0].filters == 4, timeout=3000)
    config = w.controls.config()
    assert config.seed == 3 and w.showing_preview
    preview = w.model.snapshot().params["conv1.W"].copy()
    assert preview.shape == (4, 1, 3, 3) and not np.array_equal(preview[:2], first)
    np.testing.assert_array_equal(preview, Network(config.network, seed=3).params["conv1.W"])
    w.controls.lr.setValue(0.0)  # a form with a problem leaves the last preview
    qtbot.wait(workspace.PREVIEW_DELAY_MS + 200)
    assert w.model.start.config.network.conv[0].filters == 4
    w.controls.lr.setValue(0.01)
    w.start_run()
    assert w.hint_bar.isHidden()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)
    assert not w.showing_preview and w.model.source != PREVIEW_SOURCE
    np.testing.assert_array_equal(w.model.snapshots[0].params["conv1.W"], preview)  # the run starts from it
    w.new_run()  # stop; the views show the form's network again
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    assert w.showing_preview and w.model.n_steps == 0


def test_layouts_fit_small_and_large_screens(make_window, qtbot):
    w = make_window()
    for width, height in ((1024, 700), (1600, 1000)):
        w.resize(width, height)
        qtbot.waitUntil(lambda width=width: w.width() == width, timeout=2000)
        w.reset_layout()
        qtbot.waitUntil(lambda: w.docks["controls"].width() <= layouts.FORM_WIDTH[1], timeout=2000)  # the plan's sizes
        assert w.minimumSizeHint().width() <= width and w.minimumSizeHint().height() <= height
        form = w.docks["controls"].width()
        assert form >= 240, form  # usable, not the 85 pixels of the old layout
        views = [d for k, d in w.docks.items() if k != "controls" and d.isVisible()]
        assert max(d.geometry().right() for d in views) >= width - 10  # the views take the rest of the width
        assert form <= layouts.FORM_WIDTH[1]
    w.resize(1900, 1000)  # a larger window gives its width to the views, not to the form
    qtbot.waitUntil(lambda: w.width() == 1900, timeout=2000)
    qtbot.wait(50)
    assert w.docks["controls"].width() <= layouts.FORM_WIDTH[1] + 60


def test_a_long_message_is_elided_beside_the_status_fields(make_window):
    w = make_window()
    w.statusBar().showMessage("a message long enough to run into the fields of the status bar " * 8)
    note = w.statusBar().note
    assert note.text().startswith("a message long") and note.elided().endswith("…")
    assert note.fontMetrics().horizontalAdvance(note.elided()) <= note.contentsRect().width()
    assert note.geometry().right() < w.run_label.geometry().left()
    w.statusBar().clearMessage()
    assert note.text() == "" and note.isHidden()  # the fields have the width back


def test_stopped_run_has_no_eta_and_a_paused_run_shows_the_views_step(make_window, qtbot, monkeypatch):
    monkeypatch.setattr(statusbar, "STATUS_INTERVAL", 0.5)  # bursts of steps between two status updates
    w = make_window(epochs=1000)
    w.start_run()
    qtbot.waitUntil(lambda: "ETA" in w.run_label.text(), timeout=10_000)
    w.toggle_pause()
    qtbot.waitUntil(lambda: bool(events(w, "paused")), timeout=5000)
    qtbot.wait(1200)  # the model's cursor and the status bar settle
    last = int(w.model.metric("step")[-1])
    assert w.model.step == last and f"step {last}/" in w.run_label.text() and "ETA" not in w.run_label.text()
    assert "paused" in w.run_label.text()
    w.stop_run()
    assert "ETA" not in w.run_label.text()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    assert "ETA" not in w.run_label.text() and w.run_label.text().endswith("stopped")


def test_export_draws_the_view_content_at_the_chosen_size(make_window, tmp_path):
    w = make_window()
    for key in ("loss", "feature_maps", "controls"):
        path = w.export_view(tmp_path / f"{key}.png", key, (1600, 1000))
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1600, 1000)
    pixmap = w.render_view("feature_maps", (640, 400))
    assert (pixmap.width(), pixmap.height()) == (640, 400)
    assert pixmap.toImage().pixelColor(5, 5).name() == "#ffffff"  # the plot's white, not a combo box
    width, height = w.export_size("loss")
    assert (width, height) == (2 * app_module.content_rect(w.views["loss"]).width(),
                               2 * app_module.content_rect(w.views["loss"]).height())
    dialog = ExportDialog(w, "loss", (900, 500))
    assert dialog.size_chosen() == (900, 500)
    dialog.width_box.setValue(50)  # too small or too large: the box keeps to the limits
    dialog.height_box.setValue(99_999)
    assert dialog.size_chosen() == (200, 8000)
    dialog.slide.click()
    assert dialog.size_chosen() == (1600, 1000)
    dialog.close()


def test_text_size_scales_views_axes_and_captions_and_is_remembered(make_window, qtbot):
    w = make_window()
    base = textsize.base_point_size()
    axis = w.views["loss"].findChildren(pg.GraphicsView)[0].scene().items()
    axes = [i for i in axis if isinstance(i, pg.AxisItem)]
    caption = next(l for l in w.views["feature_maps"].findChildren(QLabel)
                   if l.minimumHeight() == l.maximumHeight() > 0 and l.pixmap().isNull())
    height = caption.height()
    w.larger_action.trigger()
    w.larger_action.trigger()
    assert w.text_scale == pytest.approx(textsize.clamp(1.15 * 1.15))
    assert w.views["filters"].font().pointSizeF() == pytest.approx(base * w.text_scale)
    assert all(a.style["tickFont"].pointSizeF() == pytest.approx(base * w.text_scale) for a in axes)
    assert caption.maximumHeight() > height
    assert float(app_module.settings().value("view/text_scale")) == pytest.approx(w.text_scale)
    w.close()
    again = make_window()
    assert again.text_scale == pytest.approx(textsize.clamp(1.15 * 1.15))
    for _ in range(20):
        again.smaller_action.trigger()
    assert again.text_scale == textsize.SMALLEST and not again.smaller_action.isEnabled()
    again.normal_text_action.trigger()
    assert again.text_scale == 1.0
    again.present_action.trigger()
    assert again.presenting and again.isFullScreen() and again.text_scale >= textsize.PRESENTATION
    assert again.docks["controls"].isHidden()  # the views only
    again.present_action.trigger()
    assert not again.presenting and not again.isFullScreen() and again.text_scale == 1.0
    assert not again.docks["controls"].isHidden()
    assert float(app_module.settings().value("view/text_scale")) == 1.0  # presenting is not remembered


def test_every_action_has_a_key_and_a_tooltip_listed_in_the_about_box(make_window):
    w = make_window()
    rows = w.keys()
    assert len(rows) >= 20
    about = w.about_text()
    for menu, text, key in rows:
        assert key, f"{menu} > {text} has no key"
        assert key in about
    for menu_action in w.menuBar().actions():
        for a in menu_action.menu().actions():
            if not a.isSeparator() and a.menu() is None:
                assert a.toolTip() and a.toolTip() != a.text().replace("&", ""), a.text()
    keys = [key for _, _, key in rows]
    assert len(keys) == len(set(keys)), "two actions share a key"
    w.about_action.trigger()
    box = w.findChild(QMessageBox)
    assert box.isVisible() and "F11" in box.text() and "Ctrl+=" in box.text()
    assert box.height() <= 700  # the About box fits a 1024 x 700 screen
    box.close()


def test_views_behind_a_tab_wait_until_it_is_raised(make_window, qtbot):
    """Qt keeps a dock tabbed behind another "visible"; the views that defer their work ask on_screen, and the
    window has them catch up when their tab is raised (no gallery forward pass at every evaluation of a run)."""
    from cnnviz.data import example_session_path
    from cnnviz.gui.redraws import on_screen

    w = make_window()
    qtbot.waitUntil(lambda: w.windowHandle() is not None and w.windowHandle().isExposed())
    assert w.open_session(example_session_path())
    w.show_task("predictions")
    w.layout_.apply(layouts.Tabs(("predictions", "confusion")))  # the confusion matrix behind a tab
    confusion = w.views["confusion"]
    qtbot.waitUntil(lambda: on_screen(w.views["predictions"]), timeout=5000)  # raised on the next turns
    assert confusion.isVisible() and not on_screen(confusion)
    shown_before = confusion.summary.text()
    w.model.seek(40)  # another evaluation: nothing is recomputed behind the Predictions tab
    assert confusion.summary.text() == shown_before and w.model.redraws.pending(confusion.redraw)
    w.docks["confusion"].raise_()
    qtbot.waitUntil(lambda: confusion.summary.text().startswith("Step 40"), timeout=5000)
    assert confusion.numbers.shown() == [[str(int(v)) for v in row] for row in w.model.evaluation().confusion]
