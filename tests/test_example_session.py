"""The example session shipped in resources/ (File > Open example session) and the tool that makes it.

The file is checked as it is shipped (no training here): the lecture's network, trained (at least 95% on its test
images), within 10 MB (issue 23); only the tool's refusal to overwrite is run, and it must refuse before training.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from cnnviz.data import example_session_path, load_sample
from cnnviz.session import SessionReader

TOOL = Path(__file__).resolve().parent.parent / "tools" / "make_example_session.py"


@pytest.fixture(scope="module")
def session():
    with SessionReader(example_session_path()) as reader:
        yield reader


def test_it_is_small_and_complete(session):
    assert session.size < 10_000_000
    assert session.status == "complete"


def test_it_has_enough_to_scrub(session):
    assert session.n_snapshots >= 7
    assert session.n_evals >= 5
    assert session.n_steps == session.total_steps


def test_its_network_is_the_lectures(session):
    network = session.train_config.network
    assert [c.filters for c in network.conv] == [32, 64]
    assert all((c.size, c.padding, c.pooling) == (3, "same", "max") for c in network.conv)
    assert network.fc == (100, 200, 10)


def test_it_has_learned(session):
    accuracy = session.evals()["test_accuracy"]
    assert accuracy[-1] >= 0.95 and accuracy[-1] > accuracy[0]


def test_its_snapshots_keep_no_optimizer_state_and_a_fork_says_so(session):
    assert all(session.train_state(i) is None for i in range(session.n_snapshots))  # 1.3 MB less each
    fork = session.fork_point()
    assert fork.state is None and "no optimizer velocity" in fork.notes[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("make_example_session", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tool_refuses_to_overwrite_without_force(tmp_path, monkeypatch, capsys):
    tool = _load_tool()
    trained = []
    monkeypatch.setattr(tool, "train", lambda path: trained.append(path) or "complete")  # must not be reached
    out = tmp_path / "example-session.h5"
    out.write_bytes(b"precious")

    assert tool.main(["--out", str(out)]) == 2

    assert out.read_bytes() == b"precious"
    assert trained == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example-session.h5"]  # no temporary file left
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(out) in err and "--force" in err
