"""A command line naming its command builds only that command's module: the same parse, the
same help and errors, without importing the other commands' modules."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import COMMANDS, build_parser, command_named

REPO = Path(__file__).resolve().parents[2]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_table_names_exactly_what_each_module_registers() -> None:
    registered = _subcommands(build_parser())
    assert set(registered) == {name for names in COMMANDS.values() for name in names}
    for names in COMMANDS.values():
        for name in names:
            assert set(_subcommands(build_parser(name))) == set(names)


@pytest.mark.parametrize("name", [name for names in COMMANDS.values() for name in names])
def test_a_named_command_gets_the_same_parser_as_the_full_command_line(name: str) -> None:
    full = _subcommands(build_parser())[name]
    alone = _subcommands(build_parser(name))[name]
    assert alone.format_help() == full.format_help()
    assert alone.get_default("handler") is full.get_default("handler")


@pytest.mark.parametrize(("args", "expected"), [
    (["list", "x.ics"], "list"),
    (["--data-dir", "/tmp/d", "star", "a"], "star"),
    (["--data-dir=/tmp/d", "gui"], "gui"),
    (["--help"], None),
    (["--data", "/tmp/d", "list"], None),  # an abbreviation: argparse decides
    (["--data-dir"], None),
    ([], None),
    (["lst"], "lst"),  # not a command: the full parser says so
])
def test_command_named(args: list[str], expected: str | None) -> None:
    assert command_named(args) == expected


def test_unknown_command_still_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "planner", "lst"], capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=False)
    assert done.returncode == 2
    assert "invalid choice: 'lst'" in done.stderr
    for names in COMMANDS.values():
        for name in names:
            assert f"'{name}'" in done.stderr


def test_list_imports_no_other_command_module(tmp_path: Path) -> None:
    program = REPO / "tests" / "fixtures"
    ics = next(program.rglob("*.ics"))
    code = ("import sys, runpy\n"
            "sys.argv = ['planner', 'list', sys.argv[1], '--tz', 'UTC']\n"
            "try:\n    runpy.run_module('planner', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('planner.cli.')),"
            " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, str(ics)], capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=False,
                          env={"PLANNER_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    loaded = done.stderr.strip().splitlines()[-1]
    assert "'planner.cli.program_cmds'" in loaded, done.stderr
    for dotted in COMMANDS:
        if dotted not in ("planner.cli.program_cmds", "planner.cli.live_cmds"):
            assert f"'{dotted}'" not in loaded, loaded
