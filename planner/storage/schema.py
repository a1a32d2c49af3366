"""The store's tables, and the migration of stores written by earlier versions.

Version 2 stores each star with the identity of the item it was given to (guid, title,
speakers), so a star follows its talk to a new id and never attaches to another talk that got
the old id. Version 1 stores are rebuilt in place, in one transaction, keeping every star.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from planner.core.identity import ItemIdentity, StarRecord

SCHEMA_VERSION = 2

STARS_TABLE = """
CREATE TABLE IF NOT EXISTS stars (
    program_key TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    starred_at  TEXT NOT NULL,
    guid        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    people      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (program_key, item_id, guid, title, people)
)"""
SETTINGS_TABLE = """
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
)"""
SCHEMA = f"{STARS_TABLE};\n{SETTINGS_TABLE};\n"
COLUMNS = {"stars": {"program_key", "item_id", "starred_at", "guid", "title", "people"},
           "settings": {"key", "value"}}
STAR_COLUMNS = "item_id, guid, title, people, starred_at"


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a store (fresh or version 1) to the current schema; call inside a transaction.

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
    item_id, guid, title, people, starred_at = row
    return StarRecord(str(item_id),
                      ItemIdentity(str(guid or ""), str(title or ""), decode_people(people)),
                      str(starred_at or ""))


def record_row(program_key: str, record: StarRecord, now: str) -> tuple[str, ...]:
    """The values of ``INSERT INTO stars (program_key, {STAR_COLUMNS})``."""
    identity = record.identity
    return (program_key, record.item_id, identity.guid, identity.title,
            encode_people(identity.people), record.starred_at or now)
