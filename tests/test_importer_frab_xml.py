"""frab/Pentabarf XML: the real programs (counts and instants worked out by hand from the
files), and small hand-written documents for the rules (day_change, zones, ids, text, links)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.core.model import Program, SessionKind
from planner.importers import ImportOptions, detect_format, load_program, parse_text
from planner.importers.frab_xml import parse, sniff
from tests.work import count_calls, no_hang

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def xml_program(body: str, conference: str = "<title>Test Conf</title>",
                options: ImportOptions | None = None) -> Program:
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<schedule>\n'
            f"<conference>{conference}</conference>\n{body}\n</schedule>\n")
    return parse(text, options or ImportOptions(), "test.xml")


def event_xml(event_id: str, start: str, *, duration: str = "00:30", extra: str = "",
              title: str = "A talk", guid: str = "") -> str:
    guid_attr = f' guid="{guid}"' if guid else ""
    return (f'<event id="{event_id}"{guid_attr}><start>{start}</start>'
            f"<duration>{duration}</duration><title>{title}</title>{extra}</event>")


# -- real programs -----------------------------------------------------------------------------
def open_real(shared_data: Path, name: str) -> Program:
    return load_program(shared_data / "frab-xml" / name)


def test_fosdem2020_counts_and_first_talk(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_fosdem2020.xml")
    assert detect_format((shared_data / "frab-xml" / "frab-xml_fosdem2020.xml")
                         .read_text(encoding="utf-8")) == "frab-xml"
    assert len(program.sessions) == 872
    assert program.name == "FOSDEM 2020"
    assert program.key == "fosdem-2020"
    # No time_zone_name: the city (Brussels) gives the zone, as a guess the user is told of.
    assert program.source_zone == "Europe/Brussels"
    assert program.zone_guessed
    assert any("Brussels" in w for w in program.warnings)
    welcome = program.session("e-9025")
    # Sat 1 Feb 2020 09:30 Europe/Brussels (CET, +01:00) = 08:30Z; 25 minutes.
    assert welcome.start == utc(2020, 2, 1, 8, 30)
    assert welcome.end == utc(2020, 2, 1, 8, 55)
    assert welcome.floating  # wall-clock times without an offset follow the source zone
    assert welcome.room == "Janson"
    assert welcome.track == "Keynotes"
    assert welcome.kind is SessionKind.INVITED_TALK  # <type>keynote</type>
    assert welcome.speakers == ["FOSDEM Staff"]
    assert welcome.description == "FOSDEM welcome and opening talk.\n\nWelcome to FOSDEM 2020!"
    assert [link.url for link in welcome.links][:1] == [
        "https://video.fosdem.org/2020/Janson/keynotes_welcome.webm"]
    # Sun 2 Feb 09:00 Janson "Open Source Under Attack" = 08:00Z, three speakers.
    attack = program.session("e-9394")
    assert attack.start == utc(2020, 2, 2, 8, 0)
    assert attack.speakers == ["Chris Aniszczyk", "Max Sills", "Michael Cheng"]
    assert program.scheduled[0].start == utc(2020, 2, 1, 8, 30)
    assert len(program.rooms) == 35


def test_fosdem2010_legacy_events_directly_under_day(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_fosdem2010.xml")
    assert len(program.sessions) == 301
    asterisk = program.session("e-20")
    # 2010-02-06 16:40 Brussels (+01:00) = 15:40Z, 15 minutes, no <room> wrapper.
    assert asterisk.start == utc(2010, 2, 6, 15, 40)
    assert asterisk.end == utc(2010, 2, 6, 15, 55)
    assert asterisk.room == "Ferrer"
    assert asterisk.track == "Lightning Talks"
    assert asterisk.kind is SessionKind.TALK  # empty <type>: frab's default, a lecture
    assert asterisk.speakers == ["Mark Michelson"]
    # Entity-escaped HTML with &#xA; becomes plain text; &amp;#39; is an apostrophe.
    assert asterisk.description.startswith("A brief introduction to the tools used in Asterisk")
    assert "PBX's" in asterisk.description
    assert "<p>" not in asterisk.description
    assert asterisk.source_line == 15


def test_fosdem2021_no_zone_no_city_reads_brussels_as_a_guess(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_fosdem2021.xml")
    assert len(program.sessions) == 773
    assert program.source_zone == "Europe/Brussels"
    assert program.zone_guessed
    # 2021-02-06 09:00 Brussels = 08:00Z.
    assert program.session("e-11795").start == utc(2021, 2, 6, 8, 0)
    assert program.session("e-11795").title == "Welcome to FOSDEM 2021"


def test_fosdem2025_time_zone_name_and_dates_with_offsets(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_fosdem2025.xml")
    assert len(program.sessions) == 943
    assert program.source_zone == "Europe/Brussels"
    assert not program.zone_guessed
    assert program.key == "fosdem-2025"
    talk = program.session("e-6210")
    # <date>2025-02-01T10:35:00+01:00</date> = 09:35Z; explicit offset: not floating.
    assert talk.start == utc(2025, 2, 1, 9, 35)
    assert talk.end == utc(2025, 2, 1, 10, 0)
    assert not talk.floating
    assert talk.guid == "852280ac-61d3-588c-b74c-8d87f9d9d2c6"
    assert talk.language == "en"
    assert talk.speakers == ["Mikhail Gudim"]


def test_38c3_after_midnight_events_keep_their_dated_instant(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_38c3.xml")
    assert len(program.sessions) == 1007
    assert program.source_zone == "Europe/Berlin"
    opening = program.session("e-2")
    # 2024-12-27T10:30:00+01:00 = 09:30Z ("Ceremony" -> remarks).
    assert opening.start == utc(2024, 12, 27, 9, 30)
    assert opening.kind is SessionKind.REMARKS
    night = program.session("e-215")
    # In <day date="2024-12-27"> but dated 2024-12-28T01:10:00+01:00 = 00:10Z, 1:30 long.
    assert night.start == utc(2024, 12, 28, 0, 10)
    assert night.end == utc(2024, 12, 28, 1, 40)


def test_36c3_merged_no_zone_and_repeated_ids(shared_data: Path) -> None:
    program = open_real(shared_data, "frab-xml_36c3-merged_giggity.xml")
    assert len(program.sessions) == 1351
    assert len({s.id for s in program.sessions}) == 1351
    # Only offsets (+01:00) and no city: a fixed-offset zone, flagged as a guess.
    assert program.source_zone == "Etc/GMT-1"
    assert program.zone_guessed
    opening = program.session("e-11223")
    assert opening.start == utc(2019, 12, 27, 10, 0)  # 11:00+01:00
    assert opening.speakers == ["bleeptrack", "blinry"]
    # Event id 367 appears twice (a repeated workshop): both are kept, with distinct ids.
    repeated = [s for s in program.sessions if s.id.startswith("e-367")]
    assert len(repeated) == 2
    assert {s.start for s in repeated} == {utc(2019, 12, 27, 15, 10), utc(2019, 12, 27, 16, 15)}
    assert any("repeat an id" in w for w in program.warnings)
    kinds = Counter(s.kind for s in program.sessions)
    assert kinds[SessionKind.WORKSHOP] > 200  # workshop, hands-on, Workshop 1 hour
    assert kinds[SessionKind.OTHER] > 0  # meeting, discussion, Session...


# -- rules, on small documents ------------------------------------------------------------------
def test_day_change_puts_night_events_on_the_next_date() -> None:
    program = xml_program(
        '<day index="1" date="2020-02-01"><room name="Bar">'
        + event_xml("1", "23:30") + event_xml("2", "01:00") + event_xml("3", "09:00")
        + "</room></day>",
        "<title>Night Conf</title><city>Brussels</city><day_change>09:00:00</day_change>")
    # 23:30 on the 1st; 01:00 is the night after (the 2nd); 09:00 is the day itself.
    assert program.session("e-1").start == utc(2020, 2, 1, 22, 30)
    assert program.session("e-2").start == utc(2020, 2, 2, 0, 0)
    assert program.session("e-3").start == utc(2020, 2, 1, 8, 0)


def test_day_change_midnight_keeps_the_day_date() -> None:
    program = xml_program('<day date="2020-02-01"><room name="A">' + event_xml("1", "01:00")
                          + "</room></day>", "<title>X</title><time_zone_name>UTC"
                          "</time_zone_name><day_change>00:00</day_change>")
    assert program.session("e-1").start == utc(2020, 2, 1, 1, 0)


def test_time_zone_name_wins_over_city_and_date_offsets_are_exact() -> None:
    program = xml_program(
        '<day date="2021-03-28"><room name="A">'
        + event_xml("1", "10:00", extra="<date>2021-03-28T10:00:00+05:45</date>")
        + event_xml("2", "02:30") + "</room></day>",
        "<title>X</title><city>Brussels</city><time_zone_name>Europe/Vienna</time_zone_name>")
    assert program.source_zone == "Europe/Vienna"
    assert not program.zone_guessed
    exact = program.session("e-1")
    assert exact.start == utc(2021, 3, 28, 4, 15)
    assert not exact.floating
    # 02:30 on 28 Mar 2021 does not exist in Vienna: read as after the jump (03:30 CEST).
    gap = program.session("e-2")
    assert gap.start == utc(2021, 3, 28, 1, 30)
    assert gap.floating
    assert any("does not exist" in w for w in program.warnings)


def test_user_zone_overrides_the_file_and_floating_times_follow() -> None:
    body = '<day date="2021-05-07"><room name="A">' + event_xml("1", "02:00") + "</room></day>"
    program = xml_program(body, "<title>X</title><time_zone_name>Europe/Vienna</time_zone_name>",
                          ImportOptions(source_zone="Asia/Kolkata"))
    assert program.source_zone == "Asia/Kolkata"
    assert program.session("e-1").start == utc(2021, 5, 6, 20, 30)


def test_no_zone_evidence_reads_utc_and_warns() -> None:
    program = xml_program('<day date="2021-05-07"><room name="A">' + event_xml("1", "10:00")
                          + "</room></day>")
    assert program.source_zone == "UTC"
    assert program.zone_guessed
    assert program.session("e-1").start == utc(2021, 5, 7, 10, 0)
    assert any("names no time zone" in w for w in program.warnings)


def test_program_changing_zone_moves_floating_sessions_only() -> None:
    program = xml_program(
        '<day date="2021-05-07"><room name="A">' + event_xml("1", "10:00")
        + event_xml("2", "11:00", extra="<date>2021-05-07T11:00:00+02:00</date>")
        + "</room></day>", "<title>X</title><time_zone_name>Europe/Vienna</time_zone_name>")
    program.change_source_zone("UTC")
    assert program.session("e-1").start == utc(2021, 5, 7, 10, 0)
    assert program.session("e-2").start == utc(2021, 5, 7, 9, 0)


@pytest.mark.parametrize(("type_text", "kind"), [
    ("lecture", SessionKind.TALK), ("Talk 40 (30min +10 Q&amp;A)", SessionKind.TALK),
    ("workshop", SessionKind.WORKSHOP), ("hands-on", SessionKind.WORKSHOP),
    ("keynote", SessionKind.INVITED_TALK), ("djset", SessionKind.SOCIAL),
    ("Ceremony", SessionKind.REMARKS), ("meeting", SessionKind.OTHER),
    ("something odd", SessionKind.OTHER), ("", SessionKind.TALK),
])
def test_event_types_map_to_kinds(type_text: str, kind: SessionKind) -> None:
    program = xml_program('<day date="2021-05-07"><room name="A">'
                          + event_xml("1", "10:00", extra=f"<type>{type_text}</type>")
                          + "</room></day>")
    assert program.session("e-1").kind is kind


def test_ids_from_guid_when_no_id_and_duplicates_disambiguated() -> None:
    program = xml_program(
        '<day date="2021-05-07"><room name="A">'
        '<event guid="6A32CB72-a69d"><start>10:00</start><title>No id</title></event>'
        + event_xml("7", "11:00") + event_xml("7", "12:00")
        + "</room></day>")
    ids = [s.id for s in program.sessions]
    assert ids[0] == "g-6a32cb72-a69d"
    assert ids[1] == "e-7"
    assert ids[2].startswith("e-7-") and len(ids[2]) == len("e-7-") + 6
    # The same file gives the same ids again.
    again = xml_program(
        '<day date="2021-05-07"><room name="A">'
        '<event guid="6A32CB72-a69d"><start>10:00</start><title>No id</title></event>'
        + event_xml("7", "11:00") + event_xml("7", "12:00") + "</room></day>")
    assert [s.id for s in again.sessions] == ids


def test_missing_duration_estimates_the_end() -> None:
    program = xml_program('<day date="2021-05-07"><room name="A"><event id="1"><start>10:00'
                          "</start><title>T</title><type>workshop</type></event></room></day>")
    session = program.session("e-1")
    assert session.end_estimated
    assert session.duration == dt.timedelta(hours=8)


def test_html_is_read_as_text_and_links_are_made_safe() -> None:
    abstract = ("&lt;p&gt;Hello &amp;amp; &lt;b&gt;welcome&lt;/b&gt;&lt;/p&gt;"
                "&lt;script&gt;alert(1)&lt;/script&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;"
                "&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;")
    links = ('<links><link href="/2020/slides.pdf">Slides</link>'
             '<link href="www.example.org">Site</link>'
             '<link href="javascript:alert(1)">Evil</link>'
             '<link href="Some free text">Text</link></links>')
    program = xml_program('<day date="2021-05-07"><room name="A">'
                          + event_xml("1", "10:00", extra=f"<abstract>{abstract}</abstract>"
                                      f"{links}") + "</room></day>",
                          "<title>X</title><base_url>https://conf.example/2020/schedule/"
                          "</base_url>")
    session = program.session("e-1")
    assert session.description == "Hello & welcome\n\n• one\n• two"
    assert [link.url for link in session.links] == ["https://conf.example/2020/slides.pdf",
                                                    "https://www.example.org"]


def test_bad_values_become_warnings_with_lines() -> None:
    program = xml_program('<day date="2021-05-07"><room name="A">\n'
                          + event_xml("1", "10:00", duration="soon") + "\n"
                          + event_xml("2", "25:99") + "\n"
                          + event_xml("3", "10:00", extra="<date>yesterday</date>")
                          + "</room></day>")
    assert program.session("e-1").end_estimated
    assert program.session("e-2").start is None
    assert program.session("e-3").start == utc(2021, 5, 7, 10, 0)
    text = "\n".join(program.warnings)
    assert 'line 5, <event id="1">: <duration>' in text
    assert '<event id="2">: <start> \'25:99\'' in text
    assert "<date> 'yesterday'" in text


def test_not_a_schedule_root_is_a_clear_error() -> None:
    with pytest.raises(ProgramError, match="expected <schedule> as the root element"):
        parse("<calendar><day/></calendar>", ImportOptions(), "x.xml")


def test_schedule_without_days_is_a_clear_error() -> None:
    with pytest.raises(ProgramError, match="no <day> elements") as info:
        xml_program("")
    assert info.value.element == "<schedule>"


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(ProgramError) as info:
        parse("<schedule>\n<day date='2020-01-01'>\n<room>\n</day>\n</schedule>",
              ImportOptions(), "broken.xml")
    assert info.value.line == 4
    assert "not well-formed XML (mismatched tag" in str(info.value)
    assert str(info.value).startswith("broken.xml:4")


def test_sniff_finds_schedule_root_and_parse_text_routes_it() -> None:
    text = ('<?xml version="1.0"?>\n<!-- made by frab -->\n<schedule><conference><title>S'
            '</title></conference><day date="2020-01-01"><room name="A">'
            + event_xml("1", "10:00") + "</room></day></schedule>")
    assert sniff(text)
    assert not sniff('{"schedule": {}}')
    assert parse_text(text).source_format == "frab-xml"


def test_thousands_of_identical_events_get_distinct_ids_quickly() -> None:
    body = '<day date="2021-05-07"><room name="A">' + event_xml("1", "10:00") * 3000 + \
        "</room></day>"
    with count_calls() as calls:
        program = xml_program(body)
    # One hash per copy, not a search through all: about 105 calls per event (3000 copies,
    # like 300), where comparing every copy with every other would be millions.
    assert calls.count < 300 * 3000
    ids = [s.id for s in program.sessions]
    assert len(set(ids)) == 3000
    assert ids == [s.id for s in xml_program(body).sessions]  # and stable


@pytest.mark.parametrize("abstract", [
    "&lt;p " * 100_000, '&lt;p "' * 100_000, "&lt;script " * 100_000, "&lt;!" * 100_000,
    "&lt;!--" * 100_000, "&amp;a" * 100_000,
], ids=["unclosed-tags", "unclosed-quotes", "unclosed-script", "bang", "comments", "amp"])
def test_hostile_html_is_read_in_linear_time(abstract: str) -> None:
    # A backtracking tag pattern took minutes here; the speed is in benchmarks/bench_hostile.py.
    with no_hang():
        program = xml_program('<day date="2021-05-07"><room name="A">'
                              + event_xml("1", "10:00", extra=f"<abstract>{abstract}</abstract>")
                              + "</room></day>")
    program.session("e-1").description.encode("utf-8")


def test_hostile_city_and_zone_names_are_cheap() -> None:
    with no_hang(), count_calls() as calls:
        program = xml_program('<day date="2021-05-07"><room name="A">' + event_xml("1", "10:00")
                              + "</room></day>", "<title>X</title><city>" + "Brussels " * 50_000
                              + "</city><time_zone_name>" + "Europe/" * 50_000
                              + "</time_zone_name>")
    assert calls.count < 5_000  # ~270, as for one event: nothing walks the 800,000 characters
    assert program.source_zone == "UTC"
    assert any("unknown time zone" in w for w in program.warnings)
