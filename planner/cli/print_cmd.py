"""``planner print``: "My agenda" as a PDF, the same pages File → Export PDF… writes.

Argument parsing and messages only: the content comes from
:func:`planner.export.agenda_print.build_print_agenda`, the pages from
:func:`planner.ui.printing.write_pdf` (Qt, started offscreen when there is no screen).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError

HOW_TO_STAR = ("star sessions or papers first: 'planner star ID' (the ids are in 'planner "
               "list'), or ☆ / Space in the window")


def register(subparsers: Any) -> None:
    from planner.cli import add_program_arguments

    printing = subparsers.add_parser(
        "print", help="write your agenda (starred sessions and papers) as a PDF to print",
        description="Write 'My agenda' as a PDF: your starred sessions and papers by day, on "
                    "your clock and the program's, with rooms, free time and conflicts.")
    add_program_arguments(printing)
    printing.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                          help="the PDF to write (replaced whole, or left as it was); '-' "
                               "for standard output")
    printing.add_argument("--tz", metavar="ZONE",
                          help="show times in this IANA zone (default: the display zone)")
    printing.add_argument("--day", metavar="YYYY-MM-DD",
                          help="only this day (on the display clock); default: the whole "
                               "conference")
    printing.add_argument("--paper", choices=["a4", "letter"],
                          help="page size (default: Letter where the locale measures in "
                               "inches, else A4)")
    printing.add_argument("--busy", metavar="FILE",
                          help="your own calendar (.ics): clashes with it are marked (its "
                               "titles are never printed)")
    printing.set_defaults(handler=run_print)


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PlannerError(f"--day expects a date such as 2021-05-07, not {text!r}") from None


def run_print(args: argparse.Namespace) -> int:
    # Imported here, so building the parser for another command stays cheap.
    from planner.cli import import_options, open_store
    from planner.cli.live_cmds import open_program_arg
    from planner.core import timezones
    from planner.export.agenda_print import (
        DayOutsideProgramError,
        NothingToPrintError,
        build_print_agenda,
    )
    from planner.workspace import Workspace, display_zone_name

    if args.tz:
        timezones.get_zone(args.tz)  # an unknown zone fails before the program is read
    day = _day(args.day)
    target = Path(args.output)
    if args.output != "-" and target.is_dir():
        raise PlannerError(f"cannot write {target}: it is a folder; give a file name")
    program = open_program_arg(args.program, import_options(args), args.format_name,
                               getattr(args, "data_dir", None))
    store = open_store(args)
    with store:
        workspace = Workspace.open(program, store)
        zone = timezones.get_zone(display_zone_name(store, args.tz))
    from planner.cli.program_cmds import busy_times_arg

    busy = busy_times_arg(args, program, zone)
    try:
        agenda = build_print_agenda(program, workspace.stars, zone, day, busy)
    except NothingToPrintError as error:
        raise PlannerError(f"{error}; {HOW_TO_STAR}") from None
    except DayOutsideProgramError as error:
        raise PlannerError(f"--day {error}") from None
    from planner.ui.printing import ensure_gui_application, pdf_bytes, write_pdf

    ensure_gui_application()
    if args.output == "-":  # planner print -o - | lp
        data, pages = pdf_bytes(agenda, args.paper)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        print(f"planner: {agenda.summary} on {_pages(pages)} (times in "
              f"{agenda.display_zone})", file=sys.stderr)
        return 0
    outcome, pages = write_pdf(agenda, target, args.paper)
    for note in outcome.notes:
        print(f"planner: warning: {note}", file=sys.stderr)
    print(f"wrote {agenda.summary} on {_pages(pages)} to {target} (times in "
          f"{agenda.display_zone})")
    return 0


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"
