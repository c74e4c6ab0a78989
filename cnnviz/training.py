"""The trainer: epochs of shuffled minibatches, evaluation, snapshots, and control from another thread.

:meth:`Trainer.run` is a generator of plain records (napari's worker pattern): the command line iterates it in
the main thread, the window in a worker thread that turns each record into a signal, and the session writer
stores each record. Between two minibatches the generator honours the :class:`Control` requests made from
any thread (pause, resume, single step, stop, learning rate, momentum), so each takes effect within one
minibatch. No Qt here.

The records and their order are :mod:`cnnviz.records`'. Every evaluation is preceded by a snapshot of the same
step (taken then if the schedule did not take one), so that any image's probabilities can be recomputed with
the parameters that were evaluated; the final snapshot and the final evaluation share the last step.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnviz.core import ConfigError, ConvSpec, MomentumSGD, Network, NetworkConfig
from cnnviz.data import MNIST, DataError, to_input
from cnnviz.parallel import GradientWorkers
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)

SCHEDULES = ("constant", "cosine")

# The two named sets of hyperparameters. `lecture` is the original program's; `fast` reaches 99% in 4 epochs
# (README, "Presets"): momentum 0.9 makes steps ~10x larger at the same learning rate, and the cosine decay
# to zero ends the run in a well-settled minimum instead of bouncing around one.
PRESETS: dict[str, dict] = {
    "lecture": dict(lr=0.01, momentum=0.2, dropout=0.2, batch_size=100, epochs=4, lr_schedule="constant"),
    "fast": dict(lr=0.05, momentum=0.9, dropout=0.2, batch_size=100, epochs=4, lr_schedule="cosine"),
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


class Trainer:
    """Trains ``Network(config.network)`` on ``data``; iterate :meth:`run` for the records.

    ``data`` needs at least one training and one test image, of the network's input size (else DataError or
    ConfigError, one sentence). A batch size larger than the training set makes every step use the whole set:
    :attr:`batch_size` is the size the steps really have. ``on_divergence`` says what a loss that becomes NaN or
    infinite does: "pause" (the window: the update is not applied, the run pauses for a lower learning rate) or
    "fail" (the command line, where nobody can resume: the update is not applied and the run ends "failed").
    """

    def __init__(self, config: TrainConfig, data: MNIST, network: Network | None = None,
                 on_divergence: str = "pause"):
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
        self._snapshot_step = -1  # the step of the last snapshot taken
        self.train_seconds = 0.0  # computing minibatches only: what images/s is measured on
        self.images_trained = 0
        self._predict = self.network.predict_proba  # shared out between the worker threads during run()

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
        return SnapshotRecord(self.step, epoch, self.network.copy_params(), probs)

    def _evaluation(self, epoch: int) -> Iterator[Record]:
        """The snapshot of this step (unless the schedule took it), then the evaluation."""
        if self._snapshot_step != self.step:
            yield self._snapshot(epoch)
        yield self._eval_record(epoch)

    # -- the loop -------------------------------------------------------------------------------------------

    def run(self) -> Iterator[Record]:
        cfg = self.config
        yield RunStart(cfg, self.data.source, len(self.x_train), len(self.x_test), self.steps_per_epoch,
                       self.total_steps, self.probe_indices, self.data.test_images[self.probe_indices].copy(),
                       self.y_test[self.probe_indices].copy(),
                       {name: p.shape for name, p in self.network.params.items()})
        yield self._snapshot(0)
        rng = np.random.default_rng(cfg.seed)  # shuffling; dropout has one generator per worker thread
        workers = GradientWorkers(self.network, cfg.threads, cfg.seed)
        self._predict = workers.predict_proba
        try:
            yield from self._epochs(workers, rng)
        finally:
            workers.close()
            self._predict = self.network.predict_proba

    def _epochs(self, workers, rng) -> Iterator[Record]:
        cfg = self.config
        base_lr, schedule = cfg.lr, cfg.lr_schedule
        started, paused_for = time.perf_counter(), 0.0
        recent: list[tuple[float, int]] = []  # (seconds, images) of the last steps, for images/s
        status, epoch, last_eval, pause_reported, failure = "complete", 1, -1, False, ""
        for epoch in range(1, cfg.epochs + 1):
            order = rng.permutation(len(self.x_train))
            for start in range(0, len(order), self.batch_size):
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
                    else:
                        self.optimizer.momentum = value
                    yield EventRecord(self.step, kind, value)
                self.optimizer.lr = lr_at(schedule, base_lr, self.step, self.total_steps)

                t0 = time.perf_counter()
                batch = order[start:start + self.batch_size]
                with np.errstate(all="ignore"):  # combining the halves' gradients may overflow too
                    loss, correct, grads = workers.loss_and_gradients(self.x_train[batch], self.y_train[batch])
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
                                 self.optimizer.momentum, now - started - paused_for, ips)
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
