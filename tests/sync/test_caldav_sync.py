"""``planner sync`` against a real Radicale: the calendar holds exactly the agenda, step by step.

After every step the calendar is read back with the caldav library and parsed with vobject, and
compared instant by instant with ``planner list --starred``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.export.ics import ExportOptions
from planner.storage.paths import data_dir
from planner.sync.caldav_sync import SyncTarget, sync_agenda
from planner.sync.state import SyncState
from tests import factories as f
from tests.caldav_servers import PASSWORD, USER, RadicaleServer, read_back
from tests.sync.helpers import SESSIONS, assert_calendar_is_agenda, cli, planner_events

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def _sync(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> str:
    run = cli(capsys, "sync", url, "--user", USER, "--tz", "Europe/Vienna", *extra)
    assert run.status == 0, run.err
    return run.out


def test_sync_from_empty_then_again_changes_nothing(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    assert cli(capsys, "star", *SESSIONS[:4]).status == 0
    out = _sync(capsys, url)
    assert "4 created, 0 updated, 0 deleted, 0 unchanged" in out
    first = assert_calendar_is_agenda(capsys, url)
    assert {event.sequence for event in first.values()} == {0}
    out = _sync(capsys, url)
    assert "0 created, 0 updated, 0 deleted, 4 unchanged" in out
    assert planner_events(url) == first


def test_resync_creates_updates_and_deletes_only_what_changed(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    cli(capsys, "star", *SESSIONS[:3])
    _sync(capsys, url)
    before = planner_events(url)
    cli(capsys, "unstar", SESSIONS[0])
    cli(capsys, "star", SESSIONS[3])
    out = _sync(capsys, url)
    assert "1 created, 0 updated, 1 deleted, 2 unchanged" in out
    after = assert_calendar_is_agenda(capsys, url)
    for uid in set(before) & set(after):
        assert after[uid] == before[uid]  # untouched: same href, same SEQUENCE
    # An alarm is a change of every event: SEQUENCE goes up, LAST-MODIFIED and DTSTAMP are new.
    out = _sync(capsys, url, "--alarm", "10")
    assert "0 created, 3 updated" in out
    updated = assert_calendar_is_agenda(capsys, url)
    assert {event.sequence for event in updated.values()} == {1}
    client = radicale_auth.client()
    for resource in client.calendar(url=url).search(event=True):
        event = resource.icalendar_component
        assert "VALARM" in [c.name for c in event.subcomponents]
        assert event.decoded("LAST-MODIFIED") == event.decoded("DTSTAMP")
        assert event.decoded("DTSTAMP") > dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    # Nothing starred: planner's events go, the calendar stays.
    cli(capsys, "unstar", *SESSIONS[1:4])
    assert "3 deleted" in _sync(capsys, url)
    assert planner_events(url) == {}


def test_events_planner_did_not_create_are_never_touched(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    calendar = radicale_auth.client().calendar(url=url)
    mine = calendar.add_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//user//EN\r\nBEGIN:VEVENT\r\n"
        "UID:dentist-1@example.org\r\nDTSTAMP:20210501T000000Z\r\n"
        "DTSTART:20210507T080000Z\r\nDTEND:20210507T090000Z\r\nSUMMARY:Dentist\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n", increase_seqno=False)
    # Another conference's agenda, synced by planner into the same calendar.
    other_program = f.program(f.session("keynote", "2021-05-07 10:00"), key="other-conference")
    other = SyncTarget(url, USER)
    with SyncState(data_dir()) as state:
        sync_agenda(other_program, _stars("keynote"), ExportOptions(zone="UTC"), other,
                    PASSWORD, state)
    untouched = {str(r.url): r.etag for r in calendar.search(event=True)}
    cli(capsys, "star", *SESSIONS[:2])
    _sync(capsys, url)
    cli(capsys, "unstar", *SESSIONS[:2])
    _sync(capsys, url)
    after = {str(r.url): r.etag for r in calendar.search(event=True)}
    assert after == untouched
    assert str(mine.url) in after


def _stars(*ids: str) -> object:
    from planner.core.stars import Stars

    return Stars(set(ids))


def test_program_change_updates_the_event_with_a_new_sequence(
        radicale_auth: RadicaleServer, tmp_path: Path) -> None:
    url = radicale_auth.make_calendar()
    target = SyncTarget(url, USER)
    first = f.program(f.session("talk", "2021-05-07 10:00"), f.session("other", "2021-05-07 12:00"))
    moved = f.program(f.session("talk", "2021-05-07 11:30"), f.session("other", "2021-05-07 12:00"))
    stars = _stars("talk", "other")
    with SyncState(tmp_path / "state") as state:
        sync_agenda(first, stars, ExportOptions(zone="Asia/Kathmandu"), target, PASSWORD, state)
        report = sync_agenda(moved, stars, ExportOptions(zone="Asia/Kathmandu"), target,
                             PASSWORD, state)
    assert (report.updated, report.unchanged, report.created) == (1, 1, 0)
    events = {e.summary: e for e in read_back(url).values()}
    assert events["Talk"].start == dt.datetime(2021, 5, 7, 9, 30, tzinfo=dt.UTC)
    assert events["Talk"].sequence == 1
    assert events["Other"].sequence == 0


def _edit_on_server(radicale: RadicaleServer, url: str, uid: str, **changes: str) -> None:
    """What a calendar app does when the user edits an event: change it and PUT it back."""
    from icalendar import Alarm

    calendar = radicale.client().calendar(url=url)
    resource = calendar.get_event_by_uid(uid)
    event = resource.icalendar_component
    for name, value in changes.items():
        event.pop(name.upper(), None)
        event.add(name, value)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(minutes=3))
    alarm.add("description", "my own reminder")
    event.add_component(alarm)
    resource.save(increase_seqno=False)


def test_user_edits_stay_until_the_program_changes_then_program_fields_win(
        radicale_auth: RadicaleServer, tmp_path: Path) -> None:
    url = radicale_auth.make_calendar()
    target = SyncTarget(url, USER)
    first = f.program(f.session("talk", "2021-05-07 10:00"))
    stars = _stars("talk")
    uid = next(iter(_uids(first)))
    with SyncState(tmp_path / "state") as state:
        sync_agenda(first, stars, ExportOptions(zone="UTC"), target, PASSWORD, state)
        _edit_on_server(radicale_auth, url, uid, summary="Talk (sit near the door)",
                        comment="bring questions")
        report = sync_agenda(first, stars, ExportOptions(zone="UTC"), target, PASSWORD, state)
        assert (report.kept, report.updated, report.merged) == (1, 0, 0)
        kept = radicale_auth.client().calendar(url=url).get_event_by_uid(uid)
        assert str(kept.icalendar_component["SUMMARY"]) == "Talk (sit near the door)"
        moved = f.program(f.session("talk", "2021-05-07 15:00"))
        report = sync_agenda(moved, stars, ExportOptions(zone="UTC"), target, PASSWORD, state)
        assert report.merged == 1
    merged = radicale_auth.client().calendar(url=url).get_event_by_uid(uid).icalendar_component
    assert str(merged["SUMMARY"]) == "Talk"  # a program field: the program wins
    assert merged.decoded("DTSTART") == dt.datetime(2021, 5, 7, 13, 0, tzinfo=dt.UTC)
    assert str(merged["COMMENT"]) == "bring questions"  # the user's own property stays
    alarms = [c for c in merged.subcomponents if c.name == "VALARM"]
    assert [str(a["DESCRIPTION"]) for a in alarms] == ["my own reminder"]
    assert int(merged["SEQUENCE"]) == 1


def _uids(program: object) -> list[str]:
    from planner.export.ics import event_uid

    return [event_uid(program, s.id) for s in program.sessions]  # type: ignore[attr-defined]


def test_event_deleted_on_the_server_is_recreated_while_starred(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    cli(capsys, "star", *SESSIONS[:3])
    _sync(capsys, url)
    victim = next(iter(planner_events(url)))
    radicale_auth.client().calendar(url=url).get_event_by_uid(victim).delete()
    assert victim not in planner_events(url)
    out = _sync(capsys, url)
    assert "1 re-created (deleted in the calendar)" in out
    events = assert_calendar_is_agenda(capsys, url)
    assert events[victim].sequence == 1


def test_sync_with_a_calendar_name_creates_it_once(
        radicale: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", *SESSIONS[:2])
    run = cli(capsys, "sync", radicale.url, "--user", USER, "--calendar", "Conference")
    assert run.status == 0, run.err
    calendars = radicale.client().principal().calendars()
    assert [c.get_display_name() for c in calendars] == ["Conference"]
    # Remembered: a plain `planner sync` goes to the same calendar.
    run = cli(capsys, "sync")
    assert run.status == 0, run.err
    assert "2 unchanged" in run.out
    assert len(radicale.client().principal().calendars()) == 1
    assert_calendar_is_agenda(capsys, str(calendars[0].url))
