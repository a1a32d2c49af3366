"""The window's live program (planner.ui.live): a refresh runs in a worker thread against a
real server on 127.0.0.1, the change banner lists what changed among the stars, a failure is a
bar (the copy stays), and reminders go through the notifier seam, driven by a test clock."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner.net.fetch import FetchLimits, FetchResult, Validators, fetch
from planner.ui.live import LiveController, attach
from planner.ui.main_window import MainWindow
from tests.net.server import ProgramServer, Route, serve

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BEFORE = (FIXTURES / "fosdem2020_before.xml").read_bytes()
AFTER = (FIXTURES / "fosdem2020_after.xml").read_bytes()
STARRED = ["e-10715", "e-9265", "e-9047", "e-9045"]


class Captured:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def notify(self, title: str, body: str) -> None:
        self.shown.append((title, body))


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def program_server() -> Iterator[ProgramServer]:
    yield from serve()


@pytest.fixture
def live_window(make_window: Callable[..., MainWindow]) -> Iterator[
        tuple[MainWindow, LiveController, Captured, Clock, list[str]]]:
    clock = Clock(dt.datetime(2020, 2, 1, 7, 0, tzinfo=dt.UTC))  # Sat 08:00 in Brussels
    window = make_window(None, "Europe/Brussels", clock)
    threads: list[str] = []

    def watched_fetch(url: str, validators: Validators | None,
                      limits: FetchLimits) -> FetchResult:
        threads.append(threading.current_thread().name)
        assert threading.current_thread() is not threading.main_thread()
        return fetch(url, validators, FetchLimits(read_timeout=5.0))

    notifier = Captured()
    live = attach(window, notifier, watched_fetch)
    live.timer.stop()  # the test drives ticks
    yield window, live, notifier, clock, threads


def _wait_refreshed(qtbot: object, live: LiveController, count: int) -> None:
    qtbot.waitUntil(lambda: len(live.outcomes) >= count and not live.refreshing,  # type: ignore[attr-defined]
                    timeout=20_000)


def _open_served(qtbot: object, live: LiveController, server: ProgramServer,
                 route: Route) -> str:
    """Serve FOSDEM at an address, open it in the window and wait for the first refresh."""
    url = server.set("/fosdem.xml", route)
    live.open_url(url)
    _wait_refreshed(qtbot, live, 1)
    return url


def test_refresh_in_worker_shows_banner_and_keeps_stars(
        qtbot: object, program_server: ProgramServer,
        live_window: tuple[MainWindow, LiveController, Captured, Clock, list[str]]) -> None:
    window, live, notifier, _clock, threads = live_window
    _open_served(qtbot, live, program_server, Route(body=BEFORE, etag='"v1"'))
    program = window.controller.program
    assert program is not None and program.name == "FOSDEM 2020"
    assert live.outcomes[0].status == "downloaded"
    window.controller.set_starred(STARRED, True)
    assert live.banner.isHidden()

    program_server.set("/fosdem.xml", Route(body=AFTER, etag='"v2"'))
    live.refresh_now(force=True)
    _wait_refreshed(qtbot, live, 2)
    assert live.outcomes[1].status == "downloaded", live.outcomes[1].error
    assert threads and all(name != threading.main_thread().name for name in threads)
    assert not live.banner.isHidden()
    assert live.banner.label.text() == ("The program changed: 4 changes to your stars; 1 "
                                        "starred item is gone (the star is kept).")
    assert live.banner.list is not None
    shown = [live.banner.list.item(i).text() for i in range(live.banner.list.count())]
    assert [line.split(":")[0] for line in shown] == ["cancelled", "moved", "room changed",
                                                     "disappeared"]
    assert "Sat 1 Feb 10:00–10:50 → Sat 1 Feb 14:00–14:50" in shown[1]
    # the stars followed, the moved talk carries its mark
    assert {"e-10715", "e-9265", "e-9047"} <= window.controller.stars.ids
    assert window.controller.change_notes.get("e-10715") == "moved from Sat 10:00"
    # one notification through the seam for the changes within 24 h (Saturday's three; the
    # cancelled talk is on Sunday 10:00, 26 h away)
    assert len(notifier.shown) == 1
    assert notifier.shown[0][0] == "3 starred sessions in the next 24 hours changed"
    assert [line.split(":")[0] for line in notifier.shown[0][1].splitlines()] == [
        "moved", "room changed", "disappeared"]
    shot = window.grab()
    assert not shot.isNull()
    shot.save(str(Path(str(window.controller.store.folder)) / "live-banner.png"))
    live.banner.dismiss.click()
    assert live.banner.isHidden()


def test_failed_refresh_is_a_bar_and_keeps_the_copy(
        qtbot: object, program_server: ProgramServer,
        live_window: tuple[MainWindow, LiveController, Captured, Clock, list[str]]) -> None:
    window, live, _notifier, clock, _threads = live_window
    url = _open_served(qtbot, live, program_server, Route(body=BEFORE))
    copy = live.cache.get(url)
    assert copy is not None
    program_server.set("/fosdem.xml", Route(body=b"<html>Bad gateway</html>", status=502))
    clock.now += dt.timedelta(hours=3)
    live.refresh_now(force=True)
    _wait_refreshed(qtbot, live, 2)
    assert not live.failure_bar.isHidden()
    text = live.failure_bar.label.text()
    assert text.startswith(f"{url}: the server answered 502")
    assert "offline copy downloaded 3 h ago" in text and "\n" not in text
    assert copy.path.read_bytes() == BEFORE
    program = window.controller.program
    assert program is not None and program.name == "FOSDEM 2020"


def test_reminder_fires_once_through_the_seam(
        qtbot: object, program_server: ProgramServer,
        live_window: tuple[MainWindow, LiveController, Captured, Clock, list[str]]) -> None:
    window, live, notifier, clock, _threads = live_window
    _open_served(qtbot, live, program_server, Route(body=BEFORE))
    window.controller.set_starred(["e-10715"], True)  # The Linux Kernel, Sat 10:00 Brussels
    clock.now = dt.datetime(2020, 2, 1, 8, 49, tzinfo=dt.UTC)
    live.tick()
    assert notifier.shown == []
    clock.now = dt.datetime(2020, 2, 1, 8, 50, tzinfo=dt.UTC)
    live.tick()
    assert len(notifier.shown) == 1
    title, body = notifier.shown[0]
    assert title.startswith("In 10 min: The Linux Kernel")
    assert body == "Janson · 10:00 CET"
    live.tick()
    assert len(notifier.shown) == 1
    assert "The Linux Kernel" in live.now_next.text()


def test_the_windows_store_stays_on_the_gui_thread(
        qtbot: object, program_server: ProgramServer, monkeypatch: pytest.MonkeyPatch,
        live_window: tuple[MainWindow, LiveController, Captured, Clock, list[str]]) -> None:
    """A refresh moves the stars from its worker on a store of its own: the window's store
    (one SQLite connection) is read and written on the GUI thread only."""
    window, live, _notifier, _clock, threads = live_window
    store = window.controller.store
    assert store is not None
    used: list[str] = []
    for name in ("_read", "_write"):
        original = getattr(store, name)

        def spy(*args: object, _original: Callable[..., object] = original) -> object:
            used.append(threading.current_thread().name)
            return _original(*args)

        monkeypatch.setattr(store, name, spy)
    _open_served(qtbot, live, program_server, Route(body=BEFORE, etag='"v1"'))
    window.controller.set_starred(STARRED, True)
    program_server.set("/fosdem.xml", Route(body=AFTER, etag='"v2"'))
    live.refresh_now(force=True)
    _wait_refreshed(qtbot, live, 2)
    assert live.outcomes[1].report is not None  # the worker moved the stars
    assert len(threads) == 2
    assert used and set(used) == {threading.main_thread().name}
    # what the worker wrote is in the file, under the moved talk's new id
    from planner.storage.store import Store

    program = window.controller.program
    assert program is not None
    with Store(store.folder) as other:
        assert {"e-10715", "e-9265", "e-9047"} <= other.starred(program.key)


def test_switches_and_address_are_saved_for_the_next_start(
        qtbot: object, program_server: ProgramServer,
        live_window: tuple[MainWindow, LiveController, Captured, Clock, list[str]]) -> None:
    from planner.core import settings
    from planner.storage.store import Store
    from planner.ui.live import start_url

    window, live, notifier, clock, _threads = live_window
    url = _open_served(qtbot, live, program_server, Route(body=BEFORE))
    window.controller.set_starred(["e-10715"], True)  # Sat 10:00 Brussels
    live.reminders_action.setChecked(False)
    live.tray_action.setChecked(True)
    clock.now = dt.datetime(2020, 2, 1, 8, 50, tzinfo=dt.UTC)
    live.tick()
    assert notifier.shown == []  # reminders off: nothing
    store = window.controller.store
    assert store is not None
    with Store(store.folder) as other:
        assert other.setting(settings.REMINDERS_ON.name) is False
        assert other.setting(settings.CLOSE_TO_TRAY.name) is True
        assert start_url(None, other.setting(settings.LAST_PROGRAM.name)) == url
    live.reminders_action.setChecked(True)
    live.tick()
    assert [title.split(":")[0] for title, _body in notifier.shown] == ["In 10 min"]
