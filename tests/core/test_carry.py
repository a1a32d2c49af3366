"""Issue 10.1 and 10.2: stars follow their talk through renumberings, swaps, drops, inserts and
title edits, in one transaction; a missing star never attaches to another talk by id alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.carry import carry_stars
from planner.core.identity import ItemIdentity, same_item
from planner.core.model import Program, Session
from planner.storage.store import STORE_NAME, Store
from planner.workspace import Workspace
from tests.factories import program, session

KEY = "test-conf"


def talk(sid: str, guid: str, title: str = "", speakers: tuple[str, ...] = ()) -> Session:
    made = session(sid, "2021-05-07 10:00", guid=guid, speakers=list(speakers))
    made.title = title or f"Talk {guid}"
    return made


def starred_guids(workspace: Workspace) -> set[str]:
    return {workspace.program.session(sid).guid for sid in workspace.stars.ids}


def star_on(store: Store, prog: Program, ids: list[str]) -> None:
    Workspace.open(prog, store).set_starred(ids, True)


# -- 10.1: chains and swaps --------------------------------------------------------------------
def test_ids_shifted_by_one_keep_every_star(tmp_path: Path) -> None:
    old = program(talk("e-1", "G1"), talk("e-2", "G2"), talk("e-3", "G3"))
    new = program(talk("e-2", "G1"), talk("e-3", "G2"), talk("e-4", "G3"))
    with Store(tmp_path) as store:
        star_on(store, old, ["e-1", "e-2"])
        plan = carry_stars(store, old, new)
        after = Workspace.open(new, store)
        assert (len(plan.kept), len(plan.missing)) == (2, 0)
        assert after.stars.ids == {"e-2", "e-3"}
        assert starred_guids(after) == {"G1", "G2"}


def test_two_swapped_ids_keep_both_stars(tmp_path: Path) -> None:
    old = program(talk("e-1", "G1"), talk("e-2", "G2"), talk("e-3", "G3"))
    new = program(talk("e-2", "G1"), talk("e-1", "G2"), talk("e-3", "G3"))
    with Store(tmp_path) as store:
        star_on(store, old, ["e-1", "e-3"])
        plan = carry_stars(store, old, new)
        after = Workspace.open(new, store)
    assert sorted(plan.kept) == ["e-2", "e-3"]
    assert after.stars.ids == {"e-2", "e-3"}
    assert starred_guids(after) == {"G1", "G3"}


def test_rename_stars_moves_a_chain_in_one_go(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_starred(KEY, ["e-1", "e-2", "e-3"], True)
        store.rename_stars(KEY, {"e-1": "e-2", "e-2": "e-3", "e-3": "e-1"})
        assert store.starred(KEY) == {"e-1", "e-2", "e-3"}
        store.rename_stars(KEY, {"e-1": "e-5", "e-2": "e-6"})
        assert store.starred(KEY) == {"e-3", "e-5", "e-6"}


# A new version: the old talks (by guid) in a random order of random ids, some dropped, some
# new talks inserted (possibly on a dropped talk's id), some titles edited.
@st.composite
def versions(draw: st.DrawFn) -> tuple[Program, Program, list[str]]:
    count = draw(st.integers(2, 12))
    guids = [f"G{n}" for n in range(count)]
    pool = [f"e-{n}" for n in range(count * 3)]
    old_ids = draw(st.permutations(pool))[:count]
    old = program(*(talk(sid, guid) for sid, guid in zip(old_ids, guids, strict=True)))
    starred = draw(st.lists(st.sampled_from(old_ids), unique=True))
    kept = [g for g in guids if not draw(st.booleans()) or len(guids) < 3] if draw(
        st.booleans()) else list(guids)
    inserted = [f"N{n}" for n in range(draw(st.integers(0, 4)))]
    new_guids = draw(st.permutations(kept + inserted))
    reuse_old = draw(st.booleans())  # new ids drawn from the old ones (renumbered / swapped)
    id_pool = draw(st.permutations(old_ids + pool if reuse_old else pool))
    new_ids = list(dict.fromkeys(id_pool))[: len(new_guids)]
    edited = draw(st.sets(st.sampled_from(guids)))
    new = program(*(talk(sid, guid, f"Retitled {guid}" if guid in edited else "")
                    for sid, guid in zip(new_ids, new_guids, strict=True)))
    return old, new, starred


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(case=versions())
def test_update_keeps_every_star_on_its_talk(tmp_path_factory: pytest.TempPathFactory,
                                             case: tuple[Program, Program, list[str]]) -> None:
    old, new, starred = case
    with Store(tmp_path_factory.mktemp("store")) as store:
        star_on(store, old, starred)
        before = {old.session(sid).guid for sid in starred}
        plan = carry_stars(store, old, new)
        after = Workspace.open(new, store)
        missing_guids = {old.session(sid).guid for sid in plan.missing}
        # By identity: what was starred, minus what the report calls missing.
        assert starred_guids(after) == before - missing_guids
        # Missing means really gone, and the counts are what is stored.
        new_guids = {s.guid for s in new.sessions}
        assert missing_guids == before - new_guids
        assert set(plan.kept) == after.stars.ids and len(plan.kept) == len(after.stars.ids)
        assert len(plan.missing) == len(after.stars.detached)
        assert len(store.star_records(KEY)) == len(starred)  # nothing dropped
        # A second update to the same version changes nothing (the missing stay missing).
        again = carry_stars(store, new, new)
        assert sorted(again.kept) == sorted(plan.kept)
        assert sorted(again.missing) == sorted(plan.missing)
        assert Workspace.open(new, store).stars.ids == after.stars.ids


# -- 10.2: an id reused by another talk ----------------------------------------------------------
def test_a_removed_talks_id_reused_does_not_carry_the_star(tmp_path: Path) -> None:
    old = program(talk("e-1", "G1", "Old keynote"), talk("e-2", "G2"))
    new = program(talk("e-1", "G3", "Brand new talk"), talk("e-2", "G2"))
    with Store(tmp_path) as store:
        star_on(store, old, ["e-1", "e-2"])
        plan = carry_stars(store, old, new)
        after = Workspace.open(new, store)
        assert plan.missing == ["e-1"] and plan.kept == ["e-2"]
        assert after.stars.ids == {"e-2"}  # not G3
        assert after.stars.missing(new) == ["e-1 (Old keynote)"]
        assert [s.id for s in after.stars.agenda_sessions(new)] == ["e-2"]
        # Starring the new talk keeps the old missing star apart; unstarring it too.
        after.set_starred(["e-1"], True)
        assert Workspace.open(new, store).stars.ids == {"e-1", "e-2"}
        assert len(store.star_records(KEY)) == 3
        after.set_starred(["e-1"], False)
        reopened = Workspace.open(new, store)
        assert reopened.stars.ids == {"e-2"}
        assert reopened.stars.missing(new) == ["e-1 (Old keynote)"]
        # The old version still shows the star on its own talk.
        assert Workspace.open(old, store).stars.ids == {"e-1", "e-2"}


def test_opening_the_new_version_directly_never_attaches_by_id(tmp_path: Path) -> None:
    """No update step (e.g. `planner list new.xml`): stars still go by identity."""
    old = program(talk("e-1", "G1"), talk("e-2", "G2"), talk("e-3", "G3"))
    new = program(talk("e-1", "G9", "Someone else"), talk("e-2", "G3"), talk("e-7", "G1"))
    with Store(tmp_path) as store:
        star_on(store, old, ["e-1", "e-3"])
        after = Workspace.open(new, store)
        assert after.stars.ids == {"e-7", "e-2"}  # G1 and G3 where they are now
        assert starred_guids(after) == {"G1", "G3"}


def test_without_guids_an_id_reused_by_another_title_is_not_starred(tmp_path: Path) -> None:
    old = program(talk("t-1", "", "Rust in the kernel", ("Ada",)))
    new = program(talk("t-1", "", "Cooking with Go", ("Bob",)))
    edited = program(talk("t-1", "", "CANCELLED: Rust in the kernel", ("Ada",)))
    with Store(tmp_path) as store:
        star_on(store, old, ["t-1"])
        assert Workspace.open(new, store).stars.ids == set()
        assert Workspace.open(edited, store).stars.ids == {"t-1"}


def test_same_item_rules() -> None:
    assert same_item(ItemIdentity("G1", "A"), ItemIdentity("G1", "B"))
    assert not same_item(ItemIdentity("G1", "A"), ItemIdentity("G2", "A"))
    assert same_item(ItemIdentity("", "Deep nets"), ItemIdentity("", "deep   NETS!"))
    assert same_item(ItemIdentity("", "x", ("Ada L.",)), ItemIdentity("", "y", ("ada l",)))
    assert not same_item(ItemIdentity("", "x", ("Ada",)), ItemIdentity("", "y", ("Bob",)))
    assert same_item(ItemIdentity("", "東京の話"), ItemIdentity("", "東京の話"))
    assert not same_item(ItemIdentity("", "東京の話"), ItemIdentity("", "大阪の話"))


# -- the schema migration ------------------------------------------------------------------------
V1_SCHEMA = """
CREATE TABLE stars (program_key TEXT NOT NULL, item_id TEXT NOT NULL,
                    starred_at TEXT NOT NULL, PRIMARY KEY (program_key, item_id));
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = 1;
"""


def _version_one_store(folder: Path, stars: list[tuple[str, str, str]]) -> Path:
    folder.mkdir(parents=True)
    path = folder / STORE_NAME
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany("INSERT INTO stars VALUES (?, ?, ?)", stars)
    conn.execute("INSERT INTO settings VALUES ('display_zone', '\"Asia/Kolkata\"')")
    conn.commit()
    conn.close()
    return path


def test_a_version_one_store_keeps_every_star(tmp_path: Path) -> None:
    rows = [(KEY, f"e-{n}", f"2026-01-0{1 + n % 9}T10:00:00+00:00") for n in range(500)]
    rows += [("other", "e-1", "2026-02-01T00:00:00+00:00")]
    path = _version_one_store(tmp_path / "data", rows)
    with Store(tmp_path / "data") as store:
        assert store.notices == []
        assert store.starred(KEY) == {f"e-{n}" for n in range(500)}
        assert store.starred("other") == {"e-1"}
        assert store.setting("display_zone") == "Asia/Kolkata"
        when = {r.item_id: r.starred_at for r in store.star_records(KEY)}
        assert when["e-3"] == "2026-01-04T10:00:00+00:00"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # Opening a program fills in the identity of every star it has, so from then on it
    # follows its talk.
    old = program(talk("e-1", "G1"), talk("e-2", "G2"))
    new = program(talk("e-1", "G5"), talk("e-3", "G1"))
    with Store(tmp_path / "data") as store:
        Workspace.open(old, store)
        identities = {r.item_id: r.identity.guid for r in store.star_records(KEY)}
        assert identities["e-1"] == "G1" and identities["e-2"] == "G2"
        assert identities["e-4"] == ""  # not in this program: unknown, kept
        assert len(identities) == 500
        assert "e-1" not in Workspace.open(new, store).stars.ids
        assert "e-3" in Workspace.open(new, store).stars.ids


def test_a_version_one_store_in_a_read_only_folder_is_shown(tmp_path: Path) -> None:
    from tools import crash_harness

    if not crash_harness.can_make_read_only():
        pytest.skip("cannot make a folder read-only here (needs a read-only bind mount)")
    folder = tmp_path / "data"
    _version_one_store(folder, [(KEY, "e-1", "2026-01-01T00:00:00+00:00")])
    with crash_harness.read_only_folder(folder), Store(folder) as store:
        assert store.read_only
        assert store.starred(KEY) == {"e-1"}
