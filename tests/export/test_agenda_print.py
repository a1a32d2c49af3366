"""The printed agenda's content (Qt-free model and HTML), read back from the PDF with pdftotext."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.core import timezones as tz
from planner.core.model import Paper, Program, SessionKind
from planner.core.star_notes import StarNote
from planner.core.stars import Stars
from planner.export.agenda_print import (
    DayOutsideProgramError,
    FreeTime,
    NothingToPrintError,
    PrintAgenda,
    PrintSession,
    agenda_html,
    build_print_agenda,
)
from tests.factories import program, session
from tests.pdf import pdf_pages, pdf_text

BERLIN = "Europe/Berlin"
TOKYO = tz.get_zone("Asia/Tokyo")
HOSTILE = "<b>Bold</b> & <script>alert('x')</script> \u202eevil\u202c </table></body>"


def berlin_program() -> Program:
    """A Berlin conference over two days, seen from Tokyo (+8 h in winter): the last talk of
    the first Berlin day falls after midnight in Tokyo."""
    sessions = [
        session("opening", "2024-12-27 10:00", 60, zone=BERLIN, kind=SessionKind.TALK,
                room="Saal 1", papers=["p-a", "p-b"], speakers=["Ada Lovelace"]),
        session("talk-b", "2024-12-27 10:30", 60, zone=BERLIN, kind=SessionKind.TALK,
                room="Saal G"),
        session("talk-c", "2024-12-27 13:00", 60, zone=BERLIN, kind=SessionKind.TALK,
                room="Saal Zuse"),
        session("posters", "2024-12-27 15:00", 30, zone=BERLIN, kind=SessionKind.POSTER,
                room="Hall 3", papers=["p-c"]),
        session("late", "2024-12-27 16:30", 60, zone=BERLIN, kind=SessionKind.TALK,
                room="Saal 1"),
        session("day-two", "2024-12-28 10:00", 60, zone=BERLIN, kind=SessionKind.TALK,
                room="Saal 1"),
        session("never", "2024-12-28 12:00", 60, zone=BERLIN, kind=SessionKind.TALK),
    ]
    papers = [Paper("p-a", "Analytical Engines Revisited", authors=["A. Lovelace", "C. Babbage"]),
              Paper("p-b", "Unstarred paper"), Paper("p-c", "Posters of Note")]
    return program(*sessions, papers=papers, zone=BERLIN)


STARS = Stars({"opening", "p-a", "talk-b", "talk-c", "p-c", "late", "day-two"})


def rows(agenda: PrintAgenda, day: int) -> list[PrintSession | FreeTime]:
    return list(agenda.days[day].rows)


def test_sessions_on_both_clocks_with_free_time_conflicts_and_papers() -> None:
    agenda = build_print_agenda(berlin_program(), STARS, TOKYO)
    assert [day.label for day in agenda.days] == ["Friday 27 Dec 2024", "Saturday 28 Dec 2024"]
    assert agenda.program_zone == BERLIN and agenda.display_zone == "Asia/Tokyo"
    first = rows(agenda, 0)
    opening, talk_b, free, talk_c, free2, posters = first
    assert isinstance(opening, PrintSession) and isinstance(talk_b, PrintSession)
    assert (opening.when, opening.program_when) == ("18:00–19:00 JST", "10:00–11:00 CET")
    assert opening.room == "Saal 1" and "Ada Lovelace" in opening.details
    assert [p.title for p in opening.papers] == ["Analytical Engines Revisited"]  # p-b unstarred
    assert opening.conflicts == ("overlaps Talk B (18:30–19:30 JST)",)
    assert talk_b.conflicts == ("overlaps Opening (18:00–19:00 JST)",)
    assert free == FreeTime("19:30", "21:00", "1 h 30 min")
    assert isinstance(talk_c, PrintSession) and talk_c.room == "Saal Zuse"
    assert isinstance(free2, FreeTime) and free2.text == "free 22:00–23:00 (1 h)"
    assert isinstance(posters, PrintSession) and not posters.starred  # only for its paper
    assert [p.title for p in posters.papers] == ["Posters of Note"]
    late, free3, day_two = rows(agenda, 1)
    # After midnight in Tokyo, still Friday afternoon on the program's clock: it says so.
    assert isinstance(late, PrintSession)
    assert (late.program_day, late.when, late.program_when) == (
        "Fri 27 Dec", "00:30–01:30 JST", "16:30–17:30 CET")
    assert isinstance(free3, FreeTime) and free3.text == "free 01:30–18:00 (16 h 30 min)"
    assert isinstance(day_two, PrintSession) and day_two.title == "Day Two"
    assert agenda.dates == "Fri 27 Dec – Sat 28 Dec 2024 (Europe/Berlin)"


def test_pdf_reads_back_titles_both_clocks_rooms_free_time_conflicts_papers(
        qapp: object, tmp_path: Path) -> None:
    from planner.ui.printing import write_pdf

    agenda = build_print_agenda(berlin_program(), STARS, TOKYO)
    target = tmp_path / "agenda.pdf"
    outcome, pages = write_pdf(agenda, target)
    assert outcome.written == target and pages == 1
    text = pdf_text(target)
    for expected in ("Test Conference — My agenda", "Whole conference",
                     "Times in Asia/Tokyo · program clock Europe/Berlin",
                     "18:00–19:00 JST 10:00–11:00 CET ★ Opening Saal 1",
                     "00:30–01:30 JST Fri 27 Dec ★ Late Saal 1", "16:30–17:30 CET",
                     "free 19:30–21:00 (1 h 30 min)", "⚠ overlaps Talk B (18:30–19:30 JST)",
                     "★ Analytical Engines Revisited\nA. Lovelace, C. Babbage",
                     "Posters of Note", "for your starred papers", "Saal Zuse",
                     "Friday 27 Dec 2024", "Saturday 28 Dec 2024", "page 1 of 1"):
        assert expected in text, expected
    assert "Unstarred paper" not in text and "Never" not in text


def test_one_day_only_and_a_day_outside_the_program() -> None:
    agenda = build_print_agenda(berlin_program(), STARS, TOKYO, dt.date(2024, 12, 28))
    assert agenda.scope == "Saturday 28 Dec 2024"
    titles = [row.title for day in agenda.days for row in day.rows
              if isinstance(row, PrintSession)]
    assert titles == ["Late", "Day Two"]
    with pytest.raises(DayOutsideProgramError, match=r"2024-12-30 is not a day of Test "
                       r"Conference: it runs Fri 27 Dec – Sat 28 Dec 2024 in Asia/Tokyo"):
        build_print_agenda(berlin_program(), STARS, TOKYO, dt.date(2024, 12, 30))


def test_nothing_starred_or_nothing_that_day_is_refused() -> None:
    with pytest.raises(NothingToPrintError, match="nothing is starred in Test Conference"):
        build_print_agenda(berlin_program(), Stars(), TOKYO)
    only_saturday = Stars({"day-two"})
    with pytest.raises(NothingToPrintError, match="nothing is starred on Fri 27 Dec 2024"):
        build_print_agenda(berlin_program(), only_saturday, TOKYO, dt.date(2024, 12, 27))


def test_one_clock_when_the_program_clock_reads_the_same() -> None:
    agenda = build_print_agenda(berlin_program(), STARS, tz.get_zone("Europe/Brussels"))
    assert agenda.program_zone is None
    assert "reads the same" in agenda.zones
    opening = rows(agenda, 0)[0]
    assert isinstance(opening, PrintSession)
    assert (opening.when, opening.program_when) == ("10:00–11:00 CET", "")
    assert "(program)" not in agenda_html(agenda)


def test_hostile_titles_are_text_not_markup(qapp: object, tmp_path: Path) -> None:
    from planner.ui.printing import write_pdf

    hostile = berlin_program()
    hostile.name = "Conf <i>&amp;</i>"
    hostile.sessions[0].title = HOSTILE
    hostile.sessions[0].room = "<img src=x>"
    hostile.papers["p-a"].title = "a < b & c > d"
    agenda = build_print_agenda(hostile, STARS, TOKYO)
    html = agenda_html(agenda)
    assert "<script>" not in html and "<b>Bold" not in html and "<img" not in html
    assert "\u202e" not in html  # bidi overrides cannot disguise a title
    target = tmp_path / "hostile.pdf"
    write_pdf(agenda, target)
    text = pdf_text(target)
    # pdftotext guesses spaces from glyph gaps and the title wraps: compare without them.
    squeezed = "".join(pdf_text(target, layout=False).split())
    assert "★<b>Bold</b>&<script>alert('x')</script>evil</table></body>" in squeezed
    assert "Conf <i>&amp;</i> — My agenda" in text
    assert "★a<b&c>d" in squeezed and "<img src=x>" in text
    assert "★ Talk B Saal G" in text  # the table was not closed by a title


def test_a_huge_title_is_clipped_on_paper() -> None:
    huge = berlin_program()
    huge.sessions[0].title = "Endless " * 100_000
    opening = rows(build_print_agenda(huge, STARS, TOKYO), 0)[0]
    assert isinstance(opening, PrintSession)
    assert len(opening.title) <= 300 and opening.title.endswith("Endless…")


def test_long_agenda_spans_pages_with_page_numbers(qapp: object, tmp_path: Path) -> None:
    from planner.ui.printing import write_pdf

    sessions = [session(f"talk-{day}-{hour:02d}", f"2024-12-{27 + day} {hour:02d}:00", 45,
                        zone=BERLIN, kind=SessionKind.TALK, room=f"Room {hour}")
                for day in range(3) for hour in range(8, 22)]
    long_program = program(*sessions, zone=BERLIN)
    agenda = build_print_agenda(long_program, Stars({s.id for s in sessions}), TOKYO)
    target = tmp_path / "long.pdf"
    _, pages = write_pdf(agenda, target)
    printed = pdf_pages(target)
    assert pages == len(printed) > 1
    for number, page in enumerate(printed, start=1):
        assert f"page {number} of {pages}" in page
    text = pdf_text(target)
    assert all(f"Talk {day} {hour:02d}" in text for day in range(3) for hour in range(8, 22))
    # Berlin's 08:00–21:45 is 16:00–05:45 in Tokyo: four Tokyo days, free time between each
    # pair of talks on one of them (15 minutes, or the night).
    assert [day.label[:6] for day in agenda.days] == ["Friday", "Saturd", "Sunday", "Monday"]
    assert text.count("free ") == len(sessions) - 4
    assert "free 05:45–16:00 (10 h 15 min)" in text


def test_notes_and_priority_are_printed_when_given(qapp: object, tmp_path: Path) -> None:
    from planner.ui.printing import write_pdf

    notes = {"opening": StarNote("sit near the front <3", "must"),
             "p-a": StarNote("ask about the mill", "maybe")}
    agenda = build_print_agenda(berlin_program(), STARS, TOKYO, notes=notes)
    opening = rows(agenda, 0)[0]
    # Every star is a must unless marked otherwise: only "maybe" is printed.
    assert isinstance(opening, PrintSession) and opening.note == StarNote(
        "sit near the front <3")
    target = tmp_path / "notes.pdf"
    write_pdf(agenda, target)
    text = pdf_text(target)
    assert "My note: “sit near the front <3”" in text and "MUST" not in text
    assert "MAYBE · My note: “ask about the mill”" in text
    assert "★ starred (a must, unless marked MAYBE)" in text


def test_all_day_and_unscheduled_sessions_have_their_own_words() -> None:
    base = berlin_program()
    whole_day = session("hackcenter", "2024-12-28 00:00", 24 * 60, zone=BERLIN, all_day=True,
                        room="Hall H")
    untimed = session("lightning", None, kind=SessionKind.TALK)
    extended = program(*base.sessions, whole_day, untimed, papers=list(base.papers.values()),
                       zone=BERLIN)
    stars = Stars({*STARS.ids, "hackcenter", "lightning"})
    agenda = build_print_agenda(extended, stars, TOKYO)
    labels = [day.label for day in agenda.days]
    assert labels == ["Friday 27 Dec 2024", "Saturday 28 Dec 2024", "Not scheduled"]
    saturday = {row.title: row for row in agenda.days[1].rows if isinstance(row, PrintSession)}
    # A whole day is a calendar date, the same on every clock: no program time, no free time
    # swallowed by it.
    assert (saturday["Hackcenter"].when, saturday["Hackcenter"].program_when) == ("all day", "")
    assert any(isinstance(row, FreeTime) for row in agenda.days[1].rows)
    (lightning,) = agenda.days[2].rows
    assert isinstance(lightning, PrintSession) and lightning.when == "no time given"
    one_day = build_print_agenda(extended, stars, TOKYO, dt.date(2024, 12, 28))
    assert [day.label for day in one_day.days] == ["Saturday 28 Dec 2024"]
