"""The window's model: the cursor, following a live run, the one selection, traces and records read on demand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject

from cnnviz.gui.levels import Levels, robust_peak
from cnnviz.gui.model import RunModel
from cnnviz.gui.series import Series
from cnnviz.records import EvalRecord, SnapshotRecord, StepRecord
from tests.gui.helpers import fed_model, run_records, started_model, trace_of

pytestmark = pytest.mark.usefixtures("qapp")  # the model's timers need the application


@pytest.fixture(scope="module")
def run():
    return run_records(eval_every=3)  # 4 steps: snapshots every 2 steps and at each evaluation


def changes_of(model) -> list[frozenset]:
    seen: list[frozenset] = []
    model.changed.connect(seen.append)
    return seen


def test_the_cursor_shows_the_last_snapshot_and_evaluation_at_or_before_it(run):
    data, records = run
    model = fed_model(data, records)
    snaps = [r.step for r in records if isinstance(r, SnapshotRecord)]
    evals = [r.step for r in records if isinstance(r, EvalRecord)]
    assert model.step == model.last_step == 4 and model.following
    for step in range(model.last_step + 1):
        model.seek(step)
        assert model.snapshot().step == max(s for s in snaps if s <= step)
        ev = model.evaluation()
        assert (ev.step if ev is not None else None) == max((e for e in evals if e <= step), default=None)
    model.seek(99)  # clipped to the run
    assert model.step == 4


def test_seeking_back_stops_following_and_follow_catches_up(run):
    data, records = run
    model = started_model(data, records)
    model.feed(records[1:6])
    assert model.following and model.step == model.last_step
    model.seek(0)
    assert not model.following
    model.feed(records[6:])  # the run goes on: the cursor stays where the user put it
    assert model.step == 0 and model.snapshot().step == 0
    model.follow()
    assert model.following and model.step == model.last_step == 4


def test_a_live_snapshot_is_shown_only_while_following_and_not_kept(run):
    data, records = run
    model = started_model(data, records)
    snapshot0 = records[1]
    step1 = next(r for r in records if isinstance(r, StepRecord))
    model.feed([snapshot0, step1])
    live = SnapshotRecord(1, 1, {k: v + 1 for k, v in snapshot0.params.items()}, snapshot0.probe_probs)
    model.set_live(live)
    assert model.snapshot() is live and model.snapshot_index is None and model.step == step1.step
    np.testing.assert_array_equal(model.network.params["conv1.W"], live.params["conv1.W"])
    seen = changes_of(model)
    for k, newer in enumerate((  # live parameters replace live parameters: the views are told, each time
            SnapshotRecord(2, 1, {k: v + 2 for k, v in snapshot0.params.items()}, snapshot0.probe_probs),
            SnapshotRecord(2, 1, {k: v + 3 for k, v in snapshot0.params.items()}, snapshot0.probe_probs))):
        model.set_live(newer)  # the second at the same step (a step taken while paused shows as it is taken)
        assert model.snapshot() is newer and "snapshot" in seen[-1] and len(seen) == k + 1
        np.testing.assert_array_equal(model.network.params["conv1.W"], newer.params["conv1.W"])
    model.seek(0)
    assert model.snapshot().step == 0 and model.snapshot_index == 0
    assert len(model.snapshots) == 1  # the live copy is not part of the run's snapshots


def test_a_following_cursor_moves_at_most_every_follow_interval(qtbot, run):
    data, records = run
    model = started_model(data, records)
    model.follow_interval = 0.3
    model.feed(records[1:3])
    first = model.step
    model.feed(records[3:-1])  # all but the RunEnd (which the cursor follows at once)
    assert model.step == first  # not yet: the views redraw at most every 0.3 s while following
    qtbot.waitUntil(lambda: model.step == model.last_step, timeout=2000)


def test_dragging_queues_no_work_only_the_newest_position_is_drawn(qtbot, run):
    model = fed_model(*run)
    seen = changes_of(model)
    for step in (0, 1, 2, 3, 0, 2):
        model.seek_soon(step)
    assert model.step == 4  # nothing yet
    qtbot.waitUntil(lambda: model.step == 2, timeout=1000)
    qtbot.wait(50)
    assert len([c for c in seen if "step" in c]) == 1  # one seek, to the newest request


def test_one_selection_with_a_layer_that_clears_the_channel(run):
    model = fed_model(*run)
    seen = changes_of(model)
    model.select(image=7, channel=1)
    assert model.selection.image == 7 and model.selection.channel == 1 and seen[-1] == {"image", "channel"}
    model.select(layer=1)
    assert model.selection.layer == 1 and model.selection.channel is None
    model.select(layer=1)
    assert seen[-1] == {"layer", "channel"}  # selecting what is selected changes nothing: no signal
    with pytest.raises(ValueError, match="stage"):
        model.select(stage="q")


def test_the_trace_is_computed_once_per_snapshot_and_image(run):
    model = fed_model(*run)
    model.select(image=5)
    trace = model.trace()
    assert model.trace() is trace  # every view gets the same one
    np.testing.assert_array_equal(trace.conv[1].p, trace_of(model, 5).conv[1].p)
    model.seek(0)
    assert model.trace() is not trace
    model.follow()
    assert model.trace() is trace


def test_evaluation_probabilities_use_the_evaluated_parameters(run):
    data, records = run
    model = fed_model(data, records)
    model.seek(3)  # the evaluation at step 3; the cursor's snapshot is the one of step 3 too
    ev = model.evaluation()
    for i in range(5):
        probs = model.eval_probabilities(i)
        assert int(probs.argmax()) == int(ev.predicted[i])
        assert float(probs.max()) == pytest.approx(float(ev.confidence[i]), rel=1e-5)


def test_records_read_on_demand_are_cached():
    loads = []

    def load(i):
        loads.append(i)
        return f"record {i}"

    series = Series(cache=2)
    series.extend_lazy([0, 10, 20], load)
    assert series[1] == "record 1" and series[1] == "record 1" and loads == [1]
    series[0], series[2], series[1]
    assert loads == [1, 0, 2, 1]  # only two kept
    assert series.at_or_before(15) == 1 and series.at_or_before(-1) is None and series.at_or_before(99) == 2


def test_a_model_without_the_test_set_offers_the_probe_images(run):
    data, records = run
    model = RunModel()
    model.begin(records[0], None, None)
    probes = sorted(int(i) for i in records[0].probe_indices)
    assert model.image_indices.tolist() == probes
    assert model.has_image(probes[0]) and not model.has_image(max(probes) + 1)
    np.testing.assert_array_equal(model.image(probes[0]), data.test_images[probes[0]])
    assert model.selection.image == int(records[0].probe_indices[0])


def test_a_run_that_blew_up_computes_traces_and_levels_without_runtime_warnings(run):
    """A diverging run's last snapshot holds enormous weights: its forward passes overflow to inf and NaN,
    silently (no RuntimeWarning reaches the terminal), and the colour levels ignore the non-finite peaks."""
    data, records = run
    last = max(i for i, r in enumerate(records) if isinstance(r, SnapshotRecord))
    snap = records[last]
    huge = SnapshotRecord(snap.step, snap.epoch, {k: v * np.float32(1e30) for k, v in snap.params.items()},
                          snap.probe_probs)
    assert all(np.isfinite(p).all() for p in huge.params.values())  # enormous, still finite
    blown = [*records[:last], huge, *records[last + 1:]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = fed_model(data, blown)  # every snapshot's levels, the huge one's included
        assert model.snapshot() is huge
        for image in range(3):
            model.select(image=image)
            trace = model.trace()
            assert not np.isfinite(trace.probs).all()  # it did overflow
            model.eval_probabilities()
        with np.errstate(over="raise", invalid="raise"):  # whatever the caller's setting
            model.select(image=3)
            model.trace()
            model.complete_levels()
    for name in ("filters", "u", "a"):  # the non-finite peaks are left out
        assert all(math.isfinite(v) for v in getattr(model.levels, name))


def test_levels_ignore_infinite_and_nan_peaks():
    levels = Levels(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in (np.array([np.inf, np.inf, 1.0]), np.array([np.inf] * 3), np.array([np.nan, 1.0]),
                       np.array([-np.inf, np.inf])):
            assert not levels.widen("u", 0, robust_peak(values))
        assert not levels.widen("filters", 0, float("inf")) and not levels.widen("a", 0, float("-inf"))
    assert levels.widen("u", 0, 2.0) and levels.u == [2.0]


class Recorder(QObject):
    """A stand-in for a view: redraws through the model for the changes it draws, and records what it drew."""

    def __init__(self, model: RunModel, name: str, drawn: list):
        super().__init__()
        self.model, self.name, self.drawn = model, name, drawn
        model.changed.connect(self._on_model)

    def _on_model(self, changes) -> None:
        if changes & {"snapshot", "eval", "layer"}:
            self.model.redraws.request(self.redraw)

    def redraw(self) -> None:
        self.drawn.append((self.name, self.model.snapshot().step, self.model.selection.layer))


def test_a_growing_run_redraws_its_views_one_a_turn_and_a_users_action_at_once(run, qtbot):
    data, records = run  # snapshots at steps 0, 2, 3, 4; evaluations at 3 and 4
    model = started_model(data, records)
    drawn: list = []
    views = [Recorder(model, name, drawn) for name in ("filters", "maps", "pooling")]
    model.feed(records[1:4])  # without stagger (a view's own tests, a figure): at once
    assert drawn == [(name, 0, 0) for name in ("filters", "maps", "pooling")] and model.redraws.waiting == 0

    model.redraws.stagger = True  # the window's setting
    drawn.clear()
    model.feed(records[4:5])  # a new snapshot while following
    assert drawn == [] and model.redraws.waiting == 3
    model.feed(records[5:7])  # another before they drew: each view still waits once, in its place
    assert drawn == [] and model.redraws.waiting == 3
    model.redraws._next_turn()  # what the zero-interval timer does on a turn of the event loop: one view
    assert drawn == [("filters", 3, 0)] and model.redraws.waiting == 2
    model.select(layer=1)  # a user's action: every view that draws it, now, and none waits any more
    assert drawn[1:] == [(name, 3, 1) for name in ("filters", "maps", "pooling")] and model.redraws.waiting == 0

    drawn.clear()
    model.feed(records[7:10])  # an evaluation and a snapshot
    gone = views.pop(1)  # a view closed while it waited is skipped
    shiboken6.delete(gone)
    qtbot.waitUntil(lambda: model.redraws.waiting == 0)  # the event loop runs them, one a turn
    assert drawn == [("filters", 4, 1), ("pooling", 4, 1)]

    drawn.clear()
    model.feed(records[10:])  # the last evaluation and the end
    assert model.redraws.waiting == 2
    model.redraws.flush()  # before a picture of the window: all of them now
    assert drawn == [("filters", 4, 1), ("pooling", 4, 1)] and model.redraws.waiting == 0
    model.begin(records[0], data.test_images, data.test_labels)
    model.feed(records[1:2])
    assert model.redraws.waiting == 2
    model.begin(records[0], data.test_images, data.test_labels)  # a new run forgets what waited
    assert model.redraws.waiting == 0


def test_levels_and_norms_are_computed_on_the_models_thread_which_ends_when_it_closes(run, qtbot):
    data, records = run
    model = started_model(data, records)
    seen = changes_of(model)
    model.want_norms()
    model.feed(records[1:])
    qtbot.waitUntil(lambda: model.levels_complete and model.norms_done == len(model.snapshots), timeout=20_000)
    assert any("levels" in c for c in seen) and any("norms" in c for c in seen)
    pool = model._pool
    assert pool is not None and all(t.name.startswith("cnnviz-levels") for t in pool._threads)
    model.close()
    assert model._pool is None and not any(t.is_alive() for t in pool._threads)
