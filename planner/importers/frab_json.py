"""frab / c3voc ``schedule.json``: the classic layout and the newer top-level event list.

* Classic (c3voc schema v1, frab and pretalx exports):
  ``schedule.conference.days[].rooms{name: [event, ...]}``, events with ``date`` (offset),
  ``start``/``duration`` and integer ``id``.
* Newer (c3voc schema 2): ``schedule.events[]`` with ``start``/``end`` date-times (or an ISO 8601
  ``duration``), rooms and tracks as references (``{"guid"}``/``{"slug"}``) resolved through
  ``schedule.conference.rooms``/``tracks``, ``participants`` and localizable texts.

Times, ids and text follow the frab XML rules (:func:`planner.importers.frab_xml.build_program`),
so the same conference gives the same ids from either file. Where a file breaks the c3voc schema
in a field the app relies on (an ``id`` that is not an integer, a room list in the wrong place,
an event without a title), the import stops with every problem named, because guessing what a
malformed export meant would silently show wrong data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from planner.core.errors import ProgramError
from planner.core.model import Link, Program
from planner.importers import ImportOptions, limits, structured
from planner.importers.frab_xml import FrabConference, FrabEvent, build_program
from planner.importers.text import (
    clean_line,
    line_of,
    parse_iso_date,
    parse_iso_datetime,
    replace_surrogates,
    web_link,
)

FORMAT = "frab-json"
MAX_LISTED_PROBLEMS = 6


def sniff(text: str) -> bool:
    """A JSON object that mentions a schedule or a conference near its start."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    return head.startswith("{") and ('"schedule"' in head or '"conference"' in head)


@dataclass
class _Problem:
    """One way the file breaks the schema, and a pattern that finds its line."""

    where: str
    what: str
    pattern: str = ""


_GUID_KEY = re.compile(r'"guid"\s*:\s*"([^"\\]{1,200})"')


@dataclass
class _Reader:
    text: str
    path: str
    problems: list[_Problem] = field(default_factory=list)
    _guid_lines: dict[str, int] | None = None

    def line_of_guid(self, guid: object) -> int | None:
        """The line where an event's guid is written (one pass over the text, on demand)."""
        if not isinstance(guid, str):
            return None
        if self._guid_lines is None:
            lines: dict[str, int] = {}
            line, position = 1, 0
            for match in _GUID_KEY.finditer(self.text):
                line += self.text.count("\n", position, match.start())
                position = match.start()
                lines.setdefault(match.group(1), line)
            self._guid_lines = lines
        return self._guid_lines.get(guid)

    def problem(self, where: str, what: str, pattern: str = "") -> None:
        self.problems.append(_Problem(where, what, pattern))

    def fail_if_problems(self) -> None:
        if not self.problems:
            return
        first = self.problems[0]
        shown = "; ".join(f"{p.where}: {p.what}" for p in self.problems[:MAX_LISTED_PROBLEMS])
        more = len(self.problems) - MAX_LISTED_PROBLEMS
        if more > 0:
            shown += f"; and {more} more"
        count = len(self.problems)
        raise ProgramError(
            replace_surrogates(f"does not follow the c3voc schedule.json schema ({count} "
                      f"problem{'s' if count != 1 else ''}): {shown}"),
            path=self.path, line=line_of(self.text, first.pattern) if first.pattern else None,
            element=replace_surrogates(first.where))


# Objects of any kind one file may hold (events, people, links, rooms...): a bound on work
# for files whose events are not recognisable as such.
MAX_JSON_OBJECTS = 2_000_000


class _SizeGuard:
    """Counts events while the JSON parser builds them (``object_hook``), so an over-limit
    file is refused part-way, before its whole tree is in memory."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.events = 0
        self.objects = 0

    def __call__(self, value: dict[str, Any]) -> dict[str, Any]:
        self.objects += 1
        if "title" in value and ("guid" in value or "start" in value or "date" in value):
            self.events += 1
            if self.events > limits.MAX_SESSIONS:
                raise limits.too_many_sessions(self.path, "events")
        if self.objects > MAX_JSON_OBJECTS:
            raise ProgramError(f"has more than {MAX_JSON_OBJECTS:,} JSON objects; refused as "
                               f"too large for a conference program", path=self.path)
        return value


def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """Read a frab/c3voc schedule.json (either layout); ProgramError naming every problem."""
    data = structured.load_json(text, path, _SizeGuard(path))
    reader = _Reader(text, path)
    if not isinstance(data, dict):
        raise ProgramError(f"expected a JSON object with a \"schedule\" key, found "
                           f"{_kind(data)}", path=path, line=1)
    schedule = data.get("schedule", data if "conference" in data else None)
    if not isinstance(schedule, dict):
        raise ProgramError("expected a \"schedule\" object (frab/c3voc schedule.json)",
                           path=path, line=1, element="schedule")
    conference_data = schedule.get("conference")
    if not isinstance(conference_data, dict):
        raise ProgramError("expected schedule.conference to be an object with title, acronym "
                           "and days", path=path, line=line_of(text, r'"conference"'),
                           element="schedule.conference")
    events_v2 = schedule.get("events")
    conference = FrabConference(
        title=_string(conference_data.get("title")),
        acronym=_string(conference_data.get("acronym")),
        zone_name=_string(conference_data.get("time_zone_name")),
        zone_where="conference.time_zone_name",
        base_url=_string(schedule.get("base_url")) or _string(conference_data.get("url")))
    if isinstance(events_v2, list):
        events = _events_v2(reader, schedule, conference_data, events_v2, conference.base_url)
    else:
        if "rooms" in schedule:
            reader.problem("schedule.rooms", "a room list is not allowed here; it belongs in "
                           "schedule.conference.rooms", r'"rooms"\s*:\s*\[')
        events = _events_v1(reader, conference_data, conference)
    reader.fail_if_problems()
    warnings = [] if events else ["the schedule has no events"]
    return build_program(conference, events, options, path, FORMAT, warnings)


# -- classic layout --------------------------------------------------------------------------------
def _events_v1(reader: _Reader, conference_data: dict[str, Any],
               conference: FrabConference) -> list[FrabEvent]:
    days = conference_data.get("days")
    if not isinstance(days, list):
        raise ProgramError("expected schedule.conference.days to be a list of days (or a "
                           "top-level schedule.events list)", path=reader.path,
                           line=line_of(reader.text, r'"conference"'),
                           element="schedule.conference.days")
    events: list[FrabEvent] = []
    for day_index, day in enumerate(days):
        where = f"schedule.conference.days[{day_index}]"
        if not isinstance(day, dict):
            reader.problem(where, f"expected a day object, found {_kind(day)}")
            continue
        day_date = _date_or_none(day.get("date"))
        day_change = _day_change(day, day_date)
        rooms = day.get("rooms")
        if not isinstance(rooms, dict):
            reader.problem(f"{where}.rooms", f"expected an object of room name -> event list, "
                           f"found {_kind(rooms)}")
            continue
        for room_name, room_events in rooms.items():
            room_where = f"{where}.rooms.{room_name}"
            if not isinstance(room_events, list):
                reader.problem(room_where, f"expected a list of events, found "
                               f"{_kind(room_events)}")
                continue
            for index, item in enumerate(room_events):
                event = _event_v1(reader, item, f"{room_where}[{index}]", conference.base_url)
                if event is None:
                    continue
                event.day_date = day_date
                event.day_change = day_change
                event.room = event.room or str(room_name)
                events.append(event)
    return events


def _day_change(day: dict[str, Any], day_date: dt.date | None) -> dt.time | None:
    """A day's own start (``day_start`` 04:00 on its date) is where it changes to the next."""
    raw = day.get("day_start")
    if not isinstance(raw, str) or day_date is None:
        return None
    try:
        start = parse_iso_datetime(raw)
    except ValueError:
        return None
    return start.time().replace(tzinfo=None) if start.date() == day_date else None


def _event_v1(reader: _Reader, item: Any, where: str, base_url: str) -> FrabEvent | None:
    if not isinstance(item, dict):
        reader.problem(where, f"expected an event object, found {_kind(item)}")
        return None
    guid = item.get("guid")
    pattern = (r'"guid"\s*:\s*"' + re.escape(guid) + '"') if isinstance(guid, str) else ""
    raw_id = item.get("id")
    if raw_id is not None and (not isinstance(raw_id, int) or isinstance(raw_id, bool)):
        reader.problem(f"{where}.id", f"expected an integer, found {_kind(raw_id)} "
                       f"{json.dumps(raw_id, ensure_ascii=False)}",
                       r'"id"\s*:\s*' + re.escape(json.dumps(raw_id, ensure_ascii=False)))
    _check_strings(reader, item, where, pattern, ("guid", "title", "date", "start", "duration",
                                                  "room", "type"))
    if not isinstance(item.get("title"), str):
        reader.problem(f"{where}.title", "every event needs a title", pattern)
    persons = _people(reader, item.get("persons"), f"{where}.persons", pattern)
    return FrabEvent(
        id=str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else "",
        guid=_string(guid), title=_string(item.get("title")), date=_string(item.get("date")),
        start=_string(item.get("start")), duration=_string(item.get("duration")),
        end=_string(item.get("end")), room=_string(item.get("room")),
        track=_string(item.get("track")), type=_string(item.get("type")),
        language=_string(item.get("language")), subtitle=_string(item.get("subtitle")),
        abstract=_localized(item.get("abstract")),
        description=_localized(item.get("description")), persons=persons,
        links=_links(item, base_url), line=reader.line_of_guid(guid),
        element=where)


def _people(reader: _Reader, value: Any, where: str, pattern: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problem(where, f"expected a list of persons, found {_kind(value)}", pattern)
        return []
    names: list[str] = []
    for index, person in enumerate(value):
        if isinstance(person, str):
            names.append(person)
            continue
        if not isinstance(person, dict):
            reader.problem(f"{where}[{index}]", f"expected a person object, found "
                           f"{_kind(person)}", pattern)
            continue
        person_id = person.get("id")
        if person_id is not None and (not isinstance(person_id, int)
                                      or isinstance(person_id, bool)):
            reader.problem(f"{where}[{index}].id", f"expected an integer person id, found "
                           f"{_kind(person_id)} {json.dumps(person_id, ensure_ascii=False)}",
                           r'"id"\s*:\s*' + re.escape(json.dumps(person_id,
                                                                 ensure_ascii=False)))
        name = person.get("public_name") or person.get("name") or person.get("full_public_name")
        if isinstance(name, str):
            names.append(name)
        else:
            reader.problem(f"{where}[{index}]", "a person needs a name or public_name", pattern)
    return names


# -- newer layout: schedule.events[] ------------------------------------------------------------
def _events_v2(reader: _Reader, schedule: dict[str, Any], conference_data: dict[str, Any],
               items: list[Any], base_url: str) -> list[FrabEvent]:
    rooms = _names_by(conference_data.get("rooms") or schedule.get("rooms"), "guid")
    tracks = _names_by(conference_data.get("tracks"), "slug")
    events: list[FrabEvent] = []
    for index, item in enumerate(items):
        where = f"schedule.events[{index}]"
        if not isinstance(item, dict):
            reader.problem(where, f"expected an event object, found {_kind(item)}")
            continue
        guid = item.get("guid")
        pattern = (r'"guid"\s*:\s*"' + re.escape(guid) + '"') if isinstance(guid, str) else ""
        _check_strings(reader, item, where, pattern, ("guid", "title", "start", "end",
                                                      "duration", "type", "language"))
        if not isinstance(item.get("title"), str):
            reader.problem(f"{where}.title", "every event needs a title", pattern)
        if not isinstance(item.get("start"), str):
            reader.problem(f"{where}.start", "expected a date-time such as "
                           "2020-12-14T09:00:00+01:00", pattern)
        participants = item.get("participants", item.get("persons"))
        events.append(FrabEvent(
            guid=_string(guid), title=_string(item.get("title")),
            date=_string(item.get("start")), end=_string(item.get("end")),
            duration=_string(item.get("duration")),
            room=_reference(item.get("room"), rooms, "guid"),
            track=_reference(item.get("track"), tracks, "slug"),
            type=_string(item.get("type")), language=_string(item.get("language")),
            subtitle=_string(item.get("subtitle")), abstract=_localized(item.get("abstract")),
            description=_localized(item.get("description")),
            persons=_people(reader, participants, f"{where}.participants", pattern),
            links=_links(item, base_url), line=reader.line_of_guid(guid), element=where))
    return events


def _names_by(value: Any, key: str) -> dict[str, str]:
    """``[{"guid": g, "name": n}, ...]`` as {g: n}, for resolving references."""
    names: dict[str, str] = {}
    if isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                names[entry[key]] = _string(entry.get("name")) or entry[key]
    return names


def _reference(value: Any, names: dict[str, str], key: str) -> str:
    """A room or track given by name, or by reference ``{"guid": ...}``/``{"slug": ...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("name"), str):
            return str(value["name"])
        ref = value.get(key)
        if isinstance(ref, str):
            return names.get(ref, ref)
    return ""


# -- small readers -------------------------------------------------------------------------------
def _check_strings(reader: _Reader, item: dict[str, Any], where: str, pattern: str,
                   keys: tuple[str, ...]) -> None:
    for key in keys:
        value = item.get(key)
        if value is not None and not isinstance(value, str) and not (
                key in ("room", "track") and isinstance(value, dict)):
            reader.problem(f"{where}.{key}", f"expected a string, found {_kind(value)}",
                           pattern)


def _links(item: dict[str, Any], base_url: str) -> list[Link]:
    links: list[Link] = []
    page = web_link(_string(item.get("url")), base_url)
    if page:
        links.append(Link(page, "Event page"))
    for key in ("links", "attachments"):
        value = item.get(key)
        if not isinstance(value, list):
            continue
        for entry in value:
            if isinstance(entry, str):
                url, title = web_link(entry, base_url), ""
            elif isinstance(entry, dict):
                url = web_link(_string(entry.get("url") or entry.get("href")), base_url)
                title = clean_line(_string(entry.get("title")))
            else:
                continue
            if url and all(link.url != url for link in links):
                links.append(Link(url, title or url))
    return links


def _localized(value: Any) -> str:
    """A text, or the English (else first) entry of a ``{"en": ..., "de": ...}`` map."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("en", *value.keys()):
            if isinstance(value.get(key), str):
                return str(value[key])
    return ""


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date_or_none(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


def _kind(value: Any) -> str:
    """How JSON would name a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


