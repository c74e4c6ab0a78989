"""How long does a click on a conv map take until the Unit view shows the unit's computation?

The target (issue 10): a click on a unit shows its computation within 100 ms on the default network (conv2 has
32 input channels of 3x3). Two runs are measured:

1. the example session (``resources/example-session.h5``: conv 32, 64 of 3x3, fc 16, 10), replayed at its
   last snapshot with its test images;
2. a default-size network (``NetworkConfig()``'s sizes: conv 32, 64 of 3x3, fc 100, 200, 10), trained for two
   steps on the bundled sample, fed to the model as a live run is.

For each, ``--clicks`` (200) random units (a random conv layer, channel and pixel; ``--seed``) are measured:

- ``explain_unit``: :func:`cnnviz.core.inspect.explain_unit` with the model's cached trace (what the view calls),
  and without it (a forward pass of the image included: what a notebook calls);
- ``click``: what a click on a pixel of the enlarged map runs (:func:`cnnviz.gui.views.unit.select_unit`:
  ``model.select(channel=..., pixel=...)``, the Unit view's redraw through ``model.changed``), then the view
  painted at once (``QWidget.repaint()``), with the Feature maps and Pooling views also open and reacting
  to the new channel (as in the window), and with the Unit view alone;
- ``new image``: the selected image changed (its forward trace computed, the views redrawn);
- ``timeline``: the cursor moved to another snapshot (its parameters set, the trace computed, the views
  redrawn; the example session only).

It prints the median, 95th percentile and maximum of each in milliseconds (wall clock; for the clicks also the
median CPU time of the process: on a busy machine the difference is waiting for a core), the machine, and as its last line one
JSON object. Timings are figures to read, never a unit test. Run it without a display::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/unit_latency.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np


def stats(times: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Wall-clock median, 95th percentile and maximum in ms; with ``cpu`` the CPU time's median too (on a busy
    machine wall-clock time above CPU time is waiting for a core)."""
    t = np.asarray(times) * 1000
    out = {"p50_ms": round(float(np.median(t)), 2), "p95_ms": round(float(np.percentile(t, 95)), 2),
           "max_ms": round(float(t.max()), 2), "n": len(t)}
    if cpu is not None:
        out["cpu_p50_ms"] = round(float(np.median(cpu)) * 1000, 2)
    return out


class Clock:
    """Wall-clock and process CPU time of each timed block."""

    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self):
        self._t = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall.append(time.perf_counter() - self._t[0])
        self.cpu.append(time.process_time() - self._t[1])

    def stats(self) -> dict[str, float]:
        return stats(self.wall, self.cpu)


def random_unit(model, rng) -> tuple[int, int, int, int]:
    net = model.start.config.network
    l = int(rng.integers(len(net.conv)))
    _, H, W = dict(net.shapes())[f"conv{l + 1}.u"]
    return l, int(rng.integers(net.conv[l].filters)), int(rng.integers(H)), int(rng.integers(W))


def measure(name: str, model, app, clicks: int, rng, seek: bool) -> dict:
    from cnnviz.core.inspect import explain_unit
    from cnnviz.gui.views.feature_maps import FeatureMapsView
    from cnnviz.gui.views.pooling import PoolingView
    from cnnviz.gui.views.unit import UnitView, select_unit

    out = {}
    units = [random_unit(model, rng) for _ in range(clicks)]
    image = model.image(model.selection.image)
    t_cached, t_forward = [], []
    for l, k, i, j in units:
        trace = model.trace()
        t0 = time.perf_counter()
        explain_unit(model.network, image, f"conv{l + 1}", k, i, j, trace=trace)
        t1 = time.perf_counter()
        explain_unit(model.network, image, f"conv{l + 1}", k, i, j)
        t2 = time.perf_counter()
        t_cached.append(t1 - t0)
        t_forward.append(t2 - t1)
    out["explain_unit_cached_trace"] = stats(t_cached)
    out["explain_unit_with_forward"] = stats(t_forward)

    for label, classes in (("click_with_maps_and_pooling", (FeatureMapsView, PoolingView, UnitView)),
                           ("click_unit_view_alone", (UnitView,))):
        views = [cls(model) for cls in classes]
        for view in views:
            view.resize(700, 600)
            view.show()
        app.processEvents()
        unit = views[-1]
        clock = Clock()
        for l, k, i, j in units:
            if model.selection.layer != l:
                model.select(layer=l)  # choosing the layer is not part of the click
                app.processEvents()
            with clock:
                select_unit(model, k, i, j)
                for view in views:
                    view.repaint()
            assert unit.explanation is not None and (unit.explanation.row, unit.explanation.col) == (i, j)
        out[label] = clock.stats()

        if label.startswith("click_with"):
            indices = model.image_indices
            clock = Clock()
            for _ in range(min(clicks, 50)):
                index = int(indices[rng.integers(len(indices))])
                with clock:
                    model.select(image=index)
                    for view in views:
                        view.repaint()
            out["new_image_with_maps_and_pooling"] = clock.stats()
            if seek:
                steps = model.snapshots.steps
                clock = Clock()
                for n in range(min(clicks, 50)):
                    with clock:
                        model.seek(steps[n % len(steps)])
                        for view in views:
                            view.repaint()
                out["timeline_with_maps_and_pooling"] = clock.stats()
                model.seek(model.last_step)
        for view in views:
            view.close()
            view.deleteLater()
        app.processEvents()
    print(f"\n{name}")
    for key, value in out.items():
        cpu = f"   CPU p50 {value['cpu_p50_ms']:7.2f} ms" if "cpu_p50_ms" in value else ""
        print(f"  {key:34s} p50 {value['p50_ms']:7.2f} ms   p95 {value['p95_ms']:7.2f} ms   "
              f"max {value['max_ms']:7.2f} ms{cpu}   (n={value['n']})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["unit-latency"])
    from cnnviz.config import make_config
    from cnnviz.data import example_session_path, load_sample
    from cnnviz.gui.model import RunModel
    from cnnviz.gui.replay import ReplaySource
    from cnnviz.gui.views.common import configure_pyqtgraph
    from cnnviz.parallel import use_one_blas_thread
    from cnnviz.training import Trainer

    configure_pyqtgraph()
    use_one_blas_thread()  # as the window does (two BLAS threads slow down many times on a busy 2-core machine)
    rng = np.random.default_rng(args.seed)
    results = {}

    model = RunModel()
    ReplaySource(model, model).open(example_session_path())
    model.seek(model.last_step)
    model.complete_levels()
    results["example_session"] = measure("example session (conv 32, 64; fc 16, 10), replayed", model, app,
                                         args.clicks, rng, seek=True)

    config = make_config("lecture", conv=(32, 64), fc=(100, 200, 10), epochs=1, batch_size=100)
    data = load_sample().limited(200, 100)
    records = list(Trainer(config, data).run())
    live = RunModel()
    live.begin(records[0], data.test_images, data.test_labels)
    live.feed(records[1:])
    live.complete_levels()
    results["default_network"] = measure("default-size network (conv 32, 64; fc 100, 200, 10), fed as live",
                                         live, app, args.clicks, rng, seek=False)

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    print(f"\nmachine: {cpu or platform.processor()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"Python {platform.python_version()}, numpy {np.__version__}, Qt platform "
          f"{os.environ.get('QT_QPA_PLATFORM')}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
