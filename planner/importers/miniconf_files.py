"""The files of a Mini-Conf site (ICLR, ICML, NeurIPS, ACL, EMNLP virtual sites), one reader
each: what kind of file a text is, and the entries and papers it holds.

Mini-Conf keeps its data in ``sitedata/`` (``main_calendar.json``, ``papers.csv``,
``speakers.csv``) or, for the ACL family, ``data/`` and ``configs/`` (``conference.json``,
``booklet_data.json``, ``socials_data.json``, ``paper_sessions.yml``, ``plenary_sessions.yml``,
``overall_calendar.yml``, ``main_papers.csv``). Each reader returns a :class:`Part`; merging
parts into one program is :mod:`planner.importers.miniconf_merge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.core.errors import ProgramError
from planner.core.model import Link, Paper, SessionKind
from planner.importers import structured
from planner.importers.structured import Locator, datetime_of, strings_of, text_of
from planner.importers.text import clean_line, html_to_text, kind_from_type, web_link

# The standard file names, longest first (a prefix such as "miniconf_acl2023_" may precede).
STANDARD_NAMES: dict[str, str] = {
    "conference.json": "conference", "booklet_data.json": "booklet",
    "socials_data.json": "socials", "main_calendar.json": "calendar",
    "overall_calendar.yml": "calendar", "paper_sessions.yml": "paper-sessions",
    "plenary_sessions.yml": "plenary", "main_papers.csv": "papers", "papers.csv": "papers",
    "speakers.csv": "speakers",
}


@dataclass
class Entry:
    """One session as one file gives it, before sessions from several files are merged."""

    key: str
    title: str
    kind: SessionKind
    start: dt.datetime | None  # naive: a floating wall time in the program's zone
    end: dt.datetime | None
    source: str
    rank: int  # which file wins when two files give the same session (lower wins)
    line: int | None = None
    room: str = ""
    track: str = ""
    speakers: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    description: str = ""
    paper_ids: list[str] = field(default_factory=list)
    paper_session_names: list[str] = field(default_factory=list)  # ICLR: "Mon Session 1"
    speaker_uid: str = ""  # ICLR: speaker_5.html -> speakers.csv UID 5


@dataclass
class Part:
    """What one file holds."""

    kind: str
    source: str
    entries: list[Entry] = field(default_factory=list)
    papers: dict[str, Paper] = field(default_factory=dict)
    paper_tracks: dict[str, str] = field(default_factory=dict)
    paper_sessions: dict[str, list[str]] = field(default_factory=dict)
    speakers: dict[str, dict[str, str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # descriptions, for zone words
    warnings: list[str] = field(default_factory=list)


def file_kind(text: str) -> str | None:
    """Which Mini-Conf file ``text`` is, from its first characters; None when it is none."""
    head = text[:3000].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        if '"sessions"' in head and '"events"' in head and '"start_time"' in head:
            return "conference"
        if any(f'"{key}"' in head for key in ("plenaries", "tutorials", "workshops",
                                              "social_events")) and '"start_time"' in head:
            return "booklet"
        return None
    if head.startswith("["):
        if '"calendarId"' in head and '"start"' in head:
            return "calendar"
        if '"start_time"' in head and ('"display_name"' in head or '"name"' in head):
            return "socials"
        return None
    header = structured.csv_header(head)
    if header[:3] == ["uid", "title", "authors"]:
        return "papers"
    if header[:2] == ["uid", "image"] and "speaker" in header:
        return "speakers"
    first_line = head.split("\n", 1)[0]
    if head.startswith(("<", "BEGIN:")) or ("," in first_line and ":" not in first_line):
        return None
    if "calendarId:" in head and "start:" in head:
        return "calendar"
    if "start_time:" in head and ("papers:" in head or "long_name:" in head):
        return "paper-sessions"
    if "UID:" in head and "sessions:" in head and "start_time:" in head:
        return "plenary"
    return None


def read_part(kind: str, text: str, source: str, path: str) -> Part:
    """The part a file of ``kind`` holds; ProgramError (with line) when its shape is wrong."""
    readers: dict[str, Callable[[Any, Part, Locator], None]] = {
        "conference": _conference, "booklet": _booklet, "socials": _socials,
        "calendar": _calendar, "paper-sessions": _paper_sessions, "plenary": _plenary,
    }
    part = Part(kind, source)
    if kind == "papers":
        _papers_csv(text, part, path)
    elif kind == "speakers":
        _speakers_csv(text, part, path)
    else:
        data = (structured.load_json(text, path) if text.lstrip("\ufeff \t\r\n")[:1] in "{["
                else structured.load_yaml(text, path))
        expected = dict if kind in ("conference", "booklet", "paper-sessions") else list
        if not isinstance(data, expected):
            raise ProgramError(f"is a Mini-Conf {kind} file whose top level is not a "
                               f"{'mapping' if expected is dict else 'list'}", path=path, line=1)
        readers[kind](data, part, Locator(text))
    return part


# -- readers -----------------------------------------------------------------------------------
def _times(item: dict[str, Any], start_key: str, end_key: str, part: Part,
           label: str, line: int | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = end = None
    try:
        start = datetime_of(item.get(start_key))
    except ValueError as exc:
        part.warnings.append(f"{part.source}:{line or '?'}: {label}: no start ({exc}); "
                             f"listed as unscheduled")
        return None, None
    raw_end = item.get(end_key)
    if raw_end not in (None, ""):
        try:
            end = datetime_of(raw_end)
        except ValueError as exc:
            part.warnings.append(f"{part.source}:{line or '?'}: {label}: end ignored ({exc})")
    if end is not None and (end.tzinfo is None) != (start.tzinfo is None):
        end = None
    return start, end


def _ids(value: Any) -> list[str]:
    """Paper ids from a list (anything else holds none)."""
    if not isinstance(value, list):
        return []
    return [text_of(pid) for pid in value if text_of(pid)]


def _mapping_items(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [item for item in value.values() if isinstance(item, dict)]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


_KINDS = {"oral": SessionKind.ORAL, "spotlight": SessionKind.ORAL, "poster": SessionKind.POSTER,
          "virtual poster": SessionKind.POSTER, "tutorial": SessionKind.WORKSHOP,
          "workshop": SessionKind.WORKSHOP, "social event": SessionKind.SOCIAL,
          "socials": SessionKind.SOCIAL}


def _kind(kind_text: str, title: str) -> SessionKind:
    known = _KINDS.get(kind_text.strip().lower())
    if known is not None:
        return known
    by_title = kind_from_type(title, SessionKind.OTHER)
    return by_title if by_title is not SessionKind.TALK else kind_from_type(kind_text,
                                                                            SessionKind.OTHER)


def _title(value: Any) -> str:
    """A title, HTML cleaned: ``<b>Gather Session 1K</b><br> Sponsor Booths`` reads
    ``Gather Session 1K: Sponsor Booths``."""
    lines = [clean_line(line) for line in html_to_text(text_of(value)).split("\n")]
    lines = [line for line in lines if line]
    return ": ".join(lines) if len(lines) > 1 else (lines[0] if lines else "")


def _conference(data: dict[str, Any], part: Part, where: Locator) -> None:
    events = data.get("events")
    if not isinstance(events, dict | list):
        events = [event for session in _mapping_items(data.get("sessions"))
                  for event in _mapping_items(session.get("events"))]
    for item in _mapping_items(events):
        key = text_of(item.get("id"))
        line = where.line_of(key)
        session_name, track = clean_line(text_of(item.get("session"))), clean_line(
            text_of(item.get("track")))
        kind_text = clean_line(text_of(item.get("type")))
        title = track if track and track != session_name else session_name
        if session_name and session_name != title and session_name.startswith("Session "):
            title = f"{session_name}: {title}"
        if kind_text and kind_text.lower() not in title.lower():
            title = f"{title} ({kind_text})"
        start, end = _times(item, "start_time", "end_time", part, title or key, line)
        links = [Link(url, "Link")] if (url := web_link(text_of(item.get("link")))) else []
        part.entries.append(Entry(
            key=key or title, title=title or key or "Untitled", kind=_kind(kind_text, title),
            start=start, end=end, source=part.source, rank=3, line=line,
            room=clean_line(text_of(item.get("room"))), track=track, links=links,
            speakers=strings_of(item.get("chairs")),
            paper_ids=_ids(item.get("paper_ids"))))
    papers = data.get("papers")
    for item in _mapping_items(papers):
        paper_id = clean_line(text_of(item.get("id") or item.get("UID")))
        if not paper_id:
            continue
        link = (web_link(text_of(item.get("pdf_url"))) or web_link(text_of(
            item.get("underline_url"))) or web_link(text_of(item.get("forum"))))
        part.papers[paper_id] = Paper(
            id=paper_id, title=_title(item.get("title")) or paper_id,
            abstract=html_to_text(text_of(item.get("abstract")) or text_of(item.get("tldr"))),
            link=link, authors=strings_of(item.get("authors")))
        part.paper_tracks[paper_id] = clean_line(text_of(item.get("track")))


_BOOKLET_KINDS = {"plenaries": SessionKind.INVITED_TALK, "tutorials": SessionKind.WORKSHOP,
                  "workshops": SessionKind.WORKSHOP, "social_events": SessionKind.SOCIAL}


def _booklet(data: dict[str, Any], part: Part, where: Locator) -> None:
    for section, default_kind in _BOOKLET_KINDS.items():
        for item in _mapping_items(data.get(section)):
            key = text_of(item.get("id"))
            title = _title(item.get("title")) or key or "Untitled"
            line = where.line_of(key) or where.line_of(text_of(item.get("title")))
            description = html_to_text(text_of(item.get("desc")))
            bio = html_to_text(text_of(item.get("bio")))
            part.texts.append(description)
            speakers = (strings_of(item.get("hosts")) or strings_of(item.get("speaker_name"))
                        or strings_of(item.get("chair"), ","))
            kind = default_kind
            if section == "plenaries" and not description.lower().startswith("keynote"):
                kind = kind_from_type(title, SessionKind.OTHER)
                if kind in (SessionKind.TALK, SessionKind.OTHER) and item.get("speaker_name"):
                    kind = SessionKind.INVITED_TALK
            start, end = _times(item, "start_time", "end_time", part, title, line)
            link = web_link(text_of(item.get("url")))
            part.entries.append(Entry(
                key=key or title, title=title, kind=kind, start=start, end=end,
                source=part.source, rank=1, line=line,
                room=clean_line(text_of(item.get("location"))).replace("\\&", "&"),
                speakers=speakers, links=[Link(link, "Website")] if link else [],
                description="\n\n".join(text for text in (description, bio) if text)))


def _socials(data: list[Any], part: Part, where: Locator) -> None:
    for item in _mapping_items(data):
        key = text_of(item.get("id"))
        line = where.line_of(key)
        title = _title(item.get("display_name")) or _title(item.get("name")) or key
        start, end = _times(item, "start_time", "end_time", part, title, line)
        link = web_link(text_of(item.get("link")))
        part.entries.append(Entry(
            key=key or title, title=title or "Untitled", kind=SessionKind.SOCIAL, start=start,
            end=end, source=part.source, rank=2, line=line,
            room=clean_line(text_of(item.get("room"))),
            links=[Link(link, "Chat")] if link else []))


def _calendar(data: list[Any], part: Part, where: Locator) -> None:
    seen: dict[tuple[object, object, str], Entry] = {}
    for item in _mapping_items(data):
        raw_title = text_of(item.get("title"))
        title = _title(raw_title) or "Untitled"
        line = where.line_of(raw_title)
        start, end = _times(item, "start", "end", part, title, line)
        href = text_of(item.get("link")) or text_of(item.get("location"))
        link = web_link(href)
        kind_text = text_of(item.get("type")) or ("talk" if item.get("calendarId") in (
            "qa", "talk") else "")
        entry = Entry(key=title, title=title, kind=_kind(kind_text, title), start=start,
                      end=end, source=part.source, rank=2, line=line,
                      links=[Link(link, "Link")] if link else [])
        if "session=" in href:
            entry.paper_session_names.append(
                href.split("session=", 1)[1].split("&", 1)[0].replace("+", " "))
        if "speaker_" in href:
            entry.speaker_uid = href.rsplit("speaker_", 1)[1].split(".", 1)[0]
        # Mini-Conf repeats a slot for its week and its day views: one session.
        same = (start, end, href)
        if href and same in seen:
            if text_of(item.get("view")) == "day":
                seen[same].title = entry.title
            continue
        seen[same] = entry
        part.entries.append(entry)


def _paper_sessions(data: dict[str, Any], part: Part, where: Locator) -> None:
    for key, item in data.items():
        if not isinstance(item, dict):
            continue
        key = text_of(key)
        line = where.line_of(key)
        name = clean_line(text_of(item.get("name")))
        title = _title(item.get("long_name")) or name or key
        start, end = _times(item, "start_time", "end_time", part, title, line)
        link = web_link(text_of(item.get("zoom_link")))
        kind = SessionKind.POSTER if "gather" in title.lower() else SessionKind.ORAL
        part.entries.append(Entry(
            key=key, title=title, kind=kind, start=start, end=end, source=part.source, rank=2,
            line=line, links=[Link(link, "Zoom")] if link else [],
            paper_ids=_ids(item.get("papers"))))


def _plenary(data: list[Any], part: Part, where: Locator) -> None:
    for item in _mapping_items(data):
        key = text_of(item.get("UID"))
        line = where.line_of(key)
        title = _title(item.get("title")) or key or "Untitled"
        description = "\n\n".join(text for text in (html_to_text(text_of(item.get("abstract"))),
                                                    html_to_text(text_of(item.get("bio"))))
                                  if text)
        kind = kind_from_type(title, SessionKind.OTHER)
        slots = _mapping_items(item.get("sessions"))
        for number, slot in enumerate(slots, start=1):
            start, end = _times(slot, "start_time", "end_time", part, title, line)
            suffix = f" ({clean_line(text_of(slot.get('name')))})" if len(slots) > 1 else ""
            part.entries.append(Entry(
                key=f"{key}-{number}" if len(slots) > 1 else key, title=title + suffix,
                kind=kind, start=start, end=end, source=part.source, rank=2, line=line,
                speakers=strings_of(item.get("presenter"), ","), description=description))


def _papers_csv(text: str, part: Part, path: str) -> None:
    rows = structured.csv_rows(text, path)
    _line, header = next(rows, (1, []))
    names = [cell.strip().lower() for cell in header]
    for line, row in rows:
        record = dict(zip(names, row, strict=False))
        paper_id = clean_line(record.get("uid", ""))
        if not paper_id:
            if any(cell.strip() for cell in row):
                part.warnings.append(f"{part.source}:{line}: a paper without UID; skipped")
            continue
        link = web_link(record.get("pdf_url", ""))
        part.papers[paper_id] = Paper(
            id=paper_id, title=_title(record.get("title", "")) or paper_id,
            abstract=html_to_text(record.get("abstract", "")), link=link,
            authors=strings_of(record.get("authors", "")))
        part.paper_tracks[paper_id] = clean_line(record.get("track", ""))
        sessions = strings_of(record.get("sessions", ""))
        if sessions:
            part.paper_sessions[paper_id] = sessions


def _speakers_csv(text: str, part: Part, path: str) -> None:
    rows = structured.csv_rows(text, path)
    _line, header = next(rows, (1, []))
    names = [cell.strip().lower() for cell in header]
    for _line, row in rows:
        record = dict(zip(names, row, strict=False))
        uid = record.get("uid", "").strip()
        if uid:
            part.speakers[uid] = record
