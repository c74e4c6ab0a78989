"""The filter slides: the selected conv unit's filter moving over the previous layer's maps, as the lecture's
figure 2 does by hand (section 2.2).

For conv layer l, channel k: at each position (i, j) of the u map, in row-major order, the m x m window over the
input maps x (the image for conv1, the previous layer's p otherwise; zeros outside them, section 2.3) gives

    ``u(k, i, j) = sum_c sum_mu sum_nu F(k, c, mu, nu) x(c, i - t + mu, j - t + nu) + b(k)``,

written out for one input channel c (its m x m products; the channel that contributes most to the selected unit,
or one the user chooses) and summed over every channel; u fills pixel by pixel as the window moves. The slide
starts at the first position of the selected unit's row, the rows above already filled. Play moves the window at
the chosen speed (a QTimer on the GUI thread); the buttons step it by hand; it stops at the last position. The
sums are worked out here (:func:`~cnnviz.gui.views.overview_layout.slide_sums`), not read from the forward pass:
they equal it, which is the point of the figure. The numbers are the model's: its network at the timeline's
snapshot and the selected image, so the slide goes on with the new parameters when the snapshot changes.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import QGraphicsRectItem, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from cnnviz.core.functional import same_padding
from cnnviz.core.inspect import explain_unit, map_sizes
from cnnviz.gui.redraws import on_screen
from cnnviz.gui.views.common import DIVERGING, GREY, ImageBox, IndexBox, fmt, plot_widget, title
from cnnviz.gui.views.overview_layout import slide_sums
from cnnviz.gui.views.unit import FIELD, input_shift

SPEED = 4  # positions a second, at first
NO_UNIT = QT_TRANSLATE_NOOP("FilterSlide", "Click a pixel of a conv layer's map above to watch its filter slide over "
                                          "the layer's input.")


def _term(x: float, f: float) -> str:
    """One product of the sum, as written by hand: "0.53×(−0.31)"."""
    def one(v: float) -> str:
        text = fmt(v)
        return f"({text})" if text.startswith("-") else text
    return f"{one(x)}×{one(f)}"


def _mark(vb: pg.ViewBox) -> QGraphicsRectItem:
    """A magenta outline in a ViewBox (the window, the pixel), hidden until placed."""
    item = QGraphicsRectItem()
    item.setPen(pg.mkPen(FIELD, width=2, cosmetic=True))
    item.setZValue(10)
    item.hide()
    vb.addItem(item)
    return item


class FilterSlide(QWidget):
    """The window of the selected conv unit's filter over its input, and its u map filling (see the module
    docstring). :meth:`refresh` follows the model; the owner calls it (the overview, which computes nothing while
    hidden)."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(self.tr("Move the window position by position (Space)"))
        self.back_button = QPushButton("◀")
        self.back_button.setToolTip(self.tr("One position back"))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("One position on"))
        self.speed_box = QSpinBox()
        self.speed_box.setRange(1, 60)
        self.speed_box.setValue(SPEED)
        self.speed_box.setSuffix(self.tr(" positions/s"))
        self.speed_box.setToolTip(self.tr("How fast the window moves while playing"))
        self.channel_box = IndexBox(model, "c ", self.tr("The input channel whose products are written out (at first: "
                                                         "the one that contributes most to the selected unit)"))
        controls = QHBoxLayout()
        controls.setSpacing(6)
        for w in (self.play_button, self.back_button, self.next_button, self.speed_box, self.channel_box):
            controls.addWidget(w)
        controls.addStretch(1)

        self.plot = plot_widget()
        self.plot.setMinimumHeight(60)  # the overview above takes the larger part of a short dock
        self.titles = [title(self.plot.ci, row=0, col=c) for c in range(2)]
        self.input_box = ImageBox(self.plot.ci, GREY, row=1, col=0)  # x(c): the window on it
        self.u_box = ImageBox(self.plot.ci, DIVERGING, row=1, col=1)  # u(k) so far
        self.window_mark = _mark(self.input_box.vb)
        self.pixel_mark = _mark(self.u_box.vb)
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sum_label.setTextFormat(Qt.TextFormat.RichText)
        self.sum_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.sum_label)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.unit: tuple[int, int, int, int] | None = None  # (layer, k, i, j) the slide is of
        self.sums: np.ndarray | None = None  # (Hu, Wu): every position's sum, worked out
        self.pos = 0  # the window's position, row-major; positions up to it are filled
        self.play_button.toggled.connect(self._on_play)
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.speed_box.valueChanged.connect(self._on_speed)
        self.channel_box.index_changed.connect(lambda _: self.redraw())
        self._on_speed(self.speed_box.value())
        self._enable(False)
        self.sum_label.setText(html.escape(NO_UNIT))

    # -- state ----------------------------------------------------------------------------------------------------

    @property
    def position(self) -> tuple[int, int]:
        """(i, j) of the window now."""
        return divmod(self.pos, self.sums.shape[1])

    def filled(self) -> np.ndarray:
        """u(k) as far as the window went: the sums of the positions up to the current one, NaN after it."""
        flat = self.sums.ravel().copy()
        flat[self.pos + 1:] = np.nan
        return flat.reshape(self.sums.shape)

    def _inputs(self, l: int) -> np.ndarray:
        """x(c, ., .) of conv layer l for the selected image: the image, or the previous layer's p (C, H, W)."""
        trace = self.model.trace()
        return trace.x[0] if l == 0 else trace.conv[l - 1].p[0]

    def refresh(self) -> None:
        """Follow the model: a new unit starts at its row; a new snapshot or image keeps the position."""
        m = self.model
        sel = m.selection
        trace = m.trace()
        if trace is None or sel.pixel is None or m.start is None:
            self.unit, self.sums = None, None
            self.pause()
            self._enable(False)
            for box in (self.input_box, self.u_box):
                box.clear()
            for t in self.titles:
                t.setText("")
            self.window_mark.hide()
            self.pixel_mark.hide()
            self.sum_label.setText(html.escape(self.tr(NO_UNIT) if trace is not None else
                                               self.tr("Waiting for the first snapshot.")))
            return
        l, k, (i, j) = sel.layer, sel.channel or 0, sel.pixel
        spec = m.start.config.network.conv[l]
        x = self._inputs(l)
        pad = same_padding(spec.size) if spec.padding == "same" else (0, 0)
        F, b = m.network.params[f"conv{l + 1}.W"][k], m.network.params[f"conv{l + 1}.b"][k]
        self.sums = slide_sums(x, F, float(b), pad, map_sizes(m.network)[l][1])
        new = (l, k, i, j) != self.unit
        if new:
            self.unit = (l, k, i, j)
            self.pos = i * self.sums.shape[1]
            e = explain_unit(m.network, m.image(sel.image), f"conv{l + 1}", k, i, j, trace=trace)
            self.channel_box.blockSignals(True)
            self.channel_box.set_range(0, x.shape[0] - 1)
            self.channel_box.set_index(int(e.channel_order()[0]))
            self.channel_box.blockSignals(False)
        self.channel_box.setVisible(x.shape[0] > 1)
        self._enable(True)
        self.redraw()

    def _enable(self, on: bool) -> None:
        for w in (self.play_button, self.back_button, self.next_button, self.channel_box):
            w.setEnabled(on)

    # -- moving -------------------------------------------------------------------------------------------------

    def step(self, n: int = 1) -> None:
        """Move the window ``n`` positions (negative: back), within the map."""
        if self.sums is None:
            return
        self.pos = int(min(max(self.pos + n, 0), self.sums.size - 1))
        if self.pos == self.sums.size - 1:
            self.pause()
        self.redraw()

    def play(self) -> None:
        self.play_button.setChecked(True)

    def pause(self) -> None:
        self.play_button.setChecked(False)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def _on_play(self, on: bool) -> None:
        if on and self.sums is not None:
            if self.pos >= self.sums.size - 1:  # at the end: again from the first position
                self.pos = 0
                self.redraw()
            self.timer.start()
        else:
            self.timer.stop()
            if self.play_button.isChecked():
                self.pause()
        self.play_button.setText(self.tr("Pause") if self.timer.isActive() else self.tr("Play"))

    def _on_speed(self, speed: int) -> None:
        self.timer.setInterval(round(1000 / speed))

    def _tick(self) -> None:
        if not on_screen(self):  # hidden (a tab behind another): stop, and compute nothing
            self.pause()
            return
        self.step(1)

    # -- drawing ------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        if self.sums is None:
            return
        m = self.model
        l, k, _, _ = self.unit
        i, j = self.position
        c, ix = self.channel_box.index(), m.indices
        spec = m.start.config.network.conv[l]
        x = self._inputs(l)
        x_name = "x" if l == 0 else f"conv{l} p"
        self.input_box.set(x[c], (0.0, 1.0) if l == 0 else m.map_levels(l - 1, "a"))
        self.u_box.set(self.filled(), m.map_levels(l, "u"))
        t = same_padding(spec.size)[0] if spec.padding == "same" else 0
        self.window_mark.setRect(j - t, i - t, spec.size, spec.size)
        self.window_mark.show()
        self.pixel_mark.setRect(j, i, 1, 1)
        self.pixel_mark.show()
        self.titles[0].setText(self.tr("{x}(c={c}): the {m}×{m} window").format(x=x_name, c=ix(c), m=spec.size)
                               if x.shape[0] > 1 else self.tr("input x: the {m}×{m} window").format(m=spec.size))
        self.titles[1].setText(self.tr("conv{l} u(k={k}), filled to {position}").format(l=l + 1, k=ix(k),
                                                                                       position=ix(i, j)))
        self.sum_label.setText(self._sum_text(l, k, i, j, c, x.shape[0]))

    def _sum_text(self, l: int, k: int, i: int, j: int, c: int, C: int) -> str:
        """The position's sum written out: channel c's products, then the channels' sum, the bias and u."""
        m, ix = self.model, self.model.indices
        e = explain_unit(m.network, m.image(m.selection.image), f"conv{l + 1}", k, i, j, trace=m.trace())
        terms = " + ".join(_term(float(x), float(f)) for x, f in zip(e.patch[c].ravel(), e.filter[c].ravel()))
        total = float(self.sums[i, j])
        x = "x" if l == 0 else f"p<sub>{l}</sub>"
        off = input_shift(e, ix)
        lines = [f"<b>conv{l + 1}, k = {ix(k)}, (i, j) = {ix(i, j)}</b>: u(k, i, j) = Σ<sub>c</sub> Σ<sub>μ</sub> "
                 f"Σ<sub>ν</sub> F(k, c, μ, ν) {x}(c, i{off}+μ, j{off}+ν) + b(k)"]
        own, summed = float(e.contributions[c]), float(e.contributions.sum())
        if C == 1:
            lines.append(f"Σ<sub>μ,ν</sub> F·{x} = {terms} = {fmt(own)}")
        else:
            lines.append(f"c = {ix(c)}: {terms} = {fmt(own)}")
        lines.append((self.tr("Σ over the {C} channels = {sum}; ").format(C=C, sum=fmt(summed)) if C > 1 else "") +
                     f"u{ix(k, i, j)} = {fmt(summed)} + b(k) = {fmt(summed)} + ({fmt(e.bias)}) = <b>{fmt(total)}</b>")
        return "<br>".join(lines)
