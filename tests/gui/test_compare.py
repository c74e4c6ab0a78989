"""Comparing runs: other sessions beside the main one (cnnviz.gui.compare), the loss view's overlay and table, the
filters view's run B and A − B, the predictions view's images right in one run and wrong in the other, the window's
File menu and command line, and the offer to compare a fork with its parent."""

from __future__ import annotations

import signal
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnviz.cli import main as cli
from cnnviz.config import make_config
from cnnviz.data import load_sample
from cnnviz.fork import resume_from
from cnnviz.gui import main as main_module
from cnnviz.gui.app import MainWindow
from cnnviz.gui.main import build_parser, main
from cnnviz.gui.compare import (
    MAIN_COLOUR,
    RUN_COLOURS,
    CompareError,
    Comparison,
    architecture_difference,
    right_in_one,
    run_names,
)
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.gui.views.common import DIVERGING, grid_cols, mosaic
from cnnviz.gui.views.filters import FiltersView
from cnnviz.gui.views.loss import ACCURACY_COLOUR, TEST_COLOUR, LossView
from cnnviz.gui.views.predictions import PredictionsView
from cnnviz.session import SessionError, SessionReader
from cnnviz.training import Trainer
from tests.gui.helpers import shown, write_session


def config(**overrides):
    values = {"conv": (2,), "fc": (8, 10), "epochs": 1, "batch_size": 100, "snapshot_every": 1, "eval_every": 1,
              "threads": 1}
    values.update(overrides)
    return make_config("lecture", **values)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    """a.h5: the lecture's settings, 3 steps; b.h5: lr 0.05 and momentum 0.9, 2 steps (shorter); d.h5: 3 conv
    filters (another architecture); c.h5: a.h5's configuration again. The same 100 test images."""
    folder = tmp_path_factory.mktemp("compare")
    data = load_sample()
    return {
        "a": write_session(folder / "a.h5", Trainer(config(), data.limited(300, 100)).run()),
        "b": write_session(folder / "b.h5", Trainer(config(lr=0.05, momentum=0.9), data.limited(200, 100)).run()),
        "c": write_session(folder / "c.h5", Trainer(config(seed=0), data.limited(300, 100)).run()),
        "d": write_session(folder / "d.h5", Trainer(config(conv=(3,)), data.limited(300, 100)).run()),
    }


def metrics(path: Path) -> dict[str, np.ndarray]:
    with SessionReader(path) as r:
        return r.metrics() | {f"eval_{k}": v for k, v in r.evals().items()}


def params(path: Path, step: int) -> dict[str, np.ndarray]:
    with SessionReader(path) as r:
        return r.params(int(np.flatnonzero(r.snapshot_steps == step)[0]))


def predictions(path: Path, step: int) -> np.ndarray:
    with SessionReader(path) as r:
        return r.predictions(int(np.flatnonzero(r.evals()["step"] == step)[0]))[0]


def opened(path: Path) -> RunModel:
    model = RunModel()
    ReplaySource(model, model).open(path)
    return model


@pytest.fixture
def window(qtbot, sessions):
    args = build_parser().parse_args(["--data", "sample", "--no-session"])
    w = MainWindow(args, remember=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    with qtbot.waitExposed(w):
        w.show()
    assert w.open_session(sessions["a"])
    return w


def rgb(brush) -> tuple[int, int, int]:
    return pg.mkBrush(brush).color().getRgb()[:3]


def data_of(item) -> tuple[np.ndarray, np.ndarray]:
    x, y = item.getOriginalDataset()
    return np.asarray(x), np.asarray(y)


# -- names and differences ---------------------------------------------------------------------------------------

def test_runs_are_named_by_what_differs_from_their_preset():
    lecture, fast = config(), config(lr=0.05, momentum=0.9)
    assert run_names([lecture, fast], ["a.h5", "b.h5"]) == ["lecture", "lr 0.05, momentum 0.9"]
    # Settings the runs share (the tiny network here) are not named.
    assert run_names([fast, lecture, config(lr=0.1)], ["b.h5", "a.h5", "x.h5"]) == [
        "lr 0.05, momentum 0.9", "lecture", "lr 0.1"]
    assert run_names([lecture, config()], ["a.h5", "c.h5"]) == ["a.h5", "c.h5"]  # identical: the file names
    # Runs that differ only in what was recorded (evaluations) train alike: by file name too.
    assert run_names([lecture, config(eval_every=2)], ["a.h5", "e.h5"]) == ["a.h5", "e.h5"]
    # Two that would have the same name: with their files.
    assert run_names([lecture, fast, config(lr=0.05, momentum=0.9, eval_every=2)], ["a.h5", "b.h5", "e.h5"]) == [
        "lecture", "lr 0.05, momentum 0.9 (b.h5)", "lr 0.05, momentum 0.9 (e.h5)"]


def test_architecture_difference_is_one_sentence_naming_it():
    assert architecture_difference(config().network, config(dropout=0.5).network) == ""
    why = architecture_difference(config().network, config(conv=(3,)).network)
    assert why == ("A − B needs the same architecture: conv1 of run A has 2 filters of 3×3 (same, max pooling), "
                   "run B's 3 filters of 3×3 (same, max pooling).")
    assert "2 conv layers, run B 1" in architecture_difference(config(conv=(2, 2)).network, config().network)
    assert "fully connected" in architecture_difference(config().network, config(fc=(9, 10)).network)


def test_right_in_one_is_exactly_each_direction():
    labels = np.array([0, 1, 2, 3, 4, 5])
    a = np.array([0, 1, 9, 9, 4, 0])
    b = np.array([0, 9, 2, 9, 9, 5])
    a_only, b_only = right_in_one(labels, a, b)
    assert a_only.tolist() == [1, 4] and b_only.tolist() == [2, 5]
    assert right_in_one(labels, a, b, np.array([4, 5]))[0].tolist() == [4]


# -- the comparison ----------------------------------------------------------------------------------------------

def test_the_timeline_moves_every_run_and_a_shorter_one_stays_at_its_last_position(qtbot, sessions):
    main = opened(sessions["a"])
    comparison = Comparison(main)
    run = comparison.add(sessions["b"])
    assert run.colour == RUN_COLOURS[0] and run.name == "lr 0.05, momentum 0.9" and comparison.main_name == "lecture"
    for step, expected in ((0, 0), (1, 1), (2, 2), (3, 2)):  # b.h5 has 2 steps
        main.seek(step)
        assert run.model.step == expected == comparison.step_of(run)
        assert run.model.snapshot().step == expected
        assert run.model.evaluation() is None if expected == 0 else run.model.evaluation().step == expected
    assert comparison.differences() == (["lr", "momentum"], [["0.01", "0.2"], ["0.05", "0.9"]])
    with pytest.raises(CompareError, match="already shown"):
        comparison.add(sessions["b"])
    with pytest.raises(CompareError, match="already shown"):
        comparison.add(sessions["a"])
    comparison.remove(run)
    assert comparison.runs == [] and not comparison.active


def test_a_session_that_cannot_be_read_leaves_the_comparison_as_it_was(sessions, tmp_path):
    main = opened(sessions["a"])
    comparison = Comparison(main)
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not a session")
    with pytest.raises(SessionError, match="not an HDF5 file"):
        comparison.add(bad)
    assert comparison.runs == [] and main.source == str(sessions["a"])


# -- the loss view -----------------------------------------------------------------------------------------------

def test_two_sessions_overlaid_each_in_its_colour_with_the_difference_table(qtbot, sessions):
    main = opened(sessions["a"])
    view = shown(qtbot, LossView(main))
    assert view.legend_names() == ["loss", "accuracy", "test set"] and view.compare_panel.isHidden()
    run = view.comparison.add(sessions["b"])
    view._draw()
    a, b = metrics(sessions["a"]), metrics(sessions["b"])
    items = view.run_items(run)
    for item, m, name in ((view.loss_curve, a, "loss"), (view.accuracy_curve, a, "accuracy"),
                          (items["loss_curve"], b, "loss"), (items["accuracy_curve"], b, "accuracy")):
        x, y = data_of(item)
        assert np.array_equal(x, m["step"]) and np.array_equal(y, m[name])
    for item, m, name in ((view.test_loss, a, "eval_test_loss"), (items["test_accuracy"], b, "eval_test_accuracy")):
        x, y = data_of(item)
        assert np.array_equal(x, m["eval_step"]) and np.array_equal(y, m[name])
    # Each run in its own colour, its test-set dots too; the main run in its first colour.
    assert items["loss_smooth"].opts["pen"].color().getRgb()[:3] == run.colour
    assert rgb(items["test_loss"].opts["symbolBrush"]) == rgb(items["test_accuracy"].opts["symbolBrush"]) == run.colour
    assert rgb(view.test_loss.opts["symbolBrush"]) == MAIN_COLOUR
    assert view.loss_smooth.opts["pen"].color().getRgb()[:3] == MAIN_COLOUR
    assert view.accuracy_smooth.opts["pen"].color().getRgb()[:3] == MAIN_COLOUR
    assert view.legend_names() == ["lecture", "lr 0.05, momentum 0.9"]
    assert view.compare_panel.isVisibleTo(view)
    main.seek(3)
    assert view.table_rows() == [["run", "file", "at step", "lr", "momentum"],
                                 ["A: lecture", "a.h5", "3", "0.01", "0.2"],
                                 ["lr 0.05, momentum 0.9", "b.h5", "2 (its last)", "0.05", "0.9"]]
    main.seek(1)
    assert [row[2] for row in view.table_rows()[1:]] == ["1", "1"]
    # The readout under the mouse names every run's loss at that x.
    assert f"· lr 0.05, momentum 0.9: loss {b['loss'][1]:.4f} (step 2)" in view.describe(2.0)
    # Removing the run: the main run alone, in its colours, again.
    view.compare_table.selectRow(1)
    assert view.remove_button.isEnabled()
    view.remove_button.click()
    assert view.comparison.runs == [] and view.compare_panel.isHidden()
    assert view.legend_names() == ["loss", "accuracy", "test set"]
    assert view.accuracy_smooth.opts["pen"].color().getRgb()[:3] == ACCURACY_COLOUR
    assert rgb(view.test_loss.opts["symbolBrush"]) == TEST_COLOUR


@pytest.mark.parametrize("axis", ["step", "epoch", "images seen", "training time"])
def test_every_x_axis_puts_each_run_by_its_own_count(qtbot, sessions, axis):
    main = opened(sessions["a"])
    view = shown(qtbot, LossView(main))
    run = view.comparison.add(sessions["b"])
    view.x_axis.setCurrentText(axis)
    view._draw()
    for item, path, model in ((view.loss_curve, sessions["a"], main), (view.run_items(run)["loss_curve"],
                                                                         sessions["b"], run.model)):
        m = metrics(path)
        expected = {"step": m["step"], "epoch": m["step"] / model.steps_per_epoch, "images seen": m["step"] * 100,
                    "training time": m["time"]}[axis]
        assert np.allclose(data_of(item)[0], expected)
        assert view.step_of_x(model, float(expected[-1])) == pytest.approx(m["step"][-1])
    assert view.accuracy_plot.getAxis("bottom").labelText.startswith(axis)


# -- the filters view --------------------------------------------------------------------------------------------

def rendered(item) -> np.ndarray:
    """The RGB pixels an ImageItem draws (its image through its levels and colour map)."""
    item.render()
    image = item.qimage.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :3 * image.width()].reshape(image.height(), image.width(), 3).copy()  # before the image goes


def test_filter_difference_is_a_minus_b_at_the_cursor(qtbot, sessions):
    main = opened(sessions["a"])
    view = shown(qtbot, FiltersView(main))
    view.show_box.setCurrentIndex(view.show_box.findData("weights"))  # run A's weights themselves
    assert view.chooser.mode_box.isHidden()
    comparison = view.comparison
    run = comparison.add(sessions["b"])
    assert view.chooser.mode_box.isVisibleTo(view) and view.chooser.run_box.currentText() == "B: lr 0.05, momentum 0.9"
    view.chooser.set_mode("diff")
    for step, b_step in ((1, 1), (3, 2)):
        main.seek(step)
        difference = params(sessions["a"], step)["conv1.W"] - params(sessions["b"], b_step)["conv1.W"]
        expected, _ = mosaic(difference[:, 0], grid_cols(2))
        assert np.array_equal(view.values, expected, equal_nan=True)
        assert np.array_equal(view.box.image, expected, equal_nan=True)  # shared scale: the values themselves
        assert view.info.text().startswith(f"F_A − F_B · A step {step}, B step {b_step}")
        # The pixels drawn: each value's colour on the diverging map, within the view's levels.
        low, high = view.box.item.getLevels()
        pixels = rendered(view.box.item)
        for i, j in zip(*np.nonzero(np.isfinite(expected))):
            want = DIVERGING.map(np.array([(expected[i, j] - low) / (high - low)]), mode="byte")[0][:3]
            assert np.abs(pixels[i, j].astype(int) - want.astype(int)).max() <= 4
    view.chooser.set_mode("b")
    assert np.array_equal(view.values, mosaic(params(sessions["b"], 2)["conv1.W"][:, 0], grid_cols(2))[0],
                          equal_nan=True)
    assert view.info.text().startswith("F of run B (lr 0.05, momentum 0.9) · step 2")
    assert not view.show_box.isEnabled()  # Δ since step 0 or a pin is run A's
    view.chooser.set_mode("a")
    assert np.array_equal(view.values, mosaic(params(sessions["a"], 3)["conv1.W"][:, 0], grid_cols(2))[0],
                          equal_nan=True)
    comparison.remove(run)
    assert view.chooser.mode_box.isHidden() and view.chooser.mode() == "a"


def test_different_architectures_give_one_line_instead_of_a_difference(qtbot, sessions):
    main = opened(sessions["a"])
    view = shown(qtbot, FiltersView(main))
    run = view.comparison.add(sessions["d"])
    main.seek(2)
    view.chooser.set_mode("diff", run)
    assert view.info.text() == ("A − B needs the same architecture: conv1 of run A has 2 filters of 3×3 (same, max "
                                "pooling), run B's 3 filters of 3×3 (same, max pooling).")
    assert view.box.image is None and view.values is None
    view.chooser.set_mode("b")  # B's own filters are shown whatever its architecture
    assert view.values.shape == mosaic(params(sessions["d"], 2)["conv1.W"][:, 0], grid_cols(3))[0].shape


# -- the predictions view ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("step, b_step", [(1, 1), (3, 2)])
def test_predictions_right_in_one_run_and_wrong_in_the_other(qtbot, sessions, step, b_step):
    main = opened(sessions["a"])
    view = shown(qtbot, PredictionsView(main))
    assert view.compare_row.isHidden()
    view.comparison.add(sessions["b"])
    assert view.compare_row.isVisibleTo(view)
    main.seek(step)
    labels = main.test_labels
    a, b = predictions(sessions["a"], step), predictions(sessions["b"], b_step)
    a_only = np.flatnonzero((a == labels) & (b != labels))
    b_only = np.flatnonzero((b == labels) & (a != labels))
    assert len(a_only) + len(b_only) > 0
    view.chooser.set_mode("a")
    assert np.array_equal(view.indices, a_only)
    assert view.summary.text() == (f"A step {step}, B step {b_step}: {len(a_only)} right in A only, "
                                   f"{len(b_only)} right in B only")
    assert view.chooser.mode_box.itemText(1) == f"right in A, wrong in B ({len(a_only)})"
    assert view.chooser.mode_box.itemText(2) == f"right in B, wrong in A ({len(b_only)})"
    view.chooser.set_mode("b")
    assert np.array_equal(view.indices, b_only)
    view.chooser.set_mode("all")
    assert len(view.indices) == len(labels)


def test_predictions_before_any_evaluation_say_why(qtbot, sessions):
    main = opened(sessions["a"])
    view = shown(qtbot, PredictionsView(main))
    view.comparison.add(sessions["b"])
    main.seek(0)
    view.chooser.set_mode("a")
    assert view.summary.text() == "Run A has no evaluation at or before step 0 yet." and len(view.indices) == 0


# -- the window --------------------------------------------------------------------------------------------------

def test_file_menu_adds_and_closes_a_comparison(window, sessions, qtbot):
    texts = [a.text().replace("&", "") for a in window.menuBar().actions()[0].menu().actions()]
    assert "Add session to compare…" in texts and "Close comparison" in texts
    assert window.workspace.compare(sessions["b"])
    assert [r.path for r in window.comparison.runs] == [sessions["b"]]
    assert window.views["loss"].legend_names() == ["lecture", "lr 0.05, momentum 0.9"]
    window.model.seek(3)
    assert window.comparison.runs[0].model.step == 2
    window.close_compare_action.trigger()
    assert window.comparison.runs == [] and window.views["loss"].legend_names() == ["loss", "accuracy", "test set"]


def test_a_bad_session_to_compare_is_one_sentence_and_the_first_stays(window, tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not a session")
    assert not window.workspace.compare(bad)
    assert window.last_message == f"{bad} is not an HDF5 file, so not a cnnviz session."
    assert window.replay.path is not None and window.replay.path.name == "a.h5" and window.comparison.runs == []


@pytest.fixture
def run_main(qtbot, monkeypatch):
    """``main(argv)`` without its event loop: the window it made (closed at the end of the test)."""
    made = []
    real = QApplication.instance()

    class Running:
        def __getattr__(self, name):
            return getattr(real, name)

        def exec(self):  # instead of the event loop: the window main() shows
            made.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
            for window in made:
                qtbot.addWidget(window)
            return 0

    class Application:
        instance = staticmethod(Running)
        processEvents = staticmethod(QApplication.processEvents)

    monkeypatch.setattr(main_module, "QApplication", Application)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def run(argv):
        code = main(argv)
        assert {sig: signal.getsignal(sig) for sig in handlers} == handlers  # main() gives its handlers back
        return code, made[-1] if made else None

    return run


def test_the_command_line_opens_the_first_session_and_compares_the_others(run_main, sessions):
    args = build_parser().parse_args([str(sessions["a"]), str(sessions["b"]), str(sessions["d"])])
    assert args.session == str(sessions["a"]) and args.compare == [str(sessions["b"]), str(sessions["d"])]
    code, window = run_main([str(sessions["a"]), str(sessions["b"]), "--data", "sample", "--no-session"])
    assert code == 0
    assert window.replay.path == sessions["a"] and [r.path for r in window.comparison.runs] == [sessions["b"]]


def test_a_bad_second_file_on_the_command_line_is_one_sentence_and_the_first_stays_open(run_main, sessions,
                                                                                          tmp_path):
    missing = tmp_path / "missing.h5"
    code, window = run_main([str(sessions["a"]), str(missing), "--data", "sample", "--no-session"])
    assert code == 0 and window.replay.path == sessions["a"] and window.comparison.runs == []
    assert window.last_message == f"{missing} does not exist."


def test_start_with_sessions_is_refused_in_one_line(capsys, sessions):
    assert main([str(sessions["a"]), str(sessions["b"]), "--start"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--start" in err and "Traceback" not in err


# -- a fork and its parent ---------------------------------------------------------------------------------------

def test_opening_a_fork_offers_to_compare_it_with_its_parent(qtbot, sessions, tmp_path):
    child = tmp_path / "child.h5"
    write_session(child, resume_from(sessions["a"], 1, load_sample().limited(300, 100), lr=0.05).run())
    args = build_parser().parse_args(["--data", "sample", "--no-session"])
    window = MainWindow(args, remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.open_session(child)
    box = window.parent_offer
    assert isinstance(box, QMessageBox) and box.isVisible() and not box.isModal()
    assert box.text() == "child.h5 continues a.h5 from step 1. Show the two runs together?"
    compare = next(b for b in box.buttons() if b.text() == "Compare with its parent")
    compare.click()
    assert [r.path for r in window.comparison.runs] == [sessions["a"]]
    assert window.comparison.names() == ["lr 0.05", "lecture"]
    window.model.seek(0)  # before the fork the child has no snapshot of its own; the parent shows step 0
    assert window.comparison.runs[0].model.snapshot().step == 0
    window.model.seek(3)
    assert window.comparison.runs[0].model.snapshot().step == 3


def test_no_offer_where_the_parent_is_not_at_hand(qtbot, sessions, tmp_path):
    parent = tmp_path / "parent.h5"
    parent.write_bytes(Path(sessions["a"]).read_bytes())
    child = tmp_path / "child.h5"
    write_session(child, resume_from(parent, 1, load_sample().limited(300, 100), lr=0.05).run())
    parent.unlink()  # gone (and no file of its name beside the child)
    args = build_parser().parse_args(["--data", "sample", "--no-session"])
    window = MainWindow(args, remember=False)
    qtbot.addWidget(window)
    assert window.open_session(child)
    assert window.parent_offer is None


# -- cnnviz render --compare ---------------------------------------------------------------------------------------

def test_render_draws_runs_compared_and_refuses_a_mode_without_them(sessions, tmp_path, capsys):
    out = tmp_path / "diff.png"
    assert cli(["render", str(sessions["a"]), "--out", str(out), "--view", "filters", "--step", "2",
                "--compare", str(sessions["b"]), "--compare-mode", "a-b"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 620)
    small = tmp_path / "small.png"  # the window with a comparison still fits a 1024 x 700 screen
    assert cli(["render", str(sessions["a"]), "--out", str(small), "--size", "1024x700",
                "--compare", str(sessions["b"])]) == 0
    assert (QImage(str(small)).width(), QImage(str(small)).height()) == (1024, 700)
    for options, message in (
            (["--compare-mode", "a-b"], "--compare-mode needs a session to compare with (--compare MORE.h5)"),
            (["--view", "loss", "--compare", str(sessions["b"]), "--compare-mode", "a-b"],
             "--compare-mode a-b is for the filters view (--view filters or window)"),
            (["--compare", str(tmp_path / "missing.h5")], f"{tmp_path / 'missing.h5'} does not exist.")):
        capsys.readouterr()
        assert cli(["render", str(sessions["a"]), "--out", str(tmp_path / "x.png"), *options]) == 2
        err = capsys.readouterr().err
        assert err.strip() == f"cnnviz: {message}" and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_run_b_stays_chosen_when_another_run_leaves(qtbot, sessions):
    main = opened(sessions["a"])
    comparison = Comparison(main)  # the window's, given to every view that draws compared runs
    filters = shown(qtbot, FiltersView(main, comparison=comparison))
    predictions = shown(qtbot, PredictionsView(main, comparison=comparison))
    b, d = comparison.add(sessions["b"]), comparison.add(sessions["d"])
    # The preset's conv layers are 32,64: every run here differs from it in them, so every name says them.
    assert comparison.names() == ["conv 2", "conv 2, lr 0.05, momentum 0.9", "conv 3"]
    filters.chooser.set_mode("b", d)
    predictions.chooser.set_mode("a", d)
    comparison.remove(b)
    assert filters.chooser.run() is d and predictions.chooser.run() is d
    assert filters.chooser.run_box.count() == predictions.chooser.run_box.count() == 1
