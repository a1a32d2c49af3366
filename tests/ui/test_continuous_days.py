"""Scrolling from one day into the next on a real program: 38C3 (Berlin) seen from Tokyo and
Los Angeles, where sessions cross midnight."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from planner.core import timezones as tz
from planner.core.model import Program, Session
from planner.ui.main_window import MainWindow
from planner.ui.timeline_axis import DISPLAY, PROGRAM
from planner.ui.timeline_layout import TOP_PAD
from planner.workspace import open_program

FRIDAY, SATURDAY = dt.date(2024, 12, 27), dt.date(2024, 12, 28)


_parsed: dict[Path, Program] = {}


@pytest.fixture
def congress(shared_data: Path) -> Program:
    """38C3 (program zone Europe/Berlin), parsed once for the module."""
    path = shared_data / "frab-xml" / "frab-xml_38c3.xml"
    if path not in _parsed:
        _parsed[path] = open_program(path)
    return _parsed[path]


def crossing(program: Program, zone_name: str, day: dt.date) -> list[Session]:
    """Sessions that start on ``day`` and end on the next day, on the clocks of the zone."""
    zone = tz.get_zone(zone_name)
    return sorted((s for s in program.sessions
                   if s.start and s.end and not s.all_day
                   and tz.to_zone(s.start, zone).date() == day
                   and tz.to_zone(s.end - dt.timedelta(seconds=1), zone).date() > day),
                  key=lambda s: s.start)  # type: ignore[arg-type,return-value]


def days_row(window: MainWindow) -> dt.date | None:
    return window.days_model.day_at(window.days_view.currentIndex().row())


def test_scrolling_across_midnight_is_continuous_and_the_day_follows(make_window, congress,
                                                                    qtbot):
    window = make_window(congress, zone="Asia/Tokyo")
    view = window.timeline.view
    tokyo = tz.get_zone("Asia/Tokyo")
    midnight = tz.localize(dt.datetime(2024, 12, 28), tokyo)
    view.scroll_to_time(tz.localize(dt.datetime(2024, 12, 27, 22, 0), tokyo))
    assert view.day == FRIDAY and days_row(window) == FRIDAY
    target = crossing(congress, "Asia/Tokyo", FRIDAY)[0]
    first = view.block_for(target.id)
    assert first is not None
    assert first.top < view.y_of(midnight) < first.bottom  # one block over the boundary
    bar = view.verticalScrollBar()
    tops = []
    seen_days = []
    for _step in range(60):  # 60 arrow steps of a quarter hour: 22:00 to 13:00
        before = bar.value()
        qtbot.keyClick(bar, Qt.Key.Key_Down)
        assert bar.value() == before + bar.singleStep()  # never a jump
        tops.append(view.top_time())
        seen_days.append((view.day, days_row(window)))
        assert view.block_for(target.id) is first  # the same one block all along
    steps = [b - a for a, b in itertools.pairwise(tops)]
    assert len(set(steps)) == 1 and steps[0] == dt.timedelta(
        hours=bar.singleStep() / view.pixels_per_hour)
    assert (FRIDAY, FRIDAY) in seen_days and (SATURDAY, SATURDAY) in seen_days
    flip = seen_days.index((SATURDAY, SATURDAY))
    assert seen_days[:flip] == [(FRIDAY, FRIDAY)] * flip  # it changes once, at the band
    assert tops[flip] + dt.timedelta(hours=(TOP_PAD + 2) / view.pixels_per_hour) >= midnight
    assert "Saturday 28 Dec 2024" in window.timeline.day_label.text()


def test_the_crossing_block_is_clicked_described_and_reached_by_keys(make_window, congress,
                                                                    qtbot):
    window = make_window(congress, zone="Asia/Tokyo")
    view = window.timeline.view
    target = crossing(congress, "Asia/Tokyo", FRIDAY)[0]
    view.select(target.id)
    view.scroll_to_time(tz.localize(dt.datetime(2024, 12, 28, 0, 0),
                                    tz.get_zone("Asia/Tokyo")) - dt.timedelta(minutes=10))
    rect = view.block_viewport_rect(target.id)
    view.select(None)
    after_midnight = QPoint(rect.center().x(), rect.bottom() - 3)
    assert view.viewport().rect().contains(after_midnight)
    assert view.block_at(after_midnight).session.id == target.id
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=after_midnight)
    assert window.current_id == target.id
    text = view.describe(target)
    shown = tz.to_zone(target.start, tz.get_zone("Asia/Tokyo"))
    assert f"{shown:%H:%M}" in text and "program time" in text
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.controller.is_starred(target.id)
    assert "★ Starred" in view.accessibleDescription()
    # Up then Down in its lane comes back to it.
    qtbot.keyClick(view, Qt.Key.Key_Up)
    if window.current_id != target.id:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.current_id == target.id


def test_next_and_previous_day_scroll_to_the_day_start(make_window, congress, qtbot):
    window = make_window(congress, zone="Asia/Tokyo")
    view = window.timeline.view
    tokyo = tz.get_zone("Asia/Tokyo")
    assert view.day == FRIDAY
    window.next_day_action.trigger()  # Alt+PgDn
    assert view.day == SATURDAY and days_row(window) == SATURDAY
    midnight = tz.localize(dt.datetime(2024, 12, 28), tokyo)
    assert view.y_of(midnight) - view.verticalScrollBar().value() == pytest.approx(TOP_PAD,
                                                                                   abs=1)
    qtbot.mouseClick(window.timeline.next_day, Qt.MouseButton.LeftButton)
    assert view.day == dt.date(2024, 12, 29)
    window.previous_day_action.trigger()
    assert view.day == SATURDAY and days_row(window) == SATURDAY
    last = view.days()[-1]
    window.days_view.setCurrentIndex(window.days_model.index(len(view.days()) - 1))
    assert view.day == last  # the last day reaches the top too (the axis scrolls past it)
    assert not window.timeline.next_day.isEnabled()


def test_both_clocks_label_their_own_midnight(make_window, congress):
    window = make_window(congress, zone="America/Los_Angeles")
    view = window.timeline.view
    assert view.two_clocks()
    layout = view.layout_data
    los_angeles, berlin = tz.get_zone("America/Los_Angeles"), tz.get_zone("Europe/Berlin")
    display = {b.day: b.y for b in layout.bands if b.clock == DISPLAY}
    program = {b.day: b.y for b in layout.bands if b.clock == PROGRAM}
    assert display[SATURDAY] == layout.y_of(tz.localize(dt.datetime(2024, 12, 28), los_angeles))
    assert program[SATURDAY] == layout.y_of(tz.localize(dt.datetime(2024, 12, 28), berlin))
    assert display[SATURDAY] - program[SATURDAY] == 9 * view.pixels_per_hour
    # In the gutter: "Sat / 28 Dec" in the program's column at 15:00 Los Angeles time.
    view.scroll_to_time(tz.localize(dt.datetime(2024, 12, 27, 14, 0), los_angeles))
    labels = view.painter.gutter_labels(layout, view.content_origin(), view.header_height())
    (band, rect), = [(b, r) for b, r in labels.days if b.clock == PROGRAM]
    assert band.label == "Sat 28 Dec" and rect.left() >= view.gutter_column_width()
    drawn = [r for _m, d, p in labels.marks for r in (d, p) if r is not None]
    assert not any(r.intersects(rect) for r in drawn)
    window.grab()  # and it paints (Qt warnings would fail the test)


def test_filters_hide_a_crossing_session_and_the_day_bar_counts_it(make_window, congress):
    window = make_window(congress, zone="Asia/Tokyo")
    view = window.timeline.view
    target = crossing(congress, "Asia/Tokyo", FRIDAY)[0]
    assert view.block_for(target.id) is not None
    other = next(room for room in congress.rooms if room != target.room)
    window.room_facet.only(other)
    assert view.block_for(target.id) is None
    assert {b.session.room for b in view.layout_data.blocks} == {other}
    view.set_day(FRIDAY)
    hidden = view.layout_data.hidden_by_day.get(FRIDAY, 0)
    assert hidden and f"{hidden} hidden by search or filters" in \
        window.timeline.day_label.text()
    window.reset_filters()
    assert view.block_for(target.id) is not None


def test_go_to_now_in_the_night_draws_now_on_the_crossing_block(make_window, congress):
    target = crossing(congress, "America/Los_Angeles", SATURDAY)[0]
    now = target.end - dt.timedelta(minutes=2)  # type: ignore[operator]
    window = make_window(congress, zone="America/Los_Angeles", clock=lambda: now)
    view = window.timeline.view
    local = tz.to_zone(now, tz.get_zone("America/Los_Angeles"))
    assert local.date() == dt.date(2024, 12, 29)  # past midnight, in the crossing block
    assert view.day == local.date()  # opened at now
    window.now_action.trigger()  # Go to Now (Ctrl+Shift+N)
    assert view.top_time() <= now
    labels = view.painter.gutter_labels(view.layout_data, view.content_origin(),
                                        view.header_height())
    block = view.block_viewport_rect(target.id)
    assert labels.now_y is not None and block.top() < labels.now_y < block.bottom()


def test_a_crossing_block_conflicts_with_what_follows_midnight_and_shows_a_tooltip(
        make_window, congress, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    window = make_window(congress, zone="Asia/Tokyo")
    view = window.timeline.view
    tokyo = tz.get_zone("Asia/Tokyo")
    midnight = tz.localize(dt.datetime(2024, 12, 28), tokyo)
    target = crossing(congress, "Asia/Tokyo", FRIDAY)[0]
    after = next(s for s in congress.sessions
                 if s.start and not s.all_day and midnight <= s.start < target.end)  # type: ignore[operator]
    window.controller.toggle(target.id)
    window.controller.toggle(after.id)
    assert after.id in [s.id for s in window.controller.conflicts_of(target.id)]
    assert "⚠" in view.describe(target)
    view.select(target.id)
    rect = view.block_viewport_rect(target.id)
    point = QPoint(rect.center().x(), min(rect.bottom() - 3, view.viewport().height() - 3))
    assert view.block_at(point).session.id == target.id
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                        view.viewport().mapToGlobal(point)))
    assert QToolTip.text().startswith(target.title) and "⚠" in QToolTip.text()
    QToolTip.hideText()
    window.grab()  # the block paints with its conflict mark


def test_a_day_band_label_goes_where_no_block_covers_it(make_window, congress):
    from planner.ui.timeline_backdrop import free_place

    window = make_window(congress, zone="Asia/Tokyo")
    layout = window.timeline.view.layout_data
    band = next(b for b in layout.bands if b.clock == DISPLAY and b.day == SATURDAY)
    left = free_place(layout, band.y, band.y + 20, 0, layout.width, 200)
    assert left is not None  # somewhere along 30 rooms there is room for it
    over = [b for b in layout.blocks if b.top < band.y + 20 and b.bottom > band.y]
    assert over, "38C3 in Tokyo has sessions across midnight"
    assert not [b for b in over if b.left < left + 200 and b.right > left]
    assert free_place(layout, band.y, band.y + 20, 0, layout.width, layout.width + 1) is None
