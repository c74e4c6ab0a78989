"""How long does the Draw view take to follow the pen: from a mouse move to its new bars on the screen?

The target (issue 10): each update of the prediction while drawing takes under 50 ms on the default network
(conv 32,64 of 3x3, fc 100,200). A pen move is a real mouse event on the canvas (``QTest.mouseMove``): the
stroke drawn into the 28 x 28 canvas (``pen_stroke``); on the next turn of the event loop the canvas prepared
(``prepare_image``), a forward pass with the timeline's snapshot (the model's network), the bars and the
network's input set; then the event loop runs until it is quiet (the changed widgets painted). While a stroke
goes on, the model gets the drawing at most every ``MODEL_INTERVAL`` (0.2 s) and at the stroke's end
(``model.set_user_image``: every view that shows the chosen image redraws for it); the pen moves during which
that happened are counted apart ("with a model update").

It moves the pen ``--moves`` (300) times along a figure 8 (a new stroke every 60 moves, after a clear), twice:

1. **draw view alone**: the Draw view on a model with the default network's step-0 snapshot (the records the
   window's preview shows before training: the weights do not change the cost), with the cost of its parts
   (``prepare_image``, the forward pass) measured apart;
2. **window**: the whole window (:class:`cnnviz.gui.app.MainWindow`, ``remember=False``, shown at ``--size``,
   1600x1000 by default, the Draw view raised in its tab), the same network.

For each it prints the median, 95th percentile and maximum (ms) of the wall-clock time and of the CPU time the
process used meanwhile (on a busy machine, wall-clock time above CPU time is waiting for a core; the load
average is printed too); as its last line one JSON object. Timings are figures to read, never a unit test. Run
it without a display, or under a virtual X server::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/draw_latency.py
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/draw_latency.py
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time

import numpy as np


def path_of_eight(n: int) -> list[tuple[float, float]]:
    """``n`` points of a figure 8 in canvas pixels (x, y), a lemniscate standing up, about 12 x 18 pixels."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return [(14 + 6 * math.sin(2 * a), 14 - 9 * math.cos(a)) for a in t]


def stats(values_ms) -> dict:
    v = np.asarray(values_ms)
    return {"p50_ms": round(float(np.median(v)), 2), "p95_ms": round(float(np.percentile(v, 95)), 2),
            "max_ms": round(float(v.max()), 2), "n": len(v)}


def line(name: str, s: dict) -> str:
    return f"{name:<28} median {s['p50_ms']:7.2f} ms   p95 {s['p95_ms']:7.2f} ms   max {s['max_ms']:7.2f} ms   (n={s['n']})"


def settle(app) -> None:
    """Run the event loop a few passes: posted events, zero-delay timers and the paint events they cause."""
    for _ in range(3):
        app.sendPostedEvents()
        app.processEvents()


def run_moves(app, view, points, per_stroke: int) -> dict[str, list[float]]:
    """Draw through ``points`` with real mouse events (a new stroke every ``per_stroke`` points, after a clear).
    Per pen move: the time until its bars are painted, and whether the model got the drawing meanwhile (then
    every other view redrew too); then the parts of the draw view's own update, measured apart."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from cnnviz.data import prepare_image, to_uint8

    left = Qt.MouseButton.LeftButton
    canvas, model = view.canvas, view.model
    pushes = []
    model.changed.connect(lambda changes: pushes.append(1) if "image" in changes else None)
    out: dict[str, list[float]] = {"move": [], "move_cpu": [], "move_without_push": [], "move_with_push": [],
                                   "cpu_without_push": [], "cpu_with_push": [], "prepare": [], "forward": []}
    last = None
    for k, point in enumerate(points):
        pos = canvas.to_widget(*point).toPoint()
        if k % per_stroke == 0:
            if last is not None:
                QTest.mouseRelease(canvas, left, pos=last)
            canvas.clear()
            view.flush()
            settle(app)
            QTest.mousePress(canvas, left, pos=pos)
            view.flush()
            settle(app)
            last = pos
            continue
        before = len(pushes)
        t0, c0 = time.perf_counter(), time.process_time()
        QTest.mouseMove(canvas, pos)  # Canvas.mouseMoveEvent: the stroke drawn, an update scheduled
        settle(app)  # the update (prepare, forward, bars), the push when it is due, the painting
        ms = 1000 * (time.perf_counter() - t0)
        cpu = 1000 * (time.process_time() - c0)
        out["move"].append(ms)
        out["move_cpu"].append(cpu)
        pushed = "with_push" if len(pushes) > before else "without_push"
        out[f"move_{pushed}"].append(ms)
        out[f"cpu_{pushed}"].append(cpu)
        last = pos
        t1 = time.perf_counter()
        image = to_uint8(prepare_image(canvas.image))
        t2 = time.perf_counter()
        view.forward(image)
        t3 = time.perf_counter()
        out["prepare"].append(1000 * (t2 - t1))
        out["forward"].append(1000 * (t3 - t2))
    QTest.mouseRelease(canvas, left, pos=last)
    settle(app)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--size", default="1600x1000", help="window size WxH")
    parser.add_argument("--skip-window", action="store_true", help="only the draw view alone")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["cnnviz"])
    from cnnviz.data import load_sample
    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.main import build_parser
    from cnnviz.gui.live import preview_records
    from cnnviz.gui.model import RunModel
    from cnnviz.gui.views.common import configure_pyqtgraph
    from cnnviz.gui.views.draw import DrawView
    from cnnviz.options import config_from_args
    from cnnviz.parallel import use_one_blas_thread

    configure_pyqtgraph()
    use_one_blas_thread()  # as the window does
    options = build_parser().parse_args(["--data", "sample", "--no-session"])
    config = config_from_args(options)
    data = load_sample()
    start, snapshot = preview_records(config, data)
    print(f"network: conv {[c.filters for c in config.network.conv]} of {config.network.conv[0].size}x"
          f"{config.network.conv[0].size}, fc {list(config.network.fc)}, {config.dtype}")
    points = path_of_eight(args.moves)
    results = {}

    model = RunModel()
    model.begin(start, data.test_images, data.test_labels)
    model.feed([snapshot])
    model.complete_levels()
    view = DrawView(model)
    view.resize(900, 620)
    view.show()
    settle(app)
    parts = run_moves(app, view, points, 60)
    for key, name in (("move", "draw view alone: pen move"), ("move_cpu", "  its CPU time"),
                      ("prepare", "  prepare_image"), ("forward", "  forward pass")):
        results[f"alone_{key}"] = stats(parts[key])
        print(line(name, results[f"alone_{key}"]))
    view.close()

    if not args.skip_window:
        w, h = (int(v) for v in args.size.lower().split("x"))
        window = MainWindow(options, remember=False, preview=True)
        window.resize(w, h)
        window.show()
        settle(app)
        window.docks["draw"].raise_()
        settle(app)
        visible = [k for k, v in window.views.items() if v.isVisible() and not v.visibleRegion().isEmpty()]
        parts = run_moves(app, window.views["draw"], points, 60)
        for key, name in (("move", f"window {w}x{h}: pen move"), ("move_cpu", "  its CPU time"),
                          ("move_without_push", "  without a model update"), ("cpu_without_push", "    CPU"),
                          ("move_with_push", "  with a model update"), ("cpu_with_push", "    CPU")):
            if parts[key]:
                results[f"window_{key}"] = stats(parts[key])
                print(line(name, results[f"window_{key}"]))
        print(f"  visible views: {', '.join(visible)}")
        window.close()

    load = os.getloadavg()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, Qt platform {os.environ.get('QT_QPA_PLATFORM')}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
