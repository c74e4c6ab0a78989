"""Does the window stay responsive while it trains, and how much training speed does showing it cost?

One run, on the same data and network (the default: the lecture's network, batch 100), in ``--rounds``
rounds (3) of two measurements each:

1. headless: the trainer alone, writing its session file as ``cnnviz train`` does;
2. the window with every view visible (under the current Qt platform: a display, ``xvfb-run``, or
   ``QT_QPA_PLATFORM=offscreen``), training while a 10 ms timer on the GUI thread records the gaps between
   its ticks (a stall of the GUI thread shows as a long gap).

``--seconds`` (60) of training in the window and ``--headless-seconds`` (60) headless are split over the
rounds; the figures add up the rounds. Alternating short measurements matters here: the speed of a small
shared machine drifts from minute to minute (docs/speed.md), which would otherwise decide the ratio.

Throughput is given two ways: as the trainer measures it (``cnnviz train``'s ``train_images_per_second``:
the time of the minibatches only, the figure the target refers to) and wall clock (training images over the
seconds measured: evaluations, snapshots and session writes included). Every measurement starts a new run
from step 0 (with 20 s rounds none reaches the evaluation at the end of epoch 1).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/gui_responsiveness.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_responsiveness.py --seconds 20 --headless-seconds 20

Options after ``--`` go to both runs (the training options of ``cnnviz``), e.g. ``-- --conv 8,16``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def headless(config, data, seconds: float, session: Path) -> dict:
    """Train for ``seconds`` (from the first step) as ``cnnviz train`` does; the figures."""
    from cnnviz.records import RunEnd, StepRecord
    from cnnviz.session import SessionWriter
    from cnnviz.training import Trainer

    trainer = Trainer(config, data)
    writer = SessionWriter(session)
    first = last = None
    t0 = t1 = 0.0
    records = trainer.run()
    try:
        for record in records:
            writer.write(record)
            if isinstance(record, StepRecord):
                now = time.perf_counter()
                if first is None:
                    first, t0 = record, now
                last, t1 = record, now
                if now - t0 >= seconds:
                    break
    finally:
        records.close()
        writer.write(RunEnd("stopped", trainer.step))
        writer.close()
    return figures(first.step, last.step, t1 - t0, last.time - first.time, config.batch_size)


def figures(step0: int, step1: int, wall: float, trained: float, batch: int) -> dict:
    images = (step1 - step0) * batch
    return {"steps": step1 - step0, "batch": batch, "wall_seconds": round(wall, 2), "train_seconds": round(trained, 2),
            "images_per_second": round(images / wall, 1) if wall else None,
            "train_images_per_second": round(images / trained, 1) if trained else None}


def total(parts: list[dict]) -> dict:
    """The figures of several measurements together."""
    steps = sum(p["steps"] for p in parts)
    wall = sum(p["wall_seconds"] for p in parts)
    trained = sum(p["train_seconds"] for p in parts)
    images = sum(p["steps"] * p["batch"] for p in parts)
    return {"steps": steps, "wall_seconds": round(wall, 2), "train_seconds": round(trained, 2),
            "images_per_second": round(images / wall, 1), "train_images_per_second": round(images / trained, 1)}


def windowed(argv: list[str], seconds: float, session: Path, hide: tuple[str, ...] = ()) -> dict:
    """Train in the window for ``seconds`` (from the first step shown) with a 10 ms timer running."""
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="cnnviz-bench-")  # the default layout
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from window_probes import StallProbe, time_refresh_ticks

    from cnnviz.gui.app import MainWindow
    from cnnviz.gui.main import build_parser

    app = QApplication.instance() or QApplication([sys.argv[0]])

    window = MainWindow(build_parser().parse_args([*argv, "--out", str(session)]), remember=False)
    tick_seconds = time_refresh_ticks(window)
    window.resize(1400, 900)
    window.show()
    for key in hide:
        window.docks[key].hide()
    hidden = [k for k, d in window.docks.items() if not d.isVisible()]
    state: dict = {}
    probe = StallProbe()
    gaps = probe.gaps
    result: dict = {}

    def wait_for_first_step() -> None:
        if window.model.n_steps == 0:
            QTimer.singleShot(20, wait_for_first_step)
            return
        m = window.model
        probe.measuring = True
        state.update(t0=time.perf_counter(), step0=int(m.metric("step")[-1]),
                     time0=float(m.metric("time")[-1]), cpu0=time.thread_time())
        tick_seconds.clear()
        QTimer.singleShot(int(seconds * 1000), finish)

    def finish() -> None:
        m = window.model
        wall = time.perf_counter() - state["t0"]
        cpu = time.thread_time() - state["cpu0"]
        probe.measuring = False
        step1, time1 = int(m.metric("step")[-1]), float(m.metric("time")[-1])
        result.update(figures(state["step0"], step1, wall, time1 - state["time0"], m.start.config.batch_size))
        g = np.array(gaps) * 1000
        ticks = np.array(tick_seconds) * 1000
        result.update({
            "longest_gap_ms": round(float(g.max()), 1), "gap_p99_ms": round(float(np.percentile(g, 99)), 1),
            "gaps_over_100ms": int((g > 100).sum()), "timer_ticks": len(g),
            "gui_thread_cpu_share": round(cpu / wall, 3),
            "refresh_ticks": len(ticks), "refresh_tick_mean_ms": round(float(ticks.mean()), 2),
            "refresh_tick_max_ms": round(float(ticks.max()), 1),
            "hidden_views": hidden,
        })
        t = time.perf_counter()
        window.close()  # stops the worker within a minibatch and finishes the session
        result["close_seconds"] = round(time.perf_counter() - t, 2)
        app.quit()

    probe.start()
    QTimer.singleShot(0, window.start_run)
    QTimer.singleShot(0, wait_for_first_step)
    app.exec()
    probe.stop()
    return result


def main() -> int:
    from window_probes import split_window_options

    argv, extra = split_window_options(sys.argv[1:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", help="MNIST directory, found as the command line finds it when not given: "
                   "$CNNVIZ_DATA, the user cache, else the bundled sample")
    p.add_argument("--seconds", type=float, default=60, help="training time measured in the window (60)")
    p.add_argument("--headless-seconds", type=float, default=60, help="training time measured headless (60)")
    p.add_argument("--rounds", type=int, default=3, help="alternations of headless and window (3)")
    p.add_argument("--hide", default="", help="views to hide, comma-separated, to find a slow one "
                   "(controls, loss, filters, feature_maps, pooling, predictions)")
    p.add_argument("--json", action="store_true", help="also print one JSON object as the last line")
    args = p.parse_args(argv)

    from cnnviz.gui.main import build_parser
    from cnnviz.options import config_from_args, data_from_args

    run_argv = [*(["--data", args.data] if args.data else []), *extra]
    options = build_parser().parse_args(run_argv)
    config = config_from_args(options)
    data = data_from_args(options)
    conv = ",".join(str(c.filters) for c in config.network.conv)
    print(f"cnnviz GUI benchmark: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"numpy {np.__version__}, Qt platform {os.environ.get('QT_QPA_PLATFORM') or 'default'}"
          f"{' (DISPLAY ' + os.environ['DISPLAY'] + ')' if os.environ.get('DISPLAY') else ''}")
    print(f"network conv {conv} fc {','.join(map(str, config.network.fc))}, batch {config.batch_size}, "
          f"{config.threads} trainer threads; data {data.source} ({len(data.train_images)} training images)")
    hide = tuple(k for k in args.hide.split(",") if k)
    shown = "all views visible" if not hide else f"hidden: {args.hide}"
    heads, wins = [], []
    with tempfile.TemporaryDirectory(prefix="cnnviz-bench-") as tmp:
        for r in range(1, args.rounds + 1):
            seconds = args.headless_seconds / args.rounds
            print(f"round {r}: headless {seconds:g} s ...", flush=True)
            h = headless(config, data, seconds, Path(tmp) / f"headless{r}.h5")
            print(f"   {h['steps']} steps in {h['wall_seconds']} s: {h['images_per_second']} images/s "
                  f"(trainer-measured {h['train_images_per_second']} images/s)", flush=True)
            seconds = args.seconds / args.rounds
            print(f"round {r}: window, {shown}, {seconds:g} s ...", flush=True)
            w = windowed(run_argv, seconds, Path(tmp) / f"window{r}.h5", hide)
            print(f"   {w['steps']} steps in {w['wall_seconds']} s: {w['images_per_second']} images/s "
                  f"(trainer-measured {w['train_images_per_second']} images/s); longest gap {w['longest_gap_ms']} "
                  f"ms; GUI thread {w['gui_thread_cpu_share']:.0%} of a core", flush=True)
            heads.append(h)
            wins.append(w)
    h, w = total(heads), total(wins)
    gaps = [x["longest_gap_ms"] for x in wins]
    w.update(longest_gap_ms=max(gaps), gaps_over_100ms=sum(x["gaps_over_100ms"] for x in wins),
             timer_ticks=sum(x["timer_ticks"] for x in wins), gap_p99_ms=max(x["gap_p99_ms"] for x in wins),
             gui_thread_cpu_share=float(np.mean([x["gui_thread_cpu_share"] for x in wins])),
             refresh_tick_max_ms=max(x["refresh_tick_max_ms"] for x in wins),
             close_seconds=max(x["close_seconds"] for x in wins))
    print(f"headless: {h['steps']} steps in {h['wall_seconds']} s: {h['images_per_second']} images/s "
          f"(trainer-measured {h['train_images_per_second']})")
    print(f"window:   {w['steps']} steps in {w['wall_seconds']} s: {w['images_per_second']} images/s "
          f"(trainer-measured {w['train_images_per_second']})")
    print(f"   longest gap between 10 ms timer ticks: {w['longest_gap_ms']} ms (99th percentile at most "
          f"{w['gap_p99_ms']} ms, {w['gaps_over_100ms']} gaps over 100 ms in {w['timer_ticks']} ticks)")
    print(f"   GUI thread {w['gui_thread_cpu_share']:.0%} of a core; longest refresh tick {w['refresh_tick_max_ms']} ms; "
          f"closing took at most {w['close_seconds']} s" + (f"; hidden views: {list(hide)}" if hide else ""))
    ratio = w["images_per_second"] / h["images_per_second"]
    ratio_trained = w["train_images_per_second"] / h["train_images_per_second"]
    print(f"throughput ratio window/headless: {ratio_trained:.3f} trainer-measured, {ratio:.3f} wall clock "
          f"(target >= 0.85); longest stall {w['longest_gap_ms']} ms (target < 100)")
    if args.json:
        print(json.dumps({"headless": heads, "window": wins, "ratio_wall": round(ratio, 3),
                          "ratio_trainer": round(ratio_trained, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
