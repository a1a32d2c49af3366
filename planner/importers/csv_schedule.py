"""Flat CSV schedules (voctosched's ``gpn11.csv`` and the spreadsheets organisers export).

Header-driven: a column is found by its name, in English or German, in any order (Room, Date,
Start, End, Duration, Title, Speakers, Abstract, Description, Language, Track, Type, ID, URL);
quoted fields may span lines. A CSV never says its zone: the times belong to ``--source-tz``
(or the zone chosen in the window), else UTC, shown as a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.ids import slug
from planner.core.model import ESTIMATED_DURATION, Link, Program, Session, SessionKind
from planner.importers import structured
from planner.importers.text import (
    IdAllocator,
    choose_zone,
    clean_line,
    html_to_text,
    kind_from_type,
    parse_clock,
    parse_duration,
    parse_iso_date,
    web_link,
)

if TYPE_CHECKING:
    from planner.importers import ImportOptions

FORMAT = "csv"

# Column name (folded) -> field. The first matching column wins.
_COLUMNS: dict[str, str] = {
    "room": "room", "raum": "room", "location": "room", "venue": "room", "stage": "room",
    "date": "date", "datum": "date", "day date": "date",
    "start": "start", "start time": "start", "begin": "start", "beginn": "start",
    "time": "start", "from": "start", "starts": "start",
    "end": "end", "end time": "end", "ende": "end", "until": "end", "to": "end",
    "duration": "duration", "dauer": "duration", "length": "duration",
    "title": "title", "titel": "title", "name": "title", "talk": "title", "session": "title",
    "speakers": "speakers", "speaker": "speakers", "persons": "speakers", "sprecher": "speakers",
    "presenter": "speakers", "presenters": "speakers", "referent": "speakers",
    "abstract": "abstract", "description": "description", "beschreibung": "description",
    "language": "language", "sprache": "language", "track": "track", "type": "type",
    "kind": "type", "id": "id", "file url": "url", "url": "url", "link": "url",
}
_REQUIRED = ("title", "start")
_SPEAKER_ID = re.compile(r"^\s*\d+\s*:\s*")


def _fields(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        field = _COLUMNS.get(" ".join(name.strip().lower().replace("_", " ").split()))
        if field is not None and field not in found:
            found[field] = index
    return found


def sniff(text: str) -> bool:
    """A comma-separated header row naming at least a title and a start column."""
    head = text[:2000].lstrip("\ufeff \t\r\n")
    if head.startswith(("<", "{", "[", "BEGIN:")):
        return False
    fields = _fields(structured.csv_header(head))
    return all(name in fields for name in _REQUIRED) and ("date" in fields or "room" in fields)


def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """Sessions from the rows; a row that cannot be placed in time is kept unscheduled."""
    rows = structured.csv_rows(text.lstrip("\ufeff"), path)
    first = next(rows, None)
    if first is None:
        raise ProgramError("is an empty CSV file", path=path, line=1)
    fields = _fields(first[1])
    missing = [name for name in _REQUIRED if name not in fields]
    if missing:
        raise ProgramError(f"is a CSV file without a {' or '.join(missing)} column; expected a "
                           f"header such as Room,Date,Start,Duration,Title,Speakers",
                           path=path, line=1)
    choice = choose_zone(requested=options.source_zone)
    zone = timezones.get_zone(choice.name)
    warnings = list(choice.warnings)
    if not options.source_zone:
        warnings[:] = ["A CSV schedule names no time zone; its times are read as UTC. Choose "
                       "the conference's zone (--source-tz, or the zone control in the window): "
                       "every time will move with it."]
    ids = IdAllocator()
    sessions = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        session = _session(row, fields, line, zone, ids, warnings)
        if session is not None:
            sessions.append(session)
    if not sessions:
        raise ProgramError("is a CSV schedule without a single row to read", path=path, line=2)
    return Program(name=_name(path), source_zone=choice.name, sessions=sessions,
                   zone_guessed=choice.guessed,
                   zone_evidence=choice.evidence if options.source_zone else "no evidence; "
                   "UTC assumed", source_format=FORMAT, warnings=warnings)


def _name(path: str) -> str:
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return clean_line(stem.replace("_", " ")) or "CSV schedule"


def _cell(row: list[str], fields: dict[str, int], name: str) -> str:
    index = fields.get(name)
    return row[index] if index is not None and index < len(row) else ""


def _session(row: list[str], fields: dict[str, int], line: int, zone: dt.tzinfo,
             ids: IdAllocator, warnings: list[str]) -> Session | None:
    title = clean_line(html_to_text(_cell(row, fields, "title")))
    if not title:
        warnings.append(f"line {line}: a row without a title; skipped")
        return None
    kind = kind_from_type(_cell(row, fields, "type"), SessionKind.TALK)
    start, end, estimated = _times(row, fields, line, zone, kind, title, warnings)
    speakers = [_SPEAKER_ID.sub("", name).strip()
                for name in re.split(r"[;,\n]|\s+und\s+|\s+and\s+", _cell(row, fields, "speakers"))]
    link = web_link(_cell(row, fields, "url"))
    texts = [html_to_text(_cell(row, fields, name)) for name in ("abstract", "description")]
    description = "\n\n".join(dict.fromkeys(text for text in texts if text))
    given_id = clean_line(_cell(row, fields, "id"))
    base = f"row-{slug(given_id)}" if given_id else slug(title)
    session_id = ids.allocate(base, f"{title}|{start}|{line}")
    return Session(id=session_id, kind=kind, title=title, start=start, end=end,
                   end_estimated=estimated, floating=start is not None,
                   room=clean_line(_cell(row, fields, "room")),
                   track=clean_line(_cell(row, fields, "track")),
                   language=clean_line(_cell(row, fields, "language")),
                   speakers=[name for name in speakers if name],
                   links=[Link(link, "Recording")] if link else [],
                   description=description, source_line=line)


def _times(row: list[str], fields: dict[str, int], line: int, zone: dt.tzinfo,
           kind: SessionKind, title: str, warnings: list[str],
           ) -> tuple[dt.datetime | None, dt.datetime | None, bool]:
    start_text, date_text = _cell(row, fields, "start").strip(), _cell(row, fields, "date")
    try:
        day = parse_iso_date(date_text or start_text)
        clock = parse_clock(start_text[-8:].strip() if len(start_text) > 8 else start_text)
        if clock is None:
            raise ValueError(f"{start_text[:30]!r} is not a time of day (expected hh:mm)")
    except ValueError as exc:
        warnings.append(f"line {line}: {title}: not scheduled ({exc})")
        return None, None, False
    start = timezones.localize(dt.datetime.combine(day, clock), zone)
    end_clock = parse_clock(_cell(row, fields, "end"))
    if end_clock is not None:
        end_day = day if end_clock > clock else day + dt.timedelta(days=1)
        return start, timezones.localize(dt.datetime.combine(end_day, end_clock), zone), False
    try:
        duration = parse_duration(_cell(row, fields, "duration"))
    except ValueError as exc:
        warnings.append(f"line {line}: {title}: duration ignored ({exc})")
        duration = None
    if duration is None:
        return start, timezones.add(start, ESTIMATED_DURATION[kind]), True
    return start, timezones.add(start, duration), False
