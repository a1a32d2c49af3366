"""A star on the overview lays out and draws again only what it changed; what the user sees
is the same as a whole new layout and a whole new picture of the day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication

from planner.core import timefmt
from planner.core import timezones as tz
from planner.core.model import Program, Session, SessionKind
from planner.ui.main_window import MainWindow
from planner.ui.overview_layout import build_overview, day_spans, rebuild_days
from planner.ui.overview_paint import render_column
from tests.factories import session

VIENNA = tz.get_zone("Europe/Vienna")


def busy_day() -> Program:
    """Two days; Tuesday has six separate clusters of six overlapping talks each."""
    sessions = [session(f"tue-{hour}-{i}", f"2021-05-04 {hour:02d}:{i * 10:02d}", 45,
                        kind=SessionKind.TALK, room=f"Room {i}")
                for hour in (8, 10, 12, 14, 16, 18) for i in range(6)]
    sessions.append(session("wed-talk", "2021-05-05 10:00", 60, room="Hall A"))
    return Program(name="Busy", source_zone="Europe/Vienna", sessions=sessions, key="busy")


def boxes(layout):
    return [[(b.session.id, b.left, b.right, b.top, b.bottom, b.column, b.columns)
             for b in column.blocks] for column in layout.columns]


def test_a_star_lays_out_only_its_cluster_again_and_matches_a_fresh_layout():
    program = busy_day()
    by_day = timefmt.sessions_by_day(program.sessions, VIENNA)
    spans = day_spans(by_day, VIENNA)
    mine = {"tue-10-0"}

    def is_mine(item: Session) -> bool:
        return item.id in mine

    layout = build_overview(by_day, VIENNA, lambda s: True, 700, 600, mine=is_mine,
                            spans=spans)
    for starred in ("tue-14-3", "tue-10-2", "tue-14-3"):  # star, star, unstar
        mine.symmetric_difference_update({starred})
        before = {b.session.id: b for b in layout.columns[0].blocks}
        changed = rebuild_days(layout, spans, {dt.date(2021, 5, 4)}, lambda s: True,
                               is_mine)
        fresh = build_overview(by_day, VIENNA, lambda s: True, 700, 600, mine=is_mine)
        assert boxes(layout) == boxes(fresh)
        hour = starred.split("-")[1]
        moved = {b.session.id for b in changed[dt.date(2021, 5, 4)]}
        assert starred in moved
        assert all(sid.split("-")[1] == hour for sid in moved)  # only that hour's clusters
        kept = [b for b in layout.columns[0].blocks if b.session.id.split("-")[1] != hour]
        assert kept and all(before[b.session.id] is b for b in kept)  # the very same blocks


def column_image(window: MainWindow, day: dt.date):
    view = window.overview
    view.viewport().repaint()
    return view.column_pixmaps[day]


def test_a_star_redraws_part_of_the_days_picture_with_the_same_pixels(make_window):
    window = make_window(busy_day())
    window.show_view("overview")
    QApplication.processEvents()
    view = window.overview
    tuesday = dt.date(2021, 5, 4)
    window.controller.toggle("tue-10-0")  # the day splits: drawn whole
    QApplication.processEvents()
    column_image(window, tuesday)
    for item in ("tue-14-3", "tue-14-4", "tue-10-1", "tue-14-3"):  # conflicts come and go
        window.controller.toggle(item)
        assert view.column_dirty.get(tuesday), "a partial redraw, not a new picture"
        image = column_image(window, tuesday).copy()
        layout = view.layout_data
        column = layout.column_of(tuesday)
        fresh = render_column(view, layout, column, view.devicePixelRatioF())
        assert image == fresh, f"after toggling {item}"
    assert view.controller.conflict_map  # the conflicts were drawn as well
