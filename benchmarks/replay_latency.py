"""How long does moving the timeline cursor of a replayed session take, until every visible view has redrawn?

The target (the replay issue): moving the cursor to any snapshot redraws every visible view within 100 ms at
the 95th percentile, and opening a session shows the window with its last snapshot in under 1 s, on a 4-epoch
session of the default network on full MNIST, on a 2-core machine (the figures: docs/speed.md).

The script builds the real window (:class:`cnnviz.gui.app.MainWindow`, ``--no-session``, ``remember=False``:
the default layout, every view visible), shows it at ``--size`` (1600x1000), and measures

1. **open**: from the start of ``open_session(SESSION)`` until every visible view has painted the session's
   last snapshot (``open_ms``); then until the colour levels of every snapshot are in (the model computes them
   on idle turns of the event loop after opening; ``levels_ms``). The seeks start after that, so that they do
   not share the event loop with the levels' work;
2. **seeks**: ``--seeks`` (200) times, the cursor moved to the step of a random snapshot (``--seed``; never the
   one shown), as a click on the timeline does: ``model.seek(step)`` runs synchronously (the snapshot read
   from the file, ``Network.set_params``, the forward trace and every view's redraw code, through
   ``model.changed``), then the event loop is run (``QApplication.processEvents()``) until a pass delivers no
   more paint events. The pixels are really drawn: every Paint event Qt delivers paints its widget into the
   window's backing store (a QImage offscreen; shared memory sent to the X server under Xvfb), and pyqtgraph's
   ImageItems turn their arrays into images in their ``paint``. That is the path a real click takes: only the
   widgets that changed are repainted. ``--paint repaint`` instead forces ``window.repaint()`` (every widget of
   the window, changed or not) right after the seek, then runs the event loop until quiet: an upper bound.

It prints where the time goes, per phase: the seek's synchronous part and its painting, with the CPU time the
process used meanwhile (on a busy machine, wall-clock time above CPU time is waiting for a core; the load
average is printed too); inside the seek, the snapshot read, ``set_params``, the forward trace and each view's
reaction to ``model.changed`` (timed by wrapping them: the views' slots are connected again through a timer,
which only changes their order); which views painted; then ``--paint-breakdown`` (30) more seeks with the
painting split by view (the time from a widget's Paint event to the next one). Then the median and 95th
percentile, the file, the machine (CPU model, AVX2/AVX-512F flags, numpy's BLAS), and as its last line one
JSON object with keys ``p50_ms``, ``p95_ms``, ``seeks``, ``open_ms`` (and more). Counting paint events costs
about half a millisecond per seek (an event filter in Python sees every event). Timings are figures to read,
never a unit test. ``--profile N`` also runs N more seeks under cProfile and prints the functions sorted by
cumulative time (``--profile-out FILE`` keeps the stats for ``python -m pstats``).

Make the session (the 4 epochs of docs/speed.md's accuracy table; 25 snapshots, one every 100 steps)::

    .venv/bin/cnnviz train --data MNIST_DIR --epochs 4 --out /tmp/replay-bench/full.h5 --quiet  # full MNIST

Run it without a display, or under a virtual X server (apt-get install xvfb xauth and the xcb libraries of
the README)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/replay_latency.py /tmp/replay-bench/full.h5
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/replay_latency.py /tmp/replay-bench/full.h5
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/replay_latency.py /tmp/replay-bench/full.h5 --profile 100

The test images are found as the window finds them (the session's data path, ``CNNVIZ_DATA``...; ``--data``
names a folder to look in first).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

QUIET_PASSES = 2  # event-loop passes in a row without a paint event: the redraw is over
TIMEOUT = 10.0  # seconds at most waiting for a redraw (a view that never paints is reported, not waited for)


def cpu_description() -> str:
    """The CPU model and whether it has AVX2 and AVX-512F, from /proc/cpuinfo."""
    model, flags = "", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name":
                    model = value.strip()
                elif key == "flags":
                    flags = set(value.split())
                if model and flags and key == "":
                    break
    except OSError:
        pass
    have = ", ".join(f"{flag} {'yes' if flag in flags else 'no'}" for flag in ("avx2", "avx512f"))
    return f"{model or platform.processor() or 'unknown CPU'} ({have})"


def blas_description() -> str:
    from threadpoolctl import threadpool_info

    return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture') or ''} "
                     f"{i.get('num_threads')} thread(s)".replace("  ", " ") for i in threadpool_info()) or "none found"


def percentile(values, q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def summary(values_ms) -> str:
    v = np.asarray(values_ms, dtype=float)
    if not len(v):
        return "none"
    return (f"median {np.median(v):7.1f}  p95 {percentile(v, 95):7.1f}  max {v.max():7.1f}  "
            f"mean {v.mean():7.1f} ms")


class PaintCounter:
    """Counts the Paint events Qt delivers, in all and per view (a widget counts for the view it lies in).
    With ``timing`` it also adds up, per view, the time from each Paint event to the next one or to the end of
    the event-loop pass (:meth:`pass_over`): the painting of that widget."""

    def __init__(self, app, views: dict):
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QWidget

        self.total = 0
        self.by_view: Counter = Counter()
        self.views = {id(view): key for key, view in views.items()}
        self.timing = False
        self.spent: Counter = Counter()  # seconds per view (with timing)
        self._open: tuple[str, float] | None = None  # the widget being painted: its view and when it began
        paint = QEvent.Type.Paint
        counter = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == paint:
                    now = time.perf_counter()
                    counter.total += 1
                    key = counter.owner(obj if isinstance(obj, QWidget) else None)
                    if key is not None:
                        counter.by_view[key] += 1
                    if counter.timing:
                        counter.pass_over(now)
                        counter._open = (key or "other widgets", now)
                return False

        self.filter = Filter()
        app.installEventFilter(self.filter)

    def owner(self, widget) -> str | None:
        """The key of the view a widget lies in, or None."""
        while widget is not None:
            key = self.views.get(id(widget))
            if key is not None:
                return key
            widget = widget.parentWidget()
        return None

    def pass_over(self, now: float | None = None) -> None:
        """The widget being painted is done (at ``now``, default: now)."""
        if self._open is not None:
            key, began = self._open
            self.spent[key] += (time.perf_counter() if now is None else now) - began
            self._open = None

    def reset(self) -> None:
        self.total = 0
        self.by_view.clear()


def settle(app, paints: PaintCounter, until=lambda: True, timeout: float = TIMEOUT) -> bool:
    """Run the event loop until ``until()`` holds and QUIET_PASSES passes in a row deliver no paint event;
    False if that took longer than ``timeout`` seconds."""
    end = time.perf_counter() + timeout
    quiet = 0
    while time.perf_counter() < end:
        before = paints.total
        app.processEvents()
        paints.pass_over()
        quiet = quiet + 1 if paints.total == before else 0
        if quiet >= QUIET_PASSES and until():
            return True
    return False


class Breakdown:
    """Time spent in parts of a seek, by wrapping the model's snapshot loader, ``set_params``, the forward
    trace, and every view's slot on ``model.changed`` (timers around the same calls; nothing else changes)."""

    def __init__(self, window):
        self.window = window
        self.times: dict[str, float] = {}

    def _add(self, name: str, seconds: float) -> None:
        self.times[name] = self.times.get(name, 0.0) + seconds

    def reset(self) -> dict[str, float]:
        """The times since the last reset, in seconds by part."""
        out, self.times = self.times, {}
        return out

    def timed(self, name: str, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._add(name, time.perf_counter() - t)
        return wrapper

    def install(self) -> None:
        """After the session is open (the model's network and loaders exist)."""
        m = self.window.model
        m.snapshots._load = self.timed("read snapshot (HDF5)", m.snapshots._load)
        m.evals._load = self.timed("read evaluation (HDF5)", m.evals._load)
        m.network.set_params = self.timed("Network.set_params", m.network.set_params)
        m._cached = self.timed("forward trace (model._cached)", m._cached)
        # Each view's slot: disconnected and connected again through a timer (it then runs after the others:
        # the order does not matter, the views only read the model).
        for key, view in self.window.views.items():
            for name in ("_on_model", "_on_changed"):
                slot = getattr(view, name, None)
                if slot is None:
                    continue
                try:
                    m.changed.disconnect(slot)
                except (RuntimeError, TypeError):
                    continue
                m.changed.connect(self.timed(f"view {key}", slot))
                break
        for label, obj in (("timeline bar", self.window.timeline), ("window status", self.window)):
            try:
                m.changed.disconnect(obj._on_model)
            except (RuntimeError, TypeError):
                continue
            m.changed.connect(self.timed(label, obj._on_model))


def paint_breakdown(app, window, paints: PaintCounter, breakdown, next_index, seeks: int) -> dict[str, list[float]]:
    """Seeks as measured, with the time spent painting each view per seek, in ms: Qt paints the widgets of a
    window one after another, each on a Paint event, so the time from a widget's Paint event to the next one
    (or to the end of that event-loop pass) is its painting (its own: its children come as their own Paint
    events). For a view's plots that is pyqtgraph drawing their items, ImageItems turning arrays into images;
    "other widgets" are those outside the views (docks, status bar); "the rest" is the event loop besides."""
    keys = [k for k in window.views if window.docks[k].isVisible()] + ["timeline bar", "other widgets",
                                                                       "the rest (event loop)"]
    out: dict[str, list[float]] = {k: [] for k in keys}
    m = window.model
    paints.views[id(window.timeline)] = "timeline bar"
    paints.timing = True
    try:
        for _ in range(seeks):
            m.seek(m.snapshots.steps[next_index()])
            paints.spent.clear()
            t = time.perf_counter()
            settle(app, paints)
            total = time.perf_counter() - t
            for k in keys[:-1]:
                out[k].append(1000 * paints.spent[k])
            out[keys[-1]].append(1000 * (total - sum(paints.spent.values())))
            breakdown.reset()
    finally:
        paints.timing = False
        del paints.views[id(window.timeline)]
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("session", metavar="SESSION", help="a session file (see the docstring for how to make one)")
    p.add_argument("--seeks", type=int, default=200, help="random seeks to measure (200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random snapshot order (0)")
    p.add_argument("--size", default="1600x1000", help="window size WxH (1600x1000)")
    p.add_argument("--paint", choices=("events", "repaint"), default="events",
                   help="events: run the event loop until no paint is pending (what a click does); repaint: "
                   "force window.repaint() of every widget first (an upper bound)")
    p.add_argument("--data", default=None, help="a folder to look in first for the run's test images")
    p.add_argument("--no-breakdown", action="store_true", help="do not time the parts of a seek")
    p.add_argument("--paint-breakdown", type=int, default=30, metavar="N",
                   help="then N more seeks with each view's painting timed (30; 0: none)")
    p.add_argument("--profile", type=int, default=0, metavar="N", help="then N more seeks under cProfile")
    p.add_argument("--profile-out", default=None, metavar="FILE", help="write the cProfile stats to FILE")
    p.add_argument("--profile-lines", type=int, default=40, help="functions of the profile printed (40)")
    args = p.parse_args()
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        p.error(f"--size must be WxH, not {args.size!r}")
    path = Path(args.session)
    if not path.is_file():
        p.error(f"{path} does not exist (see the docstring for how to make it)")

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="cnnviz-bench-")  # never the user's settings
    from PySide6.QtWidgets import QApplication

    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.main import build_parser

    app = QApplication.instance() or QApplication([sys.argv[0]])
    options = build_parser().parse_args(["--no-session"] + (["--data", args.data] if args.data else []))
    window = MainWindow(options, remember=False)
    window.resize(width, height)
    window.show()
    paints = PaintCounter(app, window.views)
    settle(app, paints, timeout=3)
    hidden = [k for k, d in window.docks.items() if not d.isVisible()]

    platform_name = QApplication.platformName()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cnnviz replay latency: {platform.node()}, {affinity} CPUs usable ({os.cpu_count()} online), "
          f"Python {platform.python_version()}, numpy {np.__version__}")
    print(f"CPU: {cpu_description()}")
    print(f"BLAS: {blas_description()}")
    print(f"Qt platform {platform_name}{' (DISPLAY ' + os.environ['DISPLAY'] + ')' if os.environ.get('DISPLAY') else ''}, "
          f"window {window.width()}x{window.height()}, "
          + ("every view visible" if not hidden else f"HIDDEN: {', '.join(hidden)}"))
    print("view sizes: " + ", ".join(f"{k} {v.width()}x{v.height()}" for k, v in window.views.items()))

    # -- open ---------------------------------------------------------------------------------------------------
    m = window.model
    targets = [k for k, d in window.docks.items() if d.isVisible() and k != "controls"]
    paints.reset()
    t0 = time.perf_counter()
    if not window.open_session(path):
        print(f"cannot open {path}: {window.last_message}")
        return 1
    t_call = time.perf_counter()
    end = t0 + TIMEOUT
    while time.perf_counter() < end:  # until every visible view has painted (the last snapshot is shown)
        app.processEvents()
        if all(paints.by_view[k] for k in targets):
            break
    t_shown = time.perf_counter()
    last = len(m.snapshots) - 1
    shown_ok = m.snapshot_index == last and all(paints.by_view[k] for k in targets)
    unpainted = [k for k in targets if not paints.by_view[k]]
    settle(app, paints, until=lambda: m.levels_complete, timeout=120)
    t_levels = time.perf_counter()
    open_ms = (t_shown - t0) * 1000
    size = path.stat().st_size
    r = window.replay.reader
    print(f"session {path}: {size / 1e6:.1f} MB, {r.n_steps:,} steps, {len(m.snapshots)} snapshots, "
          f"{len(m.evals)} evaluations, test images {'all ' + str(len(m.image_indices)) if not window.replay.note else 'probes only'}")
    print(f"open: {open_ms:.0f} ms to show the last snapshot (open_session {1000 * (t_call - t0):.0f} ms, then "
          f"painting {1000 * (t_shown - t_call):.0f} ms){'' if shown_ok else '; NOT SHOWN: ' + (', '.join(unpainted) or 'the last snapshot')}"
          f"; colour levels of every snapshot in after {1000 * (t_levels - t0):.0f} ms (target: shown < 1000 ms)")

    # -- seeks --------------------------------------------------------------------------------------------------
    breakdown = Breakdown(window)
    if not args.no_breakdown:
        breakdown.install()
    rng = np.random.default_rng(args.seed)
    n = len(m.snapshots)
    if n < 2:
        print("the session needs two snapshots at least")
        return 1

    def next_index() -> int:
        while True:
            i = int(rng.integers(n))
            if i != m.snapshot_index:
                return i

    def seek_once(i: int) -> tuple[float, float, bool, Counter, float]:
        """One seek to snapshot ``i``: seconds of model.seek (with the views' redraw code), seconds painting,
        whether the event loop became quiet in time, the views that painted, and the CPU seconds this process
        used meanwhile (on a busy machine the wall-clock time also holds waiting for a core)."""
        paints.reset()
        cpu = time.process_time()
        t = time.perf_counter()
        m.seek(m.snapshots.steps[i])
        t1 = time.perf_counter()
        if args.paint == "repaint":
            window.repaint()
        ok = settle(app, paints)
        t2 = time.perf_counter()
        return t1 - t, t2 - t1, ok, Counter(paints.by_view), time.process_time() - cpu

    seek_ms, sync_ms, paint_ms, cpu_ms, eval_changes = [], [], [], [], 0
    load_before = os.getloadavg()
    painted: Counter = Counter()  # seeks in which a view painted
    paint_events: Counter = Counter()  # its paint events in all (a widget painted twice in a seek counts 2)
    parts: dict[str, list[float]] = {}
    late = 0
    for _ in range(args.seeks):
        i = next_index()
        old_eval = m.eval_index
        s, pt, ok, views, cpu = seek_once(i)
        cpu_ms.append(1000 * cpu)
        if m.snapshot_index != i:
            print(f"warning: seek to snapshot {i} shows {m.snapshot_index}")
        eval_changes += m.eval_index != old_eval
        late += not ok
        sync_ms.append(1000 * s)
        paint_ms.append(1000 * pt)
        seek_ms.append(1000 * (s + pt))
        painted.update(k for k in views if views[k])
        paint_events.update(views)
        for name, seconds in breakdown.reset().items():
            parts.setdefault(name, []).append(1000 * seconds)

    load_after = os.getloadavg()
    p50, p95 = percentile(seek_ms, 50), percentile(seek_ms, 95)
    print(f"{args.seeks} seeks to random snapshots (seed {args.seed}, paint: {args.paint}); "
          f"{eval_changes} of them changed the evaluation shown"
          + (f"; {late} did not become quiet within {TIMEOUT:g} s" if late else ""))
    print(f"  seek, until every view has redrawn: {summary(seek_ms)}")
    print(f"    CPU time of this process meanwhile:                           {summary(cpu_ms)}")
    print(f"    model.seek (read, set_params, trace, the views' redraw code): {summary(sync_ms)}")
    print(f"    painting (event loop until no paint pending):                 {summary(paint_ms)}")
    if parts:
        print("  inside model.seek, per seek (ms; a part not called in a seek counts 0; the trace is computed "
              "inside the first view that asks):")
        for name in sorted(parts, key=lambda k: -sum(parts[k])):
            v = parts[name] + [0.0] * (args.seeks - len(parts[name]))
            print(f"    {name:34s} {summary(v)}  ({len(parts[name])} seeks)")
    print("  views that painted (in how many seeks; their widgets' paint events per seek): " + ", ".join(
        f"{k} {painted[k]}/{args.seeks} ({paint_events[k] / args.seeks:.1f})" for k in window.views))
    print(f"  load average (1 min) {load_before[0]:.2f} before the seeks, {load_after[0]:.2f} after, on "
          f"{affinity} CPUs: other processes running share the cores, and the wall-clock figures with them")
    print(f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (target: p95 <= 100 ms); open {open_ms:.0f} ms (target < 1000 ms)")

    # -- painting, view by view --------------------------------------------------------------------------------
    if args.paint_breakdown:
        per_view = paint_breakdown(app, window, paints, breakdown, next_index, args.paint_breakdown)
        print(f"painting, view by view ({args.paint_breakdown} more seeks, painted as above; from each widget's "
              "Paint event to the next: its painting):")
        for key, v in per_view.items():
            print(f"    {key:34s} {summary(v)}")

    # -- profile ------------------------------------------------------------------------------------------------
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            seek_once(next_index())
        profiler.disable()
        if args.profile_out:
            profiler.dump_stats(args.profile_out)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.profile_lines)
        print(f"cProfile of {args.profile} more seeks, by cumulative time:")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print("by own time:")
        print("\n".join(line for line in out.getvalue().splitlines()[5:] if line.strip()))

    window.close()
    result = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "seeks": args.seeks, "open_ms": round(open_ms, 1),
              "levels_ms": round(1000 * (t_levels - t0), 1), "max_ms": round(max(seek_ms), 1),
              "paint": args.paint, "platform": platform_name, "size_mb": round(size / 1e6, 1),
              "snapshots": n, "cpus": affinity, "cpu_p50_ms": round(percentile(cpu_ms, 50), 1),
              "cpu_p95_ms": round(percentile(cpu_ms, 95), 1), "load_1min": round(load_after[0], 2)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
