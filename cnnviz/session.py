"""HDF5 session files: one file per training run, enough to replay it in every view without training again.

Readable with plain h5py (``h5py.File(path, "r")``); this module writes them (:class:`SessionWriter`, fed the
trainer's records in the training thread) and reads them (:class:`SessionReader`, for the replay and the
command line). No Qt here. ``docs/session-format.md`` holds the same schema with examples.

Schema, format version 1
------------------------
Time is axis 0 of every series. Growing datasets are created once at the start of the run with
``maxshape=(None, ...)`` and chunked; S is the number of snapshots, E of evaluations, P of probe images, k of
classes, N of steps, V of events. Every growing group has an int attribute ``count``: the rows committed at
the last flush (a file whose writer was killed may hold a partly written row beyond it).

Root attributes:
    ``format`` = "cnnviz-session"; ``format_version`` = 1 (int); ``created`` (ISO-8601 UTC, e.g.
    2024-06-11T09:30:00Z); ``cnnviz_version``; ``status``: "running" (being written, or interrupted: the
    writer never closed the file), "complete", "stopped" (by the user) or "failed"; ``config``: JSON
    ``{"train": TrainConfig.to_dict(), "data": {"source", "path", "n_train", "n_test"}}`` where ``source``
    is "bundled sample (...)" or the MNIST directory as given, ``path`` that directory made absolute (null
    for the sample); ``steps_per_epoch``, ``total_steps`` (planned);
    ``end_step`` and ``end_message`` (written when the file is closed).
``/metrics/``: ``step`` (N,) int64 (1-based), ``epoch`` int64, ``loss``, ``accuracy`` (of the minibatch,
    before the update), ``lr``, ``momentum``, ``time`` (seconds since the run started, pauses excluded) and
    ``images_per_second``, all float64.
``/eval/``: ``step``, ``epoch`` (E,) int64, ``test_loss``, ``test_accuracy`` (E,) float64, ``confusion``
    (E, k, k) int64 (row = true class, column = predicted); attribute ``n_test``: the first ``n_test``
    images of the test set were evaluated.
``/params/``: ``step``, ``epoch`` (S,) int64 and, for every parameter of the network, ``/params/<layer>/<name>``
    (``conv1.W`` is ``/params/conv1/W``) of shape (S, *shape in Network.params) in the run's dtype: the
    parameters at step 0, every ``snapshot_every`` steps and at the end (the final snapshot and the final
    evaluation share the last step).
``/probe/``: ``indices`` (P,) int64 (into the test set), ``labels`` (P,) uint8, ``images`` (P, H, W) uint8,
    ``probs`` (S, P, k): the output probabilities of the probe images at every snapshot. Feature maps are
    not stored: the replay recomputes them exactly from the snapshot's parameters.
``/predictions/``: ``step`` (E,) int64, ``predicted`` (E, n_test) uint8 and ``confidence`` (E, n_test)
    float32: the predicted class of every evaluated test image and its probability, at every evaluation
    (row j belongs to evaluation j).
``/events/``: ``step`` (V,) int64, ``kind`` (V,) str ("lr", "momentum", "paused", "resumed", "error"),
    ``value`` (V,) float64 (NaN where none), ``message`` (V,) str.

Crash safety: the file is created under a temporary name, laid out, flushed and only then renamed into place,
so a session file exists only in a readable state. It is flushed after every snapshot, evaluation and event
(steps are buffered in memory and written with them, or every ``STEP_BUFFER`` steps), each time in two
flushes: the data, then the ``count`` attributes that commit it. So a process killed at any moment, even with
SIGKILL, leaves a file that opens with ``status`` "running" and holds every row committed before the kill.
Datasets that grow between flushes are stored uncompressed, so that their chunks are rewritten in place: a
compressed chunk moves when it grows, and the space it leaves may be reused before the next flush. Snapshots
of large parameters and the predictions are compressed (gzip with shuffle), one chunk per snapshot or
evaluation, each written once.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import h5py
import numpy as np
import platformdirs

from cnnviz import __version__
from cnnviz.core import ConfigError, Network
from cnnviz.data import resources_dir
from cnnviz.training import (
    EvalRecord,
    EventRecord,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
    TrainConfig,
)

__all__ = [
    "FORMAT", "FORMAT_VERSION", "STATUSES", "METRICS", "SessionError", "SessionWriter", "SessionReader",
    "default_session_dir", "default_session_path", "short_config",
]

FORMAT = "cnnviz-session"
FORMAT_VERSION = 1
STATUSES = ("running", "complete", "stopped", "failed")
METRICS = ("step", "epoch", "loss", "accuracy", "lr", "momentum", "time", "images_per_second")
_INT_METRICS = ("step", "epoch")
EVAL_SERIES = ("step", "epoch", "test_loss", "test_accuracy")
REQUIRED = {
    "metrics": METRICS,
    "eval": (*EVAL_SERIES, "confusion"),
    "params": ("step", "epoch"),
    "probe": ("indices", "labels", "images", "probs"),
    "predictions": ("step", "predicted", "confidence"),
    "events": ("step", "kind", "value", "message"),
}
COUNTED = ("metrics", "eval", "params", "predictions", "events")  # groups with a ``count`` attribute
STEP_BUFFER = 2048  # steps kept in memory at most before they are written and flushed
_SERIES_CHUNK = 2048  # rows a chunk of a 1-D series at most (16 KiB of float64)
_SMALL_CHUNK = 16 * 1024  # bytes: uncompressed chunks of small growing arrays hold this much
_BIG = 16 * 1024  # bytes: a snapshot of a parameter at least this large is compressed, one chunk each
_MAX_CHUNK = 1024 * 1024  # bytes: no chunk larger than this
_COMPRESS = dict(compression="gzip", compression_opts=1, shuffle=True)


class SessionError(ValueError):
    """A session file that cannot be written or read; str() is one sentence naming the file and the problem."""


# -- where sessions go ----------------------------------------------------------------------------------------

def short_config(config: TrainConfig) -> str:
    """The architecture and preset in a few characters, e.g. ``c32-64_f100-200-10_lecture``."""
    net = config.network
    conv = "-".join(str(c.filters) for c in net.conv) or "0"
    return f"c{conv}_f{'-'.join(map(str, net.fc))}_{config.preset}"


def default_session_dir() -> Path:
    """``sessions/`` of the repository when running from a checkout, else the user data directory's."""
    checkout = resources_dir().parent / "sessions"
    return checkout if checkout.is_dir() else platformdirs.user_data_path("cnnviz") / "sessions"


def default_session_path(config: TrainConfig, directory: str | Path | None = None) -> Path:
    """``<directory>/<YYYYmmdd-HHMMSS>-<short config>.h5`` (local time), with ``-2``, ``-3``... added rather
    than overwrite an existing file. The directory is not created here (the writer does it)."""
    directory = Path(directory) if directory is not None else default_session_dir()
    stem = f"{datetime.now():%Y%m%d-%H%M%S}-{short_config(config)}"
    path, n = directory / f"{stem}.h5", 1
    while path.exists() or _temporary(path).exists():
        n += 1
        path = directory / f"{stem}-{n}.h5"
    return path


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def _data_path(source: str) -> str | None:
    """The absolute directory of a data source (None for the bundled sample), so that it is found again from
    any working directory."""
    return None if source.startswith("bundled sample") else str(Path(source).resolve())


def _param_path(name: str) -> str:
    """``conv1.W`` -> ``conv1/W`` (inside /params)."""
    return name.replace(".", "/")


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
        tmp = _temporary(self.path)
        try:
            with h5py.File(tmp, "w") as f:
                self._layout(f, start, total, n_snaps, n_evals)
            # The session appears under its name only once it is a complete, valid file.
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
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


# -- reading --------------------------------------------------------------------------------------------------

def _open(path: Path) -> h5py.File:
    """The file opened read-only, or SessionError saying why it cannot be."""
    if not path.exists():
        raise SessionError(f"{path} does not exist.")
    if path.is_dir():
        raise SessionError(f"{path} is a directory, not a session file.")
    try:
        size = path.stat().st_size
        is_hdf5 = size > 0 and h5py.is_hdf5(path)
    except OSError as e:
        raise SessionError(f"{path} cannot be read ({e.strerror or e}).") from None
    if size == 0:
        raise SessionError(f"{path} is empty, not a cnnviz session file.")
    if not is_hdf5:
        raise SessionError(f"{path} is not an HDF5 file, so not a cnnviz session.")
    try:
        try:
            return h5py.File(path, "r")
        except OSError as e:
            if "lock" not in str(e):
                raise
            # Being written by another process (which holds the lock): look at it as it was at the last flush.
            return h5py.File(path, "r", locking=False)
    except OSError as e:
        detail = str(e).split("(", 1)[-1].rstrip(")") if "(" in str(e) else str(e)
        if "truncated" in str(e):
            sizes = re.search(r"eof = (\d+).*stored_eof = (\d+)", str(e))
            detail = f"it has {int(sizes[1]):,} of its {int(sizes[2]):,} bytes" if sizes else detail
            raise SessionError(f"{path} is truncated: {detail}.") from None
        raise SessionError(f"{path} is damaged and cannot be opened as HDF5 ({detail}).") from None


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class SessionReader:
    """A session file opened read-only and checked; nothing is ever written to it.

    ``SessionReader(path)`` raises :class:`SessionError` (one sentence) for a file that is missing, not HDF5,
    truncated, another program's, of a newer format version, or missing a group or dataset.
    Snapshots and evaluations are indexed from 0 (negative indices count from the end).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._file = _open(self.path)
        try:
            self._check()
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> SessionReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def __repr__(self) -> str:
        return (f"SessionReader({str(self.path)!r}: {self.status}, {self.n_steps} steps, "
                f"{self.n_snapshots} snapshots, {self.n_evals} evaluations)")

    # -- checks ---------------------------------------------------------------------------------------------

    def _fail(self, problem: str) -> SessionError:
        return SessionError(f"{self.path} {problem}.")

    def _check(self) -> None:
        f, attrs = self._file, self._file.attrs
        try:
            if "format" not in attrs:
                raise self._fail("is an HDF5 file but not a cnnviz session (it has no 'format' attribute)")
            fmt = _text(attrs["format"])
            if fmt != FORMAT:
                raise self._fail(f"is an HDF5 file but not a cnnviz session (its format is {fmt!r}, not {FORMAT!r})")
            version = attrs.get("format_version")
            if version is None or np.ndim(version) != 0 or not np.issubdtype(np.asarray(version).dtype, np.integer):
                raise self._fail(f"has no valid format version ({version!r})")
            self.format_version = int(version)
            if self.format_version > FORMAT_VERSION:
                raise self._fail(f"was written by a newer cnnviz (session format version {self.format_version}; "
                                 f"cnnviz {__version__} reads versions up to {FORMAT_VERSION})")
            if self.format_version < 1:
                raise self._fail(f"has an invalid format version {self.format_version}")
            for group, names in REQUIRED.items():
                if not isinstance(f.get(group), h5py.Group):
                    raise self._fail(f"is incomplete: it has no /{group} group")
                for name in names:
                    if not isinstance(f[group].get(name), h5py.Dataset):
                        raise self._fail(f"is incomplete: it has no /{group}/{name} dataset")
            self.status = _text(attrs.get("status", "running"))
            self.created = _text(attrs.get("created", ""))
            self.cnnviz_version = _text(attrs.get("cnnviz_version", ""))
            try:
                self.config: dict = json.loads(_text(attrs["config"]))
                self.train_config = TrainConfig.from_dict(self.config["train"])
                data = self.config.get("data", {})
                self.data_source: str = str(data.get("source", ""))
                self.data_path: str | None = data.get("path")
                self.n_train = int(data.get("n_train", 0))
            except (KeyError, TypeError, ValueError, ConfigError) as e:
                raise self._fail(f"has an unreadable configuration ({type(e).__name__}: {e})") from None
            self.n_test = int(f["eval"].attrs.get("n_test", data.get("n_test", 0)))
            self.steps_per_epoch = int(attrs.get("steps_per_epoch", 0))
            self.total_steps = int(attrs.get("total_steps", 0))
            self.dtype = np.dtype(self.train_config.dtype)
            self.param_shapes = Network(self.train_config.network, dtype=self.dtype).params
            self.param_shapes = {name: p.shape for name, p in self.param_shapes.items()}
            self._params = {}
            for name, shape in self.param_shapes.items():
                ds = f["params"].get(_param_path(name))
                if not isinstance(ds, h5py.Dataset):
                    raise self._fail(f"is incomplete: it has no /params/{_param_path(name)} dataset")
                if ds.shape[1:] != shape:
                    raise self._fail(f"is damaged: /params/{_param_path(name)} holds arrays of shape {ds.shape[1:]}, "
                                     f"the configured network's {name} is {shape}")
                self._params[name] = ds
            # Rows to trust: those every dataset of a group has, and no more than its ``count`` attribute
            # says were committed (an interrupted file may hold a partly written row beyond it).
            def rows(group: str, datasets) -> int:
                n = min(len(ds) for ds in datasets)
                committed = f[group].attrs.get("count")
                return n if committed is None else min(n, int(committed))

            self.n_steps = rows("metrics", [f["metrics"][n] for n in METRICS])
            self.n_snapshots = rows("params", [f["params/step"], f["params/epoch"], f["probe/probs"],
                                               *self._params.values()])
            self.n_evals = rows("eval", [f["eval"][n] for n in REQUIRED["eval"]])
            self.n_predictions = rows("predictions", [f["predictions"][n] for n in REQUIRED["predictions"]])
            self.n_events = rows("events", [f["events"][n] for n in REQUIRED["events"]])
            self.snapshot_steps = self._read("params/step", slice(0, self.n_snapshots))
            self.snapshot_epochs = self._read("params/epoch", slice(0, self.n_snapshots))
        except SessionError:
            raise
        except (OSError, RuntimeError, KeyError) as e:
            raise self._fail(f"is damaged ({e})") from None

    def _read(self, name: str, selection=()) -> np.ndarray:
        try:
            return self._file[name][selection]
        except (OSError, RuntimeError) as e:
            raise self._fail(f"is damaged: /{name} cannot be read ({e})") from None

    @staticmethod
    def _index(i: int, n: int, what: str) -> int:
        if not -n <= i < n:
            raise IndexError(f"{what} {i} does not exist: there are {n}")
        return i % n

    # -- content --------------------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size

    def params(self, i: int) -> dict[str, np.ndarray]:
        """The parameters of snapshot ``i`` (keys and shapes of ``Network.params``, the run's dtype)."""
        i = self._index(i, self.n_snapshots, "snapshot")
        try:
            return {name: ds[i] for name, ds in self._params.items()}
        except (OSError, RuntimeError) as e:
            raise self._fail(f"is damaged: snapshot {i} cannot be read ({e})") from None

    def network(self, i: int, into: Network | None = None) -> Network:
        """A :class:`Network` with the parameters of snapshot ``i`` (``into`` is reused when given)."""
        params = self.params(i)
        network = into or Network(self.train_config.network, seed=self.train_config.seed, dtype=self.dtype)
        network.set_params(params)
        return network

    def metrics(self) -> dict[str, np.ndarray]:
        """Per-step series: ``step``, ``epoch``, ``loss``, ``accuracy``, ``lr``, ``momentum``, ``time``,
        ``images_per_second``."""
        return {name: self._read(f"metrics/{name}", slice(0, self.n_steps)) for name in METRICS}

    def evals(self) -> dict[str, np.ndarray]:
        """Per-evaluation series: ``step``, ``epoch``, ``test_loss``, ``test_accuracy``, ``confusion`` (E, k, k)."""
        return {name: self._read(f"eval/{name}", slice(0, self.n_evals)) for name in REQUIRED["eval"]}

    def predictions(self, j: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """``(predicted, confidence)`` of evaluation ``j``: the class and its probability, per test image."""
        j = self._index(j, self.n_predictions, "evaluation")
        return self._read("predictions/predicted", j), self._read("predictions/confidence", j)

    def probe(self) -> dict[str, np.ndarray]:
        """``indices`` (P,), ``labels`` (P,), ``images`` (P, H, W), ``probs`` (S, P, k) per snapshot."""
        return {"indices": self._read("probe/indices"), "labels": self._read("probe/labels"),
                "images": self._read("probe/images"), "probs": self._read("probe/probs", slice(0, self.n_snapshots))}

    def events(self) -> list[EventRecord]:
        n = self.n_events
        steps, kinds = self._read("events/step", slice(0, n)), self._read("events/kind", slice(0, n))
        values, messages = self._read("events/value", slice(0, n)), self._read("events/message", slice(0, n))
        return [EventRecord(int(s), _text(k), float(v), _text(m)) for s, k, v, m in zip(steps, kinds, values, messages)]

    # -- as the trainer's records (for the replay) ----------------------------------------------------------

    def start_record(self) -> RunStart:
        probe = self.probe()
        return RunStart(self.train_config, self.data_source, self.n_train, self.n_test, self.steps_per_epoch,
                        self.total_steps, probe["indices"], probe["images"], probe["labels"], dict(self.param_shapes))

    def step_records(self) -> Iterator[StepRecord]:
        m = self.metrics()
        for row in zip(*(m[name].tolist() for name in METRICS)):
            yield StepRecord(*row)

    def snapshot_record(self, i: int) -> SnapshotRecord:
        i = self._index(i, self.n_snapshots, "snapshot")
        return SnapshotRecord(int(self.snapshot_steps[i]), int(self.snapshot_epochs[i]), self.params(i),
                              self._read("probe/probs", i))

    def eval_record(self, j: int) -> EvalRecord:
        j = self._index(j, self.n_evals, "evaluation")
        row = {name: self._read(f"eval/{name}", j) for name in REQUIRED["eval"]}
        if j < self.n_predictions:
            predicted, confidence = self.predictions(j)
        else:
            predicted, confidence = np.zeros(0, np.uint8), np.zeros(0, np.float32)
        return EvalRecord(int(row["step"]), int(row["epoch"]), float(row["test_loss"]), float(row["test_accuracy"]),
                          row["confusion"], predicted, confidence)

    def end_record(self) -> RunEnd:
        """How the run ended; a file still "running" (the writer was killed) ends as "failed"."""
        attrs = self._file.attrs
        last = int(self._read("metrics/step", self.n_steps - 1)) if self.n_steps else 0
        if self.status == "running":
            return RunEnd("failed", last, "the session file was not closed: the run was interrupted")
        return RunEnd(self.status, int(attrs.get("end_step", last)), _text(attrs.get("end_message", "")))

    def records(self) -> Iterator[Record]:
        """Everything in the order the trainer yielded it: RunStart; snapshot 0; then for each step its
        StepRecord, the snapshot and evaluation of that step, and the events that followed; finally RunEnd."""
        yield self.start_record()
        cfg, per_epoch = self.train_config, self.steps_per_epoch
        snaps: dict[int, list[int]] = {}
        for i, s in enumerate(self.snapshot_steps.tolist()):
            snaps.setdefault(s, []).append(i)
        evals: dict[int, list[int]] = {}
        for j, s in enumerate(self._read("eval/step", slice(0, self.n_evals)).tolist()):
            evals.setdefault(s, []).append(j)
        events: dict[int, list[EventRecord]] = {}
        for e in self.events():
            events.setdefault(e.step, []).append(e)

        def at(step: int) -> Iterator[Record]:
            # The trainer's order at one step: a scheduled snapshot, a scheduled or end-of-epoch evaluation,
            # then the final snapshot and the final evaluation of the run if they were not taken yet.
            scheduled_snapshot = step == 0 or (cfg.snapshot_every and step % cfg.snapshot_every == 0)
            scheduled_eval = (cfg.eval_every and step % cfg.eval_every == 0) or (per_epoch and step % per_epoch == 0)
            snapshots = [self.snapshot_record(i) for i in snaps.pop(step, ())]
            evaluations = [self.eval_record(j) for j in evals.pop(step, ())]
            if scheduled_snapshot or not scheduled_eval:
                yield from snapshots
                yield from evaluations
            else:
                yield from evaluations
                yield from snapshots
            yield from events.pop(step, ())

        yield from at(0)
        for record in self.step_records():
            yield record
            yield from at(record.step)
        for step in sorted(set(snaps) | set(evals) | set(events)):  # anything at a step with no StepRecord
            yield from at(step)
        yield self.end_record()
