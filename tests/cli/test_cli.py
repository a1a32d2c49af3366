"""The command line as a user runs it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, data_dir: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    if data_dir is not None:
        full_env["PLANNER_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          text=True, env=full_env, cwd=REPO, timeout=120, check=False)


def list_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["list", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def by_title(sessions: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    return next(s for s in sessions if s["title"].startswith(prefix))


def test_list_json_utc_puts_poster_session_at_midnight(capsys: pytest.CaptureFixture[str]) -> None:
    sessions = list_json(capsys, "--tz", "UTC")
    poster = by_title(sessions, "Poster Session 12")
    assert poster["start"] == "2021-05-07T00:00:00+00:00"
    assert poster["end"] == "2021-05-07T02:00:00+00:00"
    assert poster["end_estimated"] is True
    compression = by_title(sessions, "Neural Compression")
    assert compression["start"] == "2021-05-07T10:30:00+00:00"
    assert compression["kind"] == "workshop"


def test_list_json_kathmandu_poster_session_at_0545(capsys: pytest.CaptureFixture[str]) -> None:
    poster = by_title(list_json(capsys, "--tz", "Asia/Kathmandu"), "Poster Session 12")
    assert poster["start"] == "2021-05-07T05:45:00+05:45"


def test_list_json_los_angeles_poster_session_is_thursday(
        capsys: pytest.CaptureFixture[str]) -> None:
    poster = by_title(list_json(capsys, "--tz", "America/Los_Angeles"), "Poster Session 12")
    assert poster["start"] == "2021-05-06T17:00:00-07:00"


def test_list_json_shape_and_unscheduled_last(capsys: pytest.CaptureFixture[str]) -> None:
    sessions = list_json(capsys, "--tz", "UTC")
    assert len(sessions) == 32
    assert sessions[-1]["start"] is None and sessions[-1]["kind"] == "invited talk"
    expected_keys = {"id", "kind", "title", "speakers", "start", "end", "end_estimated",
                     "end_before_start",
                     "location", "links", "starred", "priority", "note", "papers"}
    assert all(set(s) == expected_keys for s in sessions)
    poster = by_title(sessions, "Poster Session 12")
    assert set(poster["papers"][0]) == {"id", "title", "title_derived", "starred", "priority",
                                        "note"}


def test_source_tz_override_moves_floating_times(capsys: pytest.CaptureFixture[str]) -> None:
    poster = by_title(list_json(capsys, "--tz", "UTC", "--source-tz", "UTC"), "Poster Session 12")
    assert poster["start"] == "2021-05-07T02:00:00+00:00"


def test_star_survives_a_new_process(tmp_path: Path) -> None:
    listing = run_cli("list", "--json", "--tz", "UTC", data_dir=tmp_path)
    sessions = json.loads(listing.stdout)
    poster = by_title(sessions, "Poster Session 12")
    paper_id = poster["papers"][0]["id"]
    result = run_cli("star", poster["id"], paper_id, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"starred {poster['id']}", f"starred {paper_id}"]
    again = json.loads(run_cli("list", "--json", "--starred", data_dir=tmp_path).stdout)
    assert [s["id"] for s in again] == [s["id"] for s in sessions
                                        if s["id"] == poster["id"]
                                        or paper_id in [p["id"] for p in s["papers"]]]
    starred = by_title(again, "Poster Session 12")
    assert starred["starred"] is True
    assert [p["starred"] for p in starred["papers"] if p["id"] == paper_id] == [True]
    unstar = run_cli("unstar", poster["id"], data_dir=tmp_path)
    assert unstar.returncode == 0
    after = json.loads(run_cli("list", "--json", data_dir=tmp_path).stdout)
    assert by_title(after, "Poster Session 12")["starred"] is False


def test_human_list_groups_by_day_and_flags_conflicts(tmp_path: Path) -> None:
    sessions = json.loads(run_cli("list", "--json", "--tz", "UTC", data_dir=tmp_path).stdout)
    workshops = [s["id"] for s in sessions if s["title"].startswith("Synthetic Data")
                 or s["title"].startswith("Workshop on Weakly")]
    assert run_cli("star", *workshops, data_dir=tmp_path).returncode == 0
    out = run_cli("list", "--tz", "America/Los_Angeles", data_dir=tmp_path).stdout
    assert "Thu 6 May 2021" in out and "Fri 7 May 2021" in out
    assert out.index("Thu 6 May 2021") < out.index("Poster Session 12")
    assert re.search(r"17:00–~19:00 PDT +Poster Session 12", out)
    assert "⚠ conflicts with Workshop on Weakly Supervised Learning" in out
    assert "Unscheduled (no time given)" in out
    assert "1 conflict" in out


def test_star_unknown_id_is_an_error(tmp_path: Path) -> None:
    result = run_cli("star", "no-such-session", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no-such-session" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_convert_prints_target_time() -> None:
    result = run_cli("convert", "Fri 7 May 2021 02:00 a.m.", "--from", "Europe/Vienna", "--to",
                     "America/Los_Angeles")
    assert result.stdout.strip() == "Thu 6 May 2021 17:00 PDT"


def test_convert_reports_gap_and_fold() -> None:
    gap = run_cli("convert", "28 Mar 2021 02:30", "--from", "Europe/Vienna", "--to", "UTC")
    assert gap.stdout.strip() == "Sun 28 Mar 2021 01:30 UTC"
    assert "does not exist" in gap.stderr
    fold = run_cli("convert", "31 Oct 2021 02:30", "--from", "Europe/Vienna", "--to", "UTC")
    assert fold.stdout.strip() == "Sun 31 Oct 2021 00:30 UTC"
    assert "happens twice" in fold.stderr


def test_zones_lists_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["zones", "chatham"]) == 0
    out = capsys.readouterr().out.split()
    assert out[0] == "Pacific/Chatham" and out[1] in {"UTC+12:45", "UTC+13:45"}


@pytest.mark.parametrize(("args", "expected"), [
    (["list", "missing.txt"], "missing.txt: no such file"),
    (["list", "--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["convert", "7 May 2021 10:00", "--from", "Nowhere/City"], "unknown time zone"),
    (["convert", "not a time at all", "--from", "UTC"], "cannot read the time"),
    (["list", "--kind", "banquet"], "unknown kind 'banquet'"),
    (["zones", "qqqqq"], "no time zone matches"),
])
def test_bad_input_one_clear_line(args: list[str], expected: str, tmp_path: Path) -> None:
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is empty"),
    (b"   \n\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"Just some notes\nabout nothing in particular\n", "not a conference program"),
    (b"%PDF-1.4\n1 0 obj\n", "is a PDF document"),
])
def test_bad_program_file_names_file_and_line(content: bytes, expected: str,
                                              tmp_path: Path) -> None:
    bad = tmp_path / "bad-program.txt"
    bad.write_bytes(content)
    result = run_cli("list", str(bad), data_dir=tmp_path)
    assert result.returncode == 2
    assert f"{bad}:" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_year_is_an_error(tmp_path: Path) -> None:
    result = run_cli("list", "--year", "2022", data_dir=tmp_path)
    assert result.returncode == 2
    assert "iclr2021-fri-7-may.txt:" in result.stderr
    assert "2022" in result.stderr and "Traceback" not in result.stderr


def test_no_year_anywhere_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Poster Session 3 Fri 7 May 02:00 a.m.\n[ Virtual ]\n\nAn abstract.\n",
                    encoding="utf-8")
    result = run_cli("list", str(page), data_dir=tmp_path)
    assert result.returncode == 2
    assert "year" in result.stderr and "--year" in result.stderr


def test_core_layers_never_import_qt() -> None:
    code = ("import sys, planner.workspace, planner.cli.program_cmds, planner.core.conflicts, "
            "planner.core.search, planner.importers; "
            "from planner.workspace import open_program; open_program(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def test_gui_without_a_display_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env["PLANNER_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "planner"], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=60, check=False)
    assert result.returncode == 2
    assert "no display" in result.stderr and "Traceback" not in result.stderr


def test_gui_unknown_zone_fails_before_qt(tmp_path: Path) -> None:
    result = run_cli("gui", "--tz", "Mars/Olympus", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("planner: unknown time zone 'Mars/Olympus'; expected an "
                                     "IANA name such as Europe/Vienna or America/Los_Angeles")


def test_search_lists_matching_papers_with_ids_to_star(tmp_path: Path) -> None:
    out = run_cli("list", "--search", "molecule", "--tz", "UTC", data_dir=tmp_path).stdout
    mars = "MARS: Markov Molecular Sampling for Multi-objective Drug Discovery (p-kHSu4ebxFXY)"
    assert out.count(f"☆ {mars}") == 2  # one paper, presented in the poster and oral session
    assert "Workshop" not in out
    assert run_cli("star", "p-kHSu4ebxFXY", data_dir=tmp_path).returncode == 0
    starred = run_cli("list", "--starred", "--tz", "UTC", data_dir=tmp_path).stdout
    assert starred.count(f"★ {mars}") == 2
    assert re.search(r"⯪ 00:00–~02:00 UTC +Poster Session 12", starred)
    assert "0 sessions and 1 paper starred" in starred
