"""Make resources/example-session.h5, the small recorded run a new user can replay before training anything.

Why it exists: File > Open example session replays this file in every view (filters, feature maps, pooling,
predictions, loss and accuracy), so the window shows a network learning before the user has downloaded MNIST
or waited for a run. It is made by the real trainer and session writer (``cnnviz train``), so it is an ordinary
session file; this script is the recorded command that makes it, and running it again gives the same run.

Usage (from the repository root):

    .venv/bin/python tools/make_example_session.py            # refuses if the file exists
    .venv/bin/python tools/make_example_session.py --force    # replaces it

It runs, in about 10 s on one core::

    cnnviz train --data sample --fc 16 --epochs 4 --snapshot-every 5 --eval-every 10 --seed 0 --threads 1

(preset ``lecture``, all 2,000 training and 1,000 test images of the bundled sample), writing to a temporary
name in the output's folder. The finished file is checked (status "complete", under 5 MB, at least 15
snapshots) and only then given its name: a new name is published without ever replacing a file; an existing
file is replaced (by a rename) only with ``--force``, and without it the script prints one line and exits
with status 2 before training.

The settings, and why:

- **The lecture's conv layers, unchanged**: 32 and 64 filters of 3x3, same padding, ReLU, 2x2 max pooling.
  They are what the filter, feature-map and pooling views show, so the example looks like the lecture.
- **The fully connected part shrunk to one hidden layer of 16 (``--fc 16``: 3136 -> 16 -> 10).** The file must
  stay under 5 MB, and nearly all of a session is its parameter snapshots, which gzip shrinks by only ~13%.
  Measured with these settings (17 snapshots): the lecture's fc 100,200,10 is ~1.4 MB a snapshot (fc1.W alone
  is 3136x100 float32), so only 3 would fit; fc 32 is ~0.42 MB a snapshot (7.3 MB for 17; 88% final test
  accuracy), still only ~11 in 5 MB; fc 16 is ~0.25 MB a snapshot (conv2.W 65 KB + fc1.W 174 KB, compressed),
  4.3 MB for 17, with room to spare. Scrubbing through many snapshots matters more here than the last few
  points of accuracy, and the conv views do not depend on the fc sizes.
- **The lecture preset's hyperparameters**: learning rate 0.01, momentum 0.2, constant schedule, dropout 0.2,
  batch 100, float32 (so the example is the lecture's training, only short).
- **4 epochs of the sample** (20 steps an epoch, 80 steps): long enough that the test accuracy climbs visibly
  (about 19% at step 10 to 70% at step 80, evaluated on all 1,000 sample test images).
- **A snapshot every 5 steps** (17 snapshots: step 0, 5, ..., 80) and **an evaluation every 10 steps**
  (8 evaluations, each with its snapshot): enough frames to scrub, at regular steps.
- **``--seed 0 --threads 1``** so the run is reproducible (the parameters, metrics and evaluations are the same
  every time; only the timings and the creation date differ). **No ``--limit-test``**: the replay then finds
  every one of the sample's 1,000 test images, with its prediction at every evaluation.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cnnviz import cli
from cnnviz.data import example_session_path
from cnnviz.session import SessionError, SessionReader
from cnnviz.session.schema import publish

# The `cnnviz train` options that make the example (explained in the module docstring).
TRAIN_ARGS = ("--data", "sample", "--preset", "lecture", "--conv", "32,64", "--filter-size", "3",
              "--padding", "same", "--pooling", "max", "--fc", "16", "--epochs", "4",
              "--snapshot-every", "5", "--eval-every", "10", "--seed", "0", "--threads", "1")
MAX_BYTES = 5_000_000  # under 5 MB
MIN_SNAPSHOTS = 15


def _check(path: Path) -> str | None:
    """What is wrong with the session written to ``path`` (None if it is fit to ship), and a summary line."""
    with SessionReader(path) as r:
        if r.status != "complete":
            return f"the run ended with status {r.status!r}, not 'complete'"
        if r.size >= MAX_BYTES:
            return f"it is {r.size:,} bytes, not under {MAX_BYTES:,}"
        if r.n_snapshots < MIN_SNAPSHOTS:
            return f"it has {r.n_snapshots} snapshots, fewer than {MIN_SNAPSHOTS}"
    return None


def _summary(path: Path, seconds: float) -> str:
    with SessionReader(path) as r:
        acc = r.evals()["test_accuracy"]
        return (f"Wrote {path} ({r.size / 1e6:.2f} MB): {r.n_steps} steps, {r.n_snapshots} snapshots, "
                f"{r.n_evals} evaluations, test accuracy {acc[0]:.1%} -> {acc[-1]:.1%} "
                f"({r.n_test} images), in {seconds:.1f} s.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=example_session_path(),
                        help="the session file to write (default resources/example-session.h5)")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    args = parser.parse_args(argv)
    out: Path = args.out

    if (out.exists() or out.is_symlink()) and not args.force:
        print(f"make_example_session: {out} exists; give --force to replace it.", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.{secrets.token_hex(4)}.tmp"  # same folder: the rename stays atomic
    started = time.perf_counter()
    try:
        status = cli.main(["train", *TRAIN_ARGS, "--quiet", "--out", str(tmp)])
        if status != 0:
            print(f"make_example_session: training failed (status {status}); {out} was not written.",
                  file=sys.stderr)
            return status
        problem = _check(tmp)
        if problem is not None:
            print(f"make_example_session: not writing {out}: {problem}.", file=sys.stderr)
            return 1
        tmp.chmod(0o644)  # a shipped resource, readable by all
        if args.force:
            os.replace(tmp, out)
        else:
            try:
                publish(tmp, out)  # never replaces a file, even one that appeared during training
            except SessionError as e:
                print(f"make_example_session: {e} Give --force to replace it.", file=sys.stderr)
                return 2
    finally:
        if tmp.exists():
            tmp.unlink()
    print(_summary(out, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
