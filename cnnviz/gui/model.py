"""What the views show, in one object on the GUI thread: :class:`RunModel`, the run state of
:mod:`cnnviz.gui.state` plus its one signal and the timers that move it.

One signal, :attr:`RunModel.changed`, carries the set of what changed (:data:`cnnviz.gui.state.CHANGES`); views
redraw what they need through :attr:`RunModel.redraws` (:mod:`cnnviz.gui.redraws`). The timers: a following cursor
moves at most every ``follow_interval``; a seek asked while dragging happens on the next turn of the event loop,
once; colour levels (and, where a view asks for them, the layers' norms) are computed for each snapshot as it is
added, one snapshot at a time on the model's background thread, and only ever widen (:meth:`complete_levels`
finishes them at once). The thread ends with :meth:`RunModel.close`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cnnviz.gui.i18n import translated
from cnnviz.gui.later import later
from cnnviz.gui.levels import norms_at, peaks_of
from cnnviz.gui.redraws import Redraws
from cnnviz.gui.state import RunState
from cnnviz.records import TrainState

LEVELS_EMIT_INTERVAL = 0.25  # seconds: while levels or norms are computed in the background, views redraw this often


class RunModel(QObject, RunState):
    """The state of the run being shown (:class:`~cnnviz.gui.state.RunState`) and its signal. Signals fire on the
    GUI thread."""

    changed = Signal(object)  # a frozenset of CHANGES
    damaged = Signal(str)  # a snapshot or an evaluation cannot be read: its sentence, once, on a later turn

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)  # RunState.__init__ too
        self.redraws = Redraws(self)  # the views' redraws, scheduled in one place
        self._seek_pending: int | None = None
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.timeout.connect(self._follow_now)
        self._levels_timer = QTimer(self)
        self._levels_timer.setInterval(10)  # looks for the thread's result, or gives it the next snapshot
        self._levels_timer.timeout.connect(self._levels_turn)
        self._pool: ThreadPoolExecutor | None = None  # the levels and norms thread, started with the first job
        self._job: tuple[str, Future] | None = None  # ("levels" or "norms", one snapshot's result to come)
        self._levels_widened = False  # since the views were last told
        self._norms_added = False
        self._levels_told = -math.inf  # when they were
        self._forget_source()

    def _forget_source(self) -> None:
        # What a source gives besides records, set after each begin: how to read snapshot i's TrainState (the
        # momentum's velocity) from the session file, and the latest minibatch's dropout masks of a live run.
        self.read_train_state: Callable[[int], TrainState | None] | None = None
        self.live_dropout: dict[str, np.ndarray] = {}
        self._train_state: tuple[int, TrainState | None] | None = None  # (snapshot index, its state), read once

    def train_state(self) -> TrainState | None:
        """The shown snapshot's :class:`~cnnviz.records.TrainState` (its ``velocity``: the momentum's ``M``), read
        from the session file where the source can; None for the live parameters, a run without a session file,
        or a snapshot that recorded none (format version 1)."""
        i = self.snapshot_index
        if i is None or self.read_train_state is None:
            return None
        if self._train_state is None or self._train_state[0] != i:
            self._train_state = i, self.read_train_state(i)
        return self._train_state[1]

    def _tell(self, changes: set, growth: bool = False) -> set:
        """Tell the views; ``growth``: what changed is only that the run grew (no user's action)."""
        if changes:
            with self.redraws.telling(growth):
                self.changed.emit(frozenset(changes))
        return changes

    def _damaged(self, i: int, text: str) -> None:
        super()._damaged(i, text)
        later(self, lambda: self.damaged.emit(translated(text)))  # found in the middle of a redraw: told after it

    def close(self) -> None:
        """Done with the model (its window or figure is closing): its timers stop, and its background thread ends
        once the snapshot it is working on is done. A later :meth:`begin` starts them again."""
        self._stop_timers()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # -- the cursor -------------------------------------------------------------------------------------------

    def seek_soon(self, step: int) -> None:
        """:meth:`seek` on the next turn of the event loop, only the newest of the requests made until then
        (dragging a slider never queues work)."""
        first = self._seek_pending is None
        self._seek_pending = step
        if first:
            later(self, self._seek_now)

    def _seek_now(self) -> None:
        step, self._seek_pending = self._seek_pending, None
        if step is not None and self.start is not None:
            self.seek(step)

    def _follow_now(self) -> None:
        if self.following and self.start is not None:
            self.follow(growth=True)

    # -- feeding ------------------------------------------------------------------------------------------------

    def begin(self, start, test_images, test_labels, source: str = "") -> set:
        self._stop_timers()
        self._forget_source()
        return super().begin(start, test_images, test_labels, source)

    def clear(self) -> set:
        self._stop_timers()
        self._forget_source()
        return super().clear()

    def _stop_timers(self) -> None:
        """The old run's timers, background job and waiting redraws (the views redraw for the new run at once)."""
        self._follow_timer.stop()
        self._levels_timer.stop()
        if self._job is not None:
            self._job[1].cancel()
            self._job = None
        self._levels_widened = self._norms_added = False
        self.redraws.clear()

    def _grew(self, changes: set | None = None) -> set:
        """The run has more: levels (and norms) to compute, the cursor to move if following; one ``changed``."""
        changes = super()._grew(changes)
        self._start_levels()
        if self.follow_wait is None:
            self._follow_timer.stop()
        elif not self._follow_timer.isActive():
            self._follow_timer.start(int(self.follow_wait * 1000) + 1)
        return changes

    # -- colour levels and norms, on the background thread ------------------------------------------------------

    def want_norms(self, wanted: bool = True) -> None:
        super().want_norms(wanted)
        self._start_levels()

    def _start_levels(self) -> None:
        if self._work() and not self._levels_timer.isActive():
            self._levels_timer.start()

    def _work(self) -> bool:
        """Whether the thread has something to do: a snapshot whose levels can be judged, or norms asked for."""
        return (self._levels_done < len(self.snapshots) and self._judged(self._levels_done)) or self.norms_due

    def complete_levels(self) -> set:
        """Compute the levels of every snapshot now (rendering a figure needs them final)."""
        self._finish_job()
        self._levels_timer.stop()
        widened, self._levels_widened = self._levels_widened, False
        changes = super().complete_levels()
        if widened and not changes:
            changes = self._tell({"levels"})
        self._start_levels()  # norms may be due
        return changes

    def complete_norms(self) -> set:
        """Compute the norms of every snapshot now (a figure, a test)."""
        self._finish_job()
        return super().complete_norms()

    def _finish_job(self) -> None:
        """The result of the job in progress, now."""
        if self._job is not None:
            kind, job = self._job
            self._job = None
            self._take(kind, job.result())

    def _take(self, kind: str, result) -> None:
        if kind == "levels":
            self._levels_widened |= self._widen(result)
            self._levels_done += 1
        else:
            self._add_norms(result)
            self._norms_added = True

    def _levels_turn(self) -> None:
        """One snapshot's levels or norms on the background thread (on the GUI thread they stalled the window at
        every snapshot of a live run: docs/speed.md, the soak); the views are told at most every
        LEVELS_EMIT_INTERVAL and when the thread is idle. The levels come first; the newest
        snapshot of a run in progress waits until the next step tells whether it is sane."""
        if self._job is not None:
            kind, job = self._job
            if not job.done():
                return  # the timer looks again in 10 ms
            self._job = None
            self._take(kind, job.result())
        if self._levels_done < len(self.snapshots) and self._judged(self._levels_done):
            params = self._levels_params(self._levels_done)
            if params is None:
                self._levels_done += 1  # a snapshot of a diverging run adds nothing
            else:
                self._submit("levels", peaks_of, self._levels_network, params, self._probe_input)
        elif self.norms_due:
            self._submit("norms", norms_at, *self._norms_job())
        idle = self._job is None and not self._work()
        if idle:
            self._levels_timer.stop()
        if (self._levels_widened or self._norms_added) and (
                idle or time.monotonic() - self._levels_told >= LEVELS_EMIT_INTERVAL):
            changes = {"levels"} if self._levels_widened else set()
            changes |= {"norms"} if self._norms_added else set()
            self._levels_widened = self._norms_added = False
            self._levels_told = time.monotonic()
            self._tell(changes, growth=True)

    def _submit(self, kind: str, function, *args) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="cnnviz-levels")
        self._job = (kind, self._pool.submit(function, *args))
