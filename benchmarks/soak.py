"""Does the window train for half an hour without its memory growing or its GUI thread stalling? (not in CI)

The target (the issue "Nothing lost, no traceback"): 30 minutes of training with every view visible under
Xvfb; the resident memory at the end is within 5% of its value after the first minute, and the longest stall of
the GUI thread stays under 100 ms.

The script builds the real window (:class:`cnnviz.gui.app.MainWindow`, ``remember=False``: the default layout,
every view visible, showing the untrained network as a first launch does) at ``--size`` (1600x1000) and starts a
run of the default network (the lecture's, batch 100) with ``--epochs 100``, enough for the whole time, its
session written to a temporary directory that is deleted at the end. The data is found as the command line finds
it: ``--data``, else ``$CNNVIZ_DATA``, the user cache, else the bundled sample (a warning then: the soak is meant
for full MNIST). From the first step shown, for ``--minutes`` (30):

- a 10 ms timer on the GUI thread records the gaps between its ticks (a stall of the GUI thread shows as a long
  gap), as ``benchmarks/gui_responsiveness.py`` does;
- every 10 s the script samples the process's resident memory (``VmRSS`` of ``/proc/self/status``, else psutil
  if installed), the model's step and snapshot counts, the bytes of snapshots it keeps in memory
  (``model.snapshots.kept_bytes``: a live run keeps at most 16 MB of them and reads older ones back from the
  session file, so the memory should level off), and the longest timer gap of those 10 s;
- it prints a line a minute, with the load average (other work on a small machine inflates the stalls).

At the end it prints the resident memory after the first minute and at the end, and the ratio of the medians of
the second and the last minute (one sample may land on an evaluation's transient buffers, a minute's median
not), the longest stall, the 99th percentile of the gaps and the number over 100 ms, the steps and images per
second, the snapshots kept in memory, the messages the window showed and the exceptions raised (there should be
none), and as its last line one JSON object with keys ``rss_first_minute_mb``, ``rss_end_mb`` (the two medians),
``rss_ratio``, ``longest_stall_ms``, ``gaps_over_100ms``, ``minutes``, ``steps``.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/soak.py --data ../shared/data/mnist
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/soak.py --minutes 3 --data ../shared/data/mnist

Options after ``--`` go to the window (the training options of ``cnnviz``), e.g. ``-- --snapshot-every 50``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

SAMPLE_SECONDS = 10  # how often memory, steps and snapshots are sampled
SAMPLES_PER_MINUTE = 60 // SAMPLE_SECONDS
EPOCHS = 100  # enough for 30 minutes (about 25 on a 2-core machine); an option after -- may change it
RSS_TOLERANCE = 0.05  # the target: the end within 5% of the first minute
STALL_MS = 100  # the target: no gap of the 10 ms timer this long
MB = 2**20


def rss_bytes() -> int | None:
    """The resident memory of this process: VmRSS of /proc/self/status, else psutil's, else None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss


def malloc_heap() -> tuple[int, int] | None:
    """glibc's malloc: (bytes in use, bytes free but kept by the process) from mallinfo2, None elsewhere.
    Free bytes that grow while in-use bytes do not are fragmentation, not a leak."""
    try:
        import ctypes

        class Mallinfo2(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in
                        ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                         "fordblks", "keepcost")]

        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = Mallinfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return None
    return info.uordblks + info.hblkhd, info.fordblks


def mb(n: float | None) -> str:
    return "n/a" if n is None else f"{n / MB:,.1f} MB"


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


class Exceptions:
    """Counts the exceptions Python reports (in Qt slots through sys.excepthook, in threads through
    threading.excepthook) and still prints them."""

    def __init__(self):
        self.count = 0
        self._hook, self._thread_hook = sys.excepthook, threading.excepthook
        sys.excepthook, threading.excepthook = self._on, self._on_thread

    def _on(self, *exc) -> None:
        self.count += 1
        self._hook(*exc)

    def _on_thread(self, args) -> None:
        self.count += 1
        self._thread_hook(args)


def soak(argv: list[str], minutes: float, size: tuple[int, int], tmp: Path) -> dict:
    """Train in the window for ``minutes`` (from the first step shown), sampling; the figures."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")  # never the user's settings
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication
    from window_probes import StallProbe, time_refresh_ticks

    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.main import build_parser
    from cnnviz.gui.redraws import on_screen
    from cnnviz.options import config_from_args

    session = tmp / "soak.h5"
    options = build_parser().parse_args([*argv, "--out", str(session)])
    config = config_from_args(options)  # a bad option stops here, before the window
    from pyqtgraph.util.garbage_collector import GarbageCollector

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.garbage_collector = GarbageCollector(interval=1.0)  # as cnnviz.gui.main.main: cycles collected on the GUI thread
    exceptions = Exceptions()
    window = MainWindow(options, remember=False, preview=True)
    m = window.model
    tick_seconds = time_refresh_ticks(window)
    messages: list[str] = []
    window.live.message.connect(lambda title, text, details: messages.append(f"{title}: {text}"))
    ended: list[str] = []
    window.live.finished.connect(ended.append)
    window.resize(*size)
    window.show()
    for _ in range(5):  # the docks take their sizes on the first turns of the event loop
        app.processEvents()
    hidden = [k for k, d in window.docks.items() if not d.isVisible()]
    behind = [k for k, v in window.views.items() if k not in hidden and not on_screen(v)]  # tabs not raised

    spec = window.controls.data_spec()
    conv = ",".join(str(c.filters) for c in config.network.conv)
    print(f"cnnviz soak: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"numpy {np.__version__}, Qt platform {QApplication.platformName()}"
          f"{' (DISPLAY ' + os.environ['DISPLAY'] + ')' if os.environ.get('DISPLAY') else ''}")
    print(f"window {window.width()}x{window.height()}, "
          + ("every view open" if not hidden else f"HIDDEN: {', '.join(hidden)}")
          + (f" ({', '.join(behind)} in tabs behind others, as in the default layout)" if behind else "")
          + "; view sizes: "
          + ", ".join(f"{k} {v.width()}x{v.height()}" for k, v in window.views.items()))
    print(f"network conv {conv} fc {','.join(map(str, config.network.fc))}, batch {config.batch_size}, "
          f"{config.epochs} epochs, {config.threads} trainer threads, a snapshot every {config.snapshot_every} "
          f"steps; data {spec.source}; snapshots kept in memory up to {mb(m.snapshot_memory)}")
    if spec.source == "sample":
        print("WARNING: the bundled sample, not full MNIST: pass --data DIR or set CNNVIZ_DATA")
    print(f"{minutes:g} minutes from the first step, sampled every {SAMPLE_SECONDS} s; load average "
          f"{load_average()}", flush=True)

    state: dict = {"interval_max": 0.0, "interval_over": 0}
    samples: list[dict] = []
    result: dict = {"hidden_views": hidden}
    n_samples = round(minutes * 60 / SAMPLE_SECONDS)

    def on_gap(gap: float) -> None:
        state["interval_max"] = max(state["interval_max"], gap)
        state["interval_over"] += gap * 1000 > STALL_MS

    probe = StallProbe(on_gap)
    gaps = probe.gaps

    def sample() -> dict:
        heap = malloc_heap()
        s = {"t": time.perf_counter() - state["t0"], "rss": rss_bytes(),
             "heap_used": heap[0] if heap else None, "heap_free": heap[1] if heap else None,
             "step": int(m.metric("step")[-1]) if m.n_steps else 0, "snapshots": len(m.snapshots),
             "kept": m.snapshots.kept_bytes, "gap_ms": state["interval_max"] * 1000, "over": state["interval_over"], "load": load_average()}
        state.update(interval_max=0.0, interval_over=0)
        samples.append(s)
        return s

    sampler = QTimer()
    sampler.setTimerType(Qt.TimerType.PreciseTimer)
    sampler.setInterval(SAMPLE_SECONDS * 1000)

    def on_sample() -> None:
        s = sample()
        i = len(samples) - 1
        if i % SAMPLES_PER_MINUTE == 0 or i == n_samples or ended:
            before = samples[max(0, i - SAMPLES_PER_MINUTE)]
            seconds = s["t"] - before["t"]
            speed = (s["step"] - before["step"]) * config.batch_size / seconds if seconds else 0.0
            minute = samples[max(1, i - SAMPLES_PER_MINUTE + 1):i + 1]
            longest, over = max(x["gap_ms"] for x in minute), sum(x["over"] for x in minute)
            print(f"{s['t'] / 60:5.1f} min  RSS {mb(s['rss'])} (malloc: {mb(s['heap_used'])} used, "
                  f"{mb(s['heap_free'])} free)  step {s['step']:,} ({speed:,.0f} images/s)  "
                  f"snapshots {s['snapshots']} ({mb(s['kept'])} in memory)  longest gap {longest:.0f} ms ({over} over {STALL_MS})  "
                  f"load {s['load']}", flush=True)
        if i >= n_samples or ended:
            finish()

    sampler.timeout.connect(on_sample)

    def wait_for_first_step() -> None:
        if m.n_steps == 0:
            if ended:  # the run failed before its first step
                result["failed"] = True
                app.quit()
                return
            QTimer.singleShot(20, wait_for_first_step)
            return
        probe.measuring = True
        state.update(t0=time.perf_counter(), cpu0=time.thread_time())
        tick_seconds.clear()
        sample()
        sampler.start()

    def finish() -> None:
        sampler.stop()
        probe.measuring = False
        try:
            wall = time.perf_counter() - state["t0"]
            last = m.snapshots[len(m.snapshots) - 1] if len(m.snapshots) else None
            result.update(wall=wall, gui_thread_cpu_share=(time.thread_time() - state["cpu0"]) / wall,
                          ended_early=ended[0] if ended else None,
                          snapshot_bytes=sum(p.nbytes for p in last.params.values()) if last else 0)
            t = time.perf_counter()
            window.close()  # stops the worker within a minibatch and finishes the session
            result["close_seconds"] = time.perf_counter() - t
            result["session_bytes"] = session.stat().st_size if session.exists() else 0
        finally:
            app.quit()  # an exception here is printed (and counted), never a hang

    probe.start()
    QTimer.singleShot(0, window.start_run)
    QTimer.singleShot(0, wait_for_first_step)
    app.exec()
    probe.stop()
    if window.isVisible():  # the run failed before its first step
        window.close()
    result.update(samples=samples, gaps_ms=np.array(gaps) * 1000, ticks_ms=np.array(tick_seconds) * 1000,
                  messages=messages, exceptions=exceptions.count, batch=config.batch_size,
                  snapshot_memory=m.snapshot_memory, snapshot_every=config.snapshot_every)
    return result


def minute_rss(samples: list[dict], t0: float) -> float | None:
    """The median resident memory sampled in the minute from ``t0`` seconds: one sample lands on an evaluation's or
    a snapshot read's transient buffers or not (docs/speed.md says by how much), a minute's median does not."""
    values = [s["rss"] for s in samples if t0 - 1e-6 <= s["t"] <= t0 + 60 + 1e-6 and s["rss"]]
    return float(np.median(values)) if values else None


def report(r: dict) -> dict:
    """Print the summary; the figures of the JSON line."""
    samples, g, ticks = r["samples"], r["gaps_ms"], r["ticks_ms"]
    first = samples[min(SAMPLES_PER_MINUTE, len(samples) - 1)]  # after the first minute
    start, end = samples[0], samples[-1]
    first_rss, end_rss = minute_rss(samples, first["t"]), minute_rss(samples, end["t"] - 60)
    ratio = end_rss / first_rss if end_rss and first_rss else None
    steps = end["step"] - start["step"]
    minutes = r["wall"] / 60
    longest = float(g.max()) if len(g) else float("nan")
    over = int((g > STALL_MS).sum())
    print()
    if r["ended_early"]:
        print(f"WARNING: the run ended ({r['ended_early']}) after {minutes:.1f} minutes; give it more epochs")
    later = [s["rss"] for s in samples[SAMPLES_PER_MINUTE:] if s["rss"]]
    print(f"resident memory: {mb(start['rss'])} at the first step, {mb(first['rss'])} after the first minute, "
          f"{mb(end['rss'])} at the end ({minutes:.1f} min)"
          + (f"; sampled after the first minute: {mb(min(later))} to {mb(max(later))}" if later else ""))
    if ratio is not None:
        met = abs(ratio - 1) <= RSS_TOLERANCE
        per_minute = (end_rss - first_rss) / MB / max((end["t"] - first["t"]) / 60, 1e-9)
        grown, kept_grown = (end_rss - first_rss) / MB, (end["kept"] - first["kept"]) / MB
        print(f"   median of the second minute {mb(first_rss)}, of the last minute {mb(end_rss)}: ratio {ratio:.3f} "
              f"(target within {RSS_TOLERANCE:.0%}: {'met' if met else 'NOT met'}); {grown:+.1f} MB "
              f"({per_minute:+.1f} MB a minute), of which snapshots kept in memory {kept_grown:+.1f} MB")
    kept = end["kept"]
    each = r["snapshot_bytes"]
    print(f"snapshots: {end['snapshots']}, {mb(kept)} of them kept in memory (limit {mb(r['snapshot_memory'])}"
          + (f", about {kept / each:.0f} of {mb(each)}; the limit is reached at about "
             f"{r['snapshot_memory'] / each:.0f} snapshots, step {r['snapshot_memory'] / each * r['snapshot_every']:,.0f}"
             if each else "") + f"); session file {mb(r['session_bytes'])}")
    print(f"longest stall (gap between 10 ms timer ticks): {longest:.1f} ms (target < {STALL_MS} ms: "
          f"{'met' if longest < STALL_MS else 'NOT met'}); 99th percentile {np.percentile(g, 99):.1f} ms; "
          f"{over} gaps over {STALL_MS} ms in {len(g):,} ticks")
    print(f"   GUI thread {r['gui_thread_cpu_share']:.0%} of a core; refresh ticks: {len(ticks):,}, mean "
          f"{ticks.mean():.1f} ms, longest {ticks.max():.1f} ms; closing took {r['close_seconds']:.2f} s")
    print(f"training: {steps:,} steps in {minutes:.1f} min, {steps * r['batch'] / r['wall']:,.0f} images/s "
          f"(wall clock: evaluations, snapshots and session writes included)")
    print(f"messages shown: {len(r['messages'])}" + "".join(f"\n   {t}" for t in r["messages"])
          + f"; exceptions raised: {r['exceptions']}; load average at the end {load_average()}"
          + (f"; HIDDEN views: {', '.join(r['hidden_views'])}" if r["hidden_views"] else ""))
    return {"rss_first_minute_mb": round(first_rss / MB, 1) if first_rss else None,
            "rss_end_mb": round(end_rss / MB, 1) if end_rss else None,
            "rss_ratio": round(ratio, 4) if ratio is not None else None,
            "longest_stall_ms": round(longest, 1), "gaps_over_100ms": over, "minutes": round(minutes, 2),
            "steps": steps}


def main() -> int:
    from window_probes import split_window_options

    argv, extra = split_window_options(sys.argv[1:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=30, help="training time measured, at least 1 (30)")
    p.add_argument("--data", help="MNIST directory, found as the command line finds it when not given: "
                   "$CNNVIZ_DATA, the user cache, else the bundled sample")
    p.add_argument("--size", default="1600x1000", help="window size WxH (1600x1000)")
    args = p.parse_args(argv)
    if args.minutes < 1:
        p.error("--minutes must be at least 1 (the memory is compared with its value after the first minute)")
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        p.error(f"--size must be WxH, not {args.size!r}")
    run_argv = ["--epochs", str(EPOCHS), *(["--data", args.data] if args.data else []), *extra]
    with tempfile.TemporaryDirectory(prefix="cnnviz-soak-") as tmp:
        result = soak(run_argv, args.minutes, (width, height), Path(tmp))
    if result.get("failed") or not result["samples"]:
        print("the run ended before its first step: " + "; ".join(result["messages"]))
        return 1
    print(json.dumps(report(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
