"""Whether the disk under the data folder is full, in words a user can act on.

SQLite reports a full disk as ``SQLITE_FULL`` only sometimes: when the WAL index (``-shm``) or
the journal cannot grow it says "disk I/O error" (``SQLITE_IOERR_*``). The file system knows
better, so the store asks it before it blames the disk.
"""

from __future__ import annotations

import os
from pathlib import Path

# Less than this is full for planner: a star commit and its journal need a few pages of 4 kB.
FULL_BELOW_BYTES = 1024 * 1024


def disk_full_reason(folder: Path) -> str | None:
    """"the disk is full: …" naming the disk (its mount point) and the folder, or None."""
    existing = _existing_ancestor(folder)
    if existing is None:
        return None
    try:
        info = os.statvfs(existing)
    except (OSError, AttributeError):  # AttributeError: no statvfs on this platform
        return None
    blocks = info.f_bfree if _is_root() else info.f_bavail
    free = blocks * info.f_frsize
    if free >= FULL_BELOW_BYTES and (info.f_files == 0 or info.f_favail > 0):
        return None
    mount = _mount_point(existing)
    where = f"{mount} (which holds {folder})" if mount != folder else str(folder)
    if free >= FULL_BELOW_BYTES:
        return f"the disk is full: {where} has no free file entries (inodes) left"
    return f"the disk is full: {where} has {_size(free)} free"


def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return bool(geteuid is not None and geteuid() == 0)


def _existing_ancestor(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return None


def _mount_point(path: Path) -> Path:
    resolved = path.resolve()
    try:
        device = resolved.stat().st_dev
        while resolved.parent != resolved and resolved.parent.stat().st_dev == device:
            resolved = resolved.parent
    except OSError:
        pass
    return resolved


def _size(free: int) -> str:
    if free < 1024:
        return f"{free} bytes"
    return f"{free // 1024} kB"
