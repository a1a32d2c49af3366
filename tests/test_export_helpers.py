"""Programs and readers shared by the export tests (and a check that the reader reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.core import timezones as tz
from planner.core.model import Link, Paper, Program, SessionKind
from planner.core.stars import Stars
from planner.export.ics import ExportOptions, ExportResult, export_ics
from tests.factories import paper, program, session

STAMP = dt.datetime(2021, 4, 1, 12, 0, tzinfo=dt.UTC)

# Everything a title or abstract can throw at a calendar file: the TEXT delimiters, a literal
# backslash-N (LaTeX), CR, LF and CRLF, a would-be property, emoji with joiners, a tab.
NASTY = ("Semi;colon, comma \\ backslash \\Nabla \\n not-a-newline\r\nCRLF line\rCR line\n"
         "LF line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\ttab 😀 👩‍🔬 ünï ✓")


def nasty_text(length: int = 2000) -> str:
    """NASTY repeated with a counter until ``length`` characters, so nothing repeats exactly."""
    parts: list[str] = []
    count = 0
    while sum(map(len, parts)) < length:
        parts.append(f"[{count}] {NASTY} ")
        count += 1
    return "".join(parts)[:length]


def sample_program() -> Program:
    """A small conference in Vienna: posters with papers, a workshop, an unscheduled talk."""
    papers = [
        Paper(id="p-mars", title="MARS: Markov Molecular Sampling",
              abstract="Searching for novel molecules with desired properties. " * 20,
              link="https://openreview.net/forum?id=mars"),
        Paper(id="p-co2", title="CO2: Consistent Contrast", abstract="Contrastive learning.",
              link="https://openreview.net/forum?id=co2"),
        paper("p-lead", "LEAD: Linear Convergent Decentralized Optimization"),
        paper("p-gsgn", "Generative Scene Graph Networks"),
    ]
    sessions = [
        session("poster-session-12", "2021-05-07 02:00", 120, kind=SessionKind.POSTER,
                papers=["p-mars", "p-co2", "p-lead", "p-gsgn"], location="Virtual",
                end_estimated=True),
        session("oral-session-12", "2021-05-07 04:00", 120, kind=SessionKind.ORAL,
                papers=["p-mars"], room="Hall A"),
        session("sdg-workshop", "2021-05-07 16:00", 480, kind=SessionKind.WORKSHOP,
                links=[Link("https://example.org/sdg workshop", "Website")],
                speakers=["Ada Lovelace", "Grace Hopper"], description="Synthetic data."),
        session("keynote", None, kind=SessionKind.INVITED_TALK),
    ]
    result = program(*sessions, papers=papers)
    result.name = "Test Conference 2021"
    return result


def sample_stars() -> Stars:
    return Stars({"p-mars", "p-lead", "sdg-workshop", "keynote"})


def nasty_program(zone: str = "America/St_Johns") -> Program:
    """Sessions whose every text field is hostile, in a zone with a half-hour offset."""
    long_text = nasty_text(2000)
    sessions = [
        session("nasty-1", "2021-05-07 09:00", 90, zone=zone, kind=SessionKind.TALK,
                description=long_text, location=NASTY[:60], papers=["p-nasty"]),
        # 01:30 on 7 Nov 2021 happens twice in St John's (clocks go back at 02:00).
        session("nasty-2", "2021-11-07 01:30", 60, zone=zone, kind=SessionKind.SOCIAL,
                description=NASTY),
    ]
    sessions[0].title = NASTY
    sessions[1].title = "Fold; time, in \\ St John's 😀"
    nasty_paper = Paper(id="p-nasty", title=NASTY, abstract=long_text,
                        link="https://example.org/a path?q=1;x,y")
    return program(*sessions, papers=[nasty_paper], zone=zone, key="nasty-conf")


def day_program() -> Program:
    """A two-day poster exhibition (whole days), a cancelled talk and a normal one, Vienna."""
    exhibition = session("exhibition", "2021-05-07 00:00", 2 * 24 * 60, kind=SessionKind.POSTER,
                         all_day=True, location="Hall B")
    cancelled = session("cancelled-talk", "2021-05-07 10:00", 30, kind=SessionKind.TALK,
                        cancelled=True)
    normal = session("normal-talk", "2021-05-07 11:00", 30, kind=SessionKind.TALK)
    return program(exhibition, cancelled, normal, key="day-conf")


def export(prog: Program, stars: Stars | None = None, **options: Any) -> ExportResult:
    options.setdefault("stamp", STAMP)
    return export_ics(prog, stars if stars is not None else Stars(), ExportOptions(**options))


@dataclass(frozen=True)
class EventView:
    """What a calendar app would show of one VEVENT; compared instead of the file's text."""

    uid: str
    summary: str
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    tzid: str
    description: str
    location: str
    url: str
    categories: tuple[str, ...]
    items: tuple[str, ...]
    alarm: str
    status: str = ""


def read_events(data: bytes) -> dict[str, EventView]:
    """The events of an .ics file by UID, with instants in UTC."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    views: dict[str, EventView] = {}
    for event in calendar.walk("VEVENT"):
        start = _instant(event.decoded("DTSTART"))
        end = _instant(event.decoded("DTEND"))
        tzid = event["DTSTART"].params.get("TZID", "UTC")
        if event["DTSTART"].params.get("VALUE") == "DATE":
            tzid = "DATE"
        categories: list[str] = []
        raw_categories = event.get("CATEGORIES")
        for entry in raw_categories if isinstance(raw_categories, list) else [raw_categories]:
            if entry is not None:
                categories.extend(str(c) for c in entry.cats)
        items = event.get("X-PLANNER-ITEM")
        item_list = [] if items is None else items if isinstance(items, list) else [items]
        alarms = event.walk("VALARM")
        views[str(event["UID"])] = EventView(
            uid=str(event["UID"]), summary=str(event["SUMMARY"]),
            start=start, end=end, tzid=str(tzid),
            description=str(event.get("DESCRIPTION", "")),
            location=str(event.get("LOCATION", "")), url=str(event.get("URL", "")),
            categories=tuple(categories), items=tuple(str(i) for i in item_list),
            alarm=_text(alarms[0]["TRIGGER"].to_ical()) if alarms else "",
            status=str(event.get("STATUS", "")))
    return views


def _instant(value: dt.datetime | dt.date) -> dt.datetime:
    """UTC for a time; a whole day as its midnight marked UTC (so views compare)."""
    if isinstance(value, dt.datetime):
        return tz.to_utc(value)
    return dt.datetime.combine(value, dt.time(), dt.UTC)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def calendar_properties(data: bytes) -> dict[str, str]:
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    return {name: str(calendar[name]) for name in ("PRODID", "VERSION", "METHOD",
                                                   "X-WR-CALNAME")}


def test_read_events_sees_instants_in_utc() -> None:
    result = export(sample_program(), sample_stars(), zone="Europe/Vienna")
    views = read_events(result.data)
    starts = sorted(view.start for view in views.values())
    assert starts[0] == dt.datetime(2021, 5, 7, 0, 0, tzinfo=dt.UTC)


def test_nasty_program_has_hostile_text() -> None:
    prog = nasty_program()
    assert "\r" in prog.sessions[0].title and len(prog.sessions[0].description) == 2000
