"""``planner diff OLD NEW``: what changed between two versions of a program, for your stars.

Thin: opens both files like every other command, asks :mod:`planner.core.update` for the plan,
prints it. ``--apply`` moves the stars in the store to the new ids, the whole mapping in one
transaction (missing ones are kept, pinned to their talk).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from planner.core import timezones
from planner.core.identity import resolve_stars
from planner.core.model import Program

if TYPE_CHECKING:  # the matcher is loaded by ``diff`` itself, not by every command's parser
    from planner.core.update import UpdatePlan

# Lines of "new in this version" shown without --all.
NEW_ITEMS_SHOWN = 15


def register(subparsers: Any) -> None:
    from planner.cli import format_names

    diff = subparsers.add_parser(
        "diff", help="what changed between two versions of a program (starred items first)",
        description="Compare two versions of a program: which starred sessions moved, changed "
                    "room or title, were cancelled or removed, and what is new. Stars are "
                    "read from the store for OLD (or given with --star).")
    diff.add_argument("old", metavar="OLD", help="the version your stars were made on")
    diff.add_argument("new", metavar="NEW", help="the newer version")
    diff.add_argument("--star", action="append", default=[], metavar="ID",
                      help="treat this id as starred (repeatable), besides the stored stars")
    diff.add_argument("--all", action="store_true",
                      help="report changes of every item, not only starred ones")
    diff.add_argument("--tz", metavar="ZONE",
                      help="show times in this zone (default: the new program's zone)")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.add_argument("--apply", action="store_true",
                      help="move the stored stars to the new ids (stars whose item is gone "
                           "are kept and listed as missing)")
    diff.add_argument("--source-tz", metavar="ZONE",
                      help="IANA zone of times written without an offset (both files)")
    diff.add_argument("--format", dest="format_name", choices=format_names(),
                      help="skip format detection (both files)")
    diff.set_defaults(handler=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    from planner.cli import import_options, open_store
    from planner.cli.live_cmds import open_program_arg
    from planner.core.update import carry_stars, plan_update

    options = import_options(args)  # only --source-tz applies to both files
    data_dir = getattr(args, "data_dir", None)
    old = open_program_arg(args.old, options, args.format_name, data_dir)
    new = open_program_arg(args.new, options, args.format_name, data_dir)
    zone = timezones.get_zone(args.tz) if args.tz else new.zone
    for program in (old, new):  # on stderr, with or without --json: never dropped
        for warning in program.warnings:
            print(f"planner: warning: {program.source_path or program.name}: {warning}",
                  file=sys.stderr)

    store = open_store(args)
    try:
        # The stars OLD shows (a star whose talk was gone already is not one of them).
        starred = set(resolve_stars(old, store.star_records(old.key)).attached) | set(args.star)
        if args.apply:
            plan = carry_stars(store, old, new, args.star, report_all=args.all)
        else:
            plan = plan_update(old, new, starred, report_all=args.all)
    finally:
        store.close()

    if args.json:
        print(json.dumps(_as_json(old, new, plan, starred, args.apply), ensure_ascii=False,
                         indent=2))
    else:
        print(_as_text(old, new, plan, starred, zone, args.all, args.apply))
    return 0


def _as_text(old: Program, new: Program, plan: UpdatePlan, starred: set[str],
             zone: Any, report_all: bool, applied: bool) -> str:
    from planner.core.update import ChangeKind, describe

    lines = [f"{old.name} → {new.name}  (times in {timezones.zone_name(zone)})"]
    if starred:
        lines.append(f"Starred: {len(plan.kept)} kept, {len(plan.missing)} missing after "
                     f"update" + (" (stars moved in the store)" if applied else ""))
    else:
        lines.append("No starred items (star some, or use --star ID); showing counts"
                     + (" and every change" if report_all else ""))
    listed = [c for c in plan.changes if c.kind is not ChangeKind.NEW
              and (c.starred or report_all)]
    if listed:
        lines.append("")
        for change in listed:
            mark = "★ " if change.starred else "  "
            shown_id = change.new_id or change.old_id
            lines.append(f"{mark}{change.kind.value:<14} {shown_id:<16} {change.title}")
            lines.append(f"{'':<18}{describe(change, zone)}")
    elif starred:
        lines.append("Nothing changed for your starred items.")
    added = plan.changes_of(ChangeKind.NEW)
    counts = {kind: len(plan.changes_of(kind)) for kind in ChangeKind}
    if not report_all and not starred:
        lines.append(f"{counts[ChangeKind.NEW]} new items; use --all for moves and removals "
                     f"of every item")
    if added:
        lines.append("")
        lines.append(f"New in this version: {len(added)}")
        shown = added if report_all else added[:NEW_ITEMS_SHOWN]
        for change in shown:
            lines.append(f"  + {change.new_id:<16} {change.title}  ({describe(change, zone)})")
        if len(shown) < len(added):
            lines.append(f"  … and {len(added) - len(shown)} more (--all shows them)")
    if plan.missing:
        lines.append("")
        lines.append("Missing after update (kept, shown so you can find a replacement): "
                     + ", ".join(plan.missing))
    return "\n".join(lines)


def _as_json(old: Program, new: Program, plan: UpdatePlan, starred: set[str],
             applied: bool) -> dict[str, Any]:
    from planner.core.update import change_to_json

    return {
        "old": {"name": old.name, "key": old.key, "path": old.source_path,
                "sessions": len(old.sessions)},
        "new": {"name": new.name, "key": new.key, "path": new.source_path,
                "sessions": len(new.sessions)},
        "starred": sorted(starred),
        "kept": plan.kept,
        "renames": plan.renames,
        "missing_after_update": plan.missing,
        "applied": applied,
        "changes": [change_to_json(change) for change in plan.changes],
    }
