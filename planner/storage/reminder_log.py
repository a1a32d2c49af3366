"""Which reminders already fired, and when planner last looked: kept in the user's store file
(its own two tables), so a restart never repeats a reminder and can tell what was missed.

A separate connection to the same SQLite file as :class:`planner.storage.store.Store` (WAL,
``synchronous=FULL``, ``busy_timeout``): the store's schema is not touched. When the store is
read-only (or the file cannot be written) the log lives in memory for this run and says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from planner.storage.store import BUSY_TIMEOUT_MS, Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fired_reminders (
    reminder_key TEXT PRIMARY KEY,
    fired_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reminder_checks (
    program_key TEXT PRIMARY KEY,
    checked_at  TEXT NOT NULL
);
"""


class ReminderLog:
    """Fired reminder keys and the last check per program.

    Attributes:
        persistent: False when the log could not be kept on disk (read-only store).
    """

    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        self._lock = threading.Lock()
        self.persistent = False
        self._conn = self._connect(path) if path is not None and not read_only else None
        if self._conn is None:
            self._conn = sqlite3.connect(":memory:", isolation_level=None,
                                         check_same_thread=False)
            self._conn.executescript(_SCHEMA)
        else:
            self.persistent = True

    @classmethod
    def for_store(cls, store: Store) -> ReminderLog:
        return cls(store.path, store.read_only)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection | None:
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("COMMIT")
        except sqlite3.Error:
            return None
        return conn

    def fired(self, keys: Iterable[str] | None = None) -> set[str]:
        """Keys already fired (all of them, or those among ``keys``)."""
        with self._lock:
            try:
                assert self._conn is not None
                rows = self._conn.execute("SELECT reminder_key FROM fired_reminders").fetchall()
            except sqlite3.Error:
                return set()
        found = {row[0] for row in rows}
        return found if keys is None else found & set(keys)

    def mark_fired(self, keys: Iterable[str], now: dt.datetime,
                   program_key: str | None = None) -> None:
        """Remember ``keys`` (and, with ``program_key``, that planner looked at ``now``)."""
        stamp = now.astimezone(dt.UTC).isoformat(timespec="seconds")
        with self._lock, contextlib.suppress(sqlite3.Error):
            assert self._conn is not None
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR IGNORE INTO fired_reminders (reminder_key, fired_at) "
                    "VALUES (?, ?)", [(key, stamp) for key in keys])
                if program_key is not None:
                    self._conn.execute(
                        "INSERT INTO reminder_checks (program_key, checked_at) VALUES (?, ?) "
                        "ON CONFLICT(program_key) DO UPDATE SET checked_at = excluded.checked_at",
                        (program_key, stamp))
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                self._conn.execute("ROLLBACK")
                raise

    def last_check(self, program_key: str) -> dt.datetime | None:
        with self._lock:
            try:
                assert self._conn is not None
                row = self._conn.execute("SELECT checked_at FROM reminder_checks WHERE "
                                         "program_key = ?", (program_key,)).fetchone()
            except sqlite3.Error:
                return None
        if row is None:
            return None
        try:
            return dt.datetime.fromisoformat(row[0])
        except (TypeError, ValueError):
            return None

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            assert self._conn is not None
            self._conn.close()
