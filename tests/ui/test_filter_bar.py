"""Filters belong to a program, and whatever they hide is said in a line with a way back."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from planner.core import timezones as tz
from planner.ui.filter_bar import hidden_text
from tests.ui.conftest import iclr_like, rooms_program


def test_hide_what_is_over_does_not_empty_the_next_program(make_window, qtbot):
    # Mid-2025: the ICLR-like day (2021) is over, the rooms conference (Feb 2025) too.
    clock = lambda: tz.to_utc(dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC))  # noqa: E731
    window = make_window(rooms_program(rooms=3), clock=clock)
    window.hide_over.setChecked(True)
    qtbot.waitUntil(lambda: window.hidden_bar.isVisible(), timeout=1000)
    assert "hidden by filters" in window.hidden_bar.label.text()
    window.show_program(iclr_like())
    assert not window.hide_over.isChecked() and not window.proxy.filters.hide_over
    assert window.proxy.rowCount() == len(window.controller.program.sessions)
    qtbot.wait(100)
    assert not window.hidden_bar.isVisible()
    # Back to the first program: its filter is back too.
    window.show_program(rooms_program(rooms=3))
    assert window.hide_over.isChecked() and window.proxy.filters.hide_over


def test_unchecked_kinds_stay_with_their_program(make_window, qtbot):
    window = make_window()
    window.kind_facet.only("workshop")
    assert window.proxy.filters.kinds == {"workshop"}
    window.show_program(rooms_program(rooms=2))
    assert window.kind_facet.unchecked == set() and window.proxy.filters.kinds is None
    window.show_program(iclr_like())
    assert window.proxy.filters.kinds == {"workshop"}


def test_hidden_line_counts_and_show_all_resets(make_window, qtbot):
    window = make_window(rooms_program(rooms=3, per_room=4))
    bar = window.hidden_bar
    assert not bar.isVisible()
    window.room_facet.only("Room 01")
    qtbot.waitUntil(bar.isVisible, timeout=1000)
    assert bar.label.text() == "8 of 12 sessions hidden by filters"
    assert bar.show_all.isVisible()
    qtbot.mouseClick(bar.show_all, Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 12 and window.room_facet.unchecked == set()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=1000)


def test_search_says_how_many_match(make_window, qtbot):
    window = make_window()
    window.search.setText("workshop")
    window.apply_search()
    qtbot.waitUntil(window.hidden_bar.isVisible, timeout=1000)
    assert window.hidden_bar.label.text() == "2 sessions match “workshop” · 4 hidden"


def test_hidden_text_plurals():
    assert hidden_text(1, 1, "rust", False) == "1 session matches “rust”"
    assert hidden_text(0, 945, "zzz", False) == "0 sessions match “zzz” · 945 hidden"
    assert hidden_text(914, 945, "", True) == "31 of 945 sessions hidden by filters"
    assert hidden_text(945, 945, "", True) == ""
