"""What the Filter playground reads and offers, as functions that need no widget: a filter entry or a typed X (numbers and fractions),
the filter presets, and which of the notes' worked examples (:data:`cnnviz.lecture.WORKED_EXAMPLES`) the
playground shows."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QCoreApplication

from cnnviz.gui.indices import Indices
from cnnviz.gui.views.common import fmt
from cnnviz.lecture import FIGURE2, WORKED_EXAMPLES, WorkedExample

NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
ENTRY = re.compile(rf"\s*(?P<num>{NUMBER})\s*(/\s*(?P<den>{NUMBER})\s*)?")  # a number or a fraction
LECTURE_IMAGE = np.array(FIGURE2.x, dtype=np.float64)  # figure 2's X
CROSS = [list(row) for row in FIGURE2.filter]  # figure 2's F
MAX_TYPED = 32  # a typed X has at most MAX_TYPED x MAX_TYPED entries
translate = QCoreApplication.translate  # the sentences in the window's language (English without a translator)


def identity(m: int) -> list[list[str]]:
    """The filter whose same-padded correlation is X itself: a 1 at (fix((m-1)/2), fix((m-1)/2)) (section 2.3's
    padding; for m = 2 it is exercise 2's G = [[1, 0], [0, 0]])."""
    c = (m - 1) // 2
    return [["1" if (mu, nu) == (c, c) else "0" for nu in range(m)] for mu in range(m)]


def box_blur(m: int) -> list[list[str]]:
    """Every entry 1/m²: the mean of the window."""
    return [[f"1/{m * m}"] * m for _ in range(m)]


def fixed(rows) -> list[list[str]]:
    return [[str(v) for v in row] for row in rows]


# Presets: a name, and the filter's entries (as written in the cells) for the size m in the spin box; a preset
# of a fixed size sets m.
PRESETS: dict[str, tuple[int | None, object]] = {
    "identity": (None, identity),
    "cross (figure 2)": (3, fixed(CROSS)),
    "Sobel x": (3, fixed([[1, 0, -1], [2, 0, -2], [1, 0, -1]])),
    "Sobel y": (3, fixed([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])),
    "Laplacian": (3, fixed([[0, 1, 0], [1, -4, 1], [0, 1, 0]])),
    "box blur": (None, box_blur),
}
CUSTOM = "custom"


def preset(name: str, m: int = 3) -> list[list[str]]:
    """The entries of preset ``name`` (for size ``m`` where the preset has no fixed size)."""
    _, entries = PRESETS[name]
    return entries(m) if callable(entries) else entries


def parse_entry(text: str) -> float:
    """A filter entry: a number or a fraction a/b; ValueError (one sentence) for anything else."""
    match = ENTRY.fullmatch(text)
    if match is None:
        raise ValueError(translate("Playground", "{entry} is not a number").format(entry=repr(text.strip()))
                         if text.strip() else translate("Playground", "it is empty"))
    value = float(match["num"])
    if match["den"] is not None:
        den = float(match["den"])
        if den == 0:
            raise ValueError(translate("Playground", "{entry} divides by zero").format(entry=repr(text.strip())))
        value /= den
    return value


def parse_matrix(text: str, ix: Indices = Indices()) -> np.ndarray:
    """A typed X (float64): rows on lines or separated by ``;``, entries by spaces or commas, each a number or a
    fraction a/b (:func:`parse_entry`); brackets are ignored, so MATLAB's ``[16 2; 5 11]`` reads too. At most
    MAX_TYPED x MAX_TYPED. ValueError (one sentence) for anything else, an entry named by its indices as ``ix``
    writes them (the window's setting; from 1 by default)."""
    cleaned = re.sub(r"\s*/\s*", "/", text.replace("[", " ").replace("]", " "))
    rows = [row for row in (line.replace(",", " ").split() for line in re.split(r"[;\n]", cleaned)) if row]
    if not rows:
        raise ValueError(translate("Playground", "X is empty: type its rows, one a line, such as 16 2 3 13."))
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(translate("Playground", "Row {i} of X has {n} entries and row 1 has {width}: every row of "
                                                     "X needs as many.").format(i=i + 1, n=len(row), width=width))
    if len(rows) > MAX_TYPED or width > MAX_TYPED:
        raise ValueError(translate("Playground", "X is {h}×{w}: type at most {most}×{most} entries.").format(
            h=len(rows), w=width, most=MAX_TYPED))
    return parse_entries(rows, "X", ix)


def parse_entries(rows: list[list[str]], matrix: str, ix: Indices = Indices()) -> np.ndarray:
    """Rows of entries (:func:`parse_entry`) as a float64 matrix; ValueError (one sentence) naming the first that is
    not usable, ``matrix`` naming the matrix ("X" or the filter "F")."""
    template = (translate("Playground", "Filter entry F{index} is not usable: {problem} (write a number such as -1, "
                                        "0.25 or a fraction such as 1/9).") if matrix == "F" else
                translate("Playground", "Entry X{index} is not usable: {problem} (write a number such as -1, 0.25 or a "
                                        "fraction such as 1/9)."))
    values = np.zeros((len(rows), len(rows[0]) if rows else 0), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, entry in enumerate(row):
            try:
                values[i, j] = parse_entry(entry)
            except ValueError as e:
                raise ValueError(template.format(index=ix(i, j), problem=e)) from None
    return values


def matrix_text(rows, separator: str = "\n") -> str:
    """A matrix as typed: its rows on lines (or joined by ``separator``), entries by spaces."""
    return separator.join(" ".join(fmt(float(v)) for v in row) for row in rows)


def worked_example(x: np.ndarray, F: np.ndarray, padding: str) -> WorkedExample | None:
    """The notes' worked example (figure 2, the exercises) that X, F and the padding are, or None."""
    for example in WORKED_EXAMPLES:
        if (example.padding == padding and np.shape(example.x) == x.shape and np.shape(example.filter) == F.shape
                and np.array_equal(example.x, x) and np.array_equal(example.filter, F)):
            return example
    return None
