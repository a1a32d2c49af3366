"""Standard output that fails (a full disk, a closed pipe) and out-of-range --alarm: one line,
exit 2, never a traceback; a closed pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli.output import EXIT_CLOSED_PIPE
from tests.cli.test_cli import REPO, run_cli

FULL = Path("/dev/full")

COMMANDS = {
    "list": ["list", "--tz", "UTC"],
    "list-json": ["list", "--tz", "UTC", "--json"],
    "export-stdout": ["export", "--all", "--utc", "-o", "-"],
    "star": ["star", "poster-session-12"],
    "zones": ["zones", "Europe"],
    "convert": ["convert", "2021-05-07 14:00", "--from", "UTC", "--to", "Asia/Kolkata"],
}


def _run_into(target: int | None, args: list[str], data_dir: Path,
              stdin_close: bool = False) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PLANNER_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "planner", *args], stdout=target,
                          stderr=subprocess.PIPE, env=env, cwd=REPO, timeout=120, check=False)


@pytest.mark.skipif(not FULL.exists(), reason="/dev/full is a Linux device")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_full_disk_on_stdout_is_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    with FULL.open("wb") as full:
        done = _run_into(full.fileno(), COMMANDS[name], tmp_path)
    errors = done.stderr.decode()
    assert done.returncode == 2, errors
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert errors.splitlines()[-1] == ("planner: cannot write to standard output: No space "
                                       "left on device")


@pytest.mark.skipif(not FULL.exists(), reason="/dev/full is a Linux device")
def test_full_disk_on_diff_is_one_line(tmp_path: Path) -> None:
    fixtures = REPO / "tests" / "fixtures"
    with FULL.open("wb") as full:
        done = _run_into(full.fileno(), ["diff", str(fixtures / "fosdem2020_before.xml"),
                                         str(fixtures / "fosdem2020_after.xml"), "--all"],
                         tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().splitlines()[-1].startswith("planner: cannot write to "
                                                            "standard output")


@pytest.mark.parametrize("name", ["list", "zones", "export-stdout"])
def test_closed_pipe_ends_quietly(name: str, tmp_path: Path) -> None:
    env = {**os.environ, "PLANNER_DATA_DIR": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-m", "planner", *COMMANDS[name]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before the first line: every write fails
    errors = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == EXIT_CLOSED_PIPE
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert "Broken pipe" not in errors


def test_closed_pipe_after_the_first_line_like_head(tmp_path: Path) -> None:
    """``planner zones | head -1``: the first line arrives whole, the rest is dropped."""
    env = {**os.environ, "PLANNER_DATA_DIR": str(tmp_path)}
    shell = f"{sys.executable} -m planner zones '' | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120, check=False)
    assert len(done.stdout.splitlines()) == 1 and done.stdout.split()[0]
    assert done.returncode in (0, EXIT_CLOSED_PIPE)  # 0 if everything fit in the pipe
    assert done.stderr == ""


@pytest.mark.parametrize("minutes", ["99999999999999", "-5", "40321", "ten"])
def test_alarm_out_of_range_is_refused_before_any_work(minutes: str, tmp_path: Path) -> None:
    done = run_cli("export", "--all", "-o", str(tmp_path / "out.ics"), "--alarm", minutes,
                   data_dir=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("planner export: error: argument "
                                                           "--alarm: expected")
    assert not (tmp_path / "out.ics").exists()


def test_alarm_at_the_limit_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    done = run_cli("export", "--all", "--utc", "-o", str(target), "--alarm", "40320",
                   data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"TRIGGER:-P28D" in target.read_bytes()
