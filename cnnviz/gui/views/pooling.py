"""2x2 pooling live, the lecture's figure 7: one channel's ReLU map a beside its pooled map p.

On a: the 2x2 blocks (blue grid), the winning pixel (zeta, eta) of the blocks that have a real maximum (orange
squares, max pooling only), and the odd last row or column that no block covers (hatched). A winner's mark
says by how much it beats the block's runner-up, the second largest of its four values: bold where the margin
``max - runner-up`` is at least CLEAR (5%) of the colour range [0, L_a], faint where it is smaller, none where
the block is a tie (margin at most TIE of L_a: a constant background, where every pixel holds the same small
bias, or four zeros), where the first position wins. The 28x28 map a gets twice the width of p, so that a's
and p's pixels are drawn the same size. Hovering a pixel of p (or of a) highlights its block in a, its
winner and the pooled pixel; these marks go when the mouse leaves the maps. The image, layer and channel are
the model's selection (choosing them here chooses them everywhere); the maps are the model's trace at the
timeline's snapshot. Levels: black-white [0, L_a], the model's, as in the feature-maps view.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from cnnviz.gui.views.common import (
    GREY,
    ImageBox,
    ImageChooser,
    IndexBox,
    LayerBox,
    fmt,
    plot_widget,
    row_of,
    status_label,
    title,
    view_layout,
)
from cnnviz.gui.views.unit import select_unit

HIGHLIGHT = "#ff2fd0"  # magenta: visible on black, white and grey pixels
WINNER = "#ff8c1a"
CLEAR = 0.05  # a winner beating its block's runner-up by at least this fraction of L_a gets a bold mark
TIE = 1e-4  # a margin up to this fraction of L_a is a tie (a constant background): no mark


def block_margins(a: np.ndarray) -> np.ndarray:
    """For the 2x2 blocks of a map a (H, W): ``max - runner-up`` of each block, (H // 2, W // 2), where the
    runner-up is the second largest of the block's four values (equal to the max for a tie)."""
    H, W = a.shape
    h, w = H // 2, W // 2
    blocks = np.sort(a[:2 * h, :2 * w].reshape(h, 2, w, 2).transpose(0, 2, 1, 3).reshape(h, w, 4), axis=-1)
    with np.errstate(all="ignore"):  # a diverging run: inf - inf is NaN, which counts as a tie
        return np.nan_to_num(blocks[..., 3] - blocks[..., 2], nan=0.0)


class SquareMarks(pg.PlotCurveItem):
    """Outlined squares of side ``size`` centred at points, drawn as one path of line segments (much cheaper to
    paint than a scatter item's many symbols); :meth:`centres` gives the centres (``getData`` stays
    pyqtgraph's: the path is built from it)."""

    def __init__(self, size: float, pen):
        super().__init__(connect="pairs", pen=pen, antialias=False)
        self.size = size
        self._centres = (np.zeros(0), np.zeros(0))

    def set_centres(self, x, y) -> None:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._centres = (x, y)
        h = self.size / 2
        corners = np.array([(-h, -h), (h, -h), (h, -h), (h, h), (h, h), (-h, h), (-h, h), (-h, -h)])
        self.setData((x[:, None] + corners[:, 0]).ravel(), (y[:, None] + corners[:, 1]).ravel())

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        return self._centres


def _rect(vb: pg.ViewBox, pen=None, brush=None, z: float = 5) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    item.setPen(pen if pen is not None else pg.mkPen(None))
    item.setBrush(brush if brush is not None else pg.mkBrush(None))
    item.setZValue(z)
    vb.addItem(item)
    return item


class PoolingView(QWidget):
    """The ReLU map a of one channel with its pooling blocks and winners, next to the pooled map p."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.chooser = ImageChooser(model)
        self.layer_box = LayerBox(model)
        self.channel_box = IndexBox(model, self.tr("channel "), self.tr("The channel k of the layer (the same in every "
                                                                        "view)"))

        self.plot = plot_widget()
        self.a_title = title(self.plot.ci, row=0, col=0)
        self.p_title = title(self.plot.ci, row=0, col=1)
        self.a = ImageBox(self.plot.ci, GREY, row=1, col=0)
        self.p = ImageBox(self.plot.ci, GREY, row=1, col=1)
        self.grid = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen("#4a90d9", width=1, cosmetic=True))
        self.a.vb.addItem(self.grid)
        hatch = pg.mkBrush("#d94a4a")
        hatch.setStyle(Qt.BrushStyle.BDiagPattern)
        self.dropped = [_rect(self.a.vb, brush=hatch, z=2) for _ in range(2)]  # odd last row, odd last column
        # Winners that beat their block's runner-up clearly (bold) and narrowly (faint); ties get no mark.
        self.winner_marks = SquareMarks(0.7, pg.mkPen(WINNER, width=2, cosmetic=True))
        self.narrow_marks = SquareMarks(0.45, pg.mkPen(WINNER + "90", width=1, cosmetic=True))
        for item in (self.winner_marks, self.narrow_marks):
            item.setZValue(4)
            self.a.vb.addItem(item)
        pen = pg.mkPen(HIGHLIGHT, width=2.5, cosmetic=True)
        self.block_mark = _rect(self.a.vb, pen=pen, z=6)
        self.pixel_mark = _rect(self.p.vb, pen=pen, z=6)
        self.winner_mark = pg.ScatterPlotItem(symbol="s", size=0.55, pxMode=False, pen=None,
                                              brush=pg.mkBrush(HIGHLIGHT))
        self.winner_mark.setZValue(7)
        self.a.vb.addItem(self.winner_mark)
        self.plot.ci.layout.setColumnStretchFactor(0, 2)  # a (2H x 2W) twice as wide as p: pixels the same size
        self.plot.ci.layout.setColumnStretchFactor(1, 1)
        self.status = status_label()
        view_layout(self, row_of(self.chooser, self.layer_box, self.channel_box, stretch_last=False),
                    (self.plot, 1), self.status)
        self.plot.installEventFilter(self)  # the mouse leaving the plots hides the hover marks

        self.highlighted: tuple[int, int] | None = None  # (i', j') of the highlighted block
        self.caption = ""  # what the status line says while the mouse is not over a map
        self._hover_pos = None  # the last hovered scene position: re-read after each redraw
        self.channel_box.index_changed.connect(lambda k: model.select(channel=k))
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    @property
    def trace(self):
        return self.model.trace()

    def layer(self) -> int:
        return self.model.selection.layer

    def channel(self) -> int:
        """The channel shown: the selected one (the first while none is selected)."""
        return self.model.selection.channel or 0

    def pooling(self) -> str:
        return self.model.start.config.network.conv[self.layer()].pooling

    def winners(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The notes' (zeta, eta) of every block of the channel shown, arrays (h', w'); None unless max pooling."""
        trace = self.trace
        conv = trace.conv[self.layer()] if trace is not None else None
        if conv is None or conv.winners is None:
            return None
        zeta, eta = conv.winner_positions()
        k = self.channel()
        return zeta[0, k], eta[0, k]

    def margins(self) -> np.ndarray | None:
        """``max - runner-up`` of every block of the channel shown, (h', w'); None unless max pooling."""
        trace = self.trace
        if trace is None or self.pooling() != "max":
            return None
        return block_margins(trace.conv[self.layer()].a[0, self.channel()])

    def mark_classes(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean (h', w') masks of the blocks whose winner gets a bold mark (margin >= CLEAR L_a) and a faint
        one (TIE L_a < margin < CLEAR L_a); the rest (ties, a flat background, four zeros) get none."""
        margin = self.margins()
        if margin is None:
            return np.zeros((0, 0), dtype=bool), np.zeros((0, 0), dtype=bool)
        top = self.model.map_levels(self.layer(), "a")[1]
        clear = margin >= CLEAR * top
        return clear, (margin > TIE * top) & ~clear

    # -- model ---------------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        m = self.model
        if "run" in changes:
            self.a.clear()
            self.p.clear()
            self.caption = self.tr("Waiting for the first snapshot.")
            self.status.setText(self.caption)
        if changes & {"run", "layer", "channel"} and m.start is not None:
            spec = m.start.config.network.conv[self.layer()]
            self.channel_box.blockSignals(True)
            self.channel_box.set_range(0, spec.filters - 1)
            self.channel_box.set_index(self.channel())
            self.channel_box.blockSignals(False)
        if changes & {"run", "snapshot", "image", "layer", "channel", "levels", "indices"}:
            self.model.redraws.request(self.redraw)

    # -- drawing -------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        trace = self.trace
        if trace is None:
            return
        l, k, pooling = self.layer(), self.channel(), self.pooling()
        conv = trace.conv[l]
        a, p = conv.a[0, k], conv.p[0, k]
        H, W = a.shape
        h, w = (H // 2, W // 2) if pooling != "none" else (0, 0)
        levels = self.model.map_levels(l, "a")
        self.a.set(a, levels)
        self.a_title.setText(f"a = ReLU(u)  {H}×{W}")
        self.p.set(p, levels)  # without pooling p is a
        self.p_title.setText({"max": self.tr("p = max pool(a)  {h}×{w}  · step {step}"),
                              "average": self.tr("p = average pool(a)  {h}×{w}  · step {step}"),
                              "none": self.tr("p = a  (no pooling)  · step {step}")}[pooling].format(
            h=h, w=w, step=self.model.snapshot().step))
        # Block grid: vertical lines x = 0, 2, ..., 2w over rows 0..2h, and horizontal ones.
        xs, ys = np.arange(0, 2 * w + 1, 2), np.arange(0, 2 * h + 1, 2)
        vx, vy = np.repeat(xs, 2), np.tile([0, 2 * h], len(xs))
        hx, hy = np.tile([0, 2 * w], len(ys)), np.repeat(ys, 2)
        self.grid.setData(np.concatenate([vx, hx]).astype(float), np.concatenate([vy, hy]).astype(float))
        # The odd last row / column that no block covers.
        self.dropped[0].setRect(0, 2 * h, W, H - 2 * h if pooling != "none" else 0)
        self.dropped[1].setRect(2 * w, 0, W - 2 * w if pooling != "none" else 0, 2 * h)
        won = self.winners()
        clear, narrow = self.mark_classes()
        if won is None:
            self.winner_marks.set_centres([], [])
            self.narrow_marks.set_centres([], [])
        else:
            self.winner_marks.set_centres(won[1][clear] + 0.5, won[0][clear] + 0.5)
            self.narrow_marks.set_centres(won[1][narrow] + 0.5, won[0][narrow] + 0.5)
        odd = (pooling != "none" and H % 2 == 1, pooling != "none" and W % 2 == 1)  # the odd edges: in no block
        notes = [{(True, True): self.tr("Hatched: last row and column, in no block."),
                  (True, False): self.tr("Hatched: last row, in no block."),
                  (False, True): self.tr("Hatched: last column, in no block.")}[odd]] if any(odd) else []
        notes += {"max": [self.tr("□ winner (ζ, η) of a block: bold if it beats the runner-up by ≥{clear} of the "
                                  "range, faint if by less, none if tied (flat background). Hover over p or a.").format(
                      clear=f"{CLEAR:.0%}")],
                  "average": [self.tr("Average pooling: p is each block's mean, no winner.")],
                  "none": [self.tr("No pooling in this layer.")]}[pooling]
        notes += [self.tr("Hover over p or a.")] if pooling == "average" else []
        self.caption = " ".join(notes)
        self.status.setText(self.caption)
        if self.highlighted is not None and self.highlighted[0] < h and self.highlighted[1] < w:
            self.highlight(*self.highlighted)
        else:
            self.highlight(None)
        if self._hover_pos is not None:
            self._on_hover(self._hover_pos)

    def highlight(self, ip: int | None, jp: int | None = None) -> None:
        """Mark pooled pixel (i', j'), its 2x2 block in a and the block's winner; ``None`` clears."""
        marks = (self.block_mark, self.pixel_mark, self.winner_mark)
        if ip is None:
            self.highlighted = None
            for item in marks:
                item.hide()
            return
        self.highlighted = (ip, jp)
        self.block_mark.setRect(2 * jp, 2 * ip, 2, 2)
        self.pixel_mark.setRect(jp, ip, 1, 1)
        won = self.winners()
        if won is not None:
            self.winner_mark.setData([won[1][ip, jp] + 0.5], [won[0][ip, jp] + 0.5])
        for item in marks:
            item.setVisible(item is not self.winner_mark or won is not None)

    def _describe(self, ip: int, jp: int) -> str:
        l, k, ix = self.layer(), self.channel(), self.model.indices
        value = float(self.trace.conv[l].p[0, k, ip, jp])
        rows, cols = ix.span(2 * ip, 2 * ip + 1), ix.span(2 * jp, 2 * jp + 1)
        text = f"p(k={ix(k)}, i'={ix(ip)}, j'={ix(jp)}) = {fmt(value)}"
        won = self.winners()
        if won is None:
            return self.tr("{p} = mean of a({k}, {rows}, {columns})").format(p=text, k=ix(k), rows=rows, columns=cols)
        margin = float(self.margins()[ip, jp])
        top = self.model.map_levels(l, "a")[1]
        beats = (self.tr("a tie: no mark") if margin <= TIE * top else
                 self.tr("beats the runner-up by {margin}").format(margin=fmt(margin)))
        return self.tr("{p} = max of a({k}, {rows}, {columns}), winner (ζ, η) = {winner}, {beats}").format(
            p=text, k=ix(k), rows=rows, columns=cols, winner=ix(won[0][ip, jp], won[1][ip, jp]), beats=beats)

    def _on_hover(self, scene_pos) -> None:
        if self.trace is None:
            return
        self._hover_pos = scene_pos
        pooled = self.pooling() != "none"
        hit = self.p.pixel(scene_pos)
        if hit is not None and pooled:
            self.highlight(*hit)
            self.status.setText(self._describe(*hit))
            return
        hit = hit or self.a.pixel(scene_pos)
        if hit is None:  # between or beside the maps: no hover marks
            self.clear_hover()
            return
        i, j = hit
        ix = self.model.indices
        value = f"a(k={ix(self.channel())}, i={ix(i)}, j={ix(j)}) = {fmt(float(self.a.image[i, j]))}"
        h, w = self.p.shape if pooled else (0, 0)
        if not pooled:
            self.status.setText(self.tr("{a} = p (no pooling)").format(a=value))
        elif i < 2 * h and j < 2 * w:
            self.highlight(i // 2, j // 2)
            self.status.setText(f"{value};  {self._describe(i // 2, j // 2)}")
        else:
            self.highlight(None)
            self.status.setText(self.tr("{a}: on the odd edge, in no 2×2 block, so not pooled").format(a=value))

    def clear_hover(self) -> None:
        """The mouse is off the maps: hide the hover marks and show the caption again."""
        if self.highlighted is not None:
            self.highlight(None)
        self.status.setText(self.caption)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.Leave:
            self._hover_pos = None
            self.clear_hover()
        return super().eventFilter(watched, event)

    def _on_click(self, event) -> None:
        """A click on a pixel of a or p selects that unit (a p pixel: its block's winner) for the Unit view."""
        if self.trace is None or event.button() != Qt.MouseButton.LeftButton:
            return
        for box, stage in ((self.p, "p"), (self.a, "a")):
            hit = box.pixel(event.scenePos())
            if hit is not None:
                select_unit(self.model, self.channel(), *hit, stage)
                return

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)
