"""``sync``: the agenda into a CalDAV calendar. Argument parsing and printing only.

The rules live in :mod:`planner.sync.caldav_sync` (the window's dialog and automatic sync call
the same functions). The password comes from ``--password-stdin``, ``PLANNER_CALDAV_PASSWORD``
or the system keyring, and is never printed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.cli import import_options, open_store
from planner.core.errors import PlannerError
from planner.sync import DEFAULT_TIMEOUT


def register(subparsers: Any) -> None:
    sync = subparsers.add_parser(
        "sync", help="put the agenda into a CalDAV calendar and keep it current",
        description="Create, update and delete planner's own events in a CalDAV calendar "
                    "(Nextcloud, Fastmail, iCloud, mailbox.org, Radicale, Google...) so that "
                    "it holds exactly your agenda. Other events are never touched. The "
                    "password comes from --password-stdin, PLANNER_CALDAV_PASSWORD or the "
                    "system keyring. See docs/sync.md.")
    sync.add_argument("url", nargs="?", metavar="URL",
                      help="the calendar's URL (or the server's, with --calendar); default: "
                           "the calendar synced last")
    sync.add_argument("--calendar", metavar="NAME",
                      help="find the calendar with this name on the server (created if missing)")
    sync.add_argument("--user", metavar="NAME", help="login name (remembered per server)")
    sync.add_argument("--password-stdin", action="store_true",
                      help="read the password from the first line of standard input")
    sync.add_argument("--save-password", action="store_true",
                      help="keep the password in the system keyring after a successful sync")
    sync.add_argument("--program", metavar="PROGRAM",
                      help="program file (default: the bundled ICLR 2021 day)")
    sync.add_argument("--source-tz", metavar="ZONE", help=argparse.SUPPRESS)
    sync.add_argument("--year", type=int, help="year for dates written without one")
    sync.add_argument("--catalog", metavar="FILE", help=argparse.SUPPRESS)
    sync.add_argument("--format", dest="format_name", help=argparse.SUPPRESS)
    zone = sync.add_mutually_exclusive_group()
    zone.add_argument("--tz", metavar="ZONE", help="write times in this zone (default: display)")
    zone.add_argument("--utc", action="store_true", help="write times in UTC")
    sync.add_argument("--alarm", type=int, metavar="MINUTES",
                      help="a reminder this many minutes before each event")
    sync.add_argument("--paper-events", action="store_true",
                      help="one event per starred paper slot instead of one per session")
    sync.add_argument("--timeout", type=float, metavar="SECONDS",
                      help=f"wait at most this long for each answer (default {DEFAULT_TIMEOUT:g})")
    sync.add_argument("--ca-file", metavar="FILE",
                      help="certificate authority bundle for a server with its own CA")
    auto = sync.add_mutually_exclusive_group()
    auto.add_argument("--auto", dest="auto", action="store_true", default=None,
                      help="also sync automatically from the window after every change")
    auto.add_argument("--no-auto", dest="auto", action="store_false",
                      help="stop syncing automatically from the window")
    sync.add_argument("--status", action="store_true",
                      help="show the remembered calendar and how the last sync ended; no sync")
    sync.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from planner.export.ics import ExportOptions
    from planner.sync.caldav_sync import SyncError, server_of, sync_agenda
    from planner.sync.credentials import CredentialError, find_password, save_in_keyring
    from planner.sync.settings import (
        SyncSettings,
        load_sync_settings,
        remembered_user,
        save_sync_settings,
        set_auto_sync,
    )
    from planner.sync.state import SyncState
    from planner.workspace import Workspace, display_zone_name, open_program

    store = open_store(args)
    with store:
        remembered = load_sync_settings(store)
        if args.status:
            return _print_status(store, remembered)
        if args.url is None and remembered is None:
            raise PlannerError("sync: give the calendar's URL (planner sync URL); no calendar "
                               "was synced before")
        base = remembered if args.url is None and remembered is not None else SyncSettings(
            url=args.url)
        url = args.url or base.url
        user = args.user if args.user is not None else (
            base.user if args.url is None else remembered_user(store, url))
        zone = "UTC" if args.utc else (args.tz or base.zone)
        settings = SyncSettings(
            url=url, user=user, calendar_name=args.calendar or (
                base.calendar_name if args.url is None else ""),
            zone=zone, alarm_minutes=args.alarm if args.alarm is not None else (
                base.alarm_minutes if args.url is None else None),
            paper_events=args.paper_events or (base.paper_events and args.url is None),
            timeout=args.timeout or base.timeout, ca_file=args.ca_file or base.ca_file)
        if settings.timeout <= 0:
            raise PlannerError("--timeout must be more than 0 seconds")
        target = settings.target()
        stdin_text = sys.stdin.readline() if args.password_stdin else None
        password = find_password(server_of(url), user, stdin_text)
        program = open_program(args.program, import_options(args), args.format_name)
        workspace = Workspace.open(program, store)
        options = ExportOptions(zone=display_zone_name(store, settings.zone or None),
                                alarm_minutes=settings.alarm_minutes,
                                paper_events=settings.paper_events)
        with SyncState(store.folder) as state:
            try:
                report = sync_agenda(program, workspace.stars, options, target, password,
                                     state)
            except SyncError as error:
                print(f"planner: sync: {error}", file=sys.stderr)
                return 2
        save_sync_settings(store, settings)
        if args.auto is not None:
            set_auto_sync(store, args.auto)
        if args.save_password and user:
            try:
                save_in_keyring(server_of(url), user, password)
            except CredentialError as error:  # the sync itself is done: say so, warn
                report.warnings.append(f"{error}; the sync is done, the password not kept")
    for warning in report.warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)
    for conflict in report.conflicts:
        print(f"planner: sync: {conflict}", file=sys.stderr)
    print(f"synced {program.name} to {report.calendar_url}: {report.summary()}")
    return 1 if report.conflicts else 0


def _print_status(store: Any, remembered: Any) -> int:
    from planner.sync.settings import auto_sync_enabled
    from planner.sync.state import SyncState

    if remembered is None:
        print("no calendar synced yet")
        return 0
    print(f"calendar: {remembered.url}" + (f" ({remembered.calendar_name})"
                                           if remembered.calendar_name else ""))
    print(f"user: {remembered.user or '(none)'}")
    print(f"automatic sync: {'on' if auto_sync_enabled(store) else 'off'}")
    with SyncState(store.folder) as state:
        run = state.latest_run()
    if run is not None:
        print(f"last sync: {run.finished_at.isoformat()} "
              f"{'ok' if run.ok else 'FAILED'}: {run.summary}")
    return 0
