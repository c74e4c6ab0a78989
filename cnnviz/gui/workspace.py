"""The Workspace: what the window shows and does, without a widget.

A :class:`Workspace` owns the :class:`~cnnviz.gui.model.RunModel` that every view reads and everything that feeds
it: the live run (:class:`~cnnviz.gui.live.LiveRun`, the trainer in a background thread, which also writes the
session file), the replayed session (:class:`~cnnviz.gui.replay.ReplaySource`), the other sessions compared with it
(:class:`~cnnviz.gui.compare.Comparison`), fork mode (:class:`~cnnviz.gui.fork.ForkMode`), the preview of the
form's untrained network, and the rule for new session paths. It offers :meth:`open`, :meth:`compare`,
:meth:`fork`, :meth:`rollback`, :meth:`start`, :meth:`pause`, :meth:`stop`; a user's mistake or a failure is one
sentence sent with :attr:`message`, a passing note with :attr:`note`.

The window (:mod:`cnnviz.gui.app`) holds the docks, actions, menus and status bar, and shows what the Workspace
says; ``cnnviz render`` drives a Workspace the same way.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from cnnviz.config import TrainConfig
from cnnviz.errors import ConfigError, DataError, SessionError
from cnnviz.gui.compare import CompareError, Comparison
from cnnviz.gui.fork import ForkMode, ForkTarget, read_target, sentence
from cnnviz.gui.i18n import translated
from cnnviz.gui.live import PREVIEW_SOURCE, LiveRun, preview_records
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.options import DataSpec, Parser, add_language_option, add_training_options, config_from_args

FOLLOW_INTERVAL = 0.5  # a following cursor moves at most twice a second (each move redraws the views)
PREVIEW_DELAY_MS = 300  # the preview follows the form this long after its last edit

Settings = Callable[[], tuple[TrainConfig, DataSpec]]


def build_parser() -> argparse.ArgumentParser:
    """The window's command line (``cnnviz [SESSION.h5 [MORE.h5 ...]] [options]``): what a workspace is made of."""
    p = Parser(prog="cnnviz", description="The window: watch a convolutional neural network learn, or replay a "
               "saved session.")
    p.add_argument("session", nargs="?", metavar="SESSION.h5", help="a saved session to replay")
    p.add_argument("compare", nargs="*", metavar="MORE.h5", help="more sessions, compared with the first (curves "
                   "overlaid; filters and predictions of two runs)")
    add_training_options(p)
    p.add_argument("--start", action="store_true", help="start training as soon as the window is up")
    add_language_option(p)
    return p


def initial_settings(args: argparse.Namespace) -> tuple[TrainConfig, DataSpec]:
    """The command line's settings: its configuration, and its data (the MNIST found where the command line looks,
    else the bundled sample, or nothing yet where ``--download`` asks for it)."""
    config = config_from_args(args)
    source = args.data
    if source is None:
        from cnnviz.data import find_mnist  # noqa: PLC0415

        try:
            found = find_mnist(None)
        except DataError:
            found = None
        source = str(found) if found is not None else (None if args.download else "sample")
    return config, DataSpec(source, args.limit_train, args.limit_test, bool(args.download))


class Workspace(QObject):
    """The run shown and its sources (see the module's docstring). ``args`` are the window's parsed options (its
    data folder, ``--out``, ``--no-session``). :attr:`settings` gives the settings of the next run or preview:
    the command line's until the window plugs in its form (it raises ValueError while the form has a problem).

    ``shown`` says what the model shows after it changed source: "live" (a run was started), "replay" (a session
    was opened) or "preview" (the form's untrained network)."""

    message = Signal(str, str, str)  # title, text, details: a user's mistake or a failure, one sentence
    note = Signal(str, int)  # a passing note (the status bar) and how long it stays, in ms (0: until the next)
    shown = Signal(str)  # "live", "replay" or "preview"
    finished = Signal(str)  # the live run ended: complete, stopped or failed (before the preview that may follow)

    def __init__(self, args: argparse.Namespace, preview: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        self.args = args
        self.preview_enabled = preview
        self.settings: Settings = lambda: initial_settings(args)
        self.model = RunModel(self)
        self.model.follow_interval = FOLLOW_INTERVAL
        self.model.redraws.stagger = True  # a growing run's views redraw one a turn: the window keeps responding
        self.comparison = Comparison(self.model)  # other sessions shown beside the run (cnnviz.gui.compare)
        self.live = LiveRun(self.model, self)
        self.replay = ReplaySource(self.model, self)
        self.forking = ForkMode(self)  # "Continue from here": the snapshot a new run continues
        self.last_message = ""
        self.last_said = ""  # the last message as it was given: a Text's str() is the command line's English
        self._first_out = args.out
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.show_preview)
        self._preview_key = None  # (config, data spec) of the preview shown
        self._preview_data: tuple | None = None  # (data spec, data) last loaded for a preview
        self._preview_after_run = False  # File > New run during a run: the preview once it has stopped
        self.live.message.connect(self.say)
        self.live.state_changed.connect(lambda state: state != "idle" and self._preview_timer.stop())
        self.live.finished.connect(self._on_finished)
        self.replay.lost.connect(lambda text: self.say(self.tr("The session cannot be followed"), text))
        for damaged in (self.model.damaged, self.comparison.damaged):
            damaged.connect(lambda text: self.say(self.tr("Part of the session cannot be read"), self.tr(
                "{problem}: the nearest snapshot or evaluation that can be is shown in its place.").format(
                    problem=text.rstrip("."))))
        self.model.changed.connect(self._on_model)

    def say(self, title: str, text: str, details: str = "") -> None:
        """Send a message (the window shows it in a box, in its language: ``text`` may be a Qt-free layer's
        :class:`~cnnviz.errors.Text`); it stays :attr:`last_message` (and as given, :attr:`last_said`)."""
        self.last_said, self.last_message = text, translated(text)
        self.message.emit(title, self.last_message, details)

    # -- what is shown ------------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """idle (no run going on), running, paused, or stopping (waiting for the worker to finish)."""
        return self.live.state

    @property
    def session_path(self) -> Path | None:
        """The session file shown: the live run's, or the replayed one."""
        return self.replay.path or self.live.session_path

    @property
    def showing_preview(self) -> bool:
        """Whether the views show the form's untrained network (no run started, no session open)."""
        return self.model.start is not None and self.model.source == PREVIEW_SOURCE

    def _on_model(self, changes) -> None:
        if "end" in changes and self.model.end is not None and self.model.end.status == "failed" \
                and self.model.end.message:
            self.last_message = self.model.end.message

    # -- a saved session ----------------------------------------------------------------------------------------

    def open(self, path: str | Path) -> bool:
        """Show a saved session; False (and a message, the views unchanged) if it cannot be read."""
        path = Path(path)
        if self.live.state != "idle":
            self.say(self.tr("Cannot open the session"), self.tr("A run is going on: stop it before opening a "
                                                                 "session."))
            return False
        try:
            self.replay.open(path, data=self.args.data)
        except SessionError as exc:
            self.say(self.tr("Cannot open the session"), exc.args[0])
            return False
        self.live.close_reader()  # the finished live run's file, no longer shown
        self.shown.emit("replay")
        self.note.emit(self.replay.note or self.tr("Opened {path}").format(path=path), 0 if self.replay.note else 8000)
        return True

    def compare(self, path: str | Path) -> bool:
        """File > Add session to compare (and ``cnnviz A.h5 B.h5``): ``path`` joins the comparison; a session that
        cannot is one sentence in a message, the runs shown unchanged. With no run shown, the session is opened."""
        if self.model.start is None or self.showing_preview:
            return self.open(path)
        try:
            run = self.comparison.add(path, data=self.args.data)
        except (SessionError, CompareError) as exc:
            self.say(self.tr("Cannot compare the session"), exc.args[0])
            return False
        self.note.emit(self.tr("Comparing with {file} ({name})").format(file=run.file, name=run.name), 8000)
        return True

    def close_comparison(self) -> None:
        """File > Close comparison: the main run alone again."""
        if self.comparison.runs:
            self.comparison.clear()
            self.note.emit(self.tr("Comparison closed"), 4000)

    def fork(self) -> ForkTarget | None:
        """The fork point at the cursor: the snapshot at or before it of the session shown (see
        :meth:`ForkMode.source <cnnviz.gui.fork.ForkMode.source>`); None, and one sentence in a message, where
        there is none or the session cannot be read. :attr:`forking` enters fork mode with it."""
        where = self.forking.source()
        if where is None:
            self.say(self.tr("Cannot continue from here"), self.tr("Open a session, or let a run end, then place the "
                                                                   "timeline's cursor at or after the snapshot to "
                                                                   "continue from."))
            return None
        try:
            return read_target(*where)
        except SessionError as exc:
            self.say(self.tr("Cannot continue from here"), sentence(translated(exc.args[0])))
            return None

    # -- the live run -------------------------------------------------------------------------------------------

    def session_path_for(self, config: TrainConfig) -> Path | None:
        """Where the next run is saved: ``--out`` for the first run, else a new default name; never a file
        that exists (ValueError with the sentence to show)."""
        if self.args.no_session:
            return None
        if self._first_out:
            path = Path(self._first_out)
            if path.exists():
                raise ValueError(self.tr("{path} exists; a session never overwrites a file: choose another --out.")
                                 .format(path=path))
            self._first_out = None
            return path
        from cnnviz.session import default_session_path  # noqa: PLC0415

        return Path(default_session_path(config))

    def start(self, config: TrainConfig, data: DataSpec, paused: bool = False) -> bool:
        """Start a run of ``config`` on ``data`` (in fork mode: the fork of ``config``); False and a message where it
        cannot start."""
        if self.live.state != "idle":
            return False
        try:
            fork = self.forking.prepare(config) if self.forking.active else None  # a refusal shows in the form too
            path = self.session_path_for(fork.config if fork is not None else config)
        except (ConfigError, ValueError) as exc:
            self.say(self.tr("Cannot start"), exc.args[0] if exc.args else str(exc))
            return False
        self.forking.leave(restore=False)  # the run's form: the fork's settings
        self.replay.close()
        if fork is not None:  # the parent's data, and resume_from, in the worker thread
            self.live.start(fork.config, fork.load, path, paused=paused, make_trainer=fork.make)
        else:
            self.live.start(config, data.load, path, paused=paused)
        self.shown.emit("live")
        if fork is not None:
            self.note.emit(fork.says, 15000)
        return True

    def pause(self) -> None:
        """Pause a running run, resume a paused one."""
        was = self.live.state
        self.live.toggle_pause()
        if was == "running":
            self.note.emit(self.tr("Paused"), 3000)

    def single_step(self) -> None:
        """Train one minibatch of the run going on, then pause."""
        self.live.single_step()

    def stop(self) -> None:
        self.live.stop()

    def new_run(self) -> None:
        """Stop the run if one goes on (without its final evaluation); the views then show the untrained network of
        the next run's settings."""
        self.forking.leave()
        self.live.abandon()
        if self.live.state == "idle":
            self.show_preview(force=True)
        else:
            self._preview_after_run = True
        self.note.emit(self.tr("Edit the form and press Start for a new run."), 5000)

    def set_lr(self, lr: float) -> None:
        if self.live.set_lr(lr):
            self.note.emit(self.tr("Learning rate {lr} from the next step").format(lr=f"{lr:g}"), 3000)

    def set_momentum(self, momentum: float) -> None:
        if self.live.set_momentum(momentum):
            self.note.emit(self.tr("Momentum {momentum} from the next step").format(momentum=f"{momentum:g}"), 3000)

    def rollback(self, snapshot: int, lr: float) -> None:
        """After a NaN: the run goes on from snapshot ``snapshot`` with learning rate ``lr``."""
        self.live.roll_back(snapshot, lr)
        self.model.follow()
        self.note.emit(self.tr("Rolled back to step {step} with learning rate {lr}").format(
            step=self.model.snapshots.steps[snapshot], lr=f"{lr:g}"), 8000)

    def _on_finished(self, status: str) -> None:
        self.finished.emit(status)
        if self._preview_after_run:
            self._preview_after_run = False
            self.show_preview(force=True)

    def close(self) -> None:
        """Stop the worker (within one minibatch), finish the session (status stopped), close the files; the model's
        timers and background thread end."""
        self.live.abandon(wait=60)
        self.live.close_reader()
        self.replay.close()
        self.model.close()

    # -- the preview: the form's network before any training ----------------------------------------------------

    def schedule_preview(self) -> None:
        """The settings changed: the preview follows them PREVIEW_DELAY_MS after the last edit."""
        if self.preview_enabled and self.live.state == "idle" and (self.model.start is None or self.showing_preview):
            self._preview_timer.start()

    def show_preview(self, force: bool = False) -> bool:
        """Show the untrained network of :attr:`settings` in every view: the records a run of them starts with
        (its RunStart and step-0 snapshot: the initial weights, the probe images of the chosen data). Only while
        no run goes on, and (unless ``force``: File > New run) no run or session is shown. False, the views
        unchanged, where the settings have a problem or their data cannot be read (the form says why)."""
        self._preview_timer.stop()
        if self.live.state != "idle" or not (force or self.model.start is None or self.showing_preview):
            return False
        try:
            config, spec = self.settings()
            spec = dataclasses.replace(spec, download=False)
            if self.showing_preview and self._preview_key == (config, spec):
                return True
            if self._preview_data is None or self._preview_data[0] != spec:
                self._preview_data = (spec, spec.load())  # the same data again is not read again
            data = self._preview_data[1]
            start, snapshot = preview_records(config, data)
        except (ConfigError, DataError, ValueError, OSError):
            return False
        if force:
            self.replay.close()
            self.live.close_reader()
        kept = self.model.selection if self.showing_preview else None
        self.model.begin(start, data.test_images, data.test_labels, source=PREVIEW_SOURCE)
        self.model.feed([snapshot])
        self.model.complete_levels()
        conv = config.network.conv
        if kept is not None and kept.layer < len(conv):
            channel = kept.channel if kept.channel is not None and kept.channel < conv[kept.layer].filters else None
            self.model.select(image=kept.image if self.model.has_image(kept.image) else self.model.selection.image,
                              layer=kept.layer, stage=kept.stage, channel=channel)
        self._preview_key = (config, spec)
        self.shown.emit("preview")
        return True
