"""The run state without Qt (cnnviz.gui.state): the series, the cursor, the selection, the traces, the sanity of
snapshots, the colour levels and the norms, used here as a plain object; no application, and no PySide6 import
(this module imports none; a fresh interpreter shows that the state imports none either)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from cnnviz.core import Network
from cnnviz.core.backprop import layer_norms
from cnnviz.data import load_sample, to_input
from cnnviz.gui.levels import FILTER_MARGIN
from cnnviz.gui.series import GrowingArray
from cnnviz.gui.state import USER_IMAGE, RunState
from cnnviz.records import METRICS, EvalRecord, RunEnd, SnapshotRecord, StepRecord
from cnnviz.config import make_config
from cnnviz.training import Trainer


@pytest.fixture(scope="module")
def run():
    config = make_config("lecture", conv=(2, 3), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=2, eval_every=3)
    data = load_sample().limited(200, 60)
    return data, list(Trainer(config, data).run())


def started(data, records) -> RunState:
    state = RunState()
    assert state.begin(records[0], data.test_images, data.test_labels) == {"run"}
    return state


def test_the_state_and_these_tests_import_no_qt():
    """A fresh interpreter imports the state and this test module (not the GUI tests' conftest, which configures
    pyqtgraph): no Qt module is loaded."""
    code = ("import sys; import cnnviz.gui.state, cnnviz.gui.levels, cnnviz.gui.series, tests.gui.test_state; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout
    assert out.strip() == "[]"


def test_feeding_a_run_moves_a_following_cursor_and_tells_what_changed(run):
    data, records = run
    state = started(data, records)
    changes = state.feed(records[1:])
    assert {"data", "step", "snapshot", "eval", "end"} <= changes
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert state.n_steps == len(steps) and state.step == state.last_step == steps[-1].step
    np.testing.assert_array_equal(state.metric("loss"), [r.loss for r in steps])
    assert state.metric("images_per_second").shape == (len(steps),)  # every metric of the session's, one source
    assert METRICS[0] == "step" and "images_per_second" in METRICS
    snaps = [r.step for r in records if isinstance(r, SnapshotRecord)]
    evals = [r.step for r in records if isinstance(r, EvalRecord)]
    for step in range(state.last_step + 1):
        state.seek(step)
        assert state.snapshot().step == max(s for s in snaps if s <= step)
        assert (state.evaluation().step if state.evaluation() else None) == max((e for e in evals if e <= step),
                                                                                default=None)
    assert not state.following
    assert state.follow() >= {"following"} and state.step == state.last_step


def test_a_following_cursor_waits_for_its_interval(run):
    data, records = run
    state = started(data, records)
    state.follow_interval = 60.0
    state.feed(records[1:3])
    first = state.step
    assert "step" not in state.feed(records[3:-1])  # too soon: the model's timer moves it later
    assert state.step == first and 0 < state.follow_wait <= 60.0
    assert "step" in state.feed(records[-1:]) and state.step == state.last_step  # the end: at once


def test_select_tells_only_what_changed_and_a_layer_clears_channel_and_pixel(run):
    state = started(*run)
    assert state.select(channel=1, pixel=(2, 3)) == {"channel", "pixel"}
    assert state.select(channel=1) == set()
    assert state.select(layer=1) == {"layer", "channel", "pixel"}
    assert state.selection.channel is None and state.selection.pixel is None
    with pytest.raises(ValueError, match="stage"):
        state.select(stage="x")


def test_traces_are_cached_and_a_user_image_replaces_its_own(run):
    data, records = run
    state = started(data, records)
    state.feed(records[1:])
    trace = state.trace()
    assert state.trace() is trace
    net = Network(records[0].config.network)
    net.set_params(state.snapshot().params)
    np.testing.assert_allclose(trace.probs, net.forward(to_input(data.test_images[state.selection.image][None])).probs)
    image = np.zeros(data.test_images.shape[1:], dtype=np.uint8)
    assert state.set_user_image(image, label=3) == {"image"} and state.selection.image == USER_IMAGE
    drawn = state.trace()
    assert state.set_user_image(image + 200) == {"image"} and state.trace() is not drawn
    assert state.clear_user_image() == {"image"} and state.selection.image != USER_IMAGE


def test_a_diverging_snapshot_is_not_sane_and_adds_no_levels(run):
    data, records = run
    state = started(data, records)
    last = max(i for i, r in enumerate(records) if isinstance(r, SnapshotRecord))
    blown = records[last]
    blown = SnapshotRecord(blown.step, blown.epoch, {k: v * np.float32(np.nan) for k, v in blown.params.items()},
                           blown.probe_probs)
    state.feed([*records[1:last], blown, *records[last + 1:]])
    assert not state.sane(len(state.snapshots) - 1) and state.sane(0)
    assert state.last_sane_snapshot() == len(state.snapshots) - 2
    assert state.complete_levels() == {"levels"} and state.levels_complete
    top = max(np.abs(r.params["conv1.W"]).max() for r in records[1:last] if isinstance(r, SnapshotRecord))
    assert state.filter_levels(0) == pytest.approx((-FILTER_MARGIN * top, FILTER_MARGIN * top))
    assert state.complete_levels() == set()  # nothing more: nothing told


def test_norms_are_computed_where_asked_for_and_equal_a_direct_computation(run):
    data, records = run
    state = started(data, records)
    state.feed(records[1:])
    assert not state.norms_due  # nobody asked
    state.want_norms()
    assert state.norms_due
    assert state.complete_norms() == {"norms"} and state.norms_done == len(state.snapshots)
    assert state.norms_wanted and not state.norms_due
    start = records[0]
    for i, params in enumerate(state.snapshots[k].params for k in range(len(state.snapshots))):
        net = Network(start.config.network)
        net.set_params(params)
        _, g, w = layer_norms(net, to_input(start.probe_images), start.probe_labels)
        np.testing.assert_allclose(state.grad_norms.rows[i], g, rtol=1e-12)
        np.testing.assert_allclose(state.weight_norms.rows[i], w, rtol=1e-12)
    assert state.norm_steps == state.snapshots.steps


def test_a_growing_array_doubles_and_keeps_its_rows():
    rows = GrowingArray(3, minimum=4)
    for n in range(1, 11):
        rows.extend(np.full((1, 3), n))
    assert len(rows) == 10 and rows._data.shape == (16, 3)
    np.testing.assert_array_equal(rows.rows[:, 0], np.arange(1, 11))
    rows.extend(np.zeros((0, 3)))
    assert len(rows) == 10


def test_the_probe_probabilities_of_every_snapshot(run):
    data, records = run
    state = started(data, records)
    state.feed(records[1:])
    snaps = [r for r in records if isinstance(r, SnapshotRecord)]
    np.testing.assert_array_equal(state.probe_probs(), np.stack([r.probe_probs for r in snaps]))


def test_a_new_run_forgets_the_old_one(run):
    data, records = run
    state = started(data, records)
    state.feed(records[1:])
    assert isinstance(records[-1], RunEnd) and state.end is not None
    assert state.clear() == {"run"} and state.start is None and state.n_steps == 0 and not state.snapshots.steps
    started_at = time.monotonic()
    state.begin(records[0], None, None)  # without the test set: the probe images only
    assert list(state.image_indices) == sorted(int(i) for i in records[0].probe_indices)
    assert time.monotonic() - started_at < 60
