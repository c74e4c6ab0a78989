"""The trainer: epochs of shuffled minibatches, evaluation, snapshots, and control from another thread.

:meth:`Trainer.run` is a generator of plain records (napari's worker pattern): the command line iterates it in
the main thread, the window in a worker thread that turns each record into a signal, and the session writer
stores each record. Between two minibatches the generator honours the :class:`Control` requests made from
any thread (pause, resume, single step, stop, learning rate, momentum), so each takes effect within one
minibatch. No Qt here.

The records and their order are :mod:`cnnviz.records`'. Every evaluation is preceded by a snapshot of the same
step (taken then if the schedule did not take one), so that any image's probabilities can be recomputed with
the parameters that were evaluated; the final snapshot and the final evaluation share the last step.

A run can continue another from one of its snapshots (a fork): :func:`cnnviz.fork.resume_from` (a session file and
a snapshot step) or ``Trainer(config, data, start=ForkPoint(...))``. Every snapshot carries a
:class:`~cnnviz.records.TrainState` (the momentum's velocity, the states of the shuffling and dropout generators,
the place in the epoch, the learning-rate settings in force), so that a fork that changes nothing takes the very
steps its parent took.
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from array import array
from collections.abc import Iterator, Mapping

import numpy as np

from cnnviz.config import TrainConfig, check_setting, memory_problems
from cnnviz.core import MomentumSGD, Network
from cnnviz.data import MNIST, to_input
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, DataError, Text, joined
from cnnviz.parallel import GradientWorkers, release_free_memory
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    ForkPoint,
    ParentRun,
    Record,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
    TrainState,
)


def lr_at(schedule: str, base_lr: float, step: int, total_steps: int) -> float:
    """The learning rate for update number ``step`` (0-based): constant, or cosine from ``base_lr`` to 0."""
    if schedule == "cosine":
        return base_lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))
    return base_lr


def run_start(config: TrainConfig, data: MNIST, *, total_steps: int | None = None,
              parent: ParentRun | None = None, digests: bool = False) -> RunStart:
    """The first record of a run of ``config`` on ``data`` (what :meth:`Trainer.run` yields first, and what the
    window's preview shows without training): its sizes, steps (``total_steps``: a fork's own count; default the
    epochs' steps), probe images chosen by seed, and parameter shapes; ``digests``: what identifies the data
    (:meth:`cnnviz.data.MNIST.digests`, for the session to record; the preview does without)."""
    labels = data.test_labels.astype(np.intp)
    probes = choose_probes(labels, config.n_probes, config.seed, config.network.n_classes)
    n_train = len(data.train_images)
    per_epoch = math.ceil(n_train / max(1, min(config.batch_size, n_train)))
    return RunStart(config, data.source, n_train, len(data.test_images), per_epoch,
                    per_epoch * config.epochs if total_steps is None else total_steps, probes,
                    data.test_images[probes].copy(), labels[probes].copy(), config.network.param_shapes(),
                    parent=parent, data_digests=data.digests() if digests else None)


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
        """ConfigError (the configuration's rule) for a learning rate that is not positive."""
        check_setting("lr", lr)
        with self._cond:
            self._changes["lr"] = float(lr)

    def set_momentum(self, momentum: float) -> None:
        """ConfigError (the configuration's rule) for a momentum outside [0, 1)."""
        check_setting("momentum", momentum)
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
# A rollback that does not recover: for STALL_STEPS steps after it, every loss stays at chance (at least CHANCE
# times ln k, the loss of guessing among k classes) although the parameters rolled back to had given less.
STALL_STEPS = 50
CHANCE = 0.95
# Early evaluations (the window's: a live run shows predictions and a confusion matrix within seconds, not at the
# end of epoch 1): of the first ``early_eval`` test images at steps EARLY_FIRST, 2 EARLY_FIRST, 4 EARLY_FIRST, ...
# of the first epoch; each epoch still ends with an evaluation of the whole test set.
EARLY_FIRST = 25


def early_eval_step(step: int, steps_per_epoch: int) -> bool:
    """Whether step ``step`` has an early evaluation: EARLY_FIRST times a power of 2, within the first epoch."""
    q, r = divmod(step, EARLY_FIRST)
    return r == 0 and q > 0 and q & (q - 1) == 0 and step < steps_per_epoch


def early_note(n_images: int | None, n_test: int) -> str:
    """How an evaluation of part of the test set (an early one) is shown, by the window and the command line:
    "; an early evaluation, of the first 1,000 of the 10,000 test images"; "" for one of all of them."""
    if n_images is None or n_images >= n_test:
        return ""
    return Text("Training", QT_TRANSLATE_NOOP("Training", "; an early evaluation, of the first {n:,} of the {total:,} "
                                                          "test images"), n=n_images, total=n_test)


class Trainer:
    """Trains ``Network(config.network)`` on ``data``; iterate :meth:`run` for the records.

    ``data`` needs at least one training and one test image, of the network's input size (else DataError or
    ConfigError, one sentence). A batch size larger than the training set makes every step use the whole set:
    :attr:`batch_size` is the size the steps really have. ``on_divergence`` says what a loss that becomes NaN or
    infinite does: "pause" (the window: the update is not applied, the run pauses for a lower learning rate) or
    "fail" (the command line, where nobody can resume: the update is not applied and the run ends "failed").

    ``start`` continues a run from one of its snapshots (a fork, see :func:`cnnviz.fork.resume_from`): the
    parameters, the velocity, the generators, the step, the place in the epoch and the learning-rate settings are
    the snapshot's, and the run's first records are its RunStart (naming the parent), the snapshot of that step and
    a "fork" event. ``config.epochs`` counts the parent's epochs too.

    ``early_eval`` (the window's; 0, none, for the command line) is the number of test images, the first ones, of
    the early evaluations in the first epoch (see :func:`early_eval_step`); their records say so (``n_images``).
    They read the parameters only: the steps are the same with them or without.
    """

    def __init__(self, config: TrainConfig, data: MNIST, network: Network | None = None,
                 on_divergence: str = "pause", start: ForkPoint | None = None, early_eval: int = 0):
        if on_divergence not in ON_DIVERGENCE:
            raise ValueError(f"on_divergence must be one of {', '.join(ON_DIVERGENCE)}, not {on_divergence!r}")
        self.config = config
        self.data = data
        self.on_divergence = on_divergence
        self.early_eval = early_eval
        self.control = Control()
        for split, images in (("training", data.train_images), ("test", data.test_images)):
            if len(images) == 0:
                raise DataError.said(QT_TRANSLATE_NOOP("Data", "{source} has no training images: there is nothing to "
                                                       "train on.") if split == "training" else
                                     QT_TRANSLATE_NOOP("Data", "{source} has no test images: there is nothing to "
                                                       "evaluate the network on."), source=data.source)
        shape = config.network.input_shape
        for split, images in (("training", data.train_images), ("test", data.test_images)):
            if images.shape[1:] != shape[1:] or shape[0] != 1:
                template = {  # (one channel, training images)
                    (True, True): QT_TRANSLATE_NOOP("problems", "the network takes 1 channel of {size} pixels but "
                                                    "{source} has training images of {found}"),
                    (True, False): QT_TRANSLATE_NOOP("problems", "the network takes 1 channel of {size} pixels but "
                                                     "{source} has test images of {found}"),
                    (False, True): QT_TRANSLATE_NOOP("problems", "the network takes {n} channels of {size} pixels but "
                                                     "{source} has training images of {found}"),
                    (False, False): QT_TRANSLATE_NOOP("problems", "the network takes {n} channels of {size} pixels but "
                                                      "{source} has test images of {found}")}[shape[0] == 1,
                                                                                               split == "training"]
                raise ConfigError(Text("problems", template, n=shape[0], size=f"{shape[1]}x{shape[2]}",
                                       source=data.source, found="x".join(map(str, images.shape[1:]))))
        k = config.network.n_classes
        for split, images, labels in (("training", data.train_images, data.train_labels),
                                      ("test", data.test_images, data.test_labels)):
            labels = np.asarray(labels)
            if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
                raise DataError(f"{data.source} has {len(images)} {split} images but {labels.dtype} labels of shape "
                                f"{labels.shape}: one whole-number label per image is needed")
            if labels.min() < 0 or labels.max() >= k:
                bad = labels[(labels < 0) | (labels >= k)][0]
                raise DataError(f"{data.source} has a {split} label {bad}, but the network's {k} classes are "
                                f"0 to {k - 1}")
        dtype = np.dtype(config.dtype)
        for field, problem in memory_problems(config.network, min(config.batch_size, len(data.train_images)),
                                              config.threads, config.dtype,
                                              len(data.train_images) + len(data.test_images)):
            raise ConfigError(problem, field)  # before anything is allocated
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
        self._losses = array("d")  # the training loss of every step from self.step + 1 on, to judge a rollback by
        self._first_step = self.step + 1
        self._since_rollback: tuple[int, float, list[float]] | None = None  # (back to, loss there, losses since)
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

    def evaluate(self, n: int | None = None) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray]:
        """Test loss, accuracy, confusion matrix, predicted classes and their probabilities (of the first ``n``
        test images; None: all)."""
        x, y = self.x_test[:n], self.y_test[:n]
        with np.errstate(all="ignore"):  # the parameters of a diverged run give NaN: reported, not warned about
            probs = self._predict(x)
            predicted = probs.argmax(axis=1)
            picked = probs[np.arange(len(probs)), y]
            loss = float(-np.log(np.maximum(picked, np.finfo(probs.dtype).tiny)).mean())
        k = self.config.network.n_classes
        confusion = np.bincount(y * k + predicted, minlength=k * k).reshape(k, k)
        return loss, float((predicted == y).mean()), confusion, predicted, probs.max(axis=1)

    def _eval_record(self, epoch: int, n: int | None = None) -> EvalRecord:
        n = n if n is not None and n < len(self.y_test) else None
        loss, acc, confusion, predicted, confidence = self.evaluate(n)
        return EvalRecord(self.step, epoch, loss, acc, confusion,
                          predicted.astype(np.min_scalar_type(self.config.network.n_classes - 1)),
                          confidence.astype(np.float32), n)

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

    def _evaluation(self, epoch: int, n: int | None = None) -> Iterator[Record]:
        """The snapshot of this step (unless the schedule took it), then the evaluation (of the first ``n`` test
        images; None: all)."""
        if self._snapshot_step != self.step:
            yield self._snapshot(epoch)
        yield self._eval_record(epoch, n)

    # -- the loop -------------------------------------------------------------------------------------------

    def run(self) -> Iterator[Record]:
        cfg, start = self.config, self.start
        yield run_start(cfg, self.data, total_steps=self.total_steps, parent=start.parent if start else None,
                        digests=True)
        rng = np.random.default_rng(cfg.seed)  # shuffling; dropout has one generator per worker thread
        workers = self._workers = GradientWorkers(self.network, cfg.threads, cfg.seed)
        try:
            if start is not None:
                self._restore_generators(rng, workers)
            elif not self._shuffle_state:
                self._shuffle_state = json.dumps(rng.bit_generator.state)
            yield self._snapshot(start.epoch if start is not None else 0)
            if start is not None:
                # a Text: the window shows the notes in its language, the session file keeps the English
                yield EventRecord(self.step, "fork", float(self.step), joined(start.notes, " "))
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

    def _stalled(self, loss: float) -> EventRecord | None:
        """After a rollback: the "stalled" event once every loss of the STALL_STEPS steps since has stayed at
        chance, where the parameters rolled back to had given less (its value is the step rolled back to)."""
        if self._since_rollback is None:
            return None
        back_to, before, losses = self._since_rollback
        losses.append(loss)
        if len(losses) < STALL_STEPS:
            return None
        self._since_rollback = None
        chance = math.log(self.config.network.n_classes)
        if not (before < CHANCE * chance <= min(losses)):
            return None
        return EventRecord(self.step, "stalled", float(back_to), Text("Training", QT_TRANSLATE_NOOP(
            "Training", "after the rollback to step {step}, whose parameters had given a loss of {before}, the loss "
            "stayed at chance for {n} steps ({least} or more; ln {classes} = {chance}): the network stopped learning "
            "at learning rate {lr}"), step=back_to, before=f"{before:.3g}", n=STALL_STEPS, least=f"{min(losses):.3g}",
            classes=self.config.network.n_classes, chance=f"{chance:.3g}", lr=f"{self.optimizer.lr:g}"))

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
                        yield EventRecord(self.step, kind, float(back_to), Text("Training", QT_TRANSLATE_NOOP(
                            "Training", "the parameters of step {step} restored, the momentum's velocity reset"),
                            step=back_to))
                        known = 0 <= back_to + 1 - self._first_step < len(self._losses)
                        before = self._losses[back_to + 1 - self._first_step] if known else math.nan
                        self._since_rollback = (back_to, before, [])  # the loss its parameters gave
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
                    problem = Text("Training", QT_TRANSLATE_NOOP("Training", "the loss became {loss} at step {step} "
                                                                 "(learning rate {lr}); the update was not applied"),
                                   loss=loss, step=self.step + 1, lr=f"{self.optimizer.lr:g}")
                    if self.on_divergence == "fail":
                        failure = f"{problem}, and the run stopped: try a lower learning rate."
                        yield EventRecord(self.step, "error", message=failure)
                        status = "failed"
                        break
                    self.control.pause()
                    yield EventRecord(self.step, "error", message=Text("Training", QT_TRANSLATE_NOOP(
                        "Training", "{problem}. Roll back to an earlier snapshot with a lower learning rate, or stop."),
                        problem=problem))
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
                self._losses.append(loss)
                stalled = self._stalled(loss)
                if stalled:
                    self.control.pause()
                    yield stalled
                if cfg.snapshot_every and self.step % cfg.snapshot_every == 0:
                    yield self._snapshot(epoch)
                if cfg.eval_every and self.step % cfg.eval_every == 0:
                    yield from self._evaluation(epoch)
                    last_eval = self.step
                elif self.early_eval and early_eval_step(self.step, self.steps_per_epoch):
                    yield from self._evaluation(epoch, self.early_eval)
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
