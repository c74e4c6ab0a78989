"""The Unit view's backward side (section 3.3): how ``delta = dE/du`` of the shown unit was computed for the
shown image and its label r, with the network's own numbers at the timeline's snapshot
(:func:`cnnviz.core.explain_backward.explain_delta`, in inference mode: no dropout).

- the output layer: ``delta(n) = v(n) - r(n)``;
- a hidden fully connected unit: ``delta(n) = f'(u(n)) sum_{n'} W(n', n) delta(n')``;
- a conv unit: ``f'(u)``, then whether its position won its 2x2 pooling block ``(zeta, eta)`` (only the winner
  receives ``dE/dp``; the others get 0), and ``dE/dp`` as the lecture's sum: ``sum_{n'} W(n', q) delta(n')``
  through the flattening (the last conv layer) or ``sum_{k'} sum_{mu, nu} F(k', k, mu, nu) delta(k', i' + t - mu,
  j' + t - nu)``, the next layer's filters flipped.

The largest terms are written out (weight × delta = term), the others summed; the product of the factors is the
back-propagation's delta. Indices are written as ``ix`` (the model's :class:`~cnnviz.gui.indices.Indices`) says; the
explanation's ``sources`` were made with the same origin.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QCoreApplication

from cnnviz.core.explain_backward import DeltaExplanation
from cnnviz.gui.indices import Indices
from cnnviz.gui.views.common import fmt

translate = QCoreApplication.translate
SHOWN_TERMS = 6  # terms of the sum written out, the largest |weight × delta|; the others are summed


def _signed(value: float) -> str:
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def _terms(e: DeltaExplanation) -> str:
    """The sum's largest terms, one a line, and the rest summed."""
    order = np.argsort(-np.abs(e.terms), kind="stable")
    shown = order if len(order) <= SHOWN_TERMS + 1 else order[:SHOWN_TERMS]
    lines = [f"&nbsp;&nbsp;{html.escape(e.sources[t])} = {fmt(float(e.weights[t]))} × "
             f"{_signed(float(e.next_deltas[t]))} = {fmt(float(e.terms[t]))}" for t in shown]
    rest = order[len(shown):]
    if len(rest):
        lines.append("&nbsp;&nbsp;" + translate("UnitBackward", "the other {n} terms: Σ = {sum}").format(
            n=len(rest), sum=fmt(float(e.terms[rest].sum()))))
    return "<br>".join(lines)


def backward_html(e: DeltaExplanation, ix: Indices) -> str:
    """How ``e``'s delta was computed, as the Unit view writes it (rich text), its indices written by ``ix``."""
    head = "<p>" + translate("UnitBackward", "<b>Back-propagation</b> (section 3.3), label r = {r}: δ = dE/du of this "
                                             "unit, E = −log v(r)").format(r=e.label) + "</p>"
    if e.output:
        n = ix(e.unit)
        return head + (f"δ(n) = v(n) − r(n) = {fmt(e.probability)} − {e.target:g} = <b>{fmt(e.delta)}</b> "
                       + (translate("UnitBackward", "(r({n}) = {r}: the label)") if e.target else
                          translate("UnitBackward", "(r({n}) = {r}: not the label)")).format(n=n, r=f"{e.target:g}"))
    fprime = f"f′(u) = {e.fprime:g} (u = {fmt(e.u)} {'>' if e.u > 0 else '≤'} 0)"
    if e.layer.startswith("fc"):
        n = ix(e.unit)
        return head + (translate("UnitBackward", "δ(n) = f′(u(n)) Σ<sub>n′</sub> W(n′, n) δ(n′), the {n} units n′ of "
                                                 "{layer}:").format(n=len(e.terms), layer=e.next_layer)
                       + f"<br>{_terms(e)}<br>Σ = {fmt(e.total)}<br>{fprime}<br>"
                       f"δ({n}) = {e.fprime:g} × {_signed(e.total)} = <b>{fmt(e.delta)}</b>")
    block = None if e.block is None else ix(*e.block)
    one = "+1" if ix.origin else ""  # counted from 1, the next delta's index is i′ + t − μ + 1 (the notes')
    parts = [head, f"δ(k, i, j) = f′(u(k, i, j)) · dE/da(k, i, j); {fprime}<br>"]
    if e.pooling == "none":
        parts.append(translate("UnitBackward", "No pooling: dE/da = dE/dp at the same position.") + "<br>")
    elif e.block is None:
        parts.append(translate("UnitBackward", "On the odd last row or column, in no 2×2 block: no dE/dp reaches it, "
                                               "δ = 0.") + "<br>")
    elif e.pooling == "average":
        parts.append(translate("UnitBackward", "Average pooling: a quarter of dE/dp(k, {i}, {j}) reaches each of the "
                                               "four.").format(i=block[0], j=block[1]) + "<br>")
    elif e.won:
        parts.append(translate("UnitBackward", "Max pooling: (i, j) won its block (i′, j′) = {block}: (ζ, η) = "
                                               "{winner}, so dE/da = dE/dp(k, {i}, {j}).").format(
            block=block, winner=ix(*e.winner), i=block[0], j=block[1]) + "<br>")
    else:
        parts.append(translate("UnitBackward", "Max pooling: (i, j) lost its block (i′, j′) = {block} to (ζ, η) = "
                                               "{winner}: only the winner receives dE/dp, so δ = 0.").format(
            block=block, winner=ix(*e.winner)) + "<br>")
    if len(e.terms):
        if e.flat_index is not None:
            parts.append(translate("UnitBackward", "dE/dp(k, i′, j′) = Σ<sub>n′</sub> W(n′, q) δ(n′), q = {q} its "
                                                   "place in {layer}'s input (flattened in (c, i, j) order):").format(
                q=ix(e.flat_index), layer=e.next_layer) + "<br>")
        else:
            parts.append(translate("UnitBackward", "dE/dp(k, i′, j′) = Σ<sub>k′</sub> Σ<sub>μ</sub> Σ<sub>ν</sub> "
                                                   "F(k′, k, μ, ν) δ(k′, i′+t−μ{one}, j′+t−ν{one}) over {layer}'s "
                                                   "deltas (its filters flipped):").format(one=one, layer=e.next_layer)
                         + "<br>")
        parts.append(f"{_terms(e)}<br>Σ = {fmt(e.total)}<br>")
    share = "" if e.share == 1 else f" × {e.share:g}"
    parts.append(f"δ{ix(*e.unit)} = {e.fprime:g}{share} × {_signed(e.total)} = <b>{fmt(e.delta)}</b>")
    return "".join(parts)
