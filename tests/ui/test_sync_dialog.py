"""The "Sync to calendar…" dialog and the automatic sync, against a real Radicale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.export.ics import event_uid
from planner.ui.sync_dialog import SyncDialog
from tests.caldav_servers import PASSWORD, USER, RadicaleServer, read_back
from tests.sync.conftest import radicale_auth  # noqa: F401  (the fixture)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _expected(window) -> dict[str, tuple[object, object]]:
    program = window.controller.program
    agenda = window.controller.stars.agenda_sessions(program)
    return {event_uid(program, s.id): (s.start, s.end) for s in agenda if s.start is not None}


def _planner_events(url: str) -> dict[str, tuple[object, object]]:
    return {uid: (e.start, e.end) for uid, e in read_back(url).items()
            if uid.endswith("@planner")}


def _open(window, server: RadicaleServer, password: str = PASSWORD) -> SyncDialog:
    window.sync_action.trigger()
    dialog = window.sync_hook.dialog
    assert isinstance(dialog, SyncDialog) and dialog.isVisible()
    dialog.url.setText(server.url)
    dialog.user.setText(USER)
    dialog.password.setText(password)
    return dialog


def test_dialog_lists_calendars_and_syncs_the_agenda(make_window, qtbot,
                                                     radicale_auth: RadicaleServer) -> None:  # noqa: F811
    url = radicale_auth.make_calendar("agenda")
    window = make_window()
    for item_id in ("p-mars", "workshop-a", "closing-remarks"):
        window.controller.toggle(item_id)
    dialog = _open(window, radicale_auth)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.calendar.count() == 1 and dialog.test_button.isEnabled(),
                    timeout=20_000)
    assert dialog.calendar.itemText(0) == "agenda" and dialog.calendar.itemData(0) == url
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_text or dialog.error), timeout=30_000)
    assert dialog.error == ""
    assert "4 created" in dialog.result_text  # the paper is in two sessions
    assert _planner_events(url) == _expected(window)
    assert "Last sync" in dialog.last.text() and "done" in dialog.last.text()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert "Calendar synced" in window.statusBar().currentMessage()


def test_wrong_password_shows_one_line(make_window, qtbot,
                                       radicale_auth: RadicaleServer) -> None:  # noqa: F811
    radicale_auth.make_calendar("agenda")
    window = make_window()
    window.controller.toggle("workshop-a")
    dialog = _open(window, radicale_auth, password="not the password")
    dialog.calendar.setEditText("agenda")
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=30_000)
    assert "401" in dialog.error and "\n" not in dialog.error
    assert "not the password" not in dialog.error
    assert "failed" in dialog.last.text()


def test_automatic_sync_is_debounced_and_runs_in_the_background(
        make_window, qtbot, radicale_auth: RadicaleServer) -> None:  # noqa: F811
    url = radicale_auth.make_calendar("agenda")
    window = make_window()
    window.controller.toggle("workshop-a")
    dialog = _open(window, radicale_auth)
    dialog.calendar.setEditText("agenda")
    dialog.auto.setChecked(True)
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_text or dialog.error), timeout=30_000)
    assert dialog.error == ""
    dialog.close()
    auto = window.sync_hook.auto_sync
    auto.timer.stop()
    for item_id in ("closing-remarks", "workshop-b", "workshop-b"):  # three quick changes
        window.controller.toggle(item_id)
        assert auto.timer.isActive() and not auto.running
    assert _planner_events(url) != _expected(window)  # nothing yet: still settling
    auto.timer.stop()
    with qtbot.waitSignal(auto.synced, timeout=30_000) as signal:
        auto.run_now()  # what the timer does when the changes have settled
        assert auto.running  # the sync runs in a worker: the window did not wait
    assert "Calendar synced" in signal.args[0]
    assert _planner_events(url) == _expected(window)


def test_dialog_keeps_the_alarm_remembered_from_the_command_line(
        make_window, qtbot, radicale_auth: RadicaleServer) -> None:  # noqa: F811
    from planner.sync.settings import SyncSettings, load_sync_settings, save_sync_settings

    url = radicale_auth.make_calendar("agenda")
    window = make_window()
    store = window.controller.store
    # What `planner sync URL --alarm 10` remembers.
    save_sync_settings(store, SyncSettings(url=url, user=USER, alarm_minutes=10))
    window.controller.toggle("workshop-a")
    dialog = _open(window, radicale_auth)
    dialog.url.setText(url)
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_text or dialog.error), timeout=30_000)
    assert dialog.error == ""
    remembered = load_sync_settings(store)
    assert remembered is not None and remembered.alarm_minutes == 10
    resources = radicale_auth.client().calendar(url=url).search(event=True)
    ours = [r.data for r in resources if "@planner" in r.data]
    assert ours and all("BEGIN:VALARM" in data and "TRIGGER:-PT10M" in data for data in ours)


def test_a_program_opened_is_checked_for_automatic_sync_after_the_first_paint(
        make_window, qtbot) -> None:
    from planner.sync.settings import SyncSettings, save_sync_settings, set_auto_sync

    window = make_window()
    store = window.controller.store
    save_sync_settings(store, SyncSettings(url="http://127.0.0.1:9/cal/", user=USER))
    set_auto_sync(store, True)
    auto = window.sync_hook.auto_sync
    auto.timer.stop()
    window.show_program(window.controller.program)  # opened again, as a refresh does
    assert not auto.timer.isActive()  # not checked before the window painted ...
    qtbot.waitUntil(auto.timer.isActive, timeout=5_000)  # ... but soon after
    auto.timer.stop()
