"""The window's actions, menus and toolbars, its keys, and the About box's text.

:func:`build_actions`, :func:`build_menus` and :func:`build_toolbars` give the :class:`~cnnviz.gui.app.MainWindow`
its ``*_action`` attributes, its menu bar and its toolbars (the run's, the timeline's, the getting-started hint);
:func:`keys` lists every action with its key for the About box.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QStyle, QTabBar, QToolBar

from cnnviz import __version__
from cnnviz.gui import i18n, textsize
from cnnviz.gui.compare import add_session_dialog
from cnnviz.gui.indices import CODE, NOTES
from cnnviz.gui.layouts import TASKS

# The views' show-or-hide keys (Ctrl+1 ... are the workspaces'), in the View menu's order.
VIEW_KEYS = ("Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5", "Alt+6", "Alt+7", "Alt+8", "Alt+9", "Alt+0", "Alt+-",
             "Alt+=", "Alt+O")
NOTES_TITLE = "数学者が書いた深層学習講義 畳み込みニューラルネット篇"
translate = QCoreApplication.translate  # the menus' words are in context "Menus"


def action(window, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
    """An action of ``window`` that calls ``slot`` (without the "checked" flag), its key in its tooltip."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.setStatusTip(tip or text)
    action.setToolTip(f"{tip or text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                      if shortcut is not None else tip or text)
    action.triggered.connect(lambda _checked=False: slot())  # not the "checked" flag as an argument
    return action


def build_actions(window) -> None:
    """The window's actions (``window.start_action`` ...), each with its key and tooltip."""
    SP = QStyle.StandardPixmap
    window.new_action = action(
        window, translate("Menus", "&New run"), window.new_run, "Ctrl+N",
        tip=translate("Menus", "Stop the current run and edit the form for a new one"))
    window.open_action = action(
        window, translate("Menus", "&Open session…"), window._open_dialog, "Ctrl+O", SP.SP_DialogOpenButton,
        translate("Menus", "Open a saved session (.h5) to replay it"))
    window.example_action = action(
        window, translate("Menus", "Open &example session"), window.open_example, "Ctrl+Shift+O",
        tip=translate("Menus", "Replay a short run that ships with cnnviz"))
    from cnnviz.gui.views.draw import open_image_dialog  # the Draw view's File menu entry

    window.open_image_action = action(
        window, translate("Menus", "Open &image…"), lambda: open_image_dialog(window), "Ctrl+I",
        tip=translate("Menus", "Open a PNG, JPEG or BMP image of a digit: the Draw view shows what the network says "
                      "it is"))
    window.views["draw"].open_requested.connect(window.open_image_action.trigger)
    window.compare_action = action(
        window, translate("Menus", "Add session to &compare…"), lambda: add_session_dialog(window, window.workspace),
        "Ctrl+Shift+A", tip=translate("Menus", "Show other saved sessions beside this run: curves overlaid, filters "
                                      "and predictions compared"))
    window.close_compare_action = action(
        window, translate("Menus", "C&lose comparison"), window.workspace.close_comparison, "Ctrl+Shift+W",
        tip=translate("Menus", "Take every compared session away: this run alone again"))
    window.export_action = action(
        window, translate("Menus", "&Export view as PNG…"), window._export_dialog, "Ctrl+E",
        tip=translate("Menus", "Save the current view (the one last clicked) as a PNG image"))
    window.export_window_action = action(
        window, translate("Menus", "Export &window as PNG…"), window._export_window_dialog, "Ctrl+Shift+E",
        tip=translate("Menus", "Save the whole window as a PNG image"))
    window.quit_action = action(
        window, translate("Menus", "&Quit"), window.close, "Ctrl+Q",
        tip=translate("Menus", "Close the window (a run is stopped, its session kept)"))
    window.start_action = action(
        window, translate("Menus", "&Start"), window.start_run, "F5", SP.SP_MediaPlay,
        translate("Menus", "Start a new run with the form's settings"))
    window.pause_action = action(
        window, translate("Menus", "&Pause"), window.toggle_pause, "F6", SP.SP_MediaPause,
        translate("Menus", "Pause or resume training"))
    window.step_action = action(
        window, translate("Menus", "Single s&tep"), window.single_step, "F7", SP.SP_MediaSkipForward,
        translate("Menus", "Train one minibatch, then pause"))
    window.stop_action = action(
        window, translate("Menus", "St&op"), window.stop_run, "Shift+F5", SP.SP_MediaStop,
        translate("Menus", "Stop the run (its session is kept)"))
    window.fork_action = action(
        window, translate("Menus", "&Continue from here…"), lambda: window.fork.begin(), "Ctrl+Shift+F",
        tip=translate("Menus", "Start a new run from the snapshot at or before the timeline's cursor (its weights, "
                      "velocity and random state), with the settings you change"))
    window.reset_layout_action = action(
        window, translate("Menus", "&Reset layout"), window.reset_layout, "Ctrl+0",
        tip=translate("Menus", "Put every view back in its place"))
    window.reset_settings_action = action(
        window, translate("Menus", "Reset &settings"), window.reset_settings, "Ctrl+Shift+0",
        tip=translate("Menus", "Forget the remembered form and view choices: back to the defaults (or the command "
                      "line's options)"))
    window.larger_action = action(
        window, translate("Menus", "&Larger text"), lambda: window.set_text_scale(textsize.larger(window.text_scale)),
        "Ctrl+=", tip=translate("Menus", "Larger text in every view, its axes and captions"))
    window.larger_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
    window.smaller_action = action(
        window, translate("Menus", "&Smaller text"),
        lambda: window.set_text_scale(textsize.smaller(window.text_scale)), "Ctrl+-",
        tip=translate("Menus", "Smaller text in every view, its axes and captions"))
    window.normal_text_action = action(
        window, translate("Menus", "&Normal text size"), lambda: window.set_text_scale(1.0), "Ctrl+Alt+0",
        tip=translate("Menus", "Text at its normal size"))
    window.present_action = action(
        window, translate("Menus", "&Presentation mode"), window.toggle_presentation, "F11",
        tip=translate("Menus", "Full screen with large text, for a lecture hall (F11 again: back)"))
    window.present_action.setCheckable(True)
    window.follow_unit_action = action(
        window, translate("Menus", "&Follow a unit to Look inside"), lambda: None, "Ctrl+Shift+L",
        tip=translate("Menus", "Clicking a filter in Train shows Look inside, where the Unit view explains how its "
                      "units are computed"))
    window.follow_unit_action.setCheckable(True)
    window.follow_unit_action.setChecked(True)
    window.count_from_one_action = action(
        window, translate("Menus", "Count &indices from 1, as the notes do"), lambda: None, "Ctrl+Shift+I",
        tip=translate("Menus", "Every index in the window (k, i, j, units, pooling winners, test images) counts from "
                      "1 as the lecture does; off: from 0, as the code"))
    window.count_from_one_action.setCheckable(True)
    window.count_from_one_action.setChecked(window.model.indices.origin == NOTES)
    window.count_from_one_action.toggled.connect(lambda on: window.model.count_from(NOTES if on else CODE))
    window.task_actions = {}
    for i, t in enumerate(TASKS, 1):
        window.task_actions[t.key] = a = action(window, translate("Menus", "{workspace} workspace").format(
            workspace=t.label()), lambda k=t.key: window.show_task(k), f"Ctrl+{i}", tip=t.tooltip())
        a.setCheckable(True)
    window.language_actions = QActionGroup(window)
    for key, name in i18n.LANGUAGES.items():  # each language named in itself
        a = window.language_actions.addAction(name)
        a.setCheckable(True)
        a.setChecked(key == i18n.language())
        a.setData(key)
        a.setStatusTip(translate("Menus", "Speak {language} from the next start").format(language=name))
        a.triggered.connect(lambda _checked=False, k=key: window.choose_language(k))
    window.about_action = action(
        window, translate("Menus", "&About cnnviz"), lambda: show_about(window), "F1",
        tip=translate("Menus", "What cnnviz is, where its math comes from, and its keys"))


def build_menus(window) -> None:
    """File, Run, Timeline, View and Help."""
    bar = window.menuBar()
    m = bar.addMenu(translate("Menus", "&File"))
    m.addAction(window.new_action)
    m.addAction(window.open_action)
    window.recent_menu = m.addMenu(translate("Menus", "Open &recent"))
    window.recent_menu.aboutToShow.connect(window._fill_recent)
    m.addAction(window.example_action)
    m.addAction(window.open_image_action)
    m.addAction(window.compare_action)
    m.addAction(window.close_compare_action)
    m.addSeparator()
    m.addAction(window.export_action)
    m.addAction(window.export_window_action)
    m.addSeparator()
    m.addAction(window.quit_action)
    m = bar.addMenu(translate("Menus", "&Run"))
    for a in (window.start_action, window.pause_action, window.step_action, window.stop_action):
        m.addAction(a)
    m.addSeparator()
    m.addAction(window.fork_action)
    m = bar.addMenu(translate("Menus", "&Timeline"))
    for a in window.timeline.timeline_actions:
        m.addAction(a)
    m = bar.addMenu(translate("Menus", "&View"))
    for a in window.task_actions.values():
        m.addAction(a)
    m.addAction(window.follow_unit_action)
    m.addAction(window.count_from_one_action)
    m.addSeparator()
    window.view_actions: dict[str, QAction] = {}
    for key, dock in window.docks.items():
        action = dock.toggleViewAction()
        action.setShortcut(QKeySequence(VIEW_KEYS[len(window.view_actions)]))
        tip = translate("Menus", "Show or hide {view}").format(view=dock.windowTitle().lower())
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        m.addAction(action)
        window.view_actions[key] = action
    m.addSeparator()
    m.addAction(window.reset_layout_action)
    m.addAction(window.reset_settings_action)
    m.addSeparator()
    for a in (window.larger_action, window.smaller_action, window.normal_text_action, window.present_action):
        m.addAction(a)
    window.language_menu = m.addMenu(translate("Menus", "Lan&guage"))
    window.language_menu.addActions(window.language_actions.actions())
    m = bar.addMenu(translate("Menus", "&Help"))
    m.addAction(window.about_action)


def build_toolbars(window) -> None:
    """The run's buttons, the timeline bar, and the getting-started hint (hidden until the preview shows)."""
    bar = window.addToolBar(translate("Menus", "Run"))
    bar.setObjectName("toolbar-run")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for a in (window.start_action, window.pause_action, window.step_action, window.stop_action):
        bar.addAction(a)
    bar.addSeparator()
    bar.addAction(window.open_action)
    bar = window.addToolBar(translate("Menus", "Workspaces"))
    bar.setObjectName("toolbar-workspaces")
    bar.setMovable(False)
    window.task_tabs = tabs = QTabBar()
    tabs.setDrawBase(False)
    tabs.setExpanding(False)
    for i, t in enumerate(TASKS):
        tabs.addTab(t.label())
        tabs.setTabToolTip(i, f"{t.tooltip()} ({window.task_actions[t.key].shortcut().toString()})")
    tabs.currentChanged.connect(lambda i: window.show_task(TASKS[i].key) if i >= 0 else None)
    bar.addWidget(tabs)
    offer_compare(window, False)
    window.addToolBarBreak()
    bar = window.addToolBar(translate("Menus", "Timeline"))
    bar.setObjectName("toolbar-timeline")
    bar.setMovable(False)
    bar.addWidget(window.timeline)
    bar.addAction(window.fork_action)  # and in the timeline bar's context menu, beside its own actions
    window.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    window.timeline.addAction(window.fork_action)
    window.addToolBarBreak()
    window.hint_bar = bar = QToolBar(translate("Menus", "Getting started"))
    bar.setObjectName("toolbar-hint")
    bar.setMovable(False)
    window.addToolBar(bar)
    window.hint = QLabel(hint_text(window))
    window.hint.setContentsMargins(6, 2, 6, 2)
    window.hint.linkActivated.connect(lambda link: window.start_run() if link == "start" else window.open_example())
    bar.addWidget(window.hint)
    bar.hide()


def hint_text(window) -> str:
    """The line above the views while they show the untrained network."""
    def key(action: QAction) -> str:
        return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    return translate("Menus", "<b>Not trained yet:</b> the views show the form's network at step 0. <a href='start'>"
                     "Start</a> ({start}) trains it; <a href='example'>File › Open example session</a> ({example}) "
                     "replays a finished run.").format(start=key(window.start_action),
                                                       example=key(window.example_action))


def about_text(window) -> str:
    return (
        f"<h3>cnnviz {__version__}</h3><p>"
        + translate("Menus", "Watch a convolutional neural network learn MNIST, live: a NumPy CNN trained in a "
                    "background thread, its loss and accuracy, filters, feature maps, max pooling and predictions, "
                    "every run saved to an HDF5 session file.")
        + "</p><p>"
        + translate("Menus", "<b>The math</b> follows Hitoshi Arai's lecture notes <i>{notes}</i> (Ver. 1.5, "
                    "www.araiweb.matrix.jp/DeepLearning.html): correlation (section 2.2), same-type zero padding "
                    "(2.3), the forward pass with ReLU and 2x2 max pooling that records the winning positions (3.2), "
                    "back-propagation (3.3) and the parameter update (3.4). Convolutions are computed with im2col, "
                    "as in the notes' MATLAB program (Appendix: Cnv2, Im2Col).").format(notes=NOTES_TITLE)
        + "</p><p>"
        + translate("Menus", "<b>Data.</b> The MNIST database of handwritten digits (Yann LeCun, Corinna Cortes, "
                    "Christopher J.C. Burges), licensed under Creative Commons Attribution-Share Alike 3.0. The "
                    "bundled sample (2,000 training and 1,000 test images) is a subset shared under the same licence; "
                    "see resources/MNIST-LICENSE.md. Downloaded on request (Data, source): Fashion-MNIST (Zalando SE; "
                    "MIT licence) and KMNIST (CODH, adapted from the Kuzushiji Dataset of NIJL and others, "
                    "doi:10.20676/00000341; CC BY-SA 4.0).")
        + "</p>" + keys_html(window)
    )


def plain(text: str) -> str:
    """A menu's text without its mnemonic: "&File" -> "File", "ファイル(&F)" -> "ファイル"."""
    return re.sub(r"\(&.\)", "", text).replace("&", "")


def keys(window) -> list[tuple[str, str, str]]:
    """(menu, action, key) of every action in the menus, in menu order (the About box's list)."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for a in menu.actions() if menu is not None else []:
            if a.isSeparator() or a.menu() is not None:
                continue
            key = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            rows.append((plain(menu_action.text()), plain(a.text()), key))
    return rows


def keys_html(window) -> str:
    """The keys, one short paragraph a menu (the About box fits a 1024 x 700 screen)."""
    menus: dict[str, list[str]] = {}
    for menu, text, key in keys(window):
        menus.setdefault(menu, []).append(f"{html.escape(text.rstrip('…'))}&nbsp;<b>{html.escape(key)}</b>")
    return "<p><b>" + translate("Menus", "Keys") + "</b></p>" + "".join(
        f"<p><i>{html.escape(menu)}:</i> {' · '.join(items)}</p>" for menu, items in menus.items())



def show_current_task(window) -> None:
    """The workspace tabs and the View menu's workspace entries show the current workspace."""
    current = window.layout_.current
    window.task_tabs.blockSignals(True)
    window.task_tabs.setCurrentIndex([t.key for t in TASKS].index(current))
    window.task_tabs.blockSignals(False)
    for key, a in window.task_actions.items():
        a.setChecked(key == current)


def offer_compare(window, active: bool) -> None:
    """The Compare workspace is offered while runs are compared."""
    i = [t.key for t in TASKS].index("compare")
    window.task_tabs.setTabVisible(i, active)
    window.task_actions["compare"].setEnabled(active)


def show_about(window) -> None:
    """QMessageBox.about's box (the window's icon), wide enough that the keys fit a 700-pixel-high screen."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, translate("Menus", "About cnnviz"), window.about_text(),
                      QMessageBox.StandardButton.Ok, window)
    box.setIconPixmap(window.windowIcon().pixmap(64))
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 560px; }")  # the text, not the icon
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()

