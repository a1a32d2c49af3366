"""The agenda as a vdir: one ``.ics`` per event, the layout khal and vdirsyncer read.

``DIR/<UID>.ics`` holds one VCALENDAR (the event and its VTIMEZONE), the same event a CalDAV
sync writes (:mod:`planner.export.objects`): SEQUENCE, LAST-MODIFIED and DTSTAMP change only
when the event does, so vdirsyncer uploads only what changed. Each file is written
atomically, and only when its content changed. A file is planner's when its name is a planner UID
*and* it carries this program's X-PLANNER-PROGRAM: only such files are ever replaced or removed,
so the folder can hold the user's own events and other programs' agendas.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.model import Program
from planner.core.stars import Stars
from planner.export.ics import UID_DOMAIN, ExportError, ExportOptions, atomic_write
from planner.export.objects import agenda_objects, planner_fields, program_marker, stamped

_OWN_NAME = re.compile(r"^[0-9a-f]{32}@" + re.escape(UID_DOMAIN) + r"\.ics$")
MAX_EVENT_FILE = 4 * 1024 * 1024


@dataclass
class VdirReport:
    """What one export into a vdir did."""

    folder: Path
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


def export_vdir(program: Program, stars: Stars, options: ExportOptions, folder: str | Path,
                now: Callable[[], dt.datetime] | None = None) -> VdirReport:
    """Make planner's files in ``folder`` exactly the agenda (see the module docstring).

    Raises:
        ExportError: the folder cannot be made or written, or is not a folder.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: is not a folder; --vdir needs a folder (khal/vdirsyncer "
                          f"calendar)")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {target}: {exc.strerror or exc}") from None
    objects, warnings = agenda_objects(program, stars, options)
    marker = program_marker(program)
    moment = (now or (lambda: dt.datetime.now(dt.UTC)))()
    report = VdirReport(target, warnings=list(warnings))
    existing = _own_files(target, marker)
    for obj in objects:
        name = f"{obj.uid}.ics"
        path = target / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise ExportError(f"{path}: is not a regular file; planner does not replace it")
        sequence = 0
        if name in existing:
            old_hash, old_sequence = existing.pop(name)
            if old_hash == obj.content_hash:
                report.unchanged += 1
                continue
            sequence = old_sequence + 1
        elif path.exists():
            found = _read_fields(path)
            if found is None or found[0] != obj.uid:
                raise ExportError(f"{path}: a file planner did not write has planner's name; "
                                  f"move it away")
            sequence = found[3] + 1
        atomic_write(path, stamped(obj, marker, sequence, moment).to_ical())
        report.written.append(name)
    for name in sorted(existing):
        try:
            (target / name).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ExportError(f"cannot remove {target / name}: {exc.strerror or exc}") from None
        report.removed.append(name)
    if report.written or report.removed:
        _sync_folder(target)
    return report


def _own_files(folder: Path, marker: str) -> dict[str, tuple[str, int]]:
    """File name -> (X-PLANNER-HASH, SEQUENCE) of this program's files in the folder."""
    found: dict[str, tuple[str, int]] = {}
    for entry in os.scandir(folder):
        if not _OWN_NAME.match(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        fields = _read_fields(Path(entry.path))
        if fields is None:
            continue
        uid, file_marker, content_hash, sequence = fields
        if file_marker == marker and f"{uid}.ics" == entry.name:
            found[entry.name] = (content_hash, sequence)
    return found


def _read_fields(path: Path) -> tuple[str, str, str, int] | None:
    from icalendar import Calendar

    try:
        if path.stat().st_size > MAX_EVENT_FILE:
            return None
        return planner_fields(Calendar.from_ical(path.read_bytes()))
    except Exception:  # unreadable or not iCalendar: not a file planner can vouch for
        return None


def _sync_folder(folder: Path) -> None:
    """Make the renames and removals durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
