"""Dates near Python's limits (year 1, year 9999) and outside the supported range: the session
leaves the timeline with a warning, in every importer; no conversion or display overflows.

Before: ``DTSTART:00010101T000000Z`` gave ``OverflowError`` in ``list --tz America/New_York``
and in the window's slots, a segfault in ``--screenshot``, and then every start crashed;
``planner convert "0001-01-01 00:00" --from UTC --to America/Los_Angeles`` was a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.cli import main
from planner.core import timezones
from planner.importers import ImportOptions, load_program
from tests.reliability.conftest import record

ROOT = Path(__file__).resolve().parents[2]
ZONES = ("America/New_York", "Pacific/Kiritimati", "Asia/Kathmandu", "UTC")

# (label, naive wall clock as the file writes it): Python's limits and the edges of the range
FAR = (("year 1", "0001-01-01T00:00:00"), ("year 9999", "9999-12-31T23:30:00"),
       ("year 2300", "2300-06-01T10:00:00"), ("year 1850", "1850-06-01T10:00:00"))


def _ics(wall: str, suffix: str) -> str:
    def stamp(text: str) -> str:
        return text.replace("-", "").replace(":", "")

    start = stamp(wall) + suffix
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
            "BEGIN:VEVENT\r\nUID:far@t\r\nDTSTAMP:20200101T000000Z\r\n"
            f"DTSTART{';TZID=America/New_York' if not suffix else ''}:{start}\r\n"
            "SUMMARY:Far away\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:near@t\r\nDTSTAMP:20200101T000000Z\r\n"
            "DTSTART:20200301T100000Z\r\nDTEND:20200301T110000Z\r\nSUMMARY:Normal\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def _xml(wall: str, zone: str) -> str:
    day = wall[:10]
    return (f'<?xml version="1.0"?><schedule><conference><title>X</title>'
            f"<time_zone_name>{zone}</time_zone_name></conference>"
            '<day index="1" date="2020-03-01"><room name="A"><event id="1" guid="g1">'
            "<start>10:00</start><duration>01:00</duration><title>Normal</title></event>"
            f'</room></day><day index="2" date="{day}"><room name="A"><event id="2" guid="g2">'
            f"<date>{wall}</date><start>{wall[11:16]}</start><duration>01:00</duration>"
            "<title>Far away</title></event></room></day></schedule>")


def _json(wall: str, zone: str) -> str:
    events = [{"guid": "g1", "title": "Normal", "start": "2020-03-01T10:00:00",
               "duration": "PT1H", "room": {"name": "A"}},
              {"guid": "g2", "title": "Far away", "start": wall, "duration": "PT1H",
               "room": {"name": "A"}}]
    return json.dumps({"schedule": {"version": "1", "conference": {
        "title": "X", "time_zone_name": zone, "days": [], "rooms": [{"name": "A"}]},
        "events": events}})


BUILDERS: dict[str, Callable[[str], str]] = {
    "ics UTC": lambda wall: _ics(wall, "Z"),
    "ics TZID": lambda wall: _ics(wall, ""),
    "frab XML New York": lambda wall: _xml(wall, "America/New_York"),
    "frab XML Kiritimati": lambda wall: _xml(wall, "Pacific/Kiritimati"),
    "frab JSON New York": lambda wall: _json(wall, "America/New_York"),
    "frab JSON Kiritimati": lambda wall: _json(wall, "Pacific/Kiritimati"),
}


@pytest.mark.parametrize("label,wall", FAR, ids=[label for label, _ in FAR])
@pytest.mark.parametrize("builder", list(BUILDERS))
def test_far_dates_leave_the_timeline_with_a_warning(tmp_path: Path, builder: str, label: str,
                                                     wall: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / ("far.ics" if builder.startswith("ics") else "far.txt")
    path.write_text(BUILDERS[builder](wall), encoding="utf-8")
    program = load_program(path)
    far = [s for s in program.sessions if s.title == "Far away"]
    # Off the timeline: listed as unscheduled, or skipped when the importer cannot even
    # estimate its end (year 9999 plus an hour is past datetime's limit).
    assert all(s.start is None and s.end is None for s in far)
    for session in program.scheduled:
        assert session.start is not None and timezones.in_supported_range(session.start)
        assert session.end is None or timezones.in_supported_range(session.end)
    assert any("outside the dates planner supports" in w for w in program.warnings)
    for zone in ZONES:
        code = main(["--data-dir", str(tmp_path / "data"), "list", str(path), "--tz", zone])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Traceback" not in err and "Normal" in out
        assert ("Far away" in out) == bool(far)
    record(f"dates: {label}, {builder}",
           "unscheduled with a warning" if far else "skipped with a warning")


@pytest.mark.parametrize("year", [1, 1899, 2200, 9999])
def test_virtual_page_year_outside_the_range_is_one_line(
        tmp_path: Path, year: int, capsys: pytest.CaptureFixture[str]) -> None:
    page = ROOT / "tests" / "fixtures" / "virtual_page_small.txt"
    code = main(["--data-dir", str(tmp_path), "list", str(page), "--year", str(year),
                 "--tz", "America/New_York"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "out of range" in err


@pytest.mark.parametrize("when,source,target", [
    ("0001-01-01 00:00", "UTC", "America/Los_Angeles"),
    ("0001-01-01 00:00", "Asia/Tokyo", "UTC"),
    ("9999-12-31 23:59", "America/New_York", "UTC"),
    ("9999-12-31 23:59", "UTC", "Pacific/Kiritimati"),
    ("2200-01-01 00:00", "UTC", "UTC"),
    ("1899-12-31 23:00", "UTC", "Europe/Vienna"),
])
def test_convert_outside_the_range_is_one_line(when: str, source: str, target: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["convert", when, "--from", source, "--to", target])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "outside the dates planner supports" in err
    assert "1900-01-01 to 2199-12-31" in err


def test_convert_at_the_edges_of_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "2199-12-31 12:00", "--from", "UTC", "--to", "Asia/Tokyo"]) == 0
    assert capsys.readouterr().out.strip() == "Tue 31 Dec 2199 21:00 JST"
    assert main(["convert", "1900-01-01 12:00", "--from", "UTC", "--to", "UTC"]) == 0
    assert capsys.readouterr().out.strip() == "Mon 1 Jan 1900 12:00 UTC"


def test_zone_functions_never_overflow() -> None:
    low = dt.datetime.min.replace(tzinfo=timezones.UTC)
    high = dt.datetime.max.replace(tzinfo=timezones.UTC)
    for zone_name in ZONES[:3]:
        zone = timezones.get_zone(zone_name)
        for moment in (low, high):  # one side overflows in every zone but UTC
            try:
                converted = timezones.to_zone(moment, zone)
            except timezones.DateRangeError as error:
                assert "outside the dates planner supports" in str(error)
            else:
                assert converted == moment
        with pytest.raises(timezones.DateRangeError):
            timezones.to_zone(low if zone_name == "America/New_York" else high, zone)
        with pytest.raises(timezones.DateRangeError):
            timezones.add(high, dt.timedelta(hours=1))
    with pytest.raises(timezones.DateRangeError):
        timezones.localize(dt.datetime.max, timezones.get_zone("America/New_York"))  # noqa: DTZ901
    # East of UTC, year 1 localizes to an instant before datetime.min in UTC: it must then
    # be known as outside the range, and converting it must say so.
    try:
        early = timezones.localize(dt.datetime.min, timezones.get_zone("Asia/Tokyo"))  # noqa: DTZ901
    except timezones.DateRangeError:
        pass
    else:
        assert not timezones.in_supported_range(early)
        with pytest.raises(timezones.DateRangeError):
            timezones.to_utc(early)
    assert not timezones.in_supported_range(high)
    assert not timezones.in_supported_range(timezones.END_SUPPORTED)
    assert timezones.in_supported_range(timezones.FIRST_SUPPORTED)
    assert timezones.in_supported_range(timezones.END_SUPPORTED - dt.timedelta(microseconds=1))


def test_window_screenshot_of_a_year_one_calendar(tmp_path: Path) -> None:
    """The window opens it, draws it, and the next start (it reopens the last program) too."""
    pytest.importorskip("PySide6")
    program = tmp_path / "far.ics"
    program.write_text(_ics("0001-01-01T00:00:00", "Z").replace(
        "UID:near@t", "UID:far2@t\r\nDTSTART:99991231T230000Z\r\nSUMMARY:Also far\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:near@t"), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for round_number, args in enumerate(([str(program)], [])):
        shot = tmp_path / f"shot-{round_number}.png"
        done = subprocess.run(
            [sys.executable, "-m", "planner", "--data-dir", str(tmp_path / "data"), "gui",
             *args, "--tz", "America/New_York", "--screenshot", str(shot)],
            capture_output=True, text=True, timeout=120, check=False, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr and "OverflowError" not in done.stderr
        assert shot.stat().st_size > 10_000
    record("dates: year 1 and 9999 in the window", "screenshot taken, next start clean")


def test_workspace_refuses_nothing_else_in_a_program_with_far_dates(tmp_path: Path) -> None:
    """The other sessions keep their instants when the source zone is set explicitly."""
    path = tmp_path / "far.ics"
    path.write_text(_ics("0001-01-01T00:00:00", "Z"), encoding="utf-8")
    program = load_program(path, ImportOptions(source_zone="America/New_York"))
    normal = next(s for s in program.sessions if s.title == "Normal")
    assert normal.start == dt.datetime(2020, 3, 1, 10, tzinfo=dt.UTC)
    assert [s.title for s in program.scheduled] == ["Normal"]
    assert any("outside the dates planner supports" in w for w in program.warnings)
