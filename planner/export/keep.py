"""Exports that stay current: files (or vdirs) rewritten whenever stars or the program change.

``planner export -o FILE --keep`` (or ``--vdir DIR --keep``, or the window's setting) writes
the export and remembers it in the settings; every later change of the stars of that program
(``planner star``, the window) or of the program itself (a refresh) rewrites it atomically, so a
calendar app subscribed to the local file follows. A kept file carries SOURCE (its own file
URI) and REFRESH-INTERVAL, so subscribing apps know where and how often to re-read it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.model import Program
from planner.core.stars import Stars
from planner.export.ics import ExportOptions, export_ics, write_export
from planner.storage.store import Store

SETTING_KEPT = "kept_exports"
KEPT_REFRESH_MINUTES = 15


@dataclass(frozen=True)
class KeptExport:
    """One export to rewrite on every change."""

    path: str  # absolute
    program_key: str
    vdir: bool = False
    zone: str = "UTC"
    alarm_minutes: int | None = None
    paper_events: bool = False

    def options(self) -> ExportOptions:
        return ExportOptions(zone=self.zone, alarm_minutes=self.alarm_minutes,
                             paper_events=self.paper_events,
                             refresh_minutes=KEPT_REFRESH_MINUTES,
                             source_url="" if self.vdir else Path(self.path).as_uri())


def kept_exports(store: Store) -> list[KeptExport]:
    value = store.setting(SETTING_KEPT, [])
    found = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            known: dict[str, Any] = {k: v for k, v in item.items()
                                     if k in KeptExport.__dataclass_fields__}
            try:
                found.append(KeptExport(**known))
            except TypeError:
                continue
    return found


def keep_export(store: Store, kept: KeptExport) -> None:
    """Remember ``kept`` (replacing an earlier one for the same path)."""
    others = [k for k in kept_exports(store) if k.path != kept.path]
    store.set_setting(SETTING_KEPT, [asdict(k) for k in [*others, kept]])


def forget_export(store: Store, path: str) -> bool:
    """Stop keeping the export at ``path``; True if it was kept."""
    resolved = str(Path(path).resolve())
    kept = kept_exports(store)
    rest = [k for k in kept if k.path != resolved]
    store.set_setting(SETTING_KEPT, [asdict(k) for k in rest])
    return len(rest) != len(kept)


def write_kept(program: Program, stars: Stars, kept: KeptExport) -> None:
    """Write one kept export now (an empty agenda empties a vdir; a file keeps its last
    content, since an .ics without events is refused by some apps)."""
    if kept.vdir:
        from planner.export.vdir import export_vdir

        export_vdir(program, stars, kept.options(), kept.path)
        return
    if not any(s.start is not None for s in stars.agenda_sessions(program)):
        return
    result = export_ics(program, stars, kept.options())
    write_export(result, kept.path)


def refresh_kept_exports(program: Program, stars: Stars, store: Store) -> list[str]:
    """Rewrite every kept export of ``program``; returns one line per export that failed."""
    problems = []
    for kept in kept_exports(store):
        if kept.program_key != program.key:
            continue
        try:
            write_kept(program, stars, dataclasses.replace(kept))
        except PlannerError as error:
            problems.append(f"kept export {kept.path}: {error}")
    return problems
