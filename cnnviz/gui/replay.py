"""The replay source: a saved session file feeding the model (the other source is ``live.py``).

Opening reads what is small (the per-step metrics, the evaluations' table, the events, the probe images);
snapshots and predictions are read when the timeline shows them (the model's small cache), never all at once.
A session that another process is still writing (``cnnviz train`` in a terminal; status "running") is
followed: about once a second the file is opened again if it changed, and the rows its writer committed since
(its groups' ``count`` attributes) are added, so the timeline grows. HDF5's single-writer-multiple-reader mode
is not needed: the reader only trusts committed rows. Without it a file being written can look damaged for a
moment, or list rows beyond the end of file its reader saw: the poll tries again, a read opens the file again.

The test images: a session records its data source. Where that folder (or the window's ``--data``,
``CNNVIZ_DATA``, the user cache, or the bundled sample for a sample run) holds the same test set (the session's
probe images are found at their indices), every test image can be chosen; otherwise only the probe images
stored in the session, and :attr:`ReplaySource.note` says why in one line.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from cnnviz.data import digest, find_mnist, load_test_set
from cnnviz.datasets import DataSource
from cnnviz.errors import DataError
from cnnviz.gui.i18n import translated
from cnnviz.gui.model import RunModel
from cnnviz.records import METRICS, EvalRecord, RunStart, SnapshotRecord
from cnnviz.session import SessionError, SessionReader
from cnnviz.session.opening import being_written

POLL_MS = 1000
LOST_AFTER = 5  # polls in a row that cannot open a followed file before it is given up
OPEN_TRIES = 10  # opening a file another process writes: tries, a tenth of a second apart


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
        self._failures = 0  # polls in a row that could not open the file
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
        reader = self._open_reader(path)
        try:  # read what can still fail before the session shown is let go
            start = reader.start_record()
            images, labels, note = self._test_set(reader, start, data)
        except BaseException:
            reader.close()
            raise
        self._close_reader()
        self.reader, self.path, self.note = reader, path, note
        self._seen = self._stat()
        self._rows = dict.fromkeys(self._rows, 0)
        self._failures = 0
        self.model.begin(start, images, labels, source=str(path))
        self.model.read_probe_probs = self._probe_probs  # the probe history in one read, not snapshot by snapshot
        self.model.read_train_state = lambda i: self._read(lambda reader: reader.train_state(i))
        if not self._add_new():
            self._seen = None  # rows that cannot be read yet: at the first poll
        if reader.status == "running" and being_written(path):
            self.timer.start()
        else:  # finished, or interrupted: "running" but no writer holds it any more
            self.model.finish(reader.end_record())

    @staticmethod
    def _open_reader(path: Path) -> SessionReader:
        """The reader of ``path``. A file that another process is writing can be caught in the middle of a flush,
        its metadata half written ("addr overflow"): tried again for up to OPEN_TRIES tenths of a second."""
        for attempt in range(OPEN_TRIES):
            try:
                return SessionReader(path)
            except SessionError:
                if attempt == OPEN_TRIES - 1 or not being_written(path):
                    raise
                time.sleep(0.1)
        raise SessionError(f"{path} cannot be opened.")  # not reached: the last try raises

    def close(self) -> None:
        """Stop showing the session: the model forgets its run too, whose snapshots and predictions are read
        from the file on demand and could no longer be."""
        shown = self.reader is not None
        self._close_reader()
        if shown:
            self.model.clear()

    def _close_reader(self) -> None:
        self.timer.stop()
        if self.reader is not None:
            self.reader.close()
        self.reader = self.path = None

    # -- reading ------------------------------------------------------------------------------------------------

    def _add_new(self) -> bool:
        """Give the model the rows the reader has beyond those given before; False (and nothing given) where a
        file still being written does not let them be read yet (see :meth:`_read`)."""
        r, seen = self.reader, self._rows
        n_evals = min(r.n_evals, r.n_predictions)
        try:  # everything first, so that a row that cannot be read yet gives nothing (and none twice)
            m = r.metrics(seen["steps"]) if r.n_steps > seen["steps"] else None
            e = r.evals(seen["evals"]) if n_evals > seen["evals"] else None
            events = r.events(seen["events"]) if r.n_events > seen["events"] else []
        except SessionError:
            if r.status != "running":
                raise
            return False
        if m is not None:
            self.model.add_steps(np.column_stack([m[name] for name in METRICS]))
        if r.n_snapshots > seen["snapshots"]:
            self.model.add_snapshots(r.snapshot_steps[seen["snapshots"]:], self._snapshot)
        if e is not None:
            table = np.column_stack([e[name] for name in ("step", "epoch", "test_loss", "test_accuracy", "n_images")])
            self.model.add_evals(table[:n_evals - seen["evals"]], self._evaluation)
        self.model.add_events(events)
        self._rows = dict(steps=r.n_steps, snapshots=r.n_snapshots, evals=max(n_evals, seen["evals"]),
                          events=r.n_events)
        return True

    def _snapshot(self, i: int) -> SnapshotRecord:
        return self._read(lambda reader: reader.snapshot_record(i))

    def _probe_probs(self, start: int, stop: int) -> np.ndarray:
        return self._read(lambda reader: reader.probe_probs(start, stop))

    def _evaluation(self, j: int) -> EvalRecord:
        return self._read(lambda reader: reader.eval_record(j))

    def _read(self, read):
        """``read(self.reader)``. A file opened while another process writes it (without HDF5's SWMR mode) can
        list committed rows whose data lie beyond the end of file its reader saw when it opened; opened again,
        the reader has them."""
        try:
            return read(self.reader)
        except SessionError:
            if self.reader.status != "running":
                raise
        self.reader.close()
        self.reader = SessionReader(self.path)
        return read(self.reader)

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
            if not being_written(self.path):  # the writer was killed: what it committed is all there will be
                self.timer.stop()
                self.model.finish(self.reader.end_record())
                self.grew.emit()
            return
        # HDF5 gives a file opened again in this process the metadata cache of the handle still open, which
        # does not see what the writer added since: the old reader must be closed first.
        self.reader.close()
        try:
            self.reader = reader = SessionReader(self.path)
            end = reader.end_record() if reader.status != "running" else None
        except SessionError as exc:
            # A file being written can look damaged for a moment: the next polls try again.
            self._failures += 1
            if self._failures >= LOST_AFTER:
                self.timer.stop()
                self.lost.emit(translated(exc.args[0]))
            return
        self._failures = 0
        if not self._add_new():
            return  # again at the next poll
        self._seen = seen
        if end is not None:
            self.timer.stop()
            self.model.finish(end)
        self.grew.emit()

    # -- the test images ----------------------------------------------------------------------------------------

    @staticmethod
    def _test_set(reader: SessionReader, start: RunStart,
                  data: str | None) -> tuple[np.ndarray | None, np.ndarray | None, str]:
        """The run's test images and labels where some data at hand has them, else None and why not."""
        candidates: list[str] = []
        if data:
            candidates.append(data)
        recorded = DataSource.parse(reader.data_source)
        if recorded.is_sample:
            candidates.append(recorded.spec)
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
            recorded = reader.data_digests.get("test_sha256")  # where recorded, every test image is checked
            if (len(images) >= reader.n_test and (idx < len(images)).all()
                    and np.array_equal(images[idx], start.probe_images)
                    and np.array_equal(labels[idx], start.probe_labels)
                    and recorded in (None, digest(images[:reader.n_test], labels[:reader.n_test]))):
                return images[:reader.n_test], labels[:reader.n_test], ""
            tried.append(f"{spec} has other test images")
        where = reader.data_path or reader.data_source or "its data"
        reason = "; ".join(tried) if tried else f"{where} is not on this machine"
        return None, None, QCoreApplication.translate(
            "ReplaySource", "Only the {n} probe images stored in the session can be chosen: its test set ({where}) was "
            "not found ({reason}); open it with --data DIR to use another copy.").format(
                n=len(start.probe_indices), where=where, reason=reason)
