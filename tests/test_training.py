"""The trainer: schedule of records, reproducibility, control from another thread, errors, learning."""

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cnnviz.config import make_config
from cnnviz.data import load_mnist_dir, load_sample
from cnnviz.errors import ConfigError
from cnnviz.records import (
    EvalRecord,
    EventRecord,
    RunEnd,
    RunStart,
    SnapshotRecord,
    StepRecord,
)
from cnnviz.training import CHANCE, STALL_STEPS, Trainer, choose_probes, lr_at

TINY = {"conv": (2,), "fc": (8, 10), "batch_size": 50}


@pytest.fixture(scope="module")
def sample():
    return load_sample().limited(300, 100)


def run_all(trainer):
    return list(trainer.run())


def of(records, kind):
    return [r for r in records if isinstance(r, kind)]


def test_records_follow_the_documented_schedule(sample):
    cfg = make_config("lecture", epochs=2, snapshot_every=4, eval_every=5, **TINY)
    records = run_all(Trainer(cfg, sample))
    assert isinstance(records[0], RunStart) and isinstance(records[-1], RunEnd)
    assert records[-1].status == "complete" and records[-1].step == 12
    steps = of(records, StepRecord)
    assert [s.step for s in steps] == list(range(1, 13))
    assert [s.epoch for s in steps] == [1] * 6 + [2] * 6
    # every 4 steps, and at every evaluation (every 5 steps and at the end of each epoch)
    assert [s.step for s in of(records, SnapshotRecord)] == [0, 4, 5, 6, 8, 10, 12]
    assert [e.step for e in of(records, EvalRecord)] == [5, 6, 10, 12]
    # each evaluation comes right after the snapshot of its step
    for n, r in enumerate(records):
        if isinstance(r, EvalRecord):
            assert isinstance(records[n - 1], SnapshotRecord) and records[n - 1].step == r.step
    start = records[0]
    assert start.total_steps == 12 and start.steps_per_epoch == 6
    assert start.probe_images.shape == (16, 28, 28)


def test_early_evaluations_use_the_first_test_images_and_change_no_step(sample):
    """With ``early_eval=n`` (the window's), epoch 1 has evaluations of the first n test images at steps 25, 50,
    100, ... (then each epoch's of the whole test set, as always); the training itself is the same, bit for bit."""
    cfg = make_config("lecture", epochs=2, snapshot_every=0, **{**TINY, "batch_size": 2})
    plain = run_all(Trainer(cfg, sample))
    early = run_all(Trainer(cfg, sample, early_eval=40))
    evals = of(early, EvalRecord)
    assert [e.step for e in evals] == [25, 50, 100, 150, 300] and [e.step for e in of(plain, EvalRecord)] == [150, 300]
    assert [e.n_images for e in evals] == [40, 40, 40, None, None]
    x = sample.test_images[:40].reshape(40, 1, 28, 28) / np.float32(255)
    for e in evals[:3]:
        snapshot = next(r for r in early if isinstance(r, SnapshotRecord) and r.step == e.step)
        net = Trainer(cfg, sample).network
        net.set_params(snapshot.params)
        probs = net.forward(x).probs
        np.testing.assert_array_equal(e.predicted, probs.argmax(axis=1))
        np.testing.assert_allclose(e.confidence, probs.max(axis=1), rtol=1e-6)
        assert e.test_accuracy == np.mean(e.predicted == sample.test_labels[:40]) and e.confusion.sum() == 40
    for e in evals[3:]:
        assert len(e.predicted) == 100 and e.confusion.sum() == 100
    assert [(s.step, s.loss) for s in of(early, StepRecord)] == [(s.step, s.loss) for s in of(plain, StepRecord)]
    for name, p in of(plain, SnapshotRecord)[-1].params.items():
        np.testing.assert_array_equal(of(early, SnapshotRecord)[-1].params[name], p)


def test_every_snapshot_carries_the_state_a_fork_needs(sample):
    """The velocity as the optimizer had it, the place in the epoch, the generators' states (JSON)."""
    cfg = make_config("lecture", epochs=2, snapshot_every=4, threads=2, **TINY)
    trainer = Trainer(cfg, sample)
    run = trainer.run()
    seen = []
    for record in run:
        if isinstance(record, SnapshotRecord):
            state = record.state
            assert state.velocity.keys() == record.params.keys()
            assert all(np.array_equal(state.velocity[k], v) and state.velocity[k] is not v
                       for k, v in trainer.optimizer.velocity.items())  # a copy of the optimizer's
            assert len(state.dropout) == 2 and all(isinstance(json.loads(d), dict) for d in state.dropout)
            assert json.loads(state.shuffle)["bit_generator"] == "PCG64"
            assert (state.base_lr, state.lr_schedule, state.momentum) == (0.01, "constant", 0.2)
            assert record.nbytes == 2 * sum(p.nbytes for p in record.params.values())
            seen.append((record.step, state.epoch, state.position))
    # 6 steps of 50 an epoch: step 4 is 200 images into epoch 1; step 6 ends it (all 300 used).
    assert seen == [(0, 1, 0), (4, 1, 200), (6, 1, 300), (8, 2, 100), (12, 2, 300)]


def test_a_run_is_reproducible_from_its_seed(sample):
    cfg = make_config("lecture", epochs=1, **TINY)
    a, b = run_all(Trainer(cfg, sample)), run_all(Trainer(cfg, sample))
    assert [s.loss for s in of(a, StepRecord)] == [s.loss for s in of(b, StepRecord)]
    for name, p in of(a, SnapshotRecord)[-1].params.items():
        np.testing.assert_array_equal(p, of(b, SnapshotRecord)[-1].params[name])
    other = run_all(Trainer(make_config("lecture", epochs=1, seed=1, **TINY), sample))
    assert [s.loss for s in of(a, StepRecord)] != [s.loss for s in of(other, StepRecord)]


def test_evaluation_matches_the_network(sample):
    trainer = Trainer(make_config("lecture", epochs=1, **TINY), sample)
    records = run_all(trainer)
    final = of(records, EvalRecord)[-1]
    probs = trainer.network.predict_proba(trainer.x_test)
    np.testing.assert_array_equal(final.predicted, probs.argmax(1))
    assert final.test_accuracy == (probs.argmax(1) == sample.test_labels).mean()
    assert final.confusion.sum() == 100 and np.trace(final.confusion) == round(final.test_accuracy * 100)


def test_probes_are_two_of_each_class_where_possible(sample):
    idx = choose_probes(sample.test_labels.astype(int), 16, seed=0)
    labels = sample.test_labels[idx]
    counts = np.bincount(labels, minlength=10)
    assert len(idx) == 16 and len(set(idx)) == 16 and counts.max() == 2 and counts.min() == 1
    assert list(labels) == sorted(labels)
    idx20 = choose_probes(sample.test_labels.astype(int), 20, seed=0)
    assert np.all(np.bincount(sample.test_labels[idx20], minlength=10) == 2)


def test_cosine_schedule_and_presets():
    cfg = make_config("fast")
    assert (cfg.lr, cfg.momentum, cfg.lr_schedule) == (0.05, 0.9, "cosine")
    assert lr_at(cfg.lr_schedule, 0.05, 0, 100) == 0.05 and lr_at(cfg.lr_schedule, 0.05, 50, 100) == pytest.approx(0.025)
    lecture = make_config("lecture")
    assert (lecture.lr, lecture.momentum, lecture.batch_size, lecture.epochs, lecture.network.dropout) == (
        0.01, 0.2, 100, 4, 0.2)
    assert lr_at(lecture.lr_schedule, 0.01, 99, 100) == 0.01
    with pytest.raises(ConfigError, match="learning rate must be positive"):
        make_config("lecture", lr=-1.0)
    with pytest.raises(ConfigError, match="preset"):
        make_config("slow")


def consume_in_thread(trainer):
    """Iterate the trainer in a worker thread, as the window does; returns (records, thread)."""
    records = []
    thread = threading.Thread(target=lambda: records.extend(trainer.run()), daemon=True)
    thread.start()
    return records, thread


def wait_until(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


def test_pause_single_step_resume_and_stop_from_another_thread(sample):
    trainer = Trainer(make_config("lecture", epochs=50, batch_size=10, conv=(2,), fc=(8, 10)), sample)
    trainer.control.pause()
    records, thread = consume_in_thread(trainer)
    wait_until(lambda: any(isinstance(r, EventRecord) and r.kind == "paused" for r in records))
    assert not of(records, StepRecord) and trainer.control.must_wait()  # paused before the first step: it waits
    trainer.control.step_once()
    wait_until(lambda: len(of(records, StepRecord)) == 1)
    assert trainer.control.must_wait()  # exactly one step: the allowance is used up, it waits again
    trainer.control.set_lr(0.02)
    trainer.control.resume()
    wait_until(lambda: len(of(records, StepRecord)) > 5)
    trainer.control.stop()
    thread.join(5)
    assert not thread.is_alive()
    end = records[-1]
    assert isinstance(end, RunEnd) and end.status == "stopped"
    kinds = [(r.kind, r.step) for r in of(records, EventRecord)]
    assert kinds[:3] == [("paused", 0), ("resumed", 1), ("lr", 1)]
    steps = of(records, StepRecord)
    assert steps[0].lr == 0.01 and steps[1].lr == 0.02
    # stop honoured within one minibatch; the final snapshot and evaluation share the last step
    assert of(records, SnapshotRecord)[-1].step == of(records, EvalRecord)[-1].step == steps[-1].step


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_diverging_loss_pauses_without_applying_the_update(sample):
    trainer = Trainer(make_config("lecture", lr=1e30, epochs=1, **TINY), sample)
    records, thread = consume_in_thread(trainer)
    wait_until(lambda: any(isinstance(r, EventRecord) and r.kind == "error" for r in records))
    error = next(r for r in records if isinstance(r, EventRecord) and r.kind == "error")
    assert "learning rate" in error.message
    assert trainer.control.paused
    assert all(np.isfinite(p).all() for p in trainer.network.params.values())
    trainer.control.stop()
    thread.join(5)
    assert records[-1].status == "stopped"


def test_a_diverged_run_rolls_back_to_a_snapshot_and_goes_on(sample):
    trainer = Trainer(make_config("lecture", lr=1e30, momentum=0.5, epochs=2, snapshot_every=1, **TINY), sample)
    records, thread = consume_in_thread(trainer)
    wait_until(lambda: any(isinstance(r, EventRecord) and r.kind == "error" for r in records))
    snapshot0 = next(r for r in records if isinstance(r, SnapshotRecord))
    at = trainer.step
    trainer.control.roll_back(snapshot0.params, 0)
    trainer.control.set_lr(0.01)
    trainer.control.resume()
    thread.join(20)
    events = [r for r in records if isinstance(r, EventRecord)]
    assert [e.kind for e in events] == ["error", "paused", "resumed", "rollback", "lr"]
    rollback = next(e for e in events if e.kind == "rollback")
    assert rollback.step == at and rollback.value == 0 and "step 0" in rollback.message
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert [s.step for s in steps] == list(range(1, at + 1 + len(steps) - at))  # the same run: steps go on
    assert all(np.isfinite(s.loss) for s in steps[at:]) and all(s.lr == 0.01 for s in steps[at:])
    assert records[-1].status == "complete"
    # the step after the rollback started from snapshot 0's parameters with no velocity: one plain SGD step
    first_after = next(r for r in records if isinstance(r, SnapshotRecord) and r.step == at + 1)
    assert not np.array_equal(first_after.params["conv1.W"], snapshot0.params["conv1.W"])
    assert np.abs(first_after.params["conv1.W"] - snapshot0.params["conv1.W"]).max() < 1.0


def roll_back_at(trainer, at: int, back_to: int, params_of) -> tuple[list, object]:
    """Run to step ``at``, roll back to the snapshot of step ``back_to`` (its parameters through ``params_of``),
    then run on until the end or a "stalled" event; returns (records, the generator)."""
    run = trainer.run()
    records, snapshot = [], None
    for r in run:
        records.append(r)
        snapshot = r if isinstance(r, SnapshotRecord) and r.step == back_to else snapshot
        if isinstance(r, StepRecord) and r.step == at:
            break
    trainer.control.roll_back(params_of(snapshot.params), back_to)
    for r in run:
        records.append(r)
        if isinstance(r, EventRecord) and r.kind == "stalled":
            break
    return records, run


def test_a_rollback_whose_loss_stays_at_chance_pauses_and_says_so(sample):
    """A dead network (every weight 0: the ReLUs pass nothing, only the output's biases learn) after a rollback
    to a snapshot that had learned: after STALL_STEPS steps at chance the run pauses with a "stalled" event."""
    trainer = Trainer(make_config("lecture", lr=0.1, momentum=0.9, epochs=20, snapshot_every=10, **TINY), sample)
    records, run = roll_back_at(trainer, 40, 30, lambda params: {k: np.zeros_like(p) for k, p in params.items()})
    steps = of(records, StepRecord)
    chance = np.log(10)
    assert steps[30].step == 31 and steps[30].loss < CHANCE * chance  # what the parameters of step 30 gave
    stalled = records[-1]
    assert stalled.kind == "stalled" and stalled.step == 40 + STALL_STEPS and stalled.value == 30
    assert all(CHANCE * chance <= s.loss for s in steps[40:])
    assert stalled.message.startswith(f"after the rollback to step 30, whose parameters had given a loss of "
                                      f"{steps[30].loss:.3g}, the loss stayed at chance for {STALL_STEPS} steps")
    assert trainer.control.paused
    trainer.control.stop()
    records.extend(run)
    assert records[-1].status == "stopped"


def test_a_rollback_that_recovers_runs_on(sample):
    trainer = Trainer(make_config("lecture", lr=0.1, momentum=0.9, epochs=20, snapshot_every=10, **TINY), sample)
    records, _ = roll_back_at(trainer, 40, 30, lambda params: params)
    assert records[-1].status == "complete" and records[-1].step == 120
    assert "stalled" not in [e.kind for e in of(records, EventRecord)]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_diverging_loss_fails_the_run_when_nobody_can_resume(sample, threads):
    """The command line's mode: the update is not applied, the run ends "failed" with the message, and NumPy's
    RuntimeWarnings (overflow, invalid value: in the worker threads and in this one) are not printed."""
    import warnings

    trainer = Trainer(make_config("lecture", lr=1e30, momentum=0.9, epochs=4, threads=threads, **TINY), sample,
                      on_divergence="fail")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = run_all(trainer)
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    end = records[-1]
    assert isinstance(end, RunEnd) and end.status == "failed" and end.step == trainer.step < trainer.total_steps
    assert "the loss became nan" in end.message and "try a lower learning rate" in end.message
    errors = [r for r in of(records, EventRecord) if r.kind == "error"]
    assert [e.message for e in errors] == [end.message]
    # still a final snapshot and evaluation of the last parameters the run had, like a stopped run
    assert of(records, SnapshotRecord)[-1].step == of(records, EvalRecord)[-1].step == end.step
    assert not trainer.control.paused


def test_the_numpy_error_state_is_left_as_it_was(sample):
    before = np.geterr()
    run_all(Trainer(make_config("lecture", epochs=1, **TINY), sample))
    assert np.geterr() == before
    assert "train_batch" not in vars(Trainer(make_config("lecture", **TINY), sample).network)


def test_a_batch_larger_than_the_training_set_is_the_whole_set(sample):
    data = sample.limited(120, None)
    trainer = Trainer(make_config("lecture", epochs=3, conv=(2,), fc=(8, 10), batch_size=500), data)
    records = run_all(trainer)
    assert trainer.batch_size == 120 and trainer.steps_per_epoch == 1 and trainer.total_steps == 3
    assert len(of(records, StepRecord)) == 3 and trainer.images_trained == 3 * 120


def test_data_it_cannot_use_is_refused_in_one_sentence(sample):
    import dataclasses

    from cnnviz.errors import DataError

    config = make_config("lecture", **TINY)
    with pytest.raises(DataError, match="has no test images: there is nothing to evaluate the network on"):
        Trainer(config, dataclasses.replace(sample, test_images=sample.test_images[:0],
                                            test_labels=sample.test_labels[:0]))
    with pytest.raises(DataError, match="has no training images: there is nothing to train on"):
        Trainer(config, dataclasses.replace(sample, train_images=sample.train_images[:0],
                                            train_labels=sample.train_labels[:0]))
    small = dataclasses.replace(sample, test_images=sample.test_images[:, :20, :20])
    with pytest.raises(ConfigError, match="the network takes 1 channel of 28x28 pixels but .* has test images "
                                          "of 20x20"):
        Trainer(config, small)
    # a label outside the network's classes 0..k-1 (a -1 trained as class 9; a 7 with 5 classes ended in an
    # IndexError), a label per image, whole numbers
    labels = sample.train_labels.astype(np.int64)
    labels[17] = -1
    with pytest.raises(DataError, match=r"^.* has a training label -1, but the network's 10 classes are 0 to 9$"):
        Trainer(config, dataclasses.replace(sample, train_labels=labels))
    with pytest.raises(DataError, match=r"has a training label [5-9], but the network's 5 classes are 0 to 4$"):
        Trainer(make_config("lecture", conv=(2,), fc=(8, 5)), sample)
    with pytest.raises(DataError, match=r"has 300 training images but float64 labels of shape \(300,\): one "
                                        "whole-number label per image is needed$"):
        Trainer(config, dataclasses.replace(sample, train_labels=sample.train_labels / 1.0))
    with pytest.raises(DataError, match=r"has 100 test images but uint8 labels of shape \(99,\)"):
        Trainer(config, dataclasses.replace(sample, test_labels=sample.test_labels[:99]))


@pytest.mark.parametrize("seed, message", [(-1, "the seed must be 0 or more, not -1"),
                                           (2.5, "the seed must be a whole number, 0 or more, not 2.5"),
                                           ("3", "the seed must be a whole number, 0 or more, not '3'")])
def test_a_seed_that_is_not_a_whole_number_from_0_is_refused(seed, message):
    with pytest.raises(ConfigError, match=message) as refused:
        make_config("lecture", seed=seed)
    assert refused.value.field == "seed"


def test_learning_on_real_mnist():
    directory = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    import os

    directory = Path(os.environ.get("CNNVIZ_TEST_MNIST", directory))
    if not directory.is_dir():
        pytest.skip(f"full MNIST not found in {directory}")
    data = load_mnist_dir(directory).limited(4000, 1000)
    records = run_all(Trainer(make_config("lecture", epochs=2, snapshot_every=0), data))
    final = of(records, EvalRecord)[-1]
    assert final.test_accuracy > 0.8, final.test_accuracy  # chance is 0.1
    losses = [s.loss for s in of(records, StepRecord)]
    assert np.mean(losses[-10:]) < np.mean(losses[:10]) / 2
