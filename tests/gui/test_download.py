"""Downloading a data set from the window (a local HTTP server, never the internet), and class names in the views."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from cnnviz import data
from cnnviz.datasets import DATASETS, user_cache_dir
from cnnviz.gui.download import DownloadDialog
from cnnviz.gui.views.controls import ControlsView
from cnnviz.gui.views.predictions import PredictionsView
from tests.gui.helpers import fed_model, run_records, shown
from tests.httpserver import SlowHandler, closed_port_url, no_proxy, serving
from tests.test_datasets import FASHION, fake_entry, small_set


@pytest.fixture
def server(tmp_path, monkeypatch):
    """The URL of a local server of a small data set at /good/ (served slowly at /slow/), standing for Fashion-MNIST;
    the user cache in tmp_path."""
    no_proxy(monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    root = tmp_path / "www"
    small_set(root / "good")
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", ()))
    with serving(root / "good") as (good, _), serving(root / "good", SlowHandler) as (slow, _):
        yield {"good": good + "/", "slow": slow + "/"}


def test_the_dialog_downloads_with_progress(qtbot, server, tmp_path):
    """The server sends once the dialog is on the screen: a first poll of the bar that came after the whole
    download (a GUI thread slow to show the dialog) saw only the end (it took 4 s after tests whose windows were
    left alive, before each test's windows were deleted after it)."""
    held = type("HeldHandler", (SlowHandler,), {"go": threading.Event()})
    with serving(tmp_path / "www" / "good", held) as (url, _):
        dialog = DownloadDialog("fashion-mnist", mirrors=[url + "/"])
        qtbot.addWidget(dialog)
        fractions = []
        dialog.bar.valueChanged.connect(lambda _: fractions.append(dialog.fraction()))
        with qtbot.waitSignal(dialog.downloaded, timeout=20000) as signal:
            with qtbot.waitExposed(dialog):
                dialog.start()
            assert dialog.isVisible() and "Fashion-MNIST" in dialog.windowTitle()
            held.go.set()
    dest = user_cache_dir("fashion-mnist")
    assert signal.args == [str(dest)] and dialog.result_dir == dest
    assert fractions == sorted(fractions) and 0 < fractions[0] < 1 and fractions[-1] == 1.0 and len(fractions) >= 4  # 64 KB chunks
    assert not dialog.isVisible()
    assert data.load_data("fashion-mnist").class_names == FASHION


def test_cancel_leaves_no_partial_file(qtbot, server):
    dialog = DownloadDialog("fashion-mnist", mirrors=[server["slow"]])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.fraction() > 0.05, timeout=10000)  # in the middle of the first file
    with qtbot.waitSignal(dialog.cancelled, timeout=10000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        assert dialog.file_label.text() == "cancelling…"
    assert not dialog.isVisible() and not dialog.running()
    assert list(user_cache_dir("fashion-mnist").iterdir()) == []  # neither the file nor its .part


def test_a_failed_download_is_one_sentence_in_the_form(qtbot, server):
    form = ControlsView(None)
    qtbot.addWidget(form)
    form.show()
    form.download_mirrors = [closed_port_url()]
    form.source.setCurrentIndex(form.source.findData("fashion-mnist"))
    assert form.source.currentText() == "Fashion-MNIST (download…)"
    assert form.download_button.isVisible() and form.download_button.text() == "Download Fashion-MNIST…"
    assert form.errors()["data"] == ("Fashion-MNIST is not on this computer yet: press Download Fashion-MNIST…, or "
                                     "choose the sample.")
    assert not form.is_valid()
    with qtbot.waitSignal(form.download_button.clicked):
        form.download_button.click()
    qtbot.waitUntil(lambda: form.download_dialog is None, timeout=10000)
    message = form.errors()["data"]
    assert message.startswith("Could not download a valid train-images-idx3-ubyte.gz from any mirror: http://127.0.0.1:")
    assert message.endswith("Press Download Fashion-MNIST… to try again, or choose the sample.")
    assert "\n" not in message


def test_the_form_downloads_the_chosen_data_set_and_trains_on_it(qtbot, server):
    form = ControlsView(None)
    qtbot.addWidget(form)
    form.show()
    form.download_mirrors = [server["good"]]
    form.source.setCurrentIndex(form.source.findData("fashion-mnist"))
    form.download_button.click()
    qtbot.waitUntil(lambda: form.download_dialog is None, timeout=20000)
    dest = user_cache_dir("fashion-mnist")
    assert form.source.currentText() == "Fashion-MNIST (on disk)" and not form.download_button.isVisible()
    assert form.folder.text() == str(dest) and form.is_valid()
    spec = form.data_spec()
    assert spec.source == str(dest)
    assert spec.load().class_names == FASHION
    form.set_running(True)
    assert not form.source.isEnabled() and not form.download_button.isVisible()


def test_predictions_show_the_runs_class_names(qtbot):
    data_, records = run_records(200, 60, eval_every=2)
    records[0] = dataclasses.replace(records[0], class_names=FASHION)
    view = shown(qtbot, PredictionsView(fed_model(data_, records)))
    short = DATASETS["fashion-mnist"].short_names
    ev = view.evaluation()
    i = int(view.shown()[0])
    assert view._captions[0][0] == short[ev.predicted[i]]  # a name alone: the probability is in the bars
    view.model.select(image=i)
    assert view.bar_title() == f"#{i + 1}, label {FASHION[data_.test_labels[i]]} (step {ev.step})"
    # the class axis: the short names where they fit, else three letters, else the numbers
    view.resize(1600, 450)
    qtbot.waitUntil(lambda: view._ticks == short)
    assert view.bar_plot.getAxis("bottom")._tickLevels[0] == list(enumerate(short))
    view.resize(600, 450)
    qtbot.waitUntil(lambda: view._ticks != short)
    assert view._ticks in (tuple(n[:3] for n in short), tuple("0123456789"))


def test_an_old_runs_predictions_are_digits(qtbot):
    data_, records = run_records(200, 60, eval_every=2)
    view = shown(qtbot, PredictionsView(fed_model(data_, records)))
    ev = view.evaluation()
    i = int(view.shown()[0])
    assert view._ticks == tuple("0123456789")
    assert view._captions[0][0] == f"{ev.predicted[i]} {100 * ev.confidence[i]:.0f}%"


def test_kmnist_names_are_hiragana_or_romaji_without_a_japanese_font(qtbot):
    from PySide6.QtGui import QFontDatabase

    data_, records = run_records(200, 60, eval_every=2)
    records[0] = dataclasses.replace(records[0], class_names=DATASETS["kmnist"].class_names)
    view = shown(qtbot, PredictionsView(fed_model(data_, records)))
    japanese = bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))
    assert view.class_names == (DATASETS["kmnist"].class_names if japanese else
                                ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"))
    ev = view.evaluation()
    i = int(view.shown()[0])
    assert view._captions[0][0] == f"{view.short_names[ev.predicted[i]]} {100 * ev.confidence[i]:.0f}%"


def test_quitting_mid_download_stops_it_and_leaves_no_partial_file(qtbot, server):
    from PySide6.QtWidgets import QApplication

    dialog = DownloadDialog("fashion-mnist", mirrors=[server["slow"]])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.fraction() > 0.05, timeout=10000)
    QApplication.instance().aboutToQuit.emit()  # what QApplication.quit() sends before the event loop ends
    assert not dialog.running()
    assert list(user_cache_dir("fashion-mnist").iterdir()) == []
