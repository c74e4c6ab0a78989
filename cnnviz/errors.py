"""The mistakes a user can make, each told in one sentence: a dialog in the window, one line and exit status 2
on the command line, never a traceback (a traceback is for our bugs only).

:class:`UserError` is the one base class: whoever reports a mistake (``cnnviz.options.report``, the window, the
training worker) recognises it by this class, whatever layer raised it. Every layer may raise these (this module
imports NumPy only). :func:`format_number` writes a number in such a sentence as one would type it; :func:`sentence`
makes a message (written to follow "cnnviz: " on the command line) a sentence for a dialog or a form.
"""

from __future__ import annotations

import math
import re

import numpy as np


class UserError(ValueError):
    """A user's mistake; str() is one sentence naming the thing and what is wrong with it."""


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


class SessionError(UserError):
    """A session file that cannot be written or read; the sentence names the file and the problem."""


class UsageError(UserError):
    """A mistake on the command line (an unknown option, a missing argument)."""


def format_number(value: float) -> str:
    """A value as one would type it: 0.1, 0.00001, 3, -0.2 (no trailing zeros, no exponent)."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    return np.format_float_positional(value, precision=15, unique=True, trim="-")


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter (unless it starts with a path or a layer's name, "conv2: ..."),
    and a full stop."""
    text = text.strip()
    if text and not text.startswith(("/", ".")) and not re.match(r"(conv|fc)\d", text):
        text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."
