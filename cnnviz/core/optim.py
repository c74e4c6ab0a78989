"""Gradient descent with classical momentum (the appendix program's ``Update_Parameters_Momentum3``).

``M <- eps * g + beta * M``, ``theta <- theta - M`` for every filter, weight and bias, with learning rate
``eps`` and momentum ``beta``; ``g`` the gradient of the MEAN loss over the minibatch. The program writes the
same step as ``M = Eta*g - Beta*M; theta = theta - M`` with ``g`` the gradient of the SUMMED loss over its
``N = 100`` images and ``Beta = -0.2``: so ``eps = Eta * N`` (0.01) and ``beta = -Beta`` (0.2). ``beta = 0`` is
the plain gradient descent ``theta <- theta - eps g`` of section 3.3. Both can be changed between steps.
:func:`explain_update` writes one step out in the program's terms, with numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


class MomentumSGD:
    def __init__(self, params: Mapping[str, np.ndarray], lr: float = 0.01, momentum: float = 0.0):
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.velocity = {name: np.zeros_like(p) for name, p in params.items()}

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        """Update the parameters in place from gradients of the same keys and shapes."""
        for name, p in self.params.items():
            g, M = grads[name], self.velocity[name]
            assert g.shape == p.shape, f"gradient of {name} has shape {g.shape}, parameter {p.shape}"
            M *= self.momentum
            M += self.lr * g  # a Python float: NumPy keeps float32 arrays in float32
            p -= M


@dataclass(frozen=True, eq=False)
class UpdateExplanation:
    """One momentum step of one parameter array (a filter ``F(k)``, a weight matrix, a bias), in cnnviz's terms
    and the program's (see the module docstring).

    ``before`` ``theta`` and ``velocity_before`` ``M`` (e.g. a snapshot's parameters and the session's velocity);
    ``grad`` ``g``, the gradient of the mean loss over ``batch_size`` images; ``velocity`` the new ``M = lr g +
    momentum M``; ``after`` ``theta - M``, both computed by :class:`MomentumSGD` itself. In the program's terms:
    ``eta = lr / batch_size`` (``Eta``), ``beta = -momentum`` (``Beta``), ``grad_sum = batch_size * grad`` (its
    ``g``), and ``M = Eta g - Beta M`` is the same number.
    """

    before: np.ndarray
    grad: np.ndarray
    velocity_before: np.ndarray
    velocity: np.ndarray
    after: np.ndarray
    lr: float
    momentum: float
    batch_size: int

    @property
    def eta(self) -> float:
        return self.lr / self.batch_size

    @property
    def beta(self) -> float:
        return -self.momentum

    @property
    def grad_sum(self) -> np.ndarray:
        return self.batch_size * self.grad.astype(np.float64)

    def lines(self, index: tuple[int, ...] = (), symbol: str = "F") -> list[str]:
        """The step of element ``index`` (e.g. ``(c, mu, nu)`` of a filter) as the program writes it, with its
        numbers: the summed gradient, ``M <- Eta·g − Beta·M`` and ``symbol <- symbol − M``."""
        g, M0, M = float(self.grad_sum[index]), float(self.velocity_before[index]), float(self.velocity[index])
        before, after = float(self.before[index]), float(self.after[index])
        return [f"g = {self.batch_size} × dE/d{symbol} (the sum over the minibatch) = {number(g)}",
                f"M ← Eta·g − Beta·M = {number(self.eta)} × {number(g, True)} − {number(self.beta, True)} × "
                f"{number(M0, True)} = {number(M)}",
                f"{symbol} ← {symbol} − M = {number(before)} − {number(M, True)} = {number(after)}"]


def number(x: float, bracket: bool = False) -> str:
    """``x`` to 4 significant digits with a true minus sign, in brackets where negative and ``bracket``."""
    text = f"{x:.4g}".replace("-", "−") if x != 0 else "0"
    return f"({text})" if bracket and x < 0 else text


def explain_update(param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float,
                   batch_size: int = 100) -> UpdateExplanation:
    """The next momentum step of one parameter array from its value ``param``, the gradient ``grad`` of the mean
    loss and the velocity ``velocity`` (appendix, ``Update_Parameters_Momentum3``): ``M <- lr g + momentum M``,
    ``theta <- theta - M``, computed by :class:`MomentumSGD` on copies (nothing passed in is changed)."""
    if not (np.shape(param) == np.shape(grad) == np.shape(velocity)):
        raise ValueError(f"the parameter, its gradient and its velocity must have one shape, not "
                         f"{np.shape(param)}, {np.shape(grad)} and {np.shape(velocity)}")
    theta = {"p": np.array(param, copy=True)}
    optimizer = MomentumSGD(theta, lr, momentum)
    optimizer.velocity["p"][...] = velocity
    optimizer.step({"p": np.asarray(grad)})
    return UpdateExplanation(before=np.array(param, copy=True), grad=np.array(grad, copy=True),
                             velocity_before=np.array(velocity, copy=True), velocity=optimizer.velocity["p"],
                             after=theta["p"], lr=lr, momentum=momentum, batch_size=batch_size)
