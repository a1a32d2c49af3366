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
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.storage.disk_space import disk_full_reason
from planner.storage.paths import data_dir

SCHEMA_VERSION = 1
STORE_NAME = "planner.sqlite3"
BUSY_TIMEOUT_MS = 30_000
# Held while a damaged store is moved aside, so two copies of the app starting at once do not
# both move files (the second would move the first one's fresh store).
RECOVERY_LOCK_NAME = STORE_NAME + ".recovery-lock"

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
_COLUMNS = {"stars": {"program_key", "item_id", "starred_at"}, "settings": {"key", "value"}}

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
        self._conn = self._open()

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._open_read_only(f"the data folder {self.folder} cannot be created "
                                        f"({exc.strerror or exc})")
        try:
            return self._connect_checked()
        except _DamagedStore as damage:
            return self._recover(damage)
        except _Unwritable as problem:
            return self._open_read_only(str(problem))

    def _connect_checked(self) -> sqlite3.Connection:
        """A read-write connection to a healthy store with the current schema."""
        if self.path.exists() and not self.path.is_file():
            raise _DamagedStore("it is not a file")
        # SQLite silently opens a file it cannot write read-only; say so now, not at the first
        # star. (os.access also sees read-only mounts, which bind root too.)
        if not os.access(self.folder, os.W_OK):
            raise _Unwritable(f"the data folder {self.folder} is read-only")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise _Unwritable(f"the store file {self.path} is read-only")
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._classify(exc) from exc
        # A flipped byte inside a stored id must not make every later read fail.
        conn.text_factory = _lenient_text
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            version = _check_readable(conn)
            with contextlib.suppress(sqlite3.OperationalError):  # another process switches it
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if version < SCHEMA_VERSION:
                with _transaction(conn):
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            _check_tables(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self._classify(exc) from exc
        except UnicodeDecodeError as exc:  # SQLite's own message quotes the broken bytes
            conn.close()
            raise _DamagedStore("its schema is not valid text") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _classify(self, exc: sqlite3.Error) -> Exception:
        """Damage (move aside), a busy store (tell the user to retry) or an unwritable folder."""
        code = _primary_code(exc)
        if code in _DAMAGE_CODES:
            return _DamagedStore(str(exc))
        if code in _BUSY_CODES:
            return StoreError(f"cannot open {self.path}: {_explain(exc)}")
        if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN, _SQLITE_IOERR,
                    _SQLITE_FULL):
            if not os.access(self.folder, os.W_OK):  # also true for root on a read-only mount
                return _Unwritable(f"the data folder {self.folder} is read-only")
            full = disk_full_reason(self.folder) if code in (_SQLITE_IOERR, _SQLITE_FULL) \
                else None
            return _Unwritable(full or f"{self.path} cannot be written: {_explain(exc)}")
        if code == _SQLITE_ERROR:  # e.g. a schema this SQLite cannot read
            return _DamagedStore(str(exc))
        # Anything else may be passing: never move a store aside for it.
        return StoreError(f"cannot open {self.path}: {_explain(exc)}")

    def _recover(self, damage: _DamagedStore) -> sqlite3.Connection:
        """Move a damaged store aside (keeping it), start afresh and bring back what we can."""
        with _folder_lock(self.folder / RECOVERY_LOCK_NAME):
            # Another copy of the app may have replaced the file while we waited for the lock.
            try:
                return self._connect_checked()
            except _DamagedStore as again:
                damage = again
            except _Unwritable as problem:
                return self._open_read_only(str(problem))
            try:
                kept = self._move_aside()
            except OSError as exc:
                return self._open_read_only(
                    f"the store {self.path} is damaged ({damage}) and cannot be moved aside "
                    f"({exc.strerror or exc})")
            try:
                conn = self._connect_checked()
            except (_DamagedStore, _Unwritable) as problem:
                return self._open_read_only(f"{problem}; the damaged store was kept as "
                                            f"{kept.name}")
        recovered = _salvage(kept, conn)
        message = (f"The saved stars in {self.path} could not be read ({damage}); the file was "
                   f"kept as {kept.name} and a new store was started")
        if recovered:
            message += f"; {recovered} star{'s' if recovered != 1 else ''} could be recovered"
        self.notices.append(message + ".")
        return conn

    def _move_aside(self) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{STORE_NAME}.damaged-{stamp}")
        counter = 1
        while any(Path(str(target) + s).exists() for s in ("", "-wal", "-shm")):
            counter += 1
            target = self.path.with_name(f"{STORE_NAME}.damaged-{stamp}-{counter}")
        # The journal first: a crash half-way must never leave an old WAL beside a new store,
        # where SQLite would replay it.
        for suffix in ("-wal", "-shm"):
            side = Path(str(self.path) + suffix)
            if side.exists():
                side.rename(Path(str(target) + suffix))
        self.path.rename(target)
        return target

    def _open_read_only(self, reason: str) -> sqlite3.Connection:
        """The stars as they are on disk, in memory; every change is refused with ``reason``."""
        self.read_only = True
        self._read_only_reason = reason
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.text_factory = _lenient_text
        conn.executescript(_SCHEMA)
        shown = "could not be read"
        if self.path.is_file():
            try:
                _copy_store_into(self.path, conn)
                shown = "are shown"
            except (OSError, sqlite3.Error, UnicodeDecodeError, _DamagedStore):
                conn.close()
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.executescript(_SCHEMA)
        else:
            shown = "none were saved yet"
        self.notices.append(f"Stars cannot be saved: {reason}. Saved stars {shown}; changes "
                            f"will not be kept.")
        return conn

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
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

        def work(conn: sqlite3.Connection) -> None:
            if starred:
                conn.executemany(
                    "INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                    "VALUES (?, ?, ?)", [(program_key, item_id, now) for item_id in ids])
            else:
                conn.executemany("DELETE FROM stars WHERE program_key = ? AND item_id = ?",
                                 [(program_key, item_id) for item_id in ids])

        self._write(work)

    def rename_stars(self, program_key: str, renames: dict[str, str]) -> None:
        """Move stars to new item ids (after a program update), in one transaction."""
        def work(conn: sqlite3.Connection) -> None:
            for old, new in renames.items():
                if old == new:
                    continue
                conn.execute("INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                             "SELECT program_key, ?, starred_at FROM stars "
                             "WHERE program_key = ? AND item_id = ?", (new, program_key, old))
                conn.execute("DELETE FROM stars WHERE program_key = ? AND item_id = ?",
                             (program_key, old))

        self._write(work)

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
        self._conn = self._recover(_DamagedStore(reason))
        return not self.read_only


class _DamagedStore(Exception):
    """The file is not a store this version can use; it is moved aside."""


class _Unwritable(Exception):
    """The folder or file cannot be written; the stars are opened read-only."""


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _check_readable(conn: sqlite3.Connection) -> int:
    """The schema version of a store that passes SQLite's own check; else _DamagedStore."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise _DamagedStore(f"it was written by a newer planner (schema {version})")
    if version < 0:
        raise _DamagedStore(f"unknown schema version {version}")
    # integrity_check, not quick_check: a damaged index that quick_check passes would fail
    # every later lookup of the user's stars (15 ms for 20,000 stars).
    check = conn.execute("PRAGMA integrity_check(20)").fetchone()[0]
    if check != "ok":
        raise _DamagedStore(f"integrity check failed: {check}")
    return version


def _check_tables(conn: sqlite3.Connection) -> None:
    for table, needed in _COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not needed <= present:
            raise _DamagedStore(f"its {table} table is missing or incomplete")


def _copy_store_into(path: Path, target: sqlite3.Connection) -> None:
    """Copy a store we may not write (read-only folder) into ``target``, WAL included.

    SQLite needs to create ``-shm`` beside a WAL database even to read it, so the files are
    copied to a private temporary folder and opened there.
    """
    with tempfile.TemporaryDirectory(prefix="planner-store-") as scratch:
        copy = Path(scratch) / STORE_NAME
        shutil.copyfile(path, copy)
        wal = Path(str(path) + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
        source = sqlite3.connect(copy, isolation_level=None)
        try:
            _check_readable(source)
            _check_tables(source)
            source.backup(target)
        finally:
            source.close()


def _salvage(damaged: Path, fresh: sqlite3.Connection) -> int:
    """Copy every star still readable in a damaged store into the fresh one; best effort.

    Damage that stops one way in often spares another, so the copy is read as it is and
    again with its header repaired (a truncated WAL-mode file is refused outright, however
    many intact pages it has), each by a scan of the table, a scan of its primary-key index
    (which holds program and item ids), and a lookup of each row id (which skips a lost leaf
    page instead of stopping at it).
    """
    found: dict[tuple[str, str], str] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="planner-salvage-") as scratch:
            copy = Path(scratch) / STORE_NAME
            shutil.copyfile(damaged, copy)
            wal = Path(str(damaged) + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, Path(str(copy) + "-wal"))
            _salvage_from(copy, found)
            repaired = Path(scratch) / "repaired.sqlite3"
            if _repair_header(damaged.read_bytes(), repaired):
                _salvage_from(repaired, found)
    except (OSError, sqlite3.Error, UnicodeDecodeError):
        pass
    if not found:
        return 0
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows = [(key, item, when or now) for (key, item), when in found.items()]
    try:
        with _transaction(fresh):
            fresh.executemany("INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                              "VALUES (?, ?, ?)", rows)
    except sqlite3.Error:
        return 0
    return len(rows)


def _salvage_from(path: Path, found: dict[tuple[str, str], str]) -> None:
    source = sqlite3.connect(path, isolation_level=None)
    source.text_factory = _lenient_text
    try:
        _collect(source, "SELECT program_key, item_id, starred_at FROM stars", (), found)
        _collect(source, "SELECT program_key, item_id, '' FROM stars INDEXED BY "
                 "sqlite_autoindex_stars_1", (), found)
        misses = 0
        for rowid in range(1, _SALVAGE_MAX_ROWID):
            if _collect(source, "SELECT program_key, item_id, starred_at FROM stars "
                        "WHERE rowid = ?", (rowid,), found):
                misses = 0
                continue
            misses += 1
            if misses > 2000:
                break
    finally:
        source.close()


def _repair_header(data: bytes, target: Path) -> bool:
    """Write ``data`` with a header SQLite accepts: page count from the file's real size,
    rollback-journal mode (no WAL to expect). False when it is no SQLite file at all."""
    if len(data) < 512 or not data.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return False
    pages = len(data) // page_size
    header = bytearray(data[: page_size * pages] if pages else data)
    header[18] = header[19] = 1
    header[28:32] = pages.to_bytes(4, "big")
    target.write_bytes(bytes(header))
    return True


_SALVAGE_MAX_ROWID = 1_000_000


def _collect(source: sqlite3.Connection, sql: str, params: tuple[Any, ...],
             found: dict[tuple[str, str], str]) -> bool:
    """Add the rows ``sql`` still yields, one by one, until the damage stops it."""
    got = False
    try:
        cursor = source.execute(sql, params)
        while True:
            row = cursor.fetchone()
            if row is None:
                break
            key, item, when = row
            if isinstance(key, str) and isinstance(item, str) and key and item:
                found.setdefault((key, item), when if isinstance(when, str) else "")
                got = True
    except (sqlite3.Error, UnicodeDecodeError):
        pass
    return got


def _lenient_text(data: bytes) -> str:
    """Text from the file even where a flipped byte broke its UTF-8 (shown as U+FFFD)."""
    return data.decode("utf-8", errors="replace")


@contextlib.contextmanager
def _folder_lock(path: Path) -> Iterator[None]:
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
