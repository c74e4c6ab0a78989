"""The run state without Qt: the run's series, snapshots and evaluations, the cursor, the one selection, the traces
and the colour levels, in one plain object that tests use without an application.

napari's split: the data and its state live here, apart from the widgets; every view is a function of it (through
:class:`cnnviz.gui.model.RunModel`, this state plus its ``changed`` signal and timers). Two sources feed it the plain
records of :mod:`cnnviz.records`: the live run (``live.py``) and a saved session (``replay.py``). It holds

- the run: its :class:`RunStart`, the per-step metrics, the snapshots and the evaluations (kept in memory, or
  loaded on demand from the session file through a small cache), the events, its :class:`RunEnd`;
- the cursor: a step of the run; the snapshot and the evaluation shown are the last ones at or before it.
  While :attr:`~RunState.following`, the cursor moves to the newest step as the run grows (at most every
  :attr:`~RunState.follow_interval` seconds); seeking back stops following, :meth:`~RunState.follow` resumes it;
- the selection: the chosen test image, conv layer, stage (u, a, p), channel and pixel, the same for every view;
- the chosen image's forward trace through the shown snapshot, computed once per (snapshot, image);
- which snapshots are sane (from before a run diverged);
- colour levels that only widen, per conv and hidden fully connected layer (:mod:`cnnviz.gui.levels`; the model
  computes them in the background, :meth:`~RunState.complete_levels` at once), and the layers' norms where asked.
- how the views write an index (from 1 as the notes count, or from 0: :mod:`cnnviz.gui.indices`).

Every change returns what changed (:data:`CHANGES`) through :meth:`RunState._tell`, which the model emits.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from cnnviz.core import Network, Trace
from cnnviz.core.backprop import layer_names
from cnnviz.data import to_input, to_uint8
from cnnviz.errors import QT_TRANSLATE_NOOP, Text, joined
from cnnviz.gui.indices import Indices
from cnnviz.gui.levels import FILTER_MARGIN, Levels, norms_at, peaks_of
from cnnviz.gui.series import GrowingArray, Series
from cnnviz.records import METRICS, EvalRecord, EventRecord, RunEnd, RunStart, SnapshotRecord, StepRecord

STAGES = ("u", "a", "p")
# What a change may carry: a new run; records added; the shown snapshot, evaluation or cursor step; parts of
# the selection; colour levels widened; norms computed; the run ended; indices are written from another origin.
CHANGES = frozenset({"run", "data", "snapshot", "eval", "step", "following", "image", "layer", "stage", "channel",
                     "pixel", "levels", "norms", "end", "indices"})
SELECTION = frozenset({"image", "layer", "stage", "channel", "pixel"})
USER_IMAGE = -1  # the image index of the user's own image (drawn or opened: the Draw view), when there is one
SANE_LOSS = 2.0  # a snapshot whose step's loss is above this times the first steps' is from a diverging run
SNAPSHOT_CACHE_BYTES = 64 * 2**20  # snapshots read on demand are cached up to this size (at least 8 of them)
LIVE_SNAPSHOT_BYTES = 16 * 2**20  # a live run keeps this much of its snapshots in memory, the rest in its file


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


class RunState:
    """The state of the run being shown (see the module docstring): plain data, no Qt."""

    def __init__(self):
        self.follow_interval = 0.0  # seconds between two moves of a following cursor at least
        self.snapshot_memory = LIVE_SNAPSHOT_BYTES  # a live run's snapshots kept in memory once its file has them
        self.user_image: np.ndarray | None = None  # (H, W) uint8: USER_IMAGE; kept from one run to the next
        self.user_label: int | None = None  # what the user says it is (None: unknown)
        self.user_version = 0  # grows with each new user image: a cache keyed by image index must include it
        self.indices = Indices()  # how the views write an index (from 1, the notes'; the View menu's setting)
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
        self._metrics = GrowingArray(len(METRICS))  # per step: METRICS
        self.snapshots = Series(memory=self.snapshot_memory)
        self.evals = Series()
        self.damage: list[str] = []  # what cannot be read of the session, a sentence per damaged record
        self.snapshots.on_damage = self.evals.on_damage = self._damaged
        # Per evaluation: step, epoch, test loss, test accuracy, and the test images it was of (the first n).
        self.eval_table = np.zeros((0, 5))
        self.events: list[EventRecord] = []
        self.live: SnapshotRecord | None = None  # newest parameters of a live run, not part of the session
        self._live_version = 0  # grows with each set_live
        self._shown_key: tuple | None = None  # the snapshot shown (see _locate)
        self.step = 0  # the cursor
        self.following = True
        self.follow_wait: float | None = None  # seconds until a following cursor may move to the run's end
        self._last_follow = -math.inf
        self.snapshot_index: int | None = None  # shown: index into .snapshots, or None (nothing, or .live)
        self.eval_index: int | None = None
        self.selection = Selection()
        self.levels = Levels()
        self._levels_done = 0  # snapshots whose levels are in
        self._traces: OrderedDict[tuple, Trace] = OrderedDict()
        self._probe_input: np.ndarray | None = None
        self._eval_network: Network | None = None  # for the evaluations' probabilities
        self._levels_network: Network | None = None  # for the levels' forward passes
        self._norms_network: Network | None = None  # for the norms' back-propagations
        # The layers' norms over the run (the back-propagation view's curves), computed only where asked for.
        self.norms_wanted = False
        self.norm_names: list[str] = []  # the layers, in order
        self.norm_steps: list[int] = []  # the steps of the snapshots whose norms are in (the first ones)
        self.grad_norms = GrowingArray(0, minimum=64)  # (snapshots, layers): ||dE/dtheta_l||
        self.weight_norms = GrowingArray(0, minimum=64)  # ||theta_l||
        # The probe images' probabilities at every snapshot (the probe history view): rows kept as a live run's
        # snapshots arrive, or read all at once from the session file by ``read_probe_probs(a, b)`` (a replay).
        self.read_probe_probs: Callable[[int, int], np.ndarray] | None = None
        self._probe_probs = GrowingArray(0, 0, minimum=64)

    def _tell(self, changes: set, growth: bool = False) -> set:
        """What changed (``growth``: only that the run grew, no user's action); the model emits it."""
        return changes

    def _damaged(self, i: int, text: str) -> None:
        """A record of the session cannot be read (:class:`~cnnviz.gui.series.Series`): its sentence, once."""
        self.damage.append(text)

    # -- reading ----------------------------------------------------------------------------------------------

    @property
    def n_steps(self) -> int:
        """How many steps the run has recorded."""
        return len(self._metrics)

    def metric(self, name: str) -> np.ndarray:
        """A view (no copy) of one per-step series, in step order: one of METRICS."""
        return self._metrics.rows[:, METRICS.index(name)]

    @property
    def steps_per_epoch(self) -> int:
        return self.start.steps_per_epoch if self.start else 1

    @property
    def last_step(self) -> int:
        """The newest step the run has reached (the end of the timeline)."""
        last = int(self._metrics.rows[-1, 0]) if self.n_steps else 0
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
        """An image in words: "test #12" (its index as :attr:`indices` writes it) or "your drawing" (a Text: the
        window shows it translated)."""
        if index == USER_IMAGE:
            return Text("Images", QT_TRANSLATE_NOOP("Images", "your drawing"))
        return Text("Images", QT_TRANSLATE_NOOP("Images", "test #{index}"), index=self.indices(index))

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
        return (self.end is not None or (self.n_steps and self._metrics.rows[-1, 0] > step)
                or any(e.kind == "error" and e.step == step for e in self.events))

    def last_sane_snapshot(self, before: int | None = None) -> int | None:
        """The last sane snapshot's index (:meth:`sane`) at or before step ``before`` (default: the end), or None."""
        i = self.snapshots.at_or_before(self.last_step if before is None else before)
        while i is not None and i >= 0 and not self.sane(i):
            i -= 1
        return i if i is not None and i >= 0 else None

    def probe_probs(self) -> np.ndarray:
        """The probe images' class probabilities at every snapshot, (S, P, k) float64 (no copy): row ``i`` is
        ``snapshots[i].probe_probs``. Rows not known yet are read now, all at once: through :attr:`read_probe_probs`
        where the source gives it (one dataset of the session file), else from each snapshot record."""
        n, have = len(self.snapshots), len(self._probe_probs)
        if have < n:
            rows = None if self.read_probe_probs is None else np.asarray(self.read_probe_probs(have, n))
            if rows is None or len(rows) != n - have:
                rows = np.stack([np.asarray(self.snapshots[i].probe_probs) for i in range(have, n)])
            self._probe_probs.extend(rows)
        return self._probe_probs.rows[:n]

    def describe_position(self) -> str:
        """Which snapshot and evaluation are shown, in words (for the status bar, which translates them)."""
        if self.start is None:
            return ""
        snap, i = self.snapshot(), self.snapshot_index
        parts = [Text("Position", QT_TRANSLATE_NOOP("Position", "no snapshot yet")) if snap is None else
                 Text("Position", QT_TRANSLATE_NOOP("Position", "live parameters of step {step}"), step=snap.step)
                 if i is None else Text("Position", QT_TRANSLATE_NOOP("Position", "snapshot {i}/{n} (step {step})"),
                                        i=i + 1, n=len(self.snapshots), step=snap.step)]
        i = self.eval_index
        parts.append(Text("Position", QT_TRANSLATE_NOOP("Position", "no evaluation yet")) if i is None else
                     Text("Position", QT_TRANSLATE_NOOP("Position", "evaluation {i}/{n} (step {step})"), i=i + 1,
                          n=len(self.evals), step=self.evals.steps[i]))
        return joined(parts, ", ")

    # -- the cursor and the selection ---------------------------------------------------------------------------

    def seek(self, step: int) -> set:
        """Move the cursor to ``step`` (clipped to the run). Following stops unless it is the newest step."""
        step = int(min(max(step, 0), self.last_step))
        changes = {"step"} if step != self.step else set()
        following = step >= self.last_step and (self.end is None or self.following)
        if following != self.following:
            self.following = following
            changes.add("following")
        self.step = step
        return self._tell(changes | self._locate())

    def seek_snapshot(self, offset: int) -> set:
        """Move to the previous (-1) or next (+1) snapshot's step."""
        steps = self.snapshots.steps
        if not steps:
            return set()
        if offset < 0:
            i = bisect.bisect_left(steps, self.step) - 1
            return self.seek(steps[max(i, 0)])
        i = bisect.bisect_right(steps, self.step)
        return self.seek(steps[i] if i < len(steps) else self.last_step)

    def follow(self, growth: bool = False) -> set:
        """Follow the newest step again (the "Follow" button, End; ``growth``: the cursor following the run)."""
        changes = set() if self.following else {"following"}
        self.following = True
        self._last_follow = time.monotonic()
        if self.step != self.last_step:
            self.step = self.last_step
            changes.add("step")
        return self._tell(changes | self._locate(), growth)

    def select(self, **parts) -> set:
        """Change parts of the selection (``image``, ``layer``, ``stage``, ``channel``, ``pixel``); a new layer
        clears the channel and the pixel unless they are given too. Tells only the names that changed."""
        if "layer" in parts:
            parts.setdefault("channel", None)
            parts.setdefault("pixel", None)
        new = replace(self.selection, **parts)
        if new.stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {new.stage!r}")
        changes = {name for name in parts if getattr(new, name) != getattr(self.selection, name)}
        self.selection = new
        return self._tell(changes)

    def count_from(self, origin: int) -> set:
        """Write every index from ``origin`` (1: as the notes count, 0: as the code; :mod:`cnnviz.gui.indices`)."""
        changed, self.indices = origin != self.indices.origin, Indices(origin)
        return self._tell({"indices"} if changed else set())

    def set_user_image(self, image: np.ndarray, label: int | None = None) -> set:
        """The user's own image (drawn or opened): (H, W) uint8, or float in [0, 1] (stored as ``round(255 x)``
        uint8, :func:`cnnviz.data.to_uint8`, so that it reaches the network like every test image). It becomes image
        USER_IMAGE and the selected image of every view; ``label`` is its class if known. Tells ``{"image"}``."""
        image = np.asarray(image)
        if image.ndim != 2:
            raise ValueError(f"a user image must be (H, W), not of shape {image.shape}")
        self.user_image = image.copy() if image.dtype == np.uint8 else to_uint8(image)
        self.user_label = None if label is None else int(label)
        self._forget_user_traces()  # they were of the old image
        self.selection = replace(self.selection, image=USER_IMAGE)
        return self._tell({"image"})

    def clear_user_image(self) -> set:
        """Forget the user's image (tells ``{"image"}`` if there was one); if it was selected, the first probe
        image is selected instead."""
        if self.user_image is None:
            return set()
        self.user_image, self.user_label = None, None
        self._forget_user_traces()
        if self.selection.image == USER_IMAGE:
            first = int(self.start.probe_indices[0]) if self.start is not None and len(self.start.probe_indices) else 0
            self.selection = replace(self.selection, image=first)
        return self._tell({"image"})

    def _forget_user_traces(self) -> None:
        self.user_version += 1
        for key in [k for k in self._traces if k[-1] == USER_IMAGE]:
            del self._traces[key]

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

    # -- feeding ------------------------------------------------------------------------------------------------

    def begin(self, start: RunStart, test_images: np.ndarray | None, test_labels: np.ndarray | None,
              source: str = "") -> set:
        """A new run: forget the old one. Without ``test_images`` only the probe images can be chosen."""
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
        return self._tell({"run"})

    def clear(self) -> set:
        """Forget the run (its source is gone: a closed session): no run is shown until the next :meth:`begin`."""
        self._reset()
        return self._tell({"run"})

    def add_steps(self, rows: np.ndarray) -> set:
        """Per-step rows (n, len(METRICS)) in METRICS order (replay); :meth:`feed` for StepRecords."""
        if not len(rows):
            return set()
        self._metrics.extend(rows)
        return self._grew()

    def add_snapshots(self, steps, load: Callable[[int], SnapshotRecord]) -> set:
        """Snapshots read on demand: ``load(i)`` gives snapshot ``i`` (replay)."""
        if not len(steps):
            return set()
        self.snapshots.extend_lazy(steps, load)
        return self._grew()

    def add_evals(self, table: np.ndarray, load: Callable[[int], EvalRecord]) -> set:
        """Evaluations read on demand: ``table`` (n, 5) of step, epoch, loss, accuracy, test images (replay)."""
        if not len(table):
            return set()
        self.evals.extend_lazy(np.asarray(table)[:, 0].astype(int), load)
        self.eval_table = np.concatenate([self.eval_table, np.asarray(table, dtype=float)])
        return self._grew()

    def add_events(self, events: list[EventRecord]) -> set:
        if not events:
            return set()
        self.events.extend(events)
        return self._grew()

    def finish(self, end: RunEnd) -> set:
        self.end = end
        return self._grew({"end"})

    def set_live(self, snapshot: SnapshotRecord) -> set:
        """The newest parameters of a live run (shown while following; not kept)."""
        self.live = snapshot
        self._live_version += 1
        return self._grew()

    def feed(self, records: list) -> set:
        """Records of a live run, in order (coalesced: one change for all of them)."""
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
                if len(self._probe_probs) == len(self.snapshots) - 1:  # kept now: the record may leave memory
                    self._probe_probs.extend(np.asarray(r.probe_probs)[None])
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
            self._metrics.extend(steps)
        return self._grew(changes) if records else set()

    def _grew(self, changes: set | None = None) -> set:
        """The run has more: the cursor moves to its end if following, at most every :attr:`follow_interval`
        (:attr:`follow_wait` says how long until it may, or None); what changed, told as growth."""
        changes = {"data"} | (changes or set())
        self.follow_wait = None
        if self.following:
            wait = self._last_follow + self.follow_interval - time.monotonic()
            if wait <= 0 or "end" in changes:
                self._last_follow = time.monotonic()
                if self.step != self.last_step:
                    self.step = self.last_step
                    changes.add("step")
            else:
                self.follow_wait = wait
        return self._tell(changes | self._locate(), growth=True)

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

    levels_done = property(lambda self: self._levels_done, doc="How many snapshots (the first ones) the levels hold.")

    @property
    def levels_complete(self) -> bool:
        return self._levels_done >= len(self.snapshots)

    def complete_levels(self) -> set:
        """Every snapshot's levels now (rendering a figure needs them final); tells ``{"levels"}`` if they widened."""
        changed = False
        while self._levels_done < len(self.snapshots):
            changed |= self._add_levels(self._levels_done)
            self._levels_done += 1
        return self._tell({"levels"} if changed else set())

    def _add_levels(self, i: int) -> bool:
        """Widen the levels with snapshot ``i`` now, on this thread."""
        params = self._levels_params(i)
        return params is not None and self._widen(peaks_of(self._levels_network, params, self._probe_input))

    def _levels_params(self, i: int) -> dict | None:
        """Snapshot ``i``'s parameters for the levels; None for a diverging run's (its huge values: all else white)."""
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

    # -- the layers' norms over the run ---------------------------------------------------------------------------

    norms_done = property(lambda self: len(self.norm_steps), doc="How many snapshots (the first ones) the norms hold.")

    @property
    def norms_due(self) -> bool:
        """Whether norms are asked for and some snapshot still lacks them (and the run has probe images)."""
        return (self.norms_wanted and self.start is not None and len(self.start.probe_labels) > 0
                and self.norms_done < len(self.snapshots))

    def want_norms(self, wanted: bool = True) -> None:
        """Whether the norms are computed (a view that shows them asks; hidden, it stops asking)."""
        self.norms_wanted = wanted

    def _norms_job(self) -> tuple:
        """The arguments of :func:`norms_at` for the next snapshot without norms."""
        if self._norms_network is None:
            self._norms_network = self.network.copy()
            self.norm_names = layer_names(self._norms_network)
        return (self._norms_network, self.snapshots[self.norms_done].params, self._probe_input,
                self.start.probe_labels)

    def _add_norms(self, norms: tuple[np.ndarray, np.ndarray]) -> None:
        """The next snapshot's norms, :func:`norms_at`'s."""
        grads, weights = norms
        self.norm_steps.append(self.snapshots.steps[self.norms_done])
        self.grad_norms.extend(grads[None])
        self.weight_norms.extend(weights[None])

    def complete_norms(self) -> set:
        """Every snapshot's norms now (a figure, a test); tells ``{"norms"}`` if there were any to compute."""
        wanted, self.norms_wanted, done = self.norms_wanted, True, self.norms_done
        while self.norms_due:
            self._add_norms(norms_at(*self._norms_job()))
        self.norms_wanted = wanted
        return self._tell({"norms"} if self.norms_done > done else set())
