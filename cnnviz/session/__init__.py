"""HDF5 session files: one file per training run, enough to replay it in every view without training again.

:mod:`.schema` (the format, its constants, where sessions go), :mod:`.writer` (:class:`SessionWriter`) and
:mod:`.reader` (:class:`SessionReader`). No Qt here; only this package imports h5py.
"""

from cnnviz.session.reader import SessionReader
from cnnviz.session.schema import (
    FORMAT,
    FORMAT_VERSION,
    METRICS,
    STATUSES,
    SessionError,
    default_session_dir,
    default_session_path,
    short_config,
)
from cnnviz.session.writer import SessionWriter

__all__ = [
    "FORMAT", "FORMAT_VERSION", "STATUSES", "METRICS", "SessionError", "SessionWriter", "SessionReader",
    "default_session_dir", "default_session_path", "short_config",
]
