"""One image's feature maps in every conv layer: u (after convolution), a (after ReLU), p (after pooling).

The maps come from a forward pass of the chosen image through ``model.network`` (the latest snapshot's
parameters) on the GUI thread, redone when a snapshot arrives or the choice changes (a few milliseconds).
Colour levels are fixed per layer and only ever widened, so that maps of different steps and images can be
compared: u is blue-white-red with levels +-L_u, a and p are black-white with levels [0, L_a] (p's values are
a's), where L_u and L_a are the largest 99.5th percentiles of |u| and of a (over the layer's channels and
pixels) that this view has computed in the run so far: a few extreme pixels saturate instead of dimming all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from cnnviz.gui.views.common import (
    DIVERGING,
    GREY,
    GrowingLevels,
    ImageBox,
    ImageChooser,
    combo_box,
    fill_layer_box,
    fmt,
    grid_cols,
    hover_tile,
    mosaic,
    mosaic_plot,
    plot_widget,
    robust_peak,
    row_of,
    save_png,
    status_label,
    title,
    view_layout,
)

STAGES = {"u": "u (conv)", "a": "a (ReLU)", "p": "p (pool)"}


class FeatureMapsView(QWidget):
    """A mosaic of one conv layer's channels for one image; click a channel to enlarge it."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.u_levels = GrowingLevels()  # layer -> largest |u| so far
        self.a_levels = GrowingLevels()  # layer -> largest a so far
        self.trace = None  # the forward pass of the chosen image
        self.chooser = ImageChooser()
        self.layer_box = combo_box()
        self.stage_box = combo_box()
        for key, text in STAGES.items():
            self.stage_box.addItem(text, key)
        self.layer_box.setToolTip("The conv layer")
        self.stage_box.setToolTip("u = F * x + b after convolution, a = ReLU(u), p = pool(a)")

        self.plot, self.box, self.bar, self.outline = mosaic_plot(GREY)  # outline: around the enlarged channel
        # The enlarged channel, same colours.
        self.zoom_plot = plot_widget()
        self.zoom_title = title(self.zoom_plot.ci, row=0, col=0)
        self.zoom = ImageBox(self.zoom_plot.ci, GREY, row=1, col=0)
        self.zoom_plot.hide()

        self.split = split = QSplitter()
        split.addWidget(self.plot)
        split.addWidget(self.zoom_plot)
        self.status = status_label()
        view_layout(self, row_of(self.chooser, self.layer_box, self.stage_box, stretch_last=False), (split, 1),
                    self.status)

        self.layout_ = None
        self.channel: int | None = None  # enlarged channel
        self._hover_pos = None  # (handler, scene position) last hovered: its value is re-read after each redraw
        self.chooser.changed.connect(lambda _: self.recompute())
        self.layer_box.currentIndexChanged.connect(lambda _: self.redraw())
        self.stage_box.currentIndexChanged.connect(lambda _: self.redraw())
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.zoom_plot.scene().sigMouseMoved.connect(self._on_zoom_hover)
        model.started.connect(self._on_started)
        model.snapshot.connect(lambda _: self.recompute())
        if model.start is not None:
            self._on_started(model.start)
            if model.latest_snapshot is not None:
                self.recompute()

    def layer(self) -> int:
        return max(self.layer_box.currentIndex(), 0)

    def stage(self) -> str:
        return self.stage_box.currentData() or "u"

    def maps(self) -> np.ndarray | None:
        """The chosen layer and stage's maps of the chosen image, (C, H, W)."""
        if self.trace is None:
            return None
        return getattr(self.trace.conv[self.layer()], self.stage())[0]

    def levels(self) -> tuple[float, float]:
        return (self.u_levels.symmetric if self.stage() == "u" else self.a_levels.positive)(self.layer())

    # -- model ---------------------------------------------------------------------------------------------------

    def _on_started(self, start) -> None:
        self.u_levels.reset()
        self.a_levels.reset()
        self.trace, self.layout_ = None, None
        self.close_zoom()
        self.box.clear()
        fill_layer_box(self.layer_box, start.config.network)
        self.chooser.reset(self.model)
        self.status.setText("Waiting for the first snapshot.")

    def recompute(self) -> None:
        """Forward the chosen image through the latest snapshot's network, widen the levels, redraw."""
        trace = self.chooser.trace(self.model)
        if trace is None:
            return
        self.trace = trace
        for l, conv in enumerate(self.trace.conv):
            self.u_levels.update(l, robust_peak(np.abs(conv.u)))
            self.a_levels.update(l, robust_peak(conv.a))
        self.redraw()

    # -- drawing -------------------------------------------------------------------------------------------------

    def redraw(self) -> None:
        maps = self.maps()
        if maps is None:
            return
        C, H, W = maps.shape
        image, self.layout_ = mosaic(maps, grid_cols(C))
        cmap = DIVERGING if self.stage() == "u" else GREY
        levels = self.levels()
        self.box.set_colormap(cmap)
        self.zoom.set_colormap(cmap)
        self.bar.setColorMap(cmap)
        self.box.set(image, levels)
        self.bar.setLevels(levels)
        pooling = self.model.start.config.network.conv[self.layer()].pooling
        note = " (no pooling: p = a)" if self.stage() == "p" and pooling == "none" else ""
        self.status.setText(f"conv{self.layer() + 1} {self.stage()}: {C} channels of {H}×{W}{note}, step "
                            f"{self.model.latest_snapshot.step}. Hover to read a value; click a channel to enlarge it.")
        if self.channel is not None and self.channel < C:
            self.enlarge(self.channel)
        else:
            self.close_zoom()
        if self._hover_pos is not None:
            handler, pos = self._hover_pos
            handler(pos)

    def enlarge(self, channel: int) -> None:
        """Show one channel of the current maps large, beside the mosaic."""
        maps = self.maps()
        self.channel = channel
        self.zoom.set(maps[channel], self.levels())
        H, W = maps.shape[1:]
        self.zoom_title.setText(f"conv{self.layer() + 1}  {self.stage()}, channel {channel}  ({H}×{W})")
        r0, c0 = self.layout_.origin(channel)
        self.outline.setRect(c0, r0, W, H)
        self.outline.show()
        if self.zoom_plot.isHidden():
            self.zoom_plot.show()
            total = sum(self.split.sizes())
            self.split.setSizes([total - total * 2 // 5, total * 2 // 5])

    def close_zoom(self) -> None:
        self.channel = None
        self.outline.hide()
        self.zoom_plot.hide()

    def _say(self, channel: int, i: int, j: int, value: float) -> None:
        self.status.setText(f"conv{self.layer() + 1}  {self.stage()}(c={channel}, i={i}, j={j}) = {fmt(value)}"
                            f"   (test #{self.chooser.index()})")

    def _on_hover(self, scene_pos) -> None:
        self._hover_pos = self._on_hover, scene_pos
        hit = hover_tile(self.box, scene_pos, self.layout_)
        if hit is not None:
            self._say(*hit)

    def _on_zoom_hover(self, scene_pos) -> None:
        self._hover_pos = self._on_zoom_hover, scene_pos
        hit = self.zoom.pixel(scene_pos)
        if hit is not None and self.channel is not None:
            self._say(self.channel, *hit, float(self.zoom.image[hit]))

    def _on_click(self, event) -> None:
        hit = hover_tile(self.box, event.scenePos(), self.layout_)
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.enlarge(hit[0])

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)

    def save_png(self, path: str | Path) -> bool:
        return save_png(self, path)
