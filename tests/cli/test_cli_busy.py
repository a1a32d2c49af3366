"""``planner list --busy FILE``: the window's busy-times core from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sync.helpers import cli

# The bundled ICLR day (Vienna, read as UTC here): Poster Session 12 00:00-02:00, Closing
# Remarks 05:00-05:30.
BUSY = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\n"
        "BEGIN:VEVENT\r\nUID:t@me\r\nDTSTAMP:20210101T000000Z\r\nSUMMARY:Therapy with Dr Who\r\n"
        "DTSTART:20210507T003000Z\r\nDTEND:20210507T010000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:i@me\r\nDTSTAMP:20210101T000000Z\r\n"
        "SUMMARY:Job interview at Rival\r\nDTSTART:20210507T050000Z\r\n"
        "DTEND:20210507T060000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b@me\r\nDTSTAMP:20210101T000000Z\r\nSUMMARY:Birthday of Kim\r\n"
        "DTSTART;VALUE=DATE:20210507\r\nDTEND;VALUE=DATE:20210508\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n")
TITLES = ("Therapy", "Rival", "Birthday of Kim")


def busy_file(tmp_path: Path) -> Path:
    path = tmp_path / "me.ics"
    path.write_text(BUSY, encoding="utf-8", newline="")
    return path


def test_list_busy_reports_clashes_with_your_calendar(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    path = busy_file(tmp_path)
    assert cli(capsys, "star", "poster-session-12", "oral-session-12",
               "closing-remarks").status == 0
    run = cli(capsys, "list", "--starred", "--tz", "UTC", "--busy", str(path))
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    poster = next(i for i, line in enumerate(lines) if "(poster-session-12)" in line)
    assert lines[poster + 1] == "     ⚠ clashes with your calendar (00:30–01:00 UTC)"
    closing = next(i for i, line in enumerate(lines) if "(closing-remarks)" in line)
    assert lines[closing + 1] == "     ⚠ clashes with your calendar (05:00–06:00 UTC)"
    oral = next(i for i, line in enumerate(lines) if "(oral-session-12)" in line)
    assert "clashes" not in lines[oral + 1]
    assert lines[-1].endswith("· 2 sessions clash with your calendar")
    assert "planner: 2 busy times from me.ics (1 all-day not counted)" in run.err
    for title in TITLES:
        assert title not in run.out + run.err

    as_json = cli(capsys, "list", "--starred", "--json", "--tz", "UTC", "--busy", str(path))
    clashes = {item["id"]: item["calendar_clashes"] for item in json.loads(as_json.out)}
    assert clashes["poster-session-12"] == 1 and clashes["closing-remarks"] == 1
    assert clashes["oral-session-12"] == 0
    without = cli(capsys, "list", "--starred", "--tz", "UTC")
    assert "your calendar" not in without.out


def test_list_busy_bad_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    cut = tmp_path / "cut.ics"
    cut.write_text(BUSY[:120], encoding="utf-8", newline="")
    run = cli(capsys, "list", "--busy", str(cut))
    assert run.status == 2 and run.out == ""
    assert run.err == (f"planner: {cut}:1: has no complete VCALENDAR (the file may be cut "
                       f"short: expected BEGIN:VCALENDAR … END:VCALENDAR)\n")
    run = cli(capsys, "list", "--busy", str(tmp_path / "gone.ics"))
    assert run.status == 2 and run.err.count("\n") == 1 and "gone.ics" in run.err
