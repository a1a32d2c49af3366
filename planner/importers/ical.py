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

This module is the entry point (``sniff``, ``parse``) and re-exports the limits; the work is in
:mod:`~planner.importers.ical_repair` (raw text), :mod:`~planner.importers.ical_zones` (what
times mean), :mod:`~planner.importers.ical_values` (values, warnings) and
:mod:`~planner.importers.ical_builder` (events to sessions).
"""

from __future__ import annotations

from typing import Any

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.gc_pause import collector_paused
from planner.core.ids import slug
from planner.core.model import Program
from planner.importers import ImportOptions, limits
from planner.importers.ical_builder import MAX_OCCURRENCES, RECURRENCE_HORIZON, _Builder
from planner.importers.ical_repair import (
    MAX_NESTING,
    MAX_ZONE_RULES,
    _components,
    _defuse_vtimezones,
    _repair,
    _scan,
)
from planner.importers.ical_values import _text
from planner.importers.ical_zones import _choose_zone, _Zones, iana_name
from planner.importers.import_notes import MAX_EVENT_WARNINGS, ImportNotes
from planner.importers.text import clean_line

__all__ = [
    "FORMAT",
    "MAX_EVENT_WARNINGS",
    "MAX_NESTING",
    "MAX_OCCURRENCES",
    "MAX_SESSIONS",
    "MAX_ZONE_RULES",
    "RECURRENCE_HORIZON",
    "iana_name",
    "parse",
    "sniff",
]

FORMAT = "ics"
MAX_SESSIONS = limits.MAX_SESSIONS


def sniff(text: str) -> bool:
    """Starts (after a byte-order mark or blank lines) with an iCalendar component."""
    head = text[:512].lstrip("\ufeff \t\r\n").upper()
    return head.startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT", "BEGIN:VTIMEZONE",
                            "BEGIN:VTODO", "BEGIN:VJOURNAL"))


def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """Read an iCalendar program feed; ProgramError when nothing in it can be read."""
    # Everything the parse makes (components, properties, sessions) stays alive until it ends:
    # the collector's passes in the middle free nothing and cost a fifth of the parse.
    with collector_paused():
        return _parse(text, options, path)


def _parse(text: str, options: ImportOptions, path: str) -> Program:
    text = text.lstrip("\ufeff")
    notes = ImportNotes()
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

    builder = _Builder(zones, notes, events, window=options.recurrence_window)
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
