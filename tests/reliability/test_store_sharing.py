"""Issue 10.3, with real processes: a copy of planner never moves aside a store another copy
has open, and a copy whose store file was replaced under it notices before it writes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.storage.store import STORE_NAME, Store
from tests.reliability.conftest import record
from tools import crash_harness

REPO = Path(__file__).resolve().parents[2]
KEY = "conf"

# A long-running copy (as the window is): one command per line on stdin, one answer per line.
HOLDER = """
import json, sys
from planner.storage.store import Store, StoreError
store = Store(sys.argv[1])
print(json.dumps({"open": True, "notices": store.notices}), flush=True)
for line in sys.stdin:
    command, _, arg = line.strip().partition(" ")
    if command == "star":
        try:
            store.set_starred("conf", [arg], True)
            print(json.dumps({"saved": arg, "notices": store.notices}), flush=True)
        except StoreError as error:
            print(json.dumps({"error": str(error), "notices": store.notices}), flush=True)
    elif command == "quit":
        break
store.close()
"""


class Holder:
    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env=crash_harness.child_env(folder))
        self.opened = self._answer()

    def _answer(self) -> dict[str, object]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read() if self.process.stderr else ""
        answer: dict[str, object] = json.loads(line)
        return answer

    def star(self, item_id: str) -> dict[str, object]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"star {item_id}\n")
        self.process.stdin.flush()
        return self._answer()

    def quit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        self.process.wait(timeout=60)
        assert self.process.returncode == 0, self.process.stderr.read() if \
            self.process.stderr else ""


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for holder in started:
        if holder.process.poll() is None:
            holder.process.kill()
        holder.process.communicate()  # waits and closes the pipes


def _store_with_settings(folder: Path) -> Path:
    with Store(folder) as store:
        store.set_starred(KEY, ["s-1", "s-2", "s-3"], True)
        for n in range(20):
            store.set_setting(f"window.{n}", "x" * 100)
    return folder / STORE_NAME


def _damage_settings_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'settings'"
                        ).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    for offset in range(start + 8, start + 200):  # header and cell pointers of that page
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def _moved_aside(folder: Path) -> list[Path]:
    return [p for p in folder.glob(STORE_NAME + ".damaged-*")
            if not p.name.endswith(("-wal", "-shm"))]


def test_a_store_another_copy_has_open_is_never_moved_aside(tmp_path: Path,
                                                            holders: list[Holder]) -> None:
    folder = tmp_path / "data"
    path = _store_with_settings(folder)
    holder = Holder(folder)
    holders.append(holder)
    assert holder.opened["notices"] == []
    _damage_settings_page(path)
    inode = path.stat().st_ino

    cli = subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(folder), "star",
                          "poster-session-12"], capture_output=True, text=True, cwd=REPO,
                         env=crash_harness.child_env(folder), timeout=120)
    assert cli.returncode == 2
    assert "another copy of planner has it open" in cli.stderr
    assert "Traceback" not in cli.stderr
    assert _moved_aside(folder) == [] and path.stat().st_ino == inode

    # The running copy goes on saving into the file everyone reads.
    for item in ("after-1", "after-2"):
        answer = holder.star(item)
        assert answer.get("saved") == item, answer
    holder.quit()

    # Nobody has it open now: the next start moves it aside and recovers all five stars.
    with Store(folder) as store:
        assert len(_moved_aside(folder)) == 1
        assert store.starred(KEY) == {"s-1", "s-2", "s-3", "after-1", "after-2"}
        assert "5 stars could be recovered" in " ".join(store.notices)
    record("store sharing: damaged store held open by another process",
           "left in place; the other copy's 2 later stars saved and recovered (5 of 5)")


REPLACE = """
import os, sys
from pathlib import Path
from planner.storage.store import Store
folder = Path(sys.argv[1])
for suffix in ("-wal", "-shm", ""):
    side = folder / ("planner.sqlite3" + suffix)
    if side.exists():
        os.rename(side, folder / ("planner.sqlite3.backup" + suffix))
if sys.argv[2] == "replace":
    with Store(folder) as store:
        store.set_starred("conf", ["from-the-other"], True)
"""


def _replace(folder: Path, how: str) -> None:
    subprocess.run([sys.executable, "-c", REPLACE, str(folder), how], check=True, cwd=REPO,
                   env=crash_harness.child_env(folder), timeout=120)


def test_a_copy_notices_its_store_file_was_replaced(tmp_path: Path,
                                                    holders: list[Holder]) -> None:
    folder = tmp_path / "data"
    _store_with_settings(folder)
    holder = Holder(folder)
    holders.append(holder)
    assert holder.star("before")["saved"] == "before"
    _replace(folder, "replace")
    answer = holder.star("after")
    assert answer.get("saved") == "after", answer
    assert any("was replaced by another program" in n for n in answer["notices"])  # type: ignore[union-attr]
    holder.quit()
    with Store(folder) as store:
        # The star went into the file at the store's path, not into the moved one.
        assert store.starred(KEY) == {"from-the-other", "after"}
    moved = sqlite3.connect(folder / (STORE_NAME + ".backup"))
    assert "after" not in {row[0] for row in moved.execute("SELECT item_id FROM stars")}
    moved.close()


def test_a_copy_whose_store_was_moved_away_stops_with_a_notice(tmp_path: Path,
                                                               holders: list[Holder]) -> None:
    folder = tmp_path / "data"
    _store_with_settings(folder)
    holder = Holder(folder)
    holders.append(holder)
    _replace(folder, "move")
    answer = holder.star("after")
    assert "was moved or deleted by another program" in str(answer.get("error")), answer
    assert "nothing was changed" in str(answer["error"])
    holder.quit()
    assert not (folder / STORE_NAME).exists()  # no empty store started in its place
    assert os.path.exists(folder / (STORE_NAME + ".backup"))
