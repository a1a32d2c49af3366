"""Busy times from a personal .ics: what makes the user busy, in which zone, and the conflicts."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

import pytest

from planner.core import timezones as tz
from planner.core.busy import BusyTime, program_window
from planner.core.conflicts import CALENDAR_TITLE, is_calendar, summarize_conflicts
from planner.core.errors import ProgramError
from planner.core.stars import Stars
from planner.importers.busy_ics import read_busy_times
from tests import factories as f

UTC = tz.UTC


def calendar(*events: str, header: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}{body}"
            f"END:VCALENDAR\r\n")


def event(uid: str, summary: str, *lines: str) -> str:
    return "\r\n".join([f"UID:{uid}", f"SUMMARY:{summary}", "DTSTAMP:20210101T000000Z", *lines])


def write(tmp_path: Path, text: str, name: str = "me.ics") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


MAY_2021 = (utc("2021-05-06 00:00"), utc("2021-05-09 00:00"))


def test_busy_weekly_meeting_since_2019_reaches_the_conference_window(tmp_path: Path) -> None:
    path = write(tmp_path, calendar(event(
        "w1", "Weekly sync with Dana", "DTSTART;TZID=Europe/Berlin:20190104T100000",
        "DTEND;TZID=Europe/Berlin:20190104T110000", "RRULE:FREQ=WEEKLY;BYDAY=FR")))
    busy = read_busy_times(path, "UTC", MAY_2021)
    assert [(t.start, t.end, t.title) for t in busy.times] == [
        (utc("2021-05-07 08:00"), utc("2021-05-07 09:00"), "Weekly sync with Dana")]
    # Without a window the importer's year after the start applies: nothing in 2021.
    assert all(t.start.year <= 2020 for t in read_busy_times(path, "UTC").times)


def test_busy_daily_standup_since_2010_is_not_cut_at_500_occurrences(tmp_path: Path) -> None:
    path = write(tmp_path, calendar(event(
        "d1", "Stand-up", "DTSTART:20100104T090000Z", "DTEND:20100104T091500Z",
        "RRULE:FREQ=DAILY")))
    busy = read_busy_times(path, "UTC", MAY_2021)
    assert [t.start for t in busy.times] == [utc("2021-05-06 09:00"), utc("2021-05-07 09:00"),
                                             utc("2021-05-08 09:00")]


def test_busy_skips_all_day_transparent_and_cancelled(tmp_path: Path) -> None:
    path = write(tmp_path, calendar(
        event("a", "Birthday", "DTSTART;VALUE=DATE:20210507", "DTEND;VALUE=DATE:20210508"),
        event("t", "Maybe lunch", "DTSTART:20210507T110000Z", "DTEND:20210507T120000Z",
              "TRANSP:TRANSPARENT"),
        event("c", "Call off", "DTSTART:20210507T130000Z", "DTEND:20210507T140000Z",
              "STATUS:CANCELLED"),
        event("o", "Opaque call", "DTSTART:20210507T150000Z", "DTEND:20210507T160000Z",
              "TRANSP:OPAQUE")))
    busy = read_busy_times(path, "UTC", MAY_2021)
    assert [t.title for t in busy.times] == ["Opaque call"]
    assert (busy.skipped_all_day, busy.skipped_free, busy.skipped_cancelled) == (1, 1, 1)
    assert busy.summary() == "1 busy time from me.ics (1 all-day, 1 free, 1 cancelled not counted)"


def test_busy_recurring_meeting_keeps_its_wall_clock_across_dst(tmp_path: Path) -> None:
    # New York leaves DST on 7 Nov 2021: 10:00 local is 14:00 UTC before, 15:00 UTC after.
    path = write(tmp_path, calendar(event(
        "ny", "Team meeting", "DTSTART;TZID=America/New_York:20200106T100000",
        "DTEND;TZID=America/New_York:20200106T103000", "RRULE:FREQ=WEEKLY;BYDAY=MO")))
    window = (utc("2021-10-31 00:00"), utc("2021-11-10 00:00"))
    starts = [t.start for t in read_busy_times(path, "UTC", window).times]
    assert [tz.to_utc(s) for s in starts] == [utc("2021-11-01 14:00"), utc("2021-11-08 15:00")]
    assert [tz.wall_clock(s, tz.get_zone("America/New_York")).hour for s in starts] == [10, 10]


def test_busy_floating_times_belong_to_the_display_zone_without_a_declared_zone(
        tmp_path: Path) -> None:
    path = write(tmp_path, calendar(event("f", "Dentist", "DTSTART:20210507T090000",
                                          "DTEND:20210507T093000")))
    busy = read_busy_times(path, "Asia/Kolkata", MAY_2021)
    assert busy.zone == "Asia/Kolkata"
    assert [tz.to_utc(t.start) for t in busy.times] == [utc("2021-05-07 03:30")]


def test_busy_floating_times_belong_to_the_files_declared_zone(tmp_path: Path) -> None:
    path = write(tmp_path, calendar(event("f", "Dentist", "DTSTART:20210507T090000",
                                          "DTEND:20210507T093000"),
                                    header="X-WR-TIMEZONE:Australia/Adelaide\r\n"))
    busy = read_busy_times(path, "Asia/Kolkata", MAY_2021)
    assert busy.zone == "Australia/Adelaide"  # +09:30 in May
    assert [tz.to_utc(t.start) for t in busy.times] == [utc("2021-05-06 23:30")]


def test_busy_bad_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    cut = write(tmp_path, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2021zz\r\n", "cut.ics")
    with pytest.raises(ProgramError) as caught:
        read_busy_times(cut, "UTC")
    assert str(caught.value).startswith(f"{cut}:1: ") and "\n" not in str(caught.value)
    notes = write(tmp_path, "just some notes\n", "notes.txt")
    with pytest.raises(ProgramError, match=r"notes\.txt:1: is not an iCalendar file"):
        read_busy_times(notes, "UTC")
    empty = write(tmp_path, "", "empty.ics")
    with pytest.raises(ProgramError, match=r"empty\.ics:1: is empty; expected an iCalendar"):
        read_busy_times(empty, "UTC")
    with pytest.raises(ProgramError, match=r"gone\.ics: no such file"):
        read_busy_times(tmp_path / "gone.ics", "UTC")


def test_busy_titles_stay_out_of_repr_and_warnings(tmp_path: Path) -> None:
    # A duplicate UID makes the importer warn; an end before the start names the title.
    path = write(tmp_path, calendar(
        event("x", "Therapy with Dr Who", "DTSTART:20210507T100000Z", "DTEND:20210507T090000Z"),
        event("y", "Job interview at Rival", "DTSTART:20210507T120000Z",
              "DTEND:20210507T130000Z")))
    busy = read_busy_times(path, "UTC", MAY_2021)
    assert [t.title for t in busy.times] == ["Job interview at Rival"]
    assert busy.warnings and any("(private)" in w for w in busy.warnings)
    for text in (repr(busy), *busy.warnings, busy.summary()):
        assert "Therapy" not in text and "Rival" not in text


def test_program_window_spans_the_sessions_a_day_either_side() -> None:
    program = f.program(f.session("a", "2021-05-07 02:00", 60), f.session("b", "2021-05-08 10:00"))
    start, end = program_window(program) or (None, None)
    assert start == utc("2021-05-06 00:00") and end == utc("2021-05-09 09:00")
    assert program_window(f.program()) is None


# -- conflicts -------------------------------------------------------------------------------
def _busy(start: str, minutes: int, title: str = "Private thing") -> BusyTime:
    begin = tz.localize(dt.datetime.fromisoformat(start), tz.get_zone("Europe/Vienna"))
    return BusyTime(begin, begin + dt.timedelta(minutes=minutes), title)


def test_conflicts_count_a_starred_session_overlapping_a_busy_time() -> None:
    program = f.program(f.session("talk", "2021-05-07 10:00", 60),
                        f.session("other", "2021-05-07 10:30", 60),
                        f.session("free", "2021-05-07 14:00", 60),
                        f.session("unstarred", "2021-05-07 10:00", 60))
    stars = Stars({"talk", "other", "free"})
    busy = [_busy("2021-05-07 09:00", 100, "Dentist"), _busy("2021-05-07 11:00", 15),
            _busy("2021-05-07 15:00", 30)]  # ends as "free" ends: touching is not clashing
    summary = summarize_conflicts(program, stars, busy=busy)
    assert summary.pairs == 1  # talk/other, as without busy times
    assert summary.calendar_counts == {"talk": 1, "other": 2}
    assert summary.calendar_clashes == 3
    assert summary.counts == {"talk": 2, "other": 3}
    named = summary.others("other")
    assert [s.title for s in named] == [CALENDAR_TITLE, CALENDAR_TITLE, "Talk"]
    assert [is_calendar(s) for s in named] == [True, True, False]
    assert [s.start for s in named[:2]] == [busy[0].start, busy[1].start]
    assert "Dentist" not in repr(summary)
    assert summary.signature() != summarize_conflicts(program, stars).signature()
    assert summarize_conflicts(program, Stars(), busy=busy).calendar_clashes == 0


def test_conflicts_with_busy_times_match_a_pairwise_count() -> None:
    chooser = random.Random(15)
    sessions = [f.session(f"s{i}", f"2021-05-07 {chooser.randrange(8, 18):02d}:"
                                   f"{chooser.choice(['00', '15', '30', '45'])}",
                          chooser.choice([15, 30, 60, 120, 240])) for i in range(60)]
    busy = sorted((_busy(f"2021-05-07 {chooser.randrange(6, 20):02d}:"
                         f"{chooser.choice(['00', '20', '40'])}", chooser.choice([10, 45, 300]))
                   for _ in range(40)), key=lambda b: b.start)
    program = f.program(*sessions)
    summary = summarize_conflicts(program, Stars({s.id for s in sessions}), per_session=3,
                                  busy=busy)
    expected = {s.id: sum(1 for b in busy if s.start and s.end and b.start < s.end
                          and s.start < b.end) for s in sessions}
    assert summary.calendar_counts == {k: v for k, v in expected.items() if v}
    assert summary.calendar_clashes == sum(expected.values())
    for s in sessions:
        named = [o for o in summary.others(s.id) if is_calendar(o)]
        assert len(named) == min(3, expected[s.id])
        assert all(o.start and o.end and s.start and s.end and o.start < s.end
                   and s.start < o.end for o in named)
    assert list(itertools.chain.from_iterable(summary.listed.values()))
