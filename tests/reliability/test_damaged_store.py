"""A damaged store is moved aside (and kept), a fresh one started, never a crash loop."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.storage.store import STORE_NAME, Store, StoreError
from tests.reliability.conftest import record
from tools import crash_harness

KEY = "conf"
STARS = {f"session-{n:04d}-{'x' * 40}" for n in range(300)}  # several pages


def _make_store(folder: Path) -> Path:
    with Store(folder) as store:
        store.set_starred(KEY, sorted(STARS), True)
        store.set_setting("display_zone", "Asia/Kolkata")
    return folder / STORE_NAME


def _truncate_to(size: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(path.read_bytes()[:size])

    return damage


def _truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(16384))


def _garbage_after_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(16368))


def _text_file(path: Path) -> None:
    path.write_text("these are my stars: session-0001, session-0002\n")


def _newer_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE reminders (id TEXT)")
    conn.commit()
    conn.close()


def _tables_dropped(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE stars")
    conn.commit()
    conn.close()


def _wrong_columns(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE stars")
    conn.execute("CREATE TABLE stars (what TEXT)")
    conn.commit()
    conn.close()


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("a folder where the store should be")


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 8, 4096 + 400):  # the b-tree page header and cell pointers
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


# name -> (damage, how many stars must come back at least)
DAMAGE: dict[str, tuple[Callable[[Path], None], int]] = {
    "truncated to 50 bytes": (_truncate_to(50), 0),
    "truncated to one page": (_truncate_to(4096), 0),
    "truncated to half": (_truncate_half, 0),
    "garbage": (_garbage, 0),
    "garbage after a valid header": (_garbage_after_header, 0),
    "a text file": (_text_file, 0),
    "newer schema version": (_newer_schema, len(STARS)),
    "stars table missing": (_tables_dropped, 0),
    "stars table with other columns": (_wrong_columns, 0),
    "a folder at the store's path": (_directory, 0),
    "corrupted b-tree page": (_corrupt_page, 0),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damaged_store_is_moved_aside_and_kept(tmp_path: Path, name: str) -> None:
    damage, must_recover = DAMAGE[name]
    folder = tmp_path / "data"
    path = _make_store(folder)
    damage(path)
    damaged_bytes = path.read_bytes() if path.is_file() else None

    store = Store(folder)  # must not raise
    try:
        assert not store.read_only
        assert len(store.notices) == 1, store.notices
        notice = store.notices[0]
        kept = sorted(folder.glob(STORE_NAME + ".damaged-*"))
        kept_main = [p for p in kept if not p.name.endswith(("-wal", "-shm"))]
        assert len(kept_main) == 1, kept
        assert kept_main[0].name in notice and "could not be read" in notice
        if damaged_bytes is not None:
            assert kept_main[0].read_bytes() == damaged_bytes  # the user's copy, untouched
        recovered = store.starred(KEY)
        assert recovered <= STARS
        assert len(recovered) >= must_recover
        if recovered:
            assert f"{len(recovered)} star" in notice
        store.set_starred(KEY, ["after-recovery"], True)
    finally:
        store.close()
    record(f"damaged store: {name}", f"moved aside, {len(recovered)} of {len(STARS)} stars "
           f"recovered")
    # No crash loop: the next start is clean and keeps what was saved after the recovery.
    with Store(folder) as again:
        assert again.notices == []
        assert "after-recovery" in again.starred(KEY)
    assert len([p for p in folder.glob(STORE_NAME + ".damaged-*")
                if not p.name.endswith(("-wal", "-shm"))]) == 1


@pytest.mark.parametrize("side", ["-wal", "-shm"])
def test_garbage_beside_a_healthy_store_loses_nothing(tmp_path: Path, side: str) -> None:
    """SQLite ignores a WAL whose checksums fail and rebuilds the shared-memory index."""
    folder = tmp_path / "data"
    path = _make_store(folder)
    Path(str(path) + side).write_bytes(random.Random(3).randbytes(40_000))
    with Store(folder) as store:
        assert store.starred(KEY) == STARS
        assert store.notices == []


def test_empty_file_is_a_fresh_store_without_notice(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / STORE_NAME).write_bytes(b"")
    with Store(folder) as store:
        assert store.notices == []
        store.set_starred(KEY, ["a"], True)
    with Store(folder) as store:
        assert store.starred(KEY) == {"a"}


def test_truncation_recovers_what_is_still_readable(tmp_path: Path) -> None:
    """Cut at the end: the first pages still hold stars, and they are brought back."""
    folder = tmp_path / "data"
    path = _make_store(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4096])
    with Store(folder) as store:
        recovered = store.starred(KEY)
        assert recovered <= STARS
        assert store.notices
    record("damaged store: last page cut off", f"{len(recovered)} of {len(STARS)} stars "
           f"recovered")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, 200_000), st.integers(0, 255)), min_size=1,
                     max_size=30),
       truncate=st.one_of(st.none(), st.integers(0, 200_000)))
def test_any_damage_opens_without_crash_and_without_loop(
        tmp_path_factory: pytest.TempPathFactory, cuts: list[tuple[int, int]],
        truncate: int | None) -> None:
    folder = tmp_path_factory.mktemp("damaged") / "data"
    path = _make_store(folder)
    data = bytearray(path.read_bytes())
    for offset, value in cuts:
        data[offset % len(data)] = value
    if truncate is not None:
        data = data[: truncate % (len(data) + 1)]
    path.write_bytes(bytes(data))
    with Store(folder) as store:
        assert not store.read_only
        assert len(store.notices) <= 1
        store.starred(KEY)  # readable: whatever damage went undetected did not break reads
        store.set_starred(KEY, ["new"], True)
    with Store(folder) as again:
        assert again.notices == []
        assert "new" in again.starred(KEY)


def test_damaged_store_in_read_only_folder_is_a_clear_error(
        tmp_path: Path, can_make_read_only: None) -> None:
    folder = tmp_path / "data"
    _garbage(_make_store(folder))
    with crash_harness.read_only_folder(folder):
        store = Store(folder)
        try:
            assert store.read_only and store.notices
            assert store.starred(KEY) == set()
            with pytest.raises(StoreError, match="read-only"):
                store.set_starred(KEY, ["a"], True)
        finally:
            store.close()
        assert not list(folder.glob("*.damaged-*"))


def test_several_copies_starting_on_a_damaged_store_move_it_once(tmp_path: Path) -> None:
    """Four processes open the same garbage store at once: one moves it aside, all work."""
    folder = tmp_path / "data"
    _garbage(_make_store(folder))
    script = ("import sys, time\n"
              "from planner.storage.store import Store\n"
              "time.sleep(max(0, float(sys.argv[2]) - time.time()))\n"
              "s = Store(sys.argv[1])\n"
              "s.set_starred('conf', ['from-' + sys.argv[3]], True)\n"
              "print(len(s.notices))\n")
    import time

    start_at = time.time() + 1.0
    children = [subprocess.Popen([sys.executable, "-c", script, str(folder), repr(start_at),
                                  str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=crash_harness.child_env(folder))
                for n in range(4)]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, stderr) in zip(children, outputs, strict=True):
        assert child.returncode == 0, stderr
    moved = [p for p in folder.glob(STORE_NAME + ".damaged-*")
             if not p.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1, moved
    with Store(folder) as store:
        assert store.notices == []
        assert store.starred(KEY) == {f"from-{n}" for n in range(4)}


def test_cli_on_a_damaged_store_tells_the_user_and_stars(tmp_path: Path,
                                                          small_program: Path) -> None:
    folder = tmp_path / "data"
    _garbage(_make_store(folder))
    target = crash_harness.Target.for_mode("cli-process", small_program)
    command = [sys.executable, "-m", "planner", "--data-dir", str(folder), "star",
               "--program", str(small_program), target.ids[0]]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                           env=crash_harness.child_env(folder))
    assert first.returncode == 0, first.stderr
    assert "could not be read" in first.stderr and "kept as" in first.stderr
    assert "Traceback" not in first.stderr
    assert target.ids[0] in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                            env=crash_harness.child_env(folder))
    assert second.returncode == 0 and second.stderr == ""
    record("damaged store: CLI message", first.stderr.strip().splitlines()[0])


def test_a_stored_id_with_broken_utf8_does_not_break_reading(tmp_path: Path) -> None:
    """A flipped byte inside a stored id (integrity checks do not look at text)."""
    folder = tmp_path / "data"
    path = _make_store(folder)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO stars (program_key, item_id, starred_at) "
                 "VALUES ('conf', CAST(x'6142ff43' AS TEXT), '')")
    conn.commit()
    conn.close()
    with Store(folder) as store:
        stars = store.starred(KEY)
        assert "aB\ufffdC" in stars and stars >= STARS
        store.set_starred(KEY, ["aB\ufffdC"], False)


def test_half_of_a_five_page_store_still_gives_back_every_star(tmp_path: Path) -> None:
    """Issue 10.4: 60 stars on page 2 of a 5-page store; the file cut to half its size keeps
    that page intact, so every star comes back, and the notice says what may be lost."""
    folder = tmp_path / "data"
    ids = {f"e-{n}" for n in range(60)}
    with Store(folder) as store:
        store.set_starred(KEY, sorted(ids), True)
        store.set_setting("display_zone", "Asia/Kolkata")
    path = folder / STORE_NAME
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA page_count").fetchone()[0] == 5
    assert conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'stars'"
                        ).fetchone()[0] == 2
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with Store(folder) as store:
        assert store.starred(KEY) == ids
        notice = " ".join(store.notices)
        assert "60 stars could be recovered" in notice
        assert "3 pages of the file are missing" in notice
        store.set_starred(KEY, ["after"], True)
    with Store(folder) as again:
        assert again.notices == []
        assert again.starred(KEY) == ids | {"after"}
    record("damaged store: 5-page store cut to half (stars on an intact page)",
           f"{len(ids)} of {len(ids)} stars recovered")


def test_salvage_counts_row_id_gaps_as_possibly_lost(tmp_path: Path) -> None:
    """A lost leaf page in the middle: what is left comes back, the gap is reported."""
    folder = tmp_path / "data"
    path = _make_store(folder)
    conn = sqlite3.connect(path)
    leaves = [row[0] for row in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'stars' AND pagetype = 'leaf' ORDER BY pageno")]
    index_pages = [row[0] for row in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'sqlite_autoindex_stars_1'")]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(leaves) >= 3
    data = bytearray(path.read_bytes())
    # One leaf of the table, and the whole index (which would otherwise give the ids back).
    for lost_page in [leaves[len(leaves) // 2], *index_pages]:
        data[(lost_page - 1) * page_size: lost_page * page_size] = bytes(page_size)
    path.write_bytes(bytes(data))
    with Store(folder) as store:
        recovered = store.starred(KEY)
        notice = " ".join(store.notices)
    assert recovered < STARS and len(recovered) >= len(STARS) - 60  # one leaf: ~43 rows
    lost = len(STARS) - len(recovered)
    assert f"{len(recovered)} stars could be recovered" in notice
    assert f"up to {lost} more may be lost" in notice
