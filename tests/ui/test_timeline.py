"""The timeline as a user drives it: keys, zoom, days, lanes, whole days, unscheduled."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from planner.core.model import Program, SessionKind
from planner.core.timezones import to_zone
from planner.ui.timeline import COLLAPSED_WIDTH, ZOOM_LEVELS
from tests.factories import session
from tests.ui.conftest import iclr_like, rooms_program


def test_arrow_keys_move_between_sessions_and_space_stars(make_window, qtbot):
    window = make_window()
    view = window.timeline.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert window.current_id == "poster-session-12"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.current_id == "oral-session-12"
    description = view.accessibleDescription()
    assert description.startswith("Oral Session 12. ")
    oral = window.controller.program.find_session("oral-session-12")
    shown = to_zone(oral.start, window.controller.display_zone)
    # The display is the program's own zone (Vienna): its clock is said once.
    assert f"{shown:%H:%M}" in description and "program time" not in description
    assert "☆" not in description and "Starred" not in description
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.controller.is_starred("oral-session-12")
    assert "★ Starred" in view.accessibleDescription()
    qtbot.keyClick(view, Qt.Key.Key_End)
    last = window.controller.program.find_session(window.current_id)
    timed = [s for s in window.controller.program.sessions if s.start is not None]
    assert last.start == max(s.start for s in timed)  # End goes to the day's last session
    assert view.accessibleDescription().startswith(last.title + ". ")
    assert "Starred" not in view.accessibleDescription()


def test_zoom_by_keys_and_ctrl_wheel_keeps_the_session_in_view(make_window, qtbot):
    window = make_window()
    view = window.timeline.view
    view.select("oral-session-12")
    before = view.pixels_per_hour
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.pixels_per_hour > before
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.pixels_per_hour == before
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.pixels_per_hour == ZOOM_LEVELS[ZOOM_LEVELS.index(before) + 1]
    block = view.block_viewport_rect("oral-session-12")
    assert view.viewport().rect().intersects(block)


def test_days_list_and_day_buttons_jump_between_days(make_window, qtbot):
    window = make_window(zone="America/Los_Angeles")
    view = window.timeline.view
    assert view.days() == [dt.date(2021, 5, 6), dt.date(2021, 5, 7)]
    assert view.day == dt.date(2021, 5, 6)
    assert not window.timeline.previous_day.isEnabled()
    qtbot.mouseClick(window.timeline.next_day, Qt.MouseButton.LeftButton)
    assert view.day == dt.date(2021, 5, 7)
    assert "Friday 7 May 2021" in window.timeline.day_label.text()
    assert window.days_view.currentIndex().row() == 1
    # The list is told (and so repaints its highlight), not only its current index moved.
    selection = window.days_view.selectionModel()
    with qtbot.waitSignal(selection.selectionChanged, timeout=500):
        window.previous_day_action.trigger()  # Alt+PgUp
    assert view.day == dt.date(2021, 5, 6)
    assert [i.row() for i in selection.selectedIndexes()] == [0]
    with qtbot.waitSignal(selection.selectionChanged, timeout=500):
        window.next_day_action.trigger()
    assert [i.row() for i in selection.selectedIndexes()] == [1]
    window.days_view.setCurrentIndex(window.days_model.index(0))
    assert view.day == dt.date(2021, 5, 6)


def test_rooms_are_lanes_that_collapse_and_are_remembered(make_window, qtbot):
    window = make_window(rooms_program(), zone="Europe/Brussels")
    view = window.timeline.view
    layout = view.layout_data
    assert [lane.title for lane in layout.lanes][:3] == ["Room 00", "Room 01", "Room 02"]
    assert len(layout.lanes) == 30
    first = layout.lanes[1]
    header_x = round(view.gutter_width() + first.x - view.horizontalScrollBar().value() + 20)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header_x, view.header_height() // 2))
    assert view.collapsed == {"Room 01"}
    assert view.layout_data.lanes[1].width == COLLAPSED_WIDTH
    view.select("r2-t0")
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert view.collapsed == {"Room 01", "Room 02"}
    window.save_view_state()
    again = make_window(rooms_program(), zone="Europe/Brussels")
    assert again.timeline.view.collapsed == {"Room 01", "Room 02"}


def test_estimated_ends_read_as_estimates(make_window):
    window = make_window()
    view = window.timeline.view
    text = view.describe(window.controller.program.session("poster-session-12"))
    assert "02:00–~04:00" in text and "The end is an estimate" in text
    assert "faded&nbsp;end&nbsp;=&nbsp;end&nbsp;estimated" in window.timeline.legend.text()


def test_unscheduled_and_whole_day_sessions_are_listed_not_lost(make_window, qtbot):
    program = iclr_like()
    whole = session("hackathon", "2021-05-07 00:00", 24 * 60, kind=SessionKind.SOCIAL,
                    all_day=True)
    whole.title = "All-day hackathon"
    cancelled = session("cancelled-talk", "2021-05-07 09:00", 30, kind=SessionKind.TALK,
                        cancelled=True)
    program = Program(name=program.name, source_zone=program.source_zone,
                      sessions=[*program.sessions, whole, cancelled], papers=program.papers,
                      key=program.key)
    window = make_window(program)
    pane = window.timeline
    assert pane.unscheduled_model.rowCount() == 1
    assert "Invited Talk" in pane.unscheduled_model.index(0).data()
    assert pane.all_day_model.rowCount() == 1
    assert "Fri 7 May, all day" in pane.all_day_model.index(0).data()
    view = pane.view
    assert view.block_for("hackathon") is None  # not stretched over the clock
    assert view.layout_data.start.astimezone(window.controller.display_zone).hour == 2
    index = window.proxy.indexes_of("cancelled-talk")[0].siblingAtColumn(3)
    assert index.data() == "Cancelled: Cancelled Talk"
    assert index.data(Qt.ItemDataRole.FontRole).strikeOut()
    qtbot.mouseClick(pane.unscheduled.viewport(), Qt.MouseButton.LeftButton,
                     pos=pane.unscheduled.visualRect(pane.unscheduled_model.index(0)).center())
    assert window.current_id == "invited-talk"


def test_legend_names_the_colours_in_view(make_window, qtbot):
    window = make_window(zone="Asia/Kolkata")
    pane = window.timeline
    assert "Poster&nbsp;session" in pane.legend.text()
    window.select_item("workshop-b")  # scrolls down to the afternoon workshops
    qtbot.waitUntil(lambda: "Workshop" in pane.legend.text(), timeout=2000)
    assert pane.legend_timer.interval() == 120


def test_wrap_lines_marks_cut_titles_with_an_ellipsis(qapp):
    from PySide6.QtGui import QFont, QFontMetrics

    from planner.ui.timeline import wrap_lines

    metrics = QFontMetrics(QFont())
    title = "Correctiv-Recherche zu Geheimtreffen und was daraus folgt"
    width = metrics.horizontalAdvance("Correctiv-Recherche zu") + 2
    one = wrap_lines(metrics, title, width, 1)
    assert len(one) == 1 and one[0].endswith("…")
    two = wrap_lines(metrics, title, width, 2)
    assert len(two) == 2 and two[0] == "Correctiv-Recherche zu" and two[1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= width for line in one + two)
    assert wrap_lines(metrics, "Short", width, 3) == ["Short"]
