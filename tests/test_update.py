"""Updates keep stars: a hand-edited later copy of FOSDEM 2020 (see
tests/fixtures/make_fosdem2020_fixtures.py for every edit) where starred talks moved, changed
room, got a new id but kept their guid, lost their guid and id, were cancelled or removed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.model import Paper, Program, Session
from planner.core.stars import Stars
from planner.core.update import (
    ChangeKind,
    MatchedBy,
    carry_stars,
    describe,
    match_sessions,
    plan_update,
)
from planner.importers import load_program
from planner.storage.store import Store
from tests.factories import paper, program, session

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BEFORE = FIXTURES / "fosdem2020_before.xml"
AFTER = FIXTURES / "fosdem2020_after.xml"
UTC = dt.UTC

# What the user starred on the first version.
STARRED = ["e-10715", "e-9265", "e-9249", "e-9045", "e-9047", "e-9367", "e-9123"]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def talk(sid: str, start: str, title: str, **fields: object) -> Session:
    """A session with its own title (the factory derives titles from ids)."""
    made = session(sid, start, **fields)
    made.title = title
    return made


Versions = tuple[Program, Program]


@pytest.fixture
def versions() -> Versions:
    return load_program(BEFORE), load_program(AFTER)


def test_fixtures_are_the_same_conference(versions: Versions) -> None:
    before, after = versions
    assert before.key == after.key == "fosdem-2020"
    assert len(before.sessions) == 12
    assert len(after.sessions) == 12  # one removed, one added


def test_stars_follow_their_items(versions: Versions) -> None:
    before, after = versions
    plan = plan_update(before, after, STARRED)
    assert plan.renames == {"e-9249": "e-19249", "e-9123": "e-19123"}
    assert sorted(plan.kept) == sorted(["e-10715", "e-9265", "e-19249", "e-9047", "e-9367",
                                        "e-19123"])
    assert plan.missing == ["e-9045"]
    assert plan.matched_by["e-9249"] is MatchedBy.GUID
    assert plan.matched_by["e-9123"] is MatchedBy.TITLE  # no guid, new id: title + speaker
    assert plan.matched_by["e-9367"] is MatchedBy.GUID


def test_change_report_for_starred_items(versions: Versions) -> None:
    before, after = versions
    plan = plan_update(before, after, STARRED)
    starred = [(c.kind, c.new_id or c.old_id) for c in plan.changes if c.starred]
    assert starred == [
        (ChangeKind.MOVED, "e-10715"), (ChangeKind.NEW_ID, "e-19249"),
        (ChangeKind.REMOVED, "e-9045"), (ChangeKind.ROOM, "e-9265"),
        (ChangeKind.CANCELLED, "e-9047"), (ChangeKind.TITLE, "e-9047"),
        (ChangeKind.NEW_ID, "e-19123")]
    moved = plan.changes_of(ChangeKind.MOVED)[0]
    # Sat 1 Feb 10:00 -> 14:00 Brussels (CET) = 09:00Z -> 13:00Z, 50 minutes.
    assert (moved.old_start, moved.new_start) == (utc(2020, 2, 1, 9, 0), utc(2020, 2, 1, 13, 0))
    assert moved.new_end == utc(2020, 2, 1, 13, 50)
    brussels = before.zone
    assert describe(moved, brussels) == "Sat 1 Feb 10:00–10:50 → Sat 1 Feb 14:00–14:50"
    room = plan.changes_of(ChangeKind.ROOM)[0]
    assert (room.old_text, room.new_text) == ("K.1.105 (La Fontaine)", "H.2215 (Ferrer)")
    title = plan.changes_of(ChangeKind.TITLE)[0]
    assert title.new_text == "CANCELLED: Is the Open door closing?"
    removed = plan.changes_of(ChangeKind.REMOVED)[0]
    assert "missing after update, the star is kept" in describe(removed, brussels)
    # The unstarred welcome talk moved too, but is not reported unless asked.
    assert not any(c.old_id == "e-9025" for c in plan.changes)
    new = plan.changes_of(ChangeKind.NEW)
    assert [(c.new_id, c.title) for c in new] == [("e-11000", "Planner lightning talk")]


def test_report_all_includes_unstarred_changes(versions: Versions) -> None:
    before, after = versions
    plan = plan_update(before, after, [], report_all=True)
    welcome = [c for c in plan.changes if c.old_id == "e-9025"]
    assert [c.kind for c in welcome] == [ChangeKind.MOVED]
    assert welcome[0].new_start == utc(2020, 2, 1, 8, 45)
    assert not welcome[0].starred


def test_store_keeps_stars_across_the_update(versions: Versions,
                                              tmp_path: Path) -> None:
    before, after = versions
    with Store(tmp_path) as store:
        store.set_starred(before.key, STARRED, True)
        plan = plan_update(before, after, store.starred(before.key))
        store.rename_stars(after.key, plan.renames)
        kept = store.starred(after.key)
    assert kept == {"e-10715", "e-9265", "e-19249", "e-9045", "e-9047", "e-9367", "e-19123"}
    # The removed talk's star is not dropped: it is listed as missing.
    assert Stars(kept).missing(after) == ["e-9045"]


def test_carry_stars_applies_the_plan_to_the_store(versions: Versions,
                                                   tmp_path: Path) -> None:
    before, after = versions
    with Store(tmp_path) as store:
        store.set_starred(before.key, STARRED, True)
        plan = carry_stars(store, before, after)
        assert store.starred(after.key) == {"e-10715", "e-9265", "e-19249", "e-9045", "e-9047",
                                            "e-9367", "e-19123"}
    assert plan.missing == ["e-9045"]
    assert next(c.kind for c in plan.changes if c.starred) is ChangeKind.MOVED


def test_carry_stars_to_a_program_with_another_key(versions: Versions, tmp_path: Path) -> None:
    before, after = versions
    after.key = "fosdem-2020-final"
    with Store(tmp_path) as store:
        store.set_starred(before.key, STARRED, True)
        carry_stars(store, before, after)
        assert store.starred(after.key) == {"e-10715", "e-9265", "e-19249", "e-9047", "e-9367",
                                            "e-19123"}
        assert store.starred(before.key) == set(STARRED)  # nothing dropped


def test_same_program_twice_changes_nothing(shared_data: Path) -> None:
    path = shared_data / "frab-xml" / "frab-xml_36c3-merged_giggity.xml"
    first, second = load_program(path), load_program(path)
    everything = [s.id for s in first.sessions]
    plan = plan_update(first, second, everything)
    assert plan.renames == {}
    assert plan.missing == []
    assert plan.changes == []
    # Repeated events share a guid; each still finds its own copy.
    assert all(plan.matches[s] == s for s in everything)


def test_id_reused_for_another_talk_is_not_a_match() -> None:
    old = program(talk("e-1", "2021-05-07 10:00", "Old talk", guid="aaa"))
    new = program(talk("e-1", "2021-05-07 10:00", "Other talk", guid="bbb"))
    assert match_sessions(old, new) == {}
    plan = plan_update(old, new, ["e-1"])
    assert plan.missing == ["e-1"]


def test_title_and_speakers_match_picks_the_nearest_start() -> None:
    old = program(talk("x-1", "2021-05-07 10:00", "Repeat", speakers=["Ada"]))
    new = program(talk("y-1", "2021-05-07 09:00", "Repeat", speakers=["Ada"]),
                  talk("y-2", "2021-05-07 10:30", "repeat!", speakers=["ada"]))
    assert match_sessions(old, new) == {"x-1": ("y-2", MatchedBy.TITLE)}


def test_cancelled_flag_is_reported() -> None:
    old = program(session("e-1", "2021-05-07 10:00"))
    new = program(session("e-1", "2021-05-07 10:00", cancelled=True))
    plan = plan_update(old, new, ["e-1"])
    assert [c.kind for c in plan.changes] == [ChangeKind.CANCELLED]


def test_papers_follow_by_title_and_authors() -> None:
    first: Paper = paper("p-old", "Deep Nets")
    first.authors = ["A. Author"]
    second: Paper = paper("p-new", "Deep nets")
    second.authors = ["A. Author"]
    old = program(session("s", "2021-05-07 10:00", papers=["p-old"]), papers=[first])
    new = program(session("s", "2021-05-07 10:00", papers=["p-new"]), papers=[second])
    plan = plan_update(old, new, ["p-old"])
    assert plan.renames == {"p-old": "p-new"}
    assert [c.kind for c in plan.changes if c.starred] == [ChangeKind.NEW_ID]


# -- the command ----------------------------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_diff_command_prints_the_report(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    stars = [arg for star in STARRED for arg in ("--star", star)]
    status, out, err = run(capsys, "--data-dir", str(tmp_path), "diff", str(BEFORE),
                           str(AFTER), *stars)
    assert status == 0, err
    assert "Starred: 6 kept, 1 missing after update" in out
    assert "★ moved          e-10715" in out
    assert "Sat 1 Feb 10:00–10:50 → Sat 1 Feb 14:00–14:50" in out
    assert "K.1.105 (La Fontaine) → H.2215 (Ferrer)" in out
    assert "e-9249 → e-19249 (matched by guid)" in out
    assert "Missing after update (kept, shown so you can find a replacement): e-9045" in out
    assert "+ e-11000" in out


def test_diff_json_and_apply_move_the_stored_stars(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_starred("fosdem-2020", STARRED, True)
    status, out, err = run(capsys, "--data-dir", str(tmp_path), "diff", str(BEFORE),
                           str(AFTER), "--json", "--apply", "--tz", "UTC")
    assert status == 0, err
    report = json.loads(out)
    assert report["renames"] == {"e-9123": "e-19123", "e-9249": "e-19249"}
    assert report["missing_after_update"] == ["e-9045"]
    assert report["applied"] is True
    moved = next(c for c in report["changes"] if c["kind"] == "moved" and c["starred"])
    assert moved["old_start"] == "2020-02-01T10:00:00+01:00"
    assert moved["new_start"] == "2020-02-01T14:00:00+01:00"
    with Store(tmp_path) as store:
        assert store.starred("fosdem-2020") == {
            "e-10715", "e-9265", "e-19249", "e-9045", "e-9047", "e-9367", "e-19123"}


def test_diff_without_stars_points_to_all(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    status, out, _err = run(capsys, "--data-dir", str(tmp_path), "diff", str(BEFORE),
                            str(AFTER))
    assert status == 0
    assert "No starred items" in out
    assert "use --all" in out


def test_diff_with_a_missing_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    status, out, err = run(capsys, "--data-dir", str(tmp_path), "diff", str(BEFORE),
                           str(tmp_path / "nope.xml"))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and "no such file" in err


# -- issue 10.1 / 10.2 through the command and real files ------------------------------------
def _renumbered(tmp_path: Path, mapping: dict[str, str]) -> Path:
    """AFTER with event ids renamed all at once (chains and swaps)."""
    import re

    text = BEFORE.read_text(encoding="utf-8")
    text = re.sub(r'<event id="(\d+)"',
                  lambda m: f'<event id="{mapping.get(m.group(1), m.group(1))}"', text)
    target = tmp_path / "renumbered.xml"
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("mapping", [
    {"10715": "9249", "9249": "9045", "9045": "99999"},  # a chain: each id to the next one's
    {"10715": "9249", "9249": "10715"},  # a swap
])
def test_diff_apply_keeps_renumbered_stars(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           mapping: dict[str, str]) -> None:
    renumbered = _renumbered(tmp_path, mapping)
    data = str(tmp_path / "data")
    status, _out, err = run(capsys, "--data-dir", data, "star", "--program", str(BEFORE),
                            "e-10715", "e-9249", "e-9045")
    assert status == 0, err
    before = load_program(BEFORE)
    guids = {before.session(sid).guid for sid in ("e-10715", "e-9249", "e-9045")}
    status, out, err = run(capsys, "--data-dir", data, "diff", str(BEFORE), str(renumbered),
                           "--apply")
    assert status == 0, err
    assert "Starred: 3 kept, 0 missing after update" in out
    after = load_program(renumbered)
    with Store(tmp_path / "data") as store:
        from planner.workspace import Workspace

        shown = Workspace.open(after, store).stars.ids
    assert len(shown) == 3
    assert {after.session(sid).guid for sid in shown} == guids
    status, out, err = run(capsys, "--data-dir", data, "list", str(renumbered),
                           "--starred", "--tz", "UTC")
    assert status == 0, err
    assert "3 sessions and 0 papers starred" in out


def test_diff_apply_never_gives_a_removed_talks_star_to_its_id(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """e-9045 is removed and a new talk (another guid) gets its id: not starred."""
    text = BEFORE.read_text(encoding="utf-8")
    reused = text.replace('<event id="9045" guid="67d09a5b-8ad0-54c4-9dd5-2b9ed6b4b480">',
                          '<event id="9045" guid="00000000-0000-4000-8000-000000000003">')
    assert reused != text
    new_file = tmp_path / "reused.xml"
    new_file.write_text(reused.replace(_title_of(text, "9045"), "A different talk", 1),
                        encoding="utf-8")
    data = str(tmp_path / "data")
    assert run(capsys, "--data-dir", data, "star", "--program", str(BEFORE), "e-9045",
               "e-9249")[0] == 0
    status, out, err = run(capsys, "--data-dir", data, "diff", str(BEFORE), str(new_file),
                           "--apply")
    assert status == 0, err
    assert "Starred: 1 kept, 1 missing after update" in out
    status, out, err = run(capsys, "--data-dir", data, "list", str(new_file),
                           "--starred", "--tz", "UTC")
    assert status == 0, err
    assert "(e-9045)" not in out and "(e-9249)" in out
    assert "1 session and 0 papers starred" in out
    assert f"Starred but missing from this program: e-9045 ({_title_of(text, '9045')})" in out
    export = tmp_path / "agenda.ics"
    assert run(capsys, "--data-dir", data, "export", str(new_file), "-o",
               str(export))[0] == 0
    assert "A different talk" not in export.read_text(encoding="utf-8")


def _title_of(text: str, event_id: str) -> str:
    block = text.split(f'<event id="{event_id}"', 1)[1]
    return block.split("<title>", 1)[1].split("</title>", 1)[0]
