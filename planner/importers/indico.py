"""Indico's HTTP export API: ``/export/event/ID.json`` (``detail=contributions`` or
``detail=sessions``) and ``/export/timetable/ID.json``.

Shapes (docs.getindico.io, "HTTP API" → "Exporters", and ``indico/modules/events/api.py``):

* event export: ``{"_type": "HTTPAPIResult", "results": [event]}``; an event has ``title``,
  ``timezone``, ``startDate`` ``{"date", "time", "tz"}``, ``contributions`` (each with
  ``startDate``/``endDate``/``duration`` minutes, ``room``, ``location``, ``track``, ``type``,
  ``speakers``/``primaryauthors``/``coauthors`` with ``fullName``, ``url``) and, with
  ``detail=sessions``, ``sessions``: session blocks (``title``, ``slotTitle``, ``session``
  with ``isPoster``, ``conveners``, ``room``) whose ``contributions`` are nested inside;
* timetable export: ``{"results": {event_id: {"YYYYMMDD": {entry_id: entry}}}}``, entries of
  ``entryType`` ``Contribution``, ``Session`` (with nested ``entries``) or ``Break``.

A contribution on its own is a talk; contributions inside a session block are its papers.
Times are wall times with their zone name (``tz``), so they are exact; the program's zone is
the event's ``timezone``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.ids import slug
from planner.core.model import ESTIMATED_DURATION, Link, Paper, Program, Session, SessionKind
from planner.importers import structured
from planner.importers.structured import Locator, text_of
from planner.importers.text import (
    IdAllocator,
    choose_zone,
    clean_line,
    html_to_text,
    kind_from_type,
    web_link,
)

if TYPE_CHECKING:
    from planner.importers import ImportOptions

FORMAT = "indico"
MAX_ITEMS = 100_000


def sniff(text: str) -> bool:
    """Indico's export envelope (``"_type": "HTTPAPIResult"``) near the start."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    return head.startswith("{") and "HTTPAPIResult" in head


@dataclass
class _Reader:
    path: str
    where: Locator
    zone_name: str = "UTC"
    ids: IdAllocator = field(default_factory=IdAllocator)
    sessions: list[Session] = field(default_factory=list)
    papers: dict[str, Paper] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    count: int = 0

    def moment(self, value: Any, label: str) -> dt.datetime | None:
        """An Indico ``{"date", "time", "tz"}`` as an instant; None (with a warning) if bad."""
        if value is None:
            return None
        if not isinstance(value, dict):
            self.warnings.append(f"{label}: a date that is not {{date, time, tz}}; ignored")
            return None
        try:
            day = dt.date.fromisoformat(text_of(value.get("date")))
            clock = dt.time.fromisoformat(text_of(value.get("time")) or "00:00:00")
            zone = timezones.get_zone(text_of(value.get("tz")) or self.zone_name)
        except (ValueError, timezones.UnknownZoneError) as exc:
            self.warnings.append(f"{label}: date ignored ({str(exc)[:80]})")
            return None
        return timezones.localize(dt.datetime.combine(day, clock), zone)

    def grow(self) -> None:
        self.count += 1
        if self.count > MAX_ITEMS:
            raise ProgramError(f"has more than {MAX_ITEMS} contributions; refused",
                               path=self.path)


def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    data = structured.load_json(text, path)
    if not isinstance(data, dict):
        raise ProgramError("is not an Indico export (its top level is not an object)",
                           path=path, line=1)
    results = data.get("results")
    reader = _Reader(path, Locator(text))
    if isinstance(results, list):
        events = [item for item in results if isinstance(item, dict)]
        if not events:
            raise ProgramError("is an Indico export without an event in \"results\"",
                               path=path, line=reader.where.line_of("results"))
        event = events[0]
        if len(events) > 1:
            reader.warnings.append(f"the export holds {len(events)} events; only the first, "
                                   f"{_title(event.get('title'))!r}, is read")
        name, declared = _title(event.get("title")), text_of(event.get("timezone"))
        reader.zone_name = _zone_or_utc(declared)
        _event(reader, event)
        key_id = text_of(event.get("id"))
    elif isinstance(results, dict):
        name, declared = "", ""
        key_id = next(iter(results), "")
        days = results.get(key_id)
        if not isinstance(days, dict):
            raise ProgramError("is an Indico timetable whose event is not an object of days",
                               path=path, line=reader.where.line_of(key_id))
        declared = _timetable_zone(days)
        reader.zone_name = _zone_or_utc(declared)
        for day in days.values():
            for entry in _values(day):
                _timetable_entry(reader, entry, None)
        name = f"Indico event {clean_line(key_id)}"
    else:
        raise ProgramError("is an Indico export without \"results\"", path=path, line=1)
    choice = choose_zone(requested=options.source_zone,
                         declared=[(declared, "the event's timezone")] if declared else [],
                         only_utc=not declared)
    return Program(name=name or "Indico event", source_zone=choice.name,
                   sessions=reader.sessions, papers=reader.papers,
                   key=f"indico-{slug(key_id or name or path, 60)}", zone_guessed=choice.guessed,
                   zone_evidence=choice.evidence, source_format=FORMAT,
                   warnings=[*choice.warnings, *reader.warnings])


def _title(value: Any) -> str:
    """A title as text: Indico titles may hold HTML (``<i>…</i>``)."""
    return " ".join(html_to_text(text_of(value)).split())


def _block_kind(title: str) -> SessionKind:
    kind = kind_from_type(title, SessionKind.ORAL)
    return SessionKind.ORAL if kind in (SessionKind.OTHER, SessionKind.TALK) else kind


def _zone_or_utc(name: str) -> str:
    try:
        return timezones.zone_name(timezones.get_zone(name)) if name else "UTC"
    except timezones.UnknownZoneError:
        return "UTC"


def _values(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [item for item in value.values() if isinstance(item, dict)]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def _timetable_zone(days: dict[str, Any]) -> str:
    zones: Counter[str] = Counter()
    for day in days.values():
        for entry in _values(day)[:50]:
            start = entry.get("startDate")
            if isinstance(start, dict) and text_of(start.get("tz")):
                zones[text_of(start.get("tz"))] += 1
    return zones.most_common(1)[0][0] if zones else ""


def _people(item: dict[str, Any], *keys: str) -> list[str]:
    names: list[str] = []
    for key in keys:
        for person in _values(item.get(key)):
            name = clean_line(text_of(person.get("fullName")) or text_of(person.get("name"))
                              or " ".join(text_of(person.get(part)) for part in (
                                  "first_name", "firstName", "last_name", "familyName")))
            if name and name not in names:
                names.append(name)
    return names


def _place(item: dict[str, Any]) -> tuple[str, str]:
    room = clean_line(text_of(item.get("room")) or text_of(item.get("roomFullname")))
    return room, clean_line(text_of(item.get("location")))


def _event(reader: _Reader, event: dict[str, Any]) -> None:
    for contribution in _values(event.get("contributions")):
        _contribution_session(reader, contribution)
    for block in _values(event.get("sessions")):
        reader.grow()
        session_info = block.get("session") if isinstance(block.get("session"), dict) else {}
        assert isinstance(session_info, dict)
        title = clean_line(text_of(block.get("title")) or text_of(session_info.get("title")))
        start = reader.moment(block.get("startDate"), title)
        end = reader.moment(block.get("endDate"), title)
        papers = [_paper(reader, item) for item in _values(block.get("contributions"))]
        room, location = _place(block)
        kind = SessionKind.POSTER if session_info.get("isPoster") is True else (
            _block_kind(title))
        _add(reader, text_of(block.get("id")), title, kind, start, end, room, location,
             _people(block, "conveners") or _people(session_info, "sessionConveners"),
             html_to_text(text_of(block.get("description"))), text_of(block.get("url")),
             [paper.id for paper in papers])


def _contribution_session(reader: _Reader, item: dict[str, Any]) -> None:
    reader.grow()
    title = _title(item.get("title")) or "Untitled"
    start = reader.moment(item.get("startDate"), title)
    end = reader.moment(item.get("endDate"), title)
    if start is not None and end is None and isinstance(item.get("duration"), int | float):
        minutes = item["duration"]
        if 0 < minutes <= 31 * 24 * 60:
            end = timezones.add(start, dt.timedelta(minutes=minutes))
    room, location = _place(item)
    kind = kind_from_type(text_of(item.get("type")), SessionKind.TALK)
    session = _add(reader, f"c{text_of(item.get('id'))}", title, kind, start, end, room,
                   location, _people(item, "speakers", "presenters"),
                   html_to_text(text_of(item.get("description"))), text_of(item.get("url")), [])
    session.track = clean_line(text_of(item.get("track")))


def _paper(reader: _Reader, item: dict[str, Any]) -> Paper:
    reader.grow()
    base = f"contribution-{slug(text_of(item.get('id')) or text_of(item.get('contributionId')) or text_of(item.get('title')))}"  # noqa: E501
    paper_id = base if base not in reader.papers else reader.ids.allocate(base, repr(item)[:200])
    authors = _people(item, "speakers", "presenters", "primaryauthors", "coauthors")
    paper = Paper(id=paper_id, title=_title(item.get("title")) or "Untitled",
                  abstract=html_to_text(text_of(item.get("description"))),
                  link=web_link(text_of(item.get("url"))), authors=authors)
    reader.papers[paper_id] = paper
    return paper


def _add(reader: _Reader, raw_id: str, title: str, kind: SessionKind,
         start: dt.datetime | None, end: dt.datetime | None, room: str, location: str,
         speakers: list[str], description: str, url: str, paper_ids: list[str]) -> Session:
    estimated = start is not None and end is None
    if start is not None and end is None:
        end = timezones.add(start, ESTIMATED_DURATION[kind])
    link = web_link(url)
    session_id = reader.ids.allocate(f"i-{slug(raw_id or title)}", f"{title}|{start}")
    session = Session(id=session_id, kind=kind, title=title or "Untitled", start=start,
                      end=end, end_estimated=estimated, room=room, location=location,
                      speakers=speakers, description=description,
                      links=[Link(link, "Indico")] if link else [], paper_ids=paper_ids,
                      source_line=reader.where.line_of(title))
    reader.sessions.append(session)
    return session


def _timetable_entry(reader: _Reader, entry: dict[str, Any], parent: Session | None) -> None:
    entry_type = text_of(entry.get("entryType"))
    if entry_type == "Session" and parent is None:  # a session in a session: one of its papers
        reader.grow()
        title = _title(entry.get("title"))
        slot = clean_line(text_of(entry.get("slotTitle")))
        if slot and slot != title:
            title = f"{title}: {slot}" if title else slot
        start = reader.moment(entry.get("startDate"), title)
        end = reader.moment(entry.get("endDate"), title)
        room, location = _place(entry)
        kind = SessionKind.POSTER if entry.get("isPoster") is True else _block_kind(title)
        session = _add(reader, text_of(entry.get("id")), title, kind, start, end, room,
                       location, _people(entry, "conveners", "presenters"),
                       html_to_text(text_of(entry.get("description"))),
                       text_of(entry.get("url")), [])
        for child in _values(entry.get("entries")):
            _timetable_entry(reader, child, session)
        return
    if parent is not None and entry_type != "Break":
        parent.paper_ids.append(_paper(reader, entry).id)
        return
    reader.grow()
    title = _title(entry.get("title")) or ("Break" if entry_type == "Break"
                                                         else "Untitled")
    start = reader.moment(entry.get("startDate"), title)
    end = reader.moment(entry.get("endDate"), title)
    room, location = _place(entry)
    kind = SessionKind.OTHER if entry_type == "Break" else SessionKind.TALK
    _add(reader, text_of(entry.get("id")), title, kind, start, end, room, location,
         _people(entry, "presenters", "speakers"),
         html_to_text(text_of(entry.get("description"))), text_of(entry.get("url")), [])
