"""The Unit view's pooling verdict (section 3.1): whether a conv unit's position won its 2×2 max-pooling block,
the winner (ζ, η) and p, with indices written as ``ix`` (the model's :class:`~cnnviz.gui.indices.Indices`) says."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cnnviz.core.inspect import UnitExplanation
from cnnviz.gui.indices import Indices
from cnnviz.gui.views.common import fmt

translate = QCoreApplication.translate


def pooling_text(e: UnitExplanation, ix: Indices) -> str:
    """What pooling made of the unit's a, in words: p = a, the average of its block, or whether its position won
    its 2×2 block (ζ, η) and so reaches p."""
    if e.pooling == "none":
        return translate("UnitView", "No pooling in this layer: p = a.")
    if e.block is None:
        return (translate("UnitView", "On the odd last row or column, in no 2×2 block: not pooled, so a reaches no "
                                      "p (it did not win).") if e.won is False else
                translate("UnitView", "On the odd last row or column, in no 2×2 block: not pooled, so a reaches no "
                                      "p."))
    ip, jp = e.block
    block = ix(ip, jp)
    where = translate("UnitView", "2×2 block (i', j') = {block}, a(k, {rows}, {columns})").format(
        block=block, rows=ix.span(2 * ip, 2 * ip + 1), columns=ix.span(2 * jp, 2 * jp + 1))
    values = {"where": where, "i": block[0], "j": block[1], "p": fmt(e.p)}
    if e.pooling == "average":
        return translate("UnitView", "Average pooling: p(k, {i}, {j}) = mean of the {where} = {p}."
                         ).format(**values)
    if e.won:
        return translate("UnitView", "Max pooling: this position won its {where}: (ζ, η) = {winner}, so "
                                     "p(k, {i}, {j}) = a = <b>{p}</b>.").format(winner=ix(*e.winner), **values)
    if e.a == e.p:
        return translate("UnitView", "Max pooling: this position lost its {where}; the winner is (ζ, η) = {winner} "
                                     "(a tie: the first in row-major order wins) with p(k, {i}, {j}) = {p}."
                         ).format(winner=ix(*e.winner), **values)
    return translate("UnitView", "Max pooling: this position lost its {where}; the winner is (ζ, η) = {winner} "
                                 "with p(k, {i}, {j}) = {p}.").format(winner=ix(*e.winner), **values)
