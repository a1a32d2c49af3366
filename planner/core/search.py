"""Search: every term must match somewhere in a session or one of its papers."""

from __future__ import annotations

from planner.core.ids import fold_text
from planner.core.model import Paper, Program, Session


def query_terms(query: str) -> list[str]:
    """Terms of a query, folded like the text they are matched against."""
    return fold_text(query).split()


def paper_text(paper: Paper) -> str:
    return fold_text(" ".join([paper.title, paper.abstract, " ".join(paper.authors)]))


def session_text(session: Session) -> str:
    """The session's own searchable text (not its papers')."""
    parts = [session.title, session.subtitle, session.kind.value, session.room, session.location,
             session.track, " ".join(session.speakers), session.description]
    return fold_text(" ".join(parts))


def matches(haystack: str, terms: list[str]) -> bool:
    return all(term in haystack for term in terms)


def session_matches(program: Program, session: Session, terms: list[str]) -> bool:
    """True when every term is in the session's text or in one of its papers' text."""
    if not terms:
        return True
    text = session_text(session) + " " + " ".join(paper_text(p) for p in program.papers_of(session))
    return matches(text, terms)


def search_sessions(program: Program, query: str) -> list[Session]:
    terms = query_terms(query)
    return [s for s in program.sessions if session_matches(program, s, terms)]
