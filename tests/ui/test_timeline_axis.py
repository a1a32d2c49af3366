"""The continuous timeline's layout as plain data: one axis over every day (no display needed)."""

from __future__ import annotations

import datetime as dt

from planner.core import timezones as tz
from planner.core.model import Session
from planner.ui.timeline_axis import COMPRESSED_HEIGHT, DISPLAY, PROGRAM, TOP_PAD
from planner.ui.timeline_layout import DayLayout, LayoutOptions, build_layout
from tests.factories import session

VIENNA = tz.get_zone("Europe/Vienna")
BERLIN = tz.get_zone("Europe/Berlin")
TOKYO = tz.get_zone("Asia/Tokyo")
LOS_ANGELES = tz.get_zone("America/Los_Angeles")
PPH = 60


def _layout(sessions: list[Session], zone: dt.tzinfo = VIENNA,
            program_zone: dt.tzinfo = VIENNA, **fields: object) -> DayLayout:
    options = LayoutOptions(zone=zone, program_zone=program_zone, pixels_per_hour=PPH,
                            visible_width=600.0, **fields)  # type: ignore[arg-type]
    layout = build_layout(sessions, options, lambda s: True, lambda s: 0)
    assert layout is not None
    return layout


def at(text: str, zone: dt.tzinfo) -> dt.datetime:
    return tz.localize(dt.datetime.fromisoformat(text), zone)


def around_the_clock(first: str, hours: int, zone: str = "Europe/Vienna") -> list[Session]:
    """A session every two hours (an hour long) for ``hours`` hours: no empty stretch."""
    start = dt.datetime.fromisoformat(first)
    return [session(f"s{n}", f"{start + dt.timedelta(hours=n):%Y-%m-%d %H:%M}", 60, zone=zone)
            for n in range(0, hours, 2)]


def bands(layout: DayLayout, clock: str) -> list[tuple[dt.date, float]]:
    return [(band.day, band.y) for band in layout.bands if band.clock == clock]


def test_a_session_crossing_midnight_is_one_block_across_the_day_band():
    sessions = [session("evening", "2021-05-07 20:00", 60),
                session("night", "2021-05-07 22:30", 180),  # 22:30 to 01:30
                session("morning", "2021-05-08 02:00", 60)]
    layout = _layout(sessions)
    night = [b for b in layout.blocks if b.session.id == "night"]
    assert len(night) == 1
    block = night[0]
    assert not block.clipped_top and not block.clipped_bottom
    (day, y), = bands(layout, DISPLAY)
    assert day == dt.date(2021, 5, 8)
    assert block.top < y < block.bottom
    assert block.height == 3 * PPH  # its whole length, not cut at midnight
    assert layout.moment_at(block.bottom) == at("2021-05-08 01:30", VIENNA)


def test_y_is_continuous_and_at_scale_across_midnight():
    layout = _layout(around_the_clock("2021-05-07 08:00", 40))
    midnight = at("2021-05-08 00:00", VIENNA)
    before = layout.y_of(midnight - dt.timedelta(seconds=1))
    after = layout.y_of(midnight)
    assert 0 < after - before < 0.02  # one second: no jump at the day boundary
    evening, morning = at("2021-05-07 22:00", VIENNA), at("2021-05-08 03:00", VIENNA)
    assert layout.y_of(morning) - layout.y_of(evening) == 5 * PPH
    assert layout.axis.compressed() == []
    ys = [layout.y_of(at("2021-05-07 08:00", VIENNA) + dt.timedelta(minutes=17 * n))
          for n in range(140)]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    for y in (TOP_PAD + 10.0, 700.0, 1500.0, 2300.0):
        assert abs(layout.y_of(layout.moment_at(y)) - y) < 1e-6


def test_program_clock_midnight_is_a_band_at_its_own_height():
    """Shown in Los Angeles, a Berlin program: Berlin's midnight is 15:00 in Los Angeles."""
    sessions = around_the_clock("2024-12-27 10:00", 36, zone="Europe/Berlin")
    layout = _layout(sessions, zone=LOS_ANGELES, program_zone=BERLIN)
    display, program = bands(layout, DISPLAY), bands(layout, PROGRAM)
    assert [day for day, _y in display] == [dt.date(2024, 12, 28)]
    assert [day for day, _y in program] == [dt.date(2024, 12, 28)]
    assert display[0][1] == layout.y_of(at("2024-12-28 00:00", LOS_ANGELES))
    assert program[0][1] == layout.y_of(at("2024-12-28 00:00", BERLIN))
    assert display[0][1] - program[0][1] == 9 * PPH  # Berlin's day starts 9 hours earlier
    label = next(b for b in layout.bands if b.clock == PROGRAM).label
    assert label == "Sat 28 Dec"
    # The hour marks at the program's midnight read 00:00 on the program clock, 15:00 here.
    mark = next(m for m in layout.marks if m.y == program[0][1])
    assert (mark.display, mark.program) == ("15:00", "00:00")


def test_a_23_hour_and_a_25_hour_day():
    spring = _layout(around_the_clock("2024-03-30 12:00", 48, zone="Europe/Berlin"),
                     zone=BERLIN, program_zone=BERLIN)
    (_d1, saturday_end), (_d2, sunday_end) = bands(spring, DISPLAY)
    assert sunday_end - saturday_end == 23 * PPH
    hours = [m for m in spring.marks if saturday_end <= m.y < sunday_end and m.full_hour]
    assert len(hours) == 23 and "02:00" not in [m.display for m in hours]
    autumn = _layout(around_the_clock("2024-10-26 12:00", 48, zone="Europe/Berlin"),
                     zone=BERLIN, program_zone=BERLIN)
    (_d1, saturday_end), (_d2, sunday_end) = bands(autumn, DISPLAY)
    assert sunday_end - saturday_end == 25 * PPH
    hours = [m for m in autumn.marks if saturday_end <= m.y < sunday_end and m.full_hour]
    assert len(hours) == 25 and [m.display for m in hours].count("02:00") == 2
    # A session across the autumn change lasts its real three hours on the axis.
    across = session("across", "2024-10-27 01:30", 180, zone="Europe/Berlin")
    layout = _layout([*around_the_clock("2024-10-26 20:00", 12, zone="Europe/Berlin"), across],
                     zone=BERLIN, program_zone=BERLIN)
    block = layout.block_for("across")
    assert block is not None and block.height == 3 * PPH


def test_an_empty_night_is_shortened_and_its_midnight_still_starts_the_next_day():
    sessions = [session("d1", "2021-05-07 09:00", 8 * 60), session("d2", "2021-05-08 09:00", 60)]
    layout = _layout(sessions)
    (strip,) = layout.axis.compressed()
    assert strip.start == at("2021-05-07 17:00", VIENNA)
    assert strip.end == at("2021-05-08 09:00", VIENNA)
    assert strip.bottom - strip.top == COMPRESSED_HEIGHT
    (band,) = layout.bands
    assert band.compressed and strip.top < band.y < strip.bottom
    assert layout.axis.day_top(dt.date(2021, 5, 8)) == band.y
    assert band.y == layout.y_of(at("2021-05-08 00:00", VIENNA))
    assert layout.axis.day_at(band.y + 1) == dt.date(2021, 5, 8)
    assert layout.axis.day_at(band.y - 1) == dt.date(2021, 5, 7)
    second = layout.block_for("d2")
    assert second is not None and second.top == strip.bottom
    assert not [m for m in layout.marks if strip.top < m.y < strip.bottom]
    # Evening and morning still read their own hours at the edges of the strip.
    assert {m.display for m in layout.marks if m.y in (strip.top, strip.bottom)} == {
        "17:00", "09:00"}


def test_hidden_sessions_are_counted_under_the_day_they_start():
    sessions = [session("a", "2021-05-07 09:00", 60), session("b", "2021-05-08 09:00", 60),
                session("c", "2021-05-08 11:00", 60)]
    options = LayoutOptions(zone=VIENNA, program_zone=VIENNA, pixels_per_hour=PPH)
    layout = build_layout(sessions, options, lambda s: s.id == "a", lambda s: 0)
    assert layout is not None
    assert layout.hidden == 2 and layout.hidden_by_day == {dt.date(2021, 5, 8): 2}
    assert [b.session.id for b in layout.blocks] == ["a"]


def test_hidden_counts_follow_the_display_date_at_midnight_and_across_shortened_nights():
    # Every 3 hours over four days (the nights' gaps are shortened), on the hour: a session at
    # exactly midnight counts under the day it opens, in the display zone (Los Angeles).
    sessions = [session(f"s{n}", f"2024-12-27 {n % 8 * 3:02d}:00", 45, zone="Europe/Berlin")
                for n in range(8)]
    sessions += [session(f"t{n}", f"2024-12-{28 + n // 4} {n % 4 * 6:02d}:00", 30,
                         zone="Europe/Berlin") for n in range(12)]
    options = LayoutOptions(zone=LOS_ANGELES, program_zone=BERLIN, pixels_per_hour=PPH)
    hidden = {s.id for s in sessions[::2]} | {"s3"}  # s3: 09:00 Berlin is midnight in LA
    layout = build_layout(sessions, options, lambda s: s.id not in hidden, lambda s: 0)
    assert layout is not None
    expected: dict[dt.date, int] = {}
    for item in sessions:
        if item.id in hidden:
            assert item.start is not None
            day = tz.to_zone(item.start, LOS_ANGELES).date()
            expected[day] = expected.get(day, 0) + 1
    assert layout.hidden == len(hidden) and layout.hidden_by_day == expected
    assert len(expected) >= 3 and expected[dt.date(2024, 12, 27)] >= 1


def test_a_day_layout_still_cuts_at_its_midnights():
    """``build_day_layout`` (one day, for callers that want one) keeps its clipping."""
    from planner.ui.timeline_layout import build_day_layout

    options = LayoutOptions(zone=TOKYO, program_zone=BERLIN, pixels_per_hour=PPH)
    crossing = session("x", "2024-12-27 15:30", 90, zone="Europe/Berlin")  # 23:30-01:00 Tokyo
    layout = build_day_layout(dt.date(2024, 12, 28), [crossing], options, lambda s: True,
                              lambda s: 0)
    block = layout.block_for("x")
    assert block is not None and block.clipped_top and block.height == PPH


def test_a_session_of_days_is_found_in_view_without_widening_every_window():
    short = around_the_clock("2021-05-07 08:00", 72)
    fair = session("fair", "2021-05-07 09:00", 3 * 24 * 60)
    layout = _layout([*short, fair])
    assert [b.session.id for b in layout.long_blocks] == ["fair"]
    assert layout.tallest == PPH
    noon = layout.y_of(at("2021-05-09 12:00", VIENNA))
    found = layout.candidates(noon, noon + 2 * PPH)
    assert "fair" in [b.session.id for b in found]
    assert len(found) <= 3  # the fair and the one or two short ones around noon
    assert [b.top for b in found] == sorted(b.top for b in found)


def test_busy_times_on_every_day_are_in_the_busy_lane():
    from planner.core.busy import BusyTime
    from planner.ui.timeline_layout import add_busy_lane

    layout = _layout(around_the_clock("2021-05-07 08:00", 48))
    busy = [BusyTime(at("2021-05-07 12:00", VIENNA), at("2021-05-07 13:00", VIENNA), "Lunch"),
            BusyTime(at("2021-05-08 23:30", VIENNA), at("2021-05-09 00:30", VIENNA), "Call")]
    add_busy_lane(layout, busy)
    assert [b.busy.title for b in layout.busy_blocks] == ["Lunch", "Call"]
    call = layout.busy_blocks[1]
    midnight = layout.y_of(at("2021-05-09 00:00", VIENNA))
    assert call.top < midnight < call.bottom and call.bottom - call.top == PPH
