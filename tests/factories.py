"""Small programs built from the model, for tests that do not need an importer."""

from __future__ import annotations

import datetime as dt

from planner.core import timezones as tz
from planner.core.model import Paper, Program, Session, SessionKind


def session(sid: str, start: str | None, minutes: int = 60, *, zone: str = "Europe/Vienna",
            kind: SessionKind = SessionKind.WORKSHOP, papers: list[str] | None = None,
            floating: bool = True, **fields: object) -> Session:
    """A session starting at ``start`` ("2021-05-07 02:00", wall clock in ``zone``)."""
    begin = end = None
    if start is not None:
        begin = tz.localize(dt.datetime.fromisoformat(start), tz.get_zone(zone))
        end = tz.add(begin, dt.timedelta(minutes=minutes))
    return Session(id=sid, kind=kind, title=sid.replace("-", " ").title(), start=begin, end=end,
                   floating=floating, paper_ids=list(papers or []), **fields)  # type: ignore[arg-type]


def program(*sessions: Session, papers: list[Paper] | None = None,
            zone: str = "Europe/Vienna", key: str = "test-conf") -> Program:
    return Program(name="Test Conference", source_zone=zone, sessions=list(sessions),
                   papers={p.id: p for p in papers or []}, key=key)


def paper(pid: str, title: str = "", abstract: str = "") -> Paper:
    return Paper(id=pid, title=title or pid, abstract=abstract)
