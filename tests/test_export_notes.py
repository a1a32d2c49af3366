"""Notes and "maybe" in exported events: the user's words come first, clearly apart from the
program's text, and real consumers (icalendar, vobject, the ics-interop consumers) read them
back as written; hostile notes are cleaned like program text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
import vobject

from planner.cli import main
from planner.export.notes import MAYBE_LINE, PROGRAM_SEPARATOR
from tests.interop import TOOL, interop_env

POSTER = "poster-session-12"
WORKSHOP = "workshop-on-learning-to-learn"
NOTE = "Ask about the code release; sit near the door, then lunch\nwith Ana, Bo & Cy"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _first_paper(capsys: pytest.CaptureFixture[str]) -> str:
    status, out, _ = _run(capsys, "list", "--json", "--tz", "UTC")
    assert status == 0
    poster = next(s for s in json.loads(out) if s["id"] == POSTER)
    return str(poster["papers"][0]["id"])


def _export(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> bytes:
    status, _, err = _run(capsys, "export", "-o", str(path), "--tz", "Europe/Vienna", *extra)
    assert status == 0, err
    return path.read_bytes()


def _by_session(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["X-PLANNER-SESSION"]) + "/" + str(e.get("X-PLANNER-PAPER", "")): e
            for e in calendar.walk("VEVENT")}


def test_note_and_maybe_come_first_then_the_program_text(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, "star", POSTER, "--note", NOTE, "--maybe")[0] == 0
    assert _run(capsys, "star", WORKSHOP)[0] == 0
    data = _export(capsys, tmp_path / "agenda.ics")
    events = _by_session(data)
    poster = str(events[f"{POSTER}/"]["DESCRIPTION"])
    personal, program_text = poster.split(f"\n\n{PROGRAM_SEPARATOR}\n\n")
    assert personal == f"{MAYBE_LINE}\nYour note: {NOTE}"
    assert program_text.startswith("Poster session")
    assert events[f"{POSTER}/"]["TRANSP"] == "TRANSPARENT"
    assert [str(c) for c in events[f"{POSTER}/"]["CATEGORIES"].cats] == ["Poster session",
                                                                          "maybe"]
    workshop = events[f"{WORKSHOP}/"]
    assert PROGRAM_SEPARATOR not in str(workshop["DESCRIPTION"])
    assert "TRANSP" not in workshop  # a plain star is as before (busy, the default)
    # vobject (the parser behind Radicale and many clients) reads the same text back.
    parsed = vobject.readOne(data.decode("utf-8"))
    by_uid = {e.uid.value: e for e in parsed.vevent_list}
    assert by_uid[str(events[f"{POSTER}/"]["UID"])].description.value == poster


def test_paper_notes_in_a_session_event_and_in_paper_events(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    paper = _first_paper(capsys)
    assert _run(capsys, "star", paper, "--note", "Read this one first")[0] == 0
    events = _by_session(_export(capsys, tmp_path / "a.ics"))
    text = str(events[f"{POSTER}/"]["DESCRIPTION"])
    assert text.split(PROGRAM_SEPARATOR)[0].strip().startswith("Your note on “")
    assert "”: Read this one first" in text.split(PROGRAM_SEPARATOR)[0]
    assert "TRANSP" not in events[f"{POSTER}/"]  # the paper is a must
    assert _run(capsys, "star", paper, "--maybe")[0] == 0
    slots = _by_session(_export(capsys, tmp_path / "b.ics", "--paper-events"))
    slot = slots[f"{POSTER}/{paper}"]
    assert str(slot["DESCRIPTION"]).startswith(f"{MAYBE_LINE}\nYour note: Read this one first"
                                               f"\n\n{PROGRAM_SEPARATOR}\n\n")
    assert slot["TRANSP"] == "TRANSPARENT"


def test_changing_a_note_changes_the_exported_event(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _run(capsys, "star", POSTER, "--note", "first thought")
    first = _by_session(_export(capsys, tmp_path / "a.ics"))[f"{POSTER}/"]
    _run(capsys, "star", POSTER, "--note", "second thought")
    second = _by_session(_export(capsys, tmp_path / "b.ics"))[f"{POSTER}/"]
    assert first["UID"] == second["UID"]
    assert "first thought" in str(first["DESCRIPTION"])
    assert "second thought" in str(second["DESCRIPTION"])
    assert "first thought" not in str(second["DESCRIPTION"])
    _run(capsys, "star", POSTER, "--note", "")  # '' removes the note
    third = _by_session(_export(capsys, tmp_path / "c.ics"))[f"{POSTER}/"]
    assert PROGRAM_SEPARATOR not in str(third["DESCRIPTION"])


HOSTILE = ("\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m \u202eevil\u202c\r\n"
           "BEGIN:VEVENT\r\nEND:VCALENDAR;,\\ \x00\x7f\x9b done")


def test_a_hostile_note_is_cleaned_in_the_list_and_the_export(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, "star", POSTER, "--note", HOSTILE)[0] == 0
    status, out, _ = _run(capsys, "list", "--starred", "--tz", "UTC")
    assert status == 0
    assert not any(ch in out for ch in "\x1b\x07\x00\x7f\x9b\u202e\u202c\r")
    assert "✎ ]0;owned[2J[31mred[0m evil" in out
    data = _export(capsys, tmp_path / "hostile.ics")
    events = _by_session(data)
    assert len(events) == 1  # the note's "BEGIN:VEVENT" stayed text
    text = str(events[f"{POSTER}/"]["DESCRIPTION"])
    assert "BEGIN:VEVENT\nEND:VCALENDAR;,\\  done" in text
    assert not any(ch in text for ch in "\x1b\x07\x00\x7f\x9b\u202e\r")


def test_note_errors_are_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "star", "no-such-talk", "--note", "hi")
    assert status == 2 and out == ""
    assert err.strip() == ("planner: no session or paper with id no-such-talk in ICLR 2021 — "
                           "Fri 7 May; 'planner list --json' shows the ids")
    status, _, err = _run(capsys, "star", POSTER, "--note", "x" * 2001)
    assert status == 2
    assert "a note holds at most 2,000" in err and "Traceback" not in err
    status, out, _ = _run(capsys, "list", "--starred", "--json")
    assert json.loads(out) == []  # nothing was starred by the failed commands


def test_list_and_json_show_priority_and_note(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "star", POSTER, "--note", "two\nlines", "--maybe")
    assert out.strip() == f"starred {POSTER} (maybe, note of 9 characters)"
    _run(capsys, "star", WORKSHOP)
    _, out, _ = _run(capsys, "list", "--starred", "--tz", "UTC")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if f"({POSTER})" in line)
    assert lines[at + 1:at + 4] == ["     (maybe)", "     ✎ two", "       lines"]
    _, out, _ = _run(capsys, "list", "--starred", "--json", "--tz", "UTC")
    found = {s["id"]: (s["priority"], s["note"]) for s in json.loads(out)}
    assert found == {POSTER: ("maybe", "two\nlines"), WORKSHOP: ("must", "")}
    _run(capsys, "star", POSTER, "--must")  # the note stays
    _, out, _ = _run(capsys, "list", "--starred", "--json", "--tz", "UTC")
    assert {s["id"]: s["priority"] for s in json.loads(out)}[POSTER] == "must"
    assert {s["id"]: s["note"] for s in json.loads(out)}[POSTER] == "two\nlines"
    _, out, _ = _run(capsys, "unstar", POSTER, WORKSHOP)
    assert out.splitlines() == [f"unstarred {POSTER} (its note was removed with the star)",
                                f"unstarred {WORKSHOP}"]


@pytest.mark.slow
def test_interop_consumers_read_notes(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    env = interop_env()
    _run(capsys, "star", POSTER, "--note", NOTE + "\n" + "long, line; " * 150, "--maybe")
    _run(capsys, "star", WORKSHOP, "--note", "Ünïcödé 東京 🎉 note")
    path = tmp_path / "notes.ics"
    _export(capsys, path)
    run = subprocess.run([sys.executable, str(TOOL), str(path)], capture_output=True, text=True,
                         env=env, timeout=900, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "FAIL" not in report, report


def test_import_stars_on_another_computer_brings_the_notes_back(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home, laptop = tmp_path / "home", tmp_path / "laptop"
    paper = _first_paper(capsys)
    _run(capsys, "--data-dir", str(home), "star", POSTER, "--note", NOTE, "--maybe")
    _run(capsys, "--data-dir", str(home), "star", paper, "--note", "paper note")
    _run(capsys, "--data-dir", str(home), "star", WORKSHOP)
    out = tmp_path / "agenda.ics"
    assert _run(capsys, "--data-dir", str(home), "export", "-o", str(out))[0] == 0
    # The laptop already had the workshop starred, with a note of its own: that note stays.
    _run(capsys, "--data-dir", str(laptop), "star", WORKSHOP, "--note", "laptop's own")
    status, text, err = _run(capsys, "--data-dir", str(laptop), "import-stars", str(out))
    assert status == 0, err
    assert "starred 2 item(s)" in text and "2 note(s) and priorities brought back" in text
    _, listing, _ = _run(capsys, "--data-dir", str(laptop), "list", "--starred", "--json")
    found = {s["id"]: (s["priority"], s["note"]) for s in json.loads(listing)}
    assert found[POSTER] == ("maybe", NOTE)
    assert found[WORKSHOP] == ("must", "laptop's own")
    papers = {p["id"]: (p["priority"], p["note"]) for s in json.loads(listing)
              for p in s["papers"]}
    assert papers[paper] == ("must", "paper note")


def test_a_forged_notes_property_is_not_trusted(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    from planner.export.notes import read_notes

    assert read_notes("not json") == {}
    assert read_notes('["a list"]') == {}
    assert read_notes('{"x": {"note": 5}, "y": {"note": "ok", "priority": "urgent"}}') == {}
    long = read_notes('{"z": {"note": "\\u001b[2J' + "n" * 3000 + '", "priority": "maybe"}}')
    assert len(long["z"].note) == 2000 and "\x1b" not in long["z"].note
