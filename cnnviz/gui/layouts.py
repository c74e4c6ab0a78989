"""The views and how the window lays them out in docks: the default layout, its sizes, and the layout remembered.

:func:`view_classes` lists the views (key, title, class) in the View menu's order. :class:`DockLayout` places
their docks in a :class:`~PySide6.QtWidgets.QMainWindow`: the training form on the left at a usable width, the
views sharing the rest (three columns from :data:`WIDE` pixels, two rows below), the other views as tabs beside
them (:data:`TABBED_WITH`); it restores and saves the arrangement the user made (QSettings).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

from cnnviz.gui.later import later

LAYOUT_VERSION = 3  # 3: the views take the spare width, the form keeps a usable one (older layouts reset)
FORM_WIDTH = (330, 390)  # the training form's width: at least, and at most when the window is wide
WIDE = 1340  # from this width the default layout has three columns (the form, loss and predictions, the maps)

# Views beyond the first six open as tabs beside another view's dock: {key: the key of the dock they join}.
TABBED_WITH: dict[str, str] = {"confusion": "predictions", "playground": "filters", "unit": "pooling",
                               "draw": "predictions",
                               "deltas": "feature_maps", "probes": "loss", "overview": "feature_maps"}


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

    return [
        ("controls", "Training controls", ControlsView),
        ("loss", "Loss and accuracy", LossView),
        ("filters", "Filters", FiltersView),
        ("feature_maps", "Feature maps", FeatureMapsView),
        ("pooling", "Pooling", PoolingView),
        ("predictions", "Predictions", PredictionsView),
        ("confusion", "Confusion", ConfusionView),
        ("playground", "Filter playground", PlaygroundView),
        ("unit", "Unit", UnitView),
        ("draw", "Draw", DrawView),
        ("deltas", "Back-propagation", DeltasView),
        ("probes", "Probe history", ProbeHistoryView),
        ("overview", "Overview", OverviewView),
    ]


def view_class(key: str) -> type:
    """The class of view ``key`` (loss, filters, feature_maps, pooling, predictions, controls ...)."""
    return next(cls for k, _, cls in view_classes() if k == key)


class DockLayout:
    """The arrangement of ``window``'s ``docks`` ({view key: dock}; "controls" is the training form)."""

    def __init__(self, window: QMainWindow, docks: dict[str, QDockWidget]):
        self.window, self.docks = window, docks
        self.wide = True

    def default(self) -> None:
        """The form on the left at a usable width; the views share the rest. A wide window (:data:`WIDE` pixels
        and more): loss, filters and predictions in the middle, feature maps over pooling on the right. A narrower
        one (a 1024 x 768 projector), where no two of those columns fit beside the form: loss above, feature maps
        beside predictions below (filters and pooling in tabs beside the feature maps). The other views are tabs
        (:data:`TABBED_WITH`)."""
        # One dock area for all: a window that grows shares the width among the docks (the form gives its share
        # back, keep_form_width), where a separate left area would take all of it.
        area = Qt.DockWidgetArea.RightDockWidgetArea
        w, d = self.window, self.docks
        for dock in d.values():
            w.removeDockWidget(dock)
        w.addDockWidget(area, d["controls"])
        w.splitDockWidget(d["controls"], d["loss"], Qt.Orientation.Horizontal)
        self.wide = w.width() >= WIDE
        if self.wide:
            w.splitDockWidget(d["loss"], d["feature_maps"], Qt.Orientation.Horizontal)
            w.splitDockWidget(d["loss"], d["filters"], Qt.Orientation.Vertical)
            w.splitDockWidget(d["filters"], d["predictions"], Qt.Orientation.Vertical)
            w.splitDockWidget(d["feature_maps"], d["pooling"], Qt.Orientation.Vertical)
        else:
            w.splitDockWidget(d["loss"], d["feature_maps"], Qt.Orientation.Vertical)
            w.splitDockWidget(d["feature_maps"], d["predictions"], Qt.Orientation.Horizontal)
            w.tabifyDockWidget(d["feature_maps"], d["filters"])
            w.tabifyDockWidget(d["feature_maps"], d["pooling"])
        for key, host in TABBED_WITH.items():
            w.tabifyDockWidget(d[host], d[key])
        for host in set(TABBED_WITH.values()):
            d[host].raise_()
        for dock in d.values():
            dock.show()
            dock.setFloating(False)
        self._size_docks()
        later(self.window, self._raise_first_tabs)  # once the tab bars exist

    def _raise_first_tabs(self) -> None:
        """The tab shown first in each group: the host of TABBED_WITH, the feature maps in the narrow layout."""
        for host in set(TABBED_WITH.values()) - ({"filters", "pooling"} if not self.wide else set()):
            self.docks[host].raise_()
        self.docks["loss" if self.wide else "feature_maps"].raise_()
        for bar in self.window.findChildren(QTabBar):  # the dock areas' tabs: whole titles, scrolled where needed
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    def _size_docks(self) -> None:
        """The form keeps a usable width (it scrolls if the height is short); the views share the rest."""
        d, width = self.docks, self.window.width()
        form = FORM_WIDTH[0] if width < WIDE else min(FORM_WIDTH[1], max(FORM_WIDTH[0], width // 5))
        rest = max(width - form, 400)
        horizontal = Qt.Orientation.Horizontal
        if self.wide:
            self._resize([d["controls"], d["loss"], d["feature_maps"]], [form, rest // 2, rest // 2], horizontal)
        else:
            self._resize([d["controls"], d["loss"]], [form, rest], horizontal)
            self._resize([d["feature_maps"], d["predictions"]], [rest * 11 // 20, rest * 9 // 20], horizontal)
        self.size_rows()

    def size_rows(self) -> None:
        """The heights of the default layout's rows of views (again after the presentation mode's resize)."""
        d, height, vertical = self.docks, self.window.height(), Qt.Orientation.Vertical
        if self.wide:
            self._resize([d["loss"], d["filters"], d["predictions"]], [height * 4 // 10, height * 3 // 10,
                                                                       height * 3 // 10], vertical)
            self._resize([d["feature_maps"], d["pooling"]], [height // 2, height // 2], vertical)
        else:
            self._resize([d["loss"], d["feature_maps"]], [height * 9 // 20, height * 11 // 20], vertical)

    def _resize(self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation) -> None:
        """resizeDocks, for docks that are shown in the window (the user may have hidden or floated one)."""
        if all(not dock.isHidden() and not dock.isFloating() for dock in docks):
            self.window.resizeDocks(docks, sizes, orientation)

    def keep_form_width(self, old: int, new: int) -> None:
        """After the window's width went from ``old`` to ``new``: the form gives its share back to the views."""
        form, w = self.docks["controls"], self.window
        if w.width() == new and form.isVisible() and not form.isFloating():
            w.resizeDocks([form], [max(round(form.width() * old / new), FORM_WIDTH[0])], Qt.Orientation.Horizontal)

    def restore(self, s: QSettings) -> tuple[bool, bool]:
        """The geometry and dock layout of the last session: (geometry restored, layout restored)."""
        geometry, state = s.value("window/geometry"), s.value("window/state")
        placed = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.window.restoreGeometry(geometry)
        return bool(placed), isinstance(state, QByteArray) and not state.isEmpty() and \
            self.window.restoreState(state, LAYOUT_VERSION)

    def save(self, s: QSettings) -> None:
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/state", self.window.saveState(LAYOUT_VERSION))
