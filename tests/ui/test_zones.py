"""Display zone and program zone: every time moves at once; choices are remembered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from planner.core import timezones as tz
from planner.ui.main_window import TAB_LIST
from planner.ui.models import Column
from tests.ui.conftest import iclr_like, restart

THURSDAY = dt.date(2021, 5, 6)
FRIDAY = dt.date(2021, 5, 7)


def choose_zone_by_typing(window, qtbot, text: str, label_start: str) -> None:
    picker = window.zone_picker
    line = picker.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, text)
    completer = picker.completer()
    labels = completer.model().stringList()
    assert any(label.startswith(label_start) for label in labels), labels
    completer.activated[str].emit(next(lbl for lbl in labels if lbl.startswith(label_start)))


def test_los_angeles_moves_the_poster_session_to_thursday(make_window, qtbot):
    window = make_window()
    view = window.timeline.view
    assert view.day == FRIDAY
    assert view.block_for("poster-session-12") is not None
    choose_zone_by_typing(window, qtbot, "los angeles", "America/Los_Angeles")
    assert window.controller.display_zone_name == "America/Los_Angeles"
    # Timeline: Thursday, with the poster session on it.
    window.select_item("poster-session-12")
    assert view.day == THURSDAY
    block = view.block_for("poster-session-12")
    assert block is not None
    assert view.moment_at(block.top) == tz.localize(dt.datetime(2021, 5, 6, 17, 0),
                                                           tz.get_zone("America/Los_Angeles"))
    assert [window.days_model.day_at(r) for r in range(window.days_model.rowCount())] == [
        THURSDAY, FRIDAY]
    # List: the time column reads Thursday evening.
    index = window.proxy.indexes_of("poster-session-12")[0].siblingAtColumn(Column.TIME)
    assert index.data() == "Thu 6 May 17:00–~19:00"
    assert "America/Los_Angeles" in window.proxy.headerData(Column.TIME, Qt.Orientation.Horizontal)
    # Details: both clocks side by side.
    text = window.details.toPlainText()
    assert "Thu 6 May 17:00–~19:00 PDT" in text and "Fri 7 May 02:00–~04:00 CEST" in text
    # Second axis: Vienna beside Los Angeles.
    assert view.two_clocks()


def test_display_zone_is_remembered_after_restart(make_window, qtbot):
    window = make_window()
    choose_zone_by_typing(window, qtbot, "kolkata", "Asia/Kolkata")
    again = restart(window, make_window, iclr_like(), zone=None)
    assert again.controller.display_zone_name == "Asia/Kolkata"
    assert again.zone_picker.currentText().startswith("Asia/Kolkata (UTC+05:30)")


def test_picker_lists_local_and_program_first_with_offsets(make_window, qtbot):
    window = make_window()
    picker = window.zone_picker
    assert picker.itemText(0).startswith("Local (")
    assert picker.itemText(1) == "Program (Europe/Vienna (UTC+02:00))"
    # The other zones arrive from a worker thread.
    qtbot.waitUntil(lambda: picker.findData("Asia/Kathmandu") >= 0, timeout=5000)
    kathmandu = picker.findData("Asia/Kathmandu")
    assert picker.itemText(kathmandu) == "Asia/Kathmandu (UTC+05:45)"
    # Offsets are those of the conference's dates (Adelaide in May: +09:30, not +10:30).
    assert picker.itemText(picker.findData("Australia/Adelaide")).endswith("(UTC+09:30)")
    assert [label for label, _ in picker.matches("+05:45")] == ["Asia/Kathmandu (UTC+05:45)"]


def test_changing_the_program_zone_moves_every_time_and_keeps_stars(make_window, monkeypatch):
    window = make_window(zone="UTC")
    window.controller.toggle("p-mars")
    before = window.controller.program.session("poster-session-12").start
    assert "guessed" in window.zone_button.text()
    window.controller.change_source_zone("UTC")
    after = window.controller.program.session("poster-session-12").start
    assert after - before == dt.timedelta(hours=2)
    assert window.controller.is_starred("p-mars")
    index = window.proxy.indexes_of("poster-session-12")[0].siblingAtColumn(Column.TIME)
    assert index.data() == "Fri 7 May 02:00–~04:00"
    assert window.zone_button.text() == "Program zone UTC (change…)"
    assert not window.timeline.view.two_clocks()  # UTC shown, UTC program: one clock
    # Remembered for this program.
    again = restart(window, make_window, iclr_like(), zone="UTC")
    assert again.controller.program.source_zone == "UTC"
    assert again.controller.program.session("poster-session-12").start == after
    assert again.controller.is_starred("p-mars")


def test_program_zone_dialog_changes_the_zone(make_window, qtbot, monkeypatch):
    window = make_window()
    from PySide6.QtWidgets import QDialog

    def accept_with_utc(dialog: QDialog) -> int:
        from planner.ui.zone_picker import ZonePicker

        dialog.findChild(ZonePicker).set_current("UTC")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QDialog, "exec", accept_with_utc)
    qtbot.mouseClick(window.zone_button, Qt.MouseButton.LeftButton)
    assert window.controller.program.source_zone == "UTC"
    window.show_tab(TAB_LIST)
