"""The trainer: epochs of shuffled minibatches, evaluation, snapshots, and control from another thread.

:meth:`Trainer.run` is a generator of plain records (napari's worker pattern): the command line iterates it in
the main thread, the window in a worker thread that turns each record into a signal, and the session writer
stores each record. Between two minibatches the generator honours the :class:`Control` requests made from
any thread (pause, resume, single step, stop, learning rate, momentum), so each takes effect within one
minibatch. No Qt here.

The records and their order are :mod:`cnnviz.records`'. Every evaluation is preceded by a snapshot of the same
step (taken then if the schedule did not take one), so that any image's probabilities can be recomputed with
the parameters that were evaluated; the final snapshot and the final evaluation share the last step.

A run can continue another from one of its snapshots (a fork): :func:`resume_from` (a session file and a snapshot
step) or ``Trainer(config, data, start=ForkPoint(...))``. Every snapshot carries a :class:`~cnnviz.records.TrainState`
(the momentum's velocity, the states of the shuffling and dropout generators, the place in the epoch, the
learning-rate settings in force), so that a fork that changes nothing takes the very steps its parent took.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnviz.core import ConfigError, ConvSpec, MomentumSGD, Network, NetworkConfig
from cnnviz.data import MNIST, DataError, load_data, to_input
from cnnviz.parallel import GradientWorkers, release_free_memory
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    ParentRun,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
    TrainState,
)

SCHEDULES = ("constant", "cosine")

# The two named sets of hyperparameters. `lecture` is the original program's; `fast` reaches 99% in 4 epochs
# (README, "Presets"): momentum 0.9 makes steps ~10x larger at the same learning rate, and the cosine decay
# to zero ends the run in a well-settled minimum instead of bouncing around one.
PRESETS: dict[str, dict] = {
    "lecture": {"lr": 0.01, "momentum": 0.2, "dropout": 0.2, "batch_size": 100, "epochs": 4,
                "lr_schedule": "constant"},
    "fast": {"lr": 0.05, "momentum": 0.9, "dropout": 0.2, "batch_size": 100, "epochs": 4, "lr_schedule": "cosine"},
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a run (saved as JSON in the session file)."""

    network: NetworkConfig = field(default_factory=NetworkConfig)
    epochs: int = 4
    batch_size: int = 100
    lr: float = 0.01
    momentum: float = 0.2
    lr_schedule: str = "constant"
    seed: int = 0
    dtype: str = "float32"
    eval_every: int = 0  # steps; 0 = only at the end of every epoch
    snapshot_every: int = 100  # steps; 0 = only at the start and the end
    n_probes: int = 16
    threads: int = 2  # worker threads that share each minibatch (see GradientWorkers)
    preset: str = "lecture"

    def __post_init__(self):
        if isinstance(self.network, Mapping):
            object.__setattr__(self, "network", NetworkConfig.from_dict(self.network))
        self.check()

    def check(self) -> None:
        """Refuse impossible values with one sentence naming the setting."""
        for name in ("epochs", "batch_size", "n_probes", "threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', ' ')} must be at least 1, not {getattr(self, name)}")
        for name in ("eval_every", "snapshot_every"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', ' ')} must be 0 or more, not {getattr(self, name)}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ConfigError(f"learning rate must be positive, not {self.lr}")
        if not 0 <= self.momentum < 1:
            raise ConfigError(f"momentum must be in [0, 1), not {self.momentum}")
        if self.lr_schedule not in SCHEDULES:
            raise ConfigError(f"learning-rate schedule must be one of {', '.join(SCHEDULES)}, not {self.lr_schedule!r}")
        if self.dtype not in ("float32", "float64"):
            raise ConfigError(f"dtype must be float32 or float64, not {self.dtype!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ConfigError(f"the seed must be a whole number, 0 or more, not {self.seed!r}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> TrainConfig:
        return cls(**d)


def make_config(preset: str = "lecture", *, conv: tuple[int, ...] | None = None, fc: tuple[int, ...] | None = None,
                filter_size: int = 3, padding: str = "same", pooling: str = "max", dropout: float | None = None,
                input_shape: tuple[int, int, int] = (1, 28, 28), **overrides) -> TrainConfig:
    """A configuration from a preset, with any setting overridden (None keeps the preset's)."""
    if preset not in PRESETS:
        raise ConfigError(f"preset must be one of {', '.join(PRESETS)}, not {preset!r}")
    values = {k: v for k, v in PRESETS[preset].items() if k != "dropout"}
    values.update({k: v for k, v in overrides.items() if v is not None})
    network = NetworkConfig(
        input_shape=input_shape,
        conv=tuple(ConvSpec(k, filter_size, padding, pooling) for k in (conv or (32, 64))),
        fc=tuple(fc or (100, 200, 10)),
        dropout=PRESETS[preset]["dropout"] if dropout is None else dropout,
        seed=values.get("seed", 0),
    )
    return TrainConfig(network=network, preset=preset, **values)


def lr_at(schedule: str, base_lr: float, step: int, total_steps: int) -> float:
    """The learning rate for update number ``step`` (0-based): constant, or cosine from ``base_lr`` to 0."""
    if schedule == "cosine":
        return base_lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))
    return base_lr


def choose_probes(labels: np.ndarray, n: int, seed: int, n_classes: int = 10) -> np.ndarray:
    """``n`` test indices chosen by seed, one class after another in turn (so two of each class where ``n``
    allows), returned sorted by class then index."""
    rng = np.random.default_rng(seed)
    pools = [list(rng.permutation(np.flatnonzero(labels == c))) for c in range(n_classes)]
    chosen: list[int] = []
    while len(chosen) < n and any(pools):
        for pool in pools:
            if pool and len(chosen) < n:
                chosen.append(int(pool.pop(0)))
    return np.array(sorted(chosen, key=lambda i: (labels[i], i)), dtype=np.int64)


class Control:
    """Requests to a running trainer from any thread; the trainer reads them between minibatches."""

    def __init__(self):
        self._cond = threading.Condition()
        self.paused = False
        self.stopped = False
        self._steps_allowed = 0
        self._changes: dict[str, float] = {}

    def pause(self) -> None:
        with self._cond:
            self.paused = True

    def resume(self) -> None:
        with self._cond:
            self.paused = False
            self._cond.notify_all()

    def step_once(self) -> None:
        """Take one minibatch while paused (pauses first if running)."""
        with self._cond:
            self.paused = True
            self._steps_allowed += 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self.stopped = True
            self._cond.notify_all()

    def set_lr(self, lr: float) -> None:
        if not (lr > 0 and math.isfinite(lr)):
            raise ConfigError(f"learning rate must be positive, not {lr}")
        with self._cond:
            self._changes["lr"] = float(lr)

    def set_momentum(self, momentum: float) -> None:
        if not 0 <= momentum < 1:
            raise ConfigError(f"momentum must be in [0, 1), not {momentum}")
        with self._cond:
            self._changes["momentum"] = float(momentum)

    def roll_back(self, params: Mapping[str, np.ndarray], step: int) -> None:
        """Restore the parameters of step ``step`` (a snapshot's copies) before the next minibatch, with the
        momentum's velocity reset: after a loss that became NaN, back to where the run was still sane. The steps
        go on counting (it is the same run); the trainer records an event "rollback" whose value is ``step``."""
        with self._cond:
            self._changes["rollback"] = ({name: np.array(p, copy=True) for name, p in params.items()}, int(step))

    def take_changes(self) -> dict:
        with self._cond:
            changes, self._changes = self._changes, {}
            return changes

    def must_wait(self) -> bool:
        """Whether :meth:`wait_for_go` would block now (paused, no single step allowed, not stopped)."""
        with self._cond:
            return self.paused and not self._steps_allowed and not self.stopped

    def wait_for_go(self) -> None:
        """Block while paused, until resumed, allowed a single step (which this uses up), or stopped."""
        with self._cond:
            while self.paused and not self._steps_allowed and not self.stopped:
                self._cond.wait()
            if self.paused and self._steps_allowed and not self.stopped:
                self._steps_allowed -= 1


ON_DIVERGENCE = ("pause", "fail")

# The settings a fork cannot change: those of the network's shape and arithmetic (the parameters must fit), and
# the seed (a fork continues its parent's random generators).
FIXED_IN_FORK = ("conv", "fc", "input_shape", "dtype", "seed")


@dataclass
class ForkPoint:
    """Where a run continues another: a snapshot of the parent (``params`` at ``step``, ``epoch`` the snapshot's
    epoch) and its :class:`TrainState` (None for a format-version-1 parent, which recorded none: the velocity then
    starts at zero, the shuffling generator is regenerated from the seed and the dropout generators start anew).
    ``events`` are the parent's events up to ``step`` (a version-1 parent's learning rate and momentum set by hand
    are found in them); ``time`` the parent's training seconds at ``step``; ``notes`` sentences to record as the
    child's "fork" event (and to show). ``changed`` names the learning-rate settings the fork sets itself ("lr",
    "lr_schedule", "momentum": the config's then replace those in force at the snapshot)."""

    params: dict[str, np.ndarray]
    step: int
    epoch: int
    state: TrainState | None
    parent: ParentRun
    time: float = 0.0
    events: list[EventRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: frozenset[str] = frozenset()


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def fork_config(parent: TrainConfig, **changes) -> TrainConfig:
    """The parent's configuration with ``changes`` (TrainConfig's fields, and ``dropout`` of the network;
    None keeps the parent's). A change to the architecture, the dtype or the seed is refused (ConfigError, one
    sentence): the parent's parameters and random generators are what the fork continues."""
    changes = {k: v for k, v in changes.items() if v is not None}
    net = parent.network
    # name: (the parent's value, how a given value compares with it, as shown in a message)
    per_layer = {"filter_size": "size", "padding": "padding", "pooling": "pooling"}
    fixed = {
        "conv": (tuple(c.filters for c in net.conv), lambda v: tuple(getattr(c, "filters", c) for c in v)),
        "fc": (net.fc, lambda v: tuple(int(n) for n in v)),
        "input_shape": (net.input_shape, lambda v: tuple(int(n) for n in v)),
        "dtype": (parent.dtype, str),
        "seed": (parent.seed, int),
    }
    for name, attr in per_layer.items():  # one value for every conv layer
        fixed[name] = (tuple(dict.fromkeys(getattr(c, attr) for c in net.conv)), lambda v: (v,))
    for name in FIXED_IN_FORK + tuple(per_layer):
        if name not in changes:
            continue
        have, normal = fixed[name]
        want = normal(changes.pop(name))
        if want != have and not (name in per_layer and not net.conv):
            raise ConfigError(f"a fork keeps its parent's {name.replace('_', ' ')} ({_shown(have)}); it cannot "
                              f"become {_shown(want)}")
    if "preset" in changes and changes.pop("preset") != parent.preset:
        raise ConfigError(f"a fork keeps its parent's preset ({parent.preset}): give the settings to change instead "
                          "(learning rate, momentum, schedule, epochs, dropout, batch size)")
    network = net
    if "dropout" in changes:
        network = dataclasses.replace(net, dropout=changes.pop("dropout"))
    unknown = set(changes) - {f.name for f in dataclasses.fields(TrainConfig)}
    if unknown:
        raise ConfigError(f"a fork cannot change {', '.join(sorted(unknown))}")
    return dataclasses.replace(parent, network=network, **changes)


class Trainer:
    """Trains ``Network(config.network)`` on ``data``; iterate :meth:`run` for the records.

    ``data`` needs at least one training and one test image, of the network's input size (else DataError or
    ConfigError, one sentence). A batch size larger than the training set makes every step use the whole set:
    :attr:`batch_size` is the size the steps really have. ``on_divergence`` says what a loss that becomes NaN or
    infinite does: "pause" (the window: the update is not applied, the run pauses for a lower learning rate) or
    "fail" (the command line, where nobody can resume: the update is not applied and the run ends "failed").

    ``start`` continues a run from one of its snapshots (a fork, see :func:`resume_from`): the parameters, the
    velocity, the generators, the step, the place in the epoch and the learning-rate settings are the snapshot's,
    and the run's first records are its RunStart (naming the parent), the snapshot of that step and a "fork"
    event. ``config.epochs`` counts the parent's epochs too.
    """

    def __init__(self, config: TrainConfig, data: MNIST, network: Network | None = None,
                 on_divergence: str = "pause", start: ForkPoint | None = None):
        if on_divergence not in ON_DIVERGENCE:
            raise ValueError(f"on_divergence must be one of {', '.join(ON_DIVERGENCE)}, not {on_divergence!r}")
        self.config = config
        self.data = data
        self.on_divergence = on_divergence
        self.control = Control()
        for split, images in (("training", data.train_images), ("test", data.test_images)):
            if len(images) == 0:
                raise DataError(f"{data.source} has no {split} images: there is nothing to "
                                f"{'train on' if split == 'training' else 'evaluate the network on'}.")
        shape = config.network.input_shape
        for split, images in (("training", data.train_images), ("test", data.test_images)):
            if images.shape[1:] != shape[1:] or shape[0] != 1:
                size = "x".join(map(str, images.shape[1:]))
                raise ConfigError(f"the network takes {shape[0]} channel{'s' * (shape[0] != 1)} of "
                                  f"{shape[1]}x{shape[2]} pixels but {data.source} has {split} images of {size}")
        dtype = np.dtype(config.dtype)
        self.network = network or Network(config.network, seed=config.seed, dtype=dtype)
        self.x_train = to_input(data.train_images, dtype)
        self.y_train = data.train_labels.astype(np.intp)
        self.x_test = to_input(data.test_images, dtype)
        self.y_test = data.test_labels.astype(np.intp)
        self.probe_indices = choose_probes(self.y_test, config.n_probes, config.seed, config.network.n_classes)
        self.optimizer = MomentumSGD(self.network.params, config.lr, config.momentum)
        self.batch_size = min(config.batch_size, len(self.x_train))  # the whole set when the batch is larger
        self.steps_per_epoch = math.ceil(len(self.x_train) / self.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        self.step = 0
        # Where the run is: the epoch in progress, the images of its permutation used, the shuffling generator's
        # state at its start (JSON); the learning-rate settings in force. Recorded in every snapshot.
        self._epoch, self._position, self._shuffle_state = 1, 0, ""
        self._base_lr, self._schedule = config.lr, config.lr_schedule
        self._workers: GradientWorkers | None = None
        self._time_offset = 0.0  # a fork's clock goes on from its parent's
        self.start = start
        if start is not None:
            self._begin_at(start)
        self._snapshot_step = -1  # the step of the last snapshot taken
        self.train_seconds = 0.0  # computing minibatches only: what images/s is measured on
        self.images_trained = 0
        self._predict = self.network.predict_proba  # shared out between the worker threads during run()

    def _begin_at(self, start: ForkPoint) -> None:
        """Take the fork point's parameters, velocity, step, place in the epoch and learning-rate settings."""
        cfg, n = self.config, len(self.x_train)
        self.network.set_params(start.params)
        self.step = int(start.step)
        self._time_offset = float(start.time)
        state = start.state
        if state is None:  # a version-1 parent: no velocity, no generator states; the place in the epoch by count
            epoch = max(1, int(start.epoch))
            position = min(n, max(0, self.step - (epoch - 1) * self.steps_per_epoch) * self.batch_size)
            base_lr, schedule, momentum = cfg.lr, cfg.lr_schedule, cfg.momentum
            for event in start.events:  # the settings changed by hand before the fork point
                if event.kind == "lr" and event.step <= self.step:
                    base_lr, schedule = event.value, "constant"
                elif event.kind == "momentum" and event.step <= self.step:
                    momentum = event.value
            state = TrainState({}, "", (), epoch, position, base_lr, schedule, momentum)
        else:
            for name, velocity in self.optimizer.velocity.items():
                velocity[...] = state.velocity[name]
        if {"lr", "lr_schedule", "momentum"} & start.changed:
            # A setting the fork gives replaces the one in force (a new learning rate follows the config's schedule).
            base_lr = cfg.lr if "lr" in start.changed else state.base_lr
            schedule = cfg.lr_schedule if {"lr", "lr_schedule"} & start.changed else state.lr_schedule
            momentum = cfg.momentum if "momentum" in start.changed else state.momentum
            state = dataclasses.replace(state, base_lr=base_lr, lr_schedule=schedule, momentum=momentum)
        if state.epoch > cfg.epochs:
            raise ConfigError(f"the fork point (step {self.step}) is in epoch {state.epoch}: the epochs, which count "
                              f"the parent's, must be at least {state.epoch}, not {cfg.epochs}")
        self._epoch, self._position, self._shuffle_state = int(state.epoch), min(int(state.position), n), state.shuffle
        self._base_lr, self._schedule = state.base_lr, state.lr_schedule
        self.optimizer.momentum = state.momentum
        self._fork_state = state
        # The steps still to come: the rest of this epoch, then whole epochs.
        self.total_steps = self.step + math.ceil((n - self._position) / self.batch_size) + \
            (cfg.epochs - self._epoch) * self.steps_per_epoch

    # -- pieces ---------------------------------------------------------------------------------------------

    def evaluate(self) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray]:
        """Test loss, accuracy, confusion matrix, predicted classes and their probabilities."""
        with np.errstate(all="ignore"):  # the parameters of a diverged run give NaN: reported, not warned about
            probs = self._predict(self.x_test)
            predicted = probs.argmax(axis=1)
            picked = probs[np.arange(len(probs)), self.y_test]
            loss = float(-np.log(np.maximum(picked, np.finfo(probs.dtype).tiny)).mean())
        k = self.config.network.n_classes
        confusion = np.bincount(self.y_test * k + predicted, minlength=k * k).reshape(k, k)
        return loss, float((predicted == self.y_test).mean()), confusion, predicted, probs.max(axis=1)

    def _eval_record(self, epoch: int) -> EvalRecord:
        loss, acc, confusion, predicted, confidence = self.evaluate()
        return EvalRecord(self.step, epoch, loss, acc, confusion,
                          predicted.astype(np.min_scalar_type(self.config.network.n_classes - 1)),
                          confidence.astype(np.float32))

    def _snapshot(self, epoch: int) -> SnapshotRecord:
        with np.errstate(all="ignore"):
            probs = self.network.predict_proba(self.x_test[self.probe_indices])
        self._snapshot_step = self.step
        release_free_memory()  # what the last steps freed; see there
        state = TrainState(
            {name: v.copy() for name, v in self.optimizer.velocity.items()}, self._shuffle_state,
            tuple(json.dumps(rng.bit_generator.state) for rng in self._workers.rngs) if self._workers else (),
            self._epoch, self._position, float(self._base_lr), self._schedule, float(self.optimizer.momentum))
        return SnapshotRecord(self.step, epoch, self.network.copy_params(), probs, state)

    def _evaluation(self, epoch: int) -> Iterator[Record]:
        """The snapshot of this step (unless the schedule took it), then the evaluation."""
        if self._snapshot_step != self.step:
            yield self._snapshot(epoch)
        yield self._eval_record(epoch)

    # -- the loop -------------------------------------------------------------------------------------------

    def run(self) -> Iterator[Record]:
        cfg, start = self.config, self.start
        yield RunStart(cfg, self.data.source, len(self.x_train), len(self.x_test), self.steps_per_epoch,
                       self.total_steps, self.probe_indices, self.data.test_images[self.probe_indices].copy(),
                       self.y_test[self.probe_indices].copy(),
                       {name: p.shape for name, p in self.network.params.items()},
                       parent=start.parent if start is not None else None)
        rng = np.random.default_rng(cfg.seed)  # shuffling; dropout has one generator per worker thread
        workers = self._workers = GradientWorkers(self.network, cfg.threads, cfg.seed)
        try:
            if start is not None:
                self._restore_generators(rng, workers)
            elif not self._shuffle_state:
                self._shuffle_state = json.dumps(rng.bit_generator.state)
            yield self._snapshot(start.epoch if start is not None else 0)
            if start is not None:
                yield EventRecord(self.step, "fork", float(self.step), " ".join(start.notes))
            self._predict = workers.predict_proba
            yield from self._epochs(workers, rng)
        finally:
            workers.close()
            self._workers = None
            self._predict = self.network.predict_proba

    def _restore_generators(self, rng: np.random.Generator, workers: GradientWorkers) -> None:
        """The shuffling generator at the start of the fork point's epoch, the dropout generators as they were
        after its step. A version-1 parent recorded neither: the shuffling is regenerated (one permutation per
        epoch before this one, from the seed), the dropout generators start anew."""
        n = len(self.x_train)
        if self._shuffle_state:
            rng.bit_generator.state = json.loads(self._shuffle_state)
        else:
            for _ in range(self._epoch - 1):
                rng.permutation(n)
            self._shuffle_state = json.dumps(rng.bit_generator.state)
        for generator, saved in zip(workers.rngs, self._fork_state.dropout):
            generator.bit_generator.state = json.loads(saved)

    def _epochs(self, workers, rng) -> Iterator[Record]:
        cfg = self.config
        started, paused_for = time.perf_counter(), 0.0
        recent: list[tuple[float, int]] = []  # (seconds, images) of the last steps, for images/s
        status, epoch, last_eval, pause_reported, failure = "complete", self._epoch, -1, False, ""
        base_lr, schedule = self._base_lr, self._schedule
        first_epoch, offset = self._epoch, self._position  # 1 and 0, or where a fork continues
        for epoch in range(first_epoch, cfg.epochs + 1):
            self._epoch, self._shuffle_state = epoch, json.dumps(rng.bit_generator.state)
            self._position = offset if epoch == first_epoch else 0
            order = rng.permutation(len(self.x_train))
            for start in range(self._position, len(order), self.batch_size):
                if self.control.must_wait() and not pause_reported:
                    yield EventRecord(self.step, "paused")
                    pause_reported = True
                waited = time.perf_counter()
                self.control.wait_for_go()
                paused_for += time.perf_counter() - waited
                if self.control.stopped:
                    status = "stopped"
                    break
                if pause_reported and not self.control.paused:
                    yield EventRecord(self.step, "resumed")
                    pause_reported = False
                for kind, value in self.control.take_changes().items():
                    if kind == "rollback":
                        params, back_to = value
                        self.network.set_params(params)
                        for velocity in self.optimizer.velocity.values():
                            velocity[...] = 0
                        yield EventRecord(self.step, kind, float(back_to), f"the parameters of step {back_to} "
                                          "restored, the momentum's velocity reset")
                        continue
                    if kind == "lr":
                        # A learning rate set by hand holds from now on: the schedule stops here.
                        base_lr, schedule = value, "constant"
                        self._base_lr, self._schedule = base_lr, schedule
                    else:
                        self.optimizer.momentum = value
                    yield EventRecord(self.step, kind, value)
                self.optimizer.lr = lr_at(schedule, base_lr, self.step, self.total_steps)

                t0 = time.perf_counter()
                batch = order[start:start + self.batch_size]
                with np.errstate(all="ignore"):  # combining the halves' gradients may overflow too
                    loss, correct, grads = workers.loss_and_gradients(self.x_train[batch], self.y_train[batch])
                self._position = start + len(batch)
                if not (math.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())):
                    # Keep the parameters as they were; wait for the user (a lower learning rate), or fail.
                    problem = (f"the loss became {loss} at step {self.step + 1} (learning rate "
                               f"{self.optimizer.lr:g}); the update was not applied")
                    if self.on_divergence == "fail":
                        failure = f"{problem}, and the run stopped: try a lower learning rate."
                        yield EventRecord(self.step, "error", message=failure)
                        status = "failed"
                        break
                    self.control.pause()
                    yield EventRecord(self.step, "error", message=(
                        f"{problem}. Roll back to an earlier snapshot with a lower learning rate, or stop."))
                    continue
                with np.errstate(all="ignore"):  # a step too large overflows to inf: the next loss tells
                    self.optimizer.step(grads)
                self.step += 1
                now = time.perf_counter()
                self.train_seconds += now - t0
                self.images_trained += len(batch)
                recent = recent[-19:] + [(now - t0, len(batch))]
                ips = sum(n for _, n in recent) / sum(t for t, _ in recent)
                yield StepRecord(self.step, epoch, loss, correct / len(batch), self.optimizer.lr,
                                 self.optimizer.momentum, self._time_offset + now - started - paused_for, ips)
                if cfg.snapshot_every and self.step % cfg.snapshot_every == 0:
                    yield self._snapshot(epoch)
                if cfg.eval_every and self.step % cfg.eval_every == 0:
                    yield from self._evaluation(epoch)
                    last_eval = self.step
            if status != "complete":
                break
            if last_eval != self.step:
                yield from self._evaluation(epoch)
                last_eval = self.step
        # The final snapshot and the final evaluation share the last step.
        if self._snapshot_step != self.step:
            yield self._snapshot(epoch)
        if last_eval != self.step:
            yield self._eval_record(epoch)
        yield RunEnd(status, self.step, failure if status == "failed" else "")


def parent_data(source: str, path: str | None, n_train: int, n_test: int) -> MNIST:
    """The data a run was trained on, as its session records it (the directory, or the bundled sample; as many
    images as it used), for a fork that names no data of its own. DataError (one sentence) if it is gone."""
    data = load_data(path if path is not None else "sample", progress=False)
    if n_train < len(data.train_images) or n_test < len(data.test_images):
        data = data.limited(min(n_train, len(data.train_images)), min(n_test, len(data.test_images)))
    return data


def resume_from(session_path, at_step: int | None = None, data: MNIST | None = None, *,
                on_divergence: str = "pause", **changes) -> Trainer:
    """A trainer that continues the run of the session file ``session_path`` from its snapshot at step
    ``at_step`` (None: the last snapshot): a fork. ``changes`` are the settings to change (:func:`fork_config`:
    learning rate, momentum, schedule, epochs counting the parent's, dropout, batch size...; None keeps the
    parent's); ``data`` the parent's (:func:`parent_data`) when None. Iterate its :meth:`Trainer.run`, writing
    the records into a new session: that session names its parent.

    One sentence for every refusal: SessionError for a parent that cannot be read or a step that is not a
    snapshot step (naming the nearest), ConfigError for a change a fork cannot make, DataError for data gone.
    With nothing changed the fork takes exactly the parent's steps after ``at_step`` (the same losses, the same
    final parameters), given a parent of session format version 2; from a version-1 parent the momentum's
    velocity starts at zero (one of the notes of :attr:`Trainer.start` says so, for the caller to show)."""
    from cnnviz.session import SessionReader  # here: the session package imports this module

    with SessionReader(session_path) as reader:
        start = reader.fork_point(at_step)
        config = fork_config(reader.train_config, **changes)
        if data is None:
            data = parent_data(reader.data_source, reader.data_path, reader.n_train, reader.n_test)
    start.changed = frozenset(name for name, value in changes.items() if value is not None)
    threads = len(start.state.dropout) if start.state is not None else config.threads
    if threads != config.threads and config.network.dropout > 0:
        start.notes.append(f"With {config.threads} worker thread{'s' * (config.threads != 1)} instead of the "
                           f"parent's {threads}, the dropout masks differ from the parent's.")
    return Trainer(config, data, on_divergence=on_divergence, start=start)
