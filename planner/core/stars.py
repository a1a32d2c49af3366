"""What is starred, as the domain sees it: sessions, papers, and the sessions they bring in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.core.model import Paper, Program, Session
from planner.core.star_notes import PLAIN, StarNote


class StarState:
    """How a session looks in a star column: full, half (some of its papers), or empty."""

    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


@dataclass
class Stars:
    """The starred ids of one program (sessions and papers in one set)."""

    ids: set[str] = field(default_factory=set)
    # Stored stars whose item this program no longer has (id -> title it was given to). The
    # id may now belong to another item, which is not starred by it.
    detached: dict[str, str] = field(default_factory=dict)
    # The user's note and priority of starred ids that have either (plain stars are absent).
    notes: dict[str, StarNote] = field(default_factory=dict)

    def note_of(self, item_id: str) -> StarNote:
        """The note and priority of a starred item (a plain "must" for any other)."""
        return self.notes.get(item_id, PLAIN) if item_id in self.ids else PLAIN

    def is_maybe(self, item_id: str) -> bool:
        return self.note_of(item_id).maybe

    def snapshot(self) -> Stars:
        """A copy for a worker thread (an export, a sync), notes included."""
        return Stars(set(self.ids), dict(self.detached), dict(self.notes))

    def is_starred(self, item_id: str) -> bool:
        return item_id in self.ids

    def session_state(self, program: Program, session: Session) -> str:
        if session.id in self.ids:
            return StarState.FULL
        if not self.ids.isdisjoint(session.paper_ids):  # any paper starred (a C-level loop)
            return StarState.PARTIAL
        return StarState.NONE

    def starred_papers_in(self, session: Session) -> list[str]:
        return [pid for pid in session.paper_ids if pid in self.ids]

    def agenda_sessions(self, program: Program) -> list[Session]:
        """Sessions the user will attend: starred ones and those holding a starred paper."""
        ids = self.ids
        wanted = self._agenda_ids(program)
        if wanted is not None:  # a set lookup per session, not a loop over its papers
            return [s for s in program.sessions if s.id in wanted]
        return [s for s in program.sessions if s.id in ids or not ids.isdisjoint(s.paper_ids)]

    def _agenda_ids(self, program: Program) -> set[str] | None:
        """Ids of the agenda's sessions, found from the stars (a star toggle in a program
        of 10,000 sessions runs this); None when a starred id is neither a session nor a
        paper of the program (a session may still list it: ask every session)."""
        wanted: set[str] = set()
        for item_id in self.ids:
            paper = program.papers.get(item_id)
            if program.find_session(item_id) is not None:
                wanted.add(item_id)
            elif paper is None:
                return None
            if paper is not None:
                wanted.update(paper.session_ids)
        return wanted

    def starred_papers(self, program: Program) -> list[Paper]:
        return [paper for pid, paper in program.papers.items() if pid in self.ids]

    def missing(self, program: Program) -> list[str]:
        """Starred ids the program no longer has (kept, shown, never dropped silently); a
        star whose id now names another item is shown with the title it was given to."""
        gone = {item_id for item_id in self.ids if not program.has_item(item_id)}
        for item_id, title in self.detached.items():
            gone.add(f"{item_id} ({title})" if title and program.has_item(item_id) else item_id)
        return sorted(gone)

    def counts(self, program: Program) -> tuple[int, int]:
        """(starred sessions, starred papers) present in the program."""
        sessions = sum(1 for s in program.sessions if s.id in self.ids)
        papers = sum(1 for pid in program.papers if pid in self.ids)
        return sessions, papers


def resolve_ids(program: Program, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split ids into (known, unknown) for this program."""
    known: list[str] = []
    unknown: list[str] = []
    for item_id in ids:
        (known if program.has_item(item_id) else unknown).append(item_id)
    return known, unknown
