"""The confusion matrix at the timeline's evaluation, and the test images behind each of its cells.

The evaluation shown is the model's (the last one at or before the timeline cursor): its ``confusion`` matrix
(classes x classes, row = true class i, column = predicted class j) is drawn with its counts in the cells and
coloured by the fraction of its row, ``confusion[i, j] / sum_j confusion[i, j]`` (white 0 to dark blue 1), so
that every true class reads the same however many test images it has.

Clicking cell (i, j) lists, in the gallery beside it, the test images whose label is i and whose predicted
class at that evaluation (``EvalRecord.predicted``) is j, in test-set order, each with its confidence (the
probability of the predicted class, ``EvalRecord.confidence``) and its three most probable classes (a forward
pass with the parameters of the evaluation's snapshot, as ``model.eval_probabilities``). The first GALLERY are
shown, "show more" adds the next. Clicking an image selects it in every view. The chosen cell is this view's
filter, like the predictions view's "misclassified only"; the image is the model's one selection. Where only the
probe images are at hand (a replay whose test set was not found), the gallery holds the probe images of the
cell and one line says so. At first, and whenever an image that is not in the chosen cell is selected (in any
view), the chosen cell is the selected image's.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsRectItem,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cnnviz.core import Network
from cnnviz.data import to_input
from cnnviz.gui.views.common import (
    AXIS,
    TEXT,
    color_bar,
    gray_pixmap,
    plot_widget,
    row_of,
    status_label,
    view_layout,
)
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.numbers import CellNumbers, contrast
from cnnviz.training import early_note

# White to dark blue (ColorBrewer's Blues ends): the fraction of the true class's test images in a cell.
BLUES = pg.ColorMap([0.0, 1.0], [(247, 251, 255), (8, 48, 107)], name="blues")
CHOSEN = "#ffb000"  # the outline of the chosen cell
GALLERY = 60  # images the gallery adds at a time
ICON = 56  # gallery image size in pixels (two screen pixels an MNIST pixel)
CELL = QSize(108, ICON + 40)  # a gallery cell: the image and two lines of caption
NARROW = 420  # a view narrower than this (pixels) hides the colour bar


class Gallery(QListWidget):
    """A grid of images that keeps its current one (the selected image) in sight: an icon view lays its items out
    again, later, after each resize, and a scroll made before that lands elsewhere."""

    def scroll_to_current(self) -> None:
        """Show the current item now and after the next layout of the items."""
        self._keep_current = True
        if self.currentItem() is not None:
            self.scrollToItem(self.currentItem())

    def doItemsLayout(self) -> None:
        super().doItemsLayout()
        if getattr(self, "_keep_current", False) and self.currentItem() is not None:
            self.scrollToItem(self.currentItem())

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # the user scrolled: leave the view where it is
        super().scrollContentsBy(dx, dy)
        if self.underMouse():
            self._keep_current = False


class ConfusionView(QWidget):
    """The shown evaluation's confusion matrix (counts, row-normalised colours, true class down, predicted class
    across) and a gallery of the test images of the chosen cell."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.summary = status_label(lines=1)

        self.plot = plot_widget()
        self.pi = self.plot.addPlot(row=0, col=0)
        self.pi.setMouseEnabled(False, False)
        self.pi.setMenuEnabled(False)
        self.pi.hideButtons()
        self.vb = self.pi.getViewBox()
        self.vb.invertY(True)
        self.vb.setAspectLocked(True)
        for name, text in (("left", self.tr("true class")), ("bottom", self.tr("predicted class"))):
            axis = self.pi.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setTextPen(TEXT)
            axis.setPen(AXIS)
            self.pi.setLabel(name, text, color=TEXT)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.image)
        self.outline = QGraphicsRectItem()  # around the chosen cell
        self.outline.setPen(pg.mkPen(CHOSEN, width=3, cosmetic=True))
        self.outline.setZValue(10)
        self.outline.hide()
        self.vb.addItem(self.outline)
        self.numbers = CellNumbers(self.vb, self.font())
        self.bar = color_bar(BLUES)
        self.bar.setLevels((0.0, 1.0))
        self.plot.ci.addItem(self.bar, row=0, col=1)

        self.gallery = Gallery()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setIconSize(QSize(ICON, ICON))
        self.gallery.setGridSize(CELL)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setWordWrap(True)
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gallery.setMinimumWidth(CELL.width() + 30)
        self.gallery_title = status_label(lines=2)
        self.more_button = QPushButton(self.tr("show more"))
        self.more_button.setToolTip(self.tr("Add the next {n} images of this cell").format(n=GALLERY))
        self.more_button.hide()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.gallery_title)
        column.addWidget(self.gallery, 1)
        column.addWidget(self.more_button)

        self.split = QSplitter()
        self.split.addWidget(self.plot)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([300, 300])
        self.status = status_label(self.tr("Rows: true class, columns: predicted class, colour: the row's share. "
                                           "Click a cell for its test images, an image to select it in every view."))
        view_layout(self, row_of(self.summary), (self.split, 1), self.status)

        self.cell: tuple[int, int] | None = None  # the chosen cell (true class, predicted class)
        self.indices = np.zeros(0, dtype=np.int64)  # the test indices of the chosen cell that are at hand
        self.count = 0  # how many of them the gallery shows
        self._drawn: tuple | None = None  # what the matrix and gallery were drawn from
        self._network: Network | None = None  # for the gallery's top-3 classes
        self._probs: dict[int, np.ndarray] = {}  # test index -> probabilities at the drawn evaluation
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.gallery.itemClicked.connect(self._on_item)
        self.gallery.itemActivated.connect(self._on_item)
        self.more_button.clicked.connect(self.show_more)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- following the model --------------------------------------------------------------------------------------

    def evaluation(self):
        return self.model.evaluation()

    def _source(self) -> tuple:
        m = self.model
        return m.eval_index, m.evals.steps[m.eval_index] if m.eval_index is not None else None, len(m.image_indices)

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.cell, self._drawn, self._network = None, None, None
            self._probs = {}
        if changes & {"run", "eval", "data"} and self._source() != self._drawn or "indices" in changes:
            self._drawn = None  # out of date until redrawn (now, on its turn while the run grows, or when shown)
            self.model.redraws.request(self.redraw)
        elif "image" in changes:
            self.model.redraws.request(self._follow_selection)

    def redraw(self) -> None:
        """Draw the matrix of the shown evaluation and the chosen cell's gallery."""
        self._drawn = self._source()
        self._probs = {}
        ev = self.evaluation()
        if ev is None:
            self.image.clear()
            self.numbers.clear()
            self.outline.hide()
            self.summary.setText(self.tr("No evaluation yet.") if self.model.start is not None else self.tr("No run."))
            self._fill_gallery(np.zeros(0, dtype=np.int64), "")
            self.gallery_title.setText("")
            return
        confusion = np.asarray(ev.confusion)
        n = len(confusion)
        fractions = self.fractions()
        self.image.setImage(BLUES.map(fractions.ravel(), mode="byte").reshape(n, n, 4), levels=(0, 255))
        self.image.setRect(0, 0, n, n)
        self.numbers.set([[str(int(c)) for c in row] for row in confusion], contrast(fractions))
        ticks = [[(k + 0.5, str(k)) for k in range(n)]]
        for name in ("left", "bottom"):
            self.pi.getAxis(name).setTicks(ticks)
        self.vb.setRange(xRange=(0, n), yRange=(0, n), padding=0.02)
        total = int(confusion.sum())
        self.summary.setText(self.tr("Step {step} (epoch {epoch}): {right} of {total} test images right "
                                     "({percent:.1f}%){early}").format(
            step=ev.step, epoch=ev.epoch, right=int(np.trace(confusion)), total=total, percent=100 * ev.test_accuracy,
            early=translated(early_note(ev.n_images, self.model.start.n_test))))
        if self.cell is None:  # at first, the cell of the selected image
            i = self.model.selection.image
            if self.model.has_image(i) and 0 <= i < len(ev.predicted):  # a test image (not the user's own)
                self.cell = (self.model.label(i), int(ev.predicted[i]))
        if self.cell is not None and max(self.cell) < n:
            self.choose(*self.cell)
        else:
            self.cell = None
            self.outline.hide()
            self._fill_gallery(np.zeros(0, dtype=np.int64), self.tr("Click a cell to see its test images."))

    def fractions(self) -> np.ndarray:
        """The colours' values: each count divided by its row's sum (0 for an empty row)."""
        confusion = np.asarray(self.evaluation().confusion, dtype=np.float64)
        rows = confusion.sum(axis=1, keepdims=True)
        return np.divide(confusion, rows, out=np.zeros_like(confusion), where=rows > 0)

    # -- the chosen cell and its gallery ----------------------------------------------------------------------

    def cell_indices(self, true: int, predicted: int) -> np.ndarray:
        """The test indices at hand whose label is ``true`` and whose predicted class at the shown evaluation is
        ``predicted``, in test-set order."""
        m, ev = self.model, self.evaluation()
        available = m.image_indices[m.image_indices < len(ev.predicted)]  # images the evaluation classified
        labels = (m.test_labels[available] if m.test_labels is not None else
                  np.array([m.label(int(i)) for i in available], dtype=np.int64))
        keep = (labels == true) & (np.asarray(ev.predicted)[available] == predicted)
        return available[keep]

    def choose(self, true: int, predicted: int) -> None:
        """Show the test images of cell (``true``, ``predicted``) in the gallery."""
        ev = self.evaluation()
        if ev is None:
            return
        self.cell = (true, predicted)
        self.outline.setRect(predicted, true, 1, 1)
        self.outline.show()
        count = int(ev.confusion[true, predicted])
        indices = self.cell_indices(true, predicted)
        if true == predicted:
            head = (self.tr("True {true}, predicted {predicted} (right): {count} test image") if count == 1 else
                    self.tr("True {true}, predicted {predicted} (right): {count} test images"))
        else:
            head = (self.tr("True {true}, predicted {predicted} (wrong): {count} test image") if count == 1 else
                    self.tr("True {true}, predicted {predicted} (wrong): {count} test images"))
        head = head.format(true=true, predicted=predicted, count=count)
        if self.model.test_images is None:
            head = self.tr("{head}. Only the probe images are at hand (the session's test set was not found): {n} of "
                           "them are here.").format(head=head, n=len(indices))
        self._fill_gallery(indices, head)

    def _fill_gallery(self, indices: np.ndarray, head: str) -> None:
        self.indices, self.count = indices, 0
        self._head = head
        self.gallery.clear()
        self.show_more()
        self.gallery.scrollToTop()
        self.gallery.scroll_to_current()

    def show_more(self) -> None:
        """Add the next GALLERY images of the chosen cell to the gallery."""
        new = self.indices[self.count:self.count + GALLERY]
        probs = self.probabilities(new)
        self.gallery.blockSignals(True)
        for k, i in enumerate(new):
            i, p = int(i), None if probs is None else probs[k]  # None: the evaluation's snapshot is not at hand
            item = QListWidgetItem(QIcon(gray_pixmap(self.model.image(i), ICON)), self._caption(i, p))
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(self._describe(i, p))
            item.setSizeHint(CELL)
            self.gallery.addItem(item)
        self.gallery.blockSignals(False)
        self.count += len(new)
        rest = len(self.indices) - self.count
        self.more_button.setVisible(rest > 0)
        self.more_button.setText(self.tr("show {n} more").format(n=min(rest, GALLERY)))
        head = self._head
        if rest > 0:
            title = self.tr("{head}, the first {shown} shown, and {rest} more.").format(head=head, shown=self.count,
                                                                                        rest=rest)
        else:
            title = head if head.endswith((".", "。")) or not head else self.tr("{head}.").format(head=head)
        self.gallery_title.setText(title)
        self._mark_selected()

    def shown(self) -> np.ndarray:
        """The test indices in the gallery now, in order."""
        return self.indices[:self.count]

    def probabilities(self, indices: np.ndarray) -> np.ndarray | None:
        """Class probabilities (len(indices), classes) of test images with the parameters of the shown
        evaluation's snapshot (one batched forward pass; ``model.eval_probabilities`` gives the same one image
        at a time); None where that snapshot is not at hand."""
        m, ev = self.model, self.evaluation()
        s = m.snapshots.at_or_before(ev.step) if ev is not None else None
        if s is None or not len(indices):
            return None
        todo = [int(i) for i in indices if int(i) not in self._probs]
        if todo:
            if self._network is None:
                cfg = m.start.config
                self._network = Network(cfg.network, seed=cfg.seed, dtype=np.dtype(cfg.dtype))
            self._network.set_params(m.snapshots[s].params)
            images = np.stack([m.image(i) for i in todo])
            with np.errstate(all="ignore"):
                probs = self._network.forward(to_input(images, self._network.dtype)).probs
            self._probs.update(zip(todo, probs))
        return np.stack([self._probs[int(i)] for i in indices])

    def _caption(self, i: int, probs: np.ndarray | None) -> str:
        """Two lines: "#index  predicted: confidence%", then the other classes of the top 3 with their
        probabilities."""
        ev = self.evaluation()
        predicted = int(ev.predicted[i])
        first = f"#{self.model.indices(i)}  {predicted}: {100 * float(ev.confidence[i]):.0f}%"
        if probs is None:
            return first
        top = [int(k) for k in np.argsort(-probs, kind="stable")[:3]]
        rest = top[1:] if top[0] == predicted else top
        return first + "\n" + " · ".join(f"{k}: {100 * probs[k]:.0f}%" for k in rest)

    def _describe(self, i: int, probs: np.ndarray | None) -> str:
        ev = self.evaluation()
        text = self.tr("{image}: label {label}, predicted {predicted} with probability {p:.3f} (step {step})").format(
            image=translated(self.model.describe_image(i)), label=self.model.label(i), predicted=int(ev.predicted[i]),
            p=float(ev.confidence[i]), step=ev.step)
        if probs is not None:
            top = np.argsort(-probs, kind="stable")[:3]
            text = self.tr("{text}; most probable: {top}").format(
                text=text, top=", ".join(f"{k} ({probs[k]:.3f})" for k in top))
        return text

    def top3(self, i: int) -> list[int]:
        """The three most probable classes of test image ``i`` at the shown evaluation (most probable first)."""
        return [int(k) for k in np.argsort(-self.probabilities(np.array([i]))[0], kind="stable")[:3]]

    def _follow_selection(self) -> None:
        """The selected image changed: show its cell if it is not in the chosen one, and mark it."""
        m, ev, i = self.model, self.evaluation(), self.model.selection.image
        if ev is not None and m.has_image(i) and 0 <= i < len(ev.predicted) and i not in self.indices:
            self.choose(m.label(i), int(ev.predicted[i]))
            return
        if i in self.indices and i not in self.shown():  # further down a large cell: show up to it
            while i not in self.shown():
                self.show_more()
        self._mark_selected()
        self.gallery.scroll_to_current()

    def _mark_selected(self) -> None:
        """Select the model's selected image in the gallery if it is there."""
        at = np.flatnonzero(self.shown() == self.model.selection.image)
        self.gallery.blockSignals(True)
        if len(at):
            self.gallery.setCurrentRow(int(at[0]))
        else:
            self.gallery.clearSelection()
            self.gallery.setCurrentRow(-1)
        self.gallery.blockSignals(False)

    def selected_in_gallery(self) -> int | None:
        """The test index selected in the gallery, or None."""
        items = self.gallery.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _on_item(self, item: QListWidgetItem) -> None:
        self.model.select(image=int(item.data(Qt.ItemDataRole.UserRole)))

    # -- narrow docks ----------------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        """Side by side where the view is wide, the gallery under the matrix where it is narrow (a tab in a small
        window); the colour bar and the axis titles only where there is room for them."""
        super().resizeEvent(event)
        size = event.size()
        orientation = Qt.Orientation.Horizontal if size.width() >= 1.2 * size.height() else Qt.Orientation.Vertical
        if self.split.orientation() != orientation:
            self.split.setOrientation(orientation)
            total = size.width() if orientation == Qt.Orientation.Horizontal else size.height()
            first = total // 2 if orientation == Qt.Orientation.Horizontal else total * 3 // 5
            self.split.setSizes([first, total - first])
        roomy = size.width() >= NARROW and size.height() >= NARROW * 3 // 4
        if self.bar.isVisible() != roomy:
            self.bar.setVisible(roomy)
            self.bar.setMaximumWidth(10_000 if roomy else 0)  # hidden, it gives its column back
            for name in ("left", "bottom"):
                self.pi.showLabel(name, roomy)

    # -- the mouse on the matrix ------------------------------------------------------------------------------

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        """(true, predicted) of the matrix cell under a scene position, or None."""
        ev = self.evaluation()
        if ev is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        n = len(ev.confusion)
        if not (0 <= p.x() < n and 0 <= p.y() < n):
            return None
        return int(p.y()), int(p.x())

    def scene_pos(self, true: int, predicted: int) -> QPointF:
        """The scene position of the centre of a cell (for tests and scripted clicks)."""
        return self.vb.mapViewToScene(QPointF(predicted + 0.5, true + 0.5))

    def _on_click(self, event) -> None:
        hit = self.cell_at(event.scenePos())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.choose(*hit)

    def _on_hover(self, scene_pos) -> None:
        hit = self.cell_at(scene_pos)
        if hit is None:
            return
        i, j = hit
        confusion = self.evaluation().confusion
        row = int(confusion[i].sum())
        self.status.setText(self.tr("True {true}, predicted {predicted}: {count} of the {row} test images of class "
                                    "{true} ({percent:.1f}%). Click to see them.").format(
            true=i, predicted=j, count=int(confusion[i, j]), row=row, percent=100 * self.fractions()[i, j]))
