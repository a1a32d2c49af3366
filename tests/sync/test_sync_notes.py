"""A note or priority change reaches the CalDAV calendar: the sync sees the event changed and
updates it in place (same UID, SEQUENCE + 1); read back from a real Radicale with vobject."""

from __future__ import annotations

import caldav
import pytest
import vobject

from tests.caldav_servers import PASSWORD, USER, RadicaleServer
from tests.sync.helpers import SESSIONS, cli, planner_events

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def _sync(capsys: pytest.CaptureFixture[str], url: str) -> str:
    run = cli(capsys, "sync", url, "--user", USER, "--tz", "Europe/Vienna")
    assert run.status == 0, run.err
    return run.out


def _texts(url: str) -> dict[str, tuple[str, str]]:
    """Session id -> (DESCRIPTION, TRANSP) of planner's events on the server."""
    found = {}
    with caldav.DAVClient(url, username=USER, password=PASSWORD, timeout=30,
                          enable_rfc6764=False) as client:
        for resource in client.calendar(url=url).search(event=True):
            for event in vobject.readOne(resource.data).vevent_list:
                session = event.contents["x-planner-session"][0].value
                transp = event.transp.value if hasattr(event, "transp") else "OPAQUE"
                found[session] = (event.description.value, transp)
    return found


def test_a_changed_note_updates_the_synced_event(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    first, second = SESSIONS[0], SESSIONS[1]
    assert cli(capsys, "star", first, second).status == 0
    assert "2 created" in _sync(capsys, url)
    before = planner_events(url)
    assert cli(capsys, "star", first, "--note", "Meet Ana at the poster").status == 0
    assert "0 created, 1 updated, 0 deleted, 1 unchanged" in _sync(capsys, url)
    after = planner_events(url)
    texts = _texts(url)
    assert texts[first][0].startswith("Your note: Meet Ana at the poster\n\n— from the program")
    assert texts[first][1] == "OPAQUE"
    changed = [uid for uid in after if after[uid].sequence != before[uid].sequence]
    assert len(changed) == 1 and after[changed[0]].sequence == before[changed[0]].sequence + 1
    assert {e.href for e in after.values()} == {e.href for e in before.values()}  # in place
    # "maybe" is a change too: the event becomes free time.
    assert cli(capsys, "star", first, "--maybe").status == 0
    assert "1 updated" in _sync(capsys, url)
    assert _texts(url)[first][1] == "TRANSPARENT"
    assert "0 updated, 0 deleted, 2 unchanged" in _sync(capsys, url)


def test_maybe_reaches_an_event_the_user_edited_in_their_calendar(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.sync.test_caldav_sync import _edit_on_server

    url = radicale_auth.make_calendar()
    talk = SESSIONS[0]
    cli(capsys, "star", talk, "--maybe")
    _sync(capsys, url)
    uid = next(iter(planner_events(url)))
    _edit_on_server(radicale_auth, url, uid, comment="my own words")
    cli(capsys, "star", talk, "--must", "--note", "changed my mind")
    out = _sync(capsys, url)
    assert "1 updated" in out or "merged" in out, out
    event = radicale_auth.client().calendar(url=url).get_event_by_uid(uid).icalendar_component
    assert "TRANSP" not in event  # planner's "maybe" went, as planner owns TRANSP
    assert str(event["DESCRIPTION"]).startswith("Your note: changed my mind\n")
    assert str(event["COMMENT"]) == "my own words"  # the user's own property stays
