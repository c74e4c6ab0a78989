"""One unit and how its value was computed, with the network's own numbers at the timeline's snapshot.

Conv mode follows the model's selection (image, conv layer, channel k, pixel (i, j) in the layer's u map; a
click on a conv map in the feature-map or pooling view sets it): the lecture's (sections 2.2, 3.2)

    ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i - t + mu, j - t + nu) + b(k)``,  ``a = ReLU(u)``,

shown as, per input channel c, the m x m patch of x (zero-padded), the filter F(k, c, ., .) and their
products, with the channels sorted by their contribution, the largest few shown and the others summed; then
the sum plus b(k), a, and whether (i, j) won its 2x2 pooling block (zeta, eta) and so reached p. Above: the
receptive field outlined on the input image, the unit on its u map, and the patch on the previous layer's
map (the channel that contributes most). Fully connected mode (fc1 ... output, chosen here; the output class
starts at the predicted one): the largest contributions W(n, i) v(i), their sum, b(n), u, a (or the softmax).

Below, the backward side of the same unit (:mod:`.unit_backward`): how its delta ``dE/du`` was computed for the
image and its label (the predicted class for a drawing without one), section 3.3.

The arithmetic is :mod:`cnnviz.core.inspect`'s and :mod:`cnnviz.core.explain_backward`'s, on the model's cached
trace of the image, so the numbers are those of the snapshot the timeline shows, live or replayed alike.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cnnviz.core.backprop import backprop
from cnnviz.core.explain_backward import DeltaExplanation, explain_delta
from cnnviz.core.inspect import (
    DenseExplanation,
    UnitExplanation,
    dense_input_name,
    explain_dense,
    explain_unit,
    pooled_position,
)
from cnnviz.data import to_input
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.cells import PADDING, Cell, CellTable, label, number
from cnnviz.gui.views.common import (
    DIVERGING,
    GREY,
    ImageBox,
    ImageChooser,
    IndexBox,
    class_names,
    combo_box,
    fmt,
    plot_widget,
    row_of,
    status_label,
    title,
    view_layout,
)
from cnnviz.gui.views.momentum import momentum_lines
from cnnviz.gui.views.unit_backward import backward_html
from cnnviz.gui.views.unit_pooling import pooling_text

SHOWN_CHANNELS = 4  # input channels shown in full, the largest contributions; the others are summed
SHOWN_INPUTS = 12  # fully connected inputs listed, the largest |W v|
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
FIELD = "#ff2fd0"  # magenta outlines: visible on black, white, grey, red and blue pixels
HOW_TO = QT_TRANSLATE_NOOP("UnitView", "Click a pixel of a conv map in the Feature maps, Pooling or Overview view (or "
                                       "choose a layer, k, i and j above) to see how its value was computed.")
translate = QCoreApplication.translate


def input_word(name: str) -> str:
    """An input's name from the core ("input", "input(5)", "conv2 p") with the word "input" in the window's language."""
    return translate("UnitView", "input") + name[len("input"):] if name.startswith("input") else name


def select_unit(model, channel: int, row: int, col: int, stage: str = "u", layer: int | None = None) -> None:
    """Select unit (channel, row, col) of the ``stage`` map (u, a or p) of conv layer ``layer`` (default: the selected
    one) in the model, in one change: a p pixel selects its block's winner (zeta, eta) in u coordinates (an
    average-pooled one its block's top-left)."""
    l = model.selection.layer if layer is None else layer
    if stage == "p":
        row, col = pooled_position(model.network, model.trace(), f"conv{l + 1}", channel, row, col)
    model.select(**({} if layer is None else {"layer": l}), channel=int(channel), pixel=(int(row), int(col)))


def input_shift(e: UnitExplanation, ix) -> str:
    """The shift in the formula's input index, written after ``i`` and ``j``: ``x(c, i - t + mu, ...)`` counted from
    0 (t zeros padded before), ``x(c, i - t - 1 + mu, ...)`` counted from 1 (the notes' ``i + mu - 1`` in valid)."""
    t = e.row - e.patch_origin[0] + ix.origin
    return f"−{t}" if t else ""


def _rect(vb: pg.ViewBox, style=Qt.PenStyle.SolidLine) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    item.setPen(pg.mkPen(FIELD, width=2, cosmetic=True, style=style))
    item.setZValue(10)
    item.hide()
    vb.addItem(item)
    return item


class UnitView(QWidget):
    """How the selected unit's value was computed (see the module docstring)."""

    wait_while_hidden = True  # its redraws wait while it is not on screen (cnnviz.gui.redraws)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.chooser = ImageChooser(model)
        self.chooser.thumb.hide()  # the input image is drawn below: the controls fit a narrow dock
        self.kind_box = combo_box()
        self.kind_box.setToolTip(self.tr("conv layers follow the selection (click a map pixel); fc1 ... output: a "
                                         "fully connected unit or an output class"))
        self.channel_box = IndexBox(model, "k ", self.tr("The channel k of the conv layer"))
        self.row_box = IndexBox(model, "i ", self.tr("The row i in the layer's u map"))
        self.col_box = IndexBox(model, "j ", self.tr("The column j in the layer's u map"))
        self.unit_box = IndexBox(model, "n ", self.tr("The unit n of the fully connected layer (the class of the "
                                                      "output layer)"))

        self.plot = plot_widget()
        self.titles = [title(self.plot.ci, row=0, col=c) for c in range(3)]
        self.image_box = ImageBox(self.plot.ci, GREY, row=1, col=0)  # the input image: receptive field
        self.map_box = ImageBox(self.plot.ci, DIVERGING, row=1, col=1)  # this layer's u(k): the unit
        self.prev_box = ImageBox(self.plot.ci, GREY, row=1, col=2)  # the previous layer's p(c): the patch
        self.field_mark = _rect(self.image_box.vb)
        self.pixel_mark = _rect(self.map_box.vb)
        self.patch_mark = _rect(self.prev_box.vb, Qt.PenStyle.DashLine)  # the whole m x m patch, padding too
        self.input_mark = _rect(self.prev_box.vb)  # the part of it inside the map
        # The computation: a heading, the table of numbers, the sums (in a scroll area).
        self.head, self.foot, self.back = QLabel(), QLabel(), QLabel()  # back: how delta was computed
        for text in (self.head, self.foot, self.back):
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = CellTable()
        page = QWidget()
        page.setAutoFillBackground(True)
        page.setBackgroundRole(QPalette.ColorRole.Base)
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        for widget in (self.head, self.table, self.foot):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(page)
        self.scroll.viewport().installEventFilter(self)  # the text wraps at the visible width, not the table's
        self.back_scroll = QScrollArea()  # the backward side, on its own tab
        self.back_scroll.setWidgetResizable(True)
        self.back_scroll.setWidget(self.back)
        self.back.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.back.setMargin(6)
        self.back.setAutoFillBackground(True)
        self.back.setBackgroundRole(QPalette.ColorRole.Base)
        self.sides = QTabWidget()
        self.sides.setDocumentMode(True)
        self.sides.addTab(self.scroll, self.tr("u: forward"))
        self.sides.addTab(self.back_scroll, self.tr("δ: backward"))
        self.sides.setTabToolTip(1, self.tr("How δ = dE/du of this unit was computed for the image and its label "
                                            "(3.3), and the momentum step of its filter"))
        self.sides.currentChanged.connect(lambda _: self.model.redraws.request(self.redraw))
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.plot)
        self.split.addWidget(self.sides)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.status = status_label(lines=1)
        view_layout(self, row_of(self.chooser, self.kind_box, self.channel_box, self.row_box, self.col_box,
                                 self.unit_box, stretch_last=False), (self.split, 1), self.status)

        self.dense: int | None = None  # the fully connected layer shown (0-based), None: the selected conv unit
        self.unit = 0  # its unit
        self.explanation: UnitExplanation | DenseExplanation | None = None  # what is shown
        self.delta: DeltaExplanation | None = None  # its backward side
        self._user_split = False  # the user moved the splitter: the view no longer fits it to the computation
        self.split.splitterMoved.connect(lambda *_: setattr(self, "_user_split", True))
        self.kind_box.currentIndexChanged.connect(self._on_kind)
        for box in (self.channel_box, self.row_box, self.col_box):
            box.index_changed.connect(self._on_spin)
        self.unit_box.index_changed.connect(self._on_unit)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    # -- what is shown ---------------------------------------------------------------------------------------------

    @property
    def n_conv(self) -> int:
        return len(self.model.start.config.network.conv) if self.model.start is not None else 0

    def kinds(self) -> list[str]:
        """The layers the kind box offers: conv1.., fc1.., output."""
        if self.model.start is None:
            return []
        n_fc = len(self.model.start.config.network.fc)
        return ([f"conv{l + 1}" for l in range(self.n_conv)] + [f"fc{n + 1}" for n in range(n_fc - 1)]
                + ["output"])

    def show_dense(self, layer: str, unit: int | None = None) -> None:
        """Show a fully connected unit: ``layer`` "fc1".. or "output"; ``unit`` None: the output layer's
        predicted class (0 for a hidden layer)."""
        kinds = self.kinds()
        self.dense = kinds.index(layer) - self.n_conv
        self.unit = self._default_unit() if unit is None else unit
        self._sync_controls()
        self.model.redraws.request(self.redraw)

    def _default_unit(self) -> int:
        trace = self.model.trace()
        if self.dense is not None and self.dense == len(self.kinds()) - self.n_conv - 1 and trace is not None:
            return int(np.argmax(trace.probs[0]))  # the output layer: the predicted class
        return 0

    # -- model -------------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        m = self.model
        if "run" in changes:
            self.dense, self.unit, self.explanation = None, 0, None
            self.kind_box.blockSignals(True)
            self.kind_box.clear()
            for kind in self.kinds():  # the layers by name; the output layer in words
                self.kind_box.addItem(self.tr("output") if kind == "output" else kind, kind)
            self.kind_box.blockSignals(False)
            for box in (self.image_box, self.map_box, self.prev_box):
                box.clear()
        if changes & {"layer", "channel", "pixel"} and m.selection.pixel is not None:
            self.dense = None  # a conv unit was chosen: show it
        if self.dense is not None and "image" in changes and self.dense == len(self.kinds()) - self.n_conv - 1:
            self.unit = self._default_unit()  # a new image: its predicted class
        if changes & {"run", "layer", "channel", "pixel", "image"}:
            self._sync_controls()
        if changes & {"run", "snapshot", "image", "layer", "channel", "pixel", "levels", "indices"}:
            self.model.redraws.request(self.redraw)

    def _sync_controls(self) -> None:
        m = self.model
        boxes = (self.kind_box, self.channel_box, self.row_box, self.col_box, self.unit_box)
        for box in boxes:
            box.blockSignals(True)
        conv = self.dense is None
        if m.start is not None:
            net = m.start.config.network
            if conv:
                l = min(m.selection.layer, self.n_conv - 1)
                self.kind_box.setCurrentIndex(l)
                _, H, W = dict(net.shapes())[f"conv{l + 1}.u"]
                self.channel_box.set_range(0, net.conv[l].filters - 1)
                self.row_box.set_range(0, H - 1)
                self.col_box.set_range(0, W - 1)
                self.channel_box.set_index(m.selection.channel or 0)
                i, j = m.selection.pixel or (0, 0)
                self.row_box.set_index(i)
                self.col_box.set_index(j)
            else:
                self.kind_box.setCurrentIndex(self.n_conv + self.dense)
                self.unit_box.set_range(0, net.fc[self.dense] - 1)
                self.unit_box.set_index(self.unit)
        for box in (self.channel_box, self.row_box, self.col_box):
            box.setVisible(conv)
        self.unit_box.setVisible(not conv)
        for box in boxes:
            box.blockSignals(False)

    def _on_kind(self, index: int) -> None:
        if index < 0:
            return
        if index < self.n_conv:
            self.dense = None
            if index != self.model.selection.layer:
                self.model.select(layer=index)  # clears the pixel: the view says how to choose one
            else:
                self._sync_controls()
                self.model.redraws.request(self.redraw)
        else:
            self.show_dense(self.kinds()[index])

    def _on_spin(self, _) -> None:
        self.model.select(channel=self.channel_box.index(), pixel=(self.row_box.index(), self.col_box.index()))

    def _on_unit(self, unit: int) -> None:
        self.unit = unit
        self.model.redraws.request(self.redraw)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            for text in (self.head, self.foot):
                text.setMaximumWidth(max(100, event.size().width() - 12))
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_split()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self.fit_split()

    def fit_split(self) -> None:
        """The computation (its forward tab) gets the height it needs to be read whole, the images the rest (at least their least
        height); where the view is too short for both, the images keep their least height and the numbers scroll.
        Not once the user has moved the splitter."""
        page, layout = self.scroll.widget(), self.scroll.widget().layout()
        width = max(self.scroll.viewport().width(), layout.minimumSize().width())
        margins = layout.contentsMargins()
        shown = [w for w in (self.head, self.table, self.foot) if not w.isHidden()]
        lines = min(width - margins.left() - margins.right(), self.head.maximumWidth())  # where the text wraps
        tall = sum(w.heightForWidth(lines) if w.hasHeightForWidth() else max(w.minimumHeight(), w.sizeHint().height())
                   for w in shown) \
            + layout.spacing() * max(0, len(shown) - 1) + margins.top() + margins.bottom()
        page.setMinimumHeight(tall)  # the wrapped lines' height at this width: no line is drawn over the table
        total = sum(self.split.sizes())
        if self._user_split or total <= 0:
            return
        need = tall + 2 * self.scroll.frameWidth() + self.sides.tabBar().sizeHint().height()
        if width > self.scroll.viewport().width():  # the table is wider than the view: a scroll bar below it
            need += self.scroll.horizontalScrollBar().sizeHint().height()
        images = max(self.plot.minimumHeight(), total - need)
        sizes = [images, total - images]
        if self.split.sizes() != sizes:
            self.split.blockSignals(True)  # not the user's move
            self.split.setSizes(sizes)
            self.split.blockSignals(False)

    # -- drawing ---------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        """Explain the unit shown at the timeline's snapshot (asked through the model's redraws: a view tabbed
        behind another redraws when it is raised)."""
        m = self.model
        trace = m.trace()
        if trace is None:
            self.explanation = None
            self._show_text(self.tr("Waiting for the first snapshot."))
            self.status.setText("")
            return
        image, ix = m.image(m.selection.image), m.indices
        if self.dense is None:
            if m.selection.pixel is None:
                self.explanation = None
                self._draw_images(image, None)
                self._show_text(html.escape(self.tr(HOW_TO)))
                self.status.setText("")
                return
            l = m.selection.layer
            i, j = m.selection.pixel
            e = explain_unit(m.network, image, f"conv{l + 1}", m.selection.channel or 0, i, j, trace=trace)
            self.explanation = e
            self._draw_images(image, e)
            self._show_text(*self._conv_text(e), back=self._backward(image, trace, e.layer, (e.channel, e.row, e.col)))
            status = self.tr("{layer}  u(k={k}, i={i}, j={j}) = {u},  a = {a}   ({image}, step {step})")
            self.status.setText(status.format(layer=e.layer, k=ix(e.channel), i=ix(e.row), j=ix(e.col), u=fmt(e.u),
                                              a=fmt(e.a), image=translated(m.describe_image(m.selection.image)),
                                              step=m.snapshot().step))
        else:
            layer = self.kinds()[self.n_conv + self.dense]
            e = explain_dense(m.network, image, layer, self.unit, trace=trace)
            self.explanation = e
            self._draw_images(image, None, e)
            self._show_text(*self._dense_text(e), back=self._backward(image, trace, layer, self.unit))
            name = self.tr("output") if e.output else e.layer
            value = f"Soft(u) = {fmt(e.probability)}" if e.output else f"a = {fmt(e.a)}"
            self.status.setText(self.tr("{layer}  u(n={n}) = {u},  {value}   ({image}, step {step})").format(
                layer=name, n=ix(e.unit), u=fmt(e.u), value=value,
                image=translated(m.describe_image(m.selection.image)), step=m.snapshot().step))

    def _title(self, n: int, text: str) -> None:
        if self.titles[n].text != text:  # a new title is laid out again (the label's size is measured)
            self.titles[n].setText(text)

    def _draw_images(self, image: np.ndarray, e: UnitExplanation | None,
                     dense: DenseExplanation | None = None) -> None:
        """The input image with the receptive field; the unit on its u map (or a fully connected unit's
        contributions); the patch on the previous layer's map. Boxes are cleared only when they show nothing (a
        box set again after a clear is zoomed to fit again)."""
        m, ix = self.model, self.model.indices
        self.image_box.set(image.astype(np.float32) / 255, (0.0, 1.0))
        self._title(0, self.tr("input: receptive field") if e else
                    self.tr("input: {image}").format(image=translated(m.describe_image(m.selection.image))))
        marks = {self.field_mark: None, self.pixel_mark: None, self.patch_mark: None, self.input_mark: None}
        middle = prev = None  # (image, levels, title)
        if e is not None:
            l = m.selection.layer
            r0, r1, c0, c1 = e.receptive_field
            marks[self.field_mark] = (c0, r0, c1 - c0, r1 - r0)
            middle = (m.trace().conv[l].u[0, e.channel], m.map_levels(l, "u"),
                      self.tr("{layer} u(k={k}) at {position}").format(layer=e.layer, k=ix(e.channel),
                                                                       position=ix(e.row, e.col)))
            marks[self.pixel_mark] = (e.col, e.row, 1, 1)
            if l > 0:
                c = int(e.channel_order()[0])
                prev = (m.trace().conv[l - 1].p[0, c], m.map_levels(l - 1, "a"),
                        self.tr("conv{l} p(c={c}): patch").format(l=l, c=ix(c)))
                size = e.patch.shape[-1]
                marks[self.patch_mark] = (e.patch_origin[1], e.patch_origin[0], size, size)
                rs, re, cs, ce = e.input_field
                marks[self.input_mark] = (cs, rs, ce - cs, re - rs)
        elif dense is not None:
            contrib = np.zeros(len(dense.indices), dtype=np.float64)
            contrib[dense.indices] = dense.products  # W(n, i) v(i) in input order
            if dense.layer == "fc1" and self.n_conv:
                # fc1's inputs are the last conv layer's p: the contributions summed over its channels.
                contrib = contrib.reshape(m.trace().conv[-1].p.shape[1:]).sum(axis=0)
                text = f"Σ_c W(n, (c, i, j)) p(c, i, j), conv{self.n_conv}"
            else:
                contrib = contrib[None, :]
                text = f"W(n, i) v(i), i = {ix.span(0, contrib.shape[1] - 1)}"
            top = float(np.abs(contrib).max()) or 1.0
            middle = (contrib.astype(np.float32), (-top, top), text)
        for n, box, shown in ((1, self.map_box, middle), (2, self.prev_box, prev)):
            if shown is None:
                if box.image is not None:
                    box.clear()
                self._title(n, "")
            else:
                box.set(shown[0], shown[1])
                self._title(n, shown[2])
        for item, rect in marks.items():
            if rect is not None:
                item.setRect(*rect)
            item.setVisible(rect is not None)

    def _conv_text(self, e: UnitExplanation) -> tuple[str, list[list[Cell | None]], str]:
        """The conv unit's computation: a heading, the table of patches, filters and products, the sums."""
        m, ix = self.model, self.model.indices
        l = m.selection.layer
        C, ms, _ = e.patch.shape
        x, x_plain = ("x", "x") if l == 0 else (f"p<sub>{l}</sub>", f"p{str(l).translate(SUBSCRIPTS)}")
        pad = (self.tr(" ({padding} padding, zeros outside the map)") if e.padding == "same" else
               self.tr(" ({padding} padding)")).format(padding=e.padding)
        order = e.channel_order()
        shown = order if C <= SHOWN_CHANNELS + 1 else order[:SHOWN_CHANNELS]
        head = ((self.tr("<b>{layer}</b>, k = {k}, (i, j) = {position}; input {x} = {name}: {C} channels of "
                         "{m}×{m}{padding}") if C > 1 else
                 self.tr("<b>{layer}</b>, k = {k}, (i, j) = {position}; input {x} = {name}: 1 channel of "
                         "{m}×{m}{padding}")).format(layer=e.layer, k=ix(e.channel), position=ix(e.row, e.col), x=x,
                                                     name=html.escape(input_word(e.input_name)), C=C, m=ms,
                                                     padding=pad)
                + f"<br>u(k, i, j) = Σ<sub>c</sub> Σ<sub>μ</sub> Σ<sub>ν</sub> F(k, c, μ, ν) "
                f"{x}(c, i{input_shift(e, ix)}+μ, j{input_shift(e, ix)}+ν) + b(k)")
        if C > 1:
            head += "<br>" + (self.tr("Input channels by their contribution, the largest |Σ| first (the {n} largest "
                                      "of {C}):").format(n=len(shown), C=C) if len(shown) < C else
                              self.tr("Input channels by their contribution, the largest |Σ| first:"))
        # Levels: the map's (the previous layer's a, or [0, 1] for the image), the layer's filters, the products'.
        x_level = 1.0 if l == 0 else m.map_levels(l - 1, "a")[1]
        f_level = m.filter_levels(l)[1]
        p_level = float(np.abs(e.products).max()) or 1.0
        r0, c0 = e.patch_origin
        rs, re, cs, ce = e.input_field
        inside = ((np.arange(r0, r0 + ms) >= rs) & (np.arange(r0, r0 + ms) < re))[:, None] & \
            ((np.arange(c0, c0 + ms) >= cs) & (np.arange(c0, c0 + ms) < ce))[None, :]
        contributions = e.contributions
        rows: list[list[Cell | None]] = [[None, label(self.tr("{x}(c, ·, ·) patch").format(x=x_plain), ms), None,
                                          label(f"F(k={ix(e.channel)}, c, ·, ·)", ms), None,
                                          label(self.tr("products"), ms), None]]
        for c in shown:
            c = int(c)
            for mu in range(ms):
                first = mu == 0
                row: list[Cell | None] = [label(f"c = {ix(c)}") if first else None]
                row += [number(float(v), x_level, False) if inside[mu, nu] else PADDING
                        for nu, v in enumerate(e.patch[c, mu])]
                row.append(Cell("⊙", align="center") if mu == ms // 2 else None)
                row += [number(float(v), f_level) for v in e.filter[c, mu]]
                row.append(Cell("=", align="center") if mu == ms // 2 else None)
                row += [number(float(v), p_level) for v in e.products[c, mu]]
                row.append(label(f"Σ = {fmt(float(contributions[c]))}") if mu == ms // 2 else None)
                rows.append(row)
            rows.append([])
        sums = [fmt(float(contributions[c])) for c in shown]
        rest = order[len(shown):]
        foot = []
        if len(rest):
            rest_sum = float(contributions[rest].sum())
            foot.append(self.tr("The other {n} channels: Σ = {sum}").format(n=len(rest), sum=fmt(rest_sum)) + "<br>")
            sums.append(fmt(rest_sum))
        total = float(contributions.sum())
        terms = " + ".join(f"({t})" if t.startswith("-") else t for t in sums)
        foot.append(self.tr("Σ over the channels = {terms} = {total}").format(terms=terms, total=fmt(total)) +
                    f"<br>u = {fmt(total)} + b(k) = {fmt(total)} + ({fmt(e.bias)}) = <b>{fmt(e.u)}</b><br>"
                    f"a = ReLU(u) = max(0, u) = <b>{fmt(e.a)}</b>")
        foot.append(f"<p>{pooling_text(e, ix)}</p>")
        r0, r1, c0, c1 = e.receptive_field
        foot.append("<p>" + self.tr("Receptive field: input rows {rows}, columns {columns} ({h}×{w} pixels); a pixel "
                                    "outside it cannot change u.").format(rows=ix.span(r0, r1 - 1),
                                                                          columns=ix.span(c0, c1 - 1), h=r1 - r0,
                                                                          w=c1 - c0) + "</p>")
        return head, rows, "".join(foot)

    def _dense_text(self, e: DenseExplanation) -> tuple[str, list[list[Cell | None]], str]:
        """The fully connected unit's computation: a heading, the largest contributions, the sums."""
        net, ix = self.model.network, self.model.indices
        name = self.tr("output layer ({layer})").format(layer=e.layer) if e.output else e.layer
        v = (self.tr("v = {input} (flattened in (c, i, j) order)") if e.layer == "fc1" else "v = {input}").format(
            input=html.escape(input_word(e.input_name)))
        unit = (self.tr("{n} (class {name})").format(n=ix(e.unit), name=class_names(self.model.start)[e.unit])
                if e.output else ix(e.unit))
        head = (self.tr("<b>{layer}</b>, unit n = {unit}; {v}, {inputs} inputs").format(
                    layer=name, unit=unit, v=v, inputs=len(e.indices)) + "<br>"
                + self.tr("u(n) = Σ<sub>i</sub> W(n, i) v(i) + b(n); the largest |W(n, i) v(i)| first"))
        shown = min(SHOWN_INPUTS, len(e.indices))
        if len(e.indices) == shown + 1:
            shown += 1  # no "1 other input"
        levels = [float(np.abs(a[:shown]).max()) or 1.0 for a in (e.inputs, e.weights, e.products)]
        rows: list[list[Cell | None]] = [[label(t, align="center") for t in
                                          ("i", self.tr("input"), "v(i)", "W(n, i)", "W(n, i) v(i)")]]
        for r in range(shown):
            index = int(e.indices[r])
            rows.append([Cell(str(ix(index))), label(input_word(dense_input_name(net, e.layer, index, ix.origin))),
                         *(number(float(a[r]), level) for a, level in zip((e.inputs, e.weights, e.products),
                                                                           levels))])
        foot = []
        if shown < len(e.indices):
            rest = e.products[shown:]
            foot.append(self.tr("The other {n} inputs: Σ = {sum} ({zeros} of them have v(i) = 0)").format(
                n=len(rest), sum=fmt(float(rest.sum(dtype=np.float64))), zeros=int((e.inputs[shown:] == 0).sum()))
                + "<br>")
        foot.append(f"Σ<sub>i</sub> W(n, i) v(i) = {fmt(e.total)}<br>"
                    f"u(n) = {fmt(e.total)} + b(n) = {fmt(e.total)} + ({fmt(e.bias)}) = <b>{fmt(e.u)}</b><br>")
        if e.output:
            trace = self.model.trace()
            predicted = int(np.argmax(trace.probs[0]))
            i = self.model.selection.image
            truth = self.model.label(i)
            foot.append(f"v(n) = Soft(u)(n) = exp(u(n) − max u) / Σ<sub>j</sub> exp(u(j) − max u) = "
                        f"<b>{fmt(e.probability)}</b><br>"
                        + (self.tr("predicted class {c} ({p}); {image} has no label").format(
                            c=predicted, p=fmt(float(trace.probs[0, predicted])),
                            image=translated(self.model.describe_image(i))) if truth is None else
                           self.tr("predicted class {c} ({p}); the label is {label}").format(
                            c=predicted, p=fmt(float(trace.probs[0, predicted])), label=truth)))
        else:
            foot.append(self.tr("a(n) = ReLU(u) = max(0, u) = <b>{a}</b> (no dropout outside training)").format(
                a=fmt(e.a)))
        return head, rows, "".join(foot)

    def show_backward(self) -> None:
        """Bring the backward side (how delta was computed) to the front."""
        self.sides.setCurrentWidget(self.back_scroll)

    def _backward(self, image: np.ndarray, trace, layer: str, unit) -> str:
        """The backward side of the unit shown: how its delta was computed, for the image's label (a drawing's
        predicted class where it has none); for a conv unit also the momentum step of its filter's weight with
        the largest |dE/dF| (:mod:`.momentum`). One back-propagation for both (tens of milliseconds on the
        lecture's network), made only while the backward tab is in front: empty otherwise."""
        if self.sides.currentWidget() is not self.back_scroll:
            return ""
        m = self.model
        label = m.label(m.selection.image)
        with np.errstate(all="ignore"):  # a diverging run's parameters: inf and NaN, shown as such
            r = int(np.nan_to_num(trace.probs[0]).argmax()) if label is None else label
            result = backprop(m.network, to_input(image[None], m.network.dtype), r, trace=trace)
            self.delta = explain_delta(m.network, image, r, layer, unit, trace=trace, result=result,
                                       origin=m.indices.origin)
        text = backward_html(self.delta, m.indices)
        if layer.startswith("conv"):
            k, dF = unit[0], result.grads[f"{layer}.W"]
            index = (k, *np.unravel_index(int(np.nan_to_num(np.abs(dF[k])).argmax()), dF[k].shape))
            lines = momentum_lines(m, int(layer[4:]) - 1, tuple(int(v) for v in index), dF)
            text += "<p>" + self.tr("The update of its filter F({k}, ·, ·, ·) at its largest |g|:").format(
                k=m.indices(k)) + "<br>" + "<br>".join(html.escape(line) for line in lines) + "</p>"
        return text

    def _show_text(self, head: str, rows: list[list[Cell | None]] | None = None, foot: str = "",
                   back: str = "") -> None:
        self.head.setText(head)
        self.table.set_rows(rows or [])
        self.table.setVisible(bool(rows))
        if not back:
            self.delta = None
        for text, value in ((self.foot, foot), (self.back, back)):
            text.setText(value)
            text.setVisible(bool(value))
        self.fit_split()

    def plain_text(self) -> str:
        """What the computation says, as plain text (the table's cells tab-separated, one row a line)."""
        parts = []
        for widget in (self.head, self.table, self.foot, self.back):
            if widget.isHidden():
                continue
            if widget is self.table:
                parts.append(self.table.text())
            else:
                doc = QTextDocument()
                doc.setHtml(widget.text())
                parts.append(doc.toPlainText())
        return "\n".join(parts)
