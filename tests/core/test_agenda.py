"""The agenda's rules, without Qt: time order, days in the display zone, free time, papers."""

from __future__ import annotations

import datetime as dt

from planner.core import timezones as tz
from planner.core.agenda import AgendaKind, build_agenda
from planner.core.stars import Stars
from tests.factories import paper, program, session


def _prog():  # type: ignore[no-untyped-def]
    # Wall clock in Vienna (CEST, UTC+2) on Fri 7 May 2021.
    return program(
        session("late", "2021-05-07 22:30", 60),
        session("long", "2021-05-07 09:00", 120),
        session("inside", "2021-05-07 09:30", 30),
        session("after", "2021-05-07 11:30", 30, papers=["p1", "p2"]),
        session("skipped", "2021-05-07 13:00", 60),
        session("someday", None),
        papers=[paper("p1"), paper("p2")],
    )


def _stars() -> Stars:
    # "after" is on the agenda through its paper only; "skipped" is not starred at all.
    return Stars({"late", "long", "inside", "p2", "someday"})


def _summary(entries):  # type: ignore[no-untyped-def]
    out = []
    for entry in entries:
        if entry.kind is AgendaKind.DAY:
            out.append(("day", entry.day))
        elif entry.kind is AgendaKind.GAP:
            out.append(("gap", entry.gap))
        else:
            out.append((entry.session.id, tuple(p.id for p in entry.papers)))
    return out


def test_agenda_in_utc_orders_groups_and_measures_free_time() -> None:
    entries = build_agenda(_prog(), _stars(), tz.UTC)
    assert _summary(entries) == [
        ("day", dt.date(2021, 5, 7)),
        ("long", ()),
        ("inside", ()),  # inside "long": no free time, and "long" still ends last
        ("gap", dt.timedelta(minutes=30)),  # from the end of "long" (09:00 UTC), not "inside"
        ("after", ("p2",)),  # only the starred paper
        ("gap", dt.timedelta(hours=10, minutes=30)),  # 10:00 to 20:30 UTC
        ("late", ()),
        ("day", None),  # sessions without a time come last, under their own heading
        ("someday", ()),
    ]


def test_agenda_days_follow_the_display_zone() -> None:
    # In Tokyo (UTC+9) "late" (20:30 UTC) falls on Sat 8 May: a new day, no gap before it.
    entries = build_agenda(_prog(), _stars(), tz.get_zone("Asia/Tokyo"))
    summary = _summary(entries)
    assert summary[0] == ("day", dt.date(2021, 5, 7))
    assert summary[-4:] == [("day", dt.date(2021, 5, 8)), ("late", ()), ("day", None),
                            ("someday", ())]
    assert [item for item in summary if item[0] == "gap"] == [("gap", dt.timedelta(minutes=30))]


def test_empty_stars_give_an_empty_agenda() -> None:
    assert build_agenda(_prog(), Stars(), tz.UTC) == []


def test_agenda_entries_carry_the_notes_and_priorities_of_their_stars() -> None:
    from planner.core.star_notes import MAYBE, PLAIN, StarNote

    stars = _stars()
    stars.notes = {"long": StarNote("bring a charger", MAYBE), "p2": StarNote("read first"),
                   "skipped": StarNote("not starred: never shown")}
    entries = {e.session.id: e for e in build_agenda(_prog(), stars, tz.get_zone("UTC"))
               if e.kind is AgendaKind.SESSION and e.session is not None}
    assert entries["long"].note == StarNote("bring a charger", MAYBE)
    assert entries["long"].note.maybe
    assert entries["inside"].note is PLAIN
    assert entries["after"].note is PLAIN  # only its paper is starred
    assert entries["after"].paper_notes == (StarNote("read first"),)
    assert "skipped" not in entries
    assert stars.note_of("skipped") is PLAIN
