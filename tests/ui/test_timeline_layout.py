"""The timeline's layout as plain data: columns, lanes, rectangles (no display needed)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import timezones as tz
from planner.core.model import Session
from planner.ui.timeline_layout import (
    COLLAPSED_WIDTH,
    MIN_COLUMN_WIDTH,
    TOP_PAD,
    Block,
    LayoutOptions,
    build_day_layout,
    pack_columns,
    start_then_longest,
)
from tests.factories import session

VIENNA = tz.get_zone("Europe/Vienna")
DAY = dt.date(2021, 5, 7)


def _options(**fields: object) -> LayoutOptions:
    defaults: dict[str, object] = {"zone": VIENNA, "program_zone": VIENNA,
                                   "pixels_per_hour": 60, "visible_width": 600.0}
    defaults.update(fields)
    return LayoutOptions(**defaults)  # type: ignore[arg-type]


def _layout(sessions: list[Session], **fields: object):
    return build_day_layout(DAY, sessions, _options(**fields), lambda s: True, lambda s: 0)


def _overlap_in_time(a: Session, b: Session) -> bool:
    assert a.start and b.start and a.end and b.end
    return a.start < b.end and b.start < a.end


def _overlap_on_screen(a: Block, b: Block) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def test_pack_columns_puts_overlapping_sessions_side_by_side():
    sessions = sorted([session("a", "2021-05-07 09:00", 60), session("b", "2021-05-07 09:30", 60),
                       session("c", "2021-05-07 10:00", 30), session("d", "2021-05-07 09:45", 10)],
                      key=start_then_longest)
    columns, count = pack_columns(sessions)
    by_id = dict(zip([s.id for s in sessions], columns, strict=True))
    assert count == 3  # a, b and d all run at 09:45
    assert len({by_id["a"], by_id["b"], by_id["d"]}) == 3
    assert by_id["c"] == by_id["a"]  # c starts when a ends: the column is free again


def test_pack_columns_reuses_a_column_for_back_to_back_sessions():
    sessions = [session(f"s{i}", f"2021-05-07 {9 + i:02d}:00", 60) for i in range(4)]
    assert pack_columns(sessions) == ([0, 0, 0, 0], 1)


def test_room_lane_widens_for_a_double_booked_room_and_blocks_do_not_overlap():
    sessions = [session("a", "2021-05-07 09:00", 90, room="Hall"),
                session("b", "2021-05-07 10:00", 60, room="Hall"),
                session("c", "2021-05-07 09:00", 60, room="Annex")]
    layout = _layout(sessions, room_order={"Hall": 0, "Annex": 1}, visible_width=900.0)
    assert [lane.title for lane in layout.lanes] == ["Hall", "Annex"]
    hall, annex = layout.lanes
    assert hall.columns == 2 and annex.columns == 1
    assert hall.width == 2 * annex.width == 600.0
    a, b = layout.block_for("a"), layout.block_for("b")
    assert a is not None and b is not None
    assert a.column != b.column and not _overlap_on_screen(a, b)
    assert layout.block_for("c").left == annex.x  # type: ignore[union-attr]


def test_collapsed_room_is_thin_and_others_take_the_width():
    sessions = [session("a", "2021-05-07 09:00", 60, room="Hall"),
                session("c", "2021-05-07 09:00", 60, room="Annex")]
    layout = _layout(sessions, room_order={"Hall": 0, "Annex": 1}, collapsed={"Hall"},
                     visible_width=626.0)
    assert layout.lanes[0].width == COLLAPSED_WIDTH
    assert layout.lanes[1].width == 600.0


def test_without_rooms_overlapping_sessions_share_the_width_and_a_lone_one_takes_it_all():
    sessions = [session("a", "2021-05-07 09:00", 60), session("b", "2021-05-07 09:30", 60),
                session("lone", "2021-05-07 13:00", 60)]
    layout = _layout(sessions, visible_width=800.0)
    a, b, lone = (layout.block_for(i) for i in ("a", "b", "lone"))
    assert a is not None and b is not None and lone is not None
    assert a.width == b.width == 400.0 and not _overlap_on_screen(a, b)
    assert lone.width == 800.0


def test_blocks_are_sized_by_duration_from_the_first_hour():
    layout = _layout([session("a", "2021-05-07 09:30", 90)], pixels_per_hour=60)
    block = layout.block_for("a")
    assert block is not None
    assert layout.start == tz.localize(dt.datetime(2021, 5, 7, 9, 0), VIENNA)
    assert block.top == TOP_PAD + 30 and block.height == 90
    assert layout.moment_at(block.top) == tz.localize(dt.datetime(2021, 5, 7, 9, 30), VIENNA)
    assert [m.display for m in layout.marks if m.full_hour][:3] == ["09:00", "10:00", "11:00"]


def test_a_session_from_the_evening_before_is_clipped_at_midnight():
    layout = _layout([session("late", "2021-05-06 23:00", 120)])
    block = layout.block_for("late")
    assert block is not None and block.clipped_top and not block.clipped_bottom
    assert layout.start == tz.localize(dt.datetime(2021, 5, 7, 0, 0), VIENNA)


def test_filtered_sessions_are_counted_not_placed():
    sessions = [session("a", "2021-05-07 09:00", 60), session("b", "2021-05-07 10:00", 60)]
    layout = build_day_layout(DAY, sessions, _options(), lambda s: s.id == "a", lambda s: 0)
    assert [b.session.id for b in layout.blocks] == ["a"] and layout.hidden == 1


_starts = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("XYZ")),
                   min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(_starts, st.booleans())
def test_no_two_sessions_that_overlap_in_time_overlap_on_screen(spec, by_room):
    sessions = [session(f"s{i}", f"2021-05-07 {8 + q // 4:02d}:{q % 4 * 15:02d}", 15 * n,
                        room=room)
                for i, (q, n, room) in enumerate(spec)]
    order = {"X": 0, "Y": 1, "Z": 2} if by_room else {}
    layout = _layout(sessions, room_order=order)
    assert len(layout.blocks) == len(sessions)
    for i, a in enumerate(layout.blocks):
        assert a.width >= MIN_COLUMN_WIDTH
        for b in layout.blocks[i + 1:]:
            if _overlap_in_time(a.session, b.session):
                assert not _overlap_on_screen(a, b), (a.session.id, b.session.id)


def test_the_layout_module_imports_no_qt():
    code = ("import sys, planner.ui.timeline_layout; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
