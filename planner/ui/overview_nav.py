"""The overview in the window: its tab, and going from it to a session or an hour in the
timeline.

Kept out of :mod:`planner.ui.main_window` (the window only names the widget); the window's
``set_current`` and ``show_tab`` do the selecting, as for every other view.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from planner.core import timezones
from planner.ui.overview_view import OverviewView
from planner.ui.window_views import TAB_OVERVIEW, TAB_TIMELINE

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

TIME_CONTEXT = dt.timedelta(minutes=15)  # a little of what comes before the hour clicked


def build_overview_tab(window: MainWindow) -> OverviewView:
    """The fourth tab, wired to the window's selection, stars and timeline."""
    view = OverviewView(window.controller, window.proxy)
    window.overview = view
    index = window.tabs.addTab(view, "&Overview")
    assert index == TAB_OVERVIEW
    window.tabs.setTabToolTip(index, "Every day of the conference side by side (Ctrl+4)")
    view.sessionActivated.connect(lambda session_id: go_to_session(window, session_id))
    view.timeActivated.connect(lambda moment: go_to_time(window, moment))
    view.focused.connect(lambda session_id: window.set_current(session_id, session_id,
                                                               TAB_OVERVIEW))
    view.starRequested.connect(window.controller.toggle)
    return view


def go_to_session(window: MainWindow, session_id: str) -> None:
    """The timeline, scrolled to the session and selecting it; the details show it."""
    window.set_current(session_id, session_id, TAB_OVERVIEW)
    window.show_tab(TAB_TIMELINE)  # the tab change reveals the current item in the timeline
    window.timeline.view.select(session_id, reveal=True)


def go_to_time(window: MainWindow, moment: dt.datetime) -> None:
    """The timeline at that day and hour (display zone)."""
    view = window.timeline.view
    window.show_tab(TAB_TIMELINE)
    day = timezones.to_zone(moment, window.controller.display_zone).date()
    if day in view.days():
        view.set_day(day, keep_time=False)
        view.scroll_to_time(moment - TIME_CONTEXT)
