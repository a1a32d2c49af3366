"""``planner gui``: the desktop window (also what ``planner`` alone runs).

Qt is imported only when the command runs, so the other commands start without it.
"""

from __future__ import annotations

import argparse
import os
import sys

from planner.core import timezones
from planner.core.errors import PlannerError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "gui", help="open the window",
        description="Open the planner window on PROGRAM (default: the last program opened, "
                    "else the bundled one).")
    parser.add_argument("program", nargs="?", metavar="PROGRAM",
                        help="program file or http(s) URL (frab XML/JSON, .ics, copied page)")
    parser.add_argument("--tz", metavar="ZONE",
                        help="show times in this IANA zone for this run (default: the zone "
                             "chosen last time, else the system's)")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="render the window to a PNG file and exit (no display needed)")
    parser.add_argument("--select", metavar="ID",
                        help="select this session or paper id (see 'planner list --json')")
    parser.add_argument("--size", metavar="WxH", help="window size, e.g. 1280x800")
    parser.add_argument("--view", choices=["timeline", "list", "agenda", "overview"],
                        help="with --screenshot: the view to show (default: the one shown last)")
    parser.add_argument("--busy", metavar="FILE",
                        help="show your own calendar (.ics) as busy times for this run (File → "
                             "Open Busy Times… remembers one)")
    parser.add_argument("--theme", choices=["system", "light", "dark"],
                        help="palette for this run (default: the one chosen in View → Theme)")
    parser.set_defaults(handler=run)


def _check_display(args: argparse.Namespace) -> None:
    """Say clearly that there is no screen, instead of letting Qt abort the process."""
    if args.screenshot or os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith(
            "linux"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise PlannerError("no display to open the window on (neither DISPLAY nor "
                           "WAYLAND_DISPLAY is set); start it from a desktop session, or use "
                           "'planner list' or 'planner gui --screenshot FILE.png'")


def run(args: argparse.Namespace) -> int:
    if args.tz:
        timezones.get_zone(args.tz)  # before Qt starts: an unknown zone is one clear line
    _check_display(args)
    from planner.ui.app import GuiOptions, parse_size
    from planner.ui.app import run as run_window

    options = GuiOptions(program=args.program, tz=args.tz,
                         data_dir=getattr(args, "data_dir", None), screenshot=args.screenshot,
                         select=args.select, size=parse_size(args.size) if args.size else None,
                         theme=args.theme, view=getattr(args, "view", None),
                         busy=getattr(args, "busy", None))
    return run_window(options)
