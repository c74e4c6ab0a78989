"""The main window: dockable views of one run, the timeline bar, the training form, menus, status bar.

The window owns the :class:`~cnnviz.gui.model.RunModel` that every view reads, and its two sources: a
:class:`~cnnviz.gui.live.LiveRun` (the trainer in a background thread, which also writes the session file) and
a :class:`~cnnviz.gui.replay.ReplaySource` (a saved session, possibly still growing). It wires views, docks,
menus and the timeline; the run's state lives in the sources and the model, not here.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.util.garbage_collector import GarbageCollector
import shiboken6
from PySide6.QtCore import QByteArray, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QStatusBar,
    QStyle,
    QTabBar,
    QToolBar,
    QWidget,
)

from cnnviz import __version__
from cnnviz.config import TrainConfig
from cnnviz.errors import ConfigError, DataError
from cnnviz.gui import textsize
from cnnviz.gui.compare import Comparison, add_session, add_session_dialog, close_comparison, offer_parent
from cnnviz.gui.dialogs import DivergedDialog, ExportDialog
from cnnviz.gui.fork import ForkMode
from cnnviz.gui.later import later
from cnnviz.gui.live import PREVIEW_SOURCE, LiveRun, preview_records
from cnnviz.gui.memory import Memory, given_options
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.gui.views.common import configure_pyqtgraph
from cnnviz.gui.views.controls import ControlsView, DataSpec
from cnnviz.gui.views.loss import LossView
from cnnviz.gui.views.timeline import TimelineBar
from cnnviz.options import (
    USER_ERRORS,
    Parser,
    UsageError,
    add_training_options,
    config_from_args,
    report,
)
from cnnviz.parallel import use_one_blas_thread
from cnnviz.session import SessionError

ORGANISATION = APPLICATION = "cnnviz"
STATUS_INTERVAL = 0.2  # the status bar is rewritten at most 5 times a second
FOLLOW_INTERVAL = 0.5  # a following cursor moves at most twice a second (each move redraws the views)
LAYOUT_VERSION = 3  # 3: the views take the spare width, the form keeps a usable one (older layouts reset)
PREVIEW_DELAY_MS = 300  # the preview follows the form this long after its last edit
FORM_WIDTH = (330, 390)  # the training form's width: at least, and at most when the window is wide
WIDE = 1340  # from this width the default layout has three columns (the form, loss and predictions, the maps)
RECENT = 10  # sessions in File > Open recent

NOTES_TITLE = "数学者が書いた深層学習講義 畳み込みニューラルネット篇"


# Views beyond the first six open as tabs beside another view's dock: {key: the key of the dock they join}.
TABBED_WITH: dict[str, str] = {"confusion": "predictions", "playground": "filters", "unit": "pooling",
                               "draw": "predictions",
                               "deltas": "feature_maps", "probes": "loss"}


def _view_classes() -> list[tuple[str, str, type]]:
    """(key, title, class) of the views, in the View menu's order."""
    from cnnviz.gui.views.confusion import ConfusionView
    from cnnviz.gui.views.deltas import DeltasView
    from cnnviz.gui.views.draw import DrawView
    from cnnviz.gui.views.feature_maps import FeatureMapsView
    from cnnviz.gui.views.filters import FiltersView
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
    ]


def view_class(key: str) -> type:
    """The class of view ``key`` (loss, filters, feature_maps, pooling, predictions, controls)."""
    return next(cls for k, _, cls in _view_classes() if k == key)


def settings() -> QSettings:
    """Where the window keeps its layout and recent files (an INI file in the user's configuration directory)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to its width (never drawn into its neighbours); the whole
    text is its tooltip."""

    def __init__(self, text: str = ""):
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt)
        super().setText(text)
        self.setToolTip(text)
        self.update()

    def elided(self) -> str:
        """The text as drawn now."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.elided())
        painter.end()


class StatusBar(QStatusBar):
    """A status bar whose messages have a field of their own, :attr:`note`, left of the run's fields, where they
    are elided (QStatusBar draws a message over its permanent fields)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.note = ElidedLabel()
        self.note.hide()  # the run's fields have the width while there is no message
        self.addPermanentWidget(self.note, 4)
        self.messageChanged.connect(self._on_message)

    def _on_message(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if not self.currentMessage():  # a message is drawn by the note
            super().paintEvent(event)


def copy_choices(source: QWidget, target: QWidget) -> None:
    """Give ``target`` (a new view of ``source``'s class) the choices made in ``source``'s own controls: combo
    boxes, check boxes, sliders, spin boxes, in the order the view creates them."""
    kinds = (QComboBox, QAbstractButton, QAbstractSlider, QAbstractSpinBox, QLineEdit)
    pairs = zip([w for w in source.findChildren(QWidget) if isinstance(w, kinds)],
                [w for w in target.findChildren(QWidget) if isinstance(w, kinds)], strict=False)
    for a, b in pairs:
        if type(a) is not type(b):
            break
        if isinstance(a, QComboBox):
            b.setCurrentIndex(a.currentIndex())
        elif isinstance(a, QAbstractButton):
            if a.isCheckable():
                b.setChecked(a.isChecked())
        elif isinstance(a, QAbstractSlider):
            b.setValue(a.value())
        elif isinstance(a, QLineEdit):
            b.setText(a.text())
        elif hasattr(a, "value") and hasattr(b, "setValue"):
            b.setValue(a.value())


def content_rect(view: QWidget) -> QRect:
    """The part of a view that shows its content: the union of its plots (pyqtgraph GraphicsViews), without its
    controls and its caption; the whole view where it has no plot (the form)."""
    rect = QRect()
    for plot in view.findChildren(pg.GraphicsView):
        if plot.isVisible():
            rect = rect.united(QRect(plot.mapTo(view, plot.rect().topLeft()), plot.size()))
    return rect if rect.isValid() else view.rect()


def recent_sessions() -> list[str]:
    value = settings().value("recent/sessions", [])
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


def app_icon() -> QIcon:
    """cnnviz's icon (resources/cnnviz.svg, a grid of feature maps; its 256-pixel PNG where SVG cannot be read)."""
    from cnnviz.data import resources_dir  # noqa: PLC0415

    icon = QIcon()
    for name in ("cnnviz.png", "cnnviz.svg"):
        icon.addFile(str(resources_dir() / name))
    return icon


class MainWindow(QMainWindow):
    """The window. ``args`` are the parsed options of :func:`build_parser` (None: the defaults). With
    ``remember`` False the window neither restores nor saves its layout, recent files and text size (``cnnviz
    render``). With ``preview`` (default: ``remember``) the views show the form's untrained network until a run
    starts or a session opens (:meth:`show_preview`)."""

    def __init__(self, args: argparse.Namespace | None = None, remember: bool = True, preview: bool | None = None):
        super().__init__()
        self.setWindowIcon(app_icon())  # the title bar, the task bar and the About box
        self.remember = remember
        self.preview_enabled = remember if preview is None else preview
        configure_pyqtgraph()
        use_one_blas_thread()  # the worker threads' setting, made before any product runs
        self.args = args if args is not None else build_parser().parse_args([])
        self.model = RunModel(self)
        self.model.follow_interval = FOLLOW_INTERVAL
        self.model.stagger = True  # a growing run's views redraw one a turn: the window keeps responding
        self.comparison = Comparison.of(self.model)  # other sessions shown beside the run (cnnviz.gui.compare)
        self.parent_offer: QMessageBox | None = None  # "compare with its parent?" after opening a fork
        self.live = LiveRun(self.model, self)
        self.replay = ReplaySource(self.model, self)
        self.message_box: QMessageBox | None = None
        self.diverged_dialog: DivergedDialog | None = None
        self.last_message = ""
        self._first_out = self.args.out
        self._status_due = 0.0
        self._status_timer = QTimer(self)  # the last step of a burst reaches the status bar too
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self._update_status)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.show_preview)
        self._preview_key = None  # (config, data spec) of the preview shown
        self._preview_data: tuple | None = None  # (data spec, data) last loaded for a preview
        self.text_scale = 1.0
        self._presenting: tuple[bool, float, bool] | None = None  # before presenting: maximized, text, form shown
        self._preview_after_run = False  # File > New run during a run: the preview once it has stopped
        self._wide = True
        self.setAcceptDrops(True)

        # -- views in docks
        self.views: dict[str, QWidget] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        for key, title, cls in _view_classes():
            view = cls(self.model, self)
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setWidget(view)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.views[key], self.docks[key] = view, dock
            if hasattr(view, "catch_up"):  # a view that waits while its tab is behind another's
                dock.visibilityChanged.connect(lambda shown, v=view: shown and later(v, v.catch_up))
        self.controls: ControlsView = self.views["controls"]
        self.timeline = TimelineBar(self.model, self)
        self._current_view = "loss"
        self._default_layout()

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._build_status_bar()
        self.fork = ForkMode(self)  # "Continue from here": the form in fork mode (cnnviz.gui.fork)

        self.controls.validity_changed.connect(self._update_actions)
        self.controls.lr_changed.connect(self._on_lr)
        self.controls.momentum_changed.connect(self._on_momentum)
        self.live.state_changed.connect(self._on_state)
        self.live.message.connect(lambda title, text, details: self.show_message(title, text, details))
        self.live.stepped.connect(self._on_stepped)
        self.live.diverged.connect(self._on_diverged)
        self.live.write_failed.connect(self._on_write_failed)
        self.live.finished.connect(self._on_finished)
        self.replay.lost.connect(lambda text: self.show_message("The session cannot be followed", text))
        self.replay.grew.connect(self._replay_status)
        self.model.changed.connect(self._on_model)
        QApplication.instance().focusChanged.connect(self._on_focus)

        self.controls.set_config(*self._initial_config())
        self.memory = Memory(self.controls, {**self.views, "timeline": self.timeline})  # the form, views' choices
        if remember:
            self.memory.restore(settings(), self.args, build_parser())  # the command line's options win
        self.controls.config_edited.connect(self._schedule_preview)
        self._restored = self._restore_layout() if remember else False
        if not remember:
            self._first_size()
        self._update_actions()
        self._update_title()
        if remember:
            try:
                scale = float(settings().value("view/text_scale", 1.0))
            except (TypeError, ValueError):  # an edited settings file: the normal size
                scale = 1.0
            self.set_text_scale(scale, remember=False)
        if self.preview_enabled:
            self.show_preview()
        self.hint_bar.setVisible(self.showing_preview)  # not as a restored layout left it

    # -- building -------------------------------------------------------------------------------------------

    def _initial_config(self) -> tuple[TrainConfig, DataSpec]:
        """The form's first values: the command line's options."""
        a = self.args
        config = config_from_args(a)
        source = a.data
        if source is None:
            from cnnviz.data import find_mnist  # noqa: PLC0415

            try:
                found = find_mnist(None)
            except DataError:
                found = None
            source = str(found) if found is not None else (None if a.download else "sample")
        return config, DataSpec(source, a.limit_train, a.limit_test, bool(a.download))

    def _default_layout(self) -> None:
        """The form on the left at a usable width; the views share the rest. A wide window (:data:`WIDE` pixels
        and more): loss, filters and predictions in the middle, feature maps over pooling on the right. A narrower
        one (a 1024 x 768 projector), where no two of those columns fit beside the form: loss above, feature maps
        beside predictions below (filters and pooling in tabs beside the feature maps). The other views are tabs
        (:data:`TABBED_WITH`)."""
        # One dock area for all: a window that grows shares the width among the docks (the form gives its share
        # back, resizeEvent), where a separate left area would take all of it.
        area = Qt.DockWidgetArea.RightDockWidgetArea
        d = self.docks
        for dock in d.values():
            self.removeDockWidget(dock)
        self.addDockWidget(area, d["controls"])
        self.splitDockWidget(d["controls"], d["loss"], Qt.Orientation.Horizontal)
        self._wide = self.width() >= WIDE
        if self._wide:
            self.splitDockWidget(d["loss"], d["feature_maps"], Qt.Orientation.Horizontal)
            self.splitDockWidget(d["loss"], d["filters"], Qt.Orientation.Vertical)
            self.splitDockWidget(d["filters"], d["predictions"], Qt.Orientation.Vertical)
            self.splitDockWidget(d["feature_maps"], d["pooling"], Qt.Orientation.Vertical)
        else:
            self.splitDockWidget(d["loss"], d["feature_maps"], Qt.Orientation.Vertical)
            self.splitDockWidget(d["feature_maps"], d["predictions"], Qt.Orientation.Horizontal)
            self.tabifyDockWidget(d["feature_maps"], d["filters"])
            self.tabifyDockWidget(d["feature_maps"], d["pooling"])
        for key, host in TABBED_WITH.items():
            self.tabifyDockWidget(d[host], d[key])
        for host in set(TABBED_WITH.values()):
            d[host].raise_()
        for dock in d.values():
            dock.show()
            dock.setFloating(False)
        self._size_docks()
        later(self, self._raise_first_tabs)  # once the tab bars exist

    def _raise_first_tabs(self) -> None:
        """The tab shown first in each group: the host of TABBED_WITH, the feature maps in the narrow layout."""
        for host in set(TABBED_WITH.values()) - ({"filters", "pooling"} if not self._wide else set()):
            self.docks[host].raise_()
        self.docks["loss" if self._wide else "feature_maps"].raise_()
        for bar in self.findChildren(QTabBar):  # the dock areas' tabs: whole titles, scrolled where they do not fit
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    def _size_docks(self) -> None:
        """The form keeps a usable width (it scrolls if the height is short); the views share the rest."""
        d, width = self.docks, self.width()
        form = FORM_WIDTH[0] if width < WIDE else min(FORM_WIDTH[1], max(FORM_WIDTH[0], width // 5))
        rest = max(width - form, 400)
        horizontal = Qt.Orientation.Horizontal
        if self._wide:
            self._resize([d["controls"], d["loss"], d["feature_maps"]], [form, rest // 2, rest // 2], horizontal)
        else:
            self._resize([d["controls"], d["loss"]], [form, rest], horizontal)
            self._resize([d["feature_maps"], d["predictions"]], [rest * 11 // 20, rest * 9 // 20], horizontal)
        self._size_rows()

    def _size_rows(self) -> None:
        """The heights of the default layout's rows of views (again after the presentation mode's resize)."""
        d, height, vertical = self.docks, self.height(), Qt.Orientation.Vertical
        if self._wide:
            self._resize([d["loss"], d["filters"], d["predictions"]], [height * 4 // 10, height * 3 // 10,
                                                                       height * 3 // 10], vertical)
            self._resize([d["feature_maps"], d["pooling"]], [height // 2, height // 2], vertical)
        else:
            self._resize([d["loss"], d["feature_maps"]], [height * 9 // 20, height * 11 // 20], vertical)

    def _resize(self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation) -> None:
        """resizeDocks, for docks that are shown in the window (the user may have hidden or floated one)."""
        if all(not dock.isHidden() and not dock.isFloating() for dock in docks):
            self.resizeDocks(docks, sizes, orientation)

    def _action(self, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setStatusTip(tip or text)
        action.setToolTip(f"{tip or text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                          if shortcut is not None else tip or text)
        action.triggered.connect(lambda _checked=False: slot())  # not the "checked" flag as an argument
        return action

    def _build_actions(self) -> None:
        SP = QStyle.StandardPixmap
        self.new_action = self._action("&New run", self.new_run, "Ctrl+N",
                                       tip="Stop the current run and edit the form for a new one")
        self.open_action = self._action("&Open session…", self._open_dialog, "Ctrl+O", SP.SP_DialogOpenButton,
                                        "Open a saved session (.h5) to replay it")
        self.example_action = self._action("Open &example session", self.open_example, "Ctrl+Shift+O",
                                           tip="Replay a short run that ships with cnnviz")
        from cnnviz.gui.views.draw import open_image_dialog  # the Draw view's File menu entry

        self.open_image_action = self._action("Open &image…", lambda: open_image_dialog(self), "Ctrl+I",
                                              tip="Open a PNG, JPEG or BMP image of a digit: the Draw view shows "
                                              "what the network says it is")
        self.views["draw"].open_requested.connect(self.open_image_action.trigger)
        self.compare_action = self._action("Add session to &compare…", lambda: add_session_dialog(self),
                                           "Ctrl+Shift+A", tip="Show other saved sessions beside this run: curves "
                                           "overlaid, filters and predictions compared")
        self.close_compare_action = self._action("C&lose comparison", lambda: close_comparison(self), "Ctrl+Shift+W",
                                                 tip="Take every compared session away: this run alone again")
        self.export_action = self._action("&Export view as PNG…", self._export_dialog, "Ctrl+E",
                                          tip="Save the current view (the one last clicked) as a PNG image")
        self.export_window_action = self._action("Export &window as PNG…", self._export_window_dialog,
                                                 "Ctrl+Shift+E", tip="Save the whole window as a PNG image")
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q", tip="Close the window (a run is stopped, its "
                                        "session kept)")
        self.start_action = self._action("&Start", self.start_run, "F5", SP.SP_MediaPlay,
                                         "Start a new run with the form's settings")
        self.pause_action = self._action("&Pause", self.toggle_pause, "F6", SP.SP_MediaPause,
                                         "Pause or resume training")
        self.step_action = self._action("Single s&tep", self.single_step, "F7", SP.SP_MediaSkipForward,
                                        "Train one minibatch, then pause")
        self.stop_action = self._action("St&op", self.stop_run, "Shift+F5", SP.SP_MediaStop,
                                        "Stop the run (its session is kept)")
        self.fork_action = self._action("&Continue from here…", lambda: self.fork.begin(), "Ctrl+Shift+F",
                                        tip="Start a new run from the snapshot at or before the timeline's cursor "
                                        "(its weights, velocity and random state), with the settings you change")
        self.reset_layout_action = self._action("&Reset layout", self.reset_layout, "Ctrl+0",
                                                tip="Put every view back in its place")
        self.reset_settings_action = self._action(
            "Reset &settings", lambda: self.memory.reset(settings() if self.remember else None), "Ctrl+Shift+0",
            tip="Forget the remembered form and view choices: back to the defaults (or the command line's options)")
        self.larger_action = self._action("&Larger text", lambda: self.set_text_scale(textsize.larger(
            self.text_scale)), "Ctrl+=", tip="Larger text in every view, its axes and captions")
        self.larger_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.smaller_action = self._action("&Smaller text", lambda: self.set_text_scale(textsize.smaller(
            self.text_scale)), "Ctrl+-", tip="Smaller text in every view, its axes and captions")
        self.normal_text_action = self._action("&Normal text size", lambda: self.set_text_scale(1.0), "Ctrl+Alt+0",
                                               tip="Text at its normal size")
        self.present_action = self._action("&Presentation mode", self.toggle_presentation, "F11",
                                           tip="Full screen with large text, for a lecture hall (F11 again: back)")
        self.present_action.setCheckable(True)
        self.about_action = self._action("&About cnnviz", self.show_about, "F1",
                                         tip="What cnnviz is, where its math comes from, and its keys")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addAction(self.new_action)
        m.addAction(self.open_action)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addAction(self.example_action)
        m.addAction(self.open_image_action)
        m.addAction(self.compare_action)
        m.addAction(self.close_compare_action)
        m.addSeparator()
        m.addAction(self.export_action)
        m.addAction(self.export_window_action)
        m.addSeparator()
        m.addAction(self.quit_action)
        m = bar.addMenu("&Run")
        for a in (self.start_action, self.pause_action, self.step_action, self.stop_action):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.fork_action)
        m = bar.addMenu("&Timeline")
        for a in self.timeline.timeline_actions:
            m.addAction(a)
        m = bar.addMenu("&View")
        self.view_actions: dict[str, QAction] = {}
        for i, (key, dock) in enumerate(self.docks.items(), 1):
            action = dock.toggleViewAction()
            action.setShortcut(QKeySequence(f"Ctrl+{i}" if i <= 9 else f"Ctrl+Alt+{i - 9}"))
            tip = f"Show or hide {dock.windowTitle().lower()}"
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            m.addAction(action)
            self.view_actions[key] = action
        m.addSeparator()
        m.addAction(self.reset_layout_action)
        m.addAction(self.reset_settings_action)
        m.addSeparator()
        for a in (self.larger_action, self.smaller_action, self.normal_text_action, self.present_action):
            m.addAction(a)
        m = bar.addMenu("&Help")
        m.addAction(self.about_action)

    def _build_toolbars(self) -> None:
        bar = self.addToolBar("Run")
        bar.setObjectName("toolbar-run")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.start_action, self.pause_action, self.step_action, self.stop_action):
            bar.addAction(a)
        bar.addSeparator()
        bar.addAction(self.open_action)
        self.addToolBarBreak()
        bar = self.addToolBar("Timeline")
        bar.setObjectName("toolbar-timeline")
        bar.setMovable(False)
        bar.addWidget(self.timeline)
        bar.addAction(self.fork_action)  # and in the timeline bar's context menu, beside its own actions
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.timeline.addAction(self.fork_action)
        self.addToolBarBreak()
        self.hint_bar = bar = QToolBar("Getting started")
        bar.setObjectName("toolbar-hint")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.hint = QLabel(self.hint_text())
        self.hint.setContentsMargins(6, 2, 6, 2)
        self.hint.linkActivated.connect(lambda link: self.start_run() if link == "start" else self.open_example())
        bar.addWidget(self.hint)
        bar.hide()

    def hint_text(self) -> str:
        """The line above the views while they show the untrained network."""
        def key(action: QAction) -> str:
            return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

        return ("<b>Not trained yet:</b> the views show the form's network at step 0. "
                f"<a href='start'>Start</a> ({key(self.start_action)}) trains it; "
                f"<a href='example'>File › Open example session</a> ({key(self.example_action)}) replays a "
                "finished run.")

    def _build_status_bar(self) -> None:
        bar = StatusBar(self)
        self.setStatusBar(bar)
        self.run_label = ElidedLabel("no run")
        self.position_label = ElidedLabel("")
        self.session_label = ElidedLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setValue(0)
        bar.addPermanentWidget(self.run_label, 3)
        bar.addPermanentWidget(self.position_label, 3)
        bar.addPermanentWidget(self.session_label, 2)
        bar.addPermanentWidget(self.progress)

    # -- layout memory ----------------------------------------------------------------------------------------

    def _restore_layout(self) -> bool:
        """The geometry and dock layout of the last session; False if there was none."""
        s = settings()
        geometry = s.value("window/geometry")
        state = s.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._first_size()
        if isinstance(state, QByteArray) and not state.isEmpty():
            return self.restoreState(state, LAYOUT_VERSION)
        return False

    def _first_size(self) -> None:
        """1600 x 1000, or the screen's available area where it is smaller (a 1024 x 768 projector)."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = (1600, 1000) if screen is None else (min(1600, screen.width()), min(1000, screen.height()))
        self.resize(width, height)
        if screen is not None:
            self.move(screen.topLeft())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if not self._restored:
            self._restored = True
            later(self, self._default_layout)  # the layout fits the window's size, once it has one

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The docks share a new width in proportion to theirs; the form gives its share back to the views."""
        super().resizeEvent(event)
        old, new = event.oldSize().width(), event.size().width()
        form = self.docks["controls"]
        if old > 0 and new != old and form.isVisible() and not form.isFloating():
            later(self, lambda: self._keep_form_width(old, new))

    def _keep_form_width(self, old: int, new: int) -> None:
        form = self.docks["controls"]
        if self.width() == new and form.isVisible() and not form.isFloating():
            self.resizeDocks([form], [max(round(form.width() * old / new), FORM_WIDTH[0])], Qt.Orientation.Horizontal)

    def _save_layout(self) -> None:
        if not self.remember:
            return
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.memory.save(s)
        s.sync()

    def reset_layout(self) -> None:
        self._default_layout()

    # -- the live run -------------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """idle (no run going on), running, paused, or stopping (waiting for the worker to finish)."""
        return self.live.state

    @property
    def session_path(self) -> Path | None:
        """The session file shown: the live run's, or the replayed one."""
        return self.replay.path or self.live.session_path

    def _on_state(self, state: str) -> None:
        self.controls.set_running(state != "idle")
        self._update_actions()
        if state != "idle":
            self._preview_timer.stop()
            self.hint_bar.hide()
        if state in ("running", "paused", "stopping"):
            self._update_status()

    def _update_actions(self, *_) -> None:
        s = self.live.state
        self.start_action.setEnabled(s == "idle" and self.controls.is_valid())
        self.pause_action.setEnabled(s in ("running", "paused"))
        self.pause_action.setText("&Resume" if s == "paused" else "&Pause")
        self.pause_action.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if s == "paused" else QStyle.StandardPixmap.SP_MediaPause))
        self.step_action.setEnabled(s in ("running", "paused") or (s == "idle" and self.controls.is_valid()))
        self.stop_action.setEnabled(s in ("running", "paused"))
        self.fork.update_action()
        self.new_action.setEnabled(s != "stopping")
        for a in (self.open_action, self.example_action, self.recent_menu.menuAction()):
            a.setEnabled(s == "idle")

    def _session_path_for(self, config: TrainConfig) -> Path | None:
        """Where the next run is saved: ``--out`` for the first run, else a new default name; never a file
        that exists (ValueError with the sentence to show)."""
        if self.args.no_session:
            return None
        if self._first_out:
            path = Path(self._first_out)
            if path.exists():
                raise ValueError(f"{path} exists; a session never overwrites a file: choose another --out.")
            self._first_out = None
            return path
        from cnnviz.session import default_session_path  # noqa: PLC0415

        return Path(default_session_path(config))

    def start_run(self, paused: bool = False) -> bool:
        """Start a run with the form's settings; False (and a message) if the form has a problem."""
        if self.live.state != "idle":
            return False
        if not self.controls.validate():
            problems = self.controls.errors()
            self.show_message("Cannot start", "Fix the settings shown in red: " + " ".join(problems.values()))
            return False
        try:
            config = self.controls.config()
            fork = self.fork.prepare(config) if self.fork.active else None  # a refusal shows in the form too
            path = self._session_path_for(fork.config if fork is not None else config)
        except (ConfigError, ValueError) as exc:
            self.show_message("Cannot start", str(exc))
            return False
        self.fork.leave(restore=False)  # the run's form: the fork's settings
        self.replay.close()
        self.session_label.setText(f"session: {path}" if path else "no session file")
        self.session_label.setToolTip(str(path.resolve()) if path else "")
        self.run_label.setText("loading data…")
        self.progress.setValue(0)
        if fork is not None:  # the parent's data, and resume_from, in the worker thread
            self.live.start(fork.config, fork.load, path, paused=paused, make_trainer=fork.make)
            self.statusBar().showMessage(fork.says, 15000)
        else:
            self.live.start(config, self.controls.data_spec().load, path, paused=paused)
        self._update_title()
        return True

    def toggle_pause(self) -> None:
        was = self.live.state
        self.live.toggle_pause()
        if was == "running":
            self.statusBar().showMessage("Paused", 3000)

    def single_step(self) -> None:
        if self.live.state == "idle":
            if self.start_run(paused=True):
                self.live.single_step()
            return
        self.live.single_step()

    def stop_run(self) -> None:
        self.live.stop()

    def new_run(self) -> None:
        """Stop the run if one goes on (without its final evaluation); the form is then free for a new one, and the
        views show its untrained network."""
        self.fork.leave()
        self.live.abandon()
        if self.live.state == "idle":
            self.show_preview(force=True)
        else:
            self._preview_after_run = True
        self.statusBar().showMessage("Edit the form and press Start for a new run.", 5000)

    # -- the preview: the form's network before any training ----------------------------------------------------

    @property
    def showing_preview(self) -> bool:
        """Whether the views show the form's untrained network (no run started, no session open)."""
        return self.model.start is not None and self.model.source == PREVIEW_SOURCE

    def _schedule_preview(self) -> None:
        """The form changed: the preview follows it PREVIEW_DELAY_MS after the last edit."""
        if self.preview_enabled and self.live.state == "idle" and (self.model.start is None or self.showing_preview):
            self._preview_timer.start()

    def show_preview(self, force: bool = False) -> bool:
        """Show the untrained network of the form's settings in every view: the records a run of them starts with
        (its RunStart and step-0 snapshot: the initial weights, the probe images of the chosen data). Only while
        no run goes on, and (unless ``force``: File > New run) no run or session is shown. False, the views
        unchanged, where the form has a problem or its data cannot be read (the form says why)."""
        self._preview_timer.stop()
        if self.live.state != "idle" or not (force or self.model.start is None or self.showing_preview):
            return False
        if not self.controls.is_valid():
            return False
        try:
            config, spec = self.controls.config(), dataclasses.replace(self.controls.data_spec(), download=False)
            if self.showing_preview and self._preview_key == (config, spec):
                return True
            if self._preview_data is None or self._preview_data[0] != spec:
                self._preview_data = (spec, spec.load())  # the same data again is not read again
            data = self._preview_data[1]
            start, snapshot = preview_records(config, data)
        except (ConfigError, DataError, ValueError, OSError):
            return False
        if force:
            self.replay.close()
            self.live.close_reader()
        kept = self.model.selection if self.showing_preview else None
        self.model.begin(start, data.test_images, data.test_labels, source=PREVIEW_SOURCE)
        self.model.feed([snapshot])
        self.model.complete_levels()
        conv = config.network.conv
        if kept is not None and kept.layer < len(conv):
            channel = kept.channel if kept.channel is not None and kept.channel < conv[kept.layer].filters else None
            self.model.select(image=kept.image if self.model.has_image(kept.image) else self.model.selection.image,
                              layer=kept.layer, stage=kept.stage, channel=channel)
        self._preview_key = (config, spec)
        self.session_label.setText("")
        self.run_label.setText("not started")
        self.progress.setValue(0)
        self._update_title()
        return True

    def _on_lr(self, lr: float) -> None:
        if self.live.set_lr(lr):
            self.statusBar().showMessage(f"Learning rate {lr:g} from the next step", 3000)

    def _on_momentum(self, momentum: float) -> None:
        if self.live.set_momentum(momentum):
            self.statusBar().showMessage(f"Momentum {momentum:g} from the next step", 3000)

    def _on_diverged(self, event) -> None:
        """A loss became NaN, or stayed at chance after a rollback (the run is paused): one dialog for the incident,
        which offers to roll back to the last sane snapshot (after a rollback that did not recover: the same one
        again) with a lower learning rate, or to stop."""
        self.last_message = event.message
        self.statusBar().showMessage(f"Training paused: {event.message}", 15000)
        if self.diverged_dialog is not None:
            self.diverged_dialog.close()
        i = self.model.last_sane_snapshot(int(event.value) if event.kind == "stalled" else None)
        lr = float(self.model.metric("lr")[-1]) if self.model.n_steps else self.controls.lr.value()
        dialog = DivergedDialog(self, event, self.model.snapshots.steps[i] if i is not None else None, lr)
        dialog.roll_back.connect(lambda new_lr: self._roll_back(i, new_lr))
        dialog.stop_run.connect(self.stop_run)
        dialog.destroyed.connect(lambda *_: setattr(self, "diverged_dialog", None))
        dialog.show()
        self.diverged_dialog = dialog

    def _on_write_failed(self, message: str, holds: str) -> None:
        """The session file cannot be written (a full disk): the run is paused; go on without saving, or stop."""
        box = self.show_message("The session cannot be saved", f"{message} {holds}")
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        go_on = box.addButton("Continue without saving", QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton("Stop the run", QMessageBox.ButtonRole.DestructiveRole)
        go_on.clicked.connect(self.live.continue_without_session)
        stop.clicked.connect(self.stop_run)
        self.session_label.setText(f"session: {self.live.session_path} (no longer saved)")

    def _roll_back(self, snapshot: int, lr: float) -> None:
        self.live.roll_back(snapshot, lr)
        self.controls.lr.blockSignals(True)  # the worker has the new rate already
        self.controls.lr.setValue(lr)
        self.controls.lr.blockSignals(False)
        self.model.follow()
        self.statusBar().showMessage(f"Rolled back to step {self.model.snapshots.steps[snapshot]} with learning rate "
                                     f"{lr:g}", 8000)

    def _on_stepped(self, _step) -> None:
        wait = self._status_due - time.monotonic()
        if wait <= 0:
            self._update_status()
        elif not self._status_timer.isActive():  # the last step of a burst is shown too, a little later
            self._status_timer.start(int(wait * 1000) + 1)

    def _on_finished(self, status: str) -> None:
        self._update_status()
        self._status_timer.stop()
        text = {"complete": "finished", "stopped": "stopped", "failed": "failed"}.get(status, status)
        self.run_label.setText(self.run_label.text().split(" — ")[0].split("   ETA")[0] + f" — {text}")
        path = self.live.session_path
        self.statusBar().showMessage(f"Run {text}" + (f"; session saved to {path}" if path and status != "failed"
                                                       else ""), 10000)
        if path is not None and status != "failed" and path.exists():
            self._remember(path)
        if self._preview_after_run:
            self._preview_after_run = False
            self.show_preview(force=True)

    def _update_status(self) -> None:
        """Epoch, step, images/s and ETA of the last step of the live run, and the progress bar."""
        r, start = self.live.last_step, self.model.start
        if r is None or start is None:
            return
        self._status_due = time.monotonic() + STATUS_INTERVAL
        cfg = start.config
        self._status_timer.stop()
        text = f"epoch {r.epoch}/{cfg.epochs}   step {r.step}/{start.total_steps}   {r.images_per_second:,.0f} images/s"
        if self.live.state == "running" and r.images_per_second:  # only a run going on has an ETA
            text += f"   ETA {_duration((start.total_steps - r.step) * cfg.batch_size / r.images_per_second)}"
        text += {"paused": " — paused", "stopping": " — stopping…"}.get(self.live.state, "")
        self.run_label.setText(text)
        self.progress.setMaximum(max(start.total_steps, 1))
        self.progress.setValue(r.step)

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.hint_bar.setVisible(self.showing_preview)
            self._apply_text_scale_to_plots()  # views may have made new plot items for the new run
        if changes & {"run", "snapshot", "eval", "step", "data"}:
            self.position_label.setText("the form's network before training (step 0)" if self.showing_preview
                                        else self.model.describe_position())
        if "end" in changes and self.model.end is not None and self.model.end.status == "failed" \
                and self.model.end.message:
            self.last_message = self.model.end.message

    # -- replaying a session ------------------------------------------------------------------------------------

    def open_session(self, path: str | Path) -> bool:
        """Show a saved session; False (and a message, the view unchanged) if it cannot be read."""
        path = Path(path)
        if self.live.state != "idle":
            self.show_message("Cannot open the session", "A run is going on: stop it before opening a session.")
            return False
        try:
            self.replay.open(path, data=self.args.data)
        except SessionError as exc:
            self.show_message("Cannot open the session", str(exc))
            return False
        self.live.close_reader()  # the finished live run's file, no longer shown
        self.session_label.setText(f"session: {path.name}")
        self.session_label.setToolTip(str(path.resolve()))
        self._replay_status()
        self._remember(path)
        self._update_title()
        self.statusBar().showMessage(self.replay.note or f"Opened {path}", 0 if self.replay.note else 8000)
        offer_parent(self)  # a fork: show it with its parent?
        return True

    def _replay_status(self) -> None:
        """The replayed session in the status bar: how it ended (or that it is still being written), its size."""
        m = self.model
        if m.start is None:
            return
        status = m.end.status if m.end is not None else "running"
        if m.end is not None and "interrupted" in m.end.message:
            status = "interrupted (its writer was killed)"
        if self.replay.following_file:
            status += " (being written: following it)"
        self.run_label.setText(f"replay: {status}, {m.n_steps:,} steps, {len(m.snapshots)} snapshots, "
                               f"{len(m.evals)} evaluations")
        self.progress.setMaximum(max(m.start.total_steps, 1))
        self.progress.setValue(min(m.n_steps, m.start.total_steps))

    def open_example(self) -> bool:
        from cnnviz.data import example_session_path  # noqa: PLC0415

        return self.open_session(example_session_path())

    def _open_dialog(self) -> None:
        from cnnviz.session import default_session_dir  # noqa: PLC0415

        path, _ = QFileDialog.getOpenFileName(self, "Open a session", str(default_session_dir()),
                                              "cnnviz sessions (*.h5);;All files (*)")
        if path:
            self.open_session(path)

    def _remember(self, path: Path) -> None:
        if not self.remember:
            return
        name = str(Path(path).resolve())
        recent = [name] + [p for p in recent_sessions() if p != name]
        s = settings()
        s.setValue("recent/sessions", recent[:RECENT])
        s.sync()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_sessions()
        for n, name in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{n % 10} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _checked=False, p=name: self.open_session(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _update_title(self) -> None:
        path = self.session_path
        self.setWindowTitle(f"{path.name} — cnnviz" if path else "cnnviz: watch a CNN learn")

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and urls[0].toLocalFile().endswith(".h5"):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.open_session(urls[0].toLocalFile())
            event.acceptProposedAction()

    # -- messages, export, about ------------------------------------------------------------------------------

    def show_message(self, title: str, text: str, details: str = "", modal: bool = False) -> QMessageBox:
        """A message box that does not block (the run and the tests go on); also in the status bar."""
        self.last_message = text
        self.statusBar().showMessage(f"{title}: {text}", 15000)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.WindowModal if modal else Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "message_box", None))
        box.show()
        self.message_box = box
        return box

    def _on_focus(self, old, new) -> None:
        w = new
        while w is not None:
            for key, view in self.views.items():
                if w is view:
                    self._current_view = key
                    return
            w = w.parentWidget()

    def current_view(self) -> str:
        """The key of the view the user worked in last (the export's default)."""
        return self._current_view

    def export_size(self, key: str) -> tuple[int, int]:
        """The export's default size: twice the view's content as it is on screen, within the dialog's limits."""
        rect = content_rect(self.views[key])
        return (min(max(2 * rect.width(), ExportDialog.SMALLEST[0]), ExportDialog.LARGEST[0]),
                min(max(2 * rect.height(), ExportDialog.SMALLEST[1]), ExportDialog.LARGEST[1]))

    def render_view(self, key: str, size: tuple[int, int]) -> QPixmap:
        """The content of view ``key`` (its plots, without its controls and caption) drawn at ``size`` pixels: a new
        view of the same class, on the same model (the same run, step and selection) with the same choices in its
        controls and the same text size, laid out offscreen so that its content has that size."""
        source, (width, height) = self.views[key], size
        view = type(source)(self.model)
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        try:
            copy_choices(source, view)
            textsize.scale_widget(view, self.text_scale)
            view.resize(width, height)
            view.show()
            for _ in range(2):
                rect = content_rect(view)
                view.resize(view.width() + width - rect.width(), view.height() + height - rect.height())
                for _ in range(3):  # layouts settle, the view draws
                    QApplication.processEvents()
            pixmap = view.grab(content_rect(view))
        finally:
            view.close()
            shiboken6.delete(view)
        if (pixmap.width(), pixmap.height()) != (width, height):  # a view that cannot be laid out that small
            pixmap = pixmap.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        return pixmap

    def export_view(self, path: str | Path, key: str | None = None, size: tuple[int, int] | None = None) -> Path:
        """Save the content of view ``key`` (default: the current one) as a PNG image of ``size`` pixels (default
        :meth:`export_size`); the path written."""
        key = key or self._current_view
        path = Path(path)
        if not self.render_view(key, size or self.export_size(key)).save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        return path

    def export_window(self, path: str | Path) -> Path:
        path = Path(path)
        self.model.flush_redraws()
        if not self.grab().save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        return path

    def _export_dialog(self) -> None:
        key = self._current_view
        title = self.docks[key].windowTitle().lower()
        dialog = ExportDialog(self, title, self.export_size(key))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = f"{key.replace('_', '-')}.png"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {title} as PNG", name, "PNG images (*.png)")
        if path:
            try:
                self.export_view(path, key, dialog.size_chosen())
                self.statusBar().showMessage(f"Saved {path}", 5000)
            except OSError as exc:
                self.show_message("Export failed", str(exc))

    def _export_window_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the window as PNG", "cnnviz.png", "PNG images (*.png)")
        if path:
            try:
                self.export_window(path)
                self.statusBar().showMessage(f"Saved {path}", 5000)
            except OSError as exc:
                self.show_message("Export failed", str(exc))

    def about_text(self) -> str:
        return (
            f"<h3>cnnviz {__version__}</h3>"
            "<p>Watch a convolutional neural network learn MNIST, live: a NumPy CNN trained in a background "
            "thread, its loss and accuracy, filters, feature maps, max pooling and predictions, every run saved "
            "to an HDF5 session file.</p>"
            "<p><b>The math</b> follows Hitoshi Arai's lecture notes <i>" + NOTES_TITLE + "</i> (Ver. 1.5, "
            "www.araiweb.matrix.jp/DeepLearning.html): correlation (section 2.2), same-type zero padding "
            "(2.3), the forward pass with ReLU and 2x2 max pooling that records the winning positions (3.2), "
            "back-propagation (3.3) and the parameter update (3.4). Convolutions are computed with im2col, "
            "as in the notes' MATLAB program (Appendix: Cnv2, Im2Col).</p>"
            "<p><b>Data.</b> The MNIST database of handwritten digits (Yann LeCun, Corinna Cortes, "
            "Christopher J.C. Burges), licensed under Creative Commons Attribution-Share Alike 3.0. The bundled "
            "sample (2,000 training and 1,000 test images) is a subset shared under the same licence; see "
            "resources/MNIST-LICENSE.md. Downloaded on request (Data, source): Fashion-MNIST (Zalando SE; MIT "
            "licence) and KMNIST (CODH, adapted from the Kuzushiji Dataset of NIJL and others, "
            "doi:10.20676/00000341; CC BY-SA 4.0).</p>"
            + self.keys_html()
        )

    def keys(self) -> list[tuple[str, str, str]]:
        """(menu, action, key) of every action in the menus, in menu order (the About box's list)."""
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            for a in menu.actions() if menu is not None else []:
                if a.isSeparator() or a.menu() is not None:
                    continue
                key = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((menu_action.text().replace("&", ""), a.text().replace("&", ""), key))
        return rows

    def keys_html(self) -> str:
        """The keys, one short paragraph a menu (the About box fits a 1024 x 700 screen)."""
        menus: dict[str, list[str]] = {}
        for menu, text, key in self.keys():
            menus.setdefault(menu, []).append(f"{html.escape(text.rstrip('…'))}&nbsp;<b>{html.escape(key)}</b>")
        return "<p><b>Keys</b></p>" + "".join(f"<p><i>{html.escape(menu)}:</i> {' · '.join(items)}</p>"
                                               for menu, items in menus.items())

    def show_about(self) -> None:
        """QMessageBox.about's box (the window's icon), wide enough that the keys fit a 700-pixel-high screen."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About cnnviz", self.about_text(), QMessageBox.StandardButton.Ok,
                          self)
        box.setIconPixmap(self.windowIcon().pixmap(64))
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 560px; }")  # the text, not the icon
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- text size and the presentation mode -------------------------------------------------------------------------

    def set_text_scale(self, scale: float, remember: bool = True) -> None:
        """Scale every font of the window: its widgets, and in every view the axes, titles and captions;
        remembered for the next start (not while presenting, whose large text is its own)."""
        self.text_scale = textsize.clamp(scale)
        self.setFont(textsize.scaled_font(self.text_scale))
        for view in self.views.values():
            textsize.scale_widget(view, self.text_scale)
        self.timeline.setFont(textsize.scaled_font(self.text_scale))
        self.larger_action.setEnabled(self.text_scale < textsize.LARGEST)
        self.smaller_action.setEnabled(self.text_scale > textsize.SMALLEST)
        if remember and self.remember and self._presenting is None:
            s = settings()
            s.setValue("view/text_scale", self.text_scale)
            s.sync()
        if remember:
            self.statusBar().showMessage(f"Text size {self.text_scale:.0%}", 2000)

    def _apply_text_scale_to_plots(self) -> None:
        if self.text_scale != 1.0:
            for view in self.views.values():
                textsize.scale_widget(view, self.text_scale)

    @property
    def presenting(self) -> bool:
        return self._presenting is not None

    def toggle_presentation(self) -> None:
        """F11: full screen with large text (at least textsize.PRESENTATION) and the views only (the form hidden;
        the run's keys still work), or back to the window as it was."""
        form = self.docks["controls"]
        if self._presenting is None:
            self._presenting = (self.isMaximized(), self.text_scale, not form.isHidden())
            form.hide()
            self.set_text_scale(max(self.text_scale, textsize.PRESENTATION), remember=False)
            self.showFullScreen()
            later(self, self._size_rows, 100)  # the loss view gets its share of the new height
        else:
            was_maximized, scale, form_shown = self._presenting
            self._presenting = None
            form.setVisible(form_shown)
            self.set_text_scale(scale, remember=False)
            self.showMaximized() if was_maximized else self.showNormal()
        self.present_action.setChecked(self.presenting)

    # -- closing ----------------------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """Stop the worker (within one minibatch), finish the session (status stopped), keep the layout."""
        self._save_layout()
        self.live.abandon(wait=60)
        self.live.close_reader()
        self.replay.close()
        for box in (self.message_box, self.diverged_dialog):
            if box is not None:
                box.close()
        super().closeEvent(event)


# -- the command ------------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="cnnviz", description="The window: watch a convolutional neural network learn, or replay a "
               "saved session.")
    p.add_argument("session", nargs="?", metavar="SESSION.h5", help="a saved session to replay")
    p.add_argument("compare", nargs="*", metavar="MORE.h5", help="more sessions, compared with the first (curves "
                   "overlaid; filters and predictions of two runs)")
    add_training_options(p)
    p.add_argument("--start", action="store_true", help="start training as soon as the window is up")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """``cnnviz [SESSION.h5 [MORE.h5 ...]] [options]``: open the window (on a saved session, the others compared
    with it; with ``--start`` begin training at once)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        args.given = given_options(build_parser(), argv)  # remembered settings yield to these
        config_from_args(args)  # a bad option is refused before the window opens
        if args.session is not None:
            if args.start:
                raise UsageError("cnnviz: --start trains a new run; it does not go with a session to replay")
            from cnnviz.session import SessionReader  # noqa: PLC0415

            SessionReader(args.session).close()  # an unreadable file is refused before the window opens
    except USER_ERRORS as exc:
        return report(exc)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("cnnviz")  # resources/cnnviz.desktop, once installed: the task bar's icon and name
    app.setWindowIcon(app_icon())
    # Python's cycle collector runs on whichever thread allocates; Qt objects it frees on the trainer's or a
    # download's thread deadlock or crash Qt. pyqtgraph's collector runs it on the GUI thread only, every second.
    app.garbage_collector = GarbageCollector(interval=1.0)
    configure_pyqtgraph()
    window = MainWindow(args)
    window.show()
    if args.start:
        QTimer.singleShot(0, window.start_run)
    elif args.session is not None:
        window.open_session(args.session)
        for path in args.compare:  # compared with the first; one that cannot be read: its message, the first stays
            add_session(window, path)
    # SIGTERM and Ctrl-C close the window as its close button does: the run stops within a minibatch and its
    # session is finished ("stopped"). Python runs signal handlers only when it has control: a timer gives it.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, window.close))
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    code = app.exec()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
