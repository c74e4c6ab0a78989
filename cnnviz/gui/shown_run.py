"""The training form follows the run shown: a session opened, or a live run once it has ended, puts that run's own
settings in the form (its architecture, preset, rates, schedule, batch size, epochs; a session's data too), and the
window's Start then reads "New run from these settings". The preview of the form's network (File > New run, or no
run shown) gives Start its own text back.

A learning rate or a momentum changed by hand during a run is recorded in that run (an event), not left in the form
for the next one: when the run ends the form shows the settings it was started with.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from cnnviz.datasets import DataSource
from cnnviz.errors import ConfigError, sentence
from cnnviz.gui.i18n import translated
from cnnviz.options import DataSpec

NEW_RUN_TEXT = QT_TRANSLATE_NOOP("ShownRunForm", "&New run from these settings")  # English; shown translated
NEW_RUN_TIP = QT_TRANSLATE_NOOP("ShownRunForm", "Start a new run with the form's settings: the run shown's, unless "
                                "you change them (F5)")


class ShownRunForm(QObject):
    """Puts the settings of the run shown by ``workspace`` in the form ``controls`` (see the module's docstring),
    and names the window's ``start_action`` after them."""

    def __init__(self, workspace, controls, start_action):
        super().__init__(workspace)
        self.workspace, self.controls, self.start_action = workspace, controls, start_action
        self._start_text = (start_action.text(), start_action.toolTip())
        workspace.shown.connect(self._on_shown)
        workspace.finished.connect(lambda _status: self.show_run())

    def _on_shown(self, what: str) -> None:
        if what == "replay":
            reader = self.workspace.replay.reader
            self.show_run(data_path=reader.data_path if reader is not None else None, with_data=True)
        elif what == "preview":
            self.start_action.setText(self._start_text[0])
            self.start_action.setToolTip(self._start_text[1])

    def show_run(self, data_path: str | None = None, with_data: bool = False) -> bool:
        """The form shows the settings of the run in the model (with ``with_data`` its data too: the recorded
        source, ``data_path`` winning, and the number of images it used); False, the form unchanged, where there
        is no run or the form cannot show its network (more conv layers than it holds: said in the status bar)."""
        start = self.workspace.model.start
        if start is None or self.workspace.showing_preview:
            return False
        data = None
        if with_data:
            data = DataSpec(DataSource.recorded(start.data_source, data_path).spec, start.n_train, start.n_test)
        try:
            self.controls.set_config(start.config, data)
        except ConfigError as exc:
            self.workspace.note.emit(self.tr("The form cannot show this run's settings: {problem}").format(
                problem=sentence(translated(exc.args[0]))), 10000)
            return False
        self.start_action.setText(self.tr(NEW_RUN_TEXT))
        self.start_action.setToolTip(self.tr(NEW_RUN_TIP))
        return True
