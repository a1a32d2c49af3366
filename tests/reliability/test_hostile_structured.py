"""Hostile and broken input for the Mini-Conf, Indico and CSV importers, through the command
line as a user meets them: one line naming the file and the line, exit status 2, never a
traceback; or a program whose broken parts are warnings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.importers import parse_text, structured

ROOT = Path(__file__).resolve().parent.parent.parent
CONFERENCE = ('{"sessions": {"S": {"id": "s", "name": "S", "start_time": '
              '"2023-07-12T11:00:00-04:00", "events": {}}}, "events": {"e1": {"id": "e1", '
              '"session": "Session 1", "track": "T", "type": "Oral", "start_time": '
              '"2023-07-12T11:00:00-04:00", "end_time": "2023-07-12T12:00:00-04:00", '
              '"paper_ids": ["P1"], "room": "R"}}, "papers": {"P1": {"id": "P1", '
              '"title": "<b>Bold</b> title", "authors": ["A B"]}}}')


def _cli(tmp_path: Path, name: str, data: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path),
                           "list", str(path)], capture_output=True, text=True, cwd=ROOT,
                          check=False, timeout=120)


BOMB = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n".encode()
    for n in range(12)) + b"z1A:\n  start_time: 2020-11-16 16:00:00+00:00\n  papers: [*m]\n"


@pytest.mark.parametrize(("name", "data", "expected", "line"), [
    ("conference.json", CONFERENCE.encode()[:200], "is not valid JSON", 1),
    ("paper_sessions.yml", b"z1A:\n  start_time: 2020-11-16 16:00:00+00:00\n  name: A\n"
     b"  papers: [main.1,\n", "is not valid YAML", 5),
    ("paper_sessions.yml", b"z1A:\n  start_time: !!python/object/apply:os.system ['echo']\n"
     b"  papers: []\n", "a YAML tag that is not plain data", 2),
    ("paper_sessions.yml", BOMB, "alias bomb", 12),  # the 101st alias
    ("paper_sessions.yml", b"z1A:\n  start_time: 2020-11-16 16:00:00+00:00\n  papers: "
     + b"[" * 200 + b"]" * 200 + b"\n", "nesting bomb", 3),
    ("schedule.csv", b"Room,Date,Start,Title\nA,2024-01-01,10:00,\"cut short\n",
     "is not valid CSV", 2),
    ("schedule.csv", b"Room,Date,Start,Title\nA,2024-01-01,10:00,\"" + b"x" * 1_200_000
     + b"\"\n", "is not valid CSV", 2),
    ("event.json", b'{"_type": "HTTPAPIResult", "results": [{"title": "x", "contributions": '
     b'[{"title": "y", ', "is not valid JSON", 1),
    ("papers.csv", b"UID,title,authors\nP1,T,A\n", "without a calendar", 1),
])
def test_broken_file_is_one_line_with_file_and_line(tmp_path: Path, name: str, data: bytes,
                                                    expected: str, line: int) -> None:
    result = _cli(tmp_path, name, data)
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{tmp_path / name}:{line}" in lines[0] and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("document", [
    '{"sessions": 5, "events": [1, "x", null, {"id": 3, "start_time": 17}], "papers": '
    '["P1"], "start_time": 1}',
    '{"sessions": {"S": {"events": {"e": {"start_time": "2023-07-12T11:00:00-04:00", '
    '"end_time": "yesterday", "paper_ids": 7, "chairs": {"a": 1}, "room": ["x"]}}}}, '
    '"events": null, "papers": {"P": {"title": ["not", "text"], "authors": "A|B"}}}',
])
def test_wrong_types_give_a_program_with_warnings(document: str) -> None:
    program = parse_text(document, path="conference.json")
    assert all(session.start is None or session.start.tzinfo for session in program.sessions)


def test_missing_fields_are_unscheduled_with_a_warning() -> None:
    calendar = json.dumps([{"title": "No start", "calendarId": "---", "start": None},
                           {"title": "Fine", "calendarId": "---",
                            "start": "2020-04-27T05:00:00+00:00"}])
    program = parse_text(calendar, path="main_calendar.json")
    starts = {s.title: s.start for s in program.sessions}
    assert starts["No start"] is None and starts["Fine"] is not None
    assert any("No start: no start" in w for w in program.warnings)


def test_huge_yaml_and_csv_are_refused_while_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structured, "MAX_YAML_EVENTS", 1000)
    items = "".join(f"- title: t{n}\n  start: 2020-11-17 02:00:00+00:00\n  calendarId: x\n"
                    for n in range(400))
    with pytest.raises(ProgramError, match="more YAML nodes than any program"):
        parse_text(items, path="overall_calendar.yml")
    monkeypatch.setattr(structured, "MAX_CSV_ROWS", 100)
    rows = "Room,Date,Start,Title\n" + "A,2024-01-01,10:00,T\n" * 200
    with pytest.raises(ProgramError, match="more than 100 rows") as caught:
        parse_text(rows, path="s.csv")
    assert caught.value.line == 102
