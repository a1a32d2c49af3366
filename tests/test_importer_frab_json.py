"""frab/c3voc schedule.json: the real exports (instants worked out by hand from the files), the
intentionally invalid example, the newer schedule.events layout, and hostile JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.core.model import SessionKind
from planner.importers import ImportOptions, detect_format, load_program
from planner.importers.frab_json import parse, sniff

UTC = dt.UTC
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def classic(events: list[dict[str, object]], **conference: object) -> str:
    """A minimal classic-layout schedule.json around ``events`` (one day, one room)."""
    conf: dict[str, object] = {
        "acronym": "test", "title": "Test", "start": "2021-05-07", "end": "2021-05-07",
        "daysCount": 1, "timeslot_duration": "00:15",
        "days": [{"index": 1, "date": "2021-05-07", "day_start": "2021-05-07T04:00:00+02:00",
                  "day_end": "2021-05-08T03:59:00+02:00", "rooms": {"Hall": events}}]}
    conf.update(conference)
    return json.dumps({"schedule": {"version": "1", "conference": conf}})


# -- real exports --------------------------------------------------------------------------------
def test_camp2019_frab_export(shared_data: Path) -> None:
    path = shared_data / "frab-json" / "frab-json_frab-camp2019.json"
    assert detect_format(path.read_text(encoding="utf-8")) == "frab-json"
    program = load_program(path)
    assert len(program.sessions) == 79
    assert program.name == "Chaos Communication Camp 2019"
    assert program.key == "camp2019"
    assert program.source_zone == "Europe/Berlin"
    assert not program.zone_guessed
    opening = program.session("e-10386")
    # "date": "2019-08-21T11:00:00+02:00" = 09:00Z, duration 00:30.
    assert opening.start == utc(2019, 8, 21, 9, 0)
    assert opening.end == utc(2019, 8, 21, 9, 30)
    assert not opening.floating
    assert opening.room == "Curie"
    assert opening.speakers == ["jinxx", "smtw"]
    assert opening.guid == "a0a0fcfe-b7fb-46e3-84b6-97a5406016b4"
    assert opening.links[0].url == (
        "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10386.html")
    # "date": "2019-08-21T12:00:00+02:00" card10 Badge, 45 minutes.
    badge = program.session("e-10365")
    assert badge.start == utc(2019, 8, 21, 10, 0)
    assert badge.end == utc(2019, 8, 21, 10, 45)
    assert badge.source_line is not None and badge.source_line > 0


def test_pretalx_rc3_without_time_zone_name(shared_data: Path) -> None:
    program = load_program(shared_data / "frab-json" / "frab-json_pretalx-rc3.json")
    assert len(program.sessions) == 48
    # No time_zone_name; every date says +01:00: a fixed-offset zone, flagged as a guess.
    assert program.source_zone == "Etc/GMT-1"
    assert program.zone_guessed
    talk = program.session("e-15")
    assert talk.start == utc(2020, 12, 27, 10, 30)  # 11:30+01:00
    assert talk.end == utc(2020, 12, 27, 11, 10)  # 00:40
    assert talk.room == "r3s - Monheim/Rhein"
    assert talk.language == "de"


def test_pretalx_democon_utc_zone(shared_data: Path) -> None:
    program = load_program(shared_data / "frab-json" / "frab-json_pretalx-democon.json")
    assert len(program.sessions) == 36
    assert program.source_zone == "UTC"
    talk = program.session("e-25")
    assert talk.start == utc(2020, 12, 14, 8, 0)  # 09:00+01:00
    assert talk.speakers == ["Brian Robinson"]
    assert talk.kind is SessionKind.TALK


def test_invalid_example_names_what_is_invalid(shared_data: Path) -> None:
    path = shared_data / "frab-json" / "frab-json_invalid-example.json"
    with pytest.raises(ProgramError) as info:
        load_program(path)
    error = info.value
    message = str(error)
    # The room list sits in schedule.rooms (the schema forbids it there); the event id and
    # the person id are strings where the schema wants integers.
    assert "does not follow the c3voc schedule.json schema (3 problems)" in message
    assert "schedule.rooms: a room list is not allowed here" in message
    assert ('schedule.conference.days[0].rooms.Winterchaos[0].id: expected an integer, found '
            'a string "2814"') in message
    assert 'persons[0].id: expected an integer person id, found a string "dsadf"' in message
    assert error.element == "schedule.rooms"
    assert error.line == 59  # "rooms": [ at the top level
    assert message.startswith(str(path))


# -- layouts and rules ----------------------------------------------------------------------------
def test_newer_layout_with_top_level_events() -> None:
    program = load_program(FIXTURES / "frab-json_v2_example.json")
    assert program.key == "demo-2024"
    assert [s.id for s in program.sessions] == [
        "g-5e0c1a52-1111-4c4c-9d9d-000000000001", "g-5e0c1a52-1111-4c4c-9d9d-000000000002",
        "g-5e0c1a52-1111-4c4c-9d9d-000000000003"]
    solder, concert, pause = program.sessions
    assert solder.start == utc(2024, 8, 1, 8, 0)
    assert solder.end == utc(2024, 8, 1, 10, 0)
    assert solder.room == "Workshop Dome"  # resolved from the room guid
    assert solder.track == "Hardware & Making"  # resolved from the track slug
    assert solder.kind is SessionKind.WORKSHOP
    assert solder.speakers == ["Ada", "Grace"]
    assert solder.description == "Learn to solder."  # English of a localized text, HTML read
    assert solder.language == "de"
    assert concert.end == utc(2024, 8, 1, 23, 0)  # 23:30+02:00 plus PT1H30M
    assert concert.kind is SessionKind.SOCIAL
    assert pause.kind is SessionKind.OTHER


def test_day_start_acts_as_day_change_without_dates() -> None:
    text = classic([{"id": 1, "guid": "g1", "title": "Late", "start": "01:30",
                     "duration": "00:30"},
                    {"id": 2, "guid": "g2", "title": "Day", "start": "10:00",
                     "duration": "00:30"}],
                   time_zone_name="Europe/Berlin")
    program = parse(text, ImportOptions(), "x.json")
    # day_start 04:00: a 01:30 start belongs to the night after 7 May.
    assert program.session("e-1").start == utc(2021, 5, 7, 23, 30)
    assert program.session("e-2").start == utc(2021, 5, 7, 8, 0)
    assert program.session("e-1").floating


def test_same_conference_as_xml_gives_the_same_ids() -> None:
    text = classic([{"id": 9025, "guid": "x", "title": "Welcome",
                     "date": "2021-05-07T10:00:00+02:00", "start": "10:00",
                     "duration": "00:25", "persons": [{"id": 1, "public_name": "Staff"}]}])
    program = parse(text, ImportOptions(), "x.json")
    assert [s.id for s in program.sessions] == ["e-9025"]


def test_every_schema_problem_is_listed() -> None:
    text = classic([{"id": True, "title": 5, "start": "10:00"}, "not an event"])
    with pytest.raises(ProgramError) as info:
        parse(text, ImportOptions(), "bad.json")
    message = str(info.value)
    assert "[0].id: expected an integer, found a boolean true" in message
    assert "[0].title: expected a string, found a number" in message
    assert "[1]: expected an event object, found a string" in message


def test_not_json_names_line_and_column() -> None:
    with pytest.raises(ProgramError) as info:
        parse('{"schedule": {\n  "conference": [1, 2,,]\n}}', ImportOptions(), "x.json")
    assert info.value.line == 2
    assert "is not valid JSON" in str(info.value)


@pytest.mark.parametrize("text", ['[]', '{"schedule": 3}', '{"schedule": {"conference": 1}}',
                                  '{"schedule": {"conference": {"title": "x"}}}'])
def test_wrong_shapes_are_clear_errors(text: str) -> None:
    with pytest.raises(ProgramError, match="expected"):
        parse(text, ImportOptions(), "x.json")


def test_json_nesting_bomb_is_refused() -> None:
    text = '{"schedule": ' + "[" * 200_000 + "]" * 200_000 + "}"
    with pytest.raises(ProgramError, match="nest"):
        parse(text, ImportOptions(), "bomb.json")


def test_sniff() -> None:
    assert sniff('\ufeff  {"$schema": "x", "schedule": {}}')
    assert not sniff("<schedule/>")
    assert not sniff('{"papers": []}')


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    # json.loads turns "\ud800" into a lone surrogate, which no output can encode.
    text = classic([{"id": 1, "guid": "g", "title": "Lone \ud800 surrogate",
                     "start": "10:00", "room": "Hall \udc00",
                     "persons": [{"id": 2, "public_name": "A\ud800"}],
                     "links": [{"url": "https://x.org/\ud800", "title": "t"}]}],
                   time_zone_name="UTC")
    session = parse(text, ImportOptions(), "x.json").sessions[0]
    assert session.title == "Lone \ufffd surrogate"
    assert session.room == "Hall \ufffd"
    assert session.speakers == ["A\ufffd"]
    assert session.links == []  # not a URL anyone can open
    for value in (session.title, session.room, *session.speakers):
        value.encode("utf-8")


def test_surrogates_in_schema_messages_are_printable() -> None:
    text = classic([{"id": "\ud800", "title": "T", "start": "10:00"}])
    with pytest.raises(ProgramError) as info:
        parse(text, ImportOptions(), "x.json")
    str(info.value).encode("utf-8")
