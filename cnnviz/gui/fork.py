""""Continue from here": a new live run from a snapshot of the run shown (a fork), set up in the training form.

The window's Run > Continue from here (and the timeline bar's button and context menu) takes the snapshot at or
before the timeline's cursor of the session shown: a replayed session, or a live run that has ended and whose
session file exists. The workspace's :class:`ForkMode` holds that snapshot, and :class:`ForkForm` puts the
training form in fork mode:

- the form shows the parent's settings, with the learning rate, schedule and momentum in force at that snapshot
  (a rate set by hand during the parent run included);
- the architecture, seed, dtype, preset and data are the parent's: their fields are disabled and a line under
  the network says why (:meth:`ControlsView.set_fork <cnnviz.gui.views.controls.ControlsView.set_fork>`); the
  data is the parent's own (:func:`cnnviz.fork.parent_data`), and if it cannot be found the form says so in
  one sentence and Start stays off;
- the epochs count the parent's: at least the epoch of the snapshot (one more where the snapshot ends an epoch);
- a banner above the form says what is continued, with "Start from step N" and Cancel buttons, and the window's
  Start action reads "Start from step N".

Start (:meth:`ForkMode.prepare`) checks the fork on the GUI thread as :func:`cnnviz.fork.resume_from` would
(the parent readable, the step a snapshot step, the changes allowed, the data at hand); a refusal is one
sentence, shown in the banner. The run itself is the window's usual live run: the worker thread loads the
parent's data and builds the trainer with ``resume_from`` (the snapshot's weights, the momentum's velocity and
the random generators' states, with the settings changed in the form), and writes a new session file (the
workspace's usual path rule, never overwriting) that names its parent. Its timeline starts at step N: its first
snapshot is the parent's at N. A version-1 parent recorded no velocity: the banner says that the velocity starts
at zero, and the status line says it once more when the run starts. Cancel, File > New run, or opening another
session leaves fork mode, and the form shows again what it showed before.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from cnnviz.config import TrainConfig, fork_config
from cnnviz.data import MNIST, find_mnist
from cnnviz.datasets import DataSource
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, DataError, SessionError, problem, sentence
from cnnviz.fork import parent_data, resume_from
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.fields import ERROR_STYLE, NOTE_STYLE
from cnnviz.options import DataSpec
from cnnviz.records import ForkPoint
from cnnviz.session import SessionReader
from cnnviz.training import Trainer

WHY_FIXED = QT_TRANSLATE_NOOP("ForkForm", "The architecture of the parent run, with its seed, dtype, preset and data: "
                              "a fork keeps them.")  # English; the form shows it translated
# The settings a fork may change that the form shows: compared with those in force at the snapshot (the learning
# rate and its schedule, the momentum) or with the parent's configuration (the rest) to find what was changed.
IN_FORCE = ("lr", "lr_schedule", "momentum")
OTHERS = ("epochs", "batch_size", "snapshot_every", "eval_every")


@dataclass(frozen=True)
class ForkTarget:
    """A snapshot of a session to continue: ``path`` and ``step``, the parent's ``config``, ``shown`` (the same
    with the learning-rate settings in force at ``step`` and at least ``least_epochs`` epochs: what the form
    shows), its data (``data_source``, ``data_path`` None for the bundled sample, ``n_train``, ``n_test``),
    ``notes`` (what the fork will record beyond "continued from": a version-1 parent's velocity), and
    ``problem``, one sentence where its data cannot be found ("" otherwise)."""

    path: Path
    step: int
    epoch: int
    config: TrainConfig
    shown: TrainConfig
    data_source: str
    data_path: str | None
    n_train: int
    n_test: int
    least_epochs: int
    notes: tuple[str, ...]
    problem: str
    data_digests: dict[str, str] = field(default_factory=dict)  # what identifies its data, where recorded

    @property
    def data_spec(self) -> DataSpec:
        """The parent's data as the form shows it."""
        return DataSpec(DataSource.recorded(self.data_source, self.data_path).spec, self.n_train, self.n_test)

    def load_data(self) -> MNIST:
        """The parent's data (in the worker thread: full MNIST takes a moment), refused in one sentence where it is
        not what the parent recorded."""
        return parent_data(self.data_source, self.data_path, self.n_train, self.n_test, self.data_digests,
                           self.path.name)


def in_force(point: ForkPoint, config: TrainConfig) -> tuple[float, str, float]:
    """The base learning rate, its schedule and the momentum in force at the fork point: its TrainState's, or for a
    version-1 parent the configuration's changed by the events up to the step (as the trainer finds them)."""
    if point.state is not None:
        return point.state.base_lr, point.state.lr_schedule, point.state.momentum
    lr, schedule, momentum = config.lr, config.lr_schedule, config.momentum
    for event in point.events:
        if event.kind == "lr" and event.step <= point.step:
            lr, schedule = event.value, "constant"
        elif event.kind == "momentum" and event.step <= point.step:
            momentum = event.value
    return lr, schedule, momentum


def least_epochs(point: ForkPoint, n_train: int, steps_per_epoch: int, batch_size: int) -> int:
    """The fewest epochs (counting the parent's) that leave the fork a step to take: the epoch of the snapshot,
    or the next one where the snapshot ends its epoch. A version-1 parent's place in the epoch is counted from its
    step, as the trainer does."""
    if point.state is not None:
        epoch, position = point.state.epoch, point.state.position
    else:
        epoch = max(1, point.epoch)
        position = min(n_train, max(0, point.step - (epoch - 1) * steps_per_epoch) * min(batch_size, n_train))
    return epoch + (position >= n_train)


def data_problem(data_path: str | None) -> str:
    """One sentence where the parent's data folder cannot be found ("" where it can, or for the bundled sample)."""
    if data_path is None:
        return ""
    try:
        find_mnist(data_path)
    except DataError as exc:
        return problem(QT_TRANSLATE_NOOP("problems", "The parent run's data cannot be found, so it cannot be "
                                         "continued here: {problem}"), problem=exc.args[0])  # a sentence: its stop
    return ""


def read_target(path: str | Path, step: int) -> ForkTarget:
    """The fork point at snapshot step ``step`` of the session ``path``; SessionError (one sentence) if the
    session cannot be read or has no snapshot at ``step``."""
    path = Path(path)
    with SessionReader(path) as reader:
        point = reader.fork_point(step)
        config = reader.train_config
        n_train, n_test = reader.n_train, reader.n_test
        source, data_path, per_epoch = reader.data_source, reader.data_path, reader.steps_per_epoch
        digests = reader.data_digests
    lr, schedule, momentum = in_force(point, config)
    least = least_epochs(point, n_train, per_epoch, config.batch_size)
    shown = dataclasses.replace(config, lr=lr, lr_schedule=schedule, momentum=momentum,
                                epochs=max(config.epochs, least))
    epoch = point.state.epoch if point.state is not None else max(1, point.epoch)  # step 0's snapshot: epoch 0
    return ForkTarget(path, point.step, epoch, config, shown, source, data_path, n_train, n_test, least,
                      tuple(point.notes[1:]), data_problem(data_path), digests)


def changes_between(target: ForkTarget, config: TrainConfig) -> dict:
    """What the form's ``config`` changes, as :func:`cnnviz.fork.resume_from` takes it: the learning-rate
    settings against those in force at the snapshot, the rest against the parent's configuration (only what
    differs: a setting left as it was keeps the parent's, exactly)."""
    def differs(a, b) -> bool:
        return not math.isclose(a, b, rel_tol=1e-12) if isinstance(a, float) else a != b

    changes = {name: getattr(config, name) for name in IN_FORCE
               if differs(getattr(config, name), getattr(target.shown, name))}
    changes.update({name: getattr(config, name) for name in OTHERS
                    if differs(getattr(config, name), getattr(target.config, name))})
    if differs(config.network.dropout, target.config.network.dropout):
        changes["dropout"] = config.network.dropout
    net, parent = config.network, target.config.network
    if (net.conv, net.fc, config.dtype, config.seed) != (parent.conv, parent.fc, target.config.dtype,
                                                        target.config.seed):
        # Not from the form (its fields are off): given, so that fork_config refuses them in one sentence.
        changes.update(conv=tuple(c.filters for c in net.conv), fc=net.fc, dtype=config.dtype, seed=config.seed)
    return changes


@dataclass(frozen=True)
class ForkStart:
    """What the window needs to start the fork: the child's ``config``, ``load`` (the parent's data, called in the
    worker thread), ``make`` (the trainer of that data, in the worker thread) and ``says`` (the status line)."""

    config: TrainConfig
    load: Callable[[], MNIST]
    make: Callable[[MNIST], Trainer]
    says: str


def _make_trainer(path: Path, step: int, changes: dict, data: MNIST) -> Trainer:
    trainer = resume_from(path, step, data, **changes)
    if trainer.total_steps <= trainer.step:
        epochs = trainer.config.epochs
        raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "step {step} ends the {epochs} epochs of {name}: "
                                                    "choose {more} epochs or more to go on"),
                                  step=step, epochs=epochs, name=path.name, more=epochs + 1))
    return trainer


class ForkBanner(QGroupBox):
    """Above the form in fork mode: what is continued, a note (a version-1 parent), a refusal, and the buttons."""

    def __init__(self):
        super().__init__(self.tr("Continue from a snapshot"))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.note = QLabel()
        self.note.setStyleSheet(NOTE_STYLE)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        for label in (self.note, self.error):
            label.setWordWrap(True)
            label.hide()
        self.start_button = QPushButton(self.tr("Start"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Leave fork mode: the form shows again what it showed before"))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        for w in (self.title, self.detail, self.note, self.error):
            layout.addWidget(w)
        layout.addLayout(buttons)
        self.hide()

    def show_text(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))


class ForkMode(QObject):
    """The workspace's fork mode (see the module's docstring): :attr:`target`, the snapshot that the next run
    continues, or None. It ends when another run or session is shown. ``began`` carries the target; ``left``
    whether the form shows again what it showed before (Cancel) or keeps the fork's settings (its run started);
    ``refused`` the sentence of a fork that cannot start."""

    began = Signal(object)
    left = Signal(bool)
    refused = Signal(str)

    def __init__(self, workspace):
        super().__init__(workspace)
        self.workspace = workspace
        self.target: ForkTarget | None = None
        self._source = ""  # the model's source when fork mode began: another run shown ends fork mode
        workspace.model.changed.connect(self._on_model)

    @property
    def active(self) -> bool:
        return self.target is not None

    def source(self) -> tuple[Path, int] | None:
        """The session file and the snapshot step that "Continue from here" would continue now: the snapshot at or
        before the cursor of the run shown, if no run goes on and that run has a session file; else None."""
        w, m = self.workspace, self.workspace.model
        if w.live.state != "idle" or m.start is None or w.showing_preview or not len(m.snapshots):
            return None
        path = w.session_path
        if path is None or not Path(path).is_file():
            return None
        i = m.snapshots.at_or_before(m.step)
        return None if i is None else (Path(path), int(m.snapshots.steps[i]))

    def enter(self, target: ForkTarget) -> None:
        """Fork mode at ``target`` (from :meth:`Workspace.fork <cnnviz.gui.workspace.Workspace.fork>`)."""
        self.target, self._source = target, self.workspace.model.source
        self.began.emit(target)

    def leave(self, restore: bool = True) -> None:
        """Leave fork mode; with ``restore`` the form shows what it showed before (Cancel), without it the fork's
        settings stay (its run has started)."""
        if self.target is None:
            return
        self.target = None
        self.left.emit(restore)

    def prepare(self, config: TrainConfig) -> ForkStart:
        """The fork of the form's ``config``, checked as ``resume_from`` checks it. A refusal (SessionError,
        ConfigError, DataError: one sentence) is sent with ``refused`` (the banner shows it), then raised."""
        t = self.target
        changes = changes_between(t, config)
        self.refused.emit("")
        try:
            with SessionReader(t.path) as reader:
                point = reader.fork_point(t.step)
                child = fork_config(reader.train_config, **changes)
            missing = data_problem(t.data_path)
            if missing:
                raise DataError(missing)
            if child.epochs < t.least_epochs:
                raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "the epochs, which count the parent's, must "
                                                            "be at least {least} to go on from step {step}, not {n}"),
                                          least=t.least_epochs, step=t.step, n=child.epochs))
        except (SessionError, ConfigError, DataError) as exc:
            self.refused.emit(sentence(translated(exc.args[0])))  # the banner, in the window's language
            raise type(exc)(sentence(str(exc))) from None
        says = " ".join([self.tr("Continuing {name} from step {step} into a new session file.").format(
            name=t.path.name, step=f"{t.step:,}"), *map(translated, point.notes[1:])])
        return ForkStart(child, t.load_data, functools.partial(_make_trainer, t.path, t.step, changes), says)

    def _on_model(self, changes) -> None:
        if "run" in changes and self.target is not None and self.workspace.model.source != self._source:
            self.leave()  # another run or session is shown: its parent is no longer in sight


class ForkForm(QObject):
    """The form's part of fork mode: the banner above the training form (``controls``), the form's settings before
    fork mode (for Cancel) and the text of the window's ``start_action``. ``begin`` is Run > Continue from here."""

    def __init__(self, mode: ForkMode, controls, start_action):
        super().__init__(mode)
        self.mode, self.controls, self.start_action = mode, controls, start_action
        self._saved: tuple[TrainConfig, DataSpec] | None = None  # the form before fork mode, for Cancel
        self._start_text: tuple[str, str] | None = None  # the Start action's text and tooltip before
        self.banner = ForkBanner()
        controls.insert_banner(self.banner)
        self.banner.cancel_button.clicked.connect(lambda: mode.leave())
        self.banner.start_button.clicked.connect(lambda: start_action.trigger())
        start_action.changed.connect(lambda: self.banner.start_button.setEnabled(start_action.isEnabled()))
        mode.left.connect(self._on_left)
        mode.refused.connect(lambda text: self.banner.show_text(self.banner.error, text))

    @property
    def active(self) -> bool:
        return self.mode.active

    @property
    def target(self) -> ForkTarget | None:
        return self.mode.target

    def begin(self) -> bool:
        """Fork mode at the cursor's snapshot, shown in the form; False (and one sentence in a message) where there
        is none, the session cannot be read, or the form cannot show the parent's network."""
        workspace, c = self.mode.workspace, self.controls
        target = workspace.fork()
        if target is None:
            return False
        if not self.mode.active:
            try:
                self._saved = (c.config(), c.data_spec())
            except ValueError:  # the form has a problem: nothing to go back to
                self._saved = None
            self._start_text = (self.start_action.text(), self.start_action.toolTip())
        try:
            c.set_config(target.shown, target.data_spec)
        except ConfigError as exc:  # more conv layers than the form holds
            workspace.say(self.tr("Cannot continue from here"), sentence(translated(exc.args[0])))
            return False
        self.mode.enter(target)
        c.set_fork(self.tr(WHY_FIXED), target.least_epochs, translated(target.problem))
        b = self.banner
        step, name = f"{target.step:,}", target.path.name
        b.title.setText(self.tr("From step {step} of {name} (epoch {epoch})").format(step=step, name=name,
                                                                                    epoch=target.epoch))
        b.title.setToolTip(str(target.path.resolve()))
        b.detail.setText(self.tr("A new run starts from that snapshot's weights, momentum velocity and random state, "
                                 "with the settings below, into a new session file. The epochs count the parent's "
                                 "(at least {least}).").format(least=target.least_epochs))
        b.show_text(b.note, " ".join(map(translated, target.notes)))
        b.show_text(b.error, "")
        b.start_button.setText(self.tr("Start from step {step}").format(step=step))
        b.start_button.setToolTip(self.tr("Continue {name} from step {step} with these settings (F5)").format(
            name=name, step=step))
        b.show()
        b.start_button.setEnabled(self.start_action.isEnabled())
        self.start_action.setText(self.tr("&Start from step {step}").format(step=step))
        self.start_action.setToolTip(self.tr("Continue {name} from step {step} with the form's settings (F5)").format(
            name=name, step=step))
        c.scroll.verticalScrollBar().setValue(0)  # the banner in sight
        workspace.note.emit(self.tr("Continue from step {step} of {name}: change what you want in the form, then "
                                    "Start; Cancel leaves.").format(step=step, name=name), 10000)
        return True

    def leave(self, restore: bool = True) -> None:
        self.mode.leave(restore)

    def _on_left(self, restore: bool) -> None:
        self.banner.hide()
        self.controls.set_fork(None)
        if restore and self._saved is not None:
            self.controls.set_config(*self._saved)
        if self._start_text is not None:
            self.start_action.setText(self._start_text[0])
            self.start_action.setToolTip(self._start_text[1])
        self._saved = self._start_text = None
