"""The ``cnnviz`` command with standard streams that cannot be written or are closed, and Ctrl-C while it starts:
one line where something must be said, never a traceback, and a run that goes on when only its messages fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz.session import SessionReader

TRAIN = ["train", "--data", "sample", "--limit-train", "100", "--limit-test", "20", "--conv", "2", "--fc", "8",
         "--epochs", "1", "--threads", "1"]
ROOT = Path(__file__).parent.parent


def cnnviz(*args: str, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close: tuple[int, ...] = ()):
    """``python -m cnnviz ARGS`` (the installed command's entry point), with file descriptors ``close`` closed."""
    def closing() -> None:
        for fd in close:
            os.close(fd)
    return subprocess.run([sys.executable, "-m", "cnnviz", *args], stdout=stdout, stderr=stderr, text=True,
                          cwd=ROOT, timeout=300, preexec_fn=closing if close else None)  # noqa: PLW1509


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("streams") / "run.h5"
    assert cnnviz(*TRAIN, "--out", str(path), "--quiet").returncode == 0
    return path


def status_of(path: Path) -> str:
    with SessionReader(path) as reader:
        return reader.status


@pytest.mark.parametrize("command", ["info", "predict", "train"])
def test_standard_output_on_a_full_disk_is_one_line(session, tmp_path, command):
    args = {"info": ["info", str(session)], "predict": ["predict", str(session)],
            "train": [*TRAIN, "--out", str(tmp_path / "full.h5"), "--quiet", "--json"]}[command]
    with open("/dev/full", "w") as full:
        done = cnnviz(*args, stdout=full)
    assert done.returncode == 1 and done.stderr == "cnnviz: cannot write to standard output (No space left on " \
                                                   "device).\n", done.stderr
    if command == "train":
        assert status_of(tmp_path / "full.h5") == "complete"  # the run itself was fine


@pytest.mark.parametrize("command", ["train", "export", "info"])
def test_closed_standard_streams_are_the_null_device(session, tmp_path, command):
    args = {"train": [*TRAIN, "--out", str(tmp_path / "closed.h5")], "info": ["info", str(session)],
            "export": ["export", str(session), "--csv", str(tmp_path / "csv")]}[command]
    done = cnnviz(*args, stdout=None, stderr=None, close=(1, 2))
    assert done.returncode == 0
    if command == "train":
        assert status_of(tmp_path / "closed.h5") == "complete"
    if command == "export":
        assert (tmp_path / "csv" / "metrics.csv").is_file()


def test_standard_error_on_a_full_disk_never_ends_a_run(tmp_path):
    with open("/dev/full", "w") as full:
        done = cnnviz(*TRAIN, "--out", str(tmp_path / "run.h5"), stderr=full)
    assert done.returncode == 0 and "test accuracy" in done.stdout
    assert status_of(tmp_path / "run.h5") == "complete"


def test_a_reader_that_goes_away_is_not_a_failed_run(tmp_path):
    """``cnnviz train ... 2>&1 | head -2``: the messages go nowhere once head has its lines; the run completes."""
    path = tmp_path / "run.h5"
    train = subprocess.Popen([sys.executable, "-m", "cnnviz", *TRAIN, "--out", str(path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    head = subprocess.run(["head", "-c", "20"], stdin=train.stdout, capture_output=True, timeout=300)
    train.stdout.close()
    assert train.wait(timeout=300) in (0, 141) and len(head.stdout) == 20
    assert status_of(path) == "complete"


INTERRUPT_AT_IMPORT = """
import signal, sys
from importlib.abc import MetaPathFinder
class Interrupt(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == sys.argv[1]:
            raise KeyboardInterrupt  # what Ctrl-C does while the module loads
sys.meta_path.insert(0, Interrupt())
from cnnviz.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("command, module", [
    *((["train", *TRAIN[1:], "--no-session"], module) for module in ("numpy", "h5py", "tqdm", "cnnviz.training")),
    *(([name, "SESSION", *more], module) for name, more in (("info", []), ("export", ["--csv", "CSV"]),
                                                             ("predict", []))
      for module in ("numpy", "h5py", "cnnviz.session"))])
def test_ctrl_c_while_it_starts_is_one_line(session, tmp_path, command, module):
    """Ctrl-C while NumPy, h5py or cnnviz's own modules load (the first half second): status 130 and one line, never
    a KeyboardInterrupt traceback (before, the command's imports ran before any handler)."""
    args = [str(session) if a == "SESSION" else str(tmp_path / "csv") if a == "CSV" else a for a in command]
    done = subprocess.run([sys.executable, "-c", INTERRUPT_AT_IMPORT, module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert (done.returncode, done.stderr) == (130, "cnnviz: interrupted.\n")


SIGINT_AT_IMPORT = """
import os, signal, sys
from importlib.abc import MetaPathFinder
class Press(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == sys.argv[1]:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, a real signal, while Qt's libraries load
sys.meta_path.insert(0, Press())
from cnnviz.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("module", ["PySide6.QtWidgets", "pyqtgraph"])
def test_ctrl_c_while_render_loads_qt_is_one_line(session, tmp_path, module):
    """Ctrl-C while ``cnnviz render`` loads Qt: held back until Qt has loaded, then status 130 and one line (a
    KeyboardInterrupt inside PySide's initialisation aborted the process in 2 of 8 tries); no picture."""
    out = tmp_path / "picture.png"
    done = subprocess.run([sys.executable, "-c", SIGINT_AT_IMPORT, module, "render", str(session), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert (done.returncode, done.stderr) == (130, "cnnviz: interrupted.\n") and not out.exists()
