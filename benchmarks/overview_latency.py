"""How long does the Overview take to follow the timeline: from a seek to the whole network drawn again?

The target (issue 23): drawing the overview after a seek takes under 50 ms on the lecture's network (conv 32,64 of
3x3, fc 100,200,10). It replays a session of that network (default: the example session that ships with cnnviz)
as the window does (:class:`~cnnviz.gui.replay.ReplaySource`, levels completed), shows the Overview alone at
``--size`` (1200x800), a conv2 unit selected (so the filter slide is drawn too), and seeks from snapshot to snapshot
``--rounds`` times over (forward then back), for three probe images. Each seek is timed from ``model.seek`` until
the event loop is quiet (the scene painted), in two groups:

- **first visit**: a snapshot and image not shown before: the snapshot read from the file, the image's forward
  trace computed (the model's, shared by every view), then the view's redraw;
- **again**: both cached (the model keeps 32 traces and the snapshots it read): the redraw and the paint alone.

Apart from the seeks, it times :meth:`OverviewView.redraw` alone (no paint). It prints the median, 95th percentile
and maximum (ms) of the wall-clock time and of the CPU time the process used meanwhile (on a busy machine,
wall-clock time above CPU time is waiting for a core; the load average is printed too), and as its last line one
JSON object. A figure to read, never a unit test::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/overview_latency.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

from draw_latency import line, settle, stats  # the Draw view's benchmark (beside this script): the same figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--session", help="a session of the lecture's network (default: the example session)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the snapshots, forward then back")
    parser.add_argument("--size", default="1200x800", help="the view's size WxH")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["cnnviz"])
    from cnnviz.data import example_session_path
    from cnnviz.gui.model import RunModel
    from cnnviz.gui.replay import ReplaySource
    from cnnviz.gui.views.common import configure_pyqtgraph
    from cnnviz.gui.views.overview import OverviewView
    from cnnviz.parallel import use_one_blas_thread

    configure_pyqtgraph()
    use_one_blas_thread()  # as the window does
    model = RunModel()
    replay = ReplaySource(model, model)
    replay.open(args.session or example_session_path())
    model.complete_levels()
    net = model.start.config.network
    print(f"network: conv {[c.filters for c in net.conv]} of {net.conv[0].size}x{net.conv[0].size}, fc "
          f"{list(net.fc)}; {len(model.snapshots)} snapshots")
    w, h = (int(v) for v in args.size.lower().split("x"))
    view = OverviewView(model)
    view.resize(w, h)
    view.show()
    settle(app)
    model.select(layer=len(net.conv) - 1, channel=3, pixel=(5, 6))  # the slide is drawn too
    settle(app)

    steps = list(model.snapshots.steps)
    images = [int(i) for i in model.start.probe_indices[:3]]
    seen: set[tuple[int, int]] = set()
    times: dict[str, list[float]] = {"first": [], "first_cpu": [], "again": [], "again_cpu": [], "redraw": []}
    for image in images:
        model.select(image=image)
        settle(app)
        for r in range(args.rounds):
            for step in steps if r % 2 == 0 else steps[::-1]:
                key = "again" if (step, image) in seen else "first"
                seen.add((step, image))
                t0, c0 = time.perf_counter(), time.process_time()
                model.seek(step)
                settle(app)
                times[key].append(1000 * (time.perf_counter() - t0))
                times[f"{key}_cpu"].append(1000 * (time.process_time() - c0))
                t1 = time.perf_counter()
                view.redraw()
                times["redraw"].append(1000 * (time.perf_counter() - t1))
    results = {}
    for key, name in (("first", "seek, first visit"), ("first_cpu", "  its CPU time"), ("again", "seek, again"),
                      ("again_cpu", "  its CPU time"), ("redraw", "OverviewView.redraw alone")):
        results[key] = stats(times[key])
        print(line(name, results[key]))
    load = os.getloadavg()
    print(f"view {w}x{h}; machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load "
          f"average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, Qt platform {os.environ.get('QT_QPA_PLATFORM')}")
    print(json.dumps(results))
    view.close()
    replay.close()
    model.close()


if __name__ == "__main__":
    main()
