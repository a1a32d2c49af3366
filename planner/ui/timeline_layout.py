"""Where every block of the timeline goes, as plain numbers (no Qt).

A layout covers a span of time (the whole conference on one continuous axis, see
:mod:`planner.ui.timeline_axis`; or one day of the display zone) and says, for every session the
filters let through, which lane and column it is in and its rectangle in content pixels. A session
crossing midnight is one block. The view paints it and hit-tests against it (bisect on sorted
tops); the unit tests check it without a display.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.busy import BusyTime
from planner.core.model import Session
from planner.ui import timefmt
from planner.ui.timeline_axis import TOP_PAD as TOP_PAD  # (re-exported: the view's tests)
from planner.ui.timeline_axis import (
    Band,
    Stretch,
    TimeAxis,
    add_bands,
    build_axis,
    ceil_hour,
    floor_hour,
)

ZOOM_LEVELS = (24, 36, 48, 60, 90, 120, 180, 240, 360, 480)  # pixels per hour
DEFAULT_ZOOM = 60
MIN_COLUMN_WIDTH = 150
FIT_MIN_COLUMN_WIDTH = 6  # "fit rooms to width": narrow enough for 100 rooms on a laptop
COLLAPSED_WIDTH = 26
MIN_BLOCK_HEIGHT = 14
LONG_HOURS = 14  # blocks longer than this are hit-tested apart (see DayLayout.candidates)
NO_ROOM = ""
BUSY_LANE_WIDTH = 100  # "My calendar": the user's own busy times, a narrow first column
BUSY_LANE_TITLE = "My calendar"


@dataclass
class Lane:
    key: str
    title: str
    collapsible: bool
    collapsed: bool
    columns: int = 1
    x: float = 0.0
    width: float = 0.0


class Extent:
    """Rectangle arithmetic shared by the timeline's and the overview's blocks (a mixin with
    no fields, so each block keeps its own dataclass fields and slots)."""

    __slots__ = ()
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass
class Block(Extent):
    """One session's rectangle, in content coordinates (x right, y down from the first hour)."""

    session: Session
    lane: int
    column: int
    category: int
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    clipped_top: bool = False  # it started before the span shown
    clipped_bottom: bool = False  # it goes on after the span shown



@dataclass(frozen=True)
class BusyBlock:
    """One busy time of the user's calendar in the busy lane (content coordinates)."""

    busy: BusyTime
    top: float
    bottom: float
    clipped_top: bool = False
    clipped_bottom: bool = False


@dataclass(frozen=True)
class Mark:
    """A line on the time axis: where, the display zone's clock, the program zone's."""

    y: float
    display: str
    program: str
    full_hour: bool


@dataclass
class DayLayout:
    """The timeline's layout: the whole conference (``build_layout``) or one day."""

    day: dt.date  # the first day shown
    axis: TimeAxis
    pixels_per_hour: int = DEFAULT_ZOOM
    lanes: list[Lane] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    by_room: bool = False
    hidden: int = 0  # sessions the filters hide
    hidden_by_day: dict[dt.date, int] = field(default_factory=dict)  # by display-zone start day
    tops: list[float] = field(default_factory=list)  # block tops, sorted (bisect)
    tallest: float = 0.0  # of the blocks not in ``long_blocks``
    long_blocks: list[Block] = field(default_factory=list)  # taller than LONG_HOURS, by top
    marks: list[Mark] = field(default_factory=list)
    display_abbreviation: str = ""
    program_abbreviation: str = ""
    busy_lane: Lane | None = None  # set by add_busy_lane, left of every other lane
    busy_blocks: list[BusyBlock] = field(default_factory=list)
    _mark_cache: list[float] = field(default_factory=list, repr=False)
    _by_id: dict[str, Block] = field(default_factory=dict, repr=False)
    spans: dict[int, tuple[float, float]] = field(default_factory=dict, repr=False)  # by id()

    @property
    def start(self) -> dt.datetime:
        """The first instant drawn."""
        return self.axis.start

    @property
    def end(self) -> dt.datetime:
        return self.axis.end

    @property
    def bands(self) -> list[Band]:
        return self.axis.bands

    def y_of(self, moment: dt.datetime) -> float:
        return self.axis.y_of(moment)

    def moment_at(self, y: float) -> dt.datetime:
        return self.axis.moment_at(y)

    def marks_between(self, top: float, bottom: float) -> list[Mark]:
        """The hour marks from ``top`` to ``bottom`` (marks are sorted by y; bisect)."""
        first = bisect.bisect_left(self._mark_ys, top)
        last = bisect.bisect_right(self._mark_ys, bottom)
        return self.marks[first:last]

    @property
    def _mark_ys(self) -> list[float]:
        if len(self._mark_cache) != len(self.marks):
            self._mark_cache = [mark.y for mark in self.marks]
        return self._mark_cache

    def candidates(self, top: float, bottom: float) -> list[Block]:
        """Blocks whose top is within reach of [top, bottom] (sorted tops, bisect)."""
        first = bisect.bisect_left(self.tops, top - self.tallest)
        last = bisect.bisect_right(self.tops, bottom)
        found = self.blocks[first:last]
        # A session of days would widen every window by its height: those few are looked at
        # one by one (the slice has those whose top is in reach already).
        extra = [b for b in self.long_blocks if b.top < top - self.tallest and b.bottom >= top]
        if extra:
            found = sorted(found + extra, key=lambda b: (b.top, b.left))
        return found

    def block_for(self, session_id: str) -> Block | None:
        if len(self._by_id) != len(self.blocks):
            self._by_id = {block.session.id: block for block in self.blocks}
        return self._by_id.get(session_id)

    def busy_at(self, x: float, y: float) -> BusyBlock | None:
        """The busy time under a content point, in the busy lane."""
        lane = self.busy_lane
        if lane is None or not lane.x <= x < lane.x + lane.width:
            return None
        return next((b for b in self.busy_blocks if b.top <= y <= b.bottom), None)

    def lane_at(self, x: float) -> Lane | None:
        for lane in self.lanes:
            if lane.x <= x < lane.x + lane.width:
                return lane
        return None


@dataclass(frozen=True)
class LayoutOptions:
    """What the layout depends on besides the sessions: the view's state, as plain values."""

    zone: dt.tzinfo
    program_zone: dt.tzinfo
    pixels_per_hour: int = DEFAULT_ZOOM
    visible_width: float = 600.0
    room_order: Mapping[str, int] = field(default_factory=dict)  # empty: no room lanes
    collapsed: Collection[str] = frozenset()
    min_column_width: float = MIN_COLUMN_WIDTH  # FIT_MIN_COLUMN_WIDTH: every room in view


def suggested_zoom(sessions: Sequence[Session]) -> int:
    """A zoom at which a typical session is about 70 pixels tall (two or three title lines)."""
    lengths = sorted((s.end - s.start).total_seconds() for s in sessions
                     if s.start is not None and s.end is not None and s.end > s.start)
    if not lengths:
        return DEFAULT_ZOOM
    median_hours = lengths[len(lengths) // 2] / 3600
    wanted = 70 / max(median_hours, 0.1)
    fitting = [level for level in ZOOM_LEVELS if level <= wanted]
    return max(DEFAULT_ZOOM, min(fitting[-1] if fitting else ZOOM_LEVELS[0], 240))


def pack_columns(sessions: Sequence[Session]) -> tuple[list[int], int]:
    """Greedy interval partitioning: the column of each session (in order) and how many.

    ``sessions`` must be sorted by start; two sessions that overlap never share a column.
    """
    return pack_spans([_span_of(session) for session in sessions])


def pack_spans(spans: Sequence[tuple[float, float]]) -> tuple[list[int], int]:
    """:func:`pack_columns` on (start, end) timestamps, sorted by start."""
    ends: list[float] = []
    columns = []
    for start, end in spans:
        for col, busy_until in enumerate(ends):
            if busy_until <= start:
                ends[col] = end
                columns.append(col)
                break
        else:
            ends.append(end)
            columns.append(len(ends) - 1)
    return columns, max(1, len(ends))


def _span_of(session: Session) -> tuple[float, float]:
    assert session.start is not None
    start = session.start.timestamp()
    return start, max(start, session.end.timestamp()) if session.end is not None else start


def session_spans(sessions: Sequence[Session]) -> dict[int, tuple[float, float]]:
    """Each session's (start, end) as POSIX timestamps, by ``id(session)``. Memoised per
    instant: a program has a few hundred distinct times, and converting an aware datetime
    costs microseconds (pytz is asked for its offset)."""
    memo: dict[tuple[dt.datetime, int], float] = {}

    def stamp(moment: dt.datetime) -> float:
        key = (moment.replace(tzinfo=None), id(moment.tzinfo))
        value = memo.get(key)
        if value is None:
            value = memo[key] = moment.timestamp()
        return value

    spans: dict[int, tuple[float, float]] = {}
    for session in sessions:
        assert session.start is not None
        start = stamp(session.start)
        spans[id(session)] = (start, max(start, stamp(session.end)) if session.end else start)
    return spans


def start_then_longest(session: Session) -> tuple[float, float]:
    """A sort key (on timestamps: comparing aware datetimes asks pytz for offsets)."""
    assert session.start is not None
    return session.start.timestamp(), -(session.end or session.start).timestamp()


def build_day_layout(day: dt.date, sessions: Sequence[Session], options: LayoutOptions,
                     accepts: Callable[[Session], bool],
                     category_of: Callable[[Session], int]) -> DayLayout:
    """Lay out ``day`` (of the display zone) alone: ``sessions`` are those touching it,
    whole-day ones excluded; ``accepts`` says which the filters show. Blocks are cut at the
    day's ends (``clipped_top``/``clipped_bottom``)."""
    zone = options.zone
    day_start, day_end = timefmt.day_bounds(day, zone)
    timed = [s for s in sessions if s.start is not None]
    if timed:
        first = max(day_start, min(s.start for s in timed if s.start is not None))
        last = min(day_end, max((s.end or s.start) for s in timed if s.start is not None))
    else:
        first, last = day_start, day_start + dt.timedelta(hours=8)
    start = floor_hour(first, zone)
    end = ceil_hour(max(last, first + dt.timedelta(hours=1)), zone)
    end = min(max(end, start + dt.timedelta(hours=4)), max(day_end, start))
    height = (end - start).total_seconds() / 3600 * options.pixels_per_hour
    axis = TimeAxis([Stretch(timezones.to_utc(start), timezones.to_utc(end), TOP_PAD,
                             TOP_PAD + height)])
    add_bands(axis, zone, options.program_zone)
    return _lay_out(DayLayout(day, axis, options.pixels_per_hour,
                              by_room=bool(options.room_order)),
                    timed, options, accepts, category_of)


def build_layout(sessions: Sequence[Session], options: LayoutOptions,
                 accepts: Callable[[Session], bool],
                 category_of: Callable[[Session], int],
                 spans: dict[int, tuple[float, float]] | None = None) -> DayLayout | None:
    """Lay out the whole program on one continuous axis: every day of the display zone one
    below the next, a session crossing midnight one block, long empty stretches compressed.
    ``sessions`` are the timed, not whole-day ones; None when there are none. ``spans``:
    their :func:`session_spans`, when the caller keeps them between layouts."""
    timed = [s for s in sessions if s.start is not None]
    if not timed:
        return None
    if spans is None:
        spans = session_spans(timed)
    axis = build_axis([spans[id(s)] for s in timed], options.zone, options.program_zone,
                      options.pixels_per_hour)
    day = timezones.to_zone(axis.start, options.zone).date()
    return _lay_out(DayLayout(day, axis, options.pixels_per_hour,
                              by_room=bool(options.room_order)),
                    timed, options, accepts, category_of, spans)


def _lay_out(layout: DayLayout, timed: list[Session], options: LayoutOptions,
             accepts: Callable[[Session], bool],
             category_of: Callable[[Session], int],
             spans: dict[int, tuple[float, float]] | None = None) -> DayLayout:
    layout.spans = spans if spans is not None else session_spans(timed)
    shown: list[Session] = []
    hidden: list[Session] = []
    for session in timed:  # (one call of the filter per session: it is Python, 10,000 times)
        (shown if accepts(session) else hidden).append(session)
    layout.hidden = len(hidden)
    if hidden:
        _count_hidden(layout, hidden)
    spans = layout.spans
    shown.sort(key=lambda s: (spans[id(s)][0], -spans[id(s)][1]))
    if layout.by_room:
        groups: dict[str, list[Session]] = {}
        order = options.room_order
        for session in shown:
            groups.setdefault(session.room or NO_ROOM, []).append(session)
        keys = sorted(groups, key=lambda k: order.get(k, len(order)))
        _place_room_lanes(layout, groups, keys, options, category_of)
    else:
        _place_clusters(layout, shown, options.visible_width, category_of)
    _place_vertically(layout)
    _add_marks(layout, options)
    return layout


def _count_hidden(layout: DayLayout, hidden: list[Session]) -> None:
    """Hidden sessions by the display-zone day they start on (a bisect of each start on the
    days' first instants: no position on the axis is needed to count them)."""
    starts, days = layout.axis.day_starts, [day for _y, day in layout.axis.day_tops]
    counts, spans, bisect_right = layout.hidden_by_day, layout.spans, bisect.bisect_right
    for session in hidden:
        day = days[max(0, bisect_right(starts, spans[id(session)][0]) - 1)]
        counts[day] = counts.get(day, 0) + 1


def add_busy_lane(layout: DayLayout, busy: Sequence[BusyTime],
                  width: float = BUSY_LANE_WIDTH) -> None:
    """Put the user's busy times (in time order) in a narrow first lane and move every other
    lane right (the caller leaves that much less ``visible_width`` to the rest)."""
    layout.busy_lane = Lane("", BUSY_LANE_TITLE, False, False, 1, 0.0, width)
    for lane in layout.lanes:
        lane.x += width
    for block in layout.blocks:
        block.left += width
        block.right += width
    layout.width += width
    starts = [b.start for b in busy]
    longest = max((b.end - b.start for b in busy), default=dt.timedelta(0))
    first = bisect.bisect_left(starts, layout.start - longest)
    last = bisect.bisect_left(starts, layout.end)
    for item in busy[first:last]:
        if item.end <= layout.start:
            continue
        top = layout.y_of(max(item.start, layout.start))
        bottom = layout.y_of(min(item.end, layout.end))
        layout.busy_blocks.append(BusyBlock(item, top, max(bottom, top + MIN_BLOCK_HEIGHT),
                                            item.start < layout.start, item.end > layout.end))


def _place_vertically(layout: DayLayout) -> None:
    # On POSIX timestamps: comparing aware datetimes asks pytz for offsets every time.
    start, end = layout.start.timestamp(), layout.end.timestamp()
    y_of = layout.axis.y_of_timestamp
    layout.height = y_of(end)
    for block in layout.blocks:
        session = block.session
        assert session.start is not None
        s_start, s_end = layout.spans[id(session)]
        block.top = y_of(s_start if s_start > start else start)
        bottom = y_of(s_end if s_end < end else end)
        block.bottom = block.top + max(bottom - block.top, MIN_BLOCK_HEIGHT)
        block.clipped_top = s_start < start
        block.clipped_bottom = s_end > end
    layout.blocks.sort(key=lambda b: (b.top, b.left))
    layout.tops = [b.top for b in layout.blocks]
    long_height = LONG_HOURS * layout.pixels_per_hour
    layout.long_blocks = [b for b in layout.blocks if b.height > long_height]
    layout.tallest = max((b.height for b in layout.blocks if b.height <= long_height),
                         default=0.0)


def _add_marks(layout: DayLayout, options: LayoutOptions) -> None:
    zone, program_zone = options.zone, options.program_zone
    step = 30 if layout.pixels_per_hour >= 90 else 60
    for stretch in layout.axis.stretches:
        if stretch.compressed:
            continue  # its two ends are the marks of the stretches around it
        for mark in timefmt.hour_marks(stretch.start, stretch.end, zone, step):
            y = stretch.y_of(mark)
            if layout.marks and layout.marks[-1].y >= y:
                continue
            layout.marks.append(Mark(y, timefmt.hm(mark),
                                     timefmt.hm(timezones.to_zone(mark, program_zone)),
                                     mark.minute == 0))
    layout.display_abbreviation = timezones.abbreviation(timezones.to_zone(layout.start, zone))
    layout.program_abbreviation = timezones.abbreviation(
        timezones.to_zone(layout.start, program_zone))


def _place_room_lanes(layout: DayLayout, groups: dict[str, list[Session]], keys: list[str],
                      options: LayoutOptions, category_of: Callable[[Session], int]) -> None:
    """One lane per room (sub-columns where a room double-books); collapsed lanes thin."""
    columns_of: dict[str, list[int]] = {}
    for key in keys:
        cols, count = pack_spans([layout.spans[id(s)] for s in groups[key]])
        columns_of[key] = cols
        layout.lanes.append(Lane(key, key or "No room", True, key in options.collapsed, count))
    expanded_units = sum(lane.columns for lane in layout.lanes if not lane.collapsed)
    collapsed_width = sum(COLLAPSED_WIDTH for lane in layout.lanes if lane.collapsed)
    column_width = max(options.min_column_width,
                       (options.visible_width - collapsed_width) / max(1, expanded_units))
    x = 0.0
    for lane_index, (lane, key) in enumerate(zip(layout.lanes, keys, strict=True)):
        lane.x = x
        lane.width = COLLAPSED_WIDTH if lane.collapsed else column_width * lane.columns
        x += lane.width
        for session, column in zip(groups[key], columns_of[key], strict=True):
            left = lane.x if lane.collapsed else lane.x + column * column_width
            width = lane.width if lane.collapsed else column_width
            layout.blocks.append(Block(session, lane_index, column, category_of(session),
                                       left=left, right=left + width))
    layout.width = x


def _place_clusters(layout: DayLayout, shown: list[Session], visible_width: float,
                    category_of: Callable[[Session], int]) -> None:
    """No rooms: sessions that overlap share the width side by side (as calendar apps do);
    a session overlapping nothing gets the whole width."""
    layout.lanes.append(Lane(NO_ROOM, "", False, False, 1, 0.0, 0.0))
    cluster: list[Session] = []
    cluster_end: float | None = None
    widest = 0.0

    def flush() -> None:
        nonlocal widest
        if not cluster:
            return
        cols, count = pack_spans([layout.spans[id(s)] for s in cluster])
        width = max(MIN_COLUMN_WIDTH, visible_width / count)
        for session, column in zip(cluster, cols, strict=True):
            layout.blocks.append(Block(session, 0, column, category_of(session),
                                       left=column * width, right=(column + 1) * width))
        widest = max(widest, width * count)
        layout.lanes[0].columns = max(layout.lanes[0].columns, count)

    for session in shown:
        start, end = layout.spans[id(session)]
        if cluster_end is not None and start >= cluster_end:
            flush()
            cluster = []
            cluster_end = None
        cluster.append(session)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    flush()
    layout.lanes[0].width = max(widest, visible_width)
    layout.width = max(widest, visible_width)
