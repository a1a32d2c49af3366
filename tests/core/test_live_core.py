"""The Qt-free live parts with an injected clock: change report, reminders, now & next."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from planner.core import timezones as tz
from planner.core.changes import ChangeReport, Kind, build_report
from planner.core.model import Program, Session
from planner.core.now_next import lines, now_and_next
from planner.core.reminders import (
    ReminderSettings,
    due_reminders,
    missed_message,
    reminder_message,
)
from planner.core.stars import Stars
from planner.core.update import plan_update
from planner.storage.reminder_log import ReminderLog
from tests.factories import program, session

VIENNA = tz.get_zone("Europe/Vienna")


def at(text: str) -> dt.datetime:
    return tz.localize(dt.datetime.fromisoformat(text), VIENNA)


def _day() -> list[Session]:
    return [session("keynote", "2024-05-07 09:00", 60, room="Hall A"),
            session("talk-b", "2024-05-07 10:30", 30, room="Room 2"),
            session("talk-c", "2024-05-07 11:30", 30, room="Room 3"),
            session("talk-d", "2024-05-07 13:00", 30, room="Room 4"),
            session("talk-e", "2024-05-07 15:00", 30, room="Room 5")]


def report_for(old: Program, new: Program, starred: set[str], zone: dt.tzinfo) -> ChangeReport:
    return build_report(old, new, plan_update(old, new, starred), starred, zone)


# -- change report ----------------------------------------------------------------------------
def test_change_report_moved_room_cancelled_disappeared_conflict() -> None:
    old = program(*_day())
    keynote, b, c, _d, e = _day()
    new = program(
        dataclasses.replace(keynote, start=at("2024-05-07 14:00"), end=at("2024-05-07 15:00")),
        dataclasses.replace(b, room="Room 9"),
        dataclasses.replace(c, cancelled=True),
        # talk-d disappears; talk-e moves onto talk-b (a new conflict among stars)
        dataclasses.replace(e, start=at("2024-05-07 10:30"), end=at("2024-05-07 11:00")))
    starred = {"keynote", "talk-b", "talk-c", "talk-d", "talk-e"}
    report = report_for(old, new, starred, VIENNA)
    kinds = {(item.kind, item.item_id or item.old_id) for item in report.items}
    assert (Kind.MOVED, "keynote") in kinds
    assert (Kind.ROOM, "talk-b") in kinds
    assert (Kind.CANCELLED, "talk-c") in kinds
    assert (Kind.DISAPPEARED, "talk-d") in kinds
    conflicts = [i for i in report.items if i.kind is Kind.CONFLICT]
    assert len(conflicts) == 1
    assert {conflicts[0].item_id, conflicts[0].other_id} == {"talk-b", "talk-e"}
    assert report.marks["keynote"] == "moved from Tue 09:00"
    assert "Room 2" in report.marks["talk-b"]
    assert "talk-d" in report.missing
    # cancelled first, then moved, in the Kind order
    assert report.items[0].kind is Kind.CANCELLED


def test_unstarred_changes_are_not_reported() -> None:
    old = program(*_day())
    keynote, *rest = _day()
    new = program(dataclasses.replace(keynote, room="Elsewhere"), *rest)
    assert not report_for(old, new, {"talk-e"}, VIENNA).items
    assert [i.kind for i in report_for(old, new, {"keynote"}, VIENNA).items] == [Kind.ROOM]


# -- reminders --------------------------------------------------------------------------------
def test_reminder_n_minutes_before_and_override() -> None:
    prog = program(*_day())
    stars = Stars({"keynote", "talk-b"})
    settings = ReminderSettings(minutes_before=10, overrides={"talk-b": 45})
    assert not due_reminders(prog, stars, settings, at("2024-05-07 08:49"), [], None).now
    due = due_reminders(prog, stars, settings, at("2024-05-07 08:50"), [], None)
    assert [r.session.id for r in due.now] == ["keynote"]
    title, body = reminder_message(due.now[0], at("2024-05-07 08:50"), tz.UTC, VIENNA)
    assert title == "In 10 min: Keynote"
    assert body == "Hall A · 09:00 CEST (07:00 UTC your time)"
    # the override: 45 min before 10:30
    assert not due_reminders(prog, stars, settings, at("2024-05-07 09:44"), due.keys, None).now
    later = due_reminders(prog, stars, settings, at("2024-05-07 09:45"), due.keys, None)
    assert [r.session.id for r in later.now] == ["talk-b"]
    off = ReminderSettings(overrides={"talk-b": 0})
    assert not due_reminders(prog, stars, off, at("2024-05-07 10:25"), [], None).now


def test_reminders_off_and_paused() -> None:
    prog = program(*_day())
    stars = Stars({"keynote"})
    moment = at("2024-05-07 08:55")
    assert due_reminders(prog, stars, ReminderSettings(), moment, [], None).now
    assert not due_reminders(prog, stars, ReminderSettings(enabled=False), moment, [], None).now
    assert not due_reminders(prog, stars, ReminderSettings(paused=True), moment, [], None).now


def test_reminder_fires_once_across_a_restart(tmp_path: Path) -> None:
    prog = program(*_day())
    stars = Stars({"keynote"})
    path = tmp_path / "planner.sqlite3"
    moment = at("2024-05-07 08:52")
    log = ReminderLog(path)
    assert log.persistent
    due = due_reminders(prog, stars, ReminderSettings(), moment, log.fired(), None)
    assert len(due.now) == 1
    log.mark_fired(due.keys, moment, prog.key)
    log.close()
    restarted = ReminderLog(path)
    assert restarted.last_check(prog.key) == moment.astimezone(dt.UTC)
    again = due_reminders(prog, stars, ReminderSettings(), at("2024-05-07 08:55"),
                          restarted.fired(), restarted.last_check(prog.key))
    assert not again.now and not again.missed
    restarted.close()


def test_missed_reminders_are_one_summary(tmp_path: Path) -> None:
    prog = program(*_day())
    stars = Stars({"keynote", "talk-b", "talk-c", "talk-e"})
    log = ReminderLog(tmp_path / "planner.sqlite3")
    log.mark_fired([], at("2024-05-07 08:00"), prog.key)  # planner ran, then closed
    now = at("2024-05-07 14:55")
    due = due_reminders(prog, stars, ReminderSettings(), now, log.fired(),
                        log.last_check(prog.key))
    assert [r.session.id for r in due.missed] == ["keynote", "talk-b", "talk-c"]
    assert [r.session.id for r in due.now] == ["talk-e"]
    title, body = missed_message(due.missed, VIENNA, VIENNA)
    assert title == "3 reminders missed while planner was closed"
    assert body.splitlines()[0] == "Keynote (09:00 CEST)"
    log.close()


# -- now & next -------------------------------------------------------------------------------
def test_now_and_next_starred() -> None:
    prog = program(*_day())
    view = now_and_next(prog, Stars({"keynote", "talk-c", "talk-e"}), at("2024-05-07 09:48"))
    assert [(e.session.id, e.minutes) for e in view.running] == [("keynote", 12)]
    assert [(e.session.id, e.countdown) for e in view.upcoming] == [
        ("talk-c", "in 1 h 42 min"), ("talk-e", "in 5 h 12 min")]
    text = lines(view, VIENNA)
    assert text[0] == "Now (starred):"
    assert text[1] == "  09:00–10:00 CEST  Keynote — Hall A (12 min left)"


def test_now_and_next_nothing_starred_shows_program() -> None:
    prog = program(*_day())
    view = now_and_next(prog, Stars(), at("2024-05-07 10:40"))
    assert not view.starred_only
    assert [e.session.id for e in view.running] == ["talk-b"]
    assert [e.session.id for e in view.upcoming] == ["talk-c", "talk-d", "talk-e"]
    assert lines(view, VIENNA)[0] == "Now (in the program (nothing starred)):"
    late = now_and_next(prog, Stars(), at("2024-05-07 18:00"))
    assert lines(late, VIENNA)[-1] == "  nothing later"
