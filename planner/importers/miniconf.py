"""Mini-Conf site data (the virtual sites of ICLR, ICML, NeurIPS, ACL, EMNLP): one program from
one file, or from the folder of files that make one site.

Opening one file reads its companions: the other Mini-Conf files in the same folder with the
same name prefix (``miniconf_acl2023_conference.json`` finds ``miniconf_acl2023_booklet_data
.json``; ``sitedata/main_calendar.json`` finds ``sitedata/papers.csv``), so a file and its folder
give the same program. The readers of each file are :mod:`planner.importers.miniconf_files`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.errors import ProgramError
from planner.core.ids import slug
from planner.core.model import Program
from planner.importers.miniconf_files import STANDARD_NAMES, Part, file_kind, read_part
from planner.importers.miniconf_merge import build_program

if TYPE_CHECKING:
    from planner.importers import ImportOptions

FORMAT = "mini-conf"
_SESSION_KINDS = frozenset({"conference", "booklet", "socials", "calendar", "paper-sessions",
                            "plenary"})


def sniff(text: str) -> bool:
    """A Mini-Conf data file (calendar, conference, booklet, paper list ...)."""
    return file_kind(text) is not None


def site_prefix(path: Path) -> str | None:
    """The name prefix of a Mini-Conf file (``miniconf_acl2023_``, or "" for a plain
    ``conference.json``); None when the name is not a standard one."""
    name = path.name.lower()
    for standard in sorted(STANDARD_NAMES, key=len, reverse=True):
        if name.endswith(standard) and (len(name) == len(standard)
                                        or name[-len(standard) - 1] in "_-."):
            return name[: -len(standard)]
    return None


def companions(path: Path) -> list[Path]:
    """The other files of the same site next to ``path`` (same prefix, standard names)."""
    prefix = site_prefix(path)
    if prefix is None or not path.parent.is_dir():
        return []
    found = []
    for other in sorted(path.parent.iterdir()):
        if other != path and other.is_file() and site_prefix(other) == prefix:
            found.append(other)
    return found


def parse(text: str, options: ImportOptions, path: str = "") -> Program:
    """The program of one Mini-Conf file plus its companions in the same folder."""
    kind = file_kind(text)
    if kind is None:
        raise ProgramError("is not a Mini-Conf data file", path=path, line=1)
    parts = [read_part(kind, text, Path(path).name or "input", path)]
    real = Path(path) if path else None
    if real is not None and real.is_file():
        parts.extend(_read_companions(companions(real)))
    return _program(parts, options, path, real)


def parse_folder(folder: Path, options: ImportOptions) -> Program:
    """The program of the Mini-Conf site whose files are in ``folder``."""
    groups: dict[str, list[Path]] = {}
    for child in sorted(folder.iterdir()):
        prefix = site_prefix(child)
        if prefix is not None and child.is_file():
            groups.setdefault(prefix, []).append(child)
    if not groups:
        raise ProgramError("is a folder without a Mini-Conf calendar, conference or paper "
                           "file; open a program file", path=str(folder))
    if len(groups) > 1:
        names = ", ".join(prefix.strip("_-.") or "(no prefix)" for prefix in groups)
        raise ProgramError(f"holds the Mini-Conf data of {len(groups)} conferences ({names}); "
                           f"open one of their files instead", path=str(folder))
    files = next(iter(groups.values()))
    return _program(_read_companions(files), options, str(folder), files[0])


def _read_companions(files: list[Path]) -> list[Part]:
    from planner.importers.reading import read_program_text

    parts = []
    for file in files:
        text = read_program_text(file)
        kind = file_kind(text)
        if kind is None:
            continue
        try:
            parts.append(read_part(kind, text, file.name, str(file)))
        except ProgramError as error:
            raise error.located(str(file)) from None
    return parts


def _program(parts: list[Part], options: ImportOptions, path: str,
             real: Path | None) -> Program:
    if not any(part.kind in _SESSION_KINDS for part in parts):
        raise ProgramError("is a Mini-Conf paper or speaker list without a calendar; open it "
                           "in the folder that holds the site's calendar (main_calendar.json, "
                           "conference.json or paper_sessions.yml)", path=path, line=1)
    prefix = site_prefix(real) if real is not None else None
    label = (prefix or "").strip("_-.").replace("miniconf_", "").replace("_", " ")
    folder = real.parent.name if real is not None else ""
    spaced = re.sub(r"([a-z])(\d)", r"\1 \2", label)
    name = (spaced.upper() if label else folder) or "Mini-Conf program"
    key = f"mini-conf-{slug(label or (str(real.parent.resolve()) if real else path), 80)}"
    program = build_program(parts, name, options.source_zone, key)
    program.source_format = FORMAT
    sources = [part.source for part in parts]
    if len(sources) > 1:
        program.warnings.insert(0, f"read {len(sources)} Mini-Conf files together: "
                                   f"{', '.join(sources)}")
    return program
