"""Starred things that overlap in time. A starred paper counts as its slot's session.

Conflicts are pairs, and pairs grow with the square of the agenda: 3,000 starred parallel
sessions are 4.5 million pairs (printing each twice took 28 s and 9 million lines). So what the
CLI and the window show is a :class:`ConflictSummary`: for each session how many others it
overlaps (counted with two binary searches, never pair by pair) and the first
:data:`LISTED_PER_SESSION` of them by name; the rest is "and N more". Its cost is
O(n log n + n·k), whatever the overlap.

Busy times from the user's own calendar (:mod:`planner.core.busy`) count too: a starred
session overlapping one "clashes with your calendar". Such a clash is listed as a stand-in
session titled :data:`CALENDAR_TITLE` with the busy interval's times, never its private title,
so every place that shows conflicts shows it without knowing about calendars.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from planner.core.busy import BusyTime
from planner.core.model import Program, Session, SessionKind
from planner.core.stars import Stars

LISTED_PER_SESSION = 5  # others named per session; the rest are counted
LISTED_PAIRS = 20  # pairs kept in time order, for a tooltip or a report
CALENDAR_TITLE = "your calendar"
CALENDAR_ID_PREFIX = "calendar:"


@dataclass(frozen=True)
class Conflict:
    first: Session
    second: Session

    @property
    def overlap(self) -> tuple[dt.datetime, dt.datetime]:
        assert self.first.start and self.first.end and self.second.start and self.second.end
        return max(self.first.start, self.second.start), min(self.first.end, self.second.end)

    def other(self, session_id: str) -> Session:
        return self.second if self.first.id == session_id else self.first


@dataclass(frozen=True)
class ConflictSummary:
    """Every conflict counted, a handful per session named.

    Attributes:
        pairs: how many pairs of agenda sessions overlap.
        listed: session id -> up to :data:`LISTED_PER_SESSION` sessions it overlaps, earliest
            first; only sessions in a conflict are keys.
        counts: session id -> how many sessions it overlaps in all.
        first_pairs: the first :data:`LISTED_PAIRS` pairs in time order.
        calendar_clashes: how many (session, busy time) pairs overlap; they are in ``listed``
            (as :func:`calendar_stand_in` sessions) and ``counts`` too.
        calendar_counts: session id -> how many busy times it overlaps.
    """

    pairs: int = 0
    listed: dict[str, list[Session]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first_pairs: list[Conflict] = field(default_factory=list)
    calendar_clashes: int = 0
    calendar_counts: dict[str, int] = field(default_factory=dict)

    def others(self, session_id: str) -> list[Session]:
        return self.listed.get(session_id, [])

    def unlisted(self, session_id: str) -> int:
        """How many of the session's conflicts are counted but not named."""
        return self.counts.get(session_id, 0) - len(self.listed.get(session_id, ()))

    def signature(self) -> tuple[int, int, frozenset[tuple[str, int]]]:
        """Changes whenever a star flip changes who conflicts (cheap to compare)."""
        return self.pairs, self.calendar_clashes, frozenset(self.counts.items())


def calendar_stand_in(busy: BusyTime) -> Session:
    """A busy time as the other side of a conflict: its times, a neutral title, no text."""
    return Session(id=f"{CALENDAR_ID_PREFIX}{busy.start.isoformat()}/{busy.end.isoformat()}",
                   kind=SessionKind.OTHER, title=CALENDAR_TITLE, start=busy.start, end=busy.end)


def is_calendar(session: Session) -> bool:
    """Whether ``session`` stands in for a busy time of the user's calendar."""
    return session.id.startswith(CALENDAR_ID_PREFIX)


def _timed(program: Program, stars: Stars) -> list[tuple[Session, dt.datetime, dt.datetime]]:
    """Agenda sessions that take time (a zero-length slot overlaps nothing), in time order."""
    timed = [(s, s.start, s.end) for s in stars.agenda_sessions(program)
             if s.start is not None and s.end is not None and s.end > s.start]
    timed.sort(key=lambda item: (item[1], item[2], item[0].title, item[0].id))
    return timed


def summarize_conflicts(program: Program, stars: Stars,
                        per_session: int = LISTED_PER_SESSION,
                        busy: Sequence[BusyTime] = ()) -> ConflictSummary:
    """Count every overlap and name the first few per session, in O(n log n + n·k);
    with ``busy``, clashes with the user's calendar too (:func:`_add_calendar`)."""
    timed = _timed(program, stars)
    sessions = [item[0] for item in timed]
    starts = [item[1] for item in timed]
    ends = sorted(item[2] for item in timed)
    counts: dict[str, int] = {}
    listed: dict[str, list[Session]] = {}
    first_pairs: list[Conflict] = []
    active: dict[str, Session] = {}  # started, not yet ended; insertion order is time order
    ending: list[tuple[dt.datetime, int, str]] = []
    total = 0
    for index, (session, start, end) in enumerate(timed):
        while ending and ending[0][0] <= start:
            active.pop(heapq.heappop(ending)[2], None)
        # Everyone starting before this session ends, minus everyone ended before it starts,
        # minus itself.
        starting_before_end = bisect.bisect_left(starts, end)
        count = starting_before_end - bisect.bisect_right(ends, start) - 1
        if count:
            counts[session.id] = count
            total += count
            earlier = list(itertools.islice(active.values(), per_session))
            later_end = min(starting_before_end, index + 1 + per_session - len(earlier))
            listed[session.id] = earlier + sessions[index + 1:later_end]
            if len(first_pairs) < LISTED_PAIRS:
                first_pairs.extend(Conflict(other, session) for other in
                                   itertools.islice(active.values(),
                                                    LISTED_PAIRS - len(first_pairs)))
        active[session.id] = session
        heapq.heappush(ending, (end, index, session.id))
    clashes, calendar_counts = _add_calendar(counts, listed, timed, busy, per_session)
    return ConflictSummary(total // 2, listed, counts, first_pairs, clashes, calendar_counts)


def _add_calendar(counts: dict[str, int], listed: dict[str, list[Session]],
                  timed: list[tuple[Session, dt.datetime, dt.datetime]],
                  busy: Sequence[BusyTime], per_session: int) -> tuple[int, dict[str, int]]:
    """Busy times each agenda session overlaps: counted with two binary searches, the first
    few named (from the first busy time that could still be running: the longest one back)."""
    spans = sorted((b for b in busy if b.end > b.start), key=lambda b: (b.start, b.end))
    calendar_counts: dict[str, int] = {}
    if not spans:
        return 0, calendar_counts
    starts = [b.start for b in spans]
    ends = sorted(b.end for b in spans)
    longest = max(b.end - b.start for b in spans)
    total = 0
    for session, start, end in timed:
        count = bisect.bisect_left(starts, end) - bisect.bisect_right(ends, start)
        if count <= 0:
            continue
        total += count
        calendar_counts[session.id] = count
        counts[session.id] = counts.get(session.id, 0) + count
        first = bisect.bisect_left(starts, start - longest)
        last = bisect.bisect_left(starts, end)
        named = [calendar_stand_in(b) for b in itertools.islice(
            (b for b in spans[first:last] if b.end > start), per_session)]
        listed[session.id] = named + listed.get(session.id, [])
    return total, calendar_counts


def find_conflicts(program: Program, stars: Stars, limit: int | None = None) -> list[Conflict]:
    """Pairs of agenda sessions that overlap, in time order (a sweep, not all pairs).

    ``limit`` stops after that many pairs; without it the list grows with the square of the
    agenda, so anything shown to a user should use :func:`summarize_conflicts`.
    """
    conflicts: list[Conflict] = []
    active: list[Session] = []
    for session, start, _ in _timed(program, stars):
        active = [a for a in active if a.end is not None and a.end > start]
        conflicts.extend(Conflict(a, session) for a in active)
        if limit is not None and len(conflicts) >= limit:
            return conflicts[:limit]
        active.append(session)
    return conflicts


def conflicts_by_session(conflicts: list[Conflict]) -> dict[str, list[Session]]:
    """session id -> the sessions it collides with."""
    result: dict[str, list[Session]] = {}
    for conflict in conflicts:
        result.setdefault(conflict.first.id, []).append(conflict.second)
        result.setdefault(conflict.second.id, []).append(conflict.first)
    return result
