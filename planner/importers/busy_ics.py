"""Reading a personal calendar (.ics) as busy times, through the program importer's iCalendar
path: what counts as busy, and the zone of floating times, are in :mod:`planner.core.busy`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.core import timezones
from planner.core.busy import BusyTimes, busy_from_program
from planner.core.errors import ProgramError
from planner.importers import ImportOptions, parse_text
from planner.importers.ical import sniff
from planner.importers.reading import decode_program_bytes, read_user_file

MAX_BUSY_BYTES = 64 * 1024 * 1024


def read_busy_times(path: str | Path, display_zone: str,
                    window: tuple[dt.datetime, dt.datetime] | None = None) -> BusyTimes:
    """Read a personal .ics as busy times.

    Args:
        path: the calendar file.
        display_zone: IANA zone for floating times when the file declares none.
        window: only busy times touching it are kept, and recurring events are expanded up to
            its end (see :func:`planner.core.busy.program_window`); None: up to a year after
            each event's start, as for programs.

    Raises:
        ProgramError: one line naming the file (and line) and what was expected.
    """
    shown = str(path)
    data = read_user_file(Path(path), "a calendar file (.ics)", MAX_BUSY_BYTES,
                          plural="calendars")
    text = decode_program_bytes(data, shown, expected="an iCalendar (.ics) file")
    if not sniff(text):
        raise ProgramError("is not an iCalendar file; expected BEGIN:VCALENDAR (export your "
                           "calendar as .ics)", path=shown, line=1)
    program = parse_text(text, ImportOptions(recurrence_window=window), shown, "ics")
    if program.zone_guessed:
        program.change_source_zone(timezones.zone_name(timezones.get_zone(display_zone)))
    return busy_from_program(program, shown, window)
