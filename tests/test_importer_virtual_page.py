"""The copied virtual-page importer, on the bundled ICLR day and on small hand-made pages.

Counts and line numbers below were taken by reading ``planner/data/iclr2021-fri-7-may.txt``, not from
the code.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.bundled import bundled_program, data_file
from planner.core import timezones as tz
from planner.core.errors import ProgramError
from planner.core.model import Program, Session, SessionKind
from planner.importers import ImportOptions
from planner.importers import virtual_page as vp
from planner.workspace import open_program

SEED = bundled_program()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
UTC = dt.UTC

# 1-based lines of the 32 headers in the seed.
HEADER_LINES = [1, 5, 171, 196, 197, 203, 205, 207, 210, 212, 215, 217, 223, 225, 227, 231,
                240, 258, 260, 263, 269, 272, 274, 279, 281, 284, 287, 290, 296, 298, 301, 303]
# First line of each paper, in page order. Blocks 81-82, 105-106, 130-132, 145-153 and 163-164
# are paragraphs of one paper each; in the oral session 177 (PAD) and 178-179 (offline RL) are
# two papers in one block.
POSTER_FIRST_LINES = [8, 11, 13, 16, 19, 24, 27, 30, 33, 36, 39, 42, 45, 47, 49, 51, 53, 55, 57,
                      59, 61, 63, 65, 67, 69, 71, 73, 75, 77, 79, 81, 84, 86, 88, 90, 92, 95, 97,
                      99, 101, 103, 105, 109, 111, 114, 116, 119, 121, 123, 125, 127, 130, 134,
                      136, 139, 141, 143, 145, 155, 157, 159, 161, 163, 166, 168, 170]
ORAL_FIRST_LINES = [173, 175, 177, 178, 182, 184, 186, 188, 191, 193, 195]
# Papers whose last line ends in "…".
TRUNCATED_FIRST_LINES = {8, 24, 71, 84, 90, 95, 97, 99, 101, 105, 114, 119, 121, 123, 130,
                         163, 170, 178}


def parse(text: str, **options: object) -> Program:
    return vp.parse(text, ImportOptions(**options), "page.txt")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed() -> Program:
    return parse(SEED_TEXT, source_zone="Europe/Vienna")


def by_title(program: Program, title: str) -> Session:
    matches = [s for s in program.sessions if s.title == title]
    assert len(matches) == 1, title
    return matches[0]


def first_words(line: int, chars: int = 60) -> str:
    return SEED_LINES[line - 1][:chars]


# -- the bundled day --------------------------------------------------------------------------
def test_seed_headers_are_32_with_31_timed_and_1_unscheduled(seed: Program) -> None:
    assert [s.source_line for s in seed.sessions] == HEADER_LINES
    assert len(seed.scheduled) == 31
    assert [s.title for s in seed.unscheduled] == [
        "Self-Supervision for Learning from the Bottom Up"]


def test_seed_kinds_are_28_workshops_and_one_each_of_the_rest(seed: Program) -> None:
    kinds = [s.kind for s in seed.sessions]
    assert kinds.count(SessionKind.WORKSHOP) == 28
    assert kinds[:4] == [SessionKind.INVITED_TALK, SessionKind.POSTER, SessionKind.ORAL,
                         SessionKind.REMARKS]


def test_seed_session_titles_drop_the_workshop_prefix_only(seed: Program) -> None:
    titles = [s.title for s in seed.sessions]
    assert "Neural Compression: From Information Theory to Applications" in titles
    assert "Workshop on Neural Architecture Search" in titles
    assert "2nd Workshop on Practical ML for Developing Countries: Learning Under Limited/low " \
           "Resource Scenarios" in titles
    assert "ICLR 2021 Workshop on Embodied Multimodal Learning (EML)" in titles
    assert [s.id for s in seed.sessions[1:4]] == ["poster-session-12", "oral-session-12",
                                                 "closing-remarks"]


def test_seed_poster_session_has_66_papers_in_page_order(seed: Program) -> None:
    papers = seed.papers_of(by_title(seed, "Poster Session 12"))
    assert len(papers) == 66
    assert [p.abstract[:60] for p in papers] == [first_words(n) for n in POSTER_FIRST_LINES]


def test_seed_oral_session_has_11_papers_in_page_order(seed: Program) -> None:
    papers = seed.papers_of(by_title(seed, "Oral Session 12"))
    assert len(papers) == 11
    assert [p.abstract[:60] for p in papers] == [first_words(n) for n in ORAL_FIRST_LINES]


def test_seed_four_papers_are_in_both_sessions_once(seed: Program) -> None:
    shared = {p.abstract[:40] for p in seed.papers.values() if len(p.session_ids) == 2}
    assert shared == {"Self-training algorithms, which train a ",
                      "Natural data are often long-tail distrib",
                      "Searching for novel molecules with desir",
                      "Sliced-Wasserstein distance (SW) and its"}
    assert len(seed.papers) == 66 + 11 - 4
    paper = seed.papers["p-rC8sJ4i6kaH"]
    assert paper.title == "Theoretical Analysis of Self-Training with Deep Networks on " \
                          "Unlabeled Data"
    assert paper.session_ids == ["poster-session-12", "oral-session-12"]


def test_seed_at_least_70_slots_are_titled_from_the_catalog(seed: Program) -> None:
    slots = [pid for s in seed.sessions for pid in s.paper_ids]
    titled = [pid for pid in slots if not seed.papers[pid].title_derived]
    assert len(slots) == 77
    assert len(titled) >= 70


@pytest.mark.parametrize(("line", "paper_id", "title"), [
    (8, "7I12hXRi8F", "ANOCE: Analysis of Causal Effects with Multiple Mediators via "
                      "Constrained Structural Learning"),
    (11, "U4XLJhqwNF1", "CO2: Consistent Contrast for Unsupervised Visual Representation "
                        "Learning"),  # the page has the revised abstract
    (47, "dKg5D1Z1Lm", "Non-asymptotic Confidence Intervals of Off-policy Evaluation: Primal "
                       "and Dual Bounds"),
    (49, "T6AxtOaWydQ", "i-Mix: A Strategy for Regularizing Contrastive Representation "
                        "Learning"),
    (81, "GTGb3M_KcUl", "DynaTune: Dynamic Tensor Program Optimization in Deep Neural Network "
                        "Compilation"),
    (130, "U_mat0b9iv", "Multi-Prize Lottery Ticket Hypothesis: Finding Generalizable and "
                        "Efficient Binary Subnetworks in a Randomly Weighted Neural Network"),
    (145, "aCgLmfhIy_f", "Prototypical Representation Learning for Relation Extraction"),
    (177, "o_V-MjyyGV_", "Self-Supervised Policy Adaptation during Deployment"),
    (178, "30EvkP2aQLD", "What are the Statistical Limits of Batch RL with Linear Function "
                         "Approximation?"),
    (193, "kHSu4ebxFXY", "MARS: Markov Molecular Sampling for Multi-objective Drug Discovery"),
])
def test_seed_paper_titled_from_catalog(seed: Program, line: int, paper_id: str,
                                        title: str) -> None:
    paper = seed.papers[f"p-{paper_id}"]
    assert paper.abstract.startswith(first_words(line))
    assert paper.title == title
    assert paper.title_derived is False
    assert paper.link == f"https://openreview.net/forum?id={paper_id}"


def test_seed_multi_line_blocks_are_paragraphs_of_one_paper(seed: Program) -> None:
    dynatune = seed.papers["p-GTGb3M_KcUl"]
    assert dynatune.abstract == f"{SEED_LINES[80]}\n\n{SEED_LINES[81]}"
    relation = seed.papers["p-aCgLmfhIy_f"]
    assert relation.abstract.count("\n\n") == 8  # lines 145-153


def test_seed_unmatched_paper_has_derived_headline(seed: Program) -> None:
    derived = [p for p in seed.papers.values() if p.title_derived]
    assert [p.abstract[:40] for p in derived] == ["This paper theoretically investigates th"]
    assert derived[0].title == ("This paper theoretically investigates the following empirical "
                                "phenomenon: given a…")
    assert derived[0].id.startswith("p-") and len(derived[0].id) == 12


def test_seed_truncated_abstracts_are_flagged_without_ellipsis(seed: Program) -> None:
    poster = seed.papers_of(by_title(seed, "Poster Session 12"))
    oral = seed.papers_of(by_title(seed, "Oral Session 12"))
    lines = POSTER_FIRST_LINES + ORAL_FIRST_LINES
    flagged = {line for line, p in zip(lines, poster + oral, strict=True)
               if p.abstract_truncated}
    assert flagged == TRUNCATED_FIRST_LINES
    anoce = seed.papers["p-7I12hXRi8F"]
    assert anoce.abstract.endswith("in Chinese major cities out")
    assert not any(p.abstract.rstrip().endswith(("…", "...")) for p in seed.papers.values())


def test_seed_invited_talk_is_unscheduled_with_speaker_and_abstract(seed: Program) -> None:
    talk = seed.sessions[0]
    assert talk.kind is SessionKind.INVITED_TALK
    assert talk.speakers == ["Alexei Efros"]
    assert talk.start is None and talk.end is None and not talk.end_estimated
    assert talk.description == SEED_LINES[2]  # the abstract; "Bio :" has nothing after it
    assert talk.id == "self-supervision-for-learning-from-the-bottom-up"


def test_seed_description_keeps_list_lines(seed: Program) -> None:
    aimocc = by_title(seed, "AIMOCC -- AI: Modeling Oceans and Climate Change")
    assert aimocc.description.split("\n") == SEED_LINES[240:257]
    assert aimocc.paper_ids == []
    roadmap = by_title(seed, "A Roadmap to Never-Ending RL")
    assert "\n1) it learns behaviors and skills while solving its tasks\n" in roadmap.description


def test_seed_links_come_from_website_and_bare_url_lines(seed: Program) -> None:
    gtrl = by_title(seed, "Geometric and Topological Representation Learning")
    assert [link.url for link in gtrl.links] == ["https://gt-rl.github.io/"]
    assert "Website:" not in gtrl.description
    sedl = by_title(seed, "Science and Engineering of Deep Learning")
    assert [link.url for link in sedl.links] == ["https://sites.google.com/view/sedl-workshop"]
    assert "https://sites.google.com" not in sedl.description


def test_seed_ends_are_estimated_from_the_kind(seed: Program) -> None:
    poster = by_title(seed, "Poster Session 12")
    assert poster.floating and poster.end_estimated
    assert poster.end == tz.add(poster.start, dt.timedelta(hours=2))  # type: ignore[arg-type]
    remarks = by_title(seed, "Closing Remarks")
    assert remarks.duration == dt.timedelta(minutes=30)


def test_seed_name_key_and_year(seed: Program) -> None:
    assert seed.name == "ICLR 2021 — Fri 7 May"
    assert seed.key == "iclr-2021"
    starts = {s.start.date() for s in seed.scheduled if s.start}
    assert starts == {dt.date(2021, 5, 7)}


def test_seed_without_zone_reads_utc_and_says_how_to_set_it() -> None:
    program = parse(SEED_TEXT)
    assert program.source_zone == "UTC"
    assert program.zone_guessed is True
    assert any("--source-tz" in w and "time zone" in w for w in program.warnings)
    poster = by_title(program, "Poster Session 12")
    assert poster.start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=UTC)


def test_seed_with_source_zone_has_no_zone_warning(seed: Program) -> None:
    assert seed.source_zone == "Europe/Vienna"
    assert seed.zone_guessed is False
    assert not any("--source-tz" in w for w in seed.warnings)


def test_open_program_bundled_applies_vienna_sidecar() -> None:
    program = open_program()
    assert program.source_zone == "Europe/Vienna"
    assert program.zone_guessed is True
    assert "UTC+2" in program.zone_evidence
    poster = by_title(program, "Poster Session 12")
    compression = by_title(program, "Neural Compression: From Information Theory to Applications")
    assert poster.start is not None and compression.start is not None
    assert tz.to_utc(poster.start).isoformat() == "2021-05-07T00:00:00+00:00"
    assert tz.to_utc(compression.start).isoformat() == "2021-05-07T10:30:00+00:00"
    kathmandu = tz.to_zone(poster.start, tz.get_zone("Asia/Kathmandu"))
    assert kathmandu.strftime("%H:%M") == "05:45"


def test_open_program_sidecar_year_settles_a_page_without_one(tmp_path: Path) -> None:
    page = tmp_path / "day.txt"
    page.write_text("Poster Session 1 Fri 7 May 02:00 a.m.\n\nAn abstract.\n", encoding="utf-8")
    (tmp_path / "day.meta.json").write_text(json.dumps({"year": 2021}), encoding="utf-8")
    program = open_program(page)
    assert program.sessions[0].start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=UTC)


def test_seed_copy_opened_elsewhere_keeps_catalog_via_sidecar(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "copy.txt")
    program = open_program(tmp_path / "copy.txt",
                           ImportOptions(catalog=data_file("iclr2021_papers.tsv")))
    assert program.papers["p-o_V-MjyyGV_"].title_derived is False


# -- ids --------------------------------------------------------------------------------------
def _edited_seed() -> str:
    lines = list(SEED_LINES)
    lines[102] = lines[102].replace("its distillation.", "its distilled copy.")  # unmatched
    lines[10] = lines[10].replace("downstream tasks.", "later tasks.")  # matched
    lines[7] = "  " + lines[7].replace(" ", "  ") + "   "  # extra whitespace
    closing = lines.pop(195)  # "Closing Remarks ..." moves to the end
    lines.insert(6, "")  # an extra blank line
    lines.append(closing)
    return "\n".join(lines)


def test_ids_stable_when_reopened_with_small_edits(seed: Program) -> None:
    edited = parse(_edited_seed(), source_zone="Europe/Vienna")
    assert {s.title: s.id for s in edited.sessions} == {s.title: s.id for s in seed.sessions}
    assert {s.id: s.paper_ids for s in edited.sessions} == \
           {s.id: s.paper_ids for s in seed.sessions}
    assert set(edited.papers) == set(seed.papers)


def test_ids_unmatched_paper_survives_a_different_cut() -> None:
    program = vp.parse((FIXTURES / "virtual_page_small.txt").read_text(encoding="utf-8"),
                       ImportOptions(), "small.txt")
    zonal = [p for p in program.papers.values() if p.abstract.startswith("We study a made-up")]
    shorter = (FIXTURES / "virtual_page_small.txt").read_text(encoding="utf-8").replace(
        "Later work will show more …", "Later …")
    again = vp.parse(shorter, ImportOptions(), "small.txt")
    assert len(zonal) == 1 and zonal[0].id in again.papers


def test_ids_equal_titles_disambiguated_by_content_not_order() -> None:
    text = (FIXTURES / "virtual_page_two_days.txt").read_text(encoding="utf-8")
    program = parse(text)
    ids = {(s.title, s.start.day if s.start else 0): s.id for s in program.sessions}
    assert ids[("Closing Remarks", 6)] == "closing-remarks"
    assert ids[("Closing Remarks", 7)].startswith("closing-remarks-")
    blocks = text.split("Poster Session 12")
    swapped = "Poster Session 12" + blocks[1] + blocks[0]
    again = parse(swapped)
    assert {(s.title, s.start.day if s.start else 0): s.id for s in again.sessions} == ids


# -- the small hand-made page -----------------------------------------------------------------
@pytest.fixture(scope="module")
def small() -> Program:
    text = (FIXTURES / "virtual_page_small.txt").read_text(encoding="utf-8")
    return vp.parse(text, ImportOptions(source_zone="Europe/Vienna"), "small.txt")


def test_small_kinds_including_unknown_as_other(small: Program) -> None:
    assert [(s.kind, s.title) for s in small.sessions] == [
        (SessionKind.INVITED_TALK, "Learning From Copies"),
        (SessionKind.REMARKS, "Opening Remarks"),
        (SessionKind.POSTER, "Poster Session 3"),
        (SessionKind.ORAL, "Oral Session 3"),
        (SessionKind.OTHER, "Town Hall"),
        (SessionKind.SOCIAL, "Gather-Town Meetup"),
        (SessionKind.WORKSHOP, "Scheduling in the Wild"),
        (SessionKind.WORKSHOP, "2nd Workshop on Tiny Calendars"),
    ]


def test_small_keynote_has_speaker_description_and_bio(small: Program) -> None:
    talk = small.sessions[0]
    assert talk.speakers == ["Jane Roe"]
    assert talk.start is None
    assert talk.description == ("We look at what survives when a schedule is copied from a web "
                                "page.\n\nBio: Jane Roe studies schedules.\nShe lives in Vienna.")


def test_small_workshop_line_starting_with_workshop_is_description(small: Program) -> None:
    wild = by_title(small, "Scheduling in the Wild")
    assert wild.description.split("\n") == [
        "Workshop organisers will present the results of the shared task in the morning "
        "session, followed by invited talks and a panel.",
        "Topics include:", "- time zones,", "- daylight saving time."]
    assert [(link.url, link.title) for link in wild.links] == [
        ("https://example.org/wild", "Website"), ("https://example.org/wild/schedule", "")]


def test_small_papers_split_and_merged_by_catalog(small: Program) -> None:
    poster = small.papers_of(by_title(small, "Poster Session 3"))
    oral = small.papers_of(by_title(small, "Oral Session 3"))
    assert [p.id for p in poster] == ["p-7I12hXRi8F", "p-GTGb3M_KcUl", poster[2].id,
                                      "p-rC8sJ4i6kaH"]
    assert [p.id for p in oral] == ["p-rC8sJ4i6kaH", "p-o_V-MjyyGV_", "p-30EvkP2aQLD"]
    assert poster[2].title == ("We study a made-up problem about scheduling conference sessions "
                               "across many time zones")
    assert poster[2].title_derived and poster[2].abstract_truncated


def test_small_shared_paper_keeps_the_longer_uncut_copy(small: Program) -> None:
    paper = small.papers["p-rC8sJ4i6kaH"]
    assert paper.abstract == SEED_LINES[165]
    assert paper.abstract_truncated is False
    assert len(paper.session_ids) == 2


def test_small_location_and_preamble(small: Program) -> None:
    assert by_title(small, "Poster Session 3").location == "Virtual"
    assert any("before the first session header" in w for w in small.warnings)


# -- times ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "wall"), [
    ("Fri 7 May 12:00 a.m.", "00:00"),
    ("Fri 7 May 12:59 a.m.", "00:59"),
    ("Fri 7 May 12:30 p.m.", "12:30"),
    ("Fri 7 May 12:00 p.m.", "12:00"),
    ("Fri 7 May 01:45 p.m.", "13:45"),
    ("Fri 7 May 11:30 a.m.", "11:30"),
    ("Fri 7 May 11:59 p.m.", "23:59"),
    ("Fri 7 May 2:00 am", "02:00"),
    ("Fri 7 May 02:00 PM", "14:00"),
    ("Fri 7 May 14:00", "14:00"),
    ("Fri 7 May 00:15", "00:15"),
    ("Friday 7 May 09:05 a.m.", "09:05"),
    ("Fri, May 7, 9:05 AM", "09:05"),
    ("Fri 7th May 9.05 a.m.", "09:05"),
])
def test_time_every_meridiem_case(written: str, wall: str) -> None:
    program = parse(f"ICLR 2021\nPoster Session 1 {written}\n")
    start = program.sessions[0].start
    assert start is not None
    assert start.date() == dt.date(2021, 5, 7)
    assert start.strftime("%H:%M") == wall


@pytest.mark.parametrize("written", ["13:00 p.m.", "00:30 a.m.", "25:00", "10:75 a.m."])
def test_time_invalid_raises_with_line(written: str) -> None:
    with pytest.raises(ProgramError, match="expected hh:mm") as caught:
        parse(f"ICLR 2021\nPoster Session 1 Fri 7 May {written}\n")
    assert caught.value.line == 2


def test_time_range_past_midnight_is_not_estimated() -> None:
    program = parse("ICLR 2021\nSocial: Night Owls Fri 7 May 11:00 p.m. - 01:00 a.m.\n",
                    source_zone="Asia/Kolkata")
    social = program.sessions[0]
    assert social.end_estimated is False
    assert social.duration == dt.timedelta(hours=2)
    assert social.end is not None and social.end.isoformat() == "2021-05-08T01:00:00+05:30"


def test_time_in_dst_gap_follows_policy_and_warns() -> None:
    program = parse("ICLR 2021\nSocial: Spring Forward Sun 28 Mar 02:30 a.m.\n",
                    source_zone="Europe/Vienna")
    start = program.sessions[0].start
    assert start is not None
    assert tz.to_utc(start) == dt.datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    assert any(w.startswith("line 2:") and "does not exist" in w for w in program.warnings)


def test_time_kathmandu_source_zone_sets_offset() -> None:
    program = parse("ICLR 2021\nPoster Session 1 Fri 7 May 02:00 a.m.\n",
                    source_zone="Asia/Kathmandu")
    start = program.sessions[0].start
    assert start is not None and start.isoformat() == "2021-05-07T02:00:00+05:45"


def test_time_unknown_source_zone_is_program_error() -> None:
    with pytest.raises(ProgramError, match="unknown time zone"):
        parse("ICLR 2021\nPoster Session 1 Fri 7 May 02:00 a.m.\n", source_zone="Mars/Olympus")


# -- the year ---------------------------------------------------------------------------------
def test_year_from_conference_and_weekday() -> None:
    program = parse("Welcome to ICLR 2021.\nPoster Session 1 Fri 7 May 02:00 a.m.\n")
    assert program.sessions[0].start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=UTC)
    assert program.name == "ICLR 2021 — Fri 7 May" and program.key == "iclr-2021"


def test_year_conference_mention_beats_other_fitting_year() -> None:
    # 7 May 2010 was a Friday too; the year named with the conference wins.
    program = parse("ICLR-2021 is here. In 2010 we began.\nOral Session 1 Fri 7 May 04:00\n")
    assert program.sessions[0].start == dt.datetime(2021, 5, 7, 4, 0, tzinfo=UTC)


def test_year_weekday_matching_no_mentioned_year_raises() -> None:
    with pytest.raises(ProgramError, match=r"cannot tell the year.*2020.*pass --year") as caught:
        parse("ICLR 2020\n\nPoster Session 1 Fri 7 May 02:00 a.m.\n")
    assert caught.value.line == 3


def test_year_not_named_at_all_raises() -> None:
    with pytest.raises(ProgramError, match=r"names no year; pass --year") as caught:
        parse("Poster Session 1 Fri 7 May 02:00 a.m.\n")
    assert caught.value.line == 1


def test_year_two_equally_named_fitting_years_raise() -> None:
    with pytest.raises(ProgramError, match="2010 and 2021"):
        parse("Since 2010, and again in 2021.\nPoster Session 1 Fri 7 May 02:00 a.m.\n")


def test_year_option_overrides_text() -> None:
    program = parse("Poster Session 1 Fri 7 May 02:00 a.m.\n", year=2021)
    assert program.sessions[0].start == dt.datetime(2021, 5, 7, 2, 0, tzinfo=UTC)
    program = parse("ICLR 2010\nPoster Session 1 Fri 7 May 02:00 a.m.\n", year=2021)
    assert program.sessions[0].start is not None
    assert program.sessions[0].start.year == 2021


def test_year_option_wrong_for_weekday_raises_naming_line() -> None:
    with pytest.raises(ProgramError, match=r"does not fit the year 2022 \(it is a Saturday\)") \
            as caught:
        parse("ICLR 2021\nPoster Session 1 Fri 7 May 02:00 a.m.\n", year=2022)
    assert caught.value.line == 2


def test_year_impossible_date_raises() -> None:
    with pytest.raises(ProgramError, match="not a real date") as caught:
        parse("ICLR 2021\n\nPoster Session 1 Fri 31 Apr 02:00 a.m.\n")
    assert caught.value.line == 3


def test_year_multi_day_page_names_its_span() -> None:
    program = parse((FIXTURES / "virtual_page_two_days.txt").read_text(encoding="utf-8"))
    assert program.name == "ICLR 2021 — Thu 6 May – Fri 7 May"
    assert [s.start.isoformat() for s in program.scheduled if s.start] == [
        "2021-05-06T18:00:00+00:00", "2021-05-06T23:00:00+00:00", "2021-05-07T02:00:00+00:00",
        "2021-05-07T07:00:00+00:00"]


# -- sniffing and bad input -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    (SEED_TEXT, True),
    ("Invited Talk: Ada Lovelace\nNotes on engines\n", True),
    ("Workshop: Tiny Things\nAbout tiny things.\n", True),
    ("[ Virtual ]\nPoster Session 1 Fri 7 May 02:00 a.m.\n", True),
    ("<?xml version='1.0'?>\n<schedule>Poster Session 1 Fri 7 May 02:00 a.m.</schedule>", False),
    ('{"title": "Poster Session 1 Fri 7 May 02:00 a.m."}', False),
    ('[\n {"title": "Poster Session 1 Fri 7 May 02:00 a.m."}\n]', False),
    ("BEGIN:VCALENDAR\nSUMMARY:Poster Session 1 Fri 7 May 02:00 a.m.\nEND:VCALENDAR\n", False),
    ("Just some prose about workshops and posters.\n", False),
])
def test_sniff_recognises_pages_only(text: str, expected: bool) -> None:
    assert vp.sniff(text) is expected


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "empty"),
    ("\n  \n\t\n", 1, "empty"),
    ("\n\nDear attendees, nothing here is a session.\nNor here.\n", 3, "no session headers"),
    (bytes(range(256)).decode("latin-1") * 4, 1, "binary"),
    ("ICLR 2021\n" + "\x01\x02\x03garbage\x04\x05\x06\x07" * 20, 2, "binary"),
])
def test_bad_input_raises_program_error_with_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ProgramError, match=message) as caught:
        parse(text)
    assert caught.value.line == line
    assert caught.value.path == "page.txt"


def test_bad_catalog_option_names_the_catalog_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.tsv"
    with pytest.raises(ProgramError) as caught:
        parse(SEED_TEXT, catalog=missing)
    assert caught.value.path == str(missing)


# -- any text ---------------------------------------------------------------------------------
_FRAGMENTS = [
    "ICLR 2021", "ICLR 2020", "Poster Session 1 Fri 7 May 02:00 a.m.",
    "Oral Session 2 Fri 7 May 12:00 p.m.", "Workshop: X Fri 7 May 13:00 p.m.",
    "Town Hall Sat 8 May 25:61", "Closing Remarks Fri 31 Feb 01:00 a.m.", "Invited Talk: Ann",
    "Bio :", "[ Virtual ]", "Website: https://example.org", "https://example.org/x", "", "…",
    SEED_LINES[7], SEED_LINES[176], SEED_LINES[177], "Social: Y Sun 28 Mar 02:30 a.m. - 01:00",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=60)), max_size=25)
    .map("\n".join),
), st.one_of(st.none(), st.integers(min_value=-5, max_value=3000)))
def test_any_text_gives_program_or_program_error(text: str, year: int | None) -> None:
    try:
        program = parse(text, year=year)
    except ProgramError as error:
        assert error.path == "page.txt"
        return
    assert isinstance(program, Program)
    assert program.sessions
    for session in program.sessions:
        assert session.id and (session.start is None or session.start.tzinfo is not None)


def test_three_dot_ellipsis_also_marks_truncation() -> None:
    program = parse((FIXTURES / "virtual_page_two_days.txt").read_text(encoding="utf-8"))
    paper = next(p for p in program.papers.values() if p.abstract.startswith("A second"))
    assert paper.abstract_truncated
    assert paper.abstract.endswith("a planner for attendees")


def test_sentence_starting_with_workshop_prefix_is_not_a_header() -> None:
    program = parse("ICLR 2021\nWorkshop: Clocks Fri 7 May 09:00 a.m.\n"
                    "Workshop: bring your own data.\nInvited Talk: questions welcome. Really.\n")
    assert [s.title for s in program.sessions] == ["Clocks"]
    assert program.sessions[0].description == ("Workshop: bring your own data.\n"
                                               "Invited Talk: questions welcome. Really.")


@pytest.mark.parametrize(("written", "hours"), [
    ("02:00 p.m. - 04:30 p.m.", 2.5), ("02:00 p.m. - 4:30", 2.5), ("11:00 p.m. - 1:00", 2),
    ("10:00 a.m. - 12:00", 2), ("22:00 - 23:15", 1.25), ("22:00 – 00:15", 2.25),
    ("02:00 p.m. - 15:00", 1),
])
def test_time_range_end_reading(written: str, hours: float) -> None:
    program = parse(f"ICLR 2021\nTown Hall Fri 7 May {written}\n")
    assert program.sessions[0].duration == dt.timedelta(hours=hours)
    assert program.sessions[0].end_estimated is False
