"""The training form: architecture, data, seed and dtype, hyperparameters; it checks them before Start.

The form produces a :class:`~cnnviz.config.TrainConfig` (:meth:`ControlsView.config`) and a
:class:`~cnnviz.options.DataSpec` (what to load: its "Data" group, :mod:`cnnviz.gui.views.data_choice`; the fields
themselves are :mod:`cnnviz.gui.views.fields`). Every change is checked at once, by the configuration's one rule set
(:func:`cnnviz.config.problems`, whose problems carry their field: the network's name the layer, a filter larger
than its map, a pooling of a map that has shrunk to nothing) and the data choice; a problem is shown in red under
its field and :attr:`ControlsView.validity_changed` tells the window to refuse Start. During a run only the learning
rate and the momentum stay editable: a change is emitted (:attr:`lr_changed`, :attr:`momentum_changed`) and the
window passes it to the trainer, which applies it at the next step and records it as an event.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
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
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, problem, sentence
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.data_choice import DataChoice
from cnnviz.gui.views.fields import (
    ERROR_STYLE,
    MAX_INT,
    NOTE_STYLE,
    ConvRow,
    NumberBox,
    form_layout,
    int_box,
    with_error,
)
from cnnviz.options import DataSpec

# The form's sentences written in more than one place (translated where they are shown)
RUNNING_NOTE = QT_TRANSLATE_NOOP("ControlsView", "Architecture changes need a new run.")  # under the network
NO_CONV = QT_TRANSLATE_NOOP("ControlsView", "A run needs at least one conv layer (cnnviz train refuses --conv '').")
NUMBER_NAMES = {"lr": QT_TRANSLATE_NOOP("ControlsView", "learning rate"),  # the typed numbers
                "momentum": QT_TRANSLATE_NOOP("ControlsView", "momentum"),
                "dropout": QT_TRANSLATE_NOOP("ControlsView", "dropout ratio")}


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
        self._errors: dict[str, str] = {}
        self._error_labels: dict[str, QLabel] = {}
        self._conv_rows: list[ConvRow] = []
        self._input_shape, self._n_classes = NetworkConfig().input_shape, NetworkConfig().n_classes

        # -- network
        self.conv_grid = QGridLayout()
        self.conv_grid.setHorizontalSpacing(4)
        self.conv_grid.setVerticalSpacing(2)
        self._headers = [QLabel(text) for text in (self.tr("filters"), self.tr("size"), self.tr("padding"),
                                                    self.tr("pooling"))]
        self._narrow = False  # conv layers on two lines each (filters, size / padding, pooling)
        self.add_conv = QPushButton(self.tr("Add conv layer"))
        self.add_conv.clicked.connect(lambda: self._add_conv_row(ConvSpec(32)))
        self.fc = QLineEdit()
        self.fc.setToolTip(self.tr("Hidden fully connected sizes, comma-separated; the 10 outputs are added"))
        self.fc.setPlaceholderText(self.tr("none"))
        self.dropout = NumberBox(0.05, self.tr("Dropout ratio on the hidden fully connected layers, in [0, 1)"))
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)  # the command line refuses a seed outside it before the window opens
        self.seed.setToolTip(self.tr("Initialisation, shuffling, dropout and the choice of probe images"))
        self.dtype = QComboBox()
        self.dtype.addItems(["float32", "float64"])
        self.arch_note = QLabel(self.tr(RUNNING_NOTE))
        self.arch_note.setStyleSheet(NOTE_STYLE)
        self.arch_note.setWordWrap(True)
        self.arch_note.hide()

        net_box = QGroupBox(self.tr("Network"))
        net = QVBoxLayout(net_box)
        net.addLayout(self.conv_grid)
        net.addWidget(self._with_error("conv", self.add_conv, align=Qt.AlignmentFlag.AlignLeft))
        form = form_layout()
        form.addRow(self.tr("hidden fc"), self._with_error("fc", self.fc, QLabel(self.tr("+ 10 outputs"))))
        form.addRow(self.tr("dropout"), self._with_error("dropout", self.dropout))
        form.addRow(self.tr("seed"), self.seed)
        form.addRow(self.tr("dtype"), self.dtype)
        net.addLayout(form)
        net.addWidget(self.arch_note)

        # -- data
        self.data_choice = dc = DataChoice()
        self.source, self.folder, self.browse = dc.source, dc.folder, dc.browse
        self.limit_train, self.limit_test, self.download_button = dc.limit_train, dc.limit_test, dc.download_button
        self._error_labels.update(dc.error_labels)

        # -- training
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.preset.setToolTip(self.tr("lecture: the original program's hyperparameters; fast: 99% in 4 epochs"))
        self.lr = NumberBox(0.001, self.tr("Learning rate on the mean loss, positive (0.01, 1e-3); can be changed "
                                           "while training"))
        self.momentum = NumberBox(0.05, self.tr("Classical momentum, in [0, 1); can be changed while training"))
        for box in (self.lr, self.momentum):
            box.setKeyboardTracking(False)  # a typed value counts on Enter or leaving the field
            box.lineEdit().textEdited.connect(self.validate)  # but its problem shows as it is typed
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.schedule.setToolTip(self.tr("constant, or cosine decay to 0 over the run (a hand-set rate ends it)"))
        self.batch_size = int_box(1, MAX_INT, self.tr("Minibatch size"))
        self.epochs = int_box(1, MAX_INT, self.tr("Passes over the training images"))
        self.snapshot_every = int_box(0, MAX_INT, self.tr("Save the parameters every N steps (0: start and end only)"))
        self.eval_every = int_box(0, MAX_INT, self.tr("Also evaluate on the test images every N steps (0: each "
                                                      "epoch)"))
        train_box = QGroupBox(self.tr("Training"))
        tform = form_layout(train_box)
        tform.addRow(self.tr("preset"), self.preset)
        tform.addRow(self.tr("learning rate"), self._with_error("lr", self.lr))
        tform.addRow(self.tr("momentum"), self._with_error("momentum", self.momentum))
        tform.addRow(self.tr("lr schedule"), self.schedule)
        self.batch_note = QLabel()
        self.batch_note.setStyleSheet(NOTE_STYLE)
        self.batch_note.setWordWrap(True)
        self.batch_note.hide()
        tform.addRow(self.tr("batch size"), self._with_error("batch_size", self.batch_size, note=self.batch_note))
        tform.addRow(self.tr("epochs"), self.epochs)
        tform.addRow(self.tr("snapshot every"), self._with_error("snapshot_every", self.snapshot_every))
        tform.addRow(self.tr("evaluate every"), self.eval_every)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(dark);")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        inner = QWidget()
        col = QVBoxLayout(inner)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(net_box)
        col.addWidget(dc)
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
        dc.changed.connect(self.validate)
        self.lr.valueChanged.connect(self._on_lr)
        self.momentum.valueChanged.connect(self._on_momentum)
        for w in (self.fc, self.dropout.lineEdit()):
            w.textChanged.connect(self.validate)
        for w in (self.dropout, self.seed, self.batch_size, self.epochs, self.snapshot_every, self.eval_every):
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
        """``field`` with the message line of ``key`` under it (:func:`~cnnviz.gui.views.fields.with_error`)."""
        box, self._error_labels[key] = with_error(field, extra, note, align)
        return box

    def _add_conv_row(self, spec: ConvSpec) -> None:
        if len(self._conv_rows) >= MAX_CONV_LAYERS:
            return  # the button is off by then, and set_config refuses a longer list
        row = ConvRow(spec)
        self._conv_rows.append(row)
        row.remove.clicked.connect(lambda: self._remove_conv_row(row))
        for w in (row.filters, row.size):
            w.valueChanged.connect(self.validate)
        for w in (row.padding, row.pooling):
            w.currentIndexChanged.connect(self.validate)
        self._layout_conv_rows()
        self.validate()

    def _remove_conv_row(self, row: ConvRow) -> None:
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
        self.add_conv.setText(self.tr("Add conv layer (at most {n})").format(n=MAX_CONV_LAYERS) if full
                              else self.tr("Add conv layer"))
        if self._running:
            self.add_conv.setToolTip(self.tr(RUNNING_NOTE))
        elif full:
            self.add_conv.setToolTip(self.tr("A run has at most {n} conv layers: remove one to add another.")
                                     .format(n=MAX_CONV_LAYERS))
        else:
            self.add_conv.setToolTip(self.tr("Add a conv layer after the last one"))
        lone = len(self._conv_rows) == 1
        for row in self._conv_rows:
            row.remove.setEnabled(not self._running and self._fork is None and not lone)
            row.remove.setToolTip(self.tr("A run needs at least one conv layer") if lone
                                  else QCoreApplication.translate("ConvRow", "Remove this conv layer"))

    # -- filling ------------------------------------------------------------------------------------------------

    def set_config(self, config: TrainConfig, data: DataSpec | None = None) -> None:
        """Show ``config`` (and ``data``) in the form; ConfigError (the form unchanged) for more conv layers than
        it holds (the command line refuses them before the window opens)."""
        if too_many := conv_count_problem(len(config.network.conv)):
            raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "a run has {problem}"), problem=too_many), "conv")
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
        self.data_choice.set_data(data)

    def _apply_preset(self, name: str) -> None:
        values = PRESETS[name]
        self.lr.setValue(values["lr"])
        self.momentum.setValue(values["momentum"])
        self.dropout.setValue(values["dropout"])
        self.batch_size.setValue(values["batch_size"])
        self.epochs.setValue(values["epochs"])
        self.schedule.setCurrentText(values["lr_schedule"])
        self.validate()

    @property
    def download_dialog(self):
        """The data set's download dialog while one runs (see :class:`DataChoice`), else None."""
        return self.data_choice.download_dialog

    @property
    def download_mirrors(self):
        return self.data_choice.download_mirrors

    @download_mirrors.setter
    def download_mirrors(self, mirrors) -> None:
        self.data_choice.download_mirrors = mirrors

    # -- reading ------------------------------------------------------------------------------------------------

    def data_spec(self) -> DataSpec:
        return self.data_choice.data_spec()

    def network_config(self) -> NetworkConfig:
        if not self._conv_rows:
            raise ConfigError(self.tr(NO_CONV), "conv")
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
    def conv_rows(self) -> list[ConvRow]:
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
            value, text, name = box.typed(), box.lineEdit().text().strip(), self.tr(NUMBER_NAMES[key])
            if value is None:
                errors[key] = (self.tr("The {name} must be a number such as {example}, not {text!r}.") if text else
                               self.tr("Type a {name}, such as {example}.")).format(name=name, example=example,
                                                                                     text=text)
            else:
                values[key] = value
        if not self._conv_rows:
            errors["conv"] = self.tr(NO_CONV)
        try:
            values["fc"] = (*parse_sizes(self.fc.text()), self._n_classes)
        except ConfigError as exc:
            errors["fc"] = sentence(translated(exc.args[0]))
        for key, text in problems(values):  # a layer may have several: each its sentence, in the window's language
            text = sentence(translated(text))
            errors[key] = f"{errors[key]} {text}" if key in errors else text
        errors.update(self.data_choice.errors() if self._fork is None else {})  # a fork's data is its parent's
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
        return self.data_choice.training_count()

    def _update_batch_note(self) -> None:
        """A batch larger than the training set is allowed (``cnnviz train`` says so and uses the whole set as
        one batch): the form says the same, in amber, not in red."""
        n, batch = self.training_count(), self.batch_size.value()
        text = "" if n is None or batch <= n or "batch_size" in self._errors else self.tr(
            "The batch size {batch:,} is larger than the {n:,} training images: every step uses all {n:,} as one "
            "batch.").format(batch=batch, n=n)
        self.batch_note.setText(text)
        self.batch_note.setVisible(bool(text))

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
            head = self.tr("Fix this to start:") if n == 1 else self.tr("Fix these {n} problems to start:").format(n=n)
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
        self.summary.setText(self.tr("Shapes: {shapes}").format(shapes=", ".join(parts)))

    # -- running ------------------------------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        """Lock everything but the learning rate and the momentum while a run goes on."""
        self._running = running
        fixed = [self.fc, self.dropout, self.seed, self.dtype, self.preset, self.schedule, self.batch_size,
                 self.epochs, self.snapshot_every, self.eval_every]
        for row in self._conv_rows:
            fixed += [row.filters, row.size, row.padding, row.pooling, row.remove]
        kept = self.fork_fixed() if self._fork is not None else []
        for w in fixed:
            w.setEnabled(not running and not any(w is k for k in kept))
        self._update_add_conv()
        self.data_choice.set_locked(running, running or self._fork is not None)
        self.arch_note.setText(self._fork if self._fork is not None and not running else self.tr(RUNNING_NOTE))
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


def _number(box: NumberBox, key: str) -> float:
    """The number typed in ``box`` (the setting ``key``); ConfigError in one sentence if the text is not one."""
    value = box.typed()
    if value is None:
        translate = QCoreApplication.translate
        raise ConfigError(translate("ControlsView", "the {name} must be a number, not {text!r}").format(
            name=translate("ControlsView", NUMBER_NAMES[key]), text=box.lineEdit().text().strip()), key)
    return value
