"""Exports compared with reviewed golden files, by meaning, not by text.

Property order, folding and DTSTAMP may change with icalendar versions; what a calendar app
shows may not. Regenerate after a deliberate change with ``PLANNER_REGENERATE_GOLDEN=1`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from planner.core.stars import Stars
from planner.export.ics import Scope
from tests.test_export_helpers import (
    calendar_properties,
    export,
    nasty_program,
    read_events,
    sample_program,
    sample_stars,
)

GOLDEN = Path(__file__).resolve().parent / "golden"

CASES: dict[str, dict[str, Any]] = {
    "export_starred_vienna_alarm.ics": {"zone": "Europe/Vienna", "alarm_minutes": 10},
    "export_all_utc.ics": {"zone": "UTC", "scope": Scope.ALL},
    "export_papers_chatham.ics": {"zone": "Pacific/Chatham", "paper_events": True},
    "export_nasty_st_johns.ics": {"zone": "America/St_Johns", "scope": Scope.ALL},
}


def _make(name: str) -> bytes:
    options = dict(CASES[name])
    if "nasty" in name:
        return export(nasty_program(), Stars(), **options).data
    return export(sample_program(), sample_stars(), **options).data


def _zones(data: bytes) -> list[tuple[Any, ...]]:
    """Each observance of each VTIMEZONE as plain values."""
    import icalendar

    result = []
    for vtimezone in icalendar.Calendar.from_ical(data).walk("VTIMEZONE"):
        for part in vtimezone.subcomponents:
            rule = part.get("RRULE")
            result.append((str(vtimezone["TZID"]), part.name, part.decoded("DTSTART"),
                           part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO"),
                           rule.to_ical() if rule is not None else b""))
    return sorted(result)


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_matches_golden_file(name: str) -> None:
    path = GOLDEN / name
    current = _make(name)
    if os.environ.get("PLANNER_REGENERATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(current)
    expected = path.read_bytes()
    assert calendar_properties(current) == calendar_properties(expected)
    assert read_events(current) == read_events(expected)
    assert _zones(current) == _zones(expected)


def test_golden_files_are_all_tested() -> None:
    assert sorted(p.name for p in GOLDEN.glob("export_*.ics")) == sorted(CASES)
