"""Days on the continuous timeline: which day is in view, and going to a day by scrolling.

The timeline lays the whole conference out on one axis (:mod:`planner.ui.timeline_axis`), so a
"day" is a place to scroll to, not a page: the day in view is the one whose band is at or above
the top of the view, and it follows every scroll step (the Days list and the day bar follow it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from planner.core import timezones
from planner.ui.timeline_axis import TOP_PAD
from planner.ui.under_way import opening_place

if TYPE_CHECKING:
    from planner.ui.timeline_view import TimelineView


def day_in_view(view: TimelineView) -> dt.date | None:
    """The display-zone day at the top of the view (just below the header's hour label)."""
    layout = view.layout_data
    if layout is None:
        return None
    return layout.axis.day_at(view.verticalScrollBar().value() + TOP_PAD + 2)


def follow_scroll(view: TimelineView) -> None:
    """After a scroll: when another day came into view, say so (``dayChanged``)."""
    if view.layout_data is None:
        return
    day = day_in_view(view)
    if day is not None and day != view.day:
        view.day = day
        view.dayChanged.emit(day)


def go_to_day(view: TimelineView, day: dt.date | None, keep_time: bool = False) -> None:
    """Scroll to ``day``: its band just below the header; with ``keep_time``, the same time of
    day as is at the top now (on the wall clock of the display zone)."""
    layout = view.layout_data
    if layout is None or day is None:
        view.day = day
        view.dayChanged.emit(day)
        return
    top = view.top_time() if keep_time else None
    target = layout.axis.day_top(day)
    if top is not None:
        zone = view.controller.display_zone
        wall = timezones.wall_clock(top, zone).time()
        moment = timezones.localize(dt.datetime.combine(day, wall), zone)
        view.scroll_to_time(moment)
    elif target is not None:
        view.verticalScrollBar().setValue(round(target - TOP_PAD))
    view.day = day  # even when the bar could not move (a short last day), the user chose it
    view.dayChanged.emit(day)


def step_day(view: TimelineView, delta: int) -> None:
    """The next (``delta`` 1) or previous (-1) program day's start, by scrolling."""
    days = view.days()
    if not days:
        return
    if view.day not in days:
        later = [d for d in days if view.day is None or (d > view.day if delta > 0
                                                         else d < view.day)]
        target = (later[0] if delta > 0 else later[-1]) if later else days[0]
    else:
        target = days[max(0, min(len(days) - 1, days.index(view.day) + delta))]
    go_to_day(view, target)


def open_at_now(view: TimelineView) -> bool:
    """A program under way shows today from the current hour (display zone's clocks)."""
    program = view.controller.program
    if program is None:
        return False
    place = opening_place(program.sessions, view.days(), view.controller.now(),
                          view.controller.display_zone)
    if place is None:
        return False
    day, hour = place
    go_to_day(view, day)
    if hour is not None and view.layout_data is not None:
        # The hour's line just below the header, its label readable.
        view.verticalScrollBar().setValue(round(view.y_of(hour) - TOP_PAD))
        follow_scroll(view)
    return True
