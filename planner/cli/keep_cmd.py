"""``export --vdir DIR`` and ``export ... --keep``: exports that stay current.

Argument handling only; :mod:`planner.export.vdir` and :mod:`planner.export.keep` hold the rules.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli import import_options, open_store
from planner.core.errors import PlannerError


def run_kept_export(args: argparse.Namespace) -> int:
    from planner.export.keep import KeptExport, forget_export, keep_export, write_kept
    from planner.workspace import Workspace, display_zone_name, open_program

    if args.output == "-" and (args.keep or args.no_keep):
        raise PlannerError("--keep rewrites a file; give its path with -o")
    if args.split and (args.keep or args.vdir):
        raise PlannerError("--split cannot be kept or combined with --vdir; use --vdir DIR "
                           "for one file per event that stays current")
    if (args.keep or args.vdir) and (args.ids or (args.scope or "starred") != "starred"):
        raise PlannerError("--vdir and --keep export the starred agenda; drop --all/--ids")
    program = open_program(args.program, import_options(args), args.format_name)
    store = open_store(args)
    with store:
        workspace = Workspace.open(program, store)
        zone = "UTC" if args.utc else display_zone_name(store, args.tz)
        path = str(Path(args.vdir or args.output).resolve())
        kept = KeptExport(path=path, program_key=program.key, vdir=bool(args.vdir), zone=zone,
                          alarm_minutes=args.alarm, paper_events=args.paper_events)
        if args.vdir:
            from planner.export.vdir import export_vdir

            report = export_vdir(program, workspace.stars, kept.options(), path)
            for warning in report.warnings:
                print(f"planner: warning: {warning}")
            print(f"vdir {args.vdir}: {report.summary()} (times in {zone})")
        else:
            if not workspace.stars.agenda_sessions(program):
                from planner.export.ics import ExportError

                raise ExportError(f"nothing starred in {program.name}; star sessions or "
                                  f"papers first ('planner star ID')")
            write_kept(program, workspace.stars, kept)
            print(f"wrote the agenda to {args.output} (times in {zone})")
        if args.keep:
            keep_export(store, kept)
            print(f"keeping {path} current: it is rewritten whenever your stars or the "
                  f"program change (stop with --no-keep)")
        elif args.no_keep and forget_export(store, path):
            print(f"no longer keeping {path} current")
    return 0
