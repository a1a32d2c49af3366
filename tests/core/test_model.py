from __future__ import annotations

import datetime as dt

import pytest

from planner.core.model import Link, Session, SessionKind
from tests.factories import paper, program, session

UTC = dt.UTC


def test_session_rejects_naive_times() -> None:
    with pytest.raises(ValueError):
        Session(id="x", kind=SessionKind.OTHER, title="x", start=dt.datetime(2021, 5, 7))


def test_paper_in_two_sessions_has_two_slots() -> None:
    prog = program(session("poster", "2021-05-07 02:00", papers=["p1", "p2"]),
                   session("oral", "2021-05-07 04:00", papers=["p1"]),
                   papers=[paper("p1"), paper("p2")])
    assert prog.papers["p1"].session_ids == ["poster", "oral"]
    assert [s.id for s in prog.sessions_of(prog.papers["p1"])] == ["poster", "oral"]
    assert prog.papers["p2"].session_ids == ["poster"]


def test_change_source_zone_moves_floating_times_only() -> None:
    floating = session("floating", "2021-05-07 02:00", 120)
    fixed = session("fixed", "2021-05-07 02:00", 120, floating=False)
    prog = program(floating, fixed)
    prog.change_source_zone("UTC")
    assert floating.start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=UTC)
    assert floating.end == dt.datetime(2021, 5, 7, 4, 0, tzinfo=UTC)
    assert fixed.start == dt.datetime(2021, 5, 7, 0, 0, tzinfo=UTC)
    assert prog.source_zone == "UTC"


def test_change_source_zone_into_a_gap_follows_policy() -> None:
    prog = program(session("s", "2021-03-28 02:30", zone="UTC"), zone="UTC")
    prog.change_source_zone("Europe/Vienna")
    start = prog.sessions[0].start
    assert start is not None
    assert start.astimezone(UTC) == dt.datetime(2021, 3, 28, 1, 30, tzinfo=UTC)


def test_scheduled_and_unscheduled_are_separate() -> None:
    prog = program(session("b", "2021-05-07 04:00"), session("talk", None),
                   session("a", "2021-05-07 02:00"))
    assert [s.id for s in prog.scheduled] == ["a", "b"]
    assert [s.id for s in prog.unscheduled] == ["talk"]


def test_kind_parse_unknown_is_other() -> None:
    assert SessionKind.parse("Poster") is SessionKind.POSTER
    assert SessionKind.parse("lecture") is SessionKind.TALK
    assert SessionKind.parse("hackathon") is SessionKind.OTHER


def test_link_only_web_schemes_open() -> None:
    assert Link("https://iclr.cc").is_web
    assert not Link("javascript:alert(1)").is_web
    assert not Link("file:///etc/passwd").is_web
