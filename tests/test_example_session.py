"""The example session shipped in resources/ (File > Open example session) and the tool that makes it.

The file is checked as it is shipped (no training here); only the tool's refusal to overwrite is run, and it
must refuse before training.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from cnnviz import cli
from cnnviz.data import example_session_path, load_sample
from cnnviz.session import SessionReader

TOOL = Path(__file__).resolve().parent.parent / "tools" / "make_example_session.py"


@pytest.fixture(scope="module")
def session():
    with SessionReader(example_session_path()) as reader:
        yield reader


def test_it_is_small_and_complete(session):
    assert session.size < 5_000_000
    assert session.status == "complete"


def test_it_has_enough_to_scrub(session):
    assert session.n_snapshots >= 15
    assert session.n_evals >= 3
    assert session.n_steps == session.total_steps


def test_its_conv_layers_are_the_lectures(session):
    conv = session.train_config.network.conv
    assert [c.filters for c in conv] == [32, 64]
    assert all((c.size, c.padding, c.pooling) == (3, "same", "max") for c in conv)
    assert session.train_config.preset == "lecture"


def test_its_accuracy_improves(session):
    accuracy = session.evals()["test_accuracy"]
    assert accuracy[-1] > accuracy[0]


def test_its_probe_images_are_the_samples_test_images(session):
    sample = load_sample()
    probe = session.probe()
    assert session.n_test == len(sample.test_images)  # every sample test image was evaluated
    np.testing.assert_array_equal(probe["images"], sample.test_images[probe["indices"]])
    np.testing.assert_array_equal(probe["labels"], sample.test_labels[probe["indices"]])


def _load_tool():
    spec = importlib.util.spec_from_file_location("make_example_session", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tool_refuses_to_overwrite_without_force(tmp_path, monkeypatch, capsys):
    tool = _load_tool()
    trained = []
    monkeypatch.setattr(cli, "main", lambda argv=None: trained.append(argv) or 0)  # must not be reached
    out = tmp_path / "example-session.h5"
    out.write_bytes(b"precious")

    assert tool.main(["--out", str(out)]) == 2

    assert out.read_bytes() == b"precious"
    assert trained == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example-session.h5"]  # no temporary file left
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(out) in err and "--force" in err
