"""The momentum step of one filter weight at the timeline's snapshot, as the appendix program writes it
(``Update_Parameters_Momentum3``): ``M <- Eta g - Beta M``, ``F <- F - M``, with ``Beta = -0.2`` meaning momentum
0.2 and ``Eta`` the learning rate of the SUMMED loss over a minibatch of N images (:mod:`cnnviz.core.optim`).

``g`` here is the gradient of the shown image alone (the Back-propagation view's ``dE/dF``): the program's ``g``
sums such gradients over the N images of a minibatch, so the step written out is this image's share of the next
update, with the session's velocity ``M`` at the snapshot (:meth:`cnnviz.gui.model.RunModel.train_state`; zero
where the session has none) and the learning rate and momentum of the step that follows the snapshot.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication

from cnnviz.core.optim import explain_update, number

translate = QCoreApplication.translate


def rates_after(model, step: int) -> tuple[float, float]:
    """The learning rate and momentum of the update after ``step``: the one recorded for step ``step + 1``, or the
    latest recorded before it, or the configuration's."""
    steps = model.metric("step")
    i = int(np.searchsorted(steps, step + 1, side="right")) - 1
    if i >= 0:
        return float(model.metric("lr")[i]), float(model.metric("momentum")[i])
    return model.start.config.lr, model.start.config.momentum


def momentum_lines(model, layer: int, index: tuple[int, int, int, int], grad: np.ndarray) -> list[str]:
    """The next momentum step of weight ``F(k, c, mu, nu)`` (``index``, 0-based) of conv layer ``layer``
    (0-based) at the shown snapshot, ``grad`` (K, C, m, m) the shown image's ``dE/dF`` of that layer: a heading and
    three lines (g, M, F) with numbers."""
    snap, name, k = model.snapshot(), f"conv{layer + 1}.W", index[0]
    n = model.start.config.batch_size
    lr, momentum = rates_after(model, snap.step)
    state = model.train_state()
    if state is not None and name in state.velocity:
        velocity, whence = state.velocity[name][k], translate("Momentum", "M from the session")
    else:
        velocity = np.zeros_like(grad[k])
        whence = (translate("Momentum", "M = 0 here: the live parameters' velocity is not shown")
                  if model.snapshot_index is None else
                  translate("Momentum", "M = 0 here: no session file holds this run's velocity")
                  if model.read_train_state is None else
                  translate("Momentum", "M = 0 here: this session recorded no velocity"))
    # grad / n is the mean gradient whose sum over a minibatch of n is this image's gradient: its share.
    step = explain_update(snap.params[name][k], grad[k].astype(np.float64) / n, velocity, lr, momentum, n)
    symbol = f"F{model.indices(*index)}"  # the weight F(k, c, μ, ν), its indices as the window writes them
    g = float(grad[index])
    return [translate("Momentum", "Momentum after step {step}, as the program writes it: Eta = lr/N = {lr}/{n} = "
                                  "{eta}, Beta = −momentum = {beta}; {whence}.").format(
                step=snap.step, lr=number(lr), n=n, eta=number(step.eta), beta=number(step.beta), whence=whence),
            translate("Momentum", "g = dE/d{symbol} of this image alone = {g} (the program's g sums it over the {n} "
                                  "images of a minibatch)").format(symbol=symbol, g=number(g), n=n),
            *step.lines(tuple(index[1:]), symbol)[1:]]
