"""The training form: the config it builds, the problems it shows next to the fields, locking during a run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cnnviz.config import TrainConfig, parse_sizes, problems
from cnnviz.core import ConvSpec
from cnnviz.errors import ConfigError, sentence
from cnnviz.gui.views.controls import ControlsView
from cnnviz.gui.views.data_choice import SOURCES
from cnnviz.options import DataSpec

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
    form.source.setCurrentIndex(form.source.findData("folder"))  # another folder
    assert "Choose the folder" in shown_error(form.error_label("data"))
    form.folder.setText(str(tmp_path))
    assert "train-images" in shown_error(form.error_label("data"))
    form.source.setCurrentIndex(0)
    form.limit_train.setValue(5000)
    assert shown_error(form.error_label("limit_train")) == "The sample has 2,000 training images, not 5,000."
    assert not form.error_label("data").isVisible()
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
    from cnnviz.gui import main as app

    def no_window(*args, **kwargs):
        raise AssertionError("the window was opened")

    monkeypatch.setattr(app, "MainWindow", no_window)
    assert app.main(["--seed", seed, "--start"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_form_holds_the_conv_layers_the_command_line_trains(form):
    """``--conv 8,8,8,8,8,8`` used to open with 4 rows and train 4, without a word; ``cnnviz train`` trained 6."""
    from cnnviz.gui.main import build_parser
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
    from cnnviz.gui import main as app

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


# -- a narrow dock ----------------------------------------------------------------------------------------------

def _right_edges(form) -> dict[str, int]:
    """Where each conv row's and each field's right edge is, in the scroll area's viewport."""
    viewport = form.scroll.viewport()
    widgets = {"lr": form.lr, "source": form.source, "limit_test": form.limit_test, "fc": form.fc}
    for i, row in enumerate(form.conv_rows, 1):
        widgets.update({f"conv{i}.pooling": row.pooling, f"conv{i}.remove": row.remove})
    return {name: w.mapTo(viewport, w.rect().topRight()).x() for name, w in widgets.items()}


@pytest.mark.parametrize("width", [260, 300])
def test_a_narrow_form_wraps_its_rows_and_never_scrolls_sideways(qtbot, width):
    form = ControlsView(None)
    qtbot.addWidget(form)
    form.resize(width, 600)
    with qtbot.waitExposed(form):
        form.show()
    qtbot.waitUntil(lambda: form.narrow)
    row = form.conv_rows[0]
    assert row.padding.y() > row.filters.y() and row.pooling.y() > row.size.y()  # a layer on two lines
    assert row.remove.x() < row.filters.x()  # under the layer's name
    assert not form.scroll.horizontalScrollBar().isVisible()
    viewport = form.scroll.viewport().width()
    assert all(x < viewport for x in _right_edges(form).values()), (_right_edges(form), viewport)
    assert form.lr.width() >= 80 and row.pooling.width() >= row.pooling.minimumSizeHint().width()


def test_a_wide_form_keeps_a_conv_layer_on_one_line_and_has_a_sensible_minimum_width(qtbot):
    form = ControlsView(None)
    qtbot.addWidget(form)
    form.resize(380, 600)
    with qtbot.waitExposed(form):
        form.show()
    qtbot.waitUntil(lambda: not form.narrow)
    row = form.conv_rows[0]
    assert row.padding.y() == row.filters.y() and row.pooling.x() > row.size.x()
    assert 200 <= form.minimumWidth() <= 260  # the narrow form's, so that a dock never squeezes it
    form.resize(260, 600)
    qtbot.waitUntil(lambda: form.narrow)
    form.resize(380, 600)
    qtbot.waitUntil(lambda: not form.narrow)  # and back


def test_switching_to_two_lines_keeps_every_value_and_problem(form, qtbot):
    form.conv_rows[1].size.setValue(20)
    form.set_narrow(True)
    qtbot.waitUntil(lambda: form.conv_rows[0].padding.y() > form.conv_rows[0].filters.y())
    assert [r.size.value() for r in form.conv_rows] == [3, 20]
    assert shown_error(form.conv_rows[1].error).startswith("conv2: a 20x20 filter")
    form.add_conv.click()
    qtbot.waitUntil(lambda: form.conv_rows[2].padding.y() > form.conv_rows[2].filters.y())
    form.set_narrow(False)
    qtbot.waitUntil(lambda: form.conv_rows[2].padding.y() == form.conv_rows[2].filters.y())
    assert form.conv_grid.count() == 4 + 7 * 3  # headers, and each layer's 7 widgets once (none left behind)


# -- every problem at once --------------------------------------------------------------------------------------

def test_every_problem_shows_at_once_each_under_its_field(form):
    form.add_conv.click()
    form.lr.setValue(0.0)
    form.fc.setText("100,abc")
    form.conv_rows[1].size.setValue(20)  # same padding: too large, but the map after it is known (14x14 -> 7x7)
    form.conv_rows[2].padding.setCurrentText("valid")
    form.conv_rows[2].size.setValue(9)  # 9x9 on the 7x7 map
    form.limit_train.setValue(3000)
    form.limit_test.setValue(3000)
    expected = {
        "lr": "The learning rate must be positive, not 0.",
        "conv2": "conv2: a 20x20 filter does not fit its 14x14 input with same padding.",
        "conv3": "conv3: a 9x9 filter does not fit its 7x7 input with valid padding.",
        "fc": "Expected comma-separated integers such as 100,200, not '100,abc'.",
        "limit_train": "The sample has 2,000 training images, not 3,000.",
        "limit_test": "The sample has 1,000 test images, not 3,000.",
    }
    assert form.errors() == expected
    in_form_order = ["conv2", "conv3", "fc", "limit_train", "limit_test", "lr"]
    for key in ("lr", "fc", "limit_train", "limit_test"):
        assert shown_error(form.error_label(key)) == expected[key]
    for i in (2, 3):
        assert shown_error(form.conv_rows[i - 1].error) == expected[f"conv{i}"]
    assert form.summary.text().splitlines() == ["Fix these 6 problems to start:",
                                                *(f"• {expected[k]}" for k in in_form_order)]
    form.lr.setValue(0.01)  # fixing one leaves the others
    assert set(form.errors()) == set(expected) - {"lr"}
    assert not form.error_label("lr").isVisible() and form.error_label("fc").isVisible()


def test_the_form_shows_the_configurations_own_sentences(form):
    """One rule set: what the form says under a field is the configuration's problem for it, as a sentence."""
    form.lr.setValue(-0.5)
    form.momentum.setValue(1.0)
    form.conv_rows[1].size.setValue(20)
    form.conv_rows[1].padding.setCurrentText("valid")
    values = {"lr": -0.5, "momentum": 1.0, "conv": tuple(row.spec() for row in form.conv_rows),
              "fc": (*parse_sizes(form.fc.text()), 10)}
    expected = {field: sentence(text) for field, text in problems(values)}
    assert set(expected) == {"lr", "momentum", "conv2"} and form.errors() == expected


def test_after_a_layer_whose_output_is_unknown_only_filter_counts_are_judged(form):
    """After a map pooled to nothing, the next layers have no input size: their sizes are not judged."""
    form.set_config(tiny_config(conv=(2, 2, 2), padding="valid"))
    form.conv_rows[0].size.setValue(28)  # 28x28 valid: 1x1, pooled: nothing
    form.conv_rows[0].filters.setValue(0)
    form.conv_rows[1].size.setValue(20)  # too large for any map it could get, but it gets none
    form.conv_rows[2].filters.setValue(0)
    assert form.errors() == {"conv1": "conv1 needs at least 1 filter. conv1: 2x2 pooling of a 1x1 map leaves "
                                      "nothing.",
                             "conv3": "conv3 needs at least 1 filter."}
    form.conv_rows[0].size.setValue(3)
    assert set(form.errors()) == {"conv1", "conv2", "conv3"}  # now conv2 has a map to be judged on
    assert form.errors()["conv2"] == "conv2: a 20x20 filter does not fit its 13x13 input with valid padding."


def test_a_run_needs_a_conv_layer_as_on_the_command_line(form):
    """``cnnviz train --conv ''`` is refused; the form cannot lose its last conv layer either."""
    form.conv_rows[0].remove.click()
    (row,) = form.conv_rows
    assert not row.remove.isEnabled() and row.remove.toolTip() == "A run needs at least one conv layer"
    row.remove.click()
    assert len(form.conv_rows) == 1
    form.add_conv.click()
    assert all(r.remove.isEnabled() for r in form.conv_rows)
    from cnnviz.core import NetworkConfig

    form.set_config(TrainConfig(network=NetworkConfig(conv=())))  # a configuration made in Python
    assert form.errors() == {"conv": "A run needs at least one conv layer (cnnviz train refuses --conv '')."}
    assert shown_error(form.error_label("conv")) == form.errors()["conv"] and not form.is_valid()
    with pytest.raises(ConfigError, match="at least one conv layer"):
        form.config()


def test_add_conv_layer_says_at_the_limit_why_it_is_off(form):
    form.set_config(tiny_config(conv=(2,) * 8, pooling="none"))
    assert not form.add_conv.isEnabled()
    assert form.add_conv.text() == "Add conv layer (at most 8)"
    form.conv_rows[0].remove.click()
    assert form.add_conv.isEnabled() and form.add_conv.text() == "Add conv layer"


# -- typing numbers ---------------------------------------------------------------------------------------------

def _type(qtbot, box, text: str, enter: bool = True) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), "a", modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(box.lineEdit(), text)
    if enter:
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def test_typing_a_negative_learning_rate_shows_an_error_and_keeps_the_text(form, qtbot):
    form.lr.setFocus()
    _type(qtbot, form.lr, "-0.1", enter=False)
    assert form.lr.text() == "-0.1"  # not "-0." then "0.000000"
    assert shown_error(form.error_label("lr")) == "The learning rate must be positive, not -0.1."
    assert not form.is_valid()
    qtbot.keyClick(form.lr.lineEdit(), Qt.Key.Key_Return)
    assert form.lr.text() == "-0.1" and form.lr.value() == -0.1 and not form.is_valid()
    with pytest.raises(ConfigError, match="learning rate must be positive"):
        form.config()
    _type(qtbot, form.lr, "1e-4")
    assert form.lr.value() == 0.0001 and form.is_valid() and form.config().lr == 0.0001
    _type(qtbot, form.lr, "0", enter=False)
    assert shown_error(form.error_label("lr")) == "The learning rate must be positive, not 0."
    _type(qtbot, form.lr, "-", enter=False)
    assert shown_error(form.error_label("lr")) == "The learning rate must be a number such as 0.01, not '-'."
    _type(qtbot, form.lr, "", enter=False)
    assert shown_error(form.error_label("lr")) == "Type a learning rate, such as 0.01."
    _type(qtbot, form.lr, "0.05x", enter=False)  # a letter is not taken
    assert form.lr.text() == "0.05" and form.config().lr == 0.05  # typed, not yet entered: it counts


def test_momentum_and_dropout_take_typing_and_say_what_is_wrong(form, qtbot):
    _type(qtbot, form.momentum, "1.5")
    assert form.momentum.text() == "1.5"
    assert shown_error(form.error_label("momentum")) == "The momentum must be in [0, 1), not 1.5."
    _type(qtbot, form.dropout, "-0.2", enter=False)
    assert shown_error(form.error_label("dropout")) == "The dropout ratio must be in [0, 1), not -0.2."
    _type(qtbot, form.momentum, ".9")
    _type(qtbot, form.dropout, "0.25")
    assert form.is_valid()
    assert (form.config().momentum, form.config().network.dropout) == (0.9, 0.25)


def test_values_show_without_trailing_zeros(form):
    form.set_config(tiny_config(lr=0.1, momentum=0.5, dropout=0.125))
    assert (form.lr.text(), form.momentum.text(), form.dropout.text()) == ("0.1", "0.5", "0.125")
    form.lr.setValue(0.00001)
    assert form.lr.text() == "0.00001"
    form.lr.setValue(3)
    assert form.lr.text() == "3"
    form.lr.stepDown()  # the arrows still step, by 0.001
    assert form.lr.text() == "2.999"


def test_the_form_holds_what_the_command_line_gives_without_clamping(form):
    """The spin boxes used to cut --epochs 5000 to 1000 and --batch-size 70000 to 60000 without a word."""
    form.set_config(tiny_config(epochs=5000, batch_size=70000, snapshot_every=2_000_000, eval_every=3_000_000,
                                lr=1e-7))
    config = form.config()
    assert (config.epochs, config.batch_size, config.snapshot_every, config.eval_every, config.lr) == \
        (5000, 70000, 2_000_000, 3_000_000, 1e-7)
    assert form.lr.text() == "0.0000001"


# -- the batch size and the training set --------------------------------------------------------------------------

def test_a_batch_larger_than_the_training_set_is_said_as_cnnviz_train_says_it(form):
    form.batch_size.setValue(5000)
    assert form.is_valid()  # allowed, as on the command line, which uses the whole set as one batch
    assert form.batch_note.isVisible()
    assert form.batch_note.text() == ("The batch size 5,000 is larger than the 2,000 training images: every step "
                                      "uses all 2,000 as one batch.")
    form.batch_size.setValue(500)
    assert not form.batch_note.isVisible()
    form.limit_train.setValue(300)
    assert "larger than the 300 training images" in form.batch_note.text() and form.batch_note.isVisible()


def _idx(path, n: int, images: bool) -> None:
    import numpy as np

    header = bytes([0, 0, 8, 3 if images else 1]) + n.to_bytes(4, "big")
    if images:
        header += (28).to_bytes(4, "big") * 2
    path.write_bytes(header + np.zeros(n * (784 if images else 1), dtype=np.uint8).tobytes())


def test_a_folder_s_image_counts_are_checked(form, tmp_path):
    for stem, n in (("train", 5), ("t10k", 3)):
        _idx(tmp_path / f"{stem}-images-idx3-ubyte", n, True)
        _idx(tmp_path / f"{stem}-labels-idx1-ubyte", n, False)
    form.source.setCurrentIndex(SOURCES.index("folder"))
    form.folder.setText(str(tmp_path))
    form.batch_size.setValue(10)
    assert form.is_valid() and form.training_count() == 5
    assert "larger than the 5 training images" in form.batch_note.text()
    form.limit_train.setValue(6)
    form.limit_test.setValue(4)
    assert form.errors() == {"limit_train": "The folder has 5 training images, not 6.",
                             "limit_test": "The folder has 3 test images, not 4."}


@pytest.mark.parametrize("argv", [
    ["--filter-size", "28"], ["--filter-size", "29"], ["--conv", "8,8", "--filter-size", "14"],
    ["--conv", "8,8", "--filter-size", "15"], ["--conv", "8,8,8,8,8"], ["--conv", "8,8,8,8,8", "--pooling", "none"],
    ["--filter-size", "27", "--padding", "valid"], ["--filter-size", "28", "--padding", "valid"],
    ["--conv", "8,8", "--filter-size", "8", "--padding", "valid"],
])
def test_the_form_refuses_exactly_what_cnnviz_train_refuses(form, argv):
    """The same architectures, built field by field in the form, are refused there iff ``cnnviz train`` refuses
    them (its check: config_from_args)."""
    from cnnviz.cli import build_parser as cli_parser
    from cnnviz.options import config_from_args

    args = cli_parser().parse_args(["train", *argv])
    try:
        config_from_args(args)
        refused = False
    except ConfigError:
        refused = True
    n = len(args.conv or (32, 64))
    form.set_config(tiny_config(conv=(8,) * n, filter_size=1, pooling="none"))
    for row in form.conv_rows:  # as one would fill the form in
        row.padding.setCurrentText(args.padding)
        row.pooling.setCurrentText(args.pooling)
        row.size.setValue(args.filter_size)
    assert form.is_valid() == (not refused), form.errors()
