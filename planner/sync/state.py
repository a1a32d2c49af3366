"""What planner last wrote to each calendar: one SQLite file beside the stars, in transactions.

Each event planner put in a calendar has a row (calendar URL, UID): where it is (href), the ETag
the server gave for planner's last write, the hash of the content planner meant, and its
SEQUENCE. A row is written right after the server accepted a write and removed right after a
delete, each in its own transaction, so a crash at any moment leaves rows that describe what the
server holds, or are one step behind; the sync repairs the latter from the server's own copy
(:mod:`planner.sync.caldav_sync`). Passwords are never stored here.

Kept apart from the stars (``sync.sqlite3``, not ``planner.sqlite3``): a damaged sync state can
be thrown away without touching a star, and the next sync rebuilds it from the calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import PlannerError
from planner.storage.paths import data_dir

STATE_NAME = "sync.sqlite3"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS synced_events (
    calendar     TEXT NOT NULL,
    uid          TEXT NOT NULL,
    href         TEXT NOT NULL,
    etag         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sequence     INTEGER NOT NULL,
    edited       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (calendar, uid)
);
CREATE TABLE IF NOT EXISTS sync_runs (
    calendar    TEXT PRIMARY KEY,
    finished_at TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    summary     TEXT NOT NULL
);
"""


class SyncStateError(PlannerError):
    """The sync state cannot be read or written."""


@dataclass(frozen=True)
class SyncedEvent:
    """One event as planner last wrote it to a calendar."""

    uid: str
    href: str
    etag: str
    content_hash: str
    sequence: int
    edited: bool = False  # the user edited it in the calendar: later updates merge


@dataclass(frozen=True)
class LastRun:
    """How the last sync to a calendar ended (shown in the dialog)."""

    finished_at: dt.datetime
    ok: bool
    summary: str


class SyncState:
    """Per-calendar records of what planner wrote.

    Args:
        folder: the data folder (default: the user's, as for the stars).
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()
        self.path = self.folder / STATE_NAME
        self._lock = threading.RLock()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                         isolation_level=None, check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            with contextlib.suppress(sqlite3.OperationalError):
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SyncStateError(f"cannot open the sync state {self.path}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SyncState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise SyncStateError(f"cannot save the sync state {self.path}: {exc}") from None

    def events(self, calendar: str) -> dict[str, SyncedEvent]:
        """UID -> record of every event planner wrote to ``calendar``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT uid, href, etag, content_hash, sequence, edited FROM synced_events "
                "WHERE calendar = ?", (calendar,)).fetchall()
        return {row[0]: SyncedEvent(row[0], row[1], row[2], row[3], int(row[4]), bool(row[5]))
                for row in rows}

    def record(self, calendar: str, event: SyncedEvent) -> None:
        """Remember one write the server accepted (its own transaction)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO synced_events "
                "(calendar, uid, href, etag, content_hash, sequence, edited) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (calendar, event.uid, event.href, event.etag, event.content_hash,
                 event.sequence, int(event.edited)))

    def forget(self, calendar: str, uid: str) -> None:
        """Drop the record of an event that is no longer in the calendar."""
        with self._write() as conn:
            conn.execute("DELETE FROM synced_events WHERE calendar = ? AND uid = ?",
                         (calendar, uid))

    def finish(self, calendar: str, ok: bool, summary: str,
               when: dt.datetime | None = None) -> None:
        """Remember how this sync ended, for the dialog and ``planner sync --status``."""
        moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO sync_runs (calendar, finished_at, ok, summary) "
                         "VALUES (?, ?, ?, ?)", (calendar, moment.isoformat(), int(ok), summary))

    def latest_run(self) -> LastRun | None:
        """The last sync to any calendar (the dialog and ``planner sync --status`` show it)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT finished_at, ok, summary FROM sync_runs ORDER BY finished_at DESC "
                "LIMIT 1").fetchone()
        if row is None:
            return None
        return LastRun(dt.datetime.fromisoformat(row[0]), bool(row[1]), str(row[2]))
