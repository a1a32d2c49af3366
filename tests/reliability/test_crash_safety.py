"""A star reported saved survives SIGKILL, a full disk and a read-only folder.

The long variant is ``python tools/crash_harness.py --rounds 1000``; these are its short rounds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.storage.store import STORE_NAME, Store, StoreError
from tests.reliability.conftest import record
from tools import crash_harness
from tools.crash_harness import Target, Totals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and mounts are POSIX")

KEY = crash_harness.STORE_KEY


def _assert_ok(totals: Totals) -> None:
    assert totals.ok, "\n".join([totals.line(), *totals.problems[:20]])


def test_kill_store_200_rounds_loses_no_reported_star(tmp_path: Path) -> None:
    totals = crash_harness.run_rounds(Target.for_mode("store"), tmp_path / "data", 200, seed=6)
    record("crash: store, SIGKILL", totals.line())
    _assert_ok(totals)
    assert totals.rounds == 200
    assert totals.killed >= 190  # the child never runs out of work before the kill
    assert totals.killed_before_ready >= 10  # some kills land in start-up and schema creation
    assert totals.reported_stars > 500


def test_kill_cli_star_loses_no_reported_star(tmp_path: Path, small_program: Path) -> None:
    """The real ``planner.cli.main(["--data-dir", D, "star", ...])`` in a loop, killed."""
    target = Target.for_mode("cli", small_program)
    totals = crash_harness.run_rounds(target, tmp_path / "data", 30, seed=7)
    record("crash: CLI star (in-process loop), SIGKILL", totals.line())
    _assert_ok(totals)
    assert totals.killed >= 25
    assert totals.reported_stars > 0


def test_kill_cli_process_star_loses_no_reported_star(tmp_path: Path,
                                                      small_program: Path) -> None:
    """``python -m planner --data-dir D star --program P ID...``, killed at a random moment."""
    target = Target.for_mode("cli-process", small_program)
    totals = crash_harness.run_rounds(target, tmp_path / "data", 6, seed=8)
    record("crash: `python -m planner star`, SIGKILL", totals.line())
    _assert_ok(totals)


def test_kill_on_full_tmpfs_loses_nothing_and_says_disk_full(tmpfs: Path) -> None:
    folder = tmpfs / "data"
    messages = 0
    # On a loaded machine a kill can land before the disk fills in every round: run more
    # batches (each must lose nothing) until one child did stop with the disk-full message.
    for batch in range(3):
        totals = crash_harness.run_rounds(Target.for_mode("store"), folder, 20, seed=9 + batch,
                                          condition="full-disk",
                                          fill=crash_harness.filler(folder, (0, 48 * 1024)))
        record(f"crash: store on a full tmpfs (batch {batch + 1})", totals.line())
        _assert_ok(totals)
        messages += totals.failed_with_message
        if messages:
            break
    assert messages >= 1  # the disk did fill up, with a clear message


def test_kill_with_file_size_limit_loses_nothing(tmp_path: Path) -> None:
    totals = crash_harness.run_rounds(Target.for_mode("store"), tmp_path / "data", 20, seed=10,
                                      condition="file-size-limit",
                                      fsize_allowance=(0, 64 * 1024))
    record("crash: store under RLIMIT_FSIZE", totals.line())
    _assert_ok(totals)


def test_cli_on_full_tmpfs_says_disk_full(tmpfs: Path, small_program: Path) -> None:
    target = Target.for_mode("cli", small_program)
    folder = tmpfs / "data"
    totals = crash_harness.run_rounds(target, folder, 6, seed=11, condition="full-disk",
                                      fill=crash_harness.filler(folder, (0, 16 * 1024)))
    record("crash: CLI on a full tmpfs", totals.line())
    _assert_ok(totals)


def test_full_disk_keeps_each_batch_whole_and_store_usable(tmpfs: Path) -> None:
    """Batches of 40 ids until the disk is full: each batch all there or not at all."""
    folder = tmpfs / "data"
    filler = tmpfs / "filler.bin"
    filler.write_bytes(b"\0" * 600 * 1024)  # freed below, as a user would free space
    store = Store(folder)
    batches: list[set[str]] = []
    message = ""
    for number in range(10_000):
        batch = {f"b{number:05d}-{i:02d}-{'x' * 60}" for i in range(40)}
        try:
            store.set_starred(KEY, sorted(batch), True)
        except StoreError as error:
            message = str(error)
            failed = batch
            break
        batches.append(batch)
    else:
        pytest.fail("the 1 MB disk never filled up")
    assert "the disk is full" in message and "nothing was changed" in message, message
    assert "database" not in message.lower()
    saved = store.starred(KEY)
    assert saved == set().union(*batches)
    assert not (failed & saved)
    # After a failed commit the same store keeps working once space is back.
    filler.unlink()
    store.set_starred(KEY, sorted(batches[0]), False)
    store.close()
    with Store(folder) as again:
        assert not again.notices
        assert again.starred(KEY) == set().union(*batches[1:])


def test_file_size_limit_error_is_clear(tmp_path: Path) -> None:
    """EFBIG (RLIMIT_FSIZE) is reported as a disk problem, nothing half-written."""
    folder = tmp_path / "data"
    with Store(folder) as store:
        store.set_starred(KEY, ["before"], True)
    size = sum(p.stat().st_size for p in folder.iterdir())
    script = (
        "import sys\n"
        "from tools.crash_harness import _limit_file_size\n"
        f"_limit_file_size({size + 8192})\n"
        "from planner.storage.store import Store, StoreError\n"
        f"s = Store({str(folder)!r})\n"
        "try:\n"
        "    for n in range(1000):\n"
        f"        s.set_starred({KEY!r}, [f'{{n}}-{{i}}-' + 'y' * 80 for i in range(30)], True)\n"
        "        print('saved', n, flush=True)\n"
        "except StoreError as e:\n"
        "    print('error:', e)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=crash_harness.REPO, timeout=120, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("error:") and "disk" in last and "nothing was changed" in last, last
    saved_batches = sum(1 for line in done.stdout.splitlines() if line.startswith("saved"))
    with Store(folder) as store:
        assert not store.notices
        stars = store.starred(KEY)
    assert len(stars) == 1 + 30 * saved_batches


def test_read_only_folder_cli_star_says_so_and_changes_nothing(
        tmp_path: Path, small_program: Path, can_make_read_only: None) -> None:
    target = Target.for_mode("cli-process", small_program)
    folder = tmp_path / "data"
    crash_harness.run_rounds(Target.for_mode("cli", small_program), folder, 2, seed=12)
    totals, message = crash_harness.read_only_round(target, folder, seed=13)
    record("crash: CLI star in a read-only folder", message.splitlines()[-1] if message else "")
    _assert_ok(totals)
    assert "read-only" in message and "nothing was changed" in message


def test_read_only_folder_store_shows_stars_and_refuses_changes(
        tmp_path: Path, can_make_read_only: None) -> None:
    folder = tmp_path / "data"
    with Store(folder) as store:
        store.set_starred(KEY, ["a", "b"], True)
        store.set_setting("display_zone", "Asia/Kathmandu")
    before = crash_harness.snapshot(folder)
    with crash_harness.read_only_folder(folder):
        store = Store(folder)
        try:
            assert store.read_only
            assert any("read-only" in notice for notice in store.notices)
            assert store.starred(KEY) == {"a", "b"}
            assert store.setting("display_zone") == "Asia/Kathmandu"
            with pytest.raises(StoreError, match="read-only; nothing was changed"):
                store.set_starred(KEY, ["c"], True)
            with pytest.raises(StoreError, match="read-only"):
                store.set_setting("display_zone", "UTC")
        finally:
            store.close()
        assert crash_harness.snapshot(folder) == before
    with Store(folder) as store:
        assert not store.notices and not store.read_only
        assert store.starred(KEY) == {"a", "b"}


def test_read_only_folder_shows_stars_still_in_the_wal(tmp_path: Path,
                                                       can_make_read_only: None) -> None:
    """Stars committed to the WAL by a killed process (not yet checkpointed) are shown too."""
    folder = tmp_path / "data"
    script = (f"from planner.storage.store import Store\n"
              f"s = Store({str(folder)!r})\n"
              f"s.set_starred({KEY!r}, ['in-wal-1', 'in-wal-2'], True)\n"
              f"print('saved', flush=True)\n"
              f"import time; time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "saved"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert (folder / (STORE_NAME + "-wal")).stat().st_size > 0
    with crash_harness.read_only_folder(folder):
        store = Store(folder)
        try:
            assert store.read_only
            assert store.starred(KEY) == {"in-wal-1", "in-wal-2"}
        finally:
            store.close()


def test_uncreatable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = Store(blocker / "data")
    try:
        assert store.read_only
        assert store.starred(KEY) == set()
        with pytest.raises(StoreError, match="cannot be created"):
            store.set_starred(KEY, ["a"], True)
    finally:
        store.close()


def test_harness_detects_a_lost_star() -> None:
    """The checker itself: a store missing a reported star is counted as a loss."""
    totals = Totals()
    ops = [(True, ("a", "b")), (True, ("c",)), (False, ("a",))]
    lines = ["ready", "starred a", "starred b", "starred c"]
    crash_harness.check_round(totals, set(), {"a", "c"}, ops, lines, "synthetic")
    assert totals.stars_lost == 1 and not totals.ok
    fine = Totals()
    # The unreported op in flight may or may not have committed: both are fine.
    crash_harness.check_round(fine, set(), {"b", "c"}, ops, lines, "synthetic")
    crash_harness.check_round(fine, set(), {"a", "b", "c"}, ops, lines, "synthetic")
    assert fine.ok, fine.problems
    half = Totals()
    crash_harness.check_round(half, set(), {"a"}, ops, ["ready"], "synthetic")
    assert half.half_written == 1


def test_child_never_uses_the_real_home(tmp_path: Path) -> None:
    env = crash_harness.child_env(tmp_path)
    assert env["PLANNER_DATA_DIR"] == str(tmp_path)
    assert os.environ["PLANNER_DATA_DIR"] != str(Path.home() / ".local/share/planner")


def test_killed_during_first_open_leaves_an_openable_store(tmp_path: Path) -> None:
    """Kills in the first milliseconds (schema creation) on a fresh folder, many times."""
    lost = 0
    for number in range(15):
        folder = tmp_path / f"fresh-{number}"
        target = Target.for_mode("store")
        command = crash_harness.child_command(target, folder, number, 50)
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                 env=crash_harness.child_env(folder))
        time.sleep(0.03 + number * 0.006)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if folder.exists():
            _, problems = crash_harness.read_state(folder, KEY)
            lost += bool(problems)
    assert lost == 0
