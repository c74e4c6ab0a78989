"""Opening a session file: read-only, or one sentence saying why it cannot be (:func:`open_session`); and whether a
writer holds it open now (:func:`being_written`)."""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import h5py

from cnnviz.errors import QT_TRANSLATE_NOOP, Text
from cnnviz.session.schema import CHUNK_CACHE, SessionError


def open_session(path: Path) -> h5py.File:
    """The file opened read-only, or SessionError saying why it cannot be (a sentence the window translates)."""
    if not path.exists():
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} does not exist."), path=path))
    if path.is_dir():
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} is a directory, not a session file."),
                                path=path))
    try:
        size = path.stat().st_size
        is_hdf5 = size > 0 and h5py.is_hdf5(path)
    except OSError as e:
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} cannot be read ({why})."), path=path,
                                why=e.strerror or e)) from None
    if size == 0:
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} is empty, not a cnnviz session file."),
                                path=path))
    if not is_hdf5:
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} is not an HDF5 file, so not a cnnviz "
                                                             "session."), path=path))
    try:
        # Never the file's lock: a reader must not stop a writer from opening its session (as it does right after
        # publishing it), and it trusts only the rows a writer committed (the groups' ``count`` attributes).
        try:
            return h5py.File(path, "r", locking=False, rdcc_nbytes=CHUNK_CACHE)
        except OSError as e:
            if "locking flag" not in str(e):
                raise
            # Already open in this process by its writer, with locking (HDF5 wants the same flags).
            return h5py.File(path, "r")
    except OSError as e:
        detail = str(e).split("(", 1)[-1].rstrip(")") if "(" in str(e) else str(e)
        if "truncated" in str(e):
            sizes = re.search(r"eof = (\d+).*stored_eof = (\d+)", str(e))
            detail = Text("Session", QT_TRANSLATE_NOOP("Session", "it has {n} of its {size} bytes"),
                          n=f"{int(sizes[1]):,}", size=f"{int(sizes[2]):,}") if sizes else detail
            raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} is truncated: {detail}."),
                                    path=path, detail=detail)) from None
        raise SessionError(Text("Session", QT_TRANSLATE_NOOP("Session", "{path} is damaged and cannot be opened as HDF5 "
                                                             "({detail})."), path=path, detail=detail)) from None


def being_written(path: str | Path) -> bool:
    """Whether a writer holds the session file open now (HDF5's lock on it is taken). A file whose status is
    still "running" but that no writer holds was interrupted (the writer was killed)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
