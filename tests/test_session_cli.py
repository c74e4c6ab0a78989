"""Tests for the session commands: ``cnnviz train --out``, ``info``, ``export --csv`` and ``predict``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from cnnviz.cli import main
from cnnviz.session import METRICS, SessionReader

TRAIN = ["train", "--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
         "--epochs", "2", "--snapshot-every", "1", "--eval-every", "2", "--quiet"]


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    """A session written by ``cnnviz train`` (two worker threads, the default)."""
    path = tmp_path_factory.mktemp("cli") / "run.h5"
    assert main([*TRAIN, "--out", str(path)]) == 0
    return path


def test_train_writes_a_complete_session(session):
    with SessionReader(session) as reader:
        assert reader.status == "complete"
        assert reader.n_steps == 6 and reader.n_snapshots == 7 and reader.n_evals == 4
        assert reader.train_config.threads == 2


def test_info_summarises(session, capsys):
    assert main(["info", str(session)]) == 0
    out = capsys.readouterr().out
    with SessionReader(session) as reader:
        final = reader.evals()["test_accuracy"][-1]
    for text in ("status:      complete", "steps:       6 of 6", "snapshots:   7 (steps 0 to 6",
                 f"test accuracy {final:.2%}", "bundled sample", "size:"):
        assert text in out, text


def test_info_json(session, capsys):
    assert main(["info", str(session), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"] == "complete" and info["snapshots"] == 7 and info["evaluations"] == 4
    assert info["config"]["train"]["network"]["fc"] == [8, 10]
    assert info["size"] == session.stat().st_size and info["format_version"] == 2


def test_export_csv(session, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["export", str(session), "--csv", str(out)]) == 0
    with SessionReader(session) as reader:
        metrics, evals = reader.metrics(), reader.evals()
    with open(out / "metrics.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(METRICS) and len(rows) == 6
    for name in METRICS:
        assert [float(r[name]) for r in rows] == metrics[name].tolist()  # full precision
    with open(out / "evals.csv") as f:
        rows = list(csv.DictReader(f))
    assert [float(r["test_accuracy"]) for r in rows] == evals["test_accuracy"].tolist()
    with open(out / "confusion.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 * 10 * 10
    assert sum(int(r["count"]) for r in rows if r["step"] == "6") == 100
    assert (out / "events.csv").read_text().startswith("step,kind,value,message")


@pytest.mark.parametrize("snapshot", [-1, 2, 4])
def test_predict_reproduces_the_recorded_accuracy(session, capsys, snapshot):
    """Snapshots at steps 2, 4 and 6 have an evaluation at their step: the accuracy is the same, exactly."""
    assert main(["predict", str(session), "--snapshot", str(snapshot), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    with SessionReader(session) as reader:
        step = int(reader.snapshot_steps[snapshot])
        evals = reader.evals()
        j = int(np.flatnonzero(evals["step"] == step)[-1])
    assert result["step"] == step and result["n_test"] == 100
    assert result["test_accuracy"] == evals["test_accuracy"][j]
    assert result["test_loss"] == evals["test_loss"][j]
    assert result["recorded"]["test_accuracy"] == result["test_accuracy"]


@pytest.fixture(scope="module")
def early_session(tmp_path_factory) -> Path:
    """A session with the window's early evaluations: the first 40 of 100 test images at steps 25, 50 and 100, then
    all 100 at step 150 (the end of the epoch); a snapshot every 25 steps."""
    from cnnviz.config import make_config
    from cnnviz.data import load_sample
    from cnnviz.session import SessionWriter
    from cnnviz.training import Trainer

    path = tmp_path_factory.mktemp("early") / "early.h5"
    config = make_config("lecture", conv=(2,), fc=(8, 10), epochs=1, batch_size=2, snapshot_every=25, threads=1)
    with SessionWriter(path) as writer:
        for record in Trainer(config, load_sample().limited(300, 100), early_eval=40).run():
            writer.write(record)
            if getattr(record, "step", 0) == 50 and type(record).__name__ == "EvalRecord":
                break  # a run still going: its last evaluation is an early one
    return path


def test_the_command_line_says_which_evaluations_were_early_ones(early_session, tmp_path, capsys):
    assert main(["info", str(early_session)]) == 0
    out = capsys.readouterr().out
    assert "cnnviz session (format 3)" in out
    assert "; an early evaluation, of the first 40 of the 100 test images)" in out  # the last one, at step 50
    assert main(["info", str(early_session), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["final"]["n_images"] == 40
    assert main(["export", str(early_session), "--csv", str(tmp_path / "csv")]) == 0
    capsys.readouterr()
    with open(tmp_path / "csv" / "evals.csv") as f:
        assert [(r["step"], r["n_images"]) for r in csv.DictReader(f)] == [("25", "40"), ("50", "40")]
    # predict evaluates every test image at snapshot 50: the early evaluation there is of 40, nothing to compare
    assert main(["predict", str(early_session), "--snapshot", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["step"] == 50 and result["n_test"] == 100 and result["recorded"] is None


def test_predict_text_limit_and_data(session, capsys):
    assert main(["predict", str(session), "--data", "sample", "--limit", "50"]) == 0
    out = capsys.readouterr().out
    assert "of 50 images" in out and "recorded" not in out  # a different test set: nothing to compare
    assert main(["predict", str(session)]) == 0
    assert "(the same)" in capsys.readouterr().out


@pytest.mark.parametrize("args, expected", [
    (["--snapshot", "99"], "has 7 snapshots, so no snapshot 99"),
    (["--limit", "5000"], "Cannot use 5000 test examples"),
    (["--data", "/nonexistent/mnist"], "/nonexistent/mnist"),
])
def test_predict_mistakes_are_one_line(session, capsys, args, expected):
    assert main(["predict", str(session), *args]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_export_to_an_impossible_place(session, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["export", str(session), "--csv", str(blocker / "csv")]) == 2
    assert "cannot write CSV files" in capsys.readouterr().err


def test_an_export_never_overwrites_and_replace_is_asked_for(session, tmp_path, capsys):
    out = tmp_path / "csv"
    out.mkdir()
    (out / "notes.txt").write_text("mine")  # a folder holding other files is fine
    assert main(["export", str(session), "--csv", str(out)]) == 0
    capsys.readouterr()
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "metrics.csv").write_text("edited by hand")
    for name in ("metrics.csv", "events.csv"):  # any one of its files is enough to refuse
        only = tmp_path / f"only-{name}"
        only.mkdir()
        (only / name).write_text("mine")
        assert main(["export", str(session), "--csv", str(only)]) == 2
        err = capsys.readouterr().err
        assert err == (f"cnnviz: {only} already holds {name}; an export never overwrites: choose another folder, "
                       "or add --replace.\n")
        assert [p.name for p in only.iterdir()] == [name] and (only / name).read_text() == "mine"
    assert main(["export", str(session), "--csv", str(out)]) == 2
    assert "already holds metrics.csv, evals.csv, confusion.csv, events.csv" in capsys.readouterr().err
    assert (out / "metrics.csv").read_text() == "edited by hand"
    assert main(["export", str(session), "--csv", str(out), "--replace"]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # replaced, and nothing else touched


def test_an_export_is_published_together_or_not_at_all(session, tmp_path, capsys, monkeypatch):
    """A full disk while the third file is written: no file of the export is left, the folder is as it was (or not
    there when the export made it), and no temporary file stays."""
    import cnnviz.session_cli as session_cli

    real = session_cli._csv
    written = []

    def full_disk(path, header, rows):
        written.append(path)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real(path, header, rows)

    monkeypatch.setattr(session_cli, "_csv", full_disk)
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "notes.txt").write_text("mine")
    assert main(["export", str(session), "--csv", str(kept)]) == 2
    assert capsys.readouterr().err == (f"cnnviz: cannot write CSV files to {kept} (No space left on device); "
                                       "nothing was exported.\n")
    assert [p.name for p in kept.iterdir()] == ["notes.txt"]
    written.clear()
    made = tmp_path / "made" / "csv"
    assert main(["export", str(session), "--csv", str(made)]) == 2
    assert not (tmp_path / "made").exists()  # the folders it made are gone again
    # and a re-export with --replace that fails keeps the earlier export whole
    monkeypatch.setattr(session_cli, "_csv", real)
    assert main(["export", str(session), "--csv", str(kept)]) == 0
    before = {p.name: p.read_bytes() for p in kept.iterdir()}
    monkeypatch.setattr(session_cli, "_csv", full_disk)
    written.clear()
    assert main(["export", str(session), "--csv", str(kept), "--replace"]) == 2
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before


def test_an_export_into_a_file_is_one_sentence(session, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["export", str(session), "--csv", str(blocker)]) == 2
    assert capsys.readouterr().err == f"cnnviz: {blocker} exists and is not a folder: give a folder for the CSV files.\n"
    assert blocker.read_text() == ""


def _write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file (uint8, big-endian sizes), as MNIST's."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_predict_finds_a_relative_data_directory_from_elsewhere(tmp_path, monkeypatch, capsys):
    """A session trained on ``--data mnist`` (relative) is evaluated again from another working directory."""
    from cnnviz.config import make_config
    from cnnviz.data import load_data
    from cnnviz.session import SessionWriter
    from cnnviz.training import Trainer

    rng = np.random.default_rng(1)
    (tmp_path / "mnist").mkdir()
    for prefix, n in (("train", 40), ("t10k", 30)):
        _write_idx(tmp_path / "mnist" / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 8, 8)))
        _write_idx(tmp_path / "mnist" / f"{prefix}-labels-idx1-ubyte", np.arange(n) % 10)
    monkeypatch.chdir(tmp_path)
    config = make_config(conv=(2,), fc=(8, 10), input_shape=(1, 8, 8), epochs=2, batch_size=10, threads=1)
    with SessionWriter("run.h5") as writer:
        for record in Trainer(config, load_data("mnist")).run():
            writer.write(record)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["predict", "../run.h5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_test"] == 30 and result["data"] == str(tmp_path / "mnist")
    assert result["test_accuracy"] == result["recorded"]["test_accuracy"]
