"""The replay source: a saved session file feeding the model (the other source is ``live.py``).

Opening reads what is small (the per-step metrics, the evaluations' table, the events, the probe images);
snapshots and predictions are read when the timeline shows them (the model's small cache), never all at once.
A session that another process is still writing (``cnnviz train`` in a terminal; status "running") is
followed: about once a second the file is opened again if it changed, and the rows its writer committed since
(its groups' ``count`` attributes) are added, so the timeline grows. HDF5's single-writer-multiple-reader mode
is not needed: the reader only trusts committed rows.

The test images: a session records its data source. Where that folder (or the window's ``--data``,
``CNNVIZ_DATA``, the user cache, or the bundled sample for a sample run) holds the same test set (the session's
probe images are found at their indices), every test image can be chosen; otherwise only the probe images
stored in the session, and :attr:`ReplaySource.note` says why in one line.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cnnviz.data import DataError, find_mnist, load_test_set
from cnnviz.gui.model import METRICS, RunModel
from cnnviz.records import EvalRecord, SnapshotRecord
from cnnviz.session import SessionError, SessionReader

POLL_MS = 1000


class ReplaySource(QObject):
    """One session file at a time, fed to ``model``. :meth:`open` raises SessionError (one sentence) for a file
    that cannot be read, before the model is touched."""

    grew = Signal()  # rows were added from a file still being written
    lost = Signal(str)  # the followed file became unreadable: one sentence; what was read stays

    def __init__(self, model: RunModel, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self.reader: SessionReader | None = None
        self.path: Path | None = None
        self.note = ""  # why only the probe images can be chosen ("" when every test image can)
        self._seen: tuple | None = None  # (mtime, size) of the file when last read
        self._rows = dict.fromkeys(("steps", "snapshots", "evals", "events"), 0)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    @property
    def following_file(self) -> bool:
        """Whether the file is still being written (and polled)."""
        return self.timer.isActive()

    def open(self, path: str | Path, data: str | None = None) -> None:
        """Show the session at ``path``; ``data`` is where to look first for its test images."""
        path = Path(path)
        reader = SessionReader(path)
        self.close()
        self.reader, self.path = reader, path
        images, labels, self.note = self._test_set(reader, data)
        self._seen = self._stat()
        self._rows = dict.fromkeys(self._rows, 0)
        self.model.begin(reader.start_record(), images, labels, source=str(path))
        self._add_new()
        if reader.status == "running":
            self.timer.start()
        else:
            self.model.finish(reader.end_record())

    def close(self) -> None:
        self.timer.stop()
        if self.reader is not None:
            self.reader.close()
        self.reader = self.path = None

    # -- reading ------------------------------------------------------------------------------------------------

    def _add_new(self) -> None:
        """Give the model the rows the reader has beyond those given before."""
        r, seen = self.reader, self._rows
        if r.n_steps > seen["steps"]:
            m = r.metrics(seen["steps"])
            self.model.add_steps(np.column_stack([m[name] for name in METRICS]))
        if r.n_snapshots > seen["snapshots"]:
            self.model.add_snapshots(r.snapshot_steps[seen["snapshots"]:], self._snapshot)
        n_evals = min(r.n_evals, r.n_predictions)
        if n_evals > seen["evals"]:
            e = r.evals(seen["evals"])
            table = np.column_stack([e[name] for name in ("step", "epoch", "test_loss", "test_accuracy")])
            self.model.add_evals(table[:n_evals - seen["evals"]], self._evaluation)
        if r.n_events > seen["events"]:
            self.model.add_events(r.events(seen["events"]))
        self._rows = dict(steps=r.n_steps, snapshots=r.n_snapshots, evals=max(n_evals, seen["evals"]),
                          events=r.n_events)

    def _snapshot(self, i: int) -> SnapshotRecord:
        return self.reader.snapshot_record(i)

    def _evaluation(self, j: int) -> EvalRecord:
        return self.reader.eval_record(j)

    def _stat(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def poll(self) -> None:
        """Read what a writer committed since the last look (about once a second while it is "running")."""
        if self.path is None:
            return
        seen = self._stat()
        if seen is not None and seen == self._seen:
            return
        try:
            reader = SessionReader(self.path)
        except SessionError as exc:
            self.timer.stop()
            self.lost.emit(str(exc))
            return
        self._seen = seen
        self.reader.close()
        self.reader = reader
        self._add_new()
        if reader.status != "running":
            self.timer.stop()
            self.model.finish(reader.end_record())
        self.grew.emit()

    # -- the test images ----------------------------------------------------------------------------------------

    @staticmethod
    def _test_set(reader: SessionReader, data: str | None) -> tuple[np.ndarray | None, np.ndarray | None, str]:
        """The run's test images and labels where some data at hand has them, else None and why not."""
        start = reader.start_record()
        candidates: list[str] = []
        if data:
            candidates.append(data)
        if reader.data_source.startswith("bundled sample"):
            candidates.append("sample")
        elif reader.data_path:
            candidates.append(reader.data_path)
        try:
            found = find_mnist(None)
        except DataError:
            found = None
        if found is not None:
            candidates.append(str(found))
        tried = []
        for spec in dict.fromkeys(candidates):
            try:
                images, labels = load_test_set(spec)
            except DataError:
                tried.append(f"{spec} cannot be read")
                continue
            idx = np.asarray(start.probe_indices, dtype=np.int64)
            if (len(images) >= reader.n_test and (idx < len(images)).all()
                    and np.array_equal(images[idx], start.probe_images)
                    and np.array_equal(labels[idx], start.probe_labels)):
                return images[:reader.n_test], labels[:reader.n_test], ""
            tried.append(f"{spec} has other test images")
        where = reader.data_path or reader.data_source or "its data"
        reason = "; ".join(tried) if tried else f"{where} is not on this machine"
        return None, None, (f"Only the {len(start.probe_indices)} probe images stored in the session can be "
                            f"chosen: its test set ({where}) was not found ({reason}). Open it with --data DIR to "
                            "use another copy.")
