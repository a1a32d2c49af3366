"""Format detection skips modules by the text's first character: it must find what asking every
module finds, on every real program, fixture and on generated text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.errors import ProgramError
from planner.importers import (
    FORMAT_MODULES,
    SNIFF_LEADS,
    SNIFF_NEVER,
    _module,
    available_formats,
    detect_format,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _asking_every_module(text: str) -> str | None:
    for name in available_formats():
        if _module(name).sniff(text):
            return name
    return None


def _detected(text: str) -> str | None:
    try:
        return detect_format(text)
    except ProgramError:  # "none of them": the same answer from both
        return None


def _texts(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()
                  and path.suffix.lower() in {".xml", ".json", ".ics", ".csv", ".txt", ".yml",
                                              ".yaml"} and path.stat().st_size < 30_000_000)


def test_every_format_has_a_lead_entry() -> None:
    assert set(SNIFF_LEADS) == set(FORMAT_MODULES)


def test_fixtures_are_detected_as_by_every_sniff() -> None:
    paths = _texts(FIXTURES)
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _detected(text) == _asking_every_module(text), path.name


def test_real_programs_are_detected_as_by_every_sniff(shared_data: Path) -> None:
    paths = _texts(shared_data)
    assert len(paths) > 20
    found = set()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        expected = _asking_every_module(text)
        assert _detected(text) == expected, path.name
        found.add(expected)
    assert {"frab-xml", "frab-json", "ics"} <= found


@given(st.sampled_from(["", "\ufeff", "  \r\n", "\t"]),
       st.sampled_from(["<schedule>", "<?xml version='1.0'?>\n<schedule>", "BEGIN:VCALENDAR\n",
                        "begin:vevent\n", '{"_type": "HTTPAPIResult"', '{"schedule": {}}',
                        "title,start,date\n", "x"]),
       st.text(max_size=40))
def test_generated_heads_are_detected_as_by_every_sniff(space: str, head: str, rest: str
                                                        ) -> None:
    text = space + head + rest
    assert _detected(text) == _asking_every_module(text)


@pytest.mark.parametrize("name", [n for n, leads in SNIFF_LEADS.items() if leads])
def test_a_format_with_leads_refuses_other_first_characters(name: str) -> None:
    leads = SNIFF_LEADS[name]
    assert leads is not None
    for lead in "<{[Bb#x1 ":
        if lead.strip() and lead not in leads:
            assert not _module(name).sniff(lead + "schedule conference HTTPAPIResult VCALENDAR")


@pytest.mark.parametrize("name", list(SNIFF_NEVER))
def test_a_format_refuses_its_never_starts(name: str) -> None:
    for start in SNIFF_NEVER[name]:
        for rest in ('{"sessions": [], "events": [], "start_time": 1}', "uid,title,authors\n",
                     "calendarId: x\nstart: 1\n", "VCALENDAR\nUID: 1\nsessions: x\nstart_time: 2"):
            assert not _module(name).sniff(start + rest)
