"""`cnnviz train` and the command line's handling of mistakes."""

import gzip
import json
import os
import re
import resource
import signal
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from cnnviz.cli import main

TINY = ["--data", "sample", "--limit-train", "200", "--limit-test", "100", "--conv", "2", "--fc", "8",
        "--epochs", "1", "--batch-size", "50"]


def test_train_prints_json_as_the_last_line(tmp_path, capsys):
    out = tmp_path / "run.h5"
    assert main(["train", *TINY, "--json", "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("test_accuracy", "test_loss", "epochs", "seconds", "train_images_per_second"):
        assert result[key] is not None, key
    assert result["epochs"] == 1 and result["steps"] == 4 and result["n_test"] == 100
    assert 0 <= result["test_accuracy"] <= 1 and result["session"] == str(out) and out.exists()


def test_train_human_output_ends_with_accuracy_and_loss(capsys):
    assert main(["train", *TINY, "--no-session", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "test accuracy" in out and "test loss" in out and "training images/s" in out


def test_cnnviz_sessions_receives_the_runs_that_name_no_file(tmp_path, monkeypatch, capsys):
    """CNNVIZ_SESSIONS: a run without --out is saved there (the directory made). Naming a file or an unreachable
    place, the run stops before training with status 2 and the two lines of a bad --out, and leaves the file as it
    was."""
    monkeypatch.setenv("CNNVIZ_SESSIONS", str(tmp_path / "runs"))
    assert main(["train", *TINY, "--quiet"]) == 0
    assert [p.suffix for p in (tmp_path / "runs").iterdir()] == [".h5"]
    capsys.readouterr()
    mine = tmp_path / "notes.txt"
    mine.write_text("mine")
    for where, cause in ((mine, "File exists"), (tmp_path / "nowhere" / "runs", None)):
        monkeypatch.setenv("CNNVIZ_SESSIONS", str(where))
        if cause is None:
            (tmp_path / "nowhere").write_text("")  # a file where the directory's parent should be
            cause = "Not a directory"
        assert main(["train", *TINY, "--quiet"]) == 2
        captured = capsys.readouterr()
        failure, holds = captured.err.strip().splitlines()
        assert failure.startswith(f"cnnviz: {cause} while writing the session file {where}/")
        assert holds.startswith("cnnviz: No session was saved: ") and "test accuracy" not in captured.out
    assert mine.read_text() == "mine"


def test_the_program_preset_prints_its_loss_as_a_sum_every_10_steps(capsys):
    argv = ["train", "--data", "sample", "--limit-train", "400", "--limit-test", "50", "--conv", "2", "--fc", "8,8",
            "--epochs", "1", "--batch-size", "20", "--no-session", "--preset", "program"]
    assert main(argv) == 0
    printed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error = ")]
    assert len(printed) == 2  # after steps 10 and 20 of 20
    assert all(0 < float(line.split(" = ")[1]) < 20 * 10 for line in printed)  # 20 images, each -log v < 10
    assert main(["train", *TINY, "--no-session"]) == 0
    assert "Error = " not in capsys.readouterr().err  # the other presets print the mean in the bar


@pytest.mark.parametrize("argv, message", [
    (["train", "--lr", "abc"], "--lr: invalid float value"),
    (["train", "--conv", "32,x"], "comma-separated integers"),
    (["train", "--conv", "8,8,8,8,8", "--filter-size", "1", "--data", "sample"],
     "conv5: 2x2 pooling of a 1x1 map leaves nothing"),
    (["train", "--conv", "8,8,8,8,8", "--data", "sample"], "conv5: a 3x3 filter does not fit its 1x1 input"),
    (["train", "--filter-size", "40", "--padding", "valid", "--data", "sample"], "conv1: a 40x40 filter"),
    (["train", "--lr", "-0.1", "--data", "sample"], "learning rate must be positive"),
    (["train", "--momentum", "1.5", "--data", "sample"], "momentum must be in [0, 1)"),
    (["train", "--epochs", "0", "--data", "sample"], "epochs must be at least 1"),
    (["train", "--data", "/nonexistent/mnist"], "/nonexistent/mnist"),
    (["train", "--data", "sample", "--limit-train", "5000"], "5000"),
    (["train", "--preset", "slow"], "invalid choice"),
    (["frobnicate"], "'frobnicate' is neither a command (train, download, info, export, predict, render) nor a "
                     "session file"),
    (["missing.h5"], "missing.h5 does not exist"),
    (["train", "--conv", "", "--data", "sample"], "expected comma-separated integers such as 32,64, not ''"),
    (["train", "--seed", "-1", "--data", "sample"], "the seed must be 0 or more, not -1"),
    (["--seed", "-1"], "the seed must be 0 or more, not -1"),
    (["render", "missing.h5", "--out", "x.png"], "missing.h5 does not exist"),
    # a filter larger than its map is refused with same padding too, on the command line and for the window
    (["train", "--filter-size", "40", "--data", "sample"],
     "conv1: a 40x40 filter does not fit its 28x28 input with same padding"),
    (["train", "--conv", "8,8", "--filter-size", "15", "--data", "sample"],
     "conv2: a 15x15 filter does not fit its 14x14 input with same padding"),
    (["--filter-size", "29"], "conv1: a 29x29 filter does not fit its 28x28 input with same padding"),
    (["train", "--seed", "2147483648", "--data", "sample"], "the seed must be at most 2147483647, not 2147483648"),
    (["--seed", "2147483648"], "the seed must be at most 2147483647, not 2147483648"),
    (["train", "--data", "sample", "--limit-test", "0"], "Cannot use 0 test examples"),
    (["train", "--data", "sample", "--limit-train", "0"], "Cannot use 0 training examples"),
])
def test_mistakes_give_one_line_and_status_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_python_dash_m_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "cnnviz", "train", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    for option in ("--epochs", "--batch-size", "--lr", "--momentum", "--dropout", "--conv", "--fc",
                   "--filter-size", "--seed", "--data", "--limit-train", "--limit-test", "--dtype", "--preset",
                   "--out", "--snapshot-every", "--eval-every", "--json"):
        assert option in done.stdout, option


def test_an_existing_session_file_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "run.h5"
    out.write_bytes(b"precious")
    assert main(["train", *TINY, "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_bytes() == b"precious"


def wait_for_snapshots(proc: subprocess.Popen, out: Path, n: int, timeout: float = 60) -> None:
    """Until the session ``out`` that ``proc`` is writing holds ``n`` snapshots (read as the window reads a file
    being written: a read caught in the middle of a write looks again)."""
    from cnnviz.session import SessionReader

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists():
            try:
                with SessionReader(out) as session:
                    if session.n_snapshots >= n:
                        return
            except Exception:  # noqa: BLE001, S110 (being written: look again)
                pass
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"{out} did not get {n} snapshots in {timeout} s (status {proc.poll()})")


def test_ctrl_c_stops_the_run_with_a_final_snapshot_and_evaluation(tmp_path):
    from cnnviz.session import SessionReader

    out = tmp_path / "run.h5"
    proc = subprocess.Popen([sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--conv", "2", "--fc", "8",
                             "--epochs", "1000", "--batch-size", "10", "--out", str(out), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    wait_for_snapshots(proc, out, 1)  # training has begun
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert json.loads(stdout.strip().splitlines()[-1])["status"] == "stopped"
    with SessionReader(out) as session:
        assert session.status == "stopped"
        last_step = session.metrics()["step"][-1]
        assert session.snapshot_steps[-1] == last_step == session.evals()["step"][-1]


# -- data it cannot use ----------------------------------------------------------------------------------------

def write_folder(folder: Path, train: tuple[int, int, int], test: tuple[int, int, int]) -> Path:
    """An MNIST folder (gzipped IDX files) of random images: ``train`` and ``test`` are (N, height, width)."""
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, shape in (("train", train), ("t10k", test)):
        for name, array in ((f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, shape, dtype=np.uint8)),
                            (f"{prefix}-labels-idx1-ubyte.gz", np.arange(shape[0], dtype=np.uint8) % 10)):
            raw = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()
            (folder / name).write_bytes(gzip.compress(raw))
    return folder


@pytest.mark.parametrize("train, test, session, words", [
    ((50, 28, 28), (20, 20, 20), "--out", "has training images of 28x28 but test images of 20x20; both"),
    ((50, 28, 28), (0, 28, 28), "--out", "has no test images: there is nothing to evaluate the network on."),
    ((50, 28, 28), (0, 28, 28), "--no-session", "has no test images: there is nothing to evaluate the network on."),
    ((0, 28, 28), (20, 28, 28), "--out", "has no training images: there is nothing to train on."),
    ((50, 20, 20), (20, 20, 20), "--out", "the network takes 1 channel of 28x28 pixels but"),
])
def test_a_data_folder_it_cannot_use_is_one_sentence_and_no_session(tmp_path, capsys, train, test, session, words):
    folder = write_folder(tmp_path / "mnist", train, test)
    out = tmp_path / "sessions" / "run.h5"
    argv = ["train", "--data", str(folder), "--conv", "2", "--fc", "8", "--epochs", "1", session]
    assert main([*argv, str(out)] if session == "--out" else argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and words in err and str(folder) in err, err
    assert not out.parent.exists()  # no session file, no temporary file


def test_predict_refuses_a_data_folder_of_another_image_size(tmp_path, capsys):
    session = tmp_path / "run.h5"
    assert main(["train", *TINY, "--quiet", "--out", str(session)]) == 0
    capsys.readouterr()
    small = write_folder(tmp_path / "small", (10, 20, 20), (10, 20, 20))
    assert main(["predict", str(session), "--data", str(small)]) == 2
    err = capsys.readouterr().err
    assert err == f"cnnviz: {small} has images of 20x20 pixels, but the session's network expects 28x28 pixels.\n"
    mixed = write_folder(tmp_path / "mixed", (10, 28, 28), (10, 20, 20))
    assert main(["predict", str(session), "--data", str(mixed)]) == 2
    assert "has training images of 28x28 but test images of 20x20" in capsys.readouterr().err
    empty = write_folder(tmp_path / "empty", (10, 28, 28), (0, 28, 28))
    assert main(["predict", str(session), "--data", str(empty)]) == 2
    assert capsys.readouterr().err == f"cnnviz: {empty} has no test images to evaluate the snapshot on.\n"


def test_a_batch_larger_than_the_training_set_is_one_batch_said_in_one_line(capsys):
    argv = ["train", "--data", "sample", "--limit-train", "150", "--limit-test", "50", "--conv", "2", "--fc", "8",
            "--epochs", "2", "--batch-size", "500", "--no-session", "--json"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["steps"] == 2 and result["status"] == "complete"
    notes = [line for line in captured.err.splitlines() if "batch size" in line]
    assert notes == [("cnnviz: the batch size 500 is larger than the 150 training images; every step uses all 150 "
                      "as one batch.")]
    # The progress bar counts the images really trained on: 2 epochs of 150, not 2 steps of 500.
    assert "300/300" in captured.err and "1.00k" not in captured.err


# -- a diverging loss ------------------------------------------------------------------------------------------

def test_a_loss_that_becomes_nan_fails_the_run_in_one_line(tmp_path):
    """Status 1 (a run that ended early, like a stopped one), "failed" in the JSON line and in the session with
    the message, one line that suggests a lower learning rate, and no RuntimeWarning."""
    from cnnviz.session import SessionReader

    out = tmp_path / "nan.h5"
    done = subprocess.run([sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--limit-train", "300",
                           "--limit-test", "100", "--conv", "2", "--fc", "8", "--lr", "1e10", "--momentum", "0.9",
                           "--json", "--out", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])  # strict JSON: no NaN in it
    assert result["status"] == "failed" and result["test_loss"] is None and result["steps"] < 12
    about_lr = [line for line in done.stderr.splitlines() if "learning rate" in line]
    assert len(about_lr) == 1 and about_lr[0].startswith("cnnviz: the loss became nan at step")
    assert about_lr[0].endswith("try a lower learning rate.")
    assert "RuntimeWarning" not in done.stderr and "Traceback" not in done.stderr
    with SessionReader(out) as session:
        end = session.end_record()
        assert session.status == "failed" and end.status == "failed"
        assert end.message == about_lr[0].removeprefix("cnnviz: ")
        assert [e.kind for e in session.events()] == ["error"]


def test_a_full_disk_stops_the_run_in_two_lines_and_leaves_a_readable_session(tmp_path):
    """The session file may not grow beyond 420 kB (RLIMIT_FSIZE: its writes fail with EFBIG, "File too large", as
    they would on a full disk). Status 2; one line naming the file and the cause, one saying what the session holds;
    no traceback, nothing on standard output; the file opens like an interrupted run's, holding what was said."""
    from cnnviz.session import SessionReader
    from cnnviz.session.opening import being_written

    out = tmp_path / "run.h5"

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (800_000, 800_000))

    done = subprocess.run([sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--limit-train", "1000",
                           "--limit-test", "100", "--conv", "2", "--fc", "8", "--epochs", "50", "--snapshot-every",
                           "1", "--threads", "1", "--quiet", "--json", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, check=False,
                          preexec_fn=limit_file_size)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    failure, holds = done.stderr.strip().splitlines()
    assert failure == f"cnnviz: File too large while writing the session file {out}."
    said = re.fullmatch(rf"cnnviz: The session {re.escape(str(out))} holds steps 1\.\.(\d+) and (\d+) snapshots up to "
                        r"step (\d+); it opens like an interrupted run\.", holds)
    assert said, holds
    with SessionReader(out) as session:
        assert session.status == "running" and not being_written(out)
        assert (session.n_steps, session.n_snapshots, session.snapshot_steps[-1]) == tuple(map(int, said.groups()))
        assert session.n_steps >= 5 and session.metrics()["step"].tolist() == list(range(1, session.n_steps + 1))
        assert session.end_record().status == "failed"  # as the reader reports an interrupted run
    assert [p.name for p in tmp_path.iterdir()] == ["run.h5"]  # no temporary file left


# -- signals, pipes, an existing file ----------------------------------------------------------------------------

def test_sigterm_stops_the_run_like_ctrl_c(tmp_path):
    from cnnviz.session import SessionReader

    out = tmp_path / "run.h5"
    proc = subprocess.Popen([sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--conv", "2", "--fc", "8",
                             "--epochs", "1000", "--batch-size", "10", "--snapshot-every", "5", "--out", str(out),
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_snapshots(proc, out, 3)  # a few steps are committed
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, stderr
    assert json.loads(stdout.strip().splitlines()[-1])["status"] == "stopped"
    assert "Traceback" not in stderr
    with SessionReader(out) as session:
        assert session.status == "stopped"
        steps = session.metrics()["step"]
        assert session.n_steps >= 10 and steps[-1] == session.n_steps
        assert session.snapshot_steps[-1] == steps[-1] == session.evals()["step"][-1]


def test_ctrl_c_while_the_data_loads_is_one_line(tmp_path):
    """A real SIGINT while the data is still loading (a slow load, simulated): one line, status 130, no session."""
    script = textwrap.dedent(f"""
        import sys, time
        import cnnviz.cli

        def slow_load(args):
            print("loading", file=sys.stderr, flush=True)
            time.sleep(60)

        cnnviz.cli.data_from_args = slow_load
        sys.exit(cnnviz.cli.main(["train", "--data", "sample", "--out", {str(tmp_path / "run.h5")!r}]))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline() == "loading\n"
        proc.send_signal(signal.SIGINT)
        stderr = proc.communicate(timeout=30)[1]
    finally:
        proc.kill()
    assert proc.returncode == 130 and stderr == "cnnviz: interrupted.\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_outside_training_is_handled_by_main(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr("cnnviz.cli.data_from_args", interrupted)
    assert main(["train", "--data", "sample", "--no-session"]) == 130
    assert capsys.readouterr().err == "cnnviz: interrupted.\n"


def test_info_into_a_closed_pipe_ends_quietly():
    """`cnnviz info FILE | head -3`: the reader goes away before cnnviz writes; no BrokenPipeError, no message."""
    fixture = Path(__file__).parent / "data" / "session-v1.h5"
    for argv in (["info", str(fixture)], ["info", str(fixture), "--json"]):
        proc = subprocess.Popen([sys.executable, "-m", "cnnviz", *argv], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.close()  # before cnnviz has even imported h5py: every write meets a closed pipe
        stderr = proc.communicate(timeout=60)[1]
        assert stderr == b"", (argv, stderr)
        assert proc.returncode == 141, argv  # 128 + SIGPIPE, what a shell reports for `cat big | head -1`


def test_info_piped_into_head_in_a_shell(tmp_path):
    fixture = Path(__file__).parent / "data" / "session-v1.h5"
    done = subprocess.run(f"{sys.executable} -m cnnviz info {fixture} | head -3", shell=True, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONUNBUFFERED": "1"}, check=False)
    assert done.stderr == "" and len(done.stdout.splitlines()) == 3


def test_download_onto_an_existing_file_is_one_line(tmp_path, capsys):
    existing = tmp_path / "mnist"
    existing.write_text("not a directory")
    assert main(["download", str(existing), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"cnnviz: {existing} exists and is not a directory: give a directory to download MNIST into.\n"
    assert existing.read_text() == "not a directory"


# -- data sets by name ---------------------------------------------------------------------------------------------

def test_a_data_set_name_it_cannot_use_is_one_line_and_status_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache" / "cnnviz" / "kmnist"
    for argv, message in (
        (["download", "--dataset", "cifar"],
         "cnnviz: There is no data set called 'cifar': choose one of mnist, fashion-mnist, kmnist."),
        (["train", "--data", "kmnist", "--epochs", "1"],
         (f"cnnviz: KMNIST is not downloaded (looked in {cache}): run `cnnviz download --dataset kmnist`, or add "
          "--download.")),
    ):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.err == message + "\n" and captured.out == ""
    assert not (tmp_path / "sessions").exists() and not cache.exists()


def test_download_a_data_set_and_train_on_it_by_name(tmp_path, monkeypatch, capsys):
    """`cnnviz download --dataset fashion-mnist` from a local server (standing in for the data set's mirrors), then
    `cnnviz train --data fashion-mnist`: the session records the class names."""
    from cnnviz.datasets import DATASETS
    from cnnviz.session import SessionReader
    from tests.httpserver import no_proxy, serving
    from tests.test_datasets import FASHION, fake_entry, small_set

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    no_proxy(monkeypatch)
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    www = small_set(tmp_path / "www")
    with serving(www) as (url, _):
        monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", www, (url + "/",)))
        assert main(["download", "--dataset", "fashion-mnist", "--quiet"]) == 0
    dest = tmp_path / "cache" / "cnnviz" / "fashion-mnist"
    assert capsys.readouterr().out == f"Fashion-MNIST is in {dest}\n"
    out = tmp_path / "run.h5"
    assert main(["train", "--data", "fashion-mnist", "--limit-train", "100", "--conv", "2", "--fc", "8", "--epochs",
                 "1", "--batch-size", "50", "--quiet", "--json", "--out", str(out)]) == 0
    with SessionReader(out) as reader:
        assert reader.class_names == FASHION and reader.data_path == str(dest)


@pytest.mark.parametrize("out, expected", [
    ("", "--out: expected a file name such as runs/first.h5, not an empty one"),
    ("newdir/", "--out: newdir/ is a folder: give a file name in it, such as newdir/run.h5"),
    ("x" * 300 + ".h5", "characters; the file system allows 240 here"),
])
def test_a_session_file_name_that_cannot_be_one_is_refused(tmp_path, monkeypatch, capsys, out, expected):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--data", "sample", "--limit-train", "100", "--epochs", "1", "--quiet", "--out", out]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []  # nothing written: not a file called newdir, not the default path
    (tmp_path / "existing").mkdir()
    assert main(["train", "--data", "sample", "--out", "existing", "--quiet"]) == 2
    assert "existing is a folder" in capsys.readouterr().err
