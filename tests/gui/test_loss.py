"""The loss and accuracy view: curves fed from the model, smoothing, step/epoch axis, events, the timeline
cursor (clicked and dragged), hover text."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cnnviz.gui.model import RunModel
from cnnviz.gui.views.loss import LossView
from cnnviz.gui.views.loss_events import LABEL_TOP
from cnnviz.gui.views.loss_series import ema
from cnnviz.lecture import PROGRAM, PROGRAM_ERROR
from cnnviz.records import EvalRecord, EventRecord, RunStart, StepRecord


@pytest.fixture
def view(qtbot):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    view.redraw_interval = 0  # draw at every feed (the throttle has its own test)
    view.resize(600, 400)
    with qtbot.waitExposed(view):
        view.show()
    return view


def begin(model, records, data):
    model.begin(records[0], data.test_images, data.test_labels)


def fed(view, records, data):
    """The view's model with the whole tiny run; its records by kind."""
    begin(view.model, records, data)
    view.model.feed(records[1:])
    return ([r for r in records if isinstance(r, StepRecord)], [r for r in records if isinstance(r, EvalRecord)])


def data(item):
    """The curve's data as fed (getData would clip it to the view)."""
    return item.getOriginalDataset()


def curve_len(item) -> int:
    x, _ = data(item)
    return 0 if x is None else len(x)


def widget_pos(view, plot, x, y):
    """Where the point (x, y) of ``plot``'s axes is on the plots widget's viewport."""
    scene = plot.getViewBox().mapViewToScene(QPointF(x, y))
    return view.plots.mapFromScene(scene)


def record_seeks(model, monkeypatch) -> list:
    """The steps passed to ``model.seek_soon`` from now on (which still seeks)."""
    calls = []
    seek_soon = model.seek_soon

    def recording(step):
        calls.append(step)
        seek_soon(step)

    monkeypatch.setattr(model, "seek_soon", recording)
    return calls


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
    x, y = data(view.test_loss)
    assert list(x) == [e.step for e in evals] and np.allclose(y, [e.test_loss for e in evals])


def test_a_long_run_draws_two_points_a_pixel_column(view, tiny_records, tiny_data):
    """However many steps, a curve draws at most the highest and lowest value of each pixel column (painting more
    points grew the view's cost with the run and stalled the GUI thread)."""
    begin(view.model, tiny_records, tiny_data)
    rng = np.random.default_rng(0)
    n = 20000
    loss = 2 * np.exp(-np.arange(n) / 3000) + 0.1 * rng.random(n)
    view.model.feed([StepRecord(step=i + 1, epoch=1 + i // 600, loss=float(loss[i]), accuracy=0.5, lr=0.01,
                                momentum=0.9, time=i * 0.1, images_per_second=1000.0) for i in range(n)])
    view.loss_plot.setXRange(0, n, padding=0)  # the whole run in view (the tiny run planned 6 steps)
    QApplication.processEvents()
    for item in (view.loss_curve, view.loss_smooth, view.accuracy_curve, view.accuracy_smooth):
        assert curve_len(item) == n
        shown, _ = item.getData()
        columns = item.getViewBox().width()
        assert 0 < len(shown) <= 2.2 * columns  # two a column (the bucket width is rounded down)
    _, y = view.loss_curve.getData()
    assert y.max() == pytest.approx(loss.max())  # the peaks are kept


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
    (label,) = view.event_labels()
    assert label.event == EventRecord(3, "lr", 0.005) and label.x == 3 and label.text == "lr 0.005"
    view.x_axis.setCurrentText("epoch")
    x, _ = data(view.loss_curve)
    assert np.isclose(x[-1], 6 / start.steps_per_epoch)
    assert np.isclose(view.event_labels()[0].x, 3 / start.steps_per_epoch)
    assert view.accuracy_plot.getAxis("bottom").labelText == "epoch"
    begin(model, tiny_records, tiny_data)  # a new run forgets the lines and the curves
    assert view.event_count() == 0 and curve_len(view.loss_curve) == 0


def test_events_added_in_two_feeds_are_each_drawn_once(view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    model.feed(steps[:3] + [EventRecord(3, "paused")])
    assert view.event_count() == 1
    model.feed([EventRecord(3, "resumed")] + steps[3:])
    snapshots = [r for r in tiny_records if type(r).__name__ == "SnapshotRecord"]
    model.feed(snapshots)  # more data, no event
    assert view.event_count() == 2
    assert [label.text for label in view.event_labels()] == ["paused", "resumed"]
    assert [label.event for label in view.event_labels()] == model.events


def test_close_event_labels_are_stacked(view, tiny_records, tiny_data):
    model = view.model
    fed(view, tiny_records, tiny_data)
    model.feed([EventRecord(1, "paused"), EventRecord(3, "lr", 0.005), EventRecord(3, "momentum", 0.5),
                EventRecord(6, "resumed")])
    paused, lr, momentum, resumed = view.event_labels()
    assert paused.position == LABEL_TOP and resumed.position == LABEL_TOP  # far apart: the same height
    assert lr.position == LABEL_TOP and momentum.position < LABEL_TOP  # the same step: one below the other
    view.resize(1400, 400)  # wider: the labels keep their heights as long as they would overlap
    QApplication.processEvents()
    assert [label.position for label in view.event_labels()] == [LABEL_TOP, LABEL_TOP, momentum.position,
                                                                 LABEL_TOP]


@pytest.mark.parametrize("size", [(1200, 500), (600, 400), (420, 300), (420, 200)])
def test_many_close_event_labels_never_overlap(view, tiny_records, tiny_data, size):
    """Nine events on five steps (pause and resume, learning rate and momentum changes), at sizes down to a
    small dock: no two labels drawn over each other; a label with no room left is hidden, its line kept."""
    fed(view, tiny_records, tiny_data)
    view.model.feed([EventRecord(1, "paused"), EventRecord(1, "lr", 0.005), EventRecord(2, "resumed"),
                     EventRecord(2, "momentum", 0.5), EventRecord(3, "paused"), EventRecord(3, "resumed"),
                     EventRecord(4, "lr", 0.001), EventRecord(5, "paused"), EventRecord(5, "resumed")])
    view.resize(*size)
    QApplication.processEvents()
    assert view.width() <= max(size[0], view.minimumSizeHint().width())
    labels = [top.label for _, top, _ in view.event_lines.lines]
    rects = [label.sceneBoundingRect() for label in labels if label.isVisible()]
    assert not [(i, j) for i in range(len(rects)) for j in range(i) if rects[i].intersects(rects[j])]
    shown = [label.shown for label in view.event_labels()]
    assert shown.count(True) == len(rects) >= 3
    if size[0] >= 1200:
        assert all(shown)  # room for every label
    assert all(top.isVisible() and bottom.isVisible() for _, top, bottom in view.event_lines.lines)  # every line
    vb = view.loss_plot.getViewBox()
    assert all(LABEL_TOP - 1 < label.position <= LABEL_TOP for label in view.event_labels())
    assert vb.height() > 0


def test_axes_have_no_si_prefix_and_accuracy_spans_0_to_1(view):
    for plot in (view.loss_plot, view.accuracy_plot):
        for name in ("left", "bottom"):
            assert not plot.getAxis(name).autoSIPrefix
    lo, hi = view.accuracy_plot.viewRange()[1]
    assert lo <= 0 and hi >= 1


def test_hover_text_shows_the_values(view, tiny_records, tiny_data):
    steps, evals = fed(view, tiny_records, tiny_data)
    text = view.describe(4.2)
    assert text.startswith("step 4 (epoch 0.67)") and f"loss {steps[3].loss:.4f}" in text
    e = evals[0]  # the evaluation at step 3 precedes step 4
    assert text.endswith(f"test accuracy {e.test_accuracy:.2%}, test loss {e.test_loss:.4f} (step 3)")
    assert "test accuracy" not in view.describe(2)
    view.x_axis.setCurrentText("epoch")
    assert view.describe(1.0).startswith("step 6 ")


def test_hover_text_says_when_an_evaluation_was_an_early_one(view):
    from tests.gui.helpers import early_run

    data, records = early_run()
    fed(view, records, data)
    e = next(r for r in records if isinstance(r, EvalRecord))
    assert view.describe(30).endswith(f"test accuracy {e.test_accuracy:.2%}, test loss {e.test_loss:.4f} (step 25; "
                                      "an early evaluation, of the first 20 of the 60 test images)")
    assert view.describe(40).endswith(" (step 40)")


def test_hover_line_follows_the_mouse_and_hides_when_it_leaves(qtbot, view, tiny_records, tiny_data):
    fed(view, tiny_records, tiny_data)
    scene = view.plots.scene()
    scene.sigMouseMoved.emit(view.accuracy_plot.getViewBox().mapViewToScene(QPointF(4.2, 0.5)))
    qtbot.waitUntil(lambda: all(line.isVisible() for line in view.hover_lines), timeout=2000)
    assert [line.value() for line in view.hover_lines] == [4, 4]
    assert view.hover.text().startswith("step 4 ")
    QApplication.sendEvent(view.plots, QEvent(QEvent.Type.Leave))
    assert not any(line.isVisible() for line in view.hover_lines)
    assert view.hover.text() == view.HINT
    assert all(line.isVisible() for line in view.step_lines)  # the timeline cursor stays


def test_hover_text_never_widens_the_view(view, tiny_records, tiny_data):
    fed(view, tiny_records, tiny_data)
    hint, minimum = view.sizeHint().width(), view.minimumSizeHint().width()
    long = view.describe(6) * 5
    view.hover.setText(long)
    assert view.sizeHint().width() == hint and view.minimumSizeHint().width() == minimum
    assert view.hover.text() == long
    shown = view.hover.elided()
    assert shown.endswith("…") and len(shown) < len(long)  # elided to the label's width
    assert view.hover.height() == view.hover.minimumHeight() == view.hover.maximumHeight()  # one fixed line


def test_a_real_hover_readout_never_widens_the_view(qtbot, view, tiny_records, tiny_data):
    """The readout of a point after an evaluation ("... test accuracy 97.04%, test loss 0.0989 (step 600)") at a
    narrow width: the view's minimum and preferred widths stay as they were, so the dock never grows."""
    fed(view, tiny_records, tiny_data)
    view.resize(view.minimumSizeHint().width(), 300)
    QApplication.processEvents()
    width, hint, minimum = view.width(), view.sizeHint().width(), view.minimumSizeHint().width()
    view.plots.scene().sigMouseMoved.emit(view.loss_plot.getViewBox().mapViewToScene(QPointF(5, 1.0)))
    qtbot.waitUntil(lambda: "test accuracy" in view.hover.text(), timeout=2000)
    QApplication.processEvents()
    assert view.hover.fontMetrics().horizontalAdvance(view.hover.text()) > width  # longer than the view
    assert (view.width(), view.sizeHint().width(), view.minimumSizeHint().width()) == (width, hint, minimum)
    assert minimum <= 460  # the controls fit a narrow dock


def test_step_line_sits_at_the_cursor(monkeypatch, view, tiny_records, tiny_data):
    model = view.model
    begin(model, tiny_records, tiny_data)
    seeks = record_seeks(model, monkeypatch)
    assert all(line.isVisible() for line in view.step_lines)
    assert [line.value() for line in view.step_lines] == [0, 0]
    fed_steps = [r for r in tiny_records if not isinstance(r, RunStart)]
    model.feed(fed_steps)
    assert model.step == 6 and [line.value() for line in view.step_lines] == [6, 6]  # following
    model.seek(4)
    assert [line.value() for line in view.step_lines] == [4, 4]
    view.x_axis.setCurrentText("epoch")
    assert np.allclose([line.value() for line in view.step_lines], 4 / 6)
    model.seek(2)
    assert np.allclose([line.value() for line in view.step_lines], 2 / 6)
    assert seeks == []  # the model moved the lines: nothing fed back


def test_clicking_a_plot_seeks_the_nearest_step(qtbot, monkeypatch, view, tiny_records, tiny_data):
    model = view.model
    fed(view, tiny_records, tiny_data)
    seeks = record_seeks(model, monkeypatch)
    viewport = view.plots.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=widget_pos(view, view.accuracy_plot, 4.3, 0.5))
    qtbot.waitUntil(lambda: model.step == 4, timeout=2000)
    assert seeks == [4] and not model.following
    assert [line.value() for line in view.step_lines] == [4, 4]
    view.x_axis.setCurrentText("epoch")
    QApplication.processEvents()
    y = float(np.mean(view.loss_plot.viewRange()[1]))
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=widget_pos(view, view.loss_plot, 1.8 / 6, y))
    qtbot.waitUntil(lambda: model.step == 2, timeout=2000)
    assert seeks == [4, 2] and np.isclose(view.step_lines[0].value(), 2 / 6)


def test_panning_is_not_a_click(qtbot, monkeypatch, view, tiny_records, tiny_data):
    model = view.model
    fed(view, tiny_records, tiny_data)
    model.seek(4)
    seeks = record_seeks(model, monkeypatch)
    viewport = view.plots.viewport()
    start = widget_pos(view, view.accuracy_plot, 1.5, 0.5)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for dx in (10, 20, 40, 60):
        QTest.mouseMove(viewport, start + QPoint(dx, 0))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    qtbot.wait(50)
    assert not view.is_auto_range()  # the plots were panned
    assert seeks == [] and model.step == 4


def test_dragging_the_step_line_seeks(qtbot, monkeypatch, view, tiny_records, tiny_data):
    model = view.model
    fed(view, tiny_records, tiny_data)
    model.seek(5)
    seeks = record_seeks(model, monkeypatch)
    viewport = view.plots.viewport()
    y = float(np.mean(view.loss_plot.viewRange()[1]))
    start = widget_pos(view, view.loss_plot, 5, y)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for x in (4.7, 4.0, 3.0, 2.1):
        QTest.mouseMove(viewport, widget_pos(view, view.loss_plot, x, y))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=widget_pos(view, view.loss_plot, 2.1, y))
    qtbot.waitUntil(lambda: model.step == 2, timeout=2000)
    assert seeks and seeks[-1] == 2 and set(seeks) <= {2, 3, 4, 5}
    assert view.is_auto_range()  # the line moved, not the plot
    assert [line.value() for line in view.step_lines] == [2, 2]


def test_moving_the_step_line_seeks(qtbot, view, tiny_records, tiny_data):
    """The line's own drag signal (what pyqtgraph emits while the user drags it) moves the model's cursor."""
    model = view.model
    fed(view, tiny_records, tiny_data)
    line = view.step_lines[0]
    line.setPos(2.8)
    line.sigDragged.emit(line)
    assert view.step_lines[1].value() == 2.8  # the accuracy plot's line moves along
    qtbot.waitUntil(lambda: model.step == 3, timeout=2000)
    assert [line.value() for line in view.step_lines] == [3, 3]  # then snaps to the recorded step


def test_redraws_are_throttled_but_the_last_steps_are_drawn(qtbot, tiny_records, tiny_data):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    view.show()
    view.redraw_interval = 0.2
    begin(model, tiny_records, tiny_data)  # drawn now
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    qtbot.wait(250)  # longer than redraw_interval
    model.feed(steps[:1])
    assert curve_len(view.loss_curve) == 1  # drawn at once
    model.feed(steps[1:3])
    model.feed(steps[3:])
    assert curve_len(view.loss_curve) == 1  # too soon: coalesced
    qtbot.waitUntil(lambda: curve_len(view.loss_curve) == 6, timeout=2000)


def test_the_end_draws_the_last_steps_at_once(qtbot, tiny_records, tiny_data):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    view.show()
    view.redraw_interval = 60  # nothing drawn by the timer within the test
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    model.feed(steps[:3])
    assert curve_len(view.loss_curve) == 0  # too soon after the first draw
    model.feed(tiny_records[-1:])  # RunEnd
    assert curve_len(view.loss_curve) == 3


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
    assert view.fit.isEnabled() and not view.is_auto_range()
    view.fit.click()
    assert view.is_auto_range() and not view.fit.isEnabled()


@pytest.mark.parametrize("log", [False, True])
def test_after_a_rollback_the_loss_axis_follows_the_sane_part(view, tiny_records, tiny_data, log):
    """Steps 3 and 4 blew up (5e14), the run was rolled back to step 2 at step 4 and went on: the y range is the
    sane steps' again (it stayed at 5e14, the new curve flat along the bottom)."""
    model = view.model
    view.log_loss.setChecked(log)
    begin(model, tiny_records, tiny_data)
    steps = [r for r in tiny_records if isinstance(r, StepRecord)]
    blown = [dataclasses.replace(r, loss=5e14) if r.step in (3, 4) else r for r in steps]
    model.feed(blown[:4])
    top = view.loss_plot.viewRange()[1][1]
    assert (10 ** top if log else top) >= 5e14
    model.feed([EventRecord(4, "rollback", 2.0)] + blown[4:])
    lo, hi = view.loss_plot.viewRange()[1]
    sane = [r.loss for r in steps if r.step not in (3, 4)]
    if log:
        lo, hi = 10 ** lo, 10 ** hi
    assert lo <= min(sane) and max(sane) <= hi <= 2 * max(sane)


def test_nice_numbers():
    from cnnviz.gui.views.loss_series import nice_ceil, nice_floor

    assert [nice_ceil(v) for v in (0.7, 1, 1.2, 2.1, 2.9, 3.5, 7, 9, 11, 230)] == [0.8, 1, 1.5, 2.5, 3, 4, 8, 10, 15, 250]
    assert [nice_floor(v) for v in (0.07, 0.3, 1.5, 4)] == [0.05, 0.2, 1, 2]


def test_a_hidden_view_draws_when_shown(qtbot, tiny_records, tiny_data):
    model = RunModel()
    view = LossView(model)
    qtbot.addWidget(view)
    begin(model, tiny_records, tiny_data)
    model.feed([r for r in tiny_records if isinstance(r, StepRecord)] + [EventRecord(2, "paused")])
    assert curve_len(view.loss_curve) == 0 and view.event_count() == 0  # never shown: nothing drawn yet
    view.show()
    assert curve_len(view.loss_curve) == 6 and view.event_count() == 1


def test_a_view_opened_mid_run_shows_what_the_model_has(qtbot, tiny_records, tiny_data):
    model = RunModel()
    begin(model, tiny_records, tiny_data)
    model.feed([r for r in tiny_records if not isinstance(r, RunStart)] + [EventRecord(2, "paused")])
    model.seek(3)
    view = LossView(model)
    qtbot.addWidget(view)
    view.show()
    assert curve_len(view.loss_curve) == 6 and view.event_count() == 1
    assert [line.value() for line in view.step_lines] == [3, 3]


@pytest.mark.parametrize("height", [260, 330, 600])
def test_y_tick_labels_have_room_even_on_a_short_plot(view, qtbot, tiny_records, tiny_data, height):
    fed(view, tiny_records, tiny_data)
    view.resize(600, height)
    qtbot.waitUntil(lambda: view.height() == height)
    for plot in (view.loss_plot, view.accuracy_plot):
        (lo, hi), size = plot.viewRange()[1], plot.getViewBox().height()
        labelled = plot.getAxis("left").tickValues(lo, hi, size)[0][1]  # the first level: always labelled
        assert len(labelled) >= 2
        pixels_apart = (labelled[1] - labelled[0]) * size / (hi - lo)
        assert pixels_apart >= 15, (height, size, labelled)  # a 13-pixel label each, not overlapping


def test_the_programs_run_is_a_reference_on_at_first_for_the_lecture_presets(view, tiny_records, tiny_data):
    ref = view.reference
    assert not ref.box.isChecked() and not ref.shown  # no run: off
    begin(view.model, tiny_records, tiny_data)  # the tiny run is of the lecture preset
    assert tiny_records[0].config.preset == "lecture"
    assert ref.box.isChecked() and ref.curve.isVisible() and ref.line.isVisible()
    x, y = data(ref.curve)  # the program's printed loss divided by its 100 images, every 10 steps
    assert len(x) == 240 and x[0] == 10 and x[-1] == 2400
    np.testing.assert_allclose(y, np.array(PROGRAM_ERROR) / 100)
    assert y[0] == pytest.approx(1.870938) and ref.line.value() == pytest.approx(0.971)
    for axis, scale in (("epoch", 1 / 600), ("images seen", 100), ("training time", PROGRAM.seconds / 2400),
                        ("step", 1)):
        view.x_axis.setCurrentText(axis)
        np.testing.assert_allclose(data(ref.curve)[0], np.arange(10, 2401, 10) * scale)
    ref.box.setChecked(False)
    assert not ref.curve.isVisible() and not ref.line.isVisible()
    start = tiny_records[0]
    other = dataclasses.replace(start, config=dataclasses.replace(start.config, preset="fast"))
    view.model.begin(other, tiny_data.test_images, tiny_data.test_labels)  # another preset's run: off
    assert not ref.box.isChecked() and not ref.shown
    ref.box.setChecked(True)
    assert ref.shown
