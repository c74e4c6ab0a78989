"""What cannot be read of a session, or is missing from it, in the window and in ``cnnviz render``: a session with
evaluations but no snapshots renders (it crashed with status 139); a damaged snapshot or evaluation is one message
in the window (also when the file is the compared run), the nearest readable one standing in, with no loop of
tracebacks (about 90 a second before); render draws no picture of a step it cannot show (status 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import pytest

from cnnviz.errors import SessionError, UserError
from cnnviz.gui.series import Series
from cnnviz.records import SnapshotRecord
from tests.gui.helpers import run_records, write_session


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> dict[str, Path]:
    """A run whose fc1 is large enough to be stored compressed (conv 2, fc 100, 10: fc1.W is 100 x 392), snapshots
    at steps 0, 2 and 4, evaluations at 2 and 4; and three damaged copies of it."""
    root = tmp_path_factory.mktemp("damaged")
    _, records = run_records(n_train=200, n_test=60, conv=(2,), fc=(100, 10), eval_every=2)
    full = write_session(root / "full.h5", records)
    no_snapshots = write_session(root / "no-snapshots.h5", [r for r in records if not isinstance(r, SnapshotRecord)])
    corrupt = root / "corrupt.h5"
    shutil.copy(full, corrupt)
    with h5py.File(corrupt, "r") as f:  # one byte inside the compressed chunk of snapshot 1's fc1/W
        ds = f["params/fc1/W"]
        assert ds.compression == "gzip"
        info = next(ds.id.get_chunk_info(k) for k in range(ds.id.get_num_chunks())
                    if ds.id.get_chunk_info(k).chunk_offset[0] == 1)
    with open(corrupt, "r+b") as fh:
        fh.seek(info.byte_offset + info.size // 2)
        byte = fh.read(1)[0]
        fh.seek(info.byte_offset + info.size // 2)
        fh.write(bytes([byte ^ 0xFF]))
    wrong_class = root / "wrong-class.h5"
    shutil.copy(full, wrong_class)
    with h5py.File(wrong_class, "r+") as f:
        f["predictions/predicted"][1, 3] = 200  # the evaluation at step 4: a class of 10 classes
    return {"full": full, "no snapshots": no_snapshots, "corrupt": corrupt, "wrong class": wrong_class}


def render(session: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnnviz", "render", str(session), "--out", str(out), *options],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("view", ["window", "confusion", "predictions"])
def test_a_session_with_evaluations_but_no_snapshots_renders(sessions, tmp_path, view):
    done = render(sessions["no snapshots"], tmp_path / "x.png", "--view", view)
    assert (done.returncode, done.stdout.strip()) == (0, f"wrote {tmp_path / 'x.png'}"), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("name", "options", "words"), [
    ("wrong class", ["--view", "predictions", "--step", "4"], "/predictions/predicted row 1 holds classes outside "
                                                             "the 10 classes"),
    ("corrupt", ["--view", "filters", "--step", "2"], "snapshot 1 cannot be read"),
    ("full", ["--view", "loss", "--compare", "CORRUPT"], "corrupt.h5 is damaged: snapshot 1 cannot be read"),
    ("full", ["--data", "/nonexistent"], "/nonexistent is not a directory"),
])
def test_render_draws_no_picture_of_what_it_cannot_show(sessions, tmp_path, name, options, words):
    options = [str(sessions["corrupt"]) if o == "CORRUPT" else o for o in options]
    done = render(sessions[name], tmp_path / "x.png", *options)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1), done.stderr
    assert done.stderr.startswith("cnnviz: ") and words in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def make_window(qtbot):
    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.workspace import build_parser

    def make() -> MainWindow:
        window = MainWindow(build_parser().parse_args(["--no-session"]), remember=False)
        qtbot.addWidget(window)
        window.show()
        return window
    return make


def open_window(qtbot, make_window, path: Path, compare: Path | None = None):
    window = make_window()
    said = []
    window.workspace.message.connect(lambda title, text, details: said.append((title, text)))
    assert window.workspace.open(str(path))
    if compare is not None:
        assert window.workspace.compare(str(compare))
    return window, said


@pytest.mark.parametrize("compared", [False, True])
def test_a_damaged_snapshot_is_one_message_and_the_rest_of_the_run_stays_usable(sessions, qtbot, make_window,
                                                                               compared):
    main, other = (sessions["full"], sessions["corrupt"]) if compared else (sessions["corrupt"], None)
    window, said = open_window(qtbot, make_window, main, other)
    model = window.model
    for step in (2, 3, 0, 4, 2):  # the views, the levels and the redraws read snapshot 1 again and again
        model.seek(step)
        qtbot.waitUntil(lambda: not model.redraws.waiting, timeout=10_000)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == [("Part of the session cannot be read",
                     f"{sessions['corrupt']} is damaged: snapshot 1 cannot be read (Can't synchronously read data "
                     "(filter returned failure during read)): the nearest snapshot or evaluation that can be is "
                     "shown in its place.")]
    damaged = window.workspace.comparison.runs[0].model if compared else model
    assert list(damaged.snapshots.damaged) == [1]
    assert damaged.snapshots[1].step == 0  # snapshot 0 stands in for it
    model.seek(4)
    assert model.snapshot().step == 4 and model.evaluation().step == 4  # the rest is shown as it is


def test_a_series_tries_a_damaged_record_once():
    loads, told = [], []

    def load(i):
        loads.append(i)
        if i == 1:
            raise SessionError("run.h5 is damaged: snapshot 1 cannot be read.")
        return f"record {i}"

    series = Series(cache=1)
    series.on_damage = lambda i, text: told.append((i, text))
    series.extend_lazy([0, 2, 4], load)
    assert [series[1], series[1], series[2], series[1]] == ["record 0", "record 0", "record 2", "record 0"]
    assert told == [(1, "run.h5 is damaged: snapshot 1 cannot be read.")] and loads.count(1) == 1
    assert series.damaged == {1: "run.h5 is damaged: snapshot 1 cannot be read."}
    only = Series()
    only.extend_lazy([0], load)
    only._load = lambda i: load(1)
    with pytest.raises(UserError, match="snapshot 1 cannot be read"):
        only[0]  # nothing readable stands in


def test_a_picture_that_cannot_be_written_is_one_line_with_the_systems_reason(sessions, tmp_path):
    """The PNG may not grow beyond 1,000 bytes (RLIMIT_FSIZE, as a full disk would refuse it): libpng's own "Write
    Error" line and "cannot be written" without a reason before; now one line with the system's reason."""
    import resource
    import signal

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    out = tmp_path / "x.png"
    done = subprocess.run([sys.executable, "-m", "cnnviz", "render", str(sessions["full"]), "--view", "loss", "--out",
                           str(out)], capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"cnnviz: {out} cannot be written (File too "
                                                                  "large)\n")
    assert list(tmp_path.iterdir()) == []
