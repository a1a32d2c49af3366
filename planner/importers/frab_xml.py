"""frab / Pentabarf ``schedule.xml`` (frab, pretalx, Pentabarf, wafer, OSEM, the c3voc hub).

Accepted shapes: ``<schedule><conference/><day date=...><room name=...><event id guid>``, the
legacy Pentabarf form with ``<event>`` directly under ``<day>`` (FOSDEM 2010), with or without
``<time_zone_name>``, with a per-event ``<date>`` carrying an offset (used as is: those times are
exact) or only ``<start>``/``<duration>`` against the day's date. Then the conference's
``<day_change>`` decides the calendar date: with day_change 09:00, an event at 01:00 belongs to
the night after the day's date.

The frab event model (shared with :mod:`planner.importers.frab_json`) lives here too, so an XML
and a JSON export of one conference give the same ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.gc_pause import collector_paused
from planner.core.ids import slug
from planner.core.model import ESTIMATED_DURATION, Link, Program, Session, SessionKind
from planner.importers import ImportOptions
from planner.importers.frab_reader import RawEvent, ScheduleReader
from planner.importers.import_notes import ImportNotes
from planner.importers.safe_xml import stream_xml
from planner.importers.text import (
    IdAllocator,
    choose_zone,
    clean_line,
    html_to_text,
    kind_from_type,
    parse_clock,
    parse_duration,
    parse_iso_datetime,
    web_link,
)

FORMAT = "frab-xml"
_SNIFF = re.compile(r"<schedule[\s>/]")
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_DOCTYPE_SCHEDULE = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!DOCTYPE\s+schedule\b",
                               re.DOTALL)
# Warnings about single events are capped; the rest are counted.


def sniff(text: str) -> bool:
    """An XML document whose root is ``<schedule>`` (or whose DOCTYPE says it is, however long
    its internal subset: hostile files hide entity bombs there and must still reach the
    defused parser to be refused with a clear message)."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        return False
    return _SNIFF.search(head) is not None or _DOCTYPE_SCHEDULE.match(head) is not None


# -- the frab event model, shared with frab JSON ----------------------------------------------
@dataclass
class FrabConference:
    """What a frab file says about the conference as a whole."""

    title: str = ""
    acronym: str = ""
    zone_name: str = ""
    zone_where: str = "<time_zone_name>"
    city: str = ""
    day_change: dt.time = dt.time(0)
    base_url: str = ""


@dataclass
class FrabEvent:
    """One event as frab files write it, before times are resolved."""

    id: str = ""
    guid: str = ""
    title: str = ""
    day_date: dt.date | None = None
    day_change: dt.time | None = None  # this day's own change time, else the conference's
    date: str = ""  # ISO date-time, usually with an offset
    start: str = ""  # hh:mm against the day's date
    duration: str = ""
    end: str = ""  # ISO date-time (schedule v2)
    room: str = ""
    track: str = ""
    type: str = ""
    language: str = ""
    subtitle: str = ""
    abstract: str = ""
    description: str = ""
    persons: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    line: int | None = None
    element: str = ""  # how to name it in a message: <event id="9025"> or a JSON path


def _where(event: FrabEvent) -> str:
    """How a warning names an event: its line when known, and its element."""
    return f"line {event.line}, {event.element}" if event.line else event.element


def _parse_instant(value: str) -> dt.datetime | None:
    try:
        return parse_iso_datetime(value)
    except ValueError:
        return None


def build_program(conference: FrabConference, events: list[FrabEvent], options: ImportOptions,
                  path: str, format_name: str, warnings: list[str] | None = None) -> Program:
    """Resolve times, ids and text of frab events into a Program.

    Times with an offset are exact (not floating); times without one are wall-clock times in
    the source zone (floating). The zone comes from the user, ``time_zone_name``, the city, the
    offsets the file uses, or UTC, in that order; anything but the first two is a guess the
    program says it made.
    """
    notes = ImportNotes()
    parsed_dates: list[dt.datetime | None] = []
    offsets: Counter[dt.timedelta] = Counter()
    sample: dt.datetime | None = None
    for event in events:
        moment = _parse_instant(event.date) if event.date else None
        if event.date and moment is None:
            notes.event(_where(event), f"<date> {event.date!r} is not an ISO date-time "
                             f"(expected e.g. 2020-02-01T09:30:00+01:00); <start> used instead")
        parsed_dates.append(moment)
        if moment is not None and moment.tzinfo is not None:
            offset = moment.utcoffset()
            if offset is not None:
                offsets[offset] += 1
                sample = sample or moment
    choice = choose_zone(requested=options.source_zone,
                         declared=[(conference.zone_name, conference.zone_where)],
                         offsets=offsets, sample=sample, city=conference.city,
                         title=conference.title or conference.acronym)
    zone = timezones.get_zone(choice.name)
    clock = _Clock(zone, notes)

    sessions: list[Session] = []
    ids = IdAllocator()
    unscheduled = 0
    # Rooms, tracks, languages and many speakers repeat from event to event, and merged
    # programs repeat whole descriptions: each distinct text is cleaned once.
    lines: dict[str, str] = {}
    descriptions: dict[tuple[str, str], str] = {}

    def line(text: str) -> str:
        found = lines.get(text)
        if found is None:
            found = lines[text] = clean_line(text)
        return found

    for event, moment in zip(events, parsed_dates, strict=True):
        kind = kind_from_type(event.type)
        try:
            start, floating = _start_of(event, moment, conference, clock, notes)
            end, estimated = _end_of(event, start, kind, clock, notes)
        except (OverflowError, ValueError) as exc:  # year 9999 plus a day, and the like
            notes.event(_where(event), f"its time cannot be placed ({exc}); listed as unscheduled")
            start = end = None
            floating = estimated = False
        if start is None:
            unscheduled += 1
        session_id = _base_id(event)
        if session_id in ids.taken:
            session_id = ids.allocate(session_id, f"{event.guid}|{event.date or event.start}"
                                                  f"|{event.room}|{event.title}")
        else:
            ids.taken.add(session_id)
        room = line(event.room)
        speakers = [line(person) for person in event.persons]
        texts = (event.abstract, event.description)
        description = descriptions.get(texts)
        if description is None:
            description = descriptions[texts] = _description(*texts)
        sessions.append(Session(
            id=session_id, kind=kind, title=clean_line(event.title) or "(untitled)",
            start=start, end=end, end_estimated=estimated, floating=floating,
            location=room, room=room, track=line(event.track),
            language=line(event.language), subtitle=clean_line(event.subtitle),
            speakers=[name for name in speakers if name], links=event.links,
            description=description, guid=clean_line(event.guid), source_line=event.line))

    all_warnings = [*(warnings or []), *choice.warnings]
    if ids.duplicates:
        all_warnings.append(f"{ids.duplicates} events repeat an id already used in the file; they "
                            f"were given distinct ids (the id plus a short hash)")
    if unscheduled:
        all_warnings.append(f"{unscheduled} events have no usable start time; they are listed "
                            f"as unscheduled")
    all_warnings.extend(notes.all())
    title = clean_line(conference.title) or clean_line(conference.acronym)
    key_source = clean_line(conference.acronym) or title
    return Program(name=title or "Untitled program", source_zone=choice.name,
                   sessions=sessions, key=slug(key_source) if key_source else "",
                   zone_guessed=choice.guessed, zone_evidence=choice.evidence,
                   source_path=path, source_format=format_name, warnings=all_warnings)


def _base_id(event: FrabEvent) -> str:
    """``e-<frab id>``: frab ids are what every schedule app and URL uses; guid otherwise."""
    event_id = clean_line(event.id)
    if event_id and _PLAIN_ID.fullmatch(event_id):
        return f"e-{event_id}"
    guid = clean_line(event.guid)
    if guid and _PLAIN_ID.fullmatch(guid):
        return f"g-{guid.lower()}"
    return f"e-{slug(event.title or event_id or guid or 'event', max_length=40)}"


class _Clock:
    """Times in the source zone, memoized: a program has far fewer distinct times than events."""

    def __init__(self, zone: dt.tzinfo, notes: ImportNotes) -> None:
        self.zone = zone
        self.notes = notes
        self._exact: dict[dt.datetime, dt.datetime] = {}
        self._wall: dict[dt.datetime, timezones.Localized] = {}
        self._after: dict[tuple[dt.datetime, dt.timedelta], dt.datetime] = {}

    def exact(self, moment: dt.datetime) -> dt.datetime:
        """An instant given with an offset, shown on the source zone's clock."""
        found = self._exact.get(moment)  # equal instants hash alike, whatever their offset
        if found is None:
            found = self._exact[moment] = timezones.to_zone(moment, self.zone)
        return found

    def after(self, start: dt.datetime, elapsed: dt.timedelta) -> dt.datetime:
        """Start plus elapsed time (programs repeat the same slots all day)."""
        key = (start, elapsed)
        found = self._after.get(key)
        if found is None:
            found = self._after[key] = timezones.add(start, elapsed)
        return found

    def wall(self, wall: dt.datetime, event: FrabEvent) -> dt.datetime:
        """A wall-clock time in the source zone (gap/fold policy of the zone module)."""
        result = self._wall.get(wall)
        if result is None:
            result = self._wall[wall] = timezones.localize_checked(wall, self.zone)
        if result.note:
            self.notes.event(_where(event), f"{wall:%Y-%m-%d %H:%M}: {result.note}")
        return result.instant


def _start_of(event: FrabEvent, moment: dt.datetime | None, conference: FrabConference,
              clock: _Clock, notes: ImportNotes) -> tuple[dt.datetime | None, bool]:
    """The start instant and whether it is floating (no offset in the file)."""
    if moment is not None and moment.tzinfo is not None:
        return clock.exact(moment), False
    if moment is not None:
        return clock.wall(moment, event), True
    time_of_day = parse_clock(event.start)
    if time_of_day is None:
        if event.start:
            notes.event(_where(event),
                        f"<start> {event.start!r} is not a time of day (expected hh:mm)")
        return None, False
    if event.day_date is None:
        notes.event(_where(event),
                    "has a <start> but neither a <date> nor a <day date=...> to place it")
        return None, False
    day = event.day_date
    day_change = event.day_change if event.day_change is not None else conference.day_change
    if day_change != dt.time(0) and time_of_day < day_change:
        # The conference day runs from day_change to day_change: 01:00 is the next night.
        day = day + dt.timedelta(days=1)
    return clock.wall(dt.datetime.combine(day, time_of_day), event), True


def _end_of(event: FrabEvent, start: dt.datetime | None, kind: SessionKind, clock: _Clock,
            notes: ImportNotes) -> tuple[dt.datetime | None, bool]:
    if start is None:
        return None, False
    if event.end:
        end = _parse_instant(event.end)
        if end is not None:
            if end.tzinfo is None:
                end = timezones.localize(end, start.tzinfo or timezones.UTC)
            end = timezones.to_zone(end, start.tzinfo or timezones.UTC)
            if end >= start:
                return end, False
            notes.event(_where(event), f"ends ({event.end}) before it starts; length estimated")
        else:
            notes.event(_where(event),
                        f"end {event.end!r} is not an ISO date-time; length estimated")
    try:
        duration = parse_duration(event.duration)
    except ValueError as exc:
        notes.event(_where(event), f"<duration> {exc}; length estimated")
        duration = None
    if duration is not None:
        return clock.after(start, duration), False
    estimate = ESTIMATED_DURATION[kind]
    return clock.after(start, estimate), True


def _description(abstract: str, description: str) -> str:
    """Abstract and description as one plain text, without saying the same thing twice."""
    first = html_to_text(abstract)
    second = html_to_text(description)
    if not first or second.startswith(first):
        return second
    if not second or first.startswith(second):
        return first
    return f"{first}\n\n{second}"


# -- reading the XML -----------------------------------------------------------------------------
def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """Read a frab/Pentabarf schedule.xml; ProgramError on anything that is not one."""
    with collector_paused():  # see planner.core.gc_pause: everything made here stays alive
        return _parse(text, options, path)


def _parse(text: str, options: ImportOptions, path: str) -> Program:
    reader = ScheduleReader(path)
    stream_xml(text, path, reader)
    if reader.root is None:  # pragma: no cover - expat rejects a document without elements
        raise ProgramError("has no elements; expected <schedule>", path=path, line=1)
    if not reader.days:
        raise ProgramError("has no <day> elements; expected <schedule><day date=\"…\"><room "
                           "name=\"…\"><event>…", path=path, element="<schedule>")
    conference = _conference(reader.conference_fields)
    warnings = list(reader.warnings)
    if not reader.conference_fields:
        warnings.append("the file has no <conference> element; title and zone are unknown")
    events = [_event(raw, conference.base_url) for raw in reader.events]
    if not events:
        warnings.append("the schedule has days but no events")
    return build_program(conference, events, options, path, FORMAT, warnings)


def _event(raw: RawEvent, base_url: str) -> FrabEvent:
    """A raw event with links resolved (the base URL may come late in the file)."""
    links: list[Link] = []
    for href, title in raw.links:
        url = web_link(href, base_url)
        if url:
            links.append(Link(url, clean_line(title) or url))
    get = raw.texts.get
    page = web_link(get("url"), base_url) if "url" in raw.texts else ""
    if page and all(link.url != page for link in links):
        links.insert(0, Link(page, "Event page"))
    event_id = raw.attrs.get("id", "")
    return FrabEvent(
        id=event_id, guid=raw.attrs.get("guid", ""), title=get("title", "").strip(),
        day_date=raw.day_date, date=get("date", "").strip(), start=get("start", "").strip(),
        duration=get("duration", "").strip(), room=get("room", "").strip() or raw.room,
        track=get("track", "").strip(), type=get("type", "").strip(),
        language=get("language", "").strip(), subtitle=get("subtitle", "").strip(),
        abstract=get("abstract", ""), description=get("description", ""),
        persons=raw.persons, links=links, line=raw.line,
        element=f'<event id="{event_id}">' if event_id else "<event>")


def _conference(fields: dict[str, str]) -> FrabConference:
    """The conference from the text of ``<conference>``'s children."""
    day_change = parse_clock(fields.get("day_change")) or dt.time(0)
    return FrabConference(title=fields.get("title", ""), acronym=fields.get("acronym", ""),
                          zone_name=fields.get("time_zone_name", ""),
                          city=fields.get("city", ""), day_change=day_change,
                          base_url=fields.get("base_url", ""))
