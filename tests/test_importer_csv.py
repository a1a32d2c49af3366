"""CSV schedules: voctosched's GPN11 demo (Karlsruhe, June 2011: CEST) and header variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.importers import ImportOptions, detect_format, load_program, parse_text

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_gpn11_in_its_zone(shared_data: Path) -> None:
    path = shared_data / "other-formats" / "csv_gpn11.csv"
    program = load_program(path, ImportOptions(source_zone="Europe/Berlin"))
    assert program.source_format == "csv" and len(program.sessions) == 29
    assert program.source_zone == "Europe/Berlin" and not program.zone_guessed
    first = program.session("row-1")
    assert first.title == "What to hack" and first.room == "GroßesStudio"
    assert (first.start, first.end) == (utc(2011, 6, 23, 17), utc(2011, 6, 23, 18, 30))
    assert first.floating and first.language == "de" and first.speakers == ["diverse"]
    assert '"Hacker werden hacken"' in first.description  # a quoted multi-line field
    assert first.links[0].url.startswith("https://entropia.de/")
    assert first.source_line == 2
    second = program.session("row-2")
    assert second.source_line == 8  # the first row's description spans lines 2-7
    assert {s.room for s in program.sessions} == {"GroßesStudio", "GroßerSeminarraum"}


def test_gpn11_without_a_zone_is_utc_shown_as_a_guess(shared_data: Path) -> None:
    program = load_program(shared_data / "other-formats" / "csv_gpn11.csv")
    assert program.source_zone == "UTC" and program.zone_guessed
    assert any("--source-tz" in w for w in program.warnings)
    program.change_source_zone("Europe/Berlin")  # what the window's zone control does
    assert program.session("row-1").start == utc(2011, 6, 23, 17)


def test_header_variants_end_column_and_estimates() -> None:
    text = ("Start,Title,Date,End,Speaker,Type,Raum\n"
            "23:30,Night talk,2024-05-01,00:15,Ann and Bo,Workshop,Hall\n"
            "10:00,No end,2024-05-02,,,,Hall\n"
            "soon,Bad time,2024-05-02,,,,Hall\n")
    assert detect_format(text) == "csv"
    program = parse_text(text, ImportOptions(source_zone="Asia/Kathmandu"), "x.csv")
    night, no_end, bad = program.sessions
    assert night.end == utc(2024, 5, 1, 18, 30) and night.speakers == ["Ann", "Bo"]
    assert night.room == "Hall"
    assert no_end.end_estimated and no_end.end == utc(2024, 5, 2, 4, 45)
    assert bad.start is None and any("line 4" in w for w in program.warnings)


@pytest.mark.parametrize(("text", "expected", "line"), [
    ('Room,Date,Start,Title\nA,2024-01-01,10:00,"unclosed\n', "not valid CSV", 2),
    ("Room,Date,Start,Title\n", "without a single row", 2),
    ('Room,Date,Start,Title\nA,2024-01-01,10:00,"x"y\n', "not valid CSV", 2),
])
def test_broken_csv_is_one_clear_error(text: str, expected: str, line: int) -> None:
    with pytest.raises(ProgramError, match=expected) as caught:
        parse_text(text, path="s.csv", format_name="csv")
    assert caught.value.line == line
