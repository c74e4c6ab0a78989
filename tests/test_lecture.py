"""Data from the lecture notes (cnnviz.lecture): the program's printed loss, its settings and results, checked
against the notes' own text where the notes are at hand, and in the loss view's units."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from cnnviz.core import NetworkConfig
from cnnviz.core import correlate
from cnnviz.lecture import PROGRAM, PROGRAM_ERROR, WORKED_EXAMPLES, reference_curve

NOTES = Path(os.environ.get("CNNVIZ_TEST_NOTES")
             or Path(__file__).resolve().parents[2] / "shared" / "seed" / "lecture-notes-cnn-ja.txt")


def notes() -> str:
    if not NOTES.is_file():
        pytest.skip(f"the lecture notes are not at {NOTES} (set CNNVIZ_TEST_NOTES)")
    return NOTES.read_text(encoding="utf-8")


def test_the_printed_loss_is_240_floats_of_4_epochs():
    assert len(PROGRAM_ERROR) == 240 == PROGRAM.steps // PROGRAM.print_every
    assert all(type(v) is float for v in PROGRAM_ERROR)
    assert PROGRAM_ERROR[:3] == (187.0938, 154.2223, 117.5135) and PROGRAM_ERROR[-1] == 29.8966
    means = np.asarray(PROGRAM_ERROR).reshape(PROGRAM.epochs, -1).mean(axis=1)
    # the "about 52.0, 24.4, 19.8, 16.7"; the data's own means to three decimals
    np.testing.assert_allclose(means, [52.0, 24.4, 19.8, 16.7], atol=0.05)
    np.testing.assert_allclose(means, [51.999, 24.375, 19.814, 16.658], atol=5e-4)
    assert min(PROGRAM_ERROR) > 0


def test_the_values_are_the_notes_lines_in_printed_order():
    text = notes()
    printed = [float(v) for v in re.findall(r"^Error = ([0-9.]+)$", text, flags=re.MULTILINE)]
    assert tuple(printed) == PROGRAM_ERROR
    epochs = re.split(r"^Epoch = \d$", text, flags=re.MULTILINE)[1:]
    assert [len(re.findall(r"^Error = ", e, flags=re.MULTILINE)) for e in epochs] == [60] * 4


def test_the_settings_and_results_are_the_notes():
    text = notes()
    assert f"経過時間は {PROGRAM.seconds:.6f} 秒です" in text and f"経過時間は {PROGRAM.eval_seconds:.6f} 秒です" in text
    assert f"正解率は {PROGRAM.accuracy:.6f}" in text and f"NumTestImages={PROGRAM.test_images};" in text
    answers = [int(a) % 10 for a in re.findall(r"^answer = (\d+)$", text, flags=re.MULTILINE)]  # class 10 is 0
    assert tuple(answers) == PROGRAM.first_predictions
    for setting in (f"Epoch = {PROGRAM.epochs};", f"BatchSize = {PROGRAM.batch_size};",
                    f"drop_ratio = {PROGRAM.drop_ratio};", "mod(i,10)==0"):
        assert setting in text
    assert f"Eta = {PROGRAM.eta:.4f};" in text
    assert re.search(rf"^Beta = {PROGRAM.beta};", text, flags=re.MULTILINE)  # line 1024 is a comment


def test_the_program_in_cnnviz_terms():
    assert PROGRAM.lr == pytest.approx(0.01) and PROGRAM.momentum == pytest.approx(0.2)
    assert PROGRAM.steps_per_epoch == 600 and PROGRAM.steps == 2400
    net = NetworkConfig()  # cnnviz's default network is the program's
    assert tuple(c.filters for c in net.conv) == PROGRAM.conv_filters and net.fc == PROGRAM.fc
    assert {(c.size, c.padding, c.pooling) for c in net.conv} == {(PROGRAM.filter_size, "same", "max")}
    assert net.dropout == PROGRAM.drop_ratio


def test_the_reference_curve_is_in_the_loss_views_units():
    steps, loss = reference_curve()
    np.testing.assert_array_equal(steps, np.arange(10, 2401, 10))
    assert steps.dtype == np.int64 and loss.dtype == np.float64
    np.testing.assert_allclose(loss * 100, PROGRAM_ERROR, rtol=1e-15)
    assert loss[0] == pytest.approx(1.870938) and steps[60] == 610  # the first print of epoch 2


def bmatrix(rows) -> str:
    """A matrix as the notes write it: ``a & b \\\\ c & d``."""
    return r" \\ ".join(" & ".join(str(v) for v in row) for row in rows)


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: e.name)
def test_the_worked_examples_are_the_notes_and_correlate_gives_their_answers(example):
    np.testing.assert_array_equal(correlate(np.array(example.filter, dtype=np.float64),
                                            np.array(example.x, dtype=np.float64), example.padding), example.answer)
    if example.name != "Figure 2":  # the figure is a picture; the exercises are text
        text = notes()
        for matrix in (example.x, example.filter, example.answer):
            assert bmatrix(matrix) in text, matrix
