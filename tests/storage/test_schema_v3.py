"""Schema 3 (notes and priority on each star): a store written by the schema-2 code keeps every
star and setting, gains notes, and notes survive what stars survive (updates, damage)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from planner.core.carry import carry_stars
from planner.core.star_notes import MAYBE, MUST, NOTE_LIMIT, NoteError
from planner.importers import load_program
from planner.storage.store import STORE_NAME, Store
from planner.workspace import Workspace
from tools import crash_harness

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
V2_STORE = FIXTURES / "store_v2.sqlite3"  # made by make_v2_store.py with the schema-2 code
BEFORE = FIXTURES / "fosdem2020_before.xml"
AFTER = FIXTURES / "fosdem2020_after.xml"


def _raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _v2_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(V2_STORE, folder / STORE_NAME)
    return folder


def test_the_fixture_is_a_version_two_store() -> None:
    assert _raw(V2_STORE, "PRAGMA user_version") == [(2,)]
    columns = {row[1] for row in _raw(V2_STORE, "PRAGMA table_info(stars)")}
    assert "guid" in columns and "note" not in columns


def test_a_version_two_store_keeps_every_star_and_setting(tmp_path: Path) -> None:
    stars_before = sorted(_raw(V2_STORE, "SELECT program_key, item_id, starred_at, guid, title, "
                                         "people FROM stars"))
    settings_before = sorted(_raw(V2_STORE, "SELECT key, value FROM settings"))
    assert len(stars_before) == 10 and len(settings_before) == 4
    folder = _v2_copy(tmp_path)
    with Store(folder) as store:
        assert store.notices == []
        assert store.setting("display_zone") == "Asia/Kolkata"
        assert store.setting("source_zones") == {"iclr-2021-fri": "Europe/Vienna"}
        for key in ("fosdem-2020", "iclr-2021-fri"):
            records = store.star_records(key)
            assert {(r.note, r.priority) for r in records} == {("", MUST)}
    path = folder / STORE_NAME
    assert _raw(path, "PRAGMA user_version") == [(3,)]
    assert _raw(path, "PRAGMA integrity_check") == [("ok",)]
    assert sorted(_raw(path, "SELECT program_key, item_id, starred_at, guid, title, people "
                             "FROM stars")) == stars_before
    assert sorted(_raw(path, "SELECT key, value FROM settings")) == settings_before
    assert set(_raw(path, "SELECT note, priority FROM stars")) == {("", "must")}


def test_notes_on_a_migrated_store_are_saved_and_read_back(tmp_path: Path) -> None:
    folder = _v2_copy(tmp_path)
    program = load_program(BEFORE)
    with Store(folder) as store:
        workspace = Workspace.open(program, store)
        assert len(workspace.stars.ids) == 7  # and e-99999 kept, without an item
        assert workspace.stars.notes == {}
        workspace.annotate(["e-9249"], note="Ask about the\r\nrelease plan  ", priority=MAYBE)
        workspace.annotate(["e-10715"], note="Sit near the front")
    with Store(folder) as store:
        again = Workspace.open(program, store)
        assert again.stars.note_of("e-9249").note == "Ask about the\nrelease plan"
        assert again.stars.is_maybe("e-9249")
        assert again.stars.note_of("e-10715").priority == MUST
        assert again.stars.missing(program) == ["e-99999"]
        assert len(store.star_records("fosdem-2020")) == 8  # no star doubled


def test_notes_follow_their_talks_to_a_new_version(tmp_path: Path) -> None:
    folder = _v2_copy(tmp_path)
    before, after = load_program(BEFORE), load_program(AFTER)
    with Store(folder) as store:
        workspace = Workspace.open(before, store)
        workspace.annotate(["e-9249"], note="LibreOffice: bring laptop", priority=MAYBE)
        workspace.annotate(["e-9123"], note="dqlite question")  # no guid: by title, speakers
        workspace.annotate(["e-9045"], note="talk that will be removed")
        plan = carry_stars(store, before, after)
        assert plan.renames["e-9249"] == "e-19249"
        moved = Workspace.open(after, store)
    assert moved.stars.note_of("e-19249").note == "LibreOffice: bring laptop"
    assert moved.stars.is_maybe("e-19249")
    assert moved.stars.note_of("e-19123").note == "dqlite question"
    assert "e-9249" not in moved.stars.notes
    # The removed talk's star stays, pinned, with its note.
    with Store(folder) as store:
        kept = {r.item_id: r.note for r in store.star_records("fosdem-2020")}
    assert kept["e-9045"] == "talk that will be removed"


def test_two_copies_migrating_at_once_keep_every_star(tmp_path: Path) -> None:
    folder = _v2_copy(tmp_path)
    # Each copy upgrades (or finds upgraded) the store, stars an id and writes notes on two
    # talks, 20 times over, while the others do the same.
    code = ("import sys\n"
            "from planner.importers import load_program\n"
            "from planner.storage.store import Store\n"
            "from planner.workspace import Workspace\n"
            "n = sys.argv[2]\n"
            "with Store(sys.argv[1]) as s:\n"
            "    s.set_starred('fosdem-2020', ['from-' + n], True)\n"
            "    assert not s.notices, s.notices\n"
            "    w = Workspace.open(load_program(sys.argv[3]), s)\n"
            "    talk = ['e-9265', 'e-9367', 'e-9047'][int(n)]\n"
            "    for round in range(20):\n"
            "        w.annotate([talk], note=f'copy {n} round {round}')\n"
            "        w.annotate(['e-10715'], note=f'shared by {n}')\n")
    children = [subprocess.Popen([sys.executable, "-c", code, str(folder), str(n), str(BEFORE)],
                                 cwd=Path(__file__).resolve().parents[2]) for n in range(3)]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]
    with Store(folder) as store:
        starred = store.starred("fosdem-2020")
        notes = {r.item_id: r.note for r in store.star_records("fosdem-2020")}
    assert {"from-0", "from-1", "from-2", "e-9249", "e-99999"} <= starred
    assert len(starred) == 11  # no star doubled or lost by the concurrent rewrites
    assert [notes[t] for t in ("e-9265", "e-9367", "e-9047")] == [
        "copy 0 round 19", "copy 1 round 19", "copy 2 round 19"]
    assert notes["e-10715"] in {"shared by 0", "shared by 1", "shared by 2"}


def test_unstarring_drops_the_note_and_restarring_in_the_session_brings_it_back(
        tmp_path: Path) -> None:
    program = load_program(BEFORE)
    with Store(tmp_path) as store:
        workspace = Workspace.open(program, store)
        workspace.annotate(["e-9265"], note="Room is small: come early", priority=MAYBE)
        workspace.set_starred(["e-9265"], False)
        assert workspace.stars.note_of("e-9265").note == ""
        assert store.star_records(program.key) == []
        workspace.set_starred(["e-9265"], True)
        assert workspace.stars.note_of("e-9265").note == "Room is small: come early"
        assert workspace.stars.is_maybe("e-9265")
        workspace.set_starred(["e-9265"], False)
    with Store(tmp_path) as store:  # a new session: the note went with the star
        workspace = Workspace.open(program, store)
        workspace.set_starred(["e-9265"], True)
        assert workspace.stars.note_of("e-9265").note == ""


def test_bad_notes_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    program = load_program(BEFORE)
    with Store(tmp_path) as store:
        workspace = Workspace.open(program, store)
        with pytest.raises(NoteError, match="2,000"):
            workspace.annotate(["e-9265"], note="x" * (NOTE_LIMIT + 1))
        with pytest.raises(NoteError, match="must or maybe"):
            workspace.annotate(["e-9265"], priority="perhaps")
        with pytest.raises(Exception, match="no session or paper with id e-nope"):
            workspace.annotate(["e-nope"], note="hi")
        assert store.star_records(program.key) == []
        workspace.annotate(["e-9265"], note="y" * NOTE_LIMIT)
        assert len(workspace.stars.note_of("e-9265").note) == NOTE_LIMIT


def _store_with_notes(folder: Path, count: int = 300) -> dict[str, str]:
    notes = {f"s-{n:04d}-{'x' * 30}": f"note {n} ✍ {'y' * 40}" for n in range(count)}
    with Store(folder) as store:
        store.set_starred("conf", sorted(notes), True)
        store.update_stars("conf", lambda records: (records, {"conf": [
            type(r)(r.item_id, r.identity, r.starred_at, notes[r.item_id],
                    MAYBE if r.item_id.endswith("x") and r.item_id[5] == "1" else MUST)
            for r in records]}))
    return notes


def test_a_store_from_a_newer_planner_is_set_aside_with_its_notes_recovered(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    notes = _store_with_notes(folder)
    conn = sqlite3.connect(folder / STORE_NAME)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("CREATE TABLE future (x TEXT)")
    conn.commit()
    conn.close()
    with Store(folder) as store:
        assert "newer planner (schema 4)" in store.notices[0]
        recovered = {r.item_id: r.note for r in store.star_records("conf")}
        maybes = {r.item_id for r in store.star_records("conf") if r.priority == MAYBE}
    assert recovered == notes
    assert maybes == {i for i in notes if i[5] == "1"}
    assert list(folder.glob(f"{STORE_NAME}.damaged-*"))


def test_a_truncated_store_gives_back_stars_with_their_notes(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    notes = _store_with_notes(folder, 600)
    path = folder / STORE_NAME
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    with Store(folder) as store:
        assert store.notices
        records = store.star_records("conf")
    assert records, "some stars come back"
    # Every star that came back has its own note (or, on a cut-off page, the start of it),
    # never another's. Stars found only in the primary-key index (their table page is gone)
    # come back without a note: the index holds the star's key, not its note.
    for record in records:
        assert notes[record.item_id].startswith(record.note)
    whole = sum(1 for r in records if r.note == notes[r.item_id])
    assert whole >= len(records) // 2


def test_a_version_two_store_in_a_read_only_folder_shows_its_stars(
        tmp_path: Path) -> None:
    folder = _v2_copy(tmp_path)
    if not crash_harness.can_make_read_only():
        pytest.skip("cannot make a folder read-only here (root without mount)")
    with crash_harness.read_only_folder(folder), Store(folder) as store:
        assert store.read_only
        assert len(store.starred("fosdem-2020")) == 8
        assert {r.priority for r in store.star_records("fosdem-2020")} == {MUST}
    assert _raw(folder / STORE_NAME, "PRAGMA user_version") == [(2,)]
