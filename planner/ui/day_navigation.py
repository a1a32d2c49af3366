"""The day in view and the Days list follow each other; Go to Now finds today's hour."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView

from planner.core import timezones
from planner.ui import timefmt
from planner.ui.window_views import TAB_LIST, TAB_TIMELINE

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def on_day_clicked(window: MainWindow, index: QModelIndex) -> None:
    """A day chosen in the Days list: the timeline shows it, the list scrolls to it."""
    day = window.days_model.day_at(index.row())
    if day is not None and day != window.timeline.view.day:
        window.timeline.view.set_day(day)
        if window.tabs.currentIndex() == TAB_LIST:
            scroll_list_to_day(window, day)


def scroll_list_to_day(window: MainWindow, day: dt.date) -> None:
    sessions = window.controller.sessions_by_day().get(day, [])
    for session in sorted(sessions, key=lambda s: s.start):  # type: ignore[arg-type,return-value]
        indexes = window.proxy.indexes_of(session.id)
        if indexes:
            window.list_view.scrollTo(indexes[0], QAbstractItemView.ScrollHint.PositionAtTop)
            return


def on_timeline_day(window: MainWindow, day: object) -> None:
    """The timeline moved to another day: the Days list marks it."""
    if not isinstance(day, dt.date):
        return
    row = window.days_model.row_of(day)
    if row >= 0 and window.days_view.currentIndex().row() != row:
        # Not with the selection model's signals blocked: the list would keep drawing the
        # old day as selected. (on_day_clicked sees the day is shown and does nothing.)
        window.days_view.setCurrentIndex(window.days_model.index(row))


def go_to_now(window: MainWindow) -> None:
    now = window.controller.now()
    day = timezones.to_zone(now, window.controller.display_zone).date()
    view = window.timeline.view
    if day not in view.days():
        window.statusBar().showMessage(
            f"The program is not on today ({timefmt.day_label(day)}).", 5000)
        return
    window.show_tab(TAB_TIMELINE)
    view.set_day(day, keep_time=False)
    view.scroll_to_time(now - dt.timedelta(minutes=30))
