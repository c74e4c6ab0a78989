"""The filter playground (section 2.2): an m x m filter F, entered by hand or chosen from presets, correlated
with an image X, and F ⋆ X shown beside X.

    valid (section 2.2): (F ⋆ X)(j, k) = sum_mu sum_nu F(mu, nu) X(j + mu, k + nu), shape (n1 - m + 1, n2 - m + 1)
    same (section 2.3):  X zero-padded by fix((m - 1) / 2) before and fix(m / 2) after each axis, then valid,
                         shape (n1, n2) (for an even m the notes' first row and column are dropped)

computed by :func:`cnnviz.core.correlate`; indices are 0-based as in the code. X is the model's selected test
image with values x / 255 in [0, 1], as the network sees it, or the lecture's figure 2 image (6 x 6, 1..36 row by
row). The view opens on figure 2, and "Lecture example" sets it up again in one click: that image, the cross filter [[0,1,0],[1,1,1],[0,1,0]],
valid padding, giving [[40, 45, 50, 55], [70, ...], ..., [..., 145]]. Where the arrays are small, their numbers
are written in the cells; hovering a value of F ⋆ X writes its sum and outlines the window of X it comes from.

A filter entry is a number (``-1``, ``0.25``, ``1e-3``) or a fraction (``1/9``): the cell's editor refuses
anything else, and an entry that is not one anyway (set from code) is named in one line, with no result.
The chosen image is the model's one selection; the filter, the padding and the lecture image are this view's.
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsItem,
    QGraphicsRectItem,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cnnviz.core import correlate
from cnnviz.gui.views.common import (
    DIVERGING,
    GREY,
    TEXT,
    ImageBox,
    combo_box,
    fmt,
    plot_widget,
    row_of,
    status_label,
    view_layout,
)
from cnnviz.gui.views.numbers import CellNumbers, contrast

SIZES = (2, 7)  # the filter sizes m offered
NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
ENTRY = re.compile(rf"\s*(?P<num>{NUMBER})\s*(/\s*(?P<den>{NUMBER})\s*)?")  # a number or a fraction
LECTURE_IMAGE = np.arange(1, 37, dtype=np.float64).reshape(6, 6)  # figure 2's X
CROSS = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]  # figure 2's F
SELECTED, LECTURE = "selected", "lecture"  # the image choices


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
        raise ValueError(f"{text.strip()!r} is not a number" if text.strip() else "it is empty")
    value = float(match["num"])
    if match["den"] is not None:
        den = float(match["den"])
        if den == 0:
            raise ValueError(f"{text.strip()!r} divides by zero")
        value /= den
    return value


class EntryDelegate(QStyledItemDelegate):
    """The cells' editor: a line that accepts only a number or a fraction (an entry it would not accept is
    not committed: the cell keeps its value)."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setValidator(entry_validator(editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor

    def setModelData(self, editor, model, index):
        if editor.hasAcceptableInput():
            model.setData(index, editor.text().strip())


def entry_validator(parent=None) -> QRegularExpressionValidator:
    """Accepts what :func:`parse_entry` reads (and its beginnings while typing)."""
    return QRegularExpressionValidator(QRegularExpression(rf"\s*{NUMBER}\s*(/\s*{NUMBER}\s*)?"), parent)


class NarrowLabel(pg.LabelItem):
    """A one-line title (like common.title's) that is cut at its width rather than widening a narrow plot."""

    def __init__(self):
        super().__init__("", size="9pt", color=TEXT, justify="left")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)
        for hint in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):  # the columns share the width evenly
            self._sizeHint[hint] = (0, self._sizeHint[hint][1])


class PlaygroundView(QWidget):
    """An editable m x m filter, an image X, and F ⋆ X beside X."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.preset_box = combo_box()
        self.preset_box.addItem(CUSTOM)
        self.preset_box.addItems(list(PRESETS))
        self.preset_box.setToolTip("A filter to start from; editing a cell makes it custom")
        self.size_box = QSpinBox()
        self.size_box.setRange(*SIZES)
        self.size_box.setPrefix("m = ")
        self.size_box.setToolTip("The filter's size m x m")
        self.padding_box = combo_box()
        self.padding_box.addItem("valid", "valid")
        self.padding_box.addItem("same", "same")
        self.padding_box.setToolTip("valid: (n - m + 1)², no padding (section 2.2); same: n², zero padding (2.3)")
        self.image_box = combo_box()
        self.image_box.addItem("selected test image", SELECTED)
        self.image_box.addItem("lecture 6×6 (1..36)", LECTURE)
        self.image_box.setToolTip("X: the test image chosen in every view (values x/255), or figure 2's 6x6 image")
        self.lecture_button = QPushButton("Lecture example")
        self.lecture_button.setToolTip("Figure 2: the 6x6 image 1..36 and the cross filter, valid padding")

        self.table = QTableWidget()
        self.table.setItemDelegate(EntryDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(44)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setToolTip("F(μ, ν): row μ, column ν. Type a number or a fraction such as 1/9")
        left = QWidget()  # the controls above the filter's cells, in one narrow column
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for row in ((self.preset_box,), (self.size_box, self.padding_box), (self.image_box,), (self.lecture_button,)):
            column.addLayout(row_of(*row, stretch_last=False))
        column.addWidget(QLabel("Filter F (rows μ, columns ν):"))
        column.addWidget(self.table, 1)

        self.plot = plot_widget()
        self.x_title, self.y_title = NarrowLabel(), NarrowLabel()
        self.plot.ci.addItem(self.x_title, row=0, col=0)
        self.plot.ci.addItem(self.y_title, row=0, col=1)
        self.x_box = ImageBox(self.plot.ci, GREY, row=1, col=0)
        self.y_box = ImageBox(self.plot.ci, DIVERGING, row=1, col=1)
        self.x_numbers = CellNumbers(self.x_box.vb, self.font())
        self.y_numbers = CellNumbers(self.y_box.vb, self.font())
        self.window_outline = QGraphicsRectItem()  # on X: the window of the hovered value of F ⋆ X
        self.window_outline.setPen(pg.mkPen("#ffb000", width=2, cosmetic=True))
        self.window_outline.setZValue(10)
        self.window_outline.hide()
        self.x_box.vb.addItem(self.window_outline)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.plot)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 600])
        self.status = status_label()
        view_layout(self, (split, 1), self.status)

        self.x: np.ndarray | None = None  # X as correlated
        self.result: np.ndarray | None = None  # F ⋆ X, or None (a bad entry, a filter larger than X)
        self.filter_: np.ndarray | None = None  # F as read from the cells
        self.message = ""  # why there is no result
        self._pad = (0, 0)
        self.preset_box.currentTextChanged.connect(self._on_preset)
        self.size_box.valueChanged.connect(self._on_size)
        self.padding_box.currentIndexChanged.connect(lambda _: self.apply())
        self.image_box.currentIndexChanged.connect(lambda _: self.apply())
        self.lecture_button.clicked.connect(self.lecture_example)
        self.table.itemChanged.connect(self._on_item)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        model.changed.connect(self._on_model)
        self.lecture_example()  # what a student sees first: figure 2, with its numbers
        self._on_model(frozenset({"run"}))

    # -- the filter -----------------------------------------------------------------------------------------------

    def set_entries(self, entries: list[list[str]], name: str = CUSTOM) -> None:
        """Fill the m x m cells with ``entries`` (strings, as typed) and apply; ``name`` the preset shown."""
        m = len(entries)
        for w in (self.table, self.size_box, self.preset_box):
            w.blockSignals(True)
        self.table.setRowCount(m)
        self.table.setColumnCount(m)
        self.table.setHorizontalHeaderLabels([f"ν={k}" for k in range(m)])
        self.table.setVerticalHeaderLabels([f"μ={k}" for k in range(m)])
        for mu in range(m):
            for nu in range(m):
                item = QTableWidgetItem(str(entries[mu][nu]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(mu, nu, item)
        self.size_box.setValue(m)
        self.preset_box.setCurrentText(name)
        for w in (self.table, self.size_box, self.preset_box):
            w.blockSignals(False)
        self.apply()

    def set_filter(self, F) -> None:
        """Enter the numbers of a square array as the filter (custom)."""
        F = np.asarray(F, dtype=np.float64)
        self.set_entries([[repr(float(v)) if v != int(v) else str(int(v)) for v in row] for row in F])

    def entries(self) -> list[list[str]]:
        """The cells' texts, row by row."""
        m = self.table.rowCount()
        return [[self.table.item(mu, nu).text() if self.table.item(mu, nu) else "" for nu in range(m)]
                for mu in range(m)]

    def read_filter(self) -> np.ndarray:
        """F from the cells (float64); ValueError naming the first entry that is not a number."""
        entries = self.entries()
        F = np.zeros((len(entries), len(entries)), dtype=np.float64)
        for mu, row in enumerate(entries):
            for nu, text in enumerate(row):
                try:
                    F[mu, nu] = parse_entry(text)
                except ValueError as e:
                    raise ValueError(f"Filter entry F({mu}, {nu}) is not usable: {e} (write a number such as -1, "
                                     "0.25 or a fraction such as 1/9).") from None
        return F

    def _on_preset(self, name: str) -> None:
        if name in PRESETS:
            size, _ = PRESETS[name]
            self.set_entries(preset(name, size or self.size_box.value()), name=name)

    def _on_size(self, m: int) -> None:
        name = self.preset_box.currentText()
        if name in PRESETS and PRESETS[name][0] is None:  # identity and box blur come in every size
            self.set_entries(preset(name, m), name=name)
            return
        old = self.entries()  # keep the top-left entries, zeros for the new ones
        self.set_entries([[old[mu][nu] if mu < len(old) and nu < len(old) else "0" for nu in range(m)]
                          for mu in range(m)])

    def _on_item(self, _item) -> None:
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentText(CUSTOM)
        self.preset_box.blockSignals(False)
        self.apply()

    def lecture_example(self) -> None:
        """Figure 2: the 6x6 image 1..36, the cross filter, valid padding."""
        for w in (self.padding_box, self.image_box):
            w.blockSignals(True)
        self.padding_box.setCurrentIndex(self.padding_box.findData("valid"))
        self.image_box.setCurrentIndex(self.image_box.findData(LECTURE))
        for w in (self.padding_box, self.image_box):
            w.blockSignals(False)
        self.set_entries(preset("cross (figure 2)"), name="cross (figure 2)")

    # -- the image and the result ---------------------------------------------------------------------------------

    def padding(self) -> str:
        return self.padding_box.currentData()

    def image_choice(self) -> str:
        return self.image_box.currentData()

    def image(self) -> tuple[np.ndarray, str]:
        """X (float64) and its name."""
        m = self.model
        if self.image_choice() == SELECTED and m.start is not None and m.has_image(m.selection.image):
            i = m.selection.image
            return m.image(i).astype(np.float64) / 255, f"X = {m.describe_image(i)}/255"
        return LECTURE_IMAGE, "X = figure 2"

    def _on_model(self, changes) -> None:
        if "run" in changes:
            has_run = self.model.start is not None and len(self.model.image_indices) > 0
            item = self.image_box.model().item(0)
            item.setEnabled(has_run)
            if not has_run and self.image_choice() == SELECTED:
                self.image_box.setCurrentIndex(self.image_box.findData(LECTURE))  # applies
                return
        if changes & {"run", "image"} and self.image_choice() == SELECTED:
            self.apply()

    def apply(self) -> None:
        """Correlate the cells' filter with X and draw both."""
        self.x, name = self.image()
        self._draw(self.x_box, self.x_numbers, self.x, GREY, (0.0, max(float(self.x.max()), 1e-9)))
        self.x_title.setText(f"{name} ({self.x.shape[0]}×{self.x.shape[1]})")
        self.window_outline.hide()
        try:
            self.filter_ = self.read_filter()
            if self.padding() == "valid" and len(self.filter_) > min(self.x.shape):
                raise ValueError(f"A {len(self.filter_)}×{len(self.filter_)} filter does not fit the "
                                 f"{self.x.shape[0]}×{self.x.shape[1]} image with valid padding: choose same "
                                 "padding or a smaller filter.")
        except ValueError as e:
            self.result, self.message = None, str(e)
            self.y_box.clear()
            self.y_numbers.clear()
            self.y_title.setText("F ⋆ X: none")
            self.status.setText(self.message)
            return
        m = len(self.filter_)
        self.result, self.message = correlate(self.filter_, self.x, self.padding()), ""
        self._pad = (m - 1) // 2 if self.padding() == "same" else 0, m // 2 if self.padding() == "same" else 0
        top = max(float(np.abs(self.result).max()), 1e-9)
        self._draw(self.y_box, self.y_numbers, self.result, DIVERGING, (-top, top))
        self.y_title.setText(f"F ⋆ X, {self.padding()} ({self.result.shape[0]}×{self.result.shape[1]})")
        self.status.setText(f"(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν) with a {m}×{m} filter, "
                            + ("no padding" if self.padding() == "valid" else
                               f"X padded with {self._pad[0]} zero rows and columns before and {self._pad[1]} "
                               "after") + ". Hover a value to see its sum.")

    def _draw(self, box: ImageBox, numbers: CellNumbers, array: np.ndarray, cmap, levels) -> None:
        box.set_colormap(cmap)
        box.set(array.astype(np.float32), levels)
        if array.size <= 20 * 20:
            if cmap is GREY:
                fractions = 1 - array / levels[1]  # dark background: light text
            else:
                fractions = np.abs(array) / levels[1]
            numbers.set([[fmt(float(v)) for v in row] for row in array], contrast(fractions))
        else:
            numbers.clear()

    # -- hover ----------------------------------------------------------------------------------------------------

    def _on_hover(self, scene_pos) -> None:
        if self.x is None:
            return
        hit = self.x_box.pixel(scene_pos)
        if hit is not None:
            self.window_outline.hide()
            self.status.setText(f"X({hit[0]}, {hit[1]}) = {fmt(float(self.x[hit]))}")
            return
        hit = self.y_box.pixel(scene_pos) if self.result is not None else None
        if hit is not None:
            self.status.setText(self.explain(*hit))
            m = len(self.filter_)
            self.window_outline.setRect(hit[1] - self._pad[0], hit[0] - self._pad[0], m, m)
            self.window_outline.show()

    def explain(self, j: int, k: int) -> str:
        """(F ⋆ X)(j, k) written out: its non-zero terms F(μ, ν)·X(j + μ, k + ν) (zeros outside X) and the sum."""
        F, m = self.filter_, len(self.filter_)
        xpad = np.pad(self.x, [self._pad, self._pad]) if self.padding() == "same" else self.x
        window = xpad[j:j + m, k:k + m]
        terms = [(" − " if F[mu, nu] < 0 else " + ") + f"{fmt(abs(F[mu, nu]))}·{fmt(window[mu, nu])}"
                 for mu in range(m) for nu in range(m) if F[mu, nu] != 0]  # subtracted, never "+ -1·0.99"
        text = "".join(terms[:12])
        shown = {" − ": "−"}.get(text[:3], "") + text[3:]  # a first term without "+ ", or with its "−"
        shown += f" + … ({len(terms) - 12} more)" if len(terms) > 12 else ""
        return f"(F ⋆ X)({j}, {k}) = {shown or '0'} = {fmt(float(self.result[j, k]))}"

    def scene_pos(self, which: str, row: int, col: int) -> QPointF:
        """The scene position of a pixel's centre of X (``which`` "x") or of F ⋆ X ("y") (for tests)."""
        return (self.x_box if which == "x" else self.y_box).scene_pos(row, col)
