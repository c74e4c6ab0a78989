"""The main window: the views in docks, the timeline bar, the training form, menus, toolbars and the status bar.

What the window shows and does lives in its :class:`~cnnviz.gui.workspace.Workspace` (the run model, the live and
replayed runs, the comparison, fork mode, the preview); the window holds the widgets: docks (laid out by
:mod:`cnnviz.gui.layouts`), actions, menus, the status bar (:mod:`cnnviz.gui.statusbar`), the text size and the
presentation mode, and shows the workspace's messages. The entry point is :mod:`cnnviz.gui.main`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStyle,
    QWidget,
)

from cnnviz.config import TrainConfig
from cnnviz.gui import i18n, menus, textsize
from cnnviz.gui.compare import offer_parent
from cnnviz.gui.dialogs import DivergedDialog, ExportDialog
from cnnviz.gui.export import content_rect, export_size, render_view, save_png, save_shown
from cnnviz.gui.fork import ForkForm
from cnnviz.gui.later import later
from cnnviz.gui.layouts import QWIDGETSIZE_MAX, DockLayout, apply_size_rules, create_view, view_classes
from cnnviz.gui.memory import Memory
from cnnviz.gui.shown_run import ShownRunForm
from cnnviz.gui.statusbar import StatusBar
from cnnviz.gui.views.common import configure_pyqtgraph
from cnnviz.gui.views.controls import ControlsView
from cnnviz.gui.views.timeline import TimelineBar
from cnnviz.gui.workspace import Workspace, build_parser, initial_settings
from cnnviz.options import DataSpec
from cnnviz.parallel import use_one_blas_thread

ORGANISATION = APPLICATION = "cnnviz"
RECENT = 10  # sessions in File > Open recent

__all__ = ["MainWindow", "app_icon", "content_rect", "settings"]


def settings() -> QSettings:
    """Where the window keeps its layout and recent files (an INI file in the user's configuration directory)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def recent_sessions() -> list[str]:
    value = settings().value("recent/sessions", [])
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


def app_icon() -> QIcon:
    """cnnviz's icon (resources/cnnviz.svg, a grid of feature maps; its 256-pixel PNG where SVG cannot be read)."""
    from cnnviz.data import resources_dir  # noqa: PLC0415

    icon = QIcon()
    for name in ("cnnviz.png", "cnnviz.svg"):
        icon.addFile(str(resources_dir() / name))
    return icon


class MainWindow(QMainWindow):
    """The window. ``args`` are the parsed options of :func:`cnnviz.gui.main.build_parser` (None: the defaults).
    With ``remember`` False the window neither restores nor saves its layout, recent files and text size
    (``cnnviz render``). With ``preview`` (default: ``remember``) the views show the form's untrained network until
    a run starts or a session opens (:meth:`Workspace.show_preview <cnnviz.gui.workspace.Workspace.show_preview>`).
    """

    def __init__(self, args: argparse.Namespace | None = None, remember: bool = True, preview: bool | None = None):
        super().__init__()
        self.setWindowIcon(app_icon())  # the title bar, the task bar and the About box
        self.remember = remember
        configure_pyqtgraph()
        use_one_blas_thread()  # the worker threads' setting, made before any product runs
        self.args = args if args is not None else build_parser().parse_args([])
        self.workspace = Workspace(self.args, remember if preview is None else preview, self)
        self.parent_offer: QMessageBox | None = None  # "compare with its parent?" after opening a fork
        self.message_box: QMessageBox | None = None
        self.diverged_dialog: DivergedDialog | None = None
        self.text_scale = 1.0
        self._presenting: tuple | None = None  # before presenting: the geometry, maximized, the text size
        self._comparing = False
        self.setAcceptDrops(True)

        # -- views in docks
        self.views: dict[str, QWidget] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        for key, title, cls in view_classes():
            view = create_view(cls, self.model, self.comparison, self)
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setWidget(view)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.views[key], self.docks[key] = view, dock
            dock.visibilityChanged.connect(lambda shown, v=view: shown and self.model.redraws.raised(v))
        self.controls: ControlsView = self.views["controls"]
        self.timeline = TimelineBar(self.model, self)
        self._current_view = "loss"
        self._apply_text_scale_to_plots()  # the size rules
        self.layout_ = DockLayout(self, self.docks)
        self.layout_.default()

        menus.build_actions(self)
        menus.build_menus(self)
        menus.build_toolbars(self)
        bar = StatusBar(self.workspace, self)
        self.setStatusBar(bar)
        self.run_label, self.position_label, self.session_label, self.progress = (
            bar.run_label, bar.position_label, bar.session_label, bar.progress)
        self.fork = ForkForm(self.workspace.forking, self.controls, self.start_action)  # the form in fork mode
        for key, toggle in (("follow_unit", self.follow_unit_action), ("count_from_one", self.count_from_one_action)):
            if remember:  # on by default
                toggle.setChecked(settings().value(f"view/{key}", True) in (True, "true"))
                toggle.toggled.connect(lambda on, key=key: settings().setValue(f"view/{key}", on))
        self.shown_run = ShownRunForm(self.workspace, self.controls, self.start_action)  # the form: the run shown's

        ws = self.workspace
        ws.settings = self._form_settings
        ws.message.connect(lambda title, text, details: self.show_message(title, text, details))
        ws.shown.connect(self._on_shown)
        ws.finished.connect(self._on_finished)
        ws.forking.began.connect(lambda _target: (self.show_task("train"), self.docks["controls"].show(),
                                                  self.docks["controls"].raise_()))
        ws.comparison.changed.connect(self._on_comparison)
        self.views["filters"].plot.scene().sigMouseClicked.connect(self._on_unit_clicked)
        self.controls.validity_changed.connect(self._update_actions)
        self.controls.lr_changed.connect(ws.set_lr)
        self.controls.momentum_changed.connect(ws.set_momentum)
        self.live.state_changed.connect(self._on_state)
        self.live.diverged.connect(self._on_diverged)
        self.live.write_failed.connect(self._on_write_failed)
        self.views["overview"].unit_clicked.connect(self.open_unit)
        self.views["deltas"].unit_clicked.connect(lambda layer, unit: (self.open_unit(layer, unit),
                                                                      self.views["unit"].show_backward()))
        self.model.changed.connect(self._on_model)
        QApplication.instance().focusChanged.connect(self._on_focus)

        self.controls.set_config(*initial_settings(self.args))
        self.memory = Memory(self.controls, {**self.views, "timeline": self.timeline})  # the form, views' choices
        if remember:
            self.memory.restore(settings(), self.args, build_parser())  # the command line's options win
        self.controls.config_edited.connect(ws.schedule_preview)
        placed, self._restored = self.layout_.restore(settings()) if remember else (False, False)
        self._first = None if placed else self.layout_.first_size()  # the size a first launch is given
        self._update_actions()
        self._update_title()
        if remember:
            try:
                scale = float(settings().value("view/text_scale", 1.0))
            except (TypeError, ValueError):  # an edited settings file: the normal size
                scale = 1.0
            self.set_text_scale(scale, remember=False)
        if ws.preview_enabled:
            ws.show_preview()
        self.hint_bar.setVisible(self.showing_preview)  # not as a restored layout left it

    # -- the workspace's parts, as the views and tests name them ------------------------------------------------

    # The workspace's model, sources, comparison and state; state is idle, running, paused or stopping.
    model = property(lambda self: self.workspace.model)
    live = property(lambda self: self.workspace.live)
    replay = property(lambda self: self.workspace.replay)
    comparison = property(lambda self: self.workspace.comparison)
    state = property(lambda self: self.workspace.state)
    session_path = property(lambda self: self.workspace.session_path)
    showing_preview = property(lambda self: self.workspace.showing_preview)
    last_message = property(lambda self: self.workspace.last_message)

    def _form_settings(self) -> tuple[TrainConfig, DataSpec]:
        """The form's settings (ValueError while it has a problem): what a run or the preview uses."""
        if not self.controls.is_valid():
            raise ValueError("the form has a problem")  # not shown: the callers show the form's problems
        return self.controls.config(), self.controls.data_spec()

    # -- layout memory ----------------------------------------------------------------------------------------

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt)
        if visible and self._first is not None and self.size() != self._first:
            self._first = None  # resized since (render, a test): the size it was given stays
        super().setVisible(visible)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if not self._restored:
            self._restored = True
            first, shown = self._first, self.size()  # a first launch's size, unless resized since (a test)
            later(self, lambda: self.layout_.first_layout(first if self.size() == shown else None))
        menus.show_current_task(self)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The docks share a new width in proportion to theirs; the form gives its share back to the views."""
        super().resizeEvent(event)
        old, new = event.oldSize().width(), event.size().width()
        form = self.docks["controls"]
        if self.presenting and event.size() != event.oldSize():  # full screen arrived: the plan for its size
            later(self, self.layout_.default)
        elif old > 0 and new != old and form.isVisible() and not form.isFloating():
            later(self, lambda: self.layout_.keep_form_width(old, new))

    def _save_layout(self) -> None:
        if not self.remember:
            return
        s = settings()
        self.layout_.save(s)
        self.memory.save(s)
        s.sync()

    def reset_layout(self) -> None:
        """Reset layout: the current workspace as planned for the window's size."""
        self.layout_.reset()

    def reset_settings(self) -> None:
        """Forget the remembered form and view choices: back to the defaults (or the command line's options)."""
        self.memory.reset(settings() if self.remember else None)

    # -- the run ------------------------------------------------------------------------------------------------

    def _on_state(self, state: str) -> None:
        self.controls.set_running(state != "idle")
        self._update_actions()
        if state != "idle":
            self.hint_bar.hide()

    def _update_actions(self, *_) -> None:
        s = self.live.state
        self.start_action.setEnabled(s == "idle" and self.controls.is_valid())
        self.pause_action.setEnabled(s in ("running", "paused"))
        self.pause_action.setText(menus.translate("Menus", "&Resume") if s == "paused" else
                                  menus.translate("Menus", "&Pause"))
        self.pause_action.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if s == "paused" else QStyle.StandardPixmap.SP_MediaPause))
        self.step_action.setEnabled(s in ("running", "paused") or (s == "idle" and self.controls.is_valid()))
        self.stop_action.setEnabled(s in ("running", "paused"))
        self.fork_action.setEnabled(self.workspace.forking.source() is not None)
        self.new_action.setEnabled(s != "stopping")
        for a in (self.open_action, self.example_action, self.recent_menu.menuAction()):
            a.setEnabled(s == "idle")

    def start_run(self, paused: bool = False) -> bool:
        """Start a run with the form's settings; False (and a message) if the form has a problem."""
        if self.workspace.state != "idle":
            return False
        if not self.controls.validate():
            problems = self.controls.errors()
            self.show_message(self.tr("Cannot start"), self.tr("Fix the settings shown in red: {problems}").format(
                problems=" ".join(problems.values())))
            return False
        try:
            config, data = self.controls.config(), self.controls.data_spec()
        except ValueError as exc:
            self.show_message(self.tr("Cannot start"), i18n.translated(exc.args[0] if exc.args else str(exc)))
            return False
        return self.workspace.start(config, data, paused=paused)

    def toggle_pause(self) -> None:
        self.workspace.pause()

    def single_step(self) -> None:
        if self.workspace.state == "idle" and not self.start_run(paused=True):
            return
        self.workspace.single_step()

    def stop_run(self) -> None:
        self.workspace.stop()

    def new_run(self) -> None:
        """Stop the run if one goes on; the form is then free for a new one, and the views show its untrained
        network."""
        self.workspace.new_run()

    def show_preview(self, force: bool = False) -> bool:
        return self.workspace.show_preview(force)

    def _on_diverged(self, event) -> None:
        """A loss became NaN, or stayed at chance after a rollback (the run is paused): one dialog for the incident,
        which offers to roll back to the last sane snapshot (after a rollback that did not recover: the same one
        again) with a lower learning rate, or to stop."""
        self.workspace.last_message = event.message
        self.statusBar().showMessage(self.tr("Training paused: {message}").format(message=i18n.translated(
            event.message)), 15000)
        if self.diverged_dialog is not None:
            self.diverged_dialog.close()
        i = self.model.last_sane_snapshot(int(event.value) if event.kind == "stalled" else None)
        lr = float(self.model.metric("lr")[-1]) if self.model.n_steps else self.controls.lr.value()
        dialog = DivergedDialog(self, event, self.model.snapshots.steps[i] if i is not None else None, lr)
        dialog.roll_back.connect(lambda new_lr: self._roll_back(i, new_lr))
        dialog.stop_run.connect(self.stop_run)
        dialog.destroyed.connect(lambda *_: setattr(self, "diverged_dialog", None))
        dialog.show()
        self.diverged_dialog = dialog

    def _roll_back(self, snapshot: int, lr: float) -> None:
        self.controls.lr.blockSignals(True)  # the worker has the new rate already
        self.controls.lr.setValue(lr)
        self.controls.lr.blockSignals(False)
        self.workspace.rollback(snapshot, lr)

    def _on_write_failed(self, message: str, holds: str) -> None:
        """The session file cannot be written (a full disk): the run is paused; go on without saving, or stop."""
        box = self.show_message(self.tr("The session cannot be saved"), f"{message} {holds}")
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        go_on = box.addButton(self.tr("Continue without saving"), QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton(self.tr("Stop the run"), QMessageBox.ButtonRole.DestructiveRole)
        go_on.clicked.connect(self.live.continue_without_session)
        stop.clicked.connect(self.stop_run)
        self.statusBar().no_longer_saved()

    def _on_finished(self, status: str) -> None:
        path = self.live.session_path
        if path is not None and status != "failed" and path.exists():
            self._remember(path)

    def _on_model(self, changes) -> None:
        if "run" in changes:
            self.hint_bar.setVisible(self.showing_preview)
            self._apply_text_scale_to_plots()  # views may have made new plot items for the new run
        if changes & {"run", "end"}:
            self._update_actions()  # "Continue from here" needs a finished run

    def _on_shown(self, what: str) -> None:
        self._update_title()
        if what == "replay":
            self._remember(self.replay.path)
            if self.parent_offer is not None:
                self.parent_offer.close()
            self.parent_offer = offer_parent(self, self.workspace)  # a fork: show it with its parent?
            if self.parent_offer is not None:
                self.parent_offer.destroyed.connect(lambda *_: setattr(self, "parent_offer", None))

    # -- replaying a session ------------------------------------------------------------------------------------

    def open_session(self, path: str | Path) -> bool:
        """Show a saved session; False (and a message, the views unchanged) if it cannot be read."""
        return self.workspace.open(path)

    def open_example(self) -> bool:
        from cnnviz.data import example_session_path  # noqa: PLC0415

        return self.open_session(example_session_path())

    def _open_dialog(self) -> None:
        from cnnviz.session import default_session_dir  # noqa: PLC0415

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a session"), str(default_session_dir()),
                                              self.tr("cnnviz sessions (*.h5);;All files (*)"))
        if path:
            self.open_session(path)

    def _remember(self, path: Path) -> None:
        if not self.remember:
            return
        name = str(Path(path).resolve())
        recent = [name] + [p for p in recent_sessions() if p != name]
        s = settings()
        s.setValue("recent/sessions", recent[:RECENT])
        s.sync()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_sessions()
        for n, name in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{n % 10} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _checked=False, p=name: self.open_session(p))
        if not recent:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    def _update_title(self) -> None:
        path = self.session_path
        self.setWindowTitle(f"{path.name} — cnnviz" if path else self.tr("cnnviz: watch a CNN learn"))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and urls[0].toLocalFile().endswith(".h5"):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.open_session(urls[0].toLocalFile())
            event.acceptProposedAction()

    # -- messages, export, about ------------------------------------------------------------------------------

    def show_message(self, title: str, text: str, details: str = "", modal: bool = False) -> QMessageBox:
        """A message box that does not block (the run and the tests go on); also in the status bar."""
        self.workspace.last_message = text
        self.statusBar().showMessage(f"{title}: {text}", 15000)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.WindowModal if modal else Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "message_box", None))
        box.show()
        self.message_box = box
        return box

    def _on_focus(self, old, new) -> None:
        w = new
        while w is not None:
            for key, view in self.views.items():
                if w is view:
                    self._current_view = key
                    return
            w = w.parentWidget()

    def current_view(self) -> str:
        """The key of the view the user worked in last (the export's default)."""
        return self._current_view

    def open_unit(self, layer: str, unit: int) -> None:
        """Show a unit's computation in the Unit view, its dock raised: the selected conv unit (``unit`` -1), or
        unit ``unit`` of fully connected layer ``layer`` ("fc1".., "output")."""
        if unit >= 0:
            self.views["unit"].show_dense(layer, unit)
        self.show_task("inside")
        self.docks["unit"].show()
        self.docks["unit"].raise_()

    def export_size(self, key: str) -> tuple[int, int]:
        """The export's default size: twice the view's content as it is on screen, within the dialog's limits."""
        return export_size(self.views[key])

    def render_view(self, key: str, size: tuple[int, int]) -> QPixmap:
        """The content of view ``key`` (its plots, without its controls and caption) drawn at ``size`` pixels
        (:func:`cnnviz.gui.export.render_view`)."""
        return render_view(self.views[key], self.model, size, self.text_scale)

    def export_view(self, path: str | Path, key: str | None = None, size: tuple[int, int] | None = None) -> Path:
        """Save the content of view ``key`` (default: the current one) as a PNG image of ``size`` pixels (default
        :meth:`export_size`); the path written."""
        key = key or self._current_view
        return save_png(self.render_view(key, size or self.export_size(key)), path)

    def export_window(self, path: str | Path) -> Path:
        return save_shown(self, path)

    def _export_dialog(self) -> None:
        key = self._current_view
        title = self.docks[key].windowTitle().lower()
        dialog = ExportDialog(self, title, self.export_size(key))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = f"{key.replace('_', '-')}.png"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export {view} as PNG").format(view=title), name,
                                              self.tr("PNG images (*.png)"))
        if path:
            try:
                self.export_view(path, key, dialog.size_chosen())
                self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
            except OSError as exc:
                self.show_message(self.tr("Export failed"), str(exc))

    def _export_window_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the window as PNG"), "cnnviz.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            try:
                self.export_window(path)
                self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
            except OSError as exc:
                self.show_message(self.tr("Export failed"), str(exc))

    def about_text(self) -> str:
        return menus.about_text(self)

    def keys(self) -> list[tuple[str, str, str]]:  # (menu, action, key) of every action: the About box's list
        return menus.keys(self)

    # -- text size and the presentation mode -------------------------------------------------------------------------

    def set_text_scale(self, scale: float, remember: bool = True, reflow: bool = True) -> None:
        """Scale every font of the window: its widgets, and in every view the axes, titles and captions; the views'
        least sizes follow (:func:`~cnnviz.gui.layouts.apply_size_rules`) and the workspace re-flows (``reflow``);
        remembered for the next start (not while presenting, whose large text is its own)."""
        if reflow:
            self.layout_.remember()  # the arrangement as it is, before the views' least sizes change
        self.text_scale = textsize.clamp(scale)
        self.setFont(textsize.scaled_font(self.text_scale))
        self._apply_text_scale_to_plots(changed=True)
        self.timeline.setFont(textsize.scaled_font(self.text_scale))
        self.larger_action.setEnabled(self.text_scale < textsize.LARGEST)
        self.smaller_action.setEnabled(self.text_scale > textsize.SMALLEST)
        if reflow:
            self.layout_.set_scale(self.text_scale)
        if remember and self.remember and self._presenting is None:
            s = settings()
            s.setValue("view/text_scale", self.text_scale)
            s.sync()
        if remember:
            self.statusBar().showMessage(self.tr("Text size {percent}").format(percent=f"{self.text_scale:.0%}"), 2000)

    def _apply_text_scale_to_plots(self, changed: bool = False) -> None:
        """The text size (``changed``: a new size) and the size rules on every view (again when a view made new plot
        items)."""
        for key, view in self.views.items():
            if changed or self.text_scale != 1.0:
                textsize.scale_widget(view, self.text_scale)
            apply_size_rules(key, view, self.text_scale)

    presenting = property(lambda self: self._presenting is not None)

    def toggle_presentation(self) -> None:
        """F11: the current workspace full screen, with large text (at least textsize.PRESENTATION) and the views
        only (the form left out; the run's keys still work), planned for the screen; F11 again: the window as it
        was (its geometry, text size and arrangement)."""
        if self._presenting is None:
            self._presenting = (self.saveGeometry(), self.isMaximized(), self.text_scale)
            self.layout_.remember()
            self.layout_.presenting = True
            self.set_text_scale(max(self.text_scale, textsize.PRESENTATION), remember=False, reflow=False)
            self.layout_.scale = self.text_scale
            screen = self.screen().geometry().size() if self.screen() is not None else None
            self.setMaximumSize(screen or self.maximumSize())  # never wider than the screen, whatever the views need
            self.layout_.default(screen)
            self.showFullScreen()
        else:
            geometry, was_maximized, scale = self._presenting
            self._presenting = None
            self.layout_.presenting = False
            self.set_text_scale(scale, remember=False, reflow=False)
            self.layout_.scale = self.text_scale
            self.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
            self.layout_.recall(QRect.size(self.normalGeometry()) if not was_maximized else None)
            self.showMaximized() if was_maximized else self.showNormal()
            self.restoreGeometry(geometry)
            self.layout_.settle()
        self.present_action.setChecked(self.presenting)

    # -- workspaces -------------------------------------------------------------------------------------------

    def show_task(self, key: str) -> None:
        """Show workspace ``key`` (layouts.TASKS): its views, as arranged last (or its plan)."""
        self.layout_.show_task(key)
        menus.show_current_task(self)

    def _on_comparison(self, _changes) -> None:
        """The Compare workspace is there while runs are compared: it opens when a comparison starts."""
        active = self.comparison.active
        menus.offer_compare(self, active)
        if active and not self._comparing:
            self.show_task("compare")
        elif not active and self.layout_.current == "compare":
            self.show_task("train")
        self._comparing = active

    def _on_unit_clicked(self, *_) -> None:
        """A filter clicked in Train selects its unit: Look inside shows how it is computed (a setting)."""
        if self.follow_unit_action.isChecked() and self.layout_.current == "train" \
                and self.model.selection.channel is not None:
            self.show_task("inside")

    # -- the language -----------------------------------------------------------------------------------------------

    def choose_language(self, language: str) -> None:
        """View › Language: ``language`` remembered (:data:`cnnviz.gui.i18n.SETTING`); the window speaks it from its
        next start (the status bar says so, in the language it speaks now)."""
        if self.remember:
            s = settings()
            s.setValue(i18n.SETTING, language)
            s.sync()
        self.statusBar().showMessage(self.tr("The window speaks {language} from its next start.").format(
            language=i18n.LANGUAGES[language]), 10000)

    def tell_no_japanese_font(self) -> None:
        """No font has Japanese glyphs: said in English (the window stays in English), naming the package."""
        self.show_message("No Japanese font", i18n.NO_FONT)

    # -- closing ----------------------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """Stop the worker (within one minibatch), finish the session (status stopped), keep the layout."""
        self._save_layout()
        self.workspace.close()
        for box in (self.message_box, self.diverged_dialog):
            if box is not None:
                box.close()
        super().closeEvent(event)
