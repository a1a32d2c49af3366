"""The agenda as plain data: the user's starred sessions in time order, grouped by day (in the
display zone), with the free time between them. Qt-free, so the agenda's rules are unit-tested
without a display; :class:`planner.ui.agenda_model.AgendaModel` only shows the result.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from planner.core import timezones
from planner.core.model import Paper, Program, Session
from planner.core.star_notes import PLAIN, StarNote
from planner.core.stars import Stars
from planner.core.timefmt import all_day_dates


class AgendaKind(enum.StrEnum):
    DAY = "day"
    SESSION = "session"
    GAP = "gap"


@dataclass(frozen=True)
class AgendaEntry:
    kind: AgendaKind
    session: Session | None = None
    day: dt.date | None = None
    gap: dt.timedelta | None = None
    papers: tuple[Paper, ...] = ()
    # The session's own star: its note and priority (plain when only papers are starred);
    # each paper's are in ``paper_notes``, in the order of ``papers``.
    note: StarNote = PLAIN
    paper_notes: tuple[StarNote, ...] = ()


def build_agenda(program: Program, stars: Stars, zone: dt.tzinfo) -> list[AgendaEntry]:
    """Starred items in time order, grouped by display-zone day, with the free time between.

    A day heading opens each day (``day=None``: the sessions without a time, last); a gap entry
    stands for a minute or more free between two timed sessions of one day. A session lists its
    starred papers, and carries its note and priority and theirs.
    """
    sessions = stars.agenda_sessions(program)

    def day_of(session: Session) -> dt.date:
        assert session.start is not None
        if session.all_day:
            return all_day_dates(session, program.zone)[0]
        return timezones.to_zone(session.start, zone).date()

    timed = sorted((s for s in sessions if s.start is not None),
                   key=lambda s: (day_of(s), not s.all_day, s.start, s.title))
    entries: list[AgendaEntry] = []
    last_day: dt.date | None = None
    last_end: dt.datetime | None = None
    for session in timed:
        assert session.start is not None
        day = day_of(session)
        if day != last_day:
            entries.append(AgendaEntry(AgendaKind.DAY, day=day))
            last_day = day
            last_end = None
        elif (last_end is not None and not session.all_day
              and session.start - last_end >= dt.timedelta(minutes=1)):
            entries.append(AgendaEntry(AgendaKind.GAP, gap=session.start - last_end))
        entries.append(_session_entry(program, stars, session))
        if not session.all_day:  # a whole day would swallow every gap
            end = session.end or session.start
            last_end = end if last_end is None else max(last_end, end)
    untimed = [s for s in sessions if s.start is None]
    if untimed:
        entries.append(AgendaEntry(AgendaKind.DAY, day=None))
        entries.extend(_session_entry(program, stars, session) for session in untimed)
    return entries


def _session_entry(program: Program, stars: Stars, session: Session) -> AgendaEntry:
    """A session of the agenda with its starred papers, and the notes of each."""
    papers = tuple(program.papers[pid] for pid in stars.starred_papers_in(session)
                   if pid in program.papers)
    return AgendaEntry(AgendaKind.SESSION, session=session, papers=papers,
                       note=stars.note_of(session.id),
                       paper_notes=tuple(stars.note_of(paper.id) for paper in papers))
