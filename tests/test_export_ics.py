"""What goes into an export, read back as a calendar app would read it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.core import timezones as tz
from planner.core.errors import UnknownItemError
from planner.core.stars import Stars
from planner.export.ics import (
    PRODID,
    ExportError,
    Scope,
    event_uid,
    stars_from_ics,
    write_export,
)
from planner.export.text import clean_export_text, clip, one_line
from tests.test_export_helpers import (
    NASTY,
    STAMP,
    EventView,
    calendar_properties,
    day_program,
    export,
    nasty_program,
    read_events,
    sample_program,
    sample_stars,
)


def _by_session(data: bytes) -> dict[str, EventView]:
    prog = sample_program()
    uids = {event_uid(prog, s.id): s.id for s in prog.sessions}
    return {uids[uid]: view for uid, view in read_events(data).items() if uid in uids}


def test_export_default_scope_is_the_starred_agenda() -> None:
    result = export(sample_program(), sample_stars(), zone="Europe/Vienna")
    events = _by_session(result.data)
    # p-mars brings in both its slots; the workshop is starred itself; the keynote has no time.
    assert set(events) == {"poster-session-12", "oral-session-12", "sdg-workshop"}


def test_export_all_exports_every_scheduled_session() -> None:
    result = export(sample_program(), Stars(), scope=Scope.ALL, zone="Europe/Vienna")
    assert set(_by_session(result.data)) == {"poster-session-12", "oral-session-12",
                                              "sdg-workshop"}


def test_export_ids_takes_sessions_and_the_sessions_of_papers() -> None:
    result = export(sample_program(), Stars(), scope=Scope.IDS, ids=("p-co2", "sdg-workshop"),
                    zone="UTC")
    events = _by_session(result.data)
    assert set(events) == {"poster-session-12", "sdg-workshop"}


def test_export_ids_unknown_raises_a_readable_error() -> None:
    with pytest.raises(UnknownItemError, match="no-such-id"):
        export(sample_program(), Stars(), scope=Scope.IDS, ids=("no-such-id",))


def test_export_with_nothing_starred_says_so() -> None:
    with pytest.raises(ExportError, match="nothing starred"):
        export(sample_program(), Stars())


def test_export_unscheduled_sessions_are_left_out_with_a_warning() -> None:
    result = export(sample_program(), sample_stars(), zone="UTC")
    assert any("without a time" in w and "Keynote" in w for w in result.warnings)


def test_export_summary_counts_starred_papers() -> None:
    events = _by_session(export(sample_program(), sample_stars(), zone="UTC").data)
    assert events["poster-session-12"].summary == "Poster Session 12 (2 starred papers)"
    assert events["oral-session-12"].summary == "Oral Session 12 (1 starred paper)"
    assert events["sdg-workshop"].summary == "Sdg Workshop"


def test_export_description_lists_starred_papers_first_then_the_rest() -> None:
    events = _by_session(export(sample_program(), sample_stars(), zone="UTC").data)
    text = events["poster-session-12"].description
    starred_at = text.index("Starred papers (2):")
    assert text.index("★ MARS") > starred_at and text.index("★ LEAD") > starred_at
    assert "https://openreview.net/forum?id=mars" in text
    other_at = text.index("Other papers in this session (2):")
    assert other_at > text.index("★ LEAD")
    assert text.index("• CO2: Consistent Contrast") > other_at
    assert "Contrastive learning" not in text  # other papers by title only
    # The 1,100-character abstract is cut at a word, with an ellipsis.
    abstract_line = next(line for line in text.split("\n") if line.startswith("Searching"))
    assert len(abstract_line) <= 600 and abstract_line.endswith("…")


def test_export_estimated_end_is_said_in_the_description() -> None:
    events = _by_session(export(sample_program(), sample_stars(), zone="UTC").data)
    assert "End time estimated" in events["poster-session-12"].description
    assert "2 h is assumed" in events["poster-session-12"].description
    assert "estimated" not in events["oral-session-12"].description


def test_export_properties_of_an_event() -> None:
    events = _by_session(export(sample_program(), sample_stars(), zone="Europe/Vienna",
                                alarm_minutes=10).data)
    workshop = events["sdg-workshop"]
    assert workshop.start == dt.datetime(2021, 5, 7, 14, 0, tzinfo=dt.UTC)
    assert workshop.end == dt.datetime(2021, 5, 7, 22, 0, tzinfo=dt.UTC)
    assert workshop.tzid == "Europe/Vienna"
    assert workshop.categories == ("Workshop",)
    assert workshop.url == "https://example.org/sdg%20workshop"
    assert "Speakers: Ada Lovelace, Grace Hopper" in workshop.description
    assert workshop.alarm == "-PT10M"
    assert workshop.items == ("sdg-workshop",)
    assert events["oral-session-12"].location == "Hall A"
    assert events["poster-session-12"].location == "Virtual"


def test_export_calendar_header_is_fixed() -> None:
    result = export(sample_program(), sample_stars(), zone="Europe/Vienna")
    assert calendar_properties(result.data) == {
        "PRODID": PRODID, "VERSION": "2.0", "METHOD": "PUBLISH",
        "X-WR-CALNAME": "Test Conference 2021: my agenda"}


def test_export_uids_are_equal_across_exports_and_options() -> None:
    first = export(sample_program(), sample_stars(), zone="Europe/Vienna")
    second = export(sample_program(), sample_stars(), zone="Pacific/Chatham",
                    stamp=dt.datetime.now(dt.UTC), alarm_minutes=5)
    assert set(read_events(first.data)) == set(read_events(second.data))
    assert all(uid.endswith("@planner") for uid in read_events(first.data))


def test_export_uid_depends_on_program_key_and_session() -> None:
    prog = sample_program()
    other = sample_program()
    other.key = "another-conference"
    assert event_uid(prog, "poster-session-12") != event_uid(other, "poster-session-12")
    assert event_uid(prog, "poster-session-12") != event_uid(prog, "oral-session-12")
    assert event_uid(prog, "poster-session-12", "p-mars") != event_uid(prog, "poster-session-12")


def test_export_uid_does_not_depend_on_where_the_file_lies() -> None:
    here = sample_program()
    here.key = "/home/ada/programs/conf.txt"
    there = sample_program()
    there.key = "/Users/grace/Downloads/conf.txt"
    assert event_uid(here, "keynote") == event_uid(there, "keynote")


def test_export_dtstamp_is_utc() -> None:
    import icalendar

    result = export(sample_program(), sample_stars(), zone="Asia/Kathmandu", stamp=None)
    for event in icalendar.Calendar.from_ical(result.data).walk("VEVENT"):
        assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
        assert event.content_line("DTSTAMP", event["DTSTAMP"]).endswith("Z")


def test_export_utc_has_no_vtimezone() -> None:
    result = export(sample_program(), sample_stars(), zone="UTC")
    assert b"VTIMEZONE" not in result.data and b"TZID" not in result.data
    assert all(view.tzid == "UTC" for view in read_events(result.data).values())
    assert result.zone == "UTC"


@pytest.mark.parametrize("zone_name", ["Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns",
                                       "Europe/Vienna", "Australia/Adelaide", "Pacific/Apia"])
def test_export_zone_keeps_every_instant(zone_name: str) -> None:
    prog = sample_program()
    result = export(prog, Stars(), scope=Scope.ALL, zone=zone_name)
    views = read_events(result.data)
    assert result.data.count(b"BEGIN:VTIMEZONE") == 1
    for session in prog.scheduled:
        view = views[event_uid(prog, session.id)]
        assert view.tzid == zone_name
        assert view.start == tz.to_utc(session.start)  # type: ignore[arg-type]


def test_export_paper_events_one_per_starred_slot() -> None:
    prog = sample_program()
    result = export(prog, sample_stars(), zone="UTC", paper_events=True)
    views = read_events(result.data)
    mars_poster = views[event_uid(prog, "poster-session-12", "p-mars")]
    mars_oral = views[event_uid(prog, "oral-session-12", "p-mars")]
    lead = views[event_uid(prog, "poster-session-12", "p-lead")]
    assert mars_poster.summary == "MARS: Markov Molecular Sampling"
    assert "In Poster Session 12" in mars_poster.description
    assert "also in Oral Session 12" in mars_poster.description
    assert mars_poster.url == "https://openreview.net/forum?id=mars"
    assert mars_oral.start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=dt.UTC)
    assert lead.items == ("p-lead",)
    # The starred workshop has no papers: it stays one session event.
    assert event_uid(prog, "sdg-workshop") in views
    assert len(views) == 4


def test_export_negative_alarm_is_refused() -> None:
    with pytest.raises(ExportError, match="alarm"):
        export(sample_program(), sample_stars(), alarm_minutes=-5)


def test_export_text_cannot_break_out_of_its_property() -> None:
    result = export(nasty_program(), Stars(), scope=Scope.ALL, zone="America/St_Johns",
                    alarm_minutes=0)
    lines = result.data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 2 and lines.count(b"END:VEVENT") == 2
    assert not any(line.startswith(b"SUMMARY:injected") for line in lines)
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    for view in read_events(result.data).values():
        assert "\r" not in view.summary and "\n" not in view.summary


def test_export_text_means_the_same_after_the_round_trip() -> None:
    prog = nasty_program()
    result = export(prog, Stars(), scope=Scope.ALL, zone="America/St_Johns")
    views = read_events(result.data)
    first = views[event_uid(prog, "nasty-1")]
    assert first.summary == one_line(NASTY)
    assert "\\Nabla" in first.summary and "😀 👩‍🔬" in first.summary
    assert clean_export_text(prog.sessions[0].description) in first.description
    assert len(prog.sessions[0].description) == 2000
    assert first.location == one_line(NASTY[:60])
    papers = read_events(export(prog, Stars({"p-nasty"}), paper_events=True).data)
    nasty_paper = papers[event_uid(prog, "nasty-1", "p-nasty")]
    assert nasty_paper.url == "https://example.org/a%20path?q=1;x,y"
    assert nasty_paper.summary == one_line(NASTY)
    # A paper event keeps the abstract's first 1,800 characters (cut at a word).
    assert clean_export_text(prog.papers["p-nasty"].abstract)[:1700] in nasty_paper.description


def test_clean_export_text_removes_controls_and_line_breaks() -> None:
    text = "a\x00b\x07c\r\nd\re\u2028f\x85g\x7fh\x9bi\ud800j"
    assert clean_export_text(text) == "abc\nd\ne\nf\nghij"
    assert clean_export_text("tab\there  \n\n\n\nend") == "tab here\n\nend"
    assert one_line(" a \n b\t\tc ") == "a b c"
    assert clip("word " * 50, 30).endswith("…") and len(clip("word " * 50, 30)) <= 30
    assert clip("short", 30) == "short"


def test_write_export_is_atomic_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old")
    result = export(sample_program(), sample_stars(), zone="UTC")
    assert write_export(result, target) == [target]
    assert target.read_bytes() == result.data
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.ics"]  # no temporary left


def test_write_export_failure_leaves_the_old_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old")
    result = export(sample_program(), sample_stars(), zone="UTC")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ExportError, match=r"cannot write .*No space left"):
        write_export(result, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.ics"]


def test_write_export_to_a_folder_without_split_is_refused(tmp_path: Path) -> None:
    result = export(sample_program(), sample_stars(), zone="UTC")
    with pytest.raises(ExportError, match="folder"):
        write_export(result, tmp_path)


def test_split_writes_one_readable_file_per_event(tmp_path: Path) -> None:
    result = export(sample_program(), sample_stars(), zone="Europe/Vienna", split=True)
    written = write_export(result, tmp_path / "out", split=True)
    names = sorted(path.name for path in written)
    assert names == ["2021-05-07-oral-session-12.ics", "2021-05-07-poster-session-12.ics",
                     "2021-05-07-sdg-workshop.ics"]
    merged = {}
    for path in written:
        data = path.read_bytes()
        assert data.count(b"BEGIN:VEVENT") == 1 and b"TZID:Europe/Vienna" in data
        merged.update(read_events(data))
    assert merged == read_events(result.data)


def test_split_names_clash_gets_a_hash(tmp_path: Path) -> None:
    prog = sample_program()
    prog.sessions[1].title = prog.sessions[0].title
    result = export(prog, sample_stars(), zone="UTC", split=True)
    names = set(result.files)
    assert len(names) == 3
    assert "2021-05-07-poster-session-12.ics" in names
    assert any(name.startswith("2021-05-07-poster-session-12-") for name in names)


def test_stars_from_ics_restores_the_same_stars() -> None:
    prog = sample_program()
    stars = sample_stars()
    result = export(prog, stars, zone="Pacific/Chatham")
    found = stars_from_ics(prog, [result.data])
    scheduled_stars = stars.ids - {"keynote"}  # the keynote has no time, so no event
    assert set(found.ids) == scheduled_stars
    assert found.matched == found.events == 3


def test_stars_from_ics_of_an_all_export_stars_only_what_was_starred() -> None:
    prog = sample_program()
    result = export(prog, Stars({"p-co2"}), scope=Scope.ALL, zone="UTC")
    assert stars_from_ics(prog, [result.data]).ids == ["p-co2"]


def test_stars_from_ics_without_planner_properties_uses_the_uid() -> None:
    prog = sample_program()
    result = export(prog, sample_stars(), zone="UTC", paper_events=True)
    stripped = b"\r\n".join(line for line in result.data.split(b"\r\n")
                            if not line.startswith(b"X-PLANNER"))
    found = stars_from_ics(prog, [stripped])
    assert set(found.ids) == {"p-mars", "p-lead", "sdg-workshop"}


def test_stars_from_ics_of_another_program_matches_nothing() -> None:
    other = sample_program()
    other.key = "another-conference"
    result = export(other, sample_stars(), zone="UTC")
    found = stars_from_ics(sample_program(), [result.data])
    assert found.ids == [] and found.matched == 0 and found.events == 3


def test_export_stamp_given_is_written() -> None:
    import icalendar

    result = export(sample_program(), sample_stars(), zone="UTC")
    event = icalendar.Calendar.from_ical(result.data).walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == STAMP


def test_export_time_in_a_fold_is_written_in_utc() -> None:
    prog = nasty_program("America/St_Johns")
    result = export(prog, Stars(), scope=Scope.ALL, zone="America/St_Johns")
    fold = read_events(result.data)[event_uid(prog, "nasty-2")]
    # 01:30 on 7 Nov 2021 happens twice in St John's; the first one (NDT, -02:30) is meant.
    assert fold.tzid == "UTC"
    assert fold.start == dt.datetime(2021, 11, 7, 4, 0, tzinfo=dt.UTC)
    assert any("happens twice" in warning for warning in result.warnings)
    assert read_events(result.data)[event_uid(prog, "nasty-1")].tzid == "America/St_Johns"


@settings(max_examples=80, deadline=None)
@given(title=st.text(max_size=200), description=st.text(max_size=2000),
       room=st.text(max_size=80))
@example(title="\ufeff", description="\ufeffx", room="\ufeff")  # a BOM alone: found by CI
def test_export_any_text_survives_the_round_trip(title: str, description: str,
                                                 room: str) -> None:
    prog = sample_program()
    workshop = prog.session("sdg-workshop")
    workshop.title, workshop.description, workshop.room = title, description, room
    result = export(prog, Stars(), scope=Scope.IDS, ids=("sdg-workshop",), zone="Europe/Vienna")
    (view,) = read_events(result.data).values()
    assert view.summary == (one_line(title) or "Workshop")
    assert clean_export_text(description) in view.description
    assert view.location == one_line(room)
    assert result.data.split(b"\r\n").count(b"BEGIN:VEVENT") == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", ""])
def test_export_only_web_links_become_urls(url: str) -> None:
    from planner.core.model import Link

    prog = sample_program()
    prog.session("sdg-workshop").links = [Link(url)]
    result = export(prog, Stars(), scope=Scope.IDS, ids=("sdg-workshop",), zone="UTC")
    (view,) = read_events(result.data).values()
    assert view.url == "" and (not url or url not in view.description)


def test_stars_from_ics_refuses_garbage() -> None:
    from planner.core.errors import PlannerError

    with pytest.raises(PlannerError, match="iCalendar"):
        stars_from_ics(sample_program(), [b"BEGIN:VCALENDAR\r\nnot a calendar\r\n"])
    # Cut short: read as far as it goes, nothing matches.
    cut = stars_from_ics(sample_program(), [b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"])
    assert cut.matched == 0 and cut.ids == []


def test_stars_from_ics_keeps_a_session_star_of_a_paper_events_export() -> None:
    prog = sample_program()
    stars = Stars({"poster-session-12", "p-co2"})
    result = export(prog, stars, zone="UTC", paper_events=True)
    assert len(read_events(result.data)) == 1  # the starred paper's slot stands for both
    assert set(stars_from_ics(prog, [result.data]).ids) == stars.ids


@pytest.mark.parametrize("zone_name", ["Pacific/Chatham", "America/St_Johns", "UTC"])
def test_export_all_day_session_keeps_its_days_in_any_zone(zone_name: str) -> None:
    prog = day_program()
    result = export(prog, Stars(), scope=Scope.ALL, zone=zone_name)
    exhibition = read_events(result.data)[event_uid(prog, "exhibition")]
    assert exhibition.tzid == "DATE"
    assert (exhibition.start.date(), exhibition.end.date()) == (dt.date(2021, 5, 7),
                                                                  dt.date(2021, 5, 9))
    assert "DTSTART;VALUE=DATE:20210507" in result.data.decode()
    assert "estimated" not in exhibition.description


def test_export_only_whole_days_needs_no_vtimezone() -> None:
    prog = day_program()
    result = export(prog, Stars(), scope=Scope.IDS, ids=("exhibition",), zone="Europe/Vienna",
                    split=True)
    assert b"VTIMEZONE" not in result.data
    assert all(b"VTIMEZONE" not in data for data in result.files.values())
    assert list(result.files) == ["2021-05-07-exhibition.ics"]


def test_export_cancelled_session_says_so() -> None:
    prog = day_program()
    views = read_events(export(prog, Stars(), scope=Scope.ALL, zone="Europe/Vienna").data)
    cancelled = views[event_uid(prog, "cancelled-talk")]
    assert cancelled.status == "CANCELLED"
    assert cancelled.summary == "Cancelled: Cancelled Talk"
    assert cancelled.description.startswith("Cancelled by the organizers.")
    assert views[event_uid(prog, "normal-talk")].status == "CONFIRMED"
