"""The README's screenshots, made with ``cnnviz render`` from the example session (no display needed)::

    .venv/bin/python tools/screenshot.py                       # docs/screenshots/window.png and views/*.png
    .venv/bin/python tools/screenshot.py --session S.h5 --step 1200 --out /tmp/shots

It replaces the pictures it makes (and only those): ``render`` itself never overwrites a file, so the old
ones are removed first. The window is drawn at 1600 x 1000, each view at 900 x 620 (or the size it reads best
at), at the session's last step (or ``--step``), looking at the second probe image in conv1 (conv2 for the
pooling, unit and overview views, where the blocks and the sum over 32 channels are worth seeing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cnnviz.cli import main as cnnviz
from cnnviz.data import example_session_path

ROOT = Path(__file__).resolve().parent.parent
DRAWING = str(ROOT / "docs" / "examples" / "handwritten-3.png")  # a blue "3" on cream paper, for the Draw view
VIEWS = {"filters": [], "feature_maps": [], "pooling": ["--layer", "conv2"], "predictions": [],
         "unit": ["--layer", "conv2", "--channel", "5", "--pixel", "7,8", "--size", "900x700"],
         "deltas": ["--layer", "conv1"], "draw": ["--draw", DRAWING, "--size", "900x420"], "confusion": [],
         "playground": ["--size", "900x520"], "probes": ["--size", "900x520"],
         "overview": ["--layer", "conv2", "--channel", "5", "--pixel", "7,8", "--size", "1400x900"]}


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
