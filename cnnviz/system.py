"""What the machine offers a run: the memory available now, and byte counts written for people; Ctrl-C held back
while Qt loads. No Qt, no h5py: the configuration's rules, the data loader and the session reader ask it alike."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import threading
from collections.abc import Iterator

__all__ = ["available_memory", "format_bytes", "interrupt_after"]

UNLIMITED = 1 << 62  # where nothing can be read: no limit known


def _status_bytes(key: str) -> int | None:
    """A "VmSize:"-style line of /proc/self/status in bytes (None where there is none)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def available_memory() -> int:
    """Bytes this process can still allocate now: the machine's available memory (Linux's MemAvailable; elsewhere
    the free physical pages), and no more than what its own limits leave (``ulimit -v``, RLIMIT_AS, less the address
    space it uses; RLIMIT_DATA less its data segment); a very large number where none of these can be read."""
    found = UNLIMITED
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    found = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        try:
            found = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            pass
    for limit, used in ((resource.RLIMIT_AS, "VmSize:"), (resource.RLIMIT_DATA, "VmData:")):
        soft = resource.getrlimit(limit)[0]
        if soft != resource.RLIM_INFINITY:
            found = min(found, max(0, soft - (_status_bytes(used) or 0)))
    return found


def format_bytes(n: int) -> str:
    """``n`` bytes for people: "1.2 GB", "340 MB", "12 KB"."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


@contextlib.contextmanager
def interrupt_after() -> Iterator[None]:
    """Hold Ctrl-C back while the block runs (Qt's libraries loading: a KeyboardInterrupt raised inside PySide's
    initialisation aborted the process, SIGABRT, in 2 of 8 tries), then raise it once the block is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
