"""MomentumSGD against the appendix program's rule, step by step (Update_Parameters_Momentum3):
``M = Eta*g - Beta*M; F = F - M`` with ``g`` summed over the minibatch, ``Eta = 1e-4``, ``Beta = -0.2``; and
explain_update, the same step written out with its numbers."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.core.optim import MomentumSGD, explain_update, number
from cnnviz.lecture import PROGRAM

N, ETA, BETA = PROGRAM.batch_size, PROGRAM.eta, PROGRAM.beta  # 100, 1e-4, -0.2


def program_step(F: np.ndarray, M: np.ndarray, g_sum: np.ndarray, eta: float = ETA,
                 beta: float = BETA) -> tuple[np.ndarray, np.ndarray]:
    """The program's two lines, literally: ``Moment = Eta*Grad - Beta*Moment; Filters = Filters - Moment``."""
    M = eta * g_sum - beta * M
    return F - M, M


def gradients(rng: np.random.Generator, shapes: dict, steps: int) -> list[dict[str, np.ndarray]]:
    """Mean gradients of a few minibatches: each the mean of N per-image gradients."""
    return [{name: rng.normal(size=(N, *shape)).mean(axis=0) for name, shape in shapes.items()} for _ in range(steps)]


def test_momentum_sgd_is_the_programs_rule_step_by_step():
    rng = np.random.default_rng(0)
    shapes = {"conv1.W": (2, 1, 3, 3), "conv1.b": (2,), "fc1.W": (3, 4)}
    params = {name: rng.normal(size=shape) for name, shape in shapes.items()}
    program = {name: (p.copy(), np.zeros_like(p)) for name, p in params.items()}
    optimizer = MomentumSGD(params, lr=PROGRAM.lr, momentum=PROGRAM.momentum)  # 0.01 on the mean, 0.2
    for g in gradients(rng, shapes, 6):
        optimizer.step(g)
        for name in params:
            F, M = program_step(*program[name], N * g[name])  # the program's g: the sum over the minibatch
            program[name] = F, M
            np.testing.assert_allclose(optimizer.velocity[name], M, rtol=1e-12, atol=1e-15, err_msg=name)
            np.testing.assert_allclose(params[name], F, rtol=1e-12, atol=1e-15, err_msg=name)
    assert all(np.abs(M).max() > 0 for _, M in program.values())


def test_the_rule_by_hand():
    """F = 1, mean gradients 2 then 1: M = 1e-4 * 200 = 0.02, F = 0.98; M = 1e-4 * 100 - (-0.2) * 0.02 = 0.014,
    F = 0.966."""
    F = {"F": np.array([1.0])}
    optimizer = MomentumSGD(F, lr=0.01, momentum=0.2)
    optimizer.step({"F": np.array([2.0])})
    assert optimizer.velocity["F"][0] == pytest.approx(0.02, abs=1e-15) and F["F"][0] == pytest.approx(0.98, abs=1e-15)
    optimizer.step({"F": np.array([1.0])})
    assert optimizer.velocity["F"][0] == pytest.approx(0.014, abs=1e-15)
    assert F["F"][0] == pytest.approx(0.966, abs=1e-15)


def test_reading_beta_as_the_momentum_fails():
    """A wrong reading of the program, ``M = Eta*g + Beta*M`` (momentum -0.2), agrees at the first step only:
    the check above would catch it."""
    rng = np.random.default_rng(1)
    params = {"W": rng.normal(size=(3, 3))}
    optimizer = MomentumSGD(params, lr=PROGRAM.lr, momentum=PROGRAM.momentum)
    F, M = params["W"].copy(), np.zeros((3, 3))
    errors = []
    for g in gradients(rng, {"W": (3, 3)}, 3):
        optimizer.step(g)
        F, M = program_step(F, M, N * g["W"], beta=-BETA)
        errors.append(np.abs(optimizer.velocity["W"] - M).max() / np.abs(M).max())
    assert errors[0] < 1e-12 and min(errors[1:]) > 1e-2


def test_float32_stays_float32_and_settings_change_between_steps():
    p = {"W": np.ones((2, 2), dtype=np.float32)}
    optimizer = MomentumSGD(p, lr=0.1, momentum=0.5)
    optimizer.step({"W": np.ones((2, 2), dtype=np.float32)})
    optimizer.lr, optimizer.momentum = 0.2, 0.0  # plain gradient descent from here: M = lr g
    optimizer.step({"W": np.ones((2, 2), dtype=np.float32)})
    assert p["W"].dtype == optimizer.velocity["W"].dtype == np.float32
    np.testing.assert_allclose(optimizer.velocity["W"], 0.2, rtol=1e-7)
    np.testing.assert_allclose(p["W"], 1 - 0.1 - 0.2, rtol=1e-6)


def test_explain_update_is_the_step_in_the_programs_terms():
    rng = np.random.default_rng(2)
    F, g, M = rng.normal(size=(1, 3, 3)), rng.normal(size=(1, 3, 3)) * 1e-2, rng.normal(size=(1, 3, 3)) * 1e-3
    copies = F.copy(), g.copy(), M.copy()
    e = explain_update(F, g, M, lr=PROGRAM.lr, momentum=PROGRAM.momentum, batch_size=N)
    for given, copy in zip((F, g, M), copies):
        np.testing.assert_array_equal(given, copy)  # nothing passed in changed
    expected_F, expected_M = program_step(F, M, N * g)
    np.testing.assert_allclose(e.velocity, expected_M, rtol=1e-12)
    np.testing.assert_allclose(e.after, expected_F, rtol=1e-12)
    assert e.eta == pytest.approx(ETA) and e.beta == pytest.approx(BETA)
    np.testing.assert_allclose(e.grad_sum, N * g, rtol=1e-15)
    np.testing.assert_array_equal(e.before, F)
    np.testing.assert_array_equal(e.velocity_before, M)
    at = (0, 1, 2)
    lines = e.lines(at)
    assert lines[0] == f"g = 100 × dE/dF (the sum over the minibatch) = {number(100 * g[at])}"
    assert lines[1].startswith("M ← Eta·g − Beta·M = 0.0001 × ") and " − (−0.2) × " in lines[1]
    assert lines[1].endswith(f" = {number(expected_M[at])}")
    assert lines[2] == f"F ← F − M = {number(F[at])} − {number(expected_M[at], True)} = {number(expected_F[at])}"


def test_numbers_and_bad_shapes():
    assert number(-0.2, True) == "(−0.2)" and number(-0.2) == "−0.2" and number(0.0123456) == "0.01235"
    assert number(-0.0) == "0" and number(3e-7) == "3e−07"
    with pytest.raises(ValueError, match=r"^the parameter, its gradient and its velocity must have one shape, not "
                                         r"\(3, 3\), \(3,\) and \(3, 3\)$"):
        explain_update(np.zeros((3, 3)), np.zeros(3), np.zeros((3, 3)), 0.01, 0.2)
