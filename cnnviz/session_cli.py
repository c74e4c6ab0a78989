"""The session commands of ``cnnviz``: ``info``, ``export`` and ``predict`` (``train`` writes sessions).

``cnnviz info FILE [--json]``: a summary (configuration, steps, snapshots, evaluations, final accuracy, status,
size). ``cnnviz export FILE --csv DIR``: metrics, evaluations, confusion matrices and events as CSV files.
``cnnviz predict FILE [--snapshot I] [--data DIR] [--limit N] [--json]``: a snapshot's parameters evaluated
on the test set exactly as the trainer evaluates (:meth:`cnnviz.training.Trainer.evaluate`), so the accuracy
equals the one the session recorded at that snapshot's step.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import sys
from pathlib import Path

import numpy as np

from cnnviz.data import digest, load_data
from cnnviz.datasets import DataSource
from cnnviz.errors import DataError
from cnnviz.files import publish_all, temporary_path
from cnnviz.parallel import use_one_blas_thread
from cnnviz.session import METRICS, SessionError, SessionReader
from cnnviz.training import Trainer, early_note

__all__ = ["add_session_commands", "cmd_info", "cmd_export", "cmd_predict", "summary", "evaluate_snapshot"]


def add_session_commands(subparsers) -> None:
    """Add ``info``, ``export`` and ``predict`` to the ``cnnviz`` command's subparsers."""
    p = subparsers.add_parser("info", help="summarise a session file")
    p.add_argument("file", help="session file (.h5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_info)

    p = subparsers.add_parser("export", help="write a session's metrics and evaluations as CSV files")
    p.add_argument("file", help="session file (.h5)")
    p.add_argument("--csv", required=True, metavar="DIR", help="directory for the CSV files (created if needed; "
                   "one that holds any of them is refused)")
    p.add_argument("--replace", action="store_true", help="replace the CSV files of an earlier export in DIR")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("predict", help="evaluate a snapshot's parameters on the test set")
    p.add_argument("file", help="session file (.h5)")
    p.add_argument("--snapshot", type=int, default=-1, metavar="I",
                   help="snapshot index, from 0; negative counts from the end (default -1, the last)")
    p.add_argument("--data", metavar="DIR",
                   help="a directory of IDX files, 'sample', or mnist, fashion-mnist, kmnist (default: the data "
                   "source the session recorded)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="use the first N test images (default: the N the session evaluated)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_predict)


# -- info -----------------------------------------------------------------------------------------------------

def _pixels(shape: tuple[int, ...]) -> str:
    """``(28, 28)`` -> ``28x28 pixels``."""
    return "x".join(map(str, shape)) + " pixels"


def _show(value: float | None, spec: str) -> str:
    """A figure of :func:`_finite`'s for people: ``format(value, spec)``, or "nan"."""
    return "nan" if value is None else format(value, spec)


def _finite(value: float) -> float | None:
    """``value``, or None (JSON's null) for NaN and infinity, which JSON does not have."""
    return value if math.isfinite(value) else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def summary(reader: SessionReader) -> dict:
    """The facts ``cnnviz info`` prints, as plain JSON-ready values."""
    metrics = reader.metrics()
    evals = reader.evals()
    last = ({"step": int(evals["step"][-1]), "epoch": int(evals["epoch"][-1]),
             "test_accuracy": _finite(float(evals["test_accuracy"][-1])),
             "test_loss": _finite(float(evals["test_loss"][-1])), "n_images": int(evals["n_images"][-1])}
            if reader.n_evals else None)
    return {
        "file": str(reader.path),
        "format_version": reader.format_version,
        "created": reader.created,
        "cnnviz_version": reader.cnnviz_version,
        "status": reader.status,
        "config": reader.config,
        "steps": int(metrics["step"][-1]) if reader.n_steps else 0,
        "total_steps": reader.total_steps,
        "epochs_done": int(metrics["epoch"][-1]) if reader.n_steps else 0,
        "train_seconds": float(metrics["time"][-1]) if reader.n_steps else 0.0,
        "snapshots": reader.n_snapshots,
        "snapshot_steps": reader.snapshot_steps.tolist(),
        "evaluations": reader.n_evals,
        "final": last,
        "events": reader.n_events,
        "size": reader.size,
        "parent": None if reader.parent is None else {"file": reader.parent.file, "created": reader.parent.created,
                                                      "step": reader.parent.step, "path": reader.parent.path},
    }


def _describe(s: dict, reader: SessionReader) -> str:
    cfg = reader.train_config
    net = cfg.network
    status = s["status"]
    if status == "running":
        status += " (the file was not closed: the run is still going, or was interrupted)"
    convs = ", ".join(f"{c.filters} {c.size}x{c.size} {c.padding}, {c.pooling} pooling" for c in net.conv) or "none"
    schedule = f" ({cfg.lr_schedule})" if cfg.lr_schedule != "constant" else ""
    lines = [
        f"{s['file']}: cnnviz session (format {s['format_version']}), created {s['created']} by cnnviz "
        f"{s['cnnviz_version']}",
        f"status:      {status}",
        *([f"forked from: {s['parent']['file']} (created {s['parent']['created']}) at step {s['parent']['step']}"]
          if s.get("parent") else []),
        f"network:     conv [{convs}]; fc {', '.join(map(str, net.fc))}; dropout {net.dropout}; {cfg.dtype}",
        f"training:    preset {cfg.preset}, {_plural(cfg.epochs, 'epoch')} of batch {cfg.batch_size}, "
        f"lr {cfg.lr}{schedule}, "
        f"momentum {cfg.momentum}, seed {cfg.seed}",
        f"data:        {reader.data_source}: {reader.n_train} training and {reader.n_test} test images",
        f"steps:       {s['steps']} of {s['total_steps']} (epoch {s['epochs_done']} of {cfg.epochs}), "
        f"{s['train_seconds']:.1f} s of training",
    ]
    steps = s["snapshot_steps"]
    every = ""
    if cfg.snapshot_every:
        every = ", every step" if cfg.snapshot_every == 1 else f", every {cfg.snapshot_every} steps"
    lines.append(f"snapshots:   {s['snapshots']}" + (f" (steps {steps[0]} to {steps[-1]}{every})" if steps else ""))
    final = s["final"]
    lines.append(f"evaluations: {s['evaluations']}" + (
        f" (last at step {final['step']}: test accuracy {_show(final['test_accuracy'], '.2%')}, "
        f"test loss {_show(final['test_loss'], '.4f')}{early_note(final['n_images'], reader.n_test)})" if final
        else ""))
    lines.append(f"events:      {s['events']}")
    lines.append(f"size:        {_size(s['size'])}")
    return "\n".join(lines)


def cmd_info(args: argparse.Namespace) -> int:
    with SessionReader(args.file) as reader:
        s = summary(reader)
        print(json.dumps(s) if args.json else _describe(s, reader))
    return 0


# -- export ---------------------------------------------------------------------------------------------------

EXPORT_FILES = ("metrics.csv", "evals.csv", "confusion.csv", "events.csv")


def _csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _tables(reader: SessionReader) -> tuple[dict[str, tuple[list[str], object]], str]:
    """Each CSV file's header and rows, and what they hold (for the closing line)."""
    metrics, evals, events = reader.metrics(), reader.evals(), reader.events()
    names = ["step", "epoch", "test_loss", "test_accuracy", "n_images"]  # the first n_images test images evaluated
    confusion = evals["confusion"]
    k = confusion.shape[1]
    tables = {
        "metrics.csv": (list(METRICS), zip(*(metrics[m].tolist() for m in METRICS))),
        "evals.csv": (names, zip(*(evals[n].tolist() for n in names))),
        "confusion.csv": (["step", "true", "predicted", "count"],
                          ((step, t, p, int(confusion[j, t, p])) for j, step in enumerate(evals["step"].tolist())
                           for t in range(k) for p in range(k))),
        "events.csv": (["step", "kind", "value", "message"],
                       ((e.step, e.kind, "" if np.isnan(e.value) else e.value, e.message) for e in events)),
    }
    held = (f"metrics.csv ({len(metrics['step'])} steps), evals.csv ({len(evals['step'])} evaluations), "
            f"confusion.csv and events.csv ({len(events)} events)")
    return tables, held


def cmd_export(args: argparse.Namespace) -> int:
    """metrics.csv (one row a step), evals.csv (one row an evaluation), confusion.csv (one row per evaluation,
    true class and predicted class), events.csv. Floats are written in full precision.

    An export never overwrites: a folder that holds any of its files is refused (``--replace`` replaces them). The
    files are written under temporary names and published together, or not at all (a full disk leaves the folder
    as it was)."""
    out = Path(args.csv)
    if out.exists() and not out.is_dir():
        print(f"cnnviz: {out} exists and is not a folder: give a folder for the CSV files.", file=sys.stderr)
        return 2
    taken = [name for name in EXPORT_FILES if (out / name).exists() or (out / name).is_symlink()]
    if taken and not args.replace:
        print(f"cnnviz: {out} already holds {', '.join(taken)}; an export never overwrites: choose another folder, "
              "or add --replace.", file=sys.stderr)
        return 2
    with SessionReader(args.file) as reader:
        tables, held = _tables(reader)
    made = [p for p in (out, *out.parents) if not p.exists()]  # the folders this export makes, deepest first
    pairs: list[tuple[Path, Path]] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, (header, rows) in tables.items():
            pairs.append((temporary_path(out / name), out / name))
            _csv(pairs[-1][0], header, rows)
        publish_all(pairs, replace=args.replace)
    except FileExistsError as e:
        print(f"cnnviz: {e.filename} appeared while the export was written; nothing was exported.",
              file=sys.stderr)
        return 2
    except OSError as e:
        print(f"cnnviz: cannot write CSV files to {out} ({e.strerror or e}); nothing was exported.", file=sys.stderr)
        return 2
    finally:
        for tmp, _ in pairs:
            tmp.unlink(missing_ok=True)
        for folder in made:  # after a failure: the folders this export made, empty again
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    print(f"wrote {held} to {out}")
    return 0


# -- predict --------------------------------------------------------------------------------------------------

def evaluate_snapshot(reader: SessionReader, i: int = -1, data_spec: str | None = None,
                      limit: int | None = None) -> dict:
    """Evaluate snapshot ``i`` on the first ``limit`` (default: the session's ``n_test``) test images of
    ``data_spec`` (default: the recorded source), with the trainer's own :meth:`Trainer.evaluate`. The recorded
    source must still hold the test images the session recorded (:meth:`cnnviz.data.MNIST.digests`; DataError in
    one sentence otherwise); ``"checked"`` in the result says whether the session recorded a digest to check by."""
    if not -reader.n_snapshots <= i < reader.n_snapshots:
        raise SessionError(f"{reader.path} has {reader.n_snapshots} snapshots, so no snapshot {i}.")
    i %= reader.n_snapshots
    source = reader.data_source
    if data_spec is not None:
        spec = data_spec
    else:
        spec = DataSource.recorded(source, reader.data_path).spec
    try:
        data = load_data(spec, progress=False)
    except DataError as e:
        if data_spec is None:
            raise DataError(f"{e} (the data the session was trained on; give another with --data)") from None
        raise
    cfg = reader.train_config
    size, expected = data.test_images.shape[1:], cfg.network.input_shape[1:]
    if size != expected:
        raise DataError(f"{data.source} has images of {_pixels(size)}, but the session's network expects "
                        f"{_pixels(expected)}.")
    if len(data.test_images) == 0:
        raise DataError(f"{data.source} has no test images to evaluate the snapshot on.")
    recorded_test = reader.data_digests.get("test_sha256")
    if data_spec is None and recorded_test is not None and (
            len(data.test_images) < reader.n_test
            or digest(data.test_images[:reader.n_test], data.test_labels[:reader.n_test]) != recorded_test):
        raise DataError(f"{data.source} is not the data {reader.path.name} was trained on: its test images are not "
                        "those the session recorded (give the data to evaluate on with --data)")
    n = limit if limit is not None else reader.n_test
    data = data.limited(None, n)
    # The trainer needs a training set to be built; one test image stands in (it is never trained on).
    data = dataclasses.replace(data, train_images=data.test_images[:1], train_labels=data.test_labels[:1])
    trainer = Trainer(cfg, data, network=reader.network(i))
    # The trainer evaluates with one BLAS thread; do the same, so that every sum is taken in the same order and the
    # accuracy is the recorded one to the last digit.
    use_one_blas_thread()
    loss, accuracy, _, predicted, _ = trainer.evaluate()
    step = int(reader.snapshot_steps[i])
    evals = reader.evals()
    recorded = None
    matches = np.flatnonzero((evals["step"] == step) & (evals["n_images"] == n))  # of the same images
    if len(matches) and n == reader.n_test:
        j = int(matches[-1])
        recorded = {"test_accuracy": _finite(float(evals["test_accuracy"][j])),
                    "test_loss": _finite(float(evals["test_loss"][j]))}
    return {
        "file": str(reader.path), "snapshot": i, "step": step, "epoch": int(reader.snapshot_epochs[i]),
        "data": data.source, "n_test": n, "test_accuracy": accuracy, "test_loss": _finite(loss),
        "correct": int((predicted == trainer.y_test).sum()), "recorded": recorded,
        "checked": data_spec is None and recorded_test is not None,
    }


def cmd_predict(args: argparse.Namespace) -> int:
    with SessionReader(args.file) as reader:
        result = evaluate_snapshot(reader, args.snapshot, args.data, args.limit)
    if args.data is None and not result["checked"]:
        print(f"cnnviz: {reader.path.name} records no digest of its data (an older cnnviz wrote it): whether "
              f"{result['data']} holds the test images it was trained with cannot be checked.", file=sys.stderr)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"snapshot {result['snapshot']} (step {result['step']}, epoch {result['epoch']}): test accuracy "
          f"{result['test_accuracy']:.2%} ({result['correct']} of {result['n_test']} images of {result['data']}), "
          f"test loss {_show(result['test_loss'], '.4f')}")
    recorded = result["recorded"]
    if recorded is not None:
        same = "the same" if recorded["test_accuracy"] == result["test_accuracy"] else "DIFFERENT"
        print(f"the session recorded test accuracy {_show(recorded['test_accuracy'], '.2%')} at step "
              f"{result['step']} ({same})")
    return 0
