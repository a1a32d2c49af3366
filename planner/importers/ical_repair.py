"""Reading the raw text of an iCalendar file safely, before any time is interpreted.

One scan refuses nesting bombs and too many events; what exporters get wrong is repaired;
VTIMEZONEs that would hang the calendar library are defused; TZIDs it cannot look up are
renamed; its parse errors become one line naming where the file went wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings as warnings_module
from dataclasses import dataclass, field
from typing import Any

from planner.core.errors import ProgramError
from planner.core.ids import short_hash
from planner.core.lazy_pattern import LazyPattern
from planner.importers import limits
from planner.importers.ical_zones import _known
from planner.importers.import_notes import ImportNotes
from planner.importers.recurrence import expand, parse_rule

MAX_SESSIONS = limits.MAX_SESSIONS
MAX_NESTING = 10  # VCALENDAR > VEVENT > VALARM is 3; VTIMEZONE > STANDARD is 3
# Recurring STANDARD/DAYLIGHT rules one VTIMEZONE may have (New York's history needs 6); each
# time lookup walks every rule, so thousands of them are a way to stall the app.
MAX_ZONE_RULES = 24

_BEGIN_END = LazyPattern(r"^(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9-]+)[ \t]*\r?$",
                         re.MULTILINE | re.IGNORECASE)
_BLANK_TZID_LINE = LazyPattern(r"^TZID[ \t]*:[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_BLANK_TZID_PARAM = LazyPattern(r";TZID=(?:\"\")?(?=[:;])", re.IGNORECASE)


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


_VTIMEZONE_BEGIN = LazyPattern(r"^BEGIN:VTIMEZONE[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_VTIMEZONE_END = LazyPattern(r"^END:VTIMEZONE[ \t]*(?:\r?\n|\r?\Z)",
                             re.MULTILINE | re.IGNORECASE)
_PART_BEGIN = LazyPattern(r"^BEGIN:(STANDARD|DAYLIGHT)[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
_PART_END = LazyPattern(r"^END:(STANDARD|DAYLIGHT)[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)


def _blocks(text: str, begin: LazyPattern,
            end: LazyPattern) -> list[tuple[re.Match[str], re.Match[str]]]:
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


def _components(text: str, path: str, notes: ImportNotes) -> list[Any]:
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


_TZID_PARAM = LazyPattern(r';TZID=("[^"\r\n]*"|[^;:\r\n]*)', re.IGNORECASE)
_TZID_LINE = LazyPattern(r"^(TZID[ \t]*:)([^\r\n]*)", re.MULTILINE | re.IGNORECASE)


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


_CONTENT_LINE = LazyPattern(r"^[A-Za-z0-9-]+(?:;[^\r\n]*?)?:")
_LINE_CONTROL = LazyPattern(r"[\x00-\x08\x0a-\x1f\x7f]")


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
