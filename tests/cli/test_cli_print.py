"""``planner print``: My agenda as a PDF, read back with pdftotext; errors are one line, exit 2,
and never a half-written (or clobbered) PDF."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.pdf import pdf_page_size, pdf_pages, pdf_text, read_only_folder
from tests.sync.helpers import cli

FOSDEM = REPO / "tests" / "fixtures" / "fosdem2020_before.xml"
BUNDLED_STARS = ["poster-session-12", "oral-session-12", "closing-remarks",
                 "workshop-on-learning-to-learn", "p-rC8sJ4i6kaH"]


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("planner: warning:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_print_bundled_day_in_tokyo_with_the_program_clock(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli(capsys, "star", *BUNDLED_STARS[:4]).status == 0
    assert cli(capsys, "star", BUNDLED_STARS[4]).status == 0
    target = tmp_path / "agenda.pdf"
    run = cli(capsys, "print", "-o", str(target), "--tz", "Asia/Tokyo")
    assert run.status == 0, run.err
    assert f"on 1 page to {target} (times in Asia/Tokyo)" in run.out
    text = pdf_text(target)
    for expected in ("ICLR 2021 — Fri 7 May — My agenda",
                     "Times in Asia/Tokyo · program clock Europe/Vienna",
                     # 02:00 in Vienna (CEST, +2) is 09:00 in Tokyo (+9)
                     "09:00–~11:00 JST 02:00–~04:00 CEST ★ Poster Session 12 Virtual",
                     "11:00–~13:00 JST 04:00–~06:00 CEST ★ Oral Session 12",
                     "free 13:00–14:00 (1 h)", "free 14:30–23:00 (8 h 30 min)",
                     "23:00–~07:00 JST 16:00–~00:00 CEST ★ Workshop on Learning to Learn",
                     "(+1 day)", "~ end estimated", "page 1 of 1"):
        assert expected in text, expected
    # The starred paper, under both sessions that present it (its title wraps in the cell).
    squeezed = "".join(pdf_text(target, layout=False).split())
    assert squeezed.count("★TheoreticalAnalysisofSelf-TrainingwithDeepNetworksonUnlabeledData") \
        == 2


def test_print_day_limits_to_that_day_and_conflicts_are_marked(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Saturday: Welcome, and two talks at 10:00 Brussels that overlap; Sunday: one talk.
    ids = ["e-9025", "e-9249", "e-9265", "e-9394"]
    assert cli(capsys, "star", "--program", str(FOSDEM), *ids).status == 0
    saturday = tmp_path / "saturday.pdf"
    run = cli(capsys, "print", str(FOSDEM), "-o", str(saturday), "--tz", "America/New_York",
              "--day", "2020-02-01")
    assert run.status == 0, run.err
    text = pdf_text(saturday)
    assert "Saturday 1 Feb 2020" in text and "Sunday" not in text
    assert "Welcome to FOSDEM 2020" in text and "LibreOffice turns ten" in text
    assert "Open Source Under Attack" not in text
    flowing = pdf_text(saturday, layout=False)  # each cell whole
    assert "⚠ overlaps The Selfish Contributor Explained (05:00–05:50 EST)" in flowing
    assert "⚠ overlaps LibreOffice turns ten and what's next (05:00–05:50 EST)" in flowing
    assert "03:30–03:55 EST 09:30–09:55 CET ★ Welcome to FOSDEM 2020 Janson" in text
    assert "free 03:55–05:00 (1 h 5 min)" in text
    whole = tmp_path / "whole.pdf"
    assert cli(capsys, "print", str(FOSDEM), "-o", str(whole), "--tz", "UTC").status == 0
    assert "Open Source Under Attack" in pdf_text(whole)


def test_print_paper_sizes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli(capsys, "star", "closing-remarks").status == 0
    sizes = {}
    for paper in ("a4", "letter"):
        target = tmp_path / f"{paper}.pdf"
        assert cli(capsys, "print", "-o", str(target), "--paper", paper).status == 0
        sizes[paper] = tuple(round(side) for side in pdf_page_size(target))
    assert sizes == {"a4": (595, 842), "letter": (612, 792)}


def test_print_runs_without_a_display(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PLANNER_DATA_DIR"] = str(data)
    base = [sys.executable, "-m", "planner"]
    subprocess.run([*base, "star", "closing-remarks"], env=env, cwd=REPO, check=True,
                   capture_output=True, timeout=120)
    target = tmp_path / "agenda.pdf"
    done = subprocess.run([*base, "print", "-o", str(target), "--tz", "UTC"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "05:00–~05:30 UTC 07:00–~07:30 CEST ★ Closing Remarks" in pdf_text(target)
    # -o - writes the PDF to standard output (to pipe into lp), the summary to stderr.
    piped = subprocess.run([*base, "print", "-o", "-", "--tz", "UTC"], env=env, cwd=REPO,
                           capture_output=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert b"1 session on 1 page" in piped.stderr
    (tmp_path / "piped.pdf").write_bytes(piped.stdout)
    assert pdf_text(tmp_path / "piped.pdf") == pdf_text(target)


@pytest.mark.parametrize(("args", "message"), [
    (["--tz", "Mars/Olympus"], "Mars/Olympus"),
    (["--day", "2021-05-09"], "--day 2021-05-09 is not a day of ICLR 2021 — Fri 7 May: it runs "
                              "Fri 7 May 2021 in UTC"),
    (["--day", "7 May"], "--day expects a date such as 2021-05-07, not '7 May'"),
])
def test_print_bad_arguments_are_one_line_and_exit_2(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str],
        message: str) -> None:
    assert cli(capsys, "star", "closing-remarks").status == 0
    target = tmp_path / "agenda.pdf"
    run = cli(capsys, "print", "-o", str(target), "--tz", "UTC", *args) if "--tz" not in args \
        else cli(capsys, "print", "-o", str(target), *args)
    assert run.status == 2
    assert message in one_line_error(run.err)
    assert not target.exists()


def test_print_nothing_starred_says_how_to_star(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    target = tmp_path / "agenda.pdf"
    target.write_bytes(b"my old agenda")
    run = cli(capsys, "print", "-o", str(target))
    assert run.status == 2
    line = one_line_error(run.err)
    assert "nothing is starred in ICLR 2021" in line and "planner star ID" in line
    assert target.read_bytes() == b"my old agenda"


def test_print_to_a_read_only_folder_leaves_nothing_and_keeps_the_old_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli(capsys, "star", "closing-remarks").status == 0
    folder = tmp_path / "locked"
    folder.mkdir()
    old = folder / "agenda.pdf"
    old.write_bytes(b"%PDF-1.4 the agenda printed yesterday")
    with read_only_folder(folder):
        for name in ("agenda.pdf", "new.pdf"):
            run = cli(capsys, "print", "-o", str(folder / name), "--tz", "UTC")
            assert run.status == 2
            assert f"cannot write {folder / name}" in one_line_error(run.err)
        assert sorted(p.name for p in folder.iterdir()) == ["agenda.pdf"]
    assert old.read_bytes() == b"%PDF-1.4 the agenda printed yesterday"


def test_print_failing_rename_keeps_the_old_file_and_no_temporary(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(capsys, "star", "closing-remarks").status == 0
    target = tmp_path / "agenda.pdf"
    target.write_bytes(b"old")

    def refuse(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    run = cli(capsys, "print", "-o", str(target), "--tz", "UTC")
    assert run.status == 2
    assert "No space left on device" in one_line_error(run.err)
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.pdf"]
    assert target.read_bytes() == b"old"


def test_print_folder_as_output_is_refused(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    assert cli(capsys, "star", "closing-remarks").status == 0
    run = cli(capsys, "print", "-o", str(tmp_path))
    assert run.status == 2 and "it is a folder" in one_line_error(run.err)


def test_print_a_long_conference_has_numbered_pages(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, shared_data: Path) -> None:
    congress = shared_data / "frab-xml" / "frab-xml_38c3.xml"
    listed = cli(capsys, "list", str(congress), "--json", "--tz", "UTC")
    assert listed.status == 0, listed.err
    sessions = [item for item in json.loads(listed.out) if item["start"]]
    chosen = [item["id"] for item in sessions[::6]]
    assert cli(capsys, "star", "--program", str(congress), *chosen).status == 0
    target = tmp_path / "38c3.pdf"
    run = cli(capsys, "print", str(congress), "-o", str(target), "--tz", "Asia/Tokyo")
    assert run.status == 0, run.err
    pages = pdf_pages(target)
    assert len(pages) > 1 and f"on {len(pages)} pages" in run.out
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
    text = pdf_text(target)
    assert "program clock Europe/Berlin" in text and "JST" in text and "CET" in text
    # Every starred session's title (its start: a row may break across pages).
    squeezed = "".join(pdf_text(target, layout=False).split())
    missing = [item["title"] for item in sessions[::6]
               if "★" + "".join(item["title"].split())[:30] not in squeezed]
    assert not missing, missing[:5]
    assert re.search(r"⚠and\d+moreconflicts", squeezed)  # three named, the rest counted


def test_print_shows_each_stars_note_and_maybe(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    assert cli(capsys, "star", "closing-remarks", "--note", "bring <b>snacks</b> & water",
               "--maybe").status == 0
    assert cli(capsys, "star", "poster-session-12", "--note", "meet Ada").status == 0
    assert cli(capsys, "star", "oral-session-12").status == 0
    target = tmp_path / "notes.pdf"
    run = cli(capsys, "print", "-o", str(target), "--tz", "UTC")
    assert run.status == 0, run.err
    flowing = pdf_text(target, layout=False)
    assert "★ Closing Remarks Remarks MAYBE · My note: “bring <b>snacks</b> & water”" in flowing
    assert "★ Poster Session 12 Poster session My note: “meet Ada”" in flowing
    assert flowing.count("My note") == 2  # a plain star has none
    assert "(a must, unless marked MAYBE)" in flowing
