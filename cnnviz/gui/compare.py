"""Comparing runs: other saved sessions shown beside the main run, on its timeline.

A :class:`Comparison` belongs to the window's workspace, beside its :class:`~cnnviz.gui.model.RunModel` (the main
run, "run A"), and is passed to the views that draw compared runs (without one they make an empty one). It holds
the other runs, each a :class:`ComparedRun`: a RunModel of its own fed by a
:class:`~cnnviz.gui.replay.ReplaySource`, so that everything a view reads of the main run it can read of another
(metrics, snapshots, evaluations, colour levels). One timeline drives all of them: a compared run's cursor is the
main run's step, clipped to the steps it has (a run shorter than the cursor shows its last position; a fork, whose
steps begin at its parent's step N, shows its first snapshot before N).

Each run has a colour and a name. The name says what differs in its configuration: of the settings that are not the
same in every run, those where the run differs from its preset ("lr 0.05, momentum 0.9"); a run that differs from
its preset in none of them is named by the preset ("lecture"); runs whose configurations are identical are named by
their file names. :meth:`Comparison.differences` lists every setting that differs, run by run (the loss view's table).

The views read it: the loss view overlays the curves, the filters view shows run A, run B or their difference
``F_A - F_B`` at the cursor, the predictions view the test images one run gets right and the other wrong. The
workspace (:class:`~cnnviz.gui.workspace.Workspace`) adds a session and closes the comparison (the window's File
menu: :func:`add_session_dialog`); opening a fork offers to show it with its parent (:func:`offer_parent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QWidget

from cnnviz.config import TrainConfig, make_config
from cnnviz.core import NetworkConfig
from cnnviz.errors import ConfigError, UserError
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.records import ParentRun
from cnnviz.session import SessionError, SessionReader, default_session_dir

MAIN_COLOUR = (31, 119, 180)  # the main run's colour while comparing (blue: its loss colour alone)
RUN_COLOURS = ((255, 127, 14), (23, 190, 207), (227, 119, 194), (188, 189, 34), (127, 127, 127), (148, 103, 189),
               (140, 86, 75))  # the compared runs', in the order they were added (orange, cyan, pink, ...)
# Settings that name a run in the legend (the others, such as how often it was evaluated, only in the table).
NAMING = ("preset", "input", "conv", "filter size", "padding", "pooling", "fc", "dropout", "epochs", "batch", "lr",
          "momentum", "schedule", "seed", "dtype")
CHANGES = frozenset({"runs", "position", "data"})  # what Comparison.changed carries
# The settings' names as the table's columns and the legend's names show them, in the window's language
# (settings_of's keys; marked here so that pyside6-lupdate finds them: see setting_name).
SETTING_NAMES = (
    QT_TRANSLATE_NOOP("Comparison", "preset"), QT_TRANSLATE_NOOP("Comparison", "input"),
    QT_TRANSLATE_NOOP("Comparison", "conv"), QT_TRANSLATE_NOOP("Comparison", "filter size"),
    QT_TRANSLATE_NOOP("Comparison", "padding"), QT_TRANSLATE_NOOP("Comparison", "pooling"),
    QT_TRANSLATE_NOOP("Comparison", "fc"), QT_TRANSLATE_NOOP("Comparison", "dropout"),
    QT_TRANSLATE_NOOP("Comparison", "epochs"), QT_TRANSLATE_NOOP("Comparison", "batch"),
    QT_TRANSLATE_NOOP("Comparison", "lr"), QT_TRANSLATE_NOOP("Comparison", "momentum"),
    QT_TRANSLATE_NOOP("Comparison", "schedule"), QT_TRANSLATE_NOOP("Comparison", "seed"),
    QT_TRANSLATE_NOOP("Comparison", "dtype"), QT_TRANSLATE_NOOP("Comparison", "eval every"),
    QT_TRANSLATE_NOOP("Comparison", "snapshot every"), QT_TRANSLATE_NOOP("Comparison", "probes"))


class CompareError(UserError):
    """A session that cannot join the comparison: one sentence."""


def _same(values) -> str:
    """One value where all are the same, else them all: ``3`` or ``3/5``."""
    values = [str(v) for v in values]
    return values[0] if values and len(set(values)) == 1 else "/".join(values) or "none"


def settings_of(config: TrainConfig) -> dict[str, str]:
    """A run's settings in words, by the names the legend and the table use (``lr``, ``momentum``, ``conv`` ...)."""
    net = config.network
    return {
        "preset": config.preset,
        "input": "×".join(map(str, net.input_shape)),
        "conv": ",".join(str(c.filters) for c in net.conv) or "none",
        "filter size": _same(c.size for c in net.conv),
        "padding": _same(c.padding for c in net.conv),
        "pooling": _same(c.pooling for c in net.conv),
        "fc": ",".join(map(str, net.fc)),
        "dropout": f"{net.dropout:g}",
        "epochs": str(config.epochs),
        "batch": str(config.batch_size),
        "lr": f"{config.lr:g}",
        "momentum": f"{config.momentum:g}",
        "schedule": config.lr_schedule,
        "seed": str(config.seed),
        "dtype": config.dtype,
        "eval every": str(config.eval_every) if config.eval_every else "epoch",
        "snapshot every": str(config.snapshot_every),
        "probes": str(config.n_probes),
    }


def setting_name(key: str) -> str:
    """A setting of :func:`settings_of` by its name in the window's language (``lr``: 学習率 in Japanese)."""
    return QCoreApplication.translate("Comparison", key)


def differing(configs: list[TrainConfig]) -> list[str]:
    """The settings (names of :func:`settings_of`) that are not the same in every configuration, in order."""
    settings = [settings_of(c) for c in configs]
    return [k for k in settings[0] if len({s[k] for s in settings}) > 1] if settings else []


def run_names(configs: list[TrainConfig], files: list[str]) -> list[str]:
    """What each run is called in the legend (see the module's docstring): what differs from its preset among
    the settings that differ between the runs, else the preset's name; identical configurations by file name,
    and a name that two runs would share with the file name after it."""
    settings = [settings_of(c) for c in configs]
    varying = [k for k in differing(configs) if k in NAMING]
    names = []
    for config, s in zip(configs, settings):
        try:
            preset = settings_of(make_config(config.preset))
        except ConfigError:  # a preset this version does not know: the main run is the reference
            preset = settings[0]
        parts = [f"{setting_name(k)} {s[k]}" for k in varying if s[k] != preset[k]]
        names.append(", ".join(parts) or config.preset)
    if not varying:
        return list(files)
    return [f"{name} ({file})" if names.count(name) > 1 else name for name, file in zip(names, files)]


def _conv_words(c) -> str:
    """A conv layer in words (not a function nested in another: pyside6-lupdate then loses the classes after it)."""
    return QCoreApplication.translate("Compare", "{k} filters of {m}×{m} ({padding}, {pooling} pooling)").format(
        k=c.filters, m=c.size, padding=c.padding, pooling=c.pooling)


def architecture_difference(a: NetworkConfig, b: NetworkConfig) -> str:
    """Why two networks' filters cannot be subtracted, in one sentence naming the first difference; "" when the
    architectures are the same (input, conv layers, fully connected sizes; dropout does not count)."""
    translate = QCoreApplication.translate
    if a.input_shape != b.input_shape:
        return translate("Compare", "A − B needs the same architecture: run A's input is {a}, run B's {b}.").format(
            a="×".join(map(str, a.input_shape)), b="×".join(map(str, b.input_shape)))
    if len(a.conv) != len(b.conv):
        return translate("Compare", "A − B needs the same architecture: run A has {a} conv layers, run B {b}."
                         ).format(a=len(a.conv), b=len(b.conv))
    for l, (x, y) in enumerate(zip(a.conv, b.conv), 1):
        if x != y:
            return translate("Compare", "A − B needs the same architecture: conv{l} of run A has {a}, run B's {b}."
                             ).format(l=l, a=_conv_words(x), b=_conv_words(y))
    if a.fc != b.fc:
        return translate("Compare", "A − B needs the same architecture: run A's fully connected sizes are {a}, run "
                         "B's {b}.").format(a=",".join(map(str, a.fc)), b=",".join(map(str, b.fc)))
    return ""


def right_in_one(labels: np.ndarray, a_predicted: np.ndarray, b_predicted: np.ndarray,
                 indices: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The test images (indices, ascending) that run A classifies right and run B wrong, and those B classifies
    right and A wrong: ``{i : a_i = t_i != b_i}`` and ``{i : b_i = t_i != a_i}``, with ``a``, ``b`` the predicted
    classes (``EvalRecord.predicted``) and ``t`` the labels; only among ``indices`` when given."""
    idx = np.arange(len(labels), dtype=np.int64) if indices is None else np.asarray(indices, dtype=np.int64)
    t, a, b = np.asarray(labels)[idx], np.asarray(a_predicted)[idx], np.asarray(b_predicted)[idx]
    return idx[(a == t) & (b != t)], idx[(b == t) & (a != t)]


@dataclass(eq=False)
class ComparedRun:
    """Another run in the comparison: its session, the model its replay feeds, its colour and its name."""

    path: Path
    model: RunModel
    replay: ReplaySource
    colour: tuple[int, int, int]
    name: str = ""

    @property
    def file(self) -> str:
        return self.path.name


class Comparison(QObject):
    """The runs shown beside the main one (see the module's docstring). ``changed`` carries a frozenset of
    :data:`CHANGES`: "runs" (added, removed, renamed), "position" (a compared run's shown snapshot or evaluation
    moved), "data" (a compared run grew, or its colour levels widened)."""

    changed = Signal(object)
    damaged = Signal(str)  # a compared run's snapshot or evaluation cannot be read: its sentence, once

    def __init__(self, main: RunModel):
        super().__init__(main)
        self.main = main
        self.runs: list[ComparedRun] = []
        self.main_name = ""
        self._following = False
        self._moved = False
        main.changed.connect(self._on_main)

    @property
    def active(self) -> bool:
        """Whether another run is compared."""
        return bool(self.runs) and self.main.start is not None

    def run(self, index: int) -> ComparedRun:
        return self.runs[index]

    # -- adding and removing ------------------------------------------------------------------------------------------

    def add(self, path: str | Path, data: str | None = None) -> ComparedRun:
        """Add the session at ``path`` (``data``: where to look first for its test images). SessionError (the
        reader's sentence) for a file that cannot be read, CompareError for one already shown; the runs shown
        stay as they were."""
        path = Path(path)
        if self.main.start is None:
            raise CompareError(self.tr("{name} cannot be compared: no run is shown to compare it with.").format(
                name=path.name))
        shown = [Path(self.main.source)] + [r.path for r in self.runs]
        if any(_same_file(path, p) for p in shown):
            raise CompareError(self.tr("{path} is already shown.").format(path=path))
        model = RunModel(self)
        replay = ReplaySource(model, model)
        try:
            replay.open(path, data=data)
        except BaseException:
            model.deleteLater()
            raise
        used = {r.colour for r in self.runs}
        colour = next((c for c in RUN_COLOURS if c not in used), RUN_COLOURS[len(self.runs) % len(RUN_COLOURS)])
        run = ComparedRun(path, model, replay, colour)
        self.runs.append(run)
        model.changed.connect(self._on_run)
        model.damaged.connect(self.damaged)
        self._rename()
        self._follow()
        self.changed.emit(frozenset({"runs", "position"}))
        return run

    def remove(self, run: ComparedRun) -> None:
        """Take ``run`` out of the comparison (its session is closed)."""
        if run not in self.runs:
            return
        self.runs.remove(run)
        run.replay.close()
        run.model.close()
        run.model.deleteLater()
        self._rename()
        self.changed.emit(frozenset({"runs"}))

    def clear(self) -> None:
        """Take every other run out."""
        if not self.runs:
            return
        for run in self.runs:
            run.replay.close()
            run.model.close()
            run.model.deleteLater()
        self.runs = []
        self._rename()
        self.changed.emit(frozenset({"runs"}))

    # -- names and differences ----------------------------------------------------------------------------------------

    def configs(self) -> list[TrainConfig]:
        """The main run's configuration, then each compared run's."""
        return [self.main.start.config] + [r.model.start.config for r in self.runs]

    def files(self) -> list[str]:
        return [Path(self.main.source).name or self.tr("main run")] + [r.file for r in self.runs]

    def _rename(self) -> None:
        if not self.runs or self.main.start is None:
            self.main_name = ""
            return
        names = run_names(self.configs(), self.files())
        self.main_name = names[0]
        for run, name in zip(self.runs, names[1:]):
            run.name = name

    def names(self) -> list[str]:
        """Every run's name: the main run's first."""
        return [self.main_name] + [r.name for r in self.runs]

    def differences(self) -> tuple[list[str], list[list[str]]]:
        """The settings that differ between the runs, and each run's values of them (the main run's row first)."""
        if not self.active:
            return [], []
        configs = self.configs()
        keys = differing(configs)
        return keys, [[settings_of(c)[k] for k in keys] for c in configs]

    # -- one timeline ---------------------------------------------------------------------------------------------

    def step_of(self, run: ComparedRun) -> int:
        """The step ``run`` shows for the main run's cursor: the cursor, clipped to the steps the run has (its
        first snapshot's step up to its last step)."""
        m = run.model
        first = m.snapshots.steps[0] if len(m.snapshots) else 0
        return int(min(max(self.main.step, first), max(m.last_step, first)))

    def _follow(self) -> None:
        """Move every compared run to the main run's cursor."""
        self._following, self._moved = True, False
        try:
            for run in self.runs:
                if run.model.start is not None:
                    run.model.seek(self.step_of(run))
        finally:
            self._following = False

    def _on_main(self, changes) -> None:
        if not self.runs:
            return
        if "run" in changes:
            if self.main.start is None:
                self.clear()
                return
            self._rename()
        if changes & {"run", "step", "snapshot", "data"}:
            self._follow()
            if self._moved or "run" in changes:
                self.changed.emit(frozenset({"position"} | ({"runs"} if "run" in changes else set())))

    def _on_run(self, changes) -> None:
        """A compared run's model (the sender) changed. A slot of the comparison, not a closure over it: the model's
        connection held the closure where the cycle collector cannot see it, and with it the comparison and the
        main run's model, for good."""
        if changes & {"snapshot", "eval"}:
            if self._following:
                self._moved = True
            else:
                self.changed.emit(frozenset({"position"}))
        if changes & {"data", "levels", "end"} and any(r.model is self.sender() for r in self.runs):
            if "data" in changes and not self._following:
                self._follow()
            self.changed.emit(frozenset({"data"}))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def find_parent(parent: ParentRun, child: Path) -> Path | None:
    """The parent session of a fork where it is at hand: at the path recorded when the fork was made, else under
    its file name beside the child; only a file whose ``created`` time is the recorded one (None otherwise)."""
    candidates = [Path(parent.path)] if parent.path else []
    if parent.file:
        candidates.append(child.parent / parent.file)
    for path in dict.fromkeys(candidates):
        if not path.is_file() or _same_file(path, child):
            continue
        try:
            with SessionReader(path) as reader:
                created = reader.created
        except SessionError:
            continue
        if not parent.created or created == parent.created:
            return path
    return None


# -- the window's part ---------------------------------------------------------------------------------------------

def add_session_dialog(parent: QWidget, workspace) -> None:
    """File > Add session to compare: the sessions chosen join the comparison of ``workspace``."""
    translate = QCoreApplication.translate
    paths, _ = QFileDialog.getOpenFileNames(parent, translate("Compare", "Add sessions to compare"),
                                            str(default_session_dir()),
                                            translate("Compare", "cnnviz sessions (*.h5);;All files (*)"))
    for path in paths:
        workspace.compare(path)


def offer_parent(parent: QWidget, workspace) -> QMessageBox | None:
    """After a fork's session is opened in ``workspace``: where its parent's session is at hand (and not compared
    yet), a message that does not block offers to show them together; the box (shown over ``parent``), or None."""
    reader = workspace.replay.reader
    if reader is None or reader.parent is None or workspace.replay.path is None:
        return None
    run = reader.parent
    path = find_parent(run, workspace.replay.path)
    if path is None or any(_same_file(path, r.path) for r in workspace.comparison.runs):
        return None
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Question, translate("Compare", "A fork of another run"),
                      translate("Compare", "{fork} continues {parent} from step {step}. Show the two runs together?"
                                ).format(fork=workspace.replay.path.name, parent=path.name, step=run.step),
                      QMessageBox.StandardButton.NoButton, parent)
    compare = box.addButton(translate("Compare", "Compare with its parent"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Compare", "Not now"), QMessageBox.ButtonRole.RejectRole)
    compare.clicked.connect(lambda: workspace.compare(path))
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box


class RunChooser:
    """A view's two boxes for compare mode: what it shows (``modes``, key -> words; the first key is what it shows
    whenever nothing is compared) and run B, the compared run it shows. Both hide while nothing is compared; run B
    stays chosen while it is compared. The view connects to the boxes' ``currentIndexChanged`` and calls
    :meth:`refill` when the compared runs change."""

    def __init__(self, comparison: Comparison, modes: dict[str, str], tooltip: str):
        self.comparison, self.modes = comparison, modes
        self.mode_box = QComboBox()
        self.mode_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, text in modes.items():
            self.mode_box.addItem(text, key)
        self.mode_box.setToolTip(tooltip)
        self.run_box = QComboBox()
        self.run_box.setToolTip(QCoreApplication.translate("Compare", "Run B: the compared run"))
        self.run_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_box.setMinimumContentsLength(8)  # a long name is cut rather than widening the view
        self._chosen: ComparedRun | None = None
        self.run_box.currentIndexChanged.connect(self._on_run)  # first: the view's slots read run()
        for box in (self.mode_box, self.run_box):
            box.setProperty("remember", False)  # they belong to the comparison, not the view
            box.hide()

    def mode(self) -> str:
        """The key of what is shown (the first of ``modes`` whenever nothing is compared)."""
        return self.mode_box.currentData() if self.comparison.active else next(iter(self.modes))

    def set_mode(self, mode: str, run: ComparedRun | None = None) -> None:
        """Show ``mode`` (a key of ``modes``) with ``run`` as run B (default: the one chosen)."""
        if run is not None:
            self.run_box.setCurrentIndex(self.comparison.runs.index(run))
        self.mode_box.setCurrentIndex(list(self.modes).index(mode))

    def run(self) -> ComparedRun | None:
        """Run B: the compared run chosen, or None."""
        runs, i = self.comparison.runs, self.run_box.currentIndex()
        return runs[i] if self.comparison.active and 0 <= i < len(runs) else None

    def refill(self) -> None:
        """After the compared runs changed: the run box lists them (without its signals: the view redraws once,
        after), and both boxes show while something is compared."""
        runs, box = self.comparison.runs, self.run_box
        box.blockSignals(True)
        box.clear()
        for run in runs:
            box.addItem(f"B: {run.name}", run.file)
        if self._chosen in runs:
            box.setCurrentIndex(runs.index(self._chosen))
        box.blockSignals(False)
        self._on_run()
        for box in (self.mode_box, self.run_box):
            box.setVisible(self.comparison.active)

    def _on_run(self, *_) -> None:
        self._chosen = self.run()
