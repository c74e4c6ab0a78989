"""``cnnviz render``: a PNG of the window or of one view of a session at one position, through the command line;
every mistake is one line and status 2, and no file is written or replaced."""

from __future__ import annotations

import gc
import itertools
import subprocess
import sys

import h5py
import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from cnnviz.cli import main
from cnnviz.data import example_session_path
from cnnviz.session import SessionError, SessionReader

EXAMPLE = example_session_path()


def render(tmp_path, name: str, *options: str, session=EXAMPLE) -> int:
    return main(["render", str(session), "--out", str(tmp_path / name), *options])


def pixels(path) -> np.ndarray:
    """The PNG's pixels as (height, width, 4) RGBA."""
    image = QImage(str(path))
    assert not image.isNull(), path
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, :4 * image.width()].reshape(image.height(), image.width(), 4).copy()


@pytest.fixture(scope="module")
def snapshot_steps(tiny_session):
    with SessionReader(tiny_session) as r:
        return r.snapshot_steps.tolist()


@pytest.mark.parametrize("view, options, size", [  # size None: the default
    ("window", ["--step", "-1"], None),
    ("loss", ["--snapshot", "2"], (700, 500)),
    ("filters", ["--snapshot", "3", "--layer", "conv2"], (640, 480)),
    ("feature_maps", ["--step", "40", "--image", "7", "--layer", "conv2"], (800, 500)),
    ("pooling", ["--snapshot", "-1"], (700, 450)),
    ("predictions", [], None),
])
def test_each_view_of_the_example_session_is_written_at_its_size(qapp, tmp_path, capsys, view, options, size):
    out = tmp_path / f"{view}.png"
    requested = ["--size", f"{size[0]}x{size[1]}"] if size else []
    size = size or ((1600, 1000) if view == "window" else (900, 620))
    assert render(tmp_path, out.name, "--view", view, *requested, *options) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    image = QImage(str(out))
    assert not image.isNull() and (image.width(), image.height()) == size
    drawn = pixels(out)
    assert len(np.unique(drawn.reshape(-1, 4), axis=0)) > 20  # something was drawn, not a blank page
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left


def test_a_comparison_leaves_the_menu_bar_as_it_is(qapp, tmp_path, tiny_session):
    """The menu bar's corner is the same with and without a session compared: no dock tab bar of an earlier
    arrangement is left drawn over it."""
    assert render(tmp_path, "alone.png", session=tiny_session) == 0
    assert render(tmp_path, "compared.png", "--compare", str(EXAMPLE), session=tiny_session) == 0
    corner = np.s_[:24, :160]
    assert np.array_equal(pixels(tmp_path / "alone.png")[corner], pixels(tmp_path / "compared.png")[corner])


def test_a_step_between_snapshots_shows_the_snapshot_at_or_before_it(qapp, tmp_path, tiny_session, snapshot_steps):
    i = next(i for i, (a, b) in enumerate(itertools.pairwise(snapshot_steps)) if b - a > 1)
    step = snapshot_steps[i]
    for name, options in [("snapshot", ["--snapshot", str(i)]), ("own-step", ["--step", str(step)]),
                          ("between", ["--step", str(step + 1)]), ("next", ["--snapshot", str(i + 1)]),
                          ("last", ["--step", "-1"]), ("last-snapshot", ["--snapshot", "-1"])]:
        for view in ("filters", "feature_maps"):
            assert render(tmp_path, f"{view}-{name}.png", "--view", view, "--size", "640x480", *options,
                          session=tiny_session) == 0
    for view in ("filters", "feature_maps"):
        snapshot = pixels(tmp_path / f"{view}-snapshot.png")
        np.testing.assert_array_equal(pixels(tmp_path / f"{view}-own-step.png"), snapshot)
        np.testing.assert_array_equal(pixels(tmp_path / f"{view}-between.png"), snapshot)
        assert not np.array_equal(pixels(tmp_path / f"{view}-next.png"), snapshot)  # the comparison can fail
        np.testing.assert_array_equal(pixels(tmp_path / f"{view}-last.png"),
                                      pixels(tmp_path / f"{view}-last-snapshot.png"))


def mistakes(tmp_path, snapshot_steps) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments after the session, a part of the one line expected)."""
    n, last = len(snapshot_steps), snapshot_steps[-1]
    f = ["--view", "filters"]
    return {
        "step after the run": ([*f, "--step", str(last + 1)], f"--step {last + 1} is outside the run"),
        "negative step": ([*f, "--step", "-2"], "--step -2 is outside the run"),
        "snapshot after the last": ([*f, "--snapshot", str(n)], f"--snapshot {n} does not exist"),
        "snapshot before the first": (["--snapshot", str(-n - 1)], f"--snapshot {-n - 1} does not exist"),
        "step and snapshot": (["--step", "5", "--snapshot", "1"], "not allowed with argument"),
        "unknown view": (["--view", "histogram"], "argument --view: invalid choice: 'histogram'"),
        "size not WxH": (["--size", "big"], "--size must be WIDTHxHEIGHT"),
        "size too small to read": (["--size", "10x10"], "--size must be between"),
        "window too small": (["--size", "300x200"], "--size 300x200 is too small for the window"),
        "view too small": (["--view", "loss", "--size", "200x150"], "--size 200x150 is too small for the loss"),
        "no such layer": (["--view", "filters", "--layer", "conv3"], "--layer must be one of conv1, conv2"),
        "not a layer name": (["--view", "filters", "--layer", "fc1"], "not 'fc1'"),
        "image not at hand": (["--view", "feature_maps", "--image", "100"], "--image 100 is not at hand"),
        "negative image": (["--view", "feature_maps", "--image", "-1"], "--image -1 is not at hand"),
    }


def test_mistakes_are_one_line_and_status_2(qapp, tmp_path, capsys, tiny_session, snapshot_steps):
    for name, (options, expected) in mistakes(tmp_path, snapshot_steps).items():
        out = tmp_path / "figure.png"
        assert render(tmp_path, out.name, *options, session=tiny_session) == 2, name
        captured = capsys.readouterr()
        assert captured.out == "", name
        assert captured.err.count("\n") == 1 and captured.err.startswith("cnnviz"), (name, captured.err)
        assert expected in captured.err and "Traceback" not in captured.err, (name, captured.err)
        assert list(tmp_path.iterdir()) == [], name  # nothing written, no temporary file left


def test_a_bad_session_is_refused_with_the_readers_sentence(qapp, tmp_path, capsys):
    notes = tmp_path / "notes.h5"
    notes.write_text("not a session\n")
    with pytest.raises(SessionError) as refused:
        SessionReader(notes)
    for session, expected in [(notes, str(refused.value)), (tmp_path / "nowhere.h5", "does not exist")]:
        assert main(["render", str(session), "--out", str(tmp_path / "figure.png")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expected in err and "Traceback" not in err, err
        assert not (tmp_path / "figure.png").exists()


def test_an_existing_file_is_never_replaced(qapp, tmp_path, capsys, tiny_session):
    out = tmp_path / "figure.png"
    out.write_bytes(b"my figure")
    before = out.stat().st_mtime_ns
    for view in ("window", "filters"):
        assert render(tmp_path, out.name, "--view", view, session=tiny_session) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{out} exists" in err and "Traceback" not in err, err
        assert out.read_bytes() == b"my figure" and out.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def open_files() -> set[str]:
    """The HDF5 files this process holds open."""
    return {i.name.decode() for i in h5py.h5f.get_obj_ids(types=h5py.h5f.OBJ_FILE)}


@pytest.mark.parametrize("view", ["loss", "window"])
def test_a_mistake_found_once_the_views_exist_leaves_no_widget_and_no_open_file(qapp, tmp_path, capsys, tiny_session,
                                                                              view):
    """A step outside the run is found after the views are made: they are deleted, the sessions closed."""
    before = set(QApplication.topLevelWidgets())
    assert render(tmp_path, "figure.png", "--view", view, "--step", "9999", "--compare", str(EXAMPLE),
                  session=tiny_session) == 2
    assert "--step 9999 is outside the run" in capsys.readouterr().err
    gc.collect()  # pyqtgraph's menus are top-level widgets, freed with the cycles of its items
    assert set(QApplication.topLevelWidgets()) <= before
    assert not open_files() & {str(tiny_session), str(EXAMPLE)}


@pytest.mark.parametrize("options", [
    ["--view", "loss", "--step", "99999"],  # found once the views exist: the exit crashed (139), 4 runs in 4
    ["--view", "loss", "--compare", "TINY", "--compare-mode", "a-b"],  # found before Qt starts
])
def test_the_command_exits_with_status_2_after_its_one_line(tmp_path, tiny_session, options):
    options = [str(tiny_session) if o == "TINY" else o for o in options]
    done = subprocess.run([sys.executable, "-m", "cnnviz", "render", str(EXAMPLE), "--out", str(tmp_path / "x.png"),
                           *options], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1), done.stderr
    assert not (tmp_path / "x.png").exists()
