"""The filter playground (section 2.2): an m x m filter F, entered by hand or chosen from presets, correlated
with an image X, and F ⋆ X shown beside X.

    valid (section 2.2): (F ⋆ X)(j, k) = sum_mu sum_nu F(mu, nu) X(j + mu, k + nu), shape (n1 - m + 1, n2 - m + 1)
    same (section 2.3):  X zero-padded by fix((m - 1) / 2) before and fix(m / 2) after each axis, then valid,
                         shape (n1, n2) (for an even m the notes' first row and column are dropped)

computed by :func:`cnnviz.core.correlate`; indices are 0-based as in the code. X is the model's selected test
image with values x / 255 in [0, 1], as the network sees it; the lecture's figure 2 image (6 x 6, 1..36 row by
row); an X typed in (:func:`parse_matrix`: up to 32 x 32 numbers or fractions); or an image file of up to 256 x
256 pixels as it is, in grey from 0 to 1 (figures 3 to 5: the Sobel filters on a photograph). With same padding
the zero-padded X̃ that is correlated is drawn between X and F ⋆ X.

The view opens on figure 2, and "Lecture example" sets it up again in one click: that image, the cross filter
[[0,1,0],[1,1,1],[0,1,0]], valid padding, giving [[40, 45, 50, 55], [70, ...], ..., [..., 145]]. "Exercise 1" and
"Exercise 2" type in the notes' exercises (:data:`cnnviz.lecture.WORKED_EXAMPLES`), and wherever X, F and the
padding are one of the notes' worked examples the notes' answer is written beside the playground's. Where the
arrays are small, their numbers are written in the cells; hovering a value of F ⋆ X writes its sum and outlines
the window of X (and of X̃) it comes from.

A filter entry is a number (``-1``, ``0.25``, ``1e-3``) or a fraction (``1/9``): the cell's editor refuses
anything else, and an entry that is not one anyway (set from code) is named in one line, with no result; so is a
typed X that is not a matrix of such entries, and an image file that cannot be read or is too large.
The chosen test image is the model's one selection; the filter, the padding, the typed X and the file are this
view's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRegularExpression, QSignalBlocker, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGraphicsItem,
    QGraphicsRectItem,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
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
from cnnviz.gui.i18n import translated
from cnnviz.imageprep import grey
from cnnviz.lecture import EXERCISE1, EXERCISE2, EXERCISE2_G, FIGURE2, WorkedExample
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
from cnnviz.gui.views.draw import IMAGE_FILTER, read_image_file
from cnnviz.gui.views.numbers import CellNumbers, contrast
from cnnviz.gui.views.playground_input import (  # noqa: F401 (PRESETS, parse_entry, preset: the view's API)
    CUSTOM,
    LECTURE_IMAGE,
    MAX_TYPED,
    NUMBER,
    PRESETS,
    matrix_text,
    parse_entries,
    parse_entry,
    parse_matrix,
    preset,
    worked_example,
)

SIZES = (2, 7)  # the filter sizes m offered
SELECTED, LECTURE, TYPED, FILE = "selected", "lecture", "typed", "file"  # the image choices
MAX_FILE = 256  # an image file has at most MAX_FILE x MAX_FILE pixels
# The presets and the notes' worked examples by name (PRESETS' keys, cnnviz.lecture's names), in words shown
NAMES = {CUSTOM: QT_TRANSLATE_NOOP("PlaygroundView", "custom"),
         "identity": QT_TRANSLATE_NOOP("PlaygroundView", "identity"),
         "cross (figure 2)": QT_TRANSLATE_NOOP("PlaygroundView", "cross (figure 2)"),
         "Sobel x": QT_TRANSLATE_NOOP("PlaygroundView", "Sobel x"),
         "Sobel y": QT_TRANSLATE_NOOP("PlaygroundView", "Sobel y"),
         "Laplacian": QT_TRANSLATE_NOOP("PlaygroundView", "Laplacian"),
         "box blur": QT_TRANSLATE_NOOP("PlaygroundView", "box blur"),
         "Figure 2": QT_TRANSLATE_NOOP("PlaygroundView", "Figure 2"),
         "Exercise 1": QT_TRANSLATE_NOOP("PlaygroundView", "Exercise 1"),
         "Exercise 2": QT_TRANSLATE_NOOP("PlaygroundView", "Exercise 2"),
         "Exercise 2 (G)": QT_TRANSLATE_NOOP("PlaygroundView", "Exercise 2 (G)")}
translate = QCoreApplication.translate


def read_picture(path: str) -> tuple[np.ndarray, str]:
    """An image file as it is, in grey from 0 to 1 (float64), and its name; ValueError (one sentence) for a file
    that cannot be read as an image or has a side longer than MAX_FILE pixels."""
    pixels = read_image_file(path)
    h, w = pixels.shape[:2]
    if max(h, w) > MAX_FILE:
        raise ValueError(translate("PlaygroundView", "{path} is {w} × {h} pixels: the playground takes images of at "
                                                     "most {most} × {most} as they are (crop or shrink it).").format(
            path=path, w=w, h=h, most=MAX_FILE))
    return grey(pixels).astype(np.float64), Path(path).name


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
        for name in (CUSTOM, *PRESETS):  # each preset by its name (what the code and the remembered choice say)
            self.preset_box.addItem(self.tr(NAMES[name]), name)
        self.preset_box.setToolTip(self.tr("A filter to start from; editing a cell makes it custom"))
        self.size_box = QSpinBox()
        self.size_box.setRange(*SIZES)
        self.size_box.setPrefix("m = ")
        self.size_box.setToolTip(self.tr("The filter's size m x m"))
        self.padding_box = combo_box()
        self.padding_box.addItem("valid", "valid")
        self.padding_box.addItem("same", "same")
        self.padding_box.setToolTip(self.tr("valid: (n - m + 1)², no padding (section 2.2); same: n², zero padding "
                                            "(2.3)"))
        self.image_box = combo_box()
        self.image_box.addItem(self.tr("selected test image"), SELECTED)
        self.image_box.addItem(self.tr("lecture 6×6 (1..36)"), LECTURE)
        self.image_box.addItem(self.tr("typed X"), TYPED)
        self.image_box.addItem(self.tr("image file"), FILE)
        self.image_box.model().item(self.image_box.findData(FILE)).setEnabled(False)  # until one is opened
        self.image_box.setToolTip(self.tr("X: the test image chosen in every view (values x/255), figure 2's 6x6 "
                                          "image, an X typed below, or an image file as it is (grey, 0 to 1)"))
        self.open_button = QPushButton(self.tr("Open image…"))
        self.open_button.setToolTip(self.tr("An image file of at most {most}×{most} pixels, as it is, in grey (figures "
                                            "3 to 5: try the Sobel filters)").format(most=MAX_FILE))
        self.x_edit = QPlainTextEdit(matrix_text(EXERCISE1.x))
        self.x_edit.setToolTip(self.tr("X: one row a line, entries separated by spaces; numbers or fractions such as "
                                       "1/2; at most {most}×{most}").format(most=MAX_TYPED))
        self.x_edit.setFixedHeight(6 * self.x_edit.fontMetrics().lineSpacing())
        self.x_edit.hide()
        self.lecture_button = QPushButton(self.tr("Lecture example"))
        self.lecture_button.setToolTip(self.tr("Figure 2: the 6x6 image 1..36 and the cross filter, valid padding"))
        self.exercise_buttons = (QPushButton(self.tr(NAMES["Exercise 1"])), QPushButton(self.tr(NAMES["Exercise 2"])))
        self.exercise_buttons[0].setToolTip(self.tr("Section 2.2, exercise 1: F ⋆ X of a 4x4 X, valid padding"))
        self.exercise_buttons[1].setToolTip(self.tr("Section 2.3, exercise 2: the same X and F with same padding "
                                                    "(F ⋆zp X)"))
        self.answer = QLabel()  # the notes' answer, where X, F and the padding are one of their examples
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget()
        self.table.setItemDelegate(EntryDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(44)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setToolTip(self.tr("F(μ, ν): row μ, column ν. Type a number or a fraction such as 1/9"))
        left = QWidget()  # the controls above the filter's cells, in one narrow column
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for row in ((self.preset_box,), (self.size_box, self.padding_box), (self.image_box, self.open_button)):
            column.addLayout(row_of(*row, stretch_last=False))
        column.addWidget(self.x_edit)
        column.addLayout(row_of(self.lecture_button, *self.exercise_buttons, stretch_last=False))
        column.addWidget(self.answer)
        column.addWidget(QLabel(self.tr("Filter F (rows μ, columns ν):")))
        column.addWidget(self.table, 1)

        self.plot = plot_widget()
        self.x_title, self.padded_title, self.y_title = NarrowLabel(), NarrowLabel(), NarrowLabel()
        self.plot.ci.addItem(self.x_title, row=0, col=0)
        self.plot.ci.addItem(self.y_title, row=0, col=2)
        self.x_box = ImageBox(self.plot.ci, GREY, row=1, col=0)
        self.padded_box = ImageBox(self.plot.ci, GREY, row=1, col=1)  # X̃: in the layout with same padding only
        self.y_box = ImageBox(self.plot.ci, DIVERGING, row=1, col=2)
        self.plot.ci.removeItem(self.padded_box.vb)
        self.x_numbers = CellNumbers(self.x_box.vb, self.font())
        self.padded_numbers = CellNumbers(self.padded_box.vb, self.font())
        self.y_numbers = CellNumbers(self.y_box.vb, self.font())
        # On X and on X̃: the window of the hovered value of F ⋆ X.
        self.window_outline, self.padded_outline = QGraphicsRectItem(), QGraphicsRectItem()
        for outline, box in ((self.window_outline, self.x_box), (self.padded_outline, self.padded_box)):
            outline.setPen(pg.mkPen("#ffb000", width=2, cosmetic=True))
            outline.setZValue(10)
            outline.hide()
            box.vb.addItem(outline)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.plot)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 600])
        self.status = status_label()
        view_layout(self, (split, 1), self.status)

        self.x: np.ndarray | None = None  # X as correlated
        self.padded: np.ndarray | None = None  # X̃: X zero-padded as correlated (X itself with valid padding)
        self.file_image: tuple[np.ndarray, str] | None = None  # the image file opened, and its name
        self.result: np.ndarray | None = None  # F ⋆ X, or None (a bad entry, a filter larger than X)
        self.filter_: np.ndarray | None = None  # F as read from the cells
        self.message = ""  # why there is no result
        self._pad = (0, 0)
        self.preset_box.currentIndexChanged.connect(lambda _: self._on_preset(self.preset_box.currentData()))
        self.size_box.valueChanged.connect(self._on_size)
        self.padding_box.currentIndexChanged.connect(lambda _: self.apply())
        self.image_box.currentIndexChanged.connect(self._on_image_choice)
        self.lecture_button.clicked.connect(self.lecture_example)
        self.exercise_buttons[0].clicked.connect(lambda: self.show_example(EXERCISE1))
        self.exercise_buttons[1].clicked.connect(lambda: self.show_example(EXERCISE2))
        self.open_button.clicked.connect(self._on_open)
        self.x_edit.textChanged.connect(self._on_typed)
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
        self.preset_box.setCurrentIndex(self.preset_box.findData(name))
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
        return parse_entries(self.entries(), "F", self.model.indices)

    def _on_preset(self, name: str) -> None:
        if name in PRESETS:
            size, _ = PRESETS[name]
            self.set_entries(preset(name, size or self.size_box.value()), name=name)

    def _on_size(self, m: int) -> None:
        name = self.preset_box.currentData()
        if name in PRESETS and PRESETS[name][0] is None:  # identity and box blur come in every size
            self.set_entries(preset(name, m), name=name)
            return
        old = self.entries()  # keep the top-left entries, zeros for the new ones
        self.set_entries([[old[mu][nu] if mu < len(old) and nu < len(old) else "0" for nu in range(m)]
                          for mu in range(m)])

    def _on_item(self, _item) -> None:
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(self.preset_box.findData(CUSTOM))
        self.preset_box.blockSignals(False)
        self.apply()

    def lecture_example(self) -> None:
        """Figure 2: the 6x6 image 1..36, the cross filter, valid padding."""
        self.show_example(FIGURE2)

    def show_example(self, example: WorkedExample) -> None:
        """Set up one of the notes' worked examples: figure 2 on the lecture image, an exercise's X typed in; its
        filter and padding."""
        with QSignalBlocker(self.padding_box), QSignalBlocker(self.image_box), QSignalBlocker(self.x_edit):
            self.padding_box.setCurrentIndex(self.padding_box.findData(example.padding))
            if example is FIGURE2:
                self.image_box.setCurrentIndex(self.image_box.findData(LECTURE))
            else:
                self.x_edit.setPlainText(matrix_text(example.x))
                self.image_box.setCurrentIndex(self.image_box.findData(TYPED))
        self.x_edit.setVisible(self.image_choice() == TYPED)
        name = "cross (figure 2)" if example is FIGURE2 else CUSTOM
        self.set_entries([[str(v) for v in row] for row in example.filter], name=name)

    # -- the image and the result ---------------------------------------------------------------------------------

    def padding(self) -> str:
        return self.padding_box.currentData()

    def image_choice(self) -> str:
        return self.image_box.currentData()

    def image(self) -> tuple[np.ndarray, str]:
        """X (float64) and its name; ValueError (one sentence) for a typed X that is not a matrix of numbers."""
        m, choice = self.model, self.image_choice()
        if choice == SELECTED and m.start is not None and m.has_image(m.selection.image):
            i = m.selection.image
            return m.image(i).astype(np.float64) / 255, f"X = {translated(m.describe_image(i))}/255"
        if choice == TYPED:
            return parse_matrix(self.x_edit.toPlainText(), self.model.indices), self.tr("X typed")
        if choice == FILE and self.file_image is not None:
            return self.file_image[0], f"X = {self.file_image[1]}"
        return LECTURE_IMAGE, self.tr("X = figure 2")

    def load_file(self, path: str) -> bool:
        """Open an image file as X (as it is, in grey); False, with one sentence under the view, for a file that
        cannot be read or is larger than MAX_FILE x MAX_FILE (then X stays)."""
        try:
            self.file_image = read_picture(str(path))
        except ValueError as e:
            self.status.setText(str(e))
            return False
        self.image_box.model().item(self.image_box.findData(FILE)).setEnabled(True)
        with QSignalBlocker(self.image_box):
            self.image_box.setCurrentIndex(self.image_box.findData(FILE))
        self._on_image_choice()
        return True

    def _on_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image for the playground"), "", IMAGE_FILTER)
        if path:
            self.load_file(path)

    def _on_image_choice(self, _index: int = 0) -> None:
        self.x_edit.setVisible(self.image_choice() == TYPED)
        self.apply()

    def _on_typed(self) -> None:
        if self.image_choice() == TYPED:
            self.apply()

    def _on_model(self, changes) -> None:
        if "run" in changes:
            has_run = self.model.start is not None and len(self.model.image_indices) > 0
            item = self.image_box.model().item(0)
            item.setEnabled(has_run)
            if not has_run and self.image_choice() == SELECTED:
                self.image_box.setCurrentIndex(self.image_box.findData(LECTURE))  # applies
                return
        if changes & {"run", "image"} and self.image_choice() == SELECTED or "indices" in changes:
            self.apply()  # (the indices: a sentence about a typed entry names it anew)

    def apply(self) -> None:
        """Correlate the cells' filter with X and draw X, X̃ (same padding) and F ⋆ X."""
        self.window_outline.hide()
        self.padded_outline.hide()
        self._show_padded(False)
        try:
            self.x, name = self.image()
        except ValueError as e:
            self.x = self.padded = None
            self.x_box.clear()
            self.x_numbers.clear()
            self.x_title.setText(self.tr("X: none"))
            self._no_result(str(e))
            return
        low = min(0.0, float(self.x.min()))  # a typed X may hold negative numbers
        levels = (low, max(float(self.x.max()), low + 1e-9))
        self._draw(self.x_box, self.x_numbers, self.x, GREY, levels)
        self.x_title.setText(f"{name} ({self.x.shape[0]}×{self.x.shape[1]})")
        try:
            self.filter_ = self.read_filter()
            if self.padding() == "valid" and len(self.filter_) > min(self.x.shape):
                raise ValueError(self.tr("A {m}×{m} filter does not fit the {h}×{w} image with valid padding: "
                                         "choose same padding or a smaller filter.").format(
                    m=len(self.filter_), h=self.x.shape[0], w=self.x.shape[1]))
        except ValueError as e:
            self.padded = None
            self._no_result(str(e))
            return
        m, same = len(self.filter_), self.padding() == "same"
        self.result, self.message = correlate(self.filter_, self.x, self.padding()), ""
        self._pad = ((m - 1) // 2, m // 2) if same else (0, 0)
        self.padded = np.pad(self.x, [self._pad, self._pad])
        if same:
            self._show_padded(True)
            self._draw(self.padded_box, self.padded_numbers, self.padded, GREY, levels)
            self.padded_title.setText(self.tr("X̃, X zero-padded ({h}×{w})").format(h=self.padded.shape[0],
                                                                                  w=self.padded.shape[1]))
        top = max(float(np.abs(self.result).max()), 1e-9)
        self._draw(self.y_box, self.y_numbers, self.result, DIVERGING, (-top, top))
        self.y_title.setText(f"F ⋆ X, {self.padding()} ({self.result.shape[0]}×{self.result.shape[1]})")
        self.status.setText((self.tr("(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν) with a {m}×{m} filter, no "
                                     "padding. Hover a value to see its sum.") if not same else
                             self.tr("(F ⋆ X)(j, k) = Σ_μ Σ_ν F(μ, ν) X(j + μ, k + ν) with a {m}×{m} filter, X padded "
                                     "with {before} zero rows and columns before and {after} after. Hover a value to "
                                     "see its sum.")).format(m=m, before=self._pad[0], after=self._pad[1]))
        self.answer.setText(self.answer_text())

    def _no_result(self, message: str) -> None:
        self.result, self.message = None, message
        self.y_box.clear()
        self.y_numbers.clear()
        self.y_title.setText(self.tr("F ⋆ X: none"))
        self.status.setText(message)
        self.answer.setText("")

    def _show_padded(self, on: bool) -> None:
        """Put X̃ (its title and box) into the middle column of the plot, or take it out."""
        shown = self.padded_box.vb in self.plot.ci.items
        if on and not shown:
            self.plot.ci.addItem(self.padded_title, row=0, col=1)
            self.plot.ci.addItem(self.padded_box.vb, row=1, col=1)
        elif shown and not on:
            self.plot.ci.removeItem(self.padded_title)
            self.plot.ci.removeItem(self.padded_box.vb)

    def answer_text(self) -> str:
        """The notes' answer where X, F and the padding are one of their worked examples, and whether the
        playground's F ⋆ X is the same; empty otherwise."""
        example = worked_example(self.x, self.filter_, self.padding())
        if example is None:
            return ""
        symbol = ("G" if example is EXERCISE2_G else "F") + (" ⋆ X" if example.padding == "valid" else " ⋆zp X")
        same = self.result is not None and np.array_equal(self.result, example.answer)
        text = (self.tr("{example}, the notes' answer: {symbol} = [{answer}], the same as here.") if same else
                self.tr("{example}, the notes' answer: {symbol} = [{answer}], not what the playground gives.")).format(
            example=self.tr(NAMES[example.name]), symbol=symbol, answer=matrix_text(example.answer, "; "))
        if example is EXERCISE2:
            text += self.tr(" Its second part, G = [1 0; 0 0]: choose identity with m = 2.")
        return text

    def _draw(self, box: ImageBox, numbers: CellNumbers, array: np.ndarray, cmap, levels) -> None:
        box.set_colormap(cmap)
        box.set(array.astype(np.float32), levels)
        if array.size <= 20 * 20:
            if cmap is GREY:
                fractions = 1 - (array - levels[0]) / (levels[1] - levels[0])  # dark background: light text
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
            self.status.setText(f"X{self.model.indices(*hit)} = {fmt(float(self.x[hit]))}")
            return
        hit = self.padded_box.pixel(scene_pos) if self.padded_box.vb in self.plot.ci.items else None
        if hit is not None:
            self.window_outline.hide()
            self.padded_outline.hide()
            (a, b), t, ix = hit, self._pad[0], self.model.indices
            inside = 0 <= a - t < self.x.shape[0] and 0 <= b - t < self.x.shape[1]
            self.status.setText(f"X̃{ix(a, b)} = " + (f"X{ix(a - t, b - t)} = {fmt(float(self.padded[hit]))}"
                                                    if inside else self.tr("0, the padding")))
            return
        hit = self.y_box.pixel(scene_pos) if self.result is not None else None
        if hit is not None:
            self.status.setText(self.explain(*hit))
            m = len(self.filter_)
            self.window_outline.setRect(hit[1] - self._pad[0], hit[0] - self._pad[0], m, m)
            self.window_outline.show()
            self.padded_outline.setRect(hit[1], hit[0], m, m)
            self.padded_outline.setVisible(self.padding() == "same")

    def explain(self, j: int, k: int) -> str:
        """(F ⋆ X)(j, k) written out: its non-zero terms F(μ, ν)·X(j + μ, k + ν) (zeros outside X) and the sum."""
        F, m = self.filter_, len(self.filter_)
        window = self.padded[j:j + m, k:k + m]
        terms = [(" − " if F[mu, nu] < 0 else " + ") + f"{fmt(abs(F[mu, nu]))}·{fmt(window[mu, nu])}"
                 for mu in range(m) for nu in range(m) if F[mu, nu] != 0]  # subtracted, never "+ -1·0.99"
        text = "".join(terms[:12])
        shown = {" − ": "−"}.get(text[:3], "") + text[3:]  # a first term without "+ ", or with its "−"
        shown += self.tr(" + … ({n} more)").format(n=len(terms) - 12) if len(terms) > 12 else ""
        return f"(F ⋆ X){self.model.indices(j, k)} = {shown or '0'} = {fmt(float(self.result[j, k]))}"

    def scene_pos(self, which: str, row: int, col: int) -> QPointF:
        """The scene position of a pixel's centre of X (``which`` "x"), X̃ ("padded") or F ⋆ X ("y") (for tests)."""
        return {"x": self.x_box, "padded": self.padded_box, "y": self.y_box}[which].scene_pos(row, col)
