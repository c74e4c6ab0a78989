"""The Qt-free layers' sentences in the window's language (issue 24): the data's, the session reader's and writer's,
a fork's notes. Each is a :class:`cnnviz.errors.Text`: the Japanese window shows it in Japanese, its ``str()`` (the
command line's) stays English."""

from __future__ import annotations

import shutil

import h5py
import pytest

from cnnviz.config import fork_config, make_config
from cnnviz.data import example_session_path, find_mnist, load_data
from cnnviz.errors import ConfigError, DataError, SessionError, joined
from cnnviz.fork import resume_from
from cnnviz.gui import i18n
from cnnviz.gui.app import MainWindow
from cnnviz.gui.fork import data_problem
from cnnviz.gui.workspace import build_parser
from cnnviz.session import SessionReader
from tests.gui.helpers import fill_the_disk_after


def window(qtbot, *options: str) -> MainWindow:
    w = MainWindow(build_parser().parse_args(["--no-session", "--data", "sample", *options]), remember=False)
    qtbot.addWidget(w)
    return w


def test_a_bad_data_folder_in_the_form_is_said_in_japanese(qtbot, language, tmp_path):
    language("ja")
    form = window(qtbot).controls
    form.source.setCurrentIndex(form.source.findData("folder"))
    form.folder.setText(str(tmp_path / "gone"))
    assert form.errors()["data"] == f"{tmp_path / 'gone'} はフォルダではありません。"
    form.folder.setText(str(tmp_path))
    assert form.errors()["data"] == (f"{tmp_path} に train-images-idx3-ubyte.gz がありません（train-images-idx3-ubyte、"
                                     "train-images.idx3-ubyte.gz、train-images.idx3-ubyte もありません）。")
    with pytest.raises(DataError) as refused:  # the command line's sentence
        find_mnist(tmp_path / "gone")
    assert str(refused.value) == f"{tmp_path / 'gone'} is not a directory."


def test_a_damaged_session_is_said_in_japanese(qtbot, language, tmp_path):
    """A value the type and shape checks pass but that cannot be right (an accuracy of 7.5): the reader's value rule
    (cnnviz.session.values) and what the value must be, both translated."""
    path = tmp_path / "damaged.h5"
    shutil.copy(example_session_path(), path)
    with h5py.File(path, "r+") as f:
        f["metrics/accuracy"][0] = 7.5
    language("ja")
    w = window(qtbot)
    assert not w.open_session(path)
    assert w.message_box.windowTitle() == "セッションを開けません"
    assert w.last_message == f"{path} は壊れています: /metrics/accuracy の 0 行目が 7.5 で、0 から 1 までの割合ではありません。"
    english = f"{path} is damaged: /metrics/accuracy holds 7.5 at row 0, not a fraction between 0 and 1."
    assert str(w.workspace.last_said) == english  # what cnnviz render --lang ja prints on the command line
    with pytest.raises(SessionError) as refused, SessionReader(path) as reader:
        reader.metrics()
    assert str(refused.value) == english


def test_a_forks_notes_and_refusals_are_said_in_japanese(language, tmp_path):
    language("ja")
    gone = tmp_path / "gone"
    problem = data_problem(str(gone))  # the banner's refusal where the parent's data folder is gone
    assert i18n.translated(problem) == f"親の学習のデータが見つからないので、ここでは続けられません: {gone} はフォルダではありません。"
    assert problem == f"The parent run's data cannot be found, so it cannot be continued here: {gone} is not a directory."
    with pytest.raises(ConfigError) as refused:  # the banner's refusal of a setting a fork keeps
        fork_config(make_config(), seed=5)
    assert i18n.translated(refused.value.args[0]) == "続きの学習は親の学習のシード（0）を引き継ぎます: 5 にはできません"
    assert str(refused.value) == "a fork keeps its parent's seed (0); it cannot become 5"
    data, name = load_data("sample"), example_session_path().name  # a session that records no digest of its data
    notes = resume_from(example_session_path(), data=data).start.notes
    fork_event = joined(notes, " ")  # the fork event's message: the loss view's tooltip translates it
    assert i18n.translated(fork_event).startswith(f"{name}（")
    assert i18n.translated(fork_event).endswith(f"{name} にはデータのダイジェストが記録されていません（古い cnnviz が"
                                                f"書いたファイルです）: {data.source} が学習に使われたデータかどうかは"
                                                "確かめられません。")
    assert fork_event.startswith(f"Continued from step 120 of {name} (created ")
    assert fork_event.endswith(f"{name} records no digest of its data (an older cnnviz wrote it): whether "
                               f"{data.source} is the data it was trained on cannot be checked.")


def test_a_full_disk_is_said_in_japanese(qtbot, language, tmp_path, monkeypatch):
    """The writer's failure and what the file holds, translated; the system's own words (strerror) as they are."""
    fill_the_disk_after(monkeypatch, 5)
    language("ja")
    args = build_parser().parse_args(["--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2",
                                      "--fc", "8", "--batch-size", "50", "--snapshot-every", "2", "--out",
                                      str(tmp_path / "run.h5")])
    w = MainWindow(args, remember=False)
    qtbot.addWidget(w)
    w.start_run()
    qtbot.waitUntil(lambda: w.message_box is not None, timeout=10_000)
    box = w.message_box
    assert box.windowTitle() == "セッションを保存できません"
    assert box.text().startswith(f"セッションファイル {w.session_path} の書き込み中のエラー: No space left on device。 "
                                 f"セッション {w.session_path} にはステップ 1..")
    assert box.text().endswith("が入っています。中断された学習として開きます。")
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
