"""iCalendar (.ics) program feeds: Sched, pretalx, Symposion, Indico and home-made exporters.

The ``icalendar`` library reads the text (folding, escapes, parameters); this module decides
what the times mean, because feeds get that wrong in every possible way:

* ``TZID`` naming an IANA zone is looked up in IANA, with or without a VTIMEZONE. When the
  file's own VTIMEZONE disagrees with IANA at an event's time, IANA wins (the event happened
  where it happened) and the program carries a warning.
* ``TZID`` that is not an IANA name uses the file's VTIMEZONE; without one, Windows names
  ("W. Europe Standard Time") and vendor prefixes ("/softwarestudio.org/.../Europe/Vienna")
  are mapped; anything else is read in the program's zone, with a warning.
* UTC times (``Z``) are exact; floating times (no zone) and all-day dates belong to the
  program's zone: ``X-WR-TIMEZONE``, else the zone most events name, else UTC (a guess).
* Recurrence (RRULE, RDATE, EXDATE, RECURRENCE-ID) is expanded by
  :mod:`planner.importers.recurrence`, bounded to a year and 500 occurrences per event.
* Duplicate UIDs are all kept, with distinct ids, and a warning.

Events that cannot be read are skipped with a warning naming their line; a file none of whose
events can be read is a :class:`ProgramError`.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings as warnings_module
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.ids import fold_text, short_hash, slug
from planner.core.model import ESTIMATED_DURATION, Link, Program, Session, SessionKind
from planner.importers import ImportOptions, limits
from planner.importers.recurrence import (
    MAX_DAYS_PER_FILE,
    OutOfWork,
    Rule,
    UnsupportedRule,
    WorkBudget,
    expand,
    parse_rule,
)
from planner.importers.text import (
    MAX_ZONE_NAME,
    IdAllocator,
    choose_zone,
    clean_line,
    html_to_text,
    kind_from_type,
    safe_text,
    web_link,
    zone_for_city,
)

FORMAT = "ics"
MAX_OCCURRENCES = 500  # per recurring event
RECURRENCE_HORIZON = dt.timedelta(days=366)
MAX_SESSIONS = limits.MAX_SESSIONS
MAX_NESTING = 10  # VCALENDAR > VEVENT > VALARM is 3; VTIMEZONE > STANDARD is 3
MAX_EVENT_WARNINGS = 20
# Recurring STANDARD/DAYLIGHT rules one VTIMEZONE may have (New York's history needs 6); each
# time lookup walks every rule, so thousands of them are a way to stall the app.
MAX_ZONE_RULES = 24

_BEGIN_END = re.compile(r"^(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9-]+)[ \t]*\r?$",
                        re.MULTILINE | re.IGNORECASE)
_BLANK_TZID_LINE = re.compile(r"^TZID[ \t]*:[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_BLANK_TZID_PARAM = re.compile(r";TZID=(?:\"\")?(?=[:;])", re.IGNORECASE)
_BOGUS_ZONE_LINE = re.compile(r"^(?:VTIMEZONE|TIMEZONE|TZ)[ \t]*:([^\r\n]*)",
                              re.MULTILINE | re.IGNORECASE)
_SPEAKER_LINE = re.compile(r"^\s*(?:speakers?|presenters?|presented by|by|von|referent(?:in)?"
                           r"(?:en|innen)?|vortragende[r]?)\s*:\s*(.+)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\be\b)\s*", re.IGNORECASE)
_UTC_PREFIX = re.compile(r"^\(\s*(?:UTC|GMT)\s*[+-]?\d{0,2}(?::?\d{2})?\s*\)\s*")


def sniff(text: str) -> bool:
    """Starts (after a byte-order mark or blank lines) with an iCalendar component."""
    head = text[:512].lstrip("\ufeff \t\r\n").upper()
    return head.startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT", "BEGIN:VTIMEZONE",
                            "BEGIN:VTODO", "BEGIN:VJOURNAL"))


# -- reading the text -----------------------------------------------------------------------------
@dataclass
class _Source:
    """The text around the parsed components: VEVENT lines and raw DTSTART values."""

    text: str
    event_lines: list[int] = field(default_factory=list)
    date_only_starts: list[bool] = field(default_factory=list)


def _scan(text: str, path: str) -> _Source:
    """One pass over BEGIN/END lines: refuse nesting bombs, find where each VEVENT starts."""
    source = _Source(text)
    depth = 0
    line = 1
    position = 0
    event_start: int | None = None
    for match in _BEGIN_END.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        name = match.group(2).upper()
        if match.group(1).upper() == "BEGIN":
            depth += 1
            if depth > MAX_NESTING:
                raise ProgramError(f"components nest more than {MAX_NESTING} levels deep; "
                                   f"refused as a nesting bomb (a calendar nests 3)",
                                   path=path, line=line, element=f"BEGIN:{name}")
            if name == "VEVENT":
                source.event_lines.append(line)
                if len(source.event_lines) > MAX_SESSIONS:  # refuse before parsing it all
                    raise limits.too_many_sessions(path, "events", line, "BEGIN:VEVENT")
                event_start = match.end()
        else:
            depth = max(0, depth - 1)
            if name == "VEVENT" and event_start is not None:
                block = text[event_start:match.start()]
                raw = re.search(r"^DTSTART[^:\r\n]*:[ \t]*(\S+)", block,
                                re.MULTILINE | re.IGNORECASE)
                source.date_only_starts.append(bool(raw and re.fullmatch(r"\d{8}", raw[1])))
                event_start = None
    return source


def _repair(text: str, notes: list[str]) -> str:
    """Mend what Exchange writes and icalendar refuses: a VTIMEZONE with an empty TZID."""
    if _BLANK_TZID_LINE.search(text) or _BLANK_TZID_PARAM.search(text):
        text = re.sub(r"^BEGIN:VTIMEZONE\r?\n(?:(?!END:VTIMEZONE)[^\n]*\n)*?TZID[ \t]*:[ \t]*\r?\n"
                      r"(?:[^\n]*\n)*?END:VTIMEZONE[ \t]*\r?(?:\n|$)", "", text,
                      flags=re.MULTILINE | re.IGNORECASE)
        text = _BLANK_TZID_PARAM.sub("", text)
        notes.append("the file has a time zone with an empty TZID (as Exchange writes); times "
                     "that refer to it are read in the program's zone")
    return text


_VTIMEZONE_BEGIN = re.compile(r"^BEGIN:VTIMEZONE[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_VTIMEZONE_END = re.compile(r"^END:VTIMEZONE[ \t]*(?:\r?\n|\r?\Z)", re.MULTILINE | re.IGNORECASE)
_PART_BEGIN = re.compile(r"^BEGIN:(STANDARD|DAYLIGHT)[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_PART_END = re.compile(r"^END:(STANDARD|DAYLIGHT)[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)


def _blocks(text: str, begin: re.Pattern[str],
            end: re.Pattern[str]) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Each BEGIN paired with the first END after it, in one pass over both lists.

    A lazy ``BEGIN.*?END`` pattern rescans to the end of the file for every BEGIN that never
    ends: quadratic on a hostile file. This is linear.
    """
    pairs = []
    ends = list(end.finditer(text))
    index = 0
    position = 0
    for opening in begin.finditer(text):
        if opening.start() < position:
            continue  # inside the previous block
        while index < len(ends) and ends[index].start() < opening.end():
            index += 1
        if index == len(ends):
            break
        pairs.append((opening, ends[index]))
        position = ends[index].end()
        index += 1
    return pairs


def _defuse_vtimezones(text: str, notes: list[str]) -> str:
    """Drop VTIMEZONEs whose recurrence rules cannot describe a time zone.

    The calendar library reads VTIMEZONE rules with ``dateutil.rrule``, which never returns for
    ``INTERVAL=0`` and searches until the year 9999 for a rule that cannot match: a hostile file
    could hang the app. A zone rule must be yearly and must repeat within two years (or end).
    """
    if "VTIMEZONE" not in text.upper():
        return text
    pieces: list[str] = []
    position = 0
    for opening, closing in _blocks(text, _VTIMEZONE_BEGIN, _VTIMEZONE_END):
        block = text[opening.start():closing.end()]
        reason = _bad_zone_rule(re.sub(r"\r?\n[ \t]", "", block))
        if reason is None:
            continue
        tzid = re.search(r"^TZID[ \t]*:([^\r\n]*)", block, re.MULTILINE | re.IGNORECASE)
        name = tzid.group(1).strip() if tzid else "?"
        notes.append(f"the VTIMEZONE {name[:60]!r} was ignored: {reason}; times that refer to it "
                     f"are read as if it were absent")
        # Keep the line count, so line numbers in messages still match the file.
        pieces.append(text[position:opening.start()])
        pieces.append("X-PLANNER-IGNORED:\r\n" * block.count("\n"))
        position = closing.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _bad_zone_rule(block: str) -> str | None:
    """Why a VTIMEZONE's rules are unusable, or None."""
    import icalendar

    rules = 0
    for opening, closing in _blocks(block, _PART_BEGIN, _PART_END):
        kind = opening.group(1).upper()
        if closing.group(1).upper() != kind:
            return f"a {kind} part ends with END:{closing.group(1).upper()}"
        body = block[opening.end():closing.start()]
        rule_lines = re.findall(r"^RRULE[^:\r\n]*:", body, re.MULTILINE | re.IGNORECASE)
        if len(rule_lines) > 1:
            return f"a {kind} part has {len(rule_lines)} RRULEs (one at most)"
        rules += len(rule_lines)
        if rules > MAX_ZONE_RULES:
            return f"it has more than {MAX_ZONE_RULES} recurring rules (a zone needs a few)"
        rule_line = re.search(r"^RRULE[^:\r\n]*:([^\r\n]*)", body, re.MULTILINE | re.IGNORECASE)
        if rule_line is None:
            continue
        start_line = re.search(r"^DTSTART[^:\r\n]*:[ \t]*(\d{8}T\d{6})", body,
                               re.MULTILINE | re.IGNORECASE)
        if start_line is None:
            return "a rule without a DTSTART"
        try:
            # A wall-clock reading in the zone being checked: naive on purpose.
            start = dt.datetime.strptime(start_line.group(1), "%Y%m%dT%H%M%S")  # noqa: DTZ007
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")
                parts = icalendar.vRecur.from_ical(rule_line.group(1).strip())
            if [str(f).upper() for f in parts.get("FREQ", [])] != ["YEARLY"]:
                return f"RRULE:{rule_line.group(1).strip()[:60]} is not yearly"
            until = parts.get("UNTIL")
            until_wall = None
            if until:
                value = until[0]
                until_wall = (value.replace(tzinfo=None) if isinstance(value, dt.datetime)
                              else dt.datetime.combine(value, dt.time(23, 59, 59)))
            rule = parse_rule(parts, until_wall)
            window = start + dt.timedelta(days=2 * 366)
            ends = (rule.until is not None and rule.until < window) or rule.count == 1
            if len(expand(rule, start, window, 3).occurrences) < 2 and not ends:
                return f"RRULE:{rule_line.group(1).strip()[:60]} never repeats"
        except (ValueError, TypeError, OverflowError) as exc:
            return f"RRULE:{rule_line.group(1).strip()[:60]} is not a usable rule ({exc})"
    return None


def _components(text: str, path: str, notes: _Notes) -> list[Any]:
    """The parsed components; TZIDs the library cannot look up safely are renamed first."""
    try:
        return _parse_components(text, path)
    except OSError:
        # icalendar looks TZIDs up as files of the tzdata package: "America" is a folder,
        # a 300-letter name is too long. Rename such TZIDs, parse again, restore the names.
        renamed, aliases = _alias_tzids(text)
        try:
            components = _parse_components(renamed, path)
        except OSError as exc:
            raise ProgramError(f"is not a readable iCalendar file: {exc.strerror or exc}",
                               path=path) from None
        _restore_tzids(components, aliases)
        shown = ", ".join(repr(name[:40]) for name in list(aliases.values())[:3])
        notes.general(f"TZID {shown} is not a zone name the calendar library can look up; "
                      f"read as an unknown zone")
        return components


def _parse_components(text: str, path: str) -> list[Any]:
    import icalendar

    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")
            return list(icalendar.Calendar.from_ical(text, multiple=True))
    except RecursionError:
        raise ProgramError("components nest too deeply to read; refused", path=path) from None
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        message = str(exc) or type(exc).__name__
        bad_line = _first_bad_line(text)
        if bad_line is not None:
            number, reason = bad_line
            raise ProgramError(f"is not a readable iCalendar file: line {number} {reason} "
                               f"(expected NAME;PARAM=value:value lines; the parser said: "
                               f"{message})", path=path, line=number) from None
        raise ProgramError(f"is not a readable iCalendar file: {message}", path=path,
                           line=_line_of_message(text, message)) from None


_TZID_PARAM = re.compile(r';TZID=("[^"\r\n]*"|[^;:\r\n]*)', re.IGNORECASE)
_TZID_LINE = re.compile(r"^(TZID[ \t]*:)([^\r\n]*)", re.MULTILINE | re.IGNORECASE)


def _alias_tzids(text: str) -> tuple[str, dict[str, str]]:
    """Replace every TZID that is not an IANA name by a safe placeholder; returns the map."""
    aliases: dict[str, str] = {}

    def alias(name: str) -> str:
        cleaned = name.strip().strip('"').strip()
        if not cleaned or _known(cleaned):
            return name
        placeholder = f"X-PLANNER-TZID-{short_hash(cleaned)}"
        aliases[placeholder] = cleaned
        return placeholder

    text = _TZID_PARAM.sub(lambda m: f";TZID={alias(m.group(1))}", text)
    text = _TZID_LINE.sub(lambda m: m.group(1) + alias(m.group(2)), text)
    return text, aliases


def _restore_tzids(components: list[Any], aliases: dict[str, str]) -> None:
    """Put the file's own TZID names back on parameters and VTIMEZONEs (for messages and
    for matching each TZID to its VTIMEZONE)."""
    import icalendar

    for top in components:
        for component in top.walk():
            if component.name == "VTIMEZONE":
                name = str(component.get("TZID", ""))
                if name in aliases:
                    component["TZID"] = icalendar.vText(aliases[name])
            for value in component.values():
                for prop in value if isinstance(value, list) else [value]:
                    params = getattr(prop, "params", None)
                    if params is not None and str(params.get("TZID", "")) in aliases:
                        params["TZID"] = aliases[str(params["TZID"])]


_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(?:;[^\r\n]*?)?:")
_LINE_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _first_bad_line(text: str) -> tuple[int, str] | None:
    """The first physical line that is neither a content line nor a folded continuation."""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        control = _LINE_CONTROL.search(line)
        if control:
            return number, (f"holds a control character (U+{ord(control.group()):04X}) inside "
                            f"the line")
        if line[0] in " \t":
            continue
        if not _CONTENT_LINE.match(line):
            return number, f"is not a content line ({line[:40]!r})"
    return None


def _line_of_message(text: str, message: str) -> int | None:
    """The line holding the value an error message quotes, when there is one."""
    candidates = re.findall(r"'([^']{3,80})'", message) or re.findall(r":\s*(\S{3,80})\s*$",
                                                                     message)
    for candidate in reversed(candidates):
        index = text.find(candidate)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


# -- zones ----------------------------------------------------------------------------------------
def iana_name(tzid: str) -> str | None:
    """The IANA zone a TZID means, if it can be told: IANA names, Windows names, vendor
    prefixes (``/softwarestudio.org/Olson_20011030_5/Pacific/Auckland``), ``(UTC+01:00) City``.
    """
    name = tzid.strip().strip('"').strip()
    if not name or len(name) > MAX_ZONE_NAME:
        return None
    for candidate in (name, name.replace(" ", "_")):
        if found := _known(candidate):
            return found
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    windows = WINDOWS_TO_OLSON.get(name) or WINDOWS_TO_OLSON.get(_UTC_PREFIX.sub("", name))
    if windows:
        return _known(windows)
    parts = [part for part in name.split("/") if part]
    for index in range(1, len(parts)):
        candidate = "/".join(parts[index:])
        if "/" in candidate and (found := _known(candidate)):
            return found
    stripped = _UTC_PREFIX.sub("", name)
    if stripped != name:
        return zone_for_city(stripped)
    return None


def _known(name: str) -> str | None:
    if len(name) > MAX_ZONE_NAME:
        return None
    try:
        return timezones.zone_name(timezones.get_zone(name))
    except timezones.UnknownZoneError:
        return None


@dataclass(frozen=True)
class _Value:
    """A DTSTART-like value as written: kind utc/zoned/floating/date, the wall reading, TZID."""

    kind: str
    wall: dt.datetime  # naive; midnight for dates; UTC wall for "utc"
    tzid: str = ""

    @property
    def is_date(self) -> bool:
        return self.kind == "date"


class _Zones:
    """What each TZID means in this file, decided once per TZID."""

    def __init__(self, vtimezones: dict[str, Any], program_zone: dt.tzinfo,
                 notes: _Notes) -> None:
        self.vtimezones = vtimezones
        self.program_zone = program_zone
        self.notes = notes
        self._resolved: dict[str, tuple[str, dt.tzinfo]] = {}
        self._disagreement_noted: set[str] = set()
        self._localized: dict[tuple[int, dt.datetime], timezones.Localized] = {}
        self._file_zones: dict[str, dt.tzinfo | None] = {}

    def resolve(self, tzid: str) -> tuple[str, dt.tzinfo]:
        """("iana" | "file" | "program", zone) for a TZID."""
        if tzid in self._resolved:
            return self._resolved[tzid]
        result: tuple[str, dt.tzinfo]
        iana = iana_name(tzid)
        vtimezone = self.vtimezones.get(tzid.strip())
        if iana is not None:
            result = ("iana", timezones.get_zone(iana))
            if vtimezone is None:
                # Common (Google, Symposion) and unambiguous for an exact IANA name, but
                # RFC 5545 requires a VTIMEZONE: say once per TZID how it was read.
                self.notes.general(f"TZID {tzid[:60]!r} has no VTIMEZONE in the file (RFC 5545 "
                                   f"requires one); it is read as the IANA zone {iana}")
        elif vtimezone is not None and (file_zone := self._file_zone(tzid, vtimezone)):
            result = ("file", file_zone)
        else:
            zone_label = timezones.zone_name(self.program_zone)
            if vtimezone is None:
                self.notes.general(f"TZID {tzid[:60]!r} is neither an IANA zone nor defined by a "
                                   f"VTIMEZONE in the file; its times are read in the "
                                   f"program's zone ({zone_label})")
            result = ("program", self.program_zone)
        self._resolved[tzid] = result
        return result

    def _file_zone(self, tzid: str, vtimezone: Any) -> dt.tzinfo | None:
        """The zone a VTIMEZONE defines, built once per TZID (the zone caches its rules'
        occurrences; a fresh one would walk them from DTSTART, 1601 for Outlook, every time)."""
        key = tzid.strip()
        if key in self._file_zones:
            return self._file_zones[key]
        zone = _zone_from_vtimezone(vtimezone)
        if zone is None:
            self.notes.general(f"the VTIMEZONE {tzid[:60]!r} cannot be used; its times "
                               f"are read in the program's zone")
        self._file_zones[key] = zone
        return zone

    def zone_of(self, value: _Value) -> dt.tzinfo:
        """The zone whose wall clock ``value.wall`` reads (for expanding recurrence)."""
        if value.kind == "utc":
            return timezones.UTC
        if value.kind == "zoned":
            return self.resolve(value.tzid)[1]
        return self.program_zone

    def instant(self, value: _Value, wall: dt.datetime | None = None,
                where: str = "") -> tuple[dt.datetime, bool]:
        """The instant ``wall`` (default: the value's own) means, and whether it is floating."""
        wall = value.wall if wall is None else wall
        if value.kind == "utc":
            return timezones.to_zone(wall.replace(tzinfo=timezones.UTC),
                                     self.program_zone), False
        if value.kind == "zoned":
            how, zone = self.resolve(value.tzid)
            if how == "iana":
                localized = self._localize(wall, zone)
                if localized.note:
                    self.notes.event(where, f"{wall:%Y-%m-%d %H:%M} {value.tzid}: "
                                            f"{localized.note}")
                self._check_against_file(value.tzid, wall, localized.instant, where)
                return timezones.to_zone(localized.instant, self.program_zone), False
            if how == "file":
                return timezones.to_zone(wall.replace(tzinfo=zone), self.program_zone), False
            return self._floating(wall, where), True
        return self._floating(wall, where), True

    def _localize(self, wall: dt.datetime, zone: dt.tzinfo) -> timezones.Localized:
        """Memoized: a program repeats the same slots in the same zone all day."""
        key = (id(zone), wall)
        found = self._localized.get(key)
        if found is None:
            found = self._localized[key] = timezones.localize_checked(wall, zone)
        return found

    def _floating(self, wall: dt.datetime, where: str) -> dt.datetime:
        localized = self._localize(wall, self.program_zone)
        if localized.note:
            self.notes.event(where, f"{wall:%Y-%m-%d %H:%M}: {localized.note}")
        return localized.instant

    def _check_against_file(self, tzid: str, wall: dt.datetime, instant: dt.datetime,
                            where: str) -> None:
        """IANA rules win over the file's VTIMEZONE; say so when they differ."""
        key = tzid.strip()
        vtimezone = self.vtimezones.get(key)
        if vtimezone is None or key in self._disagreement_noted:
            return
        file_zone = self._file_zone(tzid, vtimezone)
        if file_zone is None:
            self._disagreement_noted.add(key)
            return
        try:
            file_offset = wall.replace(tzinfo=file_zone).utcoffset()
        except (ValueError, OverflowError):
            return
        iana_offset = instant.utcoffset()
        if file_offset is None or iana_offset is None or file_offset == iana_offset:
            return
        self._disagreement_noted.add(key)
        self.notes.general(
            f"the file's VTIMEZONE {key!r} gives UTC{timezones.format_offset(file_offset)} "
            f"on {wall:%Y-%m-%d %H:%M} but the IANA rules for {key} give "
            f"UTC{timezones.format_offset(iana_offset)}; the IANA rules are used (the event "
            f"happened where it happened){f' (first at {where})' if where else ''}")


class _Notes:
    """Warnings: general ones once each, per-event ones capped."""

    def __init__(self) -> None:
        self.general_items: list[str] = []
        self.event_items: list[str] = []
        self.dropped = 0

    def general(self, message: str) -> None:
        message = safe_text(message)
        if message not in self.general_items:
            self.general_items.append(message)

    def event(self, where: str, message: str) -> None:
        if len(self.event_items) >= MAX_EVENT_WARNINGS:
            self.dropped += 1
            return
        self.event_items.append(safe_text(f"{where}: {message}" if where else message))

    def all(self) -> list[str]:
        extra = [f"… and {self.dropped} more problems like these"] if self.dropped else []
        return [*self.general_items, *self.event_items, *extra]


# -- values ---------------------------------------------------------------------------------------
def _zone_from_vtimezone(vtimezone: Any) -> dt.tzinfo | None:
    """The zone a file's VTIMEZONE defines, or None when its rules cannot be used."""
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")
            zone: dt.tzinfo = vtimezone.to_tz(lookup_tzid=False)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
        return None
    return zone


def _first(component: Any, name: str, notes: _Notes, where: str) -> Any:
    value = component.get(name)
    if isinstance(value, list):
        if not value:
            return None
        notes.event(where, f"has {len(value)} {name} lines; the first is used")
        return value[0]
    return value


def _value(prop: Any, date_only: bool = False) -> _Value:
    """Read a date/date-time property without letting the library pick its zone."""
    value = prop.dt
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    if isinstance(value, dt.datetime):
        if date_only and value.time() == dt.time(0):
            return _Value("date", value.replace(tzinfo=None))
        if tzid is not None and str(tzid).strip():
            return _Value("zoned", value.replace(tzinfo=None), str(tzid).strip())
        if value.tzinfo is not None:
            utc_wall = value.astimezone(dt.UTC).replace(tzinfo=None)
            return _Value("utc", utc_wall)
        return _Value("floating", value)
    if isinstance(value, dt.date):
        return _Value("date", dt.datetime.combine(value, dt.time(0)))
    raise ValueError(f"{value!r} is not a date or date-time")


def _values(props: Any) -> list[tuple[_Value, dt.timedelta | _Value | None]]:
    """RDATE/EXDATE values (a property or a list of them), periods with their end."""
    found: list[tuple[_Value, dt.timedelta | _Value | None]] = []
    for prop in props if isinstance(props, list) else [props]:
        params = getattr(prop, "params", {})
        tzid = params.get("TZID")
        for item in getattr(prop, "dts", []):
            raw = item.dt
            if isinstance(raw, tuple):  # PERIOD: (start, end or duration)
                start_raw, tail = raw
                start = _plain_value(start_raw, tzid)
                end: dt.timedelta | _Value | None
                end = tail if isinstance(tail, dt.timedelta) else _plain_value(tail, tzid)
                found.append((start, end))
            else:
                found.append((_plain_value(raw, tzid), None))
    return found


def _plain_value(raw: Any, tzid: Any) -> _Value:
    if isinstance(raw, dt.datetime):
        if tzid is not None and str(tzid).strip():
            return _Value("zoned", raw.replace(tzinfo=None), str(tzid).strip())
        if raw.tzinfo is not None:
            return _Value("utc", raw.astimezone(dt.UTC).replace(tzinfo=None))
        return _Value("floating", raw)
    if isinstance(raw, dt.date):
        return _Value("date", dt.datetime.combine(raw, dt.time(0)))
    raise ValueError(f"{raw!r} is not a date or date-time")


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else ""


# -- parse ----------------------------------------------------------------------------------------
def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """Read an iCalendar program feed; ProgramError when nothing in it can be read."""
    text = text.lstrip("\ufeff")
    notes = _Notes()
    source = _scan(text, path)  # lines of the file as written, before any repair
    repairs: list[str] = []
    text = _defuse_vtimezones(_repair(text, repairs), repairs)
    for note in repairs:
        notes.general(note)
    components = _components(text, path, notes)
    calendars = [c for c in components if getattr(c, "name", "") == "VCALENDAR"]
    loose = [c for c in components if getattr(c, "name", "") == "VEVENT"]
    if not components:
        raise ProgramError("has no complete VCALENDAR (the file may be cut short: expected "
                           "BEGIN:VCALENDAR … END:VCALENDAR)", path=path, line=1)
    if not calendars and not loose:
        names = ", ".join(sorted({str(getattr(c, "name", "?")) for c in components}))
        notes.general(f"the file holds only {names} components, no VCALENDAR and no events")
    if loose:
        notes.general(f"{len(loose)} events are not inside a VCALENDAR; they were read anyway")
    try:
        events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
        zones_found = [zone for calendar in calendars for zone in calendar.walk("VTIMEZONE")]
    except RecursionError:
        raise ProgramError("components nest too deeply to read; refused", path=path) from None
    events.extend(loose)
    first = calendars[0] if calendars else None
    lines = source.event_lines if len(source.event_lines) == len(events) else []
    date_only = (source.date_only_starts
                 if len(source.date_only_starts) == len(events) else [False] * len(events))

    vtimezones: dict[str, Any] = {}
    for zone_component in zones_found:
        tzid = _text(zone_component, "TZID").strip()
        if tzid:
            vtimezones.setdefault(tzid, zone_component)

    choice = _choose_zone(options, first, text, events, vtimezones, notes)
    program_zone = timezones.get_zone(choice.name)
    zones = _Zones(vtimezones, program_zone, notes)

    for calendar in calendars:
        lacking = [name for name in ("VERSION", "PRODID") if calendar.get(name) is None]
        if lacking:
            notes.general(f"the calendar has no {' or '.join(lacking)}, which RFC 5545 "
                          f"requires; it was read anyway")
        for component in calendar.walk():
            for prop, message in getattr(component, "errors", []) or []:
                notes.general(f"{component.name}{' ' + prop if prop else ''}: {message}")

    builder = _Builder(zones, notes, events)
    items = [(event, f"line {lines[index]} (VEVENT)" if lines else f"VEVENT #{index + 1}",
              lines[index] if lines else None, date_only[index])
             for index, event in enumerate(events)]
    standalone = [item for item in items if not builder.register_override(*item)]
    for event, where, line, starts_on_date in standalone:
        builder.add(event, where, line, starts_on_date)
        if len(builder.sessions) > MAX_SESSIONS:
            raise ProgramError(f"expands to more than {MAX_SESSIONS:,} sessions; refused as too "
                               f"large for a conference program", path=path)
    builder.finish()

    if not builder.sessions and builder.failures:
        first_failure = builder.failures[0]
        raise ProgramError(f"no event could be read: {first_failure[1]}", path=path,
                           line=first_failure[0], element="VEVENT")
    if not events:
        notes.general("the calendar has no events")
    name = (_text(first, "X-WR-CALNAME") or _text(first, "NAME")
            or _text(first, "X-WR-CALDESC")).strip() if first is not None else ""
    name = clean_line(name.split("\n")[0])
    return Program(name=name or "Untitled calendar", source_zone=choice.name,
                   sessions=builder.sessions, key=slug(name) if name else "",
                   zone_guessed=choice.guessed, zone_evidence=choice.evidence,
                   source_path=path, source_format=FORMAT,
                   warnings=[*choice.warnings, *notes.all()])


def _choose_zone(options: ImportOptions, calendar: Any, text: str, events: list[Any],
                 vtimezones: dict[str, Any], notes: _Notes) -> Any:
    """The program's zone: the user's, X-WR-TIMEZONE, a malformed zone line, the zone most
    events name, a VTIMEZONE's X-LIC-LOCATION; else the offsets of file-defined zones, else
    UTC (exact for UTC-only files, a guess for floating ones)."""
    declared: list[tuple[str, str]] = []
    if calendar is not None:
        wr_zone = _text(calendar, "X-WR-TIMEZONE").strip()
        if wr_zone:
            declared.append((iana_name(wr_zone) or wr_zone, "X-WR-TIMEZONE"))
    bogus = _BOGUS_ZONE_LINE.search(text)
    if bogus and bogus.group(1).strip():
        value = bogus.group(1).strip()
        line = text.count("\n", 0, bogus.start()) + 1
        mapped = iana_name(value)
        if mapped:
            notes.general(f"line {line}: {bogus.group(0).strip()!r} is not a valid iCalendar "
                          f"line (a VTIMEZONE is a component, not a property); its zone "
                          f"{mapped} is taken as the program's zone")
            declared.append((mapped, f"line {line}"))
    tzids: Counter[str] = Counter()
    offsets: Counter[dt.timedelta] = Counter()
    sample: dt.datetime | None = None
    file_zones: dict[str, dt.tzinfo | None] = {}
    all_utc = bool(events)
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore")
        for event in events:
            prop = event.get("DTSTART")
            if isinstance(prop, list):
                prop = prop[0] if prop else None
            if prop is None:
                continue
            try:
                value = prop.dt
            except (ValueError, TypeError, AttributeError):
                continue
            tzid = str(prop.params.get("TZID", "")).strip()
            if not (isinstance(value, dt.datetime) and value.tzinfo is not None and not tzid):
                all_utc = False
            if not tzid or not isinstance(value, dt.datetime):
                continue
            mapped = iana_name(tzid)
            if mapped:
                tzids[mapped] += 1
            elif tzid in vtimezones:
                # The file's own VTIMEZONE, never ``value.tzinfo``: icalendar caches zones by
                # TZID for the whole process, so that would be the first file's definition.
                if tzid not in file_zones:
                    file_zones[tzid] = _zone_from_vtimezone(vtimezones[tzid])
                zone = file_zones[tzid]
                if zone is None:
                    continue
                wall = value.replace(tzinfo=None)
                try:
                    offset = wall.replace(tzinfo=zone).utcoffset()
                    if offset is not None and sample is None:
                        sample = (wall - offset).replace(tzinfo=dt.UTC)
                except (ValueError, OverflowError, TypeError):
                    continue
                if offset is not None:
                    offsets[offset] += 1
    if tzids:
        most, count = tzids.most_common(1)[0]
        declared.append((most, f"TZID of {count} events"))
    for tzid, component in vtimezones.items():
        location = _text(component, "X-LIC-LOCATION").strip()
        if location and iana_name(location):
            declared.append((str(iana_name(location)), f"X-LIC-LOCATION of VTIMEZONE {tzid}"))
    return choose_zone(requested=options.source_zone, declared=declared, offsets=offsets,
                       sample=sample, only_utc=all_utc)


# -- events to sessions ---------------------------------------------------------------------------
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

    def __init__(self, zones: _Zones, notes: _Notes, events: list[Any]) -> None:
        self.zones = zones
        self.notes = notes
        self.sessions: list[Session] = []
        self.failures: list[tuple[int | None, str]] = []
        self.ids = IdAllocator()
        uids = [_text(event, "UID").strip() for event in events]
        masters = [uid for uid, event in zip(uids, events, strict=True)
                   if uid and event.get("RECURRENCE-ID") is None]
        self.uid_counts = Counter(masters)
        self.suffix = _common_suffix(uid for uid in uids if uid)
        organizers = {_cn(event.get("ORGANIZER")) for event in events}
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
            if uid and event.get("RECURRENCE-ID") is not None and self.uid_counts[uid]:
                self.overrides.setdefault(uid, {})
        self.duplicates = {uid for uid, count in self.uid_counts.items() if count > 1}

    # -- one VEVENT ---------------------------------------------------------------------------
    def register_override(self, event: Any, where: str, line: int | None,
                          date_only: bool) -> bool:
        """Note a RECURRENCE-ID event of a recurring master, before any master expands.

        Returns whether the event was taken as an override (else it is an event of its own).
        """
        uid = _text(event, "UID").strip()
        recurrence_id = event.get("RECURRENCE-ID")
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
        if event.get("RRULE") is not None or event.get("RDATE") is not None:
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
                expansion = expand(rule, start.wall, horizon, MAX_OCCURRENCES, self.budget)
                if expansion.truncated:
                    self.truncated += 1
                walls = [_Occurrence(start, wall) for wall in expansion.occurrences]
            except OutOfWork:
                self.out_of_work += 1
            except UnsupportedRule as exc:
                self.unsupported[str(exc)] += 1
            except ValueError as exc:
                self.notes.event(where, f"RRULE cannot be read ({exc}); only the first "
                                        f"occurrence is shown")
        rdates = event.get("RDATE")
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
        return result[:MAX_OCCURRENCES]

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
        exdates = event.get("EXDATE")
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
        self.sessions.append(Session(
            id=final_id, kind=kind, title=title, start=begin, end=end,
            end_estimated=estimated, floating=floating, location=location, room=location,
            track=categories[0] if categories else "",
            language=_language(event),
            speakers=speakers, links=_links(event), description=description, guid=guid,
            source_line=line, all_day=all_day, cancelled=status == "CANCELLED"))

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
        attendees = event.get("ATTENDEE")
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
            organizer = _cn(event.get("ORGANIZER"))
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
    value = event.get("CATEGORIES")
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
