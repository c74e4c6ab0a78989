"""Back-propagation made visible (section 3.3): one image's deltas and gradients, and each layer's norms over the run.

"δ maps" tab: for the selected test image and its label r, at the timeline's snapshot, the lecture's
``delta = dE/du`` of the selected conv layer as a mosaic of its K maps (like the feature maps), beside it the
gradient ``dE/dF(k, c, mu, nu) = sum_{i,j} delta(k, i, j) x(c, i + mu, j + nu)`` of every filter for that image
(conv1: tile k beside delta tile k's position; a later layer: one m x m slice per (k, c), K rows by C columns,
or C rows by K columns when K > C, as in the filters view); below, the delta of every fully connected layer as a
strip, the output's ``delta = v - r`` last. The numbers are :func:`cnnviz.core.backprop.backprop`'s, in
inference mode (no dropout). Colours: blue negative, white zero, red positive, symmetric around 0, with levels
+-max|.| of what is shown (deltas shrink by orders of magnitude as the loss falls: fixed levels would leave a
trained network's maps white; the colour bars give the scale). Hover reads a value. The image, the layer and the
selected channel (outlined) are the model's selection. Clicking a delta pixel selects that unit (and its channel) and
asks for the Unit view (:attr:`DeltasView.unit_clicked`), which shows how its u and its delta were computed; so
does clicking a unit of a fully connected strip. In a live run, the fully connected strips mark the
units that the latest minibatch's dropout dropped for its first image (a dark cross on each).

"Norms over the run" tab: per layer l, ``||dE/dtheta_l||`` (the gradient of the mean loss over the run's probe
images, weights and biases together) and ``||theta_l||`` at every snapshot, one curve per layer against step,
the timeline's step marked. The model computes them on its background thread, where it computes the colour levels,
a snapshot at a time while the tab is shown (:meth:`cnnviz.gui.model.RunModel.want_norms`);
:meth:`DeltasView.complete_norms` computes the rest at once.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QGraphicsRectItem, QTabWidget, QVBoxLayout, QWidget

from cnnviz.core.backprop import Backprop, backprop, layer_names
from cnnviz.data import to_input
from cnnviz.gui.i18n import translated
from cnnviz.gui.later import later
from cnnviz.gui.redraws import on_screen
from cnnviz.gui.views.common import (
    AXIS,
    DIVERGING,
    TEXT,
    ImageBox,
    ImageChooser,
    LayerBox,
    color_bar,
    fmt,
    grid_cols,
    hover_tile,
    mosaic,
    plot_widget,
    row_of,
    status_label,
    title,
    view_layout,
)
from cnnviz.gui.views.unit import select_unit

FLOOR = 1e-12  # the smallest level, so that an all-zero map still has a valid colour range
STRIP_HEIGHT = 20  # pixels of one fully connected layer's strip at least
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
CURSOR = (40, 40, 40)
HINT = QT_TRANSLATE_NOOP("DeltasView", "Hover a map or a strip to read a value; click a δ to see how it was computed "
                                       "in the Unit view.")


def symmetric(values: np.ndarray) -> tuple[float, float]:
    """Levels (-L, L) with L = max |values| over the finite ones (at least FLOOR)."""
    finite = np.abs(values[np.isfinite(values)])
    top = max(float(finite.max()) if finite.size else 0.0, FLOOR)
    return -top, top


class DeltasView(QWidget):
    """One image's deltas and filter gradients at the timeline's snapshot, and the layers' norms over the run."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)
    unit_clicked = Signal(str, int)  # a delta was clicked: its layer ("conv2", "fc1", "output") and unit (-1: conv)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.chooser = ImageChooser(model)
        self.layer_box = LayerBox(model)
        self.info = status_label(lines=1)

        # -- tab 1: delta maps and filter gradients
        self.plot = plot_widget()
        self.delta_title = title(self.plot.ci, row=0, col=0)
        self.grad_title = title(self.plot.ci, row=0, col=2)
        self.box = ImageBox(self.plot.ci, DIVERGING, row=1, col=0)
        self.bar = color_bar(DIVERGING)
        self.plot.ci.addItem(self.bar, row=1, col=1)
        self.grad_box = ImageBox(self.plot.ci, DIVERGING, row=1, col=2)
        self.grad_bar = color_bar(DIVERGING)
        self.plot.ci.addItem(self.grad_bar, row=1, col=3)
        self.plot.ci.layout.setColumnStretchFactor(0, 3)  # the delta maps get the larger share of the width
        self.plot.ci.layout.setColumnStretchFactor(2, 2)
        self.outline = self._outline(self.box)
        self.grad_outline = self._outline(self.grad_box)
        self.fc_plot = plot_widget()
        self.strips: list[tuple[pg.LabelItem, pg.ViewBox, pg.ImageItem]] = []
        self.drop_marks: list[pg.ScatterPlotItem] = []  # per hidden strip: the units dropout dropped
        maps_page = QWidget()
        maps_layout = QVBoxLayout(maps_page)
        maps_layout.setContentsMargins(0, 0, 0, 0)
        maps_layout.setSpacing(2)
        maps_layout.addWidget(self.plot, 1)
        maps_layout.addWidget(self.fc_plot, 0)
        self.status = status_label(self.tr(HINT))
        maps_layout.addWidget(self.status)

        # -- tab 2: norms over the run
        self.norms_plot = plot_widget()
        self.grad_norm_plot = self._norm_plot(0, self.tr("gradient ‖dE/dθ‖"), log=True)
        self.weight_norm_plot = self._norm_plot(1, self.tr("weights ‖θ‖"), log=False)
        self.cursor_lines = [p.addLine(x=0, pen=pg.mkPen(CURSOR, width=1.5)) for p in
                             (self.grad_norm_plot, self.weight_norm_plot)]
        self.grad_curves: list[pg.PlotDataItem] = []
        self.weight_curves: list[pg.PlotDataItem] = []
        self.norms_status = status_label(lines=2)
        norms_page = QWidget()
        norms_layout = QVBoxLayout(norms_page)
        norms_layout.setContentsMargins(0, 0, 0, 0)
        norms_layout.setSpacing(2)
        self.key_label = status_label(lines=1)  # the layers' colours
        norms_layout.addWidget(self.key_label)
        norms_layout.addWidget(self.norms_plot, 1)
        norms_layout.addWidget(self.norms_status)
        self.norms_page = norms_page

        self.tabs = QTabWidget()
        self.tabs.addTab(maps_page, self.tr("δ maps"))
        self.tabs.addTab(norms_page, self.tr("Norms over the run"))
        self.tabs.setDocumentMode(True)
        view_layout(self, row_of(self.chooser, self.layer_box, stretch_last=False), self.info, (self.tabs, 1))

        self.result: Backprop | None = None  # what is shown
        self._key: tuple | None = None  # (snapshot index, step, image) of self.result
        self.layout_ = None  # the MosaicLayout of the delta mosaic
        self.grad_layout_ = None
        self.grad_tiles: list[tuple[int, int]] = []  # (k, c) of each tile of the gradient mosaic
        self._hover_pos = None
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.fc_plot.scene().sigMouseMoved.connect(self._on_strip_hover)
        self.fc_plot.scene().sigMouseClicked.connect(self._on_strip_click)
        self.norms_plot.scene().sigMouseMoved.connect(self._on_norms_hover)
        self.tabs.currentChanged.connect(lambda _: self._want_norms())
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- building ------------------------------------------------------------------------------------------------

    @staticmethod
    def _outline(box: ImageBox) -> QGraphicsRectItem:
        outline = QGraphicsRectItem()
        outline.setPen(pg.mkPen("#ffb000", width=2, cosmetic=True))
        outline.setZValue(10)
        outline.hide()
        box.vb.addItem(outline)
        return outline

    def _norm_plot(self, col: int, text: str, log: bool) -> pg.PlotItem:
        plot = self.norms_plot.ci.addPlot(row=0, col=col)
        plot.setTitle(text, size="9pt", color=TEXT)
        plot.setLogMode(y=log)
        plot.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTextPen(TEXT)
            axis.setPen(AXIS)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        return plot

    def _build_strips(self) -> None:
        self.fc_plot.ci.clear()
        self.strips, self.drop_marks = [], []
        if self.model.start is None:
            return
        fc = self.model.start.config.network.fc
        for l, n in enumerate(fc, 1):
            name = f"fc{l} δ" + (" = v − r" if l == len(fc) else "")
            label = self.fc_plot.ci.addLabel(f"{name} ({n})", row=l - 1, col=0, size="8pt", color=TEXT)
            label.setFixedWidth(110)
            vb = self.fc_plot.ci.addViewBox(row=l - 1, col=1, invertY=True)
            vb.setMouseEnabled(x=False, y=False)
            vb.setMenuEnabled(False)
            vb.setMinimumHeight(STRIP_HEIGHT)
            item = pg.ImageItem(axisOrder="row-major")
            item.setColorMap(DIVERGING)
            vb.addItem(item)
            vb.setRange(xRange=(0, n), yRange=(0, 1), padding=0)
            marks = pg.ScatterPlotItem(symbol="x", size=7, pen=pg.mkPen("#202020", width=1.2), brush=None)
            vb.addItem(marks)
            self.strips.append((label, vb, item))
            self.drop_marks.append(marks)
        # As tall as its rows need (a label may be taller than a strip): the last label was cut at the bottom.
        rows = self.fc_plot.ci.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
        self.fc_plot.setFixedHeight(math.ceil(rows) + 2 * self.fc_plot.frameWidth())

    # -- what is shown -------------------------------------------------------------------------------------------

    def layer(self) -> int:
        return self.model.selection.layer

    def compute(self) -> Backprop | None:
        """Back-propagation of the selected image with its label through the shown snapshot (cached), or None."""
        m = self.model
        snap = m.snapshot()
        image = m.selection.image
        if snap is None or not m.has_image(image):
            return None
        key = (m.snapshot_index, snap.step, image, m.user_version)
        if key != self._key:
            trace = m.trace()
            x = to_input(m.image(image)[None], m.network.dtype)
            label = m.label(image)  # None for a drawing: its predicted class stands for r
            with np.errstate(all="ignore"):  # a diverging run's parameters: inf and NaN, shown as such
                target = int(np.nan_to_num(trace.probs[0]).argmax()) if label is None else label
                self.result = backprop(m.network, x, target, trace=trace)
            self._key = key
        return self.result

    def deltas(self) -> np.ndarray | None:
        """The shown delta maps of the selected conv layer, (K, H, W)."""
        result = self.compute()
        return None if result is None else result.deltas[f"conv{self.layer() + 1}"]

    def filter_gradients(self) -> np.ndarray | None:
        """The shown filter gradients of the selected conv layer, (K, C, m, m)."""
        result = self.compute()
        return None if result is None else result.grads[f"conv{self.layer() + 1}.W"]

    # -- model ---------------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.result, self._key, self.layout_, self.grad_layout_ = None, None, None, None
            self.box.clear()
            self.grad_box.clear()
            self.outline.hide()
            self.grad_outline.hide()
            self._build_strips()
            self._reset_norms()
            self.info.setText(self.tr("Waiting for the first snapshot."))
        if changes & {"run", "snapshot", "image", "layer", "channel", "indices"}:  # (none while the view is hidden)
            self.model.redraws.request(self.redraw)
        if changes & {"run", "step"}:
            for line in self.cursor_lines:
                line.setValue(self.model.step)
        if changes & {"run", "data"}:
            self._want_norms()
        if "norms" in changes:
            self.model.redraws.request(self._tell_norms)

    # -- drawing the deltas --------------------------------------------------------------------------------------

    def redraw(self) -> None:
        result = self.compute()
        if result is None:
            return
        l, m = self.layer(), self.model
        if f"conv{l + 1}" in result.deltas:
            self._draw_conv(result, l)
        else:  # a network without conv layers: only the fully connected strips
            self.box.clear()
            self.grad_box.clear()
            self.layout_ = self.grad_layout_ = None
            self.delta_title.setText(self.tr("no conv layer"))
            self.grad_title.setText("")
        for (_, _, item), marks, name in zip(self.strips, self.drop_marks,
                                         [n for n in result.deltas if n.startswith("fc")]):
            d = result.deltas[name]
            item.setImage(d[None, :], levels=symmetric(d))
            dropped = self.dropped(name)
            marks.setData(x=dropped + 0.5, y=np.full(len(dropped), 0.5))
        v = result.probs
        predicted = int(np.argmax(v))
        known = m.label(m.selection.image) is not None
        self.info.setText((self.tr("{image}: label r = {r}, predicted {predicted}, v({n}) = {v}, E = −log v(r) = {E}, "
                                   "step {step}") if known else
                           self.tr("{image}: no label, its prediction as r = {r}, predicted {predicted}, v({n}) = {v}, "
                                   "E = −log v(r) = {E}, step {step}")).format(
            image=translated(m.describe_image(m.selection.image)), r=result.label, predicted=predicted,
            n=m.indices(result.label), v=fmt(float(v[result.label])), E=fmt(result.loss), step=m.snapshot().step))
        if self._hover_pos is not None:
            handler, pos = self._hover_pos
            handler(pos)

    def dropped(self, name: str) -> np.ndarray:
        """The units of fully connected layer ``name`` that the latest minibatch's dropout dropped for its first
        image (a live run), as indices; empty otherwise."""
        kept = self.model.live_dropout.get(name)
        return np.flatnonzero(~kept[0]) if kept is not None and len(kept) else np.zeros(0, dtype=np.int64)

    def _draw_conv(self, result: Backprop, l: int) -> None:
        """The delta mosaic and the filter-gradient mosaic of conv layer ``l`` (0-based)."""
        delta, dF = result.deltas[f"conv{l + 1}"], result.grads[f"conv{l + 1}.W"]
        K, H, W = delta.shape
        _, C, size, _ = dF.shape
        cols = grid_cols(K)
        image, self.layout_ = mosaic(delta, cols)
        levels = symmetric(delta)
        self.box.set(image, levels)
        self.bar.setLevels(levels)
        if C == 1:
            grad_image, self.grad_layout_ = mosaic(dF[:, 0], cols)
            self.grad_tiles = [(k, 0) for k in range(K)]
        elif K > C:  # C rows of K: the longer side across
            grad_image, self.grad_layout_ = mosaic(dF.transpose(1, 0, 2, 3).reshape(C * K, size, size), K)
            self.grad_tiles = [(k, c) for c in range(C) for k in range(K)]
        else:
            grad_image, self.grad_layout_ = mosaic(dF.reshape(K * C, size, size), C)
            self.grad_tiles = [(k, c) for k in range(K) for c in range(C)]
        grad_levels = symmetric(dF)
        self.grad_box.set(grad_image, grad_levels)
        self.grad_bar.setLevels(grad_levels)
        self.delta_title.setText(f"δ conv{l + 1}: {K} × {H}×{W}")
        self.grad_title.setText(f"dE/dF conv{l + 1}: {K}×{C} × {size}×{size}")
        self._outline_channel(K, C)

    def _outline_channel(self, K: int, C: int) -> None:
        k = self.model.selection.channel
        if k is None or k >= K or self.layout_ is None:
            self.outline.hide()
            self.grad_outline.hide()
            return
        r0, c0 = self.layout_.origin(k)
        self.outline.setRect(c0, r0, self.layout_.w, self.layout_.h)
        self.outline.show()
        g = self.grad_layout_
        first = self.grad_tiles.index((k, 0))
        r0, c0 = g.origin(first)
        if C == 1:
            self.grad_outline.setRect(c0, r0, g.w, g.h)
        elif g.cols == K:  # k is a column
            self.grad_outline.setRect(c0, 0, g.w, g.shape[0])
        else:  # k is a row
            self.grad_outline.setRect(0, r0, g.shape[1], g.h)
        self.grad_outline.show()

    # -- hover and click -----------------------------------------------------------------------------------------

    def _on_hover(self, scene_pos) -> None:
        self._hover_pos = self._on_hover, scene_pos
        result, l, ix = self.result, self.layer() + 1, self.model.indices
        if result is None:
            return
        hit = hover_tile(self.box, scene_pos, self.layout_)
        if hit is not None:
            k, i, j, value = hit
            db = float(result.grads[f"conv{l}.b"][k])
            self.status.setText(f"δ conv{l}(k={ix(k)}, i={ix(i)}, j={ix(j)}) = dE/du = {fmt(value)};   "
                                f"dE/db({ix(k)}) = Σ δ({ix(k)}, ·, ·) = {fmt(db)}")
            return
        hit = hover_tile(self.grad_box, scene_pos, self.grad_layout_)
        if hit is not None:  # x(c, i+mu, j+nu): mu and nu as offsets, the same from 0 or 1 (the notes' i+μ−1)
            tile, mu, nu, value = hit
            k, c = self.grad_tiles[tile]
            self.status.setText(f"dE/dF conv{l}(k={ix(k)}, c={ix(c)}, μ={ix(mu)}, ν={ix(nu)}) = Σ_ij δ({ix(k)}, i, j) "
                                f"x({ix(c)}, i+{mu}, j+{nu}) = {fmt(value)}")

    def _on_strip_hover(self, scene_pos) -> None:
        self._hover_pos = self._on_strip_hover, scene_pos
        if self.result is None:
            return
        names = [n for n in self.result.deltas if n.startswith("fc")]
        for (_, vb, item), name in zip(self.strips, names):
            if not vb.sceneBoundingRect().contains(scene_pos) or item.image is None:
                continue
            j = math.floor(vb.mapSceneToView(scene_pos).x())
            d, n = self.result.deltas[name], self.model.indices(j)
            if 0 <= j < len(d):
                if name == names[-1]:
                    v, r = float(self.result.probs[j]), float(j == self.result.label)
                    self.status.setText(f"δ {name}({n}) = v({n}) − r({n}) = {fmt(v)} − {r:g} = {fmt(float(d[j]))}")
                else:
                    dropped = self.tr(" (dropped by the latest minibatch's dropout)") if j in self.dropped(name) else ""
                    self.status.setText(f"δ {name}({n}) = f'(u) · (Wᵀ δ_next)({n}) = {fmt(float(d[j]))}{dropped}")
            return

    def _on_click(self, event) -> None:
        hit = hover_tile(self.box, event.scenePos(), self.layout_)
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            select_unit(self.model, *hit[:3])
            self.unit_clicked.emit(f"conv{self.layer() + 1}", -1)

    def _on_strip_click(self, event) -> None:
        if self.result is None or event.button() != Qt.MouseButton.LeftButton:
            return
        names = [n for n in self.result.deltas if n.startswith("fc")]
        for (_, vb, _), name in zip(self.strips, names):
            if vb.sceneBoundingRect().contains(event.scenePos()):
                j = math.floor(vb.mapSceneToView(event.scenePos()).x())
                if 0 <= j < len(self.result.deltas[name]):
                    self.unit_clicked.emit("output" if name == names[-1] else name, j)
                return

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)

    # -- norms over the run --------------------------------------------------------------------------------------

    def _reset_norms(self) -> None:
        for curve in self.grad_curves:
            self.grad_norm_plot.removeItem(curve)
        for curve in self.weight_curves:
            self.weight_norm_plot.removeItem(curve)
        self.grad_curves, self.weight_curves = [], []
        m = self.model
        self.layer_names: list[str] = [] if m.start is None else layer_names(m.network)
        if m.start is None:
            self.norms_status.setText("")
            return
        for n, name in enumerate(self.layer_names):
            pen = pg.mkPen(PALETTE[n % len(PALETTE)], width=1.5)
            brush = pg.mkBrush(PALETTE[n % len(PALETTE)])
            style = {"pen": pen, "symbol": "o", "symbolSize": 4, "symbolPen": None, "symbolBrush": brush,
                     "connect": "finite"}
            self.grad_curves.append(self.grad_norm_plot.plot(**style))
            self.weight_curves.append(self.weight_norm_plot.plot(**style))
        self.key_label.setText(self.tr("layers: {layers}   (against step; the black line: the timeline's)").format(
            layers="  ".join(f'<span style="color: rgb{PALETTE[n % len(PALETTE)]}; font-weight: bold">━ {name}</span>'
                             for n, name in enumerate(self.layer_names))))
        self._tell_norms()

    @property
    def norms_done(self) -> int:
        """How many snapshots (the first ones) the norm curves include."""
        return self.model.norms_done

    def _want_norms(self) -> None:
        """The model computes the norms while the tab shows them."""
        self.model.want_norms(on_screen(self.norms_page))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        later(self, self._want_norms)  # the tab shows once the view does

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().hideEvent(event)
        self.model.want_norms(False)

    def complete_norms(self) -> None:
        """Compute the norms of every snapshot now (rendering a figure, a test)."""
        self.model.complete_norms()
        self._tell_norms()

    def _tell_norms(self) -> None:
        m = self.model
        steps = np.asarray(m.norm_steps, dtype=float)
        for n in range(len(self.layer_names)):
            grad = m.grad_norms.rows[:, n] if len(steps) else np.zeros(0)
            weight = m.weight_norms.rows[:, n] if len(steps) else np.zeros(0)
            # log axis: a zero gradient (a dead layer) has no place on it, it leaves a gap
            self.grad_curves[n].setData(steps, np.where(grad > 0, grad, np.nan))
            self.weight_curves[n].setData(steps, weight)
        total = len(self.model.snapshots)
        more = "" if self.norms_done >= total or not m.norms_wanted else self.tr(" (computing…)")
        self.norms_status.setText(self.tr("{done} of {total} snapshots{more}. Per layer, weights and biases together; "
                                          "the gradient of the mean loss of the {n} probe images. Hover a plot to read "
                                          "the values.").format(done=self.norms_done, total=total, more=more,
                                                                n=len(m.start.probe_labels)))

    def _on_norms_hover(self, scene_pos) -> None:
        """The values of the snapshot nearest the mouse, in the line under the plots."""
        m = self.model
        if not m.norm_steps:
            return
        for plot in (self.grad_norm_plot, self.weight_norm_plot):
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                x = plot.vb.mapSceneToView(scene_pos).x()
                i = int(np.argmin(np.abs(np.asarray(m.norm_steps) - x)))
                parts = [f"{name} {fmt(m.grad_norms.rows[i, n])} / {fmt(m.weight_norms.rows[i, n])}"
                         for n, name in enumerate(self.layer_names)]
                self.norms_status.setText(self.tr("step {step}, ‖dE/dθ‖ / ‖θ‖: {values}").format(
                    step=m.norm_steps[i], values=", ".join(parts)))
                return
