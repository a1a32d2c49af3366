"""``export`` and ``import-stars``: the agenda to iCalendar files and stars back from them.

Argument parsing and printing only; the rules live in :mod:`planner.export.ics`, which the window
calls too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from planner.cli import import_options, open_store
from planner.cli.live_cmds import open_program_arg
from planner.core.errors import PlannerError
from planner.core.model import Program
from planner.core.star_notes import StarNote
from planner.storage.store import Store
from planner.workspace import Workspace, display_zone_name

MAX_CALENDAR_BYTES = 64 * 1024 * 1024


def register(subparsers: Any) -> None:
    from planner.cli import add_program_arguments

    export = subparsers.add_parser(
        "export", help="write the agenda (or chosen sessions) as an iCalendar .ics file",
        description="Write sessions as an iCalendar file for Google, Apple, Outlook, "
                    "Thunderbird or any CalDAV calendar. Exporting again updates the events "
                    "instead of duplicating them.")
    add_program_arguments(export)
    where = export.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="PATH",
                       help="the .ics file to write ('-' for standard output); with --split, "
                            "a folder")
    where.add_argument("--vdir", metavar="DIR",
                       help="one .ics per event in DIR, as khal and vdirsyncer read it; "
                            "updated in place, only planner's own files are removed")
    scope = export.add_mutually_exclusive_group()
    scope.add_argument("--starred", dest="scope", action="store_const", const="starred",
                       help="starred sessions and sessions holding a starred paper (default)")
    scope.add_argument("--all", dest="scope", action="store_const", const="all",
                       help="every scheduled session")
    scope.add_argument("--ids", nargs="+", metavar="ID",
                       help="these sessions, and the sessions of these papers")
    zone = export.add_mutually_exclusive_group()
    zone.add_argument("--tz", metavar="ZONE",
                      help="write times in this IANA zone (default: the display zone)")
    zone.add_argument("--utc", action="store_true", help="write times in UTC")
    export.add_argument("--alarm", type=_alarm_minutes, metavar="MINUTES",
                        help="add a reminder this many minutes before each event (0 to "
                             "40,320, four weeks)")
    export.add_argument("--split", action="store_true",
                        help="write one .ics per event into the folder given by -o")
    export.add_argument("--paper-events", action="store_true",
                        help="one event per starred paper slot instead of one per session")
    keep = export.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true",
                      help="rewrite this export whenever the stars or the program change")
    keep.add_argument("--no-keep", action="store_true",
                      help="stop rewriting this export on changes (and write it once now)")
    export.set_defaults(handler=run_export, scope=None)

    stars = subparsers.add_parser(
        "import-stars", help="star again what a planner .ics export contains",
        description="Star the sessions and papers of a file made by 'planner export' (or a "
                    "folder made with --split), matched by UID: move stars between machines.")
    stars.add_argument("file", metavar="FILE.ics", help="an exported file or --split folder")
    stars.add_argument("program", nargs="?", metavar="PROGRAM",
                       help="program file or http(s) URL (default: the bundled ICLR 2021 day)")
    stars.add_argument("--source-tz", metavar="ZONE", help=argparse.SUPPRESS)
    stars.add_argument("--year", type=int, help="year for dates written without one")
    stars.add_argument("--catalog", metavar="FILE",
                       help="paper catalog used when the stars were exported")
    stars.add_argument("--format", dest="format_name", help=argparse.SUPPRESS)
    stars.set_defaults(handler=run_import_stars)


def _alarm_minutes(text: str) -> int:
    """--alarm: whole minutes within what an alarm can say (refused before any work)."""
    from planner.export.ics import MAX_ALARM_MINUTES

    try:
        minutes = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole minutes, not {text!r}") from None
    if not 0 <= minutes <= MAX_ALARM_MINUTES:
        raise argparse.ArgumentTypeError(f"expected 0 to {MAX_ALARM_MINUTES:,} minutes (four "
                                         f"weeks), not {minutes:,}")
    return minutes


def _open(args: argparse.Namespace) -> tuple[Program, Store]:
    program = open_program_arg(args.program, import_options(args), args.format_name,
                               getattr(args, "data_dir", None))
    return program, open_store(args)


def run_export(args: argparse.Namespace) -> int:
    from planner.export.ics import ExportOptions, Scope, export_ics, write_export

    if args.split and args.output == "-":
        raise PlannerError("--split writes a folder; give its path with -o")
    if args.vdir or args.keep or args.no_keep:
        from planner.cli.keep_cmd import run_kept_export

        return run_kept_export(args)
    program, store = _open(args)
    with store:
        workspace = Workspace.open(program, store)
        zone = "UTC" if args.utc else display_zone_name(store, args.tz)
        scope = Scope.IDS if args.ids else Scope(args.scope or "starred")
        options = ExportOptions(scope=scope, ids=tuple(args.ids or ()), zone=zone,
                                alarm_minutes=args.alarm, paper_events=args.paper_events,
                                split=args.split)
        result = export_ics(program, workspace.stars, options)
    count = len(result.events)
    noun = "event" if count == 1 else "events"
    if args.output == "-":
        _warn(result.warnings)
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        print(f"planner: {count} {noun}, times in {result.zone}", file=sys.stderr)
        return 0
    try:
        written = write_export(result, args.output, split=args.split)
    finally:
        _warn(result.warnings)  # what the plan said, and what writing found (hard links)
    where = f"{len(written)} files in {args.output}" if args.split else args.output
    print(f"wrote {count} {noun} to {where} (times in {result.zone})")
    return 0


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)


def _read_calendar(path: Path) -> bytes:
    """The bytes of an .ics file, or one readable line about why not."""
    from planner.importers.reading import read_user_file

    data = read_user_file(path, "an iCalendar (.ics) file made by 'planner export'",
                          MAX_CALENDAR_BYTES, plural="calendars")
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise PlannerError(f"{path}: not an iCalendar file; expected a .ics file made by "
                           f"'planner export'")
    return data


def bring_back_notes(workspace: Workspace, notes: dict[str, StarNote], new: list[str]) -> int:
    """Notes and priorities from an export, for the stars it just made (a star that was
    already here keeps its own note and priority: the user's words on this computer win)."""
    count = 0
    for item_id in new:
        note = notes.get(item_id)
        if note is not None and not note.plain:
            workspace.annotate([item_id], note=note.note, priority=note.priority)
            count += 1
    return count


def run_import_stars(args: argparse.Namespace) -> int:
    from planner.export.ics import stars_from_ics

    source = Path(args.file)
    files = sorted(source.glob("*.ics")) if source.is_dir() else [source]
    if not files:
        raise PlannerError(f"{source}: no .ics files in this folder")
    texts = [_read_calendar(path) for path in files]
    program, store = _open(args)
    with store:
        found = stars_from_ics(program, texts)
        if not found.matched:
            raise PlannerError(
                f"{source}: none of its {found.events} event(s) was exported from "
                f"{program.name}; name the program it came from")
        workspace = Workspace.open(program, store)
        new = [item for item in found.ids if not workspace.stars.is_starred(item)]
        workspace.set_starred(found.ids, True)
        noted = bring_back_notes(workspace, found.notes, new)
    if found.unknown_items:
        print(f"planner: warning: {len(found.unknown_items)} starred item(s) are not in "
              f"{program.name}: {', '.join(found.unknown_items[:10])}", file=sys.stderr)
    if found.matched < found.events:
        print(f"planner: warning: {found.events - found.matched} event(s) do not belong to "
              f"{program.name} and were ignored", file=sys.stderr)
    print(f"starred {len(new)} item(s) from {source} ({len(found.ids) - len(new)} already "
          f"starred)" + (f"; {noted} note(s) and priorities brought back" if noted else ""))
    return 0
