"""The ``cnnviz`` command: the window by default; ``train``, ``info``, ``export``, ``predict``, ``download``.

A user mistake (bad option, bad file, impossible architecture) prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cnnviz import __version__
from cnnviz.core import ConfigError
from cnnviz.data import DataError, download_mnist, load_data
from cnnviz.session import SessionError
from cnnviz.training import (
    PRESETS,
    SCHEDULES,
    EvalRecord,
    EventRecord,
    RunEnd,
    StepRecord,
    TrainConfig,
    Trainer,
    make_config,
)


class UsageError(Exception):
    """A mistake on the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of argparse's usage block
        raise UsageError(f"{self.prog}: {message}")


def _int_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers such as 32,64, not {text!r}") from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"sizes must be positive, not {text!r}")
    return values


def add_training_options(p: argparse.ArgumentParser) -> None:
    """The options of ``cnnviz train``; the window accepts the same."""
    g = p.add_argument_group("network")
    g.add_argument("--conv", type=_int_list, metavar="K1,K2", help="filters per conv layer (default 32,64)")
    g.add_argument("--fc", type=_int_list, metavar="N1,N2",
                   help="hidden fully connected sizes; the 10 outputs are added (default 100,200)")
    g.add_argument("--filter-size", type=int, default=3, metavar="M", help="filter size m of every conv layer (3)")
    g.add_argument("--padding", choices=("same", "valid"), default="same")
    g.add_argument("--pooling", choices=("max", "average", "none"), default="max")
    g.add_argument("--dropout", type=float, help="dropout ratio on hidden fully connected layers (preset's)")
    g = p.add_argument_group("training")
    g.add_argument("--preset", choices=tuple(PRESETS), default="lecture",
                   help="hyperparameters: lecture (the original program's) or fast (99%% in 4 epochs)")
    g.add_argument("--epochs", type=int)
    g.add_argument("--batch-size", type=int)
    g.add_argument("--lr", type=float, help="learning rate on the mean loss")
    g.add_argument("--momentum", type=float)
    g.add_argument("--schedule", choices=SCHEDULES, dest="lr_schedule", help="learning-rate schedule")
    g.add_argument("--seed", type=int, default=0, help="initialisation, shuffling, dropout and probe choice")
    g.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    g.add_argument("--threads", type=int, default=2, help="worker threads sharing each minibatch (2)")
    g.add_argument("--eval-every", type=int, default=0, metavar="N", help="also evaluate every N steps")
    g.add_argument("--snapshot-every", type=int, default=100, metavar="N", help="parameter snapshot every N steps")
    g = p.add_argument_group("data")
    g.add_argument("--data", metavar="DIR", help="MNIST directory, or 'sample' for the bundled sample "
                   "(default: $CNNVIZ_DATA, then the user cache, then the sample)")
    g.add_argument("--download", action="store_true", help="download MNIST into the user cache if not found")
    g.add_argument("--limit-train", type=int, metavar="N", help="use the first N training images")
    g.add_argument("--limit-test", type=int, metavar="N", help="use the first N test images")
    g.add_argument("--out", metavar="FILE", help="session file (default sessions/<date>-<time>-<config>.h5)")
    g.add_argument("--no-session", action="store_true", help="do not save a session file")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    fc = None if args.fc is None else (*args.fc, 10)
    return make_config(
        args.preset, conv=args.conv, fc=fc, filter_size=args.filter_size, padding=args.padding,
        pooling=args.pooling, dropout=args.dropout, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
        momentum=args.momentum, lr_schedule=args.lr_schedule, seed=args.seed, dtype=args.dtype,
        threads=args.threads, eval_every=args.eval_every, snapshot_every=args.snapshot_every)


def data_from_args(args: argparse.Namespace):
    data = load_data(args.data, download=args.download)
    if args.limit_train is not None or args.limit_test is not None:
        data = data.limited(args.limit_train, args.limit_test)
    return data


def cmd_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from cnnviz.session import SessionWriter, default_session_path

    config = config_from_args(args)
    data = data_from_args(args)
    trainer = Trainer(config, data)
    path = None if args.no_session else Path(args.out) if args.out else default_session_path(config)
    if path is not None and path.exists():
        raise UsageError(f"cnnviz train: {path} exists; choose another --out or remove it first")
    quiet = args.json or args.quiet
    if not quiet:
        print(f"cnnviz {__version__}: training on {data.source}: {len(data.train_images)} training and "
              f"{len(data.test_images)} test images, {config.epochs} epochs of batch {config.batch_size}",
              file=sys.stderr)
    bar = tqdm(total=trainer.total_steps * config.batch_size, unit="img", unit_scale=True, disable=args.quiet,
               file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
    say = (lambda text: None) if args.quiet else (lambda text: bar.write(text, file=sys.stderr))
    started = time.perf_counter()
    last_eval = end = error = None
    # Ctrl-C asks the trainer to stop, so that the run still ends with a final snapshot and evaluation.
    previous_handler = signal.signal(signal.SIGINT, lambda *_: trainer.control.stop())
    try:
        with SessionWriter(path) if path else contextlib.nullcontext() as writer:
            for record in trainer.run():
                if writer is not None:
                    writer.write(record)
                if isinstance(record, StepRecord):
                    bar.update(min(config.batch_size, bar.total - bar.n))
                    if record.step % 10 == 0:
                        bar.set_postfix(epoch=record.epoch, loss=f"{record.loss:.3f}", acc=f"{record.accuracy:.2f}")
                elif isinstance(record, EvalRecord):
                    last_eval = record
                    say(f"step {record.step} (epoch {record.epoch}): test accuracy "
                        f"{record.test_accuracy:.2%}, test loss {record.test_loss:.4f}")
                elif isinstance(record, RunEnd):
                    end = record
                elif isinstance(record, EventRecord) and record.kind == "error":
                    error = record.message
                    say(f"error: {error}")
                    trainer.control.stop()
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        bar.close()
    seconds = time.perf_counter() - started
    images = trainer.images_trained
    result = {
        "status": "failed" if error else end.status if end else "failed",
        "test_accuracy": last_eval.test_accuracy if last_eval else None,
        "test_loss": last_eval.test_loss if last_eval else None,
        "n_test": len(data.test_images),
        "epochs": config.epochs,
        "steps": trainer.step,
        "seconds": round(seconds, 3),
        "train_seconds": round(trainer.train_seconds, 3),
        "train_images_per_second": round(images / trainer.train_seconds, 1) if images else None,
        "session": str(path) if path else None,
    }
    if args.json:
        print(json.dumps(result))
    else:
        if last_eval is not None:
            print(f"test accuracy {last_eval.test_accuracy:.2%} ({len(data.test_images)} images), "
                  f"test loss {last_eval.test_loss:.4f}")
        print(f"{trainer.step} steps in {seconds:.1f} s ({result['train_images_per_second']} training images/s)"
              + (f"; session saved to {path}" if path else ""))
    return 0 if result["status"] == "complete" else 1


def cmd_download(args: argparse.Namespace) -> int:
    path = download_mnist(args.dest, progress=not args.quiet)
    print(f"MNIST is in {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cnnviz", description="Watch a convolutional neural network learn, and look inside it.",
                     epilog="Without a command, cnnviz opens the window. It takes the options of `cnnviz train` "
                            "plus --start, which begins training at once; `cnnviz --start --help` lists them.")
    parser.add_argument("--version", action="version", version=f"cnnviz {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("train", help="train from the command line (no window)")
    add_training_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("download", help="download MNIST into the user cache (checksums verified)")
    p.add_argument("dest", nargs="?", help="directory (default: the user cache)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_download)

    from cnnviz.session_cli import add_session_commands

    add_session_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
            from cnnviz.gui.app import main as gui_main

            return gui_main(argv)
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help()
            return 2
        return args.func(args)
    except (UsageError, ConfigError, DataError, SessionError, FileNotFoundError, PermissionError) as exc:
        print(f"cnnviz: {exc}" if not str(exc).startswith("cnnviz") else str(exc), file=sys.stderr)
        return 2
