"""Busy times in the window: the grey "My calendar" lane, its conflicts, a file that changes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from planner.core import settings as declared
from planner.core import timezones as tz
from planner.core.busy import BusyTime
from planner.ui.timeline_layout import (
    BUSY_LANE_TITLE,
    BUSY_LANE_WIDTH,
    LayoutOptions,
    add_busy_lane,
    build_day_layout,
)
from tests.factories import session
from tests.ui.conftest import restart, vienna

VIENNA = tz.get_zone("Europe/Vienna")


def ics(*events: tuple[str, str, str]) -> str:
    """(title, start, end) in UTC ("20210507T010000Z") -> a calendar's text."""
    body = "".join(f"BEGIN:VEVENT\r\nUID:busy-{n}\r\nDTSTAMP:20210101T000000Z\r\n"
                   f"SUMMARY:{title}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nEND:VEVENT\r\n"
                   for n, (title, start, end) in enumerate(events))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\n{body}END:VCALENDAR\r\n"


def replace_atomically(path: Path, text: str) -> None:
    """As editors and sync tools save: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.replace(temporary, path)


# 02:30-03:00 Vienna overlaps Poster Session 12 (02:00-04:00); 07:15 the closing remarks.
DENTIST = ("Dentist appointment", "20210507T003000Z", "20210507T010000Z")
INTERVIEW = ("Job interview at Rival", "20210507T051500Z", "20210507T060000Z")
LUNCH = ("Lunch with Sam", "20210507T100000Z", "20210507T110000Z")


# -- layout data ------------------------------------------------------------------------------
def test_busy_lane_is_a_narrow_first_column_with_a_block_per_busy_time() -> None:
    sessions = [session("a", "2021-05-07 09:00", 60), session("b", "2021-05-07 12:00", 120)]
    options = LayoutOptions(zone=VIENNA, program_zone=VIENNA, visible_width=600.0)
    plain = build_day_layout(dt.date(2021, 5, 7), sessions, options, lambda s: True,
                             lambda s: 0)
    layout = build_day_layout(dt.date(2021, 5, 7), sessions, options, lambda s: True,
                              lambda s: 0)
    busy = [BusyTime(vienna("2021-05-06 23:00"), vienna("2021-05-07 01:00"), "night"),
            BusyTime(vienna("2021-05-07 08:30"), vienna("2021-05-07 09:30"), "one"),
            BusyTime(vienna("2021-05-07 10:00"), vienna("2021-05-07 10:05"), "short"),
            BusyTime(vienna("2021-05-07 13:00"), vienna("2021-05-07 20:00"), "long"),
            BusyTime(vienna("2021-05-08 09:00"), vienna("2021-05-08 10:00"), "tomorrow")]
    add_busy_lane(layout, busy)
    assert layout.busy_lane is not None and layout.busy_lane.title == BUSY_LANE_TITLE
    assert (layout.busy_lane.x, layout.busy_lane.width) == (0.0, BUSY_LANE_WIDTH)
    # The day shown is 09:00-14:00: the night and tomorrow are outside it.
    assert [b.busy.title for b in layout.busy_blocks] == ["one", "short", "long"]
    one, short, long = layout.busy_blocks
    assert one.clipped_top and one.top == layout.y_of(layout.start)
    assert one.bottom == layout.y_of(vienna("2021-05-07 09:30"))
    assert short.bottom - short.top >= 14  # a five-minute call is still visible
    assert long.clipped_bottom and long.bottom == layout.y_of(layout.end)
    # Everything else moved right by the lane's width.
    assert [b.left - BUSY_LANE_WIDTH for b in layout.blocks] == [b.left for b in plain.blocks]
    assert layout.width == plain.width + BUSY_LANE_WIDTH
    assert layout.busy_at(10, (long.top + long.bottom) / 2) is long
    assert layout.busy_at(BUSY_LANE_WIDTH + 10, (long.top + long.bottom) / 2) is None


# -- the window -------------------------------------------------------------------------------
def lane_titles(window) -> list[str]:
    layout = window.timeline.view.layout_data
    return [b.busy.title for b in layout.busy_blocks] if layout and layout.busy_lane else []


def test_open_busy_times_draws_the_lane_and_counts_clashes(make_window, qtbot, tmp_path):
    window = make_window()
    window.controller.toggle("poster-session-12")
    window.controller.toggle("closing-remarks")
    path = tmp_path / "me.ics"
    path.write_text(ics(DENTIST, LUNCH), encoding="utf-8", newline="")
    window.busy_times.open(path)
    qtbot.waitUntil(lambda: lane_titles(window) == ["Dentist appointment", "Lunch with Sam"],
                    timeout=10_000)
    assert window.view_settings.get(declared.BUSY_FILE) == str(path)
    assert window.controller.conflicts.calendar_counts == {"poster-session-12": 1}
    assert "1 session clashes with your calendar" in window.conflicts_label.text()
    window.select_item("poster-session-12")
    details = window.details.toPlainText()
    assert "Clashes with your calendar (Fri 7 May 02:30–03:00 CEST)" in details
    assert "Dentist" not in details  # the lane shows it; the conflict text stays neutral
    assert "Clashes with your calendar" in window.timeline.view.describe(
        window.controller.program.session("poster-session-12"))
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Open &Busy Times…" in menu_texts and "C&lear Busy Times" in menu_texts
    # Shown on screen: the painter runs over the lane without complaint.
    window.timeline.view.viewport().repaint()

    window.busy_times.clear_action.trigger()
    assert lane_titles(window) == [] and window.timeline.view.layout_data.busy_lane is None
    assert window.controller.conflicts.calendar_counts == {}
    assert "no conflicts" in window.conflicts_label.text()
    assert window.view_settings.get(declared.BUSY_FILE) == ""


def test_busy_file_replaced_on_disk_updates_lane_and_conflicts(make_window, qtbot, tmp_path):
    window = make_window()
    window.controller.toggle("poster-session-12")
    window.controller.toggle("closing-remarks")
    path = tmp_path / "me.ics"
    path.write_text(ics(DENTIST), encoding="utf-8", newline="")
    window.busy_times.open(path)
    qtbot.waitUntil(lambda: lane_titles(window) == ["Dentist appointment"], timeout=10_000)

    replace_atomically(path, ics(INTERVIEW))  # a new inode: the file's own watch ends
    qtbot.waitUntil(lambda: lane_titles(window) == ["Job interview at Rival"], timeout=10_000)
    assert window.controller.conflicts.calendar_counts == {"closing-remarks": 1}

    path.write_text(ics(DENTIST, INTERVIEW), encoding="utf-8", newline="")  # in place
    qtbot.waitUntil(lambda: len(lane_titles(window)) == 2, timeout=10_000)
    assert window.controller.conflicts.calendar_counts == {"poster-session-12": 1,
                                                          "closing-remarks": 1}
    assert "2 sessions clash with your calendar" in window.conflicts_label.text()

    failures: list[str] = []
    window.busy_times.readFailed.connect(failures.append)
    replace_atomically(path, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")  # a save cut short
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert failures == [f"{path}:1: has no complete VCALENDAR (the file may be cut short: "
                        f"expected BEGIN:VCALENDAR … END:VCALENDAR)"]
    assert len(lane_titles(window)) == 2  # what was shown before stays
    assert "kept" in window.statusBar().currentMessage()
    box = getattr(window, "error_box", None)  # a save in progress is no reason for a dialog
    assert box is None or not box.isVisible()

    replace_atomically(path, ics(LUNCH))  # fixed: read again
    qtbot.waitUntil(lambda: lane_titles(window) == ["Lunch with Sam"], timeout=10_000)
    assert window.controller.conflicts.calendar_counts == {}
    assert window.busy_times.last is not None and len(window.busy_times.last.times) == 1


def test_busy_file_that_cannot_be_read_is_one_clear_dialog(make_window, qtbot, tmp_path):
    window = make_window()
    path = tmp_path / "notes.txt"
    path.write_text("not a calendar\n", encoding="utf-8")
    window.busy_times.open(path)
    qtbot.waitUntil(lambda: hasattr(window, "error_box") and window.error_box.isVisible(),
                    timeout=10_000)
    assert window.error_box.text() == "The busy times could not be read"
    assert window.error_box.informativeText() == (
        f"{path}:1: is not an iCalendar file; expected BEGIN:VCALENDAR (export your calendar "
        f"as .ics)")
    window.error_box.close()


def test_busy_file_is_remembered_across_restarts(make_window, qtbot, tmp_path):
    from tests.ui.conftest import iclr_like

    window = make_window()
    path = tmp_path / "me.ics"
    path.write_text(ics(DENTIST), encoding="utf-8", newline="")
    window.busy_times.open(path)
    qtbot.waitUntil(lambda: lane_titles(window) == ["Dentist appointment"], timeout=10_000)
    again = restart(window, make_window, iclr_like())
    qtbot.waitUntil(lambda: lane_titles(again) == ["Dentist appointment"], timeout=10_000)
    assert again.busy_times.clear_action.isEnabled()


def test_window_export_with_busy_times_loaded_has_no_busy_title(make_window, qtbot, tmp_path,
                                                                caplog, data_dir):
    import logging

    from tests.ui.test_export_dialog import export_through_dialog

    caplog.set_level(logging.DEBUG)
    window = make_window()
    for item_id in ("poster-session-12", "closing-remarks"):
        window.controller.toggle(item_id)
    path = tmp_path / "me.ics"
    path.write_text(ics(DENTIST, INTERVIEW), encoding="utf-8", newline="")
    window.busy_times.open(path)
    qtbot.waitUntil(lambda: len(lane_titles(window)) == 2, timeout=10_000)
    assert len(window.controller.conflicts.calendar_counts) == 2  # loaded and clashing
    target = tmp_path / "agenda.ics"
    dialog = export_through_dialog(window, qtbot, target)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    window.settings.sync()
    texts = {str(target): target.read_text(encoding="utf-8").replace("\r\n ", ""),
             "the log": caplog.text, "the status bar": window.statusBar().currentMessage()}
    texts.update({str(p): p.read_bytes().decode("utf-8", "replace")
                  for p in data_dir.rglob("*") if p.is_file()})
    assert "BEGIN:VEVENT" in texts[str(target)]
    for where, text in texts.items():
        for title in ("Dentist", "Rival"):
            assert title not in text, f"{title!r} in {where}"
