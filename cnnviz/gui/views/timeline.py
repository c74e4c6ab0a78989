"""The timeline bar: one slider over the run's steps that moves every view, for a live run and a replay alike.

The slider runs over steps 0..N (N the newest step) with marks at the snapshots (grey), the evaluations (red)
and the events (purple). Play moves from snapshot to snapshot at the chosen speed; Follow (End) brings the
cursor back to the newest step of a run that is still growing and keeps it there. Dragging asks the model to
seek with :meth:`~cnnviz.gui.model.RunModel.seek_soon`, so only the newest position is drawn. The keys (Left
and Right: previous and next snapshot; Home, End; Space: play or pause) are :attr:`TimelineBar.actions`, which
the window puts in its menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QWidget,
)

PREVIEW_SOURCE = "preview"  # cnnviz.gui.live's: the model shows the form's untrained network
SPEEDS = (1, 2, 5, 10, 20)  # snapshots a second
MARKS = {"snapshot": "#8a8a8a", "eval": "#d7191c", "event": "#9467bd"}


def first_step(model) -> int:
    """The first step of the run's timeline: its first snapshot's (0, or the step a fork continues its parent
    from: its first snapshot is the parent's there)."""
    return int(model.snapshots.steps[0]) if len(model.snapshots) else 0


class TimelineSlider(QSlider):
    """A horizontal slider that draws marks at given values under its groove."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.marks: dict[str, list[int]] = {kind: [] for kind in MARKS}
        self.setMinimumHeight(self.sizeHint().height() + 8)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().paintEvent(event)
        if self.maximum() <= self.minimum():
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle, self)
        left, span = groove.left() + handle.width() / 2, groove.width() - handle.width()
        painter = QPainter(self)
        bottom = self.height() - 1
        for n, (kind, colour) in enumerate(MARKS.items()):
            painter.setPen(QPen(QColor(colour), 1))
            top = bottom - 4 - 2 * n if kind != "snapshot" else bottom - 4
            for value in self.marks[kind]:
                x = round(left + span * (value - self.minimum()) / (self.maximum() - self.minimum()))
                painter.drawLine(x, top, x, bottom)
        painter.end()


class TimelineBar(QWidget):
    """Play/pause, speed, the slider, Follow, and where the cursor is, in words."""

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.play_button = QToolButton()
        self.play_button.setCheckable(True)
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play the run from snapshot to snapshot (Space)"))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s}/s", s)
        self.speed.setCurrentIndex(1)
        self.speed.setToolTip(self.tr("Snapshots a second while playing"))
        self.slider = TimelineSlider()
        self.slider.setToolTip(self.tr("The step every view shows (marks: grey snapshots, red evaluations, purple "
                                       "events)"))
        self.slider.setRange(0, 0)
        self.follow_button = QToolButton()
        self.follow_button.setText(self.tr("Follow"))
        self.follow_button.setCheckable(True)
        self.follow_button.setToolTip(self.tr("Keep showing the newest step of a run that grows (End)"))
        self.label = QLabel()
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(
            self._where().format(step="00,000", last="00,000", epoch="00", where="")))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for w, stretch in ((self.play_button, 0), (self.speed, 0), (self.slider, 3), (self.follow_button, 0),
                           (self.label, 2)):
            layout.addWidget(w, stretch)

        self.play_timer = QTimer(self)
        self.play_timer.timeout.connect(self._play_step)
        self.play_button.toggled.connect(self._on_play)
        self.speed.currentIndexChanged.connect(lambda _: self._on_play(self.play_button.isChecked()))
        self.slider.valueChanged.connect(self._on_slider)
        self.follow_button.clicked.connect(lambda: model.follow())

        def action(text: str, key, slot, tip: str) -> QAction:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setToolTip(f"{tip} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            a.setStatusTip(tip)
            a.triggered.connect(lambda _checked=False: slot())
            self.addAction(a)
            return a

        self.actions_ = [  # the window's Timeline menu
            action(self.tr("&Previous snapshot"), Qt.Key.Key_Left, lambda: model.seek_snapshot(-1),
                   self.tr("Go to the previous snapshot")),
            action(self.tr("&Next snapshot"), Qt.Key.Key_Right, lambda: model.seek_snapshot(+1),
                   self.tr("Go to the next snapshot")),
            action(self.tr("&First step"), Qt.Key.Key_Home, lambda: model.seek(first_step(model)),
                   self.tr("Go to the first step (the initial parameters, or where a fork begins)")),
            action(self.tr("&Follow the newest step"), Qt.Key.Key_End, model.follow,
                   self.tr("Go to the newest step and stay there")),
            action(self.tr("Play / &pause"), Qt.Key.Key_Space, self.play_button.toggle,
                   self.tr("Play the run from snapshot to snapshot, or pause")),
        ]
        model.changed.connect(self._on_model)
        self._on_model(frozenset({"run"}))

    @property
    def timeline_actions(self) -> list[QAction]:
        return self.actions_

    def _on_model(self, changes) -> None:
        m = self.model
        if m.start is None or m.source == PREVIEW_SOURCE:
            self.setEnabled(False)
            self.slider.setRange(0, 0)
            self.label.setText(self.tr("no run") if m.start is None else self.tr("step 0 · not trained yet"))
            return
        self.setEnabled(True)
        if changes & {"run", "data", "step", "following", "end"}:
            self.slider.blockSignals(True)
            self.slider.setRange(first_step(m), m.last_step)
            self.slider.setValue(m.step)
            self.slider.blockSignals(False)
            self.slider.setPageStep(max(1, m.steps_per_epoch))
        if changes & {"run", "data"}:
            self.slider.marks = {"snapshot": list(m.snapshots.steps), "eval": list(m.evals.steps),
                                 "event": [e.step for e in m.events]}
            self.slider.update()
        self.follow_button.setChecked(m.following)
        self.follow_button.setEnabled(not m.following)
        snap = m.snapshot()
        where = (self.tr("snapshot {n}/{of}").format(n=m.snapshot_index + 1, of=len(m.snapshots))
                 if m.snapshot_index is not None else self.tr("live") if snap is not None else self.tr("no snapshot"))
        self.label.setText(self._where().format(step=f"{m.step:,}", last=f"{m.last_step:,}",
                                                epoch=m.epoch_at(m.step), where=where))

    def _where(self) -> str:
        """Where the cursor is, in words: the template of the label."""
        return self.tr("step {step}/{last} · epoch {epoch} · {where}")
        if self.play_button.isChecked() and m.step >= m.last_step:
            self.play_button.setChecked(False)

    def _on_slider(self, value: int) -> None:
        self.model.seek_soon(value)

    def _on_play(self, playing: bool) -> None:
        self.play_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay))
        if not playing:
            self.play_timer.stop()
            return
        if self.model.step >= self.model.last_step:
            self.model.seek(first_step(self.model))  # play from the start again
        self.play_timer.start(int(1000 / self.speed.currentData()))

    def _play_step(self) -> None:
        if self.model.step >= self.model.last_step:
            self.play_button.setChecked(False)
            return
        self.model.seek_snapshot(+1)
