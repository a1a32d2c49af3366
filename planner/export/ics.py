"""Rendering an export plan as an iCalendar file that calendar apps accept, and reading it back.

Two steps, so the window, the command line and the tests share every rule:

1. :func:`planner.export.plan.plan_events` decides *what* goes into the file (plain data, no
   icalendar); its names are re-exported here, so callers import everything from this module.
2. :func:`export_ics` turns the plan into bytes through icalendar (folding, escaping and CRLF are
   the library's), with one compact VTIMEZONE (:mod:`planner.export.vtimezone`).

:func:`write_export` writes atomically (through :mod:`planner.core.files`);
:func:`stars_from_ics` reads the stars back.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core import timezones
from planner.core.errors import PlannerError
from planner.core.gc_pause import collector_paused
from planner.core.model import Program
from planner.core.star_notes import StarNote
from planner.core.stars import Stars
from planner.export.notes import MAYBE_CATEGORY, X_NOTES, read_notes
from planner.export.plan import (
    ABSTRACT_LIMIT,
    CANCELLED_NOTE,
    MOMENT_LENGTH,
    OTHER_PAPERS_LIMIT,
    SESSION_TEXT_LIMIT,
    SUMMARY_LIMIT,
    UID_DOMAIN,
    UNSCHEDULED_NAMED,
    UTC,
    ExportError,
    ExportOptions,
    PlannedEvent,
    Scope,
    event_uid,
    plan_events,
    uid_namespace,
)
from planner.export.text import one_line

if TYPE_CHECKING:
    from icalendar import Calendar, Event

    from planner.export.vtimezone import ZoneHistory

__all__ = [
    "ABSTRACT_LIMIT", "CANCELLED_NOTE", "MAX_ALARM_MINUTES", "MOMENT_LENGTH",
    "OTHER_PAPERS_LIMIT", "PRODID", "SESSION_TEXT_LIMIT", "SUMMARY_LIMIT", "UID_DOMAIN",
    "UNSCHEDULED_NAMED", "UTC", "X_ITEM", "X_PAPER", "X_SESSION", "ExportError",
    "ExportOptions", "ExportResult", "PlannedEvent", "Scope", "StarsFound", "atomic_write",
    "event_uid", "export_ics", "ical_text", "plan_events", "render_event", "stars_from_ics",
    "uid_namespace", "write_export",
]

PRODID = "-//planner//Conference agenda export//EN"
# Properties that let import-stars restore exactly what was starred (calendar apps keep X-
# properties they do not know; if one drops them, the UID alone still finds the session).
X_SESSION = "X-PLANNER-SESSION"
X_PAPER = "X-PLANNER-PAPER"
X_ITEM = "X-PLANNER-ITEM"
_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")
MAX_ALARM_MINUTES = 4 * 7 * 24 * 60  # four weeks ahead; more is not a reminder for a talk


@dataclass
class ExportResult:
    """The calendar, what is in it, and what the user should be told."""

    data: bytes
    events: list[PlannedEvent]
    zone: str
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> calendar (split)
    warnings: list[str] = field(default_factory=list)


# -- writing iCalendar ---------------------------------------------------------------------------
def export_ics(program: Program, stars: Stars, options: ExportOptions) -> ExportResult:
    """Export a program's sessions as iCalendar bytes (and one file per event with split).

    Args:
        program: the open program.
        stars: the user's stars in it.
        options: scope, zone, alarm...

    Returns:
        The calendar and, with ``options.split``, one calendar per event.

    Raises:
        ExportError: nothing to export; UnknownItemError: an id not in the program.
    """
    if options.alarm_minutes is not None and not 0 <= options.alarm_minutes <= MAX_ALARM_MINUTES:
        raise ExportError(f"--alarm must be 0 to {MAX_ALARM_MINUTES:,} minutes (four weeks), "
                          f"not {options.alarm_minutes}")
    with collector_paused():  # see planner.core.gc_pause: full passes here free nothing
        return _export(program, stars, options)


def _export(program: Program, stars: Stars, options: ExportOptions) -> ExportResult:
    events, warnings = plan_events(program, stars, options)
    if not events:
        raise ExportError("nothing to export: none of the chosen sessions has a time yet")
    zone = timezones.get_zone(options.zone)
    zone_name = timezones.zone_name(zone)
    stamp = timezones.to_utc(options.stamp or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    history = None
    zoned = [event for event in events if event.zoned]
    if zoned:
        from planner.export.vtimezone import ZoneHistory

        history = ZoneHistory(zone, min(e.start for e in zoned), max(e.end for e in zoned))
    name = _calendar_name(program, options)
    rendered = [render_event(event, stamp, options.alarm_minutes) for event in events]
    calendar = _calendar(name, history, events, rendered, options)
    result = ExportResult(calendar.to_ical(), events, zone_name, warnings=warnings)
    if options.split:
        for event, component in zip(events, rendered, strict=True):
            single = _calendar(f"{name}: {event.summary}", history, [event], [component],
                               options)
            result.files[event.file_name] = single.to_ical()
    return result


def _calendar_name(program: Program, options: ExportOptions) -> str:
    name = one_line(program.name) or "Conference"
    if options.scope is Scope.STARRED:
        return f"{name}: my agenda"
    return name


def _calendar(name: str, history: ZoneHistory | None, events: Sequence[PlannedEvent],
              components: Iterable[Event], options: ExportOptions | None = None) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ical_text(name))
    _add_rfc7986(calendar, name, options or ExportOptions())
    zoned = [event for event in events if event.zoned]
    if history is not None and zoned:
        first = min(event.start for event in zoned)
        last = max(event.end for event in zoned)
        calendar.add_component(history.component(first, last))
    for component in components:
        calendar.add_component(component)
    return calendar


def _add_rfc7986(calendar: Calendar, name: str, options: ExportOptions) -> None:
    """NAME, COLOR, REFRESH-INTERVAL and SOURCE (RFC 7986), read by Apple, GNOME, Thunderbird."""
    calendar.add("name", ical_text(name))
    if options.color:
        calendar.add("color", options.color)
    if options.refresh_minutes is not None and options.refresh_minutes > 0:
        calendar.add("refresh-interval", dt.timedelta(minutes=options.refresh_minutes),
                     parameters={"VALUE": "DURATION"})
    if options.source_url:
        calendar.add("source", options.source_url, parameters={"VALUE": "URI"})


def render_event(event: PlannedEvent, stamp: dt.datetime, alarm_minutes: int | None = None
                 ) -> Event:
    """The VEVENT of a planned event (DTSTART/DTEND keep the zone of ``event.start``)."""
    from icalendar import Alarm, Event

    text = _text_type()
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    if event.dates is not None:
        component.add("dtstart", event.dates[0])
        component.add("dtend", event.dates[1])
    else:
        component.add("dtstart", event.start)
        component.add("dtend", event.end)
    component.add("summary", text(event.summary))
    # Explicit either way, so a session cancelled and then restored updates the calendar.
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.description:
        component.add("description", text(event.description))
    if event.location:
        component.add("location", text(event.location))
    if event.url:
        component.add("url", event.url)
    if event.category or event.maybe:
        categories = [event.category] if event.category else []
        component.add("categories", [text(c) for c in
                                     categories + ([MAYBE_CATEGORY] if event.maybe else [])])
    if event.maybe:
        component.add("transp", "TRANSPARENT")  # a "maybe" leaves the user free
    component.add(X_SESSION, text(event.session_id))
    if event.paper_id:
        component.add(X_PAPER, text(event.paper_id))
    for item in event.items:
        component.add(X_ITEM, text(item))
    if event.notes:
        component.add(X_NOTES, text(event.notes))
    if alarm_minutes is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -dt.timedelta(minutes=alarm_minutes))
        alarm.add("description", text(event.summary))
        component.add_component(alarm)
    return component


_TEXT_TYPE: Any = None


def _text_type() -> Any:
    """icalendar's vText, except that a literal ``\\N`` stays a backslash and an N.

    icalendar reads ``\\N`` in the *unescaped* text as a line break (LaTeX in abstracts:
    ``\\Nabla``); escaping the text around each ``\\N`` with the library's own escaper and
    joining with an escaped backslash keeps the meaning.
    """
    global _TEXT_TYPE
    if _TEXT_TYPE is None:
        from icalendar import vText

        class SafeText(vText):
            __slots__ = ()  # no per-value __dict__: an export makes one per TEXT property

            def to_ical(self) -> bytes:
                if "\\N" not in self:
                    return bytes(vText.to_ical(self))
                return b"\\\\N".join(vText(part).to_ical() for part in str(self).split("\\N"))

        _TEXT_TYPE = SafeText
    return _TEXT_TYPE


def ical_text(value: str) -> Any:
    """A TEXT property value for icalendar, written with :func:`_text_type`'s escaping."""
    return _text_type()(value)


# -- writing files ---------------------------------------------------------------------------------
def write_export(result: ExportResult, path: str | os.PathLike[str], split: bool = False
                 ) -> list[Path]:
    """Write the calendar to ``path`` (or one file per event into the folder ``path``).

    Every file goes through :func:`planner.core.files.write_atomically`: whole or not at all,
    only over a regular file, through a symlink to its target, keeping the file's mode. What
    the user should know (a hard link that now differs) is added to ``result.warnings``.

    Returns:
        The files written.
    """
    target = Path(path)
    if not split:
        if target.is_dir():
            raise ExportError(f"{target} is a folder; give a file name, or use --split to write "
                              f"one file per event into it")
        atomic_write(target, result.data, result.warnings)
        return [target]
    if not result.files:
        raise ExportError("this export was made without split; nothing to write per event")
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; --split writes one file per event into a folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {target}: {exc.strerror}") from None
    written = []
    for name, data in result.files.items():
        atomic_write(target / name, data, result.warnings)
        written.append(target / name)
    return written


def atomic_write(target: Path, data: bytes, notes: list[str] | None = None) -> None:
    """Replace ``target`` with ``data`` in one step; see :mod:`planner.core.files`."""
    from planner.core.files import FileWriteError, write_atomically

    try:
        outcome = write_atomically(target, data)
    except FileWriteError as exc:
        raise ExportError(str(exc)) from None
    if notes is not None:
        notes.extend(outcome.notes)


# -- reading stars back ---------------------------------------------------------------------------
@dataclass
class StarsFound:
    """What a planner export says was starred, matched against an open program."""

    ids: list[str] = field(default_factory=list)  # known item ids to star, in file order
    events: int = 0
    matched: int = 0  # events whose UID belongs to this program
    unknown_items: list[str] = field(default_factory=list)  # X-PLANNER-ITEMs not in the program
    notes: dict[str, StarNote] = field(default_factory=dict)  # X-PLANNER-NOTES of known items


def stars_from_ics(program: Program, data: Iterable[bytes | str]) -> StarsFound:
    """The items to star again from planner exports of ``program`` (matched by UID).

    An event that still carries X-PLANNER-SESSION gives exactly its X-PLANNER-ITEM ids (an
    ``--all`` export also holds sessions nobody starred). One whose X- properties a calendar
    app dropped gives the session (or, for a paper event, the paper) its UID stands for.
    """
    from icalendar import Calendar

    by_uid: dict[str, tuple[str, str]] = {}
    for session in program.sessions:
        by_uid[event_uid(program, session.id)] = (session.id, "")
        for paper_id in session.paper_ids:
            by_uid[event_uid(program, session.id, paper_id)] = (session.id, paper_id)
    found = StarsFound()
    chosen: dict[str, None] = {}
    for text in data:
        try:
            calendars = Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # icalendar raises several kinds on broken input
            raise PlannerError(f"not a readable iCalendar file: {exc}") from None
        for calendar in calendars:
            for event in calendar.walk("VEVENT"):
                found.events += 1
                match = by_uid.get(str(event.get("UID", "")))
                if match is None:
                    continue
                found.matched += 1
                if event.get(X_SESSION) is None:
                    chosen.setdefault(match[1] or match[0])
                    continue
                notes = read_notes(_text_value(event.get(X_NOTES)))
                for item in _values(event.get(X_ITEM)):
                    if program.has_item(item):
                        chosen.setdefault(item)
                        if item in notes:
                            found.notes.setdefault(item, notes[item])
                    elif item not in found.unknown_items:
                        found.unknown_items.append(item)
    found.ids = list(chosen)
    return found


def _text_value(value: Any) -> str | None:
    """A TEXT value read back: icalendar keeps an X- property it does not know (vUnknown) as
    written, escapes and all (RFC 5545 3.3.11)."""
    if value is None:
        return None
    from icalendar.prop import vUnknown

    if not isinstance(value, vUnknown):
        return str(value)
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), str(value))


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]
