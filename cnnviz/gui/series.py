"""How the run state keeps what grows, without Qt: records in step order (in memory or read back from the session
file) and arrays of rows that double when full."""

from __future__ import annotations

import bisect
from collections import OrderedDict, deque
from collections.abc import Callable

import numpy as np

from cnnviz.errors import UserError


class GrowingArray:
    """Rows appended to a preallocated float64 array that doubles when full, so that a long run appends in
    amortised constant time; :attr:`rows` is a view (no copy) of the rows so far. Rows of another shape than the
    kept ones start a new array (only when there were none)."""

    def __init__(self, *row_shape: int, minimum: int = 1024):
        self._data = np.zeros((0, *row_shape))
        self.minimum = minimum
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def clear(self) -> None:
        self.n = 0

    def extend(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.float64)
        need = self.n + len(rows)
        if need > len(self._data) or self._data.shape[1:] != rows.shape[1:]:
            grown = np.zeros((max(need, 2 * len(self._data), self.minimum), *rows.shape[1:]))
            if self.n:
                grown[:self.n] = self._data[:self.n]
            self._data = grown
        self._data[self.n:need] = rows
        self.n = need

    @property
    def rows(self) -> np.ndarray:
        return self._data[:self.n]


class Series:
    """Records of one kind in step order: kept in memory (a live run) or loaded on demand by ``load(i)`` (a
    session file), the last few loaded kept in a cache. A live run's records can be let go from memory once
    ``load`` can read them back (:meth:`set_loader`): :meth:`append` keeps at most ``memory`` bytes of them.

    A record that cannot be read (a damaged file: ``load`` raises a :class:`~cnnviz.errors.UserError`) is tried once:
    it is kept in :attr:`damaged` with its sentence, ``on_damage(i, sentence)`` is told once, and it is stood in for
    by the nearest readable record before it (else after it), so that the rest of the run stays usable and nothing
    asks the file again and again; only where no record can be read does the error go on."""

    def __init__(self, cache: int = 8, memory: int | None = None):
        self.steps: list[int] = []
        self._records: list = []  # the record, or None where it is loaded on demand
        self._load: Callable[[int], object] | None = None
        self._cache: OrderedDict[int, object] = OrderedDict()
        self.cache_size = cache
        self.memory = memory  # bytes of kept records at most, once they can be loaded (None: no limit)
        self._kept: deque[tuple[int, int]] = deque()  # (index, bytes) of the records kept in memory, oldest first
        self.kept_bytes = 0
        self.damaged: dict[int, str] = {}  # index -> why it cannot be read
        self.on_damage: Callable[[int, str], object] | None = None

    def __len__(self) -> int:
        return len(self.steps)

    def set_loader(self, load: Callable[[int], object]) -> None:
        """How to read record ``i`` back (a session file), which lets records go from memory."""
        self._load = load
        self._trim()

    def append(self, record, nbytes: int = 0) -> None:
        """A record kept in memory (``nbytes`` its size, for the memory limit)."""
        self.steps.append(int(record.step))
        self._records.append(record)
        self._kept.append((len(self._records) - 1, nbytes))
        self.kept_bytes += nbytes
        self._trim()

    def _trim(self) -> None:
        while self.memory is not None and self._load is not None and self.kept_bytes > self.memory \
                and len(self._kept) > 1:
            i, nbytes = self._kept.popleft()
            self._records[i] = None  # read back from the file when needed
            self.kept_bytes -= nbytes

    def extend_lazy(self, steps, load: Callable[[int], object]) -> None:
        """Rows ``len(self)..`` whose records ``load(i)`` reads when needed."""
        self._load = load
        self.steps.extend(int(s) for s in steps)
        self._records.extend([None] * len(steps))

    def __getitem__(self, i: int):
        record = self._records[i]
        if record is not None:
            return record
        i %= len(self._records)
        if i in self._cache:
            self._cache.move_to_end(i)
            return self._cache[i]
        if i in self.damaged:
            return self._stand_in(i)
        try:
            record = self._load(i)
        except UserError as exc:
            self.damaged[i] = exc.args[0]  # its sentence, a Text where the reader made one (the window translates)
            if self.on_damage is not None:
                self.on_damage(i, self.damaged[i])
            return self._stand_in(i)
        self._cache[i] = record
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return record

    def _stand_in(self, i: int):
        """The nearest readable record before damaged record ``i``, else after it; the damage's error if none is."""
        for j in [*range(i - 1, -1, -1), *range(i + 1, len(self._records))]:
            if j not in self.damaged:
                record = self[j]
                if j not in self.damaged:
                    return record
        raise UserError(self.damaged[i])

    def at_or_before(self, step: int) -> int | None:
        """The index of the last record whose step is <= ``step``, or None."""
        i = bisect.bisect_right(self.steps, step) - 1
        return i if i >= 0 else None


