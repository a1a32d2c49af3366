"""Where a program under way opens: today at the current hour, on the display zone's clocks.

Plain functions of an explicit ``now`` (the window passes its controller's clock), so tests
drive the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.core import timezones
from planner.core.model import Session


def is_under_way(sessions: Sequence[Session], now: dt.datetime) -> bool:
    """Whether ``now`` is between the program's first start and its last end."""
    starts = [s.start for s in sessions if s.start is not None]
    if not starts:
        return False
    ends = [s.end or s.start for s in sessions if s.start is not None]
    return min(starts) <= now <= max(e for e in ends if e is not None)


def opening_place(sessions: Sequence[Session], days: Sequence[dt.date], now: dt.datetime,
                  zone: dt.tzinfo) -> tuple[dt.date, dt.datetime | None] | None:
    """The day to open on and the instant to put at the top (the start of the current hour),
    or None when the program is not under way. On a night or rest day between program days:
    the next program day, from its start (None as the instant)."""
    if not is_under_way(sessions, now):
        return None
    wall = timezones.to_zone(now, zone)
    if wall.date() in days:
        # Back to the hour on the wall clock, as an instant (exact in a fold and at :30 zones).
        return wall.date(), now - dt.timedelta(minutes=wall.minute, seconds=wall.second,
                                               microseconds=wall.microsecond)
    later = sorted(day for day in days if day > wall.date())
    return (later[0], None) if later else None
