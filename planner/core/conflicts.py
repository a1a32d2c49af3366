"""Starred things that overlap in time. A starred paper counts as its slot's session.

Conflicts are pairs, and pairs grow with the square of the agenda: 3,000 starred parallel
sessions are 4.5 million pairs (printing each twice took 28 s and 9 million lines). So what the
CLI and the window show is a :class:`ConflictSummary`: for each session how many others it
overlaps (counted with two binary searches, never pair by pair) and the first
:data:`LISTED_PER_SESSION` of them by name; the rest is "and N more". Its cost is
O(n log n + n·k), whatever the overlap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from dataclasses import dataclass, field

from planner.core.model import Program, Session
from planner.core.stars import Stars

LISTED_PER_SESSION = 5  # others named per session; the rest are counted
LISTED_PAIRS = 20  # pairs kept in time order, for a tooltip or a report


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
    """

    pairs: int = 0
    listed: dict[str, list[Session]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first_pairs: list[Conflict] = field(default_factory=list)

    def others(self, session_id: str) -> list[Session]:
        return self.listed.get(session_id, [])

    def unlisted(self, session_id: str) -> int:
        """How many of the session's conflicts are counted but not named."""
        return self.counts.get(session_id, 0) - len(self.listed.get(session_id, ()))

    def signature(self) -> tuple[int, frozenset[tuple[str, int]]]:
        """Changes whenever a star flip changes who conflicts (cheap to compare)."""
        return self.pairs, frozenset(self.counts.items())


def _timed(program: Program, stars: Stars) -> list[tuple[Session, dt.datetime, dt.datetime]]:
    """Agenda sessions that take time (a zero-length slot overlaps nothing), in time order."""
    timed = [(s, s.start, s.end) for s in stars.agenda_sessions(program)
             if s.start is not None and s.end is not None and s.end > s.start]
    timed.sort(key=lambda item: (item[1], item[2], item[0].title, item[0].id))
    return timed


def summarize_conflicts(program: Program, stars: Stars,
                        per_session: int = LISTED_PER_SESSION) -> ConflictSummary:
    """Count every overlap and name the first few per session, in O(n log n + n·k)."""
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
    return ConflictSummary(total // 2, listed, counts, first_pairs)


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
