"""The window in English and Japanese: the catalogues are complete and current, no visible text is left unmarked,
the language is chosen as the docs say, and without a Japanese font the window says so once and stays English.

Two kinds of test guard the translations:

- the catalogues (:func:`test_the_catalogues_are_complete_and_current`): lupdate run on the sources again finds no
  new and no vanished string, every string has its translation, and the shipped .qm is the one they make;
- the marks (:func:`test_no_visible_text_of_the_shell_is_unmarked`, :func:`test_no_visible_text_of_a_view_is_unmarked`):
  with a pseudo-catalogue (every translation is its source between ⟦ ⟧) every text the window shows has its letters
  inside the marks, except :data:`ALLOWED` (names, units, keys), in the shell and in every view
  (:data:`COVERED_VIEWS`).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QToolBar,
    QWidget,
)

from cnnviz.config import make_config, setting_problem
from cnnviz.data import example_session_path
from cnnviz.gui import i18n, i18n_catalogues
from cnnviz.gui.app import MainWindow, settings
from cnnviz.gui.compare import differing, run_names, setting_name
from cnnviz.gui.dialogs import ExportDialog
from cnnviz.gui.layouts import TASK_KEYS, view_classes
from cnnviz.gui.views.unit import select_unit
from cnnviz.gui.workspace import build_parser

# What may stand outside the marks: names that are the same in every language, units, keys, Qt's own button texts
# (translated by Qt's catalogue), the languages' own names. Numbers, symbols and single letters always may.
ALLOWED = frozenset({
    "cnnviz", "MNIST", "KMNIST", "NumPy", "HDF5", "PNG", "conv", "fc", "px",  # names, layers (conv1, fc2), units
    "Ctrl", "Shift", "Alt", "Esc", "Del", "Home", "End", "Left", "Right", "Up", "Down", "Space",  # keys
    "OK", "Cancel", "Save", "Close",  # Qt's standard buttons (its own catalogue translates them)
    "English", "日本語",  # View › Language: each language in itself
    "Fashion", "flatten",  # a data set's name (Fashion-MNIST), a layer's (the form's shapes)
    "same", "valid", "max", "average", "none", "float", "lecture", "program", "fast", "constant", "cosine",  # options
    "ReLU", "Soft", "exp", "log", "dE", "du", "da", "dp", "dF", "db", "ij", "Eta", "Beta",  # the notes' and
    # the appendix program's formulas (a = ReLU(u) = max(0, u), Soft(u), dE/du, Σ_ij, M ← Eta·g − Beta·M)
})
# Every view's visible text is checked (their keys, as layouts.view_classes names them).
COVERED_VIEWS: tuple[str, ...] = tuple(key for key, _, _ in view_classes())
LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more, in any script
OPEN, CLOSE = i18n_catalogues.PSEUDO


def unmarked(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The words of ``text`` outside the pseudo-catalogue's marks and not :data:`ALLOWED` (``data``: the user's own
    text that the window shows, such as a file name, left out first)."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    for d in data:
        text = text.replace(d, " ")
    while True:  # marked text may hold marked text: the innermost first
        stripped = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if stripped == text:
            break
        text = stripped
    return [w for w in LETTERS.findall(text) if w not in ALLOWED]


def menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title()]
    for a in menu.actions():
        if a.menu() is not None:
            texts += menu_texts(a.menu())
        elif not a.isSeparator():
            texts += [a.text(), a.toolTip(), a.statusTip()]
    return texts


def widget_texts(root: QWidget) -> list[str]:
    """Every text a widget and its visible children show: labels, buttons, boxes, tabs, tooltips, and the text
    items of their pyqtgraph scenes (titles, axis labels, captions)."""
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        if w is not root and not w.isVisibleTo(root):
            continue
        texts += [w.toolTip(), w.statusTip(), w.whatsThis()]  # Qt's methods by class: a view may name an attribute so
        if isinstance(w, QLabel):
            texts.append(QLabel.text(w))
        elif isinstance(w, QAbstractButton):
            texts.append(QAbstractButton.text(w))
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            texts.append(QGroupBox.title(w))
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QTabBar):
            texts += [t for i in range(w.count()) for t in (w.tabText(i), w.tabToolTip(i))]
        elif isinstance(w, pg.GraphicsView):
            for item in w.scene().items():
                if isinstance(item, QGraphicsTextItem) and item.isVisible():
                    texts.append(item.toPlainText())
                elif isinstance(item, QGraphicsSimpleTextItem) and item.isVisible():
                    texts.append(item.text())
    return texts


def shell_texts(window: MainWindow) -> list[str]:
    """The shell's texts: title, menus, toolbars, workspace tabs, dock titles and their tab bars, the status bar,
    the getting-started line, the About box."""
    texts = [window.windowTitle(), window.about_text(), window.hint.text()]
    for menu_action in window.menuBar().actions():
        texts += menu_texts(menu_action.menu())
    for bar in window.findChildren(QToolBar):
        texts.append(bar.windowTitle())
        texts += [t for a in bar.actions() for t in (a.text(), a.toolTip())]
    texts += [t for i in range(window.task_tabs.count())
              for t in (window.task_tabs.tabText(i), window.task_tabs.tabToolTip(i))]
    texts += [d.windowTitle() for d in window.findChildren(QDockWidget)]
    texts += [bar.tabText(i) for bar in window.findChildren(QTabBar) if bar.parent() is window
              for i in range(bar.count())]
    status = window.statusBar()
    texts += [status.currentMessage(), *(label.text() for label in status.findChildren(QLabel))]
    return texts


@pytest.fixture
def pseudo_window(qtbot, language):
    language("pseudo")
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    with qtbot.waitExposed(w):
        w.show()
    return w


# -- the catalogues ---------------------------------------------------------------------------------------------------

def test_every_source_file_of_the_window_is_in_one_catalogue():
    areas = {area: set(i18n_catalogues.sources(area)) for area in i18n_catalogues.AREAS}
    gui = set((i18n_catalogues.REPO / "cnnviz" / "gui").rglob("*.py"))
    assert gui <= set().union(*areas.values())
    for a in areas:
        for b in areas:
            assert a == b or not areas[a] & areas[b], (a, b)
    assert {p.name for p in areas["inside"]} >= {"unit.py", "feature_maps.py", "deltas.py", "playground.py"}
    assert {p.name for p in areas["training"]} >= {"loss.py", "controls.py", "predictions.py", "timeline.py"}


def test_the_catalogues_are_complete_and_current(tmp_path):
    """lupdate on the sources finds what the catalogues hold, no more and no less; every string is translated; the
    shipped .qm is what lrelease makes of them (``make translations`` brings all three back in line)."""
    copies = []
    for area in i18n_catalogues.AREAS:
        committed = i18n_catalogues.catalogue(area)
        copy = tmp_path / committed.name
        shutil.copy(committed, copy)
        i18n_catalogues.update(area, copy)
        before, after = i18n_catalogues.messages(committed), i18n_catalogues.messages(copy)
        # lupdate names no context where it lost track of the class (a function nested in a function before it)
        assert [key for key in after if not key[0]] == [], f"{committed.name}: a self.tr without its class"
        assert sorted(set(after) - set(before)) == [], f"{committed.name} lacks strings: run make translations"
        assert sorted(set(before) - set(after)) == [], f"{committed.name} holds strings gone from the source"
        assert i18n_catalogues.unfinished(committed) == [], f"{committed.name} has strings without a translation"
        copies.append(copy)
    made = tmp_path / "cnnviz_ja.qm"
    i18n_catalogues.release(copies, made)
    assert made.read_bytes() == i18n_catalogues.released().read_bytes(), "cnnviz_ja.qm is out of date"


def test_translations_keep_their_placeholders():
    """A template's {names} are the same in its translation (else .format fails or loses a number)."""
    for area in i18n_catalogues.AREAS:
        for (context, source), message in i18n_catalogues.messages(i18n_catalogues.catalogue(area)).items():
            translation = message.findtext("translation") or ""
            assert sorted(re.findall(r"{\w*}", translation)) == sorted(re.findall(r"{\w*}", source)), \
                (context, source, translation)


def test_the_checker_finds_unmarked_words():
    assert unmarked("⟦Train⟧") == [] and unmarked("⟦Show or hide ⟦filters⟧⟧ (Alt+1)") == []
    assert unmarked("conv1 3x3, fc2: 0.01 px") == [] and unmarked("<b>⟦Keys⟧</b>") == []
    assert unmarked("⟦epoch 1/4⟧ — stopped") == ["stopped"]
    assert unmarked("run.h5 — cnnviz", data=("run.h5",)) == []


# -- no unmarked text ---------------------------------------------------------------------------------------------

def test_no_visible_text_of_the_shell_is_unmarked(pseudo_window, qtbot):
    w = pseudo_window
    found = {t: unmarked(t) for t in shell_texts(w)}
    assert {t: words for t, words in found.items() if words} == {}
    assert w.open_session(example_session_path())
    name = example_session_path().name
    w.statusBar().clearMessage()
    for key in TASK_KEYS[:-1]:
        w.show_task(key)
        found = {t: unmarked(t, (name, str(example_session_path()))) for t in shell_texts(w)}
        assert {t: words for t, words in found.items() if words} == {}, key
    dialog = ExportDialog(w, w.docks["loss"].windowTitle().lower(), (800, 600))
    qtbot.addWidget(dialog)
    assert {t: unmarked(t) for t in widget_texts(dialog) if unmarked(t)} == {}
    w.show_task("train")
    w.model.seek(w.model.snapshots.steps[2])
    w.fork_action.trigger()  # fork mode: the banner above the form, the Start action, the status bar's note
    assert w.fork.active
    texts = [*widget_texts(w.fork.banner), *shell_texts(w)]
    data = (str(example_session_path().resolve()), name)
    assert {t: unmarked(t, data) for t in texts if unmarked(t, data)} == {}


@pytest.mark.parametrize("key", COVERED_VIEWS)
def test_no_visible_text_of_a_view_is_unmarked(pseudo_window, key):
    w = pseudo_window
    assert w.open_session(example_session_path())
    w.docks[key].show()
    w.docks[key].raise_()
    w.model.redraws.flush()
    view = w.views[key]
    texts = widget_texts(view) + shown_after_actions(key, view)
    assert {t: unmarked(t) for t in texts if unmarked(t)} == {}


def shown_after_actions(key: str, view: QWidget) -> list[str]:
    """The texts a view shows only after an action (hover texts, other choices, graphics items' tooltips)."""
    texts = []
    if key == "loss":
        m = view.model
        for i in range(view.x_axis.count()):  # every x axis' title, and the readout under the mouse on each
            view.x_axis.setCurrentIndex(i)
            texts += [view.accuracy_plot.getAxis("bottom").labelText, view.describe(view.x_of(m, m.n_steps / 2))]
        texts += [t for _, top, bottom in view.event_lines.lines for t in (top.toolTip(), bottom.toolTip())]
        texts += [view.step_lines[0].toolTip(), view.reference.box.toolTip(), view.reference.line.label.toPlainText()]
    if key == "controls":  # the form's own problems and notes (the configuration's rules have their own test)
        view.lr.lineEdit().setText("abc")
        view.momentum.lineEdit().clear()
        view.limit_train.setValue(5000)
        view.validate()
        texts += widget_texts(view)
        view.lr.lineEdit().setText("0.01")
        view.momentum.lineEdit().setText("0.9")
        view.limit_train.setValue(0)
        view.batch_size.setValue(5000)
        while view.add_conv.isEnabled():
            view.add_conv.click()
        texts += widget_texts(view) + [view.add_conv.toolTip()]
        view.source.setCurrentIndex(view.source.findData("folder"))
        texts += widget_texts(view)
    if key == "unit":  # a conv unit of each layer, forward and backward, then a hidden and an output unit
        m = view.model
        for layer in range(view.n_conv):
            m.select(layer=layer, channel=0, pixel=(1, 1))
            for side in (view.scroll, view.back_scroll):
                view.sides.setCurrentWidget(side)
                m.redraws.flush()
                texts += [view.head.text(), view.table.text(), view.foot.text(), view.back.text(), view.status.text(),
                          *(t.text for t in view.titles)]
        for layer in view.kinds()[view.n_conv:]:
            view.show_dense(layer)
            m.redraws.flush()
            texts += [view.head.text(), view.table.text(), view.foot.text(), view.back.text(), view.status.text(),
                      *(t.text for t in view.titles)]
    if key == "predictions":  # an image pointed at, and one chosen (its probabilities' title)
        view.model.select(image=int(view.shown()[0]))
        view.model.redraws.flush()
        view._on_hover(view.scene_pos(1))
        texts += widget_texts(view)
    if key == "confusion":  # a cell pointed at and chosen: its gallery, its images' captions and tooltips
        view._on_hover(view.scene_pos(3, 5))
        view.choose(3, 3)
        texts += widget_texts(view)
        texts += [t for i in range(view.gallery.count())
                  for t in (view.gallery.item(i).text(), view.gallery.item(i).toolTip())]
    if key == "draw":  # a drawing, and what the network says of it
        view.canvas.stroke([(6, 8), (6, 20), (22, 12)])
        view.flush()
        view.model.redraws.flush()
        texts += widget_texts(view)
    if key == "feature_maps":  # a channel enlarged, a value hovered in the mosaic and in the enlarged channel
        for stage in ("u", "p"):
            view.model.select(stage=stage, channel=1)
            view.model.redraws.flush()
            texts += widget_texts(view)
            for box in (view.box, view.zoom):
                hover(box, 1, 1)
                texts.append(view.status.text())
    if key == "pooling":  # a p and an a value hovered, one on an odd edge
        for box, (i, j) in ((view.p, (0, 0)), (view.a, (1, 1)), (view.a, (view.a.shape[0] - 1,) * 2)):
            hover(box, i, j)
            texts.append(view.status.text())
    if key == "filters":  # pinned, one filter's slices enlarged, a weight hovered
        view.pin()
        view.slices_box.setCurrentIndex(view.slices_box.findData("one"))
        view.enlarge(0, 0)
        hover(view.box, 0, 0)
        texts += [*widget_texts(view), view.pin_button.toolTip(), view.status.text()]
        view.show_box.setCurrentIndex(view.show_box.findData("weights"))
        texts += [view.info.text(), view.detail_title.text()]
    if key == "overview":  # every column's hover text, and a conv unit's filter slide
        texts += [view.describe(c, 0, 0, 0) for c in range(len(view.columns))]
        select_unit(view.model, 0, 1, 1, layer=1)
        view.model.redraws.flush()
        texts += widget_texts(view)
    if key == "deltas":  # a delta and a filter gradient hovered, the norms tab
        for box in (view.box, view.grad_box):
            hover(box, 0, 0)
            texts.append(view.status.text())
        view.tabs.setCurrentWidget(view.norms_page)
        view.complete_norms()
        texts += widget_texts(view)
    if key == "probes":  # a row and a cell described, the other order
        view.order_box.setCurrentIndex(1)
        texts += [view.describe(0), view.describe(0, 0), *widget_texts(view)]
    if key == "playground":  # the notes' examples and their answers, values hovered, each kind of refusal
        for button in (view.exercise_buttons[1], view.exercise_buttons[0], view.lecture_button):
            button.click()
            for which, i, j in (("y", 0, 0), ("x", 0, 0), ("padded", 0, 0)):
                view.plot.scene().sigMouseMoved.emit(view.scene_pos(which, i, j))
                texts += [view.status.text()]
            texts += widget_texts(view)
        view.image_box.setCurrentIndex(view.image_box.findData("selected"))
        view.size_box.setValue(7)  # larger than the lecture image: refused with valid padding
        texts += widget_texts(view)
        view.image_box.setCurrentIndex(view.image_box.findData("typed"))
        for typed in ("1 2\n3", "", "1 x", "1 1/0", "1 " * 40):
            view.x_edit.setPlainText(typed)
            texts.append(view.status.text())
        view.table.item(0, 0).setText("")
        texts += widget_texts(view)
    return texts


def hover(box, i: int, j: int) -> None:
    """The mouse over pixel (i, j) of a view's image box."""
    box.vb.scene().sigMouseMoved.emit(box.scene_pos(i, j))


def test_a_remembered_choice_is_the_same_in_every_language(pseudo_window):
    """A combo box with keys (the loss view's x axis) is remembered by its key, not by the words it shows."""
    from cnnviz.gui import memory

    box = pseudo_window.views["loss"].x_axis
    box.setCurrentIndex(1)
    assert box.currentText() == "⟦epoch⟧" and memory.read(box) == "epoch"
    box.setCurrentIndex(0)
    assert memory.write(box, "epoch") and pseudo_window.views["loss"].axis == "epoch"
    assert not memory.write(box, "a week")


def test_no_visible_text_of_the_compare_mode_of_the_training_views_is_unmarked(pseudo_window, tmp_path):
    """The loss view's table and the predictions' choices with a second run compared (a copy of the same one)."""
    w = pseudo_window
    assert w.open_session(example_session_path())
    other = tmp_path / "other.h5"
    shutil.copy(example_session_path(), other)
    w.comparison.add(other)
    w.model.redraws.flush()
    loss, predictions = w.views["loss"], w.views["predictions"]
    texts = widget_texts(loss) + [t for row in loss.table_rows() for t in row[:3]]
    texts += [t for r in range(loss.compare_table.rowCount()) for t in [loss.compare_table.item(r, 0).toolTip()]]
    for mode in ("a", "b"):
        predictions.chooser.set_mode(mode)
        w.model.redraws.flush()
        texts += widget_texts(predictions)
    data = (str(other), other.name, str(example_session_path()), example_session_path().name)
    assert {t: unmarked(t, data) for t in texts if unmarked(t, data)} == {}


def test_no_visible_text_of_the_filters_compare_mode_is_unmarked(pseudo_window, tmp_path):
    """The filters view with a second run compared: run A's, run B's and A − B's filters, their line, a weight
    hovered and a filter enlarged in each."""
    w = pseudo_window
    assert w.open_session(example_session_path())
    other = tmp_path / "other.h5"
    shutil.copy(example_session_path(), other)
    w.comparison.add(other)
    view = w.views["filters"]
    w.docks["filters"].show()
    w.docks["filters"].raise_()
    texts = []
    for mode in ("a", "b", "diff"):
        view.chooser.set_mode(mode)
        w.model.redraws.flush()
        view.enlarge(0, 0)
        hover(view.box, 0, 0)
        texts += [*widget_texts(view), view.status.text(), view.detail_title.text()]
    data = (str(other), other.name, str(example_session_path()), example_session_path().name)
    assert {t: unmarked(t, data) for t in texts if unmarked(t, data)} == {}


def test_no_visible_text_of_the_image_and_layer_choosers_is_unmarked(pseudo_window, qtbot):
    """The boxes that choose the selected image and layer (in the Look-inside views), for a test image and for the
    user's drawing; the message of an image file that cannot be opened."""
    from cnnviz.gui.views.common import ImageChooser, LayerBox
    from cnnviz.gui.views.draw import open_image_in

    w = pseudo_window
    assert w.open_session(example_session_path())
    chooser, layers = ImageChooser(w.model), LayerBox(w.model)
    qtbot.addWidget(chooser)
    qtbot.addWidget(layers)
    texts = widget_texts(chooser) + widget_texts(layers) + [chooser.thumb.toolTip()]
    w.views["draw"].canvas.stroke([(6, 8), (6, 20), (22, 12)])
    w.views["draw"].flush()
    texts += widget_texts(chooser) + [chooser.thumb.toolTip(), chooser.combo.placeholderText()]
    w.show_message = lambda title, text: texts.extend([title, text])
    assert not open_image_in(w, example_session_path())  # not an image
    assert {t: unmarked(t, (str(example_session_path()),)) for t in texts if unmarked(t)} == {}


def test_no_visible_text_of_the_timeline_is_unmarked(pseudo_window):
    w = pseudo_window
    texts = widget_texts(w.timeline)
    assert w.open_session(example_session_path())
    w.model.seek_snapshot(-1)
    texts += widget_texts(w.timeline)
    assert {t: unmarked(t) for t in texts if unmarked(t)} == {}


# -- the language -------------------------------------------------------------------------------------------------

def test_the_window_speaks_japanese_with_the_notes_words(qtbot, language):
    language("ja")
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    assert w.menuBar().actions()[0].text() == "ファイル(&F)"
    assert w.docks["deltas"].windowTitle() == "誤差逆伝播法"
    assert w.step_action.toolTip() == "ミニバッチを1つ学習して一時停止 (F7)"  # the key as it is
    assert [row for row in w.keys() if row[2] == "Ctrl+O"] == [("ファイル", "セッションを開く…", "Ctrl+O")]
    assert i18n.translated(setting_problem("lr", -0.5)) == "学習率は正の数にしてください（-0.5 ではなく）"
    assert setting_problem("lr", -0.5) == "the learning rate must be positive, not -0.5"  # the command line's


def test_compared_runs_are_named_by_their_settings_in_japanese(language):
    """The legend's names and the compare table's columns name the settings in the window's language; the values
    (numbers, option names) stay as they are."""
    configs = [make_config("lecture"), make_config("lecture", lr=0.05, momentum=0.9)]
    assert run_names(configs, ["a.h5", "b.h5"]) == ["lecture", "lr 0.05, momentum 0.9"]
    language("ja")
    assert run_names(configs, ["a.h5", "b.h5"]) == ["lecture", "学習率 0.05, モーメント 0.9"]
    assert [setting_name(k) for k in differing(configs)] == ["学習率", "モーメント"]


def test_the_form_shows_the_configurations_problems_in_japanese(qtbot, language):
    """The rules are the configuration's (Qt-free, English on the command line); the form translates them."""
    language("ja")
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    form = w.controls
    form.lr.setValue(0.0)
    assert form.errors()["lr"] == "学習率は正の数にしてください（0 ではなく）。"
    form.lr.setValue(0.01)
    form.fc.setText("100,abc")
    assert form.errors()["fc"] == "100,200 のようにコンマで区切った整数を入力してください（'100,abc' ではなく）。"
    form.fc.setText("100")
    form.add_conv.click()
    form.add_conv.click()
    for row in form.conv_rows:  # pooled 28 -> 14 -> 7 -> 3: conv4's 5x5 filter does not fit its 3x3 input
        row.size.setValue(5)
    assert form.errors()["conv4"] == "conv4: 5x5 のフィルタは same パディングの 3x3 の入力に収まりません。"


def test_a_session_that_cannot_be_opened_is_one_sentence_in_japanese(qtbot, language, tmp_path):
    language("ja")
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    (tmp_path / "empty.h5").write_bytes(b"")
    assert not w.open_session(tmp_path / "empty.h5")
    assert w.message_box.windowTitle() == "セッションを開けません"
    assert w.last_message == f"{tmp_path / 'empty.h5'} は空で、cnnviz のセッションファイルではありません。"


def test_the_divergence_dialog_speaks_japanese(qtbot, language):
    """The trainer's sentence (Qt-free, English in the session file) is translated in the dialog."""
    from cnnviz.errors import Text
    from cnnviz.gui.dialogs import DivergedDialog
    from cnnviz.records import EventRecord

    language("ja")
    problem = Text("Training", "the loss became {loss} at step {step} (learning rate {lr}); the update was not "
                   "applied", loss=float("nan"), step=41, lr="0.5")
    event = EventRecord(40, "error", message=Text("Training", "{problem}. Roll back to an earlier snapshot with a "
                                                  "lower learning rate, or stop.", problem=problem))
    assert str(event.message).startswith("the loss became nan at step 41 (learning rate 0.5); the update")
    dialog = DivergedDialog(None, event, 30, 0.5)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "誤差が NaN になりました"
    assert dialog.text.text().startswith("ステップ 41 で誤差が nan になりました（学習率 0.5）。この更新は適用していません。\n\n")
    assert "ステップ 30 のパラメータ" in dialog.text.text() and dialog.lr.text() == "0.05"


def test_the_language_comes_from_the_command_line_then_the_menu_then_the_system(qtbot, monkeypatch):
    s = settings()
    monkeypatch.setattr(i18n, "system_language", lambda: "ja")
    assert i18n.chosen_language(None, s) == "ja"
    s.setValue(i18n.SETTING, "en")
    assert i18n.chosen_language(None, s) == "en"
    assert i18n.chosen_language("ja", s) == "ja"
    s.setValue(i18n.SETTING, "klingon")  # an edited settings file: the system's
    assert i18n.chosen_language(None, s) == "ja"


def test_view_language_is_remembered_for_the_next_start(qtbot, monkeypatch):
    monkeypatch.setattr(i18n, "japanese_font", lambda: True)
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]))
    qtbot.addWidget(w)
    names = [a.text() for a in w.language_menu.actions()]
    assert names == ["English", "日本語"] and w.language_menu.actions()[0].isChecked()
    w.language_menu.actions()[1].trigger()
    assert settings().value(i18n.SETTING) == "ja"
    assert "next start" in w.statusBar().currentMessage()  # in the language it speaks now
    try:
        assert i18n.start(None, settings()) and i18n.language() == "ja"
        w2 = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]))
        qtbot.addWidget(w2)
        assert w2.menuBar().actions()[0].text() == "ファイル(&F)" and w2.language_menu.actions()[1].isChecked()
    finally:
        i18n.uninstall()


def test_without_a_japanese_font_the_window_stays_english_and_says_so_once(qtbot, monkeypatch):
    monkeypatch.setattr(i18n, "japanese_font", lambda: False)
    s = settings()
    s.setValue(i18n.SETTING, "ja")
    assert not i18n.start(None, s) and i18n.language() == "en"
    assert i18n.tell_no_font(None, s)  # the first time
    assert not i18n.tell_no_font(None, s)  # never again on its own
    assert i18n.tell_no_font("ja", s)  # but whenever the command line asks for Japanese
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample"]), remember=False)
    qtbot.addWidget(w)
    w.tell_no_japanese_font()
    assert w.message_box.text() == i18n.NO_FONT and "fonts-noto-cjk" in i18n.NO_FONT
    assert w.menuBar().actions()[0].text() == "&File"


def test_the_window_asked_for_japanese_without_a_font_says_so_and_speaks_english(qapp, monkeypatch):
    """``cnnviz --lang ja`` where no font has Japanese glyphs: the window opens in English with the one message."""
    from PySide6.QtCore import QTimer

    from cnnviz.gui.main import main

    monkeypatch.setattr(i18n, "japanese_font", lambda: False)
    seen = {}

    def look():
        w = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        seen.update(menu=w.menuBar().actions()[0].text(), message=w.last_message)
        w.close()
        w.deleteLater()

    QTimer.singleShot(0, look)
    assert main(["--lang", "ja", "--no-session", "--data", "sample"]) == 0
    assert seen == {"menu": "&File", "message": i18n.NO_FONT}


def test_a_bad_language_on_the_command_line_is_one_line_and_status_2():
    for argv in (["--lang", "fr"], ["render", "x.h5", "--out", "x.png", "--lang", "fr"]):
        out = subprocess.run([sys.executable, "-m", "cnnviz", *argv], capture_output=True, text=True, timeout=60)
        assert out.returncode == 2 and out.stdout == "", argv
        assert out.stderr.count("\n") == 1 and "--lang" in out.stderr and "'fr'" in out.stderr, out.stderr


def test_render_draws_the_window_in_japanese(tmp_path, monkeypatch):
    from PySide6.QtGui import QImage

    from cnnviz.gui.render import RenderError, render

    monkeypatch.setattr(i18n, "japanese_font", lambda: False)
    with pytest.raises(RenderError, match="fonts-noto-cjk"):
        render(example_session_path(), tmp_path / "none.png", lang="ja", size="800x600")
    monkeypatch.setattr(i18n, "japanese_font", lambda: True)  # glyphs or not, the text differs
    en = render(example_session_path(), tmp_path / "en.png", size="800x600")
    ja = render(example_session_path(), tmp_path / "ja.png", lang="ja", size="800x600")
    assert QImage(str(en)) != QImage(str(ja)) and i18n.language() == "en"  # English again afterwards
