"""``refresh``, ``now`` and ``remind``: following a live program from the command line, and
:func:`open_program_arg`, which lets every command take an http(s) address for PROGRAM.

A download problem with an offline copy at hand is one line on stderr and exit 0 (the copy is
used); with no copy it is one line and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from planner.core import timezones
from planner.core.errors import PlannerError

if TYPE_CHECKING:
    from planner.core.model import Program
    from planner.importers import ImportOptions
    from planner.net.refresh import RefreshOutcome

SETTING_LAST_URL = "last_program"  # the same setting the window and workspace use


def register(subparsers: Any) -> None:
    from planner.cli import format_names

    refresh = subparsers.add_parser(
        "refresh", help="download a program again (conditionally) and list what changed",
        description="Ask the server for a newer version of the program at URL (default: the "
                    "web program opened last). A new version replaces the offline copy only "
                    "once it parses; your stars follow their talks, and what changed among "
                    "them is listed.")
    refresh.add_argument("url", nargs="?", metavar="URL", help="http(s) address of a program")
    refresh.add_argument("--tz", metavar="ZONE", help="show times in this zone")
    refresh.add_argument("--format", dest="format_name",
                         choices=format_names(),
                         help="skip format detection")
    refresh.set_defaults(handler=run_refresh)

    now = subparsers.add_parser(
        "now", help="what runs now and next among your stars (or in the whole program)")
    now.add_argument("program", nargs="?", metavar="PROGRAM",
                     help="program file or URL (default: the last one opened, else the bundled)")
    now.add_argument("--at", metavar="ISO-TIME",
                     help="pretend it is this instant, e.g. 2024-12-28T11:50+01:00 (a time "
                          "without offset is in --tz)")
    now.add_argument("--tz", metavar="ZONE", help="display zone (default: this machine's)")
    now.set_defaults(handler=run_now)

    remind = subparsers.add_parser(
        "remind", help="reminder settings: minutes before starred sessions, per star, off/on")
    remind.add_argument("ids", nargs="*", metavar="ID",
                        help="stars to set --minutes for (none: the default for all)")
    remind.add_argument("--program", metavar="PROGRAM", help="program file or URL of the ids")
    remind.add_argument("--minutes", type=int, metavar="N",
                        help="remind N minutes before (0 with ids: no reminder for them)")
    remind.add_argument("--clear", action="store_true", help="drop the ids' own lead times")
    switch = remind.add_mutually_exclusive_group()
    switch.add_argument("--on", dest="enabled", action="store_const", const=True)
    switch.add_argument("--off", dest="enabled", action="store_const", const=False)
    remind.set_defaults(handler=run_remind)


# -- opening a PROGRAM that may be an address ---------------------------------------------------
def open_program_arg(path: str | None, options: ImportOptions | None = None,
                     format_name: str | None = None, data_dir: str | None = None) -> Program:
    """``workspace.open_program`` for a file; for an address, the refreshed program or its
    offline copy, telling stderr in one line what happened."""
    from planner.net.address import is_url
    from planner.workspace import open_program

    if not is_url(path):
        return open_program(path, options, format_name)
    assert path is not None
    outcome = _open_url(path, options, format_name, data_dir)
    assert outcome.program is not None
    return outcome.program


def _open_url(url: str, options: ImportOptions | None, format_name: str | None,
              data_dir: str | None) -> RefreshOutcome:
    from planner.net.refresh import open_url, utc_now

    outcome = open_url(url, options, format_name, data_dir)
    now = utc_now()
    notice = outcome.notice(now)
    if notice:
        print(f"planner: {notice}", file=sys.stderr)
    if outcome.report:
        zone = outcome.program.zone if outcome.program else timezones.UTC
        print(f"planner: {url}: a new version was downloaded; changes to your stars "
              f"(times in {timezones.zone_name(zone)}):", file=sys.stderr)
        for line in outcome.report.lines():
            print(f"planner:   {line}", file=sys.stderr)
    _remember_url(url, data_dir)
    return outcome


def _remember_url(url: str, data_dir: str | None) -> None:
    from planner.storage.store import Store

    try:
        with Store(data_dir) as store:
            if not store.read_only:
                store.set_setting(SETTING_LAST_URL, url)
    except PlannerError:
        pass


# -- refresh --------------------------------------------------------------------------------
def run_refresh(args: argparse.Namespace) -> int:
    from planner.cli import open_store
    from planner.net.address import is_url
    from planner.net.cache import ProgramCache
    from planner.net.refresh import refresh, utc_now

    if args.tz:
        timezones.get_zone(args.tz)
    store = open_store(args)
    with store:
        url = args.url or store.setting(SETTING_LAST_URL)
        if not is_url(url):
            raise PlannerError("no web program to refresh; give its address: planner refresh "
                               "https://…/schedule.xml")
        outcome = refresh(str(url), cache=ProgramCache(store.folder / "programs"),
                          stars=None if store.read_only else store,
                          format_name=args.format_name, force=True,
                          zone=timezones.get_zone(args.tz) if args.tz else None)
        if outcome.program is not None and not store.read_only:
            store.set_setting(SETTING_LAST_URL, str(url))
    now = utc_now()
    program = outcome.program
    if program is None:
        raise PlannerError(outcome.notice(now))
    zone = timezones.get_zone(args.tz) if args.tz else program.zone
    if outcome.error is not None:
        print(f"planner: {outcome.notice(now)}", file=sys.stderr)
        return 0
    age = outcome.age(now)
    if outcome.status == "downloaded":
        print(f"{program.name}: new version downloaded ({len(program.sessions)} sessions)")
    else:
        print(f"{program.name}: unchanged (offline copy from {age}, confirmed by the server)")
    report = outcome.report
    if report is not None:
        if report.items:
            print(f"Changes to your starred items (times in {timezones.zone_name(zone)}):")
            for line in report.lines():
                print(f"  {line}")
        else:
            print("Nothing changed for your starred items.")
        if report.missing:
            print("Missing after update (stars kept): " + ", ".join(report.missing))
    return 0


# -- now --------------------------------------------------------------------------------------
def run_now(args: argparse.Namespace) -> int:
    from planner.cli import open_store
    from planner.core.now_next import lines, now_and_next
    from planner.workspace import Workspace, display_zone_name, last_program_path

    zone = timezones.get_zone(display_zone_name(None, args.tz))
    moment = _parse_at(args.at, zone) if args.at else dt.datetime.now(dt.UTC)
    data_dir = getattr(args, "data_dir", None)
    path: str | None = args.program
    if path is None:
        with open_store(args) as store:
            remembered = store.setting(SETTING_LAST_URL)
            last = last_program_path(store)
        path = remembered if isinstance(remembered, str) and "://" in remembered else (
            str(last) if last else None)
    program = open_program_arg(path, None, None, data_dir)
    with open_store(args) as store:
        workspace = Workspace.open(program, store)
    local = timezones.to_zone(moment, zone)
    print(f"{program.name} — {local:%a %d %b %H:%M} {timezones.abbreviation(local)} "
          f"({timezones.zone_name(zone)})")
    for line in lines(now_and_next(program, workspace.stars, moment), zone):
        print(line)
    return 0


def _parse_at(text: str, zone: dt.tzinfo) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PlannerError(f"--at {text!r}: expected an ISO time such as "
                           f"2024-12-28T11:50+01:00") from None
    if moment.tzinfo is None:
        return timezones.localize(moment, zone)
    return moment


# -- remind -----------------------------------------------------------------------------------
def run_remind(args: argparse.Namespace) -> int:
    from planner.cli import open_store
    from planner.storage import live_settings as ls

    store = open_store(args)
    with store:
        if args.enabled is not None:
            store.set_setting(ls.REMINDERS_ON.name, args.enabled)
        if args.ids:
            if args.minutes is None and not args.clear:
                raise PlannerError("give --minutes N (or --clear) for the ids")
            program = open_program_arg(args.program, None, None,
                                       getattr(args, "data_dir", None))
            unknown = [i for i in args.ids if not program.has_item(i)]
            if unknown:
                raise PlannerError(f"no session or paper with id {', '.join(unknown)} in "
                                   f"{program.name}")
            for item_id in args.ids:
                ls.set_override(store, program.name, item_id,
                                None if args.clear else args.minutes)
        elif args.minutes is not None:
            if args.minutes < 0:
                raise PlannerError("--minutes must be 0 or more")
            store.set_setting(ls.REMINDER_MINUTES.name, args.minutes)
        state = "on" if ls.get_bool(store, ls.REMINDERS_ON) else "off"
        print(f"Reminders {state}, {ls.get_int(store, ls.REMINDER_MINUTES)} min before "
              f"starred sessions")
        overrides = store.setting(ls.REMINDER_OVERRIDES.name, {})
        if isinstance(overrides, dict):
            for key, items in sorted(overrides.items()):
                if isinstance(items, dict) and items:
                    shown = ", ".join(f"{i} {m} min" for i, m in sorted(items.items()))
                    print(f"  {key}: {shown}")
    return 0
