"""The window's status bar: what the workspace shows, in a line (the run, the position, the session file, the
progress), and a field of its own for passing notes.

:class:`StatusBar` reads a :class:`~cnnviz.gui.workspace.Workspace`: the live run's last step (at most
:data:`STATUS_INTERVAL` apart, the last of a burst too), how a run ended, a replayed session's state, and the
position of the timeline's cursor.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget

from cnnviz.gui.i18n import translated
from cnnviz.gui.labels import ElidedLabel

STATUS_INTERVAL = 0.2  # the status bar is rewritten at most 5 times a second


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class StatusBar(QStatusBar):
    """The run's fields (:attr:`run_label`, :attr:`position_label`, :attr:`session_label`, :attr:`progress`) of
    ``workspace``, and the messages in a field of their own, :attr:`note`, left of them, where they are elided
    (QStatusBar draws a message over its permanent fields)."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.note = ElidedLabel()
        self.note.hide()  # the run's fields have the width while there is no message
        self.addPermanentWidget(self.note, 4)
        self.messageChanged.connect(self._on_message)
        self.run_label = ElidedLabel(self.tr("no run"))
        self.position_label = ElidedLabel("")
        self.session_label = ElidedLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setValue(0)
        self.addPermanentWidget(self.run_label, 3)
        self.addPermanentWidget(self.position_label, 3)
        self.addPermanentWidget(self.session_label, 2)
        self.addPermanentWidget(self.progress)
        self._due = 0.0
        self._run = ""  # the live run's epoch, step and speed, as the run label shows them
        self._timer = QTimer(self)  # the last step of a burst reaches the status bar too
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update_run)
        live = workspace.live
        live.state_changed.connect(lambda state: state in ("running", "paused", "stopping") and self.update_run())
        live.stepped.connect(self._on_stepped)
        workspace.finished.connect(self._on_finished)
        workspace.replay.grew.connect(self.update_replay)
        workspace.shown.connect(self._on_shown)
        workspace.note.connect(self.showMessage)
        workspace.model.changed.connect(self._on_model)

    def _on_message(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        if not self.currentMessage():  # a message is drawn by the note
            super().paintEvent(event)

    def _on_shown(self, what: str) -> None:
        path = self.workspace.session_path
        if what == "live":
            self.session_label.setText(self.tr("session: {path}").format(path=path) if path else
                                       self.tr("no session file"))
            self.session_label.setToolTip(str(path.resolve()) if path else "")
            self._run = self.tr("loading data…")
            self.run_label.setText(self._run)
            self.progress.setValue(0)
        elif what == "replay":
            self.session_label.setText(self.tr("session: {path}").format(path=path.name))
            self.session_label.setToolTip(str(path.resolve()))
            self.update_replay()
        else:
            self.session_label.setText("")
            self.run_label.setText(self.tr("not started"))
            self.progress.setValue(0)

    def _on_model(self, changes) -> None:
        if changes & {"run", "snapshot", "eval", "step", "data"}:
            self.position_label.setText(self.tr("the form's network before training (step 0)") if
                                        self.workspace.showing_preview else
                                        translated(self.workspace.model.describe_position()))

    def _on_stepped(self, _step) -> None:
        wait = self._due - time.monotonic()
        if wait <= 0:
            self.update_run()
        elif not self._timer.isActive():  # the last step of a burst is shown too, a little later
            self._timer.start(int(wait * 1000) + 1)

    def _on_finished(self, status: str) -> None:
        self.update_run()
        self._timer.stop()
        text = {"complete": self.tr("finished"), "stopped": self.tr("stopped"), "failed": self.tr("failed")}.get(
            status, status)
        self.run_label.setText(f"{self._run} — {text}")
        path = self.workspace.live.session_path
        self.showMessage(self.tr("Run {status}; session saved to {path}").format(status=text, path=path)
                         if path and status != "failed" else self.tr("Run {status}").format(status=text), 10000)

    def no_longer_saved(self) -> None:
        """The live run's session file can no longer be written."""
        self.session_label.setText(self.tr("session: {path} (no longer saved)").format(
            path=self.workspace.live.session_path))

    def update_run(self) -> None:
        """Epoch, step, images/s and ETA of the last step of the live run, and the progress bar."""
        live, start = self.workspace.live, self.workspace.model.start
        r = live.last_step
        if r is None or start is None:
            return
        self._due = time.monotonic() + STATUS_INTERVAL
        cfg = start.config
        self._timer.stop()
        self._run = self.tr("epoch {epoch}/{epochs}   step {step}/{steps}   {speed} images/s").format(
            epoch=r.epoch, epochs=cfg.epochs, step=r.step, steps=start.total_steps, speed=f"{r.images_per_second:,.0f}")
        text = self._run
        if live.state == "running" and r.images_per_second:  # only a run going on has an ETA
            text += "   " + self.tr("ETA {time}").format(
                time=_duration((start.total_steps - r.step) * cfg.batch_size / r.images_per_second))
        state = {"paused": self.tr("paused"), "stopping": self.tr("stopping…")}.get(live.state)
        self.run_label.setText(f"{text} — {state}" if state else text)
        self.progress.setMaximum(max(start.total_steps, 1))
        self.progress.setValue(r.step)

    def update_replay(self) -> None:
        """The replayed session: how it ended (or that it is still being written), its size."""
        m = self.workspace.model
        if m.start is None:
            return
        status = m.end.status if m.end is not None else "running"
        status = {"complete": self.tr("complete"), "stopped": self.tr("stopped"), "failed": self.tr("failed"),
                  "running": self.tr("running")}.get(status, status)
        if m.end is not None and "interrupted" in m.end.message:
            status = self.tr("interrupted (its writer was killed)")
        if self.workspace.replay.following_file:
            status = self.tr("{status} (being written: following it)").format(status=status)
        self.run_label.setText(self.tr("replay: {status}, {steps} steps, {snapshots} snapshots, {evals} evaluations")
                               .format(status=status, steps=f"{m.n_steps:,}", snapshots=len(m.snapshots),
                                       evals=len(m.evals)))
        self.progress.setMaximum(max(m.start.total_steps, 1))
        self.progress.setValue(min(m.n_steps, m.start.total_steps))
