"""One image's feature maps in every conv layer: u (after convolution), a (after ReLU), p (after pooling).

The maps are the model's forward trace of the selected image through the timeline's snapshot (computed once
per snapshot and image for every view). The image, layer, stage and channel are the model's selection, so
choosing them here chooses them everywhere. Colour levels are the model's, fixed per layer for the whole run,
so that maps of different steps and images can be compared: u is blue-white-red with levels +-L_u, a and p
are black-white with levels [0, L_a] (p's values are a's), where L_u and L_a are the largest 99.5th
percentiles of |u| and of a over the probe images at every snapshot: a few extreme pixels saturate instead
of dimming all.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from cnnviz.gui.i18n import translated
from cnnviz.gui.views.common import (
    DIVERGING,
    GREY,
    ImageBox,
    ImageChooser,
    LayerBox,
    combo_box,
    fmt,
    grid_cols,
    hover_tile,
    mosaic,
    mosaic_plot,
    plot_widget,
    row_of,
    status_label,
    title,
    view_layout,
)
from cnnviz.gui.views.unit import select_unit

STAGES = {"u": QT_TRANSLATE_NOOP("FeatureMapsView", "u (conv)"), "a": QT_TRANSLATE_NOOP("FeatureMapsView", "a (ReLU)"),
          "p": QT_TRANSLATE_NOOP("FeatureMapsView", "p (pool)")}


class FeatureMapsView(QWidget):
    """A mosaic of one conv layer's channels for one image; click a channel to enlarge it."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.chooser = ImageChooser(model)
        self.layer_box = LayerBox(model)
        self.stage_box = combo_box()
        for key, text in STAGES.items():
            self.stage_box.addItem(self.tr(text), key)
        self.stage_box.setToolTip(self.tr("u = F * x + b after convolution, a = ReLU(u), p = pool(a)"))

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
        self._hover_pos = None  # (handler, scene position) last hovered: its value is re-read after each redraw
        self.stage_box.currentIndexChanged.connect(lambda _: model.select(stage=self.stage_box.currentData()))
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.zoom_plot.scene().sigMouseMoved.connect(self._on_zoom_hover)
        self.zoom_plot.scene().sigMouseClicked.connect(self._on_zoom_click)
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    def layer(self) -> int:
        return self.model.selection.layer

    def stage(self) -> str:
        return self.model.selection.stage

    @property
    def channel(self) -> int | None:
        """The enlarged channel: the model's selected one."""
        return self.model.selection.channel

    def maps(self) -> np.ndarray | None:
        """The selected layer and stage's maps of the selected image at the timeline's snapshot, (C, H, W)."""
        trace = self.model.trace()
        return None if trace is None else getattr(trace.conv[self.layer()], self.stage())[0]

    def levels(self) -> tuple[float, float]:
        return self.model.map_levels(self.layer(), self.stage())

    # -- model ---------------------------------------------------------------------------------------------------

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.layout_ = None
            self._close_zoom()
            self.box.clear()
            self.status.setText(self.tr("Waiting for the first snapshot."))
        if changes & {"run", "stage"}:
            self.stage_box.blockSignals(True)
            self.stage_box.setCurrentIndex(list(STAGES).index(self.stage()))
            self.stage_box.blockSignals(False)
        if changes & {"run", "snapshot", "image", "layer", "stage", "channel", "levels", "indices"}:
            self.model.redraws.request(self.redraw)

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
        if self.bar.colorMap() is not cmap:
            self.bar.setColorMap(cmap)
        self.box.set(image, levels)
        if tuple(self.bar.levels()) != tuple(levels):  # a new colour bar axis costs a few ms to draw
            self.bar.setLevels(levels)
        pooling = self.model.start.config.network.conv[self.layer()].pooling
        note = self.tr(" (no pooling: p = a)") if self.stage() == "p" and pooling == "none" else ""
        self.status.setText(self.tr("conv{l} {stage}: {C} channels of {H}×{W}{note}, step {step}. Hover to read a "
                                    "value; click a channel to enlarge it.").format(
            l=self.layer() + 1, stage=self.stage(), C=C, H=H, W=W, note=note, step=self.model.snapshot().step))
        if self.channel is not None and self.channel < C:
            self._enlarge(self.channel)
        else:
            self._close_zoom()
        if self._hover_pos is not None:
            handler, pos = self._hover_pos
            handler(pos)

    def enlarge(self, channel: int) -> None:
        """Enlarge one channel beside the mosaic: selects it in every view."""
        self.model.select(channel=channel)

    def close_zoom(self) -> None:
        self.model.select(channel=None)

    def _enlarge(self, channel: int) -> None:
        maps = self.maps()
        self.zoom.set(maps[channel], self.levels())
        H, W = maps.shape[1:]
        k = self.model.indices(channel)
        self.zoom_title.setText(self.tr("conv{l}  {stage}, channel {k}  ({H}×{W})").format(
            l=self.layer() + 1, stage=self.stage(), k=k, H=H, W=W))
        r0, c0 = self.layout_.origin(channel)
        self.outline.setRect(c0, r0, W, H)
        self.outline.show()
        if self.zoom_plot.isHidden():
            self.zoom_plot.show()
            total = sum(self.split.sizes())
            self.split.setSizes([total - total * 2 // 5, total * 2 // 5])

    def _close_zoom(self) -> None:
        self.outline.hide()
        self.zoom_plot.hide()

    def _say(self, channel: int, i: int, j: int, value: float) -> None:
        ix = self.model.indices
        self.status.setText(f"conv{self.layer() + 1}  {self.stage()}(k={ix(channel)}, i={ix(i)}, j={ix(j)}) = "
                            f"{fmt(value)}"
                            f"   ({translated(self.model.describe_image(self.model.selection.image))})")

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
            select_unit(self.model, *hit[:3], self.stage())  # enlarges the channel, explains the unit

    def _on_zoom_click(self, event) -> None:
        hit = self.zoom.pixel(event.scenePos())
        if hit is not None and self.channel is not None and event.button() == Qt.MouseButton.LeftButton:
            select_unit(self.model, self.channel, *hit, self.stage())  # the Unit view explains it

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)
