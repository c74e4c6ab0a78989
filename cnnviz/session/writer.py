"""Writing a session file: :class:`SessionWriter`, fed the trainer's records in the training thread.

The schema and the crash-safety rules are in :mod:`cnnviz.session.schema`.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

import h5py
import numpy as np

from cnnviz import __version__
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.session.schema import (
    _BIG,
    _COMPRESS,
    _INT_METRICS,
    _MAX_CHUNK,
    _SERIES_CHUNK,
    _SMALL_CHUNK,
    COUNTED,
    EVAL_SERIES,
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    STATUSES,
    STEP_BUFFER,
    SessionError,
    _data_path,
    _param_path,
    publish,
    temporary_path,
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


# -- writing --------------------------------------------------------------------------------------------------

class SessionWriter:
    """Writes the records of one run, in the order :meth:`cnnviz.training.Trainer.run` yields them.

    ``write(RunStart)`` creates the file (and its directory) with every group; steps are kept in memory and
    written in batches; the file is flushed after every snapshot, evaluation and event and at the end.
    :meth:`close` is idempotent; without a :class:`RunEnd` the status becomes "stopped" (or ``status``).
    Use it in one thread (the training thread); as a context manager an exception marks the run "failed".
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._file: h5py.File | None = None
        self._steps: list[tuple] = []
        self._end: RunEnd | None = None
        self._closed = False
        self._last_step = 0

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

    def write(self, record: Record) -> None:
        """Store one record (RunStart first; after RunEnd only :meth:`close`)."""
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
        if self._file is not None:
            self._guarded(self._commit)

    def close(self, status: str | None = None) -> None:
        """Write what is left, set the status (the RunEnd's, else ``status``, else "stopped") and close."""
        if self._closed:
            return
        self._closed = True
        if self._file is None:
            return
        end = self._end
        final = end.status if end is not None else (status or "stopped")
        if final not in STATUSES:
            final = "failed"
        try:
            self._commit()
            attrs = self._file.attrs
            attrs["end_step"] = np.int64(end.step if end is not None else self._last_step)
            attrs["end_message"] = end.message if end is not None else ""
            attrs["status"] = final
            self._file.flush()
        except OSError as e:
            raise SessionError(f"Cannot write the session file {self.path} ({e}).") from None
        finally:
            f, self._file = self._file, None
            f.close()

    # -- pieces ---------------------------------------------------------------------------------------------

    def _guarded(self, method, *args) -> None:
        try:
            method(*args)
        except OSError as e:
            raise SessionError(f"Cannot write the session file {self.path} ({e}).") from None

    def _start(self, start: RunStart) -> None:
        cfg = start.config
        self._shapes = {name: tuple(shape) for name, shape in start.param_shapes.items()}
        # Rows expected, to size the chunks of short runs small (a run may still go past them).
        total = max(1, int(start.total_steps))
        n_snaps = (total // cfg.snapshot_every if cfg.snapshot_every else 0) + 2
        n_evals = cfg.epochs + (total // cfg.eval_every if cfg.eval_every else 0) + 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            raise SessionError(f"{self.path} exists; a session never overwrites a file: choose another name.")
        tmp = temporary_path(self.path)
        try:
            with h5py.File(tmp, "w") as f:
                self._layout(f, start, total, n_snaps, n_evals)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        # The session appears under its name only once it is a complete, valid file, and never over another.
        publish(tmp, self.path)
        self._file = f = h5py.File(self.path, "r+")
        self._metrics = [f["metrics"][name] for name in METRICS]
        self._eval_series = [f["eval"][name] for name in EVAL_SERIES]
        self._confusion = f["eval/confusion"]
        self._snap_step, self._snap_epoch = f["params/step"], f["params/epoch"]
        self._params = {name: f["params"][_param_path(name)] for name in self._shapes}
        self._probs = f["probe/probs"]
        self._pred_series = [f["predictions"][name] for name in ("step", "predicted", "confidence")]
        self._event_series = [f["events"][name] for name in ("step", "kind", "value", "message")]
        self._counts = dict.fromkeys(COUNTED, 0)  # rows written
        self._committed = dict(self._counts)  # rows recorded in the groups' count attributes

    def _layout(self, f: h5py.File, start: RunStart, total: int, n_snaps: int, n_evals: int) -> None:
        """Attributes, groups and empty datasets of a new session (``total`` steps, about ``n_snaps``
        snapshots and ``n_evals`` evaluations expected, to size the chunks)."""
        cfg = start.config
        dtype = np.dtype(cfg.dtype)
        k = cfg.network.n_classes
        n_test = int(start.n_test)
        f.attrs["format"] = FORMAT
        f.attrs["format_version"] = np.int64(FORMAT_VERSION)
        f.attrs["created"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.attrs["cnnviz_version"] = __version__
        f.attrs["status"] = "running"
        f.attrs["config"] = json.dumps({
            "train": cfg.to_dict(),
            "data": {"source": start.data_source, "path": _data_path(start.data_source),
                     "n_train": int(start.n_train), "n_test": n_test},
        })
        f.attrs["steps_per_epoch"] = np.int64(start.steps_per_epoch)
        f.attrs["total_steps"] = np.int64(start.total_steps)

        g = f.create_group("metrics")
        for name in METRICS:
            _series(g, name, np.int64 if name in _INT_METRICS else np.float64, rows=total)
        g = f.create_group("eval")
        g.attrs["n_test"] = np.int64(n_test)
        for name in EVAL_SERIES:
            _series(g, name, np.int64 if name in _INT_METRICS else np.float64, rows=n_evals)
        _series(g, "confusion", np.int64, (k, k), rows=n_evals)

        g = f.create_group("params")
        _series(g, "step", np.int64, rows=n_snaps)
        _series(g, "epoch", np.int64, rows=n_snaps)
        for name, shape in self._shapes.items():
            chunks, compress = _snapshot_chunks(shape, dtype.itemsize, n_snaps)
            _series(g, _param_path(name), dtype, shape, chunks=chunks, **(_COMPRESS if compress else {}))

        g = f.create_group("probe")
        g.create_dataset("indices", data=np.asarray(start.probe_indices, dtype=np.int64))
        g.create_dataset("labels", data=np.asarray(start.probe_labels).astype(np.uint8))
        g.create_dataset("images", data=np.asarray(start.probe_images, dtype=np.uint8))
        _series(g, "probs", dtype, (len(start.probe_indices), k), rows=n_snaps)

        g = f.create_group("predictions")
        _series(g, "step", np.int64, rows=n_evals)
        width = max(1, min(n_test, _MAX_CHUNK // 4))
        _series(g, "predicted", np.uint8 if k <= 256 else np.int32, (n_test,), chunks=(1, width), **_COMPRESS)
        _series(g, "confidence", np.float32, (n_test,), chunks=(1, width), **_COMPRESS)

        g = f.create_group("events")
        _series(g, "step", np.int64, rows=64)
        _series(g, "kind", h5py.string_dtype(), rows=64)
        _series(g, "value", np.float64, rows=64)
        _series(g, "message", h5py.string_dtype(), rows=64)
        for group in COUNTED:
            f[group].attrs["count"] = np.int64(0)

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
        self._file.flush()
        for group in changed:
            self._file[group].attrs.modify("count", np.int64(self._counts[group]))
            self._committed[group] = self._counts[group]
        self._file.flush()

    @staticmethod
    def _append(ds: h5py.Dataset, n: int, value) -> None:
        ds.resize(n + 1, axis=0)
        ds[n] = value

    def _snapshot(self, snap: SnapshotRecord) -> None:
        if set(snap.params) != set(self._params):
            raise ValueError(f"snapshot parameters {sorted(snap.params)} differ from the run's {sorted(self._params)}")
        s = self._counts["params"]
        for name, ds in self._params.items():
            value = np.asarray(snap.params[name])
            if value.shape != self._shapes[name]:
                raise ValueError(f"snapshot {name} has shape {value.shape}, the run's is {self._shapes[name]}")
            self._append(ds, s, value)
        self._append(self._probs, s, snap.probe_probs)
        self._append(self._snap_epoch, s, snap.epoch)
        self._append(self._snap_step, s, snap.step)
        self._counts["params"] = s + 1
        self._commit()

    def _eval(self, ev: EvalRecord) -> None:
        j = self._counts["eval"]
        step, predicted, confidence = self._pred_series
        self._append(predicted, j, np.asarray(ev.predicted))
        self._append(confidence, j, np.asarray(ev.confidence, dtype=np.float32))
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
