"""Stars follow their items: into a newer version of a program, and into the store.

The whole old→new mapping is computed first and applied to the store in one transaction
(all removals, then all additions), so renumberings that chain (e-1→e-2, e-2→e-3) or swap ids
move every star. A star whose item is gone stays, pinned to the item it was given to (its
guid, title and speakers), and never attaches to another item that got its id. Each star's
note and priority travel with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from planner.core.identity import (
    StarRecord,
    StarResolution,
    identity_of,
    resolve_stars,
)
from planner.core.model import Program
from planner.core.star_notes import StarNote, merged

if TYPE_CHECKING:  # the matcher is loaded when stars move, not when a program opens
    from planner.core.update import UpdatePlan

Edit = tuple[list[StarRecord], dict[str, list[StarRecord]]]


class StarStore(Protocol):
    """What moving stars needs from the store (:class:`planner.storage.store.Store`)."""

    def star_records(self, program_key: str) -> list[StarRecord]: ...

    def update_stars(self, program_key: str,
                     change: Callable[[list[StarRecord]], Edit]) -> None: ...


def _earliest(records: Iterable[StarRecord]) -> str:
    times = [r.starred_at for r in records if r.starred_at]
    return min(times) if times else ""


def note_of_records(records: Iterable[StarRecord]) -> StarNote:
    """The note and priority of the stored stars that belong to one item."""
    return merged(StarNote(r.note, r.priority) for r in records)


def _pinned(program: Program, item_id: str, records: list[StarRecord]) -> StarRecord:
    """One star on ``item_id`` of ``program``, carrying that item's identity and the stars'
    note and priority."""
    identity = identity_of(program, item_id)
    assert identity is not None
    note = note_of_records(records)
    return StarRecord(item_id, identity, _earliest(records), note.note, note.priority)


def normalise(program: Program, records: list[StarRecord]) -> tuple[StarResolution, Edit]:
    """Where the stored stars belong in ``program``, and the edit that stores each attached
    star under its item's current id and identity (one row per item)."""
    resolution = resolve_stars(program, records)
    remove: list[StarRecord] = []
    add: list[StarRecord] = []
    for item_id, attached in resolution.attached.items():
        wanted = _pinned(program, item_id, attached)
        if [(r.item_id, r.identity, r.note, r.priority) for r in attached] != \
                [(wanted.item_id, wanted.identity, wanted.note, wanted.priority)]:
            remove += attached
            add.append(wanted)
    return resolution, (remove, {program.key: add} if add else {})


def carry_stars(store: StarStore, old: Program, new: Program,
                extra_starred: Iterable[str] = (), report_all: bool = False) -> UpdatePlan:
    """Plan the update for the stars stored under ``old.key`` and move them to the new ids.

    Stars of vanished items stay (the plan lists them as missing), pinned to their item.
    When the new version has another key, the surviving stars are copied to it and the old
    ones are kept. Afterwards the plan's ``kept`` are exactly the stars ``new`` shows and its
    ``missing`` exactly the stars it keeps without an item.
    """
    from planner.core.update import plan_update

    before = resolve_stars(old, store.star_records(old.key))
    plan = plan_update(old, new, set(before.attached) | set(extra_starred),
                       report_all=report_all)
    same_key = old.key == new.key

    def change(records: list[StarRecord]) -> Edit:
        # Read again inside the transaction: a star another copy made meanwhile moves too.
        now = resolve_stars(old, records)
        remove: list[StarRecord] = []
        moved: dict[str, StarRecord] = {}
        pinned: list[StarRecord] = []
        for old_id, attached in now.attached.items():
            new_id = plan.matches.get(old_id)
            if new_id is None:
                remove += attached
                pinned.append(_pinned(old, old_id, attached))
                continue
            if same_key:
                remove += attached
            moved[new_id] = _pinned(new, new_id, attached)
        add = {old.key: pinned}
        add.setdefault(new.key, []).extend(moved.values())
        return remove, add

    store.update_stars(old.key, change)
    if same_key:
        # Stars already without an item before: the new version may have it again.
        kept = set(plan.kept)
        after = resolve_stars(new, before.missing)
        for item_id in after.attached:
            if item_id not in kept:
                plan.kept.append(item_id)
                kept.add(item_id)
        plan.missing += sorted(after.missing_ids - set(plan.missing))
    return plan
