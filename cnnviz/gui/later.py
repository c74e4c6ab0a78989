"""Calls on a later turn of the GUI thread's event loop, tied to the object they are for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def later(owner: QObject, call: Callable[[], object], ms: int = 0) -> None:
    """``call()`` once, in ``ms`` milliseconds (0: the next turn of the event loop); never if ``owner`` is deleted
    first. The call is held by a single-shot timer that is a child of ``owner`` and deletes itself once it fired.

    PySide6 6.11's ``QTimer.singleShot(ms, call)`` called a method of a window deleted meanwhile (a RuntimeError in
    the event loop), and ``QTimer.singleShot(ms, owner, call)`` never released ``call``: a bound method kept the
    deleted window's Python side, and every view it refers to, alive until the process ended."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(call)
    timer.timeout.connect(timer.deleteLater)
    timer.start(ms)
