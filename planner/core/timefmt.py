"""How planner writes times and days: one formatter for the window, the command line and
``diff`` (Qt-free, so it is tested without a display).

English names on purpose (never ``strftime``'s ``%a``/``%b``, which follow the user's locale):
the program texts are English, and the same day must read the same on every desktop and in
every terminal. A session whose start and end have different UTC offsets (a DST change in
between) names each end's own abbreviation. All zone work goes through
:mod:`planner.core.timezones`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from planner.core import timezones
from planner.core.model import Session

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

ESTIMATE_MARK = "~"


def day_label(day: dt.date) -> str:
    """``Fri 7 May``."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def long_day_label(day: dt.date) -> str:
    """``Friday 7 May 2021``."""
    return f"{_LONG_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def dated_label(day: dt.date) -> str:
    """``Fri 7 May 2021``."""
    return f"{day_label(day)} {day.year}"


def hm(moment: dt.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def span(start: dt.datetime, end: dt.datetime | None, zone: dt.tzinfo,
         estimated: bool = False, with_zone: bool = True) -> str:
    """``Fri 7 May 02:00–~04:00 CEST`` on the clocks of ``zone`` (``~`` marks an estimated end).

    An end on a later day names its day, so a session crossing midnight never reads backwards.
    """
    local_start = timezones.to_zone(start, zone)
    text = f"{day_label(local_start.date())} {hm(local_start)}"
    if end is not None:
        local_end = timezones.to_zone(end, zone)
        mark = ESTIMATE_MARK if estimated else ""
        if with_zone and _offsets_differ(local_start, local_end):
            text += f" {timezones.abbreviation(local_start)}"
        if local_end.date() == local_start.date() or _is_midnight_after(local_start, local_end):
            text += f"–{mark}{hm(local_end)}"
        else:
            text += f" – {mark}{day_label(local_end.date())} {hm(local_end)}"
        if with_zone and _offsets_differ(local_start, local_end):
            return f"{text} {timezones.abbreviation(local_end)}"
    if with_zone:
        text += f" {timezones.abbreviation(local_start)}"
    return text


def clock_span(start: dt.datetime, end: dt.datetime | None, zone: dt.tzinfo,
               estimated: bool = False) -> str:
    """``19:30–~03:30 (+1 day) CEST`` for a list under a day heading; across a DST change
    each end names its own zone abbreviation: ``01:30 EDT–01:15 EST``."""
    local_start = timezones.to_zone(start, zone)
    local_end = timezones.to_zone(end, zone) if end is not None else None
    text = short_span(start, end, zone, estimated)
    if local_end is not None and _offsets_differ(local_start, local_end):
        begin = f"{hm(local_start)} {timezones.abbreviation(local_start)}"
        return f"{begin}{text[5:]} {timezones.abbreviation(local_end)}"
    return f"{text} {timezones.abbreviation(local_start)}"


def _offsets_differ(start: dt.datetime, end: dt.datetime) -> bool:
    return start.utcoffset() != end.utcoffset()


def short_span(start: dt.datetime, end: dt.datetime | None, zone: dt.tzinfo,
               estimated: bool = False) -> str:
    """``02:00–~04:00`` (no day, no zone) for places that already show both."""
    local_start = timezones.to_zone(start, zone)
    text = hm(local_start)
    if end is not None:
        local_end = timezones.to_zone(end, zone)
        text += f"–{ESTIMATE_MARK if estimated else ''}{hm(local_end)}"
        if local_end.date() > local_start.date() and not _is_midnight_after(local_start,
                                                                            local_end):
            text += " (+1 day)"
    return text


def _is_midnight_after(start: dt.datetime, end: dt.datetime) -> bool:
    """An end at 00:00 the next day belongs to the start's day ("22:00–00:00")."""
    return end.time() == dt.time(0, 0) and end.date() == start.date() + dt.timedelta(days=1)


def duration_text(delta: dt.timedelta) -> str:
    """``1 h 30 min``, ``45 min``, ``2 h``."""
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def day_bounds(day: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants at which ``day`` starts and ends on the clocks of ``zone`` (23 h or 25 h on
    DST days)."""
    start = timezones.localize(dt.datetime.combine(day, dt.time()), zone)
    end = timezones.localize(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), zone)
    return start, end


def local_days(start: dt.datetime, end: dt.datetime | None, zone: dt.tzinfo) -> list[dt.date]:
    """The days of ``zone`` that a session touches (a session ending at 00:00 does not touch
    the next day)."""
    first = timezones.to_zone(start, zone).date()
    if end is None or end <= start:
        return [first]
    last_moment = timezones.to_zone(end - dt.timedelta(microseconds=1), zone)
    days = []
    day = first
    while day <= last_moment.date():
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def hour_marks(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo,
               step_minutes: int = 60) -> Iterator[dt.datetime]:
    """Instants between ``start`` and ``end`` where the clocks of ``zone`` show a whole
    ``step_minutes`` (so a DST day has 23 or 25 hour lines, and +05:30 zones still get
    their own whole hours)."""
    utc_start = timezones.to_utc(start)
    utc_end = timezones.to_utc(end)
    # Walk in UTC quarter hours: every zone offset in use is a multiple of 15 minutes.
    moment = utc_start.replace(minute=utc_start.minute - utc_start.minute % 15, second=0,
                               microsecond=0)
    quarter = dt.timedelta(minutes=15)
    while moment <= utc_end:
        if moment >= utc_start:
            local = timezones.to_zone(moment, zone)
            if (local.hour * 60 + local.minute) % step_minutes == 0:
                yield local
        moment += quarter


def all_day_dates(session: Session, source_zone: dt.tzinfo) -> list[dt.date]:
    """The dates of a whole-day session: calendar dates, the same in every zone (as calendar
    apps show them), read in the zone the program wrote them in."""
    assert session.start is not None
    return local_days(session.start, session.end, source_zone)


def all_day_text(session: Session, source_zone: dt.tzinfo) -> str:
    """``Sat 28 Dec, all day`` or ``Sat 28 Dec – Mon 30 Dec, all day``."""
    dates = all_day_dates(session, source_zone)
    if len(dates) == 1:
        return f"{day_label(dates[0])}, all day"
    return f"{day_label(dates[0])} – {day_label(dates[-1])}, all day"


def sessions_by_day(sessions: Iterable[Session], zone: dt.tzinfo,
                    longest: dt.timedelta = dt.timedelta(days=14),
                    source_zone: dt.tzinfo | None = None) -> dict[dt.date, list[Session]]:
    """Scheduled sessions under every day of ``zone`` they touch, in the given order.

    Whole-day sessions go under their calendar dates (read in ``source_zone``), not under the
    display zone's days their midnights fall on.

    Conversions are memoised per instant: a program of 10,000 sessions has a few hundred
    distinct start times. (The key is the wall time with its tzinfo object: hashing an aware
    datetime asks pytz for its offset, which costs more than the conversion saves.)
    Sessions longer than ``longest`` are listed on their first days only.
    """
    local: dict[tuple[dt.datetime, int], dt.date] = {}

    def day_of(moment: dt.datetime) -> dt.date:
        key = (moment.replace(tzinfo=None), id(moment.tzinfo))
        day = local.get(key)
        if day is None:
            day = local[key] = timezones.to_zone(moment, zone).date()
        return day

    result: dict[dt.date, list[Session]] = {}
    one_day = dt.timedelta(days=1)
    for session in sessions:
        if session.start is None:
            continue
        if session.all_day and source_zone is not None:
            for day in all_day_dates(session, source_zone)[:longest.days]:
                result.setdefault(day, []).append(session)
            continue
        first = day_of(session.start)
        last = first
        if session.end is not None and session.end > session.start:
            last = day_of(min(session.end, session.start + longest) - dt.timedelta(microseconds=1))
        day = first
        while day <= last:
            result.setdefault(day, []).append(session)
            day += one_day
    return result
