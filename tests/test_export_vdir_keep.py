"""``planner export --vdir DIR`` (read back by khal) and ``export -o FILE --keep``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from planner.export.ics import ExportOptions, event_uid
from planner.export.vdir import export_vdir
from tests import factories as f
from tests.interop import DEFAULT_VENV, _unavailable
from tests.sync.helpers import SESSIONS, cli, starred_agenda

USER_FILE = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//khal//EN\r\nBEGIN:VEVENT\r\n"
             "UID:dentist@example.org\r\nDTSTAMP:20210501T000000Z\r\n"
             "DTSTART:20210507T080000Z\r\nDTEND:20210507T090000Z\r\nSUMMARY:Dentist\r\n"
             "END:VEVENT\r\nEND:VCALENDAR\r\n")


def _khal_list(folder: Path, tmp_path: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """UID -> (start, end) in UTC of what khal lists from the vdir."""
    khal = Path(os.environ.get("ICS_INTEROP_VENV", DEFAULT_VENV)) / "bin" / "khal"
    if not khal.is_file():
        _unavailable(f"khal is not installed at {khal} (run .ci/setup --test)")
    config = tmp_path / "khal.conf"
    config.write_text(f"""[calendars]
[[agenda]]
path = {folder}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = UTC
local_timezone = UTC
[sqlite]
path = {tmp_path / 'khal.db'}
""", encoding="utf-8")
    run = subprocess.run([str(khal), "-c", str(config), "list", "--format",
                          "{start}|{end}|{uid}", "--day-format", "", "2021-05-01", "30d"],
                         capture_output=True, text=True, timeout=120, check=False,
                         env=dict(os.environ, HOME=str(tmp_path)))
    assert run.returncode == 0, run.stderr
    found = {}
    for line in run.stdout.splitlines():
        if line.count("|") != 2:
            continue
        start, end, uid = line.split("|")
        assert uid not in found, f"khal lists {uid} twice"
        found[uid] = tuple(dt.datetime.strptime(v, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
                           for v in (start, end))
    return found  # type: ignore[return-value]


def test_vdir_is_listed_by_khal_and_follows_the_stars(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "calendars" / "conference"
    folder.mkdir(parents=True)
    (folder / "dentist.ics").write_bytes(USER_FILE.encode())
    cli(capsys, "star", *SESSIONS[:4])
    run = cli(capsys, "export", "--vdir", str(folder), "--tz", "Asia/Kathmandu")
    assert run.status == 0, run.err
    assert "4 written, 0 unchanged, 0 removed" in run.out
    listed = _khal_list(folder, tmp_path)
    assert {uid: v for uid, v in listed.items() if uid.endswith("@planner")} == \
        starred_agenda(capsys)
    assert "dentist@example.org" in listed
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    contents = {p.name: p.read_bytes() for p in folder.iterdir()}
    # Re-export in place: unchanged files are not rewritten; an unstarred one goes; a new one
    # comes; the user's file stays.
    cli(capsys, "unstar", SESSIONS[0])
    cli(capsys, "star", SESSIONS[4])
    run = cli(capsys, "export", "--vdir", str(folder), "--tz", "Asia/Kathmandu")
    assert "1 written, 3 unchanged, 1 removed" in run.out
    for path in folder.iterdir():
        if path.name in contents and path.name != f"{_uid(SESSIONS[4])}.ics":
            assert path.read_bytes() == contents[path.name]
            assert path.stat().st_mtime_ns == stamps[path.name]
    assert not (folder / f"{_uid(SESSIONS[0])}.ics").exists()
    assert (folder / "dentist.ics").read_bytes() == USER_FILE.encode()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    listed = _khal_list(folder, tmp_path)
    assert {uid: v for uid, v in listed.items() if uid.endswith("@planner")} == \
        starred_agenda(capsys)


def _uid(session_id: str) -> str:
    from planner.workspace import open_program

    return event_uid(open_program(), session_id)


def test_vdir_leaves_other_programs_files_alone(tmp_path: Path) -> None:
    from planner.core.stars import Stars

    folder = tmp_path / "vdir"
    first = f.program(f.session("talk", "2021-05-07 10:00"), key="conf-a")
    other = f.program(f.session("talk", "2021-05-07 10:00"), key="conf-b")
    export_vdir(other, Stars({"talk"}), ExportOptions(zone="UTC"), folder)
    export_vdir(first, Stars({"talk"}), ExportOptions(zone="UTC"), folder)
    assert len(list(folder.glob("*.ics"))) == 2
    report = export_vdir(first, Stars(), ExportOptions(zone="UTC"), folder)
    assert len(report.removed) == 1
    assert [p.name for p in folder.glob("*.ics")] == [f"{event_uid(other, 'talk')}.ics"]


def test_vdir_changed_event_gets_a_new_sequence(tmp_path: Path) -> None:
    from icalendar import Calendar

    from planner.core.stars import Stars

    folder = tmp_path / "vdir"
    before = f.program(f.session("talk", "2021-05-07 10:00"))
    after = f.program(f.session("talk", "2021-05-07 11:00"))
    export_vdir(before, Stars({"talk"}), ExportOptions(zone="Europe/Vienna"), folder)
    report = export_vdir(after, Stars({"talk"}), ExportOptions(zone="Europe/Vienna"), folder)
    assert len(report.written) == 1
    event = Calendar.from_ical((folder / report.written[0]).read_bytes()).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2021, 5, 7, 9, 0,
                                                                      tzinfo=dt.UTC)


def test_vdir_refuses_a_file_as_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("keep me", encoding="utf-8")
    cli(capsys, "star", SESSIONS[0])
    run = cli(capsys, "export", "--vdir", str(target))
    assert run.status == 2 and "is not a folder" in run.err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_kept_export_is_rewritten_when_stars_change(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from icalendar import Calendar

    target = tmp_path / "agenda.ics"
    cli(capsys, "star", *SESSIONS[:2])
    run = cli(capsys, "export", "-o", str(target), "--keep", "--tz", "Europe/Vienna")
    assert run.status == 0, run.err
    assert "keeping" in run.out

    def uids() -> set[str]:
        calendar = Calendar.from_ical(target.read_bytes())
        return {str(e["UID"]) for e in calendar.walk("VEVENT")}

    assert uids() == set(starred_agenda(capsys))
    cli(capsys, "star", SESSIONS[2])
    assert uids() == set(starred_agenda(capsys)) and len(uids()) == 3
    cli(capsys, "unstar", SESSIONS[0])
    assert uids() == set(starred_agenda(capsys)) and len(uids()) == 2
    calendar = Calendar.from_ical(target.read_bytes())
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert str(calendar["COLOR"]) == "darkorange"
    assert calendar["SOURCE"] == target.resolve().as_uri()
    assert calendar.get("REFRESH-INTERVAL").params["VALUE"] == "DURATION"
    assert cli(capsys, "export", "-o", str(target), "--no-keep").status == 0
    cli(capsys, "star", SESSIONS[3])
    assert len(uids()) == 2  # no longer kept


def test_plain_export_carries_rfc7986_name_and_color(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import vobject

    cli(capsys, "star", SESSIONS[0])
    target = tmp_path / "a.ics"
    assert cli(capsys, "export", "-o", str(target)).status == 0
    parsed = vobject.readOne(target.read_text(encoding="utf-8"))
    assert parsed.contents["name"][0].value.endswith("my agenda")
    assert parsed.contents["color"][0].value == "darkorange"
    assert "source" not in parsed.contents  # unknown for a one-off export
