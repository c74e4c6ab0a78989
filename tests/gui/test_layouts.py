"""The task workspaces and the size rules: plans that tab a view rather than shrink it, every plot at least its
height in every workspace with large text on a projector's screen, Normal text size restoring the arrangement, the
presentation mode within the screen, and a unit clicked in Train shown in Look inside; in English and Japanese."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRect, Qt

from cnnviz.data import example_session_path
from cnnviz.gui import layouts
from cnnviz.gui.app import MainWindow
from cnnviz.gui.layouts import PLOT_HEIGHT, TASK_KEYS, H, Split, Tabs, V, allot, leaves, plan, smallest, without
from cnnviz.gui.redraws import on_screen
from cnnviz.gui.workspace import build_parser

READABLE = {"a": (300, 200), "b": (300, 200), "c": (200, 300)}


def test_a_split_that_fits_shares_the_space_and_one_that_does_not_becomes_tabs():
    node = H(("a", 50), (V(("b", 50), ("c", 50)), 50))
    fitted = plan(node, 1000, 800, READABLE)
    assert isinstance(fitted, Split) and fitted.sizes == (497, 497)  # 1000 less one separator, halved
    assert isinstance(fitted.parts[1], Split) and fitted.parts[1].sizes == (397, 397)
    narrow = plan(node, 1000, 450, READABLE)  # b over c needs 506 pixels: the right column becomes tabs
    assert narrow.parts[1] == Tabs(("b", "c")) and narrow.sizes == (497, 497)
    assert plan(node, 1000, 450, READABLE, front="c").parts[1] == Tabs(("c", "b"))  # the task's main view first
    assert plan(node, 450, 800, READABLE) == Tabs(("a", "b", "c"))  # not even two columns: one tab group
    assert smallest(Tabs(("a", "b", "c")), READABLE, layouts.Metrics()) == (300, 328)


def test_allot_keeps_each_part_at_least_its_smallest():
    assert allot(1000, [100, 100], (50, 50)) == [500, 500]
    assert allot(1000, [100, 700], (50, 50)) == [300, 700]
    assert sum(allot(997, [10, 10, 10], (1, 1, 1))) <= 997


def test_presenting_leaves_the_form_out_of_the_train_workspace():
    train = layouts.task("train").arrangement
    assert leaves(without(train, frozenset({"controls"}))) == ["loss", "filters", "predictions"]
    assert without(Tabs(("controls",)), frozenset({"controls"})) is None
    assert set(TASK_KEYS) == {"train", "inside", "backprop", "predictions", "compare"}
    inside = layouts.task("inside").arrangement  # the Unit view gets at least half the screen
    assert inside.parts[-1] == "unit" and inside.weights[-1] >= sum(inside.weights) / 2


@pytest.fixture(autouse=True, params=["en", "ja"])
def _speaking(request, language):
    """Every window of these tests is made in English and in Japanese: the size rules hold in both (text that grows
    in one never widens a dock or overlaps)."""
    language(request.param)


def make_window(qtbot, width: int, height: int) -> MainWindow:
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    w.resize(width, height)
    with qtbot.waitExposed(w):
        w.show()
    assert w.open_session(example_session_path())
    return w


@pytest.fixture
def window(qtbot):
    return make_window(qtbot, 1024, 768)


def settle(qtbot, w) -> None:
    qtbot.wait(50)  # the plan's raise_ and the layouts run on the next turns
    w.model.redraws.flush()
    qtbot.wait(20)


def arrangement(w) -> dict[str, QRect]:
    """Where each view in sight is (a view behind a tab is not)."""
    return {k: d.geometry() for k, d in w.docks.items() if on_screen(w.views[k])}


def test_every_plot_keeps_its_height_in_every_workspace_with_large_text_at_1024_by_768(window, qtbot):
    w = window
    w.set_text_scale(1.5)
    for key in TASK_KEYS[:-1]:  # Compare: while runs are compared
        w.show_task(key)
        settle(qtbot, w)
        assert (w.width(), w.height()) == (1024, 768), key  # tabbed, not grown
        shown = [k for k, v in w.views.items() if on_screen(v)]
        assert shown, key
        for name in shown:
            for view in w.views[name].findChildren(pg.GraphicsView):
                if not on_screen(view):
                    continue
                assert view.height() >= PLOT_HEIGHT, (key, name, view.height())
                for item in view.scene().items():
                    if isinstance(item, pg.PlotItem) and item.isVisible():
                        assert item.size().height() >= PLOT_HEIGHT, (key, name, item.size().height())
    loss = w.views["loss"]
    w.show_task("train")
    w.docks["loss"].raise_()
    settle(qtbot, w)
    assert loss.loss_plot.size().height() >= PLOT_HEIGHT and loss.accuracy_plot.size().height() >= PLOT_HEIGHT


def test_normal_text_size_restores_the_arrangement_exactly(window, qtbot):
    w = window
    for key in ("train", "inside"):
        w.show_task(key)
        settle(qtbot, w)
        before = arrangement(w)
        for _ in range(3):
            w.larger_action.trigger()
        settle(qtbot, w)
        assert arrangement(w) != before  # re-flowed for the larger text
        w.normal_text_action.trigger()
        settle(qtbot, w)
        assert arrangement(w) == before, key


def test_a_first_launch_fits_the_screen(qtbot):
    """No settings: the window takes the screen's available area (at most 1600 x 1000) and keeps it once the
    workspace is planned, though the docks' first arrangement, before the plan, needed more (in Japanese wider
    than a 1024 x 768 projector: the window was 1057 pixels wide)."""
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]))
    qtbot.addWidget(w)
    screen = w.screen().availableGeometry()
    with qtbot.waitExposed(w):
        w.show()
    settle(qtbot, w)
    assert (w.width(), w.height()) == (min(1600, screen.width()), min(1000, screen.height()))


def test_presentation_mode_stays_within_the_screen_and_restores_the_window(qtbot):
    w = make_window(qtbot, 780, 760)  # within the offscreen platform's 800 x 800 screen
    w.show_task("inside")
    settle(qtbot, w)
    assert (w.width(), w.height()) == (780, 760)
    geometry, before, scale = w.geometry(), arrangement(w), w.text_scale
    w.present_action.trigger()
    settle(qtbot, w)
    screen = w.screen().geometry()
    assert w.presenting and w.docks["controls"].isHidden()
    assert w.frameGeometry().width() <= screen.width() and w.width() <= screen.width()
    assert w.layout_.current == "inside" and on_screen(w.views["unit"])
    w.present_action.trigger()
    settle(qtbot, w)
    assert not w.presenting and w.text_scale == scale
    assert w.size() == geometry.size() and arrangement(w) == before


def test_a_filter_clicked_in_train_is_shown_in_look_inside(window, qtbot):
    w = window
    w.show_task("train")
    w.docks["filters"].raise_()
    settle(qtbot, w)
    filters = w.views["filters"]

    class Click:  # what the filters view and the window read of pyqtgraph's click event
        def __init__(self, pos):
            self.pos = pos

        def scenePos(self):  # noqa: N802 (pyqtgraph)
            return self.pos

        def button(self):
            return Qt.MouseButton.LeftButton

    def click() -> None:  # on filter 0
        filters.plot.scene().sigMouseClicked.emit(Click(filters.box.item.mapToScene(QPointF(1, 1))))

    w.follow_unit_action.setChecked(False)
    click()
    assert w.model.selection.channel == 0 and w.layout_.current == "train"  # the setting is off
    w.model.select(channel=None)
    w.follow_unit_action.setChecked(True)
    click()
    assert w.model.selection.channel == 0 and w.layout_.current == "inside"
    assert w.task_tabs.tabText(w.task_tabs.currentIndex()) == layouts.task("inside").label()


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 768)])
def test_the_unit_view_shows_a_conv2_sum_whole_or_scrolls_without_overlapping(qtbot, size):
    """Look inside: the conv2 unit's four largest channels, "the other N channels", Σ + b = u, ReLU and the pooling
    verdict; at 1600 x 1000 all of it in sight, at 1024 x 768 in a scroll area; never a line over the table."""
    from cnnviz.gui.views.unit import select_unit

    w = make_window(qtbot, *size)
    w.show_task("inside")
    select_unit(w.model, 5, 7, 8, layer=1)
    unit = w.views["unit"]
    qtbot.waitUntil(lambda: unit.explanation is not None and on_screen(unit), timeout=5000)
    settle(qtbot, w)
    text = unit.plain_text()
    other = unit.tr("The other {n} channels: Σ = {sum}").format(n=28, sum="")  # in the language spoken
    assert other in text and "a = ReLU(u)" in text and "(ζ, η)" in text  # the pooling verdict
    table, foot = unit.table.geometry(), unit.foot.geometry()
    assert foot.top() >= table.bottom() and table.top() >= unit.head.geometry().bottom()  # nothing drawn over
    scroll = unit.scroll.verticalScrollBar()
    if size == (1600, 1000):
        assert scroll.maximum() == 0  # the whole sum without scrolling
    assert (w.width(), w.height()) == size
    w.set_text_scale(1.5)  # larger text: the table is measured again, the text still below it
    settle(qtbot, w)
    assert unit.foot.geometry().top() >= unit.table.geometry().bottom()


@pytest.mark.parametrize("size", [(1024, 768), (1600, 1000)])
def test_the_filters_layer_box_shows_the_whole_text_or_the_layers_name_never_a_cut_word(qtbot, size):
    """The Filters view's layer box in the Train workspace: "conv1  (32 of 3×3)" where the view leaves it the room
    (1600 x 1000), else the layer's name alone (on a projector's 1024 x 768 it showed "conv1 (32 o"); its list keeps
    the whole texts."""
    w = make_window(qtbot, *size)
    settle(qtbot, w)
    box = w.views["filters"].layer_box
    assert on_screen(w.views["filters"]) and box.count() == 2
    whole = box.itemText(0)
    assert whole.startswith("conv1") and "32" in whole and "3×3" in whole
    shown = box.shown_text()
    assert shown == (whole if size == (1600, 1000) else "conv1")
    assert box.fontMetrics().boundingRect(shown).width() <= box.room()
