"""``planner list/star/refresh/now/remind`` with a program URL, as real processes against a real
HTTP server on 127.0.0.1, each with its own PLANNER_DATA_DIR."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.net.server import ProgramServer, Route, serve

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
BEFORE = (FIXTURES / "fosdem2020_before.xml").read_bytes()
AFTER = (FIXTURES / "fosdem2020_after.xml").read_bytes()
STARRED = ["e-10715", "e-9265", "e-9047", "e-9045", "e-9249"]


@pytest.fixture
def program_server() -> Iterator[ProgramServer]:
    yield from serve()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PLANNER_DATA_DIR=str(data_dir), NO_PROXY="127.0.0.1",
               no_proxy="127.0.0.1")
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120, check=False)


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr without the zone-guess warning FOSDEM's file always gets."""
    return [line for line in result.stderr.splitlines()
            if not line.startswith("planner: warning: The file names no time zone")]


def copies(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "programs").glob("*/body-*"))


def test_list_url_downloads_then_uses_the_copy(program_server: ProgramServer,
                                               data_dir: Path) -> None:
    url = program_server.set("/fosdem.xml", Route(body=BEFORE, etag='"v1"'))
    first = run(data_dir, "list", url, "--tz", "UTC")
    assert first.returncode == 0, first.stderr
    assert "08:30–08:55 UTC    Welcome to FOSDEM 2020" in first.stdout
    assert errors(first) == []
    [body] = copies(data_dir)
    assert body.read_bytes() == BEFORE
    program_server.set("/fosdem.xml", Route(body=b"down for maintenance", status=500))
    second = run(data_dir, "list", url, "--tz", "UTC")
    assert second.returncode == 0
    assert second.stdout == first.stdout
    [line] = errors(second)
    assert line.startswith(f"planner: {url}: the server answered 500")
    assert "showing the offline copy downloaded" in line
    assert copies(data_dir) == [body] and body.read_bytes() == BEFORE


def test_list_url_without_copy_exits_2(data_dir: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/fosdem.xml"
    result = run(data_dir, "list", url)
    assert result.returncode == 2
    assert errors(result) == [f"planner: {url}: the connection was refused; no offline copy yet"]
    assert result.stdout == ""


def test_star_with_url_and_refresh_lists_changes(program_server: ProgramServer,
                                                 data_dir: Path) -> None:
    url = program_server.set("/fosdem.xml", Route(body=BEFORE, etag='"v1"'))
    star = run(data_dir, "star", *STARRED, "--program", url)
    assert star.returncode == 0, star.stderr
    unchanged = run(data_dir, "refresh", url)
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stdout.startswith("FOSDEM 2020: unchanged")
    assert program_server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert program_server.requests[-1].status == 304
    program_server.set("/fosdem.xml", Route(body=AFTER, etag='"v2"'))
    result = run(data_dir, "refresh", url, "--tz", "Europe/Brussels")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0].startswith("FOSDEM 2020: new version downloaded (")
    assert out[1] == "Changes to your starred items (times in Europe/Brussels):"
    assert out[2:] == [
        "  cancelled: Is the Open door closing? — the program marks it cancelled "
        "(Sun 10:00)",
        "  moved: The Linux Kernel: We have to finish this thing one day ;) — "
        "Sat 1 Feb 10:00–10:50 → Sat 1 Feb 14:00–14:50",
        "  room changed: The Selfish Contributor Explained — K.1.105 (La Fontaine) → "
        "H.2215 (Ferrer)",
        "  disappeared: Over Twenty Years Of Automation — no longer in the program (was "
        "Sat 1 Feb 12:00–12:50); missing after update, the star is kept",
        "Missing after update (stars kept): e-9045"]
    # the star on LibreOffice followed its new id (same guid), nothing was dropped
    listed = run(data_dir, "list", url, "--starred", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"e-19249"' in listed.stdout and '"e-10715"' in listed.stdout
    [body] = copies(data_dir)
    assert body.read_bytes() == AFTER


def test_now_at_a_given_time(program_server: ProgramServer, data_dir: Path) -> None:
    url = program_server.set("/fosdem.xml", Route(body=BEFORE))
    assert run(data_dir, "star", "e-10715", "e-9249", "--program", url).returncode == 0
    result = run(data_dir, "now", url, "--at", "2020-02-01T10:10+01:00", "--tz",
                 "Europe/Brussels")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "FOSDEM 2020 — Sat 01 Feb 10:10 CET (Europe/Brussels)"
    assert lines[1] == "Now (starred):"
    assert lines[2].startswith("  10:00–10:50 CET  The Linux Kernel")
    assert lines[2].endswith("— Janson (40 min left)")
    assert lines[3] == "Next:"
    assert lines[4] == ("  11:00–11:50 CET  LibreOffice turns ten and what's next — Janson "
                        "(in 50 min)")
    # the remembered URL is the default program
    again = run(data_dir, "now", "--at", "2020-02-01T10:10+01:00", "--tz", "Europe/Brussels")
    assert again.returncode == 0 and again.stdout == result.stdout


def test_remind_settings(program_server: ProgramServer, data_dir: Path) -> None:
    url = program_server.set("/fosdem.xml", Route(body=BEFORE))
    result = run(data_dir, "remind", "--minutes", "5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Reminders on, 5 min before starred sessions"]
    over = run(data_dir, "remind", "e-10715", "--minutes", "20", "--program", url)
    assert over.returncode == 0, over.stderr
    assert over.stdout.splitlines()[1].endswith("e-10715 20 min")
    off = run(data_dir, "remind", "--off")
    assert off.stdout.splitlines()[0] == "Reminders off, 5 min before starred sessions"
    bad = run(data_dir, "remind", "e-nope", "--minutes", "3", "--program", url)
    assert bad.returncode == 2
    assert errors(bad) == ["planner: no session or paper with id e-nope in FOSDEM 2020"]
