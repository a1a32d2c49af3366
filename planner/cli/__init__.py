"""The command line: parse arguments, call the same core functions as the window, print.

Each group of sub-commands lives in its own module with ``register(subparsers)``; a handler
returns the exit status. Errors a user can cause print one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner import __version__
from planner.core.errors import PlannerError

if TYPE_CHECKING:
    from planner.importers import ImportOptions
    from planner.storage.store import Store

# Modules that add sub-commands, each with register(subparsers: argparse._SubParsersAction),
# and the commands each registers (tests/cli checks the names against what register adds): a
# command line naming one of them builds only its module's parsers, so ``planner list`` does
# not import the modules (and build the parsers) of the other fifteen commands.
COMMANDS: dict[str, tuple[str, ...]] = {
    "planner.cli.program_cmds": ("list", "star", "unstar", "convert", "zones"),
    "planner.cli.export_cmd": ("export", "import-stars"),
    "planner.cli.print_cmd": ("print",),  # a PDF of the agenda
    "planner.cli.diff_cmd": ("diff",),
    "planner.cli.gui_cmd": ("gui",),
    "planner.cli.desktop_cmd": ("install-desktop",),
    "planner.cli.sync_cmd": ("sync",),
    "planner.cli.live_cmds": ("refresh", "now", "remind"),
}
COMMAND_MODULES = list(COMMANDS)

Handler = Callable[[argparse.Namespace], int]

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, like every other user error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, only the module that registers it (the
    parse of a command line naming it is the same, and help or errors for the other commands
    cannot come up)."""
    parser = _Parser(prog="planner", description="Plan your conference: see a program in your "
                     "time zone, star sessions and papers, export them to your calendar.")
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder for stars and settings (default: $PLANNER_DATA_DIR or the "
                             "platform's user data folder)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = [dotted for dotted, names in COMMANDS.items() if command in names]
    for dotted in wanted or COMMAND_MODULES:
        if importlib.util.find_spec(dotted) is None:
            continue
        importlib.import_module(dotted).register(subparsers)
    return parser


def command_named(args: Sequence[str]) -> str | None:
    """The sub-command a command line names, when that is certain before parsing: the first
    argument after the global ``--data-dir DIR``; None when anything else comes first (an
    option such as --help, or an abbreviation argparse would accept)."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--data-dir":
            index += 2
        elif arg.startswith("--data-dir="):
            index += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def add_program_arguments(parser: argparse.ArgumentParser) -> None:
    """The PROGRAM argument and the options that tell us what a file does not say."""
    parser.add_argument("program", nargs="?", metavar="PROGRAM",
                        help="program file or http(s) URL (default: the bundled ICLR 2021 day)")
    parser.add_argument("--source-tz", metavar="ZONE",
                        help="IANA zone of times written without an offset")
    parser.add_argument("--year", type=int, help="year for dates written without one")
    parser.add_argument("--catalog", metavar="FILE",
                        help="paper catalog (TSV/CSV: title, abstract, link) to title papers")
    parser.add_argument("--format", dest="format_name", choices=format_names(),
                        help="skip format detection")


def format_names() -> list[str]:
    """The ``--format`` choices: the importer registry's names (cheap: no importer is loaded)."""
    from planner.importers import FORMAT_MODULES

    return list(FORMAT_MODULES)


def import_options(args: argparse.Namespace) -> ImportOptions:
    """ImportOptions from the arguments of :func:`add_program_arguments` (those present)."""
    from planner.core import timezones
    from planner.importers import ImportOptions

    source_zone = getattr(args, "source_tz", None)
    if source_zone:
        source_zone = timezones.zone_name(timezones.get_zone(source_zone))
    catalog = getattr(args, "catalog", None)
    return ImportOptions(year=getattr(args, "year", None), source_zone=source_zone,
                         catalog=Path(catalog) if catalog else None)


def open_store(args: argparse.Namespace) -> Store:
    """The user's store (``--data-dir`` or the default), telling stderr what it had to repair."""
    from planner.storage.store import Store

    data_dir = getattr(args, "data_dir", None)
    store = Store(data_dir) if data_dir else Store()
    for notice in store.notices:
        print(f"planner: {notice}", file=sys.stderr)
    return store


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # answered before any command module is imported
        print(f"planner {__version__}")
        return 0
    if not args_list or (args_list[0].startswith("--data-dir") and len(args_list) <= 2
                         and importlib.util.find_spec("planner.cli.gui_cmd") is not None):
        args_list = [*args_list, "gui"]
    parser = build_parser(command_named(args_list))
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler: Handler = args.handler
    from planner.cli.output import run_writing_output
    from planner.core.timezones import UnknownZoneError

    try:
        return run_writing_output(lambda: handler(args))
    except (PlannerError, UnknownZoneError) as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])
