"""``list``, ``star``, ``unstar``, ``convert`` and ``zones``: thin wrappers over the core."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from typing import Any

from planner.cli import import_options, open_store
from planner.cli.live_cmds import open_program_arg
from planner.cli.note_args import (
    add_note_arguments,
    note_json,
    note_lines,
    save_notes,
    star_suffix,
    wants_note,
)
from planner.core import timefmt, timezones
from planner.core.busy import BusyTime, program_window
from planner.core.conflicts import ConflictSummary, is_calendar
from planner.core.errors import PlannerError
from planner.core.model import Program, Session, SessionKind
from planner.core.search import (
    matches,
    paper_text,
    query_terms,
    search_sessions,
    session_text,
)
from planner.core.stars import StarState
from planner.storage.store import Store
from planner.workspace import Workspace, display_zone_name


def register(subparsers: Any) -> None:
    from planner.cli import add_program_arguments

    listing = subparsers.add_parser("list", help="list the program's sessions in a time zone")
    add_program_arguments(listing)
    listing.add_argument("--tz", metavar="ZONE", help="display zone (default: this machine's)")
    listing.add_argument("--starred", action="store_true",
                         help="only starred sessions and sessions with starred papers")
    listing.add_argument("--kind", action="append", metavar="KIND",
                         help="only this kind (repeatable): " +
                              ", ".join(k.value for k in SessionKind))
    listing.add_argument("--search", metavar="TEXT", help="only sessions matching every word")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--busy", metavar="FILE",
                         help="your own calendar (.ics): starred sessions that overlap its busy "
                              "times are conflicts (its titles are never printed)")
    listing.set_defaults(handler=run_list)

    for name, starred in (("star", True), ("unstar", False)):
        parser = subparsers.add_parser(name, help=f"{name} sessions or papers by id")
        parser.add_argument("ids", nargs="+", metavar="ID", help="session or paper ids")
        parser.add_argument("--program", dest="program", metavar="PROGRAM",
                            help="program file or http(s) URL (default: the bundled ICLR 2021 day)")
        parser.add_argument("--source-tz", metavar="ZONE", help=argparse.SUPPRESS)
        parser.add_argument("--year", type=int, help="year for dates written without one")
        parser.add_argument("--catalog", metavar="FILE", help=argparse.SUPPRESS)
        parser.add_argument("--format", dest="format_name", help=argparse.SUPPRESS)
        if starred:
            add_note_arguments(parser)
        parser.set_defaults(handler=run_star, starred=starred)

    convert = subparsers.add_parser("convert", help="convert a wall-clock time between zones")
    convert.add_argument("time", metavar="TIME", help='e.g. "Fri 7 May 2021 02:00 a.m."')
    convert.add_argument("--from", dest="from_zone", required=True, metavar="ZONE")
    convert.add_argument("--to", dest="to_zone", metavar="ZONE",
                         help="target zone (default: this machine's)")
    convert.set_defaults(handler=run_convert)

    zones = subparsers.add_parser("zones", help="IANA time zones matching TEXT, with offsets")
    zones.add_argument("text", nargs="?", default="", metavar="TEXT")
    zones.set_defaults(handler=run_zones)


# -- shared ----------------------------------------------------------------------------------
def _open(args: argparse.Namespace) -> tuple[Program, Store]:
    program = open_program_arg(args.program, import_options(args),
                               getattr(args, "format_name", None), getattr(args, "data_dir", None))
    return program, open_store(args)


def _warn(program: Program) -> None:
    for warning in program.warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)


# -- list ------------------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    display_zone_arg = args.tz
    if display_zone_arg:
        timezones.get_zone(display_zone_arg)  # fail before the (slower) program load
    program, store = _open(args)
    with store:
        workspace = Workspace.open(program, store)
        zone = timezones.get_zone(display_zone_name(None, display_zone_arg))
    sessions = _select(program, workspace, args)
    clashes = workspace.conflict_summary(busy_times_arg(args, program, zone))
    _warn(program)  # on stderr, so --json output stays clean and warnings are never dropped
    if args.json:
        payload = [_session_json(program, s, workspace, zone) for s in sessions]
        if args.busy:
            for entry in payload:
                entry["calendar_clashes"] = clashes.calendar_counts.get(entry["id"], 0)
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_human(program, sessions, workspace, zone, clashes, query_terms(args.search or ""))
    return 0


def busy_times_arg(args: argparse.Namespace, program: Program,
                zone: dt.tzinfo) -> tuple[BusyTime, ...]:
    """``--busy FILE`` read around the program's dates; floating times in the display zone."""
    if not args.busy:
        return ()
    from planner.importers.busy_ics import read_busy_times

    busy = read_busy_times(args.busy, timezones.zone_name(zone), program_window(program))
    print(f"planner: {busy.summary()}", file=sys.stderr)
    return busy.times


def _select(program: Program, workspace: Workspace, args: argparse.Namespace) -> list[Session]:
    sessions = search_sessions(program, args.search) if args.search else list(program.sessions)
    if args.kind:
        kinds = {_parse_kind(k) for k in args.kind}
        sessions = [s for s in sessions if s.kind in kinds]
    if args.starred:
        agenda = {s.id for s in workspace.stars.agenda_sessions(program)}
        sessions = [s for s in sessions if s.id in agenda]
    timed = sorted((s for s in sessions if s.start), key=lambda s: (s.start, s.title))
    return timed + [s for s in sessions if not s.start]


def _parse_kind(text: str) -> SessionKind:
    kind = SessionKind.parse(text)
    if kind is SessionKind.OTHER and text.strip().lower() != "other":
        raise PlannerError(f"unknown kind {text!r}; expected one of "
                           f"{', '.join(k.value for k in SessionKind)}")
    return kind


def _iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    return timezones.to_zone(moment, zone).isoformat() if moment else None


def _session_json(program: Program, session: Session, workspace: Workspace,
                  zone: dt.tzinfo) -> dict[str, Any]:
    stars = workspace.stars
    return {
        "id": session.id,
        "kind": session.kind.value,
        "title": session.title,
        "speakers": list(session.speakers),
        "start": _iso(session.start, zone),
        "end": _iso(session.end, zone),
        "end_estimated": session.end_estimated,
        "end_before_start": session.end_before_start,
        "location": session.location or session.room,
        "links": [link.url for link in session.links],
        "starred": stars.is_starred(session.id),
        **note_json(stars, session.id),
        "papers": [{"id": paper.id, "title": paper.title, "title_derived": paper.title_derived,
                    "starred": stars.is_starred(paper.id), **note_json(stars, paper.id)}
                   for paper in program.papers_of(session)],
    }


def _star_mark(program: Program, session: Session, workspace: Workspace) -> str:
    state = workspace.stars.session_state(program, session)
    return {StarState.FULL: "★", StarState.PARTIAL: "⯪"}.get(state, " ")


def _ends_early(session: Session) -> bool:
    return session.end_before_start


def _print_human(program: Program, sessions: list[Session], workspace: Workspace,
                 zone: dt.tzinfo, clashes: ConflictSummary, terms: list[str]) -> None:
    out = sys.stdout
    out.write(f"{program.name} — times in {timezones.zone_name(zone)}"
              f" (program zone {program.source_zone}"
              f"{', guessed' if program.zone_guessed else ''})\n")
    current_day: dt.date | None = None
    for session in sessions:
        if session.start is None:
            continue
        local_start = timezones.to_zone(session.start, zone)
        if local_start.date() != current_day:
            current_day = local_start.date()
            out.write(f"\n{timefmt.dated_label(current_day)}\n")
        when = timefmt.clock_span(session.start, session.end, zone, session.end_estimated)
        flags = "  (the program ends it at or before its start)" if _ends_early(session) else ""
        out.write(f" {_star_mark(program, session, workspace)} {when:<18} {session.title}  "
                  f"[{session.kind.value}] ({session.id}){flags}\n")
        _print_details(program, session, workspace, clashes, terms, zone)
    unscheduled = [s for s in sessions if s.start is None]
    if unscheduled:
        out.write("\nUnscheduled (no time given)\n")
        for session in unscheduled:
            out.write(f" {_star_mark(program, session, workspace)} {session.title}"
                      f"  [{session.kind.value}] ({session.id})\n")
            _print_details(program, session, workspace, clashes, terms, zone)
    if any(s.end_estimated for s in sessions):
        out.write("\n~ end estimated (the program gives no end time)\n")
    stars = workspace.stars
    n_sessions, n_papers = stars.counts(program)
    out.write(f"\n{_count(n_sessions, 'session')} and {_count(n_papers, 'paper')} starred")
    n_conflicts = clashes.pairs
    if n_conflicts:
        out.write(f" · {n_conflicts} conflict{'s' if n_conflicts != 1 else ''}")
    clashing = len(clashes.calendar_counts)
    if clashing:
        out.write(f" · {_count(clashing, 'session')} "
                  f"{'clashes' if clashing == 1 else 'clash'} with your calendar")
    out.write("\n")
    missing = stars.missing(program)
    if missing:
        out.write(f"Starred but missing from this program: {', '.join(missing)}\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _print_details(program: Program, session: Session, workspace: Workspace,
                   clashes: ConflictSummary, terms: list[str], zone: dt.tzinfo) -> None:
    for line in note_lines(workspace.stars, session.id):
        sys.stdout.write(line + "\n")
    for other in clashes.others(session.id):
        if is_calendar(other):
            assert other.start is not None
            when = timefmt.clock_span(other.start, other.end, zone)
            sys.stdout.write(f"     ⚠ clashes with your calendar ({when})\n")
            continue
        sys.stdout.write(f"     ⚠ conflicts with {other.title}\n")
    more = clashes.unlisted(session.id)
    if more:
        sys.stdout.write(f"     ⚠ … and {_count(more, 'more conflict')}\n")
    starred_papers = workspace.stars.starred_papers_in(session)
    for paper_id in starred_papers:
        paper = program.papers[paper_id]
        marker = " (title derived from abstract)" if paper.title_derived else ""
        sys.stdout.write(f"     ★ {paper.title}{marker} ({paper.id})\n")
        for line in note_lines(workspace.stars, paper.id, indent="       "):
            sys.stdout.write(line + "\n")
    if terms:  # a search shows which papers matched, with the ids to star them by
        own_text = session_text(session)
        for paper in program.papers_of(session):
            if paper.id not in starred_papers and matches(
                    own_text + " " + paper_text(paper), terms):
                marker = " (title derived from abstract)" if paper.title_derived else ""
                sys.stdout.write(f"     ☆ {paper.title}{marker} ({paper.id})\n")
    if session.paper_ids:
        count = len(session.paper_ids)
        sys.stdout.write(f"     {count} {'paper' if count == 1 else 'papers'}\n")


# -- star / unstar ---------------------------------------------------------------------------
def run_star(args: argparse.Namespace) -> int:
    program, store = _open(args)
    with store:
        workspace = Workspace.open(program, store)
        noted = {i for i in args.ids if workspace.stars.note_of(i).note}
        if args.starred and wants_note(args):
            saved = save_notes(workspace, _dedupe(args.ids), args)
        else:
            saved = workspace.set_starred(_dedupe(args.ids), args.starred)
        from planner.export.keep import refresh_kept_exports

        for problem in refresh_kept_exports(program, workspace.stars, store):
            print(f"planner: warning: {problem}", file=sys.stderr)
    verb = "starred" if args.starred else "unstarred"
    for item_id in saved:
        suffix = star_suffix(workspace.stars, item_id) if args.starred and wants_note(args) \
            else ""
        if not args.starred and item_id in noted:
            suffix = " (its note was removed with the star)"
        print(f"{verb} {item_id}{suffix}")
    sys.stdout.flush()
    return 0


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# -- convert ---------------------------------------------------------------------------------
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.?", re.IGNORECASE)


def parse_wall_time(text: str) -> dt.datetime:
    """A naive wall-clock time from free text (dateutil), accepting ``a.m.``/``p.m.``."""
    from dateutil import parser as date_parser

    cleaned = _MERIDIEM.sub(lambda m: m.group(1) + "m", text.strip())
    try:
        # A naive default on purpose: the text is a wall-clock time in the --from zone.
        this_year = dt.datetime.now(dt.UTC).year
        parsed = date_parser.parse(cleaned, default=dt.datetime(this_year, 1, 1))  # noqa: DTZ001
    except (ValueError, OverflowError) as exc:
        raise PlannerError(f"cannot read the time {text!r}: {exc}; expected something like "
                           f"'Fri 7 May 2021 02:00 a.m.' or '2021-05-07 14:00'") from None
    if parsed.tzinfo is not None:
        raise PlannerError(f"the time {text!r} carries its own offset; give a wall-clock time "
                           f"and --from ZONE")
    return parsed


def run_convert(args: argparse.Namespace) -> int:
    source = timezones.get_zone(args.from_zone)
    target = timezones.get_zone(display_zone_name(None, args.to_zone))
    wall = parse_wall_time(args.time)
    localized = timezones.localize_checked(wall, source)
    converted = timezones.to_zone(timezones.check_supported(localized.instant), target)
    print(f"{timefmt.dated_label(converted.date())} {timefmt.hm(converted)} "
          f"{timezones.abbreviation(converted)}")
    if localized.note:
        print(f"note: {wall.strftime('%Y-%m-%d %H:%M')} in {args.from_zone}: {localized.note}",
              file=sys.stderr)
    return 0


# -- zones -----------------------------------------------------------------------------------
def run_zones(args: argparse.Namespace) -> int:
    found = timezones.search_zones(args.text)
    if not found:
        raise PlannerError(f"no time zone matches {args.text!r}")
    for name, offset in found:
        print(f"{name:<32} {offset}")
    return 0
