"""Writing a user's files without ever losing one: the one rule every writer of cnnviz asks (sessions, CSV exports,
downloads).

A file is written under a hidden temporary name beside its destination and given its name only once it is
complete (and, for a download, checked); giving it its name never replaces a file that is there, unless the caller
says that replacing is what the user asked for. A set of files (an export) is published together or not at all.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

__all__ = ["TEMPORARY_EXTRA", "publish", "publish_all", "temporary_path"]


TEMPORARY_EXTRA = len(".") + len(".") + 8 + len(".part")  # what temporary_path adds to a name: ".NAME.XXXXXXXX.part"


def temporary_path(path: Path) -> Path:
    """A new, empty file beside ``path`` to write into before :func:`publish`: hidden (``.NAME.XXXXXXXX.part``),
    unique to this writer (two writers aiming at one path never share it), with the permissions the umask gives any
    new file (not the 0600 of :func:`tempfile.mkstemp`)."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:
            continue


def publish(tmp: Path, path: Path, *, replace: bool = False) -> None:
    """Give the finished temporary file ``tmp`` the name ``path``; ``tmp`` is removed either way.

    Without ``replace`` it never replaces a file: FileExistsError if ``path`` exists, even if it appeared a moment
    ago. A hard link is atomic and fails on an existing name; where the file system has no hard links, the fallback
    is a check and a rename, which a file appearing in between could still lose to. With ``replace`` the rename
    replaces ``path`` atomically: readers see the old file or the new one, never a part of either."""
    try:
        if replace:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        except OSError:
            if path.exists() or path.is_symlink():
                raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
            os.rename(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def publish_all(pairs: Iterable[tuple[Path, Path]], *, replace: bool = False) -> None:
    """Publish each finished ``(tmp, path)`` pair, together or not at all: if one cannot be published (a name taken
    meanwhile), those this call published are removed again (they are its own files) and the error is raised. Every
    ``tmp`` is removed either way. With ``replace`` the files replace theirs one after the other."""
    pairs = list(pairs)
    done: list[Path] = []
    try:
        for tmp, path in pairs:
            publish(tmp, path, replace=replace)
            done.append(path)
    except BaseException:
        if not replace:
            for path in done:
                path.unlink(missing_ok=True)
        raise
    finally:
        for tmp, _ in pairs:
            tmp.unlink(missing_ok=True)
