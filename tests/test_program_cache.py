"""The parsed bundled program's cache: used when its key matches, ignored (and rewritten) when
stale, damaged, from another planner version or changed data."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

import planner
from planner import program_cache
from planner.bundled import PROGRAM_NAME, data_file
from planner.core.model import Program
from planner.program_cache import CACHE_NAME, bundled_program, cache_key, read_cached
from planner.workspace import open_program


class Parses:
    """Counts the real parses asked for."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> Program:
        self.count += 1
        return open_program(None)


def must_not_parse() -> Program:
    raise AssertionError("the cache should have answered")


def summary(program: Program) -> list[tuple[object, ...]]:
    return [(s.id, s.title, s.start, s.end, s.room, tuple(s.paper_ids))
            for s in program.sessions]


@pytest.fixture(scope="module")
def fresh() -> Program:
    return open_program(None)


def test_second_start_reads_what_the_first_parsed(tmp_path: Path, fresh: Program) -> None:
    parses = Parses()
    first = bundled_program(parses, tmp_path)
    assert parses.count == 1 and (tmp_path / CACHE_NAME).is_file()
    second = bundled_program(must_not_parse, tmp_path)
    assert second == fresh and summary(second) == summary(fresh)
    assert second.name == first.name and second.key == first.key
    assert all(s.start is None or s.start.tzinfo is not None for s in second.sessions)
    assert len(second.sessions) == 32 and any(s.paper_ids for s in second.sessions)


def test_stale_key_is_parsed_again_and_rewritten(tmp_path: Path) -> None:
    parses = Parses()
    (tmp_path / CACHE_NAME).write_bytes(pickle.dumps(("another key", open_program(None))))
    bundled_program(parses, tmp_path)
    assert parses.count == 1
    assert read_cached(cache_key(), tmp_path) is not None


@pytest.mark.parametrize("content", [b"", b"not a pickle at all", b"\x80\x05\x95garbage"])
def test_damaged_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    (tmp_path / CACHE_NAME).write_bytes(content)
    parses = Parses()
    program = bundled_program(parses, tmp_path)
    assert parses.count == 1 and len(program.sessions) == 32
    assert read_cached(cache_key(), tmp_path) is not None


def test_something_else_under_the_right_key_is_ignored(tmp_path: Path) -> None:
    (tmp_path / CACHE_NAME).write_bytes(pickle.dumps((cache_key(), ["not", "a program"])))
    assert read_cached(cache_key(), tmp_path) is None


def test_another_planner_version_parses_again(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    bundled_program(Parses(), tmp_path)
    old_key = cache_key()
    monkeypatch.setattr(planner, "__version__", planner.__version__ + ".post1")
    assert cache_key() != old_key
    parses = Parses()
    bundled_program(parses, tmp_path)
    assert parses.count == 1


def test_moved_or_changed_bundled_data_changes_the_key(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    installed = cache_key()
    copy = tmp_path / "data"
    shutil.copytree(data_file(PROGRAM_NAME).parent, copy)
    monkeypatch.setattr(program_cache, "data_file", lambda name: copy / name)
    before = cache_key()
    assert before != installed  # the same bytes elsewhere: the program's path differs
    catalog = copy / "iclr2021_papers.tsv"
    catalog.write_bytes(catalog.read_bytes() + b"\n")
    assert cache_key() != before


def test_unwritable_cache_folder_only_costs_the_parse(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    parses = Parses()
    assert len(bundled_program(parses, blocker / "planner").sessions) == 32
    assert parses.count == 1 and not list(tmp_path.glob("**/.bundled-*"))


def test_the_window_loader_uses_the_users_cache_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.ui.worker import load_program_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_program_file(None)
    assert read_cached(cache_key(), tmp_path / "planner") is not None
    assert not list((tmp_path / "planner").glob(".bundled-*"))  # no temporary left behind
