"""The loss view's table in compare mode: every setting that differs between the runs compared, one row per run
(the main run first) with the step each run shows, and a button that takes the selected run out of the comparison."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from cnnviz.gui.compare import MAIN_COLOUR, Comparison, setting_name

TABLE_ROWS = 4  # the table shows this many runs at most without scrolling


class CompareTable(QWidget):
    """The differences of the runs of ``comparison`` (hidden while nothing is compared): :attr:`table` and
    :attr:`remove_button`."""

    def __init__(self, comparison: Comparison, parent: QWidget | None = None):
        super().__init__(parent)
        self.comparison = comparison
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip(self.tr("Every setting that differs between the runs compared"))
        self.remove_button = QToolButton()
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Take the selected run out of the comparison"))
        self.remove_button.setEnabled(False)
        panel = QHBoxLayout(self)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.addWidget(self.table, 1)
        panel.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()
        self.remove_button.clicked.connect(self._remove_selected)
        self.table.itemSelectionChanged.connect(self._on_selection)

    @property
    def runs(self) -> list:
        """The compared runs shown (none while nothing is compared)."""
        return self.comparison.runs if self.comparison.active else []

    def fill(self, room: int) -> None:
        """One row per run (the main run first), in at most ``room`` pixels (:meth:`fit`)."""
        table, c = self.table, self.comparison
        if not self.runs:
            self.hide()
            table.clear()
            table.setRowCount(0)
            return
        keys, rows = c.differences()
        table.blockSignals(True)
        table.clear()
        table.setColumnCount(3 + len(keys))
        table.setHorizontalHeaderLabels([self.tr("run"), self.tr("file"), self.tr("at step"), *map(setting_name, keys)])
        table.setRowCount(len(rows))
        colours = [MAIN_COLOUR] + [run.colour for run in c.runs]
        paths = [c.main.source] + [str(run.path) for run in c.runs]
        for r, (name, file, colour, values) in enumerate(zip(c.names(), c.files(), colours, rows)):
            pixmap = QPixmap(10, 10)
            pixmap.fill(QColor(*colour))
            first = QTableWidgetItem(QIcon(pixmap), ("A: " if r == 0 else "") + name)
            first.setToolTip(paths[r])
            table.setItem(r, 0, first)
            table.setItem(r, 1, QTableWidgetItem(file))
            table.setItem(r, 2, QTableWidgetItem(""))
            for k, value in enumerate(values):
                table.setItem(r, 3 + k, QTableWidgetItem(value))
        table.blockSignals(False)
        self.fit(room)
        self.fill_steps()
        self._on_selection()

    def fit(self, room: int) -> None:
        """As tall as its rows (TABLE_ROWS at most) within ``room`` pixels, shorter (scrolling) where there is less,
        and hidden where not even one row fits: the plots keep their height in a small window (the legend still
        names the runs)."""
        table = self.table
        if not self.runs:
            return
        head, row = table.horizontalHeader().sizeHint().height(), table.verticalHeader().defaultSectionSize()
        frame = 2 * table.frameWidth() + 2
        full = head + min(table.rowCount(), TABLE_ROWS) * row + frame
        fits = room >= head + row + frame
        if fits:
            table.setFixedHeight(min(full, room))
        if self.isHidden() == fits:
            self.setVisible(fits)

    def fill_steps(self) -> None:
        """The "at step" column: the step each run shows (a run shorter than the cursor: its last)."""
        runs = self.runs
        if not runs or self.table.rowCount() != len(runs) + 1:
            return
        m = self.comparison.main
        self.table.item(0, 2).setText(str(m.step))
        for r, run in enumerate(runs, 1):
            step = run.model.step
            text = (self.tr("{step} (its last)") if m.step > step else self.tr("{step} (its first)") if m.step < step
                    else "{step}")
            self.table.item(r, 2).setText(text.format(step=step))

    def rows(self) -> list[list[str]]:
        """The table's text, row by row (the header first)."""
        t = self.table
        head = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
        return [head] + [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def _on_selection(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        self.remove_button.setEnabled(any(r >= 1 for r in rows))

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        runs = [self.comparison.runs[r - 1] for r in rows if 1 <= r <= len(self.comparison.runs)]
        for run in runs:
            self.comparison.remove(run)
