"""Make resources/example-session.h5, the small recorded run a new user can replay before training anything.

Why it exists: File > Open example session replays this file in every view (the overview, filters, feature maps,
pooling, predictions, loss and accuracy), so the window shows a network that has learned before the user has
downloaded MNIST or waited for a run. It is made by the real trainer and session writer, so it is an ordinary
session file; this script is the recorded run that makes it, and running it again gives the same run.

Usage (from the repository root):

    .venv/bin/python tools/make_example_session.py            # refuses if the file exists
    .venv/bin/python tools/make_example_session.py --force    # replaces it

It trains what this command would (in about a minute on one free core)::

    cnnviz train --data sample --preset fast --epochs 6 --snapshot-every 0 --seed 0 --threads 1

(the lecture's network, all 2,000 training and 1,000 test images of the bundled sample), writing to a temporary
name in the output's folder, with one difference (below: no optimizer state). The finished file is checked
(status "complete", under MAX_BYTES, at least MIN_SNAPSHOTS snapshots, a final test accuracy of at least
MIN_ACCURACY) and only then given its name: a new name is published without ever replacing a file; an existing
file is replaced (by a rename) only with ``--force``, and without it the script prints one line and exits with
status 2 before training.

The settings, and why:

- **The lecture's network, unchanged**: conv 32 and 64 filters of 3x3, same padding, ReLU, 2x2 max pooling; fully
  connected 100, 200 and 10 units. The overview, filter, feature-map, pooling and unit views show what the lecture
  describes, trained.
- **The fast preset** (learning rate 0.05, momentum 0.9, cosine decay to zero, dropout 0.2, batch 100, float32):
  the lecture preset's rate needs about 30 epochs of the sample to pass 95% (each epoch ends with a snapshot, 30
  of them); the fast one passes it in 6 (about 84% after the first epoch, 96% at the end).
- **6 epochs of the sample** (20 steps an epoch, 120 steps), a snapshot and an evaluation of all 1,000 sample test
  images at the end of every epoch and a snapshot at step 0 (7 snapshots, 6 evaluations): the untrained network
  and every epoch of its learning, to scrub through.
- **No optimizer state in the snapshots.** Nearly all of a session is its snapshots, and each holds the
  parameters (fc1.W alone is 3136 x 100 float32, 1.25 MB, which gzip shrinks by only ~10%: 1.3 MB a snapshot)
  and, for continuing the run from it exactly, the momentum's velocity: as much again (with it in the last
  snapshot only, the file was 10.2 MB). The snapshots are recorded without it (the session format's "snapshot
  recorded without it": zeros, a few bytes compressed), which keeps the file under 10 MB; a fork from the example
  continues with the velocity starting at zero (the fork says so).
- **``--seed 0 --threads 1``** so the run is reproducible (the parameters, metrics and evaluations are the same
  every time; only the timings and the creation date differ). **No ``--limit-test``**: the replay then finds
  every one of the sample's 1,000 test images, with its prediction at every evaluation.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cnnviz.config import make_config
from cnnviz.data import example_session_path, load_data
from cnnviz.records import RunEnd, SnapshotRecord
from cnnviz.session import SessionError, SessionReader, SessionWriter
from cnnviz.session.schema import publish
from cnnviz.training import Trainer

# The run (explained in the module docstring).
CONFIG = dict(conv=(32, 64), fc=(100, 200, 10), filter_size=3, padding="same", pooling="max", epochs=6,
              snapshot_every=0, eval_every=0, seed=0, threads=1)
PRESET = "fast"
MAX_BYTES = 10_000_000  # under 10 MB
MIN_SNAPSHOTS = 7
MIN_ACCURACY = 0.95


def train(path: Path) -> str:
    """The example's run, written to the new session file ``path``: its RunEnd's status. The snapshots are written
    without the optimizer's state."""
    trainer = Trainer(make_config(PRESET, **CONFIG), load_data("sample"), on_divergence="fail")
    status = "failed"
    with SessionWriter(path) as writer:
        for record in trainer.run():
            if isinstance(record, SnapshotRecord):
                record = dataclasses.replace(record, state=None)
            elif isinstance(record, RunEnd):
                status = record.status
            writer.write(record)
    return status


def _check(path: Path) -> str | None:
    """What is wrong with the session written to ``path`` (None if it is fit to ship)."""
    with SessionReader(path) as r:
        if r.status != "complete":
            return f"the run ended with status {r.status!r}, not 'complete'"
        if r.size >= MAX_BYTES:
            return f"it is {r.size:,} bytes, not under {MAX_BYTES:,}"
        if r.n_snapshots < MIN_SNAPSHOTS:
            return f"it has {r.n_snapshots} snapshots, fewer than {MIN_SNAPSHOTS}"
        accuracy = float(r.evals()["test_accuracy"][-1])
        if accuracy < MIN_ACCURACY:
            return f"its final test accuracy is {accuracy:.1%}, under {MIN_ACCURACY:.0%}"
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
        status = train(tmp)
        if status != "complete":
            print(f"make_example_session: the run ended with status {status!r}; {out} was not written.",
                  file=sys.stderr)
            return 1
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
