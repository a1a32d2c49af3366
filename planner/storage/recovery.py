"""Telling a damaged store from a healthy one, and moving a damaged one aside.

:class:`planner.storage.store.Store` decides *when* to recover (at start-up, or when damage
shows while running); this module holds the checks that find the damage, the rename that keeps
the damaged file for the user, the copy that shows the stars of a store that cannot be written,
and the lock that keeps two copies of the app from moving files at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from planner.storage import schema


class DamagedStore(Exception):
    """The file is not a store this version can use; it is moved aside."""


class Unwritable(Exception):
    """The folder or file cannot be written; the stars are opened read-only."""


def check_readable(conn: sqlite3.Connection) -> int:
    """The schema version of a store that passes SQLite's own check; else DamagedStore."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > schema.SCHEMA_VERSION:
        raise DamagedStore(f"it was written by a newer planner (schema {version})")
    if version < 0:
        raise DamagedStore(f"unknown schema version {version}")
    # integrity_check, not quick_check: a damaged index that quick_check passes would fail
    # every later lookup of the user's stars (15 ms for 20,000 stars).
    check = conn.execute("PRAGMA integrity_check(20)").fetchone()[0]
    if check != "ok":
        raise DamagedStore(f"integrity check failed: {check}")
    return version


def check_tables(conn: sqlite3.Connection) -> None:
    for table, needed in schema.COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not needed <= present:
            raise DamagedStore(f"its {table} table is missing or incomplete")


def copy_store_into(path: Path, target: sqlite3.Connection) -> None:
    """Copy a store we may not write (read-only folder) into ``target``, WAL included.

    SQLite needs to create ``-shm`` beside a WAL database even to read it, so the files are
    copied to a private temporary folder and opened there.
    """
    with tempfile.TemporaryDirectory(prefix="planner-store-") as scratch:
        copy = Path(scratch) / path.name
        shutil.copyfile(path, copy)
        wal = Path(str(path) + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
        source = sqlite3.connect(copy, isolation_level=None)
        try:
            check_readable(source)
            source.backup(target)
        finally:
            source.close()


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its -wal and -shm) to a free ``NAME.damaged-STAMP`` name."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while any(Path(str(target) + s).exists() for s in ("", "-wal", "-shm")):
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    # The journal first: a crash half-way must never leave an old WAL beside a new store,
    # where SQLite would replay it.
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            side.rename(Path(str(target) + suffix))
    path.rename(target)
    return target


@contextlib.contextmanager
def folder_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock between processes (POSIX); a no-op where unavailable."""
    try:
        import fcntl
    except ImportError:  # Windows: renaming an open file fails there anyway
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
