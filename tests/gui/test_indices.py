"""Indices as the lecture writes them (issue 21): the window counts from 1 by default (View › Count indices from 1,
remembered), every view asks the one rule (cnnviz.gui.indices), and switching it off shows the code's 0-based
indices again; the Python API stays 0-based."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cnnviz.core.explain_backward import explain_delta
from cnnviz.gui import app as app_module
from cnnviz.gui.app import MainWindow
from cnnviz.gui.indices import CODE, NOTES, Indices
from cnnviz.gui.state import RunState
from cnnviz.gui.views.common import ImageChooser, IndexBox
from cnnviz.gui.views.deltas import DeltasView
from cnnviz.gui.views.feature_maps import FeatureMapsView
from cnnviz.gui.views.filters import FiltersView
from cnnviz.gui.views.overview import OverviewView
from cnnviz.gui.views.pooling import PoolingView
from cnnviz.gui.views.unit import UnitView
from cnnviz.gui.workspace import build_parser
from cnnviz.records import SnapshotRecord
from tests.gui.helpers import fed_model, hover, shown

# A 4x4 corner of a map whose 2x2 blocks are won where the notes' figure 7 has its winners: (1,2), (2,4), (4,1),
# (4,4) counted from 1, i.e. (0,1), (1,3), (3,0), (3,3) from 0. Pixel values (x 25 / 255 once the image is read).
FIGURE7 = np.array([[0, 5, 1, 0],
                    [1, 2, 3, 8],
                    [0, 1, 2, 1],
                    [9, 0, 0, 7]])
FIGURE7_WINNERS = {(0, 0): (1, 2), (0, 1): (2, 4), (1, 0): (4, 1), (1, 1): (4, 4)}  # block (i', j') from 0: as notes


def test_the_rule_turns_indices_into_what_is_shown_and_back():
    ix = Indices()
    assert ix.origin == NOTES == 1 and ix(0) == 1 and ix(0, 1) == (1, 2) and f"{ix(3, 0)}" == "(4, 1)"
    assert ix.index(1) == 0 and ix.span(0, 1) == "1..2"
    code = Indices(CODE)
    assert code(0) == 0 and code(3, 3) == (3, 3) and code.index(0) == 0 and code.span(2, 3) == "2..3"
    state = RunState()
    assert state.indices.origin == 1 and state.describe_image(0) == "test #1"  # from 1 at first
    assert state.count_from(0) == {"indices"} and state.count_from(0) == set()  # told once
    assert state.describe_image(0) == "test #0" and state.describe_image(-1) == "your drawing"


def test_a_spin_box_of_an_index_round_trips(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    box = IndexBox(model, "k ")
    qtbot.addWidget(box)
    box.set_range(0, 2)
    told = []
    box.index_changed.connect(told.append)
    assert (box.minimum(), box.maximum()) == (1, 3)  # shown from 1
    box.setValue(1)
    box.set_index(2)
    assert box.value() == 3 and box.index() == 2 and told == [2]  # shown 3 is index 2
    box.setValue(1)
    assert box.index() == 0 and told == [2, 0]  # shown 1 is index 0
    model.count_from(0)  # the same index, written anew, and no change told
    assert (box.value(), box.index(), box.minimum(), box.maximum()) == (0, 0, 0, 2) and told == [2, 0]
    box.setValue(2)
    assert told[-1] == 2
    model.count_from(1)
    assert (box.value(), box.index()) == (3, 2)


def test_the_setting_is_on_at_first_remembered_and_switches_the_model(qtbot):
    args = build_parser().parse_args(["--no-session"])
    window = MainWindow(args, preview=False)  # a first launch: no settings (tests/conftest.py isolates them)
    qtbot.addWidget(window)
    a = window.count_from_one_action
    assert a.isCheckable() and a.isChecked() and window.model.indices.origin == 1
    assert a in window.menuBar().actions()[3].menu().actions()  # the View menu
    with qtbot.waitSignal(window.model.changed) as changed:
        a.setChecked(False)
    assert changed.args[0] == frozenset({"indices"}) and window.model.indices.origin == 0
    assert app_module.settings().value("view/count_from_one") in (False, "false")
    again = MainWindow(args, preview=False)  # the next launch remembers it
    qtbot.addWidget(again)
    assert not again.count_from_one_action.isChecked() and again.model.indices.origin == 0
    again.count_from_one_action.setChecked(True)
    assert again.model.indices.origin == 1


@pytest.fixture
def figure7_model(tiny_run):
    """The tiny run with conv1's filter 0 the identity (u = x) and the user's image holding FIGURE7 in its corner:
    conv1's a map of channel 0 is the figure's map there (and zero elsewhere)."""
    data, records = tiny_run
    identity = np.zeros((3, 3), dtype=np.float32)
    identity[1, 1] = 1

    def crafted(r):
        if not isinstance(r, SnapshotRecord):
            return r
        W, b = r.params["conv1.W"].copy(), r.params["conv1.b"].copy()
        W[0, 0], b[0] = identity, 0
        return dataclasses.replace(r, params={**r.params, "conv1.W": W, "conv1.b": b})

    model = fed_model(data, [crafted(r) for r in records])
    image = np.zeros((28, 28), dtype=np.uint8)
    image[:4, :4] = 25 * FIGURE7
    model.set_user_image(image)
    model.select(layer=0, channel=0)
    return model


def test_the_lectures_figure_7_winners_in_the_window(qtbot, figure7_model):
    model = figure7_model
    pooling, unit = shown(qtbot, PoolingView(model)), shown(qtbot, UnitView(model))
    zeta, eta = pooling.winners()
    assert {(ip, jp): (int(zeta[ip, jp]), int(eta[ip, jp])) for ip, jp in FIGURE7_WINNERS} == {
        block: (z - 1, e - 1) for block, (z, e) in FIGURE7_WINNERS.items()}  # the code's 0-based positions
    for origin, shift in ((1, 0), (0, 1)):
        model.count_from(origin)
        for (ip, jp), (z, e) in FIGURE7_WINNERS.items():
            hover(pooling.plot.scene(), pooling.p.scene_pos(ip, jp))
            assert f"winner (ζ, η) = ({z - shift}, {e - shift})" in pooling.status.text()
            assert f"p(k={1 - shift}, i'={ip + 1 - shift}, j'={jp + 1 - shift})" in pooling.status.text()
            model.select(channel=0, pixel=(z - 1, e - 1))  # the winner's unit: the Unit view says it won
            assert f"this position won its 2×2 block (i', j') = ({ip + 1 - shift}, {jp + 1 - shift})" in unit.head.text() \
                + unit.foot.text()
            assert f"(ζ, η) = ({z - shift}, {e - shift})" in unit.foot.text()
    model.count_from(1)
    model.select(channel=0, pixel=(0, 0))  # a loser of the first block: its winner named as the notes do
    assert "lost its 2×2 block (i', j') = (1, 1), a(k, 1..2, 1..2); the winner is (ζ, η) = (1, 2)" in unit.foot.text()


def texts(model, views) -> dict[str, str]:
    """What the views show after hovering one value of each, and the Unit view's forward and backward text."""
    maps, filters, pooling, deltas, overview, unit, chooser = views
    hover(maps.plot.scene(), maps.box.scene_pos(2, 3))
    hover(filters.plot.scene(), filters.box.scene_pos(1, 2))
    hover(pooling.plot.scene(), pooling.p.scene_pos(1, 2))
    hover(deltas.plot.scene(), deltas.box.scene_pos(2, 3))
    hover(overview.plot.scene(), overview.scene_pos(3, 1, 2, 2))
    return {"maps": maps.status.text(), "filters": filters.status.text(), "pooling": pooling.status.text(),
            "deltas": deltas.status.text(), "overview": overview.status.text(), "unit": unit.plain_text(),
            "unit status": unit.status.text(), "boxes": (unit.channel_box.value(), unit.row_box.value()),
            "chooser": chooser.combo.itemText(0)}


def test_switching_it_off_shows_every_index_from_0_again(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    views = [shown(qtbot, cls(model)) for cls in (FeatureMapsView, FiltersView, PoolingView, DeltasView, OverviewView,
                                                   UnitView, ImageChooser)]
    unit = views[5]
    unit.show_backward()
    model.select(layer=1, channel=2, pixel=(3, 4))
    probe = int(model.start.probe_indices[0])
    ones = texts(model, views)
    assert "u(k=1, i=3, j=4)" in ones["maps"] and "F(k=1, c=1, μ=2, ν=3)" in ones["filters"]
    assert "p(k=3, i'=2, j'=3)" in ones["pooling"] and "δ conv2(k=1, i=3, j=4)" in ones["deltas"]
    assert "(k=2, i=3, j=3)" in ones["overview"] and ones["boxes"] == (3, 4)
    assert "conv2, k = 3, (i, j) = (4, 5)" in ones["unit"] and "u(k=3, i=4, j=5)" in ones["unit status"]
    image, label = model.image(model.selection.image), model.label(model.selection.image)
    e = explain_delta(model.network, image, label, "conv2", (2, 3, 4))  # the Python API: 0-based, always
    top = int(np.argmax(np.abs(e.terms))) if len(e.terms) else None  # the largest term: written out
    if top is not None:
        assert explain_delta(model.network, image, label, "conv2", (2, 3, 4), origin=1).sources[top] in ones["unit"]
    assert e.unit == (2, 3, 4) and "δ(3, 4, 5) = " in ones["unit"] and "F(3, ·, ·, ·)" in ones["unit"]
    assert ones["chooser"].endswith(f"#{probe + 1}")
    model.count_from(0)
    zeros = texts(model, views)
    assert "u(k=0, i=2, j=3)" in zeros["maps"] and "F(k=0, c=0, μ=1, ν=2)" in zeros["filters"]
    assert "p(k=2, i'=1, j'=2)" in zeros["pooling"] and "δ conv2(k=0, i=2, j=3)" in zeros["deltas"]
    assert "(k=1, i=2, j=2)" in zeros["overview"] and zeros["boxes"] == (2, 3)
    assert "conv2, k = 2, (i, j) = (3, 4)" in zeros["unit"] and "u(k=2, i=3, j=4)" in zeros["unit status"]
    assert "δ(2, 3, 4) = " in zeros["unit"] and "F(2, ·, ·, ·)" in zeros["unit"]
    assert zeros["chooser"].endswith(f"#{probe}") and model.selection.pixel == (3, 4)  # the selection stays
    if top is not None:
        assert e.sources[top] in zeros["unit"]  # the core's own sources, 0-based, as the window shows them now
