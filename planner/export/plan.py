"""The plan of an export: which events go into the file, their times, texts and UIDs.

Plain data, no icalendar: :func:`plan_events` decides which sessions (or paper slots) are
exported, their start and end on the chosen zone's clocks, summaries and descriptions, and the
file names for ``--split``. :mod:`planner.export.ics` renders the plan through icalendar.

UIDs are derived from the program's key and the session (and paper) id, so a second export
updates the events a calendar already has instead of duplicating them, on any machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from planner.core import timezones
from planner.core.errors import PlannerError, UnknownItemError
from planner.core.ids import short_hash, slug
from planner.core.model import ESTIMATED_DURATION, Paper, Program, Session
from planner.core.stars import Stars, resolve_ids
from planner.export.notes import is_maybe, notes_value, personal_block, with_personal
from planner.export.text import ELLIPSIS, clean_export_text, clip, one_line

UID_DOMAIN = "planner"
SUMMARY_LIMIT = 250
ABSTRACT_LIMIT = 600
SESSION_TEXT_LIMIT = 4000  # a session's own text is kept whole unless it is huge
OTHER_PAPERS_LIMIT = 200  # titles listed after the starred papers; the rest are counted
UNSCHEDULED_NAMED = 10
CANCELLED_NOTE = "Cancelled by the organizers."
UTC = timezones.UTC
MOMENT_LENGTH = dt.timedelta(minutes=1)


class ExportError(PlannerError):
    """An export that cannot be made as asked (nothing to export, unwritable path...)."""


class Scope(enum.StrEnum):
    """Which sessions go into the file."""

    STARRED = "starred"  # the agenda: starred sessions and those holding a starred paper
    ALL = "all"
    IDS = "ids"  # the sessions and papers named in ExportOptions.ids


@dataclass(frozen=True)
class ExportOptions:
    """What the user chose for one export.

    Attributes:
        scope: which sessions to export.
        ids: session or paper ids, for ``Scope.IDS``.
        zone: IANA zone of DTSTART/DTEND; ``UTC`` writes UTC times without a VTIMEZONE.
        alarm_minutes: add a display reminder this many minutes before each event.
        paper_events: one event per starred paper slot instead of one per session.
        split: also build one single-event calendar per event (``ExportResult.files``).
        stamp: DTSTAMP of every event (UTC); the current time when None.
        color: the calendar's COLOR (a CSS3 colour name), '' for none.
        refresh_minutes: REFRESH-INTERVAL for apps that subscribe to the file.
        source_url: SOURCE, the URI the calendar can be re-read from ('' when unknown).
    """

    scope: Scope = Scope.STARRED
    ids: tuple[str, ...] = ()
    zone: str = "UTC"
    alarm_minutes: int | None = None
    paper_events: bool = False
    split: bool = False
    stamp: dt.datetime | None = None
    # RFC 7986 calendar properties: a colour (a CSS3 name), how often a subscribed copy should
    # be re-read, and where it can be re-read from (SOURCE), when known.
    color: str = "darkorange"
    refresh_minutes: int | None = None
    source_url: str = ""


@dataclass(frozen=True)
class PlannedEvent:
    """One VEVENT, decided but not yet written: everything in it is plain data."""

    uid: str
    summary: str
    description: str
    start: dt.datetime  # aware, on the export zone's clocks (UTC when they are ambiguous)
    end: dt.datetime
    session_id: str
    paper_id: str = ""
    location: str = ""
    url: str = ""
    category: str = ""
    items: tuple[str, ...] = ()  # starred (or named) ids this event stands for
    file_name: str = ""  # for --split
    # Whole-day sessions: the first day and the day after the last, written as DATE values.
    dates: tuple[dt.date, dt.date] | None = None
    cancelled: bool = False
    maybe: bool = False  # every star it stands for is a "maybe" (planner.export.notes)
    notes: str = ""  # X-PLANNER-NOTES: the notes of ``items`` as data ('' for plain stars)

    @property
    def zoned(self) -> bool:
        """Whether DTSTART/DTEND name a zone (and so need its VTIMEZONE in the file)."""
        return self.dates is None and timezones.zone_name(self.start.tzinfo or UTC) != "UTC"


def event_uid(program: Program, session_id: str, paper_id: str = "") -> str:
    """The UID of a session's event (or of a paper slot's), the same on every export."""
    parts = [uid_namespace(program), session_id] + ([paper_id] if paper_id else [])
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def uid_namespace(program: Program) -> str:
    """What identifies the program in UIDs: its key, unless that is a path on this machine.

    Without a sidecar the key is the file's absolute path, which differs between machines; the
    program's name and file name do not.
    """
    return _namespace(program.key or program.name, program.name)


@functools.lru_cache(maxsize=64)
def _namespace(key: str, name: str) -> str:
    """Cached: every event's UID asks, and building a Path is a tenth of planning."""
    if Path(key).is_absolute() or "\\" in key:
        return f"{name}\x1f{Path(key.replace(chr(92), '/')).name}"
    return key


def plan_events(program: Program, stars: Stars, options: ExportOptions
                ) -> tuple[list[PlannedEvent], list[str]]:
    """The events of an export, in time order, and warnings (left-out sessions...)."""
    zone = timezones.get_zone(options.zone)
    sessions, highlight, warnings = _chosen(program, stars, options)
    unscheduled = [s for s in sessions if s.start is None]
    if unscheduled:
        names = ", ".join(one_line(s.title) or s.id for s in unscheduled[:UNSCHEDULED_NAMED])
        more = len(unscheduled) - UNSCHEDULED_NAMED
        names += f" and {more} more" if more > 0 else ""
        noun = "session" if len(unscheduled) == 1 else "sessions"
        warnings.append(f"left out {len(unscheduled)} {noun} without a time: {names}")
    scheduled = [s for s in sessions if s.start is not None]
    scheduled.sort(key=lambda s: (s.start, s.title, s.id))
    events: list[PlannedEvent] = []
    for session in scheduled:
        chosen_papers = [p for p in program.papers_of(session) if p.id in highlight]
        if options.paper_events and chosen_papers:
            events.extend(_paper_event(program, session, paper, zone, session.id in highlight,
                                       stars, options.split) for paper in chosen_papers)
        else:
            events.append(_session_event(program, session, highlight, chosen_papers, zone,
                                         stars, options.split))
    if not _is_utc(zone):
        in_utc = [e for e in events if e.dates is None and not e.zoned]
        if in_utc:
            warnings.append(
                f"{len(in_utc)} event(s) are written in UTC because their time happens twice "
                f"in {timezones.zone_name(zone)} (clocks go back): {in_utc[0].summary}")
    if options.split:  # file names are for --split only (and a slug per event costs)
        _name_files(events)
    return events, warnings


def _chosen(program: Program, stars: Stars, options: ExportOptions
            ) -> tuple[list[Session], set[str], list[str]]:
    """(sessions, ids to highlight, warnings) for the options' scope."""
    warnings: list[str] = []
    if options.scope is Scope.IDS:
        if not options.ids:
            raise ExportError("no ids given; name sessions or papers to export")
        known, unknown = resolve_ids(program, options.ids)
        if unknown:
            raise UnknownItemError(
                f"no session or paper with id {', '.join(unknown)} in {program.name}; "
                f"'planner list --json' shows the ids")
        named = set(known)
        sessions = [s for s in program.sessions
                    if s.id in named or any(pid in named for pid in s.paper_ids)]
        return sessions, named | stars.ids, warnings
    missing = stars.missing(program)
    if missing:
        warnings.append(f"{len(missing)} starred item(s) are no longer in {program.name}: "
                        f"{', '.join(missing[:UNSCHEDULED_NAMED])}")
    if options.scope is Scope.ALL:
        return list(program.sessions), set(stars.ids), warnings
    sessions = stars.agenda_sessions(program)
    if not sessions:
        raise ExportError(f"nothing starred in {program.name}; star sessions or papers first "
                          f"('planner star ID'), or export --all or --ids")
    return sessions, set(stars.ids), warnings


@dataclass(frozen=True)
class _Times:
    start: dt.datetime
    end: dt.datetime
    estimated: bool  # the program gave no end; ESTIMATED_DURATION was assumed
    dates: tuple[dt.date, dt.date] | None  # whole days, in the program's zone


def _times(program: Program, session: Session, zone: dt.tzinfo) -> _Times:
    """Start and end on the zone's clocks, whether the end is an estimate, whole days."""
    assert session.start is not None
    if session.all_day:
        # Days are days where the program happens, whatever the export zone.
        first = timezones.wall_clock(session.start, program.zone).date()
        last = first
        if session.end is not None and session.end > session.start:
            last = timezones.wall_clock(session.end, program.zone).date()
        after = last if last > first else first + dt.timedelta(days=1)
        return _Times(timezones.to_zone(session.start, zone),
                      timezones.to_zone(session.end or session.start, zone), False,
                      (first, after))
    estimated = session.end_estimated
    end = session.end
    if end is None or end < session.start:
        end = timezones.add(session.start, ESTIMATED_DURATION[session.kind])
        estimated = True
    elif end <= session.start:
        # The source ends it when (or before) it starts: one minute, the only form every
        # consumer of ics-interop accepts (a lone DTSTART fails icalendar's check,
        # DURATION:PT0S and DTEND = DTSTART calcurse's, and Radicale cannot place the latter).
        end = timezones.add(session.start, MOMENT_LENGTH)
    start = _to_zone(session.start, zone)
    end = _to_zone(end, zone)
    if _in_fold(start, zone) or _in_fold(end, zone):
        # The wall time happens twice (clocks go back): RFC 5545 means the first, dateutil (so
        # vobject and Radicale) takes the second and calcurse skips the event. UTC is one
        # instant for every reader.
        start, end = timezones.to_utc(start), timezones.to_utc(end)
    return _Times(start, end, estimated, None)


@functools.lru_cache(maxsize=8192)
def _to_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Cached: sessions share a few hundred start and end instants, and pytz's conversion is
    most of the planning time. Equal instants give the same wall time in ``zone``."""
    return timezones.to_zone(moment, zone)


def _in_fold(moment: dt.datetime, zone: dt.tzinfo) -> bool:
    return _wall_in_fold(moment.replace(tzinfo=None), zone)


@functools.lru_cache(maxsize=4096)
def _wall_in_fold(wall: dt.datetime, zone: dt.tzinfo) -> bool:
    """Cached: a program has few distinct start times, and pytz's check is slow."""
    return timezones.classify(wall, zone) is timezones.LocalTimeKind.FOLD


def _session_event(program: Program, session: Session, highlight: set[str],
                   chosen_papers: list[Paper], zone: dt.tzinfo, stars: Stars,
                   split: bool = False) -> PlannedEvent:
    times = _times(program, session, zone)
    title = one_line(session.title) or session.kind.label
    count = len(chosen_papers)
    summary = _cancelled(session) + clip(title, SUMMARY_LIMIT)
    if count:
        summary += f" ({count} starred paper{'s' if count != 1 else ''})"
    items = ([session.id] if session.id in highlight else []) + [p.id for p in chosen_papers]
    maybe = is_maybe(stars, items)
    personal = personal_block(stars, session.id, chosen_papers, maybe)
    return PlannedEvent(
        uid=event_uid(program, session.id), summary=summary,
        description=with_personal(personal, _session_description(
            program, session, chosen_papers, times, stars)),
        start=times.start, end=times.end, session_id=session.id, location=_location(session),
        url=_session_url(session), category=session.kind.label, items=tuple(items),
        file_name=_file_name(times, title) if split else "", dates=times.dates,
        cancelled=session.cancelled,
        maybe=maybe, notes=notes_value(stars, items))


def _paper_event(program: Program, session: Session, paper: Paper, zone: dt.tzinfo,
                 session_starred: bool, stars: Stars, split: bool = False) -> PlannedEvent:
    """One paper slot; it also carries the session's own star, which has no event here."""
    times = _times(program, session, zone)
    title = one_line(paper.title) or paper.id
    blocks = [clip(title, SUMMARY_LIMIT * 2)]
    if paper.authors:
        blocks[0] += "\n" + one_line(", ".join(paper.authors))
    where = f"In {one_line(session.title)} ({session.kind.value})"
    others = [one_line(s.title) for s in program.sessions_of(paper) if s.id != session.id]
    if others:
        where += "; also in " + ", ".join(others)
    blocks.append(where)
    if session.cancelled:
        blocks.insert(0, CANCELLED_NOTE)
    if times.estimated:
        blocks.append(_estimate_note(times.start, times.end))
    url = _web_url(paper.link)
    if url:
        blocks.append(url)
    abstract = _abstract(paper, ABSTRACT_LIMIT * 3)
    if abstract:
        blocks.append(abstract)
    items = (paper.id, session.id) if session_starred else (paper.id,)
    maybe = is_maybe(stars, items)
    return PlannedEvent(
        uid=event_uid(program, session.id, paper.id),
        summary=_cancelled(session) + clip(title, SUMMARY_LIMIT),
        description=with_personal(personal_block(stars, paper.id, maybe=maybe),
                                  "\n\n".join(blocks)),
        start=times.start, end=times.end,
        session_id=session.id, paper_id=paper.id, location=_location(session),
        url=url or _session_url(session), category=session.kind.label, items=items,
        file_name=_file_name(times, title) if split else "", dates=times.dates,
        cancelled=session.cancelled,
        maybe=maybe, notes=notes_value(stars, items))


def _cancelled(session: Session) -> str:
    """A SUMMARY prefix: not every calendar app shows STATUS:CANCELLED."""
    return "Cancelled: " if session.cancelled else ""


def _file_name(times: _Times, title: str) -> str:
    day = times.dates[0] if times.dates else times.start.date()
    return f"{day.isoformat()}-{slug(title)}.ics"


def _session_description(program: Program, session: Session, chosen: list[Paper],
                         times: _Times, stars: Stars) -> str:
    """Session facts, then the starred papers in full, then the others by title."""
    facts = [session.kind.label, one_line(session.track), one_line(session.room)]
    blocks = [CANCELLED_NOTE] if session.cancelled else []
    blocks.append(" · ".join(part for part in facts if part))
    subtitle = one_line(session.subtitle)
    if subtitle:
        blocks.append(subtitle)
    if session.speakers:
        blocks.append("Speakers: " + one_line(", ".join(session.speakers)))
    if times.estimated:
        blocks.append(_estimate_note(times.start, times.end))
    text = clean_export_text(session.description)
    if text:
        blocks.append(clip(text, SESSION_TEXT_LIMIT))
    links = [url for url in (_web_url(link.url) for link in session.links) if url]
    if links:
        blocks.append("\n".join(links))
    if chosen:
        entries = []
        for paper in chosen:
            maybe = " (maybe)" if stars.is_maybe(paper.id) else ""
            lines = ["★ " + clip(one_line(paper.title) or paper.id, SUMMARY_LIMIT * 2) + maybe]
            url = _web_url(paper.link)
            if url:
                lines.append(url)
            abstract = _abstract(paper, ABSTRACT_LIMIT)
            if abstract:
                lines.append(abstract)
            entries.append("\n".join(lines))
        blocks.append(f"Starred papers ({len(chosen)}):\n\n" + "\n\n".join(entries))
    chosen_ids = {p.id for p in chosen}
    others = [p for p in program.papers_of(session) if p.id not in chosen_ids]
    if others:
        heading = "Other papers" if chosen else "Papers"
        titles = ["• " + clip(one_line(p.title) or p.id, SUMMARY_LIMIT)
                  for p in others[:OTHER_PAPERS_LIMIT]]
        if len(others) > OTHER_PAPERS_LIMIT:
            titles.append(f"… and {len(others) - OTHER_PAPERS_LIMIT} more")
        blocks.append(f"{heading} in this session ({len(others)}):\n" + "\n".join(titles))
    return "\n\n".join(block for block in blocks if block)


def _abstract(paper: Paper, limit: int) -> str:
    """The abstract cut to ``limit``, ending in "…" when it is not the whole text."""
    text = clip(clean_export_text(paper.abstract), limit)
    if text and paper.abstract_truncated and not text.endswith(ELLIPSIS):
        text += ELLIPSIS
    return text


def _estimate_note(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    length = " ".join(part for part in (f"{hours} h" if hours else "",
                                        f"{rest} min" if rest else "") if part) or "0 min"
    return (f"End time estimated: the program gives only the start, so {length} is assumed.")


def _location(session: Session) -> str:
    parts = [one_line(session.room), one_line(session.location)]
    unique = list(dict.fromkeys(part for part in parts if part))
    return ", ".join(unique)


def _session_url(session: Session) -> str:
    for link in session.links:
        url = _web_url(link.url)
        if url:
            return url
    return ""


# An http(s) URL made only of what quote() below leaves alone: returned as it is, without
# cleaning and quoting it (a third of the URLs' share of planning).
_PLAIN_URL = re.compile(r"(?i:https?://)[A-Za-z0-9_.~:/?#\[\]@!$&'()*+,;=%-]*")


def _web_url(url: str) -> str:
    """An http(s) URL with nothing in it that could end the property, or ''."""
    if _PLAIN_URL.fullmatch(url):
        return url
    cleaned = clean_export_text(url)
    if not cleaned.lower().startswith(("http://", "https://")):
        return ""
    # Spaces, line breaks and non-ASCII letters are percent-encoded, as a browser would.
    return urllib.parse.quote(cleaned, safe=":/?#[]@!$&'()*+,;=%~")


def _name_files(events: list[PlannedEvent]) -> None:
    """Readable, unique file names for --split (a hash of the UID settles clashes)."""
    taken: set[str] = set()
    for index, event in enumerate(events):
        name = event.file_name
        if name in taken:
            name = f"{name.removesuffix('.ics')}-{short_hash(event.uid, length=6)}.ics"
            events[index] = dataclasses.replace(event, file_name=name)
        taken.add(name)


def _is_utc(zone: dt.tzinfo) -> bool:
    return timezones.zone_name(zone) == "UTC"
