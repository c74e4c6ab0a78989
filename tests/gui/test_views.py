"""The four views that look inside the network: fed real records of a tiny run, they must show what the
parameters and the forward trace say (shapes, levels, hovered values, pooling winners, right and wrong)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from cnnviz.core import Network
from cnnviz.data import load_sample, to_input
from cnnviz.gui.model import RunModel
from cnnviz.gui.views.common import GrowingLevels, MosaicLayout, grid_cols, mosaic
from cnnviz.gui.views.feature_maps import FeatureMapsView
from cnnviz.gui.views.filters import MARGIN, FiltersView
from cnnviz.gui.views.pooling import PoolingView
from cnnviz.gui.views.predictions import PAGE, WRONG, PredictionsView, rgb
from cnnviz.records import EvalRecord, SnapshotRecord
from cnnviz.training import Trainer, make_config


def run_records(n_train=200, n_test=60, **overrides):
    values = dict(conv=(2, 3), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=2)
    values.update(overrides)
    data = load_sample().limited(n_train, n_test)
    return data, list(Trainer(make_config("lecture", **values), data).run())


@pytest.fixture(scope="module")
def run():
    return run_records()


def started_model(data, records) -> RunModel:
    model = RunModel()
    model.begin(records[0], data.test_images, data.test_labels)
    return model


def fed_model(data, records) -> RunModel:
    model = started_model(data, records)
    model.feed(records[1:])
    return model


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(600, 450)
    view.show()
    qtbot.waitExposed(view)
    return view


def hover(scene, pos):
    scene.sigMouseMoved.emit(pos)


def click(qtbot, plot, scene_pos):
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.mapFromScene(scene_pos))


def trace_of(model, index):
    """An independent forward pass with the latest snapshot's parameters."""
    net = Network(model.start.config.network)
    net.set_params(model.latest_snapshot.params)
    return net.forward(to_input(model.test_images[index:index + 1]))


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


def test_growing_levels_never_shrink():
    levels = GrowingLevels(margin=1.5)
    assert levels.update("a", 2.0) == 3.0
    assert levels.update("a", 1.0) == 3.0  # smaller: unchanged
    assert levels.update("a", 4.0) == 6.0  # larger: widened
    assert levels.symmetric("a") == (-6.0, 6.0) and levels.positive("a") == (0.0, 6.0)
    levels.reset()
    assert levels.get("a") is None


# -- filters --------------------------------------------------------------------------------------------------------

def test_filter_mosaics_have_the_shapes_the_config_implies(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, FiltersView(model))
    assert view.layer_box.count() == 2
    W1 = model.latest_snapshot.params["conv1.W"]  # (2, 1, 3, 3): one row of 2 filters
    assert view.box.image.shape == (3, 2 * 3 + 1)
    np.testing.assert_array_equal(view.box.image[:, :3], W1[0, 0])
    view.layer_box.setCurrentIndex(1)  # conv2: K=3 > C=2, so columns k and rows c of 3x3 slices
    K, C, m, _ = model.latest_snapshot.params["conv2.W"].shape
    assert view.box.image.shape == (C * m + C - 1, K * m + K - 1) == (7, 11)
    W2 = model.latest_snapshot.params["conv2.W"]
    np.testing.assert_array_equal(view.box.image[4:7, 8:11], W2[2, 1])  # row c=1, column k=2


def test_filter_mosaics_put_k_down_when_there_are_more_input_channels(qtbot):
    data, records = run_records(100, 20, conv=(4, 2))  # conv2: K=2 < C=4: rows k, columns c
    model = fed_model(data, records)
    view = shown(qtbot, FiltersView(model))
    view.layer_box.setCurrentIndex(1)
    W2 = model.latest_snapshot.params["conv2.W"]
    assert view.box.image.shape == (2 * 3 + 1, 4 * 3 + 3)
    np.testing.assert_array_equal(view.box.image[4:7, 12:15], W2[1, 3])
    hover(view.plot.scene(), view.box.scene_pos(4 + 2, 12 + 0))
    assert f"F(k=1, c=3, μ=2, ν=0) = {W2[1, 3, 2, 0]:.4g}" in view.status.text()


def test_filter_levels_are_symmetric_and_never_shrink(qtbot, run):
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, FiltersView(model))
    seen = []
    for record in records[1:]:
        model.feed([record])
        if isinstance(record, SnapshotRecord):
            lo, hi = view.box.item.getLevels()
            assert lo == -hi and hi > 0
            assert view.bar.levels() == (lo, hi)
            assert hi >= np.abs(record.params["conv1.W"]).max()
            seen.append(hi)
    first = np.abs(records[1].params["conv1.W"]).max()
    assert seen[0] == pytest.approx(MARGIN * first)
    assert len(seen) >= 3 and all(b >= a for a, b in zip(seen, seen[1:]))


def test_hovering_a_filter_reports_the_weight(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, FiltersView(model))
    view.layer_box.setCurrentIndex(1)
    W = model.latest_snapshot.params["conv2.W"]
    k, c, mu, nu = 2, 1, 0, 2
    hover(view.plot.scene(), view.box.scene_pos(c * 4 + mu, k * 4 + nu))  # rows c, columns k
    assert f"F(k={k}, c={c}, μ={mu}, ν={nu}) = {W[k, c, mu, nu]:.4g}" in view.status.text()
    text = view.status.text()
    hover(view.plot.scene(), view.box.scene_pos(3, 0))  # a gap between filters: nothing new
    assert view.status.text() == text


def test_a_hovered_weight_is_read_again_when_a_snapshot_arrives(qtbot, run):
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, FiltersView(model))
    snapshots = [n for n, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    model.feed(records[1:snapshots[1]])
    hover(view.plot.scene(), view.box.scene_pos(0, 1))  # conv1 F(0, 0, 0, 1)
    assert f"= {records[snapshots[0]].params['conv1.W'][0, 0, 0, 1]:.4g}" in view.status.text()
    model.feed(records[snapshots[1]:snapshots[1] + 1])
    assert f"= {records[snapshots[1]].params['conv1.W'][0, 0, 0, 1]:.4g}" in view.status.text()


def test_clicking_a_filter_enlarges_it_with_its_numbers(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, FiltersView(model))
    view.layer_box.setCurrentIndex(1)
    assert view.detail.isHidden()
    click(qtbot, view.plot, view.box.scene_pos(1 * 4 + 1, 2 * 4 + 1))  # inside slice k=2 (column), c=1 (row)
    assert view.detail.isVisible() and view.selected == (1, 2, 1)
    F = model.latest_snapshot.params["conv2.W"][2, 1]
    table = [[float(view.table.item(r, col).text()) for col in range(3)] for r in range(3)]
    np.testing.assert_allclose(table, F, atol=5e-4)
    assert "F(2, 1, μ, ν)" in view.detail_title.text()
    assert view.outline.rect().getRect() == (8.0, 4.0, 3.0, 3.0)


# -- feature maps -------------------------------------------------------------------------------------------------

def test_feature_maps_show_the_trace_of_the_chosen_image(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, FeatureMapsView(model))
    probe = int(model.start.probe_indices[3])
    view.chooser.combo.setCurrentIndex(3)
    assert view.chooser.index() == probe
    trace = trace_of(model, probe)
    assert view.box.image.shape == (28, 2 * 28 + 1)  # conv1 u: 2 channels side by side
    np.testing.assert_allclose(view.box.image[:, 29:], trace.conv[0].u[0, 1], rtol=1e-5, atol=1e-6)
    hover(view.plot.scene(), view.box.scene_pos(12, 29 + 7))
    assert f"u(c=1, i=12, j=7) = {trace.conv[0].u[0, 1, 12, 7]:.4g}" in view.status.text()

    view.chooser.set_index(5)  # any test image, not a probe
    assert view.chooser.combo.currentIndex() == -1
    trace = trace_of(model, 5)
    view.layer_box.setCurrentIndex(1)
    view.stage_box.setCurrentIndex(2)  # conv2 p: 3 channels of 7x7
    assert view.box.image.shape == (7, 3 * 7 + 2)
    np.testing.assert_allclose(view.box.image[:, 16:], trace.conv[1].p[0, 2], rtol=1e-5, atol=1e-6)
    assert view.box.item.getLevels()[0] == 0  # p: [0, top]


def test_feature_map_levels_are_fixed_per_layer_and_only_widen(qtbot, run):
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, FeatureMapsView(model))
    tops = []
    for record in records[1:]:
        model.feed([record])
        if isinstance(record, SnapshotRecord):
            lo, hi = view.box.item.getLevels()
            assert lo == -hi  # u: symmetric
            tops.append(hi)
    view.chooser.set_index(7)  # another image widens or keeps them, never shrinks
    assert view.box.item.getLevels()[1] >= tops[-1]
    assert all(b >= a for a, b in zip(tops, tops[1:]))


def test_clicking_a_channel_enlarges_it(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, FeatureMapsView(model))
    view.stage_box.setCurrentIndex(1)  # a
    click(qtbot, view.plot, view.box.scene_pos(10, 29 + 10))
    assert view.channel == 1 and view.zoom_plot.isVisible()
    a = trace_of(model, view.chooser.index()).conv[0].a[0, 1]
    np.testing.assert_allclose(view.zoom.image, a, rtol=1e-5, atol=1e-6)
    assert list(view.zoom.item.getLevels()) == list(view.box.item.getLevels())
    hover(view.zoom_plot.scene(), view.zoom.scene_pos(14, 15))
    assert f"a(c=1, i=14, j=15) = {a[14, 15]:.4g}" in view.status.text()


# -- pooling ------------------------------------------------------------------------------------------------------

def test_pooling_marks_the_winners_of_the_trace(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, PoolingView(model))
    view.layer_box.setCurrentIndex(1)
    view.channel_box.setValue(2)
    conv = trace_of(model, view.chooser.index()).conv[1]
    zeta, eta = (w[0, 2] for w in conv.winner_positions())
    marks = [view.winner_marks.getData(), view.tie_marks.getData()]
    drawn = {(int(y - 0.5), int(x - 0.5)) for xs, ys in marks for x, y in zip(xs, ys)}
    assert drawn == set(zip(zeta.ravel().tolist(), eta.ravel().tolist()))
    assert len(marks[0][0]) == int((conv.p[0, 2] > 0).sum())  # strong marks: blocks with a positive max
    np.testing.assert_allclose(view.p.image, conv.p[0, 2], rtol=1e-6)


def test_hovering_a_pooled_pixel_highlights_its_block_and_winner(qtbot, run):
    model = fed_model(*run)
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
        assert f"(ζ, η) = ({zeta[ip, jp]}, {eta[ip, jp]})" in view.status.text()
    hover(view.plot.scene(), view.a.scene_pos(9, 4))  # hovering a highlights the block it belongs to
    assert view.highlighted == (4, 2)


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
    assert view.winners() is None and len(view.winner_marks.getData()[0]) == 0
    assert ("average" if pooling == "average" else "no pooling") in view.p_title.text
    np.testing.assert_allclose(view.p.image, conv.p[0, 0], rtol=1e-6)
    if pooling == "none":
        np.testing.assert_array_equal(view.p.image, view.a.image)


# -- predictions --------------------------------------------------------------------------------------------------

def test_predictions_mark_exactly_the_wrong_ones_red(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    ev = model.evals[-1]
    wrong = ev.predicted != data.test_labels
    assert 0 < wrong.sum() < len(wrong)  # the tiny run gets some right and some wrong
    np.testing.assert_array_equal(view.shown(), np.arange(min(PAGE, len(wrong))))
    ch, cw = view.cell
    for n, i in enumerate(view.shown()):
        r, c = divmod(n, 6)
        frame = tuple(view.rgb[r * ch + 13, c * cw])  # top-left pixel of the image's frame
        assert (frame == rgb(WRONG)) == wrong[i]
        assert view.captions[n].toPlainText() == f"{ev.predicted[i]} {100 * ev.confidence[i]:.0f}%"

    view.wrong_only.setChecked(True)
    np.testing.assert_array_equal(view.indices, np.flatnonzero(wrong))
    assert all(tuple(view.rgb[(n // 6) * ch + 13, (n % 6) * cw]) == rgb(WRONG) for n in range(len(view.shown())))


def test_selecting_an_image_shows_its_probabilities(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    ch, cw = view.cell
    click(qtbot, view.grid, view.vb.mapViewToScene(QPointF(cw + 10, ch + 20)))
    assert view.selected == int(view.shown()[6 + 1])  # second row, second column
    probs = model.network.predict_proba(to_input(data.test_images[view.selected:view.selected + 1]))[0]
    np.testing.assert_allclose(view.bars.opts["height"], probs, rtol=1e-6)
    assert f"label {data.test_labels[view.selected]}" in view.bar_plot.plotItem.titleLabel.text


def test_predictions_page_and_wait_for_an_evaluation(qtbot):
    data, records = run_records(100, 70, eval_every=0)
    model = started_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    assert not view.wrong_only.isEnabled() and view.captions[0].toPlainText() == "#0"
    model.feed(records[1:])
    assert view.wrong_only.isEnabled() and "right" in view.summary.text()
    pages = -(-70 // PAGE)
    for page in range(1, pages):
        view.next_button.click()
        assert view.page == page and list(view.shown()) == list(range(page * PAGE, min((page + 1) * PAGE, 70)))
    assert not view.next_button.isEnabled() and view.prev_button.isEnabled()
    if 70 % PAGE:
        assert view.captions[70 % PAGE].toPlainText() == ""  # past the last image


# -- any architecture -----------------------------------------------------------------------------------------------

ARCHITECTURES = {
    "one conv layer": dict(conv=(3,)),
    "three conv layers": dict(conv=(2, 3, 2)),
    "valid padding": dict(conv=(2, 2), padding="valid"),
    "even filter size": dict(conv=(2, 2), filter_size=4),
    "average pooling": dict(conv=(2, 2), pooling="average"),
    "no pooling": dict(conv=(2, 2), pooling="none"),
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
        K, C, m, _ = model.latest_snapshot.params[f"conv{l + 1}.W"].shape
        assert m == spec.size
        if C > 1:
            across, down = max(K, C), min(K, C)  # the longer side runs across
            assert filters.box.image.shape == (down * m + down - 1, across * m + across - 1)
        maps.layer_box.setCurrentIndex(l)
        for stage in range(3):
            maps.stage_box.setCurrentIndex(stage)
            assert maps.box.image.shape[0] >= getattr(trace.conv[l], "uap"[stage]).shape[2]
        pooling.layer_box.setCurrentIndex(l)
        assert pooling.a.image.shape == trace.conv[l].a.shape[2:]
    for view in (filters, maps, pooling, predictions):
        assert view.save_png(tmp_path / "view.png") and (tmp_path / "view.png").stat().st_size > 0


def test_a_view_created_after_the_run_started_shows_it_at_once(qtbot, run):
    model = fed_model(*run)
    for cls in (FiltersView, FeatureMapsView, PoolingView):
        view = shown(qtbot, cls(model))
        assert view.box.image is not None if hasattr(view, "box") else view.a.image is not None
    assert isinstance(model.evals[-1], EvalRecord)
