"""The training form: the config it builds, the problems it shows next to the fields, locking during a run."""

from __future__ import annotations

import pytest

from cnnviz.core import ConfigError, ConvSpec
from cnnviz.gui.views.controls import ControlsView, DataSpec
from cnnviz.training import TrainConfig

from .conftest import tiny_config


@pytest.fixture
def form(qtbot):
    view = ControlsView(None)
    qtbot.addWidget(view)
    view.show()
    return view


def shown_error(label) -> str:
    return label.text() if label.isVisible() else ""


def test_the_default_form_is_the_lecture_network(form):
    assert form.is_valid() and form.errors() == {}
    config = form.config()
    assert config == TrainConfig()
    assert form.data_spec() == DataSpec("sample")
    assert "flatten 3136" in form.summary.text()


def test_set_config_round_trips(form):
    config = tiny_config(conv=(4, 6), fc=(16, 10), filter_size=5, padding="valid", pooling="average", seed=7,
                         dtype="float64", lr=0.02, momentum=0.5, eval_every=3, lr_schedule="cosine")
    form.set_config(config, DataSpec("sample", 300, 100))
    assert form.config() == config
    assert form.data_spec() == DataSpec("sample", 300, 100)


def test_a_filter_larger_than_its_map_blocks_start(form, qtbot):
    form.set_config(tiny_config(conv=(2, 2, 2), padding="valid"))
    row = form.conv_rows[2]
    with qtbot.waitSignal(form.validity_changed) as blocker:
        row.size.setValue(5)  # 28 -> 26 -> 13 -> 11 -> 5 -> 5x5 filter on a 5x5 map fits; 6 does not
        row.size.setValue(6)
    assert blocker.args == [False]
    assert not form.is_valid()
    message = shown_error(row.error)
    assert message.startswith("conv3:") and "does not fit" in message
    row.size.setValue(3)
    assert form.is_valid() and not row.error.isVisible()


def test_sizes_that_shrink_to_nothing(form):
    form.set_config(tiny_config(conv=(2, 2, 2)))
    form.add_conv.click()
    for row in form.conv_rows:  # 2x2 valid: 28 -> 27 -> 13 -> 12 -> 6 -> 5 -> 2 -> 1, pooled: nothing
        row.size.setValue(2)
        row.padding.setCurrentText("valid")
    assert "conv4" in form.errors()
    assert "leaves nothing" in shown_error(form.conv_rows[3].error)
    form.conv_rows[3].pooling.setCurrentText("none")
    assert form.is_valid()


def test_non_positive_rates_and_bad_sizes(form):
    form.lr.setValue(0.0)
    assert "must be positive" in shown_error(form.error_label("lr"))
    form.lr.setValue(0.01)
    form.momentum.setValue(1.0)
    assert "[0, 1)" in shown_error(form.error_label("momentum"))
    form.momentum.setValue(0.9)
    form.fc.setText("100,abc")
    assert "comma-separated" in shown_error(form.error_label("fc"))
    form.fc.setText("100,0")
    assert "positive" in shown_error(form.error_label("fc"))
    form.fc.setText("")  # no hidden layer: the 10 outputs straight after the conv layers
    assert form.is_valid() and form.config().network.fc == (10,)
    form.conv_rows[0].filters.setValue(0)
    assert "at least 1 filter" in shown_error(form.conv_rows[0].error)


def test_data_choices(form, tmp_path, monkeypatch):
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    form.source.setCurrentIndex(2)  # another folder
    assert "Choose the folder" in shown_error(form.error_label("data"))
    form.folder.setText(str(tmp_path))
    assert "train-images" in shown_error(form.error_label("data"))
    form.source.setCurrentIndex(0)
    form.limit_train.setValue(5000)
    assert "2000 training images" in shown_error(form.error_label("data"))
    form.limit_train.setValue(300)
    assert form.is_valid() and form.data_spec().limit_train == 300


def test_conv_layers_can_be_added_and_removed(form):
    form.add_conv.click()
    assert [s.filters for s in form.config().network.conv] == [32, 64, 32]
    form.conv_rows[0].remove.click()
    assert [s.filters for s in form.config().network.conv] == [64, 32]
    assert form.conv_rows[0].name.text() == "conv1"
    assert form.config().network.conv[0] == ConvSpec(64, 3, "same", "max")


def test_a_preset_fills_the_hyperparameters(form):
    form.preset.setCurrentText("fast")
    config = form.config()
    assert (config.lr, config.momentum, config.lr_schedule, config.preset) == (0.05, 0.9, "cosine", "fast")


def test_during_a_run_only_lr_and_momentum_change(form, qtbot):
    form.set_running(True)
    assert form.arch_note.isVisible() and "new run" in form.arch_note.text()
    assert not form.conv_rows[0].filters.isEnabled() and not form.fc.isEnabled()
    assert not form.batch_size.isEnabled() and not form.source.isEnabled()
    assert form.lr.isEnabled() and form.momentum.isEnabled()
    with qtbot.waitSignal(form.lr_changed) as blocker:
        form.lr.setValue(0.003)
    assert blocker.args == [pytest.approx(0.003)]
    with qtbot.waitSignal(form.momentum_changed):
        form.momentum.setValue(0.6)
    with qtbot.assertNotEmitted(form.lr_changed):
        form.lr.setValue(0.0)  # invalid: shown, not sent
    form.set_running(False)
    assert form.conv_rows[0].filters.isEnabled() and not form.arch_note.isVisible()


def test_a_filter_larger_than_its_map_is_refused_with_same_padding_too(form):
    """Same padding used to accept it (and train at 8 images/s); the rule is now the same for both paddings."""
    form.set_config(tiny_config(conv=(2, 2)))  # same padding: 28 -> 14 after pooling
    row = form.conv_rows[1]
    row.size.setValue(14)  # as large as its 14x14 map: allowed
    assert form.is_valid()
    row.size.setValue(15)
    assert not form.is_valid()
    assert shown_error(row.error) == "conv2: a 15x15 filter does not fit its 14x14 input with same padding."
    form.conv_rows[0].size.setValue(28)  # conv1: as large as the 28x28 image, allowed; conv2 still too large
    assert "conv1" not in form.errors() and shown_error(row.error).startswith("conv2: a 15x15 filter")
    row.size.setValue(3)
    assert form.is_valid() and not row.error.isVisible()


def test_the_seed_box_takes_the_seeds_the_command_line_takes(form):
    from cnnviz.options import MAX_SEED

    assert (form.seed.minimum(), form.seed.maximum()) == (0, MAX_SEED)
    form.set_config(tiny_config(seed=MAX_SEED))
    assert form.config().seed == MAX_SEED


@pytest.mark.parametrize("seed, message", [("-1", "the seed must be 0 or more, not -1"),
                                           ("2147483648", "the seed must be at most 2147483647, not 2147483648")])
def test_a_seed_the_window_cannot_hold_is_refused_before_it_opens(monkeypatch, capsys, seed, message):
    """The spin box would turn -1 into 0 (and 2^31 into 2^31 - 1) without a word: the window never gets it."""
    from cnnviz.gui import app

    def no_window(*args, **kwargs):
        raise AssertionError("the window was opened")

    monkeypatch.setattr(app, "MainWindow", no_window)
    assert app.main(["--seed", seed, "--start"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_form_holds_the_conv_layers_the_command_line_trains(form):
    """``--conv 8,8,8,8,8,8`` used to open with 4 rows and train 4, without a word; ``cnnviz train`` trained 6."""
    from cnnviz.gui.app import build_parser
    from cnnviz.options import config_from_args

    config = config_from_args(build_parser().parse_args(["--conv", "8,8,8,8,8,8", "--pooling", "none"]))
    form.set_config(config)  # what the window does with its options
    assert len(form.conv_rows) == 6 and form.is_valid()
    assert form.config() == config and len(form.config().network.conv) == 6


def test_add_conv_layer_says_why_it_is_off_at_the_limit(form):
    from cnnviz.gui.views.controls import MAX_CONV_LAYERS
    from cnnviz.options import MAX_CONV_LAYERS as COMMAND_LINE_LIMIT

    assert MAX_CONV_LAYERS == COMMAND_LINE_LIMIT == 8
    form.set_config(tiny_config(conv=(2,) * 7, pooling="none"))
    assert form.add_conv.isEnabled() and "at most" not in form.add_conv.toolTip()
    form.add_conv.click()
    assert len(form.conv_rows) == 8 and form.is_valid()
    assert not form.add_conv.isEnabled()
    assert form.add_conv.toolTip() == "A run has at most 8 conv layers: remove one to add another."
    form.add_conv.click()  # off: nothing happens
    assert len(form.conv_rows) == 8
    form.set_running(True)
    assert form.add_conv.toolTip() == "Architecture changes need a new run."
    form.set_running(False)
    form.conv_rows[-1].remove.click()
    assert form.add_conv.isEnabled() and "at most" not in form.add_conv.toolTip()
    with pytest.raises(ConfigError, match="at most 8 conv layers, not 9"):
        form.set_config(tiny_config(conv=(2,) * 9, pooling="none"))  # refused, never cut short
    assert len(form.conv_rows) == 7


NINE = ["--conv", "8,8,8,8,8,8,8,8,8", "--pooling", "none"]


def test_nine_conv_layers_are_refused_by_the_window_in_one_line(monkeypatch, capsys):
    from cnnviz.gui import app

    def no_window(*args, **kwargs):
        raise AssertionError("the window was opened")

    monkeypatch.setattr(app, "MainWindow", no_window)
    assert app.main([*NINE, "--start"]) == 2
    err = capsys.readouterr().err
    assert err == "cnnviz: argument --conv: at most 8 conv layers, not 9\n"


def test_nine_conv_layers_are_refused_by_cnnviz_train_in_one_line(capsys):
    from cnnviz.cli import main

    assert main(["train", *NINE, "--data", "sample", "--no-session"]) == 2
    err = capsys.readouterr().err
    assert err == "cnnviz train: argument --conv: at most 8 conv layers, not 9\n"
