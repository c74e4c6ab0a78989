"""What the window benchmarks measure on the GUI thread (gui_responsiveness.py, soak.py): how long the live
run's refresh ticks take, and the gaps between the ticks of a 10 ms timer (a stalled GUI thread shows as a
long gap)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer


def split_window_options(argv: list[str]) -> tuple[list[str], list[str]]:
    """The benchmark's own options, and those after ``--``, which go to the window."""
    if "--" not in argv:
        return argv, []
    i = argv.index("--")
    return argv[:i], argv[i + 1:]


def time_refresh_ticks(window) -> list[float]:
    """From now on, the seconds each refresh tick of ``window.live`` takes are appended to the list returned."""
    seconds: list[float] = []
    untimed = window.live.tick

    def timed_tick() -> None:
        t = time.perf_counter()
        untimed()
        seconds.append(time.perf_counter() - t)

    window.live.timer.timeout.disconnect()
    window.live.timer.timeout.connect(timed_tick)
    return seconds


class StallProbe:
    """A 10 ms timer on the GUI thread; while :attr:`measuring`, the seconds between two of its ticks go to
    :attr:`gaps`, and ``on_gap(seconds)`` is called with each."""

    def __init__(self, on_gap=None):
        self.gaps: list[float] = []
        self.measuring = False
        self._last: float | None = None
        self._on_gap = on_gap
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.measuring and self._last is not None:
            gap = now - self._last
            self.gaps.append(gap)
            if self._on_gap is not None:
                self._on_gap(gap)
        self._last = now

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
