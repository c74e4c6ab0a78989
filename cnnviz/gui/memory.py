"""What the window remembers between starts: the training form, its data choice, and every view's choices.

Kept in the window's settings file (:func:`cnnviz.gui.app.settings`, a QSettings INI file), next to the dock
layout, as JSON values:

- ``form/config``: the form's :class:`~cnnviz.config.TrainConfig` (``to_dict``), saved when the window closes
  if the form is valid (an invalid form leaves the last valid one remembered);
- ``form/data``: its :class:`~cnnviz.gui.views.controls.DataSpec` (the sample, a folder, the limits);
- ``choices/<view>``: ``{name: value}`` of the view's choices: every combo box, check box, radio button, spin
  box and slider that is an attribute of the view (``self.x_axis``), named by its objectName if it has one,
  else by the attribute's name. The selection (which image, layer, stage, channel) belongs to the run, not a
  choice: :class:`LayerBox`, the :class:`ImageChooser`'s boxes, :data:`NOT_REMEMBERED` names (also what a view
  resets for each run) and any widget whose ``remember`` property is False are left out.

The command line wins: when it names a network or training option, the form is not restored (the options
fill it), and when it names a data option (``--data``, ``--limit-train``...), the data choice is not restored.
:meth:`Memory.reset` ("Reset settings") forgets it all and shows what the window showed without it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QRadioButton, QSlider, QWidget

from cnnviz.config import TrainConfig
from cnnviz.gui.views.common import LayerBox
from cnnviz.gui.views.controls import ControlsView
from cnnviz.options import DataSpec

FORM_OPTIONS = frozenset({"conv", "fc", "filter_size", "padding", "pooling", "dropout", "preset", "epochs",
                          "batch_size", "lr", "momentum", "lr_schedule", "seed", "dtype", "eval_every",
                          "snapshot_every"})  # the command line's options that fill the form's network and training
DATA_OPTIONS = frozenset({"data", "download", "limit_train", "limit_test"})
# Widgets that show the model's selection or the timeline's cursor (the channel or filter k, the stage u/a/p, the
# unit and its position: a new run starts from the first), or that their view resets for each run ("misclassified
# only"). A view can leave out another one with ``widget.setProperty("remember", False)``.
NOT_REMEMBERED = frozenset({"channel_box", "stage_box", "k_box", "kind_box", "row_box", "col_box", "unit_box",
                            "slider", "wrong_only"})
REMEMBERED = (QComboBox, QCheckBox, QRadioButton, QAbstractSpinBox, QSlider)
FORM, CHOICES = "form", "choices"


def given_options(parser: argparse.ArgumentParser, argv: Sequence[str]) -> frozenset[str]:
    """The options that ``argv`` gives (their dests), even those given at their default value (``--seed 0``)."""
    for action in parser._actions:  # argparse has no public list of its actions
        action.default = argparse.SUPPRESS
    return frozenset(vars(parser.parse_args(list(argv))))


def _given(args: argparse.Namespace, parser: argparse.ArgumentParser) -> frozenset[str]:
    """``args.given`` (set by the window's ``main`` from its argv), else the options that differ from the
    parser's defaults."""
    given = getattr(args, "given", None)
    if given is not None:
        return frozenset(given)
    return frozenset(k for k, v in vars(args).items() if v != parser.get_default(k))


def remembered_widgets(view: QWidget) -> dict[str, QWidget]:
    """The view's choices by name (see the module's docstring)."""
    found: dict[str, QWidget] = {}
    for attribute, widget in vars(view).items():
        if not isinstance(widget, REMEMBERED) or isinstance(widget, LayerBox):
            continue
        if attribute in NOT_REMEMBERED or widget.property("remember") is False:
            continue
        found[widget.objectName() or attribute] = widget
    return found


def read(widget: QWidget):
    """A choice's value, as JSON holds it: a combo box's key (its item's data, where it is a text: the same in every
    language) or text, a box's check state, a spin box's or slider's value."""
    if isinstance(widget, QComboBox):
        return widget.currentData() if isinstance(widget.currentData(), str) else widget.currentText()
    if isinstance(widget, (QCheckBox, QRadioButton)):
        return widget.isChecked()
    return widget.value()


def write(widget: QWidget, value) -> bool:
    """Show ``value`` in ``widget`` (emitting its signals, so that the view follows); False, the widget unchanged,
    for a value it cannot hold (an item it no longer has, a number out of its range, a wrong type)."""
    if isinstance(widget, QComboBox):
        index = max(widget.findData(value), widget.findText(value)) if isinstance(value, str) else -1
        if index < 0:
            return False
        widget.setCurrentIndex(index)
    elif isinstance(widget, (QCheckBox, QRadioButton)):
        if not isinstance(value, bool):
            return False
        widget.setChecked(value)
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not widget.minimum() <= value <= widget.maximum():
            return False
        widget.setValue(float(value) if isinstance(widget, QDoubleSpinBox) else int(value))
    return True


class Memory:
    """The form's and the views' remembered values. Made once the window is built: what the form and the views
    show then (the command line's options, else the defaults) is what :meth:`reset` returns to."""

    def __init__(self, controls: ControlsView, views: Mapping[str, QWidget]):
        self.controls = controls
        self.views = {key: view for key, view in views.items() if view is not controls}
        self.default_form = self._form()
        self.default_choices = self.choices()

    def _form(self) -> tuple[TrainConfig, DataSpec] | None:
        try:
            return self.controls.config(), self.controls.data_spec()
        except ValueError:  # ConfigError: the form shows a problem
            return None

    def choices(self) -> dict[str, dict]:
        """``{view: {name: value}}`` of every view's choices now."""
        return {key: {name: read(w) for name, w in remembered_widgets(view).items()}
                for key, view in self.views.items()}

    def show_choices(self, choices: Mapping[str, Mapping]) -> None:
        for key, values in choices.items():
            widgets = remembered_widgets(self.views[key]) if key in self.views else {}
            for name, value in values.items():
                if name in widgets:
                    write(widgets[name], value)

    # -- settings -----------------------------------------------------------------------------------------------

    def save(self, settings: QSettings) -> None:
        """Remember the form (if it is valid) and every view's choices."""
        form = self._form()
        if form is not None:
            config, data = form
            settings.setValue(f"{FORM}/config", json.dumps(config.to_dict()))
            settings.setValue(f"{FORM}/data", json.dumps(dataclasses.asdict(dataclasses.replace(data, download=False))))
        for key, values in self.choices().items():
            settings.setValue(f"{CHOICES}/{key}", json.dumps(values))

    def restore(self, settings: QSettings, args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
        """Show what was remembered, except where the command line gave options (see the module's docstring);
        a remembered value that is no longer possible is left out, without a word."""
        given = _given(args, parser)
        config = None if given & FORM_OPTIONS else _load(settings, f"{FORM}/config")
        data = None if given & DATA_OPTIONS else _load(settings, f"{FORM}/data")
        try:
            config = None if not isinstance(config, dict) else TrainConfig.from_dict(config)
        except (TypeError, ValueError, KeyError, AttributeError):  # ConfigError is a ValueError
            config = None
        if config is not None and self.default_form is not None:  # not form fields: the command line's
            current = self.default_form[0]
            config = dataclasses.replace(config, threads=current.threads, n_probes=current.n_probes)
        try:
            names = {f.name for f in dataclasses.fields(DataSpec)}
            data = DataSpec(**{k: v for k, v in data.items() if k in names}) if isinstance(data, dict) else None
        except (TypeError, ValueError):
            data = None
        if config is not None:
            try:
                self.controls.set_config(config, data)
            except ValueError:  # more conv layers than the form holds
                config = None
        if config is None and data is not None:
            self.controls.set_data(data)
        for key in self.views:
            values = _load(settings, f"{CHOICES}/{key}")
            if isinstance(values, dict):
                self.show_choices({key: values})

    def reset(self, settings: QSettings | None = None) -> None:
        """Forget what was remembered; the form (unless a run is going on) and the views show what they showed
        when the window was built, before :meth:`restore`."""
        if self.default_form is not None and not self.controls.running:
            self.controls.set_config(*self.default_form)
        self.show_choices(self.default_choices)
        if settings is not None:
            settings.remove(FORM)
            settings.remove(CHOICES)
            settings.sync()


def _load(settings: QSettings, key: str):
    text = settings.value(key)
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
