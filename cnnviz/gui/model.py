"""What the views show, in one object on the GUI thread: the run, the timeline cursor and the one selection.

napari's split: the data and its state live here, apart from the widgets; every view is a function of this
model. Two sources feed it the plain records of :mod:`cnnviz.records`: the live run (``live.py``: the trainer
in a worker thread) and a saved session (``replay.py``: a session file, possibly still growing). Either way the
model holds

- the run: its :class:`RunStart`, the per-step metrics, the snapshots and the evaluations (kept in memory, or
  loaded on demand from the session file through a small cache), the events, its :class:`RunEnd`;
- the cursor: a step of the run; the snapshot and the evaluation shown are the last ones at or before it.
  While :attr:`following`, the cursor moves to the newest step as the run grows (at most every
  :attr:`follow_interval` seconds); seeking back stops following, :meth:`follow` resumes it;
- the selection: the chosen test image, conv layer, stage (u, a, p), channel and pixel, the same for every view;
- the chosen image's forward trace through the shown snapshot, computed once per (snapshot, image) for every
  view that needs it;
- colour levels derived from the run, never from the order in which positions were visited: per conv layer,
  the largest |F| over all snapshots (filters) and the largest 99.5th percentiles of |u| and of a over the
  probe images at every snapshot (feature maps, pooling), and per hidden fully connected layer that of its a
  (the overview). They are computed for each snapshot as it is added
  (one snapshot at a time on a thread of their own; :meth:`complete_levels` finishes them at once) and only
  ever widen, so once a run is known the colours of every position are fixed.

One signal, :attr:`changed`, carries the set of what changed (:data:`CHANGES`); views redraw what they need,
through :meth:`RunModel.redraw`: at once, except that while the views are told that the run grew (with
:attr:`RunModel.stagger`, the window's setting) each view redraws in an event-loop turn of its own.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from cnnviz.core import Network, Trace
from cnnviz.data import to_input, to_uint8
from cnnviz.gui.later import later
from cnnviz.records import EvalRecord, EventRecord, RunEnd, RunStart, SnapshotRecord, StepRecord

METRICS = ("step", "epoch", "loss", "accuracy", "lr", "momentum", "time")
STAGES = ("u", "a", "p")
# What ``changed`` may carry: a new run; records added; the shown snapshot, evaluation or cursor step; parts of
# the selection; colour levels widened; the run ended.
CHANGES = frozenset({"run", "data", "snapshot", "eval", "step", "following", "image", "layer", "stage", "channel",
                     "pixel", "levels", "end"})
SELECTION = frozenset({"image", "layer", "stage", "channel", "pixel"})
PEAK_SAMPLES = 1 << 16  # values a percentile of the colour levels is estimated from, at most
PERCENTILE = 99.5  # feature-map levels follow this percentile, so that a few extreme pixels do not dim the rest
FILTER_MARGIN = 1.1  # filter levels: +-1.1 max|F|
USER_IMAGE = -1  # the image index of the user's own image (drawn or opened: the Draw view), when there is one
SANE_LOSS = 2.0  # a snapshot whose step's loss is above this times the first steps' is from a diverging run
FLOOR = 1e-6  # the smallest level, so that an all-zero map still has a valid colour range
LEVELS_EMIT_INTERVAL = 0.25  # seconds: while levels are computed in the background, views redraw this often
SNAPSHOT_CACHE_BYTES = 64 * 2**20  # snapshots read on demand are cached up to this size (at least 8 of them)
LIVE_SNAPSHOT_BYTES = 16 * 2**20  # a live run keeps this much of its snapshots in memory, the rest in its file


def robust_peak(values: np.ndarray) -> float:
    """The PERCENTILE-th percentile of ``values``, estimated from at most PEAK_SAMPLES evenly spaced ones (the
    same ones every time: the full percentile of a conv layer's maps for 16 probe images costs more than the
    forward pass that made them; the figures are in docs/speed.md); 0 for
    none; inf or NaN where they are not finite, which :meth:`Levels.widen` ignores."""
    flat = np.ravel(values)
    if not flat.size:
        return 0.0
    if flat.size > PEAK_SAMPLES:
        flat = flat[::-(-flat.size // PEAK_SAMPLES)]
    with np.errstate(all="ignore"):  # inf - inf between two infinite values is NaN, not a warning
        return float(np.percentile(flat, PERCENTILE))


def peaks_of(network: Network, params: dict, probes: np.ndarray) -> list[tuple[str, int, float]]:
    """A snapshot's contribution to the colour levels, (kind, layer, peak): its filters' largest |F|, the probe
    images' robust peaks of |u| and of a per conv layer, and of a per hidden fully connected layer ("fc"). Touches
    nothing but ``network`` (the levels thread runs it)."""
    network.set_params(params)
    peaks = [("filters", layer, float(np.abs(params[f"conv{layer + 1}.W"]).max()))
             for layer in range(len(network.config.conv))]
    with np.errstate(all="ignore"):  # huge parameters overflow to inf and NaN: widen ignores those peaks
        trace = network.forward(probes) if len(probes) else None
        if trace is not None:
            for layer, conv in enumerate(trace.conv):
                peaks += [("u", layer, robust_peak(np.abs(conv.u))), ("a", layer, robust_peak(conv.a))]
            peaks += [("fc", layer, robust_peak(fc.a)) for layer, fc in enumerate(trace.fc[:-1])]
    return peaks


@dataclass(frozen=True)
class Selection:
    """What the user has chosen, the same for every view: ``image`` a test index (or USER_IMAGE, the user's
    own drawing); ``layer`` a conv layer (0-based: ``conv{layer + 1}``); ``stage`` one of u, a, p; ``channel``
    a channel of that layer (None: none chosen); ``pixel`` (row, col) in that layer's u map (None: none)."""

    image: int = 0
    layer: int = 0
    stage: str = "u"
    channel: int | None = None
    pixel: tuple[int, int] | None = None


class Series:
    """Records of one kind in step order: kept in memory (a live run) or loaded on demand by ``load(i)`` (a
    session file), the last few loaded kept in a cache. A live run's records can be let go from memory once
    ``load`` can read them back (:meth:`set_loader`): :meth:`append` keeps at most ``memory`` bytes of them."""

    def __init__(self, cache: int = 8, memory: int | None = None):
        self.steps: list[int] = []
        self._records: list = []  # the record, or None where it is loaded on demand
        self._load: Callable[[int], object] | None = None
        self._cache: OrderedDict[int, object] = OrderedDict()
        self.cache_size = cache
        self.memory = memory  # bytes of kept records at most, once they can be loaded (None: no limit)
        self._kept: deque[tuple[int, int]] = deque()  # (index, bytes) of the records kept in memory, oldest first
        self.kept_bytes = 0

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
        if i in self._cache:
            self._cache.move_to_end(i)
            return self._cache[i]
        record = self._load(i)
        self._cache[i] = record
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return record

    def at_or_before(self, step: int) -> int | None:
        """The index of the last record whose step is <= ``step``, or None."""
        i = bisect.bisect_right(self.steps, step) - 1
        return i if i >= 0 else None


class Levels:
    """Colour levels that only widen: per conv layer ``filters`` (max |F|), ``u`` and ``a`` (feature maps); per
    hidden fully connected layer ``fc`` (its a)."""

    def __init__(self, n_layers: int = 0, n_fc: int = 0):
        self.filters = [FLOOR] * n_layers
        self.u = [FLOOR] * n_layers
        self.a = [FLOOR] * n_layers
        self.fc = [FLOOR] * n_fc

    def widen(self, name: str, layer: int, peak: float) -> bool:
        """Widen level ``name`` of ``layer`` to ``peak``; an infinite or NaN peak (a run blowing up) is ignored."""
        values = getattr(self, name)
        if math.isfinite(peak) and peak > values[layer]:
            values[layer] = peak
            return True
        return False


class RunModel(QObject):
    """The state of the run being shown (see the module docstring). Signals fire on the GUI thread."""

    changed = Signal(object)  # a frozenset of CHANGES

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.follow_interval = 0.0  # seconds between two moves of a following cursor at least
        self.snapshot_memory = LIVE_SNAPSHOT_BYTES  # a live run's snapshots kept in memory once its file has them
        self.stagger = False  # views redraw for the run's growth one a turn (see :meth:`redraw`): the window's choice
        self._growing = False  # ``changed`` is telling the views that the run grew
        self._redraws: dict[Callable[[], None], Callable[[], None]] = {}  # views' redraws waiting, in order
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        self._redraw_timer.timeout.connect(self._redraw_turn)
        self._seek_pending: int | None = None
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.timeout.connect(self._follow_now)
        self._levels_timer = QTimer(self)
        self._levels_timer.setInterval(10)  # looks for the levels thread's result, or gives it the next snapshot
        self._levels_timer.timeout.connect(self._levels_turn)
        self._levels_pool: ThreadPoolExecutor | None = None  # the levels thread, started with the first job
        self.user_image: np.ndarray | None = None  # (H, W) uint8: USER_IMAGE; kept from one run to the next
        self.user_label: int | None = None  # what the user says it is (None: unknown)
        self.user_version = 0  # grows with each new user image: a cache keyed by image index must include it
        self._reset()

    def _reset(self) -> None:
        self.start: RunStart | None = None
        self.end: RunEnd | None = None
        self.source = ""  # where the run comes from, in words (the window's title and status bar)
        self.network: Network | None = None  # the shown snapshot's parameters
        self.test_images: np.ndarray | None = None  # (M, H, W) uint8, when the run's test set is at hand
        self.test_labels: np.ndarray | None = None
        self.image_indices = np.zeros(0, dtype=np.int64)  # the test indices whose images are at hand
        self._images: dict[int, tuple[np.ndarray, int]] = {}  # test index -> (image, label) without a test set
        self._metrics = np.zeros((0, len(METRICS)))
        self.n_steps = 0
        self.snapshots = Series(memory=self.snapshot_memory)
        self.evals = Series()
        # Per evaluation: step, epoch, test loss, test accuracy, and the test images it was of (the first n).
        self.eval_table = np.zeros((0, 5))
        self.events: list[EventRecord] = []
        self.live: SnapshotRecord | None = None  # newest parameters of a live run, not part of the session
        self._live_version = 0  # grows with each set_live
        self._shown_key: tuple | None = None  # the snapshot shown (see _locate)
        self.step = 0  # the cursor
        self.following = True
        self._last_follow = -math.inf
        self.snapshot_index: int | None = None  # shown: index into .snapshots, or None (nothing, or .live)
        self.eval_index: int | None = None
        self.selection = Selection()
        self.levels = Levels()
        self._levels_done = 0  # snapshots whose levels are in
        self._levels_widened = False  # since the views were last told
        self._levels_told = -math.inf  # when they were
        self._traces: OrderedDict[tuple, Trace] = OrderedDict()
        self._probe_input: np.ndarray | None = None
        self._eval_network: Network | None = None  # for the evaluations' probabilities
        self._levels_network: Network | None = None  # for the levels' forward passes
        self._levels_job: Future | None = None  # one snapshot's peaks, computed on the levels thread
        # The probe images' probabilities at every snapshot (the probe history view): rows kept as a live run's
        # snapshots arrive, or read all at once from the session file by ``read_probe_probs(a, b)`` (a replay).
        self.read_probe_probs: Callable[[int, int], np.ndarray] | None = None
        self._probe_probs = np.zeros((0, 0, 0))
        self._probe_probs_n = 0

    # -- reading ----------------------------------------------------------------------------------------------

    def metric(self, name: str) -> np.ndarray:
        """A view (no copy) of one per-step series, in step order: one of METRICS."""
        return self._metrics[:self.n_steps, METRICS.index(name)]

    @property
    def steps_per_epoch(self) -> int:
        return self.start.steps_per_epoch if self.start else 1

    @property
    def last_step(self) -> int:
        """The newest step the run has reached (the end of the timeline)."""
        last = int(self._metrics[self.n_steps - 1, 0]) if self.n_steps else 0
        if len(self.snapshots):
            last = max(last, self.snapshots.steps[-1])
        if self.live is not None:
            last = max(last, self.live.step)
        return last

    def snapshot(self) -> SnapshotRecord | None:
        """The snapshot shown: the last one at or before the cursor (the live parameters while following a
        live run that is ahead of its last stored snapshot)."""
        if self.snapshot_index is None:
            return self.live if self.following else None
        return self.snapshots[self.snapshot_index]

    def evaluation(self) -> EvalRecord | None:
        """The evaluation shown: the last one at or before the cursor."""
        return None if self.eval_index is None else self.evals[self.eval_index]

    def epoch_at(self, step: int) -> int:
        """The 1-based epoch a step belongs to (step 0: epoch 1)."""
        return max(1, -(-step // self.steps_per_epoch)) if self.start else 1

    def has_image(self, index: int) -> bool:
        if index == USER_IMAGE:
            return self.user_image is not None and (
                self.start is None or self.user_image.shape == tuple(self.start.config.network.input_shape[1:]))
        return self.test_images is not None and 0 <= index < len(self.test_images) or index in self._images

    def image(self, index: int) -> np.ndarray:
        """Test image ``index`` (H, W) uint8 (one of :attr:`image_indices`, or USER_IMAGE)."""
        if index == USER_IMAGE:
            return self.user_image
        return self.test_images[index] if self.test_images is not None else self._images[index][0]

    def label(self, index: int) -> int | None:
        """The class of image ``index``; None for a user image whose class is not known."""
        if index == USER_IMAGE:
            return self.user_label
        return int(self.test_labels[index]) if self.test_labels is not None else self._images[index][1]

    def describe_image(self, index: int) -> str:
        """An image in words: "test #12" or "your drawing"."""
        return "your drawing" if index == USER_IMAGE else f"test #{index}"

    def trace(self, image: int | None = None) -> Trace | None:
        """The forward trace of a test image (default: the selected one) through the shown snapshot's network;
        None before the first snapshot. Computed once per (snapshot, image), shared by every view."""
        snap = self.snapshot()
        image = self.selection.image if image is None else image
        if snap is None or not self.has_image(image):
            return None
        return self._cached((self.snapshot_index, snap.step, image), self.network, image)

    def _cached(self, key: tuple, network: Network, image: int) -> Trace:
        """The trace of ``image`` through ``network`` (whose parameters ``key`` names), cached."""
        trace = self._traces.get(key)
        if trace is None:
            with np.errstate(all="ignore"):  # a diverging run's parameters overflow: inf and NaN, shown as such
                trace = network.forward(to_input(self.image(image)[None], network.dtype))
            self._traces[key] = trace
            while len(self._traces) > 32:
                self._traces.popitem(last=False)
        else:
            self._traces.move_to_end(key)
        return trace

    def eval_probabilities(self, image: int | None = None) -> np.ndarray | None:
        """The class probabilities of a test image (default: the selected one) with the parameters of the
        shown evaluation (the snapshot of its step), so that they agree with its predicted class and
        confidence; None before the first evaluation."""
        ev = self.evaluation()
        image = self.selection.image if image is None else image
        if ev is None or not self.has_image(image):
            return None
        i = self.snapshots.at_or_before(ev.step)
        if i is None:
            return None
        key = ("eval", i, self.snapshots.steps[i], image)
        if key not in self._traces:
            if self._eval_network is None:
                self._eval_network = self.network.copy()
            self._eval_network.set_params(self.snapshots[i].params)
        return self._cached(key, self._eval_network, image).probs[0]

    def sane(self, i: int) -> bool:
        """Whether snapshot ``i`` is from before a run diverged: its parameters are finite, and the loss they gave
        at the next step is finite and at most SANE_LOSS times the median loss of the run's first steps (a run
        whose learning rate is too large has its loss shoot up before it becomes NaN); where there is no next
        step yet, no "error" event (a loss that became NaN) may follow the snapshot."""
        step = self.snapshots.steps[i]
        if any(e.kind == "error" and e.step == step for e in self.events):
            return False  # these parameters made the loss NaN (the steps after a rollback used others)
        steps, losses = self.metric("step"), self.metric("loss")
        row = int(np.searchsorted(steps, step + 1))
        if row < len(steps) and steps[row] == step + 1:
            first = losses[:20][np.isfinite(losses[:20])]
            limit = SANE_LOSS * float(np.median(first)) if first.size else math.inf
            if not (math.isfinite(losses[row]) and losses[row] <= limit):
                return False
        return all(np.isfinite(p).all() for p in self.snapshots[i].params.values())

    def _judged(self, i: int) -> bool:
        """Whether :meth:`sane` can tell about snapshot ``i`` yet: the run went past its step, or ended."""
        step = self.snapshots.steps[i]
        return (self.end is not None or (self.n_steps and self._metrics[self.n_steps - 1, 0] > step)
                or any(e.kind == "error" and e.step == step for e in self.events))

    def last_sane_snapshot(self, before: int | None = None) -> int | None:
        """The index of the last sane snapshot (see :meth:`sane`) at or before step ``before`` (default: the
        whole run), or None."""
        i = self.snapshots.at_or_before(self.last_step if before is None else before)
        while i is not None and i >= 0 and not self.sane(i):
            i -= 1
        return i if i is not None and i >= 0 else None

    def probe_probs(self) -> np.ndarray:
        """The probe images' class probabilities at every snapshot, (S, P, k) float64 (no copy): row ``i`` is
        ``snapshots[i].probe_probs``, ``y = softmax(u)`` of the RunStart's probe images (in its order) through that
        snapshot's network. Rows not known yet are read now, all at once: from the session file through
        :attr:`read_probe_probs` where the source gives it (one dataset, not every snapshot's parameters), else from
        each snapshot record."""
        n, have = len(self.snapshots), self._probe_probs_n
        if have < n:
            rows = None if self.read_probe_probs is None else np.asarray(self.read_probe_probs(have, n))
            if rows is None or len(rows) != n - have:
                rows = np.stack([np.asarray(self.snapshots[i].probe_probs) for i in range(have, n)])
            self._keep_probe_probs(rows)
        return self._probe_probs[:n]

    def _keep_probe_probs(self, rows: np.ndarray) -> None:
        # Preallocated and doubled when full, like the metrics.
        have, need = self._probe_probs_n, self._probe_probs_n + len(rows)
        if need > len(self._probe_probs) or self._probe_probs.shape[1:] != rows.shape[1:]:
            grown = np.zeros((max(need, 2 * len(self._probe_probs), 64), *rows.shape[1:]))
            if have:
                grown[:have] = self._probe_probs[:have]
            self._probe_probs = grown
        self._probe_probs[have:need] = rows
        self._probe_probs_n = need

    def describe_position(self) -> str:
        """Which snapshot and evaluation are shown, in words (for the status bar)."""
        if self.start is None:
            return ""
        snap = self.snapshot()
        if snap is None:
            parts = ["no snapshot yet"]
        elif self.snapshot_index is None:
            parts = [f"live parameters of step {snap.step}"]
        else:
            parts = [f"snapshot {self.snapshot_index + 1}/{len(self.snapshots)} (step {snap.step})"]
        if self.eval_index is None:
            parts.append("no evaluation yet")
        else:
            parts.append(f"evaluation {self.eval_index + 1}/{len(self.evals)} (step {self.evals.steps[self.eval_index]})")
        return ", ".join(parts)

    # -- the cursor and the selection ---------------------------------------------------------------------------

    def seek(self, step: int) -> None:
        """Move the cursor to ``step`` (clipped to the run). Following stops unless it is the newest step."""
        step = int(min(max(step, 0), self.last_step))
        changes = {"step"} if step != self.step else set()
        following = step >= self.last_step and (self.end is None or self.following)
        if following != self.following:
            self.following = following
            changes.add("following")
        self.step = step
        self._emit(changes | self._locate())

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

    def seek_snapshot(self, offset: int) -> None:
        """Move to the previous (-1) or next (+1) snapshot's step."""
        steps = self.snapshots.steps
        if not steps:
            return
        if offset < 0:
            i = bisect.bisect_left(steps, self.step) - 1
            self.seek(steps[max(i, 0)])
        else:
            i = bisect.bisect_right(steps, self.step)
            self.seek(steps[i] if i < len(steps) else self.last_step)

    def follow(self, growth: bool = False) -> None:
        """Follow the newest step again (the "Follow" button, End; ``growth``: the cursor following the run)."""
        changes = set() if self.following else {"following"}
        self.following = True
        self._last_follow = time.monotonic()
        if self.step != self.last_step:
            self.step = self.last_step
            changes.add("step")
        self._emit(changes | self._locate(), growth)

    def select(self, **parts) -> None:
        """Change parts of the selection (``image``, ``layer``, ``stage``, ``channel``, ``pixel``); a new layer
        clears the channel and the pixel unless they are given too."""
        if "layer" in parts:
            parts.setdefault("channel", None)
            parts.setdefault("pixel", None)
        new = replace(self.selection, **parts)
        if new.stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {new.stage!r}")
        changes = {name for name in parts if getattr(new, name) != getattr(self.selection, name)}
        self.selection = new
        self._emit(changes)

    def set_user_image(self, image: np.ndarray, label: int | None = None) -> None:
        """The user's own image (drawn or opened, e.g. :func:`cnnviz.data.prepare_image`'s): (H, W) uint8, or
        float in [0, 1] (stored as ``round(255 x)`` uint8, :func:`cnnviz.data.to_uint8`, so that it reaches the
        network through ``to_input`` like every test image). It becomes image USER_IMAGE and the selected image
        of every view; ``label`` is its class if known. Emits ``{"image"}``."""
        image = np.asarray(image)
        if image.ndim != 2:
            raise ValueError(f"a user image must be (H, W), not of shape {image.shape}")
        self.user_image = image.copy() if image.dtype == np.uint8 else to_uint8(image)
        self.user_label = None if label is None else int(label)
        self.user_version += 1
        for key in [k for k in self._traces if k[-1] == USER_IMAGE]:  # its traces were of the old image
            del self._traces[key]
        self.selection = replace(self.selection, image=USER_IMAGE)
        self._emit({"image"})

    def clear_user_image(self) -> None:
        """Forget the user's image (emits ``{"image"}`` if there was one); if it was selected, the first probe
        image is selected instead."""
        if self.user_image is None:
            return
        self.user_image, self.user_label = None, None
        self.user_version += 1
        for key in [k for k in self._traces if k[-1] == USER_IMAGE]:
            del self._traces[key]
        if self.selection.image == USER_IMAGE:
            first = int(self.start.probe_indices[0]) if self.start is not None and len(self.start.probe_indices) else 0
            self.selection = replace(self.selection, image=first)
        self._emit({"image"})

    def _locate(self) -> set[str]:
        """Point the shown snapshot and evaluation at the cursor; what changed."""
        changes = set()
        snapshot_index = self.snapshots.at_or_before(self.step)
        live_ahead = (self.following and self.live is not None
                      and (snapshot_index is None or self.live.step > self.snapshots.steps[snapshot_index]))
        if live_ahead:
            snapshot_index = None
        self.snapshot_index = snapshot_index
        snap = self.snapshot()
        # Which snapshot is shown: a stored one by its index, live parameters by their arrival (set_live replaces
        # them before this runs, so the record itself cannot tell the old from the new).
        key = (snapshot_index, snap.step if snap is not None else None, self._live_version if snap is self.live else 0)
        if key != self._shown_key:
            self._shown_key = key
            if snap is not None:
                self.network.set_params(snap.params)
                changes.add("snapshot")
        eval_index = self.evals.at_or_before(self.step)
        if eval_index != self.eval_index:
            self.eval_index = eval_index
            changes.add("eval")
        return changes

    def _emit(self, changes, growth: bool = False) -> None:
        """Tell the views; ``growth``: what changed is only that the run grew (no user's action)."""
        if changes:
            growing, self._growing = self._growing, growth and self.stagger
            try:
                self.changed.emit(frozenset(changes))
            finally:
                self._growing = growing

    # -- the views' redraws ---------------------------------------------------------------------------------------

    def redraw(self, draw: Callable[[], None]) -> None:
        """Call ``draw``, a view's redraw (a bound method), now; or, while the views are told that the run grew
        and :attr:`stagger` is on, on a turn of the event loop of its own. At each snapshot of a live run the
        filters, feature maps, pooling and predictions views redrew in one turn, and their scenes painted in
        one batch of posted events after it, a stretch in which the window did not respond (docs/speed.md, the
        soak); one view a turn,
        each turn is one view's redraw and paint. A redraw already waiting is not queued twice (it runs once, in
        its place); one asked for by a user's action runs now and is no longer waiting."""
        if self._growing:
            self._redraws[draw] = draw
            if not self._redraw_timer.isActive():
                self._redraw_timer.start()
        else:
            self._redraws.pop(draw, None)
            draw()

    @property
    def redraws_waiting(self) -> int:
        """How many views wait for their turn to redraw."""
        return len(self._redraws)

    def _redraw_turn(self) -> None:
        if self._redraws:
            draw = self._redraws.pop(next(iter(self._redraws)))
            if self._redraws:
                self._redraw_timer.start()
            if shiboken6.isValid(draw.__self__):  # not a view deleted while it waited
                draw()

    def flush_redraws(self) -> None:
        """Run every waiting redraw now (before a picture of the window is taken)."""
        while self._redraws:
            self._redraw_turn()
        self._redraw_timer.stop()

    # -- feeding ------------------------------------------------------------------------------------------------

    def begin(self, start: RunStart, test_images: np.ndarray | None, test_labels: np.ndarray | None,
              source: str = "") -> None:
        """A new run: forget the old one. Without ``test_images`` only the probe images can be chosen."""
        self._stop_timers()
        self._reset()
        self.start, self.source = start, source
        cfg = start.config
        self.network = Network(cfg.network, seed=cfg.seed, dtype=np.dtype(cfg.dtype))
        if test_images is not None:
            self.test_images, self.test_labels = test_images, test_labels
            self.image_indices = np.arange(len(test_images), dtype=np.int64)
        else:
            self._images = {int(i): (image, int(label)) for i, image, label in
                            zip(start.probe_indices, start.probe_images, start.probe_labels)}
            self.image_indices = np.array(sorted(self._images), dtype=np.int64)
        self._probe_input = to_input(start.probe_images, self.network.dtype)
        snapshot_bytes = sum(p.nbytes for p in self.network.params.values())
        self.snapshots.cache_size = max(8, SNAPSHOT_CACHE_BYTES // max(snapshot_bytes, 1))
        self.levels = Levels(len(cfg.network.conv), len(cfg.network.fc) - 1)
        first = int(start.probe_indices[0]) if len(start.probe_indices) else 0
        self.selection = Selection(image=first if self.has_image(first) else 0)
        self._emit({"run"})

    def clear(self) -> None:
        """Forget the run (its source is gone, e.g. a closed session whose snapshots can no longer be read):
        the views show no run until the next :meth:`begin`."""
        self._stop_timers()
        self._reset()
        self._emit({"run"})

    def close(self) -> None:
        """Done with the model (its window or figure is closing): its timers stop, and its levels thread ends once
        the snapshot it is working on is done. A later :meth:`begin` starts them again."""
        self._stop_timers()
        if self._levels_pool is not None:
            self._levels_pool.shutdown(wait=True, cancel_futures=True)
            self._levels_pool = None
            self._levels_job = None

    def _stop_timers(self) -> None:
        """The old run's timers and waiting redraws (the views redraw for the new run at once)."""
        self._follow_timer.stop()
        self._levels_timer.stop()
        self._redraw_timer.stop()
        self._redraws.clear()

    def add_steps(self, rows: np.ndarray) -> None:
        """Per-step rows (n, len(METRICS)) in METRICS order (replay); :meth:`feed` for StepRecords."""
        if len(rows):
            self._append(np.asarray(rows, dtype=float))
            self._grew()

    def add_snapshots(self, steps, load: Callable[[int], SnapshotRecord]) -> None:
        """Snapshots read on demand: ``load(i)`` gives snapshot ``i`` (replay)."""
        if len(steps):
            self.snapshots.extend_lazy(steps, load)
            self._grew()

    def add_evals(self, table: np.ndarray, load: Callable[[int], EvalRecord]) -> None:
        """Evaluations read on demand: ``table`` (n, 5) of step, epoch, test loss, test accuracy, test images
        (replay)."""
        if len(table):
            self.evals.extend_lazy(np.asarray(table)[:, 0].astype(int), load)
            self.eval_table = np.concatenate([self.eval_table, np.asarray(table, dtype=float)])
            self._grew()

    def add_events(self, events: list[EventRecord]) -> None:
        if events:
            self.events.extend(events)
            self._grew()

    def finish(self, end: RunEnd) -> None:
        self.end = end
        self._grew({"end"})

    def set_live(self, snapshot: SnapshotRecord) -> None:
        """The newest parameters of a live run (shown while following; not kept)."""
        self.live = snapshot
        self._live_version += 1
        self._grew()

    def feed(self, records: list) -> None:
        """Records of a live run, in order (coalesced: one ``changed`` for all of them)."""
        steps, changes = [], set()
        for r in records:
            if isinstance(r, StepRecord):
                steps.append([getattr(r, name) for name in METRICS])
            elif isinstance(r, SnapshotRecord):
                # The views show parameters; what continuing from a snapshot needs (the optimizer's velocity, the
                # random states: as much again) is read from the session file by whoever forks.
                if r.state is not None:
                    r = replace(r, state=None)
                self.snapshots.append(r, r.nbytes)
                if self._probe_probs_n == len(self.snapshots) - 1:  # kept now: the record may leave memory
                    self._keep_probe_probs(np.asarray(r.probe_probs)[None])
                if self.live is not None and self.live.step <= r.step:
                    self.live = None
            elif isinstance(r, EvalRecord):
                self.evals.append(r)
                n = r.n_images if r.n_images is not None else self.start.n_test
                row = [[r.step, r.epoch, r.test_loss, r.test_accuracy, n]]
                self.eval_table = np.concatenate([self.eval_table, np.asarray(row, dtype=float)])
            elif isinstance(r, EventRecord):
                self.events.append(r)
            elif isinstance(r, RunEnd):
                self.end = r
                changes.add("end")
        if steps:
            self._append(np.asarray(steps, dtype=float))
        if records:
            self._grew(changes)

    def _grew(self, changes: set | None = None) -> None:
        """The run has more: levels to compute, the cursor to move if following; one ``changed``."""
        changes = {"data"} | (changes or set())
        if self._levels_done < len(self.snapshots) and not self._levels_timer.isActive():
            self._levels_timer.start()
        if self.following:
            wait = self._last_follow + self.follow_interval - time.monotonic()
            if wait <= 0 or "end" in changes:
                self._follow_timer.stop()
                self._last_follow = time.monotonic()
                if self.step != self.last_step:
                    self.step = self.last_step
                    changes.add("step")
            elif not self._follow_timer.isActive():
                self._follow_timer.start(int(wait * 1000) + 1)
        changes |= self._locate()
        self._emit(changes, growth=True)

    def _follow_now(self) -> None:
        if self.following and self.start is not None:
            self.follow(growth=True)

    def _append(self, rows: np.ndarray) -> None:
        # Preallocated and doubled when full, so that a long run appends in amortised constant time.
        need = self.n_steps + len(rows)
        if need > len(self._metrics):
            grown = np.zeros((max(need, 2 * len(self._metrics), 1024), len(METRICS)))
            grown[:self.n_steps] = self._metrics[:self.n_steps]
            self._metrics = grown
        self._metrics[self.n_steps:need] = rows
        self.n_steps = need

    # -- colour levels ------------------------------------------------------------------------------------------

    def filter_levels(self, layer: int) -> tuple[float, float]:
        """(-top, top) for conv layer ``layer``'s filters."""
        top = FILTER_MARGIN * self.levels.filters[layer]
        return -top, top

    def map_levels(self, layer: int, stage: str) -> tuple[float, float]:
        """Levels of a feature map: symmetric for u, from 0 for a and p (p's values are a's)."""
        if stage == "u":
            return -self.levels.u[layer], self.levels.u[layer]
        return 0.0, self.levels.a[layer]

    def dense_levels(self, layer: int) -> tuple[float, float]:
        """Levels of hidden fully connected layer ``layer``'s a (0-based: ``fc{layer + 1}``), from 0."""
        return 0.0, self.levels.fc[layer]

    @property
    def levels_done(self) -> int:
        """How many snapshots (the first ones) the levels include."""
        return self._levels_done

    @property
    def levels_complete(self) -> bool:
        return self._levels_done >= len(self.snapshots)

    def complete_levels(self) -> None:
        """Compute the levels of every snapshot now (rendering a figure needs them final)."""
        changed, self._levels_widened = self._levels_widened, False
        if self._levels_job is not None:
            changed |= self._widen(self._levels_job.result())
            self._levels_job = None
            self._levels_done += 1
        while self._levels_done < len(self.snapshots):
            changed |= self._add_levels(self._levels_done)
            self._levels_done += 1
        self._levels_timer.stop()
        if changed:
            self._emit({"levels"})

    def _levels_turn(self) -> None:
        """One snapshot's levels, its forward pass and peaks on the levels thread (on the GUI thread they stalled
        the window at every snapshot of a live run: docs/speed.md, the soak); the views are told at most every
        LEVELS_EMIT_INTERVAL and at the end. The newest snapshot of a run in progress waits until the next step
        tells whether it is sane."""
        job = self._levels_job
        if job is not None:
            if not job.done():
                return  # the timer looks again in 10 ms
            self._levels_job = None
            self._levels_widened |= self._widen(job.result())
            self._levels_done += 1
        elif self._levels_done < len(self.snapshots):
            if not self._judged(self._levels_done):
                self._levels_timer.stop()  # started again when the run grows
                return
            params = self._levels_params(self._levels_done)
            if params is not None:
                if self._levels_pool is None:
                    self._levels_pool = ThreadPoolExecutor(1, thread_name_prefix="cnnviz-levels")
                self._levels_job = self._levels_pool.submit(peaks_of, self._levels_network, params,
                                                            self._probe_input)
                return
            self._levels_done += 1
        done = self._levels_done >= len(self.snapshots)
        if done:
            self._levels_timer.stop()
        if self._levels_widened and (done or time.monotonic() - self._levels_told >= LEVELS_EMIT_INTERVAL):
            self._levels_widened, self._levels_told = False, time.monotonic()
            self._emit({"levels"}, growth=True)

    def _add_levels(self, i: int) -> bool:
        """Widen the levels with snapshot ``i`` now, on this thread."""
        params = self._levels_params(i)
        return params is not None and self._widen(peaks_of(self._levels_network, params, self._probe_input))

    def _levels_params(self, i: int) -> dict | None:
        """Snapshot ``i``'s parameters for the levels, or None for a snapshot of a diverging run (whose huge values
        would leave every sane one white)."""
        if not self.sane(i):
            return None
        if self._levels_network is None:
            self._levels_network = self.network.copy()  # a copy: He initialisation would stall the GUI thread
        return self.snapshots[i].params

    def _widen(self, peaks: list[tuple[str, int, float]]) -> bool:
        """Widen the levels with a snapshot's peaks; whether any grew."""
        changed = False
        for kind, layer, value in peaks:
            changed |= self.levels.widen(kind, layer, value)
        return changed
