"""The README's screenshots, made with ``cnnviz render`` from the example session (no display needed)::

    .venv/bin/python tools/screenshot.py                       # docs/screenshots/window.png and views/*.png
    .venv/bin/python tools/screenshot.py --session S.h5 --step 1200 --out /tmp/shots

and, with ``--workspaces``, the real window on a screen (an X server: Xvfb will do) in every workspace, as it is
and in presentation mode (F11), each picture the whole screen, into ``docs/screenshots/workspaces/``; one run a
screen size::

    for size in 1024x768 1600x1000 1920x1080; do
        xvfb-run -a -s "-screen 0 ${size}x24" .venv/bin/python tools/screenshot.py --workspaces
    done

It also walks what a lecturer does on a 1024 x 768 projector (``lecture-*.png``): F11, larger text, a conv2 unit
clicked in Look inside, explained by the Unit view.

``--lang ja`` makes the same pictures of the window in Japanese (a font with Japanese glyphs needed, such as the
package fonts-noto-cjk), into ``docs/screenshots/ja/`` by default.

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


def workspaces(session: str, out: Path, compare: str | None = None, lang: str = "en") -> int:
    """Every workspace on this screen, as the window shows it maximized and in presentation mode (the screen
    grabbed, so that a window wider than the screen would show); at 1024 x 768 the lecturer's walk too. The Compare
    workspace is there only while runs are compared: with ``compare``, that session joins the one shown last."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.layouts import TASKS
    from cnnviz.gui.views.common import configure_pyqtgraph
    from cnnviz.gui.views.unit import select_unit
    from cnnviz.gui.workspace import build_parser

    app = QApplication.instance() or QApplication(["cnnviz"])
    configure_pyqtgraph()
    from cnnviz.gui import i18n

    i18n.install(lang)  # before the window

    def settle(ms: int = 400) -> None:  # the window manager-less X server, the plan and the views: a few turns
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    screen = app.primaryScreen()
    size = f"{screen.geometry().width()}x{screen.geometry().height()}"
    window = MainWindow(build_parser().parse_args(["--no-session"]), remember=False)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint)  # an X server without a window manager draws no frame
    window.setGeometry(screen.availableGeometry())
    window.show()
    settle()
    if not window.open_session(session):
        print(window.last_message, file=sys.stderr)
        return 2
    select_unit(window.model, 5, 7, 8, layer=1)  # conv2's u(5, 7, 8): the Unit view's sum over 32 channels
    out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        window.model.redraws.flush()
        settle()
        path = out / f"{name}.png"
        path.unlink(missing_ok=True)
        if not screen.grabWindow(0).save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        print(f"wrote {path}")

    for task in TASKS:
        if task.key == "compare":  # only while runs are compared
            if compare is None or not window.workspace.compare(compare):
                continue
        window.show_task(task.key)
        window.reset_layout()
        shot(f"{task.key}-{size}")
        window.present_action.trigger()
        settle()
        shot(f"{task.key}-{size}-present")
        window.present_action.trigger()
        window.setGeometry(screen.availableGeometry())  # restoreGeometry counts a frame that no window manager drew
        settle()
    window.workspace.close_comparison()
    if size == "1024x768":  # the lecturer: F11, larger text, a unit clicked, explained
        window.show_task("train")
        window.present_action.trigger()
        settle()
        shot("lecture-1-present")
        window.larger_action.trigger()
        shot("lecture-2-larger-text")
        window.show_task("inside")
        select_unit(window.model, 5, 7, 8, layer=1)
        shot("lecture-3-unit")
        window.present_action.trigger()
        settle()
    window.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--session", default=str(example_session_path()), help="the session (default: the example)")
    p.add_argument("--step", default="-1", help="the step to show (default -1, the last)")
    p.add_argument("--out", help="the folder (default docs/screenshots, docs/screenshots/ja in Japanese)")
    p.add_argument("--lang", choices=("en", "ja"), default="en", help="the window's language (default en)")
    p.add_argument("--workspaces", action="store_true", help="the window in every workspace on this screen (needs a "
                   "display), into OUT/workspaces")
    p.add_argument("--compare", metavar="SESSION", help="with --workspaces: a session to compare with, for the "
                   "Compare workspace (e.g. a fork of the example: cnnviz train --from EXAMPLE --epochs 8)")
    args = p.parse_args(argv)
    out = Path(args.out or ROOT / "docs" / "screenshots" / ("ja" if args.lang == "ja" else ""))
    if args.workspaces:
        return workspaces(args.session, out / "workspaces", args.compare, args.lang)
    (out / "views").mkdir(parents=True, exist_ok=True)
    from cnnviz.session import SessionReader

    with SessionReader(args.session) as r:
        image = str(int(r.probe()["indices"][1]))
    jobs = [(out / "window.png", ["--view", "window"])]
    jobs += [(out / "views" / f"{view}.png", ["--view", view, *extra]) for view, extra in VIEWS.items()]
    for path, options in jobs:
        path.unlink(missing_ok=True)
        code = cnnviz(["render", args.session, "--out", str(path), "--step", args.step, "--image", image,
                       "--lang", args.lang, *options])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
