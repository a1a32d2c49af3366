"""Over-limit programs are refused while they are read, and recurrence work is bounded per file
(issue 10, item 9): the cost of a hostile file is that of the limit, not of the file."""

from __future__ import annotations

from pathlib import Path

from planner.importers import limits
from planner.importers.recurrence import WorkBudget
from tests.reliability.test_hostile_content import open_bounded

OVER = limits.MAX_SESSIONS + 1_000
MEMORY_LIMIT = 600 * 1024 * 1024  # what tracemalloc may see at the peak


def _ics_events(count: int, rule: str = "") -> str:
    event = ("BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTAMP:20240101T000000Z\r\n"
             "DTSTART:20241227T100000Z\r\nDTEND:20241227T103000Z\r\n"
             f"{rule}SUMMARY:Talk {{n}}\r\nEND:VEVENT\r\n")
    body = "".join(event.format(n=n) for n in range(count))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n"


def test_ics_over_the_limit_is_refused_while_scanning(tmp_path: Path) -> None:
    path = tmp_path / "many.ics"
    path.write_text(_ics_events(OVER))
    opened = open_bounded(path)
    assert opened.program is None
    assert f"more than {limits.MAX_SESSIONS:,} events" in opened.error
    # 3 header lines, 7 lines per event: the one over the limit begins on this line.
    assert f"many.ics:{4 + 7 * limits.MAX_SESSIONS} (BEGIN:VEVENT)" in opened.error
    assert opened.peak_bytes < MEMORY_LIMIT


def test_frab_xml_over_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    event = ('<event guid="00000000-0000-4000-8000-{n:012d}" id="{n}"><date>'
             "2024-12-27T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>"
             "<room>A</room><title>T {n}</title></event>")
    events = "".join(event.format(n=n) for n in range(OVER))
    path = tmp_path / "many.xml"
    path.write_text('<?xml version="1.0"?><schedule><conference><title>C</title>'
                    "<start>2024-12-27</start><end>2024-12-27</end></conference>"
                    f'<day index="1" date="2024-12-27"><room name="A">{events}</room></day>'
                    "</schedule>")
    opened = open_bounded(path)
    assert opened.program is None
    assert f"more than {limits.MAX_SESSIONS:,} events" in opened.error
    assert "<event>" in opened.error
    assert opened.peak_bytes < MEMORY_LIMIT


def test_frab_json_over_the_limit_is_refused_while_parsing(tmp_path: Path) -> None:
    event = ('{{"guid": "g{n}", "id": {n}, "title": "T {n}", "date": '
             '"2024-12-27T10:00:00+01:00", "start": "10:00", "duration": "00:30"}}')
    events = ",".join(event.format(n=n) for n in range(OVER))
    path = tmp_path / "many.json"
    path.write_text('{"schedule": {"conference": {"title": "C", "days": [{"index": 1, '
                    f'"date": "2024-12-27", "rooms": {{"A": [{events}]}}}}]}}}}}}')
    opened = open_bounded(path)
    assert opened.program is None
    assert f"more than {limits.MAX_SESSIONS:,} events" in opened.error


def test_never_matching_rules_share_one_budget(tmp_path: Path) -> None:
    # HOURLY rules that never match walk a year of hours each; 200 of them are over the
    # per-file budget, so the later ones keep only their first occurrence and say so.
    rule = "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\n"
    path = tmp_path / "rules.ics"
    path.write_text(_ics_events(200, rule))
    opened = open_bounded(path)
    assert opened.program is not None, opened.error
    assert len(opened.program.sessions) == 200  # each keeps its first occurrence
    notes = " ".join(opened.program.warnings)
    assert "were not expanded" in notes and "calendar work" in notes


def test_budget_counts_every_rule_of_a_file() -> None:
    budget = WorkBudget(days=10)
    budget.spend(6)
    assert not budget.exhausted
    try:
        budget.spend(5)
    except Exception as exc:  # OutOfWork
        assert type(exc).__name__ == "OutOfWork"
    assert budget.exhausted
