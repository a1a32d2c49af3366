"""Feeds calendar apps open must open: folds inside UTF-8 characters, ends at or before starts,
TZIDs without VTIMEZONE, warnings with --json, DST changes within a session, one formatter."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from planner.core import timefmt, timezones
from planner.core.model import Session, SessionKind
from planner.importers import load_program
from planner.importers.reading import decode_program_bytes

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.UTC


def _calendar(*events: bytes) -> bytes:
    body = b"".join(b"BEGIN:VEVENT\r\n" + event + b"END:VEVENT\r\n" for event in events)
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + \
        b"END:VCALENDAR\r\n"


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path), *args],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def test_fold_inside_a_utf8_character_is_unfolded_before_decoding(tmp_path: Path) -> None:
    summary = "SUMMARY:Café crème – Zürich".encode()
    assert summary[11:13] == "é".encode()
    folded = summary[:12] + b"\r\n " + summary[12:]  # the fold splits é (RFC 5545: octets)
    description = "DESCRIPTION:Straße".encode()
    folded_tab = description[:17] + b"\r\n\t" + description[17:]
    data = _calendar(b"UID:1@x\r\nDTSTART:20240101T100000Z\r\n" + folded + b"\r\n"
                     + folded_tab + b"\r\n")
    text = decode_program_bytes(data, "feed.ics")
    assert text.count("\n") == data.count(b"\n")  # no line moved
    path = tmp_path / "feed.ics"
    path.write_bytes(data)
    session = load_program(path).sessions[0]
    assert session.title == "Café crème – Zürich"
    assert session.description == "Straße"


def test_error_after_split_folds_names_the_original_line(tmp_path: Path) -> None:
    summary = "SUMMARY:Café".encode()
    event = b"UID:1@x\r\nDTSTART:20240101T100000Z\r\n" + summary[:12] + b"\r\n " + \
        summary[12:] + b"\r\n"
    broken = b"UID:2@x\r\nDTSTART:2024XX01T100000Z\r\n"
    path = tmp_path / "feed.ics"
    path.write_bytes(_calendar(event, broken))
    program = load_program(path)
    skipped = [w for w in program.warnings if "skipped" in w]
    assert skipped and skipped[0].startswith("line 10 (VEVENT)")  # BEGIN:VEVENT of UID 2


def test_end_at_or_before_start_is_kept_flagged_and_shown(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(_calendar(
        b"UID:back@x\r\nSUMMARY:Backwards\r\nDTSTART:20240101T100000Z\r\n"
        b"DTEND:20240101T090000Z\r\n",
        b"UID:zero@x\r\nSUMMARY:Moment\r\nDTSTART:20240101T120000Z\r\n"
        b"DTEND:20240101T120000Z\r\n"))
    program = load_program(path)
    by_title = {s.title: s for s in program.sessions}
    for title, start in (("Backwards", 10), ("Moment", 12)):
        session = by_title[title]
        assert session.end_before_start and not session.end_estimated
        assert session.start == session.end == dt.datetime(2024, 1, 1, start, tzinfo=UTC)
    assert any("'Backwards' ends before it starts" in w for w in program.warnings)
    result = _cli(tmp_path, "list", str(path), "--tz", "UTC")
    assert "10:00–10:00 UTC" in result.stdout
    assert "Backwards  [talk] (u-back)  (the program ends it at or before its start)" \
        in result.stdout
    listed = json.loads(_cli(tmp_path, "list", str(path), "--json").stdout)
    assert [s["end_before_start"] for s in listed] == [True, True]


def test_tzid_without_vtimezone_warns_and_warnings_reach_stderr_with_json(
        tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(_calendar(
        b"UID:1@x\r\nSUMMARY:A\r\nDTSTART;TZID=Europe/Vienna:20240101T100000\r\n",
        b"UID:2@x\r\nSUMMARY:B\r\nDTSTART;TZID=Conference Time:20240101T100000\r\n"))
    result = _cli(tmp_path, "list", str(path), "--json")
    assert result.returncode == 0
    json.loads(result.stdout)  # stdout stays pure JSON
    assert "TZID 'Europe/Vienna' has no VTIMEZONE in the file" in result.stderr
    assert ("TZID 'Conference Time' is neither an IANA zone nor defined by a VTIMEZONE"
            in result.stderr)


def test_session_across_a_dst_change_names_each_ends_abbreviation(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(_calendar(
        b"UID:1@x\r\nSUMMARY:Night\r\nDTSTART:20241103T043000Z\r\nDTEND:20241103T070000Z\r\n"))
    result = _cli(tmp_path, "list", str(path), "--tz", "America/New_York")
    assert "00:30 EDT–02:00 EST" in result.stdout
    zone = timezones.get_zone("America/New_York")
    start = dt.datetime(2024, 11, 3, 4, 30, tzinfo=UTC)
    end = dt.datetime(2024, 11, 3, 7, tzinfo=UTC)
    assert timefmt.span(start, end, zone) == "Sun 3 Nov 00:30 EDT–02:00 EST"


def test_one_formatter_for_next_day_ends_in_cli_and_window(tmp_path: Path) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(_calendar(
        b"UID:1@x\r\nSUMMARY:Late\r\nDTSTART:20240101T193000Z\r\nDTEND:20240102T033000Z\r\n"))
    result = _cli(tmp_path, "list", str(path), "--tz", "UTC")
    assert "19:30–03:30 (+1 day) UTC" in result.stdout
    zone = timezones.get_zone("UTC")
    session = Session("s", SessionKind.TALK, "Late", dt.datetime(2024, 1, 1, 19, 30, tzinfo=UTC),
                      dt.datetime(2024, 1, 2, 3, 30, tzinfo=UTC))
    assert session.start and session.end
    assert timefmt.short_span(session.start, session.end, zone) == "19:30–03:30 (+1 day)"
    from planner.ui import timefmt as window_timefmt

    assert window_timefmt.short_span is timefmt.short_span


def test_day_names_are_english_whatever_the_locale() -> None:
    import locale

    saved = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
                break
            except locale.Error:
                continue
        day = dt.date(2021, 5, 7)
        assert timefmt.dated_label(day) == "Fri 7 May 2021"
        assert timefmt.long_day_label(day) == "Friday 7 May 2021"
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    assert "strftime('%a" not in (ROOT / "planner/cli/program_cmds.py").read_text()
    assert "%b" not in (ROOT / "planner/core/update.py").read_text()
