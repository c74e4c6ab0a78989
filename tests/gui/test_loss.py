"""The loss and accuracy view: curves fed from the model, smoothing, step/epoch axis, events, hover text."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.gui.model import RunModel
from cnnviz.gui.views.loss import LossView, ema
from cnnviz.records import EvalRecord, EventRecord, RunStart, StepRecord


@pytest.fixture
def view(qtbot):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    view.redraw_interval = 0  # draw at every feed (the throttle has its own test)
    view.resize(600, 400)
    view.show()
    return view


def begin(model, records, data):
    model.begin(records[0], data.test_images, data.test_labels)


def data(item):
    """The curve's data as fed (getData would clip it to the view)."""
    return item.getOriginalDataset()


def curve_len(item) -> int:
    x, _ = data(item)
    return 0 if x is None else len(x)


def test_ema_is_debiased_and_continues():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    whole, _, _ = ema(x, 0.5)
    first, m, t = ema(x[:2], 0.5)
    rest, _, _ = ema(x[2:], 0.5, m, t)
    assert np.allclose(whole, np.concatenate([first, rest]))
    assert whole[0] == 1.0  # debiased: the first value is itself, not half of it
    assert np.allclose(ema(x, 0.0)[0], x)  # no smoothing


def test_curves_grow_with_the_steps(view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    model.feed(steps[:2])
    assert curve_len(view.loss_curve) == 2 and curve_len(view.accuracy_smooth) == 2
    model.feed(steps[2:])
    assert curve_len(view.loss_curve) == len(steps)
    x, y = data(view.loss_curve)
    assert list(x) == [r.step for r in steps]
    assert np.allclose(y, [r.loss for r in steps])
    evals = [r for r in tiny_records if isinstance(r, EvalRecord)]
    model.feed(evals)
    x, y = data(view.test_accuracy)
    assert list(x) == [e.step for e in evals] and np.allclose(y, [e.test_accuracy for e in evals])


def test_smoothing_slider_changes_the_bold_curve(view, tiny_records, tiny_data):
    begin(view.model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    view.model.feed(steps)
    view.smoothing.setValue(0)
    _, raw = data(view.loss_smooth)
    assert np.allclose(raw, [r.loss for r in steps])
    view.smoothing.setValue(90)
    _, smooth = data(view.loss_smooth)
    assert np.allclose(smooth, ema(np.array([r.loss for r in steps]), 0.9)[0])
    assert view.smoothing_label.text() == "0.90"


def test_epoch_axis_and_event_lines(view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    start: RunStart = tiny_records[0]
    model.feed([r for r in tiny_records if isinstance(r, StepRecord)])
    model.feed([EventRecord(3, "lr", 0.005)])
    (event, top, bottom), = view._event_lines
    assert top.value() == 3 and "lr 0.005" in top.label.toPlainText()
    view.x_axis.setCurrentText("epoch")
    x, _ = data(view.loss_curve)
    assert np.isclose(x[-1], 6 / start.steps_per_epoch)
    assert np.isclose(top.value(), 3 / start.steps_per_epoch) and np.isclose(bottom.value(), top.value())
    assert view.accuracy_plot.getAxis("bottom").labelText == "epoch"
    begin(model, tiny_records, tiny_data)  # a new run forgets the lines and the curves
    assert not view._event_lines and curve_len(view.loss_curve) == 0


def test_axes_have_no_si_prefix_and_accuracy_spans_0_to_1(view):
    for plot in (view.loss_plot, view.accuracy_plot):
        for name in ("left", "bottom"):
            assert not plot.getAxis(name).autoSIPrefix
    lo, hi = view.accuracy_plot.viewRange()[1]
    assert lo <= 0 and hi >= 1


def test_hover_text_shows_the_values(view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    model.feed([r for r in tiny_records if not isinstance(r, RunStart)])
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    text = view.describe(4.2)
    assert text.startswith("step 4 ") and f"loss {steps[3].loss:.4f}" in text
    assert "test accuracy" in text  # the evaluation at step 3 precedes step 4
    view.x_axis.setCurrentText("epoch")
    assert view.describe(1.0).startswith("step 6 ")


def test_redraws_are_throttled_but_the_last_steps_are_drawn(qtbot, tiny_records, tiny_data):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    view.show()
    view.redraw_interval = 0.2
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    view._last_draw = 0  # long ago
    model.feed(steps[:1])
    assert curve_len(view.loss_curve) == 1  # drawn at once
    model.feed(steps[1:3])
    model.feed(steps[3:])
    assert curve_len(view.loss_curve) == 1  # too soon: coalesced
    qtbot.waitUntil(lambda: curve_len(view.loss_curve) == 6, timeout=2000)


def test_ranges_follow_the_run_until_the_user_zooms(view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    model.feed(steps)
    (x0, x1), (y0, y1) = view.loss_plot.viewRange()
    assert x0 <= 0 and 6 <= x1 <= 6.5  # 10 would pass the planned 6 steps
    assert y0 == 0 and y1 >= max(r.loss for r in steps) and y1 in (2.5, 3, 4)
    grid_x, _ = view.grids[view.loss_plot].getData()
    assert len(grid_x) > 0
    view.log_loss.setChecked(True)
    lo, hi = view.loss_plot.viewRange()[1]
    assert 10 ** lo <= min(r.loss for r in steps) and 10 ** hi >= max(r.loss for r in steps)
    view.loss_plot.getViewBox().sigRangeChangedManually.emit([True, True])
    assert view.fit.isEnabled() and not view._follow
    view.fit.click()
    assert view._follow and not view.fit.isEnabled()


def test_nice_numbers():
    from cnnviz.gui.views.loss import nice_ceil, nice_floor

    assert [nice_ceil(v) for v in (0.7, 1, 1.2, 2.1, 2.9, 3.5, 7, 9, 11, 230)] == [0.8, 1, 1.5, 2.5, 3, 4, 8, 10, 15, 250]
    assert [nice_floor(v) for v in (0.07, 0.3, 1.5, 4)] == [0.05, 0.2, 1, 2]


def test_a_hidden_view_draws_when_shown(qtbot, tiny_records, tiny_data):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    begin(model, tiny_records, tiny_data)
    model.feed([r for r in tiny_records if isinstance(r, StepRecord)])
    assert curve_len(view.loss_curve) == 0  # never shown: nothing drawn yet
    view.show()
    assert curve_len(view.loss_curve) == 6


def test_a_view_opened_mid_run_shows_what_the_model_has(qtbot, tiny_records, tiny_data):
    model = RunModel()
    begin(model, tiny_records, tiny_data)
    model.feed([r for r in tiny_records if not isinstance(r, RunStart)] + [EventRecord(2, "paused")])
    view = LossView(model)
    qtbot.addWidget(view)
    view.show()
    assert curve_len(view.loss_curve) == 6 and len(view._event_lines) == 1
