"""Stars and settings in one SQLite file, written in transactions.

SQLite gives atomic, durable commits (``synchronous=FULL`` in WAL mode), so a star that was
reported saved survives a crash or a killed process, and two processes can write at once
(``busy_timeout`` waits for the other writer instead of failing with "database is locked").
A file that is not a readable store is moved aside, kept for the user, and replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.storage.paths import data_dir

SCHEMA_VERSION = 1
STORE_NAME = "planner.sqlite3"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stars (
    program_key TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    starred_at  TEXT NOT NULL,
    PRIMARY KEY (program_key, item_id)
);
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StoreError(PlannerError):
    """The store cannot be read or written (read-only folder, full disk...)."""


class Store:
    """The user's stars and settings.

    Args:
        folder: the data folder; defaults to :func:`planner.storage.paths.data_dir`.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()
        self.path = self.folder / STORE_NAME
        self.notices: list[str] = []  # things the user should be told (a store moved aside...)
        self._conn = self._open()

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder {self.folder}: {exc.strerror}") from exc
        try:
            return self._connect_checked()
        except _DamagedStore as damage:
            kept = self._move_aside(str(damage))
            self.notices.append(
                f"The saved stars in {self.path} could not be read ({damage}); the file was kept "
                f"as {kept.name} and a new, empty store was started.")
            return self._connect_checked()

    def _connect_checked(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise _DamagedStore(f"it was written by a newer planner (schema {version})")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                conn.close()
                raise _DamagedStore(f"integrity check failed: {check}")
            with contextlib.suppress(sqlite3.OperationalError):  # read-only: keep going
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if version < SCHEMA_VERSION:
                with _transaction(conn):
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_io_problem(exc):
                raise StoreError(f"cannot write {self.path}: {exc}") from exc
            raise _DamagedStore(str(exc)) from exc
        return conn

    def _move_aside(self, reason: str) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{STORE_NAME}.damaged-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{STORE_NAME}.damaged-{stamp}-{counter}")
        try:
            self.path.rename(target)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    side.rename(Path(str(target) + suffix))
        except OSError as exc:
            raise StoreError(f"the store {self.path} is damaged ({reason}) and cannot be moved "
                             f"aside: {exc.strerror}") from exc
        return target

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- stars -----------------------------------------------------------------------------
    def starred(self, program_key: str) -> set[str]:
        rows = self._read("SELECT item_id FROM stars WHERE program_key = ?", (program_key,))
        return {row[0] for row in rows}

    def set_starred(self, program_key: str, item_ids: Iterable[str], starred: bool) -> None:
        """Star or unstar items in one transaction; returns once it is on disk."""
        ids = list(item_ids)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            if starred:
                conn.executemany(
                    "INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                    "VALUES (?, ?, ?)", [(program_key, item_id, now) for item_id in ids])
            else:
                conn.executemany("DELETE FROM stars WHERE program_key = ? AND item_id = ?",
                                 [(program_key, item_id) for item_id in ids])

    def rename_stars(self, program_key: str, renames: dict[str, str]) -> None:
        """Move stars to new item ids (after a program update), in one transaction."""
        with self._writing() as conn:
            for old, new in renames.items():
                if old == new:
                    continue
                conn.execute("INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                             "SELECT program_key, ?, starred_at FROM stars "
                             "WHERE program_key = ? AND item_id = ?", (new, program_key, old))
                conn.execute("DELETE FROM stars WHERE program_key = ? AND item_id = ?",
                             (program_key, old))

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return default

    def set_setting(self, key: str, value: Any) -> None:
        encoded = json.dumps(value)
        with self._writing() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, encoded))

    # -- plumbing --------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        try:
            with _transaction(self._conn):
                yield self._conn
        except sqlite3.Error as exc:
            raise StoreError(f"could not save to {self.path}: {_explain(exc)}; "
                             f"nothing was changed") from exc


class _DamagedStore(Exception):
    pass


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _is_io_problem(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("readonly", "read-only", "disk", "unable to open",
                                         "i/o", "locked"))


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return "the data folder is read-only"
    if "disk is full" in lowered or "full" in lowered:
        return "the disk is full"
    return text
