"""The configuration: the presets' rules (the `program` preset trains the lecture's hyperparameters by the appendix
program's own rules; the preset decides the network's rules wherever a configuration comes from), and the one rule
set of a run's settings: problems as (field, sentence) pairs, asked by TrainConfig, the command line and the live
controls (the form's side: tests/gui/test_controls.py); the errors that carry them."""

from __future__ import annotations

import dataclasses

import pytest

from cnnviz.cli import main
from cnnviz.config import (
    MAX_CONV_LAYERS,
    PRESETS,
    TrainConfig,
    check_setting,
    conv_count_problem,
    fork_config,
    make_config,
    parse_sizes,
    problems,
    rules_of,
    setting_problem,
)
from cnnviz.core import ConvSpec, NetworkConfig
from cnnviz.core.network import network_problems
from cnnviz.errors import ConfigError, DataError, SessionError, UsageError, UserError, format_number, sentence
from cnnviz.lecture import PROGRAM
from cnnviz.options import USER_ERRORS
from cnnviz.training import Control


def test_the_program_preset_is_the_programs_settings_by_its_rules():
    program, lecture = make_config("program"), make_config("lecture")
    assert program.network.rules == "program" and lecture.network.rules == "lecture"
    assert make_config("fast").network.rules == "lecture"
    assert dataclasses.replace(program, preset="lecture") == lecture  # the same settings otherwise
    assert (program.lr, program.momentum, program.batch_size, program.epochs, program.network.dropout) == (
        PROGRAM.lr, PROGRAM.momentum, PROGRAM.batch_size, PROGRAM.epochs, PROGRAM.drop_ratio)
    assert set(PRESETS["program"]) == set(PRESETS["lecture"])  # every form field a preset fills


def test_the_preset_decides_the_rules_wherever_the_configuration_comes_from():
    # the window's form builds the network itself and names the preset
    assert TrainConfig(network=NetworkConfig(), preset="program").network.rules == "program"
    assert TrainConfig(network=NetworkConfig(rules="program"), preset="lecture").network.rules == "lecture"
    saved = make_config("program").to_dict()  # a session's JSON
    assert saved["network"]["rules"] == "program" and TrainConfig.from_dict(saved) == make_config("program")
    del saved["network"]["rules"]  # a session saved before the rules existed
    assert TrainConfig.from_dict(saved).network.rules == "program"
    assert fork_config(make_config("program"), lr=0.02).network.rules == "program"
    assert [rules_of(name) for name in PRESETS] == ["lecture", "program", "lecture"]


def test_every_problem_is_a_field_and_a_sentence():
    found = problems({"lr": 0.0, "momentum": 1.5, "epochs": 0, "seed": 2.5, "dtype": "float16", "batch_size": 10,
                      "conv": (ConvSpec(0, 28, "valid"), ConvSpec(2, 20, "valid"), ConvSpec(0)), "fc": (16, 10),
                      "dropout": -0.2})
    assert found == [
        ("epochs", "epochs must be at least 1, not 0"),
        ("lr", "the learning rate must be positive, not 0"),
        ("momentum", "the momentum must be in [0, 1), not 1.5"),
        ("dtype", "dtype must be float32 or float64, not 'float16'"),
        ("seed", "the seed must be a whole number, 0 or more, not 2.5"),
        ("dropout", "the dropout ratio must be in [0, 1), not -0.2"),
        ("conv1", "conv1 needs at least 1 filter"),
        ("conv1", "conv1: 2x2 pooling of a 1x1 map leaves nothing"),
        ("conv3", "conv3 needs at least 1 filter"),  # after a map pooled to nothing only filter counts are judged
    ]
    assert problems({"lr": 0.01, "momentum": 0.0, "conv": (ConvSpec(8),), "fc": (10,), "dropout": 0.0}) == []


def test_each_layer_is_judged_on_the_map_its_predecessors_leave():
    conv = (ConvSpec(4, 30, "same"), ConvSpec(4, 9, "valid"), ConvSpec(4, 2, "valid", "none"))
    # conv1: same padding too large, its map is 28x28 all the same, pooled 14x14; conv2 9x9 valid: 6x6 -> 3x3;
    # conv3 2x2 valid on 3x3: 2x2, not pooled
    assert network_problems((1, 28, 28), conv) == [
        ("conv1", "conv1: a 30x30 filter does not fit its 28x28 input with same padding")]
    assert network_problems((1, 28, 28), conv[:2] + (ConvSpec(4, 4, "valid"),)) == [
        ("conv1", "conv1: a 30x30 filter does not fit its 28x28 input with same padding"),
        ("conv3", "conv3: a 4x4 filter does not fit its 3x3 input with valid padding")]
    with pytest.raises(ConfigError, match="conv1: a 30x30 filter") as refused:
        NetworkConfig(conv=conv)
    assert refused.value.field == "conv1"


@pytest.mark.parametrize("make, field", [
    (lambda: make_config("lecture", lr=-1.0), "lr"),
    (lambda: make_config("lecture", momentum=1.0), "momentum"),
    (lambda: make_config("lecture", epochs=0), "epochs"),
    (lambda: make_config("lecture", conv=(8, 8, 8, 8, 8)), "conv5"),
    (lambda: make_config("lecture", dropout=1.0), "dropout"),
    (lambda: make_config("lecture", fc=(16, 1)), "fc"),
    (lambda: TrainConfig(lr_schedule="linear"), "lr_schedule"),
])
def test_a_refusal_carries_its_field(make, field):
    with pytest.raises(ConfigError) as refused:
        make()
    assert refused.value.field == field


def test_the_first_problem_is_the_one_raised():
    with pytest.raises(ConfigError) as refused:
        make_config("lecture", lr=0.0, momentum=2.0)
    assert (refused.value.field, str(refused.value)) == problems({"lr": 0.0, "momentum": 2.0})[0]


def test_the_live_controls_ask_the_same_rule():
    control = Control()
    for name, value, change in (("lr", 0.0, control.set_lr), ("lr", float("inf"), control.set_lr),
                                ("momentum", -0.5, control.set_momentum)):
        with pytest.raises(ConfigError) as refused:
            change(value)
        assert str(refused.value) == setting_problem(name, value) and refused.value.field == name
    control.set_lr(0.5)
    control.set_momentum(0.0)
    assert control.take_changes() == {"lr": 0.5, "momentum": 0.0}
    check_setting("lr", 1e-5)  # no problem: nothing raised
    assert setting_problem("lr", 1e-5) == ""


@pytest.mark.parametrize("argv, name, value", [
    (["--lr", "-0.001"], "lr", -0.001),
    (["--momentum", "1"], "momentum", 1.0),
    (["--epochs", "0"], "epochs", 0),
    (["--dropout", "1.5"], "dropout", 1.5),
])
def test_the_command_line_prints_the_configurations_sentence(capsys, argv, name, value):
    assert main(["train", "--data", "sample", "--no-session", *argv]) == 2
    assert capsys.readouterr().err == f"cnnviz: {setting_problem(name, value)}\n"


def test_one_parser_of_sizes():
    assert parse_sizes("100, 200") == (100, 200) and parse_sizes("") == () and parse_sizes(" 8 ,") == (8,)
    with pytest.raises(ConfigError, match=r"^expected comma-separated integers such as 32,64, not ''$"):
        parse_sizes(" ", "32,64", empty=False)
    with pytest.raises(ConfigError, match=r"^expected comma-separated integers such as 100,200, not '8,x'$"):
        parse_sizes("8,x")
    with pytest.raises(ConfigError, match=r"^sizes must be positive, not '8,0'$"):
        parse_sizes("8,0")
    assert conv_count_problem(MAX_CONV_LAYERS) == ""
    assert conv_count_problem(MAX_CONV_LAYERS + 1) == f"at most {MAX_CONV_LAYERS} conv layers, not 9"


def test_the_command_line_and_the_form_parse_sizes_alike(capsys):
    assert main(["train", "--fc", "16,x", "--data", "sample", "--no-session"]) == 2
    err = capsys.readouterr().err
    with pytest.raises(ConfigError) as refused:
        parse_sizes("16,x")
    assert err == f"cnnviz train: argument --fc: {refused.value}\n"


def test_every_user_mistake_is_one_class():
    for error in (ConfigError, DataError, SessionError, UsageError):
        assert issubclass(error, UserError) and issubclass(error, ValueError)
    assert USER_ERRORS == (UserError, FileNotFoundError, PermissionError)
    assert ConfigError("x").field == "" and ConfigError("x", "lr").field == "lr"


def test_a_message_as_a_sentence_and_a_number_as_typed():
    assert sentence("the learning rate must be positive, not 0") == "The learning rate must be positive, not 0."
    assert sentence("conv2: a 5x5 filter does not fit") == "conv2: a 5x5 filter does not fit."
    assert sentence("/data/mnist has no labels.") == "/data/mnist has no labels."
    assert [format_number(v) for v in (0.0, -1.0, 1e-5, 0.25)] == ["0", "-1", "0.00001", "0.25"]
