"""The session file format: its schema, its constants, and where sessions go (no Qt here).

Readable with plain h5py (``h5py.File(path, "r")``); :mod:`.writer` writes them (fed the trainer's records in
the training thread) and :mod:`.reader` reads them (for the replay and the command line).
``docs/session-format.md`` holds the same schema with examples.

Schema, format version 3 (version 2: every evaluation is of the whole test set, and ``/eval/n_images`` may be
missing; version 1 is version 2 without ``/state`` and the ``parent_*`` attributes)
--------------------------------------------------------------------------------------------------
Time is axis 0 of every series. Growing datasets are created once at the start of the run with
``maxshape=(None, ...)`` and chunked; S is the number of snapshots, E of evaluations, P of probe images, k of
classes, N of steps, V of events. Every growing group has an int attribute ``count``: the rows committed at
the last flush (a file whose writer was killed may hold a partly written row beyond it).

Root attributes:
    ``format`` = "cnnviz-session"; ``format_version`` = 3 where an evaluation is of part of the test set (the
    window's early evaluations), else 2, which older cnnviz reads as well (int; 1 for files of cnnviz before
    forks); ``created`` (ISO-8601 UTC, e.g.
    2024-06-11T09:30:00Z); ``cnnviz_version``; ``status``: "running" (being written, or interrupted: the
    writer never closed the file), "complete", "stopped" (by the user) or "failed"; ``config``: JSON
    ``{"train": TrainConfig.to_dict(), "data": {"source", "path", "n_train", "n_test", "train_sha256",
    "test_sha256"}}`` where ``source`` is "bundled sample (...)" or the MNIST directory as given, ``path`` that
    directory made absolute (null for the sample), ``train_sha256`` and ``test_sha256`` what identifies the
    images and labels used (:func:`cnnviz.data.digest`; missing in files written before cnnviz recorded them:
    a fork, a replay and ``predict`` check the data by them); ``steps_per_epoch``, ``total_steps`` (planned);
    ``end_step`` and ``end_message`` (written when the file is closed); optional ``class_names`` (k,) str:
    what the labels 0..k-1 mean ("T-shirt/top"...; a file without it, written before class names were
    recorded, means the digits "0".."9").
``/metrics/``: ``step`` (N,) int64 (1-based), ``epoch`` int64, ``loss``, ``accuracy`` (of the minibatch,
    before the update), ``lr``, ``momentum``, ``time`` (seconds since the run started, pauses excluded) and
    ``images_per_second``, all float64.
``/eval/``: ``step``, ``epoch`` (E,) int64, ``test_loss``, ``test_accuracy`` (E,) float64, ``confusion``
    (E, k, k) int64 (row = true class, column = predicted), ``n_images`` (E,) int64: the evaluation was of the
    first ``n_images`` test images (an early one: fewer than ``n_test``; missing in files of version 1 and in
    some of version 2: ``n_test``); attribute ``n_test``: the first ``n_test`` images of the test set were
    evaluated at the end of each epoch.
``/params/``: ``step``, ``epoch`` (S,) int64 and, for every parameter of the network, ``/params/<layer>/<name>``
    (``conv1.W`` is ``/params/conv1/W``) of shape (S, *shape in Network.params) in the run's dtype: the
    parameters at step 0, every ``snapshot_every`` steps and at the end (the final snapshot and the final
    evaluation share the last step).
``/probe/``: ``indices`` (P,) int64 (into the test set), ``labels`` (P,) uint8, ``images`` (P, H, W) uint8,
    ``probs`` (S, P, k): the output probabilities of the probe images at every snapshot. Feature maps are
    not stored: the replay recomputes them exactly from the snapshot's parameters.
``/predictions/``: ``step`` (E,) int64, ``predicted`` (E, n_test) uint8 and ``confidence`` (E, n_test)
    float32: the predicted class of every evaluated test image and its probability, at every evaluation
    (row j belongs to evaluation j; beyond its ``n_images`` a row holds 0 and NaN).
``/events/``: ``step`` (V,) int64, ``kind`` (V,) str ("lr", "momentum", "paused", "resumed", "error",
    "rollback": its value is the step whose parameters were restored; "stalled": the loss stayed at chance for
    STALL_STEPS steps after a rollback (cnnviz.training), its value the step rolled back to; "fork": the first
    event of a forked run, its value the step forked from, its message what the fork continued),
    ``value`` (V,) float64 (NaN where none), ``message`` (V,) str.
``/state/`` (version 2): what continuing the run exactly from each snapshot needs, one row per snapshot (the
    rows of /params, counted by its ``count``): ``velocity/<layer>/<name>`` (S, *shape), the run's dtype: the
    momentum's velocity ``M`` of every parameter; ``epoch`` (S,) int64: the epoch in progress (1-based);
    ``position`` (S,) int64: the training images of that epoch's permutation used so far; ``shuffle`` (S,) str:
    the shuffling generator's state at the start of that epoch; ``dropout`` (S,) str: a JSON list of the
    states of the worker threads' dropout generators after the snapshot's step (generator states are NumPy's
    ``bit_generator.state`` dicts as JSON); ``base_lr``, ``momentum`` (S,) float64 and ``lr_schedule`` (S,) str:
    the settings in force. A row whose ``shuffle`` is "" recorded no state (its velocity is zeros).
Root attributes of a forked run (version 2, only in a fork): ``parent_file`` (the parent session's file name),
    ``parent_created`` (the parent's ``created``), ``parent_step`` (int: the snapshot step it continues from)
    and ``parent_path`` (the parent's absolute path when the fork was made; the file may have moved since).
    A fork holds its own steps only: its first snapshot is the parent's at ``parent_step``, its steps follow.

The same schema as data: :data:`DATASETS` (type and shape of every dataset but the parameters, which follow the
configured network); the reader checks a file against it when it opens one, and refuses a dataset that differs.

Crash safety: the file is created under a temporary name of its own, laid out, flushed and only then
published under its name with a hard link, which fails if anything exists there (:func:`publish`): a session
file exists only in a readable state, and two runs given the same path can never both have it. It is flushed after every snapshot, evaluation and event
(steps are buffered in memory and written with them, or every ``STEP_BUFFER`` steps), each time in two
flushes: the data, then the ``count`` attributes that commit it. So a process killed at any moment, even with
SIGKILL, leaves a file that opens with ``status`` "running" and holds every row committed before the kill. A
write that fails (a full disk) leaves the same: the writer never touches the file again (see :mod:`.writer`).
Datasets that grow between flushes are stored uncompressed, so that their chunks are rewritten in place: a
compressed chunk moves when it grows, and the space it leaves may be reused before the next flush. Snapshots
of large parameters and the predictions are compressed (gzip with shuffle), one chunk per snapshot or
evaluation, each written once.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import platformdirs

from cnnviz import files
from cnnviz.config import TrainConfig
from cnnviz.data import resources_dir
from cnnviz.datasets import DataSource
from cnnviz.errors import QT_TRANSLATE_NOOP, SessionError
from cnnviz.records import METRICS

FORMAT = "cnnviz-session"
FORMAT_VERSION = 3  # the newest this cnnviz reads; it writes 2 unless a file needs 3 (see above)
STATUSES = ("running", "complete", "stopped", "failed")
DIGESTS = ("train_sha256", "test_sha256")  # the data's digests in the configuration's "data" (if recorded)
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
# Every dataset of the schema but the parameters (checked against the configured network): its type ("int": any
# integer type, "float", "uint8", "str") and its shape, axis by axis. "time" is a growing axis (any length: a
# reader trusts the rows up to its group's ``count``); "P" is the number of probe images (the length of
# /probe/indices), "k" of classes, "n_test" of evaluated test images, "H" and "W" the input images' size.
DATASETS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{f"metrics/{name}": ("int" if name in _INT_METRICS else "float", ("time",)) for name in METRICS},
    **{f"eval/{name}": ("int" if name in _INT_METRICS else "float", ("time",)) for name in EVAL_SERIES},
    "eval/confusion": ("int", ("time", "k", "k")),
    "eval/n_images": ("int", ("time",)),  # required from version 3
    "params/step": ("int", ("time",)),
    "params/epoch": ("int", ("time",)),
    "probe/indices": ("int", ("P",)),
    "probe/labels": ("int", ("P",)),
    "probe/images": ("uint8", ("P", "H", "W")),
    "probe/probs": ("float", ("time", "P", "k")),
    "predictions/step": ("int", ("time",)),
    "predictions/predicted": ("int", ("time", "n_test")),
    "predictions/confidence": ("float", ("time", "n_test")),
    "events/step": ("int", ("time",)),
    "events/kind": ("str", ("time",)),
    "events/value": ("float", ("time",)),
    "events/message": ("str", ("time",)),
}
# Format version 2: the training state of every snapshot (besides /state/velocity/<layer>/<name>, which follows
# the network like /params), as :data:`DATASETS` describes the rest.
STATE_SERIES = ("epoch", "position", "shuffle", "dropout", "base_lr", "lr_schedule", "momentum")
STATE_DATASETS: dict[str, tuple[str, tuple[str, ...]]] = {
    f"state/{name}": ("int" if name in ("epoch", "position") else "float" if name in ("base_lr", "momentum")
                      else "str", ("time",)) for name in STATE_SERIES
}
STEP_BUFFER = 2048  # steps kept in memory at most before they are written and flushed
_SERIES_CHUNK = 2048  # rows a chunk of a 1-D series at most (16 KiB of float64)
_SMALL_CHUNK = 16 * 1024  # bytes: uncompressed chunks of small growing arrays hold this much
_BIG = 16 * 1024  # bytes: a snapshot of a parameter at least this large is compressed, one chunk each
_MAX_CHUNK = 1024 * 1024  # bytes: no chunk larger than this
# Bytes of HDF5's raw-data chunk cache for each open dataset (h5py's default is 1 MiB). A growing dataset's chunk
# (at most _SMALL_CHUNK) stays cached while rows are appended to it; a snapshot's large chunk is written or read
# whole, once, and needs no cache. With the default, the 40-odd datasets of a session each came to hold up to
# 1 MiB of old chunks, so a writer's memory grew all run long (docs/speed.md, the soak).
CHUNK_CACHE = 256 * 1024
_COMPRESS = {"compression": "gzip", "compression_opts": 1, "shuffle": True}


# -- where sessions go ----------------------------------------------------------------------------------------

def short_config(config: TrainConfig) -> str:
    """The architecture and preset in a few characters, e.g. ``c32-64_f100-200-10_lecture``."""
    net = config.network
    conv = "-".join(str(c.filters) for c in net.conv) or "0"
    return f"c{conv}_f{'-'.join(map(str, net.fc))}_{config.preset}"


def default_session_dir() -> Path:
    """Where a run without ``--out`` goes: the directory in the environment variable ``CNNVIZ_SESSIONS`` if it is
    set (created when a session is written there), else ``sessions/`` of the repository when running from a checkout,
    else the user data directory's."""
    if os.environ.get("CNNVIZ_SESSIONS"):
        return Path(os.environ["CNNVIZ_SESSIONS"]).expanduser()
    checkout = resources_dir().parent / "sessions"
    return checkout if checkout.is_dir() else platformdirs.user_data_path("cnnviz") / "sessions"


def default_session_path(config: TrainConfig, directory: str | Path | None = None) -> Path:
    """``<directory>/<YYYYmmdd-HHMMSS>-<short config>.h5`` (local time), with ``-2``, ``-3``... added rather
    than overwrite an existing file. The directory is not created here (the writer does it)."""
    directory = Path(directory) if directory is not None else default_session_dir()
    stem = f"{datetime.now():%Y%m%d-%H%M%S}-{short_config(config)}"
    path, n = directory / f"{stem}.h5", 1
    while path.exists() or any(directory.glob(f".{path.name}.*.part")):
        n += 1
        path = directory / f"{stem}-{n}.h5"
    return path


def publish(tmp: Path, path: Path) -> None:
    """Give the finished temporary file (:func:`cnnviz.files.temporary_path`) its name without ever replacing a
    file (:func:`cnnviz.files.publish`): SessionError if ``path`` exists, even if it appeared a moment ago."""
    try:
        files.publish(tmp, path)
    except FileExistsError:
        raise exists(path) from None


def exists(path: Path) -> SessionError:
    """The refusal of a session ``path`` that exists: a session never overwrites a file."""
    return SessionError.said(QT_TRANSLATE_NOOP("Session", "{path} exists; a session never overwrites a file: choose "
                                               "another name."), path=path)


def _data_path(source: str) -> str | None:
    """The absolute directory of a data source (None for the bundled sample), so that it is found again from
    any working directory."""
    return None if DataSource.parse(source).is_sample else str(Path(source).resolve())


def _param_path(name: str) -> str:
    """``conv1.W`` -> ``conv1/W`` (inside /params)."""
    return name.replace(".", "/")
