"""The four views that look inside the network: fed real records of a tiny run, they must show what the
parameters and the forward trace say (shapes, levels, hovered values, pooling winners, right and wrong)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtWidgets import QApplication

from cnnviz.core import Network
from cnnviz.data import to_input
from cnnviz.gui.export import save_shown
from cnnviz.gui.levels import FILTER_MARGIN, Levels, robust_peak
from cnnviz.gui.views.common import MosaicLayout, fmt, grid_cols, mosaic
from cnnviz.gui.views.feature_maps import FeatureMapsView
from cnnviz.gui.views.filters import FiltersView
from cnnviz.gui.views.pooling import CLEAR, TIE, PoolingView, block_margins
from cnnviz.gui.views.predictions import PredictionsView
from cnnviz.records import SnapshotRecord, StepRecord
from tests.gui.helpers import click, fed_model, hover, run_records, shown, started_model, trace_of


def test_numbers_are_written_with_4_significant_digits_and_no_negative_zero():
    """E = −log v(r) is −0.0 where v(r) = 1: the views wrote "E = … = -0"."""
    assert [fmt(v) for v in (-0.0, np.float32(-0.0), 0.0, -np.log(np.float32(1)))] == ["0"] * 4
    assert [fmt(v) for v in (1 / 3, -2.5e-7, 12345.6, -1.0)] == ["0.3333", "-2.5e-07", "1.235e+04", "-1"]


def snapshots_of(records) -> list[SnapshotRecord]:
    return [r for r in records if isinstance(r, SnapshotRecord)]


def forward(model, params, index):
    """An independent forward pass of test image ``index`` with ``params``."""
    net = Network(model.start.config.network)
    net.set_params(params)
    return net.forward(to_input(model.image(index)[None]))


# -- common helpers -----------------------------------------------------------------------------------------------

def test_mosaic_places_every_tile_with_one_pixel_gaps():
    tiles = np.arange(5 * 3 * 4, dtype=np.float32).reshape(5, 3, 4)
    image, layout = mosaic(tiles, cols=2)
    assert layout == MosaicLayout(n=5, rows=3, cols=2, h=3, w=4, sep=1)
    assert image.shape == (3 * 3 + 2, 2 * 4 + 1)
    for t in range(5):
        r0, c0 = layout.origin(t)
        np.testing.assert_array_equal(image[r0:r0 + 3, c0:c0 + 4], tiles[t])
        assert layout.locate(c0 + 2.5, r0 + 1.5) == (t, 1, 2)
    assert np.isnan(image[3]).all() and np.isnan(image[:, 4]).all()  # the gaps
    assert np.isnan(image[8:, 5:]).all()  # the empty sixth slot
    assert layout.locate(4.5, 0.5) is None and layout.locate(6.0, 9.0) is None and layout.locate(-1, 0) is None


def test_grid_cols_prefers_full_wide_grids():
    assert grid_cols(32) == 8 and grid_cols(64) == 8 and grid_cols(2) == 2 and grid_cols(1) == 1


def test_levels_only_widen():
    levels = Levels(2)
    assert levels.widen("u", 1, 2.0) and levels.u == [1e-6, 2.0]
    assert not levels.widen("u", 1, 1.0) and levels.u[1] == 2.0  # smaller: unchanged
    assert levels.widen("u", 1, 4.0) and levels.u[1] == 4.0  # larger: widened
    assert not levels.widen("a", 0, float("nan")) and levels.a[0] == 1e-6


# -- filters --------------------------------------------------------------------------------------------------------

def test_the_filters_view_first_shows_how_far_the_filters_moved(qtbot, tiny_run):
    """A first launch shows F − F(step 0): the weights move about 1.5% of their size in a lecture run's first 100
    steps, invisible in the weights' colours, while the change fills its own shared scale from the first steps."""
    data, records = tiny_run
    model = started_model(data, records)
    view = shown(qtbot, FiltersView(model))
    assert view.showing == "step0"
    snaps = [k for k, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    model.feed(records[1:snaps[0] + 1])
    assert np.nanmax(np.abs(view.box.image)) == 0 and view.info.text().endswith(" · nothing has moved yet")
    model.feed(records[snaps[0] + 1:snaps[1] + 1])
    W0, W = (records[k].params["conv1.W"] for k in snaps[:2])
    np.testing.assert_array_equal(view.box.image, mosaic((W - W0)[:, 0], grid_cols(len(W)))[0])
    assert view.box.item.getLevels()[1] == pytest.approx(FILTER_MARGIN * np.abs(W - W0).max())  # the change fills it
    assert view.info.text().startswith(f"F − F(step 0) · step {records[snaps[1]].step} ")


def test_filter_mosaics_have_the_shapes_the_config_implies(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = weights_view(qtbot, model)
    assert view.layer_box.count() == 2
    W1 = model.snapshot().params["conv1.W"]  # (2, 1, 3, 3): one row of 2 filters
    assert view.box.image.shape == (3, 2 * 3 + 1)
    np.testing.assert_array_equal(view.box.image[:, :3], W1[0, 0])
    view.layer_box.setCurrentIndex(1)  # conv2: K=3 > C=2, so columns k and rows c of 3x3 slices
    K, C, m, _ = model.snapshot().params["conv2.W"].shape
    assert view.box.image.shape == (C * m + C - 1, K * m + K - 1) == (7, 11)
    W2 = model.snapshot().params["conv2.W"]
    np.testing.assert_array_equal(view.box.image[4:7, 8:11], W2[2, 1])  # row c=1, column k=2


def test_filter_mosaics_put_k_down_when_there_are_more_input_channels(qtbot):
    data, records = run_records(100, 20, conv=(4, 2))  # conv2: K=2 < C=4: rows k, columns c
    model = fed_model(data, records)
    view = weights_view(qtbot, model)
    view.layer_box.setCurrentIndex(1)
    W2 = model.snapshot().params["conv2.W"]
    assert view.box.image.shape == (2 * 3 + 1, 4 * 3 + 3)
    np.testing.assert_array_equal(view.box.image[4:7, 12:15], W2[1, 3])
    hover(view.plot.scene(), view.box.scene_pos(4 + 2, 12 + 0))
    assert f"F(k=2, c=4, μ=3, ν=1) = {W2[1, 3, 2, 0]:.4g}" in view.status.text()  # counted from 1


def test_filter_levels_come_from_every_snapshot_of_the_run(qtbot, tiny_run):
    data, records = tiny_run
    model = fed_model(data, records)
    view = weights_view(qtbot, model)
    snaps = snapshots_of(records)
    top = FILTER_MARGIN * max(float(np.abs(s.params["conv1.W"]).max()) for s in snaps)
    for snap in snaps:  # the same colours at every position of the timeline
        model.seek(snap.step)
        assert list(view.box.item.getLevels()) == [-top, top] and view.bar.levels() == (-top, top)


def test_levels_do_not_depend_on_the_order_positions_are_visited(qtbot, tiny_run):
    data, records = tiny_run
    step = snapshots_of(records)[1].step
    views = []
    for visit_last_first in (False, True):
        model = fed_model(data, records)
        if visit_last_first:
            model.seek(model.last_step)
        model.seek(step)
        views.append((weights_view(qtbot, model), shown(qtbot, FeatureMapsView(model))))
    for a, b in zip(*views):
        assert list(a.box.item.getLevels()) == list(b.box.item.getLevels())
        np.testing.assert_array_equal(a.box.image, b.box.image)


def test_levels_widen_as_a_live_run_adds_snapshots(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = weights_view(qtbot, model)
    seen, snaps = [], []
    for record in records[1:]:
        model.feed([record])
        if isinstance(record, SnapshotRecord):
            snaps.append(record)
        elif isinstance(record, StepRecord) and snaps and record.step > snaps[-1].step:
            # the run went past the newest snapshot: its levels are computed on idle turns of the event loop
            qtbot.waitUntil(lambda: model.levels_done == len(snaps))
            hi = view.box.item.getLevels()[1]
            assert hi == pytest.approx(FILTER_MARGIN * max(float(np.abs(s.params["conv1.W"]).max()) for s in snaps))
            seen.append(hi)
    qtbot.waitUntil(lambda: model.levels_complete)  # the last snapshot: judged once the run has ended
    hi = view.box.item.getLevels()[1]
    assert hi == pytest.approx(FILTER_MARGIN * max(float(np.abs(s.params["conv1.W"]).max()) for s in snaps))
    seen.append(hi)
    assert len(seen) >= len(snaps) >= 3 and all(b >= a for a, b in itertools.pairwise(seen))


def test_hovering_a_filter_reports_the_weight(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = weights_view(qtbot, model)
    view.layer_box.setCurrentIndex(1)
    W = model.snapshot().params["conv2.W"]
    k, c, mu, nu = 2, 1, 0, 2
    hover(view.plot.scene(), view.box.scene_pos(c * 4 + mu, k * 4 + nu))  # rows c, columns k
    assert f"F(k={k + 1}, c={c + 1}, μ={mu + 1}, ν={nu + 1}) = {W[k, c, mu, nu]:.4g}" in view.status.text()
    text = view.status.text()
    hover(view.plot.scene(), view.box.scene_pos(3, 0))  # a gap between filters: nothing new
    assert view.status.text() == text


def test_a_hovered_weight_is_read_again_when_the_snapshot_changes(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = weights_view(qtbot, model)
    snapshots = [n for n, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    model.feed(records[1:snapshots[1]])
    hover(view.plot.scene(), view.box.scene_pos(0, 1))  # conv1 F(0, 0, 0, 1), written from 1
    assert view.status.text() == f"conv1  F(k=1, c=1, μ=1, ν=2) = {records[snapshots[0]].params['conv1.W'][0, 0, 0, 1]:.4g}"
    model.feed(records[snapshots[1]:snapshots[1] + 1])  # a new snapshot while following
    assert view.status.text() == f"conv1  F(k=1, c=1, μ=1, ν=2) = {records[snapshots[1]].params['conv1.W'][0, 0, 0, 1]:.4g}"
    model.seek(0)  # back in time
    assert view.status.text() == f"conv1  F(k=1, c=1, μ=1, ν=2) = {records[snapshots[0]].params['conv1.W'][0, 0, 0, 1]:.4g}"


def test_clicking_a_filter_enlarges_it_with_its_numbers(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = weights_view(qtbot, model)
    view.layer_box.setCurrentIndex(1)
    assert view.detail.isHidden()
    click(qtbot, view.plot, view.box.scene_pos(1 * 4 + 1, 2 * 4 + 1))  # inside slice k=2 (column), c=1 (row)
    assert view.detail.isVisible() and view.selected == (1, 2, 1)
    assert model.selection.channel == 2  # the output channel k, selected in every view
    F = model.snapshot().params["conv2.W"][2, 1]
    table = [[float(view.table.item(r, col).text()) for col in range(3)] for r in range(3)]
    np.testing.assert_allclose(table, F, atol=5e-4)
    assert "F(3, 2, μ, ν)" in view.detail_title.text()  # F[2, 1], counted from 1
    assert view.outline.rect().getRect() == (8.0, 4.0, 3.0, 3.0)


def weights_view(qtbot, model) -> FiltersView:
    """A filters view showing the weights F themselves (it first shows their change since step 0)."""
    view = shown(qtbot, FiltersView(model))
    choose(view.show_box, "weights")
    return view


def choose(box, key) -> None:
    """Choose the item of a view's combo box whose data is ``key``."""
    index = box.findData(key)
    assert index >= 0, key
    box.setCurrentIndex(index)


def test_each_filter_in_its_own_range(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = weights_view(qtbot, model)
    choose(view.scale_box, "own")
    W = model.snapshot().params["conv1.W"]  # (2, 1, 3, 3)
    for k in range(2):
        np.testing.assert_allclose(view.box.image[:, 4 * k:4 * k + 3], W[k, 0] / np.abs(W[k]).max(), rtol=1e-6)
    assert np.abs(view.box.image[:, :3]).max() == pytest.approx(1.0)
    assert list(view.box.item.getLevels()) == [-1, 1] and view.bar.levels() == (-1, 1)
    assert "its own largest |value|" in view.info.text()
    hover(view.plot.scene(), view.box.scene_pos(2, 4 + 1))  # the readout gives the weight, not the scaled value
    assert view.status.text() == f"conv1  F(k=2, c=1, μ=3, ν=2) = {W[1, 0, 2, 1]:.4g}"
    view.layer_box.setCurrentIndex(1)  # conv2: filter k over its C slices
    W2 = model.snapshot().params["conv2.W"]
    np.testing.assert_allclose(view.box.image[4:7, 8:11], W2[2, 1] / np.abs(W2[2]).max(), rtol=1e-6)
    choose(view.scale_box, "shared")
    np.testing.assert_array_equal(view.box.image[4:7, 8:11], W2[2, 1])
    assert list(view.box.item.getLevels()) == list(model.filter_levels(1))


def test_change_since_step_0(qtbot, tiny_run):
    data, records = tiny_run
    model = fed_model(data, records)
    view = weights_view(qtbot, model)
    choose(view.show_box, "step0")
    snaps = snapshots_of(records)
    assert snaps[0].step == 0
    W0 = snaps[0].params["conv1.W"]
    top = FILTER_MARGIN * max(float(np.abs(s.params["conv1.W"] - W0).max()) for s in snaps)
    for snap in snaps[1:]:
        model.seek(snap.step)
        change = snap.params["conv1.W"] - W0
        np.testing.assert_allclose(view.box.image[:, :3], change[0, 0], rtol=1e-6, atol=1e-9)
        assert list(view.box.item.getLevels()) == pytest.approx([-top, top])  # the same colours at every step
        assert view.info.text().startswith(f"F − F(step 0) · step {snap.step} ")
    hover(view.plot.scene(), view.box.scene_pos(1, 4 + 2))
    W = snaps[-1].params["conv1.W"]
    assert view.status.text() == (f"conv1  F(k=2, c=1, μ=2, ν=3) − F(step 0) = {W[1, 0, 1, 2] - W0[1, 0, 1, 2]:.4g}"
                                  f"   (F = {W[1, 0, 1, 2]:.4g})")
    model.seek(0)
    np.testing.assert_array_equal(view.box.image[:, :3], np.zeros((3, 3)))  # no change at step 0
    choose(view.scale_box, "own")  # a change of zero stays white, without warnings
    np.testing.assert_array_equal(view.box.image[:, :3], np.zeros((3, 3)))


def test_change_levels_widen_as_a_live_run_adds_snapshots(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = weights_view(qtbot, model)
    choose(view.show_box, "step0")
    snaps, seen = [], []
    for record in records[1:]:
        model.feed([record])
        if isinstance(record, SnapshotRecord):
            snaps.append(record)
            W0 = snaps[0].params["conv1.W"]
            top = FILTER_MARGIN * max(max(float(np.abs(s.params["conv1.W"] - W0).max()) for s in snaps), 1e-6)
            assert view.box.item.getLevels()[1] == pytest.approx(top)
            seen.append(top)
    assert len(seen) >= 3 and all(b >= a for a, b in itertools.pairwise(seen)) and seen[-1] > seen[0]


def test_change_since_a_pinned_step(qtbot, tiny_run):
    data, records = tiny_run
    model = fed_model(data, records)
    view = weights_view(qtbot, model)
    snaps = snapshots_of(records)
    model.seek(snaps[1].step)
    choose(view.show_box, "pinned")  # nothing pinned yet: pins the step shown
    assert view.pinned[0] == snaps[1].step
    np.testing.assert_array_equal(view.box.image[:, :3], np.zeros((3, 3)))
    model.seek(snaps[-1].step)
    W1, W2 = (snaps[i].params["conv1.W"][0, 0] for i in (1, -1))
    np.testing.assert_allclose(view.box.image[:, :3], W2 - W1, rtol=1e-6, atol=1e-9)
    assert view.info.text().startswith(f"F − F(step {snaps[1].step}) · step {snaps[-1].step} ")
    model.seek(snaps[2].step)
    view.pin_button.click()  # pin another step
    assert view.pinned[0] == snaps[2].step and view.showing == "pinned"
    model.seek(snaps[-1].step)
    W1, W2 = (snaps[i].params["conv1.W"][0, 0] for i in (2, -1))
    np.testing.assert_allclose(view.box.image[:, :3], W2 - W1, rtol=1e-6, atol=1e-9)
    choose(view.show_box, "weights")
    np.testing.assert_array_equal(view.box.image[:, :3], snaps[-1].params["conv1.W"][0, 0])
    model.begin(records[0], data.test_images, data.test_labels)  # a new run forgets the pin
    assert view.pinned is None and view.showing == "weights"


def test_one_filter_shows_its_slices_large(qtbot):
    data, records = run_records(100, 20, conv=(6, 3))  # conv2: K=3 filters of C=6 slices
    model = fed_model(data, records)
    view = weights_view(qtbot, model)
    assert view.slices_box.isHidden() and view.k_box.isHidden()  # conv1: one input channel
    view.layer_box.setCurrentIndex(1)
    assert view.slices_box.isVisible() and view.k_box.isVisible() and view.k_box.maximum() == 3  # k = 1..3
    choose(view.slices_box, "one")
    W2 = model.snapshot().params["conv2.W"]
    np.testing.assert_array_equal(view.box.image, mosaic(W2[0], grid_cols(6))[0])  # filter 0 until one is chosen
    view.k_box.setValue(3)  # chooses the channel everywhere (k = 3, counted from 1)
    assert model.selection.channel == 2
    np.testing.assert_array_equal(view.box.image, mosaic(W2[2], grid_cols(6))[0])
    assert "filter k=3: its 6 slices" in view.info.text()
    assert grid_cols(6) == 3
    click(qtbot, view.plot, view.box.scene_pos(4 + 1, 4 + 1))  # row 1, column 1 of 3: slice c=4
    c = 4
    assert view.selected == (1, 2, 4) and view.outline.isVisible()
    assert view.outline.rect().getRect() == (4.0, 4.0, 3.0, 3.0)
    table = [[float(view.table.item(r, col).text()) for col in range(3)] for r in range(3)]
    np.testing.assert_allclose(table, W2[2, c], atol=5e-4)
    model.select(channel=1)  # another filter chosen elsewhere
    assert view.k_box.value() == 2  # counted from 1
    np.testing.assert_array_equal(view.box.image, mosaic(W2[1], grid_cols(6))[0])


def test_the_filter_readout_goes_when_the_mouse_leaves(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = weights_view(qtbot, model)
    hint = view.status.text()
    hover(view.plot.scene(), view.box.scene_pos(0, 1))
    assert view.status.text().startswith("conv1  F(k=1")
    QApplication.sendEvent(view.plot, QEvent(QEvent.Type.Leave))
    assert view.status.text() == hint
    model.seek(0)  # a redraw does not bring it back
    assert view.status.text() == hint
    hover(view.plot.scene(), view.box.scene_pos(0, 1))
    hover(view.plot.scene(), view.box.vb.mapViewToScene(QPointF(-5, -5)))  # off the mosaic
    assert view.status.text() == hint


# -- feature maps -------------------------------------------------------------------------------------------------

def test_feature_maps_show_the_trace_of_the_chosen_image(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, FeatureMapsView(model))
    probe = int(model.start.probe_indices[3])
    view.chooser.combo.setCurrentIndex(3)
    assert view.chooser.index() == probe
    trace = trace_of(model, probe)
    assert view.box.image.shape == (28, 2 * 28 + 1)  # conv1 u: 2 channels side by side
    np.testing.assert_allclose(view.box.image[:, 29:], trace.conv[0].u[0, 1], rtol=1e-5, atol=1e-6)
    hover(view.plot.scene(), view.box.scene_pos(12, 29 + 7))
    assert f"u(k=2, i=13, j=8) = {trace.conv[0].u[0, 1, 12, 7]:.4g}" in view.status.text()

    view.chooser.spin.setValue(6)  # any test image, not a probe (test #6, counted from 1, is image 5)
    assert view.chooser.combo.currentIndex() == -1
    trace = trace_of(model, 5)
    view.layer_box.setCurrentIndex(1)
    view.stage_box.setCurrentIndex(2)  # conv2 p: 3 channels of 7x7
    assert view.box.image.shape == (7, 3 * 7 + 2)
    np.testing.assert_allclose(view.box.image[:, 16:], trace.conv[1].p[0, 2], rtol=1e-5, atol=1e-6)
    assert view.box.item.getLevels()[0] == 0  # p: [0, top]


def test_feature_map_levels_come_from_the_probe_images_at_every_snapshot(qtbot, tiny_run):
    data, records = tiny_run
    model = fed_model(data, records)
    view = shown(qtbot, FeatureMapsView(model))
    probes = to_input(model.start.probe_images)
    for l in range(2):
        traces = []
        for snap in snapshots_of(records):
            net = Network(model.start.config.network)
            net.set_params(snap.params)
            traces.append(net.forward(probes).conv[l])
        top_u = max(robust_peak(np.abs(t.u)) for t in traces)
        top_a = max(robust_peak(t.a) for t in traces)
        model.select(layer=l, stage="u")
        assert list(view.box.item.getLevels()) == pytest.approx([-top_u, top_u], rel=1e-6)
        model.select(stage="p")  # p's values are a's: the same levels
        assert list(view.box.item.getLevels()) == pytest.approx([0, top_a], rel=1e-6)
        view.chooser.spin.setValue(7)  # another image: the same levels
        assert list(view.box.item.getLevels()) == pytest.approx([0, top_a], rel=1e-6)


def test_moving_the_cursor_shows_exactly_that_snapshot(qtbot, tiny_run):
    data, records = tiny_run
    model = fed_model(data, records)
    filters, maps, pooling = (shown(qtbot, cls(model)) for cls in (FiltersView, FeatureMapsView, PoolingView))
    choose(filters.show_box, "weights")
    model.select(image=5, layer=1, stage="a", channel=2)
    snaps = snapshots_of(records)
    for i in (0, 2, len(snaps) - 1, 1):
        model.seek(snaps[i].step + (1 if i < len(snaps) - 1 else 0))  # a step after a snapshot shows that one
        assert model.snapshot_index == i
        W = snaps[i].params["conv2.W"]  # K=3 > C=2: columns k, rows c
        for k in range(3):
            for c in range(2):
                np.testing.assert_array_equal(filters.box.image[4 * c:4 * c + 3, 4 * k:4 * k + 3], W[k, c])
        trace = forward(model, snaps[i].params, 5)
        for k in range(3):
            np.testing.assert_array_equal(maps.box.image[:, 15 * k:15 * k + 14], trace.conv[1].a[0, k])
        np.testing.assert_array_equal(maps.zoom.image, trace.conv[1].a[0, 2])
        np.testing.assert_array_equal(pooling.p.image, trace.conv[1].p[0, 2])
        assert f"step {snaps[i].step}" in filters.info.text()


def test_one_selection_for_every_view(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    maps, pooling, filters = (shown(qtbot, cls(model)) for cls in (FeatureMapsView, PoolingView, FiltersView))
    maps.chooser.spin.setValue(10)  # chosen in one view: chosen in all (test #10, counted from 1, is image 9)
    assert model.selection.image == 9 and pooling.chooser.spin.value() == 10
    np.testing.assert_array_equal(pooling.a.image, trace_of(model, 9).conv[0].a[0, 0])
    pooling.layer_box.setCurrentIndex(1)
    assert model.selection.layer == 1 and maps.layer_box.currentIndex() == 1 and filters.layer_box.currentIndex() == 1
    pooling.channel_box.setValue(3)
    assert model.selection.channel == 2 and maps.zoom_plot.isVisible() and filters.selected == (1, 2, 0)
    np.testing.assert_array_equal(maps.zoom.image, trace_of(model, 9).conv[1].u[0, 2])


def test_clicking_a_channel_enlarges_it(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, FeatureMapsView(model))
    view.stage_box.setCurrentIndex(1)  # a
    click(qtbot, view.plot, view.box.scene_pos(10, 29 + 10))
    assert view.channel == 1 and view.zoom_plot.isVisible()
    a = trace_of(model, view.chooser.index()).conv[0].a[0, 1]
    np.testing.assert_allclose(view.zoom.image, a, rtol=1e-5, atol=1e-6)
    assert list(view.zoom.item.getLevels()) == list(view.box.item.getLevels())
    hover(view.zoom_plot.scene(), view.zoom.scene_pos(14, 15))
    assert f"a(k=2, i=15, j=16) = {a[14, 15]:.4g}" in view.status.text()


# -- pooling ------------------------------------------------------------------------------------------------------

def test_pooling_marks_the_winners_of_the_trace(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, PoolingView(model))
    view.layer_box.setCurrentIndex(1)
    view.channel_box.setValue(3)  # channel 2, counted from 1
    conv = trace_of(model, view.chooser.index()).conv[1]
    zeta, eta = (w[0, 2] for w in conv.winner_positions())
    a = conv.a[0, 2]
    blocks = np.sort(a.reshape(7, 2, 7, 2).transpose(0, 2, 1, 3).reshape(7, 7, 4), axis=-1)
    margin = blocks[..., 3] - blocks[..., 2]  # the winner's lead over the block's runner-up
    np.testing.assert_allclose(view.margins(), margin, rtol=1e-6)
    top = model.map_levels(1, "a")[1]
    for marks, expected in ((view.winner_marks, margin >= CLEAR * top),
                            (view.narrow_marks, (margin > TIE * top) & (margin < CLEAR * top))):
        xs, ys = marks.centres()
        drawn = {(int(y - 0.5), int(x - 0.5)) for x, y in zip(xs, ys)}
        assert drawn == {(int(zeta[i, j]), int(eta[i, j])) for i, j in zip(*np.nonzero(expected))}
    np.testing.assert_allclose(view.p.image, conv.p[0, 2], rtol=1e-6)


def test_block_margins_and_mark_classes():
    a = np.array([[1, 1, 0, 0, 5, 2],
                  [1, 1, 0, 0, 4, 3],
                  [0.2, 0.2, 0.9, 0.1, 0, 0],
                  [0.2, 0.25, 0, 0, 0, 7]], dtype=np.float32)
    np.testing.assert_allclose(block_margins(a), [[0, 0, 1], [0.05, 0.8, 7]], rtol=1e-6)
    np.testing.assert_array_equal(block_margins(np.full((5, 3), 0.3, np.float32)), np.zeros((2, 1)))


def test_pooling_leaves_a_flat_background_unmarked(qtbot, tiny_run):
    """A map whose background is a constant positive bias: its blocks are ties, and only the blocks where the
    image makes a real maximum are marked (the old view drew a square in every block)."""
    data, records = tiny_run
    last = max(i for i, r in enumerate(records) if isinstance(r, SnapshotRecord))
    snap = records[last]
    params = dict(snap.params)
    params["conv1.b"] = params["conv1.b"].copy()
    params["conv1.b"][0] = 0.05  # a small positive bias: a = 0.05 wherever the image is blank
    records = [*records[:last], SnapshotRecord(snap.step, snap.epoch, params, snap.probe_probs), *records[last + 1:]]
    model = fed_model(data, records)
    view = shown(qtbot, PoolingView(model))
    blank = (model.image(view.chooser.index()) == 0).reshape(14, 2, 14, 2).all(axis=(1, 3))
    padded = np.pad(blank, 1, constant_values=True)  # and the 3x3 filter sees only blank pixels
    blank = blank & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    assert blank.sum() > 50
    np.testing.assert_allclose(view.p.image[blank], 0.05)  # the background's blocks: a positive maximum
    clear, narrow = view.mark_classes()
    assert not (clear | narrow)[blank].any()  # no mark on the background
    assert 0 < len(view.winner_marks.centres()[0]) + len(view.narrow_marks.centres()[0]) < 14 * 14 - blank.sum() + 1
    assert "none if tied" in view.status.text()


def test_hovering_a_pooled_pixel_highlights_its_block_and_winner(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, PoolingView(model))
    conv = trace_of(model, view.chooser.index()).conv[0]
    zeta, eta = (w[0, 0] for w in conv.winner_positions())
    for ip, jp in [(0, 0), (3, 5), (6, 9), (13, 13)]:
        hover(view.plot.scene(), view.p.scene_pos(ip, jp))
        assert view.highlighted == (ip, jp)
        x, y, w, h = view.block_mark.rect().getRect()
        assert (x, y, w, h) == (2 * jp, 2 * ip, 2, 2)
        (wx,), (wy,) = view.winner_mark.getData()
        assert (wy - 0.5, wx - 0.5) == (zeta[ip, jp], eta[ip, jp])
        assert y <= wy < y + h and x <= wx < x + w  # the winner lies in the highlighted block
        assert view.a.image[zeta[ip, jp], eta[ip, jp]] == pytest.approx(conv.p[0, 0, ip, jp])
        assert f"(ζ, η) = ({zeta[ip, jp] + 1}, {eta[ip, jp] + 1})" in view.status.text()
    hover(view.plot.scene(), view.a.scene_pos(9, 4))  # hovering a highlights the block it belongs to
    assert view.highlighted == (4, 2)


def test_pooling_hover_marks_go_when_the_mouse_leaves(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, PoolingView(model))
    caption = view.status.text()
    hover(view.plot.scene(), view.p.scene_pos(3, 5))
    assert view.highlighted == (3, 5) and view.block_mark.isVisible() and view.status.text() != caption
    QApplication.sendEvent(view.plot, QEvent(QEvent.Type.Leave))
    assert view.highlighted is None and not view.block_mark.isVisible() and not view.pixel_mark.isVisible()
    assert not view.winner_mark.isVisible() and view.status.text() == caption
    model.seek(0)  # a redraw does not bring them back
    assert view.highlighted is None and not view.block_mark.isVisible()
    hover(view.plot.scene(), view.a.scene_pos(9, 4))
    assert view.highlighted == (4, 2)
    hover(view.plot.scene(), view.a.vb.mapViewToScene(QPointF(-3, -3)))  # off the maps: the marks go too
    assert view.highlighted is None and not view.block_mark.isVisible()


def test_odd_maps_show_the_row_and_column_no_block_covers(qtbot):
    data, records = run_records(100, 20, padding="valid")  # conv2: 13 -> 11x11, pooled to 5x5
    model = fed_model(data, records)
    view = shown(qtbot, PoolingView(model))
    view.layer_box.setCurrentIndex(1)
    assert view.a.image.shape == (11, 11) and view.p.image.shape == (5, 5)
    assert view.dropped[0].rect().getRect() == (0, 10, 11, 1)  # last row
    assert view.dropped[1].rect().getRect() == (10, 0, 1, 10)  # last column
    assert "last row and column" in view.status.text()
    hover(view.plot.scene(), view.a.scene_pos(10, 3))
    assert "not pooled" in view.status.text() and view.highlighted is None


@pytest.mark.parametrize("pooling", ["average", "none"])
def test_pooling_without_winners_says_so(qtbot, pooling):
    data, records = run_records(100, 20, conv=(2,), pooling=pooling)
    model = fed_model(data, records)
    view = shown(qtbot, PoolingView(model))
    conv = trace_of(model, view.chooser.index()).conv[0]
    assert view.winners() is None and len(view.winner_marks.centres()[0]) == 0
    assert ("average" if pooling == "average" else "no pooling") in view.p_title.text
    np.testing.assert_allclose(view.p.image, conv.p[0, 0], rtol=1e-6)
    if pooling == "none":
        np.testing.assert_array_equal(view.p.image, view.a.image)


# -- any architecture -----------------------------------------------------------------------------------------------

ARCHITECTURES = {
    "one conv layer": {"conv": (3,)},
    "three conv layers": {"conv": (2, 3, 2)},
    "valid padding": {"conv": (2, 2), "padding": "valid"},
    "even filter size": {"conv": (2, 2), "filter_size": 4},
    "average pooling": {"conv": (2, 2), "pooling": "average"},
    "no pooling": {"conv": (2, 2), "pooling": "none"},
}


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_view_draws_every_layer_of_any_architecture(qtbot, tmp_path, arch):
    data, records = run_records(100, 20, **ARCHITECTURES[arch])
    model = fed_model(data, records)
    trace = trace_of(model, int(model.start.probe_indices[0]))
    specs = model.start.config.network.conv
    filters, maps, pooling = (shown(qtbot, cls(model)) for cls in (FiltersView, FeatureMapsView, PoolingView))
    predictions = shown(qtbot, PredictionsView(model))
    for l, spec in enumerate(specs):
        filters.layer_box.setCurrentIndex(l)
        K, C, m, _ = model.snapshot().params[f"conv{l + 1}.W"].shape
        assert m == spec.size
        if C > 1:
            across, down = max(K, C), min(K, C)  # the longer side runs across
            assert filters.box.image.shape == (down * m + down - 1, across * m + across - 1)
        maps.layer_box.setCurrentIndex(l)
        for stage in range(3):
            maps.stage_box.setCurrentIndex(stage)
            C, _H, _W = getattr(trace.conv[l], "uap"[stage])[0].shape
            expected = mosaic(getattr(trace.conv[l], "uap"[stage])[0], grid_cols(C))[0]
            np.testing.assert_array_equal(maps.box.image, expected)
        pooling.layer_box.setCurrentIndex(l)
        assert pooling.a.image.shape == trace.conv[l].a.shape[2:]
    for view in (filters, maps, pooling, predictions):
        assert save_shown(view, tmp_path / "view.png") and (tmp_path / "view.png").stat().st_size > 0


def test_a_view_created_after_the_run_started_shows_it_at_once(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    model.select(image=3)
    W = model.snapshot().params["conv1.W"]
    trace = trace_of(model, 3)
    filters, maps, pooling = (shown(qtbot, cls(model)) for cls in (FiltersView, FeatureMapsView, PoolingView))
    choose(filters.show_box, "weights")
    np.testing.assert_array_equal(filters.box.image, mosaic(W[:, 0], grid_cols(len(W)))[0])
    np.testing.assert_array_equal(maps.box.image, mosaic(trace.conv[0].u[0], grid_cols(2))[0])
    np.testing.assert_array_equal(pooling.a.image, trace.conv[0].a[0, 0])


# -- a run that blew up -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("blow", ["huge", "nan"])
def test_a_run_that_blew_up_is_drawn_without_runtime_warnings(qtbot, tmp_path, tiny_run, blow):
    """The last snapshot of a diverging run: weights times 1e30 (finite, but every forward pass overflows to inf
    and NaN) or NaN. Every view draws it, hovered and clicked, and no RuntimeWarning reaches the terminal."""
    data, records = tiny_run
    last = max(i for i, r in enumerate(records) if isinstance(r, SnapshotRecord))
    snap = records[last]
    scale = np.float32(1e30) if blow == "huge" else np.float32(np.nan)
    blown = SnapshotRecord(snap.step, snap.epoch, {k: v * scale for k, v in snap.params.items()}, snap.probe_probs)
    records = [*records[:last], blown, *records[last + 1:]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = fed_model(data, records)
        views = [shown(qtbot, cls(model)) for cls in (FiltersView, FeatureMapsView, PoolingView, PredictionsView)]
        filters, maps, pooling, _ = views
        assert model.snapshot() is blown
        for l in range(2):
            model.select(layer=l, channel=1)
            for stage in ("u", "a", "p"):
                model.select(stage=stage)
                hover(maps.plot.scene(), maps.box.scene_pos(3, 3))
                hover(maps.zoom_plot.scene(), maps.zoom.scene_pos(2, 2))
            hover(filters.plot.scene(), filters.box.scene_pos(0, 0))
            click(qtbot, filters.plot, filters.box.scene_pos(0, 0))
            hover(pooling.plot.scene(), pooling.p.scene_pos(1, 1))
            hover(pooling.plot.scene(), pooling.a.scene_pos(2, 2))
        model.select(image=7)
        model.seek(0)
        model.follow()
        for view in views:
            assert save_shown(view, tmp_path / "view.png")
        qtbot.wait(50)  # what the views draw on timers


def test_huge_values_draw_saturated_without_a_numpy_warning(qtbot):
    """A diverging run's maps (1e34) over levels that are not wide yet: drawn at the end colours, no overflow."""
    import pyqtgraph as pg

    from cnnviz.gui.views.common import DIVERGING, ImageBox

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    box = ImageBox(widget.ci, DIVERGING)
    image = np.array([[1e34, -1e34], [np.inf, 0.5e-6]], dtype=np.float32)
    box.set(image, (-1e-6, 1e-6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box.item.render()
    assert box.item.qimage is not None
    assert box.image is image  # the readouts show the values as computed
