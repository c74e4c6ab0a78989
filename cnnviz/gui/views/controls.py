"""The training form: architecture, data, seed and dtype, hyperparameters; it checks them before Start.

The form produces a :class:`~cnnviz.training.TrainConfig` (:meth:`ControlsView.config`) and a
:class:`DataSpec` (what to load). Every change is checked at once: the architecture with
``NetworkConfig.shapes()`` (whose messages name the layer: a filter larger than its map, a pooling of a map
that has shrunk to nothing), the rates and the data choice; a problem is shown in red under its field and
:attr:`ControlsView.validity_changed` tells the window to refuse Start. During a run only the learning rate
and the momentum stay editable: a change is emitted (:attr:`lr_changed`, :attr:`momentum_changed`) and the
window passes it to the trainer, which applies it at the next step and records it as an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cnnviz.core import ConfigError, ConvSpec, NetworkConfig
from cnnviz.data import MNIST, DataError, find_mnist, load_data
from cnnviz.options import MAX_CONV_LAYERS, MAX_SEED  # the command line's limits: the form holds no more
from cnnviz.training import PRESETS, SCHEDULES, TrainConfig

ERROR_STYLE = "color: #b00020;"
SOURCES = ("sample", "disk", "folder")  # the data choices, in the combo's order
SOURCE_NAMES = {"sample": "bundled sample (2,000 / 1,000 images)", "disk": "full MNIST found on disk",
                "folder": "another folder of IDX files"}


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


def _parse_sizes(text: str) -> tuple[int, ...]:
    """``"100, 200"`` -> (100, 200); ConfigError in one sentence otherwise (an empty text is no hidden layer)."""
    try:
        sizes = tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        raise ConfigError(f"expected comma-separated sizes such as 100,200, not {text.strip()!r}") from None
    if any(n < 1 for n in sizes):
        raise ConfigError(f"sizes must be positive, not {text.strip()!r}")
    return sizes


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
        self._valid = True
        self._threads = 2
        self._n_probes = 16
        self._download = False
        self._errors: dict[str, str] = {}
        self._error_labels: dict[str, QLabel] = {}
        self._conv_rows: list[_ConvRow] = []

        # -- network
        self.conv_grid = QGridLayout()
        self.conv_grid.setHorizontalSpacing(4)
        self.conv_grid.setVerticalSpacing(2)
        for col, text in enumerate(["", "filters", "size", "padding", "pooling"]):
            self.conv_grid.addWidget(QLabel(text), 0, col)
        self.add_conv = QPushButton("Add conv layer")
        self.add_conv.clicked.connect(lambda: self._add_conv_row(ConvSpec(32)))
        self.fc = QLineEdit()
        self.fc.setToolTip("Hidden fully connected sizes, comma-separated; the 10 outputs are added")
        self.fc.setPlaceholderText("none")
        self.dropout = self._double(0.0, 1.0, 0.05, 2, "Dropout ratio on the hidden fully connected layers")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)  # the command line refuses a seed outside it before the window opens
        self.seed.setToolTip("Initialisation, shuffling, dropout and the choice of probe images")
        self.dtype = QComboBox()
        self.dtype.addItems(["float32", "float64"])
        self.arch_note = QLabel("Architecture changes need a new run.")
        self.arch_note.setStyleSheet("color: #8a5a00;")
        self.arch_note.setWordWrap(True)
        self.arch_note.hide()

        net_box = QGroupBox("Network")
        net = QVBoxLayout(net_box)
        net.addLayout(self.conv_grid)
        net.addWidget(self.add_conv, 0, Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("folder with the four IDX files")
        self.browse = QToolButton()
        self.browse.setText("…")
        self.browse.setToolTip("Choose the folder")
        self.browse.clicked.connect(self._browse)
        self.limit_train = self._limit("Use the first N training images (0: all)")
        self.limit_test = self._limit("Use the first N test images (0: all)")
        data_box = QGroupBox("Data")
        dform = QFormLayout(data_box)
        dform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        dform.addRow("source", self.source)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        folder_widget = QWidget()
        folder_widget.setLayout(folder_row)
        dform.addRow("folder", self._with_error("data", folder_widget))
        limits = QHBoxLayout()
        limits.setContentsMargins(0, 0, 0, 0)
        limits.addWidget(self.limit_train)
        limits.addWidget(QLabel("train"))
        limits.addWidget(self.limit_test)
        limits.addWidget(QLabel("test"))
        limits_widget = QWidget()
        limits_widget.setLayout(limits)
        dform.addRow("limit", limits_widget)

        # -- training
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.preset.setToolTip("lecture: the original program's hyperparameters; fast: 99% in 4 epochs")
        self.lr = self._double(0.0, 100.0, 0.001, 6, "Learning rate on the mean loss; can be changed while training")
        self.momentum = self._double(0.0, 1.0, 0.05, 3, "Classical momentum; can be changed while training")
        for box in (self.lr, self.momentum):
            box.setKeyboardTracking(False)  # a typed value counts on Enter or leaving the field
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setToolTip("constant, or cosine decay to 0 over the run (a hand-set rate ends it)")
        self.batch_size = self._int(1, 60000, "Minibatch size")
        self.epochs = self._int(1, 1000, "Passes over the training images")
        self.snapshot_every = self._int(0, 1_000_000, "Save the parameters every N steps (0: start and end only)")
        self.eval_every = self._int(0, 1_000_000, "Also evaluate on the test images every N steps (0: each epoch)")
        train_box = QGroupBox("Training")
        tform = QFormLayout(train_box)
        tform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        tform.addRow("preset", self.preset)
        tform.addRow("learning rate", self._with_error("lr", self.lr))
        tform.addRow("momentum", self._with_error("momentum", self.momentum))
        tform.addRow("lr schedule", self.schedule)
        tform.addRow("batch size", self._with_error("batch_size", self.batch_size))
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        # -- signals
        self.preset.currentTextChanged.connect(self._apply_preset)
        self.source.currentIndexChanged.connect(self._on_source)
        self.lr.valueChanged.connect(self._on_lr)
        self.momentum.valueChanged.connect(self._on_momentum)
        for w in (self.fc, self.folder):
            w.textChanged.connect(self.validate)
        for w in (self.dropout, self.seed, self.batch_size, self.epochs, self.snapshot_every, self.eval_every,
                  self.limit_train, self.limit_test):
            w.valueChanged.connect(self.validate)
        for w in (self.dtype, self.schedule):
            w.currentIndexChanged.connect(self.validate)

        self.set_config(TrainConfig(), DataSpec("sample"))

    # -- building helpers ---------------------------------------------------------------------------------------

    def _with_error(self, key: str, field: QWidget, extra: QWidget | None = None) -> QWidget:
        """``field`` with a red message line under it (hidden while ``key`` has no problem)."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        if extra is not None:
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
        self._error_labels[key] = error
        return box

    @staticmethod
    def _double(lo: float, hi: float, step: float, decimals: int, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setDecimals(decimals)
        box.setSingleStep(step)
        box.setToolTip(tip)
        return box

    @staticmethod
    def _int(lo: int, hi: int, tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setToolTip(tip)
        return box

    @staticmethod
    def _limit(tip: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 60000)
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
        for i, row in enumerate(self._conv_rows):
            row.name.setText(f"conv{i + 1}")
            r = 1 + 2 * i
            for col, w in enumerate([row.name, row.filters, row.size, row.padding, row.pooling, row.remove]):
                self.conv_grid.addWidget(w, r, col)
            self.conv_grid.addWidget(row.error, r + 1, 0, 1, 6)
        self._update_add_conv()

    def _update_add_conv(self) -> None:
        """"Add conv layer" is off during a run and at the limit; its tooltip says why."""
        full = len(self._conv_rows) >= MAX_CONV_LAYERS
        self.add_conv.setEnabled(not full and not self._running)
        if self._running:
            self.add_conv.setToolTip("Architecture changes need a new run.")
        elif full:
            self.add_conv.setToolTip(f"A run has at most {MAX_CONV_LAYERS} conv layers: remove one to add another.")
        else:
            self.add_conv.setToolTip("Add a conv layer after the last one")

    # -- filling ------------------------------------------------------------------------------------------------

    def set_config(self, config: TrainConfig, data: DataSpec | None = None) -> None:
        """Show ``config`` (and ``data``) in the form; ConfigError (the form unchanged) for more conv layers than
        it holds (the command line refuses them before the window opens)."""
        if len(config.network.conv) > MAX_CONV_LAYERS:
            raise ConfigError(f"A run has at most {MAX_CONV_LAYERS} conv layers, not {len(config.network.conv)}.")
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
        else:
            found = find_mnist_quietly(None)
            key = "disk" if found is not None and Path(data.source) == found else "folder"
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
        self.folder.setEnabled(key == "folder" and not self._running)
        self.browse.setEnabled(key == "folder" and not self._running)
        if key == "disk":
            found = find_mnist_quietly(None)
            self.folder.setText(str(found) if found is not None else "")
            self.folder.setPlaceholderText("not found" if found is None else "")
        elif key == "sample":
            self.folder.setText("")
            self.folder.setPlaceholderText("")
        else:
            self.folder.setPlaceholderText("folder with the four IDX files")
        self.validate()

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
        fc = (*_parse_sizes(self.fc.text()), self._n_classes)
        return NetworkConfig(input_shape=self._input_shape, conv=tuple(r.spec() for r in self._conv_rows), fc=fc,
                             dropout=self.dropout.value(), seed=self.seed.value())

    def config(self) -> TrainConfig:
        """The run the form describes; ConfigError naming the first problem."""
        return TrainConfig(network=self.network_config(), epochs=self.epochs.value(),
                           batch_size=self.batch_size.value(), lr=self.lr.value(), momentum=self.momentum.value(),
                           lr_schedule=self.schedule.currentText(), seed=self.seed.value(),
                           dtype=self.dtype.currentText(), eval_every=self.eval_every.value(),
                           snapshot_every=self.snapshot_every.value(), n_probes=self._n_probes,
                           threads=self._threads, preset=self.preset.currentText())

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
        """Check every field; show the problems under their fields; True if the form can start a run."""
        errors: dict[str, str] = {}
        if not self.lr.value() > 0:
            errors["lr"] = f"The learning rate must be positive, not {self.lr.value():g}."
        if not self.momentum.value() < 1:
            errors["momentum"] = f"The momentum must be in [0, 1), not {self.momentum.value():g}."
        if not self.dropout.value() < 1:
            errors["dropout"] = f"The dropout ratio must be in [0, 1), not {self.dropout.value():g}."
        for i, row in enumerate(self._conv_rows, 1):
            if row.filters.value() < 1:
                errors[f"conv{i}"] = f"conv{i} needs at least 1 filter."
        try:
            _parse_sizes(self.fc.text())
        except ConfigError as exc:
            errors["fc"] = _sentence(str(exc))
        if not errors:
            try:
                self.network_config()
            except ConfigError as exc:
                key, text = _field_of(str(exc))
                errors[key] = _sentence(text)
        errors.update(self._data_errors())
        self._errors = errors
        self._show_errors()
        valid = not errors
        self._update_summary()
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        self.config_edited.emit()
        return valid

    def _data_errors(self) -> dict[str, str]:
        key = self.source.currentData()
        if key == "disk":
            try:
                found = find_mnist(None)
            except DataError as exc:
                return {"data": _sentence(str(exc))}
            if found is None and not self._download:
                return {"data": "No MNIST found on disk: set CNNVIZ_DATA, run `cnnviz download`, or choose the "
                                "sample."}
        elif key == "folder":
            text = self.folder.text().strip()
            if not text:
                return {"data": "Choose the folder that holds the four MNIST IDX files."}
            try:
                find_mnist(text)
            except DataError as exc:
                return {"data": _sentence(str(exc))}
        if key == "sample":
            for box, n, split in ((self.limit_train, 2000, "training"), (self.limit_test, 1000, "test")):
                if box.value() > n:
                    return {"data": f"The sample has {n} {split} images, not {box.value()}."}
        return {}

    def _show_errors(self) -> None:
        for key, label in self._error_labels.items():
            text = self._errors.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        for i, row in enumerate(self._conv_rows, 1):
            text = self._errors.get(f"conv{i}", "")
            row.error.setText(text)
            row.error.setVisible(bool(text))

    def _update_summary(self) -> None:
        if self._errors:
            self.summary.setText("Fix the fields in red to start.")
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
        for w in fixed:
            w.setEnabled(not running)
        self._update_add_conv()
        self.folder.setEnabled(not running and self.source.currentData() == "folder")
        self.browse.setEnabled(self.folder.isEnabled())
        self.arch_note.setVisible(running)

    @property
    def running(self) -> bool:
        return self._running

    def _on_lr(self, value: float) -> None:
        self.validate()
        if self._running and "lr" not in self._errors:
            self.lr_changed.emit(value)

    def _on_momentum(self, value: float) -> None:
        self.validate()
        if self._running and "momentum" not in self._errors:
            self.momentum_changed.emit(value)


def find_mnist_quietly(path) -> Path | None:
    try:
        return find_mnist(path)
    except DataError:
        return None


def _field_of(message: str) -> tuple[str, str]:
    """Which field a NetworkConfig message is about: ``conv2: ...`` -> ("conv2", message)."""
    head = message.split(":", 1)[0]
    if head.startswith("conv") and head[4:].isdigit():
        return head, message
    if "dropout" in message:
        return "dropout", message
    return "fc", message


def _sentence(text: str) -> str:
    text = text.strip()
    if text and not text.split(":", 1)[0].startswith(("conv", "fc")):
        text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."
