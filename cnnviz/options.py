"""What the command line and the window share: the training options, the configuration and data they
describe, and the one-line error printer (so that ``cli`` and ``gui`` never import each other).

A user mistake (bad option, bad file, impossible architecture) is one sentence on standard error and exit
status 2: :func:`report` prints it, :data:`USER_ERRORS` are the exceptions that carry such sentences (every
:class:`cnnviz.errors.UserError`, and the operating system's refusals to find or open a file).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cnnviz.config import (
    MAX_CONV_LAYERS,
    MAX_SEED,
    PRESETS,
    SCHEDULES,
    TrainConfig,
    conv_count_problem,
    make_config,
    parse_sizes,
    setting_problem,
)
from cnnviz.data import MNIST, load_data
from cnnviz.errors import ConfigError, UsageError, UserError
from cnnviz.files import TEMPORARY_EXTRA

USER_ERRORS = (UserError, FileNotFoundError, PermissionError)
LANGUAGES = {"en": "English", "ja": "日本語"}  # the window's languages, each named in itself (cnnviz.gui.i18n)


def report(exc: BaseException) -> int:
    """Print a user mistake as one line on standard error; the exit status (2)."""
    text = str(exc)
    print(text if text.startswith("cnnviz") else f"cnnviz: {text}", file=sys.stderr)
    return 2


class Parser(argparse.ArgumentParser):
    """argparse with one line instead of its usage block for a mistake (:class:`UsageError`)."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _sizes(example: str):
    """An argparse type: comma-separated sizes by the configuration's parser (at least one)."""
    def parse(text: str) -> tuple[int, ...]:
        try:
            return parse_sizes(text, example, empty=False)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _conv_list(text: str) -> tuple[int, ...]:
    """Filters per conv layer, at most :data:`~cnnviz.config.MAX_CONV_LAYERS` layers. The window is given the same
    options and its form holds no more rows: a longer list is refused here, for both, rather than cut short by the
    window."""
    values = _sizes("32,64")(text)
    if problem := conv_count_problem(len(values)):
        raise argparse.ArgumentTypeError(problem)
    return values


def _seed(text: str) -> int:
    """A seed by the configuration's rule, at most :data:`~cnnviz.config.MAX_SEED`. The window is given the same
    options: a seed it could not show would be clamped silently by its spin box, so it is refused here, for both,
    before the window opens."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    problem = setting_problem("seed", value) or (
        f"the seed must be at most {MAX_SEED}, not {value}" if value > MAX_SEED else "")
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _session_file(text: str) -> str:
    """A session file's name: not empty, not a folder (``newdir/`` wrote a file called ``newdir``), and short enough
    for the file system with the writer's temporary name around it (a 300-character name was an OSError)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a file name such as runs/first.h5, not an empty one")
    path = Path(text)
    folder = next((p for p in path.absolute().parents if p.is_dir()), Path("/"))
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255
    if len(os.fsencode(path.name)) + TEMPORARY_EXTRA > longest:
        raise argparse.ArgumentTypeError(f"the file name {path.name[:20]}… is {len(path.name)} characters; the file "
                                         f"system allows {longest - TEMPORARY_EXTRA} here")
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder: give a file name in it, such as "
                                         f"{path / 'run.h5'}")
    return text


def add_training_options(p: argparse.ArgumentParser) -> None:
    """The options of ``cnnviz train``; the window accepts the same."""
    g = p.add_argument_group("network")
    g.add_argument("--conv", type=_conv_list, metavar="K1,K2",
                   help=f"filters per conv layer, at most {MAX_CONV_LAYERS} layers (default 32,64)")
    g.add_argument("--fc", type=_sizes("100,200"), metavar="N1,N2",
                   help="hidden fully connected sizes; the 10 outputs are added (default 100,200)")
    g.add_argument("--filter-size", type=int, default=3, metavar="M", help="filter size m of every conv layer (3)")
    g.add_argument("--padding", choices=("same", "valid"), default="same")
    g.add_argument("--pooling", choices=("max", "average", "none"), default="max")
    g.add_argument("--dropout", type=float, help="dropout ratio on hidden fully connected layers (preset's)")
    g = p.add_argument_group("training")
    g.add_argument("--preset", choices=tuple(PRESETS), default="lecture",
                   help="hyperparameters: lecture (the original program's, by the text's rules), program (the "
                   "same, by the program's own rules: dropout of a fixed count with its mask forgotten in the "
                   "backward pass, pooling ties in column-major order; prints Error = the loss summed over the "
                   "minibatch every 10 steps) or fast (99%% in 4 epochs)")
    g.add_argument("--epochs", type=int)
    g.add_argument("--batch-size", type=int)
    g.add_argument("--lr", type=float, help="learning rate on the mean loss")
    g.add_argument("--momentum", type=float)
    g.add_argument("--schedule", choices=SCHEDULES, dest="lr_schedule", help="learning-rate schedule")
    g.add_argument("--seed", type=_seed, default=0, help="initialisation, shuffling, dropout and probe choice")
    g.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    g.add_argument("--threads", type=int, default=2,
                   help="worker threads sharing each minibatch, one BLAS thread each (2)")
    g.add_argument("--eval-every", type=int, default=0, metavar="N", help="also evaluate every N steps")
    g.add_argument("--snapshot-every", type=int, default=100, metavar="N", help="parameter snapshot every N steps")
    add_data_options(p)
    g = p.add_argument_group("session")
    g.add_argument("--out", type=_session_file, metavar="FILE",
                   help="session file (default <date>-<time>-<config>.h5 in CNNVIZ_SESSIONS, a checkout's sessions/ "
                        "or the user data directory); an existing file is never overwritten")
    g.add_argument("--no-session", action="store_true", help="do not save a session file")


def add_language_option(p: argparse.ArgumentParser, default: str | None = None) -> None:
    """``--lang``: the language of the window's text (the command line itself stays English)."""
    p.add_argument("--lang", choices=tuple(LANGUAGES), default=default,
                   help="the window's language: en (English) or ja (Japanese, the lecture notes' words); default: "
                   + ("en" if default == "en" else "the one chosen in View › Language, else the system's"))


def add_data_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("data")
    g.add_argument("--data", metavar="DIR|NAME", help="a directory of IDX files, 'sample' for the bundled "
                   "sample, or a data set downloaded into the user cache: mnist, fashion-mnist, kmnist "
                   "(default: $CNNVIZ_DATA, then MNIST in the user cache, then the sample)")
    g.add_argument("--download", action="store_true", help="download the data set (MNIST without --data) into "
                   "the user cache if it is not there")
    g.add_argument("--limit-train", type=int, metavar="N", help="use the first N training images")
    g.add_argument("--limit-test", type=int, metavar="N", help="use the first N test images")


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The run's configuration from the parsed training options (ConfigError for an impossible one)."""
    fc = None if args.fc is None else (*args.fc, 10)
    return make_config(
        args.preset, conv=args.conv, fc=fc, filter_size=args.filter_size, padding=args.padding,
        pooling=args.pooling, dropout=args.dropout, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
        momentum=args.momentum, lr_schedule=args.lr_schedule, seed=args.seed, dtype=args.dtype,
        threads=args.threads, eval_every=args.eval_every, snapshot_every=args.snapshot_every)


@dataclass(frozen=True)
class DataSpec:
    """What to train on, as the command line's data options and the window's form say it: ``source`` is "sample",
    a directory, a data set's name, or None (the search order of ``--data``); ``limit_train`` / ``limit_test`` use
    the first N images (None: all); ``download`` fetches MNIST into the user cache when it is not there."""

    source: str | None = "sample"
    limit_train: int | None = None
    limit_test: int | None = None
    download: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> DataSpec:
        return cls(args.data, args.limit_train, args.limit_test, bool(args.download))

    def load(self, progress: bool = False) -> MNIST:
        """The data (DataError, one sentence, where it cannot be had)."""
        data = load_data(self.source, download=self.download, progress=progress)
        if self.limit_train is not None or self.limit_test is not None:
            data = data.limited(self.limit_train, self.limit_test)
        return data


def data_from_args(args: argparse.Namespace) -> MNIST:
    """The data the options name (``--data``, else $CNNVIZ_DATA, the user cache, the bundled sample)."""
    return DataSpec.from_args(args).load(progress=True)
