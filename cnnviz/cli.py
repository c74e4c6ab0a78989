"""The ``cnnviz`` command: the window by default (``cnnviz SESSION.h5`` replays a session in it); ``train``,
``info``, ``export``, ``predict``, ``render``, ``download``.

A user mistake (bad option, bad file, impossible architecture) prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cnnviz import __version__
from cnnviz.datasets import DATASETS, dataset, download_dataset
from cnnviz.errors import UsageError
from cnnviz.lecture import PROGRAM
from cnnviz.options import (
    USER_ERRORS,
    Parser,
    add_training_options,
    config_from_args,
    data_from_args,
    report,
)
from cnnviz.records import EvalRecord, RunEnd, StepRecord
from cnnviz.training import Trainer


def cmd_train(args: argparse.Namespace) -> int:
    """Train from the command line. Exit status 0 when the run completes, 1 when it ends early (stopped by Ctrl-C
    or SIGTERM, or failed: a loss that became NaN), 2 for a mistake in the options or the data, or when the session
    file cannot be written (a full disk): the run stops there, with one line for the cause and one for what the
    file kept (it opens like the file of an interrupted run)."""
    from tqdm import tqdm

    from cnnviz.session import SessionError, SessionWriter, default_session_path

    if args.parent is not None:
        trainer = _fork_trainer(args)
        config, data = trainer.config, trainer.data
    else:
        if args.at_step is not None:
            raise UsageError("cnnviz train: --at-step needs --from SESSION (the run to continue)")
        config = config_from_args(args)
        data = data_from_args(args)
        trainer = Trainer(config, data, on_divergence="fail")  # nobody is there to lower the rate and resume
    path = None if args.no_session else Path(args.out) if args.out else default_session_path(config)
    if path is not None and path.exists():
        raise UsageError(f"cnnviz train: {path} exists; choose another --out or remove it first")
    quiet = args.json or args.quiet
    n_train = len(data.train_images)
    fork = trainer.start
    if not quiet:
        print(f"cnnviz {__version__}: training on {data.source}: {n_train} training and "
              f"{len(data.test_images)} test images, {config.epochs} epochs of batch {trainer.batch_size}",
              file=sys.stderr)
    if fork is not None:
        for i, note in enumerate(fork.notes):  # the first says what is continued; a second, what is not exact
            if i or not quiet:
                print(f"cnnviz: {note}", file=sys.stderr)
    if config.batch_size > n_train:
        print(f"cnnviz: the batch size {config.batch_size} is larger than the {n_train} training images; every "
              f"step uses all {n_train} as one batch.", file=sys.stderr)
    # The bar counts the images trained on, epochs x training images, whatever the batch size.
    bar = tqdm(total=(trainer.total_steps - trainer.step) * trainer.batch_size if fork else config.epochs * n_train,
               unit="img", unit_scale=True, disable=args.quiet,
               file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
    say = (lambda text: None) if args.quiet else (lambda text: bar.write(text, file=sys.stderr))
    started = time.perf_counter()
    last_eval = end = None
    # Ctrl-C and SIGTERM ask the trainer to stop, so that the run still ends with a final snapshot and evaluation
    # and the session is closed as "stopped" (only SIGKILL leaves it "running").
    previous_handlers = {sig: signal.signal(sig, lambda *_: trainer.control.stop())
                         for sig in (signal.SIGINT, signal.SIGTERM)}
    writer = SessionWriter(path) if path else None
    records = trainer.run()
    write_failed = False
    try:
        with writer if writer is not None else contextlib.nullcontext():
            for record in records:
                if writer is not None:
                    writer.write(record)
                if isinstance(record, StepRecord):
                    bar.update(trainer.images_trained - bar.n)
                    if record.step % 10 == 0:
                        bar.set_postfix(epoch=record.epoch, loss=f"{record.loss:.3f}", acc=f"{record.accuracy:.2f}")
                    if config.preset == "program" and record.step % PROGRAM.print_every == 0:
                        # as the program printed it: the minibatch's cross-entropy summed over its images
                        say(f"Error = {record.loss * trainer.batch_size:.4f}")
                elif isinstance(record, EvalRecord):
                    last_eval = record
                    say(f"step {record.step} (epoch {record.epoch}): test accuracy "
                        f"{record.test_accuracy:.2%}, test loss {record.test_loss:.4f}")
                elif isinstance(record, RunEnd):
                    end = record
    except SessionError:
        if writer is None or writer.failure is None:  # not a failed write (a file that appeared meanwhile)
            raise
        write_failed = True  # the writer has let go of the file; nothing more is written
    finally:
        records.close()  # the trainer's threads end here, however the loop ended
        for sig, handler in previous_handlers.items():
            signal.signal(sig, handler)
        bar.close()
    if write_failed:
        print(f"cnnviz: {writer.failure}", file=sys.stderr)
        print(f"cnnviz: {writer.holds()}", file=sys.stderr)
        return 2
    if end is not None and end.status == "failed":
        print(f"cnnviz: {end.message}", file=sys.stderr)  # always, even with --quiet: the run did not finish
    seconds = time.perf_counter() - started
    images = trainer.images_trained
    result = {
        "status": end.status if end else "failed",
        "test_accuracy": _finite(last_eval.test_accuracy) if last_eval else None,
        "test_loss": _finite(last_eval.test_loss) if last_eval else None,
        "n_test": len(data.test_images),
        "epochs": config.epochs,
        "steps": trainer.step,
        "seconds": round(seconds, 3),
        "train_seconds": round(trainer.train_seconds, 3),
        "train_images_per_second": round(images / trainer.train_seconds, 1) if images else None,
        "session": str(path) if path else None,
    }
    if fork is not None:
        result["parent"] = {"file": fork.parent.file, "created": fork.parent.created, "step": fork.parent.step,
                            "notes": fork.notes}
    if args.json:
        print(json.dumps(result))
    else:
        if last_eval is not None:
            print(f"test accuracy {last_eval.test_accuracy:.2%} ({len(data.test_images)} images), "
                  f"test loss {last_eval.test_loss:.4f}")
        print(f"{trainer.step} steps in {seconds:.1f} s ({result['train_images_per_second']} training images/s)"
              + (f"; session saved to {path}" if path else ""))
    return 0 if result["status"] == "complete" else 1


# The options of `cnnviz train` that a fork takes as changes to its parent's configuration (by their dest).
_FORK_CHANGES = ("conv", "filter_size", "padding", "pooling", "dropout", "preset", "epochs", "batch_size", "lr",
                 "momentum", "lr_schedule", "seed", "dtype", "threads", "eval_every", "snapshot_every")
_DATA_OPTIONS = ("data", "download", "limit_train", "limit_test")


def _given_options(argv: Sequence[str]) -> set[str]:
    """The dests of the options given in ``cnnviz train ARGV`` (not those left at their defaults)."""
    train = _subcommands(build_parser())["train"]
    for action in train._actions:
        action.default = argparse.SUPPRESS
    return set(vars(train.parse_args(list(argv))))


def _fork_trainer(args: argparse.Namespace) -> Trainer:
    """``cnnviz train --from SESSION [--at-step N] [options]``: a trainer continuing SESSION from the snapshot
    at step N (the last one by default). The options given change the parent's configuration; the others are
    the parent's, data included."""
    from cnnviz.fork import resume_from

    given = _given_options(args.argv[1:]) if getattr(args, "argv", None) else set()
    changes = {name: getattr(args, name) for name in _FORK_CHANGES if name in given}
    if "fc" in given:
        changes["fc"] = (*args.fc, 10)
    data = data_from_args(args) if given & set(_DATA_OPTIONS) else None
    trainer = resume_from(args.parent, args.at_step, data, on_divergence="fail", **changes)
    if trainer.total_steps <= trainer.step:
        raise UsageError(f"cnnviz train: step {trainer.step} ends the {trainer.config.epochs} epochs of "
                         f"{Path(args.parent).name}: give --epochs {trainer.config.epochs + 1} or more to go on")
    return trainer


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def _finite(value: float) -> float | None:
    """``value``, or None (JSON's null) for NaN and infinity, which JSON does not have."""
    return value if math.isfinite(value) else None


def cmd_download(args: argparse.Namespace) -> int:
    """``cnnviz download [--dataset NAME] [DIR]``: the four files of a data set, checked, into the user cache."""
    d = dataset(args.dataset)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # as Ctrl-C: the file being fetched is removed
    try:
        path = download_dataset(d.name, args.dest, progress=not args.quiet)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"{d.title} is in {path}")
    return 0


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="cnnviz", description="Watch a convolutional neural network learn, and look inside it.",
                     epilog="Without a command, cnnviz opens the window. It takes the options of `cnnviz train` "
                            "plus --start, which begins training at once; `cnnviz --start --help` lists them.")
    parser.add_argument("--version", action="version", version=f"cnnviz {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    p = sub.add_parser("train", help="train from the command line (no window)")
    add_training_options(p)
    g = p.add_argument_group("fork (continue another run)")
    g.add_argument("--from", dest="parent", metavar="SESSION", help="continue the run of SESSION from one of its "
                   "snapshots into a new session: every option not given is SESSION's; --epochs counts its epochs "
                   "too; the architecture, dtype and seed cannot change")
    g.add_argument("--at-step", type=int, metavar="N", help="with --from: the snapshot step to continue from "
                   "(default: the last snapshot)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("download", help="download MNIST, Fashion-MNIST or KMNIST into the user cache (checksums "
                       "verified)")
    p.add_argument("dest", nargs="?", help="directory (default: the user cache, e.g. ~/.cache/cnnviz/NAME)")
    p.add_argument("--dataset", default="mnist", metavar="NAME",
                   help=f"the data set: {', '.join(DATASETS)} (default mnist)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_download)

    from cnnviz.gui.render import add_render_command
    from cnnviz.session_cli import add_session_commands

    add_session_commands(sub)
    add_render_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cnnviz`` command; the exit status.

    0 done; 1 a training run that ended early (stopped or failed); 2 a user mistake, in one line (or a session file
    that cannot be written, a full disk: one line for the cause, one for what the file kept); 130 Ctrl-C
    outside training (while the data loads, say), in one line; 141 (128 + SIGPIPE, what a shell reports for a
    program that a closed pipe ends) when the reader of the output went away, as in ``cnnviz info FILE | head -3``,
    quietly. Never a traceback for any of these.
    """
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # here, not at exit: a closed pipe is then met here, where it is handled
    except BrokenPipeError:
        _discard_stdout()
        return 128 + 13
    except KeyboardInterrupt:
        print("cnnviz: interrupted.", file=sys.stderr)
        return 130


def _discard_stdout() -> None:
    """Point standard output at the null device, so that what is still buffered for a closed pipe is dropped at exit
    instead of failing there with "Exception ignored ... BrokenPipeError" (the recipe in Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (captured output, say): nothing buffered there
        pass


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        if not argv or argv[0] not in commands and argv[0] not in ("-h", "--help", "--version"):
            first = argv[0] if argv else "-"
            if not first.startswith("-") and not first.endswith(".h5") and not Path(first).exists():
                raise UsageError(f"cnnviz: {first!r} is neither a command ({', '.join(commands)}) nor a session "
                                 "file to open")
            from cnnviz.system import interrupt_after  # noqa: PLC0415

            with interrupt_after():  # Ctrl-C while Qt loads: once it has loaded
                from cnnviz.gui.main import main as gui_main  # the window: options, or a session file to replay

            return gui_main(argv)
        args = parser.parse_args(argv)
        args.argv = argv  # what was given: `train --from` takes from its parent every option not given
        if args.command is None:
            build_parser().print_help()
            return 2
        return args.func(args)
    except USER_ERRORS as exc:
        return report(exc)
