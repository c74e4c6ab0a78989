"""What the window remembers between starts: the form, its data choice, every view's choices; the command line
wins; Reset settings. Every test starts from a fresh settings directory (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from cnnviz.config import TrainConfig
from cnnviz.gui.app import MainWindow, settings
from cnnviz.gui.main import build_parser
from cnnviz.gui.memory import given_options, read, remembered_widgets, write
from cnnviz.options import DataSpec


@pytest.fixture(autouse=True)
def _no_mnist_on_disk(monkeypatch, tmp_path):
    """The form's default data is then the bundled sample, whatever this machine holds."""
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def start(qtbot):
    """``start(*argv)``: a window as ``cnnviz ARGV`` opens it (argv's options win over remembered values)."""

    def make(*argv: str) -> MainWindow:
        args = build_parser().parse_args(list(argv))
        args.given = given_options(build_parser(), argv)  # what main() does
        window = MainWindow(args)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        return window

    return make


def _type(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def _edit(window, qtbot) -> None:
    """A form and view choices unlike the defaults."""
    c = window.controls
    c.add_conv.click()
    c.conv_rows[2].size.setValue(5)
    c.conv_rows[2].pooling.setCurrentText("none")
    c.fc.setText("64")
    c.seed.setValue(7)
    _type(qtbot, c.lr, "0.02")
    _type(qtbot, c.momentum, "0.5")
    c.limit_train.setValue(300)
    c.limit_test.setValue(100)
    loss = window.views["loss"]
    loss.x_axis.setCurrentText("epoch")
    loss.smoothing.setValue(50)
    loss.log_loss.setChecked(True)
    window.timeline.speed.setCurrentIndex(3)


EDITED_CHOICES = {"loss": {"x_axis": "epoch", "smoothing": 50, "log_loss": True}}


def _choices(window) -> dict:
    return {key: {name: read(w) for name, w in remembered_widgets(window.views[key]).items()}
            for key in EDITED_CHOICES}


def test_the_views_choices_are_their_settings_not_the_selection(start):
    window = start()
    names = {key: set(remembered_widgets(window.views[key])) for key in ("loss", "feature_maps", "pooling",
                                                                          "predictions")}
    assert {"x_axis", "smoothing", "log_loss"} <= names["loss"]
    assert not {"stage_box", "layer_box"} & names["feature_maps"]  # the selection: a new run starts from u
    assert not {"channel_box", "layer_box", "chooser"} & names["pooling"]  # the one selection, the run's
    assert "wrong_only" not in names["predictions"]  # the view resets it for each run
    assert set(remembered_widgets(window.timeline)) == {"speed"}  # not the cursor's slider


def test_the_form_and_the_views_choices_come_back_at_the_next_start(start, qtbot):
    first = start()
    assert first.controls.config() == TrainConfig() and first.controls.data_spec() == DataSpec("sample")
    _edit(first, qtbot)
    config, data = first.controls.config(), first.controls.data_spec()
    assert (config.lr, config.momentum, config.seed, len(config.network.conv)) == (0.02, 0.5, 7, 3)
    first.close()

    second = start()
    assert second.controls.config() == config
    assert second.controls.data_spec() == data == DataSpec("sample", 300, 100)
    assert second.controls.lr.text() == "0.02"
    assert _choices(second) == EDITED_CHOICES
    assert _choices(second)["loss"] == {n: read(w) for n, w in remembered_widgets(second.views["loss"]).items()}
    assert second.timeline.speed.currentIndex() == 3


def test_the_command_line_wins_over_remembered_values(start, qtbot):
    first = start()
    _edit(first, qtbot)
    first.close()

    # a training option: the form's network and training are the command line's; the data choice is remembered
    window = start("--lr", "0.05")
    c = window.controls
    assert c.config() == TrainConfig(lr=0.05) and c.data_spec() == DataSpec("sample", 300, 100)
    assert _choices(window) == EDITED_CHOICES  # the command line has no view options
    window.close()  # saves lr 0.05 and the defaults it shows

    # a data option: the data choice is the command line's, the rest remembered
    window = start("--limit-train", "500")
    assert window.controls.config().lr == 0.05 and window.controls.data_spec() == DataSpec("sample", 500, None)
    window.close()


def test_an_option_given_at_its_default_value_wins_too(start, qtbot):
    first = start()
    first.controls.seed.setValue(7)
    first.close()
    assert start("--seed", "0").controls.config().seed == 0  # not the remembered 7
    assert given_options(build_parser(), ["--seed", "0", "x.h5"]) == {"seed", "session"}
    assert given_options(build_parser(), []) == frozenset()


def test_reset_settings_restores_the_defaults_and_forgets(start, qtbot):
    first = start()
    _edit(first, qtbot)
    first.close()
    window = start()
    assert window.controls.config().lr == 0.02
    assert window.reset_settings_action.shortcut().toString() == "Ctrl+Shift+0"
    window.reset_settings_action.trigger()
    assert window.controls.config() == TrainConfig() and window.controls.data_spec() == DataSpec("sample")
    loss = window.views["loss"]
    assert (loss.x_axis.currentText(), loss.smoothing.value(), loss.log_loss.isChecked()) == ("step", 90, False)
    assert window.timeline.speed.currentIndex() == 1
    assert settings().value("form/config") is None and settings().value("choices/loss") is None
    assert settings().value("workspaces/current") is not None  # the layout has its own reset


def test_an_invalid_form_leaves_the_last_valid_one_remembered(start, qtbot):
    first = start()
    _type(qtbot, first.controls.lr, "0.03")
    first.close()
    second = start()
    _type(qtbot, second.controls.lr, "-0.1")
    assert not second.controls.is_valid()
    second.close()
    assert start().controls.config().lr == 0.03


def test_a_damaged_or_stale_memory_is_left_out_without_a_word(start):
    s = settings()
    s.setValue("form/config", "{not json")
    s.setValue("form/data", json.dumps({"source": "sample", "limit_train": 300, "colour": "blue"}))
    s.setValue("choices/loss", json.dumps({"x_axis": "hours", "smoothing": 500, "log_loss": "yes", "gone": 1}))
    s.setValue("choices/pooling", json.dumps([1, 2]))
    s.sync()
    window = start()
    assert window.controls.config() == TrainConfig()
    assert window.controls.data_spec() == DataSpec("sample", 300)  # what could be read of it
    loss = window.views["loss"]
    assert (loss.x_axis.currentText(), loss.smoothing.value(), loss.log_loss.isChecked()) == ("step", 90, False)


def test_a_remembered_configuration_from_python_with_too_many_layers_is_left_out(start):
    config = TrainConfig().to_dict()
    config["network"]["conv"] = [{"filters": 2, "size": 1, "padding": "same", "pooling": "none"}] * 9
    settings().setValue("form/config", json.dumps(config))
    assert len(start().controls.conv_rows) == 2


def test_write_refuses_values_a_widget_cannot_hold(start):
    loss = start().views["loss"]
    assert not write(loss.x_axis, "hours") and not write(loss.x_axis, 3)
    assert not write(loss.smoothing, 500) and not write(loss.smoothing, True)
    assert not write(loss.log_loss, 1)
    assert write(loss.smoothing, 20) and loss.smoothing.value() == 20


def test_cnnviz_render_neither_restores_nor_saves(qtbot):
    s = settings()
    s.setValue("choices/loss", json.dumps({"x_axis": "epoch"}))
    s.sync()
    window = MainWindow(build_parser().parse_args(["--data", "sample"]), remember=False)
    qtbot.addWidget(window)
    assert window.views["loss"].x_axis.currentText() == "step"
    window.views["loss"].smoothing.setValue(10)
    window.close()
    assert settings().value("choices/loss") == json.dumps({"x_axis": "epoch"})


def _other_value(widget):
    """A value unlike the widget's own, that it can hold."""
    value = read(widget)
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return widget.itemText(1 if widget.currentIndex() != 1 else 0)  # (the last may need a run: "since pin")
    return widget.minimum() if value != widget.minimum() else widget.maximum()


def test_every_view_s_choices_come_back(start):
    """All of them, whichever view they belong to (a new view's choices are remembered without more code)."""
    first = start()
    views = {**first.views, "timeline": first.timeline}
    found = {key: remembered_widgets(view) for key, view in views.items() if key != "controls"}
    assert sum(len(w) for w in found.values()) >= 4
    for widgets in found.values():
        for widget in widgets.values():
            assert write(widget, _other_value(widget))
    shown = {key: {name: read(w) for name, w in widgets.items()} for key, widgets in found.items()}
    first.close()
    second = start()
    views = {**second.views, "timeline": second.timeline}
    assert {key: {name: read(w) for name, w in remembered_widgets(views[key]).items()} for key in shown} == shown
