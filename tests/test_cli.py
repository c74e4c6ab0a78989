"""`cnnviz train` and the command line's handling of mistakes."""

import json
import subprocess
import sys

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


@pytest.mark.parametrize("argv, message", [
    (["train", "--lr", "abc"], "--lr: invalid float value"),
    (["train", "--conv", "32,x"], "comma-separated integers"),
    (["train", "--conv", "8,8,8,8,8", "--data", "sample"], "conv5: 2x2 pooling of a 1x1 map leaves nothing"),
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


def test_ctrl_c_stops_the_run_with_a_final_snapshot_and_evaluation(tmp_path):
    import signal
    import time

    from cnnviz.session import SessionReader

    out = tmp_path / "run.h5"
    proc = subprocess.Popen([sys.executable, "-m", "cnnviz", "train", "--data", "sample", "--conv", "2", "--fc", "8",
                             "--epochs", "1000", "--batch-size", "10", "--out", str(out), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 60
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert json.loads(stdout.strip().splitlines()[-1])["status"] == "stopped"
    with SessionReader(out) as session:
        assert session.status == "stopped"
        last_step = session.metrics()["step"][-1]
        assert session.snapshot_steps[-1] == last_step == session.evals()["step"][-1]
