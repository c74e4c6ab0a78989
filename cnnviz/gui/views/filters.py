"""The learned filters F(k, c, mu, nu) of one conv layer at a time, as they change during training.

Layout: layer 1 (one input channel) shows its K filters wrapped in a grid about twice as wide as tall (32
filters: 4 rows of 8); a later layer shows one m x m slice F(k, c, ., .) per output channel k and input channel
c, K rows by C columns, or C rows by K columns when K > C (the longer side runs across the wide dock: conv2's
64 x 32 slices as 32 rows of 64 are drawn twice as large as 64 rows of 32). "Slices: of filter k" shows
instead the C slices F(k, ., ., .) of one output filter k in a grid of their own, large enough to read
(conv2: 32 slices of 3x3 in 4 rows of 8); k is the selected channel (click a filter in the mosaic, or the k
box). The mouse wheel zooms.

What is shown ("show"):

- the weights F at the timeline's snapshot;
- the change since step 0, ``F - F_0`` (``F_0`` the first snapshot's filters), or since a pinned step,
  ``F - F_pin`` ("Pin" pins the snapshot shown). Filters move only about a tenth of their size during a run
  (conv1 of the lecture's 4 epochs: ``|F - F_0| / |F_0|`` about 0.11; after its first 100 steps, 0.015), so the
  weights themselves look frozen while their change shows what training did: the change since step 0 is what
  the view shows first (its shared scale follows the largest change so far, so the first steps fill it).

Colours ("scale"): blue negative, white zero, red positive.

- shared: levels fixed per layer for the whole run, so colours mean the same at every position of the
  timeline: for the weights +-1.1 max|F| over every snapshot (the model's levels, widened as a live run adds
  snapshots, never shrunk); for a change +-1.1 max|F_i - F_ref| over every snapshot i (widened the same way);
- each filter its own range: filter k is divided by its own largest |value| (over its C slices), so that
  every filter uses the whole colour range: the pattern of each filter shows, not its size; the levels are
  then +-1 (the colour bar's unit is "that filter's largest |value|").

Hover shows one value (the weight, or the change and the weight); a click enlarges a slice with its numbers
and selects its output channel k in every view.

Compare mode (the window compares other runs, :class:`~cnnviz.gui.compare.Comparison`): "run A" shows the main
run's filters, "run B" those of a compared run (the run box chooses it) at its position on the timeline (a run
shorter than the cursor: its last snapshot), and "A − B" their difference ``F_A(k, c, mu, nu) - F_B(k, c, mu, nu)``
at the cursor, which needs the same architecture (otherwise the view says why not, in one line). A and B share
their colour levels (+-1.1 max|F| over both runs); A − B has its own, +-1.1 max|F_A,i - F_B,i| over A's snapshots i
and B's snapshot at the same step, so that its colours mean the same at every position.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.gui.compare import ComparedRun, Comparison, RunChooser, architecture_difference
from cnnviz.gui.levels import FILTER_MARGIN, FLOOR
from cnnviz.gui.views.common import (
    DIVERGING,
    IndexBox,
    LayerBox,
    combo_box,
    fmt,
    grid_cols,
    hover_tile,
    mosaic,
    mosaic_plot,
    row_of,
    status_label,
    view_layout,
    view_point,
)

SHOW = {"weights": QT_TRANSLATE_NOOP("FiltersView", "weights F"),  # Δ = F - F_ref
        "step0": QT_TRANSLATE_NOOP("FiltersView", "Δ since step 0"),
        "pinned": QT_TRANSLATE_NOOP("FiltersView", "Δ since pin")}
SCALE = {"shared": QT_TRANSLATE_NOOP("FiltersView", "shared scale"),
         "own": QT_TRANSLATE_NOOP("FiltersView", "own scale")}
SLICES = {"all": QT_TRANSLATE_NOOP("FiltersView", "all filters"),
          "one": QT_TRANSLATE_NOOP("FiltersView", "one filter k")}
HINT = QT_TRANSLATE_NOOP("FiltersView", "Hover over a weight to read it; click a filter to enlarge it and to select "
                                        "its k.")
COMPARE = {"a": QT_TRANSLATE_NOOP("FiltersView", "run A"), "b": QT_TRANSLATE_NOOP("FiltersView", "run B"),
           "diff": "A − B"}  # compare mode: what is shown


class FiltersView(QWidget):
    """The grid of learned filters of the selected conv layer at the timeline's snapshot (or their change)."""

    compares = True  # it is given the window's comparison (cnnviz.gui.layouts.create_view)

    def __init__(self, model, parent: QWidget | None = None, comparison: Comparison | None = None):
        super().__init__(parent)
        self.model = model
        self.comparison = comparison if comparison is not None else Comparison(model)  # as the loss view's
        self.layer_box = LayerBox(model, lambda l, spec: self.tr("conv{l}  ({k} of {m}×{m})").format(
            l=l + 1, k=spec.filters, m=spec.size))
        self.show_box = combo_box()
        for key, text in SHOW.items():
            self.show_box.addItem(self.tr(text), key)
        self.show_box.setToolTip(self.tr("The weights F, or how far they moved: Δ = F − F(step 0), or F − F(pinned "
                                         "step)"))
        self.show_box.setCurrentIndex(list(SHOW).index("step0"))  # see the module's docstring
        self.pin_button = QToolButton()
        self.pin_button.setText(self.tr("Pin"))
        self.pin_button.setToolTip(self.tr("Pin the step shown: \"change since pinned step\" compares with it"))
        self.scale_box = combo_box()
        for key, text in SCALE.items():
            self.scale_box.addItem(self.tr(text), key)
        self.scale_box.setToolTip(self.tr("Shared scale: one colour scale for the layer and the whole run. Own scale: "
                                          "each filter k spans the whole colour range, which shows its pattern"))
        self.slices_box = combo_box()
        for key, text in SLICES.items():
            self.slices_box.addItem(self.tr(text), key)
        self.slices_box.setToolTip(self.tr("Every slice F(k, c) of the layer, or the C input slices of one filter k, "
                                           "large enough to read"))
        self.k_box = IndexBox(model, "k = ", self.tr("The output filter k (the selected channel, the same in every "
                                                     "view)"))
        self.info = status_label(lines=1)
        self.chooser = RunChooser(self.comparison, {key: self.tr(text) for key, text in COMPARE.items()},
                                  self.tr("Compare mode: the main run's filters (A), a compared run's (B), or A − B at "
                                          "the cursor"))

        self.plot, self.box, self.bar, self.outline = mosaic_plot(DIVERGING)  # outline: around the enlarged filter

        # The enlarged filter: its m x m weights as numbers in cells coloured like the mosaic.
        self.detail = QWidget()
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        close = QToolButton()
        close.setText("×")
        close.setToolTip(self.tr("Close the enlarged filter"))
        close.clicked.connect(self.close_detail)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        fm = self.table.fontMetrics()
        self.table.horizontalHeader().setDefaultSectionSize(fm.horizontalAdvance("+0.000") + 16)
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 10)
        self.table.verticalHeader().setFixedWidth(fm.horizontalAdvance("μ=00") + 12)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        head = QHBoxLayout()
        head.addWidget(self.detail_title, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self.detail)
        box.setContentsMargins(4, 0, 0, 0)
        box.addLayout(head)
        box.addWidget(self.table)
        box.addStretch(1)
        self.detail.hide()

        split = QSplitter()
        split.addWidget(self.plot)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.status = status_label(self.tr(HINT), lines=1)
        view_layout(self, row_of(self.layer_box, self.show_box, self.pin_button, self.scale_box, stretch_last=False),
                    row_of(self.chooser.mode_box, self.chooser.run_box, self.slices_box, self.k_box, self.info), (split, 1),
                    self.status)

        self.layout_ = None  # the MosaicLayout of the image shown
        self.values: np.ndarray | None = None  # the mosaic of the values shown, before any per-filter scaling
        self.tiles: list[tuple[int, int]] = []  # (k, c) of each tile of the mosaic shown
        self.detail_c = 0  # the input channel c of the enlarged filter F(k, c) (k is the selected channel)
        self.shown: np.ndarray | None = None  # the (K, C, m, m) values shown (weights, change, B's or A − B)
        self.shown_bias: np.ndarray | None = None  # (K,): the biases of what is shown
        self._diff_tops: dict[tuple, tuple[int, float]] = {}  # (layer, run, B's snapshots) -> (A's seen, top)
        self.pinned: tuple[int, dict] | None = None  # (step, parameters) of the pinned snapshot
        self._change_tops: dict[tuple, tuple[int, float]] = {}  # (layer, reference step) -> (snapshots seen, top)
        self._hover_pos = None  # the last hovered scene position: its value is re-read after each redraw
        self.plot.scene().sigMouseMoved.connect(self._on_hover)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.installEventFilter(self)  # the mouse leaving the plot clears the readout
        self.show_box.currentIndexChanged.connect(self._on_show)
        self.scale_box.currentIndexChanged.connect(lambda _: self.redraw())
        self.slices_box.currentIndexChanged.connect(lambda _: self.redraw())
        self.pin_button.clicked.connect(self.pin)
        self.k_box.index_changed.connect(lambda k: model.select(channel=k))
        self.chooser.mode_box.currentIndexChanged.connect(self._on_compare_mode)
        self.chooser.run_box.currentIndexChanged.connect(lambda _: self.redraw())
        model.changed.connect(self._on_model)
        self.comparison.changed.connect(self._on_compare)
        self._on_model(frozenset({"run"}))
        self._on_compare(frozenset({"runs"}))

    # -- model ---------------------------------------------------------------------------------------------------

    def layer(self) -> int:
        """The selected conv layer, 0-based (``conv{layer + 1}``)."""
        return self.model.selection.layer

    def weights(self, layer: int | None = None) -> np.ndarray | None:
        """The shown snapshot's filters of a layer, (K, C, m, m)."""
        snap = self.model.snapshot()
        layer = self.layer() if layer is None else layer
        return None if snap is None else snap.params[f"conv{layer + 1}.W"]

    @property
    def showing(self) -> str:
        """What is shown: ``weights``, ``step0`` or ``pinned`` (the keys of SHOW)."""
        return self.show_box.currentData()

    @property
    def scaling(self) -> str:
        """``shared`` or ``own`` (the keys of SCALE)."""
        return self.scale_box.currentData()

    def one_filter(self) -> bool:
        """Whether one filter k's C slices are shown (a layer with more than one input channel)."""
        W = self.weights()
        return self.slices_box.currentData() == "one" and W is not None and W.shape[1] > 1

    def reference(self) -> tuple[int, dict] | None:
        """(step, parameters) that the change is measured from, or None when the weights are shown (or there is
        no snapshot to compare with yet, or run B or A − B is shown)."""
        if self.chooser.mode() != "a":
            return None
        if self.showing == "pinned":
            return self.pinned
        if self.showing == "step0" and len(self.model.snapshots):
            return self.model.snapshots.steps[0], self.model.snapshots[0].params
        return None

    # -- compare mode ----------------------------------------------------------------------------------------------

    def _on_compare_mode(self, _) -> None:
        self._enable_change()
        self.redraw()

    def _enable_change(self) -> None:
        """The change since step 0 or a pin is offered for the main run's filters only."""
        self.show_box.setEnabled(self.chooser.mode() == "a")
        self.pin_button.setEnabled(self.chooser.mode() == "a")

    def _on_compare(self, changes) -> None:
        if "runs" in changes:
            self.chooser.refill()
            self._enable_change()
            self._diff_tops.clear()
        if self.comparison.active or "runs" in changes:
            self.redraw()

    def compared_values(self, layer: int) -> tuple[np.ndarray | None, np.ndarray | None, str]:
        """In compare mode "run B" or "A − B": the filters of ``layer`` shown (K, C, m, m) and their biases (K,):
        ``F_B``, or ``F_A - F_B`` at the cursor; or None, None and why not (one sentence)."""
        run = self.chooser.run()
        if run is None:
            return None, None, self.tr("No run B: add a session to compare (File menu).")
        snap, name = run.model.snapshot(), f"conv{layer + 1}"
        if snap is None:
            return None, None, self.tr("Run B ({file}) has no snapshot at step {step}.").format(
                file=run.file, step=self.comparison.step_of(run))
        if self.chooser.mode() == "diff":
            why = architecture_difference(self.model.start.config.network, run.model.start.config.network)
            if why:
                return None, None, why
            a = self.model.snapshot().params
            return a[f"{name}.W"] - snap.params[f"{name}.W"], a[f"{name}.b"] - snap.params[f"{name}.b"], ""
        if f"{name}.W" not in snap.params:
            return None, None, self.tr("Run B ({file}) has no {layer}: it has {n} conv layers.").format(
                file=run.file, layer=name, n=len(run.model.start.config.network.conv))
        return snap.params[f"{name}.W"], snap.params[f"{name}.b"], ""

    def difference_top(self, layer: int, run: ComparedRun) -> float:
        """max |F_A,i - F_B(step_i)| of a layer over the main run's snapshots i (B's snapshot at or before the same
        step, clipped to B's steps) and the one shown, at least FLOOR: the shared levels of A − B."""
        name = f"conv{layer + 1}.W"
        a, b = self.model, run.model
        key = (layer, id(run), len(b.snapshots))
        seen, top = self._diff_tops.get(key, (0, FLOOR))
        first = b.snapshots.steps[0] if len(b.snapshots) else 0
        with np.errstate(all="ignore"):
            for i in range(seen, len(a.snapshots)):
                j = b.snapshots.at_or_before(max(a.snapshots.steps[i], first))
                if j is None or not (a.sane(i) and b.sane(j)):
                    continue
                peak = float(np.abs(a.snapshots[i].params[name] - b.snapshots[j].params[name]).max())
                if np.isfinite(peak):
                    top = max(top, peak)
            self._diff_tops[key] = (len(a.snapshots), top)
            peak = float(np.abs(self.shown).max()) if self.shown is not None and self.shown.size else 0.0
        return max(top, peak) if np.isfinite(peak) else top

    def pin(self) -> None:
        """Pin the snapshot shown: "change since pinned step" compares with it."""
        snap = self.model.snapshot()
        if snap is None:
            return
        self.pinned = (snap.step, snap.params)
        self.pin_button.setToolTip(self.tr("Pinned: step {step}. Click to pin the step shown instead").format(
            step=snap.step))
        if self.showing != "pinned":
            self.show_box.setCurrentIndex(list(SHOW).index("pinned"))  # redraws
        else:
            self.redraw()

    def _on_show(self, _) -> None:
        if self.showing == "pinned" and self.pinned is None:
            self.pin()  # nothing pinned yet: the step shown
        else:
            self.redraw()

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.box.clear()
            self.layout_ = None
            self.values = None
            self.pinned = None
            self._change_tops.clear()
            self._diff_tops.clear()
            self.pin_button.setToolTip(self.tr("Pin the step shown: \"change since pinned step\" compares with it"))
            if self.showing == "pinned":
                self.show_box.blockSignals(True)
                self.show_box.setCurrentIndex(0)
                self.show_box.blockSignals(False)
            self._close()
            self.info.setText(self.tr("waiting for the first snapshot"))
        if changes & {"run", "layer"} and self.model.start is not None:
            specs = self.model.start.config.network.conv
            spec = specs[self.layer()]
            many = self.layer() > 0 and specs[self.layer() - 1].filters > 1  # more than one input channel
            self.slices_box.setVisible(many)
            self.k_box.setVisible(many)
            self.k_box.blockSignals(True)
            self.k_box.set_range(0, spec.filters - 1)
            self.k_box.blockSignals(False)
        if changes & {"run", "layer", "channel"}:
            self.k_box.blockSignals(True)
            self.k_box.set_index(self.model.selection.channel or 0)
            self.k_box.blockSignals(False)
        if changes & {"run", "snapshot", "layer", "levels", "channel", "indices"}:
            self.model.redraws.request(self.redraw)

    # -- drawing -------------------------------------------------------------------------------------------------

    def change_top(self, layer: int, reference: tuple[int, dict]) -> float:
        """max |F_i - F_ref| of a layer over every snapshot i of the run (and the one shown), at least FLOOR:
        the shared levels of a change. Widened as snapshots are added, never shrunk."""
        step, params = reference
        name = f"conv{layer + 1}.W"
        ref = params[name]
        key = (layer, step)  # the parameters of one step are the same whichever record holds them
        seen, top = self._change_tops.get(key, (0, FLOOR))
        snapshots = self.model.snapshots
        with np.errstate(all="ignore"):
            for i in range(seen, len(snapshots)):
                peak = float(np.abs(snapshots[i].params[name] - ref).max())
                if np.isfinite(peak) and self.model.sane(i):
                    top = max(top, peak)
            self._change_tops[key] = (len(snapshots), top)
            W = self.weights(layer)
            peak = float(np.abs(W - ref).max()) if W is not None else 0.0
        return max(top, peak) if np.isfinite(peak) else top

    def redraw(self) -> None:
        W = self.weights()
        if W is None:
            return
        layer = self.layer()
        mode = self.chooser.mode()
        reference = self.reference()
        if mode == "a":
            values = W if reference is None else W - reference[1][f"conv{layer + 1}.W"]
            bias = self.model.snapshot().params[f"conv{layer + 1}.b"]
        else:
            values, bias, why = self.compared_values(layer)
            if values is None:
                self.box.clear()
                self.layout_, self.values, self.tiles, self.shown, self.shown_bias = None, None, [], None, None
                self._close()
                self.info.setText(why)
                self.info.setToolTip(why)
                return
        self.shown, self.shown_bias = values, bias
        K, C, m, _ = values.shape
        k_sel = self.model.selection.channel
        if self.one_filter():
            k = min(k_sel or 0, K - 1)
            tiles, cols = values[k], grid_cols(C)
            self.tiles = [(k, c) for c in range(C)]
        elif C == 1:
            tiles, cols = values[:, 0], grid_cols(K)
            self.tiles = [(k, 0) for k in range(K)]
        elif K > C:  # columns k, rows c
            tiles, cols = values.transpose(1, 0, 2, 3).reshape(C * K, m, m), K
            self.tiles = [(k, c) for c in range(C) for k in range(K)]
        else:  # rows k, columns c
            tiles, cols = values.reshape(K * C, m, m), C
            self.tiles = [(k, c) for k in range(K) for c in range(C)]
        raw, layout = mosaic(tiles, cols)
        self.values, self.layout_ = raw, layout
        if self.scaling == "own":
            with np.errstate(all="ignore"):  # a filter of zeros (or a change of zero) stays white
                own = np.abs(values).reshape(K, -1).max(axis=1)
                own = np.where(np.isfinite(own) & (own > 0), own, 1.0)
                scaled = np.stack([tiles[t] / own[k] for t, (k, _) in enumerate(self.tiles)]) if len(tiles) else tiles
            image = mosaic(scaled, cols)[0]
            levels = (-1.0, 1.0)
        else:
            image = raw
            other = self.chooser.run()
            if mode == "diff":
                top = FILTER_MARGIN * self.difference_top(layer, other)
                levels = (-top, top)
            elif other is not None and layer < len(other.model.levels.filters) and reference is None:
                top = FILTER_MARGIN * max(self.model.levels.filters[layer], other.model.levels.filters[layer])
                levels = (-top, top)  # A and B in the same colours
            elif reference is None:
                levels = self.model.filter_levels(layer)
            else:
                top = FILTER_MARGIN * self.change_top(layer, reference)
                levels = (-top, top)
        self.box.set(image, levels)
        if tuple(self.bar.levels()) != tuple(levels):  # a new colour bar axis costs a few ms to draw
            self.bar.setLevels(levels)
        step = self.model.snapshot().step
        other = self.chooser.run()
        if self.one_filter():
            k = self.model.indices(self.tiles[0][0])
            grid = self.tr("filter k={k}: its {C} slices F({k}, c)").format(k=k, C=C)
        else:
            grid = (self.tr("{K} filters") if C == 1 else self.tr("k across, c down ({K}×{C})") if K > C
                    else self.tr("k down, c across ({K}×{C})")).format(K=K, C=C)
        what = "F" if reference is None else self.tr("F − F(step {step})").format(step=reference[0])
        at = self.tr("step {step}").format(step=step)
        if mode == "b":
            what = self.tr("F of run B ({run})").format(run=other.name)
            at = self.tr("step {step}").format(step=other.model.snapshot().step)
        elif mode == "diff":
            what = "F_A − F_B"
            at = self.tr("A step {a}, B step {b}").format(a=step, b=other.model.snapshot().step)
        elif self.comparison.active:
            what = self.tr("{F} of run A").format(F=what)
        colours = (self.tr("each filter ±its own largest |value|") if self.scaling == "own"
                   else self.tr("colours ±{top}").format(top=f"{levels[1]:.3g}"))
        still = reference is not None and reference[0] == step and mode == "a"
        self.info.setText(f"{what} · {at} · {grid} · {colours}"
                          + (self.tr(" · nothing has moved yet") if still else ""))
        self.info.setToolTip(self.info.text())  # the whole line, where a narrow dock cuts it
        if k_sel is not None and k_sel < K:
            self.enlarge(k_sel, min(self.detail_c, C - 1))  # the same filter, new numbers
        else:
            self._close()
        if self._hover_pos is not None:
            self._on_hover(self._hover_pos)

    def _tile_kc(self, tile: int) -> tuple[int, int]:
        """The (k, c) of a tile of the mosaic drawn by :meth:`redraw`."""
        return self.tiles[tile]

    def _kc_tile(self, k: int, c: int) -> int | None:
        """The tile of F(k, c) in the mosaic shown, or None (another filter's slices are shown)."""
        try:
            return self.tiles.index((k, c))
        except ValueError:
            return None

    def _on_hover(self, scene_pos) -> None:
        self._hover_pos = scene_pos
        hit = hover_tile(self.box, scene_pos, self.layout_)
        if hit is None:  # a gap between filters keeps the readout; off the mosaic, it goes
            point = view_point(self.box.vb, scene_pos)
            shape = self.box.shape
            if point is None or shape is None or not (0 <= point[0] < shape[1] and 0 <= point[1] < shape[0]):
                self.status.setText(self.tr(HINT))
            return
        tile, mu, nu, _ = hit
        k, c = self._tile_kc(tile)
        r0, c0 = self.layout_.origin(tile)
        value = float(self.values[r0 + mu, c0 + nu])
        name, ix = f"conv{self.layer() + 1}  ", self.model.indices
        where = f"(k={ix(k)}, c={ix(c)}, μ={ix(mu)}, ν={ix(nu)})"
        reference = self.reference()
        mode, other = self.chooser.mode(), self.chooser.run()
        if mode == "diff":
            a = float(self.weights()[k, c, mu, nu])
            b = float(other.model.snapshot().params[f"conv{self.layer() + 1}.W"][k, c, mu, nu])
            self.status.setText(f"{name}F_A{where} − F_B{where} = {fmt(value)}   (F_A = {fmt(a)}, F_B = {fmt(b)})")
        elif mode == "b":
            self.status.setText(self.tr("{layer}F_B{where} = {value}   (run B: {run})").format(
                layer=name, where=where, value=fmt(value), run=other.name))
        elif reference is None:
            self.status.setText(f"{name}F{where} = {fmt(value)}")
        else:
            weight = float(self.weights()[k, c, mu, nu])
            self.status.setText(self.tr("{layer}F{where} − F(step {step}) = {value}   (F = {weight})").format(
                layer=name, where=where, step=reference[0], value=fmt(value), weight=fmt(weight)))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.Leave:
            self._hover_pos = None
            self.status.setText(self.tr(HINT))
        return super().eventFilter(watched, event)

    def _on_click(self, event) -> None:
        hit = hover_tile(self.box, event.scenePos(), self.layout_)
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(*self._tile_kc(hit[0]))

    def select(self, k: int, c: int = 0) -> None:
        """Enlarge F(k, c, ., .): selects output channel k in every view."""
        self.detail_c = c
        self.enlarge(k, c)
        self.model.select(channel=k)

    def enlarge(self, k: int, c: int) -> None:
        """Show slice (k, c) of what is shown (the weights or their change) with its numbers."""
        layer = self.layer()
        reference = self.reference()
        if self.shown is None or k >= len(self.shown):
            return
        filt = self.shown[k]  # (C, m, m): the weights, their change, run B's or A − B
        c = min(c, len(filt) - 1)
        F = filt[c]
        b = float(self.shown_bias[k])
        self.selected = (layer, k, c)
        m = F.shape[0]
        if self.scaling == "own":  # filter k's own range, as in the mosaic
            with np.errstate(all="ignore"):
                top = float(np.abs(filt).max())
            top = top if np.isfinite(top) and top > 0 else 1.0
        else:
            top = float(self.box.item.getLevels()[1]) if self.box.image is not None else 1.0
        with np.errstate(all="ignore"):  # a diverging run's weights: inf at the ends, NaN in the middle colour
            fraction = np.nan_to_num((F.ravel().astype(np.float64) + top) / (2 * top), nan=0.5, posinf=1.0,
                                     neginf=0.0)
        fraction = np.clip(fraction, 0.0, 1.0)
        colours = DIVERGING.map(fraction, mode=pg.ColorMap.QCOLOR)  # QColor refuses NaN, with a warning
        self.table.setRowCount(m)
        self.table.setColumnCount(m)
        ix = self.model.indices
        self.table.setHorizontalHeaderLabels([f"ν={ix(nu)}" for nu in range(m)])
        self.table.setVerticalHeaderLabels([f"μ={ix(mu)}" for mu in range(m)])
        for n, value in enumerate(F.ravel()):
            item = QTableWidgetItem(f"{value:+.3f}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(colours[n])
            item.setForeground(Qt.GlobalColor.white if abs(value) >= 0.6 * top else Qt.GlobalColor.black)  # NaN: black
            item.setToolTip(fmt(float(value)))
            self.table.setItem(n // m, n % m, item)
        sk, sc = ix(k, c)  # as written
        what = (f"F({sk}, {sc}, μ, ν)" if reference is None else
                self.tr("F({k}, {c}, μ, ν) − F(step {step})").format(k=sk, c=sc, step=reference[0]))
        bias = f"b({sk})"
        if self.chooser.mode() == "b":
            what, bias = f"F_B({sk}, {sc}, μ, ν)", f"b_B({sk})"
        elif self.chooser.mode() == "diff":
            what, bias = f"F_A({sk}, {sc}, μ, ν) − F_B({sk}, {sc}, μ, ν)", f"b_A({sk}) − b_B({sk})"
        self.detail_title.setText(f"conv{layer + 1}: {what}\n{bias} = {fmt(b)}")
        # Fit the table to its cells, up to a size a dock can spare (larger filters scroll).
        t = self.table
        width = t.verticalHeader().width() + m * t.horizontalHeader().defaultSectionSize() + 2 * t.frameWidth()
        height = (t.horizontalHeader().sizeHint().height() + m * t.verticalHeader().defaultSectionSize()
                  + 2 * t.frameWidth())
        t.setFixedSize(min(width, 340), min(height, 300))
        tile = self._kc_tile(k, c)
        if tile is not None:
            r0, c0 = self.layout_.origin(tile)
            self.outline.setRect(c0, r0, m, m)
        self.outline.setVisible(tile is not None)
        self.detail.show()

    def close_detail(self) -> None:
        """Close the enlarged filter (no channel selected)."""
        self._close()
        self.model.select(channel=None)

    def _close(self) -> None:
        self.selected = None
        self.outline.hide()
        self.detail.hide()

    def leaveEvent(self, event) -> None:  # the mouse left the view: stop re-reading the hovered value
        self._hover_pos = None
        super().leaveEvent(event)
