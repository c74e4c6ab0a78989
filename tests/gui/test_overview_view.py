"""The Overview: every stage of a tiny network for one image (columns, captions, the model's trace and levels),
hover and click, following the timeline, computing nothing while hidden; the filter slide stepped by hand equals the
forward pass at every position; ``cnnviz render --view overview``."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from cnnviz.cli import main
from cnnviz.core import NetworkConfig
from cnnviz.gui.model import RunModel
from cnnviz.gui.redraws import on_screen
from cnnviz.gui.views.common import fmt
from cnnviz.gui.views.overview import OverviewView
from cnnviz.gui.views.overview_layout import HEIGHT, feeds, overview_columns, slide_sums, strip_width
from cnnviz.records import SnapshotRecord
from tests.gui.helpers import fed_model, hover, run_records, shown, trace_of


@pytest.fixture(scope="module")
def run():
    """conv (2, 3): conv2 reads 2 channels; fc (8, 10)."""
    return run_records(conv=(2, 3), fc=(8, 10))


def test_the_lectures_network_has_a_column_per_stage_in_order():
    columns = overview_columns(NetworkConfig())
    assert [c.caption for c in columns] == [
        "input: 1 × 28 × 28",
        "conv1 u: 32 × 28 × 28", "conv1 a: 32 × 28 × 28", "conv1 p: 32 × 14 × 14",
        "conv2 u: 64 × 14 × 14", "conv2 a: 64 × 14 × 14", "conv2 p: 64 × 7 × 7",
        "flatten: 3,136 values", "fc1 a: 100", "fc2 a: 200", "output: Soft(u), 10"]
    xs = [c.rect[0] for c in columns]
    assert xs == sorted(xs) and all(a.rect[0] + a.rect[2] < b.rect[0] for a, b in zip(columns, columns[1:]))
    conv = [c for c in columns if c.kind == "conv"]
    assert all(c.rect[1] == 0 and c.rect[3] == HEIGHT for c in conv)
    for layer in (0, 1):  # u, a and p of a layer: one grid, so channel k sits in the same place in each
        grids = {(c.grid.rows, c.grid.cols) for c in conv if c.layer == layer}
        assert len(grids) == 1
    flat = columns[7]
    assert strip_width(3136) == flat.grid.w == 14 and flat.grid.h * flat.grid.w == 3136


def test_what_feeds_what():
    columns = overview_columns(NetworkConfig())
    assert len(feeds(columns, 0, 0)) == 32  # the input feeds every map of conv1
    assert len(feeds(columns, 1, 5)) == 1  # u(k) -> a(k), a(k) -> p(k): channel by channel
    assert len(feeds(columns, 3, 5)) == 64  # an input channel of conv2 feeds every one of its 64 maps
    (x0, y0, x1, y1), (_, _, _, y2) = feeds(columns, 6, 2)  # conv2 p(2): its 49 values in the flattening
    flat = columns[7]
    assert x1 == flat.rect[0] and y1 == pytest.approx(flat.units_rect(98, 147)[1])
    assert feeds(columns, len(columns) - 1, 0) == []


def test_slide_sums_reproduce_the_lectures_figure_2():
    X = np.arange(1, 37, dtype=float).reshape(1, 6, 6)
    F = np.array([[[0, 1, 0], [1, 1, 1], [0, 1, 0]]], dtype=float)
    np.testing.assert_array_equal(slide_sums(X, F, 0.0, (0, 0), (4, 4)),
                                  [[40, 45, 50, 55], [70, 75, 80, 85], [100, 105, 110, 115], [130, 135, 140, 145]])


def test_it_shows_every_stage_of_the_chosen_image(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    assert [c.caption for c in view.columns] == [
        "input: 1 × 28 × 28", "conv1 u: 2 × 28 × 28", "conv1 a: 2 × 28 × 28", "conv1 p: 2 × 14 × 14",
        "conv2 u: 3 × 14 × 14", "conv2 a: 3 × 14 × 14", "conv2 p: 3 × 7 × 7", "flatten: 147 values", "fc1 a: 8",
        "output: Soft(u), 10"]
    trace = trace_of(model, model.selection.image)
    for col, item in zip(view.columns, view.images):
        np.testing.assert_allclose(col.values(model.trace()), col.values(trace), rtol=1e-5, atol=1e-6)
        low, high = view.levels(col)
        assert list(item.getLevels()) == pytest.approx([low, high])
        assert item.image.shape == col.grid.shape
    conv2_u = view.columns[4]
    assert list(view.images[4].getLevels()) == list(model.map_levels(1, "u"))
    r0, c0 = conv2_u.grid.origin(2)
    np.testing.assert_allclose(view.images[4].image[r0:r0 + 14, c0:c0 + 14],
                               np.clip(trace.conv[1].u[0, 2], *model.map_levels(1, "u")), rtol=1e-5, atol=1e-6)
    assert list(view.images[8].getLevels()) == [0.0, model.levels.fc[0]] and model.levels.fc[0] > 1e-6
    probs = trace.probs[0]
    best = int(np.argmax(probs))
    assert [label.toPlainText() for label in view.class_labels] == [f"{k}  {p:.2f}" for k, p in enumerate(probs)]
    assert f"predicted {best}" in view.status.text()


def test_hovering_says_what_a_value_is_and_draws_what_it_feeds(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    trace = model.trace()
    hover(view.plot.scene(), view.scene_pos(5, 1, 3, 4))  # conv2 a, channel 1
    assert view.hovered == (5, 1, 3, 4)
    assert view.status.text().startswith(f"conv2 a(k=2, i=4, j=5) = {fmt(float(trace.conv[1].a[0, 1, 3, 4]))}: "
                                         "ReLU(u)")
    assert len(view.lines.getData()[0]) == 2  # one line: to p(1)
    hover(view.plot.scene(), view.scene_pos(3, 1, 2, 2))  # conv1 p, channel 1: an input of every conv2 map
    assert len(view.lines.getData()[0]) == 2 * 3
    hover(view.plot.scene(), view.scene_pos(7, 0, 10, 1))  # the flattening, value 10 * 3 + 1
    flat = trace.conv[1].p[0].ravel()
    assert view.status.text().startswith(f"flatten v(32) = conv2 p(c=1, i=5, j=4) = {fmt(float(flat[31]))}")
    hover(view.plot.scene(), view.scene_pos(9, 0, 7, 0))  # the output's class 7
    assert view.status.text().startswith(f"output class 7: Soft(u)(8) = {fmt(float(trace.probs[0, 7]))}")
    hover(view.plot.scene(), view.vb.mapViewToScene(view.vb.viewRect().topLeft()))  # nothing there
    assert view.hovered is None and len(view.lines.getData()[0]) == 0


def test_a_click_selects_the_unit_everywhere(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    clicked = []
    view.unit_clicked.connect(lambda layer, unit: clicked.append((layer, unit)))
    changes = []
    model.changed.connect(changes.append)
    view.click(5, 2, 6, 7)  # conv2 a(2, 6, 7)
    assert (model.selection.layer, model.selection.channel, model.selection.pixel) == (1, 2, (6, 7))
    assert len(changes) == 1 and clicked == [("conv2", -1)]
    marks = view.marks.getData()[0]
    assert len(marks) == 8 * 6  # channel 2 outlined in u, a and p, and its pixel in each (p's: (3, 3))
    conv = model.trace().conv[0]
    view.click(3, 1, 4, 5)  # conv1 p(1, 4, 5): the winner of its block in u
    zeta, eta = (int(v[0, 1, 4, 5]) for v in conv.winner_positions())
    assert (model.selection.layer, model.selection.channel, model.selection.pixel) == (0, 1, (zeta, eta))
    view.click(7, 0, 10, 1)  # the flattening's value 31 = conv2 p(0, 4, 3)
    assert (model.selection.layer, model.selection.channel) == (1, 0)
    assert tuple(v // 2 for v in model.selection.pixel) == (4, 3)
    selection = model.selection
    view.click(8, 0, 5, 0)  # fc1's unit 5: the Unit view shows it; the conv selection stays
    view.click(9, 0, 3, 0)
    assert clicked[-2:] == [("fc1", 5), ("output", 3)] and model.selection == selection


def test_it_follows_the_timeline_and_the_image(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    last = view.images[2].image.copy()
    model.seek(0)
    first = trace_of(model, model.selection.image)
    np.testing.assert_allclose(view.columns[2].values(model.trace()), first.conv[0].a[0], rtol=1e-5, atol=1e-6)
    assert not np.array_equal(view.images[2].image, last, equal_nan=True)
    assert "at step 0" in view.status.text()
    other = int(model.start.probe_indices[3])
    model.select(image=other)
    np.testing.assert_array_equal(view.images[0].image, model.image(other).astype(np.float32) / 255)
    model.follow()
    last = model.snapshot()
    live = SnapshotRecord(last.step + 1, last.epoch, {k: v * 0.5 for k, v in last.params.items()}, last.probe_probs)
    model.set_live(live)  # a live run's newest parameters, while following it
    assert model.snapshot() is live and "at step 5" in view.status.text()
    expected = trace_of(model, other).conv[1].a[0]
    np.testing.assert_allclose(view.columns[5].values(model.trace()), expected, rtol=1e-5, atol=1e-6)


def test_labels_without_room_are_hidden_and_the_slide_shows_only_for_a_unit(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    assert view.slide.isHidden()  # no unit selected: the network has the whole view
    view.resize(1800, 1000)
    qtbot.waitUntil(lambda: all(c.isVisible() for c, _ in view.captions) and
                    all(label.isVisible() for label in view.class_labels), timeout=5000)
    view.resize(260, 300)  # too narrow for every caption, too low for ten class labels
    qtbot.waitUntil(lambda: not all(c.isVisible() for c, _ in view.captions), timeout=5000)
    assert [label.isVisible() for label in view.class_labels] == [n == view.best for n in range(10)]
    view.click(1, 0, 2, 3)
    assert not view.slide.isHidden()


def test_a_hidden_view_computes_nothing_until_shown(qtbot, run):
    model = fed_model(*run)
    view = OverviewView(model)
    qtbot.addWidget(view)
    traces = []
    real = model.trace
    model.trace = lambda *a: traces.append(1) or real(*a)
    model.seek(0)
    model.select(image=int(model.start.probe_indices[2]))
    assert traces == [] and all(item.image is None for item in view.images)
    shown(qtbot, view)
    assert traces and view.images[0].image is not None


def test_the_filter_slides_over_its_input_and_fills_u(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    slide = view.slide
    assert slide.sums is None and not slide.play_button.isEnabled()
    view.click(4, 1, 5, 9)  # conv2 u(1, 5, 9)
    u = trace_of(model, model.selection.image).conv[1].u[0, 1]
    H, W = u.shape
    assert slide.position == (5, 0)  # the selected unit's row
    filled = slide.filled()
    assert np.isfinite(filled[:5]).all() and np.isfinite(filled[5, 0]) and np.isnan(filled[5, 1:]).all()
    assert slide.channel_box.isVisible() and slide.channel_box.maximum() == 2  # conv2 reads conv1's 2 channels
    c = slide.channel_box.value()  # as shown, from 1
    slide.step(-5 * W)
    assert slide.position == (0, 0)
    for n in range(H * W):  # every position by hand: the sum worked out equals the forward pass
        i, j = slide.position
        assert (i, j) == divmod(n, W)
        assert slide.filled()[i, j] == pytest.approx(float(u[i, j]), rel=1e-5, abs=1e-5)
        assert np.isnan(slide.filled().ravel()[n + 1:]).all()
        if n in (0, 37, H * W - 1):
            text = slide.sum_label.text()
            assert f"c = {c}: " in text and f"<b>{fmt(float(slide.sums[i, j]))}</b>" in text
            assert slide.window_mark.rect().getRect() == (j - 1, i - 1, 3, 3)
        slide.step(1)
    assert slide.position == (H - 1, W - 1)
    np.testing.assert_allclose(slide.filled(), u, rtol=1e-5, atol=1e-5)


def test_the_slide_plays_and_pauses_and_follows_the_snapshot(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, OverviewView(model))
    slide = view.slide
    view.click(1, 0, 2, 3)  # conv1 u(0, 2, 3): one input channel, its nine products written out
    assert not slide.channel_box.isVisible()
    assert slide.sum_label.text().count("×") == 9
    slide.speed_box.setValue(20)
    assert slide.timer.interval() == 50
    slide.play()
    assert slide.playing and slide.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: on_screen(slide), timeout=5000)  # shown for the selected unit (a hidden one pauses)
    slide.timer.timeout.emit()  # one tick, by hand
    assert slide.position == (2, 1)
    slide.pause()
    assert not slide.playing and slide.play_button.text() == "Play"
    model.seek(0)  # a new snapshot: the same position, the sums of the step-0 parameters
    assert slide.position == (2, 1)
    u0 = trace_of(model, model.selection.image).conv[0].u[0, 0]
    np.testing.assert_allclose(slide.sums, u0, rtol=1e-5, atol=1e-5)
    slide.step(10**6)  # to the end: playing stops there
    assert slide.position == (27, 27) and not slide.playing
    slide.play()  # from the end: again from the first position
    assert slide.position == (0, 0) and slide.playing
    model.select(layer=1)  # no unit: nothing slides
    assert slide.sums is None and not slide.playing


def test_fully_connected_levels_come_from_the_model(run):
    model = RunModel()
    data, records = run
    model.begin(records[0], data.test_images, data.test_labels)
    assert model.dense_levels(0) == (0.0, 1e-6)
    model.feed(records[1:])
    model.complete_levels()
    peak = model.levels.fc[0]
    assert peak > 1e-6 and model.dense_levels(0) == (0.0, peak)


def test_render_draws_the_overview(qapp, tmp_path, capsys, tiny_session):
    out = tmp_path / "overview.png"
    assert main(["render", str(tiny_session), "--view", "overview", "--image", "7", "--step", "2",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 620)


def test_in_the_window_a_click_opens_the_unit_view(qtbot, tmp_path, tiny_session):
    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.main import build_parser

    window = MainWindow(build_parser().parse_args(["--no-session"]), remember=False)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert window.open_session(tiny_session)
    overview, unit = window.views["overview"], window.views["unit"]
    window.show_task("inside")  # the Look inside workspace: the overview is a tab beside the feature maps
    qtbot.waitUntil(lambda: (window.docks["overview"].raise_(), on_screen(overview))[1], timeout=5000)
    overview.click(len(overview.columns) - 2, 0, 5, 0)  # fc1's unit 5
    qtbot.waitUntil(lambda: unit.explanation is not None, timeout=5000)  # drawn once its tab is raised
    assert (unit.dense, unit.unit) == (0, 5) and unit.explanation.layer == "fc1"
    overview.click(4, 1, 3, 2)  # conv2 u(1, 3, 2): the model's selection, which the Unit view explains
    qtbot.waitUntil(lambda: unit.explanation.layer == "conv2", timeout=5000)
    assert unit.dense is None and (unit.explanation.channel, unit.explanation.row) == (1, 3)
