"""The ``cnnviz`` command's entry point (the installed ``cnnviz`` and ``python -m cnnviz``): what must hold before
anything heavy is imported (NumPy, h5py, Qt take a few tenths of a second).

- Ctrl-C while they load is one line and status 130, not a KeyboardInterrupt traceback.
- A standard stream that is closed (``>&-``) reads as the null device: nothing printed, nothing failed.
- Standard error never ends a run: where it cannot be written (a full disk, a reader that went away, as in
  ``cnnviz train ... 2>&1 | head -2``) the text is dropped, since there is nowhere left to say so, and the run and
  its session go on.
- Standard output that cannot be written (``> /dev/full``) is one line on standard error and status 1; a closed
  pipe (``cnnviz info FILE | head -3``) ends quietly with 141, as :func:`cnnviz.cli.main` says.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


class OutputFailed(Exception):
    """Standard output could not be written (a full disk, say); the ``OSError`` is the cause."""


class _Stream:
    """A standard stream that says how its writes fail: ``tolerant`` drops what cannot be written; otherwise an
    ``OSError`` other than a closed pipe becomes :class:`OutputFailed`."""

    def __init__(self, stream, tolerant: bool):
        self._stream, self._tolerant = stream, tolerant

    def _guard(self, call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            if not self._tolerant:
                raise
        except (OSError, ValueError) as e:
            if not self._tolerant:
                raise OutputFailed(getattr(e, "strerror", None) or str(e)) from None
        return len(args[0]) if args else None

    def write(self, text: str) -> int:
        return self._guard(self._stream.write, text)

    def flush(self) -> None:
        self._guard(self._stream.flush)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def guard_streams() -> None:
    """Closed standard streams become the null device; standard error is tolerant, standard output says how it
    failed (see the module docstring)."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:  # closed when Python started: keep its file descriptor from other files
            setattr(sys, name, open(os.devnull, "r" if name == "stdin" else "w"))
    sys.stdout = _Stream(sys.stdout, tolerant=False)
    sys.stderr = _Stream(sys.stderr, tolerant=True)


def main(argv: Sequence[str] | None = None) -> int:
    guard_streams()
    try:
        from cnnviz.cli import main as run
    except KeyboardInterrupt:
        print("cnnviz: interrupted.", file=sys.stderr)
        return 130
    try:
        return run(argv)
    except OutputFailed as e:
        print(f"cnnviz: cannot write to standard output ({e}).", file=sys.stderr)
        _discard_stdout()
        return 1


def _discard_stdout() -> None:
    """What is still buffered for standard output goes to the null device at exit (instead of failing again there
    with "Exception ignored ...")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
