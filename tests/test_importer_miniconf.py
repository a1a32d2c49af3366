"""Mini-Conf site data: ACL 2023 (conference + booklet + socials), ICLR 2020 (calendar + papers
+ speakers), EMNLP 2020 (YAML configs + papers); one file or the folder gives one program.

Instants are worked out by hand from the files (ACL's booklet: "Monday, July 10 - Time:
09:30–10:30 EDT" is 13:30 UTC)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.core.model import Program, SessionKind
from planner.core.search import search_sessions
from planner.importers import ImportOptions, detect_format, load_program, parse_text

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


_ACL: dict[str, Program] = {}


@pytest.fixture
def acl(shared_data: Path) -> Program:
    """ACL 2023, read once for the module (tests only read it)."""
    if "acl" not in _ACL:
        _ACL["acl"] = load_program(shared_data / "ml-conf" / "miniconf_acl2023_conference.json")
    return _ACL["acl"]


def _titled(program: Program, prefix: str) -> list:  # type: ignore[type-arg]
    return [s for s in program.sessions if s.title.startswith(prefix)]


def test_acl2023_counts_zone_and_papers(acl: Program) -> None:
    assert acl.name == "ACL 2023"
    assert acl.source_format == "mini-conf"
    assert len(acl.papers) == 1584
    assert sum(len(s.paper_ids) for s in acl.sessions) == 1831  # slots of conference.json
    # 340 + 37 booklet + 17 socials, minus the 22 given by two or three files.
    assert len(acl.sessions) == 372
    assert acl.source_zone == "America/New_York" and acl.zone_guessed
    assert "EDT" in acl.zone_evidence and "-04:00" in acl.zone_evidence


def test_acl2023_paper_fields_and_session_times(acl: Program) -> None:
    paper = acl.papers["T4419"]
    assert paper.title == "Multilingual Coreference Resolution in Multiparty Dialogue"
    assert paper.authors == ["Boyuan Zheng", "Patrick Xia", "Mahsa Yarmohammadi",
                             "Benjamin Van Durme"]
    session = acl.sessions_of(paper)[0]
    assert session.title == "Session 10: Discourse and Pragmatics (Oral)"
    assert session.kind is SessionKind.ORAL and session.room == "Pier 2&3"
    assert (session.start, session.end) == (utc(2023, 7, 12, 15), utc(2023, 7, 12, 16, 30))
    assert not session.floating


def test_acl2023_booklet_keynote_once_at_its_edt_time(acl: Program) -> None:
    keynote = _titled(acl, "Two Paths to Intelligence")
    assert len(keynote) == 1
    assert keynote[0].start == utc(2023, 7, 10, 13, 30)  # 09:30 EDT
    assert keynote[0].floating and keynote[0].kind is SessionKind.INVITED_TALK
    assert keynote[0].speakers == ["Geoffrey Hinton"]
    assert not _titled(acl, "Keynote 1: Geoffrey Hinton")  # conference.json's copy merged


def test_acl2023_welcome_reception_from_three_files_is_one(acl: Program) -> None:
    receptions = [s for s in acl.sessions if s.title.lower().startswith("welcome reception")]
    assert len(receptions) == 1
    assert receptions[0].start == utc(2023, 7, 9, 23)  # 19:00 EDT, as socials' 23:00 UTC
    assert any("rocket.chat" in link.url for link in receptions[0].links)  # from socials


def test_acl2023_roomless_plenaries_read_as_utc(acl: Program) -> None:
    closing = _titled(acl, "Plenary: Closing Session")
    assert len(closing) == 1
    assert closing[0].start == utc(2023, 7, 12, 21)  # 17:00 EDT, not 01:00 UTC next day
    assert any("room-less events are 4 h late" in w for w in acl.warnings)


def test_acl2023_folder_gives_the_same_program_as_one_file(shared_data: Path,
                                                           tmp_path: Path,
                                                           acl: Program) -> None:
    for path in (shared_data / "ml-conf").glob("miniconf_acl2023_*"):
        shutil.copy(path, tmp_path / path.name)
    folder = load_program(tmp_path)
    booklet = load_program(tmp_path / "miniconf_acl2023_booklet_data.json")
    for program in (folder, booklet):
        assert program.key == acl.key
        assert sorted(s.id for s in program.sessions) == sorted(s.id for s in acl.sessions)
        assert len(program.papers) == 1584


def test_acl2023_changing_the_zone_moves_only_floating_times(shared_data: Path) -> None:
    program = load_program(shared_data / "ml-conf" / "miniconf_acl2023_conference.json",
                           ImportOptions(source_zone="America/Toronto"))
    assert program.source_zone == "America/Toronto" and not program.zone_guessed
    later = load_program(shared_data / "ml-conf" / "miniconf_acl2023_conference.json",
                         ImportOptions(source_zone="Asia/Kolkata"))
    keynote = _titled(later, "Two Paths to Intelligence")[0]
    assert keynote.start == dt.datetime(2023, 7, 10, 4, 0, tzinfo=UTC)  # 09:30 IST
    oral = later.sessions_of(later.papers["T4419"])[0]
    assert oral.start == utc(2023, 7, 12, 15)


def test_search_finds_a_paper_by_an_authors_name(acl: Program) -> None:
    found = search_sessions(acl, "Yarmohammadi")
    assert [s.title for s in found] == ["Session 10: Discourse and Pragmatics (Oral)"]


def test_iclr2020_calendar_papers_and_speakers(shared_data: Path) -> None:
    program = load_program(shared_data / "ml-conf" / "miniconf_iclr2020_main_calendar.json")
    assert (len(program.sessions), len(program.papers)) == (56, 687)
    assert program.source_zone == "UTC" and program.zone_guessed
    poster = _titled(program, "Poster Day 1 Session 1 (P1S1)")[0]
    assert poster.kind is SessionKind.POSTER and poster.start == utc(2020, 4, 27, 5)
    assert program.papers_of(poster)  # the one paper whose sessions column names it
    qa = _titled(program, "Live Q&A: Aisha Walcott-Bryant")[0]
    assert "AI + Africa = Global Innovation" in qa.description  # from speakers.csv
    assert qa.speakers == ["Dr. Aisha Walcott-Bryant"]


def test_emnlp2020_yaml_configs_with_papers(shared_data: Path) -> None:
    program = load_program(shared_data / "ml-conf" / "miniconf_emnlp2020_paper_sessions.yml")
    assert (len(program.sessions), len(program.papers)) == (128, 781)
    session = next(s for s in program.sessions if s.id == "z1a")
    assert session.title.startswith("Zoom Q&A Session 1A: Sentiment Analysis")
    assert session.start == utc(2020, 11, 16, 16)
    assert [p.id for p in program.papers_of(session)] == ["main.438", "main.440",
                                                          "main.2688", "main.2996"]
    gather = _titled(program, "Gather Session 1K")
    assert [s.title for s in gather] == ["Gather Session 1K: Sponsor Booths"]  # HTML cleaned
    assert not _titled(program, "Meet Our Sponsors")  # the week view's copy of that slot
    keynote = _titled(program, "Keynote: Information Extraction Through the Years")[0]
    assert keynote.speakers == ["Claire Cardie"] and keynote.kind is SessionKind.INVITED_TALK


def test_a_folder_of_several_conferences_names_them(shared_data: Path) -> None:
    with pytest.raises(ProgramError, match="3 conferences") as caught:
        load_program(shared_data / "ml-conf")
    assert str(shared_data / "ml-conf") in str(caught.value)


def test_paper_list_alone_asks_for_the_calendar() -> None:
    text = "UID,title,authors,abstract\nA1,Title,Ann|Bo,Text\n"
    assert detect_format(text) == "mini-conf"
    with pytest.raises(ProgramError, match="without a calendar"):
        parse_text(text, path="papers.csv")


def test_floating_booklet_alone_needs_a_zone_and_guesses_from_its_words() -> None:
    text = ('{"plenaries": [{"id": "k", "title": "<b>Keynote</b>", "desc": "Monday - Time: '
            '09:30–10:30 PDT", "start_time": "2024-07-08T09:30:00", '
            '"end_time": "2024-07-08T10:30:00", "speaker_name": "A. Person"}]}')
    program = parse_text(text, path="booklet_data.json")
    assert program.source_zone == "America/Los_Angeles" and program.zone_guessed
    session = program.sessions[0]
    assert session.title == "Keynote" and session.floating
    assert session.start == utc(2024, 7, 8, 16, 30)
