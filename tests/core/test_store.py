from __future__ import annotations

from pathlib import Path

from planner.storage.store import Store


def test_stars_survive_reopening(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_starred("conf", ["a", "b"], True)
        store.set_starred("other", ["a"], True)
        store.set_starred("conf", ["b"], False)
    with Store(tmp_path) as store:
        assert store.starred("conf") == {"a"}
        assert store.starred("other") == {"a"}


def test_settings_round_trip(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_setting("display_zone", "Asia/Kolkata")
        store.set_setting("recent", ["a.xml", "b.ics"])
    with Store(tmp_path) as store:
        assert store.setting("display_zone") == "Asia/Kolkata"
        assert store.setting("recent") == ["a.xml", "b.ics"]
        assert store.setting("missing", 3) == 3


def test_rename_stars_moves_ids(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_starred("conf", ["old", "keep"], True)
        store.rename_stars("conf", {"old": "new"})
        assert store.starred("conf") == {"new", "keep"}


def test_default_folder_follows_env(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "portable"))
    with Store() as store:
        store.set_starred("conf", ["x"], True)
    assert (tmp_path / "portable" / "planner.sqlite3").is_file()
