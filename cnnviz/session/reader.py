"""Reading a session file: :class:`SessionReader`, read-only and checked (for the replay and the command line).

The schema is in :mod:`cnnviz.session.schema`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import h5py
import numpy as np

from cnnviz import __version__
from cnnviz.config import TrainConfig
from cnnviz.core import Network
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, Text
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    ForkPoint,
    ParentRun,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
    TrainState,
)
from cnnviz.session.opening import open_session
from cnnviz.session.schema import (
    DATASETS,
    DIGESTS,
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    REQUIRED,
    STATE_DATASETS,
    STATE_SERIES,
    STATUSES,
    SessionError,
    _param_path,
)
from cnnviz.session.values import RULES, problem, state_problem
from cnnviz.system import available_memory, format_bytes

GENERATOR = type(np.random.default_rng(0).bit_generator).__name__  # the trainer's random generators ("PCG64")
MAX_COMPRESSION = 1100  # no stored series compresses better than deflate's limit of about 1032 to 1

# -- reading --------------------------------------------------------------------------------------------------

def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _type_name(dtype: np.dtype) -> str:
    if h5py.check_string_dtype(dtype) is not None:
        return "strings"
    return str(dtype) if dtype.fields is None else "compound records"


class SessionReader:
    """A session file opened read-only and checked; nothing is ever written to it.

    ``SessionReader(path)`` raises :class:`SessionError` (one sentence) for a file that is missing, not HDF5,
    truncated, another program's, of a newer format version, missing a group or dataset, or damaged: a dataset
    of another type or shape than the schema's (:data:`~cnnviz.session.schema.DATASETS`, the parameters against
    the configured network), an attribute that is not what it should be (a ``count`` below 0 or beyond the rows
    that are there, an unknown status), probe labels or indices out of range. Every check is made when the file
    is opened, so that nothing downstream meets an array of the wrong shape.
    Snapshots and evaluations are indexed from 0 (negative indices count from the end).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._file = open_session(self.path)
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

    def _fail(self, template: str, **values) -> SessionError:
        """The SessionError of ``template`` (a sentence about ``{path}``, this file) with ``values``."""
        return SessionError.said(template, path=self.path, **values)

    def _check(self) -> None:
        try:
            self._check_format()
            self._check_config()
            self._check_datasets()
        except SessionError:
            raise
        except (OSError, RuntimeError, KeyError, ValueError, TypeError) as e:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged ({why})."), why=e) from None

    def _int_attr(self, obj, name: str, default: int | None = None, *, group: str = "") -> int | None:
        """An integer attribute, 0 or more (``default`` where it is missing); SessionError otherwise (naming
        ``group``, where ``obj`` is one)."""
        if name not in obj.attrs:
            return default
        value = obj.attrs[name]
        if np.ndim(value) != 0 or not np.issubdtype(np.asarray(value).dtype, np.integer) or int(value) < 0:
            shown = Text("Session", QT_TRANSLATE_NOOP("Session", "an array of shape {shape}"), shape=np.shape(value)) \
                if np.ndim(value) else repr(np.asarray(value).item())
            template = (QT_TRANSLATE_NOOP("Session", "{path} is damaged: its /{group} group's '{name}' attribute is "
                                          "{shown}, not a whole number 0 or more.") if group else
                        QT_TRANSLATE_NOOP("Session", "{path} is damaged: its '{name}' attribute is {shown}, not a "
                                          "whole number 0 or more."))
            raise self._fail(template, group=group, name=name, shown=shown)
        return int(value)

    def _check_format(self) -> None:
        attrs = self._file.attrs
        if "format" not in attrs:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is an HDF5 file but not a cnnviz session (it has no "
                                               "'format' attribute)."))
        fmt = _text(attrs["format"])
        if fmt != FORMAT:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is an HDF5 file but not a cnnviz session (its format "
                                               "is {format}, not {expected})."),
                             format=repr(fmt), expected=repr(FORMAT))
        version = attrs.get("format_version")
        if version is None or np.ndim(version) != 0 or not np.issubdtype(np.asarray(version).dtype, np.integer):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} has no valid format version ({version})."),
                             version=repr(version))
        self.format_version = int(version)
        if self.format_version > FORMAT_VERSION:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} was written by a newer cnnviz (session format "
                                               "version {version}; cnnviz {cnnviz} reads versions up to {newest})."),
                             version=self.format_version, cnnviz=__version__, newest=FORMAT_VERSION)
        if self.format_version < 1:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} has an invalid format version {version}."),
                             version=self.format_version)
        self.status = _text(attrs.get("status", "running"))
        if self.status not in STATUSES:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: its status {status} is not one of "
                                               "{statuses}."), status=repr(self.status), statuses=", ".join(STATUSES))
        self.created = _text(attrs.get("created", ""))
        self.cnnviz_version = _text(attrs.get("cnnviz_version", ""))
        self.steps_per_epoch = self._int_attr(self._file, "steps_per_epoch", 0)
        self.total_steps = self._int_attr(self._file, "total_steps", 0)
        self._end_step = self._int_attr(self._file, "end_step")
        self.parent: ParentRun | None = None  # the run this one was forked from (version 2)
        if "parent_step" in attrs:
            self.parent = ParentRun(_text(attrs.get("parent_file", "")), _text(attrs.get("parent_created", "")),
                                    self._int_attr(self._file, "parent_step", 0), _text(attrs.get("parent_path", "")))

    def _check_config(self) -> None:
        try:
            self.config: dict = json.loads(_text(self._file.attrs["config"]))
            self.train_config = TrainConfig.from_dict(self.config["train"])
            data = self.config.get("data", {})
            self.data_source: str = str(data.get("source", ""))
            path = data.get("path")
            self.data_path: str | None = None if path is None else str(path)
            self.n_train = int(data.get("n_train", 0))
            n_test = int(data.get("n_test", 0))
            if self.n_train < 0 or n_test < 0:
                raise ValueError(f"negative image counts {self.n_train} and {n_test}")
            # What identifies the data (cnnviz.data.MNIST.digests); files written before cnnviz recorded it have none.
            self.data_digests: dict[str, str] = {key: data[key] for key in DIGESTS if key in data}
            for key, value in self.data_digests.items():
                if not (isinstance(value, str) and re.fullmatch("[0-9a-f]{64}", value)):
                    raise ValueError(f"the data's {key} {value!r} is not a SHA-256 digest")
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError, ConfigError) as e:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} has an unreadable configuration ({why})."),
                             why=f"{type(e).__name__}: {e}") from None
        self.dtype = np.dtype(self.train_config.dtype)
        self.param_shapes = self.train_config.network.param_shapes()
        self.n_test = self._int_attr(self._file["eval"], "n_test", n_test, group="eval") \
            if isinstance(self._file.get("eval"), h5py.Group) else n_test
        self.class_names = self._class_names(self.train_config.network.n_classes)

    def _class_names(self, k: int) -> tuple[str, ...]:
        """The optional root attribute ``class_names``: k strings; the digits (0..k-1) where it is missing."""
        value = self._file.attrs.get("class_names")
        if value is None:
            return tuple(str(i) for i in range(k))
        names = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in np.atleast_1d(value).tolist()]
        if np.ndim(value) != 1 or len(names) != k or not all(isinstance(n, str) and n for n in names):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: its 'class_names' attribute is not {k} "
                                               "names, one for each class."), k=k)
        return tuple(names)

    def _check_datasets(self) -> None:
        """Every group and dataset of the schema is there, of its type and shape; the ``count`` attributes fit."""
        f = self._file
        groups = {}
        required = dict(REQUIRED)
        if self.format_version >= 2:
            required["state"] = STATE_SERIES
        if self.format_version >= 3:
            required["eval"] = (*required["eval"], "n_images")
        for group in required:
            groups[group] = f.get(group)
            if not isinstance(groups[group], h5py.Group):
                raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is incomplete: it has no /{group} group."),
                                 group=group)
        found: dict[str, h5py.Dataset] = {}  # each looked up once: h5py's look-ups are slow next to the checks
        for group, names in required.items():
            for name in names:
                found[f"{group}/{name}"] = ds = groups[group].get(name)
                if not isinstance(ds, h5py.Dataset):
                    raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is incomplete: it has no /{name} dataset."),
                                     name=f"{group}/{name}")
        if isinstance(f.get("eval/n_images"), h5py.Dataset):  # required from version 3, in some files of 2
            found["eval/n_images"] = f["eval/n_images"]
        net = self.train_config.network
        indices = found["probe/indices"]
        sizes = {"k": net.n_classes, "n_test": self.n_test, "H": net.input_shape[1], "W": net.input_shape[2],
                 "P": indices.shape[0] if indices.ndim == 1 else -1}
        schema = {**DATASETS, **(STATE_DATASETS if self.format_version >= 2 else {})}
        datasets = {name: (kind, tuple(sizes.get(axis, axis) for axis in axes))
                    for name, (kind, axes) in schema.items() if name in found}  # (the required ones are)
        self._params, self._velocity = {}, {}
        for group, into in (("params", self._params), ("state/velocity", self._velocity)):
            if group == "state/velocity" and self.format_version < 2:
                continue
            for name, shape in self.param_shapes.items():
                path = _param_path(name)
                found[f"{group}/{path}"] = ds = f.get(f"{group}/{path}")
                if not isinstance(ds, h5py.Dataset):
                    raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is incomplete: it has no /{name} dataset."),
                                     name=f"{group}/{path}")
                if ds.shape[1:] != shape:
                    raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{name} holds arrays of shape "
                                                       "{shape}, the configured network's {param} is {expected}."),
                                     name=f"{group}/{path}", shape=ds.shape[1:], param=name, expected=shape)
                datasets[f"{group}/{path}"] = ("float", ("time", *shape))
                into[name] = ds
        for name, (kind, shape) in datasets.items():
            self._check_dataset(name, found[name], kind, shape)
        self._datasets = found
        # Rows to trust: those every dataset of a group has, and no more than its ``count`` attribute says were
        # committed (an interrupted file may hold a partly written row beyond it; a count beyond the rows that
        # are there is damage).
        lengths: dict[str, dict[str, int]] = {}
        for name, (_, shape) in datasets.items():
            if shape[0] == "time":
                group = "params" if name == "probe/probs" or name.startswith("state/") else name.split("/")[0]
                lengths.setdefault(group, {})[name] = found[name].shape[0]
        rows = {}
        for group, length in lengths.items():
            short = min(length, key=length.get)
            committed = self._int_attr(groups[group], "count", group=group)
            if committed is not None and committed > length[short]:
                raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{group} has count {count} but "
                                                   "/{short} holds only {n} rows."),
                                 group=group, count=committed, short=short, n=length[short])
            rows[group] = length[short] if committed is None else committed
        self.n_steps, self.n_snapshots, self.n_evals = rows["metrics"], rows["params"], rows["eval"]
        self.n_predictions, self.n_events = rows["predictions"], rows["events"]
        self._check_sizes(datasets, rows)
        self._check_links(found)
        if self.steps_per_epoch < 1 and (self.n_steps or self.total_steps):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: it has {n} steps but {per_epoch} steps "
                                               "an epoch."), n=self.n_steps, per_epoch=self.steps_per_epoch)
        self.snapshot_steps = self._read("params/step", slice(0, self.n_snapshots))
        self.snapshot_epochs = self._read("params/epoch", slice(0, self.n_snapshots))
        probe_indices, probe_labels = self._read("probe/indices"), self._read("probe/labels")
        if len(probe_indices) and not (0 <= probe_indices.min() and probe_indices.max() < max(self.n_test, 1)):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /probe/indices holds indices outside the "
                                               "{n} test images."), n=self.n_test)
        if len(probe_labels) and not (0 <= probe_labels.min() and probe_labels.max() < net.n_classes):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /probe/labels holds labels outside the "
                                               "{k} classes."), k=net.n_classes)

    def _check_sizes(self, datasets: dict[str, tuple], rows: dict[str, int]) -> None:
        """Refuse, before anything is read, rows that the file cannot hold (more bytes than the file has, or for a
        compressed dataset more than the best compression could have packed into it: a sparse dataset, whose
        unwritten rows read as zeros) or that would not fit in memory when a series is read whole (the replay and
        the commands read every row of a series)."""
        whole, size = 0, self.path.stat().st_size
        for name, (_, shape) in datasets.items():
            if shape[0] != "time":
                continue
            group = "params" if name == "probe/probs" or name.startswith("state/") else name.split("/")[0]
            ds = self._datasets[name]
            row = int(np.prod(ds.shape[1:], dtype=np.int64)) * ds.dtype.itemsize
            claimed = rows[group] * row
            chunk = int(np.prod(ds.chunks or ds.shape, dtype=np.int64)) * ds.dtype.itemsize
            ratio = MAX_COMPRESSION if ds.compression else 1
            if claimed > size * ratio + chunk:
                raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{name} claims {rows} rows "
                                                   "({claimed}), more than its {size} can hold."),
                                 name=name, rows=f"{rows[group]:,}", claimed=format_bytes(claimed),
                                 size=format_bytes(size))
            if group != "params" or name in ("params/step", "params/epoch", "probe/probs"):
                whole += claimed  # the series read whole (parameters are read one snapshot at a time)
        available = available_memory()
        if whole > available:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} needs {needed} of memory to read its series, more "
                                               "than the {available} available."),
                             needed=format_bytes(whole), available=format_bytes(available))

    def _check_links(self, found: dict[str, h5py.Dataset]) -> None:
        """No dataset of the schema is a link into another file: a session is one file, read as it is."""
        for name in found:
            parent, _, leaf = name.rpartition("/")
            if isinstance(self._file[parent].get(leaf, getlink=True), h5py.ExternalLink):
                raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{name} is a link into another file, "
                                                   "which a session never holds."), name=name)

    def _check_dataset(self, name: str, ds: h5py.Dataset, kind: str, shape: tuple) -> None:
        """``ds`` (at ``name``) holds the type ``kind`` in the ``shape`` ("time" for a growing axis of any length)."""
        dtype, actual = ds.dtype, ds.shape
        fits = {"int": dtype.kind in "iu", "float": dtype.kind == "f", "uint8": dtype == np.uint8,
                "str": h5py.check_string_dtype(dtype) is not None}[kind]
        fits = fits and len(actual) == len(shape) and all(axis == "time" or n == axis
                                                          for n, axis in zip(actual, shape))
        if not fits:
            wanted = ", ".join("rows" if axis == "time" else str(axis) for axis in shape)
            wanted = f"({wanted},)" if len(shape) == 1 else f"({wanted})"
            what = {"int": Text("Session", QT_TRANSLATE_NOOP("Session", "integers")),
                    "float": Text("Session", QT_TRANSLATE_NOOP("Session", "floating-point numbers")),
                    "uint8": "uint8", "str": Text("Session", QT_TRANSLATE_NOOP("Session", "strings"))}[kind]
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{name} holds {dtype} of shape {shape}, "
                                               "not {what} of shape {wanted}."),
                             name=name, dtype=_type_name(dtype), shape=actual, what=what, wanted=wanted)

    def _read(self, name: str, selection=()) -> np.ndarray:
        """Rows of ``/name`` (a slice of rows, one row, or all), their values checked (:mod:`values`)."""
        try:
            values = self._datasets[name][selection]
            first, checked, previous = 0, values, None
            if isinstance(selection, slice):
                first = selection.start or 0
                if first > 0 and name in RULES and RULES[name].order:
                    previous = self._datasets[name][first - 1]
            elif isinstance(selection, (int, np.integer)):
                first, checked = int(selection), np.asarray(values)[np.newaxis]
        except (OSError, RuntimeError) as e:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /{name} cannot be read ({why})."),
                             name=name, why=e) from None
        wrong = problem(name, checked, first, previous)
        if wrong is not None:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} {problem}."), problem=wrong)
        return values

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
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: snapshot {i} cannot be read ({why})."),
                             i=i, why=e) from None

    def train_state(self, i: int) -> TrainState | None:
        """What continuing the run from snapshot ``i`` needs besides its parameters (see :class:`TrainState`), or
        None where the file has none (format version 1, or a snapshot recorded without it)."""
        i = self._index(i, self.n_snapshots, "snapshot")
        if self.format_version < 2:
            return None
        row = {name: self._read(f"state/{name}", i) for name in STATE_SERIES}
        if not _text(row["shuffle"]):
            return None
        try:
            velocity = {name: ds[i] for name, ds in self._velocity.items()}
            dropout = json.loads(_text(row["dropout"]))
            shuffle = json.loads(_text(row["shuffle"]))
            if not isinstance(dropout, list) or not all(isinstance(d, dict) for d in [*dropout, shuffle]):
                raise ValueError("a generator state is not a JSON object")
            others = {d.get("bit_generator") for d in [*dropout, shuffle]} - {GENERATOR}
            if others:
                raise ValueError(f"a generator state is of {', '.join(sorted(map(str, others)))}, not {GENERATOR}")
        except (OSError, RuntimeError, ValueError) as e:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: the training state of snapshot {i} "
                                               "cannot be read ({why})."), i=i, why=e) from None
        wrong = state_problem(int(row["epoch"]), int(row["position"]), float(row["base_lr"]), _text(row["lr_schedule"]),
                              float(row["momentum"]), epochs=self.train_config.epochs, n_train=self.n_train)
        if wrong is not None:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: the training state of snapshot {i} "
                                               "cannot be continued ({problem})."), i=i, problem=wrong)
        return TrainState(velocity, _text(row["shuffle"]), tuple(json.dumps(d) for d in dropout), int(row["epoch"]),
                          int(row["position"]), float(row["base_lr"]), _text(row["lr_schedule"]),
                          float(row["momentum"]))

    def fork_point(self, step: int | None = None) -> ForkPoint:
        """Where a fork continues this run: its snapshot at ``step`` (None: the last). SessionError (one sentence)
        if ``step`` is not a snapshot step, naming the nearest ones."""
        steps = self.snapshot_steps.tolist()
        if not steps:
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} has no snapshot to continue from."))
        if step is None:
            i = len(steps) - 1
        elif step in steps:
            i = len(steps) - 1 - steps[::-1].index(step)
        else:
            before = [s for s in steps if s < step]
            after = [s for s in steps if s > step]
            nearest = before[-1:] + after[:1]
            raise self._fail(QT_TRANSLATE_NOOP("Session", "step {step} is not a snapshot step of {path}: the nearest "
                                               "snapshots are at steps {before} and {after}.") if len(nearest) > 1 else
                             QT_TRANSLATE_NOOP("Session", "step {step} is not a snapshot step of {path}: the nearest "
                                               "snapshot is at step {nearest}."),
                             step=step, before=nearest[0], after=nearest[-1], nearest=nearest[0])
        snap = self.snapshot_record(i, state=True)
        state = snap.state
        metrics = self.metrics()
        at = np.flatnonzero(metrics["step"] == snap.step)
        seconds = float(metrics["time"][at[-1]]) if len(at) else 0.0
        parent = ParentRun(self.path.name, self.created, snap.step, str(self.path.resolve()))
        notes = [Text("Fork", QT_TRANSLATE_NOOP("Fork", "Continued from step {step} of {name} (created {created})."),
                      step=snap.step, name=self.path.name, created=self.created)]
        if state is None:  # the window shows the notes in its language
            notes.append(Text("Fork", QT_TRANSLATE_NOOP("Fork", "Its session format version {version} records no "
                                                        "optimizer velocity: the momentum's velocity starts at zero "
                                                        "(and the dropout masks differ from the parent's)."),
                              version=self.format_version) if self.format_version < 2 else
                         Text("Fork", QT_TRANSLATE_NOOP("Fork", "Its snapshot records no optimizer velocity: the "
                                                        "momentum's velocity starts at zero (and the dropout masks "
                                                        "differ from the parent's).")))
        return ForkPoint(snap.params, snap.step, snap.epoch, state, parent, seconds,
                         [e for e in self.events() if e.step <= snap.step], notes)

    def network(self, i: int, into: Network | None = None) -> Network:
        """A :class:`Network` with the parameters of snapshot ``i`` (``into`` is reused when given)."""
        params = self.params(i)
        network = into or Network(self.train_config.network, seed=self.train_config.seed, dtype=self.dtype)
        network.set_params(params)
        return network

    def metrics(self, start: int = 0) -> dict[str, np.ndarray]:
        """Per-step series from row ``start`` on: ``step``, ``epoch``, ``loss``, ``accuracy``, ``lr``,
        ``momentum``, ``time``, ``images_per_second``."""
        return {name: self._read(f"metrics/{name}", slice(start, self.n_steps)) for name in METRICS}

    def evals(self, start: int = 0) -> dict[str, np.ndarray]:
        """Per-evaluation series from row ``start`` on: ``step``, ``epoch``, ``test_loss``, ``test_accuracy``,
        ``confusion`` (E, k, k), ``n_images`` (the first test images evaluated: fewer than n_test for an early
        evaluation)."""
        rows = slice(start, self.n_evals)
        table = {name: self._read(f"eval/{name}", rows) for name in REQUIRED["eval"]}
        table["n_images"] = self._n_images(rows)
        return table

    def _n_images(self, rows) -> np.ndarray:
        """/eval/n_images (at most n_test), or n_test for every row of a file without it (version 1, some 2)."""
        if "eval/n_images" in self._datasets:
            return np.minimum(self._read("eval/n_images", rows), self.n_test)
        return np.full_like(self._read("eval/step", rows), self.n_test)

    def predictions(self, j: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """``(predicted, confidence)`` of evaluation ``j``: the class and its probability, per test image."""
        j = self._index(j, self.n_predictions, "evaluation")
        predicted = self._read("predictions/predicted", j)
        k = self.train_config.network.n_classes
        if len(predicted) and not (0 <= predicted.min() and predicted.max() < k):
            raise self._fail(QT_TRANSLATE_NOOP("Session", "{path} is damaged: /predictions/predicted row {j} holds "
                                               "classes outside the {k} classes."), j=j, k=k)
        return predicted, self._read("predictions/confidence", j)

    def probe(self) -> dict[str, np.ndarray]:
        """``indices`` (P,), ``labels`` (P,), ``images`` (P, H, W), ``probs`` (S, P, k) per snapshot."""
        return {"indices": self._read("probe/indices"), "labels": self._read("probe/labels"),
                "images": self._read("probe/images"), "probs": self._read("probe/probs", slice(0, self.n_snapshots))}

    def probe_probs(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """``probs`` (S, P, k) of snapshots ``start`` to ``stop`` (default: the last) in one read: the probe images'
        output probabilities ``y = softmax(u)``, without reading the snapshots' parameters."""
        stop = self.n_snapshots if stop is None else min(stop, self.n_snapshots)
        return self._read("probe/probs", slice(start, stop))

    def events(self, start: int = 0) -> list[EventRecord]:
        """The events from row ``start`` on."""
        rows = slice(start, self.n_events)
        steps, kinds = self._read("events/step", rows), self._read("events/kind", rows)
        values, messages = self._read("events/value", rows), self._read("events/message", rows)
        return [EventRecord(int(s), _text(k), float(v), _text(m)) for s, k, v, m in zip(steps, kinds, values, messages)]

    # -- as the trainer's records (for the replay) ----------------------------------------------------------

    def start_record(self) -> RunStart:
        probe = self.probe()
        return RunStart(self.train_config, self.data_source, self.n_train, self.n_test, self.steps_per_epoch,
                        self.total_steps, probe["indices"], probe["images"], probe["labels"], dict(self.param_shapes),
                        self.class_names, data_digests=dict(self.data_digests) or None)

    def step_records(self) -> Iterator[StepRecord]:
        m = self.metrics()
        for row in zip(*(m[name].tolist() for name in METRICS)):
            yield StepRecord(*row)

    def snapshot_record(self, i: int, state: bool = False) -> SnapshotRecord:
        """Snapshot ``i``; with its :class:`TrainState` (the velocity: as large again) only if ``state``."""
        i = self._index(i, self.n_snapshots, "snapshot")
        return SnapshotRecord(int(self.snapshot_steps[i]), int(self.snapshot_epochs[i]), self.params(i),
                              self._read("probe/probs", i), self.train_state(i) if state else None)

    def eval_record(self, j: int) -> EvalRecord:
        j = self._index(j, self.n_evals, "evaluation")
        row = {name: self._read(f"eval/{name}", j) for name in REQUIRED["eval"]}
        n = int(self._n_images(j))
        if j < self.n_predictions:
            predicted, confidence = (a[:n] for a in self.predictions(j))
        else:
            predicted, confidence = np.zeros(0, np.uint8), np.zeros(0, np.float32)
        return EvalRecord(int(row["step"]), int(row["epoch"]), float(row["test_loss"]), float(row["test_accuracy"]),
                          row["confusion"], predicted, confidence, n if n < self.n_test else None)

    def end_record(self) -> RunEnd:
        """How the run ended; a file still "running" (the writer was killed) ends as "failed"."""
        attrs = self._file.attrs
        last = int(self._read("metrics/step", self.n_steps - 1)) if self.n_steps else 0
        if self.status == "running":
            return RunEnd("failed", last, "the session file was not closed: the run was interrupted")
        return RunEnd(self.status, last if self._end_step is None else self._end_step,
                      _text(attrs.get("end_message", "")))

    def records(self) -> Iterator[Record]:
        """Everything in the order the trainer yielded it: RunStart; snapshot 0; then for each step its
        StepRecord, the snapshot and evaluation of that step, and the events that followed; finally RunEnd."""
        yield self.start_record()
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
            # The trainer's order at one step: the snapshot, the evaluation, then the events that followed.
            # (Files of cnnviz 0.1 could have the final snapshot after an end-of-epoch evaluation of the same
            # step; they come back snapshot first, which changes nothing a reader sees.)
            yield from (self.snapshot_record(i, state=True) for i in snaps.pop(step, ()))
            yield from (self.eval_record(j) for j in evals.pop(step, ()))
            yield from events.pop(step, ())

        # What comes before the first step: snapshot 0, or a fork's first snapshot and its "fork" event.
        first = int(self._read("metrics/step", 0)) if self.n_steps else None
        for step in sorted(set(snaps) | set(evals) | set(events)):
            if first is None or step < first:
                yield from at(step)
        for record in self.step_records():
            yield record
            yield from at(record.step)
        for step in sorted(set(snaps) | set(evals) | set(events)):  # anything at a step with no StepRecord
            yield from at(step)
        yield self.end_record()
