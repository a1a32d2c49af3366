"""Importers: one module per format, chosen by looking at the content, never the file name.

Each format module has ``sniff(text) -> bool`` (cheap; looks at the start of the text) and
``parse(text, options, path) -> Program``, and raises only
:class:`planner.core.errors.ProgramError`. Reading bytes into text (size limit, encodings,
binary files) happens once, in :mod:`planner.importers.reading`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from planner.core.errors import ProgramError
from planner.core.model import Program

# Format name -> module. Order matters for sniffing: the most specific formats first, the
# copied virtual page (plain text, the loosest grammar) last.
FORMAT_MODULES: dict[str, str] = {
    "frab-xml": "planner.importers.frab_xml",
    "indico": "planner.importers.indico",
    "mini-conf": "planner.importers.miniconf",
    "frab-json": "planner.importers.frab_json",
    "ics": "planner.importers.ical",
    "csv": "planner.importers.csv_schedule",
    "virtual-page": "planner.importers.virtual_page",
}


@dataclass(frozen=True)
class ImportOptions:
    """What the user told us about a program that its file does not say.

    Attributes:
        year: the year for sources that write dates without one (copied pages).
        source_zone: IANA zone for times without an offset; overrides the file's own claim.
        catalog: a paper catalog (TSV/CSV with title, abstract, link) to title papers.
        recurrence_window: (iCalendar) keep only events touching this span, and expand
            recurring ones up to its end instead of a year after their first occurrence: a
            personal calendar's weekly meeting started years before the conference.
    """

    year: int | None = None
    source_zone: str | None = None
    catalog: Path | None = None
    recurrence_window: tuple[dt.datetime, dt.datetime] | None = None


class FormatModule(Protocol):
    def sniff(self, text: str) -> bool: ...

    def parse(self, text: str, options: ImportOptions, path: str) -> Program: ...


# The first character (after a byte-order mark and blank space) each format's sniff needs, so
# detection imports only the modules that could say yes (a format module's imports are most of
# the time ``planner list`` spends before parsing); None: any text. tests/importers checks
# that detection with this table finds what asking every module finds.
SNIFF_LEADS: dict[str, tuple[str, ...] | None] = {
    "frab-xml": ("<",),
    "indico": ("{",),
    "mini-conf": None,
    "frab-json": ("{",),
    "ics": ("B", "b"),
    "csv": None,
    "virtual-page": None,
}
# Starts of the (stripped) text a format's sniff never accepts, for formats that take any
# first character: Mini-Conf's data files are JSON, CSV or YAML, never XML or iCalendar.
SNIFF_NEVER: dict[str, tuple[str, ...]] = {"mini-conf": ("<", "BEGIN:")}


def _module(name: str) -> FormatModule:
    module: ModuleType = importlib.import_module(FORMAT_MODULES[name])
    return cast(FormatModule, module)


def available_formats() -> list[str]:
    """Formats whose module exists in this build."""
    names = []
    for name, dotted in FORMAT_MODULES.items():
        if importlib.util.find_spec(dotted) is not None:
            names.append(name)
    return names


def detect_format(text: str, path: str = "") -> str:
    """The format of ``text`` by its content, or a ProgramError naming what was expected."""
    head = text[:16].lstrip("\ufeff \t\r\n") or text[:4096].lstrip("\ufeff \t\r\n")[:16]
    lead = head[:1]
    for name in available_formats():
        leads = SNIFF_LEADS.get(name)
        if (leads is not None and lead not in leads) or head.startswith(SNIFF_NEVER.get(name, ())):
            continue
        if _module(name).sniff(text):
            return name
    from planner.importers.recognise import recognise

    known = recognise(text)
    if known is not None:
        raise ProgramError(known, path=path, line=1)
    raise ProgramError(
        "not a conference program this app can read; expected frab/Pentabarf XML, frab JSON, "
        "iCalendar (.ics), Indico JSON, Mini-Conf data, a CSV schedule or a copied "
        "virtual-conference page with headers such as "
        "'Poster Session 12 Fri 7 May 02:00 a.m.'", path=path, line=1)


def parse_text(text: str, options: ImportOptions | None = None, path: str = "",
               format_name: str | None = None) -> Program:
    """Parse program text already in memory."""
    options = options or ImportOptions()
    if format_name is not None and format_name not in FORMAT_MODULES:
        raise ProgramError(f"unknown format {format_name!r}; expected one of "
                           f"{', '.join(FORMAT_MODULES)}", path=path)
    name = format_name or detect_format(text, path)
    return _finish(_module(name).parse(text, options, path), options, path, name)


def _finish(program: Program, options: ImportOptions | None, path: str,
            name: str = "") -> Program:
    """What every reader's program gets: its format and path, the user's source zone, and
    sessions outside the supported dates taken off the timeline."""
    from planner.importers.supported_dates import unschedule_unsupported

    options = options or ImportOptions()
    unschedule_unsupported(program)
    program.source_format = program.source_format or name
    program.source_path = program.source_path or path
    _flag_reversed_ends(program)
    if options.source_zone:
        if program.source_zone != options.source_zone:
            program.change_source_zone(options.source_zone)
        program.zone_guessed = False
    return program


def _flag_reversed_ends(program: Program) -> None:
    """Sessions whose end is at or before their start are kept, as a moment at their start,
    and flagged (a calendar app opens them; refusing or stretching them would hide them)."""
    for session in program.sessions:
        if session.start is None or session.end is None or session.all_day:
            continue
        if session.end <= session.start:
            if not session.end_before_start and session.end < session.start:
                program.warnings.append(f"{session.title!r} ends before it starts; kept as a "
                                        f"moment at its start and marked so")
            session.end = session.start
            session.end_before_start = True
            session.end_estimated = False


def load_program(path: str | Path, options: ImportOptions | None = None,
                 format_name: str | None = None) -> Program:
    """Read and parse a program file; every failure is a ProgramError naming the file."""
    from planner.importers.reading import read_program_text

    shown = str(path)
    if Path(path).is_dir() and format_name in (None, "mini-conf"):
        from planner.importers.miniconf import parse_folder

        return _finish(parse_folder(Path(path), options or ImportOptions()), options, shown)
    text = read_program_text(Path(path))
    try:
        return parse_text(text, options, shown, format_name)
    except ProgramError as error:
        raise error.located(shown) from None

