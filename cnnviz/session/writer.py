"""Writing a session file: :class:`SessionWriter`, fed the trainer's records in the training thread.

The schema and the crash-safety rules are in :mod:`cnnviz.session.schema`.

A write that fails (a full disk, a file-size limit, any error HDF5 reports while writing) ends the writing at
once: one :class:`SessionError` ("No space left on device while writing the session file X."), and nothing more
reaches the file, which stays as it was when the write failed: like the file of a killed run, it opens, says
"running" and holds every row committed before (:meth:`SessionWriter.holds` says which). How the writer lets go
of the file without HDF5 crashing the process is explained above :func:`_redirect`.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn

import h5py
import numpy as np

from cnnviz import __version__
from cnnviz.datasets import class_names_for_source
from cnnviz.errors import QT_TRANSLATE_NOOP, Text
from cnnviz.files import temporary_path
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.session.reader import SessionReader
from cnnviz.session.schema import (
    _BIG,
    _COMPRESS,
    _INT_METRICS,
    _MAX_CHUNK,
    _SERIES_CHUNK,
    _SMALL_CHUNK,
    CHUNK_CACHE,
    COUNTED,
    EVAL_SERIES,
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    STATE_SERIES,
    STATUSES,
    STEP_BUFFER,
    SessionError,
    _data_path,
    _param_path,
    exists,
    publish,
)


def _series(group: h5py.Group, name: str, dtype, shape: tuple[int, ...] = (), rows: int = _SERIES_CHUNK,
            **kwargs) -> h5py.Dataset:
    """An empty growing dataset (0, *shape) chunked along time, about ``rows`` rows (at most 16 KiB) a chunk;
    uncompressed unless ``kwargs`` say."""
    if "chunks" not in kwargs:
        row = max(1, int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize)
        kwargs["chunks"] = (max(1, min(rows, _SMALL_CHUNK // row)), *shape)
    return group.create_dataset(name, shape=(0, *shape), maxshape=(None, *shape), dtype=dtype, **kwargs)


def _snapshot_chunks(shape: tuple[int, ...], itemsize: int, rows: int) -> tuple[tuple[int, ...], bool]:
    """Chunk shape of a (S, *shape) series of about ``rows`` snapshots, and whether to compress it.

    Large arrays: one snapshot a chunk (split along the first axis if over 1 MiB), compressed, written once.
    Small arrays: several snapshots a chunk, uncompressed (rewritten in place as snapshots arrive)."""
    nbytes = int(np.prod(shape, dtype=np.int64)) * itemsize
    if nbytes < _BIG or not shape:
        return (max(1, min(rows, _SMALL_CHUNK // max(nbytes, 1))), *shape), False
    first = shape[0]
    while first > 1 and nbytes * first // shape[0] > _MAX_CHUNK:
        first = math.ceil(first / 2)
    return (1, first, *shape[1:]), True


# -- a failed write -------------------------------------------------------------------------------------------
#
# HDF5 cannot be trusted with a file whose writes failed. Its close then fails too: a dataset whose chunks cannot
# be written is left half-closed, and the next attempt to close it (the garbage collector's, or HDF5's own at exit)
# reads freed memory and crashes the process; a flush that failed inside the metadata cache leaves the cache
# unable to flush again ("slist already enabled?"), so that the file can never be closed. Hence: after a failure
# HDF5's descriptor is pointed elsewhere (:func:`_redirect`), so that nothing more reaches the session file and the
# writes of the close succeed, and the file is closed once, in a try; a file that even then cannot be closed is
# kept open to the end of the process (:data:`_ABANDONED`), never closed a second time.

# Files that could not be closed after a failure, with what else holds their objects: kept alive here, so that no
# garbage collection closes one of their half-closed objects again. HDF5's attempt at exit fails quietly.
_ABANDONED: list = []


def _cause(exc: BaseException) -> str:
    """What went wrong, in a few words: the system's message where there is one ("No space left on device")."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    # HDF5's own messages carry the system error: "... errno = 28, error message = 'No space left on device' ..."
    found = re.search(r"error message = '([^']+)'", text)
    if found:
        return found[1]
    found = re.search(r"errno = (\d+)", text)
    if found:
        return os.strerror(int(found[1]))
    head = text.split(" (", 1)[0].strip() or type(exc).__name__
    return head if isinstance(exc, (OSError, RuntimeError)) else f"{type(exc).__name__}: {head}"


def _vfd(f: h5py.File) -> int | None:
    """HDF5's file descriptor on ``f`` (the default "sec2" driver), or None."""
    try:
        fd = f.id.get_vfd_handle()
    except Exception:  # noqa: BLE001 (another driver: no descriptor to redirect)
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


def _redirect(fd: int, path: Path | None = None) -> bool:
    """Point ``fd`` (HDF5's, on a session file whose writing failed) away from the file it writes; True if done.

    Without ``path``: at an anonymous in-memory file (``memfd``), which takes HDF5's last writes and gives them
    back if HDF5 reads them again; at /dev/null where there is none, or where a file-size limit (RLIMIT_FSIZE)
    would refuse them in memory too. With ``path``: at that file opened read-only, for a file kept open (what
    HDF5 reads is the file as it is on disk; it can write nothing). Either way the descriptor HDF5 opened is
    closed, which releases its lock: the session reads as interrupted, not as being written.
    """
    try:
        if path is not None:
            target = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        elif hasattr(os, "memfd_create") and \
                resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY:
            target = os.memfd_create("cnnviz-failed-session", os.MFD_CLOEXEC)
        else:
            target = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        os.dup2(target, fd, inheritable=False)
        return True
    except OSError:
        return False
    finally:
        os.close(target)


def _keep_open(f: h5py.File, fd: int | None, path: Path, keep: object = None) -> None:
    """``f`` could not be closed: keep it (and ``keep``, what else holds its objects) to the end of the process,
    its descriptor reading ``path`` read-only."""
    if fd is not None:
        _redirect(fd, path)
    _ABANDONED.append((f, keep))


def _abandon(f: h5py.File, fd: int | None, path: Path, keep: object = None) -> bool:
    """Close ``f``, whose writing failed, without writing to ``path`` again: redirect its descriptor, then close
    once, in a try. True if it closed; else it is kept open (:func:`_keep_open`)."""
    if fd is not None:
        _redirect(fd)
    try:
        f.close()
        return True
    except Exception:  # noqa: BLE001 (the failure is reported by the caller)
        _keep_open(f, fd, path, keep)
        return False


def _flush(f: h5py.File, datasets: Sequence[h5py.Dataset] = ()) -> None:
    """Flush ``f``, its ``datasets`` first, so that a write that fails does so before the file's superblock is
    rewritten.

    The superblock records the size HDF5 has allocated, and HDF5 refuses to open a file shorter than that ("is
    truncated"). A plain flush writes the superblock (at the start of the file, first) even when the chunks it
    allocated cannot be written, as when a file-size limit refuses them, and the file is lost. Flushing the
    datasets first allocates and writes their chunks: a failure stops there, the old superblock still on disk."""
    for ds in datasets:
        ds.flush()
    f.flush()


def _close_once(f: h5py.File, fd: int | None, path: Path, keep: object = None) -> None:
    """Close ``f`` (flushed: nothing should be left to write). If HDF5 fails even so, its close stopped half-way:
    keep it open (:func:`_keep_open`) and raise that error."""
    try:
        f.close()
    except Exception:
        _keep_open(f, fd, path, keep)
        raise


# -- writing --------------------------------------------------------------------------------------------------

class SessionWriter:
    """Writes the records of one run, in the order :meth:`cnnviz.training.Trainer.run` yields them.

    ``write(RunStart)`` creates the file (and its directory) with every group; steps are kept in memory and
    written in batches; the file is flushed after every snapshot, evaluation and event and at the end.
    :meth:`close` is idempotent; without a :class:`RunEnd` the status becomes "stopped" (or ``status``).
    Use it in one thread (the training thread); as a context manager an exception marks the run "failed".

    A write that fails (in :meth:`write`, :meth:`flush` or :meth:`close`) raises one :class:`SessionError` naming
    the file and the cause, and lets go of the file without writing to it again (see the module's docstring):
    :attr:`failure` holds that sentence, every later :meth:`write` and :meth:`flush` raises it again at once,
    :meth:`close` does nothing, and :meth:`holds` says what the file kept.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._file: h5py.File | None = None
        self._fd: int | None = None  # HDF5's descriptor on the file, redirected if a write fails
        self._steps: list[tuple] = []
        self._end: RunEnd | None = None
        self._closed = False
        self._last_step = 0
        self._first_step = 1  # of the steps this file holds (a fork's follow its parent's step)
        self._failure: str | None = None
        self._let_go = True  # False if the file could not even be closed after a failure (see _ABANDONED)
        # At the last complete commit: steps, snapshots, the last snapshot's step, and the status in the file.
        self._durable: tuple[int, int, int, str] = (0, 0, 0, "running")

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        status = None
        if exc_type is not None:
            status = "stopped" if issubclass(exc_type, KeyboardInterrupt) else "failed"
        self.close(status)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def failure(self) -> str | None:
        """The sentence of the write failure that ended the writing (a full disk, say), or None."""
        return self._failure

    def write(self, record: Record) -> None:
        """Store one record (RunStart first; after RunEnd only :meth:`close`)."""
        if self._failure is not None:
            raise SessionError(self._failure)
        if self._closed:
            raise ValueError(f"the session writer for {self.path} is closed")
        if isinstance(record, StepRecord) and self._file is not None:  # the hot path: a tuple appended to a list
            self._steps.append((record.step, record.epoch, record.loss, record.accuracy, record.lr,
                                record.momentum, record.time, record.images_per_second))
            self._last_step = record.step
            if len(self._steps) >= STEP_BUFFER:
                self._guarded(self._commit)
            return
        if isinstance(record, RunStart):
            if self._file is not None:
                raise ValueError(f"the session {self.path} has already started")
            self._guarded(self._start, record)
            return
        if self._file is None:
            raise ValueError(f"the session {self.path} must start with a RunStart record, not {type(record).__name__}")
        if isinstance(record, SnapshotRecord):
            self._check_snapshot(record)  # a wrong record is a bug of the caller's, not a failed write
            self._guarded(self._snapshot, record)
        elif isinstance(record, EvalRecord):
            self._guarded(self._eval, record)
        elif isinstance(record, EventRecord):
            self._guarded(self._event, record)
        elif isinstance(record, RunEnd):
            self._end = record
            self._guarded(self._commit)
        else:
            raise TypeError(f"not a training record: {type(record).__name__}")

    def flush(self) -> None:
        """Write the buffered steps and commit everything to the file."""
        if self._failure is not None:
            raise SessionError(self._failure)
        if self._file is not None:
            self._guarded(self._commit)

    def close(self, status: str | None = None) -> None:
        """Write what is left, set the status (the RunEnd's, else ``status``, else "stopped") and close.

        SessionError if that write fails (once: a second call, or a call after a failed write, does nothing)."""
        if self._closed:
            return
        self._closed = True
        if self._file is None:
            return
        end = self._end
        final = end.status if end is not None else (status or "stopped")
        if final not in STATUSES:
            final = "failed"
        self._guarded(self._finish, end, final)
        f, self._file = self._file, None
        try:
            _close_once(f, self._fd, self.path, dict(vars(self)))
        except Exception as e:  # noqa: BLE001 (its writes were flushed: HDF5 failed in its own close)
            self._let_go = False
            self._fail(e)

    def holds(self) -> Text:
        """One sentence on what the session file holds now, e.g. "The session X holds steps 1..120 and 13
        snapshots up to step 120; it opens like an interrupted run." For after a failure: read back from the
        file (which shows that it opens), or, if HDF5 still holds it open (see :data:`_ABANDONED`: opening it
        again here would go through that handle), what the last complete commit wrote."""
        if not self.path.exists():
            return Text("Session", QT_TRANSLATE_NOOP("Session", "No session was saved: {path} was not created."),
                        path=self.path)
        n, k, last, status = self._durable
        if self._let_go:
            try:
                with SessionReader(self.path) as reader:
                    n, k, status = reader.n_steps, reader.n_snapshots, reader.status
                    last = int(reader.snapshot_steps[-1]) if k else 0
            except SessionError as e:
                return Text("Session", QT_TRANSLATE_NOOP("Session", "The session cannot be read either: {problem}"),
                            problem=e.args[0])
        first = self._first_step
        steps = (Text("Session", QT_TRANSLATE_NOOP("Session", "no steps")) if n == 0 else
                 Text("Session", QT_TRANSLATE_NOOP("Session", "step {first}"), first=first) if n == 1 else
                 Text("Session", QT_TRANSLATE_NOOP("Session", "steps {first}..{last}"), first=first,
                      last=first + n - 1))
        snapshots = (Text("Session", QT_TRANSLATE_NOOP("Session", "no snapshots")) if k == 0 else
                     Text("Session", QT_TRANSLATE_NOOP("Session", "1 snapshot up to step {last}"), last=last) if k == 1
                     else Text("Session", QT_TRANSLATE_NOOP("Session", "{k} snapshots up to step {last}"), k=k,
                               last=last))
        opens = Text("Session", {
            "running": QT_TRANSLATE_NOOP("Session", "it opens like an interrupted run"),
            "complete": QT_TRANSLATE_NOOP("Session", "it opens as a complete run"),
            "stopped": QT_TRANSLATE_NOOP("Session", "it opens as a stopped run"),
            "failed": QT_TRANSLATE_NOOP("Session", "it opens as a failed run")}[status])
        return Text("Session", QT_TRANSLATE_NOOP("Session", "The session {path} holds {steps} and {snapshots}; "
                                                 "{opens}."), path=self.path, steps=steps, snapshots=snapshots,
                    opens=opens)

    # -- pieces ---------------------------------------------------------------------------------------------

    def _guarded(self, method, *args) -> None:
        """Call ``method``; any failure of a write (whatever exception h5py raises for it) ends the writing."""
        try:
            method(*args)
        except SessionError:
            raise
        except Exception as e:  # noqa: BLE001 (h5py reports write failures as OSError, RuntimeError, ValueError...)
            self._fail(e)

    def _fail(self, exc: BaseException) -> NoReturn:
        """Record the failure, let go of the file without writing to it again, and raise the SessionError.
        Called in the ``except`` block, before the failed call's frames (which hold h5py objects) are freed."""
        self._failure = Text("Session", QT_TRANSLATE_NOOP("Session", "{cause} while writing the session file {path}."),
                             cause=_cause(exc), path=self.path)
        self._closed = True
        self._steps.clear()
        f, self._file = self._file, None
        if f is not None:
            self._let_go = _abandon(f, self._fd, self.path, dict(vars(self)))
        raise SessionError(self._failure) from None

    def _finish(self, end: RunEnd | None, final: str) -> None:
        self._commit()
        attrs = self._file.attrs
        attrs["end_step"] = np.int64(end.step if end is not None else self._last_step)
        attrs["end_message"] = end.message if end is not None else ""
        attrs["status"] = final
        _flush(self._file)
        self._durable = (*self._durable[:3], final)

    def _start(self, start: RunStart) -> None:
        cfg = start.config
        self._first_step = start.parent.step + 1 if start.parent is not None else 1
        self._shapes = {name: tuple(shape) for name, shape in start.param_shapes.items()}
        # Rows expected, to size the chunks of short runs small (a run may still go past them).
        total = max(1, int(start.total_steps))
        n_snaps = (total // cfg.snapshot_every if cfg.snapshot_every else 0) + 2
        n_evals = cfg.epochs + (total // cfg.eval_every if cfg.eval_every else 0) + 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            raise exists(self.path)
        tmp = temporary_path(self.path)
        f = fd = None
        made: list = []
        try:
            f = h5py.File(tmp, "w", rdcc_nbytes=CHUNK_CACHE)
            fd = _vfd(f)
            made = self._layout(f, start, total, n_snaps, n_evals)
            _flush(f, made)  # a failure to write is met here, where the file can still be let go of cleanly
        except BaseException:
            if f is not None:
                _abandon(f, fd, tmp, made)
            tmp.unlink(missing_ok=True)
            raise
        try:
            _close_once(f, fd, tmp, made)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        # The session appears under its name only once it is a complete, valid file, and never over another.
        publish(tmp, self.path)
        self._file = f = h5py.File(self.path, "r+", rdcc_nbytes=CHUNK_CACHE)
        self._fd = _vfd(f)
        self._metrics = [f["metrics"][name] for name in METRICS]
        self._eval_series = [f["eval"][name] for name in EVAL_SERIES]
        self._confusion = f["eval/confusion"]
        self._n_images = f["eval/n_images"]
        self._n_test = int(f["eval"].attrs["n_test"])
        self._snap_step, self._snap_epoch = f["params/step"], f["params/epoch"]
        self._params = {name: f["params"][_param_path(name)] for name in self._shapes}
        self._probs = f["probe/probs"]
        self._state = [f["state"][name] for name in STATE_SERIES]
        self._velocity = {name: f["state/velocity"][_param_path(name)] for name in self._shapes}
        self._pred_series = [f["predictions"][name] for name in ("step", "predicted", "confidence")]
        self._event_series = [f["events"][name] for name in ("step", "kind", "value", "message")]
        self._datasets = [*self._metrics, *self._eval_series, self._confusion, self._n_images, self._snap_step,
                          self._snap_epoch, *self._params.values(), self._probs, *self._pred_series,
                          *self._event_series, *self._state, *self._velocity.values()]
        self._counts = dict.fromkeys(COUNTED, 0)  # rows written
        self._committed = dict(self._counts)  # rows recorded in the groups' count attributes
        self._snap_step_last = 0  # the step of the last snapshot written

    def _layout(self, f: h5py.File, start: RunStart, total: int, n_snaps: int, n_evals: int) -> list:
        """Attributes, groups and empty datasets of a new session (``total`` steps, about ``n_snaps``
        snapshots and ``n_evals`` evaluations expected, to size the chunks). Returns every object made, for the
        caller to hold until the file is flushed: closing a dataset writes it, and a write that fails there, in
        the garbage collector, would leave it half-closed (see :func:`_redirect`)."""
        made: list = []

        def series(*args, **kwargs) -> None:
            made.append(_series(*args, **kwargs))

        cfg = start.config
        dtype = np.dtype(cfg.dtype)
        k = cfg.network.n_classes
        n_test = int(start.n_test)
        f.attrs["format"] = FORMAT
        f.attrs["format_version"] = np.int64(2)  # 3 once an evaluation is of part of the test set (see _eval)
        f.attrs["created"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.attrs["cnnviz_version"] = __version__
        f.attrs["status"] = "running"
        f.attrs["config"] = json.dumps({
            "train": cfg.to_dict(),
            "data": {"source": start.data_source, "path": _data_path(start.data_source),
                     "n_train": int(start.n_train), "n_test": n_test, **(start.data_digests or {})},
        })
        f.attrs["steps_per_epoch"] = np.int64(start.steps_per_epoch)
        f.attrs["total_steps"] = np.int64(start.total_steps)
        if start.parent is not None:
            f.attrs["parent_file"] = start.parent.file
            f.attrs["parent_created"] = start.parent.created
            f.attrs["parent_step"] = np.int64(start.parent.step)
            f.attrs["parent_path"] = start.parent.path
        names = start.class_names or class_names_for_source(start.data_source)
        if len(names) == k:
            f.attrs.create("class_names", list(names), dtype=h5py.string_dtype())

        g = f.create_group("metrics")
        for name in METRICS:
            series(g, name, np.int64 if name in _INT_METRICS else np.float64, rows=total)
        g = f.create_group("eval")
        g.attrs["n_test"] = np.int64(n_test)
        for name in EVAL_SERIES:
            series(g, name, np.int64 if name in _INT_METRICS else np.float64, rows=n_evals)
        series(g, "confusion", np.int64, (k, k), rows=n_evals)
        series(g, "n_images", np.int64, rows=n_evals)

        g = f.create_group("params")
        series(g, "step", np.int64, rows=n_snaps)
        series(g, "epoch", np.int64, rows=n_snaps)
        for name, shape in self._shapes.items():
            chunks, compress = _snapshot_chunks(shape, dtype.itemsize, n_snaps)
            series(g, _param_path(name), dtype, shape, chunks=chunks, **(_COMPRESS if compress else {}))

        g = f.create_group("state")
        for name in STATE_SERIES:
            kind = np.int64 if name in ("epoch", "position") else np.float64 if name in ("base_lr", "momentum") \
                else h5py.string_dtype()
            series(g, name, kind, rows=n_snaps)
        for name, shape in self._shapes.items():
            chunks, compress = _snapshot_chunks(shape, dtype.itemsize, n_snaps)
            series(g, f"velocity/{_param_path(name)}", dtype, shape, chunks=chunks, **(_COMPRESS if compress else {}))

        g = f.create_group("probe")
        made.append(g.create_dataset("indices", data=np.asarray(start.probe_indices, dtype=np.int64)))
        made.append(g.create_dataset("labels", data=np.asarray(start.probe_labels).astype(np.uint8)))
        made.append(g.create_dataset("images", data=np.asarray(start.probe_images, dtype=np.uint8)))
        series(g, "probs", dtype, (len(start.probe_indices), k), rows=n_snaps)

        g = f.create_group("predictions")
        series(g, "step", np.int64, rows=n_evals)
        width = max(1, min(n_test, _MAX_CHUNK // 4))
        series(g, "predicted", np.uint8 if k <= 256 else np.int32, (n_test,), chunks=(1, width), **_COMPRESS)
        series(g, "confidence", np.float32, (n_test,), chunks=(1, width), **_COMPRESS)

        g = f.create_group("events")
        series(g, "step", np.int64, rows=64)
        series(g, "kind", h5py.string_dtype(), rows=64)
        series(g, "value", np.float64, rows=64)
        series(g, "message", h5py.string_dtype(), rows=64)
        for group in COUNTED:
            f[group].attrs["count"] = np.int64(0)
        return made

    def _write_steps(self) -> None:
        if not self._steps:
            return
        rows = np.array(self._steps, dtype=np.float64)
        n = self._counts["metrics"]
        for column, ds in zip(rows.T, self._metrics):
            ds.resize(n + len(rows), axis=0)
            ds[n:] = column.astype(ds.dtype)
        self._steps.clear()
        self._counts["metrics"] = n + len(rows)

    def _commit(self) -> None:
        """Make everything written so far durable: flush the data, then (second flush) the ``count``
        attributes that let a reader trust those rows. A kill during the first flush leaves the old counts."""
        self._write_steps()
        changed = [g for g, n in self._counts.items() if n != self._committed[g]]
        if not changed:
            return
        _flush(self._file, self._datasets)
        for group in changed:
            self._file[group].attrs.modify("count", np.int64(self._counts[group]))
            self._committed[group] = self._counts[group]
        _flush(self._file)
        self._durable = (self._counts["metrics"], self._counts["params"], self._snap_step_last, "running")

    @staticmethod
    def _append(ds: h5py.Dataset, n: int, value) -> None:
        ds.resize(n + 1, axis=0)
        ds[n] = value

    def _check_snapshot(self, snap: SnapshotRecord) -> None:
        if set(snap.params) != set(self._params):
            raise ValueError(f"snapshot parameters {sorted(snap.params)} differ from the run's {sorted(self._params)}")
        for name, value in snap.params.items():
            if np.shape(value) != self._shapes[name]:
                raise ValueError(f"snapshot {name} has shape {np.shape(value)}, the run's is {self._shapes[name]}")

    def _snapshot(self, snap: SnapshotRecord) -> None:
        s = self._counts["params"]
        for name, ds in self._params.items():
            self._append(ds, s, np.asarray(snap.params[name]))
        self._append(self._probs, s, snap.probe_probs)
        state = snap.state
        for name, ds in self._velocity.items():
            velocity = state.velocity.get(name) if state is not None else None
            self._append(ds, s, np.zeros(ds.shape[1:], ds.dtype) if velocity is None else np.asarray(velocity))
        row = ((state.epoch, state.position, state.shuffle, json.dumps([json.loads(d) for d in state.dropout]), state.base_lr,
                state.lr_schedule, state.momentum) if state is not None else (0, 0, "", "[]", math.nan, "", math.nan))
        for ds, value in zip(self._state, row):
            self._append(ds, s, value)
        self._append(self._snap_epoch, s, snap.epoch)
        self._append(self._snap_step, s, snap.step)
        self._counts["params"] = s + 1
        self._snap_step_last = snap.step
        self._commit()

    def _eval(self, ev: EvalRecord) -> None:
        j = self._counts["eval"]
        step, predicted, confidence = self._pred_series
        n = self._n_test if ev.n_images is None else int(ev.n_images)
        if n < self._n_test and self._file.attrs["format_version"] < FORMAT_VERSION:
            self._file.attrs["format_version"] = np.int64(FORMAT_VERSION)  # a reader of version 2 would take it whole
        row = np.zeros(self._n_test, dtype=predicted.dtype)
        row[:n] = ev.predicted
        self._append(predicted, j, row)
        row = np.full(self._n_test, np.nan, dtype=np.float32)
        row[:n] = ev.confidence
        self._append(confidence, j, row)
        self._append(self._n_images, j, n)
        self._append(step, j, ev.step)
        self._append(self._confusion, j, np.asarray(ev.confusion))
        for ds, value in zip(self._eval_series, (ev.step, ev.epoch, ev.test_loss, ev.test_accuracy)):
            self._append(ds, j, value)
        self._counts["eval"] = self._counts["predictions"] = j + 1
        self._commit()

    def _event(self, ev: EventRecord) -> None:
        v = self._counts["events"]
        for ds, value in zip(self._event_series, (ev.step, ev.kind, float(ev.value), ev.message)):
            self._append(ds, v, value)
        self._counts["events"] = v + 1
        self._commit()
