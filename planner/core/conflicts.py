"""Starred things that overlap in time. A starred paper counts as its slot's session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.core.model import Program, Session
from planner.core.stars import Stars


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


def find_conflicts(program: Program, stars: Stars) -> list[Conflict]:
    """Every pair of agenda sessions that overlap, in time order (a sweep, not all pairs)."""
    timed = [s for s in stars.agenda_sessions(program) if s.start and s.end]
    timed.sort(key=lambda s: (s.start, s.end, s.title, s.id))
    conflicts: list[Conflict] = []
    active: list[Session] = []
    for session in timed:
        assert session.start is not None
        active = [a for a in active if a.end is not None and a.end > session.start]
        conflicts.extend(Conflict(a, session) for a in active)
        active.append(session)
    return conflicts


def conflicts_by_session(conflicts: list[Conflict]) -> dict[str, list[Session]]:
    """session id -> the sessions it collides with."""
    result: dict[str, list[Session]] = {}
    for conflict in conflicts:
        result.setdefault(conflict.first.id, []).append(conflict.second)
        result.setdefault(conflict.second.id, []).append(conflict.first)
    return result
