"""The mistakes a user can make, each told in one sentence: a dialog in the window, one line and exit status 2
on the command line, never a traceback (a traceback is for our bugs only).

:class:`UserError` is the one base class: whoever reports a mistake (``cnnviz.options.report``, the window, the
training worker) recognises it by this class, whatever layer raised it. No imports: every layer may raise these.
"""

from __future__ import annotations


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
