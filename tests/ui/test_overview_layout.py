"""The overview's layout as plain data: day columns, the hours axis, blocks (no display)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import timefmt
from planner.core import timezones as tz
from planner.core.busy import BusyTime
from planner.core.model import Session
from planner.ui.overview_layout import (
    COLUMN_PAD,
    MIN_DAY_WIDTH,
    MIN_PIXELS_PER_HOUR,
    MINE_SHARE,
    TOP_PAD,
    OverviewBlock,
    build_overview,
    day_spans,
    pack_minutes,
    rebuild_days,
)
from tests.factories import session

VIENNA = tz.get_zone("Europe/Vienna")
LOS_ANGELES = tz.get_zone("America/Los_Angeles")


def _overview(sessions: list[Session], zone: dt.tzinfo = VIENNA, width: float = 800,
              height: float = 600, accepts=lambda s: True, **extra: object):
    by_day = timefmt.sessions_by_day(sessions, zone)
    return build_overview(by_day, zone, accepts, width, height, **extra)  # type: ignore[arg-type]


def _three_days() -> list[Session]:
    return [session("mon-a", "2021-05-03 09:00", 60), session("mon-b", "2021-05-03 16:00", 90),
            session("tue-a", "2021-05-04 10:30", 30), session("wed-a", "2021-05-05 08:15", 45)]


def test_a_column_per_day_sharing_the_width_and_an_axis_covering_every_session():
    layout = _overview(_three_days(), width=900, height=500)
    assert [c.day for c in layout.columns] == [dt.date(2021, 5, 3), dt.date(2021, 5, 4),
                                               dt.date(2021, 5, 5)]
    assert [c.x for c in layout.columns] == [0, 300, 600]
    assert all(c.width == 300 for c in layout.columns) and layout.width == 900
    # From the earliest start's hour (08:15 -> 08:00) to the latest end's (17:30 -> 18:00).
    assert (layout.first_minute, layout.last_minute) == (8 * 60, 18 * 60)
    assert layout.pixels_per_hour == (500 - TOP_PAD - 4) / 10  # ten hours fill the height
    block = layout.columns[0].blocks[0]
    assert block.session.id == "mon-a"
    assert block.top == TOP_PAD + 60 * layout.pixels_per_hour / 60  # 09:00 is an hour down
    assert block.bottom == TOP_PAD + 2 * layout.pixels_per_hour
    assert block.left == COLUMN_PAD and block.right == 300 - COLUMN_PAD
    assert [hour for _y, hour in layout.hour_lines()] == list(range(8, 19))


def test_narrow_windows_scroll_instead_of_squeezing():
    layout = _overview(_three_days(), width=200, height=100)
    assert all(c.width == MIN_DAY_WIDTH for c in layout.columns)
    assert layout.width == 3 * MIN_DAY_WIDTH
    assert layout.pixels_per_hour == MIN_PIXELS_PER_HOUR
    assert layout.height > 100


def test_the_display_zone_decides_the_day():
    # 02:00 in Vienna on Friday is Thursday 17:00 in Los Angeles.
    sessions = [session("poster", "2021-05-07 02:00", 120), session("oral", "2021-05-07 18:00")]
    vienna = _overview(sessions)
    assert [c.day for c in vienna.columns] == [dt.date(2021, 5, 7)]
    la = _overview(sessions, zone=LOS_ANGELES)
    assert [c.day for c in la.columns] == [dt.date(2021, 5, 6), dt.date(2021, 5, 7)]
    assert [b.session.id for b in la.columns[0].blocks] == ["poster"]
    assert (la.first_minute, la.last_minute) == (9 * 60, 19 * 60)  # 09:00 oral, 19:00 end


def test_overlapping_sessions_sit_side_by_side_and_free_space_widens_a_block():
    sessions = [session("long", "2021-05-03 09:00", 180), session("a", "2021-05-03 09:00", 60),
                session("b", "2021-05-03 10:00", 60), session("c", "2021-05-03 09:30", 30),
                session("later", "2021-05-03 14:00", 60)]
    layout = _overview(sessions, width=306, height=600)
    blocks = {b.session.id: b for b in layout.columns[0].blocks}
    inner = 300.0
    assert blocks["long"].columns == 3
    assert (blocks["long"].left, blocks["long"].right) == (COLUMN_PAD, COLUMN_PAD + inner / 3)
    assert (blocks["a"].left, blocks["a"].right) == (COLUMN_PAD + inner / 3,
                                                     COLUMN_PAD + 2 * inner / 3)
    # b (10:00-11:00) is in a's sub-column; the third sub-column is free then: it widens.
    assert blocks["b"].left == blocks["a"].left and blocks["b"].right == COLUMN_PAD + inner
    assert blocks["c"].left == COLUMN_PAD + 2 * inner / 3  # 09:30-10:00 beside a
    assert blocks["later"].width == inner  # overlaps nothing: the whole width


def test_the_users_sessions_get_the_left_part_of_their_day():
    sessions = [session(f"talk-{i}", "2021-05-03 10:00", 60) for i in range(6)]
    layout = _overview(sessions, width=406, mine=lambda s: s.id in {"talk-4", "talk-5"})
    blocks = {b.session.id: b for b in layout.columns[0].blocks}
    inner = 400.0
    split = COLUMN_PAD + inner * MINE_SHARE
    assert blocks["talk-4"].left == COLUMN_PAD and blocks["talk-4"].right <= split
    assert blocks["talk-5"].left >= blocks["talk-4"].right  # the two overlap: side by side
    assert all(blocks[f"talk-{i}"].left >= split for i in range(4))


def test_laying_out_one_day_again_matches_a_full_layout():
    sessions = [session(f"talk-{i}", f"2021-05-0{3 + i % 3} 10:00", 60 + i) for i in range(9)]
    mine = {"talk-1"}
    layout = _overview(sessions, mine=lambda s: s.id in mine)
    mine.add("talk-4")  # a Tuesday talk starred
    spans = day_spans(timefmt.sessions_by_day(sessions, VIENNA), VIENNA)
    rebuild_days(layout, spans, {dt.date(2021, 5, 4)}, lambda s: True, lambda s: s.id in mine)
    fresh = _overview(sessions, mine=lambda s: s.id in mine)

    def boxes(column):
        return [(b.session.id, b.left, b.right, b.top, b.bottom) for b in column.blocks]

    assert [boxes(c) for c in layout.columns] == [boxes(c) for c in fresh.columns]
    tuesday = layout.columns[1]
    left_half = {b.session.id for b in tuesday.blocks
                 if b.right <= tuesday.x + COLUMN_PAD + (tuesday.width - 2 * COLUMN_PAD) / 2}
    assert left_half == {"talk-1", "talk-4"}  # the two starred ones


def test_a_session_crossing_midnight_has_a_block_in_each_day():
    sessions = [session("night", "2024-12-27 23:00", 120), session("day", "2024-12-28 11:00")]
    layout = _overview(sessions)
    first, second = layout.columns
    (evening,) = first.blocks
    morning = next(b for b in second.blocks if b.session.id == "night")
    assert evening.clipped_bottom and not evening.clipped_top
    assert morning.clipped_top and not morning.clipped_bottom
    assert layout.first_minute == 0 and layout.last_minute == 24 * 60
    assert evening.bottom == layout.y_of_minute(24 * 60)
    assert morning.top == layout.y_of_minute(0) and morning.bottom == layout.y_of_minute(60)


def test_filters_hide_blocks_and_are_counted_but_keep_the_axis():
    layout = _overview(_three_days(), accepts=lambda s: s.id != "wed-a")
    assert layout.columns[2].blocks == [] and layout.columns[2].hidden == 1
    assert layout.first_minute == 8 * 60  # wed-a's 08:15 still sets the axis


def test_arrow_neighbours_walk_a_day_then_jump_to_the_nearest_time_of_the_next():
    sessions = [*_three_days(), session("tue-b", "2021-05-04 16:00", 60)]
    layout = _overview(sessions)

    def block(sid: str) -> OverviewBlock:
        found = layout.block_for(sid)
        assert found is not None
        return found

    assert layout.neighbour(block("mon-a"), "down") is block("mon-b")
    assert layout.neighbour(block("mon-b"), "down") is None
    assert layout.neighbour(block("mon-a"), "up") is None
    assert layout.neighbour(block("mon-b"), "right") is block("tue-b")  # 16:00 near 16:45
    assert layout.neighbour(block("mon-a"), "right") is block("tue-a")
    assert layout.neighbour(block("tue-a"), "left") is block("mon-a")
    assert layout.neighbour(block("wed-a"), "right") is None


def test_hit_testing_and_the_moment_of_an_empty_spot():
    layout = _overview(_three_days(), width=900, height=500)
    tuesday = layout.columns[1]
    tue_a = tuesday.blocks[0]
    assert layout.block_at(tue_a.left + 2, tue_a.centre_y) is tue_a
    assert layout.column_at(450) is tuesday and layout.column_at(950) is None
    y = layout.y_of_minute(14 * 60 + 40)
    assert layout.block_at(450, y) is None
    moment = layout.moment_at(tuesday.day, y)  # rounded down to the quarter hour
    assert moment == tz.localize(dt.datetime(2021, 5, 4, 14, 30), VIENNA)


def test_busy_times_become_strips_in_the_days_they_touch():
    busy = [BusyTime(tz.localize(dt.datetime(2021, 5, 3, 12), VIENNA),
                     tz.localize(dt.datetime(2021, 5, 3, 13), VIENNA), "Dentist")]
    layout = _overview(_three_days(), busy=busy)
    (bar,) = layout.columns[0].busy
    assert (bar.top, bar.bottom) == (layout.y_of_minute(12 * 60), layout.y_of_minute(13 * 60))
    assert layout.columns[1].busy == []


def test_packing_on_minutes_matches_the_timelines_packing():
    from planner.ui.timeline_layout import pack_columns, start_then_longest

    sessions = [session(f"s{i}", f"2021-05-03 {9 + (i * 7) % 5:02d}:{(i * 13) % 4 * 15:02d}",
                        30 + (i * 17) % 90) for i in range(40)]
    sessions.sort(key=start_then_longest)
    (spans,) = day_spans(timefmt.sessions_by_day(sessions, VIENNA), VIENNA).values()
    assert [item[0] for item in spans] == sessions  # the same order
    assert pack_minutes(spans) == pack_columns(sessions)


def _overlap(a: OverviewBlock, b: OverviewBlock) -> bool:
    return a.left < b.right - 1e-9 and b.left < a.right - 1e-9 and a.top < b.bottom - 1e-9 \
        and b.top < a.bottom - 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), min_size=1, max_size=25),
       st.sets(st.integers(0, 24)))
def test_no_two_blocks_of_a_day_cover_each_other(slots, mine_positions):
    sessions = [session(f"s{i}", f"2021-05-03 {8 + start // 4:02d}:{start % 4 * 15:02d}",
                        length * 15) for i, (start, length) in enumerate(slots)]
    mine = {f"s{i}" for i in mine_positions}
    layout = _overview(sessions, width=500, height=800, mine=lambda s: s.id in mine)
    blocks = layout.columns[0].blocks
    assert sorted(b.session.id for b in blocks) == sorted(s.id for s in sessions)
    for i, a in enumerate(blocks):
        assert COLUMN_PAD <= a.left < a.right <= 500 - COLUMN_PAD + 1e-9
        for b in blocks[i + 1:]:
            assert not _overlap(a, b), (a.session.id, b.session.id)


def test_the_layout_module_imports_no_qt():
    code = ("import sys, planner.ui.overview_layout; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
