"""iCalendar feeds: the real conference feeds, the conformance corpus (valid opens; invalid is a
clear error or opens with warnings), zones (IANA, VTIMEZONE, Windows, floating, UTC), recurrence
(bounded; checked against dateutil), duplicate UIDs, BOM/CRLF/long lines."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from planner.core.errors import ProgramError
from planner.core.model import Program, SessionKind
from planner.importers import ImportOptions, detect_format, load_program
from planner.importers.ical import iana_name, parse, sniff
from planner.importers.recurrence import expand, parse_rule
from tests.work import count_calls, no_hang

UTC = dt.UTC
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFORMANCE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / \
    "ical-conformance"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def calendar(*lines: str, newline: str = "\r\n", header: tuple[str, ...] = ()) -> str:
    return newline.join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//planner tests//EN",
                         *header, *lines, "END:VCALENDAR", ""])


def vevent(uid: str, start: str, *more: str, summary: str = "Talk") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20240101T000000Z", start,
            f"SUMMARY:{summary}", *more, "END:VEVENT"]


def ics(text: str, options: ImportOptions | None = None) -> Program:
    return parse(text, options or ImportOptions(), "test.ics")


def starts(program: Program) -> list[dt.datetime]:
    return [s.start for s in program.sessions if s.start is not None]


# -- real feeds --------------------------------------------------------------------------------
def test_linux_conf_au_tzid_without_vtimezone(shared_data: Path) -> None:
    path = shared_data / "ics" / "ics_linux-conf-au2020.ics"
    assert detect_format(path.read_text(encoding="utf-8")) == "ics"
    program = load_program(path)
    assert len(program.sessions) == 262
    assert program.name == "linux.conf.au 2020"
    assert program.source_zone == "Australia/Brisbane"  # X-WR-TIMEZONE
    assert not program.zone_guessed
    welcome = program.session("u-94")  # UID 94@lca2020.linux.org.au; the shared domain dropped
    # DTSTART;TZID=Australia/Brisbane:20200115T090000 (+10:00, no DST) = 23:00Z the day before.
    assert welcome.start == utc(2020, 1, 14, 23, 0)
    assert welcome.end == utc(2020, 1, 14, 23, 10)
    assert not welcome.floating
    assert welcome.title == "Wednesday Welcome"
    assert welcome.room == "Arena"
    assert welcome.speakers == ["Joel Addison"]  # "Speaker: Joel Addison" in the description
    assert welcome.guid == "94@lca2020.linux.org.au"
    assert welcome.links[0].url == "http://lca2020.linux.org.au/schedule/presentation/221/"
    breakfast = program.session("u-201")
    assert breakfast.start == utc(2020, 1, 13, 21, 0)  # 20200114T070000 Brisbane
    assert "Women of Open Technology Breakfast" in breakfast.description
    assert "<p>" not in breakfast.description


def test_kielux_utc_only(shared_data: Path) -> None:
    program = load_program(shared_data / "ics" / "ics_kielux2020.ics")
    assert len(program.sessions) == 24
    assert program.source_zone == "UTC"
    assert program.zone_guessed  # UTC times and no zone hint: exact instants, zone unknown
    talk = program.session("u-460")
    assert talk.start == utc(2020, 9, 18, 11, 0)  # DTSTART:20200918T110000Z
    assert talk.end == utc(2020, 9, 18, 12, 0)
    assert talk.title == "OpenCelium - Der generische OpenSoure API-Hub"
    assert talk.speakers == ["Jakob Semere"]  # ATTENDEE;CN=...
    assert talk.room == "Ravensberg"
    assert "Sie möchten wertvolle Daten" in talk.description


def test_moca_malformed_feed(shared_data: Path) -> None:
    program = load_program(shared_data / "ics" / "ics_moca2024-camp_malformed.ics")
    # 88 VEVENTs, 67 of them with UID:46939: all kept, each with its own id.
    assert len(program.sessions) == 88
    assert len({s.id for s in program.sessions}) == 88
    assert sum(1 for s in program.sessions if s.id.startswith("u-46939")) == 67
    assert any("share" in w and "46939" in w for w in program.warnings)
    # The bogus "VTIMEZONE: Europe/Rome" line names the zone; times are UTC (exact).
    assert program.source_zone == "Europe/Rome"
    assert any("VTIMEZONE: Europe/Rome" in w for w in program.warnings)
    closing = next(s for s in program.sessions if s.title == "Closing ceremony")
    assert closing.start == utc(2024, 9, 15, 13, 0)  # DTSTART:20240915T130000Z
    assert closing.room == "XOR"  # "LOCATION: XOR", leading space dropped
    assert closing.kind is SessionKind.REMARKS
    assert closing.guid == ""  # a UID shared by 67 events identifies nothing
    # The organizer differs per event: it is the speaker.
    forensics = next(s for s in program.sessions
                     if s.title == "Digital Forensics ed investigazioni digitali")
    assert forensics.speakers == ["Luca Mercatanti"]


# -- the conformance corpus ---------------------------------------------------------------------
def _corpus(kind: str) -> list[Path]:
    folder = CONFORMANCE / kind
    return sorted(folder.glob("*.ics")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _corpus("valid"), ids=lambda p: p.name)
def test_every_valid_file_opens(path: Path, shared_data: Path) -> None:
    program = load_program(path)
    assert program.source_format == "ics"
    for session in program.sessions:
        assert session.start is None or session.start.tzinfo is not None


@pytest.mark.parametrize("path", _corpus("invalid"), ids=lambda p: p.name)
def test_every_invalid_file_is_a_clear_error_or_warned(path: Path, shared_data: Path) -> None:
    try:
        program = load_program(path)
    except ProgramError as error:
        assert str(error).startswith(str(path))
        assert error.message
        return
    assert program.warnings, "an invalid file that opens must say what is wrong"


def test_conformance_folder_is_present(shared_data: Path) -> None:
    assert len(_corpus("valid")) == 24
    assert len(_corpus("invalid")) == 16


def test_conformance_instants(shared_data: Path) -> None:
    valid = shared_data / "ical-conformance" / "valid"
    friday = load_program(valid / "ical4j-valid_friday13.ics")
    # DTSTART 1997-09-02 09:00 US/Eastern is EXDATE'd; the Friday-the-13ths within a year:
    # 13 Feb and 13 Mar 1998, 09:00 EST (-05:00) = 14:00Z, each 24 h long.
    assert starts(friday) == [utc(1998, 2, 13, 14, 0), utc(1998, 3, 13, 14, 0)]
    assert friday.sessions[0].duration == dt.timedelta(hours=24)
    assert any("up to a year" in w for w in friday.warnings)

    brisbane = load_program(valid / "ical4j-valid_EXDATE.ics")
    # Daily, COUNT=7 from 1 Jan 2006 12:00 Brisbane (+10), 3 and 4 Jan excluded.
    assert starts(brisbane) == [utc(2006, 1, d, 2, 0) for d in (1, 2, 5, 6, 7)]

    eastern = load_program(valid / "ical4j-valid_calconnect7.ics")
    # TZID=Eastern (Lotus), defined only by the file's VTIMEZONE: 11:00 EDT = 15:00Z.
    assert starts(eastern) == [utc(2005, 4, 28, 15, 0)]

    missing = load_program(valid / "icalendar-valid_issue_722_missing_timezones.ics")
    first = missing.sessions[0]
    # DTSTART New York 08:00 EDT = 12:00Z; DTEND Los Angeles 08:00 PDT = 15:00Z.
    assert first.start == utc(2014, 8, 29, 12, 0)
    assert first.end == utc(2014, 8, 29, 15, 0)
    # RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20240913T120000/PT2H = 10:00Z for 2 h.
    rdate = missing.sessions[1]
    assert rdate.start == utc(2024, 9, 13, 10, 0)
    assert rdate.duration == dt.timedelta(hours=2)

    fiji = load_program(valid / "icalendar-valid_pacific_fiji.ics")
    assert starts(fiji) == [utc(2014, 8, 28, 20, 0)]  # 08:00 +12:00

    custom = load_program(valid / "icalendar-valid_issue_722_timezone_transition_ambiguity.ics")
    by_uid = {s.guid: s.start for s in custom.sessions}
    assert by_uid["0"] == utc(2024, 3, 2, 20, 0)  # winter, +12
    assert by_uid["1"] == utc(2024, 8, 2, 22, 0)  # summer, +10

    berlin = load_program(valid / "ical4j-valid_dst-only-vtimezone.ics")
    assert starts(berlin) == [utc(2018, 4, 3, 7, 0)]  # 09:00 CEST
    assert berlin.source_zone == "Europe/Berlin"

    brasilia = load_program(
        valid / "icalendar-valid_issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics")
    assert starts(brasilia) == [utc(2017, 5, 11, 16, 30)]  # 13:30 -03:00

    holidays = load_program(valid / "ical4j-valid_google_aus_holidays.ics")
    # Every DTSTART is a date, even with a TZID (DTSTART;TZID=America/Los_Angeles:20041226).
    assert all(s.all_day for s in holidays.sessions)
    assert all(s.duration == dt.timedelta(days=1) for s in holidays.sessions)
    boxing = [s for s in holidays.sessions if s.title == "Boxing Day"]
    assert boxing[0].start == utc(2004, 12, 26, 8, 0)  # midnight in the program zone (PST)
    assert holidays.source_zone == "US/Pacific"  # the TZID of 85 of the 96 events

    blank = load_program(valid / "ical4j-valid_blankTzid.ics")
    assert blank.sessions[0].floating
    assert any("empty TZID" in w for w in blank.warnings)

    khal = load_program(valid / "icalendar-valid_issue_156_RDATE_with_PERIOD_TZID_khal.ics")
    # RDATE;TZID="Central Standard Time" (a Windows name) = America/Chicago: 08:00 CDT = 13:00Z.
    assert len(khal.sessions) == 19
    assert utc(2018, 7, 31, 13, 0) in starts(khal)


def test_broken_dtstart_is_a_clear_error(shared_data: Path) -> None:
    path = shared_data / "ical-conformance" / "invalid" / "icalendar-invalid_broken_dtstart.ics"
    with pytest.raises(ProgramError) as info:
        load_program(path)
    assert info.value.line == 4
    assert "INVALID-DATE" in str(info.value)


def test_truncated_file_is_a_clear_error(shared_data: Path) -> None:
    path = shared_data / "ical-conformance" / "invalid" / "icalendar-invalid_small_bad_calendar.ics"
    with pytest.raises(ProgramError, match="cut short"):
        load_program(path)


# -- zones ---------------------------------------------------------------------------------------
def test_iana_wins_over_a_disagreeing_vtimezone() -> None:
    program = load_program(FIXTURES / "ics_vtimezone_disagrees.ics")
    talk = program.sessions[0]
    # The file says Vienna is always +01:00; IANA says 10 Jul 2024 is CEST (+02:00): 08:00Z.
    assert talk.start == utc(2024, 7, 10, 8, 0)
    assert talk.end == utc(2024, 7, 10, 9, 0)
    warning = next(w for w in program.warnings if "IANA" in w)
    assert "UTC+01:00" in warning and "UTC+02:00" in warning
    assert "the IANA rules are used" in warning


def test_agreeing_vtimezone_gives_no_warning() -> None:
    text = calendar("BEGIN:VTIMEZONE", "TZID:Asia/Kolkata", "BEGIN:STANDARD",
                    "DTSTART:19700101T000000", "TZOFFSETFROM:+0530", "TZOFFSETTO:+0530",
                    "END:STANDARD", "END:VTIMEZONE",
                    *vevent("a", "DTSTART;TZID=Asia/Kolkata:20210507T053000"))
    program = ics(text)
    assert starts(program) == [utc(2021, 5, 7, 0, 0)]
    assert not any("IANA" in w for w in program.warnings)


@pytest.mark.parametrize(("tzid", "expected"), [
    ("Europe/Vienna", "Europe/Vienna"), ("W. Europe Standard Time", "Europe/Berlin"),
    ("/softwarestudio.org/Olson_20011030_5/Pacific/Auckland", "Pacific/Auckland"),
    ("America/Los Angeles", "America/Los_Angeles"), ("US/Eastern", "US/Eastern"),
    ('"Asia/Kathmandu"', "Asia/Kathmandu"), ("Eastern", None), ("", None),
])
def test_tzid_names_map_to_iana(tzid: str, expected: str | None) -> None:
    assert iana_name(tzid) == expected


def test_windows_tzid_without_vtimezone() -> None:
    program = ics(calendar(*vevent("a", "DTSTART;TZID=W. Europe Standard Time:20210507T100000",
                                   "DTEND;TZID=W. Europe Standard Time:20210507T110000")))
    assert starts(program) == [utc(2021, 5, 7, 8, 0)]  # Berlin, CEST


def test_unknown_tzid_without_vtimezone_uses_the_program_zone() -> None:
    program = ics(calendar(*vevent("a", "DTSTART;TZID=Mars/Olympus:20210507T100000"),
                           header=("X-WR-TIMEZONE:Asia/Kathmandu",)))
    session = program.sessions[0]
    assert session.start == utc(2021, 5, 7, 4, 15)  # 10:00 +05:45
    assert session.floating
    assert any("Mars/Olympus" in w for w in program.warnings)


def test_floating_times_follow_x_wr_timezone_and_the_program_zone() -> None:
    program = ics(calendar(*vevent("a", "DTSTART:20210328T023000"),
                           header=("X-WR-TIMEZONE:Europe/Vienna",)))
    session = program.sessions[0]
    # 02:30 on 28 Mar 2021 does not exist in Vienna: after the jump, 03:30 CEST = 01:30Z.
    assert session.start == utc(2021, 3, 28, 1, 30)
    assert session.floating
    assert session.end_estimated
    assert any("does not exist" in w for w in program.warnings)
    program.change_source_zone("UTC")
    assert program.sessions[0].start == utc(2021, 3, 28, 3, 30)


def test_user_zone_reads_floating_times() -> None:
    program = ics(calendar(*vevent("a", "DTSTART:20210507T020000")),
                  ImportOptions(source_zone="Pacific/Apia"))
    assert program.source_zone == "Pacific/Apia"
    assert starts(program) == [utc(2021, 5, 6, 13, 0)]  # Apia is +13


def test_all_day_events_span_their_days() -> None:
    program = ics(calendar(*vevent("a", "DTSTART;VALUE=DATE:20210507",
                                   "DTEND;VALUE=DATE:20210509"),
                           header=("X-WR-TIMEZONE:Australia/Adelaide",)))
    session = program.sessions[0]
    assert session.all_day
    assert session.floating
    assert session.start == utc(2021, 5, 6, 14, 30)  # midnight +09:30
    assert session.duration == dt.timedelta(days=2)


# -- recurrence ----------------------------------------------------------------------------------
def test_weekly_rule_keeps_wall_clock_across_dst() -> None:
    program = ics(calendar(*vevent("w", "DTSTART;TZID=Europe/Berlin:20210318T100000",
                                   "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=3")))
    # 18 Mar (CET), 25 Mar (CET), 1 Apr (CEST): 10:00 local each time.
    assert starts(program) == [utc(2021, 3, 18, 9, 0), utc(2021, 3, 25, 9, 0),
                               utc(2021, 4, 1, 8, 0)]
    assert [s.id for s in program.sessions] == ["u-w", "u-w-20210325t1000",
                                                "u-w-20210401t1000"]


def test_exdate_and_recurrence_id_override() -> None:
    program = ics(calendar(
        *vevent("d", "DTSTART:20210507T090000Z", "DURATION:PT30M",
                "RRULE:FREQ=DAILY;COUNT=4", "EXDATE:20210508T090000Z", summary="Standup"),
        *vevent("d", "DTSTART:20210509T150000Z", "DURATION:PT30M",
                "RECURRENCE-ID:20210509T090000Z", summary="Standup (moved)")))
    assert [(s.start, s.title) for s in program.sessions] == [
        (utc(2021, 5, 7, 9, 0), "Standup"), (utc(2021, 5, 9, 15, 0), "Standup (moved)"),
        (utc(2021, 5, 10, 9, 0), "Standup")]


def test_unbounded_rule_is_cut_at_a_year_and_warned() -> None:
    program = ics(calendar(*vevent("y", "DTSTART:20210507T090000Z", "RRULE:FREQ=DAILY")))
    assert len(program.sessions) == 367  # 7 May 2021 to 8 May 2022 (366 days later)
    assert any("up to a year" in w for w in program.warnings)


def test_impossible_and_unsupported_rules_are_cheap() -> None:
    with count_calls() as calls:
        program = ics(calendar(
            *vevent("a", "DTSTART:20210507T090000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"),
            *vevent("b", "DTSTART:20210507T090000Z", "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"),
            *vevent("c", "DTSTART:20210507T090000Z", "RRULE:FREQ=SECONDLY"),
            *vevent("d", "DTSTART:20210507T090000Z", "RRULE:FREQ=YEARLY;BYWEEKNO=20")))
    # dateutil alone searches each of these to the year 9999 (millions of calls); about 12,000
    # here, the daily rule cut at a year about 70,000.
    assert calls.count < 100_000
    assert len(program.sessions) == 4  # only the first occurrences
    assert any("FREQ=SECONDLY" in w for w in program.warnings)
    assert any("BYWEEKNO" in w for w in program.warnings)


RULES = [
    "FREQ=DAILY;COUNT=10", "FREQ=DAILY;INTERVAL=2", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
    "FREQ=MONTHLY;BYDAY=-1SU", "FREQ=MONTHLY;BYDAY=1MO,3MO", "FREQ=YEARLY",
    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=YEARLY;BYDAY=20MO", "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=YEARLY;BYYEARDAY=1,100,-1",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=DAILY;BYHOUR=9,14;BYMINUTE=0,30",
    "FREQ=HOURLY;INTERVAL=3;COUNT=20", "FREQ=HOURLY;BYHOUR=9,10,11;BYDAY=MO",
    "FREQ=WEEKLY;UNTIL=20210301T000000", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=WEEKLY;INTERVAL=3;COUNT=10;WKST=SU;BYDAY=TU,SU",
    "FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=-7,-6,-5,-4,-3,-2,-1",
    "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYDAY=SU;BYHOUR=8,9;BYMINUTE=30",
]


@pytest.mark.parametrize("start", [dt.datetime(2021, 1, 5, 9, 0), dt.datetime(2020, 2, 29, 10, 15),
                                   dt.datetime(2021, 3, 31, 23, 0)], ids=str)
@pytest.mark.parametrize("rule_text", RULES)
def test_expansion_matches_dateutil(rule_text: str, start: dt.datetime) -> None:
    """dateutil is the oracle for rules that do end or match (it loops on the others)."""
    import icalendar

    parts = icalendar.vRecur.from_ical(rule_text)
    until = None
    if "UNTIL" in parts:
        until = parts["UNTIL"][0].replace(tzinfo=None)
    horizon = start + dt.timedelta(days=366)
    mine = expand(parse_rule(parts, until), start, horizon, 500).occurrences
    oracle = rrulestr(rule_text, dtstart=start)
    expected = sorted({start, *(x for x in itertools.islice(oracle, 600) if x <= horizon)})
    if "COUNT" in parts:  # RFC 5545: DTSTART is the first of COUNT occurrences
        expected = sorted({start, *oracle})[:parts["COUNT"][0]]
        expected = [x for x in expected if x <= horizon]
    assert mine == expected[:500]


# -- text, UIDs, form ------------------------------------------------------------------------------
def test_duplicate_uids_keep_all_with_distinct_stable_ids() -> None:
    lines = [*vevent("same", "DTSTART:20210507T090000Z", summary="One"),
             *vevent("same", "DTSTART:20210507T100000Z", summary="Two")]
    program = ics(calendar(*lines))
    ids = [s.id for s in program.sessions]
    assert ids[0] == "u-same" and ids[1].startswith("u-same-") and len(set(ids)) == 2
    assert [s.id for s in ics(calendar(*lines)).sessions] == ids
    assert any("share" in w for w in program.warnings)


def test_bom_crlf_lf_and_long_lines_read_alike() -> None:
    description = "DESCRIPTION:" + "word " * 400  # 2000 octets on one unfolded line
    lines = vevent("x", "DTSTART:20210507T090000Z", description, "LOCATION:Hall 1")
    crlf = ics("\ufeff" + calendar(*lines))
    lf = ics(calendar(*lines, newline="\n"))
    for program in (crlf, lf):
        session = program.sessions[0]
        assert session.start == utc(2021, 5, 7, 9, 0)
        assert session.room == "Hall 1"
        assert len(session.description) == len(("word " * 400).strip())


def test_cancelled_status_and_categories() -> None:
    program = ics(calendar(*vevent("c", "DTSTART:20210507T090000Z", "STATUS:CANCELLED",
                                   "CATEGORIES:Workshop,Security", summary="Lockpicking")))
    session = program.sessions[0]
    assert session.cancelled
    assert session.kind is SessionKind.WORKSHOP
    assert session.track == "Workshop"


def test_events_outside_a_calendar_and_no_events() -> None:
    loose = ics("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20210507T090000Z\r\nSUMMARY:X\r\n"
                "END:VEVENT\r\n")
    assert len(loose.sessions) == 1
    assert any("not inside a VCALENDAR" in w for w in loose.warnings)
    empty = ics(calendar())
    assert empty.sessions == []
    assert "the calendar has no events" in empty.warnings


def test_nesting_bomb_is_refused() -> None:
    text = "BEGIN:VCALENDAR\r\n" * 50 + "END:VCALENDAR\r\n" * 50
    with pytest.raises(ProgramError, match="nest"):
        ics(text)


def test_sniff() -> None:
    assert sniff("\ufeff\r\nBEGIN:VCALENDAR\r\n")
    assert sniff("begin:vcalendar\n")
    assert not sniff("<schedule/>")


# -- hostile zones ---------------------------------------------------------------------------------
def _zone(tzid: str, *rules: str) -> list[str]:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD", "DTSTART:19701025T030000",
             "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", *rules, "END:STANDARD", "END:VTIMEZONE"]
    return lines


@pytest.mark.parametrize("rules", [
    ("RRULE:FREQ=YEARLY;INTERVAL=0;BYDAY=-1SU;BYMONTH=10",),  # dateutil never returns
    ("RRULE:FREQ=YEARLY;INTERVAL=-0;BYDAY=3SA;BYMONTH=2",),
    ("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",),  # never matches: a search to year 9999
    ("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",),
    tuple("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" for _ in range(500)),
], ids=["interval-0", "interval-minus-0", "impossible-yearly", "daily", "500-rules"])
def test_vtimezone_rules_that_stall_dateutil_are_ignored(rules: tuple[str, ...]) -> None:
    text = calendar(*_zone("Custom", *rules),
                    *vevent("a", "DTSTART;TZID=Custom:20210507T100000"))
    with no_hang(), count_calls() as calls:
        program = ics(text)
    assert calls.count < 1_000_000  # 90,000-170,000; dateutil's search, millions or endless
    assert any("VTIMEZONE 'Custom' was ignored" in w for w in program.warnings)
    assert program.sessions[0].floating  # read in the program's zone instead


def test_sane_vtimezone_rule_is_kept() -> None:
    program = ics(calendar(*_zone("Custom", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
                           *vevent("a", "DTSTART;TZID=Custom:20210107T100000")))
    assert starts(program) == [utc(2021, 1, 7, 9, 0)]  # +01:00 from the file's own rule
    assert not any("ignored" in w for w in program.warnings)


@pytest.mark.parametrize("tzid", ["America", "Europe/", "a" * 300])
def test_tzids_the_library_cannot_look_up(tzid: str) -> None:
    program = ics(calendar(*vevent("a", f'DTSTART;TZID="{tzid}":20210507T100000'),
                           header=("X-WR-TIMEZONE:Europe/Vienna",)))
    session = program.sessions[0]
    assert session.start == utc(2021, 5, 7, 8, 0)  # read in the program's zone
    assert session.floating
    assert all(len(w) < 400 for w in program.warnings)


@pytest.mark.parametrize("text", [
    calendar("TZ: a" + " " * 200_000 + "x", *vevent("a", "DTSTART:20210507T100000Z")),
    calendar(*("BEGIN:VTIMEZONE", "END:X") * 5_000),
    calendar("BEGIN:VTIMEZONE", "TZID:x", *("BEGIN:STANDARD", "END:X") * 5_000,
             "END:VTIMEZONE"),
    calendar("X-WR-TIMEZONE:" + "Europe/" * 100_000, *vevent("a", "DTSTART:20210507T100000")),
    calendar(*vevent("a", 'DTSTART;TZID="' + "a/" * 100_000 + '":20210507T100000')),
    calendar(*vevent("a", "DTSTART:20210507T100000Z",
                     "DESCRIPTION:" + "<p " * 100_000, "URL:https://x.org/" + "a" * 500_000)),
], ids=["long-zone-line", "unclosed-vtimezones", "unclosed-parts", "long-x-wr-timezone",
        "long-tzid", "hostile-description"])
def test_hostile_text_is_read_in_bounded_time(text: str) -> None:
    with no_hang(), count_calls() as calls, contextlib.suppress(ProgramError):
        ics(text)
    # Linear work: up to ~360 calls per line (10,000 unclosed parts), a few thousand for a
    # long line; a loop over every character of a 200,000-character line would pass the bound.
    assert calls.count < 1_000 * text.count("\n") + 100_000
