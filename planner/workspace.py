"""Use cases shared by the command line and the window (khal's ``controllers``).

Opening a program (with its sidecar metadata), reading and changing its stars, remembering the
last program and the display zone. No Qt, no argument parsing, no printing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from planner.core import timezones
from planner.core.conflicts import Conflict, find_conflicts
from planner.core.errors import ProgramError, UnknownItemError
from planner.core.model import Program
from planner.core.stars import Stars, resolve_ids
from planner.importers import ImportOptions, load_program
from planner.storage.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
BUNDLED_PROGRAM = DATA_DIR / "iclr2021-fri-7-may.txt"

SETTING_LAST_PROGRAM = "last_program"
SETTING_DISPLAY_ZONE = "display_zone"
SETTING_SOURCE_ZONES = "source_zones"  # program key -> zone the user chose


def sidecar_path(program_path: Path) -> Path:
    """``talks.txt`` -> ``talks.meta.json``: what the file cannot say about itself."""
    return program_path.with_name(program_path.stem + ".meta.json")


def read_sidecar(program_path: Path) -> dict[str, object]:
    """Metadata beside a program file: name, key, source_zone, zone_evidence, year, catalog."""
    meta_path = sidecar_path(program_path)
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProgramError(f"cannot read the program's metadata: {exc}",
                           path=str(meta_path)) from None
    if not isinstance(meta, dict):
        raise ProgramError("expected a JSON object", path=str(meta_path), line=1)
    return meta


def open_program(path: str | Path | None = None, options: ImportOptions | None = None,
                 format_name: str | None = None) -> Program:
    """Load a program (the bundled one by default), applying its sidecar metadata.

    Explicit options (``--year``, ``--source-tz``, ``--catalog``) win over the sidecar. An
    http(s) address is downloaded (or read from its offline copy): :mod:`planner.net.refresh`.
    """
    if isinstance(path, str) and "://" in path:
        from planner.net.refresh import open_url

        return open_url(path, options, format_name).program  # type: ignore[return-value]
    program_path = Path(path) if path is not None else BUNDLED_PROGRAM
    options = options or ImportOptions()
    meta = read_sidecar(program_path)
    year = options.year if options.year is not None else _int_or_none(meta.get("year"))
    catalog = options.catalog
    if catalog is None and isinstance(meta.get("catalog"), str):
        catalog = (program_path.parent / str(meta["catalog"])).resolve()
    sidecar_zone = meta.get("source_zone")
    source_zone = options.source_zone
    if source_zone is None and isinstance(sidecar_zone, str):
        source_zone = sidecar_zone  # the importer then reads floating times in it directly
    merged = ImportOptions(year=year, source_zone=source_zone, catalog=catalog)
    program = load_program(program_path, merged, format_name)
    if isinstance(meta.get("name"), str):
        program.name = str(meta["name"])
    if isinstance(meta.get("key"), str):
        program.key = str(meta["key"])
    if options.source_zone is None and isinstance(sidecar_zone, str):
        program.zone_guessed = bool(meta.get("zone_guessed", False))
        if isinstance(meta.get("zone_evidence"), str):
            program.zone_evidence = str(meta["zone_evidence"])
    if not program.key:
        program.key = program_path.resolve().as_posix()
    return program


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None


@dataclass
class Workspace:
    """One open program with its stars, backed by the user's store."""

    program: Program
    store: Store
    stars: Stars = field(default_factory=Stars)

    @classmethod
    def open(cls, program: Program, store: Store) -> Workspace:
        workspace = cls(program, store)
        workspace.reload_stars()
        return workspace

    def reload_stars(self) -> None:
        self.stars = Stars(self.store.starred(self.program.key))

    def set_starred(self, item_ids: Iterable[str], starred: bool) -> list[str]:
        """Star or unstar; unknown ids raise before anything is written. Returns the ids."""
        known, unknown = resolve_ids(self.program, item_ids)
        if unknown:
            raise UnknownItemError(
                f"no session or paper with id {', '.join(unknown)} in {self.program.name}; "
                f"'planner list --json' shows the ids")
        self.store.set_starred(self.program.key, known, starred)
        if starred:
            self.stars.ids.update(known)
        else:
            self.stars.ids.difference_update(known)
        return known

    def toggle(self, item_id: str) -> bool:
        """Flip one star; returns the new state."""
        new_state = not self.stars.is_starred(item_id)
        self.set_starred([item_id], new_state)
        return new_state

    def conflicts(self) -> list[Conflict]:
        return find_conflicts(self.program, self.stars)

    def remember_program(self, path: str | Path) -> None:
        self.store.set_setting(SETTING_LAST_PROGRAM, os.fspath(Path(path).resolve()))

    def change_source_zone(self, zone_name: str) -> None:
        """Re-read the program's floating times in another zone and remember the choice for
        this program, so opening it again keeps the user's correction."""
        self.program.change_source_zone(zone_name)
        chosen = self.store.setting(SETTING_SOURCE_ZONES, {})
        chosen = dict(chosen) if isinstance(chosen, dict) else {}
        chosen[self.program.key] = self.program.source_zone
        self.store.set_setting(SETTING_SOURCE_ZONES, chosen)

    def apply_remembered_source_zone(self) -> bool:
        """Apply the source zone the user chose earlier for this program; True if one was."""
        chosen = self.store.setting(SETTING_SOURCE_ZONES, {})
        zone = chosen.get(self.program.key) if isinstance(chosen, dict) else None
        if not isinstance(zone, str) or not timezones.is_zone_name(zone):
            return False
        if zone != self.program.source_zone or self.program.zone_guessed:
            self.program.change_source_zone(zone)
        return True


def last_program_path(store: Store) -> Path | None:
    value = store.setting(SETTING_LAST_PROGRAM)
    if isinstance(value, str) and Path(value).is_file():
        return Path(value)
    return None


def remember_display_zone(store: Store, zone_name: str) -> None:
    """Keep the display zone the user picked for the next start."""
    store.set_setting(SETTING_DISPLAY_ZONE, timezones.zone_name(timezones.get_zone(zone_name)))


def display_zone_name(store: Store | None = None, explicit: str | None = None,
                      qt_zone_id: str | None = None) -> str:
    """The zone times are shown in: ``--tz``, then the remembered choice, then the machine's."""
    if explicit:
        return timezones.zone_name(timezones.get_zone(explicit))
    if store is not None:
        remembered = store.setting(SETTING_DISPLAY_ZONE)
        if isinstance(remembered, str) and timezones.is_zone_name(remembered):
            return remembered
    return timezones.system_zone_name(qt_zone_id)
