"""The Unit view: a click on a conv map selects a unit, and the view shows exactly what ``explain_unit`` computes for
it with the parameters of the timeline's snapshot (compared with an independent network); fully connected mode;
the same numbers in a live run and in a replay; ``cnnviz render --view unit --channel K --pixel ROW,COL``."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from cnnviz.cli import main
from cnnviz.core import Network
from cnnviz.core.backprop import backprop
from cnnviz.core.explain_backward import explain_delta
from cnnviz.core.optim import explain_update, number
from cnnviz.core.inspect import DenseExplanation, UnitExplanation, dense_input_name, explain_dense, explain_unit
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.gui.views.common import fmt
from cnnviz.gui.views.deltas import DeltasView
from cnnviz.gui.views.feature_maps import FeatureMapsView
from cnnviz.gui.views.pooling import PoolingView
from cnnviz.gui.views.unit import HOW_TO, SHOWN_CHANNELS, UnitView
from cnnviz.records import SnapshotRecord
from cnnviz.session import SessionReader
from tests.gui.helpers import click, fed_model, run_records, shown, write_session


@pytest.fixture(scope="module")
def run():
    """conv2 has 8 input channels: more than the view shows in full (the others are summed)."""
    return run_records(conv=(8, 3), fc=(8, 10))


def network_at(model, params=None) -> Network:
    """An independent network with the shown snapshot's parameters (or ``params``)."""
    net = Network(model.start.config.network)
    net.set_params(model.snapshot().params if params is None else params)
    return net


def expected_unit(model, layer, k, i, j, params=None) -> UnitExplanation:
    return explain_unit(network_at(model, params), model.image(model.selection.image), layer, k, i, j)


def assert_same_unit(shown_e: UnitExplanation, e: UnitExplanation) -> None:
    assert (shown_e.layer, shown_e.channel, shown_e.row, shown_e.col) == (e.layer, e.channel, e.row, e.col)
    for name in ("patch", "filter", "products"):
        np.testing.assert_array_equal(getattr(shown_e, name), getattr(e, name))
    for name in ("u", "a", "bias", "receptive_field", "won", "winner", "p"):
        assert getattr(shown_e, name) == getattr(e, name), name


def text(view: UnitView) -> str:
    return view.plain_text()


def test_clicking_a_feature_map_pixel_shows_its_computation(qtbot, run):
    model = fed_model(*run)
    maps, unit = shown(qtbot, FeatureMapsView(model)), shown(qtbot, UnitView(model))
    assert unit.explanation is None and text(unit) == HOW_TO  # nothing selected: how to select, one line
    maps.layer_box.setCurrentIndex(1)  # conv2, u
    r0, c0 = maps.layout_.origin(2)
    click(qtbot, maps.plot, maps.box.scene_pos(r0 + 3, c0 + 4))  # a pixel of channel 2 in the mosaic
    assert model.selection.channel == 2 and model.selection.pixel == (3, 4) and maps.zoom_plot.isVisible()
    click(qtbot, maps.zoom_plot, maps.zoom.scene_pos(5, 6))  # a pixel of the enlarged channel
    assert model.selection.channel == 2 and model.selection.pixel == (5, 6)
    e = expected_unit(model, "conv2", 2, 5, 6)
    assert_same_unit(unit.explanation, e)
    assert (unit.channel_box.value(), unit.row_box.value(), unit.col_box.value()) == (3, 6, 7)  # shown from 1
    shown_text = text(unit)
    order = np.argsort(-np.abs(e.products.sum(axis=(1, 2), dtype=np.float64)), kind="stable")
    assert len(order) == 8 > SHOWN_CHANNELS + 1
    for c in order[:SHOWN_CHANNELS]:  # the largest contributions in full: patch, filter, products
        assert f"c = {c + 1}" in shown_text  # counted from 1
        for value in (*e.filter[c].ravel(), *e.products[c].ravel(), e.products[c].sum(dtype=np.float64)):
            assert fmt(float(value) + 0.0) in shown_text
    for c in order[SHOWN_CHANNELS:]:
        assert f"c = {c + 1}\t" not in shown_text
    rest = e.products[order[SHOWN_CHANNELS:]].sum(dtype=np.float64)
    assert f"The other 4 channels: Σ = {fmt(float(rest))}" in shown_text
    assert f"= {fmt(e.u)}" in shown_text and f"ReLU(u) = max(0, u) = {fmt(e.a)}" in shown_text
    assert f"+ b(k) = {fmt(e.total - e.bias)} + ({fmt(e.bias)}) = {fmt(e.u)}" in shown_text
    assert ("won its" if e.won else "lost its") in shown_text
    r0, r1, c0, c1 = e.receptive_field
    assert f"input rows {r0 + 1}..{r1}, columns {c0 + 1}..{c1}" in shown_text  # counted from 1
    rect = unit.field_mark.rect()  # the receptive field outlined on the input image
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (c0, r0, c1 - c0, r1 - r0)
    rect = unit.pixel_mark.rect()
    assert (rect.x(), rect.y()) == (6, 5) and unit.map_box.image.shape == (14, 14)
    c = order[0]  # the previous layer's map: the channel contributing most, with the patch outlined
    np.testing.assert_array_equal(unit.prev_box.image, network_at(model).forward(
        model.image(model.selection.image)[None, None] / np.float32(255)).conv[0].p[0, c])
    rs, re, cs, ce = e.input_field
    rect = unit.input_mark.rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (cs, rs, ce - cs, re - rs)
    assert f"u(k=3, i=6, j=7) = {fmt(e.u)}" in unit.status.text()  # u[2, 5, 6], counted from 1


def test_a_pooled_pixel_selects_its_winner(qtbot, run):
    model = fed_model(*run)
    maps, pooling, unit = (shown(qtbot, cls(model)) for cls in (FeatureMapsView, PoolingView, UnitView))
    maps.layer_box.setCurrentIndex(1)
    maps.stage_box.setCurrentIndex(2)  # p
    maps.enlarge(1)
    click(qtbot, maps.zoom_plot, maps.zoom.scene_pos(2, 3))
    trace = network_at(model).forward(model.image(model.selection.image)[None, None] / np.float32(255))
    zeta, eta = trace.conv[1].winner_positions()
    winner = (int(zeta[0, 1, 2, 3]), int(eta[0, 1, 2, 3]))
    assert model.selection.pixel == winner and unit.explanation.won is True
    assert unit.explanation.p == unit.explanation.a == trace.conv[1].p[0, 1, 2, 3]
    assert "this position won its 2×2 block (i', j') = (3, 4)" in text(unit)  # p(1, 2, 3) from 0
    # The pooling view: a p pixel selects its block's winner, an a pixel itself.
    pooling.channel_box.setValue(3)  # channel 2, counted from 1
    click(qtbot, pooling.plot, pooling.p.scene_pos(4, 1))
    assert model.selection.channel == 2
    assert model.selection.pixel == (int(zeta[0, 2, 4, 1]), int(eta[0, 2, 4, 1]))
    click(qtbot, pooling.plot, pooling.a.scene_pos(9, 7))
    assert model.selection.pixel == (9, 7)
    assert_same_unit(unit.explanation, expected_unit(model, "conv2", 2, 9, 7))


def test_moving_the_timeline_changes_the_numbers_to_that_snapshots(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    unit = shown(qtbot, UnitView(model))
    model.select(layer=0)
    model.select(channel=3, pixel=(10, 12))
    snaps = [r for r in records if isinstance(r, SnapshotRecord)]
    texts = set()
    for snap in (snaps[-1], snaps[0], snaps[1]):
        model.seek(snap.step)
        assert model.snapshot().step == snap.step
        e = expected_unit(model, "conv1", 3, 10, 12, params=snap.params)
        assert_same_unit(unit.explanation, e)
        assert f"u = {fmt(e.total - e.bias)} + b(k)" in text(unit) and f"step {snap.step})" in unit.status.text()
        texts.add(text(unit))
    assert len(texts) == 3  # each snapshot its own numbers
    assert "input x = input: 1 channel of 3×3" in text(unit)


def test_fully_connected_mode(qtbot, run):
    model = fed_model(*run)
    maps, unit = shown(qtbot, FeatureMapsView(model)), shown(qtbot, UnitView(model))
    assert [unit.kind_box.itemText(i) for i in range(unit.kind_box.count())] == ["conv1", "conv2", "fc1", "output"]
    model.select(image=int(model.image_indices[5]))
    net = network_at(model)
    image = model.image(model.selection.image)
    probs = net.forward(image[None, None] / np.float32(255)).probs[0]
    unit.kind_box.setCurrentIndex(3)  # output: the predicted class first
    assert unit.unit_box.isVisible() and not unit.row_box.isVisible()
    assert unit.unit_box.index() == int(np.argmax(probs)) == unit.unit_box.value() - 1
    e = explain_dense(net, image, "output", int(np.argmax(probs)))
    assert isinstance(unit.explanation, DenseExplanation) and unit.explanation.u == e.u
    assert unit.explanation.probability == e.probability == pytest.approx(probs.max(), rel=1e-6)
    assert f"Soft(u)(n) = exp(u(n) − max u) / Σj exp(u(j) − max u) = {fmt(e.probability)}" in text(unit)
    assert f"predicted class {int(np.argmax(probs))}" in text(unit)
    other = (int(np.argmax(probs)) + 1) % 10
    unit.unit_box.set_index(other)
    assert unit.explanation.unit == other and unit.explanation.u == explain_dense(net, image, "output", other).u
    unit.kind_box.setCurrentIndex(2)  # fc1, unit 0
    unit.unit_box.set_index(5)
    e = explain_dense(net, image, "fc1", 5)
    np.testing.assert_array_equal(unit.explanation.products, e.products)
    lines = text(unit)
    for r in range(12):  # the 12 largest |W v|, with what each input is
        row = [str(e.indices[r] + 1), dense_input_name(net, "fc1", e.indices[r], origin=1),
               *(fmt(float(v) + 0.0) for v in (e.inputs[r], e.weights[r], e.products[r]))]
        assert "\t".join(row) in lines
    assert f"The other {len(e.indices) - 12} inputs: Σ = {fmt(float(e.products[12:].sum(dtype=np.float64)))}" in lines
    assert f"u(n) = {fmt(e.total)} + b(n) = {fmt(e.total)} + ({fmt(e.bias)}) = {fmt(e.u)}" in lines
    assert f"a(n) = ReLU(u) = max(0, u) = {fmt(e.a)}" in lines
    assert unit.map_box.image.shape == (7, 7)  # fc1's contributions over conv2's pooled 7x7 map
    # A click on a conv map shows that unit again.
    maps.enlarge(0)
    click(qtbot, maps.zoom_plot, maps.zoom.scene_pos(1, 2))
    assert isinstance(unit.explanation, UnitExplanation) and unit.row_box.isVisible()
    assert_same_unit(unit.explanation, expected_unit(model, "conv1", 0, 1, 2))


def test_the_spin_boxes_select_a_unit(qtbot, run):
    model = fed_model(*run)
    unit = shown(qtbot, UnitView(model))
    unit.kind_box.setCurrentIndex(1)
    assert model.selection.layer == 1 and unit.explanation is None
    unit.col_box.setValue(14)  # shown from 1: j = 14 is column 13
    assert model.selection.pixel == (0, 13) and model.selection.channel == 0
    unit.channel_box.setValue(3)
    assert model.selection.channel == 2
    assert_same_unit(unit.explanation, expected_unit(model, "conv2", 2, 0, 13))
    assert unit.row_box.maximum() == 14 and unit.channel_box.maximum() == 3 and unit.row_box.minimum() == 1


def test_a_hidden_view_explains_when_shown(qtbot, run):
    model = fed_model(*run)
    unit = UnitView(model)
    qtbot.addWidget(unit)
    model.select(channel=1, pixel=(4, 4))
    assert unit.explanation is None  # not drawn while hidden
    shown(qtbot, unit)
    assert_same_unit(unit.explanation, expected_unit(model, "conv1", 1, 4, 4))


def test_live_and_replay_show_the_same_numbers(qtbot, run, tmp_path):
    data, records = run
    path = write_session(tmp_path / "run.h5", records)
    live = fed_model(data, records)
    replay = RunModel()
    ReplaySource(replay, replay).open(path)
    replay.complete_levels()
    views = [shown(qtbot, UnitView(m)) for m in (live, replay)]
    for view in views:
        view.show_backward()
    step = [r for r in records if isinstance(r, SnapshotRecord)][1].step
    for m in (live, replay):
        m.seek(step)
        m.select(layer=1)
        m.select(channel=1, pixel=(6, 7))
    assert_same_unit(views[0].explanation, views[1].explanation)
    # The same u and delta; only the replay reads the momentum's velocity from its session file.
    same = "The update of its filter"
    assert text(views[0]).split(same)[0] == text(views[1]).split(same)[0]
    assert "no session file holds this run's velocity" in text(views[0]) and "M from the session" in text(views[1])


# -- cnnviz render --view unit ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def session(run, tmp_path_factory):
    return write_session(tmp_path_factory.mktemp("unit") / "run.h5", run[1])


def test_render_draws_the_unit_view(qapp, tmp_path, capsys, session):
    out = tmp_path / "unit.png"
    options = ["--view", "unit", "--layer", "conv2", "--channel", "2", "--pixel", "5,6", "--size", "700x600"]
    assert main(["render", str(session), "--out", str(out), *options]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (700, 600)


@pytest.mark.parametrize(("options", "expected"), [
    (["--layer", "conv2", "--pixel", "14,0"], ("--pixel 14,0 is outside conv2's 14x14 u map (rows 0 to 13, "
                                               "columns 0 to 13)")),
    (["--pixel", "3"], "--pixel must be ROW,COL such as 7,8, not '3'"),
    (["--pixel=-1,2"], "--pixel must be ROW,COL such as 7,8, not '-1,2'"),
    (["--layer", "conv2", "--channel", "3"], "--channel 3 does not exist: conv2 has 3 channels (0 to 2)"),
    (["--channel", "-1"], "--channel -1 does not exist: conv1 has 8 channels (0 to 7)"),
])
def test_render_mistakes_are_one_line_and_status_2(qapp, tmp_path, capsys, session, options, expected):
    out = tmp_path / "unit.png"
    assert main(["render", str(session), "--out", str(out), "--view", "unit", *options]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and "Traceback" not in err
    assert not out.exists()


def backward_lines(unit: UnitView) -> list[str]:
    """The backward side as plain text, one line each."""
    return text(unit).split("Back-propagation (section 3.3)", 1)[1].split("The update of its filter")[0].splitlines()


@pytest.mark.parametrize(("layer", "where"), [(0, (1, 5, 6)), (1, (2, 3, 4)), (1, (0, 0, 0))])
def test_the_backward_side_shows_how_delta_was_computed(qtbot, run, layer, where):
    model = fed_model(*run)
    unit = shown(qtbot, UnitView(model))
    unit.show_backward()  # computed only while in front
    k, i, j = where
    model.select(layer=layer, channel=k, pixel=(i, j))
    image, label = model.image(model.selection.image), model.label(model.selection.image)
    e = explain_delta(network_at(model), image, label, f"conv{layer + 1}", (k, i, j), origin=1)  # an independent one
    assert unit.delta.delta == e.delta and unit.delta.won == e.won and unit.delta.total == pytest.approx(e.total)
    np.testing.assert_array_equal(unit.delta.terms, e.terms)
    lines = backward_lines(unit)
    assert lines[0] == f", label r = {label}: δ = dE/du of this unit, E = −log v(r)"
    assert f"f′(u) = {e.fprime:g} (u = {fmt(e.u)} {'>' if e.u > 0 else '≤'} 0)" in lines[1]
    if e.pooling == "max":
        assert ("won its block" if e.won else "lost its block") in "".join(lines)
    next_sum = ("Σn′ W(n′, q) δ(n′), q = " if layer == 1 else "Σk′ Σμ Σν F(k′, k, μ, ν) δ(k′, i′+t−μ+1, j′+t−ν+1)")
    assert next_sum in "".join(lines)
    top = int(np.argmax(np.abs(e.terms)))  # the largest term, written out
    assert (f"{e.sources[top]} = {fmt(float(e.weights[top]))} × " in "".join(lines))
    share = "" if e.share == 1 else f" × {e.share:g}"
    sign = f"({fmt(e.total)})" if fmt(e.total).startswith("-") else fmt(e.total)
    assert lines[-1] == f"δ({k + 1}, {i + 1}, {j + 1}) = {e.fprime:g}{share} × {sign} = {fmt(e.delta)}"


def test_the_backward_side_of_fully_connected_units(qtbot, run):
    model = fed_model(*run)
    unit = shown(qtbot, UnitView(model))
    unit.show_backward()  # computed only while in front
    image, label = model.image(model.selection.image), model.label(model.selection.image)
    unit.show_dense("output", label)
    qtbot.waitUntil(lambda: unit.delta is not None and unit.delta.output)
    v = float(network_at(model).forward(image[None, None] / np.float32(255)).probs[0, label])
    assert backward_lines(unit)[-1] == (f"δ(n) = v(n) − r(n) = {fmt(v)} − 1 = {fmt(unit.delta.delta)} "
                                        f"(r({label + 1}) = 1: the label)")
    assert unit.delta.delta == pytest.approx(v - 1, abs=1e-6)
    unit.show_dense("fc1", 3)
    qtbot.waitUntil(lambda: unit.delta is not None and unit.delta.layer == "fc1")
    e = explain_delta(network_at(model), image, label, "fc1", 3, origin=1)
    lines = backward_lines(unit)
    assert lines[1] == "δ(n) = f′(u(n)) Σn′ W(n′, n) δ(n′), the 10 units n′ of fc2:"
    assert lines[-1] == f"δ(4) = {e.fprime:g} × {'(' + fmt(e.total) + ')' if e.total < 0 else fmt(e.total)} = " \
                        f"{fmt(e.delta)}"
    assert len([line for line in lines if line.strip().startswith("fc2 W(")]) == 6  # the largest six, then the rest
    assert any(line.strip().startswith("the other 4 terms: Σ = ") for line in lines)


def test_clicking_a_delta_opens_its_unit(qtbot, run):
    model = fed_model(*run)
    unit, deltas = shown(qtbot, UnitView(model)), shown(qtbot, DeltasView(model))
    unit.show_backward()
    model.select(layer=1)
    r0, c0 = deltas.layout_.origin(2)
    with qtbot.waitSignal(deltas.unit_clicked) as signal:
        click(qtbot, deltas.plot, deltas.box.scene_pos(r0 + 3, c0 + 1))
    assert signal.args == ["conv2", -1]
    assert model.selection.channel == 2 and model.selection.pixel == (3, 1)
    qtbot.waitUntil(lambda: unit.delta is not None and unit.delta.unit == (2, 3, 1))
    assert unit.delta.delta == pytest.approx(float(deltas.deltas()[2, 3, 1]), rel=1e-6, abs=1e-12)
    _, vb, _ = deltas.strips[0]
    with qtbot.waitSignal(deltas.unit_clicked) as signal:
        click(qtbot, deltas.fc_plot, vb.mapViewToScene(QPointF(5.5, 0.5)))
    assert signal.args == ["fc1", 5]


def test_the_momentum_step_of_a_filter_weight_with_the_sessions_velocity(qtbot, tiny_run, tiny_session):
    data, _ = tiny_run
    model = RunModel()
    ReplaySource(model, model).open(tiny_session, data=None)
    view = shown(qtbot, UnitView(model))
    view.show_backward()
    model.select(layer=1, channel=2, pixel=(1, 1))
    model.seek(2)  # the snapshot at step 2: a velocity after two steps
    i = model.snapshot_index
    velocity = SessionReader(tiny_session).train_state(i).velocity["conv2.W"]
    assert np.abs(velocity).max() > 0
    qtbot.waitUntil(lambda: "Momentum after step 2" in text(view))
    image = model.image(model.selection.image)
    dF = backprop(network_at(model), image[None, None] / np.float32(255), model.label(model.selection.image)).grads[
        "conv2.W"]
    c, mu, nu = np.unravel_index(int(np.abs(dF[2]).argmax()), dF[2].shape)  # the largest |g| of filter 2
    lr, momentum = float(model.metric("lr")[2]), float(model.metric("momentum")[2])  # those of step 3
    n = model.start.config.batch_size
    step = explain_update(model.snapshot().params["conv2.W"][2], dF[2].astype(np.float64) / n, velocity[2], lr,
                          momentum, n)
    g = float(dF[2, c, mu, nu])
    M = lr / n * g + momentum * float(velocity[2, c, mu, nu])  # M <- Eta g - Beta M with Beta = -momentum
    F = float(model.snapshot().params["conv2.W"][2, c, mu, nu]) - M
    assert step.velocity[c, mu, nu] == pytest.approx(M, rel=1e-5) and step.after[c, mu, nu] == pytest.approx(F, rel=1e-5)
    symbol = f"F(3, {c + 1}, {mu + 1}, {nu + 1})"  # counted from 1
    lines = text(view).splitlines()
    start = lines.index("The update of its filter F(3, ·, ·, ·) at its largest |g|:")
    assert lines[start + 1:start + 5] == [
        f"Momentum after step 2, as the program writes it: Eta = lr/N = {number(lr)}/{n} = {number(lr / n)}, "
        f"Beta = −momentum = {number(-momentum)}; M from the session.",
        f"g = dE/d{symbol} of this image alone = {number(g)} (the program's g sums it over the {n} images of a "
        "minibatch)",
        f"M ← Eta·g − Beta·M = {number(lr / n)} × {number(g, True)} − {number(-momentum, True)} × "
        f"{number(float(velocity[2, c, mu, nu]), True)} = {number(M)}",
        f"{symbol} ← {symbol} − M = {number(float(model.snapshot().params['conv2.W'][2, c, mu, nu]))} − "
        f"{number(M, True)} = {number(F)}"]


def test_without_a_session_file_the_velocity_is_zero_and_said_so(qtbot, run):
    model = fed_model(*run)
    view = shown(qtbot, UnitView(model))
    view.show_backward()
    model.select(layer=0, channel=1, pixel=(2, 2))
    model.seek(2)
    qtbot.waitUntil(lambda: "Momentum after step 2" in text(view))
    assert "M = 0 here: no session file holds this run's velocity." in text(view)
    assert "M ← Eta·g − Beta·M = " in text(view) and " × 0 = " in text(view)


def test_in_the_window_a_delta_click_opens_the_unit_views_backward_side(qtbot):
    from tests.gui.test_layouts import make_window, settle  # noqa: PLC0415 (the window's own helpers)

    w = make_window(qtbot, 1280, 800)
    w.show_task("backprop")
    deltas, unit = w.views["deltas"], w.views["unit"]
    settle(qtbot, w)
    qtbot.waitUntil(lambda: deltas.layout_ is not None, timeout=5000)
    r0, c0 = deltas.layout_.origin(1)
    click(qtbot, deltas.plot, deltas.box.scene_pos(r0 + 2, c0 + 3))
    settle(qtbot, w)
    assert w.layout_.current == "inside" and unit.sides.currentWidget() is unit.back_scroll
    qtbot.waitUntil(lambda: unit.delta is not None, timeout=5000)
    assert unit.delta.unit == (1, 2, 3) and unit.delta.layer == f"conv{w.model.selection.layer + 1}"


def test_the_backward_side_is_computed_only_while_in_front(qtbot, run):
    model = fed_model(*run)
    unit = shown(qtbot, UnitView(model))
    model.select(layer=1, channel=0, pixel=(2, 2))
    assert unit.delta is None and "Back-propagation" not in text(unit)
    unit.show_backward()
    qtbot.waitUntil(lambda: unit.delta is not None and unit.delta.unit == (0, 2, 2))
    assert "Back-propagation (section 3.3)" in text(unit)
