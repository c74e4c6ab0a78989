"""The mistakes a user can make, each told in one sentence: a dialog in the window, one line and exit status 2
on the command line, never a traceback (a traceback is for our bugs only).

:class:`UserError` is the one base class: whoever reports a mistake (``cnnviz.options.report``, the window, the
training worker) recognises it by this class, whatever layer raised it. Every layer may raise these (this module
imports NumPy only). :func:`format_number` writes a number in such a sentence as one would type it; :func:`sentence`
makes a message (written to follow "cnnviz: " on the command line) a sentence for a dialog or a form.

The window shows these sentences in its language, the command line in English: a Qt-free layer marks a sentence
with :func:`QT_TRANSLATE_NOOP` (which ``pyside6-lupdate`` finds) and makes it a :class:`Text` with :func:`problem`,
a template and its values; the window translates the template and fills in the values
(:func:`cnnviz.gui.i18n.translated`).
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np


class UserError(ValueError):
    """A user's mistake; str() is one sentence naming the thing and what is wrong with it.

    ``XError.said(QT_TRANSLATE_NOOP(XError.context, template), **values)`` makes one whose sentence the window
    translates (:class:`Text`; str() stays the English)."""

    context = "problems"  # the translation context of the class's sentences

    @classmethod
    def said(cls, template: str, **values) -> UserError:
        """This error of the sentence ``template`` (marked in :attr:`context`) with ``values`` filled in."""
        return cls(Text(cls.context, template, **values))


class ConfigError(UserError):
    """An impossible setting or architecture; the sentence names the setting (or the layer) and the values.

    ``field`` is the name of the setting that is wrong, as :class:`cnnviz.config.TrainConfig` and
    :class:`cnnviz.core.NetworkConfig` call it ("lr", "momentum", "fc", "conv"...), or "" where no one setting is
    (a form shows the sentence beside that field)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class DataError(UserError):
    """A problem with data files or a data set; the sentence names the file and what is wrong."""

    context = "Data"


class SessionError(UserError):
    """A session file that cannot be written or read; the sentence names the file and the problem."""

    context = "Session"


class UsageError(UserError):
    """A mistake on the command line (an unknown option, a missing argument)."""


def format_number(value: float) -> str:
    """A value as one would type it: 0.1, 0.00001, 3, -0.2 (no trailing zeros, no exponent)."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    return np.format_float_positional(value, precision=15, unique=True, trim="-")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name pyside6-lupdate looks for)
    """Mark ``text`` (a literal) for translation in ``context``, without Qt; ``text`` unchanged."""
    return text


class Text(str):
    """An English sentence that the window can show in its language: ``str()`` is the English (what the command line
    prints); :attr:`template` (marked with :func:`QT_TRANSLATE_NOOP` in :attr:`context`) and :attr:`values` are what
    the window translates. A value may be a :class:`Text` too (a setting's name)."""

    template: str
    context: str
    values: dict

    def __new__(cls, context: str, template: str, **values) -> Text:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template, text.context, text.values = template, context, values
        return text


def problem(template: str, **values) -> Text:
    """A sentence of the configuration's rules: ``template`` marked with ``QT_TRANSLATE_NOOP("problems", ...)``."""
    return Text("problems", template, **values)


def joined(parts: list[Text], separator: str) -> Text:
    """``parts`` joined by ``separator``, each translated by the window (the joining itself is not: context "")."""
    return Text("", separator.join(f"{{p{i}}}" for i in range(len(parts))), **{f"p{i}": p for i, p in enumerate(parts)})


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter (unless it starts with a path or a layer's name, "conv2: ..."),
    and a full stop (。 after Japanese)."""
    text = text.strip()
    if text and not text.startswith(("/", ".")) and not re.match(r"(conv|fc)\d", text):
        text = text[0].upper() + text[1:]
    if text.endswith((".", "。")):
        return text
    return text + ("。" if text and unicodedata.east_asian_width(text[-1]) in ("W", "F") else ".")  # Japanese
