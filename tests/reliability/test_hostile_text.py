"""Titles that try to disguise themselves or break when cut, and a rule that ends in 9999."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from planner.core.model import Program
from planner.core.stars import Stars
from planner.core.text import BIDI_CONTROLS, grapheme_prefix, neutralize_bidi
from planner.export.ics import SUMMARY_LIMIT, ExportOptions, Scope, export_ics
from planner.export.text import ELLIPSIS, clip
from planner.importers import load_program
from tests.cli.test_cli import run_cli
from tests.reliability.test_hostile_content import BUILDERS, OPTIONS, _formats

SPOOF = "Keynote \u202egnp.exe\u202c and \u2067isolated\u2069 \u202d\u202a\u202b"


def _clusters(text: str) -> list[str]:
    return list(regex.findall(r"\X", text))


def _open(tmp_path: Path, format_name: str, title: str) -> Program:
    path = tmp_path / f"{format_name}.txt"
    path.write_text(BUILDERS[format_name](title=title), encoding="utf-8")
    return load_program(path, OPTIONS)


# -- bidi controls -------------------------------------------------------------------------------
@pytest.mark.parametrize("format_name", _formats())
def test_bidi_overrides_never_reach_a_title(tmp_path: Path, format_name: str) -> None:
    program = _open(tmp_path, format_name, SPOOF)
    titles = [s.title for s in program.sessions] + [p.title for p in program.papers.values()]
    assert titles and not any(BIDI_CONTROLS & set(title) for title in titles)
    assert any("gnp.exe" in title and "isolated" in title for title in titles)


def test_bidi_overrides_never_reach_an_export_of_a_program_built_in_code() -> None:
    from tests.factories import program, session

    built = program(dataclasses.replace(session("s1", "2024-12-27 10:00"), title=SPOOF))
    data = export_ics(built, Stars(), ExportOptions(scope=Scope.ALL, zone="UTC")).data
    text = data.decode("utf-8")
    assert not BIDI_CONTROLS & set(text)
    assert "gnp.exe" in text


def test_cli_list_prints_no_bidi_override(tmp_path: Path) -> None:
    path = tmp_path / "spoof.ics"
    path.write_text(BUILDERS["ics"](title=SPOOF), encoding="utf-8")
    done = run_cli("list", "--tz", "UTC", str(path), data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "gnp.exe" in done.stdout and not BIDI_CONTROLS & set(done.stdout)


def test_implicit_marks_of_real_rtl_titles_are_kept() -> None:
    hebrew = "\u05e9\u05dc\u05d5\u05dd\u200f (2024)"  # RLM keeps "(2024)" after the word
    arabic = "\u0645\u0631\u062d\u0628\u0627\u061c 1"
    assert neutralize_bidi(hebrew) == hebrew and neutralize_bidi(arabic) == arabic


# -- grapheme-safe cuts ----------------------------------------------------------------------------
_COMBINING = st.sampled_from(["\u0301", "\u0308", "\u0323", "\u20dd", "\u0e49", "\u093f"])
_BASES = st.sampled_from(["e", "a", " ", "Z", "\u0915", "\u0e01", "\u05d0", ".", "\u00df"])
_EMOJI = st.sampled_from(["\U0001f44d\U0001f3fd", "\U0001f469\u200d\U0001f4bb",
                          "\U0001f1e6\U0001f1f9", "\U0001f3f3\ufe0f\u200d\U0001f308"])
_CLUSTER = st.one_of(st.tuples(_BASES, st.lists(_COMBINING, max_size=3)).map(
    lambda pair: pair[0] + "".join(pair[1])), _EMOJI)


@given(st.lists(_CLUSTER, min_size=1, max_size=120), st.integers(min_value=1, max_value=300))
def test_clip_never_splits_a_letter_from_its_marks(clusters: list[str], limit: int) -> None:
    text = "".join(clusters)
    cut = clip(text, limit)
    assert len(cut) <= limit or len(_clusters(text)[0]) >= limit
    kept = cut[: -len(ELLIPSIS)] if cut.endswith(ELLIPSIS) and cut != text else cut
    kept_clusters = _clusters(kept)
    assert kept_clusters == _clusters(text)[: len(kept_clusters)] or kept == ""


def test_summary_cut_at_250_keeps_the_accent_with_its_letter() -> None:
    from tests.factories import program, session

    # 248 letters, then "é" as e + COMBINING ACUTE at characters 249-250: a cut at 249 (250
    # minus the ellipsis) would keep the "e" and drop its accent.
    title = "x" * 247 + " " + "e\u0301" + "tude" * 10
    built = program(dataclasses.replace(session("s1", "2024-12-27 10:00"), title=title))
    event = export_ics(built, Stars(), ExportOptions(scope=Scope.ALL, zone="UTC")).events[0]
    assert len(event.summary) <= SUMMARY_LIMIT
    assert not unicodedata.combining(event.summary.rstrip(ELLIPSIS)[-1:] or "a")
    assert "e" not in event.summary[-3:] or "e\u0301" in event.summary


def test_grapheme_prefix_of_one_giant_cluster_still_honours_the_limit() -> None:
    zalgo = "a" + "\u0301" * 1000
    assert grapheme_prefix(zalgo, 250) == zalgo[:250]
    assert grapheme_prefix("e\u0301e\u0301", 3) == "e\u0301"


# -- UNTIL at the end of time ---------------------------------------------------------------------
_WEEKLY_FOREVER = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//hostile//EN
BEGIN:VEVENT
UID:weekly@example.org
DTSTART;TZID=Europe/Vienna:20241202T100000
DTEND;TZID=Europe/Vienna:20241202T110000
RRULE:FREQ=WEEKLY;COUNT=4;UNTIL={until}
SUMMARY:Weekly standup
END:VEVENT
BEGIN:VEVENT
UID:other@example.org
DTSTART:20241203T100000Z
DTEND:20241203T110000Z
SUMMARY:Other
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize("until", ["99991231T235959Z", "99991231T235959", "99991231"])
def test_until_at_the_end_of_time_is_unbounded(tmp_path: Path, until: str) -> None:
    path = tmp_path / "forever.ics"
    # COUNT and UNTIL together are not allowed; without COUNT the horizon bounds the rule.
    path.write_text(_WEEKLY_FOREVER.format(until=until).replace("COUNT=4;", ""),
                    encoding="utf-8")
    program = load_program(path)
    weekly = sorted(s.start for s in program.sessions if s.title == "Weekly standup"
                    if s.start is not None)
    assert len(weekly) >= 52, program.warnings  # a year of Mondays, not a dropped event
    assert weekly[0] == dt.datetime(2024, 12, 2, 9, 0, tzinfo=dt.UTC)
    assert weekly[1] - weekly[0] == dt.timedelta(days=7)
    assert not any("skipped" in warning for warning in program.warnings)
