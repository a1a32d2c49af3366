"""Now & next: the starred sessions running now and the next ones, with countdowns; with
nothing starred, what runs now in the whole program. Qt-free; ``now`` is always passed in, so
the window's clock, ``planner now --at`` and the tests all drive the same function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.model import Program, Session
from planner.core.stars import Stars

NEXT_SHOWN = 3
RUNNING_SHOWN = 12


@dataclass(frozen=True)
class Entry:
    """One session in the view; ``minutes`` is left (running) or until it starts (next)."""

    session: Session
    running: bool
    minutes: int

    @property
    def countdown(self) -> str:
        return f"{duration_text(self.minutes)} left" if self.running \
            else f"in {duration_text(self.minutes)}"


@dataclass
class NowNext:
    """What to show at one instant.

    Attributes:
        starred_only: the entries come from the user's agenda (else from the whole program).
        more_running: how many more sessions run now than ``running`` lists.
    """

    running: list[Entry] = field(default_factory=list)
    upcoming: list[Entry] = field(default_factory=list)
    starred_only: bool = True
    more_running: int = 0


def duration_text(minutes: int) -> str:
    """``12 min``, ``2 h 5 min``, ``3 days``."""
    if minutes < 60:
        return f"{max(0, minutes)} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes // (24 * 60)} days"


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(-(-delta.total_seconds() // 60)))  # round up: "in 1 min", not "in 0"


def now_and_next(program: Program, stars: Stars, now: dt.datetime,
                 next_shown: int = NEXT_SHOWN) -> NowNext:
    """The sessions running at ``now`` and the next ``next_shown`` to start."""
    agenda = stars.agenda_sessions(program) if stars.ids else []
    starred_only = bool(agenda)
    pool = agenda if starred_only else program.sessions
    timed = sorted((s for s in pool if s.start is not None and not s.all_day),
                   key=lambda s: (s.start, s.title))
    result = NowNext(starred_only=starred_only)
    running: list[Entry] = []
    for session in timed:
        assert session.start is not None
        end = session.end or session.start
        if session.start <= now < end:
            running.append(Entry(session, True, _minutes(end - now)))
        elif session.start > now and len(result.upcoming) < next_shown:
            result.upcoming.append(Entry(session, False, _minutes(session.start - now)))
    limit = len(running) if starred_only else RUNNING_SHOWN
    result.running = running[:limit]
    result.more_running = len(running) - len(result.running)
    return result


def entry_line(entry: Entry, zone: dt.tzinfo) -> str:
    """``14:00–14:40 CET  Title — Saal 1 (in 12 min)``."""
    session = entry.session
    assert session.start is not None
    start = timezones.to_zone(session.start, zone)
    span = f"{start:%H:%M}"
    if session.end is not None:
        span += f"–{timezones.to_zone(session.end, zone):%H:%M}"
    place = session.room or session.location
    room = f" — {place}" if place else ""
    cancelled = " [cancelled]" if session.cancelled else ""
    return (f"{span} {timezones.abbreviation(start)}  {session.title}{cancelled}{room} "
            f"({entry.countdown})")


def lines(view: NowNext, zone: dt.tzinfo) -> list[str]:
    """The view as text, for ``planner now`` and the tray menu."""
    out: list[str] = []
    scope = "starred" if view.starred_only else "in the program (nothing starred)"
    out.append(f"Now ({scope}):")
    out.extend(f"  {entry_line(e, zone)}" for e in view.running)
    if view.more_running:
        out.append(f"  … and {view.more_running} more")
    if not view.running:
        out.append("  nothing")
    out.append("Next:")
    out.extend(f"  {entry_line(e, zone)}" for e in view.upcoming)
    if not view.upcoming:
        out.append("  nothing later")
    return out
