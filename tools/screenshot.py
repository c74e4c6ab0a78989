"""The README's screenshots, made with ``cnnviz render`` from the example session (no display needed)::

    .venv/bin/python tools/screenshot.py                       # docs/screenshots/window.png and views/*.png
    .venv/bin/python tools/screenshot.py --session S.h5 --step 1200 --out /tmp/shots

It replaces the pictures it makes (and only those): ``render`` itself never overwrites a file, so the old
ones are removed first. The window is drawn at 1600 x 1000, each view at 900 x 620, at the session's last step
(or ``--step``), looking at the second probe image in conv1 (conv2 for the pooling view, where the blocks are
easier to see).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cnnviz.cli import main as cnnviz
from cnnviz.data import example_session_path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {"filters": [], "feature_maps": [], "pooling": ["--layer", "conv2"], "predictions": []}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--session", default=str(example_session_path()), help="the session (default: the example)")
    p.add_argument("--step", default="-1", help="the step to show (default -1, the last)")
    p.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="the folder (default docs/screenshots)")
    args = p.parse_args(argv)
    out = Path(args.out)
    (out / "views").mkdir(parents=True, exist_ok=True)
    from cnnviz.session import SessionReader

    with SessionReader(args.session) as r:
        image = str(int(r.probe()["indices"][1]))
    jobs = [(out / "window.png", ["--view", "window"])]
    jobs += [(out / "views" / f"{view}.png", ["--view", view, *extra]) for view, extra in VIEWS.items()]
    for path, options in jobs:
        path.unlink(missing_ok=True)
        code = cnnviz(["render", args.session, "--out", str(path), "--step", args.step, "--image", image, *options])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
