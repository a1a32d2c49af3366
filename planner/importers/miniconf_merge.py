"""Several Mini-Conf files of one conference made into one program.

The same session often appears in two files (ACL 2023's keynotes are in ``conference.json``
and in ``booklet_data.json``; its welcome reception in three), with titles worded differently
and, in ``conference.json``, room-less plenaries whose times are 4 hours off (UTC wall times
labelled ``-04:00``). Two entries are one session when they come from different files, are
written on the same date and their titles share most of their words (or one names the other's
speaker). The entry of the richer file wins (booklet, then socials, then the conference
file); a disagreement about its time is a warning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from planner.core import timezones
from planner.core.ids import fold_text, slug
from planner.core.model import ESTIMATED_DURATION, Paper, Program, Session
from planner.importers.miniconf_files import Entry, Part
from planner.importers.text import IdAllocator, choose_zone
from planner.importers.zone_words import count_zone_words, zone_from_words

_GENERIC = frozenset({"the", "a", "an", "of", "in", "on", "and", "for", "to", "with", "at",
                      "by", "from", "session", "plenary", "keynote", "tutorial", "workshop",
                      "panel", "event", "social", "oral", "poster", "live", "t1", "t2", "t3",
                      "t4", "t5", "t6", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9"})


def build_program(parts: Sequence[Part], name: str, requested_zone: str | None,
                  key: str) -> Program:
    """One program from the parts of one conference."""
    warnings = [warning for part in parts for warning in part.warnings]
    entries = _dedupe([entry for part in parts for entry in part.entries], warnings)
    zone_name, guessed, evidence = _zone(parts, entries, requested_zone, warnings)
    zone = timezones.get_zone(zone_name)
    papers: dict[str, Paper] = {}
    tracks: dict[str, str] = {}
    paper_sessions: dict[str, list[str]] = {}
    speakers: dict[str, dict[str, str]] = {}
    for part in parts:
        papers.update(part.papers)
        tracks.update(part.paper_tracks)
        paper_sessions.update(part.paper_sessions)
        speakers.update(part.speakers)
    ids = IdAllocator()
    sessions: list[Session] = []
    by_session_name: dict[str, list[Session]] = {}
    for entry in entries:
        session = _session(entry, zone, ids, speakers)
        session.paper_ids = [pid for pid in dict.fromkeys(entry.paper_ids) if pid in papers]
        missing = len(set(entry.paper_ids)) - len(session.paper_ids)
        if missing and papers:
            warnings.append(f"{entry.source}:{entry.line or '?'}: {entry.title}: {missing} "
                            f"paper id(s) not in the paper list")
        if not session.track and session.paper_ids:
            session.track = tracks.get(session.paper_ids[0], "")
        for paper_session in entry.paper_session_names:
            by_session_name.setdefault(fold_text(paper_session), []).append(session)
        sessions.append(session)
    for paper_id, names in paper_sessions.items():
        for paper_session in names:
            for session in by_session_name.get(fold_text(paper_session), []):
                if paper_id not in session.paper_ids:
                    session.paper_ids.append(paper_id)
    _paper_ids_apart(sessions, papers)
    program = Program(name=name, source_zone=zone_name, sessions=sessions, papers=papers,
                      key=key, zone_guessed=guessed, zone_evidence=evidence,
                      warnings=warnings)
    unplaced = sum(1 for paper in program.papers.values() if not paper.session_ids)
    if unplaced:
        program.warnings.append(f"{unplaced} of {len(papers)} papers are in no session of "
                                f"these files (search still finds them)")
    return program


def _session(entry: Entry, zone: dt.tzinfo, ids: IdAllocator,
             speakers: dict[str, dict[str, str]]) -> Session:
    start = end = None
    floating = False
    if entry.start is not None:
        floating = entry.start.tzinfo is None
        start = timezones.localize(entry.start, zone) if floating else entry.start
        if entry.end is not None:
            end = timezones.localize(entry.end, zone) if floating else entry.end
    estimated = start is not None and end is None
    if estimated:
        assert start is not None
        end = timezones.add(start, ESTIMATED_DURATION[entry.kind])
    description, names = entry.description, list(entry.speakers)
    speaker = speakers.get(entry.speaker_uid) if entry.speaker_uid else None
    if speaker is not None:
        from planner.importers.text import clean_line, html_to_text

        talk = clean_line(speaker.get("title", ""))
        names = names or [clean_line(speaker.get("speaker", ""))]
        description = "\n\n".join(text for text in (
            f"Talk: {talk}" if talk else "", html_to_text(speaker.get("abstract", "")),
            html_to_text(speaker.get("bio", ""))) if text)
    session_id = ids.allocate(slug(entry.key or entry.title, 60),
                              f"{entry.title}|{entry.start}|{entry.room}")
    return Session(id=session_id, kind=entry.kind, title=entry.title, start=start, end=end,
                   end_estimated=estimated, floating=floating, room=entry.room,
                   track=entry.track, speakers=[n for n in names if n], links=entry.links,
                   description=description, source_line=entry.line)


def _paper_ids_apart(sessions: list[Session], papers: dict[str, Paper]) -> None:
    """Paper ids must not be session ids: a clashing session id gets a ``session-`` prefix."""
    for session in sessions:
        if session.id in papers:
            session.id = f"session-{session.id}"


# -- zone --------------------------------------------------------------------------------------
def _zone(parts: Sequence[Part], entries: list[Entry], requested: str | None,
          warnings: list[str]) -> tuple[str, bool, str]:
    exact = [entry.start for entry in entries if entry.start is not None
             and entry.start.tzinfo is not None]
    floating = any(entry.start is not None and entry.start.tzinfo is None for entry in entries)
    if requested:
        choice = choose_zone(requested=requested)
        return choice.name, False, choice.evidence
    words = count_zone_words(text for part in parts for text in part.texts)
    local_offsets: Counter[dt.timedelta] = Counter(
        moment.utcoffset() or dt.timedelta() for moment in exact)
    non_utc = Counter({offset: n for offset, n in local_offsets.items() if offset})
    found = zone_from_words(words, exact)
    if found is not None:
        zone_name, word = found
        shown = ", ".join(sorted({timezones.format_offset(o) for o in non_utc})) or "UTC"
        evidence = f"the text says {word}; exact times carry {shown}"
        warnings.append(f"The files name no time zone; their times are read as {zone_name}, "
                        f"guessed from {evidence}. Change the program's zone if that is wrong.")
        return zone_name, True, f"guessed: {evidence}"
    if floating and not exact:
        choice = choose_zone()
    else:
        choice = choose_zone(offsets=non_utc or None, only_utc=not non_utc)
    warnings.extend(choice.warnings)
    return choice.name, choice.guessed, choice.evidence


# -- duplicates across files --------------------------------------------------------------------
def _words(entry: Entry) -> set[str]:
    words = set(fold_text(entry.title).split())
    return (words - _GENERIC) or words


def _shared(a: set[str], b: set[str]) -> int:
    """Shared words, counting an acronym of one side (ARR) for the words it stands for."""
    shared = len(a & b)
    for word in a - b:
        if 2 <= len(word) <= 5 and _is_acronym(word, b):
            shared += 1
    for word in b - a:
        if 2 <= len(word) <= 5 and _is_acronym(word, a):
            shared += 1
    return shared


def _is_acronym(word: str, others: set[str]) -> bool:
    initials = {other[0] for other in others}
    return all(letter in initials for letter in word) and len(others) >= len(word)


def _same(a: Entry, b: Entry) -> bool:
    if a.source == b.source or a.start is None or b.start is None:
        return False
    if a.start.date() != b.start.date():
        return False
    words_a, words_b = _words(a), _words(b)
    names = {fold_text(name) for name in a.speakers + b.speakers if name}
    folded = f" {fold_text(a.title)} {fold_text(b.title)} "
    if any(name and f" {name} " in folded for name in names):
        return True
    smaller = min(len(words_a), len(words_b))
    return smaller > 0 and _shared(words_a, words_b) / smaller >= 0.6


def _dedupe(entries: list[Entry], warnings: list[str]) -> list[Entry]:
    """Entries with each session once: the best-ranked copy, with the others' links and papers."""
    kept: list[Entry] = []
    by_date: dict[dt.date, list[Entry]] = {}
    shifts: dict[str, list[dt.timedelta]] = {}
    for entry in sorted(entries, key=lambda e: e.rank):
        candidates = by_date.get(entry.start.date(), []) if entry.start is not None else []
        match = next((other for other in candidates if other.rank < entry.rank
                      and not other.paper_ids and not entry.paper_ids and _same(other, entry)),
                     None)
        if match is None:
            kept.append(entry)
            if entry.start is not None:
                by_date.setdefault(entry.start.date(), []).append(entry)
            continue
        for link in entry.links:
            if link not in match.links:
                match.links.append(link)
        match.room = match.room or entry.room
        shift = _utc_label_shift(match, entry)
        if shift is not None and not entry.room:
            shifts.setdefault(entry.source, []).append(shift)
        if _disagree(match, entry):
            warnings.append(f"{entry.source}:{entry.line or '?'}: {entry.title!r} starts "
                            f"{_shown(entry.start)}, but {match.source} says "
                            f"{_shown(match.start)}; kept {match.source}'s time")
    _correct_utc_labels(kept, shifts, warnings)
    return kept


def _utc_label_shift(floating: Entry, exact: Entry) -> dt.timedelta | None:
    """How far an exact time's wall clock is from the floating copy's, when that is exactly
    the negated offset (a UTC wall time labelled with the local offset), else None."""
    if floating.start is None or exact.start is None or floating.start.tzinfo is not None:
        return None
    offset = exact.start.utcoffset()
    if exact.start.tzinfo is None or not offset:
        return None
    delta = exact.start.replace(tzinfo=None) - floating.start
    return delta if delta == -offset else None


def _correct_utc_labels(kept: list[Entry], shifts: dict[str, list[dt.timedelta]],
                        warnings: list[str]) -> None:
    """ACL 2023's conference.json gives its room-less plenaries as UTC wall times with the
    local offset (every one the booklet also lists is 4 hours late); when at least three
    matched copies of a file agree on that, its unmatched room-less entries are read as UTC."""
    for source, deltas in shifts.items():
        if len(deltas) < 3 or len(set(deltas)) != 1:
            continue
        fixed = 0
        for entry in kept:
            if entry.source != source or entry.room or entry.start is None:
                continue
            if entry.start.tzinfo is None or entry.start.utcoffset() != -deltas[0]:
                continue
            entry.start = entry.start.replace(tzinfo=dt.UTC)
            if entry.end is not None and entry.end.tzinfo is not None:
                entry.end = entry.end.replace(tzinfo=dt.UTC)
            fixed += 1
        if fixed:
            hours = deltas[0].total_seconds() / 3600
            warnings.append(f"{source}: its room-less events are {hours:g} h late in all "
                            f"{len(deltas)} that another file also gives (UTC times labelled "
                            f"with the local offset); {fixed} more such events are read as UTC")


def _disagree(a: Entry, b: Entry) -> bool:
    if a.start is None or b.start is None:
        return False
    if (a.start.tzinfo is None) != (b.start.tzinfo is None):
        return a.start.replace(tzinfo=None) != b.start.replace(tzinfo=None) and not (
            b.start.tzinfo is not None and b.start.utcoffset() == dt.timedelta(0))
    return a.start != b.start


def _shown(moment: dt.datetime | None) -> str:
    if moment is None:
        return "?"
    text = moment.strftime("%Y-%m-%d %H:%M")
    return text + (timezones.format_offset(moment.utcoffset() or dt.timedelta())
                   if moment.tzinfo is not None else " (local)")
