"""Where every block of the conference overview goes, as plain numbers (no Qt).

The overview shows every day of the program side by side, a column per day of the display
zone (as a calendar's week view), with the time of day on the vertical axis. The axis is the
wall clock of the display zone, the same for every column, from the first hour any session
starts to the last hour any session ends (filters do not move it, so blocks do not jump when a
filter changes). Sessions that overlap within a day share the column's width side by side
(:func:`pack_minutes`, the timeline's greedy packing on whole minutes); a session crossing
midnight has a block in each day it touches. The view paints this and hit-tests against it;
the unit tests check it without a display.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.busy import BusyTime
from planner.core.model import Session
from planner.ui.overview_packing import Geometry, Part
from planner.ui.timeline_layout import Extent

MINUTES_PER_DAY = 24 * 60
MIN_DAY_WIDTH = 110  # narrower columns scroll sideways instead
MIN_PIXELS_PER_HOUR = 18.0  # a shorter window scrolls up and down instead
MAX_PIXELS_PER_HOUR = 120.0
MIN_BLOCK_HEIGHT = 4.0
TOP_PAD = 8.0  # room above the first hour line for its label
COLUMN_PAD = 3.0  # between a day's blocks and the column's edges
BUSY_WIDTH = 4.0  # the strip of the user's own busy times at a column's left edge
MINE_SHARE = 0.5  # of a day's width for the user's own sessions, when others share the day
EMPTY_RANGE = (8 * 60, 18 * 60)  # the axis of a program without timed sessions
BY_TOP_LEFT = operator.attrgetter("top", "left")  # a day's blocks in reading order


@dataclass(slots=True, eq=False)
class OverviewBlock(Extent):
    """One session's rectangle in one day's column (content coordinates); compared by
    identity (``list.index`` finds this block, not an equal one)."""

    session: Session
    day_index: int
    column: int  # side by side with overlapping sessions: which of ``columns``
    columns: int
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    clipped_top: bool = False  # it began the day before
    clipped_bottom: bool = False  # it goes on into the next day


@dataclass
class BusyBar:
    """One of the user's busy times in a day's column (content coordinates)."""

    busy: BusyTime
    top: float
    bottom: float


@dataclass(eq=False)
class DayColumn:
    day: dt.date
    x: float
    width: float
    blocks: list[OverviewBlock] = field(default_factory=list)  # by top, then left
    hidden: int = 0  # the day's sessions the filters hide
    tops: list[float] = field(default_factory=list)
    tallest: float = 0.0
    busy: list[BusyBar] = field(default_factory=list)
    shown: int = 0  # the day's sessions drawn
    mine: list[Session] = field(default_factory=list)  # of them, the user's (``mine``)
    # The day's parts (the user's, the others'), kept: a star moves one session between them
    # and packs again only what that changes; ``order``: each session's rank in the day
    # (made on the first star).
    parts: list[Part] = field(default_factory=list, repr=False)
    order: dict[str, int] = field(default_factory=dict, repr=False)

    def candidates(self, top: float, bottom: float) -> list[OverviewBlock]:
        """Blocks that may reach into [top, bottom] (sorted tops, bisect)."""
        first = bisect.bisect_left(self.tops, top - self.tallest)
        last = bisect.bisect_right(self.tops, bottom)
        return self.blocks[first:last]

    def block_at(self, x: float, y: float) -> OverviewBlock | None:
        for block in reversed(self.candidates(y, y)):
            if block.contains(x, y):
                return block
        return None


@dataclass
class OverviewLayout:
    zone: dt.tzinfo
    first_minute: int  # the wall-clock minute of the top hour line (a whole hour)
    last_minute: int  # of the bottom line; above MINUTES_PER_DAY never happens
    pixels_per_hour: float
    columns: list[DayColumn] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0

    def y_of_minute(self, minute: float) -> float:
        return TOP_PAD + (minute - self.first_minute) / 60 * self.pixels_per_hour

    def minute_at(self, y: float) -> float:
        minute = self.first_minute + (y - TOP_PAD) / self.pixels_per_hour * 60
        return max(float(self.first_minute), min(float(self.last_minute), minute))

    def hour_lines(self) -> list[tuple[float, int]]:
        """(y, hour of the day) of every whole hour on the axis."""
        return [(self.y_of_minute(minute), minute // 60)
                for minute in range(self.first_minute, self.last_minute + 1, 60)]

    def column_at(self, x: float) -> DayColumn | None:
        for column in self.columns:
            if column.x <= x < column.x + column.width:
                return column
        return None

    def column_of(self, day: dt.date) -> DayColumn | None:
        return next((c for c in self.columns if c.day == day), None)

    def block_at(self, x: float, y: float) -> OverviewBlock | None:
        column = self.column_at(x)
        return column.block_at(x, y) if column is not None else None

    def block_for(self, session_id: str) -> OverviewBlock | None:
        """The session's first block (a session crossing midnight has one per day)."""
        for column in self.columns:
            for block in column.blocks:
                if block.session.id == session_id:
                    return block
        return None

    def moment_at(self, day: dt.date, y: float, step_minutes: int = 15) -> dt.datetime:
        """The instant a point of ``day``'s column stands for, rounded down to the step."""
        minute = int(self.minute_at(y)) // step_minutes * step_minutes
        minute = min(minute, MINUTES_PER_DAY - step_minutes)
        wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
        return timezones.localize(wall, self.zone)

    def neighbour(self, block: OverviewBlock, direction: str) -> OverviewBlock | None:
        """The block the arrow key ``direction`` (up, down, left, right) moves to: the next
        one of the day in reading order, or the nearest in time on the next day that has
        any."""
        column = self.columns[block.day_index]
        if direction in ("up", "down"):
            index = column.blocks.index(block) + (1 if direction == "down" else -1)
            return column.blocks[index] if 0 <= index < len(column.blocks) else None
        step = 1 if direction == "right" else -1
        day_index = block.day_index + step
        while 0 <= day_index < len(self.columns):
            blocks = self.columns[day_index].blocks
            if blocks:
                return min(blocks, key=lambda b: (abs(b.centre_y - block.centre_y), b.left))
            day_index += step
        return None


class _WallClock:
    """Minute of ``day`` on the zone's wall clock, memoised per instant (a program of 10,000
    sessions has a few hundred distinct times; see :func:`planner.core.timefmt.sessions_by_day`
    for why the key is the naive time with its tzinfo's id)."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self._cache: dict[tuple[dt.datetime, int], dt.datetime] = {}

    def local(self, moment: dt.datetime) -> dt.datetime:
        key = (moment.replace(tzinfo=None), id(moment.tzinfo))
        local = self._cache.get(key)
        if local is None:
            local = self._cache[key] = timezones.wall_clock(moment, self.zone)
        return local

    def raw_minute(self, moment: dt.datetime, day: dt.date) -> int:
        """Minutes from ``day``'s midnight to ``moment`` (negative before, above
        :data:`MINUTES_PER_DAY` after)."""
        local = self.local(moment)
        return (local.date() - day).days * MINUTES_PER_DAY + local.hour * 60 + local.minute

    def minute(self, moment: dt.datetime, day: dt.date) -> int:
        """The same, clamped to the day."""
        return max(0, min(MINUTES_PER_DAY, self.raw_minute(moment, day)))


# (session, start, end): minutes from the day's midnight on the wall clock, unclamped, so a
# session from the day before starts below 0 and one going on past midnight ends above 1,440.
Span = tuple[Session, int, int]
DaySpans = dict[dt.date, list[Span]]


def day_spans(by_day: Mapping[dt.date, Sequence[Session]], zone: dt.tzinfo) -> DaySpans:
    """Every timed session of each day with its wall-clock minutes, in start order (then
    longest first): what the layout needs of the times, computed once per program and zone
    (the view keeps it while filters, stars and the window's size change)."""
    clock = _WallClock(zone)
    spans: DaySpans = {}
    for day in sorted(by_day):
        items = []
        for session in by_day[day]:
            if session.start is None or session.all_day:
                continue
            start = clock.raw_minute(session.start, day)
            end = clock.raw_minute(session.end, day) if session.end is not None else start
            items.append((session, start, max(start, end)))
        items.sort(key=lambda item: (item[1], -item[2]))
        spans[day] = items
    return spans


def _clamp(minute: int) -> int:
    return max(0, min(MINUTES_PER_DAY, minute))


def hours_range(spans: Mapping[dt.date, Sequence[Span]]) -> tuple[int, int]:
    """Whole hours from the earliest start to the latest end of any day (at least 4 hours)."""
    lists = [items for items in spans.values() if items]
    if not lists:
        return EMPTY_RANGE
    # Each day's list is in start order: its first item starts earliest.
    first = _clamp(min(items[0][1] for items in lists)) // 60 * 60
    last = -(-_clamp(max(end for items in lists for _s, _start, end in items)) // 60) * 60
    last = max(last, first + 60)
    if last - first < 4 * 60:
        last = min(MINUTES_PER_DAY, first + 4 * 60)
        first = min(first, last - 4 * 60)
    return first, last


def build_overview(by_day: Mapping[dt.date, Sequence[Session]], zone: dt.tzinfo,
                   accepts: Callable[[Session], bool], visible_width: float,
                   visible_height: float, busy: Sequence[BusyTime] = (),
                   mine: Callable[[Session], bool] | None = None,
                   spans: DaySpans | None = None) -> OverviewLayout:
    """Lay out every day of ``by_day`` (display-zone days, as
    :meth:`planner.ui.controller.Controller.sessions_by_day` gives them); ``accepts`` says
    which sessions the filters show, ``mine`` which are in the user's agenda (starred, or
    holding a starred paper); ``spans``: :func:`day_spans` of ``by_day``, when kept. Columns
    share ``visible_width`` down to :data:`MIN_DAY_WIDTH`; the hours fit ``visible_height``
    down to :data:`MIN_PIXELS_PER_HOUR`."""
    if spans is None:
        spans = day_spans(by_day, zone)
    first, last = hours_range(spans)
    hours = (last - first) / 60
    fit = (visible_height - TOP_PAD - 4) / hours if hours else MAX_PIXELS_PER_HOUR
    pixels_per_hour = max(MIN_PIXELS_PER_HOUR, min(MAX_PIXELS_PER_HOUR, fit))
    layout = OverviewLayout(zone, first, last, pixels_per_hour)
    days = list(spans)
    column_width = max(float(MIN_DAY_WIDTH), visible_width / max(1, len(days)))
    for day_index, day in enumerate(days):
        column = DayColumn(day, day_index * column_width, column_width)
        _place_day(layout, column, day_index, spans[day], accepts, mine)
        layout.columns.append(column)
    layout.width = column_width * len(days)
    layout.height = layout.y_of_minute(last) + 4
    if busy:
        _place_busy(layout, busy, _WallClock(zone))
    return layout


def rebuild_days(layout: OverviewLayout, spans: DaySpans, days: Collection[dt.date],
                 accepts: Callable[[Session], bool],
                 mine: Callable[[Session], bool] | None = None,
                 sessions: Collection[Session] | None = None,
                 ) -> dict[dt.date, list[OverviewBlock]]:
    """Lay out ``days`` again in place after stars moved sessions between the user's part
    and the rest (of ``sessions`` only, when given; the filters unchanged); the axis, the
    other days and the busy strips stay. Blocks that keep their place are the same objects;
    returns per day the blocks that changed: the ones gone and the new ones (what a painter
    must draw again)."""
    changed: dict[dt.date, list[OverviewBlock]] = {}
    for index, column in enumerate(layout.columns):
        if column.day in days:
            changed[column.day] = _restar_day(layout, index, spans.get(column.day, []),
                                              accepts, mine, sessions)
    return changed


def _restar_day(layout: OverviewLayout, index: int, spans: list[Span],
                accepts: Callable[[Session], bool], mine: Callable[[Session], bool] | None,
                sessions: Collection[Session] | None) -> list[OverviewBlock]:
    column = layout.columns[index]
    if not column.order:
        column.order = {item[0].id: rank for rank, item in enumerate(spans)}
    if sessions is None:
        candidates = spans
    else:
        candidates = [spans[column.order[s.id]] for s in sessions if s.id in column.order]
    agenda = {session.id for session in column.mine}
    moves = [item for item in candidates if accepts(item[0])
             and (mine is not None and mine(item[0])) != (item[0].id in agenda)]
    if not moves:
        return []
    joining = sum(1 for item in moves if item[0].id not in agenda)
    remaining = len(agenda) + joining - (len(moves) - joining)
    if len(column.parts) != 2 or not 0 < remaining < column.shown:
        # The day splits in two or becomes one part: every block has a new width.
        fresh = DayColumn(column.day, column.x, column.width, busy=column.busy)
        _place_day(layout, fresh, index, spans, accepts, mine)
        previous = {b.session.id: b for b in column.blocks}
        for part in fresh.parts:
            _keep_unmoved(part.blocks, 0, previous)
        fresh.blocks = [b for part in fresh.parts for b in part.blocks]
        fresh.blocks.sort(key=BY_TOP_LEFT)
        layout.columns[index] = fresh
        kept = {id(block) for block in fresh.blocks}
        old = {id(block) for block in column.blocks}
        return ([b for b in column.blocks if id(b) not in kept]
                + [b for b in fresh.blocks if id(b) not in old])
    mine_part, others_part = column.parts
    gone: list[OverviewBlock] = []
    new: list[OverviewBlock] = []
    for item in moves:
        source, target = ((mine_part, others_part) if item[0].id in agenda
                          else (others_part, mine_part))
        for removed, added in (source.remove(item[0], column.order),
                               target.insert(item, column.order)):
            gone.extend(removed)
            new.extend(added)
    column.mine = [item[0] for item in mine_part.items]
    created, dropped = {id(b) for b in new}, {id(b) for b in gone}
    gone = [b for b in gone if id(b) not in created]  # (made by one move, gone in the next)
    new = [b for b in new if id(b) not in dropped]
    _swap_blocks(column, gone, new)
    return gone + new


def _swap_blocks(column: DayColumn, gone: list[OverviewBlock],
                 new: list[OverviewBlock]) -> None:
    """The day's blocks (by top, then left) without ``gone`` and with ``new``."""
    blocks, tops = column.blocks, column.tops
    if len(gone) + len(new) > 200:
        blocks[:] = [b for part in column.parts for b in part.blocks]
        blocks.sort(key=BY_TOP_LEFT)
        column.tops = [b.top for b in blocks]
        column.tallest = max((b.height for b in blocks), default=0.0)
        return
    tallest_gone = False
    for block in gone:
        at = bisect.bisect_left(tops, block.top)
        while blocks[at] is not block:
            at += 1
        del blocks[at]
        del tops[at]
        tallest_gone = tallest_gone or block.height >= column.tallest
    for block in new:
        at, end = bisect.bisect_left(tops, block.top), bisect.bisect_right(tops, block.top)
        while at < end and blocks[at].left < block.left:
            at += 1
        blocks.insert(at, block)
        tops.insert(at, block.top)
        column.tallest = max(column.tallest, block.height)
    if tallest_gone:
        column.tallest = max((b.height for b in blocks), default=0.0)


def _place_day(layout: OverviewLayout, column: DayColumn, day_index: int, spans: list[Span],
               accepts: Callable[[Session], bool],
               mine: Callable[[Session], bool] | None) -> None:
    """The user's sessions on the left (:data:`MINE_SHARE` of the width), the others on the
    right; in each part, overlapping sessions side by side (calendar style)."""
    shown = [item for item in spans if accepts(item[0])]
    column.hidden = len(spans) - len(shown)
    inner_left = column.x + COLUMN_PAD
    inner_width = column.width - 2 * COLUMN_PAD
    agenda: list[Span] = []
    others: list[Span] = []
    if mine is not None:
        for item in shown:
            (agenda if mine(item[0]) else others).append(item)
    if not agenda:
        others = shown
    column.shown = len(shown)
    column.mine = [item[0] for item in agenda]
    first, pixels = layout.first_minute, layout.pixels_per_hour
    if agenda and others:
        split = inner_width * MINE_SHARE
        column.parts = [
            Part(agenda, Geometry(first, pixels, inner_left, split - 1), OverviewBlock,
                 day_index),
            Part(others, Geometry(first, pixels, inner_left + split + 1,
                                  inner_width - split - 1), OverviewBlock, day_index)]
    else:
        column.parts = [Part(agenda or others, Geometry(first, pixels, inner_left, inner_width),
                             OverviewBlock, day_index)]
    column.blocks = [b for part in column.parts for b in part.blocks]
    column.blocks.sort(key=BY_TOP_LEFT)
    column.tops = [b.top for b in column.blocks]
    column.tallest = max((b.height for b in column.blocks), default=0.0)


def _keep_unmoved(blocks: list[OverviewBlock], first: int,
                  previous: Mapping[str, OverviewBlock]) -> None:
    """Put back the previous block of each session whose place did not change (the same
    object: a painter knows it need not draw it again)."""
    for index in range(first, len(blocks)):
        new = blocks[index]
        old = previous.get(new.session.id)
        if (old is not None and old.left == new.left and old.right == new.right
                and old.top == new.top and old.bottom == new.bottom
                and old.column == new.column and old.columns == new.columns
                and old.clipped_top == new.clipped_top
                and old.clipped_bottom == new.clipped_bottom):
            blocks[index] = old


def pack_minutes(spans: Sequence[Span]) -> tuple[list[int], int]:
    """Greedy interval partitioning on minutes (as
    :func:`planner.ui.timeline_layout.pack_columns`: the lowest free sub-column), with heaps:
    a day of 2,000 sessions in 100 sub-columns stays cheap. ``spans`` in start order."""
    busy: list[tuple[int, int]] = []  # (busy until, sub-column)
    free: list[int] = []
    positions = []
    count = 0
    for _session, start, end in spans:
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            position = heapq.heappop(free)
        else:
            position = count
            count += 1
        heapq.heappush(busy, (max(end, start + 1), position))
        positions.append(position)
    return positions, max(1, count)


def _place_busy(layout: OverviewLayout, busy: Sequence[BusyTime], clock: _WallClock) -> None:
    """The user's own busy times as a thin strip at the left of each day they touch."""
    by_day = {column.day: column for column in layout.columns}
    for item in busy:
        first = clock.local(item.start).date()
        last = clock.local(item.end - dt.timedelta(microseconds=1)).date() \
            if item.end > item.start else first
        day = first
        while day <= last:
            column = by_day.get(day)
            if column is not None:
                start = max(clock.minute(item.start, day), layout.first_minute)
                end = min(clock.minute(item.end, day), layout.last_minute)
                if end > start:
                    column.busy.append(BusyBar(item, layout.y_of_minute(start),
                                               layout.y_of_minute(end)))
            day += dt.timedelta(days=1)
