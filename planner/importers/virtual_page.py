"""Copied virtual-conference pages (iclr.cc/virtual and alike): plain text, loose grammar.

A user selects a day's schedule in the browser and pastes it. What survives is a sequence of
session headers (``Poster Session 12 Fri 7 May 02:00 a.m.``, ``Workshop: <title> Fri 7 May
12:30 p.m.``, ``Invited Talk: <speaker>``) each followed by text: a description for workshops,
talks, remarks and socials, paper abstracts for poster and oral sessions. Dates carry no year and
times no zone; paper titles are lost. This module recovers what it can (the year from the
weekday: :mod:`planner.importers.virtual_year`; titles from a paper catalog:
:mod:`planner.importers.virtual_papers`) and says what it guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.errors import ProgramError
from planner.core.ids import fold_text, slug, unique_id
from planner.core.model import ESTIMATED_DURATION, Link, Paper, Program, Session, SessionKind
from planner.importers import ImportOptions, limits
from planner.importers.virtual_papers import papers_of_runs
from planner.importers.virtual_year import (
    MONTHS,
    WEEKDAYS,
    conference_name,
    month_day,
    resolve_year,
)


def _alternatives(names: dict[str, int]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


def _clock_pattern(tag: str) -> str:
    return (rf"(?P<{tag}h>\d{{1,2}})[:.](?P<{tag}m>\d{{2}})"
            rf"(?:\s*(?P<{tag}ap>[ap])\.?\s?m\b\.?)?")


_WHEN = (rf"(?P<wd>{_alternatives(WEEKDAYS)})\.?,?\s+"
         rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<m1>{_alternatives(MONTHS)})\.?"
         rf"|(?P<m2>{_alternatives(MONTHS)})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?),?"
         rf"\s+(?:at\s+)?{_clock_pattern('s')}"
         rf"(?:\s*(?:-|–|—|to)\s*{_clock_pattern('e')})?")
_DATED = re.compile(rf"^(?P<title>\S.*?)\s+{_WHEN}\s*$", re.IGNORECASE)
# Header prefixes; the value says whether the rest names a speaker (the title follows below).
_PREFIXES: dict[str, tuple[SessionKind, bool]] = {
    "invited talk": (SessionKind.INVITED_TALK, True),
    "keynote": (SessionKind.INVITED_TALK, True),
    "keynote talk": (SessionKind.INVITED_TALK, True),
    "workshop": (SessionKind.WORKSHOP, False),
    "affinity workshop": (SessionKind.WORKSHOP, False),
    "expo workshop": (SessionKind.WORKSHOP, False),
    "expo talk": (SessionKind.TALK, False),
    "social": (SessionKind.SOCIAL, False),
    "tutorial": (SessionKind.OTHER, False),
    "panel": (SessionKind.OTHER, False),
    "town hall": (SessionKind.OTHER, False),
    "mentoring": (SessionKind.OTHER, False),
    "mentoring session": (SessionKind.OTHER, False),
}
_PREFIXED = re.compile(rf"^(?P<prefix>{'|'.join(sorted(_PREFIXES, key=len, reverse=True))})"
                       r"\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)
_BARE_TITLES = re.compile(r"^(?:opening remarks|closing remarks|welcome remarks|town hall)$",
                          re.IGNORECASE)
_KIND_WORDS: list[tuple[re.Pattern[str], SessionKind]] = [
    (re.compile(r"^posters?\b|\bposter session\b", re.I), SessionKind.POSTER),
    (re.compile(r"^orals?\b|\boral session\b", re.I), SessionKind.ORAL),
    (re.compile(r"^(?:invited talk|keynote)\b", re.I), SessionKind.INVITED_TALK),
    (re.compile(r"\bworkshop\b", re.I), SessionKind.WORKSHOP),
    (re.compile(r"\bremarks\b|^(?:opening|closing|welcome)\b", re.I), SessionKind.REMARKS),
    (re.compile(r"\bsocials?\b", re.I), SessionKind.SOCIAL),
    (re.compile(r"\btalk\b", re.I), SessionKind.TALK),
]
_PAPER_KINDS = {SessionKind.POSTER, SessionKind.ORAL}
_MAX_HEADER = 250  # characters; abstracts are longer, headers are titles plus a date
_MAX_UNTIMED = 150
_BRACKET = re.compile(r"^\[\s*(?P<label>[^\[\]]{1,60}?)\s*\]$")
_WEBSITE = re.compile(r"^(?:web\s?site|home\s?page|link|url)\s*:\s*<?(?P<url>https?://\S+?)>?$",
                      re.IGNORECASE)
_BARE_URL = re.compile(r"^<?(?P<url>https?://\S+?)>?$", re.IGNORECASE)
_BIO = re.compile(r"^bio\s*:\s*(?P<rest>.*)$", re.IGNORECASE)

_JSON_ARRAY = re.compile(r"^\[\s*(?:[\[{\"\d\]-]|true|false|null)")



@dataclass
class _Header:
    line: int
    raw: str
    kind: SessionKind
    title: str
    speaker: str = ""
    when: re.Match[str] | None = None

    @property
    def date_text(self) -> str:
        return self.when.group(0) if self.when else ""


@dataclass
class _Block:
    """A session header and the numbered lines under it."""

    header: _Header
    body: list[tuple[int, str]] = field(default_factory=list)


# -- sniffing ---------------------------------------------------------------------------------
def sniff(text: str) -> bool:
    """True for text with a dated session header near the top (or a talk/workshop header first).

    XML, JSON and iCalendar are refused up front: their values can look like headers.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("<", "{")) or head[:15].upper().startswith("BEGIN:VCALENDAR"):
        return False
    if _JSON_ARRAY.match(head):
        return False
    lines = _split_lines(head[:200_000])[:200]
    first = next((line.strip() for line in lines if line.strip()), "")
    if _untimed_header(first, 1) is not None:
        return True
    return any(_dated_match(line.strip()) is not None for line in lines)


# -- parsing ----------------------------------------------------------------------------------
def parse(text: str, options: ImportOptions, path: str) -> Program:
    """Read a copied page into a Program; every problem is a ProgramError with a line."""
    raw_lines = _split_lines(text.lstrip("\ufeff"))
    _refuse_binary(raw_lines, path)
    lines = [_clean(line) for line in raw_lines]
    if not any(line.strip() for line in lines):
        raise ProgramError("is empty; expected a copied virtual-conference page", path, 1)
    blocks, preamble = _blocks(lines, path)
    zone_name, zone_guessed = _source_zone(options, path)
    zone = timezones.get_zone(zone_name)
    year = resolve_year([b.header for b in blocks if b.header.when], text, options, path)
    conference = conference_name(text, year)
    key = slug(conference) if conference else ""
    warnings: list[str] = []
    if preamble:
        warnings.append(f"{preamble} line(s) before the first session header were skipped")
    if zone_guessed:
        # Worded to stay true when a sidecar sets the zone after parsing.
        warnings.append("the page gives no time zone: its times are wall-clock times in the "
                        "program's source zone (UTC unless one is set); set the zone the page "
                        "was shown in with --source-tz ZONE, e.g. --source-tz Europe/Vienna")
    sessions = [_session(block, year, zone, path, warnings) for block in blocks]
    papers = _papers(blocks, sessions, options, key, warnings)
    _assign_session_ids(blocks, sessions)
    program = Program(name=_program_name(conference, sessions, zone, year),
                      source_zone=timezones.zone_name(zone), sessions=sessions, papers=papers,
                      key=key, zone_guessed=zone_guessed, source_path=path,
                      source_format="virtual-page", warnings=warnings)
    return program


def _split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (str.splitlines also splits on form feeds and the like)."""
    return re.split(r"\r\n|\r|\n", text)


def _clean(line: str) -> str:
    """Drop control characters that copy and paste carry along; tabs become spaces."""
    line = line.replace("\t", " ").replace("\u00a0", " ")
    if line.isprintable():  # the common case, decided at C speed
        return line
    return "".join(ch for ch in line if unicodedata.category(ch)[0] != "C")


def _refuse_binary(raw_lines: list[str], path: str) -> None:
    """Garbage (decoded binary) is full of control, replacement or unassigned characters."""
    for number, line in enumerate(raw_lines[:400], start=1):
        odd = sum(1 for ch in line if ch == "\ufffd" or (
            unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch != "\t"))
        if line and odd * 10 > len(line) and odd >= 3:
            raise ProgramError("looks like binary data, not a copied conference page", path,
                               number)


def _dated_match(line: str) -> re.Match[str] | None:
    if len(line) > _MAX_HEADER:
        return None
    return _DATED.match(line)


def _untimed_header(line: str, number: int) -> _Header | None:
    """``Invited Talk: <speaker>`` and other known forms without a date."""
    if len(line) > _MAX_UNTIMED or line.endswith((".", ",", ";", ":")):
        return None
    if _BARE_TITLES.match(line):
        return _Header(number, line, _kind_of(line), line)
    found = _PREFIXED.match(line)
    if found is None or re.search(r"[.!?]\s", found.group("rest")):
        return None
    return _from_prefix(found.group("prefix"), found.group("rest"), number, line, None)


def _from_prefix(prefix: str, rest: str, number: int, raw: str,
                 when: re.Match[str] | None) -> _Header:
    kind, names_speaker = _PREFIXES[prefix.lower()]
    if names_speaker:
        return _Header(number, raw, kind, rest.strip(), speaker=rest.strip(), when=when)
    return _Header(number, raw, kind, rest.strip(), when=when)


def _header(line: str, number: int) -> _Header | None:
    dated = _dated_match(line)
    if dated is None:
        return _untimed_header(line, number)
    title = dated.group("title").strip(" -–—:,")
    found = _PREFIXED.match(title)
    if found is not None:
        return _from_prefix(found.group("prefix"), found.group("rest"), number, line, dated)
    return _Header(number, line, _kind_of(title), title, when=dated)


def _kind_of(title: str) -> SessionKind:
    """The kind a title names; OTHER (never an error) when it names none we know."""
    for pattern, kind in _KIND_WORDS:
        if pattern.search(title):
            return kind
    return SessionKind.OTHER


def _blocks(lines: list[str], path: str) -> tuple[list[_Block], int]:
    """Headers with their bodies, and how many non-blank lines came before the first one."""
    blocks: list[_Block] = []
    preamble = 0
    expect_title = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = _header(line, number) if line else None
        if header is not None:
            blocks.append(_Block(header))
            if len(blocks) > limits.MAX_SESSIONS:  # refuse while reading
                raise limits.too_many_sessions(path, "session headers", number)
            expect_title = bool(header.speaker)
            continue
        if not blocks:
            preamble += bool(line)
            continue
        if expect_title and line:
            expect_title = False
            if len(line) <= _MAX_UNTIMED and not _BIO.match(line):
                blocks[-1].header.title = line
                continue
        blocks[-1].body.append((number, line))
    if not blocks:
        first = next(n for n, line in enumerate(lines, start=1) if line.strip())
        raise ProgramError("no session headers found; expected lines such as 'Poster Session "
                           "12 Fri 7 May 02:00 a.m.' or 'Workshop: <title> Fri 7 May 12:30 "
                           "p.m.'", path, first)
    return blocks, preamble


def _source_zone(options: ImportOptions, path: str) -> tuple[str, bool]:
    if not options.source_zone:
        return "UTC", True
    try:
        return timezones.zone_name(timezones.get_zone(options.source_zone)), False
    except timezones.UnknownZoneError as exc:
        raise ProgramError(str(exc), path) from None


# -- sessions ---------------------------------------------------------------------------------
def _clock(hour: int, minute: int, meridiem: str | None, header: _Header,
           path: str) -> dt.time:
    """12:xx a.m. is just after midnight, 12:xx p.m. just after noon."""
    if minute > 59 or (meridiem and not 1 <= hour <= 12) or (not meridiem and hour > 23):
        raise ProgramError(f"'{header.date_text}' has no valid time; expected hh:mm with a.m. "
                           f"or p.m. (01:00 to 12:59) or 24-hour time (00:00 to 23:59)",
                           path, header.line)
    if meridiem:
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    return dt.time(hour, minute)


def _times(header: _Header, year: int, zone: dt.tzinfo, path: str,
           warnings: list[str]) -> tuple[dt.datetime, dt.datetime | None]:
    when = header.when
    assert when is not None
    _, month, day = month_day(header)
    date = dt.date(year, month, day)
    start_meridiem = when.group("sap")
    start_wall = dt.datetime.combine(
        date, _clock(int(when.group("sh")), int(when.group("sm")), start_meridiem, header, path))
    start = timezones.localize_checked(start_wall, zone)
    if start.note:
        warnings.append(f"line {header.line}: {start.note}")
    if when.group("eh") is None:
        return start.instant, None
    # An end without a.m./p.m. may take either; the end is the first reading after the start
    # (so "11:00 p.m. - 1:00" ends at 01:00 the next day).
    end_hour = int(when.group("eh"))
    either = start_meridiem and not when.group("eap") and 1 <= end_hour <= 12
    meridiems = ["a", "p"] if either else [when.group("eap")]
    end_clocks = [_clock(end_hour, int(when.group("em")), meridiem, header, path)
                  for meridiem in meridiems]
    end_wall = min(dt.datetime.combine(day, clock) for clock in end_clocks
                   for day in (date, date + dt.timedelta(days=1))
                   if dt.datetime.combine(day, clock) > start_wall)
    return start.instant, timezones.localize(end_wall, zone)


def _session(block: _Block, year: int | None, zone: dt.tzinfo, path: str,
             warnings: list[str]) -> Session:
    header = block.header
    start = end = None
    estimated = False
    if header.when is not None and year is not None:
        start, end = _times(header, year, zone, path, warnings)
        if end is None:
            end = timezones.add(start, ESTIMATED_DURATION[header.kind])
            estimated = True
    session = Session(id="", kind=header.kind, title=header.title, start=start, end=end,
                      end_estimated=estimated, floating=True, source_line=header.line,
                      speakers=[header.speaker] if header.speaker else [])
    _read_body(block, session)
    return session


def _read_body(block: _Block, session: Session) -> None:
    """Links and location for every session; the description for those without papers."""
    description: list[str] = []
    bio: list[str] | None = None
    for position, (_, line) in enumerate(block.body):
        website = _WEBSITE.match(line) or _BARE_URL.match(line)
        bracket = _BRACKET.match(line)
        if website is not None:
            label = "Website" if _WEBSITE.match(line) else ""
            session.links.append(Link(website.group("url"), label))
        elif bracket is not None:
            if not session.location and all(not text for _, text in block.body[:position]):
                session.location = bracket.group("label")
        elif session.kind in _PAPER_KINDS:
            continue
        elif bio is not None:
            bio.append(line)
        elif (found := _BIO.match(line)) and session.kind is SessionKind.INVITED_TALK:
            bio = [found.group("rest")]
        else:
            description.append(line)
    text = _join_lines(description)
    bio_text = _join_lines(bio or [])
    if bio_text:
        text = f"{text}\n\nBio: {bio_text}" if text else f"Bio: {bio_text}"
    session.description = text


def _join_lines(lines: list[str]) -> str:
    """Lines kept as lines (lists stay lists); runs of blank lines become one paragraph break."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _assign_session_ids(blocks: list[_Block], sessions: list[Session]) -> None:
    """Ids are title slugs; equal titles are told apart by their content, in an order that
    does not depend on where they sit in the text."""
    max_instant = dt.datetime.max.replace(tzinfo=timezones.UTC)

    def disambiguator(index: int) -> str:
        return fold_text(blocks[index].header.raw + " " + sessions[index].description[:200])

    order = sorted(range(len(sessions)), key=lambda i: (slug(sessions[i].title),
                                                        sessions[i].start or max_instant,
                                                        disambiguator(i)))
    taken: set[str] = set()
    for index in order:
        session_id = unique_id(slug(sessions[index].title), taken, disambiguator(index))
        taken.add(session_id)
        sessions[index].id = session_id


# -- papers -----------------------------------------------------------------------------------
def _paper_blocks(block: _Block) -> list[list[tuple[int, str]]]:
    """Runs of abstract lines, split at blank lines, ``[ Virtual ]`` and link lines."""
    runs: list[list[tuple[int, str]]] = [[]]
    for number, line in block.body:
        if not line or _BRACKET.match(line) or _WEBSITE.match(line) or _BARE_URL.match(line):
            runs.append([])
        else:
            runs[-1].append((number, line))
    return [run for run in runs if run]


def _papers(blocks: list[_Block], sessions: list[Session], options: ImportOptions, key: str,
            warnings: list[str]) -> dict[str, Paper]:
    """Papers of poster and oral sessions; one paper however many sessions show it."""
    runs = {i: _paper_blocks(b) for i, b in enumerate(blocks) if b.header.kind in _PAPER_KINDS}
    return papers_of_runs(runs, sessions, options, key, warnings)


def _program_name(conference: str, sessions: list[Session], zone: dt.tzinfo,
                  year: int | None) -> str:
    """``ICLR 2021 — Fri 7 May``: the conference and the days the page covers."""
    days = sorted({timezones.wall_clock(s.start, zone).date() for s in sessions if s.start})
    labels = [f"{day:%a} {day.day} {day:%b}" for day in days]
    span = labels[0] if len(labels) == 1 else f"{labels[0]} – {labels[-1]}" if labels else ""
    if conference and span:
        return f"{conference} — {span}"
    if conference:
        return conference
    if span:
        return f"Conference program — {span} {year}"
    return "Conference program"
