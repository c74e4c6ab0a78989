"""How the window writes an index: from 1, as the lecture notes count (figure 7's pooling winners are (1, 2), (2, 4),
(4, 1) and (4, 4)), or from 0, as the code, the Python API (:mod:`cnnviz.core`, :mod:`cnnviz.gui.state`) and the
session file do. The one rule: every view asks the model's :attr:`~cnnviz.gui.state.RunState.indices` to turn a
0-based index into the one it shows and a typed one back; no view adds 1 by itself.

Every index counts: a channel, a row or column, a unit, a filter's (k, c, μ, ν), a pooling block and its winner
(ζ, η), and a test image's number in its data set (test #1 is the first). The choice is the View menu's "Count
indices from 1, as the notes do" (on by default, remembered); no Qt here, so the run state holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTES, CODE = 1, 0  # the origins: the lecture notes' count (the default), the code's


@dataclass(frozen=True)
class Indices:
    """Indices written from ``origin``: ``Indices(1)(0)`` is 1, ``Indices(1)(0, 1)`` is ``(1, 2)``."""

    origin: int = NOTES

    def __call__(self, *index: int) -> int | tuple[int, ...]:
        """0-based ``index`` as shown: one int for one index, a tuple for several (``f"{ix(z, e)}"`` writes
        ``(1, 2)``)."""
        shown = tuple(int(i) + self.origin for i in index)
        return shown[0] if len(shown) == 1 else shown

    def index(self, shown: int) -> int:
        """An index as shown (typed in a spin box) -> the 0-based index."""
        return int(shown) - self.origin

    def span(self, first: int, last: int) -> str:
        """0-based ``first`` to ``last`` (both included) as shown: ``"1..2"``."""
        return f"{self(first)}..{self(last)}"
