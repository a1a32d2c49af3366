"""Personal busy times: the user's own calendar (.ics) as time they are not free.

:func:`planner.importers.busy_ics.read_busy_times` reads the file through the program
importer's iCalendar path (zones, recurrence with its work budget, repairs); this module reduces
the result to intervals. What does not make the user busy is dropped: all-day
entries (a birthday, "conference week"), ``TRANSP:TRANSPARENT`` (free time the calendar shows)
and ``STATUS:CANCELLED``.

Floating times (no zone, no offset) belong to the zone the file declares (``X-WR-TIMEZONE``, or
the zone its events name); a file that declares none is read in the **display zone**: a
personal "09:00 dentist" means nine on the user's own clock, and the display zone is the app's
idea of that clock (the importer's fallback, UTC, would put it hours off).

Titles are private: shown inside the app only. They are not in ``repr`` (so not in logs or
tracebacks), the conflict summary never carries them, and warnings of the import are redacted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.model import Program
from planner.core.text import plural

# Busy times read around a program: a day either side (a late meeting the evening before).
WINDOW_MARGIN = dt.timedelta(days=1)
PRIVATE = "(private)"


@dataclass(frozen=True)
class BusyTime:
    """One interval the user is busy; ``title`` is shown only inside the app."""

    start: dt.datetime
    end: dt.datetime
    title: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("busy times must be timezone-aware")


@dataclass(frozen=True)
class BusyTimes:
    """What one personal calendar file says about when the user is busy.

    Attributes:
        path: the file, as the user named it.
        times: busy intervals in time order.
        skipped_all_day, skipped_free, skipped_cancelled: entries that do not make one busy.
        zone: the zone floating times were read in.
        warnings: the import's notes, with every busy title replaced by "(private)".
    """

    path: str
    times: tuple[BusyTime, ...] = ()
    skipped_all_day: int = 0
    skipped_free: int = 0
    skipped_cancelled: int = 0
    zone: str = "UTC"
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """``12 busy times from work.ics (3 all-day, 1 free, 2 cancelled not counted)``."""
        name = Path(self.path).name or self.path
        text = f"{plural(len(self.times), 'busy time')} from {name}"
        skipped = [f"{n:,} {what}" for n, what in ((self.skipped_all_day, "all-day"),
                                                    (self.skipped_free, "free"),
                                                    (self.skipped_cancelled, "cancelled")) if n]
        if skipped:
            text += f" ({', '.join(skipped)} not counted)"
        return text


def program_window(program: Program | None) -> tuple[dt.datetime, dt.datetime] | None:
    """The span of a program's scheduled sessions, a day either side; None without one."""
    if program is None:
        return None
    starts = [s.start for s in program.sessions if s.start is not None]
    ends = [s.end or s.start for s in program.sessions if s.start is not None]
    if not starts:
        return None
    return min(starts) - WINDOW_MARGIN, max(e for e in ends if e is not None) + WINDOW_MARGIN


def busy_from_program(program: Program, path: str,
                      window: tuple[dt.datetime, dt.datetime] | None = None) -> BusyTimes:
    """The busy intervals of an imported calendar (see the module docstring for what counts)."""
    times: list[BusyTime] = []
    all_day = free = cancelled = 0
    for session in program.sessions:
        if session.start is None or session.end is None:
            continue
        if session.all_day:
            all_day += 1
        elif session.cancelled:
            cancelled += 1
        elif session.transparent:
            free += 1
        elif session.end > session.start and not session.end_estimated and (
                window is None or (session.end > window[0] and session.start < window[1])):
            times.append(BusyTime(session.start, session.end, session.title))
    times.sort(key=lambda t: (t.start, t.end))
    titles = {s.title for s in program.sessions if s.title}
    return BusyTimes(path, tuple(times), all_day, free, cancelled, program.source_zone,
                     tuple(redact(w, titles) for w in program.warnings))


def redact(text: str, titles: Iterable[str]) -> str:
    """``text`` with every title in it replaced by "(private)" (longest first)."""
    for title in sorted(titles, key=len, reverse=True):
        if len(title) >= 2:
            text = text.replace(title, PRIVATE)
    return text

