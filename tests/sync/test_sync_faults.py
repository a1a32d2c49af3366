"""Faults during ``planner sync``: one clear line, exit 2, nothing reported that did not happen,
stars untouched, and the next sync completes. A fault proxy sits in front of a real Radicale.
"""

from __future__ import annotations

import http.server
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.storage.paths import data_dir
from planner.sync.state import STATE_NAME, SyncState
from tests.caldav_servers import PASSWORD, USER, FaultProxy, RadicaleServer, free_port
from tests.sync.helpers import SESSIONS, Run, assert_calendar_is_agenda, cli, planner_events

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def _front_url(proxy: FaultProxy, radicale: RadicaleServer, name: str = "agenda") -> str:
    radicale.make_calendar(name)
    return f"{proxy.url}{USER}/{name}/"


def _sync(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> Run:
    return cli(capsys, "sync", url, "--user", USER, "--tz", "Europe/Vienna", *extra)


def _one_line(run: Run) -> str:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err and PASSWORD not in run.err + run.out
    return lines[0]


def _stars(capsys: pytest.CaptureFixture[str]) -> str:
    return cli(capsys, "list", "--starred", "--json", "--tz", "UTC").out


def _recorded(url_prefix: str) -> dict[str, str]:
    """UID -> ETag of what the sync state says is in the calendar."""
    with SyncState(data_dir()) as state:
        found: dict[str, str] = {}
        rows = state._conn.execute("SELECT calendar, uid, etag FROM synced_events").fetchall()
    for calendar, uid, etag in rows:
        if str(calendar).startswith(url_prefix):
            found[str(uid)] = str(etag)
    return found


def _assert_state_tells_truth(url: str) -> None:
    """Every event the state records is on the server with exactly that ETag."""
    on_server = {uid: e for uid, e in planner_events(url).items()}
    from tests.caldav_servers import read_back

    etags = {}
    import caldav

    with caldav.DAVClient(url, username=USER, password=PASSWORD, enable_rfc6764=False) as client:
        for resource in client.calendar(url=url).search(event=True):
            etags[str(resource.icalendar_component["UID"])] = str(resource.etag)
    assert set(read_back(url)) == set(on_server) | (set(etags) - set(on_server))
    for uid, etag in _recorded(url).items():
        assert etags.get(uid) == etag, f"{uid} recorded as synced but not on the server so"


def test_wrong_password_is_one_line_and_exit_2(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = radicale_auth.make_calendar()
    cli(capsys, "star", *SESSIONS[:2])
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "wrong secret 12345")
    run = _sync(capsys, url)
    assert run.status == 2
    line = _one_line(run)
    assert "wrong secret 12345" not in run.err
    assert "401" in line and radicale_auth.url.rstrip("/") in line and "alice" in line
    assert planner_events(url) == {}


def test_save_password_without_keyring_still_reports_the_done_sync(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    url = radicale_auth.make_calendar()
    cli(capsys, "star", *SESSIONS[:2])
    run = cli(capsys, "sync", url, "--user", USER, "--password-stdin", "--save-password",
              stdin=PASSWORD + "\n")
    assert run.status == 0, run.err
    assert "2 created" in run.out
    line = _one_line(run)
    assert "keyring" in line and "the password not kept" in line
    assert_calendar_is_agenda(capsys, url)


def test_password_from_stdin_and_never_in_settings(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD")
    url = radicale_auth.make_calendar()
    cli(capsys, "star", *SESSIONS[:2])
    run = cli(capsys, "sync", url, "--user", USER, "--password-stdin", stdin=PASSWORD + "\n")
    assert run.status == 0, run.err
    assert PASSWORD not in run.out + run.err
    assert_calendar_is_agenda(capsys, url)
    for path in data_dir().rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    # No keyring on this machine: the next sync without a password says how to give one.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    run = cli(capsys, "sync")
    assert run.status == 2
    line = _one_line(run)
    assert "PLANNER_CALDAV_PASSWORD" in line and "--password-stdin" in line


@pytest.mark.parametrize(("status", "words"), [
    (403, "403 Forbidden"), (507, "507 Insufficient Storage")])
def test_refused_write_stops_the_sync_and_the_next_one_completes(
        proxy: FaultProxy, radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str],
        status: int, words: str) -> None:
    url = _front_url(proxy, radicale_auth)
    cli(capsys, "star", *SESSIONS[:5])
    stars = _stars(capsys)
    puts = {"n": 0}

    def third_put_refused(method: str, path: str, number: int, body: bytes) -> Any:
        if method == "PUT":
            puts["n"] += 1
            if puts["n"] >= 3:
                return status
        return None

    proxy.rules.append(third_put_refused)
    run = _sync(capsys, url)
    assert run.status == 2
    line = _one_line(run)
    assert words in line and proxy.url.rstrip("/") in line
    assert "2 created" in line  # what was done before is said, and only that
    assert len(planner_events(url)) == 2
    _assert_state_tells_truth(url)
    assert _stars(capsys) == stars
    proxy.rules.clear()
    run = _sync(capsys, url)
    assert run.status == 0, run.err
    assert "3 created" in run.out and "2 unchanged" in run.out
    assert_calendar_is_agenda(capsys, url)


def test_writes_are_conditional(proxy: FaultProxy, radicale_auth: RadicaleServer,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """Creates carry If-None-Match: *, updates and deletes If-Match with the ETag just read."""
    url = _front_url(proxy, radicale_auth)
    cli(capsys, "star", *SESSIONS[:3])
    assert _sync(capsys, url).status == 0
    puts = [headers for method, _, headers in proxy.seen if method == "PUT"]
    assert len(puts) == 3 and all(h.get("if-none-match") == "*" for h in puts)
    assert proxy.counts["REPORT"] == 1  # one listing, no UID search per new event
    etags = {str(r.url).rsplit("/", 1)[-1]: r.etag
             for r in radicale_auth.client().calendar(url=radicale_auth.calendar_url())
             .search(event=True)}
    proxy.reset_counts()
    cli(capsys, "unstar", SESSIONS[0])
    assert _sync(capsys, url, "--alarm", "15").status == 0
    writes = [(m, p.rsplit("/", 1)[-1], h) for m, p, h in proxy.seen if m in ("PUT", "DELETE")]
    assert sorted(m for m, _, _ in writes) == ["DELETE", "PUT", "PUT"]
    for _, name, headers in writes:
        assert headers.get("if-match") == etags[name] and "if-none-match" not in headers


def test_calendar_that_does_not_exist_is_404(
        radicale_auth: RadicaleServer, capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, f"{radicale_auth.url}{USER}/no-such-calendar/")
    assert run.status == 2
    line = _one_line(run)
    assert "404" in line and "/alice/no-such-calendar/" in line and "--calendar" in line


def test_event_changed_between_listing_and_write_gets_412_and_is_left_for_next_sync(
        proxy: FaultProxy, radicale_auth: RadicaleServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = _front_url(proxy, radicale_auth)
    cli(capsys, "star", *SESSIONS[:2])
    assert _sync(capsys, url).status == 0
    direct = radicale_auth.calendar_url()
    victim = sorted(planner_events(direct))[0]

    def edit_after_listing(method: str, path: str, number: int) -> None:
        if method == "REPORT":
            proxy.after = None
            resource = radicale_auth.client().calendar(url=direct).get_event_by_uid(victim)
            resource.icalendar_component["SUMMARY"] = "edited on the phone just now"
            resource.save(increase_seqno=False)

    proxy.after = edit_after_listing
    run = _sync(capsys, url, "--alarm", "5")  # every event changes: two If-Match PUTs
    assert run.status == 1, run.err
    assert "changed in the calendar during this sync" in run.err
    assert "1 updated" in run.out and "1 left for the next sync" in run.out
    _assert_state_tells_truth(direct)
    run = _sync(capsys, url, "--alarm", "5")
    assert run.status == 0, run.err
    # Edited since planner's last write, and the program changed it (the alarm): merged.
    assert "1 merged with your edits" in run.out
    events = assert_calendar_is_agenda(capsys, direct)
    assert events[victim].summary != "edited on the phone just now"  # the program's field won


def test_response_slower_than_the_timeout(
        proxy: FaultProxy, radicale_auth: RadicaleServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = _front_url(proxy, radicale_auth)
    cli(capsys, "star", *SESSIONS[:2])
    proxy.rules.append(lambda m, p, n, b: ("delay", 3.0) if m == "REPORT" else None)
    run = _sync(capsys, url, "--timeout", "1")
    assert run.status == 2
    line = _one_line(run)
    assert "no answer within 1 s" in line and "--timeout" in line
    proxy.rules.clear()
    assert _sync(capsys, url).status == 0
    assert_calendar_is_agenda(capsys, radicale_auth.calendar_url())


def test_server_stopped_mid_sync_then_next_sync_completes(
        proxy: FaultProxy, radicale_auth: RadicaleServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = _front_url(proxy, radicale_auth)
    cli(capsys, "star", *SESSIONS)
    puts = {"n": 0}

    def stop_after_third_put(method: str, path: str, number: int) -> None:
        if method == "PUT":
            puts["n"] += 1
            if puts["n"] == 3:
                radicale_auth.stop()

    proxy.after = stop_after_third_put
    run = _sync(capsys, url)
    assert run.status == 2
    line = _one_line(run)
    assert "cannot connect" in line and "3 created" in line
    proxy.after = None
    radicale_auth.start()
    direct = radicale_auth.calendar_url()
    assert len(planner_events(direct)) == 3
    _assert_state_tells_truth(direct)
    run = _sync(capsys, url)
    assert run.status == 0, run.err
    assert f"{len(SESSIONS) - 3} created" in run.out and "3 unchanged" in run.out
    assert_calendar_is_agenda(capsys, direct)


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["htp://example/cal/", "not a url", "http://"])
def test_wrong_url_is_one_line(capsys: pytest.CaptureFixture[str], url: str) -> None:
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, url)
    assert run.status == 2
    assert "expected https://host/path/to/calendar/" in _one_line(run)


def test_nothing_listening_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", SESSIONS[0])
    port = free_port()
    run = _sync(capsys, f"http://127.0.0.1:{port}/cal/")
    assert run.status == 2
    line = _one_line(run)
    assert f"http://127.0.0.1:{port}" in line and "cannot connect" in line


def test_password_in_the_url_is_refused_without_showing_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    run = _sync(capsys, "http://alice:s3cr3t-in-url@127.0.0.1:9/cal/")
    assert run.status == 2
    line = _one_line(run)
    assert "s3cr3t-in-url" not in line and "contains a password" in line


@pytest.fixture
def plain_web_server() -> Iterator[str]:
    """An HTTP server that is not CalDAV: every request gets a small HTML page."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _page(self) -> None:
            body = b"<html><body>Welcome to my homepage</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PROPFIND = do_REPORT = do_PUT = do_OPTIONS = _page

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/calendar/"
    finally:
        server.shutdown()
        server.server_close()


def test_url_that_is_not_caldav_is_one_line(plain_web_server: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, plain_web_server)
    assert run.status == 2
    line = _one_line(run)
    assert plain_web_server.rsplit("/", 2)[0] in line and "CalDAV" in line


def test_collection_that_is_not_a_calendar(radicale_auth: RadicaleServer,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    radicale_auth.make_calendar()
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, f"{radicale_auth.url}{USER}/")
    assert run.status == 2
    assert "is not a CalDAV calendar" in _one_line(run)


def test_calendar_without_events_is_refused(radicale_auth: RadicaleServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar("tasks", components=("VTODO",))
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, url)
    assert run.status == 2
    line = _one_line(run)
    assert "holds only tasks or notes, not events" in line and "/alice/tasks/" in line
    run = cli(capsys, "sync", radicale_auth.url, "--user", USER, "--calendar", "tasks")
    assert run.status == 2
    assert "holds only tasks" in _one_line(run)


def test_https_to_a_plain_http_server_is_a_tls_line(radicale_auth: RadicaleServer,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, f"https://127.0.0.1:{radicale_auth.port}/{USER}/agenda/", "--timeout", "5")
    assert run.status == 2
    line = _one_line(run)
    assert f"https://127.0.0.1:{radicale_auth.port}" in line and "TLS" in line


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 whose certificate nobody trusts."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate here: {exc}")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            try:
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}/cal/"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_untrusted_certificate_is_a_tls_line(self_signed_server: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "star", SESSIONS[0])
    run = _sync(capsys, self_signed_server, "--timeout", "5")
    assert run.status == 2
    line = _one_line(run)
    assert "TLS" in line and "--ca-file" in line and self_signed_server.rsplit("/", 2)[0] in line


def test_state_file_is_beside_the_stars(radicale_auth: RadicaleServer,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    url = radicale_auth.make_calendar()
    cli(capsys, "star", SESSIONS[0])
    assert _sync(capsys, url).status == 0
    assert (data_dir() / STATE_NAME).is_file()
    assert len(_recorded(url)) == 1
