"""Search narrows the list (debounced; every term must match); filters narrow both views."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from planner.core import timezones as tz
from planner.core.model import SessionKind
from planner.ui.main_window import TAB_LIST
from planner.ui.models import ITEM_ROLE
from tests.ui.conftest import rooms_program, vienna


def shown_sessions(window) -> list[str]:
    proxy = window.proxy
    return [proxy.index(row, 0).data(ITEM_ROLE).id for row in range(proxy.rowCount())]


def shown_papers(window, session_id: str) -> list[str]:
    proxy = window.proxy
    parent = proxy.indexes_of(session_id)[0]
    return [proxy.index(row, 0, parent).data(ITEM_ROLE).id
            for row in range(proxy.rowCount(parent))]


def test_search_typed_in_the_box_narrows_the_list(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_LIST)
    everything = shown_sessions(window)
    assert len(everything) == 6
    qtbot.keyClicks(window.search, "molecul")
    assert shown_sessions(window) == everything  # debounced: nothing yet
    qtbot.waitUntil(lambda: len(shown_sessions(window)) < len(everything), timeout=2000)
    # The paper is in both sessions; only those sessions and only that paper are listed.
    assert sorted(shown_sessions(window)) == ["oral-session-12", "poster-session-12"]
    assert shown_papers(window, "poster-session-12") == ["p-mars"]
    assert window.list_view.isExpanded(window.proxy.indexes_of("poster-session-12")[0])
    # The timeline draws the same sessions.
    drawn = {b.session.id for b in window.timeline.view.layout_data.blocks}
    assert drawn == {"poster-session-12", "oral-session-12"}


def test_every_term_must_match(make_window, qtbot):
    window = make_window()
    window.search.setText("contrast unsupervised")
    window.apply_search()
    assert shown_sessions(window) == ["poster-session-12"]
    window.search.setText("contrast molecules")  # in two different papers: still the session
    window.apply_search()
    assert shown_sessions(window) == ["poster-session-12"]
    assert sorted(shown_papers(window, "poster-session-12")) == ["p-co2", "p-derived", "p-mars"]
    window.search.setText("contrast nothingmatches")
    window.apply_search()
    assert shown_sessions(window) == []
    assert "hidden by search" in window.timeline.day_label.text()


def test_search_covers_kinds_rooms_tracks_and_descriptions(make_window):
    window = make_window()
    for query, expected in (("energy", ["workshop-b"]), ("poster session", ["poster-session-12"]),
                            ("virtual", ["poster-session-12"])):
        window.search.setText(query)
        window.apply_search()
        assert shown_sessions(window) == expected, query
    window.reset_filters()
    assert len(shown_sessions(window)) == 6


def test_kind_filter_and_starred_only(make_window):
    window = make_window()
    keys = [key for key, _, _ in window.kind_facet.values]
    window.kind_facet.only(SessionKind.WORKSHOP.value)
    assert sorted(shown_sessions(window)) == ["workshop-a", "workshop-b"]
    assert SessionKind.POSTER.value in keys
    window.kind_facet.set_all(True)
    window.controller.toggle("p-co2")
    window.starred_only.setChecked(True)
    assert shown_sessions(window) == ["poster-session-12"]
    assert shown_papers(window, "poster-session-12") == ["p-co2"]
    window.controller.toggle("p-co2")  # unstarred while filtering: the row goes
    assert shown_sessions(window) == []


def test_hide_what_is_over_uses_the_clock(make_window):
    now = vienna("2021-05-07 05:00")
    window = make_window(clock=lambda: now)
    window.hide_over.setChecked(True)
    shown = shown_sessions(window)
    assert "poster-session-12" not in shown  # ended 04:00
    assert "oral-session-12" in shown  # under way
    assert "invited-talk" in shown  # no time: never over


def test_now_line_is_drawn_when_the_program_is_under_way(make_window):
    now = vienna("2021-05-07 05:00")
    window = make_window(clock=lambda: now)
    view = window.timeline.view
    layout = view.layout_data
    assert layout.start <= now <= layout.end
    window.now_action.trigger()  # Ctrl+Shift+N
    assert view.top_time() <= now


def test_room_and_track_filters_on_a_program_with_rooms(make_window):
    window = make_window(rooms_program(), zone="Europe/Brussels")
    assert window.room_box.isVisibleTo(window) and window.track_box.isVisibleTo(window)
    window.track_facet.only("Track 3")
    view = window.timeline.view
    lanes = [lane.title for lane in view.layout_data.lanes]
    assert lanes == ["Room 03", "Room 10", "Room 17", "Room 24"]
    window.room_facet.only("Room 10")
    assert [lane.title for lane in view.layout_data.lanes] == ["Room 10"]


def test_list_sorts_by_title_and_back_by_time(make_window, qtbot):
    window = make_window()
    window.show_tab(TAB_LIST)
    header = window.list_view.header()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 10, 5))
    titles = [window.proxy.index(r, 3).data() for r in range(window.proxy.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    window.list_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    first = window.proxy.index(0, 0).data(ITEM_ROLE)
    assert first.id == "poster-session-12"
    assert first.start == vienna("2021-05-07 02:00")
    assert tz.to_utc(first.start) == dt.datetime(2021, 5, 7, 0, 0, tzinfo=tz.UTC)
