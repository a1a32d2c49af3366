"""The conference overview as a user drives it: days side by side, stars, conflicts, going to
the timeline, the keyboard, filters, zones, real programs."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from planner.core import timezones as tz
from planner.core.model import Program, SessionKind
from planner.importers import load_program
from planner.ui import icons
from planner.ui.main_window import TAB_LIST, TAB_OVERVIEW, TAB_TIMELINE, MainWindow
from planner.ui.overview_layout import MIN_DAY_WIDTH
from tests.factories import session
from tests.ui.conftest import iclr_like, restart


def three_days() -> Program:
    """Three days in Vienna: two overlapping workshops on Tuesday, a talk each day."""
    sessions = [
        session("mon-talk", "2021-05-03 09:00", 60, kind=SessionKind.TALK, room="Hall A"),
        session("mon-late", "2021-05-03 16:00", 90, kind=SessionKind.TALK, room="Hall B"),
        session("tue-ws-a", "2021-05-04 10:00", 120, room="Room 1"),
        session("tue-ws-b", "2021-05-04 11:00", 120, room="Room 2"),
        session("wed-talk", "2021-05-05 14:00", 45, kind=SessionKind.TALK, room="Hall A"),
    ]
    return Program(name="Three days", source_zone="Europe/Vienna", sessions=sessions,
                   key="three-days")


def shown(window: MainWindow, qtbot=None) -> None:
    window.activateWindow()
    if qtbot is not None:  # keyboard tests: the window must have the focus
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.show_view("overview")
    QApplication.processEvents()


def pixel(window: MainWindow, point: QPoint) -> QColor:
    image = window.overview.viewport().grab().toImage()
    return image.pixelColor(point)


def close_to(colour: QColor, wanted: QColor, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in
               zip(colour.getRgb()[:3], wanted.getRgb()[:3], strict=True))


def test_view_overview_is_the_fourth_tab_and_is_remembered(make_window, qtbot):
    window = make_window(three_days())
    shown(window, qtbot)  # show_view("overview") was a KeyError: show_tab knew three tabs
    assert window.tabs.currentIndex() == TAB_OVERVIEW
    assert window.tabs.tabText(TAB_OVERVIEW) == "&Overview"
    assert window.overview.hasFocus()
    window.show_tab(TAB_LIST)
    window.tab_actions[TAB_OVERVIEW].trigger()  # View > Overview, Ctrl+4
    assert window.tabs.currentIndex() == TAB_OVERVIEW
    assert window.tab_actions[TAB_OVERVIEW].shortcut().toString() == "Ctrl+4"
    again = restart(window, make_window, three_days())
    assert again.tabs.currentIndex() == TAB_OVERVIEW


def test_columns_are_the_days_of_the_display_zone_and_follow_a_zone_change(make_window):
    window = make_window(iclr_like())
    shown(window)
    layout = window.overview.layout_data
    assert [c.day for c in layout.columns] == [dt.date(2021, 5, 7)]  # 16:00-00:00 ends Fri
    assert window.overview.day_title(layout.columns[0])[0] == "Fri 7 May"
    window.controller.set_display_zone("America/Los_Angeles")  # 02:00 Vienna: Thu 17:00
    layout = window.overview.layout_data
    assert [c.day for c in layout.columns] == [dt.date(2021, 5, 6), dt.date(2021, 5, 7)]
    thursday = [b.session.id for b in layout.columns[0].blocks]
    assert "poster-session-12" in thursday and "workshop-b" not in thursday
    poster = layout.block_for("poster-session-12")
    assert poster.top == layout.y_of_minute(17 * 60)  # 02:00 CEST is 17:00 PDT


def test_blocks_sit_at_their_day_and_time_on_screen(make_window):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    layout = view.layout_data
    rect = view.block_viewport_rect("wed-talk")
    wednesday = layout.columns[2]
    origin = view.content_origin()
    assert rect.left() >= round(wednesday.x + origin.x()) - 1
    assert rect.right() <= round(wednesday.x + wednesday.width + origin.x())
    assert abs(rect.top() - (layout.y_of_minute(14 * 60) + origin.y())) <= 1
    assert abs(rect.height() - 0.75 * layout.pixels_per_hour) <= 2
    # Every column in view at 1280 wide: no sideways scrolling for three days.
    assert view.horizontalScrollBar().maximum() == 0
    assert view.block_at(rect.center()).session.id == "wed-talk"


def test_starred_sessions_are_gold_and_counted_and_a_star_elsewhere_repaints(make_window):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    centre = view.block_viewport_rect("mon-talk").center()
    assert not close_to(pixel(window, centre), icons.STAR_GOLD)
    assert view.day_title(view.layout_data.columns[0])[0] == "Mon 3 May"
    window.controller.toggle("mon-talk")  # starred in another view
    QApplication.processEvents()
    centre = view.block_viewport_rect("mon-talk").center()
    assert close_to(pixel(window, centre), icons.STAR_GOLD)
    assert view.day_title(view.layout_data.columns[0])[0] == "Mon 3 May · 1★"
    window.controller.toggle("mon-talk")
    QApplication.processEvents()
    assert not close_to(pixel(window, view.block_viewport_rect("mon-talk").center()),
                        icons.STAR_GOLD)


def test_a_session_with_a_starred_paper_is_marked_half_starred(make_window):
    window = make_window(iclr_like())
    shown(window)
    window.controller.toggle("p-co2")  # a paper of the poster session only
    QApplication.processEvents()
    view = window.overview
    friday = view.layout_data.columns[0]
    assert view.day_title(friday)[0] == "Fri 7 May · 1★"
    assert "½★ 1 of its papers starred" in view.describe(
        window.controller.program.find_session("poster-session-12"))


def test_conflicts_among_starred_sessions_get_a_red_edge_and_a_count(make_window):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    window.controller.set_starred(["tue-ws-a", "tue-ws-b"], True)
    QApplication.processEvents()
    tuesday = view.layout_data.columns[1]
    assert view.day_title(tuesday)[1] == "2 sessions · ⚠ 2"
    rect = view.block_viewport_rect("tue-ws-a")
    edge = QPoint(rect.left() + 2, rect.center().y() + 10)
    assert close_to(pixel(window, edge), icons.CONFLICT_RED)
    assert "⚠" in view.describe(window.controller.program.find_session("tue-ws-a"))
    window.controller.toggle("tue-ws-b")
    QApplication.processEvents()
    assert view.day_title(view.layout_data.columns[1])[1] == "2 sessions"
    rect = view.block_viewport_rect("tue-ws-a")
    assert not close_to(pixel(window, QPoint(rect.left() + 2, rect.center().y() + 10)),
                        icons.CONFLICT_RED)


def test_clicking_a_block_shows_it_selected_in_the_timeline(make_window, qtbot):
    window = make_window(three_days())
    shown(window)
    rect = window.overview.block_viewport_rect("wed-talk")
    qtbot.mouseClick(window.overview.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == TAB_TIMELINE
    timeline = window.timeline.view
    assert timeline.selected_id == "wed-talk" and window.current_id == "wed-talk"
    assert timeline.day == dt.date(2021, 5, 5)
    assert timeline.viewport().rect().intersects(timeline.block_viewport_rect("wed-talk"))
    assert "Wed Talk" in window.details.toPlainText()


def test_clicking_an_empty_spot_goes_to_that_day_and_hour(make_window, qtbot):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    layout = view.layout_data
    tuesday = layout.columns[1]
    origin = view.content_origin()
    spot = QPoint(round(tuesday.x + tuesday.width / 2 + origin.x()),
                  round(layout.y_of_minute(15 * 60 + 5) + origin.y()))
    assert view.block_at(spot) is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert window.tabs.currentIndex() == TAB_TIMELINE
    timeline = window.timeline.view
    assert timeline.day == dt.date(2021, 5, 4)
    top = tz.wall_clock(timeline.top_time(), window.controller.display_zone)
    assert top.date() == dt.date(2021, 5, 4)
    # 15:00 (the quarter hour clicked) with a quarter of an hour before it, or the last
    # place the timeline can scroll to. To the pixel: Tuesday afternoon is in the shortened
    # (empty) night of the continuous timeline, where a pixel is many minutes.
    bar = timeline.verticalScrollBar()
    wanted = tz.localize(dt.datetime(2021, 5, 4, 14, 45), window.controller.display_zone)
    one_pixel = timeline.moment_at(bar.value() + 1) - timeline.moment_at(bar.value())
    assert abs(timeline.top_time() - wanted) <= one_pixel or bar.value() == bar.maximum()


def test_keyboard_moves_between_blocks_and_days_stars_and_goes(make_window, qtbot):
    window = make_window(three_days())
    shown(window, qtbot)
    view = window.overview
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)  # nothing chosen yet: the first block in view
    assert view.focus_id == "mon-talk" and window.current_id == "mon-talk"
    assert view.accessibleDescription().startswith("Mon Talk. Mon 3 May 09:00–10:00")
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.focus_id == "mon-late"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.focus_id in ("tue-ws-a", "tue-ws-b")
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.focus_id == "tue-ws-a"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.focus_id == "wed-talk"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # no day after: stays
    assert view.focus_id == "wed-talk"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.controller.is_starred("wed-talk")
    assert "★ Starred" in view.accessibleDescription()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == TAB_TIMELINE
    assert window.timeline.view.selected_id == "wed-talk"
    assert window.timeline.view.hasFocus()
    window.show_tab(TAB_OVERVIEW)  # back: the same session is the keyboard's
    assert view.focus_id == "wed-talk"


def test_filters_hide_blocks_and_the_header_says_so(make_window):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    assert len(view.layout_data.columns[0].blocks) == 2
    window.kind_facet.only(SessionKind.WORKSHOP.value)  # Kinds: only workshops
    QApplication.processEvents()
    monday, tuesday, _wednesday = view.layout_data.columns
    assert monday.blocks == [] and view.day_title(monday)[1] == "0 sessions · 2 hidden"
    assert {b.session.id for b in tuesday.blocks} == {"tue-ws-a", "tue-ws-b"}
    assert view.block_viewport_rect("mon-talk").isNull()
    window.reset_filters()
    QApplication.processEvents()
    assert len(view.layout_data.columns[0].blocks) == 2


def test_tooltip_text_names_title_time_and_room(make_window):
    window = make_window(three_days())
    shown(window)
    text = window.overview.describe(window.controller.program.find_session("tue-ws-b"))
    assert text.split("\n")[:3] == ["Tue Ws B", "Tue 4 May 11:00–13:00 CEST",
                                    "Workshop · Room 2"]


def real(shared_data, name: str) -> Program:
    return load_program(shared_data / "frab-xml" / name)


def test_38c3_in_berlin_and_new_york_columns_are_the_days_sessions_touch(make_window,
                                                                        shared_data):
    program = real(shared_data, "frab-xml_38c3.xml")
    window = make_window(program, zone="Europe/Berlin")
    shown(window)
    for zone in ("Europe/Berlin", "America/New_York"):
        window.controller.set_display_zone(zone)
        display = window.controller.display_zone
        expected: set[dt.date] = set()
        for item in program.sessions:
            if item.start is None or item.all_day:
                continue
            end = item.end or item.start
            first = tz.to_zone(item.start, display).date()
            last = tz.to_zone(max(item.start, end - dt.timedelta(microseconds=1)),
                              display).date()
            expected |= {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
        layout = window.overview.layout_data
        assert [c.day for c in layout.columns] == sorted(expected)
        timed = [s for s in program.sessions if s.start is not None and not s.all_day]
        assert len({b.session.id for c in layout.columns for b in c.blocks}) == len(timed)
    # New York: the Hamburg evening is the New York afternoon; the first talk at 10:30 CET
    # is at 04:30 EST.
    opening = next(b for b in layout.columns[0].blocks if b.session.id == "e-2")
    assert opening.top == layout.y_of_minute(4 * 60 + 30)


def test_fosdem_at_1024_by_700_shares_the_width_and_packs_rooms(make_window, shared_data):
    program = real(shared_data, "frab-xml_fosdem2020.xml")
    window = make_window(program, zone="Europe/Brussels")
    window.resize(1024, 700)
    shown(window)
    view = window.overview
    layout = view.layout_data
    assert [c.day for c in layout.columns] == [dt.date(2020, 2, 1), dt.date(2020, 2, 2)]
    visible = view.viewport().width() - view.gutter_width()
    assert all(c.width >= MIN_DAY_WIDTH for c in layout.columns)
    assert layout.width <= max(visible, 2 * MIN_DAY_WIDTH)
    saturday = layout.columns[0]
    assert len(saturday.blocks) > 300 and max(b.columns for b in saturday.blocks) > 20
    blocks = saturday.blocks
    for i, a in enumerate(blocks):
        for b in blocks[i + 1:i + 60]:
            overlap = (a.left < b.right - 1e-6 and b.left < a.right - 1e-6
                       and a.top < b.bottom - 1e-6 and b.top < a.bottom - 1e-6)
            assert not overlap, (a.session.id, b.session.id)


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 700)])
def test_many_days_scroll_sideways_beyond_the_minimum_width(make_window, qtbot, size):
    sessions = [session(f"d{day}-s{i}", f"2021-06-{day + 1:02d} {9 + i:02d}:00", 50,
                        room=f"Room {i}") for day in range(10) for i in range(4)]
    window = make_window(Program(name="Ten days", source_zone="Europe/Vienna",
                                 sessions=sessions, key="ten-days"))
    window.resize(*size)
    shown(window)
    view = window.overview
    layout = view.layout_data
    assert len(layout.columns) == 10
    assert all(c.width >= MIN_DAY_WIDTH for c in layout.columns)
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0
    centre = QPointF(view.viewport().rect().center())
    QApplication.sendEvent(view.viewport(), QWheelEvent(
        centre, view.mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ShiftModifier, Qt.ScrollPhase.NoScrollPhase, False))
    assert bar.value() > 0  # Shift+wheel scrolls sideways
    bar.setValue(0)
    view.setFocus()
    view.select("d0-s0")
    for _ in range(9):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.focus_id == "d9-s0"
    assert bar.value() > 0  # scrolled to keep the focused day in view
    assert view.viewport().rect().intersects(view.block_viewport_rect("d9-s0"))


def test_busy_times_show_as_a_strip_and_clash_with_a_starred_session(make_window):
    from planner.core.busy import BusyTime

    window = make_window(three_days())
    shown(window)
    view = window.overview
    zone = tz.get_zone("Europe/Vienna")
    dentist = BusyTime(tz.localize(dt.datetime(2021, 5, 3, 9, 30), zone),
                       tz.localize(dt.datetime(2021, 5, 3, 10, 30), zone), "Dentist")
    window.controller.toggle("mon-talk")  # 09:00-10:00
    window.controller.set_busy_times([dentist])
    QApplication.processEvents()
    monday = view.layout_data.columns[0]
    (bar,) = monday.busy
    assert bar.top == view.layout_data.y_of_minute(9 * 60 + 30)
    assert view.day_title(monday)[1] == "2 sessions · ⚠ 1"  # the talk clashes with it
    origin = view.content_origin()
    strip = QPoint(round(monday.x + origin.x() + 2), round((bar.top + bar.bottom) / 2
                                                          + origin.y()))
    assert pixel(window, strip).lightness() < 200  # a grey strip on the white column
    assert "Dentist" not in view.describe(window.controller.program.find_session("mon-talk"))


def test_clicking_a_days_header_opens_that_day_in_the_timeline(make_window, qtbot):
    window = make_window(three_days())
    shown(window)
    view = window.overview
    wednesday = view.layout_data.columns[2]
    spot = QPoint(round(wednesday.x + 20 + view.content_origin().x()), 5)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert window.tabs.currentIndex() == TAB_TIMELINE
    assert window.timeline.view.day == dt.date(2021, 5, 5)
