"""The views, the task workspaces that lay them out, and the size rules that keep every view readable.

:func:`view_classes` lists the views (key, title, class) in the View menu's order. A :class:`Task` is a
workspace: two to four views given the screen for one task (:data:`TASKS`: Train, Look inside,
Back-propagation, Predictions, Compare), as a tree of splits (:func:`H`, :func:`V`) and tab groups
(:class:`Tabs`) with the share each part takes.

The size rules: each view is readable from a smallest size (:func:`apply_size_rules`: a plot at least
:data:`PLOT_HEIGHT` pixels tall, more with larger text so that its ticks fit; the confusion matrix's cells tall
enough for their counts; the compare table four rows), which becomes the minimum size of its widgets, so that no
splitter squeezes it. :func:`plan` fits a task into the space the window has: a split whose parts cannot all
have their smallest size becomes one tab group, so a workspace tabs a view rather than shrinking it (and never
makes the window larger than it is).

:class:`DockLayout` places the docks of a :class:`~PySide6.QtWidgets.QMainWindow` for the task shown: the
arrangement the user made is remembered per task and text size (QSettings), the task's planned arrangement where
there is none; Reset layout plans the current task again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, QSettings, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QStyle, QTabBar, QWidget

from cnnviz.gui.later import later

LAYOUT_VERSION = 4  # 4: one arrangement per task workspace (older layouts reset)
PLOT_HEIGHT = 120  # the least height of a plot at the normal text size (its ticks need more with larger text)
FORM_WIDTH = (330, 390)  # the training form's width: at least, and at most when the window is wide
SLACK = 6  # pixels a plan leaves free (frames and margins it does not count)
QWIDGETSIZE_MAX = 16777215  # Qt's "no maximum size"


@dataclass(frozen=True)
class Tabs:
    """Views in one tab group, the first in front."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Split:
    """Parts side by side (``horizontal``) or one above the other, each with its share (``weights``); ``sizes``
    the pixels along the split that a plan gave them (empty in a task's definition)."""

    horizontal: bool
    parts: tuple[Node, ...]
    weights: tuple[int, ...]
    sizes: tuple[int, ...] = ()


Node = str | Tabs | Split


def H(*parts: tuple[Node, int]) -> Split:  # noqa: N802 (a tree reads like the screen)
    """Parts side by side: ``(node, share)`` pairs, left to right."""
    return Split(True, tuple(p for p, _ in parts), tuple(w for _, w in parts))


def V(*parts: tuple[Node, int]) -> Split:  # noqa: N802
    """Parts one above the other: ``(node, share)`` pairs, top to bottom."""
    return Split(False, tuple(p for p, _ in parts), tuple(w for _, w in parts))


@dataclass(frozen=True)
class Task:
    """A workspace: its key, the title of its tab, and how it arranges its views (the training form, where it
    has it, is left out while presenting). ``title`` and ``tip`` are English; :meth:`label` and :meth:`tooltip` are
    in the window's language."""

    key: str
    title: str
    arrangement: Node
    front: str  # the view in front where the plan tabs it with others
    tip: str

    def label(self) -> str:
        return QCoreApplication.translate("Workspaces", self.title)

    def tooltip(self) -> str:
        return QCoreApplication.translate("Workspaces", self.tip)


TASKS = (
    Task("train", QT_TRANSLATE_NOOP("Workspaces", "Train"),
         H(("controls", 22), (V(("loss", 50), (H(("filters", 50), ("predictions", 50)), 50)), 78)),
         "loss", QT_TRANSLATE_NOOP("Workspaces", "The training form, the loss and accuracy, the filters and the "
                                                 "predictions")),
    Task("inside", QT_TRANSLATE_NOOP("Workspaces", "Look inside"),
         H((V((Tabs(("feature_maps", "overview")), 50), (Tabs(("pooling", "playground")), 50)), 45), ("unit", 55)),
         "unit", QT_TRANSLATE_NOOP("Workspaces", "The feature maps, the pooling and the Unit view: how one unit of a "
                                                 "layer is computed")),
    Task("backprop", QT_TRANSLATE_NOOP("Workspaces", "Back-propagation"), H(("deltas", 60), ("loss", 40)),
         "deltas", QT_TRANSLATE_NOOP("Workspaces", "The deltas and filter gradients of one image, the norms over the "
                                                   "run, and the loss")),
    Task("predictions", QT_TRANSLATE_NOOP("Workspaces", "Predictions"),
         H((V(("predictions", 50), ("confusion", 50)), 50), (V(("draw", 50), ("probes", 50)), 50)),
         "predictions", QT_TRANSLATE_NOOP("Workspaces", "The predictions, the confusion matrix, your drawing and the "
                                                        "probe images' history")),
    Task("compare", QT_TRANSLATE_NOOP("Workspaces", "Compare"),
         V(("loss", 50), (H(("filters", 50), ("predictions", 50)), 50)),
         "loss", QT_TRANSLATE_NOOP("Workspaces", "The runs compared: their curves, filters and predictions")),
)
TASK_KEYS = tuple(t.key for t in TASKS)


def task(key: str) -> Task:
    return next(t for t in TASKS if t.key == key)


def leaves(node: Node) -> list[str]:
    """The views of ``node``, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, Tabs):
        return list(node.keys)
    return [k for part in node.parts for k in leaves(part)]


def without(node: Node, left_out: frozenset[str]) -> Node | None:
    """``node`` without the views ``left_out`` (None if nothing is left)."""
    if isinstance(node, str):
        return None if node in left_out else node
    if isinstance(node, Tabs):
        keys = tuple(k for k in node.keys if k not in left_out)
        return Tabs(keys) if keys else None
    kept = [(p, w) for p, w in ((without(p, left_out), w) for p, w in zip(node.parts, node.weights)) if p is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0][0]
    return Split(node.horizontal, tuple(p for p, _ in kept), tuple(w for _, w in kept))


@dataclass(frozen=True)
class Metrics:
    """What a plan counts beside the views' own smallest sizes: a splitter handle, a tab bar's height."""

    separator: int = 6
    tab_bar: int = 28


def smallest(node: Node, readable: dict[str, tuple[int, int]], m: Metrics) -> tuple[int, int]:
    """The smallest (width, height) at which every view of ``node`` is readable, arranged as ``node`` says."""
    if isinstance(node, str):
        return readable[node]
    if isinstance(node, Tabs):
        sizes = [readable[k] for k in node.keys]
        return max(w for w, _ in sizes), max(h for _, h in sizes) + (m.tab_bar if len(sizes) > 1 else 0)
    sizes = [smallest(p, readable, m) for p in node.parts]
    gaps = m.separator * (len(sizes) - 1)
    if node.horizontal:
        return sum(w for w, _ in sizes) + gaps, max(h for _, h in sizes)
    return max(w for w, _ in sizes), sum(h for _, h in sizes) + gaps


def allot(total: int, least: list[int], weights: tuple[int, ...]) -> list[int]:
    """``total`` pixels shared in proportion to ``weights``, each part at least ``least`` (which fit in total)."""
    sizes = [0] * len(least)
    free, open_ = total, list(range(len(least)))
    while open_:
        share = sum(weights[i] for i in open_)
        short = [i for i in open_ if free * weights[i] / share < least[i]]
        if not short:
            for i in open_:
                sizes[i] = int(free * weights[i] / share)
            break
        for i in short:
            sizes[i] = least[i]
            free -= least[i]
            open_.remove(i)
    return sizes


def plan(node: Node, width: int, height: int, readable: dict[str, tuple[int, int]], m: Metrics = Metrics(),
         front: str = "") -> Node:
    """``node`` fitted into ``width`` x ``height`` pixels: a split whose parts cannot all be readable side by side
    (their smallest sizes, each part as small as it can be made) becomes one tab group of its views, ``front`` (or
    else the first) in front; the splits that stay get their parts' sizes (:attr:`Split.sizes`), each at least its
    smallest."""
    if not isinstance(node, Split):
        return node
    along = 0 if node.horizontal else 1
    space = (width, height)
    least = [smallest(Tabs(tuple(leaves(p))), readable, m) for p in node.parts]  # each part at its smallest: tabbed
    gaps = m.separator * (len(least) - 1)
    if sum(s[along] for s in least) + gaps > space[along] or max(s[1 - along] for s in least) > space[1 - along]:
        keys = leaves(node)
        return Tabs(tuple(sorted(keys, key=lambda k: k != front)))
    sizes = allot(space[along] - gaps, [s[along] for s in least], node.weights)
    cross = space[1 - along]
    fitted = []
    for part, size in zip(node.parts, sizes):
        w, h = (size, cross) if node.horizontal else (cross, size)
        fitted.append(plan(part, w, h, readable, m, front))
    return Split(node.horizontal, tuple(fitted), node.weights, tuple(sizes))


# -- the size rules -------------------------------------------------------------------------------------------------

def plot_height(scale: float) -> int:
    """The least height of one plot at text size ``scale``: PLOT_HEIGHT, growing with the text (its ticks)."""
    return round(PLOT_HEIGHT * max(1.0, scale))


def _plot_rows(view) -> int:
    """How many plots a pyqtgraph widget stacks one above the other (a PlotWidget: one)."""
    import pyqtgraph as pg  # noqa: PLC0415

    if isinstance(view, pg.PlotWidget):
        return 1
    layout = getattr(view, "ci", None)
    if layout is None:
        return 1
    rows = {row for item, cells in layout.items.items() if isinstance(item, pg.PlotItem) for row, _ in cells}
    return max(1, len(rows))


def apply_size_rules(key: str, view: QWidget, scale: float) -> None:
    """Give view ``key``'s widgets the least sizes at which it is readable at text size ``scale``: each plot
    :func:`plot_height` tall (a widget of two stacked plots twice that), the confusion matrix ten by ten cells large
    enough for a count, the delta maps and filter gradients 32 lines of text wide, the compare table four rows; no
    splitter collapses a part of the view."""
    import pyqtgraph as pg  # noqa: PLC0415

    from cnnviz.gui import textsize  # noqa: PLC0415

    line = QFontMetrics(textsize.scaled_font(scale)).lineSpacing()
    each = plot_height(scale)
    for plot in view.findChildren(pg.GraphicsView):
        if plot.parentWidget() is None or plot.maximumHeight() < QWIDGETSIZE_MAX:
            continue  # a view that sized a plot itself (a strip of rows) knows best
        least = each * _plot_rows(plot)
        if key == "confusion" and plot is getattr(view, "plot", None):  # ten by ten cells, each holding a count
            cell = QFontMetrics(textsize.scaled_font(scale)).horizontalAdvance("000") + 8
            least = max(least, 10 * (line + 6) + 3 * line)
            plot.setMinimumWidth(10 * cell + 4 * line)
        plot.setMinimumHeight(least)
    if key == "deltas":  # the delta maps and the filter gradients side by side, each wide enough to tell its cells
        view.plot.setMinimumWidth(32 * line)
    for split in view.findChildren(QSplitter):  # a splitter never hides a plot by collapsing it
        split.setChildrenCollapsible(False)
    table = getattr(view, "compare_table", None)
    if table is not None:
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + 4 * (line + 6) + 4)


def readable_size(dock: QDockWidget) -> tuple[int, int]:
    """The smallest size of a dock (its title bar and its view) at which the view is readable."""
    hint = dock.minimumSizeHint().expandedTo(dock.widget().minimumSizeHint() + QSize(0, 20))
    return hint.width(), hint.height()


def view_classes() -> list[tuple[str, str, type]]:
    """(key, title, class) of the views, in the View menu's order."""
    from cnnviz.gui.views.confusion import ConfusionView
    from cnnviz.gui.views.controls import ControlsView
    from cnnviz.gui.views.deltas import DeltasView
    from cnnviz.gui.views.draw import DrawView
    from cnnviz.gui.views.feature_maps import FeatureMapsView
    from cnnviz.gui.views.filters import FiltersView
    from cnnviz.gui.views.loss import LossView
    from cnnviz.gui.views.overview import OverviewView
    from cnnviz.gui.views.playground import PlaygroundView
    from cnnviz.gui.views.pooling import PoolingView
    from cnnviz.gui.views.predictions import PredictionsView
    from cnnviz.gui.views.probes import ProbeHistoryView
    from cnnviz.gui.views.unit import UnitView

    translate = QCoreApplication.translate  # the docks' titles, in the window's language
    return [
        ("controls", translate("Views", "Training controls"), ControlsView),
        ("loss", translate("Views", "Loss and accuracy"), LossView),
        ("filters", translate("Views", "Filters"), FiltersView),
        ("feature_maps", translate("Views", "Feature maps"), FeatureMapsView),
        ("pooling", translate("Views", "Pooling"), PoolingView),
        ("predictions", translate("Views", "Predictions"), PredictionsView),
        ("confusion", translate("Views", "Confusion"), ConfusionView),
        ("playground", translate("Views", "Filter playground"), PlaygroundView),
        ("unit", translate("Views", "Unit"), UnitView),
        ("draw", translate("Views", "Draw"), DrawView),
        ("deltas", translate("Views", "Back-propagation"), DeltasView),
        ("probes", translate("Views", "Probe history"), ProbeHistoryView),
        ("overview", translate("Views", "Overview"), OverviewView),
    ]


def view_class(key: str) -> type:
    """The class of view ``key`` (loss, filters, feature_maps, pooling, predictions, controls ...)."""
    return next(cls for k, _, cls in view_classes() if k == key)


def create_view(cls: type, model, comparison, parent=None):
    """A view of class ``cls`` on ``model``; a view that draws compared runs (``cls.compares``) is given
    ``comparison`` (a :class:`~cnnviz.gui.compare.Comparison` made before the view, or None: one of its own)."""
    if getattr(cls, "compares", False):
        return cls(model, parent, comparison=comparison)
    return cls(model, parent)


class DockLayout:
    """The arrangement of ``window``'s ``docks`` ({view key: dock}; "controls" is the training form) for the task
    shown (:attr:`current`). Arrangements are remembered per task and text size (:attr:`scale`): Normal text size
    finds the arrangement it left; a text size or a task without one gets the task's plan for the window's size.
    While :attr:`presenting`, the form is left out and nothing is remembered."""

    def __init__(self, window: QMainWindow, docks: dict[str, QDockWidget]):
        self.window, self.docks = window, docks
        self.current = TASKS[0].key
        self.scale = 1.0
        self.presenting = False
        self.states: dict[str, QByteArray] = {}  # "task@scale" -> QMainWindow.saveState
        self.planned: Node | None = None  # the last plan applied (the tests read it)

    def _key(self, key: str | None = None) -> str:
        return f"{key or self.current}@{self.scale:g}"

    def arrangement(self) -> Node:
        """The current task's arrangement (without the form while presenting)."""
        node = task(self.current).arrangement
        return without(node, frozenset({"controls"})) if self.presenting else node

    def available(self, size: QSize | None = None) -> tuple[int, int]:
        """The width and height the docks have in a window of ``size`` (default: its size now): less the menu bar,
        the rows of toolbars and the status bar."""
        from PySide6.QtWidgets import QToolBar  # noqa: PLC0415

        w = self.window
        size = size or w.size()
        rows: list[int] = []
        for bar in w.findChildren(QToolBar):
            if bar.isHidden() or bar.parent() is not w or w.toolBarArea(bar) != Qt.ToolBarArea.TopToolBarArea:
                continue
            if not rows or w.toolBarBreak(bar):
                rows.append(0)
            rows[-1] = max(rows[-1], bar.sizeHint().height())
        chrome = sum(rows) + w.menuBar().sizeHint().height() + SLACK
        if w.statusBar() is not None and not w.statusBar().isHidden():
            chrome += w.statusBar().sizeHint().height()
        return size.width() - SLACK, size.height() - chrome

    def metrics(self) -> Metrics:
        style = self.window.style()
        bar = QTabBar()
        bar.setFont(self.window.font())
        bar.addTab(QCoreApplication.translate("Views", "Feature maps"))  # its height in the window's language
        tab = bar.sizeHint().height()
        bar.deleteLater()
        return Metrics(style.pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent) + 1, tab)

    def first_size(self) -> QSize:
        """A first launch's size, given to the window: 1600 x 1000, or the screen's available area where it is
        smaller (a 1024 x 768 projector)."""
        w = self.window
        screen = w.screen().availableGeometry() if w.screen() is not None else None
        size = QSize(1600, 1000) if screen is None else QSize(min(1600, screen.width()), min(1000, screen.height()))
        w.resize(size)
        if screen is not None:
            w.move(screen.topLeft())
        return size

    def first_layout(self, size: QSize | None) -> None:
        """The workspace planned for the shown window's size, or for a first launch's ``size``, which the window
        then takes again: shown before the plan, it grew to the docks' first arrangement (wider than a 1024 x 768
        screen in Japanese)."""
        self.default(size)
        if size is not None:
            self.window.resize(size)
            later(self.window, self.default)  # and planned again in it: shrinking moved the docks

    def default(self, size: QSize | None = None) -> None:
        """Plan the current task for the window's size (or ``size``, where it is about to have it) and apply it."""
        node = self.arrangement()
        readable = {k: readable_size(self.docks[k]) for k in leaves(node)}
        self.apply(plan(node, *self.available(size), readable, self.metrics(), task(self.current).front))
        if self.window.isVisible():
            target = size or self.window.size()
            later(self.window, lambda: self._check(node, readable, target))

    def _check(self, node: Node, readable: dict[str, tuple[int, int]], size: QSize) -> None:
        """Once shown, a view may need more than it said (what it draws gives it a larger least size): plan again
        with what the views need now, for the size planned for, so that the window does not grow."""
        w = self.window
        if not w.isVisible() or self.presenting or node != self.arrangement() or w.size() != size.expandedTo(w.size()):
            return
        now = {k: readable_size(self.docks[k]) for k in leaves(node)}
        if now != readable and w.size() != size:  # grown: planned again for the size it had
            self.apply(plan(node, *self.available(size), now, self.metrics(), task(self.current).front))
            w.resize(size)

    def apply(self, node: Node) -> None:
        """Show the docks of ``node`` arranged as it says (its splits' sizes given), every other dock hidden."""
        w, d = self.window, self.docks
        self.planned = node
        for dock in d.values():
            w.removeDockWidget(dock)
            dock.setFloating(False)
        first = leaves(node)[0]
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d[first])
        self._place(node)
        for key, dock in d.items():
            if key not in leaves(node):  # in the layout, hidden: saveState records it so, restoreState hides it
                w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
                dock.hide()
        for key in leaves(node):
            d[key].show()
        self._size(node)
        later(w, lambda: (self._raise(node), self._size(node)))  # once the tab bars exist and the layout has run

    def _place(self, node: Node) -> None:
        w, d = self.window, self.docks
        if isinstance(node, Tabs):
            for key in node.keys[1:]:
                w.tabifyDockWidget(d[node.keys[0]], d[key])
        elif isinstance(node, Split):
            firsts = [leaves(p)[0] for p in node.parts]
            orientation = Qt.Orientation.Horizontal if node.horizontal else Qt.Orientation.Vertical
            for a, b in zip(firsts, firsts[1:]):
                w.splitDockWidget(d[a], d[b], orientation)
            for part in node.parts:
                self._place(part)

    def _size(self, node: Node) -> None:
        if isinstance(node, Split):
            if node.sizes:
                self.window.resizeDocks([self.docks[leaves(p)[0]] for p in node.parts], list(node.sizes),
                                        Qt.Orientation.Horizontal if node.horizontal else Qt.Orientation.Vertical)
            for part in node.parts:
                self._size(part)

    def _raise(self, node: Node) -> None:
        """The first view of each tab group in front; the dock areas' tabs with whole titles, scrolled if need be."""
        if isinstance(node, Tabs):
            self.docks[node.keys[0]].raise_()
        elif isinstance(node, Split):
            for part in node.parts:
                self._raise(part)
        for bar in self.window.findChildren(QTabBar):
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    # -- switching, remembering -------------------------------------------------------------------------------

    def remember(self) -> None:
        """Keep the current arrangement for the current task and text size (not while presenting)."""
        if not self.presenting:
            self.states[self._key()] = self.window.saveState(LAYOUT_VERSION)

    def recall(self, size: QSize | None = None) -> None:
        """The arrangement remembered for the current task and text size, else its plan."""
        state = None if self.presenting else self.states.get(self._key())
        if state is None or not self.window.restoreState(state, LAYOUT_VERSION):
            self.default(size)

    def show_task(self, key: str) -> None:
        """Switch to task ``key``: the arrangement of the task left is remembered, the new one's recalled."""
        if key == self.current:
            return
        self.remember()
        self.current = key
        self.recall()

    def set_scale(self, scale: float, size: QSize | None = None) -> None:
        """The text size changed (the views' least sizes with it; :meth:`remember` was called before they did):
        re-flow, or find the arrangement of that size."""
        larger, self.scale = scale > self.scale, scale
        self.settle(size, now=larger)

    def settle(self, size: QSize | None = None, now: bool = True) -> None:
        """Recall the arrangement once the toolbars and the window have their new sizes (a remembered arrangement is
        then exactly as it was), and ``now`` too: before the window could grow to the views' new least sizes."""
        if now:
            self.recall(size)
        later(self.window, lambda: self._settled(size))

    def _settled(self, size: QSize | None, again: bool = True) -> None:
        self.window.layout().activate()  # the toolbars' and the status bar's new heights first
        self.recall(size)
        if again:  # a toolbar's new height can arrive a turn later
            later(self.window, lambda: self._settled(size, again=False))

    def reset(self) -> None:
        """Reset layout: the current task's plan again (its remembered arrangement forgotten)."""
        self.states.pop(self._key(), None)
        self.default()

    def keep_form_width(self, old: int, new: int) -> None:
        """After the window's width went from ``old`` to ``new``: the form gives its share back to the views."""
        form, w = self.docks["controls"], self.window
        if w.width() == new and form.isVisible() and not form.isFloating():
            w.resizeDocks([form], [max(round(form.width() * old / new), FORM_WIDTH[0])], Qt.Orientation.Horizontal)

    def restore(self, s: QSettings) -> tuple[bool, bool]:
        """The geometry, the task shown and the arrangements of the last session: (geometry restored, the current
        task's arrangement restored)."""
        geometry = s.value("window/geometry")
        placed = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.window.restoreGeometry(geometry)
        current = s.value("workspaces/current")
        if current in TASK_KEYS:
            self.current = current
        s.beginGroup("workspaces")
        for name in s.childKeys():
            value = s.value(name)
            if "@" in name and isinstance(value, QByteArray) and not value.isEmpty():
                self.states[name] = value
        s.endGroup()
        state = self.states.get(self._key())
        return bool(placed), state is not None and self.window.restoreState(state, LAYOUT_VERSION)

    def save(self, s: QSettings) -> None:
        self.remember()
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("workspaces/current", self.current)
        for name, state in self.states.items():
            s.setValue(f"workspaces/{name}", state)
