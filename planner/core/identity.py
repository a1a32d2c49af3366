"""Which talk a star was given to: its guid, title and speakers, stored with the star.

An id alone is not an identity: a newer version of a program may renumber its items, or give a
removed talk's id to a new one. A star remembers the item it was given to, so it follows that
item to its new id and never attaches to another item that happens to have the old id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.core.ids import fold_text
from planner.core.model import Program


@dataclass(frozen=True)
class ItemIdentity:
    """What identifies a session or paper across versions (empty for stars made before
    identities were stored)."""

    guid: str = ""
    title: str = ""
    people: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.guid or self.title or self.people)


@dataclass(frozen=True)
class StarRecord:
    """One stored star: the id it was saved under, the item it was given to, and the user's
    note and priority on it (see :mod:`planner.core.star_notes`)."""

    item_id: str
    identity: ItemIdentity = field(default_factory=ItemIdentity)
    starred_at: str = ""
    note: str = ""
    priority: str = "must"


def identity_of(program: Program, item_id: str) -> ItemIdentity | None:
    """The identity of a session or paper of ``program``; None when it has no such item."""
    session = program.find_session(item_id)
    if session is not None:
        return ItemIdentity(session.guid, session.title, tuple(session.speakers))
    paper = program.papers.get(item_id)
    if paper is not None:
        return ItemIdentity("", paper.title, tuple(paper.authors))
    return None


def _fold(text: str) -> str:
    folded = fold_text(text)
    if folded:
        return folded
    # fold_text keeps ASCII only: compare other scripts case-insensitively as they are.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _people(names: Iterable[str]) -> frozenset[str]:
    return frozenset(_fold(name) for name in names if _fold(name))


def same_item(stored: ItemIdentity, current: ItemIdentity) -> bool:
    """True when ``current`` is the item ``stored`` describes (perhaps with an edited title).

    Guids decide when both have one. Otherwise the titles must agree (one may extend the
    other, as "CANCELLED: ..." does) or the speakers must be the same people.
    """
    if stored.guid and current.guid:
        return stored.guid == current.guid
    old_title, new_title = _fold(stored.title), _fold(current.title)
    if old_title and new_title and (old_title in new_title or new_title in old_title):
        return True
    old_people, new_people = _people(stored.people), _people(current.people)
    return bool(old_people) and old_people == new_people


@dataclass
class StarResolution:
    """Where each stored star of one program is now.

    Attributes:
        attached: item id in the program -> the stored stars that belong to it.
        missing: stored stars whose item the program does not have.
    """

    attached: dict[str, list[StarRecord]] = field(default_factory=dict)
    missing: list[StarRecord] = field(default_factory=list)

    @property
    def missing_ids(self) -> set[str]:
        return {record.item_id for record in self.missing}


def resolve_stars(program: Program, records: Iterable[StarRecord]) -> StarResolution:
    """Find the item each star was given to: by guid first, then by id when the item there
    is the same one; stars made before identities were stored go by id (all we know)."""
    by_guid: dict[str, list[str]] = {}
    for session in program.sessions:
        if session.guid:
            by_guid.setdefault(session.guid, []).append(session.id)
    resolution = StarResolution()
    for record in records:
        target = _target(program, by_guid, record)
        if target is None:
            resolution.missing.append(record)
        else:
            resolution.attached.setdefault(target, []).append(record)
    return resolution


def _target(program: Program, by_guid: dict[str, list[str]], record: StarRecord) -> str | None:
    identity = record.identity
    if not identity.known:
        return record.item_id if program.has_item(record.item_id) else None
    if identity.guid and identity.guid in by_guid:
        candidates = by_guid[identity.guid]
        return record.item_id if record.item_id in candidates else candidates[0]
    current = identity_of(program, record.item_id)
    if current is not None and same_item(identity, current):
        return record.item_id
    return None
