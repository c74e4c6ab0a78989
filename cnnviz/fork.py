"""Continuing a saved run from one of its snapshots (a fork): :func:`resume_from` reads the parent's session file
(its configuration, the snapshot's parameters and :class:`~cnnviz.records.TrainState`, its data) and builds the
:class:`~cnnviz.training.Trainer` that takes the parent's steps on from there; :func:`parent_data` finds the data
the parent was trained on. Above both the trainer and the session format (each of which knows nothing of the other).
"""

from __future__ import annotations

from collections.abc import Mapping

from cnnviz.config import fork_config
from cnnviz.data import MNIST, load_data
from cnnviz.datasets import DataSource
from cnnviz.errors import QT_TRANSLATE_NOOP, DataError, Text
from cnnviz.session import SessionReader
from cnnviz.training import Trainer


def parent_data(source: str, path: str | None, n_train: int, n_test: int, digests: Mapping[str, str] | None = None,
                name: str = "the parent") -> MNIST:
    """The data a run was trained on, as its session records it (the directory, or the bundled sample; as many
    images as it used), for a fork that names no data of its own. DataError (one sentence) if it is gone, or if it is
    not what the session recorded (``digests``, :meth:`cnnviz.data.MNIST.digests`; the session's file ``name``): a
    folder that lost images or whose images or labels changed since."""
    data = load_data(DataSource.recorded(source, path).spec, progress=False)
    if n_train < len(data.train_images) or n_test < len(data.test_images):
        data = data.limited(min(n_train, len(data.train_images)), min(n_test, len(data.test_images)))
    if changed := data.changed(digests or {}):
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{source} is not the data {name} was trained on: its {changes} "
                                               "are not those the session recorded; restore them to continue the run"),
                             source=data.source, name=name, changes=_changes(data, changed, n_train, n_test))
    return data


def _changes(data: MNIST, splits: list[str], n_train: int, n_test: int) -> Text:
    """"training images (1,000 then, 200 now) and test images": the splits that changed."""
    counts = {"training": (n_train, len(data.train_images)), "test": (n_test, len(data.test_images))}
    said = {"training": (QT_TRANSLATE_NOOP("Fork", "training images"),
                         QT_TRANSLATE_NOOP("Fork", "training images ({then} then, {now} now)")),
            "test": (QT_TRANSLATE_NOOP("Fork", "test images"),
                     QT_TRANSLATE_NOOP("Fork", "test images ({then} then, {now} now)"))}
    parts = [Text("Fork", said[split][counts[split][0] != counts[split][1]], then=f"{counts[split][0]:,}",
                  now=f"{counts[split][1]:,}") for split in splits]
    return parts[0] if len(parts) == 1 else Text("Fork", QT_TRANSLATE_NOOP("Fork", "{first} and {second}"),
                                                  first=parts[0], second=parts[1])


def resume_from(session_path, at_step: int | None = None, data: MNIST | None = None, *,
                on_divergence: str = "pause", **changes) -> Trainer:
    """A trainer that continues the run of the session file ``session_path`` from its snapshot at step
    ``at_step`` (None: the last snapshot): a fork. ``changes`` are the settings to change (:func:`fork_config`:
    learning rate, momentum, schedule, epochs counting the parent's, dropout, batch size...; None keeps the
    parent's); ``data`` the parent's (:func:`parent_data`) when None. Iterate its :meth:`Trainer.run`, writing
    the records into a new session: that session names its parent.

    One sentence for every refusal: SessionError for a parent that cannot be read or a step that is not a
    snapshot step (naming the nearest), ConfigError for a change a fork cannot make, DataError for the parent's
    data gone or changed (:func:`parent_data`). Other ``data`` given is used, with a note that it is not what the
    parent recorded; a parent that recorded no digests of its data (an older cnnviz) gets a note that its data
    could not be checked.
    With nothing changed the fork takes exactly the parent's steps after ``at_step`` (the same losses, the same
    final parameters), given a parent of session format version 2; from a version-1 parent the momentum's
    velocity starts at zero (one of the notes of :attr:`Trainer.start` says so, for the caller to show)."""
    with SessionReader(session_path) as reader:
        start = reader.fork_point(at_step)
        config = fork_config(reader.train_config, **changes)
        name, recorded = reader.path.name, reader.data_digests
        if data is None:
            data = parent_data(reader.data_source, reader.data_path, reader.n_train, reader.n_test, recorded, name)
        elif changed := data.changed(recorded):
            start.notes.append(Text("Fork", QT_TRANSLATE_NOOP("Fork", "The fork trains on other data than its parent: "
                                                              "the {changes} of {source} are not those {name} "
                                                              "recorded."),
                                    changes=_changes(data, changed, reader.n_train, reader.n_test),
                                    source=data.source, name=name))
        if not recorded:
            start.notes.append(Text("Fork", QT_TRANSLATE_NOOP("Fork", "{name} records no digest of its data (an older "
                                                              "cnnviz wrote it): whether {source} is the data it was "
                                                              "trained on cannot be checked."),
                                    name=name, source=data.source))
    start.changed = frozenset(name for name, value in changes.items() if value is not None)
    threads = len(start.state.dropout) if start.state is not None else config.threads
    if threads != config.threads and config.network.dropout > 0:
        start.notes.append(Text("Fork", QT_TRANSLATE_NOOP("Fork", "With 1 worker thread instead of the parent's "
                                                          "{threads}, the dropout masks differ from the parent's.")
                                if config.threads == 1 else
                                QT_TRANSLATE_NOOP("Fork", "With {n} worker threads instead of the parent's {threads}, "
                                                  "the dropout masks differ from the parent's."),
                                n=config.threads, threads=threads))
    return Trainer(config, data, on_divergence=on_divergence, start=start)
