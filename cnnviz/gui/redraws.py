"""The views' redraws, scheduled in one place: :class:`Redraws`, one per model (``model.redraws``).

A view asks for a redraw with :meth:`Redraws.request` (``draw`` a bound method of the view) instead of calling it;
the scheduler decides when it runs:

- a view whose redraw is costly (class attribute ``wait_while_hidden``: the loss, confusion, probe history, unit,
  overview and back-propagation views) computes nothing while it is not on screen (hidden, or a dock tabbed behind
  another): its redraw waits until the view is shown (its Show event) or raised (the window calls
  :meth:`Redraws.raised` when a dock's tab is);
- ``interval``: a growing run redraws the view at most that many seconds apart (a curve that grows at every step);
  the last request is not lost, it runs when the time has come, on a turn of its own (it is not staggered);
- ``at_once``: now (the last steps of a run that ended);
- while the model tells the views that the run grew (:meth:`Redraws.telling`) and :attr:`Redraws.stagger` is on
  (the window's setting), each view redraws on an event-loop turn of its own. At each snapshot of a live run the
  filters, feature maps, pooling and predictions views redrew in one turn, and their scenes painted in one batch
  of posted events after it, a stretch in which the window did not respond (docs/speed.md, the soak); one view a
  turn, each turn is one view's redraw and paint;
- otherwise (a user's action, or without stagger: a view's own tests, a figure) at once.

A redraw waiting is not queued twice (it runs once, in its place); one asked for at once runs now and is no longer
waiting; a view deleted while its redraw waited is skipped; :meth:`Redraws.flush` runs every waiting one now
(before a picture of the window is taken).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from cnnviz.gui.later import later

Draw = Callable[[], None]
WATCHED = "cnnviz_redraws_watched"  # the property of a view whose Show events the scheduler watches


def on_screen(widget: QWidget) -> bool:
    """Whether any of ``widget`` shows. A dock tabbed behind another keeps itself and its view "visible" to Qt,
    with nothing of them on screen, so the scheduler asks this, and catches up in :meth:`Redraws.catch_up`, which
    the window calls when the dock's tab is raised."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def _waits(draw: Draw) -> QWidget | None:
    """The view of ``draw`` if it waits while hidden and is not on screen now, else None."""
    view = getattr(draw, "__self__", None)
    if getattr(view, "wait_while_hidden", False) and not on_screen(view):
        return view
    return None


def _alive(draw: Draw) -> bool:
    owner = getattr(draw, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class Redraws(QObject):
    """The views' redraws (see the module docstring)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.stagger = False  # a growing run's views redraw one an event-loop turn: the window's choice
        self._growing = False  # the model is telling the views that the run grew
        self._waiting: dict[Draw, Draw] = {}  # redraws waiting for their turn, in order
        self._hidden: dict[Draw, Draw] = {}  # redraws of views not on screen, run when the view is shown
        self._later: dict[Draw, float] = {}  # throttled redraws: when each may run
        self._last: dict[Draw, float] = {}  # when each redraw last ran
        self._turn = QTimer(self)
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._next_turn)
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.timeout.connect(self._due)

    @contextmanager
    def telling(self, growth: bool) -> Iterator[None]:
        """While the model tells the views what changed; ``growth``: only that the run grew (no user's action)."""
        growing, self._growing = self._growing, growth
        try:
            yield
        finally:
            self._growing = growing

    def request(self, draw: Draw, interval: float = 0.0, at_once: bool = False) -> None:
        """Run ``draw``, a view's redraw: now, on a turn of its own, at most ``interval`` seconds after its last
        run, or when the view is shown (see the module docstring)."""
        if not _alive(draw):
            return
        view = _waits(draw)
        if view is not None:
            self._waiting.pop(draw, None)
            self._later.pop(draw, None)
            self._hidden[draw] = draw
            if not view.property(WATCHED):
                view.setProperty(WATCHED, True)
                view.installEventFilter(self)
            return
        if interval > 0 and not at_once:
            due = self._last.get(draw, -math.inf) + interval
            if draw in self._later or due > time.monotonic():
                self._later.setdefault(draw, due)
                self._arm()
                return
        if self._growing and self.stagger and not at_once and not interval:
            self._waiting[draw] = draw
            if not self._turn.isActive():
                self._turn.start()
        else:
            self._waiting.pop(draw, None)
            self._later.pop(draw, None)
            self._run(draw)

    def pending(self, draw: Draw) -> bool:
        """Whether ``draw`` waits: for its turn, its time or its view to be shown."""
        return draw in self._waiting or draw in self._later or draw in self._hidden

    @property
    def waiting(self) -> int:
        """How many redraws wait for their turn."""
        return len(self._waiting)

    def catch_up(self, view: QObject) -> None:
        """Run now what ``view`` was asked to redraw while it was not on screen (it is shown, or its tab raised)."""
        for draw in [d for d in self._hidden if getattr(d, "__self__", None) is view]:
            del self._hidden[draw]
            self._run(draw)

    def raised(self, view: QWidget) -> None:
        """``view``'s dock was shown or its tab raised: :meth:`catch_up` on the next turn of the event loop (once
        the dock has its place; Qt keeps a dock tabbed behind another "visible", so the window tells)."""
        later(view, lambda: self.catch_up(view))

    def flush(self) -> None:
        """Run every redraw waiting for its turn or its time now (before a picture of the window is taken)."""
        while self._waiting or self._later:
            draw = next(iter(self._waiting or self._later))
            self._waiting.pop(draw, None)
            self._later.pop(draw, None)
            self._run(draw)
        self._turn.stop()
        self._throttle.stop()

    def clear(self) -> None:
        """Forget every waiting redraw (a new run: the views redraw for it at once)."""
        self._waiting.clear()
        self._hidden.clear()
        self._later.clear()
        self._last = {draw: t for draw, t in self._last.items() if _alive(draw)}
        self._turn.stop()
        self._throttle.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Show:
            self.catch_up(watched)
        return False

    def _run(self, draw: Draw) -> None:
        if not _alive(draw):  # a view deleted while it waited
            return
        view = getattr(draw, "__self__", None)
        if getattr(view, "wait_while_hidden", False) and not view.isVisible():  # hidden since: when it is shown
            self._hidden[draw] = draw
            return
        self._last[draw] = time.monotonic()
        draw()

    def _next_turn(self) -> None:
        if self._waiting:
            draw = self._waiting.pop(next(iter(self._waiting)))
            if self._waiting:
                self._turn.start()
            self._run(draw)

    def _arm(self) -> None:
        """The throttle's timer for the earliest redraw due."""
        if self._later:
            wait = min(self._later.values()) - time.monotonic()
            self._throttle.start(max(0, int(wait * 1000) + 1))

    def _due(self) -> None:
        now = time.monotonic()
        for draw in [d for d, due in self._later.items() if due <= now]:
            del self._later[draw]
            self.request(draw)
        self._arm()
