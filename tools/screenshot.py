"""Screenshots of the real window for the README: start the app with ``--start`` on the bundled sample, wait,
save the whole window and every view as PNG files.

Run it under a display, for example a virtual one::

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot.py --seconds 12

Options after ``--`` go to the window (the same as ``cnnviz``'s), e.g. ``-- --epochs 20 --preset fast``.
Halfway through, the learning rate is changed in the form (``--change-lr``), so that the loss view shows an
event line.
The window's saved layout is not used (a temporary settings directory), so the picture shows the default one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=12.0, help="how long to train before the screenshot (12)")
    p.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="directory for the PNG files")
    p.add_argument("--size", default="1400x900", help="window size WxH (1400x900)")
    p.add_argument("--views", action="store_true", help="also save every view on its own")
    p.add_argument("--change-lr", type=float, default=0.02, metavar="LR",
                   help="halfway, set this learning rate in the form, as a user would (an event line); 0: no")
    args = p.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="cnnviz-screenshot-")  # not the user's layout
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.gui.app import MainWindow, build_parser

    app = QApplication.instance() or QApplication([sys.argv[0]])
    session = [] if "--out" in extra else ["--no-session"]  # no file in sessions/ unless asked for
    window_args = build_parser().parse_args(["--data", "sample", "--epochs", "20", *session, *extra])
    window = MainWindow(window_args)
    window.resize(width, height)
    window.show()
    written: list[Path] = []

    def shoot() -> None:
        written.append(window.export_window(out / "window.png"))
        if args.views:
            for key in window.views:
                written.append(window.export_view(out / f"view-{key.replace('_', '-')}.png", key))
        window.close()
        app.quit()

    if args.change_lr:
        QTimer.singleShot(int(args.seconds * 500), lambda: window.controls.lr.setValue(args.change_lr))
    QTimer.singleShot(0, window.start_run)
    QTimer.singleShot(int(args.seconds * 1000), shoot)
    app.exec()
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} KiB)")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
