"""A full disk at start says so, and where: not SQLite's "disk I/O error" (which is what a
WAL store reports when its ``-shm`` or journal cannot grow)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from planner.storage.disk_space import disk_full_reason
from planner.storage.store import Store

KEY = "conference"


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / "filler.bin").open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()


def test_store_on_a_full_disk_at_start_names_the_disk(tmpfs: Path) -> None:
    folder = tmpfs / "data"
    with Store(folder) as store:
        store.set_starred(KEY, ["e-1", "e-2"], True)
    _fill(tmpfs)
    with Store(folder) as store:
        joined = " ".join(store.notices)
        assert "the disk is full" in joined and str(tmpfs) in joined, joined
        assert "disk I/O error" not in joined
        assert store.starred(KEY) == {"e-1", "e-2"}  # still shown, read-only
    (tmpfs / "filler.bin").unlink()
    with Store(folder) as store:
        assert not store.notices and store.starred(KEY) == {"e-1", "e-2"}


def test_fresh_store_on_a_full_disk_names_the_disk(tmpfs: Path) -> None:
    _fill(tmpfs)
    with Store(tmpfs / "data") as store:
        joined = " ".join(store.notices)
        assert "the disk is full" in joined and str(tmpfs) in joined, joined


def test_disk_with_space_is_not_called_full(tmp_path: Path) -> None:
    assert disk_full_reason(tmp_path) is None
    assert disk_full_reason(tmp_path / "not" / "yet" / "made") is None
