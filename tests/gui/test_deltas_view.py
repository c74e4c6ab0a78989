"""The back-propagation view: it must show exactly the deltas and filter gradients that back-propagation gives for
the selected image at the timeline's snapshot (compared with Network.loss_and_gradients and with
cnnviz.core.backprop), follow the timeline, the image and the layer, and plot one point per snapshot of each
layer's gradient and weight norms, equal to a direct computation, computed a slice at a time."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF

from cnnviz.cli import main
from cnnviz.core import Network
from cnnviz.core.backprop import backprop, layer_norms
from cnnviz.data import example_session_path, to_input
from cnnviz.gui.model import RunModel
from cnnviz.gui.views.deltas import DeltasView
from cnnviz.records import SnapshotRecord
from tests.gui.helpers import click, fed_model, hover, run_records, shown, started_model


def tiles(image: np.ndarray, layout) -> np.ndarray:
    """The tiles of a mosaic, (n, h, w)."""
    out = []
    for t in range(layout.n):
        r0, c0 = layout.origin(t)
        out.append(image[r0:r0 + layout.h, c0:c0 + layout.w])
    return np.array(out)


def reference(model, params, index):
    """The network's own back-propagation of test image ``index`` with ``params``: loss_and_gradients of one
    image, dropout off (a twin with dropout ratio 0, so that the training pass is the inference pass)."""
    cfg = model.start.config.network
    net = Network(dataclasses.replace(cfg, dropout=0.0))
    net.set_params(params)
    _, grads, deltas = net.loss_and_gradients(to_input(model.image(index)[None]), np.array([model.label(index)]))
    return grads, deltas


def own(model, params, index):
    net = Network(model.start.config.network)
    net.set_params(params)
    return backprop(net, to_input(model.image(index)[None]), model.label(index))


def check_shows(view, params, index):
    """The mosaics and strips hold exactly backprop's arrays, and (to float32 rounding) loss_and_gradients'."""
    model, l = view.model, view.model.selection.layer
    mine = own(model, params, index)
    grads, deltas = reference(model, params, index)
    shown_deltas = tiles(view.box.image, view.layout_)
    np.testing.assert_array_equal(shown_deltas, mine.deltas[f"conv{l + 1}"])
    np.testing.assert_allclose(shown_deltas, deltas[f"conv{l + 1}"][0], rtol=1e-4, atol=1e-7)
    assert shown_deltas.any()
    dF = grads[f"conv{l + 1}.W"]
    shown_grads = tiles(view.grad_box.image, view.grad_layout_)
    for tile, (k, c) in enumerate(view.grad_tiles):
        np.testing.assert_array_equal(shown_grads[tile], mine.grads[f"conv{l + 1}.W"][k, c])
        np.testing.assert_allclose(shown_grads[tile], dF[k, c], rtol=1e-4, atol=1e-7)
    assert sorted(view.grad_tiles) == [(k, c) for k in range(dF.shape[0]) for c in range(dF.shape[1])]
    top = np.abs(mine.deltas[f"conv{l + 1}"]).max()
    assert tuple(view.box.item.levels) == pytest.approx((-top, top))  # symmetric around 0
    for (_, _, item), name in zip(view.strips, ["fc1", "fc2"]):
        np.testing.assert_array_equal(item.image[0], mine.deltas[name])
        np.testing.assert_allclose(item.image[0], deltas[name][0], rtol=1e-4, atol=1e-7)
        assert tuple(item.levels) == pytest.approx((-np.abs(deltas[name]).max(), np.abs(deltas[name]).max()), rel=1e-5)
    r = np.eye(10, dtype=np.float32)[model.label(index)]
    np.testing.assert_allclose(view.strips[-1][2].image[0], mine.probs - r)  # the output's delta = v - r


def test_the_view_shows_the_backprop_of_the_selected_image_in_every_layer(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    params = model.snapshot().params
    for layer in (0, 1):
        model.select(layer=layer)
        check_shows(view, params, model.selection.image)
    assert view.layer_box.currentIndex() == 1
    label = model.label(model.selection.image)
    assert f"label r = {label}" in view.info.text() and f"v({label + 1}) = " in view.info.text()  # its unit, from 1


def test_it_follows_the_timeline_and_the_image(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    model.select(layer=1)
    first = model.snapshots.steps[0]
    model.seek(first)
    check_shows(view, model.snapshots[0].params, model.selection.image)
    model.select(image=5)
    check_shows(view, model.snapshots[0].params, 5)
    model.follow()
    check_shows(view, model.snapshot().params, 5)
    assert not np.array_equal(own(model, model.snapshots[0].params, 5).deltas["conv2"],
                              own(model, model.snapshot().params, 5).deltas["conv2"])


def test_hover_reads_the_values_and_a_click_selects_the_channel(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    model.select(layer=1)
    mine = own(model, model.snapshot().params, model.selection.image)
    delta = mine.deltas["conv2"]
    k, i, j = np.unravel_index(np.argmax(np.abs(delta)), delta.shape)
    r0, c0 = view.layout_.origin(k)
    hover(view.plot.scene(), view.box.scene_pos(r0 + i, c0 + j))
    assert f"δ conv2(k={k + 1}, i={i + 1}, j={j + 1}) = dE/du = {delta[k, i, j]:.4g}" in view.status.text()
    assert f"dE/db({k + 1}) = Σ δ({k + 1}, ·, ·) = {mine.grads['conv2.b'][k]:.4g}" in view.status.text()
    tile = view.grad_tiles.index((1, 0))
    r0, c0 = view.grad_layout_.origin(tile)
    hover(view.plot.scene(), view.grad_box.scene_pos(r0 + 2, c0 + 1))
    assert "dE/dF conv2(k=2, c=1, μ=3, ν=2) = Σ_ij δ(2, i, j) x(1, i+2, j+1)" in view.status.text()  # from 1
    assert view.status.text().endswith(f"= {mine.grads['conv2.W'][1, 0, 2, 1]:.4g}")
    _, vb, _ = view.strips[-1]
    label = model.label(model.selection.image)
    hover(view.fc_plot.scene(), vb.mapViewToScene(QPointF(label + 0.5, 0.5)))
    n = label + 1  # the output unit of the label, counted from 1
    assert view.status.text().startswith(f"δ fc2({n}) = v({n}) − r({n}) = ")
    assert view.status.text().endswith(f"= {mine.deltas['fc2'][label]:.4g}")
    r0, c0 = view.layout_.origin(2)
    click(qtbot, view.plot, view.box.scene_pos(r0 + 1, c0 + 1))
    assert model.selection.channel == 2 and view.outline.isVisible()
    assert view.outline.rect().x() == c0 and view.outline.rect().y() == r0


@pytest.mark.parametrize("fc", [(8, 10), (8, 6, 10)])
def test_every_strips_label_is_drawn_whole(qtbot, fc):
    """Each fully connected layer's label fits its row and the strips' widget (the last one, "fc2 δ = v − r (10)",
    was cut at the bottom: its row reached below the widget)."""
    model = fed_model(*run_records(conv=(2,), fc=fc))
    view = shown(qtbot, DeltasView(model))
    visible = QRectF(view.fc_plot.viewport().rect())
    for label, vb, _ in view.strips:
        text = label.item.mapRectToScene(label.item.boundingRect())
        assert label.sceneBoundingRect().contains(text), label.text
        assert visible.contains(view.fc_plot.mapFromScene(text).boundingRect()), label.text
        assert visible.contains(view.fc_plot.mapFromScene(vb.sceneBoundingRect()).boundingRect())


def direct_norms(model, i):
    net = Network(model.start.config.network)
    net.set_params(model.snapshots[i].params)
    return layer_norms(net, to_input(model.start.probe_images), model.start.probe_labels)


def test_norms_have_one_point_per_snapshot_equal_to_a_direct_computation(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    qtbot.wait(50)
    assert view.norms_done == 0  # nothing is computed while the tab is hidden
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.norms_done == len(model.snapshots), timeout=20000)
    steps = model.snapshots.steps
    for n, name in enumerate(view.layer_names):
        x, log_y = view.grad_curves[n].getData()  # the gradient plot has a log y axis
        y = 10 ** log_y
        np.testing.assert_array_equal(x, steps)
        xw, w = view.weight_curves[n].getData()
        np.testing.assert_array_equal(xw, steps)
        for i in range(len(steps)):
            names, g, wn = direct_norms(model, i)
            assert names == view.layer_names
            assert y[i] == pytest.approx(g[n], rel=1e-6) and w[i] == pytest.approx(wn[n], rel=1e-6)
    assert all(line.value() == model.step for line in view.cursor_lines)
    model.seek(steps[1])
    assert all(line.value() == steps[1] for line in view.cursor_lines)


def test_norms_are_computed_on_the_models_thread_and_grow_with_a_live_run(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = shown(qtbot, DeltasView(model))
    view.tabs.setCurrentIndex(1)
    cut = next(n for n, r in enumerate(records) if isinstance(r, SnapshotRecord)) + 1
    model.feed(records[1:cut])  # the first snapshot only
    model.complete_levels()
    assert model.norms_wanted and view.norms_done == 0  # asked for, computed off the GUI thread
    qtbot.waitUntil(lambda: view.norms_done == 1, timeout=20000)
    model.feed(records[cut:])
    qtbot.waitUntil(lambda: view.norms_done == len(model.snapshots) > 1, timeout=20000)
    assert len(view.grad_curves[0].getData()[0]) == len(model.snapshots)
    check_shows(view, model.snapshot().params, model.selection.image)  # the maps followed the run


def test_a_new_run_clears_the_view(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    view.complete_norms()
    assert view.norms_done == len(model.snapshots)
    model.clear()
    assert view.box.image is None and view.norms_done == 0 and view.strips == []
    model.begin(tiny_run[1][0], tiny_run[0].test_images, tiny_run[0].test_labels)
    assert view.box.image is None and "Waiting" in view.info.text()


def test_render_draws_the_view_of_the_example_session(qapp, tmp_path, capsys):
    out = tmp_path / "deltas.png"
    assert main(["render", str(example_session_path()), "--out", str(out), "--view", "deltas", "--layer", "conv2",
                 "--size", "700x500"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"


def test_a_hidden_view_computes_nothing_until_it_is_shown(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = DeltasView(model)
    qtbot.addWidget(view)
    model.select(layer=1, image=3)
    model.seek(model.snapshots.steps[0])
    assert view.result is None and view.box.image is None  # a tab behind another view: no work
    shown(qtbot, view)
    check_shows(view, model.snapshots[0].params, 3)


def test_a_live_runs_dropout_mask_is_marked_on_the_strips(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, DeltasView(model))
    kept = np.ones((50, 8), dtype=bool)
    kept[0, [1, 6]] = False  # the first image of the minibatch lost units 1 and 6
    kept[1, 3] = False
    model.live_dropout = {"fc1": kept}
    model.seek(model.snapshots.steps[-1])
    model.set_live(model.snapshots[len(model.snapshots) - 1])
    view.redraw()
    x, y = view.drop_marks[0].getData()
    np.testing.assert_array_equal(x, [1.5, 6.5])
    assert len(view.drop_marks[1].getData()[0]) == 0  # the output layer has no dropout
    _, vb, _ = view.strips[0]
    hover(view.fc_plot.scene(), vb.mapViewToScene(QPointF(6.5, 0.5)))
    assert view.status.text().endswith("(dropped by the latest minibatch's dropout)")
    hover(view.fc_plot.scene(), vb.mapViewToScene(QPointF(2.5, 0.5)))
    assert "dropped" not in view.status.text()
    model.begin(model.start, tiny_run[0].test_images, tiny_run[0].test_labels)  # a new run: no mask
    assert model.live_dropout == {}
