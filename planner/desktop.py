"""Put planner in the desktop's application menu: the ``.desktop`` file and the icon.

Freedesktop menus read ``$XDG_DATA_HOME/applications`` and icon themes
``$XDG_DATA_HOME/icons/hicolor``; an installed wheel keeps both files inside the package, where no
menu looks. Menus watch these folders, so no cache is rebuilt here (planner changes only the
files it wrote). No Qt: the command line calls this.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from planner.bundled import DESKTOP_FILE_NAME, ICON_PNG_NAME, ICON_SVG_NAME, resource_file
from planner.core.errors import PlannerError

GUI_SCRIPT = "planner-gui"
ICON_PNG_SIZE = "256x256"  # the size of planner/resources/planner.png


@dataclass(frozen=True)
class DesktopFiles:
    """Where the entry and its icons go under one XDG data folder."""

    data_home: Path

    @property
    def entry(self) -> Path:
        return self.data_home / "applications" / DESKTOP_FILE_NAME

    @property
    def icon_svg(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_SVG_NAME

    @property
    def icon_png(self) -> Path:
        return self.data_home / "icons" / "hicolor" / ICON_PNG_SIZE / "apps" / ICON_PNG_NAME

    def all(self) -> tuple[Path, Path, Path]:
        return self.entry, self.icon_svg, self.icon_png


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset, empty or relative (the spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def gui_command() -> str:
    """The ``planner-gui`` of this installation, as an absolute path when it can be found.

    A menu does not see the PATH of a shell (pipx's ``~/.local/bin``, an activated venv), so the
    entry names the script beside the running interpreter, then the one on PATH.
    """
    beside = Path(sys.executable).parent / GUI_SCRIPT
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(GUI_SCRIPT)
    return found if found else GUI_SCRIPT


def desktop_entry_text(command: str) -> str:
    """The bundled ``.desktop`` file with ``Exec``/``TryExec`` naming ``command``."""
    lines = []
    for line in resource_file(DESKTOP_FILE_NAME).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={_exec_argument(command)} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={_escape_value(command)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(data_home: Path | None = None, command: str | None = None) -> DesktopFiles:
    """Write the entry and both icons (atomically each); returns where they went."""
    target = DesktopFiles(data_home or xdg_data_home())
    entry = desktop_entry_text(command or gui_command()).encode("utf-8")
    _write(target.entry, entry)
    _write(target.icon_svg, resource_file(ICON_SVG_NAME).read_bytes())
    _write(target.icon_png, resource_file(ICON_PNG_NAME).read_bytes())
    return target


def uninstall(data_home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote (nothing else); returns the files removed."""
    target = DesktopFiles(data_home or xdg_data_home())
    removed = []
    for path in target.all():
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PlannerError(f"{path}: cannot remove it ({exc.strerror or exc})") from None
        removed.append(path)
    return removed


def _write(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise PlannerError(f"{path}: cannot write it ({exc.strerror or exc})") from None


_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _exec_argument(argument: str) -> str:
    """One ``Exec`` argument, quoted as the Desktop Entry spec asks when it needs to be."""
    if not any(char in _EXEC_RESERVED for char in argument):
        return _escape_value(argument)
    quoted = "".join("\\" + char if char in '"`$\\' else char for char in argument)
    return _escape_value(f'"{quoted}"')


def _escape_value(value: str) -> str:
    """A string value of a desktop entry (``\\`` itself is escaped; no line breaks)."""
    if "\n" in value or "\r" in value:
        raise PlannerError(f"cannot name {value!r} in a desktop entry (it has a line break)")
    return value.replace("\\", "\\\\")
