"""Close mid-day and reopen: same program, zone, place in the timeline, view and stars."""

from __future__ import annotations

import datetime as dt

from planner.ui.main_window import TAB_LIST
from tests.ui.conftest import iclr_like, restart


def test_reopening_restores_zone_place_zoom_tab_selection_and_stars(make_window, qtbot):
    window = make_window(zone="America/Los_Angeles")
    window.controller.set_display_zone("Asia/Kolkata")  # remembered
    view = window.timeline.view
    view.set_zoom(120)
    view.set_day(dt.date(2021, 5, 7), keep_time=False)
    window.controller.toggle("workshop-b")
    window.select_item("workshop-b")  # brings it into view
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)  # scroll away
    top = view.top_time()
    window.show_tab(TAB_LIST)
    geometry = window.geometry().size()

    again = restart(window, make_window, iclr_like(), zone=None)
    assert again.controller.display_zone_name == "Asia/Kolkata"
    assert again.tabs.currentIndex() == TAB_LIST
    assert again.current_id == "workshop-b"
    assert "Workshop B on Energy" in again.details.toPlainText()
    assert again.controller.is_starred("workshop-b")
    restored = again.timeline.view
    assert restored.pixels_per_hour == 120
    assert restored.day == dt.date(2021, 5, 7)
    assert abs((restored.top_time() - top).total_seconds()) < 120
    assert again.geometry().size() == geometry
