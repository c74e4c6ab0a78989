"""Shared pieces of the GUI tests: tiny networks on slices of the bundled sample, their records, a session of one."""

from __future__ import annotations

import pytest

from cnnviz.config import make_config
from cnnviz.data import load_sample
from cnnviz.gui.views.common import configure_pyqtgraph
from cnnviz.training import Trainer
from tests.gui.helpers import run_records, write_session

configure_pyqtgraph()


def tiny_config(**overrides):
    values = dict(conv=(2,), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=2)
    values.update(overrides)
    return make_config("lecture", **values)


@pytest.fixture(scope="session")
def pseudo_catalogue(tmp_path_factory):
    """A catalogue whose every translation is its source between ⟦ ⟧ (cnnviz.gui.i18n_catalogues.pseudo)."""
    from cnnviz.gui.i18n_catalogues import pseudo

    return pseudo(tmp_path_factory.mktemp("pseudo") / "pseudo.qm")


@pytest.fixture
def language(qapp, pseudo_catalogue):
    """``language(name)`` installs the window's language for the rest of the test (widgets made after it speak it):
    "en", "ja" (the shipped catalogue) or "pseudo" (:func:`pseudo_catalogue`, without Qt's own catalogue); English
    again after the test."""
    from cnnviz.gui import i18n

    def install(name: str) -> None:
        if name == "pseudo":
            i18n.install("ja", [pseudo_catalogue], qt=False)
        else:
            i18n.install(name)

    yield install
    i18n.uninstall()


@pytest.fixture(scope="session")
def tiny_data():
    return load_sample().limited(300, 100)


@pytest.fixture(scope="session")
def tiny_records(tiny_data):
    """Every record of a complete tiny run (6 steps of 50 images), and its data."""
    return list(Trainer(tiny_config(eval_every=3), tiny_data).run())


@pytest.fixture(scope="session")
def tiny_run():
    """The run most view tests show: conv (2, 3), fc (8, 10), dropout 0.2, 4 steps of 50 images, a snapshot every 2,
    60 test images (see :func:`~tests.gui.helpers.run_records`): its data and every record."""
    return run_records()


@pytest.fixture(scope="session")
def tiny_session(tiny_run, tmp_path_factory):
    """The tiny run written to a session file: snapshots at steps 0, 2 and 4; 60 test images."""
    return write_session(tmp_path_factory.mktemp("tiny") / "tiny.h5", tiny_run[1])
