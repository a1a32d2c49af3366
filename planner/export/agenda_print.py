"""What a printed "My agenda" says, as plain data and as HTML: Qt-free, so the page's content is
unit-tested without a display. :mod:`planner.ui.printing` lays the HTML out on pages (a
``QTextDocument`` on a ``QPdfWriter`` or ``QPrinter``); the window and ``planner print`` both
call :func:`build_print_agenda` and :func:`agenda_html`.

The content follows :func:`planner.core.agenda.build_agenda`: starred sessions (and sessions
holding a starred paper) by display-zone day, the free time between them, the starred papers
under their session, the user's note and "maybe" on each star. Each session shows the display
clock and, when the program's clock reads otherwise, the program's clock beside it; conflicts
(with other starred sessions, or with the user's own calendar: its titles are private and never
printed) are marked.

Every program text is cleaned (control and bidi characters) and HTML-escaped: a title is text,
never markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.core import timefmt, timezones
from planner.core.agenda import AgendaEntry, AgendaKind, build_agenda
from planner.core.busy import BusyTime
from planner.core.conflicts import ConflictSummary, is_calendar, summarize_conflicts
from planner.core.errors import PlannerError
from planner.core.model import Program, Session
from planner.core.star_notes import MAYBE, PLAIN, StarNote
from planner.core.stars import Stars
from planner.core.text import escape_html, plural
from planner.export.text import clip, one_line

TITLE_LIMIT = 300  # characters of a title on paper; a hostile 1 MB title must not fill a book
NOTE_LIMIT = 500
CONFLICTS_SHOWN = 3  # named per session on paper; the rest are counted
NEXT_DAY = " (+1 day)"  # as planner.core.timefmt.short_span writes it


class NothingToPrintError(PlannerError):
    """Nothing starred (in the program, or on the chosen day): the caller adds how to star."""


class DayOutsideProgramError(PlannerError):
    """The day asked for is not one of the program's days (on the display clock)."""


@dataclass(frozen=True)
class PrintPaper:
    title: str
    authors: str = ""
    note: StarNote = PLAIN


@dataclass(frozen=True)
class PrintSession:
    """One starred session as printed; texts are cleaned, not yet escaped."""

    when: str  # display clock, "16:00–17:30 JST"
    program_when: str  # program clock ("" when it reads the same as the display clock)
    title: str
    details: str  # kind · speakers
    room: str
    starred: bool  # False: on the agenda only for its starred papers
    conflicts: tuple[str, ...] = ()
    papers: tuple[PrintPaper, ...] = ()
    note: StarNote = PLAIN
    program_day: str = ""  # "Fri 27 Dec" when the program's clock is on another date


@dataclass(frozen=True)
class FreeTime:
    start: str
    end: str
    length: str

    @property
    def text(self) -> str:
        return f"free {self.start}–{self.end} ({self.length})"


@dataclass(frozen=True)
class PrintDay:
    label: str
    rows: tuple[PrintSession | FreeTime, ...]


@dataclass(frozen=True)
class PrintAgenda:
    """A whole printed agenda: the heading's lines and the days."""

    program_name: str
    scope: str  # "Friday 7 May 2021" or "Whole conference"
    zones: str  # "Times in Asia/Tokyo · program clock Europe/Berlin"
    dates: str  # the program's date range on its own clock
    display_zone: str
    program_zone: str | None  # None: the clocks agree, one time column
    days: tuple[PrintDay, ...]
    summary: str  # "5 sessions, 2 starred papers · 1 with a conflict"
    legend: str = ""  # what the marks mean, when any is used


def program_days(program: Program, zone: dt.tzinfo) -> list[dt.date]:
    """Every date from the program's first to its last, on the clocks of ``zone``."""
    span = program.span()
    if span is None:
        return []
    first = timezones.to_zone(span[0], zone).date()
    last = timezones.to_zone(max(span[0], span[1] - dt.timedelta(microseconds=1)), zone).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def date_range(days: Sequence[dt.date]) -> str:
    """``Fri 7 May 2021`` or ``Sat 27 Dec – Mon 30 Dec 2024``."""
    if not days:
        return "no dates"
    if days[0] == days[-1]:
        return timefmt.dated_label(days[0])
    first = timefmt.day_label(days[0])
    if days[0].year != days[-1].year:
        first += f" {days[0].year}"
    return f"{first} – {timefmt.dated_label(days[-1])}"


def check_day(program: Program, zone: dt.tzinfo, day: dt.date) -> None:
    """Refuse a day the program does not cover (on the display clock)."""
    days = program_days(program, zone)
    if day not in days:
        raise DayOutsideProgramError(
            f"{day.isoformat()} is not a day of {one_line(program.name)}: it runs "
            f"{date_range(days)} in {timezones.zone_name(zone)}")


def build_print_agenda(program: Program, stars: Stars, zone: dt.tzinfo,
                       day: dt.date | None = None, busy: Sequence[BusyTime] = (),
                       notes: Mapping[str, StarNote] | None = None) -> PrintAgenda:
    """The agenda to print: one display-zone ``day`` or (None) the whole conference.

    Args:
        busy: the user's own calendar; clashes with it are marked, its titles never printed.
        notes: item id -> the user's note and priority on that star; by default the stars'
            own (``stars.notes``).

    Raises:
        NothingToPrintError: nothing starred (on that day).
        DayOutsideProgramError: ``day`` is not a day of the program.
    """
    if day is not None:
        check_day(program, zone, day)
    if notes is None:
        notes = stars.notes
    entries = build_agenda(program, stars, zone)
    if not any(entry.kind is AgendaKind.SESSION for entry in entries):
        raise NothingToPrintError(f"nothing is starred in {one_line(program.name)}")
    conflicts = summarize_conflicts(program, stars, busy=busy)
    program_zone = program.zone
    two_clocks = _clocks_differ(entries, zone, program_zone)
    days = _days(entries, stars, day, zone, program_zone if two_clocks else None, conflicts,
                 notes or {})
    if not days:
        assert day is not None
        raise NothingToPrintError(f"nothing is starred on {timefmt.dated_label(day)} (in "
                                  f"{timezones.zone_name(zone)}) in {one_line(program.name)}")
    display_name = timezones.zone_name(zone)
    program_name = timezones.zone_name(program_zone)
    zones = f"Times in {display_name}"
    zones += f" · program clock {program_name}" if two_clocks else \
        ("" if display_name == program_name else f" (the program's {program_name} clock "
                                                 f"reads the same)")
    return PrintAgenda(
        program_name=clip(one_line(program.name), TITLE_LIMIT) or "Conference program",
        scope=timefmt.long_day_label(day) if day else "Whole conference",
        zones=zones,
        dates=f"{date_range(program_days(program, program_zone))} ({program_name})",
        display_zone=display_name,
        program_zone=program_name if two_clocks else None,
        days=tuple(days),
        summary=_summary(days),
        legend=_legend(days))


def _clocks_differ(entries: list[AgendaEntry], zone: dt.tzinfo, program_zone: dt.tzinfo) -> bool:
    for entry in entries:
        session = entry.session
        if session is None or session.start is None or session.all_day:
            continue
        for moment in (session.start, session.end or session.start):
            if timezones.to_zone(moment, zone).utcoffset() != \
                    timezones.to_zone(moment, program_zone).utcoffset():
                return True
    return False


def _days(entries: list[AgendaEntry], stars: Stars, only: dt.date | None, zone: dt.tzinfo,
          program_zone: dt.tzinfo | None, conflicts: ConflictSummary,
          notes: Mapping[str, StarNote]) -> list[PrintDay]:
    days: list[PrintDay] = []
    label = ""
    rows: list[PrintSession | FreeTime] = []
    keep = False
    pending_gap: dt.timedelta | None = None

    def close() -> None:
        if keep and rows:
            days.append(PrintDay(label, tuple(rows)))

    for entry in entries:
        if entry.kind is AgendaKind.DAY:
            close()
            rows = []
            keep = only is None or entry.day == only
            label = timefmt.long_day_label(entry.day) if entry.day else "Not scheduled"
            pending_gap = None
        elif entry.kind is AgendaKind.GAP:
            pending_gap = entry.gap
        elif keep and entry.session is not None:
            session = entry.session
            if pending_gap is not None and session.start is not None:
                rows.append(_free(session.start - pending_gap, session.start, zone))
            pending_gap = None
            rows.append(_session(entry, zone, program_zone, conflicts, notes,
                                 stars.is_starred(entry.session.id)))
    close()
    return days


def _free(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> FreeTime:
    return FreeTime(timefmt.hm(timezones.to_zone(start, zone)),
                    timefmt.hm(timezones.to_zone(end, zone)),
                    timefmt.duration_text(end - start))


def _when(session: Session, zone: dt.tzinfo) -> str:
    if session.start is None:
        return "no time given"
    if session.all_day:
        return "all day"
    return timefmt.clock_span(session.start, session.end, zone, session.end_estimated)


def _session(entry: AgendaEntry, zone: dt.tzinfo, program_zone: dt.tzinfo | None,
             conflicts: ConflictSummary, notes: Mapping[str, StarNote],
             starred: bool) -> PrintSession:
    session = entry.session
    assert session is not None
    display_day = timezones.to_zone(session.start, zone).date() if session.start else None
    program_when = program_day = ""
    if program_zone is not None and session.start is not None and not session.all_day:
        program_when = _when(session, program_zone)
        local_day = timezones.to_zone(session.start, program_zone).date()
        if local_day != display_day:  # the program's clock is on another date
            program_day = timefmt.day_label(local_day)
    details = [session.kind.label]
    speakers = ", ".join(one_line(name) for name in session.speakers if name.strip())
    if speakers:
        details.append(clip(speakers, TITLE_LIMIT))
    if session.cancelled:
        details.append("CANCELLED")
    return PrintSession(
        when=_when(session, zone),
        program_when=program_when,
        title=clip(one_line(session.title), TITLE_LIMIT) or "(untitled)",
        details=" · ".join(details),
        room=clip(one_line(session.room or session.location), 120),
        starred=starred,
        conflicts=_conflicts(session, zone, conflicts),
        papers=tuple(PrintPaper(clip(one_line(paper.title), TITLE_LIMIT) or "(untitled)",
                                clip(", ".join(one_line(a) for a in paper.authors), 200),
                                _note(notes.get(paper.id)))
                     for paper in entry.papers),
        note=_note(notes.get(session.id)),
        program_day=program_day)


def _note(note: StarNote | None) -> StarNote:
    """The note as printed: on one line, clipped."""
    if note is None:
        return PLAIN
    return StarNote(clip(one_line(note.note), NOTE_LIMIT), note.priority)


def _conflicts(session: Session, zone: dt.tzinfo, conflicts: ConflictSummary) -> tuple[str, ...]:
    lines = []
    for other in conflicts.others(session.id)[:CONFLICTS_SHOWN]:
        assert other.start is not None
        when = timefmt.clock_span(other.start, other.end, zone)
        if is_calendar(other):  # its title is private: the times only
            lines.append(f"clashes with your calendar ({when})")
        else:
            lines.append(f"overlaps {clip(one_line(other.title), 80)} ({when})")
    more = conflicts.counts.get(session.id, 0) - len(lines)
    if more:
        lines.append(f"and {plural(more, 'more conflict')}")
    return tuple(lines)


def _summary(days: list[PrintDay]) -> str:
    """``12 sessions, 3 starred papers · 2 with a conflict`` (the parts that are not zero)."""
    shown = [row for printed in days for row in printed.rows if isinstance(row, PrintSession)]
    papers = sum(len(row.papers) for row in shown)
    text = plural(len(shown), "session")
    if papers:
        text += f", {plural(papers, 'starred paper')}"
    marked = sum(1 for row in shown if row.conflicts)
    if marked:
        text += f" · {marked:,} with a conflict"
    return text


def _legend(days: list[PrintDay]) -> str:
    shown = [row for printed in days for row in printed.rows if isinstance(row, PrintSession)]
    marks = ["★ starred"]
    if any(row.note.maybe or any(p.note.maybe for p in row.papers) for row in shown):
        marks[0] += " (a must, unless marked MAYBE)"
    if any(timefmt.ESTIMATE_MARK in row.when for row in shown):
        marks.append(f"{timefmt.ESTIMATE_MARK} end estimated (the program gives no end time)")
    if any(row.conflicts for row in shown):
        marks.append("⚠ overlaps another starred session or your calendar")
    return " · ".join(marks)


# -- HTML ------------------------------------------------------------------------------------
# Lengths in "lp" are points, written as the device's pixels by _style(): Qt's HTML takes a
# paragraph's margins and indent in device pixels only (a printer has 300 to 1,200 per inch),
# while a cell's padding is scaled for the device already.
STYLE = """
body { font-size: 9.5pt; color: #000; }
h1 { font-size: 16pt; margin: 0; }
td.day { font-size: 12pt; font-weight: bold; padding-top: 12px; border-bottom: 1px solid #000; }
p.sub { margin: 0; color: #333; }
td { padding: 4px 10px 4px 0; vertical-align: top; border-bottom: 1px solid #ccc; }
th { text-align: left; padding: 2px 10px 2px 0; color: #444; font-weight: normal;
     border-bottom: 1px solid #888; }
.time { white-space: nowrap; font-weight: bold; }
.prog { white-space: nowrap; color: #444; }
p { margin: 0; }
.title { font-weight: bold; }
.details { color: #444; }
p.conflict { color: #a00000; margin-left: 9lp; text-indent: -9lp; }
p.paper { margin-left: 18lp; text-indent: -9lp; }
p.note { font-style: italic; }
p.paper-note { font-style: italic; margin-left: 18lp; }
.legend { color: #444; font-size: 8pt; }
.free { color: #555; font-style: italic; border-bottom: 1px solid #ccc; }
"""


def _style(dots_per_point: float) -> str:
    return re.sub(r"(\d+(?:\.\d+)?)lp",
                  lambda found: f"{round(float(found[1]) * dots_per_point)}px", STYLE)


_e = escape_html


def agenda_html(agenda: PrintAgenda, dots_per_point: float = 1.0) -> str:
    """The agenda as the HTML subset ``QTextDocument`` lays out (tables, simple CSS), its
    spacing for a device with ``dots_per_point`` pixels per point (resolution / 72).

    One table for every day, so the columns line up from day to day and the header row
    repeats on each page; a day is a heading row across the columns.
    """
    two_clocks = agenda.program_zone is not None
    columns = 4 if two_clocks else 3
    parts = [f"<html><head><meta charset='utf-8'><style>{_style(dots_per_point)}</style>"
             "</head><body>",
             f"<h1>{_e(agenda.program_name)} — My agenda</h1>",
             f"<p class='sub'><b>{_e(agenda.scope)}</b> · {_e(agenda.summary)}</p>",
             f"<p class='sub'>{_e(agenda.zones)}</p>",
             f"<p class='sub'>The program runs {_e(agenda.dates)}</p>",
             "<p style='font-size: 6pt'>&nbsp;</p>",  # air between the heading and the table
             "<table width='100%' cellspacing='0' cellpadding='3'><thead><tr>",
             f"<th width='16%'>{_e(agenda.display_zone)}</th>"]
    if two_clocks:
        parts.append(f"<th width='16%'>{_e(agenda.program_zone or '')} (program)</th>")
    parts.append("<th>Session</th><th width='16%'>Room</th></tr></thead>")
    for day in agenda.days:
        parts.append(f"<tr><td colspan='{columns}' class='day'>{_e(day.label)}</td></tr>")
        for row in day.rows:
            if isinstance(row, FreeTime):
                parts.append(f"<tr><td colspan='{columns}' class='free'>"
                             f"&nbsp;&nbsp;— {_e(row.text)} —</td></tr>")
                continue
            parts.append(_session_html(row, two_clocks))
    parts.append("</table>")
    if agenda.legend:
        parts.append(f"<p class='legend'>&nbsp;<br>{_e(agenda.legend)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _time_html(text: str) -> str:
    """A time cell: "(+1 day)" on a line of its own, so the column stays narrow."""
    if NEXT_DAY not in text:
        return _e(text)
    return f"{_e(text.replace(NEXT_DAY, ''))}<br>{_e(NEXT_DAY.strip())}"


def _note_html(note: StarNote, kind: str = "note") -> str:
    """``MAYBE · My note: “…”``: the user's words, set apart from the program's; "must" is
    what every star means, so only "maybe" is marked."""
    bits = []
    if note.maybe:
        bits.append(f"<b>{_e(MAYBE.upper())}</b>")
    if note.note:
        bits.append(f"My note: “{_e(note.note)}”")
    return f"<p class='{kind}'>{' · '.join(bits)}</p>" if bits else ""


def _session_html(row: PrintSession, two_clocks: bool) -> str:
    cells = [f"<td class='time'>{_time_html(row.when)}</td>"]
    if two_clocks:
        day = f"{_e(row.program_day)}<br>" if row.program_day else ""
        cells.append(f"<td class='prog'>{day}{_time_html(row.program_when)}</td>")
    mark = "★ " if row.starred else ""
    why = "" if row.starred else " · for your starred papers"
    # One paragraph per line of meaning; wrapped lines hang under their text, not their mark.
    body = [f"<p class='title'>{mark}{_e(row.title)}</p>",
            f"<p class='details'>{_e(row.details)}{why}</p>", _note_html(row.note)]
    for line in row.conflicts:
        body.append(f"<p class='conflict'>⚠ {_e(line)}</p>")
    for paper in row.papers:
        authors = f"<br><span class='details'>{_e(paper.authors)}</span>" if paper.authors \
            else ""
        body.append(f"<p class='paper'>★ {_e(paper.title)}{authors}</p>"
                    f"{_note_html(paper.note, 'paper-note')}")
    cells.append(f"<td>{''.join(body)}</td>")
    cells.append(f"<td>{_e(row.room)}</td>")
    return f"<tr>{''.join(cells)}</tr>"
