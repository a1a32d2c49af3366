"""Use cases shared by the command line and the window (khal's ``controllers``).

Opening a program (with its sidecar metadata), reading and changing its stars, remembering the
last program and the display zone. No Qt, no argument parsing, no printing.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from planner.bundled import bundled_program
from planner.core import settings, timezones
from planner.core.carry import Edit, normalise, note_of_records
from planner.core.conflicts import Conflict, ConflictSummary, find_conflicts, summarize_conflicts
from planner.core.errors import ProgramError, UnknownItemError
from planner.core.identity import (
    ItemIdentity,
    StarRecord,
    StarResolution,
    identity_of,
    resolve_stars,
)
from planner.core.model import Program
from planner.core.star_notes import PLAIN, StarNote, checked_note, checked_priority
from planner.core.stars import Stars, resolve_ids
from planner.importers import ImportOptions, load_program
from planner.storage.store import Store, StoreError

if TYPE_CHECKING:
    from planner.core.busy import BusyTime
    from planner.core.update import UpdatePlan

BUNDLED_PROGRAM = bundled_program()
MAX_SIDECAR_BYTES = 1024 * 1024  # a few names and a zone; anything larger is not metadata

SETTING_LAST_PROGRAM = settings.LAST_PROGRAM.name
SETTING_DISPLAY_ZONE = settings.DISPLAY_ZONE.name
SETTING_SOURCE_ZONES = settings.SOURCE_ZONES.name  # program key -> zone the user chose
T = TypeVar("T")


def stored_setting(store: Store, setting: settings.Setting[T]) -> T:
    """A setting from the store, checked against its declaration; a damaged value gives the
    default and a notice in ``store.notices`` (the window shows them, the CLI prints them)."""
    found: list[str] = []
    value = settings.read(setting, store.setting(setting.name), found)
    for notice in found:
        if notice not in store.notices:
            store.notices.append(notice)
    return value


def sidecar_path(program_path: Path) -> Path:
    """``talks.txt`` -> ``talks.meta.json``: what the file cannot say about itself."""
    return program_path.with_name(program_path.stem + ".meta.json")


def read_sidecar(program_path: Path) -> dict[str, object]:
    """Metadata beside a program file: name, key, source_zone, zone_evidence, year, catalog,
    format (one of planner.importers.FORMAT_MODULES)."""
    from planner.importers.reading import read_user_file

    meta_path = sidecar_path(program_path)
    if not os.path.lexists(meta_path):
        return {}
    data = read_user_file(meta_path, "the program's metadata (a JSON object)",
                          MAX_SIDECAR_BYTES, plural="metadata files")
    try:
        meta = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
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
        from planner.importers.reading import MAX_PROGRAM_BYTES, regular_file_info

        catalog = (program_path.parent / str(meta["catalog"])).resolve()
        # Checked here too, so the message says where the name came from.
        regular_file_info(catalog, f"a paper catalog, as {sidecar_path(program_path).name} "
                          f"says", MAX_PROGRAM_BYTES, plural="catalogs")
    sidecar_zone = meta.get("source_zone")
    source_zone = options.source_zone
    if source_zone is None and isinstance(sidecar_zone, str):
        source_zone = sidecar_zone  # the importer then reads floating times in it directly
    merged = ImportOptions(year=year, source_zone=source_zone, catalog=catalog)
    if format_name is None and isinstance(meta.get("format"), str):
        # Named by the sidecar: no sniffing (which imports every importer, icalendar too).
        format_name = str(meta["format"])
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
    _store_generation: int = 0
    # Notes of stars removed in this session: starring the item again brings its note back.
    dropped_notes: dict[str, StarNote] = field(default_factory=dict)

    @classmethod
    def open(cls, program: Program, store: Store) -> Workspace:
        workspace = cls(program, store)
        workspace.reload_stars()
        return workspace

    def reload_stars(self) -> None:
        """Read the stars and find each one's item (by guid, then by id where the item is
        the same); stars that moved to another id, or stored before identities were, are
        written back under their item's id and identity."""
        program = self.program
        self._store_generation = self.store.reopened
        resolution, (remove, add) = normalise(program, self.store.star_records(program.key))
        if remove or add:
            # A read-only store: shown as found, written back by a later start.
            with contextlib.suppress(StoreError):
                self.store.update_stars(program.key,
                                        lambda records: normalise(program, records)[1])
        self.stars = _stars_of(resolution)

    def _known(self, item_ids: Iterable[str]) -> list[str]:
        known, unknown = resolve_ids(self.program, item_ids)
        if unknown:
            raise UnknownItemError(
                f"no session or paper with id {', '.join(unknown)} in {self.program.name}; "
                f"'planner list --json' shows the ids")
        return known

    def set_starred(self, item_ids: Iterable[str], starred: bool) -> list[str]:
        """Star or unstar; unknown ids raise before anything is written. Returns the ids.

        Unstarring drops the star's note from the store; starring the item again in this
        workspace brings it back (:attr:`dropped_notes`)."""
        known = self._known(item_ids)
        program = self.program
        dropped: dict[str, StarNote] = {}
        restored = {item_id: self.dropped_notes[item_id] for item_id in known
                    if starred and item_id in self.dropped_notes}

        def change(records: list[StarRecord]) -> Edit:
            attached = resolve_stars(program, records).attached
            if starred:
                add = [_record(program, item_id, restored.get(item_id, PLAIN))
                       for item_id in dict.fromkeys(known) if item_id not in attached]
                return [], {program.key: add}
            removed = []
            for item_id in known:
                records_of = attached.pop(item_id, [])
                removed += records_of
                note = note_of_records(records_of)
                if records_of and not note.plain:
                    dropped[item_id] = note
            return removed, {}

        self.store.update_stars(program.key, change)
        for item_id in restored:
            self.dropped_notes.pop(item_id, None)
        self.dropped_notes.update(dropped)
        if self.store.reopened != self._store_generation:
            self.reload_stars()  # another file now: show what it holds
        elif starred:
            self.stars.ids.update(known)
            for item_id, note in restored.items():
                if item_id not in self.stars.notes:
                    self.stars.notes[item_id] = note
        else:
            self.stars.ids.difference_update(known)
            for item_id in known:
                self.stars.notes.pop(item_id, None)
        return known

    def annotate(self, item_ids: Iterable[str], note: str | None = None,
                 priority: str | None = None) -> list[str]:
        """Set the note and/or the priority of items, starring those not starred yet, in one
        transaction. Unknown ids, too long a note or an unknown priority raise before
        anything is written. Returns the ids."""
        known = list(dict.fromkeys(self._known(item_ids)))
        text = checked_note(note) if note is not None else None
        wanted = checked_priority(priority) if priority is not None else None
        program = self.program
        result: dict[str, StarNote] = {}

        def change(records: list[StarRecord]) -> Edit:
            attached = resolve_stars(program, records).attached
            remove: list[StarRecord] = []
            add: list[StarRecord] = []
            for item_id in known:
                old = attached.get(item_id, [])
                current = note_of_records(old) if old else \
                    self.dropped_notes.get(item_id, PLAIN)
                updated = StarNote(current.note if text is None else text,
                                   current.priority if wanted is None else wanted)
                result[item_id] = updated
                remove += old
                add.append(_record(program, item_id, updated,
                                   min((r.starred_at for r in old if r.starred_at),
                                       default="")))
            return remove, {program.key: add}

        self.store.update_stars(program.key, change)
        for item_id in known:
            self.dropped_notes.pop(item_id, None)
        if self.store.reopened != self._store_generation:
            self.reload_stars()
            return known
        self.stars.ids.update(known)
        for item_id, updated in result.items():
            if updated.plain:
                self.stars.notes.pop(item_id, None)
            else:
                self.stars.notes[item_id] = updated
        return known

    def toggle(self, item_id: str) -> bool:
        """Flip one star; returns the new state."""
        new_state = not self.stars.is_starred(item_id)
        self.set_starred([item_id], new_state)
        return new_state

    def conflicts(self) -> list[Conflict]:
        """Every overlapping pair: grows with the square of the agenda; for display use
        :meth:`conflict_summary`."""
        return find_conflicts(self.program, self.stars)

    def conflict_summary(self, busy: Sequence[BusyTime] = ()) -> ConflictSummary:
        """Every conflict counted, a handful per session named (bounded work and output);
        with ``busy`` (the user's calendar), clashes with it too."""
        return summarize_conflicts(self.program, self.stars, busy=busy)

    def remember_program(self, path: str | Path) -> None:
        remember_last_program(self.store, os.fspath(Path(path).resolve()))

    def change_source_zone(self, zone_name: str) -> None:
        """Re-read the program's floating times in another zone and remember the choice for
        this program, so opening it again keeps the user's correction."""
        self.program.change_source_zone(zone_name)
        chosen = stored_setting(self.store, settings.SOURCE_ZONES)
        chosen[self.program.key] = self.program.source_zone
        self.store.set_setting(SETTING_SOURCE_ZONES, chosen)

    def apply_remembered_source_zone(self) -> bool:
        """Apply the source zone the user chose earlier for this program; True if one was."""
        zone = stored_setting(self.store, settings.SOURCE_ZONES).get(self.program.key)
        if zone is None:
            return False
        if zone != self.program.source_zone or self.program.zone_guessed:
            self.program.change_source_zone(zone)
        return True


def _record(program: Program, item_id: str, note: StarNote, starred_at: str = "") -> StarRecord:
    return StarRecord(item_id, identity_of(program, item_id) or ItemIdentity(), starred_at,
                      note.note, note.priority)


def _stars_of(resolution: StarResolution) -> Stars:
    notes = {item_id: note_of_records(records)
             for item_id, records in resolution.attached.items()}
    return Stars(set(resolution.attached),
                 {r.item_id: r.identity.title for r in resolution.missing},
                 {item_id: note for item_id, note in notes.items() if not note.plain})


def open_workspace(program: Program, store: Store, previous: Program | None = None,
                   as_update: bool = False,
                   path: Path | None = None) -> tuple[Workspace, UpdatePlan | None]:
    """Open a parsed ``program`` with the user's stars, the window's open and update use case.

    When ``previous`` is the same conference (or ``as_update``: a copy the user says is newer)
    the stars follow their items to the new ids, and the plan says what moved. The program's
    remembered source zone is applied and ``path`` (the bundled program when None) remembered.
    """
    from planner.core.update import carry_stars

    plan = None
    if previous is not None and previous is not program and (
            as_update or previous.key == program.key):
        plan = carry_stars(store, previous, program)
    workspace = Workspace.open(program, store)
    workspace.apply_remembered_source_zone()
    workspace.remember_program(path if path is not None else BUNDLED_PROGRAM)
    return workspace, plan


def last_program_path(store: Store) -> Path | None:
    value = stored_setting(store, settings.LAST_PROGRAM)
    if value and Path(value).is_file():
        return Path(value)
    return None


def remember_last_program(store: Store, where: str) -> None:
    """The program to open at the next start: a file's absolute path, or a web address."""
    store.set_setting(SETTING_LAST_PROGRAM, where)


def remember_display_zone(store: Store, zone_name: str) -> None:
    """Keep the display zone the user picked for the next start."""
    store.set_setting(SETTING_DISPLAY_ZONE, timezones.zone_name(timezones.get_zone(zone_name)))


def display_zone_name(store: Store | None = None, explicit: str | None = None,
                      qt_zone_id: str | None = None) -> str:
    """The zone times are shown in: ``--tz``, then the remembered choice, then the machine's."""
    if explicit:
        return timezones.zone_name(timezones.get_zone(explicit))
    if store is not None:
        remembered = stored_setting(store, settings.DISPLAY_ZONE)
        if remembered:
            return remembered
    return timezones.system_zone_name(qt_zone_id)
