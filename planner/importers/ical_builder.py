"""iCalendar events to sessions: recurrences expanded and bounded, RECURRENCE-ID overrides
applied, speakers, kinds, links and ids read from each VEVENT.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings as warnings_module
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from planner.core import timezones
from planner.core.ids import fold_text, short_hash, slug
from planner.core.lazy_pattern import LazyPattern
from planner.core.model import ESTIMATED_DURATION, Link, Session, SessionKind
from planner.importers.ical_values import _first, _get, _text, _Value, _value, _values
from planner.importers.ical_zones import _Zones
from planner.importers.import_notes import ImportNotes
from planner.importers.recurrence import (
    MAX_DAYS_PER_FILE,
    OutOfWork,
    Rule,
    UnsupportedRule,
    WorkBudget,
    expand,
    parse_rule,
)
from planner.importers.text import IdAllocator, clean_line, html_to_text, kind_from_type, web_link

MAX_OCCURRENCES = 500  # per recurring event
RECURRENCE_HORIZON = dt.timedelta(days=366)
# With a recurrence window (personal calendars): occurrences walked from a rule's start to the
# window's end; a daily meeting since 2010 is 6,000. The file's WorkBudget still bounds the work.
WINDOW_MAX_WALKED = 20_000
_SPEAKER_LINE = LazyPattern(r"^\s*(?:speakers?|presenters?|presented by|by|von|referent(?:in)?"
                            r"(?:en|innen)?|vortragende[r]?)\s*:\s*(.+)$", re.IGNORECASE)
_NAME_SPLIT = LazyPattern(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\be\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Override:
    """A RECURRENCE-ID event waiting for the occurrence it replaces."""

    event: Any
    where: str
    line: int | None
    date_only: bool
    recurrence_wall: dt.datetime


@dataclass
class _Occurrence:
    start: _Value
    wall: dt.datetime
    end: dt.timedelta | _Value | None = None
    recurrence_key: str = ""  # "" for the event's own DTSTART


class _Builder:
    """Turns VEVENTs (with their recurrences and overrides) into sessions."""

    def __init__(self, zones: _Zones, notes: ImportNotes, events: list[Any],
                 window: tuple[dt.datetime, dt.datetime] | None = None) -> None:
        self.zones = zones
        self.window = window  # only events touching it are kept (ImportOptions)
        self.notes = notes
        self.sessions: list[Session] = []
        self.failures: list[tuple[int | None, str]] = []
        self.ids = IdAllocator()
        uids = [_text(event, "UID").strip() for event in events]
        masters = [uid for uid, event in zip(uids, events, strict=True)
                   if uid and _get(event, "RECURRENCE-ID") is None]
        self.uid_counts = Counter(masters)
        self.suffix = _common_suffix(uid for uid in uids if uid)
        organizers = {_cn(_get(event, "ORGANIZER")) for event in events}
        organizers.discard("")
        # An organizer that changes from event to event is the speaker (MOCA); one organizer
        # for the whole file is the calendar's owner.
        self.organizer_is_speaker = len(organizers) > 1
        self.overrides: dict[str, dict[dt.datetime, _Override]] = {}
        self.truncated = 0
        self.unsupported: Counter[str] = Counter()
        self.budget = WorkBudget()  # all of this file's rules together
        self.out_of_work = 0
        self.unscheduled = 0
        for event, uid in zip(events, uids, strict=True):
            if uid and _get(event, "RECURRENCE-ID") is not None and self.uid_counts[uid]:
                self.overrides.setdefault(uid, {})
        self.duplicates = {uid for uid, count in self.uid_counts.items() if count > 1}

    # -- one VEVENT ---------------------------------------------------------------------------
    def register_override(self, event: Any, where: str, line: int | None,
                          date_only: bool) -> bool:
        """Note a RECURRENCE-ID event of a recurring master, before any master expands.

        Returns whether the event was taken as an override (else it is an event of its own).
        """
        uid = _text(event, "UID").strip()
        recurrence_id = _get(event, "RECURRENCE-ID")
        if recurrence_id is None or uid not in self.overrides:
            return False
        try:
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")
                value = _value(recurrence_id, date_only)
                instant, _floating = self.zones.instant(value, where=where)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            self.notes.event(where, f"RECURRENCE-ID cannot be read ({exc}); read as an event "
                                    f"of its own")
            return False
        self.overrides[uid][instant] = _Override(event, where, line, date_only, value.wall)
        return True

    def add(self, event: Any, where: str, line: int | None, date_only: bool) -> None:
        try:
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")
                self._add(event, where, line, date_only)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError,
                OverflowError) as exc:
            message = str(exc) or type(exc).__name__
            self.failures.append((line, f"{where}: {message}"))
            self.notes.event(where, f"skipped: {message}")

    def _add(self, event: Any, where: str, line: int | None, date_only: bool) -> None:
        uid = _text(event, "UID").strip()
        prop = _first(event, "DTSTART", self.notes, where)
        if prop is None:
            self.unscheduled += 1
            self._emit(event, where, line, None, None, uid, "", all_day=False)
            return
        start = _value(prop, date_only)
        occurrences = [_Occurrence(start, start.wall)]
        if _get(event, "RRULE") is not None or _get(event, "RDATE") is not None:
            occurrences = self._recurrences(event, start, where)
        for occurrence in occurrences:
            override = self._override_for(uid, occurrence, where)
            if override is not None:
                self._emit_override(override, uid, occurrence.recurrence_key)
                continue
            self._emit(event, where, line, start, occurrence, uid, occurrence.recurrence_key,
                       all_day=start.is_date)

    def _recurrences(self, event: Any, start: _Value, where: str) -> list[_Occurrence]:
        walls: list[_Occurrence] = [_Occurrence(start, start.wall)]
        rule_prop = _first(event, "RRULE", self.notes, where)
        if rule_prop is not None:
            try:
                rule = self._rule(rule_prop, start)
                horizon = start.wall + RECURRENCE_HORIZON
                most = MAX_OCCURRENCES
                if self.window is not None:
                    # Wall clock vs UTC differ by under a day: a day's margin covers any zone.
                    window_end = timezones.to_utc(self.window[1]).replace(tzinfo=None)
                    horizon = max(horizon, window_end + dt.timedelta(days=1))
                    most = WINDOW_MAX_WALKED
                expansion = expand(rule, start.wall, horizon, most, self.budget)
                if expansion.truncated and self.window is None:  # a window's end is wanted
                    self.truncated += 1
                walls = [_Occurrence(start, wall) for wall in expansion.occurrences]
            except OutOfWork:
                self.out_of_work += 1
            except UnsupportedRule as exc:
                self.unsupported[str(exc)] += 1
            except ValueError as exc:
                self.notes.event(where, f"RRULE cannot be read ({exc}); only the first "
                                        f"occurrence is shown")
        rdates = _get(event, "RDATE")
        if rdates is not None:
            try:
                walls.extend(_Occurrence(value, value.wall, end) for value, end in _values(rdates))
            except ValueError as exc:
                self.notes.event(where, f"RDATE cannot be read ({exc}); ignored")
        excluded = self._excluded(event, start, where)
        seen: set[dt.datetime] = set()
        result: list[_Occurrence] = []
        for index, occurrence in enumerate(walls):
            instant = self._instant_of(occurrence, start, where)
            if instant in seen or (index > 0 and instant in excluded) or (
                    index == 0 and instant in excluded and len(walls) > 1):
                continue
            seen.add(instant)
            if index or occurrence.start is not start:
                occurrence.recurrence_key = f"{occurrence.wall:%Y%m%dt%H%M}"
            result.append(occurrence)
        return result if self.window is not None else result[:MAX_OCCURRENCES]

    def _rule(self, rule_prop: Any, start: _Value) -> Rule:
        parts = dict(rule_prop)
        until_wall: dt.datetime | None = None
        until_values = parts.get("UNTIL") or []
        if until_values:
            until = until_values[0]
            if isinstance(until, dt.datetime):
                if until.tzinfo is not None:
                    zone = self.zones.zone_of(start)
                    try:
                        until_wall = timezones.wall_clock(until, zone)
                    except (OverflowError, timezones.DateRangeError):
                        # Past the supported dates (UNTIL=99991231T235959Z): "never ends";
                        # before them: it ended before anything we show.
                        until_wall = None if until.year > 2000 else until.replace(tzinfo=None)
                else:
                    until_wall = until
            elif isinstance(until, dt.date):
                until_wall = dt.datetime.combine(until, dt.time(23, 59, 59))
        return parse_rule(parts, until_wall)

    def _excluded(self, event: Any, start: _Value, where: str) -> set[dt.datetime]:
        excluded: set[dt.datetime] = set()
        exdates = _get(event, "EXDATE")
        if exdates is None:
            return excluded
        try:
            values = _values(exdates)
        except ValueError as exc:
            self.notes.event(where, f"EXDATE cannot be read ({exc}); ignored")
            return excluded
        for value, _end in values:
            if value.is_date and not start.is_date:
                # A date excludes the occurrence on that day at DTSTART's time of day.
                value = _Value(start.kind, dt.datetime.combine(value.wall.date(),
                                                               start.wall.time()), start.tzid)
            excluded.add(self.zones.instant(value, where=where)[0])
        return excluded

    def _instant_of(self, occurrence: _Occurrence, start: _Value, where: str) -> dt.datetime:
        if occurrence.start is start:
            return self.zones.instant(start, occurrence.wall, where)[0]
        return self.zones.instant(occurrence.start, where=where)[0]

    def _override_for(self, uid: str, occurrence: _Occurrence,
                      where: str) -> _Override | None:
        table = self.overrides.get(uid)
        if not table:
            return None
        instant = self._instant_of(occurrence, occurrence.start, where)
        return table.pop(instant, None)

    def _emit_override(self, override: _Override, uid: str, recurrence_key: str) -> None:
        """The override's own times and text stand in for one occurrence."""
        event, where = override.event, override.where
        try:
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")
                prop = _first(event, "DTSTART", self.notes, where)
                if prop is None:
                    self.unscheduled += 1
                    self._emit(event, where, override.line, None, None, uid, recurrence_key,
                               all_day=False)
                    return
                start = _value(prop, override.date_only)
                self._emit(event, where, override.line, start, _Occurrence(start, start.wall),
                           uid, recurrence_key, all_day=start.is_date)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError,
                OverflowError) as exc:
            self.notes.event(where, f"skipped: {exc}")

    def finish(self) -> None:
        """Overrides whose occurrence is not in the expansion stand on their own."""
        for uid, table in self.overrides.items():
            for override in table.values():
                self._emit_override(override, uid, f"{override.recurrence_wall:%Y%m%dt%H%M}")
        if self.duplicates:
            shown = ", ".join(sorted(self.duplicates)[:3])
            total = sum(self.uid_counts[uid] for uid in self.duplicates)
            self.notes.general(f"{total} events share {len(self.duplicates)} UID(s) ({shown}); "
                               f"all were kept, with distinct ids")
        if self.truncated:
            self.notes.general(f"{self.truncated} recurring events were shown only up to a year "
                               f"(at most {MAX_OCCURRENCES} times) after their first occurrence")
        if self.out_of_work:
            self.notes.general(f"{self.out_of_work} recurring events were not expanded: this "
                               f"file's rules need more than {MAX_DAYS_PER_FILE:,} days of "
                               f"calendar work; only their first occurrence is shown")
        for reason, count in self.unsupported.items():
            self.notes.general(f"{count} recurring events use {reason}, which is not expanded; "
                               f"only their first occurrence is shown")
        if self.unscheduled:
            self.notes.general(f"{self.unscheduled} events have no DTSTART; they are listed as "
                               f"unscheduled")

    # -- one session --------------------------------------------------------------------------
    def _emit(self, event: Any, where: str, line: int | None, start: _Value | None,
              occurrence: _Occurrence | None, uid: str, recurrence_key: str,
              all_day: bool) -> None:
        title = clean_line(_text(event, "SUMMARY")) or "(untitled)"
        begin: dt.datetime | None = None
        end: dt.datetime | None = None
        estimated = False
        floating = False
        if start is not None and occurrence is not None:
            begin, floating = self._start_instant(start, occurrence, where)
            try:
                end, estimated = self._end_instant(event, start, occurrence, begin, where,
                                                   title)
            except (ValueError, TypeError, AttributeError, OverflowError) as exc:
                self.notes.event(where, f"the end of {title!r} cannot be read ({exc}); its "
                                        f"length is estimated")
                end, estimated = begin, True
            if all_day:
                floating = True
        categories = _categories(event)
        kind = _kind(categories, title)
        if estimated and begin is not None:
            end = timezones.add(begin, ESTIMATED_DURATION[kind])
        description_raw = _text(event, "DESCRIPTION")
        description = html_to_text(description_raw)
        speakers = self._speakers(event, description)
        location = clean_line(_text(event, "LOCATION"))
        base = self._base_id(uid, title)
        session_id = f"{base}-{recurrence_key}" if recurrence_key else base
        disambiguator = (f"{begin.isoformat() if begin else ''}|{title}|{location}|"
                         f"{'|'.join(speakers)}")
        final_id = self.ids.allocate(session_id, disambiguator)
        guid = uid if uid and uid not in self.duplicates else ""
        if guid and recurrence_key:
            guid = f"{guid}#{recurrence_key}"
        status = _text(event, "STATUS").strip().upper()
        if (self.window is not None and begin is not None and end is not None
                and (end < self.window[0] or begin > self.window[1])):
            return
        self.sessions.append(Session(
            id=final_id, kind=kind, title=title, start=begin, end=end,
            end_estimated=estimated, floating=floating, location=location, room=location,
            track=categories[0] if categories else "",
            language=_language(event),
            speakers=speakers, links=_links(event), description=description, guid=guid,
            source_line=line, all_day=all_day, cancelled=status == "CANCELLED",
            transparent=_text(event, "TRANSP").strip().upper() == "TRANSPARENT"))

    def _start_instant(self, start: _Value, occurrence: _Occurrence,
                       where: str) -> tuple[dt.datetime, bool]:
        if occurrence.start is start:
            return self.zones.instant(start, occurrence.wall, where)
        return self.zones.instant(occurrence.start, where=where)

    def _end_instant(self, event: Any, start: _Value, occurrence: _Occurrence,
                     begin: dt.datetime, where: str, title: str) -> tuple[dt.datetime, bool]:
        """DTEND (own zone), DURATION, a PERIOD's end; an all-day event lasts its days."""
        length: dt.timedelta | None = None
        if isinstance(occurrence.end, dt.timedelta):
            length = occurrence.end
        elif isinstance(occurrence.end, _Value):
            end_at, _ = self.zones.instant(occurrence.end, where=where)
            length = end_at - begin
        elif occurrence.start is start:
            end_prop = _first(event, "DTEND", self.notes, where)
            duration_prop = _first(event, "DURATION", self.notes, where)
            if end_prop is not None:
                end_value = _value(end_prop, start.is_date)
                base_instant, _ = self.zones.instant(start, start.wall, where)
                end_instant, _ = self.zones.instant(end_value, where=where)
                length = end_instant - base_instant
                if start.is_date or end_value.is_date:
                    length = dt.timedelta(days=max(1, round(length / dt.timedelta(days=1))))
            elif duration_prop is not None:
                value = duration_prop.dt
                if isinstance(value, dt.timedelta):
                    length = value
        if length is None and start.is_date:
            length = dt.timedelta(days=1)
        if length is None:
            return begin, True
        if length <= dt.timedelta(0) and not start.is_date:
            self.notes.event(where, f"{title!r} ends {'when' if not length else 'before'} it "
                                    f"starts; kept as a moment at its start and marked so")
            return begin, False
        if start.is_date and occurrence.start is start:
            # Whole days: the end is midnight on the program's clock, whatever DST did.
            return self.zones.instant(start, occurrence.wall + length, where)[0], False
        return timezones.add(begin, length), False

    def _speakers(self, event: Any, description: str) -> list[str]:
        names: list[str] = []
        attendees = _get(event, "ATTENDEE")
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            if attendee is None:
                continue
            params = getattr(attendee, "params", {})
            if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
                continue
            if str(params.get("CUTYPE", "INDIVIDUAL")).upper() not in ("INDIVIDUAL", ""):
                continue
            name = _cn(attendee)
            if name and name not in names:
                names.append(name)
        if not names and description:
            match = _SPEAKER_LINE.match(description.split("\n", 1)[0])
            if match:
                names = [clean_line(part) for part in _NAME_SPLIT.split(match.group(1))
                         if clean_line(part)]
        if not names and self.organizer_is_speaker:
            organizer = _cn(_get(event, "ORGANIZER"))
            if organizer:
                names.append(organizer)
        return names

    def _base_id(self, uid: str, title: str) -> str:
        """``u-`` and the UID (without the domain every UID in the file shares)."""
        if uid:
            core = uid[: -len(self.suffix)] if self.suffix and uid.endswith(self.suffix) else uid
            core_slug = slug(core, max_length=40)
            if core_slug == "item" or not core_slug:
                core_slug = short_hash(uid)
            return f"u-{core_slug}"
        return f"u-{slug(title, max_length=40)}"


def _common_suffix(uids: Iterable[str]) -> str:
    """The ``@domain`` every UID ends with (``201@lca2020.linux.org.au``), if there is one."""
    suffixes = {uid[uid.rfind("@"):] if "@" in uid else "" for uid in uids}
    if len(suffixes) == 1:
        suffix = suffixes.pop()
        return suffix if len(suffix) > 1 else ""
    return ""


def _language(event: Any) -> str:
    """The LANGUAGE parameter of SUMMARY or DESCRIPTION (RFC 5545 3.2.10), if any."""
    for name in ("SUMMARY", "DESCRIPTION"):
        value = event.get(name)
        params = getattr(value, "params", None)
        if params is not None and params.get("LANGUAGE"):
            return clean_line(str(params["LANGUAGE"]))
    return ""


def _cn(address: Any) -> str:
    if address is None or isinstance(address, list):
        return ""
    params = getattr(address, "params", {})
    return clean_line(str(params.get("CN", ""))).strip('"')


def _categories(event: Any) -> list[str]:
    value = _get(event, "CATEGORIES")
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            continue
        for category in getattr(item, "cats", [item]):
            text = clean_line(str(category))
            if text and text not in found:
                found.append(text)
    return found


def _kind(categories: list[str], title: str) -> SessionKind:
    """From CATEGORIES when given, else from words of the title (a talk unless it says)."""
    for category in categories:
        kind = kind_from_type(category, default=SessionKind.OTHER)
        if kind is not SessionKind.OTHER:
            return kind
    kind = kind_from_type(title)
    if kind is SessionKind.OTHER and fold_text(title) != "other":
        return SessionKind.TALK
    return kind


def _links(event: Any) -> list[Link]:
    links: list[Link] = []
    for name, label in (("URL", "Event page"), ("CONFERENCE", "Join online")):
        values = event.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value is None:
                continue
            url = web_link(str(value))
            if url and all(link.url != url for link in links):
                params = getattr(value, "params", {})
                links.append(Link(url, clean_line(str(params.get("LABEL", ""))) or label))
    return links
