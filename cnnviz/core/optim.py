"""Gradient descent with classical momentum (the program's ``Update_Parameters_Momentum3``).

``M <- eps * g + beta * M``, ``theta <- theta - M`` for every filter, weight and bias, with learning rate
``eps`` and momentum ``beta`` (the program's ``Beta = -0.2`` in ``M = Eta*g - Beta*M`` is ``beta = 0.2``).
``beta = 0`` is the plain gradient descent of section 3.3. Both can be changed between steps.
"""

from __future__ import annotations

from collections.abc import Mapping

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
