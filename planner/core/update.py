"""A newer version of a program: which item became which, where stars go, what changed.

Programs change during a conference: talks move, change rooms, get cancelled, and exporters
re-number things. Items are matched by guid first (frab and pretalx keep it stable), then by
id, then by title and speakers. Stars follow their item to its new id; a star whose item is gone
is reported as "missing after update" and kept, never dropped. What changed among starred items
(moved, new room, new title, cancelled, removed) and what is new is reported.

Pure functions over two :class:`Program` objects; :mod:`planner.core.carry` applies a plan to
the store (the whole mapping in one transaction).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner.core.ids import fold_text
from planner.core.model import Paper, Program, Session

_CANCELLED_WORDS = re.compile(r"\b(?:cancel+ed|abgesagt|annul[ée]e?|entf[äa]ll[td])\b",
                              re.IGNORECASE)


class MatchedBy(enum.StrEnum):
    """How an old item was found in the new version (strongest first)."""

    GUID = "guid"
    ID = "id"
    TITLE = "title and speakers"


class ChangeKind(enum.StrEnum):
    """What happened to an item between two versions."""

    MOVED = "moved"
    ROOM = "new room"
    TITLE = "title changed"
    CANCELLED = "cancelled"
    REMOVED = "removed"
    NEW_ID = "new id"
    NEW = "new"


@dataclass(frozen=True)
class Change:
    """One change to one item; ``old``/``new`` hold what the user needs to see it."""

    kind: ChangeKind
    old_id: str  # "" for NEW
    new_id: str  # "" for REMOVED
    title: str
    starred: bool = False
    old_start: dt.datetime | None = None
    old_end: dt.datetime | None = None
    new_start: dt.datetime | None = None
    new_end: dt.datetime | None = None
    old_text: str = ""  # old room or title
    new_text: str = ""  # new room or title
    matched_by: MatchedBy | None = None


@dataclass
class UpdatePlan:
    """Everything an update does to one user's stars, and what to tell them.

    Attributes:
        matches: old item id -> new item id, for every item found again.
        matched_by: old item id -> how it was found.
        renames: starred old id -> new id, only where the id changed (for the store).
        kept: new ids of the starred items that survive the update.
        missing: starred old ids with no item in the new version ("missing after update").
        changes: what changed, starred items first, then (if asked) every other item.
        added: new ids with no counterpart in the old version.
    """

    matches: dict[str, str] = field(default_factory=dict)
    matched_by: dict[str, MatchedBy] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def changes_of(self, kind: ChangeKind) -> list[Change]:
        return [change for change in self.changes if change.kind is kind]


# -- matching ----------------------------------------------------------------------------------
def match_sessions(old: Program, new: Program) -> dict[str, tuple[str, MatchedBy]]:
    """Old session id -> (new session id, how), each new session used at most once."""
    result: dict[str, tuple[str, MatchedBy]] = {}
    taken: set[str] = set()

    by_guid: dict[str, list[Session]] = defaultdict(list)
    for session in new.sessions:
        if session.guid:
            by_guid[session.guid].append(session)
    for session in old.sessions:
        if not session.guid:
            continue
        candidates = [c for c in by_guid.get(session.guid, []) if c.id not in taken]
        chosen = _closest(session, candidates)
        if chosen is not None:
            result[session.id] = (chosen.id, MatchedBy.GUID)
            taken.add(chosen.id)

    for session in old.sessions:
        if session.id in result:
            continue
        candidate = new.find_session(session.id)
        if candidate is None or candidate.id in taken:
            continue
        if session.guid and candidate.guid and session.guid != candidate.guid:
            continue  # the id was reused for a different item
        result[session.id] = (candidate.id, MatchedBy.ID)
        taken.add(candidate.id)

    by_key: dict[tuple[str, tuple[str, ...]], list[Session]] = defaultdict(list)
    for session in new.sessions:
        if session.id not in taken:
            by_key[_identity(session.title, session.speakers)].append(session)
    for session in old.sessions:
        if session.id in result:
            continue
        key = _identity(session.title, session.speakers)
        if not key[0]:
            continue
        candidates = [c for c in by_key.get(key, []) if c.id not in taken]
        chosen = _closest(session, candidates)
        if chosen is not None:
            result[session.id] = (chosen.id, MatchedBy.TITLE)
            taken.add(chosen.id)
    return result


def match_papers(old: Program, new: Program) -> dict[str, tuple[str, MatchedBy]]:
    """Old paper id -> (new paper id, how): by id, then by title and authors."""
    result: dict[str, tuple[str, MatchedBy]] = {}
    taken: set[str] = set()
    for paper_id in old.papers:
        if paper_id in new.papers:
            result[paper_id] = (paper_id, MatchedBy.ID)
            taken.add(paper_id)
    by_key: dict[tuple[str, tuple[str, ...]], list[Paper]] = defaultdict(list)
    for paper in new.papers.values():
        if paper.id not in taken:
            by_key[_identity(paper.title, paper.authors)].append(paper)
    for paper in old.papers.values():
        if paper.id in result:
            continue
        key = _identity(paper.title, paper.authors)
        free = [p for p in by_key.get(key, []) if p.id not in taken] if key[0] else []
        if len(free) == 1:
            result[paper.id] = (free[0].id, MatchedBy.TITLE)
            taken.add(free[0].id)
    return result


def _identity(title: str, people: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    return fold_text(title), tuple(sorted(fold_text(name) for name in people if name))


def _closest(session: Session, candidates: list[Session]) -> Session | None:
    """The candidate most like ``session``: the same id, else the nearest start."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    for candidate in candidates:
        if candidate.id == session.id:
            return candidate
    if session.start is None:
        return candidates[0]
    start = session.start

    def distance(candidate: Session) -> float:
        if candidate.start is None:
            return float("inf")
        return abs((candidate.start - start).total_seconds())

    return min(candidates, key=distance)


# -- the plan ------------------------------------------------------------------------------------
def plan_update(old: Program, new: Program, starred: Iterable[str],
                report_all: bool = False) -> UpdatePlan:
    """Match two versions of a program and say what happens to ``starred`` ids.

    Args:
        old: the version the stars were made on.
        new: the newer version.
        starred: starred item ids (sessions and papers) of ``old``.
        report_all: report changes of every item, not only starred ones.
    """
    stars = set(starred)
    plan = UpdatePlan()
    session_matches = match_sessions(old, new)
    paper_matches = match_papers(old, new)
    for old_id, (new_id, how) in (*session_matches.items(), *paper_matches.items()):
        plan.matches[old_id] = new_id
        plan.matched_by[old_id] = how

    for star in sorted(stars):
        if star in plan.matches:
            new_id = plan.matches[star]
            plan.kept.append(new_id)
            if new_id != star:
                plan.renames[star] = new_id
        elif old.has_item(star) or not new.has_item(star):
            plan.missing.append(star)
        else:  # an id only the new version knows (starred on a later copy): keep as is
            plan.kept.append(star)

    starred_changes: list[Change] = []
    other_changes: list[Change] = []
    for session in old.sessions:
        is_starred = session.id in stars
        if not (is_starred or report_all):
            continue
        target = starred_changes if is_starred else other_changes
        session_match = plan.matches.get(session.id)
        if session_match is None:
            target.append(Change(ChangeKind.REMOVED, session.id, "", session.title,
                                 is_starred, session.start, session.end,
                                 old_text=session.room))
            continue
        target.extend(_session_changes(session, new.session(session_match), is_starred,
                                       plan.matched_by[session.id]))
    for paper in old.papers.values():
        is_starred = paper.id in stars
        if not (is_starred or report_all):
            continue
        target = starred_changes if is_starred else other_changes
        paper_match = plan.matches.get(paper.id)
        if paper_match is None:
            target.append(Change(ChangeKind.REMOVED, paper.id, "", paper.title, is_starred))
        elif paper_match != paper.id:
            target.append(Change(ChangeKind.NEW_ID, paper.id, paper_match, paper.title,
                                 is_starred, matched_by=plan.matched_by[paper.id]))

    matched_new = set(plan.matches.values())
    plan.added = [s.id for s in new.sessions if s.id not in matched_new]
    plan.added += [pid for pid in new.papers if pid not in matched_new]
    new_changes = []
    for added_id in plan.added:
        added = new.find_session(added_id)
        if added is not None:
            new_changes.append(Change(ChangeKind.NEW, "", added.id, added.title,
                                      new_start=added.start, new_end=added.end,
                                      new_text=added.room))
        else:
            new_changes.append(Change(ChangeKind.NEW, "", added_id, new.papers[added_id].title))
    plan.changes = [*starred_changes, *other_changes, *new_changes]
    return plan


def _session_changes(old: Session, new: Session, starred: bool,
                     how: MatchedBy) -> list[Change]:
    changes: list[Change] = []
    common: dict[str, Any] = {"old_id": old.id, "new_id": new.id, "title": new.title,
                              "starred": starred, "matched_by": how}
    if (new.cancelled and not old.cancelled) or (
            _CANCELLED_WORDS.search(new.title) and not _CANCELLED_WORDS.search(old.title)):
        changes.append(Change(ChangeKind.CANCELLED, **common, old_start=old.start,
                              new_start=new.start))
    if old.start != new.start or old.end != new.end:
        changes.append(Change(ChangeKind.MOVED, **common, old_start=old.start,
                              old_end=old.end, new_start=new.start, new_end=new.end))
    if old.room != new.room:
        changes.append(Change(ChangeKind.ROOM, **common, old_text=old.room,
                              new_text=new.room))
    if old.title != new.title:
        changes.append(Change(ChangeKind.TITLE, **common, old_text=old.title,
                              new_text=new.title))
    if old.id != new.id:
        changes.append(Change(ChangeKind.NEW_ID, **common))
    return changes


# -- applying it ---------------------------------------------------------------------------------
def carry_stars(store: Any, old: Program, new: Program, extra_starred: Iterable[str] = (),
                report_all: bool = False) -> UpdatePlan:
    """Plan the update and move the stored stars; see :func:`planner.core.carry.carry_stars`."""
    from planner.core.carry import carry_stars as carry

    return carry(store, old, new, extra_starred, report_all)


# -- telling the user --------------------------------------------------------------------------
def describe(change: Change, zone: dt.tzinfo) -> str:
    """One line for a change, with times on ``zone``'s clock."""
    if change.kind is ChangeKind.MOVED:
        return (f"{_span(change.old_start, change.old_end, zone)} → "
                f"{_span(change.new_start, change.new_end, zone)}")
    if change.kind in (ChangeKind.ROOM, ChangeKind.TITLE):
        return f"{change.old_text or '(none)'} → {change.new_text or '(none)'}"
    if change.kind is ChangeKind.NEW_ID:
        how = f" (matched by {change.matched_by})" if change.matched_by else ""
        return f"{change.old_id} → {change.new_id}{how}"
    if change.kind is ChangeKind.REMOVED:
        note = "; missing after update, the star is kept" if change.starred else ""
        when = _span(change.old_start, change.old_end, zone) if change.old_start else ""
        return f"no longer in the program{f' (was {when})' if when else ''}{note}"
    if change.kind is ChangeKind.CANCELLED:
        return "the program marks it cancelled"
    if change.kind is ChangeKind.NEW:
        when = _span(change.new_start, change.new_end, zone) if change.new_start else ""
        room = f", {change.new_text}" if change.new_text else ""
        return f"{when}{room}".strip(", ") or "new item"
    return ""


def _span(start: dt.datetime | None, end: dt.datetime | None, zone: dt.tzinfo) -> str:
    if start is None:
        return "unscheduled"
    from planner.core.timefmt import span

    return span(start, end, zone, with_zone=False)


def change_to_json(change: Change) -> dict[str, Any]:
    """A change as JSON-ready values (instants in ISO 8601 with their offset)."""

    def iso(moment: dt.datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    return {"kind": change.kind.value, "old_id": change.old_id or None,
            "new_id": change.new_id or None, "title": change.title,
            "starred": change.starred, "old_start": iso(change.old_start),
            "old_end": iso(change.old_end), "new_start": iso(change.new_start),
            "new_end": iso(change.new_end), "old": change.old_text or None,
            "new": change.new_text or None,
            "matched_by": change.matched_by.value if change.matched_by else None}
