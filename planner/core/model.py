"""The program model: plain dataclasses, no Qt, no I/O.

A :class:`Program` owns its :class:`Session` list and a dict of :class:`Paper` by id. A paper
presented in two sessions is one paper whose id appears in both sessions' ``paper_ids`` (two
*slots*). All instants are aware; sessions whose source gave wall-clock times without an offset
are ``floating`` and follow the program's source zone when the user changes it.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from planner.core import timezones


class SessionKind(enum.StrEnum):
    """What a session is; importers map what they cannot name to OTHER, never to an error."""

    INVITED_TALK = "invited talk"
    TALK = "talk"
    POSTER = "poster session"
    ORAL = "oral session"
    WORKSHOP = "workshop"
    REMARKS = "remarks"
    SOCIAL = "social"
    OTHER = "other"

    @functools.cached_property
    def label(self) -> str:
        """The kind as a heading ("Oral session"), made once per kind: an export of 10,000
        sessions asks for it 30,000 times."""
        return self.value.capitalize()

    @classmethod
    def parse(cls, text: str) -> SessionKind:
        """The kind named by ``text`` (value or enum name, any case); OTHER when unknown."""
        cleaned = text.strip().lower().replace("_", " ")
        for kind in cls:
            if cleaned in (kind.value, kind.name.lower().replace("_", " ")):
                return kind
        aliases = {"poster": cls.POSTER, "posters": cls.POSTER, "oral": cls.ORAL,
                   "orals": cls.ORAL, "invited": cls.INVITED_TALK, "keynote": cls.INVITED_TALK,
                   "lecture": cls.TALK, "workshops": cls.WORKSHOP}
        return aliases.get(cleaned, cls.OTHER)


# Lengths assumed when a source gives a start but no end. Shown as estimates everywhere.
# Poster 2 h: Poster Session 12 (02:00) is followed by Oral Session 12 (04:00) in the ICLR page.
# Workshop 8 h: the one ICLR 2021 workshop with a published schedule (SDG) ran 7.5 h.
ESTIMATED_DURATION: dict[SessionKind, dt.timedelta] = {
    SessionKind.INVITED_TALK: dt.timedelta(hours=1),
    SessionKind.TALK: dt.timedelta(minutes=30),
    SessionKind.POSTER: dt.timedelta(hours=2),
    SessionKind.ORAL: dt.timedelta(hours=2),
    SessionKind.WORKSHOP: dt.timedelta(hours=8),
    SessionKind.REMARKS: dt.timedelta(minutes=30),
    SessionKind.SOCIAL: dt.timedelta(hours=1),
    SessionKind.OTHER: dt.timedelta(hours=1),
}


@dataclass(frozen=True)
class Link:
    url: str
    title: str = ""

    @property
    def is_web(self) -> bool:
        """Only http(s) links may ever be opened."""
        return self.url.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class Paper:
    """One paper; its slots are the sessions whose ``paper_ids`` contain its id."""

    id: str
    title: str
    abstract: str = ""
    title_derived: bool = False  # headline made from the abstract; no real title known
    abstract_truncated: bool = False  # the source cut the abstract short ("…")
    link: str = ""
    authors: list[str] = field(default_factory=list)
    track: str = ""
    session_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Session:
    """A scheduled (or not yet scheduled) block of the program."""

    id: str
    kind: SessionKind
    title: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    end_estimated: bool = False
    # True when the source gave wall-clock times without an offset: they belong to the
    # program's source zone and move with it.
    floating: bool = False
    location: str = ""
    room: str = ""
    track: str = ""
    language: str = ""
    subtitle: str = ""
    speakers: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    description: str = ""
    paper_ids: list[str] = field(default_factory=list)
    guid: str = ""
    source_line: int | None = None  # where the session starts in the source, for messages
    # A whole-day entry (an iCalendar DATE value): start/end are midnights in the source zone.
    all_day: bool = False
    # The source marks it cancelled (iCalendar STATUS:CANCELLED); kept so stars can say so.
    cancelled: bool = False
    # iCalendar TRANSP:TRANSPARENT: on the calendar, but the time stays free (busy times skip it).
    transparent: bool = False
    # The source's end is at or before its start (real feeds have them; calendar apps open
    # them): kept as a moment at its start (end == start) and flagged wherever it is shown.
    end_before_start: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"session {self.id}: {name} must be timezone-aware")

    @property
    def scheduled(self) -> bool:
        return self.start is not None

    @property
    def duration(self) -> dt.timedelta | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


@dataclass
class Program:
    """A conference program as the app works on it."""

    name: str
    source_zone: str  # IANA name; wall-clock times without offset belong here
    sessions: list[Session] = field(default_factory=list)
    papers: dict[str, Paper] = field(default_factory=dict)
    # Stars are stored under this key: the same conference opened again keeps its stars.
    key: str = ""
    zone_guessed: bool = False  # the source zone is an inference; the user may change it
    zone_evidence: str = ""
    source_path: str = ""
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id: dict[str, Session] = {}
        self.reindex()

    # -- lookups ---------------------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild id lookups and papers' slot lists after sessions or papers changed."""
        self._by_id = {session.id: session for session in self.sessions}
        for paper in self.papers.values():
            paper.session_ids = []
        for session in self.sessions:
            for paper_id in session.paper_ids:
                slot_of = self.papers.get(paper_id)
                if slot_of is not None and session.id not in slot_of.session_ids:
                    slot_of.session_ids.append(session.id)

    def session(self, session_id: str) -> Session:
        return self._by_id[session_id]

    def find_session(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id or item_id in self.papers

    def papers_of(self, session: Session) -> list[Paper]:
        return [self.papers[pid] for pid in session.paper_ids if pid in self.papers]

    def sessions_of(self, paper: Paper) -> list[Session]:
        return [self._by_id[sid] for sid in paper.session_ids if sid in self._by_id]

    @property
    def zone(self) -> dt.tzinfo:
        return timezones.get_zone(self.source_zone)

    @property
    def scheduled(self) -> list[Session]:
        """Sessions with a start, in time order (ties by title)."""
        timed = [s for s in self.sessions if s.start is not None]
        return sorted(timed, key=lambda s: (s.start, s.title))

    @property
    def unscheduled(self) -> list[Session]:
        return [s for s in self.sessions if s.start is None]

    @property
    def rooms(self) -> list[str]:
        return _unique(s.room for s in self.sessions if s.room)

    @property
    def tracks(self) -> list[str]:
        return _unique(s.track for s in self.sessions if s.track)

    @property
    def kinds(self) -> list[SessionKind]:
        present = {s.kind for s in self.sessions}
        return [kind for kind in SessionKind if kind in present]

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First start and last end of the scheduled sessions."""
        timed = self.scheduled
        if not timed:
            return None
        first = timed[0].start
        last = max((s.end or s.start) for s in timed)  # type: ignore[type-var]
        assert first is not None and last is not None
        return first, last

    def iter_items(self) -> Iterator[tuple[str, Session | Paper]]:
        for session in self.sessions:
            yield session.id, session
        yield from self.papers.items()

    # -- changes ---------------------------------------------------------------------------
    def change_source_zone(self, zone_name: str) -> None:
        """Re-read every floating wall-clock time in another source zone.

        Sessions whose source gave explicit offsets keep their instants.
        """
        old_zone = self.zone
        new_zone = timezones.get_zone(zone_name)
        for session in self.sessions:
            if not session.floating or session.start is None:
                continue
            start_wall = timezones.wall_clock(session.start, old_zone)
            session.start = timezones.localize(start_wall, new_zone)
            if session.end is not None:
                end_wall = timezones.wall_clock(session.end, old_zone)
                session.end = timezones.localize(end_wall, new_zone)
        self.source_zone = timezones.zone_name(new_zone)
        self.zone_guessed = False


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)
