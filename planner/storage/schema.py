"""The store's tables, and the migration of stores written by earlier versions.

Version 2 stores each star with the identity of the item it was given to (guid, title,
speakers), so a star follows its talk to a new id and never attaches to another talk that got
the old id. Version 3 adds the user's note and priority (must or maybe) to each star, as two
columns of the star's own row, so a note is written, carried and salvaged with its star.
Version 1 stores are rebuilt in place and version 2 stores gain the two columns ("must", no
note: what a plain star meant), each in one transaction, keeping every star.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from planner.core.identity import ItemIdentity, StarRecord
from planner.core.star_notes import MUST, stored_priority

SCHEMA_VERSION = 3

STARS_TABLE = """
CREATE TABLE IF NOT EXISTS stars (
    program_key TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    starred_at  TEXT NOT NULL,
    guid        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    people      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    priority    TEXT NOT NULL DEFAULT 'must',
    PRIMARY KEY (program_key, item_id, guid, title, people)
)"""
SETTINGS_TABLE = """
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
)"""
SCHEMA = f"{STARS_TABLE};\n{SETTINGS_TABLE};\n"
COLUMNS = {"stars": {"program_key", "item_id", "starred_at", "guid", "title", "people",
                     "note", "priority"},
           "settings": {"key", "value"}}
STAR_COLUMNS = "item_id, guid, title, people, starred_at, note, priority"
# Added by version 3 to a version 2 table (ALTER TABLE keeps its rows and its index).
NOTE_COLUMNS = ("note TEXT NOT NULL DEFAULT ''", f"priority TEXT NOT NULL DEFAULT '{MUST}'")


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a store (fresh, version 1 or 2) to the current schema; call inside a transaction.

    Column presence is read again here, inside the transaction, so two copies upgrading the
    same store at once rebuild it once.
    """
    present = {row[1] for row in conn.execute("PRAGMA table_info(stars)")}
    if present and "guid" not in present:
        # Version 1 keyed stars by (program, id) alone. Rebuilt under the final name so the
        # primary-key index keeps the name recovery looks for.
        conn.execute("ALTER TABLE stars RENAME TO stars_v1")
        conn.execute(STARS_TABLE)
        conn.execute("INSERT OR IGNORE INTO stars (program_key, item_id, starred_at) "
                     "SELECT program_key, item_id, starred_at FROM stars_v1")
        conn.execute("DROP TABLE stars_v1")
    elif present and "note" not in present:
        for column in NOTE_COLUMNS:
            conn.execute(f"ALTER TABLE stars ADD COLUMN {column}")
    conn.execute(STARS_TABLE)
    conn.execute(SETTINGS_TABLE)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def encode_people(people: Iterable[str]) -> str:
    names = list(people)
    return json.dumps(names, ensure_ascii=False) if names else ""


def decode_people(text: object) -> tuple[str, ...]:
    if not isinstance(text, str) or not text:
        return ()
    try:
        names = json.loads(text)
    except ValueError:
        return ()
    return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


def record_from_row(row: tuple[object, ...]) -> StarRecord:
    """A star from a row of ``SELECT {STAR_COLUMNS}``."""
    item_id, guid, title, people, starred_at, note, priority = row
    return StarRecord(str(item_id),
                      ItemIdentity(str(guid or ""), str(title or ""), decode_people(people)),
                      str(starred_at or ""), str(note or ""), stored_priority(priority))


def record_row(program_key: str, record: StarRecord, now: str) -> tuple[str, ...]:
    """The values of ``INSERT INTO stars (program_key, {STAR_COLUMNS})``."""
    identity = record.identity
    return (program_key, record.item_id, identity.guid, identity.title,
            encode_people(identity.people), record.starred_at or now, record.note,
            stored_priority(record.priority))
