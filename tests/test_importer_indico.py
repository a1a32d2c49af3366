"""Indico's HTTP export API: event export (detail=contributions, detail=sessions) and the
timetable export, from fixtures built on the shapes Indico's documentation shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.core.model import SessionKind
from planner.importers import ImportOptions, detect_format, load_program, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_event_with_sessions_nests_contributions_as_papers() -> None:
    program = load_program(FIXTURES / "indico_event_sessions.json")
    assert program.source_format == "indico"
    assert (program.name, program.source_zone, program.zone_guessed) == (
        "Export Test Workshop", "Europe/Zurich", False)
    assert program.key == "indico-137346"
    by_id = {s.id: s for s in program.sessions}
    welcome = by_id["i-c1"]
    assert welcome.title == "Welcome and introduction"  # <i> dropped
    assert welcome.start == utc(2011, 6, 23, 6) and welcome.end == utc(2011, 6, 23, 6, 20)
    assert welcome.speakers == ["Heuer, Rolf-Dieter"] and welcome.room == "500-1-001"
    keynote = by_id["i-c2"]
    assert keynote.kind is SessionKind.INVITED_TALK and keynote.track == "Detectors"
    assert keynote.end == utc(2011, 6, 23, 7, 20)  # endDate null: startDate + duration 60
    tracking = by_id["i-41"]
    assert tracking.kind is SessionKind.ORAL and tracking.speakers == ["Doe, Jane"]
    papers = program.papers_of(tracking)
    assert [p.title for p in papers] == ["Silicon trackers at high luminosity", "Timing layers"]
    assert papers[0].authors == ["Rossi, Marco", "Müller, Anna", "Tanaka, Yuki"]
    assert papers[0].abstract == "We report on radiation damage."
    assert papers[1].authors == ["Priya Sharma"]
    poster = by_id["i-42"]
    assert poster.kind is SessionKind.POSTER and len(poster.paper_ids) == 1
    assert by_id["i-c9"].start is None  # an unscheduled contribution is kept


def test_event_with_contributions_keeps_each_contributions_own_zone() -> None:
    program = load_program(FIXTURES / "indico_event_contributions.json")
    assert program.source_zone == "America/New_York"
    by_id = {s.id: s for s in program.sessions}
    assert by_id["i-c10"].start == utc(2024, 11, 2, 14)  # EDT
    assert by_id["i-c11"].start == utc(2024, 11, 3, 15)  # EST, the day DST ended
    assert by_id["i-c11"].end == utc(2024, 11, 3, 15, 45)
    assert by_id["i-c12"].start == utc(2024, 11, 3, 15)  # 20:45 in Kathmandu (+05:45)
    assert not any(s.floating for s in program.sessions)


def test_timetable_export_sessions_breaks_and_contributions() -> None:
    program = load_program(FIXTURES / "indico_timetable.json")
    by_id = {s.id: s for s in program.sessions}
    assert set(by_id) == {"i-c0", "i-b1", "i-s0l0"}
    assert by_id["i-c0"].speakers == ["Smith, Alex"] and by_id["i-c0"].room == "160-1-009"
    assert by_id["i-b1"].kind is SessionKind.OTHER
    block = by_id["i-s0l0"]
    assert block.title == "Calorimetry: Block 1" and block.speakers == ["Lee, Dana"]
    assert [p.title for p in program.papers_of(block)] == ["Crystal calorimeters",
                                                           "Sampling calorimeters"]
    assert program.papers_of(block)[0].abstract == "PbWO4 crystals."
    assert block.start == utc(2013, 4, 29, 15)


def test_source_zone_option_does_not_move_exact_times() -> None:
    program = load_program(FIXTURES / "indico_event_sessions.json",
                           ImportOptions(source_zone="Asia/Kolkata"))
    assert program.source_zone == "Asia/Kolkata"
    assert program.session("i-c1").start == utc(2011, 6, 23, 6)


@pytest.mark.parametrize(("text", "expected"), [
    ('{"_type": "HTTPAPIResult", "results": []}', "without an event"),
    ('{"_type": "HTTPAPIResult", "count": 0}', "without \"results\""),
    ('{"_type": "HTTPAPIResult", "results": {"1": []}}', "not an object of days"),
    ('{"_type": "HTTPAPIResult", "results": [', "not valid JSON"),
])
def test_broken_exports_are_one_clear_error(text: str, expected: str) -> None:
    assert detect_format(text) == "indico"
    with pytest.raises(ProgramError, match=expected):
        parse_text(text, path="event.json")


def test_wrong_types_are_skipped_with_warnings() -> None:
    text = ('{"_type": "HTTPAPIResult", "results": [{"title": 5, "timezone": "Nowhere/City", '
            '"contributions": [{"title": "T", "startDate": "2020-01-01", "speakers": "x"}, '
            '3, {"title": ["a"], "startDate": {"date": "2020-13-01", "time": "25:00"}}]}]}')
    program = parse_text(text, path="event.json")
    assert [s.start for s in program.sessions] == [None, None]
    assert program.source_zone == "UTC"
    assert any("not {date, time, tz}" in w for w in program.warnings)
