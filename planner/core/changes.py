"""What a refresh changed for the user: starred items moved, in a new room, cancelled or gone,
and new conflicts among the stars. One list for the window's banner, the marks on the blocks
("moved from Sat 14:00") and ``planner refresh``.

Built on :func:`planner.core.update.plan_update` (its guid → id → title matching decides which
item became which); this module only picks and words what the user must see.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.conflicts import Conflict, find_conflicts
from planner.core.model import Program
from planner.core.stars import Stars
from planner.core.update import Change, ChangeKind, UpdatePlan, describe


class Kind(enum.StrEnum):
    """What the user is told about (in this order)."""

    CANCELLED = "cancelled"
    MOVED = "moved"
    ROOM = "room changed"
    TITLE = "title changed"
    DISAPPEARED = "disappeared"
    CONFLICT = "new conflict"


_FROM_PLAN = {ChangeKind.CANCELLED: Kind.CANCELLED, ChangeKind.MOVED: Kind.MOVED,
              ChangeKind.ROOM: Kind.ROOM, ChangeKind.TITLE: Kind.TITLE,
              ChangeKind.REMOVED: Kind.DISAPPEARED}


@dataclass(frozen=True)
class ChangeItem:
    """One line of the change list.

    Attributes:
        item_id: the item's id in the new version ("" when it disappeared: then ``old_id``).
        other_id: for a conflict, the other session.
        start: when it is now (or was, when it disappeared), to sort and to remind.
    """

    kind: Kind
    item_id: str
    old_id: str
    title: str
    text: str
    start: dt.datetime | None = None
    old_start: dt.datetime | None = None
    other_id: str = ""

    def line(self) -> str:
        return f"{self.kind.value}: {self.title} — {self.text}"


@dataclass
class ChangeReport:
    """The change list of one update, and the short marks shown on blocks and in details."""

    items: list[ChangeItem] = field(default_factory=list)
    kept: int = 0
    missing: list[str] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # new session id -> "moved from …"

    def lines(self) -> list[str]:
        return [item.line() for item in self.items]

    def __bool__(self) -> bool:
        return bool(self.items)


def short_clock(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """``Sat 14:00`` on ``zone``'s clock."""
    local = timezones.to_zone(moment, zone)
    return f"{local:%a %H:%M}"


def build_report(old: Program, new: Program, plan: UpdatePlan, starred_before: Iterable[str],
                 zone: dt.tzinfo) -> ChangeReport:
    """The change list for the user whose stars on ``old`` were ``starred_before``.

    Args:
        plan: ``plan_update(old, new, starred_before)`` (or what ``carry_stars`` returned).
        zone: the display zone the times are written in.
    """
    before = set(starred_before)
    report = ChangeReport(kept=len(plan.kept), missing=list(plan.missing))
    cancelled = {c.new_id for c in plan.changes if c.kind is ChangeKind.CANCELLED}
    for change in plan.changes:
        kind = _FROM_PLAN.get(change.kind)
        if kind is None or not change.starred:
            continue
        if kind is Kind.TITLE and change.new_id in cancelled:
            continue  # "CANCELLED: …" in the title is the cancellation, said once
        report.items.append(_item(kind, change, old, new, zone))
        if change.new_id:
            mark = _mark(kind, change, zone)
            if mark:
                previous = report.marks.get(change.new_id)
                report.marks[change.new_id] = f"{previous}; {mark}" if previous else mark
    old_pairs = _pairs(find_conflicts(old, Stars(before)))
    mapped_old = {tuple(sorted((plan.matches.get(a, a), plan.matches.get(b, b))))
                  for a, b in old_pairs}
    after = Stars(set(plan.kept))
    for conflict in find_conflicts(new, after):
        pair = tuple(sorted((conflict.first.id, conflict.second.id)))
        if pair in mapped_old:
            continue
        first, second = conflict.first, conflict.second
        start, end = conflict.overlap
        text = (f"overlaps {second.title} ({short_clock(start, zone)}–"
                f"{timezones.to_zone(end, zone):%H:%M})")
        report.items.append(ChangeItem(Kind.CONFLICT, first.id, first.id, first.title, text,
                                       start=first.start, other_id=second.id))
    order = list(Kind)
    report.items.sort(key=lambda item: (order.index(item.kind),
                                        item.start or dt.datetime.max.replace(tzinfo=dt.UTC),
                                        item.title))
    return report


def _pairs(conflicts: Iterable[Conflict]) -> set[tuple[str, str]]:
    return {(conflict.first.id, conflict.second.id) for conflict in conflicts}


def _item(kind: Kind, change: Change, old: Program, new: Program,
          zone: dt.tzinfo) -> ChangeItem:
    session = new.find_session(change.new_id) if change.new_id else None
    start = session.start if session is not None else change.old_start
    text = describe(change, zone)
    title = change.title
    if kind is Kind.CANCELLED:
        if start is not None:
            text = f"{text} ({short_clock(start, zone)})"
        # "cancelled: Talk", not "cancelled: CANCELLED: Talk" (frab sites edit the title)
        was = old.find_session(change.old_id) if change.old_id else None
        title = was.title if was is not None else title
    return ChangeItem(kind, change.new_id, change.old_id, title, text, start=start,
                      old_start=change.old_start)


def _mark(kind: Kind, change: Change, zone: dt.tzinfo) -> str:
    if kind is Kind.MOVED and change.old_start is not None:
        return f"moved from {short_clock(change.old_start, zone)}"
    if kind is Kind.ROOM:
        return f"room changed from {change.old_text or '(none)'}"
    if kind is Kind.CANCELLED:
        return "cancelled"
    if kind is Kind.TITLE:
        return "title changed"
    return ""
