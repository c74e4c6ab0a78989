"""The training form: architecture, data, seed and dtype, hyperparameters; it checks them before Start.

The form produces a :class:`~cnnviz.config.TrainConfig` (:meth:`ControlsView.config`) and a
:class:`DataSpec` (what to load). Every change is checked at once, by the configuration's one rule set
(:func:`cnnviz.config.problems`, whose problems carry their field: the network's name the layer, a filter larger
than its map, a pooling of a map that has shrunk to nothing) and the data choice; a problem is shown in red under
its field and :attr:`ControlsView.validity_changed` tells the window to refuse Start. During a run only the learning
rate and the momentum stay editable: a change is emitted (:attr:`lr_changed`, :attr:`momentum_changed`) and the
window passes it to the trainer, which applies it at the next step and records it as an event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.config import (
    MAX_CONV_LAYERS,
    MAX_SEED,
    PRESETS,
    SCHEDULES,
    TrainConfig,
    conv_count_problem,
    parse_sizes,
    problems,
)
from cnnviz.core import ConvSpec, NetworkConfig
from cnnviz.data import MNIST, find_mnist, load_data, read_idx
from cnnviz.datasets import dataset, is_downloaded, user_cache_dir
from cnnviz.errors import ConfigError, DataError, format_number, sentence

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #8a5a00;"
MAX_INT = 2**31 - 1  # the largest value a spin box holds: epochs, batch size, intervals and limits up to it
ADD_CONV = "Add conv layer"
RUNNING_NOTE = "Architecture changes need a new run."  # under the network while a run goes on
NO_CONV = "A run needs at least one conv layer (cnnviz train refuses --conv '')."
SAMPLE_TRAIN, SAMPLE_TEST = 2000, 1000  # the bundled sample's images (docs/data.md)
SOURCES = ("sample", "disk", "fashion-mnist", "kmnist", "folder")  # the data choices, in the combo's order
SOURCE_NAMES = {"sample": "bundled sample (2,000 / 1,000 images)", "disk": "MNIST", "fashion-mnist": "Fashion-MNIST",
                "kmnist": "KMNIST", "folder": "another folder of IDX files"}
NUMBER_NAMES = {"lr": "learning rate", "momentum": "momentum", "dropout": "dropout ratio"}  # the typed numbers
DATASET_OF = {"disk": "mnist", "fashion-mnist": "fashion-mnist", "kmnist": "kmnist"}  # choice -> cnnviz.datasets


@dataclass(frozen=True)
class DataSpec:
    """What to train on: ``source`` is "sample", a directory, or None (the command line's search order);
    ``limit_train`` / ``limit_test`` use the first N images (None: all)."""

    source: str | None = "sample"
    limit_train: int | None = None
    limit_test: int | None = None
    download: bool = False

    def load(self) -> MNIST:
        data = load_data(self.source, download=self.download, progress=False)
        if self.limit_train is not None or self.limit_test is not None:
            data = data.limited(self.limit_train, self.limit_test)
        return data


class NumberBox(QDoubleSpinBox):
    """A decimal field that takes what one types ("-0.1", "1e-4", ".5") and shows values without trailing zeros.

    Its range is wide on purpose: the form, not the box, says what is wrong with a value (a negative learning
    rate used to become "-0." and then "0.000000"). :meth:`typed` is the number the text shows now, committed
    or not; ``valueChanged`` follows the spin box's rules (on Enter or leaving the field without keyboard
    tracking)."""

    NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
    START = re.compile(r"[+-]?\d*\.?\d*([eE][+-]?\d*)?")  # what a number can grow from: "", "-", "1e"
    LIMIT = 1e9

    def __init__(self, step: float, tip: str):
        super().__init__()
        self.setDecimals(20)  # QDoubleSpinBox rounds values to this many places
        self.setRange(-self.LIMIT, self.LIMIT)
        self.setSingleStep(step)
        self.setToolTip(tip)
        self.setCorrectionMode(QDoubleSpinBox.CorrectionMode.CorrectToPreviousValue)

    def validate(self, text: str, pos: int):
        t = text.strip()
        if self.NUMBER.fullmatch(t) and abs(float(t)) <= self.LIMIT:
            return QValidator.State.Acceptable, text, pos
        if self.START.fullmatch(t):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def valueFromText(self, text: str) -> float:
        t = text.strip()
        return float(t) if self.NUMBER.fullmatch(t) else self.value()

    def textFromValue(self, value: float) -> str:
        return format_number(value)

    def typed(self) -> float | None:
        """The number in the field now, even before Enter; None while the text is not a number ("", "-", "1e")."""
        t = self.lineEdit().text().strip()
        return float(t) if self.NUMBER.fullmatch(t) and abs(float(t)) <= self.LIMIT else None


class _ConvRow:
    """The widgets of one conv layer in the form."""

    def __init__(self, spec: ConvSpec):
        self.filters = QSpinBox()
        self.filters.setRange(0, 512)
        self.filters.setValue(spec.filters)
        self.filters.setToolTip("Number of filters K")
        self.size = QSpinBox()
        self.size.setRange(1, 28)
        self.size.setValue(spec.size)
        self.size.setToolTip("Filter size m (m x m)")
        self.padding = QComboBox()
        self.padding.addItems(["same", "valid"])
        self.padding.setCurrentText(spec.padding)
        self.padding.setToolTip("same: zero padding keeps the map size (notes 2.3); valid: no padding (2.2)")
        self.pooling = QComboBox()
        self.pooling.addItems(["max", "average", "none"])
        self.pooling.setCurrentText(spec.pooling)
        self.pooling.setToolTip("2x2 pooling with stride 2 after the ReLU")
        self.remove = QToolButton()
        self.remove.setText("−")
        self.remove.setToolTip("Remove this conv layer")
        self.name = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

    @property
    def widgets(self) -> list[QWidget]:
        return [self.name, self.filters, self.size, self.padding, self.pooling, self.remove, self.error]

    def spec(self) -> ConvSpec:
        return ConvSpec(self.filters.value(), self.size.value(), self.padding.currentText(),
                        self.pooling.currentText())


class ControlsView(QWidget):
    """The form that defines a run. ``ControlsView(model)`` like every view (it does not read the model)."""

    title = "Training controls"
    validity_changed = Signal(bool)
    lr_changed = Signal(float)
    momentum_changed = Signal(float)
    config_edited = Signal()

    def __init__(self, model=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._running = False
        self._fork: str | None = None  # fork mode: why the architecture is fixed (set_fork); None: not a fork
        self._fork_problem = ""  # fork mode: what keeps the fork from starting (one sentence), "" none
        self._valid = True
        self._threads = 2
        self._n_probes = 16
        self._download = False
        self._errors: dict[str, str] = {}
        self._error_labels: dict[str, QLabel] = {}
        self._conv_rows: list[_ConvRow] = []
        self._input_shape, self._n_classes = NetworkConfig().input_shape, NetworkConfig().n_classes

        # -- network
        self.conv_grid = QGridLayout()
        self.conv_grid.setHorizontalSpacing(4)
        self.conv_grid.setVerticalSpacing(2)
        self._headers = [QLabel(text) for text in ("filters", "size", "padding", "pooling")]
        self._narrow = False  # conv layers on two lines each (filters, size / padding, pooling)
        self.add_conv = QPushButton(ADD_CONV)
        self.add_conv.clicked.connect(lambda: self._add_conv_row(ConvSpec(32)))
        self.fc = QLineEdit()
        self.fc.setToolTip("Hidden fully connected sizes, comma-separated; the 10 outputs are added")
        self.fc.setPlaceholderText("none")
        self.dropout = NumberBox(0.05, "Dropout ratio on the hidden fully connected layers, in [0, 1)")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)  # the command line refuses a seed outside it before the window opens
        self.seed.setToolTip("Initialisation, shuffling, dropout and the choice of probe images")
        self.dtype = QComboBox()
        self.dtype.addItems(["float32", "float64"])
        self.arch_note = QLabel(RUNNING_NOTE)
        self.arch_note.setStyleSheet(NOTE_STYLE)
        self.arch_note.setWordWrap(True)
        self.arch_note.hide()

        net_box = QGroupBox("Network")
        net = QVBoxLayout(net_box)
        net.addLayout(self.conv_grid)
        net.addWidget(self._with_error("conv", self.add_conv, align=Qt.AlignmentFlag.AlignLeft))
        form = _form_layout()
        form.addRow("hidden fc", self._with_error("fc", self.fc, QLabel("+ 10 outputs")))
        form.addRow("dropout", self._with_error("dropout", self.dropout))
        form.addRow("seed", self.seed)
        form.addRow("dtype", self.dtype)
        net.addLayout(form)
        net.addWidget(self.arch_note)

        # -- data
        self.source = QComboBox()
        for key in SOURCES:
            self.source.addItem(SOURCE_NAMES[key], key)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(14)
        self.download_button = QPushButton()  # "Download MNIST…", shown when the chosen data set is not on disk
        self.download_button.clicked.connect(self._download_dataset)
        self.download_dialog = None  # the DownloadDialog while one runs
        self._refresh_sources()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("folder with the four IDX files")
        self.browse = QToolButton()
        self.browse.setText("…")
        self.browse.setToolTip("Choose the folder")
        self.browse.clicked.connect(self._browse)
        self.limit_train = self._limit("Use the first N training images (0: all)")
        self.limit_test = self._limit("Use the first N test images (0: all)")
        data_box = QGroupBox("Data")
        dform = _form_layout(data_box)
        dform.addRow("source", self.source)
        dform.addRow("", self.download_button)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        folder_widget = QWidget()
        folder_widget.setLayout(folder_row)
        dform.addRow("folder", self._with_error("data", folder_widget))
        dform.addRow("training images", self._with_error("limit_train", self.limit_train))
        dform.addRow("test images", self._with_error("limit_test", self.limit_test))

        # -- training
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.preset.setToolTip("lecture: the original program's hyperparameters; fast: 99% in 4 epochs")
        self.lr = NumberBox(0.001, "Learning rate on the mean loss, positive (0.01, 1e-3); can be changed while "
                                   "training")
        self.momentum = NumberBox(0.05, "Classical momentum, in [0, 1); can be changed while training")
        for box in (self.lr, self.momentum):
            box.setKeyboardTracking(False)  # a typed value counts on Enter or leaving the field
            box.lineEdit().textEdited.connect(self.validate)  # but its problem shows as it is typed
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setToolTip("constant, or cosine decay to 0 over the run (a hand-set rate ends it)")
        self.batch_size = self._int(1, MAX_INT, "Minibatch size")
        self.epochs = self._int(1, MAX_INT, "Passes over the training images")
        self.snapshot_every = self._int(0, MAX_INT, "Save the parameters every N steps (0: start and end only)")
        self.eval_every = self._int(0, MAX_INT, "Also evaluate on the test images every N steps (0: each epoch)")
        train_box = QGroupBox("Training")
        tform = _form_layout(train_box)
        tform.addRow("preset", self.preset)
        tform.addRow("learning rate", self._with_error("lr", self.lr))
        tform.addRow("momentum", self._with_error("momentum", self.momentum))
        tform.addRow("lr schedule", self.schedule)
        self.batch_note = QLabel()
        self.batch_note.setStyleSheet(NOTE_STYLE)
        self.batch_note.setWordWrap(True)
        self.batch_note.hide()
        tform.addRow("batch size", self._with_error("batch_size", self.batch_size, note=self.batch_note))
        tform.addRow("epochs", self.epochs)
        tform.addRow("snapshot every", self._with_error("snapshot_every", self.snapshot_every))
        tform.addRow("evaluate every", self.eval_every)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(dark);")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        inner = QWidget()
        col = QVBoxLayout(inner)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(net_box)
        col.addWidget(data_box)
        col.addWidget(train_box)
        col.addWidget(self.summary)
        col.addStretch(1)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._inner = inner
        scroll.viewport().installEventFilter(self)

        # -- signals
        self.preset.currentTextChanged.connect(self._apply_preset)
        self.source.currentIndexChanged.connect(self._on_source)
        self.lr.valueChanged.connect(self._on_lr)
        self.momentum.valueChanged.connect(self._on_momentum)
        for w in (self.fc, self.folder, self.dropout.lineEdit()):
            w.textChanged.connect(self.validate)
        for w in (self.dropout, self.seed, self.batch_size, self.epochs, self.snapshot_every, self.eval_every,
                  self.limit_train, self.limit_test):
            w.valueChanged.connect(self.validate)
        for w in (self.dtype, self.schedule):
            w.currentIndexChanged.connect(self.validate)

        self.set_config(TrainConfig(), DataSpec("sample"))
        self.ensurePolished()  # the style's sizes, as when shown
        self._wide_width = self._inner_width()  # what the one-line conv layers need
        self.set_narrow(True)
        bar = scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(self._inner_width() + bar)  # the narrow form never clips, nor scrolls sideways
        self.set_narrow(False)

    def _inner_width(self) -> int:
        """The least width the form's contents take as they are laid out now."""
        self._relayout()
        return self._inner.minimumSizeHint().width()

    def _relayout(self) -> None:
        """Recompute the contents' sizes now (moved widgets otherwise keep their old sizes until the next event)."""
        for layout in self._inner.findChildren(QLayout):
            layout.invalidate()
        for box in self._inner.findChildren(QGroupBox):
            box.layout().activate()
        self._inner.layout().activate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The conv layers go on two lines each when the scroll area's viewport is narrower than one line needs."""
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            if not self._narrow:
                self._wide_width = self._inner_width()
            self.set_narrow(event.size().width() < self._wide_width)
        return super().eventFilter(watched, event)

    # -- building helpers ---------------------------------------------------------------------------------------

    def _with_error(self, key: str, field: QWidget, extra: QWidget | None = None, note: QLabel | None = None,
                    align=None) -> QWidget:
        """``field`` with a red message line under it (hidden while ``key`` has no problem), and an optional
        ``note`` line under that."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        if align is not None:
            v.addWidget(field, 0, align)
        elif extra is not None:
            h = QHBoxLayout()
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(field, 1)
            h.addWidget(extra)
            v.addLayout(h)
        else:
            v.addWidget(field)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        v.addWidget(error)
        if note is not None:
            v.addWidget(note)
        self._error_labels[key] = error
        return box

    @staticmethod
    def _int(lo: int, hi: int, tip: str) -> QSpinBox:  # hi: MAX_INT, what cnnviz train takes, never clamped
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setToolTip(tip)
        return box

    @staticmethod
    def _limit(tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, MAX_INT)
        box.setSpecialValueText("all")
        box.setToolTip(tip)
        return box

    def _add_conv_row(self, spec: ConvSpec) -> None:
        if len(self._conv_rows) >= MAX_CONV_LAYERS:
            return  # the button is off by then, and set_config refuses a longer list
        row = _ConvRow(spec)
        self._conv_rows.append(row)
        row.remove.clicked.connect(lambda: self._remove_conv_row(row))
        for w in (row.filters, row.size):
            w.valueChanged.connect(self.validate)
        for w in (row.padding, row.pooling):
            w.currentIndexChanged.connect(self.validate)
        self._layout_conv_rows()
        self.validate()

    def _remove_conv_row(self, row: _ConvRow) -> None:
        self._conv_rows.remove(row)
        for w in row.widgets:
            self.conv_grid.removeWidget(w)
            w.hide()
            w.setParent(None)
            w.deleteLater()
        self._layout_conv_rows()
        self.validate()

    def _layout_conv_rows(self) -> None:
        """One line per conv layer (name, filters, size, padding, pooling, remove), or two in a narrow dock (name,
        filters, size / remove, padding, pooling), each with its problem on the line under it."""
        grid = self.conv_grid
        for w in self._headers + [w for row in self._conv_rows for w in row.widgets]:
            grid.removeWidget(w)
        for col, header in enumerate(self._headers, 1):
            shown = not self._narrow or col <= 2
            header.setVisible(shown)
            if shown:
                grid.addWidget(header, 0, col)
        lines = 3 if self._narrow else 2
        for i, row in enumerate(self._conv_rows):
            row.name.setText(f"conv{i + 1}")
            r = 1 + lines * i
            if self._narrow:
                for col, (top, bottom) in enumerate([(row.name, row.remove), (row.filters, row.padding),
                                                     (row.size, row.pooling)]):
                    grid.addWidget(top, r, col)
                    grid.addWidget(bottom, r + 1, col)
            else:
                for col, w in enumerate([row.name, row.filters, row.size, row.padding, row.pooling, row.remove]):
                    grid.addWidget(w, r, col)
            grid.addWidget(row.error, r + lines - 1, 0, 1, 6)
        self._update_add_conv()

    def set_narrow(self, narrow: bool) -> None:
        """Lay the conv layers on two lines each (True) or one (False); the form does it by itself on resizing."""
        if narrow != self._narrow:
            self._narrow = narrow
            self._layout_conv_rows()
            if hasattr(self, "_inner"):
                self._relayout()

    @property
    def narrow(self) -> bool:
        return self._narrow

    def _update_add_conv(self) -> None:
        """"Add conv layer" is off during a run and at the limit, and says why (its text and tooltip); a lone conv
        layer cannot be removed (``cnnviz train`` refuses ``--conv ''``)."""
        full = len(self._conv_rows) >= MAX_CONV_LAYERS
        self.add_conv.setEnabled(not full and not self._running and self._fork is None)
        self.add_conv.setText(f"{ADD_CONV} (at most {MAX_CONV_LAYERS})" if full else ADD_CONV)
        if self._running:
            self.add_conv.setToolTip("Architecture changes need a new run.")
        elif full:
            self.add_conv.setToolTip(f"A run has at most {MAX_CONV_LAYERS} conv layers: remove one to add another.")
        else:
            self.add_conv.setToolTip("Add a conv layer after the last one")
        lone = len(self._conv_rows) == 1
        for row in self._conv_rows:
            row.remove.setEnabled(not self._running and self._fork is None and not lone)
            row.remove.setToolTip("A run needs at least one conv layer" if lone else "Remove this conv layer")

    # -- filling ------------------------------------------------------------------------------------------------

    def set_config(self, config: TrainConfig, data: DataSpec | None = None) -> None:
        """Show ``config`` (and ``data``) in the form; ConfigError (the form unchanged) for more conv layers than
        it holds (the command line refuses them before the window opens)."""
        if problem := conv_count_problem(len(config.network.conv)):
            raise ConfigError(f"a run has {problem}", "conv")
        widgets = [self.preset, self.fc, self.dropout, self.seed, self.dtype, self.lr, self.momentum,
                   self.schedule, self.batch_size, self.epochs, self.snapshot_every, self.eval_every]
        for w in widgets:
            w.blockSignals(True)
        try:
            for row in list(self._conv_rows):
                self._remove_conv_row(row)
            for spec in config.network.conv:
                self._add_conv_row(spec)
            self.preset.setCurrentText(config.preset)
            self.fc.setText(",".join(str(n) for n in config.network.fc[:-1]))
            self.dropout.setValue(config.network.dropout)
            self.seed.setValue(config.seed)
            self.dtype.setCurrentText(config.dtype)
            self.lr.setValue(config.lr)
            self.momentum.setValue(config.momentum)
            self.schedule.setCurrentText(config.lr_schedule)
            self.batch_size.setValue(config.batch_size)
            self.epochs.setValue(config.epochs)
            self.snapshot_every.setValue(config.snapshot_every)
            self.eval_every.setValue(config.eval_every)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._threads, self._n_probes = config.threads, config.n_probes
        self._input_shape = config.network.input_shape
        self._n_classes = config.network.n_classes
        if data is not None:
            self.set_data(data)
        self.validate()

    def set_data(self, data: DataSpec) -> None:
        self._download = data.download
        self.source.blockSignals(True)
        self.folder.blockSignals(True)
        if data.source == "sample":
            key = "sample"
        elif data.source is None:
            key = "disk"
        elif data.source in DATASET_OF.values() and not Path(data.source).is_dir():  # a name, as --data takes
            key = next(k for k, name in DATASET_OF.items() if name == data.source)
        else:
            found = find_mnist_quietly(None)
            key = "disk" if found is not None and Path(data.source) == found else next(
                (k for k, name in DATASET_OF.items() if Path(data.source) == user_cache_dir(name)), "folder")
            self.folder.setText(str(data.source))
        self.source.setCurrentIndex(SOURCES.index(key))
        self.folder.blockSignals(False)
        self.source.blockSignals(False)
        self.limit_train.setValue(data.limit_train or 0)
        self.limit_test.setValue(data.limit_test or 0)
        self._on_source()

    def _apply_preset(self, name: str) -> None:
        values = PRESETS[name]
        self.lr.setValue(values["lr"])
        self.momentum.setValue(values["momentum"])
        self.dropout.setValue(values["dropout"])
        self.batch_size.setValue(values["batch_size"])
        self.epochs.setValue(values["epochs"])
        self.schedule.setCurrentText(values["lr_schedule"])
        self.validate()

    def _on_source(self) -> None:
        key = self.source.currentData()
        self.folder.setEnabled(key == "folder" and not self._running and self._fork is None)
        self.browse.setEnabled(self.folder.isEnabled())
        if key == "disk":
            found = find_mnist_quietly(None)
            self.folder.setText(str(found) if found is not None else "")
            self.folder.setPlaceholderText("not found" if found is None else "")
        elif key in DATASET_OF:
            found = is_downloaded(DATASET_OF[key])
            self.folder.setText(str(user_cache_dir(DATASET_OF[key])) if found else "")
            self.folder.setPlaceholderText("" if found else "not downloaded")
        elif key == "sample":
            self.folder.setText("")
            self.folder.setPlaceholderText("")
        else:
            self.folder.setPlaceholderText("folder with the four IDX files")
        self._refresh_sources()
        self.validate()

    def _refresh_sources(self) -> None:
        """Say which data sets are on disk in the combo, and offer to download the chosen one if it is not."""
        for key, name in DATASET_OF.items():
            found = (find_mnist_quietly(None) is not None) if key == "disk" else is_downloaded(name)
            title = SOURCE_NAMES[key]
            self.source.setItemText(SOURCES.index(key), f"{title} (on disk)" if found else f"{title} (download…)")
        key = self.source.currentData()
        missing = key in DATASET_OF and not (
            find_mnist_quietly(None) is not None if key == "disk" else is_downloaded(DATASET_OF[key]))
        if missing:
            d = dataset(DATASET_OF[key])
            self.download_button.setText(f"Download {d.title}…")
            self.download_button.setToolTip(f"About {d.download_bytes / 1e6:.0f} MB into "
                                            f"{user_cache_dir(d.name)}, each file checked ({d.licence})")
        self.download_button.setVisible(missing)
        self.download_button.setEnabled(missing and not self._running and self.download_dialog is None)

    def _download_dataset(self) -> None:
        """Download the chosen data set into the user cache, in a dialog that can be cancelled."""
        from cnnviz.gui.download import DownloadDialog  # here: only a download needs it

        key = self.source.currentData()
        if key not in DATASET_OF or self.download_dialog is not None:
            return
        self.download_dialog = dialog = DownloadDialog(DATASET_OF[key], mirrors=self.download_mirrors, parent=self)
        dialog.failed.connect(lambda text: setattr(self, "_download_failure", (key, sentence(text))))
        dialog.finished.connect(self._download_ended)
        self.download_button.setEnabled(False)
        dialog.start()

    download_mirrors = None  # the data sets' own mirrors (tests point this at a local server)
    _download_failure: tuple[str, str] | None = None  # (choice, sentence) of the last download that failed

    def _download_ended(self, *_) -> None:
        self.download_dialog.deleteLater()
        self.download_dialog = None
        self._on_source()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder of MNIST IDX files", self.folder.text())
        if path:
            self.folder.setText(path)

    # -- reading ------------------------------------------------------------------------------------------------

    def data_spec(self) -> DataSpec:
        key = self.source.currentData()
        source = "sample" if key == "sample" else (self.folder.text().strip() or None)
        return DataSpec(source, self.limit_train.value() or None, self.limit_test.value() or None,
                        self._download and key == "disk")

    def network_config(self) -> NetworkConfig:
        if not self._conv_rows:
            raise ConfigError(NO_CONV, "conv")
        fc = (*parse_sizes(self.fc.text()), self._n_classes)
        return NetworkConfig(input_shape=self._input_shape, conv=tuple(r.spec() for r in self._conv_rows), fc=fc,
                             dropout=_number(self.dropout, "dropout"), seed=self.seed.value())

    def config(self) -> TrainConfig:
        """The run the form describes (the numbers as typed, even before Enter); ConfigError naming the first
        problem."""
        return TrainConfig(network=self.network_config(), lr=_number(self.lr, "lr"),
                           momentum=_number(self.momentum, "momentum"), preset=self.preset.currentText(),
                           **self._settings())

    def _settings(self) -> dict[str, object]:
        """The settings the form's boxes and lists hold (and those it keeps: threads, probes), by name."""
        return dict(epochs=self.epochs.value(), batch_size=self.batch_size.value(),
                    lr_schedule=self.schedule.currentText(), seed=self.seed.value(), dtype=self.dtype.currentText(),
                    eval_every=self.eval_every.value(), snapshot_every=self.snapshot_every.value(),
                    n_probes=self._n_probes, threads=self._threads)

    @property
    def conv_rows(self) -> list[_ConvRow]:
        """The conv layers' rows of widgets (filters, size, padding, pooling, error), in order."""
        return list(self._conv_rows)

    def error_label(self, field: str) -> QLabel:
        """The label that shows the problem of a field: "lr", "momentum", "fc", "dropout", "data", ..."""
        return self._error_labels[field]

    def errors(self) -> dict[str, str]:
        """The problems shown, by field: "conv1".., "fc", "dropout", "lr", "momentum", "data", ..."""
        return dict(self._errors)

    def is_valid(self) -> bool:
        return not self._errors

    # -- checking -----------------------------------------------------------------------------------------------

    def validate(self) -> bool:
        """Check every field; show every problem at once, each under its field, and list them under the form;
        True if the form can start a run. The rules are the configuration's (:func:`cnnviz.config.problems`, which
        ``cnnviz train`` and the live controls ask too); the form reads the numbers as typed, and its data choice."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {**self._settings(), "input_shape": self._input_shape,
                                     "conv": tuple(row.spec() for row in self._conv_rows)}
        for key, box, example in (("lr", self.lr, "0.01"), ("momentum", self.momentum, "0.9"),
                                  ("dropout", self.dropout, "0.2")):
            value, text, name = box.typed(), box.lineEdit().text().strip(), NUMBER_NAMES[key]
            if value is None:
                errors[key] = (f"The {name} must be a number such as {example}, not {text!r}." if text else
                               f"Type a {name}, such as {example}.")
            else:
                values[key] = value
        if not self._conv_rows:
            errors["conv"] = NO_CONV
        try:
            values["fc"] = (*parse_sizes(self.fc.text()), self._n_classes)
        except ConfigError as exc:
            errors["fc"] = sentence(str(exc))
        for key, text in problems(values):  # a layer may have several: each its sentence
            errors[key] = f"{errors[key]} {sentence(text)}" if key in errors else sentence(text)
        errors.update(self._data_errors() if self._fork is None else {})  # a fork's data is its parent's
        if self._fork is not None and self._fork_problem:
            errors["fork"] = self._fork_problem
        self._errors = errors
        self._show_errors()
        self._update_batch_note()
        valid = not errors
        self._update_summary()
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        self.config_edited.emit()
        return valid

    def training_count(self) -> int | None:
        """How many training images the data choice gives (None: not known without reading the data)."""
        key = self.source.currentData()
        n = self.limit_train.value() or None
        if key == "sample":
            return n or SAMPLE_TRAIN
        if n is not None:
            return n
        folder = self.folder.text().strip()
        return _label_count(folder) if folder else None

    def _update_batch_note(self) -> None:
        """A batch larger than the training set is allowed (``cnnviz train`` says so and uses the whole set as
        one batch): the form says the same, in amber, not in red."""
        n, batch = self.training_count(), self.batch_size.value()
        text = "" if n is None or batch <= n or "batch_size" in self._errors else (
            f"The batch size {batch:,} is larger than the {n:,} training images: every step uses all {n:,} as "
            "one batch.")
        self.batch_note.setText(text)
        self.batch_note.setVisible(bool(text))

    def _data_errors(self) -> dict[str, str]:
        """The data choice's problem ("data") and the limits' ("limit_train", "limit_test"), all at once."""
        errors: dict[str, str] = {}
        key = self.source.currentData()
        if key == "disk":
            try:
                found = find_mnist(None)
            except DataError as exc:
                errors["data"] = sentence(str(exc))
            else:
                if found is None and not self._download:
                    errors["data"] = ("MNIST is not on this computer yet: press Download MNIST…, set CNNVIZ_DATA, or "
                                      "choose the sample.")
        elif key in DATASET_OF and not is_downloaded(DATASET_OF[key]):
            title = dataset(DATASET_OF[key]).title
            failure = self._download_failure
            errors["data"] = (f"{failure[1]} Press Download {title}… to try again, or choose the sample."
                              if failure is not None and failure[0] == key else
                              f"{title} is not on this computer yet: press Download {title}…, or choose the sample.")
        elif key == "folder":
            text = self.folder.text().strip()
            if not text:
                errors["data"] = "Choose the folder that holds the four MNIST IDX files."
            else:
                try:
                    find_mnist(text)
                except DataError as exc:
                    errors["data"] = sentence(str(exc))
        for name, box, split, n in (("limit_train", self.limit_train, "training", SAMPLE_TRAIN),
                                    ("limit_test", self.limit_test, "test", SAMPLE_TEST)):
            if key == "sample" and box.value() > n:
                errors[name] = f"The sample has {n:,} {split} images, not {box.value():,}."
            elif key != "sample" and "data" not in errors and box.value():
                available = _label_count(self.folder.text().strip(), split == "training")
                if available is not None and box.value() > available:
                    errors[name] = f"The folder has {available:,} {split} images, not {box.value():,}."
        return errors

    def _show_errors(self) -> None:
        for key, label in self._error_labels.items():
            text = self._errors.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        for i, row in enumerate(self._conv_rows, 1):
            text = self._errors.get(f"conv{i}", "")
            row.error.setText(text)
            row.error.setVisible(bool(text))

    def _error_order(self) -> list[str]:
        """The keys of the problems in the form's order, top to bottom."""
        order = ["fork", "conv", *(f"conv{i}" for i in range(1, len(self._conv_rows) + 1)), "fc", "dropout", "data",
                 "limit_train", "limit_test", "lr", "momentum", "batch_size", "snapshot_every"]
        return sorted(self._errors, key=lambda k: order.index(k) if k in order else len(order))

    def _update_summary(self) -> None:
        if self._errors:
            n = len(self._errors)
            head = "Fix this to start:" if n == 1 else f"Fix these {n} problems to start:"
            self.summary.setText(head + "".join(f"\n• {self._errors[key]}" for key in self._error_order()))
            self.summary.setStyleSheet(ERROR_STYLE)
            return
        self.summary.setStyleSheet("color: palette(dark);")
        try:
            shapes = self.network_config().shapes()
        except ConfigError:
            return
        parts = [f"{name} {'x'.join(map(str, shape))}" for name, shape in shapes if not name.endswith(".u")
                 or name.startswith("conv")]
        self.summary.setText("Shapes: " + ", ".join(parts))

    # -- running ------------------------------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        """Lock everything but the learning rate and the momentum while a run goes on."""
        self._running = running
        fixed = [self.fc, self.dropout, self.seed, self.dtype, self.source, self.limit_train, self.limit_test,
                 self.preset, self.schedule, self.batch_size, self.epochs, self.snapshot_every, self.eval_every]
        for row in self._conv_rows:
            fixed += [row.filters, row.size, row.padding, row.pooling, row.remove]
        kept = self.fork_fixed() if self._fork is not None else []
        for w in fixed:
            w.setEnabled(not running and not any(w is k for k in kept))
        self._update_add_conv()
        self.folder.setEnabled(not running and self._fork is None and self.source.currentData() == "folder")
        self.browse.setEnabled(self.folder.isEnabled())
        self._refresh_sources()
        self.arch_note.setText(self._fork if self._fork is not None and not running else RUNNING_NOTE)
        self.arch_note.setVisible(running or self._fork is not None)

    @property
    def running(self) -> bool:
        return self._running

    # -- fork mode (cnnviz.gui.fork: "Continue from here") ---------------------------------------------------------

    def set_fork(self, why: str | None, minimum_epochs: int = 1, problem: str = "") -> None:
        """Fork mode: the architecture, seed, dtype, preset and data are the parent run's (:meth:`fork_fixed`: their
        fields are disabled, and ``why`` says so under the network); the epochs count the parent's, at least
        ``minimum_epochs``; ``problem`` (one sentence, "" for none) keeps Start off like any problem of the form.
        ``why`` None leaves fork mode: every field is editable again (unless a run goes on)."""
        self._fork, self._fork_problem = why, problem if why is not None else ""
        self.epochs.setMinimum(max(1, minimum_epochs) if why is not None else 1)
        self.set_running(self._running)
        self.validate()

    @property
    def fork_mode(self) -> bool:
        return self._fork is not None

    def fork_fixed(self) -> list[QWidget]:
        """The fields that fork mode disables: what a fork cannot change (``cnnviz.config.fork_config``)."""
        fixed = [self.fc, self.seed, self.dtype, self.preset, self.source, self.folder, self.browse,
                 self.limit_train, self.limit_test, self.add_conv]
        for row in self._conv_rows:
            fixed += [row.filters, row.size, row.padding, row.pooling, row.remove]
        return fixed

    def insert_banner(self, widget: QWidget) -> None:
        """Put ``widget`` above the form's groups (the fork's banner)."""
        self._inner.layout().insertWidget(0, widget)

    def _on_lr(self, value: float) -> None:
        self.validate()
        if self._running and "lr" not in self._errors:
            self.lr_changed.emit(value)

    def _on_momentum(self, value: float) -> None:
        self.validate()
        if self._running and "momentum" not in self._errors:
            self.momentum_changed.emit(value)


def _form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form whose fields grow, and go under their labels when the dock is too narrow for both."""
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def _number(box: NumberBox, key: str) -> float:
    """The number typed in ``box`` (the setting ``key``); ConfigError in one sentence if the text is not one."""
    value = box.typed()
    if value is None:
        raise ConfigError(f"the {NUMBER_NAMES[key]} must be a number, not {box.lineEdit().text().strip()!r}", key)
    return value


@lru_cache(maxsize=16)
def _label_count_of(path: str, mtime: float) -> int | None:
    try:
        return len(read_idx(path))
    except DataError:
        return None


def _label_count(folder: str, train: bool = True) -> int | None:
    """How many labels the folder's training (or test) label file holds (None: no readable file); it reads the
    small label file only (60 KB for MNIST), once per file version."""
    stem = "train-labels" if train else "t10k-labels"
    try:
        files = sorted(p for p in Path(folder).glob(f"{stem}[-.]idx1-ubyte*") if p.is_file())
        return _label_count_of(str(files[0]), files[0].stat().st_mtime) if files else None
    except OSError:
        return None


def find_mnist_quietly(path) -> Path | None:
    try:
        return find_mnist(path)
    except DataError:
        return None
