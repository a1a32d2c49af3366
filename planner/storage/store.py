"""Stars and settings in one SQLite file, written in transactions.

SQLite gives atomic, durable commits (``synchronous=FULL`` in WAL mode), so a star that was
reported saved survives a crash or a killed process, and two processes can write at once
(``busy_timeout`` waits for the other writer instead of failing with "database is locked").

What can go wrong, and what the user sees (tested in ``tests/reliability/``):

* a file that is not a readable store (truncated, garbage, written by a newer planner) is moved
  aside, kept for the user, and replaced by a fresh store into which every star that can still
  be read from the damaged copy is recovered; :attr:`Store.notices` says so;
* a data folder that cannot be written (read-only, full disk at start-up) opens the stars
  read-only, with a notice; every change then raises :class:`StoreError`, and nothing is
  half-written;
* a write that fails (full disk, read-only folder, I/O error) raises :class:`StoreError` with a
  sentence a user can act on; the transaction is rolled back as a whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.identity import StarRecord
from planner.storage import guard, schema
from planner.storage.disk_space import disk_full_reason
from planner.storage.paths import data_dir
from planner.storage.recovery import (
    DamagedStore,
    Unwritable,
    check_readable,
    check_tables,
    copy_store_into,
    folder_lock,
    move_aside,
)
from planner.storage.salvage import Salvage, lenient_text, salvage

SCHEMA_VERSION = schema.SCHEMA_VERSION
STORE_NAME = "planner.sqlite3"
BUSY_TIMEOUT_MS = 30_000
# Held while a damaged store is moved aside, so two copies of the app starting at once do not
# both move files (the second would move the first one's fresh store).
RECOVERY_LOCK_NAME = STORE_NAME + ".recovery-lock"

# Held (shared) by every copy that has the store open; a copy that finds the store damaged
# moves it aside only when it can take it exclusively, i.e. when no other copy has it open.
OPEN_LOCK_NAME = STORE_NAME + ".open-lock"
_SCHEMA = schema.SCHEMA
# Given the stored stars of a program: (stars to remove, program key -> stars to add).
StarChange = Callable[[list[StarRecord]], tuple[list[StarRecord], dict[str, list[StarRecord]]]]

# Primary SQLite result codes (the low byte of ``sqlite_errorcode``).
_SQLITE_ERROR = 1
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_PROTOCOL = 15  # a WAL lock race: transient, like BUSY
_SQLITE_NOTADB = 26
_DAMAGE_CODES = {_SQLITE_CORRUPT, _SQLITE_NOTADB}
_BUSY_CODES = {_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_PROTOCOL}


class StoreError(PlannerError):
    """The store cannot be read or written (read-only folder, full disk...)."""


class Store:
    """The user's stars and settings.

    Args:
        folder: the data folder; defaults to :func:`planner.storage.paths.data_dir`.

    Attributes:
        notices: sentences the user should be told (a store moved aside, a read-only folder).
        read_only: True when changes cannot be saved; they raise :class:`StoreError`.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()
        self.path = self.folder / STORE_NAME
        self.notices: list[str] = []
        self.read_only = False
        self._read_only_reason = ""
        self._lock = threading.RLock()  # one connection, possibly used from several threads
        self._closed = False
        self._open_lock = guard.OpenLock(self.folder / OPEN_LOCK_NAME)
        self._file_id: guard.FileId | None = None  # the file this copy has open
        # Counts reopenings after the file was replaced, so callers can reload their view.
        self.reopened = 0
        self._conn = self._open()

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._open_read_only(f"the data folder {self.folder} cannot be created "
                                        f"({exc.strerror or exc})")
        self._open_lock.share()  # before connecting: a copy that finds damage now waits
        try:
            conn = self._connect_checked()
        except DamagedStore as damage:
            return self._recover(damage)
        except Unwritable as problem:
            return self._open_read_only(str(problem))
        except BaseException:
            self._open_lock.release()
            raise
        self._file_id = guard.file_id(self.path)
        return conn

    def _connect_checked(self) -> sqlite3.Connection:
        """A read-write connection to a healthy store with the current schema."""
        if self.path.exists() and not self.path.is_file():
            raise DamagedStore("it is not a file")
        # SQLite silently opens a file it cannot write read-only; say so now, not at the first
        # star. (os.access also sees read-only mounts, which bind root too.)
        if not os.access(self.folder, os.W_OK):
            raise Unwritable(f"the data folder {self.folder} is read-only")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise Unwritable(f"the store file {self.path} is read-only")
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._classify(exc) from exc
        # A flipped byte inside a stored id must not make every later read fail.
        conn.text_factory = lenient_text
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            version = check_readable(conn)
            with contextlib.suppress(sqlite3.OperationalError):  # another process switches it
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if version < SCHEMA_VERSION:
                with _transaction(conn):
                    schema.migrate(conn)
            check_tables(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self._classify(exc) from exc
        except UnicodeDecodeError as exc:  # SQLite's own message quotes the broken bytes
            conn.close()
            raise DamagedStore("its schema is not valid text") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _classify(self, exc: sqlite3.Error) -> Exception:
        """Damage (move aside), a busy store (tell the user to retry) or an unwritable folder."""
        code = _primary_code(exc)
        if code in _DAMAGE_CODES:
            return DamagedStore(str(exc))
        if code in _BUSY_CODES:
            return StoreError(f"cannot open {self.path}: {_explain(exc)}")
        if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN, _SQLITE_IOERR,
                    _SQLITE_FULL):
            if not os.access(self.folder, os.W_OK):  # also true for root on a read-only mount
                return Unwritable(f"the data folder {self.folder} is read-only")
            full = disk_full_reason(self.folder) if code in (_SQLITE_IOERR, _SQLITE_FULL) \
                else None
            return Unwritable(full or f"{self.path} cannot be written: {_explain(exc)}")
        if code == _SQLITE_ERROR:  # e.g. a schema this SQLite cannot read
            return DamagedStore(str(exc))
        # Anything else may be passing: never move a store aside for it.
        return StoreError(f"cannot open {self.path}: {_explain(exc)}")

    def _recover(self, damage: DamagedStore) -> sqlite3.Connection:
        """Move a damaged store aside (keeping it), start afresh and bring back what we can.

        Never while another copy has the store open (it would go on writing into the moved
        file): then the stars are shown read-only, and the next start moves it.
        """
        self._open_lock.release()  # so that two copies finding the damage do not block
        with folder_lock(self.folder / RECOVERY_LOCK_NAME):
            self._open_lock.share()
            # Another copy of the app may have replaced the file while we waited for the lock.
            try:
                conn = self._connect_checked()
                self._file_id = guard.file_id(self.path)
                return conn
            except DamagedStore as again:
                damage = again
            except Unwritable as problem:
                return self._open_read_only(str(problem))
            self._open_lock.release()
            if not self._open_lock.try_exclusive():
                return self._open_read_only(
                    f"the store {self.path} is damaged ({damage}), and another copy of "
                    f"planner has it open, so it was left in place; close the other copy and "
                    f"start planner again to repair it")
            try:
                try:
                    kept = move_aside(self.path)
                except OSError as exc:
                    return self._open_read_only(
                        f"the store {self.path} is damaged ({damage}) and cannot be moved "
                        f"aside ({exc.strerror or exc})")
                try:
                    conn = self._connect_checked()
                except (DamagedStore, Unwritable) as problem:
                    return self._open_read_only(f"{problem}; the damaged store was kept as "
                                                f"{kept.name}")
                self._file_id = guard.file_id(self.path)
                # Recovered before others may open the fresh store, so they see the stars.
                recovered = salvage(kept, conn)
            finally:
                self._open_lock.share()  # exclusive -> shared: others may open it now
        self.notices.append(
            f"The saved stars in {self.path} could not be read ({damage}); the file was kept "
            f"as {kept.name} and a new store was started; {recovered.describe()}.")
        return conn

    def _open_read_only(self, reason: str) -> sqlite3.Connection:
        """The stars as they are on disk, in memory; every change is refused with ``reason``."""
        self.read_only = True
        self._read_only_reason = reason
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.text_factory = lenient_text
        conn.executescript(_SCHEMA)
        shown = "could not be read"
        if self.path.is_file():
            try:
                copy_store_into(self.path, conn)
                with _transaction(conn):
                    schema.migrate(conn)  # an older store, copied as it is
                check_tables(conn)
                shown = "are shown"
            except (OSError, sqlite3.Error, UnicodeDecodeError, DamagedStore):
                conn.close()
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.text_factory = lenient_text
                conn.executescript(_SCHEMA)
                found: Salvage = salvage(self.path, conn)
                if found.recovered:
                    shown = f"that could be read ({found.recovered}) are shown"
        else:
            shown = "none were saved yet"
        self.notices.append(f"Stars cannot be saved: {reason}. Saved stars {shown}; changes "
                            f"will not be kept.")
        return conn

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (a deferred check then has nothing to read)."""
        return self._closed

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()
                self._open_lock.close()

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

        def work(conn: sqlite3.Connection) -> None:
            if starred:
                conn.executemany(
                    "INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                    "VALUES (?, ?, ?)", [(program_key, item_id, now) for item_id in ids])
            else:
                conn.executemany("DELETE FROM stars WHERE program_key = ? AND item_id = ?",
                                 [(program_key, item_id) for item_id in ids])

        self._write(work)

    def star_records(self, program_key: str) -> list[StarRecord]:
        """The stored stars of one program, each with the identity of its item."""
        rows = self._read(f"SELECT {schema.STAR_COLUMNS} FROM stars WHERE program_key = ?",
                          (program_key,))
        return [schema.record_from_row(row) for row in rows]

    def update_stars(self, program_key: str, change: StarChange) -> None:
        """Rewrite stars in one transaction: ``change`` gets the stored stars of
        ``program_key`` (read inside the transaction, so no other copy's star slips between)
        and returns (stars to remove, program key -> stars to add). All removals happen before
        all additions, so chains and swaps of ids (a→b, b→c; a↔b) move every star."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

        def work(conn: sqlite3.Connection) -> None:
            rows = conn.execute(f"SELECT {schema.STAR_COLUMNS} FROM stars "
                                f"WHERE program_key = ?", (program_key,)).fetchall()
            remove, add = change([schema.record_from_row(row) for row in rows])
            conn.executemany(
                "DELETE FROM stars WHERE program_key = ? AND item_id = ? AND guid = ? "
                "AND title = ? AND people = ?",
                [schema.record_row(program_key, record, now)[:5] for record in remove])
            conn.executemany(
                f"INSERT OR IGNORE INTO stars (program_key, {schema.STAR_COLUMNS}) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [schema.record_row(key, record, now)
                 for key, records in add.items() for record in records])

        self._write(work)

    def rename_stars(self, program_key: str, renames: dict[str, str]) -> None:
        """Move stars to new item ids (after a program update), in one transaction."""
        def change(records: list[StarRecord]) -> tuple[list[StarRecord],
                                                       dict[str, list[StarRecord]]]:
            moving = [r for r in records if renames.get(r.item_id, r.item_id) != r.item_id]
            moved = [dataclasses.replace(r, item_id=renames[r.item_id]) for r in moving]
            return moving, {program_key: moved}

        self.update_stars(program_key, change)

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except (TypeError, ValueError):
            return default

    def set_setting(self, key: str, value: Any) -> None:
        encoded = json.dumps(value)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, encoded))

        self._write(work)

    # -- plumbing --------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            for attempt in range(2):
                try:
                    return self._conn.execute(sql, params).fetchall()
                except (sqlite3.Error, UnicodeDecodeError) as exc:
                    if attempt == 0 and self._heal(exc):
                        continue
                    raise StoreError(f"cannot read {self.path}: {_explain(exc)}") from exc
            raise AssertionError("unreachable")

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``work`` in one transaction: all of it is saved, or none and StoreError."""
        with self._lock:
            if not self.read_only:
                self._reopen_if_replaced()
            if self.read_only:
                raise StoreError(f"cannot save: {self._read_only_reason}; nothing was changed")
            for attempt in range(2):
                try:
                    with _transaction(self._conn):
                        work(self._conn)
                    return
                except (sqlite3.Error, UnicodeDecodeError) as exc:
                    if attempt == 0 and self._heal(exc):
                        continue
                    full = disk_full_reason(self.folder) \
                        if _primary_code(exc) in (_SQLITE_IOERR, _SQLITE_FULL) else None
                    raise StoreError(f"could not save to {self.path}: "
                                     f"{full or _explain(exc)}; nothing was changed") from exc

    def _reopen_if_replaced(self) -> None:
        """Before a write: is the file at our path still the one we opened? If something
        replaced it, writing on would put the user's stars into a file nobody reads."""
        if self._file_id is None or guard.file_id(self.path) == self._file_id:
            return
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._open_lock.release()
        if not self.path.exists():
            self._file_id = None
            self._conn = self._open_read_only(
                f"the store {self.path} was moved or deleted by another program while "
                f"planner was running; restart planner")
            return
        self._conn = self._open()
        self.reopened += 1
        self.notices.append(f"The store {self.path} was replaced by another program while "
                            f"planner was running; planner reopened it, and changes are saved "
                            f"there.")

    def _heal(self, exc: sqlite3.Error | UnicodeDecodeError) -> bool:
        """Damage found while running (the file was damaged after we opened it): move it
        aside and continue on a fresh store, as at start-up. True when the store was replaced."""
        if not (_primary_code(exc) in _DAMAGE_CODES or isinstance(exc, UnicodeDecodeError)):
            return False
        if self.read_only or self._closed:
            return False
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        reason = str(exc) if isinstance(exc, sqlite3.Error) else "a stored text is not valid"
        self._conn = self._recover(DamagedStore(reason))
        return not self.read_only


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        # A failed COMMIT (full disk, I/O error) may leave the transaction open: end it, so
        # the next change does not fail with "cannot start a transaction within a transaction".
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def _explain(exc: sqlite3.Error | UnicodeDecodeError) -> str:
    """A reason a user can act on; never SQLite's "database is locked"."""
    code = _primary_code(exc)
    if code in (_SQLITE_READONLY, _SQLITE_PERM):
        return "the data folder or the store file is read-only"
    if code == _SQLITE_FULL:
        return "the disk is full"
    if code in _BUSY_CODES:
        return (f"another copy of planner kept the store busy for more than "
                f"{BUSY_TIMEOUT_MS // 1000} s; try again")
    if code == _SQLITE_CANTOPEN:
        return "the file cannot be opened (is the data folder writable?)"
    if code == _SQLITE_IOERR:
        return f"the disk could not be read or written ({exc})"
    if code in _DAMAGE_CODES or isinstance(exc, UnicodeDecodeError):
        return "the store is damaged; restart planner to move it aside"
    text = str(exc)
    if "locked" in text.lower() or "busy" in text.lower():
        return "another copy of planner is using the store; try again"
    return text
