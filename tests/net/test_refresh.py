"""Downloads against a real HTTP server on 127.0.0.1: the first download becomes the offline
copy, conditional requests cost a 304, and every failure keeps the last good copy byte-identical
with one line saying why."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from planner.net.cache import ProgramCache
from planner.net.fetch import FailureKind, FetchError, FetchLimits
from planner.net.refresh import refresh
from tests.net.server import ProgramServer, Route, http_date

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BEFORE = (FIXTURES / "fosdem2020_before.xml").read_bytes()
AFTER = (FIXTURES / "fosdem2020_after.xml").read_bytes()
T0 = dt.datetime(2020, 1, 31, 12, 0, tzinfo=dt.UTC)
FAST = FetchLimits(connect_timeout=2.0, read_timeout=0.5, total_timeout=10.0)


class Clock:
    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def cache(tmp_path: Path) -> ProgramCache:
    return ProgramCache(tmp_path / "programs")


def _first(program_server: ProgramServer, cache: ProgramCache, clock: Clock,
           **route: object) -> str:
    url = program_server.set("/schedule.xml", Route(body=BEFORE, **route))  # type: ignore[arg-type]
    outcome = refresh(url, cache=cache, clock=clock, limits=FAST)
    assert outcome.status == "downloaded", outcome.error
    return url


def test_first_download_is_stored_and_opened(program_server: ProgramServer,
                                             cache: ProgramCache) -> None:
    url = program_server.set("/schedule.xml", Route(body=BEFORE, gzip=False))
    outcome = refresh(url, cache=cache, clock=Clock(), limits=FAST)
    assert outcome.ok and outcome.status == "downloaded"
    assert outcome.program is not None and outcome.program.name == "FOSDEM 2020"
    copy = cache.get(url)
    assert copy is not None and copy.path.read_bytes() == BEFORE
    assert copy.info.fetched == T0 and copy.info.size == len(BEFORE)
    assert len(outcome.program.sessions) > 10


def test_gzip_is_requested_and_decoded(program_server: ProgramServer,
                                       cache: ProgramCache) -> None:
    url = _first(program_server, cache, Clock(), gzip=True)
    assert "gzip" in program_server.requests[-1].headers["accept-encoding"]
    copy = cache.get(url)
    assert copy is not None and copy.path.read_bytes() == BEFORE


def test_etag_gives_304_and_keeps_copy(program_server: ProgramServer,
                                       cache: ProgramCache) -> None:
    clock = Clock()
    url = _first(program_server, cache, clock, etag='"v1"')
    clock.now = T0 + dt.timedelta(hours=1)
    outcome = refresh(url, cache=cache, clock=clock, limits=FAST)
    assert outcome.status == "unchanged" and outcome.ok
    last = program_server.requests[-1]
    assert last.headers["if-none-match"] == '"v1"' and last.status == 304
    copy = cache.get(url)
    assert copy is not None and copy.info.checked == clock.now and copy.info.fetched == T0
    assert outcome.program is not None and outcome.program.name == "FOSDEM 2020"


def test_last_modified_gives_304(program_server: ProgramServer, cache: ProgramCache) -> None:
    stamp = http_date(1580000000)
    url = _first(program_server, cache, Clock(), last_modified=stamp)
    outcome = refresh(url, cache=cache, clock=Clock(), limits=FAST)
    assert outcome.status == "unchanged"
    assert program_server.requests[-1].headers["if-modified-since"] == stamp
    assert program_server.statuses("/schedule.xml") == [200, 304]


def test_new_version_replaces_copy(program_server: ProgramServer, cache: ProgramCache) -> None:
    url = _first(program_server, cache, Clock(), etag='"v1"')
    old = cache.get(url)
    assert old is not None
    program_server.set("/schedule.xml", Route(body=AFTER, etag='"v2"'))
    outcome = refresh(url, cache=cache, clock=Clock(T0 + dt.timedelta(minutes=5)), limits=FAST)
    assert outcome.status == "downloaded" and outcome.previous is not None
    copy = cache.get(url)
    assert copy is not None and copy.path.read_bytes() == AFTER and copy.info.etag == '"v2"'
    assert not old.path.exists()  # the old body is swept once the record names the new one
    assert sorted(p.name for p in copy.path.parent.iterdir()) == sorted(
        ["copy.json", copy.path.name])


def test_max_age_respected_with_injected_clock(program_server: ProgramServer,
                                               cache: ProgramCache) -> None:
    clock = Clock()
    url = _first(program_server, cache, clock, max_age=600, etag='"v1"')
    clock.now = T0 + dt.timedelta(seconds=599)
    outcome = refresh(url, cache=cache, clock=clock, limits=FAST, force=False)
    assert outcome.status == "fresh" and "600 s" in outcome.notice(clock.now)
    assert len(program_server.requests) == 1
    forced = refresh(url, cache=cache, clock=clock, limits=FAST, force=True)
    assert forced.status == "unchanged" and len(program_server.requests) == 2
    clock.now = T0 + dt.timedelta(seconds=599 + 601)
    later = refresh(url, cache=cache, clock=clock, limits=FAST, force=False)
    assert later.status == "unchanged" and len(program_server.requests) == 3


def _failing(program_server: ProgramServer, cache: ProgramCache, route: Route,
             limits: FetchLimits = FAST) -> tuple[str, object]:
    url = _first(program_server, cache, Clock())
    copy = cache.get(url)
    assert copy is not None
    meta = (copy.path.parent / "copy.json").read_bytes()
    program_server.set("/schedule.xml", route)
    now = T0 + dt.timedelta(hours=2)
    outcome = refresh(url, cache=cache, clock=Clock(now), limits=limits)
    assert outcome.status == "failed" and outcome.error is not None
    assert outcome.program is not None and outcome.program.name == "FOSDEM 2020"
    after = cache.get(url)
    assert after is not None and after.path == copy.path
    assert after.path.read_bytes() == BEFORE
    assert (copy.path.parent / "copy.json").read_bytes() == meta
    notice = outcome.notice(now)
    assert "\n" not in notice and "offline copy downloaded 2 h ago" in notice
    assert "Traceback" not in notice
    return notice, outcome.error


@pytest.mark.parametrize(("route", "kind", "words"), [
    (Route(body=b"<!DOCTYPE html><html><body>Maintenance</body></html>",
           content_type="text/plain"), FailureKind.NOT_A_PROGRAM, "web page (HTML)"),
    (Route(body=b"<html><p>oops</p></html>", content_type="text/html"),
     FailureKind.NOT_A_PROGRAM, "web page"),
    (Route(body=BEFORE, truncate=True, gzip=False), FailureKind.TRUNCATED, "cut short"),
    (Route(body=BEFORE, truncate=True, gzip=True), FailureKind.TRUNCATED, "cut short"),
    (Route(body=b"boom", status=500), FailureKind.HTTP_STATUS, "answered 500"),
    (Route(body=BEFORE, delay=3.0), FailureKind.TIMEOUT, "did not answer within 0.5 s"),
], ids=["html-200-sniffed", "html-200-type", "truncated", "truncated-gzip", "500", "timeout"])
def test_failures_keep_last_good_copy(program_server: ProgramServer, cache: ProgramCache,
                                      route: Route, kind: FailureKind, words: str) -> None:
    notice, error = _failing(program_server, cache, route)
    assert isinstance(error, FetchError) and error.kind is kind, notice
    assert words in notice


def test_not_a_program_body_keeps_copy(program_server: ProgramServer,
                                       cache: ProgramCache) -> None:
    notice, _error = _failing(program_server, cache,
                              Route(body=b"<schedule><day broken", content_type="text/xml"))
    assert "schedule.xml" in notice


def test_too_many_redirects(program_server: ProgramServer, cache: ProgramCache) -> None:
    for hop in range(6):
        program_server.set(f"/hop{hop}", Route(redirect=program_server.url(f"/hop{hop + 1}")))
    program_server.set("/hop6", Route(body=BEFORE))
    url = _first(program_server, cache, Clock())
    program_server.set("/schedule.xml", Route(redirect=program_server.url("/hop0")))
    outcome = refresh(url, cache=cache, clock=Clock(), limits=FAST)
    assert isinstance(outcome.error, FetchError)
    assert outcome.error.kind is FailureKind.REDIRECTS
    assert cache.get(url) is not None and cache.get(url).path.read_bytes() == BEFORE  # type: ignore[union-attr]
    # five hops are allowed
    program_server.set("/schedule.xml", Route(redirect=program_server.url("/hop2")))
    assert refresh(url, cache=cache, clock=Clock(), limits=FAST).ok


@pytest.mark.parametrize("compressed", [True, False], ids=["gzip", "identity"])
def test_body_over_the_limit(program_server: ProgramServer, cache: ProgramCache,
                             compressed: bool) -> None:
    small = FetchLimits(connect_timeout=2.0, read_timeout=2.0, max_bytes=len(BEFORE) + 10)
    notice, error = _failing(program_server, cache,
                             Route(body=AFTER + b" " * 5000, gzip=compressed), limits=small)
    assert isinstance(error, FetchError) and error.kind is FailureKind.TOO_LARGE, notice


def test_non_http_scheme_refused(cache: ProgramCache) -> None:
    with pytest.raises(FetchError) as raised:
        refresh("ftp://127.0.0.1/schedule.xml", cache=cache, clock=Clock(), limits=FAST)
    assert raised.value.kind is FailureKind.SCHEME
    assert "only http:// and https://" in str(raised.value)


def test_connection_refused_without_copy(cache: ProgramCache,
                                         program_server: ProgramServer) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/schedule.xml"
    outcome = refresh(url, cache=cache, clock=Clock(), limits=FAST)
    assert outcome.program is None and isinstance(outcome.error, FetchError)
    assert outcome.error.kind is FailureKind.NO_NETWORK
    assert outcome.notice(T0) == f"{url}: the connection was refused; no offline copy yet"
    assert cache.get(url) is None


def test_atomic_replace_never_half_written(program_server: ProgramServer,
                                           cache: ProgramCache,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash while the new record is written (os.replace fails) leaves the old copy."""
    url = _first(program_server, cache, Clock())
    program_server.set("/schedule.xml", Route(body=AFTER))
    import planner.net.cache as cache_module

    real_replace = os.replace
    calls: list[str] = []

    def crash(src: str, dst: str) -> None:
        calls.append(str(dst))
        if str(dst).endswith("copy.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", crash)
    with pytest.raises(OSError):
        refresh(url, cache=cache, clock=Clock(), limits=FAST)
    monkeypatch.setattr(cache_module.os, "replace", real_replace)
    assert any(c.endswith("copy.json") for c in calls)
    copy = cache.get(url)
    assert copy is not None and copy.path.read_bytes() == BEFORE
    assert not [p for p in copy.path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_redirect_to_another_scheme_keeps_copy(program_server: ProgramServer,
                                               cache: ProgramCache) -> None:
    notice, error = _failing(program_server, cache,
                             Route(redirect="file:///etc/passwd"))
    assert isinstance(error, FetchError) and error.kind is FailureKind.SCHEME, notice


def test_refresh_interval_follows_the_program() -> None:
    from planner.net.refresh import refresh_interval
    from tests.factories import program, session

    prog = program(session("a", "2024-05-07 09:00", 60), session("b", "2024-05-08 17:00", 60))
    start = dt.datetime(2024, 5, 7, 7, 0, tzinfo=dt.UTC)  # 09:00 Vienna
    assert refresh_interval(prog, start - dt.timedelta(days=3)) == dt.timedelta(minutes=60)
    assert refresh_interval(prog, start - dt.timedelta(minutes=30)) == dt.timedelta(minutes=15)
    assert refresh_interval(prog, start + dt.timedelta(days=1)) == dt.timedelta(minutes=15)
    assert refresh_interval(prog, start + dt.timedelta(days=1, hours=12)) is None
    assert refresh_interval(None, start) == dt.timedelta(minutes=60)
