"""Shared pieces of the GUI tests: a tiny network on a slice of the bundled sample, and its records."""

from __future__ import annotations

import pytest

from cnnviz.config import make_config
from cnnviz.data import load_sample
from cnnviz.gui.views.common import configure_pyqtgraph
from cnnviz.training import Trainer

configure_pyqtgraph()


def tiny_config(**overrides):
    values = dict(conv=(2,), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=2)
    values.update(overrides)
    return make_config("lecture", **values)


@pytest.fixture(scope="session")
def tiny_data():
    return load_sample().limited(300, 100)


@pytest.fixture(scope="session")
def tiny_records(tiny_data):
    """Every record of a complete tiny run (6 steps of 50 images), and its data."""
    return list(Trainer(tiny_config(eval_every=3), tiny_data).run())
