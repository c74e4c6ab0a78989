"""Make tests/data/session-v2.h5, the kept file of session format version 2 (the tests open it with every later
cnnviz, replay it, and continue it exactly from one of its snapshots).

Usage (from the repository root):

    .venv/bin/python tools/make_session_v2.py [--out tests/data/session-v2.h5]

It trains, on the bundled sample, the small network of ``tests/data/session-v1.h5`` (one conv layer of 2 filters,
fc 8) for 2 epochs of 4 steps, with momentum 0.9, dropout 0.3 and 2 worker threads (so that the file records a
velocity and two dropout generators), a snapshot every 2 steps, in float64 (so that a fork reproduces its steps
bit for bit). The same as:

    .venv/bin/python -m cnnviz train --data sample --limit-train 200 --limit-test 100 --conv 2 --fc 8 \\
        --epochs 2 --batch-size 50 --momentum 0.9 --dropout 0.3 --threads 2 --snapshot-every 2 \\
        --dtype float64 --out tests/data/session-v2.h5 --quiet

The file is never overwritten: remove the old one first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnnviz.cli import main  # after the path is set

OPTIONS = ["--data", "sample", "--limit-train", "200", "--limit-test", "100", "--conv", "2", "--fc", "8",
           "--epochs", "2", "--batch-size", "50", "--momentum", "0.9", "--dropout", "0.3", "--threads", "2",
           "--snapshot-every", "2", "--dtype", "float64", "--quiet"]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "tests" / "data" / "session-v2.h5"))
    args = parser.parse_args()
    sys.exit(main(["train", *OPTIONS, "--out", args.out]))
