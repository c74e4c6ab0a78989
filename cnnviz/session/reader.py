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
from cnnviz.core import ConfigError, Network
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
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    REQUIRED,
    SessionError,
    _param_path,
)
from cnnviz.training import TrainConfig

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

    def metrics(self, start: int = 0) -> dict[str, np.ndarray]:
        """Per-step series from row ``start`` on: ``step``, ``epoch``, ``loss``, ``accuracy``, ``lr``,
        ``momentum``, ``time``, ``images_per_second``."""
        return {name: self._read(f"metrics/{name}", slice(start, self.n_steps)) for name in METRICS}

    def evals(self, start: int = 0) -> dict[str, np.ndarray]:
        """Per-evaluation series from row ``start`` on: ``step``, ``epoch``, ``test_loss``, ``test_accuracy``,
        ``confusion`` (E, k, k)."""
        return {name: self._read(f"eval/{name}", slice(start, self.n_evals)) for name in REQUIRED["eval"]}

    def predictions(self, j: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """``(predicted, confidence)`` of evaluation ``j``: the class and its probability, per test image."""
        j = self._index(j, self.n_predictions, "evaluation")
        return self._read("predictions/predicted", j), self._read("predictions/confidence", j)

    def probe(self) -> dict[str, np.ndarray]:
        """``indices`` (P,), ``labels`` (P,), ``images`` (P, H, W), ``probs`` (S, P, k) per snapshot."""
        return {"indices": self._read("probe/indices"), "labels": self._read("probe/labels"),
                "images": self._read("probe/images"), "probs": self._read("probe/probs", slice(0, self.n_snapshots))}

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
            yield from (self.snapshot_record(i) for i in snaps.pop(step, ()))
            yield from (self.eval_record(j) for j in evals.pop(step, ()))
            yield from events.pop(step, ())

        yield from at(0)
        for record in self.step_records():
            yield record
            yield from at(record.step)
        for step in sorted(set(snaps) | set(evals) | set(events)):  # anything at a step with no StepRecord
            yield from at(step)
        yield self.end_record()
