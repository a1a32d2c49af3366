"""Guards between copies of planner sharing one store file.

Every copy that has the store open holds a shared lock on a lock file beside it; a copy that
finds the store damaged moves it aside only when it can take that lock exclusively, so it never
moves a store out from under a running window. And a copy checks, before each write, that the
file at the store's path is still the one it opened (device and inode), so a store replaced by
something else is noticed instead of written to in its moved-away copy.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be renamed there anyway
    fcntl = None  # type: ignore[assignment]

FileId = tuple[int, int]

# How long a copy that found damage waits for others that are just opening (and will find
# the same damage and let go) before it decides another copy really has the store open.
EXCLUSIVE_WAIT_S = 2.0
_POLL_S = 0.02


def file_id(path: Path) -> FileId | None:
    """(device, inode) of the file at ``path``; None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class OpenLock:
    """A shared lock held while the store is open; exclusive while it is moved aside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def _ensure_fd(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:  # a read-only folder: nothing will be moved aside from here
                return None
        return self._fd

    def share(self) -> None:
        """Say "this copy has the store open" (waits while another copy moves it aside)."""
        fd = self._ensure_fd()
        if fd is not None and fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def try_exclusive(self, wait_s: float = EXCLUSIVE_WAIT_S) -> bool:
        """True when no other copy has the store open (then this one holds it alone)."""
        fd = self._ensure_fd()
        if fd is None or fcntl is None:
            return True  # no locks here, or a folder we cannot write (moving fails too)
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_S)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # also drops the lock
            self._fd = None
