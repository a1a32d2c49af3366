"""The agenda as the calendar objects a sync writes: the exporter's events, one per object.

Nothing here talks to a server. The events are :func:`planner.export.ics.export_ics`'s own
(``split``: one calendar with its VTIMEZONE per event), made with a fixed DTSTAMP so that the
hash of an object changes only when its content does. What a sync adds on top (SEQUENCE,
LAST-MODIFIED, a fresh DTSTAMP, the program and content markers) is set through icalendar.

The conflict policy's merge lives here too (:func:`merge_into_server_copy`): the program's
fields win, the user's alarms and every property planner does not write stay.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.core.model import Program
from planner.core.stars import Stars
from planner.export.ics import (
    X_ITEM,
    X_PAPER,
    X_SESSION,
    ExportOptions,
    Scope,
    export_ics,
    uid_namespace,
)
from planner.export.notes import X_NOTES

if TYPE_CHECKING:
    from icalendar import Calendar

X_PROGRAM = "X-PLANNER-PROGRAM"  # which program's agenda an object belongs to
X_HASH = "X-PLANNER-HASH"  # the content planner meant, to recognise its own copy after a crash
FIXED_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# What planner writes in a VEVENT; in a merge these come from the program, the rest stays.
# TRANSP says "maybe" (free time), which the user changes in planner, so planner owns it.
PROGRAM_FIELDS = ("DTSTART", "DTEND", "DURATION", "SUMMARY", "DESCRIPTION", "LOCATION", "URL",
                  "CATEGORIES", "STATUS", "TRANSP", X_SESSION, X_PAPER, X_ITEM, X_NOTES,
                  X_PROGRAM, X_HASH)
SYNC_FIELDS = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")


@dataclass(frozen=True)
class AgendaObject:
    """One event of the agenda, ready to be stamped and written."""

    uid: str
    summary: str
    start: dt.datetime
    data: bytes  # a whole VCALENDAR (VTIMEZONE + VEVENT), DTSTAMP fixed
    content_hash: str


def program_marker(program: Program) -> str:
    """The value of X-PLANNER-PROGRAM: the same for the program on every machine."""
    return hashlib.sha256(uid_namespace(program).encode("utf-8")).hexdigest()[:16]


def agenda_objects(program: Program, stars: Stars, options: ExportOptions
                   ) -> tuple[list[AgendaObject], list[str]]:
    """The events ``planner export`` would write with ``options``, one calendar object each.

    An empty agenda is no error here: syncing it removes planner's events from the calendar.
    """
    if options.scope is Scope.STARRED and not any(
            session.start is not None for session in stars.agenda_sessions(program)):
        return [], []
    result = export_ics(program, stars, dataclasses.replace(options, split=True,
                                                            stamp=FIXED_STAMP))
    objects = []
    for event in result.events:
        data = result.files[event.file_name]
        objects.append(AgendaObject(event.uid, event.summary, event.start, data,
                                    hashlib.sha256(data).hexdigest()[:32]))
    return objects, result.warnings


def stamped(obj: AgendaObject, marker: str, sequence: int, now: dt.datetime) -> Calendar:
    """The object as it is written: SEQUENCE, LAST-MODIFIED and DTSTAMP of this sync."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(obj.data)
    for event in calendar.walk("VEVENT"):
        _set_sync_fields(event, marker, obj.content_hash, sequence, now)
    return calendar


def merge_into_server_copy(obj: AgendaObject, server: Calendar, marker: str, sequence: int,
                           now: dt.datetime) -> Calendar:
    """The user's copy with the program's fields put back: the program wins for what it says,
    the user keeps their alarms, notes in other properties, colours, attendees...

    Args:
        obj: what planner means now.
        server: the calendar object as the server holds it (edited by the user).
        marker: X-PLANNER-PROGRAM.
        sequence: the new SEQUENCE.
        now: LAST-MODIFIED and DTSTAMP.
    """
    from icalendar import Calendar

    ours = Calendar.from_ical(obj.data)
    our_event = next(iter(ours.walk("VEVENT")))
    theirs = next((c for c in server.walk("VEVENT") if "RECURRENCE-ID" not in c), None)
    if theirs is None:
        return stamped(obj, marker, sequence, now)
    merged = Calendar()
    for key, value in ours.items():
        merged.add(key, value)
    for component in ours.subcomponents:
        if component.name == "VTIMEZONE":
            merged.add_component(component)
    event = theirs
    for name in PROGRAM_FIELDS:
        event.pop(name, None)
        value = our_event.get(name)
        if value is not None:
            for item in value if isinstance(value, list) else [value]:
                event.add(name, item)
    _set_sync_fields(event, marker, obj.content_hash, sequence, now)
    merged.add_component(event)
    return merged


def _set_sync_fields(event: Any, marker: str, content_hash: str, sequence: int,
                     now: dt.datetime) -> None:
    for name in (*SYNC_FIELDS, X_PROGRAM, X_HASH):
        event.pop(name, None)
    moment = now.astimezone(dt.UTC).replace(microsecond=0)
    event.add("dtstamp", moment)
    event.add("last-modified", moment)
    event.add("sequence", sequence)
    event.add(X_PROGRAM, marker)
    event.add(X_HASH, content_hash)


def planner_fields(calendar: Calendar) -> tuple[str, str, str, int]:
    """(UID, X-PLANNER-PROGRAM, X-PLANNER-HASH, SEQUENCE) of a calendar object ('' if absent)."""
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            continue
        try:
            sequence = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        return (str(event.get("UID", "")), str(event.get(X_PROGRAM, "")),
                str(event.get(X_HASH, "")), sequence)
    return "", "", "", 0
