"""What the GUI tests share: real records of a tiny run, a model fed with them, showing and clicking views."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

import h5py
from PySide6.QtCore import Qt

from cnnviz.config import make_config
from cnnviz.core import Network
from cnnviz.data import load_sample, to_input
from cnnviz.gui.model import RunModel
from cnnviz.session import SessionWriter
from cnnviz.training import Trainer


def run_records(n_train=200, n_test=60, early_eval=0, **overrides):
    """A run of the bundled sample's first ``n_train`` training and ``n_test`` test images (the data and every
    record); by default conv (2, 3), fc (8, 10), 4 steps of 50 images, a snapshot every 2 (the ``tiny_run``);
    ``early_eval`` the trainer's."""
    values = dict(conv=(2, 3), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=2)
    values.update(overrides)
    data = load_sample().limited(n_train, n_test)
    return data, list(Trainer(make_config("lecture", **values), data, early_eval=early_eval).run())


def early_run():
    """40 steps of 10 images: an early evaluation of the first 20 of the 60 test images at step 25, one of all 60
    at step 40 (the end of the epoch)."""
    return run_records(400, 60, early_eval=20, batch_size=10, snapshot_every=0)


def write_session(path: Path, records: Iterable) -> Path:
    """``records`` (a list, or a trainer's ``run()``) written in order to a new session file at ``path``."""
    with SessionWriter(path) as writer:
        for record in records:
            writer.write(record)
    return path


def started_model(data, records) -> RunModel:
    model = RunModel()
    model.begin(records[0], data.test_images, data.test_labels)
    return model


def fed_model(data, records) -> RunModel:
    """A model that has every record of the run (its cursor on the last step) and its final colour levels."""
    model = started_model(data, records)
    model.feed(records[1:])
    model.complete_levels()
    return model


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(600, 450)
    view.show()  # no event loop turn: what a test counts (a snapshot read, say) is the view's own doing
    return view


def hover(scene, pos):
    scene.sigMouseMoved.emit(pos)


def click(qtbot, plot, scene_pos):
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.mapFromScene(scene_pos))


def trace_of(model, index):
    """An independent forward pass with the shown snapshot's parameters."""
    net = Network(model.start.config.network)
    net.set_params(model.snapshot().params)
    return net.forward(to_input(model.test_images[index:index + 1]))


def fill_the_disk_after(monkeypatch, flushes: int) -> list[bool]:
    """h5py's File.flush fails with ENOSPC ("No space left on device") from its call number ``flushes`` + 1 on, as
    on a full disk; returns the calls made, True for each that failed."""
    real = h5py.File.flush
    calls: list[bool] = []

    def flush(self):
        calls.append(len(calls) >= flushes)
        if calls[-1]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(self)

    monkeypatch.setattr(h5py.File, "flush", flush)
    return calls
