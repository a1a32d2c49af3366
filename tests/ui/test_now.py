"""A program under way opens at now; the "now" label never covers an hour label."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import timezones as tz
from planner.ui.timeline_gutter import gutter_labels
from planner.ui.timeline_layout import TOP_PAD, ZOOM_LEVELS
from tests.ui.conftest import restart, vienna


def los_angeles(text: str) -> dt.datetime:
    return tz.localize(dt.datetime.fromisoformat(text), tz.get_zone("America/Los_Angeles"))


def test_a_program_under_way_opens_today_at_the_current_hour(make_window):
    now = vienna("2021-05-07 15:37")  # 06:37 in Los Angeles, on its second program day
    window = make_window(zone="America/Los_Angeles", clock=lambda: now)
    view = window.timeline.view
    assert view.days() == [dt.date(2021, 5, 6), dt.date(2021, 5, 7)]
    assert view.day == dt.date(2021, 5, 7)
    # The current hour's line is just below the header, where its label can be read.
    assert view.y_of(los_angeles("2021-05-07 06:00")) - view.verticalScrollBar().value() \
        == TOP_PAD
    assert window.days_view.currentIndex().row() == 1  # the Days list follows


def test_under_way_wins_over_the_saved_place_and_a_finished_program_keeps_it(make_window):
    clock_now = [vienna("2021-05-07 15:37")]
    window = make_window(zone="America/Los_Angeles", clock=lambda: clock_now[0])
    view = window.timeline.view
    view.set_day(dt.date(2021, 5, 6), keep_time=False)
    view.scroll_to_time(los_angeles("2021-05-06 18:00"))
    window.close()
    window.controller.store.close()
    window = make_window(window.controller.program, zone="America/Los_Angeles",
                         clock=lambda: clock_now[0])
    assert window.timeline.view.day == dt.date(2021, 5, 7)
    view = window.timeline.view
    assert view.y_of(los_angeles("2021-05-07 06:00")) - view.verticalScrollBar().value() \
        == TOP_PAD
    # A year later the program is over: it opens where the user left it.
    clock_now[0] = vienna("2022-05-07 15:37")
    view = window.timeline.view
    view.set_day(dt.date(2021, 5, 6), keep_time=False)
    view.scroll_to_time(los_angeles("2021-05-06 17:00"))
    left_at = view.top_time()
    assert left_at is not None and left_at.date() == dt.date(2021, 5, 6)
    window = restart(window, make_window, window.controller.program, "America/Los_Angeles")
    assert window.timeline.view.day == dt.date(2021, 5, 6)
    assert window.timeline.view.top_time() == left_at


def test_a_program_not_yet_started_opens_on_its_first_day(make_window):
    window = make_window(zone="America/Los_Angeles", clock=lambda: vienna("2021-05-01 12:00"))
    assert window.timeline.view.day == dt.date(2021, 5, 6)


@pytest.mark.parametrize("zone", ["Europe/Vienna", "America/Los_Angeles"])  # one and two clocks
@pytest.mark.parametrize("zoom", [ZOOM_LEVELS[0], 60, 90])
def test_the_now_label_does_not_overlap_an_hour_label(make_window, zone, zoom):
    times = [vienna("2021-05-07 03:00") + dt.timedelta(minutes=m) for m in range(0, 56, 2)]
    current = [times[0]]
    window = make_window(zone=zone, clock=lambda: current[0])
    view = window.timeline.view
    view.set_zoom(zoom)
    gutter = view.gutter_width()
    for moment in times:
        current[0] = moment
        view.scroll_to_time(moment - dt.timedelta(hours=1))
        layout = view.layout_data
        labels = view.painter.gutter_labels(layout, view.content_origin(), view.header_height())
        assert labels.now is not None and labels.now_y is not None
        # By its line (next to it, or next to the hour label on it).
        assert abs(labels.now.center().y() - labels.now_y) <= 1.6 * labels.now.height()
        assert labels.now.left() >= 0 and labels.now.right() <= gutter
        drawn = [rect for _mark, display, program in labels.marks
                 for rect in (display, program) if rect is not None]
        assert len(labels.marks) >= 1
        for rect in drawn:
            assert not rect.intersects(labels.now), (moment, rect, labels.now)
        # Hour labels give way only when both places beside the line are taken.
        without = gutter_labels(layout, view.content_origin().y(), view.font_metrics(),
                                view.gutter_column_width(), view.two_clocks(), None,
                                view.header_height(), view.viewport().height())
        gone = [m for m in without.marks if m[0] not in [k[0] for k in labels.marks]]
        assert len(gone) <= (1 if zoom < 48 else 0), (gone, labels.now)
    window.grab()


def test_opening_on_the_hour_shows_now_and_the_hour_label_below_the_header(make_window):
    now = vienna("2021-05-07 15:00")  # 06:00 in Los Angeles: the now line on the hour line
    window = make_window(zone="America/Los_Angeles", clock=lambda: now)
    view = window.timeline.view
    labels = view.painter.gutter_labels(view.layout_data, view.content_origin(),
                                        view.header_height())
    assert labels.now is not None and labels.now.top() >= view.header_height()
    first = min(labels.marks, key=lambda m: abs(m[1].center().y() - labels.now_y))
    assert first[0].display == "06:00" and first[1].top() >= view.header_height() - 1
    assert not first[1].intersects(labels.now)
