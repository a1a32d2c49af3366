"""Search: every term must start a word somewhere in a session or one of its papers.

A term matches the start of a word ("rust" finds "Rust" and "rustc", not "Trust"), so a user
typing a word sees what has that word. A term may be limited to one field by a prefix,
``title:``, ``speaker:``, ``abstract:`` or ``room:`` (the window's *Search in* box adds it
to every term); a term is then looked for in that field of the session or of one of its papers.
"""

from __future__ import annotations

import re

from planner.core.ids import fold_text
from planner.core.model import Paper, Program, Session

FIELDS = ("title", "speaker", "abstract", "room")
FIELD_LABELS = {"": "Everything", "title": "Titles", "speaker": "Speakers",
                "abstract": "Abstracts", "room": "Rooms"}
_FIELD_PREFIX = re.compile(rf"^({'|'.join(FIELDS)})s?:", re.IGNORECASE)


def query_terms(query: str, field: str = "") -> list[str]:
    """Terms of a query, folded like the text they are matched against.

    A term limited to a field is ``field:word`` (folded text never has a colon); ``field``
    limits every term that does not name its own.
    """
    terms: list[str] = []
    for token in query.split():
        own = _FIELD_PREFIX.match(token)
        token_field = own.group(1).lower() if own else field
        words = fold_text(token[own.end():] if own else token).split()
        terms.extend(f"{token_field}:{word}" if token_field else word for word in words)
    return terms


def split_term(term: str) -> tuple[str, str]:
    """``title:rust`` -> ("title", "rust"); ``rust`` -> ("", "rust")."""
    field, _, word = term.rpartition(":")
    return field, word


def plain_terms(terms: list[str]) -> list[str]:
    """The words of ``terms`` without their fields (what to highlight, what the index finds)."""
    return [split_term(term)[1] for term in terms]


def paper_text(paper: Paper) -> str:
    return fold_text(" ".join([paper.title, paper.abstract, " ".join(paper.authors)]))


def session_text(session: Session) -> str:
    """The session's own searchable text (not its papers')."""
    parts = [session.title, session.subtitle, session.kind.value, session.room, session.location,
             session.track, " ".join(session.speakers), session.description]
    return fold_text(" ".join(parts))


def session_field_text(session: Session, field: str) -> str:
    if field == "title":
        return fold_text(f"{session.title} {session.subtitle}")
    if field == "speaker":
        return fold_text(" ".join(session.speakers))
    if field == "abstract":
        return fold_text(session.description)
    if field == "room":
        return fold_text(f"{session.room} {session.location}")
    raise ValueError(f"unknown search field {field!r}")


def paper_field_text(paper: Paper, field: str) -> str:
    if field == "title":
        return fold_text(paper.title)
    if field == "speaker":
        return fold_text(" ".join(paper.authors))
    if field == "abstract":
        return fold_text(paper.abstract)
    return ""  # papers have no room of their own


def has_word_starting(haystack: str, word: str) -> bool:
    """True when a word of the folded ``haystack`` starts with ``word``."""
    return haystack.startswith(word) or f" {word}" in haystack


def matches(haystack: str, terms: list[str]) -> bool:
    """Every term's word starts a word of ``haystack`` (fields are checked by fields_match)."""
    return all(has_word_starting(haystack, split_term(term)[1]) for term in terms)


def fields_match(session: Session, papers: list[Paper], terms: list[str]) -> bool:
    """Every field-limited term starts a word in that field of the session or of a paper."""
    for term in terms:
        field, word = split_term(term)
        if not field:
            continue
        texts = [session_field_text(session, field)]
        texts.extend(paper_field_text(p, field) for p in papers)
        if not any(has_word_starting(text, word) for text in texts):
            return False
    return True


def session_matches(program: Program, session: Session, terms: list[str]) -> bool:
    """True when every term is in the session's text or in one of its papers' text."""
    if not terms:
        return True
    papers = program.papers_of(session)
    text = session_text(session) + " " + " ".join(paper_text(p) for p in papers)
    return matches(text, terms) and fields_match(session, papers, terms)


def search_sessions(program: Program, query: str, field: str = "") -> list[Session]:
    terms = query_terms(query, field)
    return [s for s in program.sessions if session_matches(program, s, terms)]
