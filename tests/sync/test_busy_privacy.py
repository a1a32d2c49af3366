"""Busy titles are private: no export, vdir, kept file, printed agenda, CalDAV calendar, store
or log has them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from planner.storage.paths import data_dir
from tests.caldav_servers import PASSWORD, USER, RadicaleServer, read_back
from tests.cli.test_cli_busy import TITLES, busy_file
from tests.pdf import pdf_text
from tests.sync.helpers import cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CLASHING = ["poster-session-12", "oral-session-12", "closing-remarks"]


def assert_private(text: str, where: str) -> None:
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    for title in TITLES:
        assert title not in unfolded, f"{title!r} in {where}"


def test_busy_titles_are_never_exported_synced_stored_or_logged(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)
    busy = busy_file(tmp_path)
    assert cli(capsys, "star", *CLASHING).status == 0
    listed = cli(capsys, "list", "--starred", "--busy", str(busy), "--tz", "UTC")
    assert listed.status == 0 and "clashes with your calendar" in listed.out  # they were read
    outputs = [listed.out + listed.err]

    exported = tmp_path / "agenda.ics"
    kept = tmp_path / "kept.ics"
    vdir = tmp_path / "vdir"
    printed = tmp_path / "agenda.pdf"
    url = radicale_auth.make_calendar()
    for args in (("print", "-o", str(printed), "--busy", str(busy), "--tz", "UTC"),
                 ("export", "-o", str(exported), "--all"),
                 ("export", "-o", str(kept), "--keep"),
                 ("export", "--vdir", str(vdir)),
                 ("sync", url, "--user", USER)):
        run = cli(capsys, *args)
        assert run.status == 0, (args, run.err)
        outputs.append(run.out + run.err)

    assert exported.is_file() and kept.is_file() and list(vdir.glob("*.ics"))
    # The printed agenda marks the clashes (so the busy times were loaded), as text a reader
    # extracts: the PDF's bytes are compressed, so its text is read back with pdftotext.
    page = pdf_text(printed, layout=False)
    assert page.count("clashes with your calendar") == 2
    assert_private(page, str(printed))
    # The server's own storage (events and its caches): every property of every event.
    server_files = list((radicale_auth.folder / "collections").rglob("*"))
    assert len([p for p in server_files if p.parent.name == "agenda"]) >= 3
    written = [exported, kept, *vdir.glob("*.ics"), *data_dir().rglob("*"), *server_files]
    for path in written:
        if path.is_file():
            assert_private(path.read_bytes().decode("utf-8", "replace"), str(path))
    synced = read_back(url, USER, PASSWORD)
    assert len(synced) == 3
    for event in synced.values():
        assert_private(event.summary, "the CalDAV calendar")
    for number, text in enumerate(outputs):
        assert_private(text, f"output {number}")
    assert_private(caplog.text, "the log")
    # The file itself still has them: the test would see a leak.
    assert all(title in busy.read_text(encoding="utf-8") for title in TITLES)
