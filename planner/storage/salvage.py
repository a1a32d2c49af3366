"""Bring back the stars (with their notes) a damaged store still holds, and say how many may
be lost.

Damage that stops one way in often spares another, so the damaged file is read as it is and
again from a copy whose header was repaired, each with ``writable_schema`` on (SQLite then
accepts a schema naming pages a truncation cut off, instead of refusing every table), each by
a scan of the table, a scan of its primary-key index, and a lookup of each row id (which skips
a lost page instead of stopping at it).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.star_notes import MUST, stored_priority

# Row ids looked up one by one; the lookup stops after this many misses in a row.
_MAX_ROWID = 1_000_000
_MISSES_BEFORE_STOP = 2000
# A repaired copy is padded to the page count its header gives, up to this size.
_MAX_PADDED_BYTES = 256 * 1024 * 1024

Key = tuple[str, str, str, str, str]  # program_key, item_id, guid, title, people


@dataclass(frozen=True)
class Salvage:
    """What came back from a damaged store.

    Attributes:
        recovered: stars copied into the fresh store.
        gaps: row ids below the highest one found that yielded nothing: stars lost on damaged
            pages, or stars the user had removed (SQLite does not reuse them at once).
        pages_missing: pages the header counts that the file no longer has (a truncation);
            stars on them cannot be counted.
    """

    recovered: int = 0
    gaps: int = 0
    pages_missing: int = 0

    def describe(self) -> str:
        """The part of the notice that says what came back and what may be lost."""
        if not self.recovered and not self.gaps and not self.pages_missing:
            return "no star could be recovered"
        text = (f"{self.recovered} star{'s' if self.recovered != 1 else ''} could be recovered"
                if self.recovered else "no star could be recovered")
        lost = []
        if self.gaps:
            lost.append(f"up to {self.gaps} more may be lost (or had been removed)")
        if self.pages_missing:
            lost.append(f"{self.pages_missing} page{'s' if self.pages_missing != 1 else ''} of "
                        f"the file {'are' if self.pages_missing != 1 else 'is'} missing; stars "
                        f"stored there (if any) are lost")
        return text + ("; " + "; ".join(lost) if lost else "")


class _Found:
    """Rows found so far: star -> (starred at, note, priority); a later way in fills what an
    earlier one could not read (the index scan has no note)."""

    def __init__(self) -> None:
        self.rows: dict[Key, tuple[str, str, str]] = {}
        self.rowids: set[int] = set()

    def add(self, key: Key, values: tuple[str, str, str]) -> None:
        known = self.rows.get(key)
        if known is None:
            self.rows[key] = values
        else:
            when, note, priority = known
            self.rows[key] = (when or values[0], note or values[1],
                              priority if priority != MUST else values[2])


def salvage(damaged: Path, fresh: sqlite3.Connection) -> Salvage:
    """Copy every star still readable in ``damaged`` into ``fresh``; best effort, never raises
    for damage."""
    found = _Found()
    pages_missing = 0
    try:
        with tempfile.TemporaryDirectory(prefix="planner-salvage-") as scratch:
            copy = Path(scratch) / "copy.sqlite3"
            shutil.copyfile(damaged, copy)
            wal = Path(str(damaged) + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, Path(str(copy) + "-wal"))
            _salvage_from(copy, found)
            repaired = Path(scratch) / "repaired.sqlite3"
            data = damaged.read_bytes()
            pages_missing = repair_header(data, repaired)
            if pages_missing >= 0:
                _salvage_from(repaired, found)
    except (OSError, sqlite3.Error, UnicodeDecodeError):
        pass
    gaps = max(found.rowids, default=0) - len(found.rowids)
    pages_missing = max(pages_missing, 0)
    if not found.rows:
        return Salvage(0, gaps, pages_missing)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows = [(*key, when or now, note, priority)
            for key, (when, note, priority) in found.rows.items()]
    try:
        fresh.execute("BEGIN IMMEDIATE")
        try:
            fresh.executemany("INSERT OR IGNORE INTO stars (program_key, item_id, guid, title, "
                              "people, starred_at, note, priority) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            fresh.execute("COMMIT")
        except BaseException:
            if fresh.in_transaction:
                fresh.execute("ROLLBACK")
            raise
    except sqlite3.Error:
        return Salvage(0, gaps + len(rows), pages_missing)
    # Several damaged copies of one star (e.g. an old and a new identity) count once per row.
    return Salvage(len(rows), gaps, pages_missing)


def _salvage_from(path: Path, found: _Found) -> None:
    source = sqlite3.connect(path, isolation_level=None)
    source.text_factory = lenient_text
    try:
        with _suppressed():
            source.execute("PRAGMA writable_schema=ON")
        present = _columns(source)
        identity = "guid, title, people" if "guid" in present else "'', '', ''"
        notes = "note, priority" if "note" in present else f"'', '{MUST}'"
        columns = f"program_key, item_id, {identity}"
        _collect(source, f"SELECT {columns}, starred_at, rowid, {notes} FROM stars", (), found)
        _collect(source, f"SELECT {columns}, '', rowid, '', '{MUST}' FROM stars INDEXED BY "
                 "sqlite_autoindex_stars_1", (), found)
        misses = 0
        for rowid in range(1, _MAX_ROWID):
            if _collect(source, f"SELECT {columns}, starred_at, rowid, {notes} FROM stars "
                        "WHERE rowid = ?", (rowid,), found):
                misses = 0
                continue
            misses += 1
            if misses > _MISSES_BEFORE_STOP:
                break
    finally:
        source.close()


def _columns(source: sqlite3.Connection) -> set[str]:
    try:
        return {row[1] for row in source.execute("PRAGMA table_info(stars)")}
    except (sqlite3.Error, UnicodeDecodeError):
        return set()


class _suppressed:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        return isinstance(exc, sqlite3.Error | UnicodeDecodeError)


def repair_header(data: bytes, target: Path) -> int:
    """Write ``data`` with a header SQLite accepts (rollback-journal mode, no WAL to expect),
    padded with empty pages to the page count its header gives, so the schema's root pages
    exist. Returns how many pages were missing, or -1 when it is no SQLite file at all."""
    if len(data) < 512 or not data.startswith(b"SQLite format 3\x00"):
        return -1
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return -1
    pages = len(data) // page_size
    header = bytearray(data[: page_size * pages] if pages else data)
    header[18] = header[19] = 1
    counted = int.from_bytes(data[28:32], "big")
    missing = max(0, counted - pages)
    if missing and counted * page_size <= _MAX_PADDED_BYTES:
        header += bytes(page_size * missing)
        pages = counted
    header[28:32] = max(pages, 1).to_bytes(4, "big")
    target.write_bytes(bytes(header))
    return missing


def _collect(source: sqlite3.Connection, sql: str, params: tuple[Any, ...],
             found: _Found) -> bool:
    """Add the rows ``sql`` still yields, one by one, until the damage stops it."""
    got = False
    try:
        cursor = source.execute(sql, params)
        while True:
            row = cursor.fetchone()
            if row is None:
                break
            key, item, guid, title, people, when, rowid, note, priority = row
            if not (isinstance(key, str) and isinstance(item, str) and key and item):
                continue
            identity = tuple(v if isinstance(v, str) else "" for v in (guid, title, people))
            found.add((key, item, *identity),  # type: ignore[arg-type]
                      (when if isinstance(when, str) else "",
                       _salvaged_note(note), stored_priority(priority)))
            if isinstance(rowid, int):
                found.rowids.add(rowid)
            got = True
    except (sqlite3.Error, UnicodeDecodeError):
        pass
    return got


def _salvaged_note(note: object) -> str:
    """A note read from damaged pages: the zeros of a cut-off page are not the user's text."""
    return note.replace("\x00", "").rstrip() if isinstance(note, str) else ""


def lenient_text(data: bytes) -> str:
    """Text from the file even where a flipped byte broke its UTF-8 (shown as U+FFFD)."""
    return data.decode("utf-8", errors="replace")
