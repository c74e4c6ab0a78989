"""The presets' rules (cnnviz.config): the `program` preset trains the lecture's hyperparameters by the appendix
program's own rules; the preset decides the network's rules wherever a configuration comes from."""

from __future__ import annotations

import dataclasses

from cnnviz.config import PRESETS, TrainConfig, fork_config, make_config, rules_of
from cnnviz.core import NetworkConfig
from cnnviz.lecture import PROGRAM


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
