"""The timeline: one day as the display zone sees it, sessions as blocks sized by duration.

Custom-painted on a ``QAbstractScrollArea``: the layout of a day is computed once (lanes by room,
or columns by overlap when the program has no rooms) and a paint draws only the blocks in view,
so scrolling a day of 2,000 sessions costs the same as a day of 20. Two clocks run down the
left edge: the display zone's and the program's, read off the same line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from planner.core import timezones
from planner.core.model import Session, SessionKind
from planner.core.stars import StarState
from planner.ui import icons, timefmt
from planner.ui.colours import category_colour, category_edge, is_dark
from planner.ui.controller import Controller
from planner.ui.models import (
    AllDayModel,
    UnscheduledModel,
    conflict_text,
    place_of,
    session_title,
)
from planner.ui.proxy import FilterProxy

ZOOM_LEVELS = (24, 36, 48, 60, 90, 120, 180, 240, 360, 480)  # pixels per hour
DEFAULT_ZOOM = 60
MIN_COLUMN_WIDTH = 150
COLLAPSED_WIDTH = 26
MIN_BLOCK_HEIGHT = 14
PIXMAP_CACHE_SIZE = 800  # rendered blocks kept for scrolling
PIXMAP_MAX_PIXELS = 600_000  # bigger blocks are drawn directly
STAR_SIZE = 16
FADE_SHARE = 0.45  # the part of an estimated block that fades out
NO_ROOM = ""
TOP_PAD = 12  # room above the first hour line for its label


@dataclass
class Lane:
    key: str
    title: str
    collapsible: bool
    collapsed: bool
    columns: int = 1
    x: float = 0.0
    width: float = 0.0


@dataclass
class Block:
    session: Session
    lane: int
    column: int
    rect: QRectF  # in content coordinates
    category: int
    clipped_top: bool = False
    clipped_bottom: bool = False
    # The rect's edges as plain floats: painting compares them for every block.
    top: float = 0.0
    bottom: float = 0.0
    left: float = 0.0
    right: float = 0.0


@dataclass(frozen=True)
class Mark:
    """A line on the time axis: where, the display zone's clock, the program zone's."""

    y: float
    display: str
    program: str
    full_hour: bool


@dataclass
class DayLayout:
    day: dt.date
    start: dt.datetime  # the first instant drawn
    end: dt.datetime
    lanes: list[Lane] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    by_room: bool = False
    hidden: int = 0  # sessions of the day the filters hide
    tops: list[float] = field(default_factory=list)  # block tops, sorted (bisect)
    tallest: float = 0.0
    marks: list[Mark] = field(default_factory=list)
    display_abbreviation: str = ""
    program_abbreviation: str = ""


def suggested_zoom(sessions: list[Session]) -> int:
    """A zoom at which a typical session is about 70 pixels tall (two or three title lines)."""
    lengths = sorted((s.end - s.start).total_seconds() for s in sessions
                     if s.start is not None and s.end is not None and s.end > s.start)
    if not lengths:
        return DEFAULT_ZOOM
    median_hours = lengths[len(lengths) // 2] / 3600
    wanted = 70 / max(median_hours, 0.1)
    fitting = [level for level in ZOOM_LEVELS if level <= wanted]
    return max(DEFAULT_ZOOM, min(fitting[-1] if fitting else ZOOM_LEVELS[0], 240))


def _floor_hour(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    wall = timezones.wall_clock(moment, zone).replace(minute=0, second=0, microsecond=0)
    return timezones.localize(wall, zone)


def _ceil_hour(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    floored = _floor_hour(moment, zone)
    if floored >= moment:
        return floored
    return timezones.add(floored, dt.timedelta(hours=1))


def wrap_lines(metrics: QFontMetrics, text: str, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one elided if cut."""
    if max_lines <= 0 or width <= 4:
        return []
    words = text.split()
    lines: list[str] = []
    current = ""
    for position, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            continue
        if len(lines) == max_lines - 1:  # no room for another line: the rest ends in "…"
            rest = " ".join([current, *words[position:]])
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, int(width)))
            return lines
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
        current = word
    if current:
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
    return lines


def pack_columns(sessions: list[Session]) -> tuple[list[int], int]:
    """Greedy interval partitioning: the column of each session (in order) and how many."""
    ends: list[dt.datetime] = []
    columns = []
    for session in sessions:
        assert session.start is not None
        end = session.end or session.start
        for col, busy_until in enumerate(ends):
            if busy_until <= session.start:
                ends[col] = end
                columns.append(col)
                break
        else:
            ends.append(end)
            columns.append(len(ends) - 1)
    return columns, max(1, len(ends))


def _start_then_longest(session: Session) -> tuple[dt.datetime, float]:
    assert session.start is not None
    return session.start, -(session.end or session.start).timestamp()


class TimelineView(QAbstractScrollArea):
    """The painted day. Emits ``selected(id)`` and ``starRequested(id)``; never stars itself.

    Keys: arrows move between sessions, Space stars, +/- zoom, C collapses the room's lane.
    """

    selected = Signal(str)
    starRequested = Signal(str)
    dayChanged = Signal(object)
    zoomChanged = Signal(int)

    def __init__(self, controller: Controller, proxy: FilterProxy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.proxy = proxy
        self.day: dt.date | None = None
        self.pixels_per_hour = DEFAULT_ZOOM
        self.collapsed: set[str] = set()
        self.selected_id: str | None = None
        self._layout: DayLayout | None = None
        self._layout_dirty = True
        self._pixmaps: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self._style_generation = 0
        self._categories: dict[str, int] = {}
        self._room_order: dict[str, int] = {}  # program.rooms, computed once per program
        self._by_track = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription("Sessions of the selected day as blocks; arrow keys move, "
                                      "Space stars, plus and minus zoom")
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.horizontalScrollBar().setAccessibleName("Timeline horizontal scroll")
        self.verticalScrollBar().setAccessibleName("Timeline vertical scroll")
        controller.programChanged.connect(self._on_program_changed)
        controller.starsChanged.connect(self._on_stars_changed)
        controller.conflictsChanged.connect(self.viewport().update)
        controller.timesChanged.connect(self._on_times_changed)
        proxy.filterChanged.connect(self.relayout)

    # -- geometry --------------------------------------------------------------------------
    def _metrics(self) -> QFontMetrics:
        return QFontMetrics(self.font())

    def header_height(self) -> int:
        return self._metrics().height() + 14

    def gutter_column_width(self) -> int:
        """Wide enough for a time and for the widest zone name shown above it: zones without
        letters are written as offsets ("+05:45"), in bold for the display zone."""
        bold = QFont(self.font())
        bold.setBold(True)
        return max(self._metrics().horizontalAdvance("00:00"),
                   QFontMetrics(bold).horizontalAdvance("+00:00")) + 14

    def two_clocks(self) -> bool:
        program = self.controller.program
        return program is not None and program.source_zone != self.controller.display_zone_name

    def gutter_width(self) -> int:
        return self.gutter_column_width() * (2 if self.two_clocks() else 1)

    def content_origin(self) -> QPointF:
        """Where content coordinate (0, 0) is in the viewport, after scrolling."""
        return QPointF(self.gutter_width() - self.horizontalScrollBar().value(),
                       self.header_height() - self.verticalScrollBar().value())

    def y_of(self, moment: dt.datetime) -> float:
        layout = self._ensure_layout()
        assert layout is not None
        seconds = (moment - layout.start).total_seconds()
        return TOP_PAD + seconds / 3600 * self.pixels_per_hour

    def moment_at(self, y: float) -> dt.datetime:
        layout = self._ensure_layout()
        assert layout is not None
        return layout.start + dt.timedelta(hours=(y - TOP_PAD) / self.pixels_per_hour)

    # -- state -----------------------------------------------------------------------------
    @property
    def layout_data(self) -> DayLayout | None:
        return self._ensure_layout()

    def _ensure_layout(self) -> DayLayout | None:
        """The day's layout, built on first use after a change (so a hidden timeline costs
        nothing while the list is searched)."""
        if self._layout_dirty:
            self._layout_dirty = False
            self._layout = self._build_layout()
            self._update_scrollbars()
        return self._layout

    def days(self) -> list[dt.date]:
        return sorted(self.controller.sessions_by_day())

    def all_day_sessions(self) -> list[Session]:
        """The day's whole-day sessions (before filtering)."""
        if self.day is None:
            return []
        return [s for s in self.controller.sessions_by_day().get(self.day, []) if s.all_day]

    def set_day(self, day: dt.date | None, keep_time: bool = True) -> None:
        if day == self.day and self._layout is not None:
            return
        top = self.top_time() if keep_time else None
        self.day = day
        self.relayout()
        if top is not None and self._ensure_layout() is not None:
            wall = timezones.wall_clock(top, self.controller.display_zone).time()
            if day is not None:
                zone = self.controller.display_zone
                self.scroll_to_time(timezones.localize(dt.datetime.combine(day, wall), zone))
        self.dayChanged.emit(day)

    def step_day(self, delta: int) -> None:
        days = self.days()
        if not days:
            return
        if self.day not in days:
            self.set_day(days[0])
            return
        position = max(0, min(len(days) - 1, days.index(self.day) + delta))
        self.set_day(days[position])

    def top_time(self) -> dt.datetime | None:
        if self._ensure_layout() is None:
            return None
        return self.moment_at(self.verticalScrollBar().value())

    def scroll_to_time(self, moment: dt.datetime) -> None:
        if self._ensure_layout() is None:
            return
        self.verticalScrollBar().setValue(round(self.y_of(moment)))

    def set_zoom(self, pixels_per_hour: int, anchor_y: float | None = None) -> None:
        pixels_per_hour = max(ZOOM_LEVELS[0], min(ZOOM_LEVELS[-1], pixels_per_hour))
        if pixels_per_hour == self.pixels_per_hour:
            return
        if anchor_y is None:
            anchor_y = (self.viewport().height() - self.header_height()) / 2
        anchor_time = self.moment_at(self.verticalScrollBar().value() + anchor_y) \
            if self._ensure_layout() else None
        self.pixels_per_hour = pixels_per_hour
        self.relayout()
        if anchor_time is not None and self._ensure_layout() is not None:
            self.verticalScrollBar().setValue(round(self.y_of(anchor_time) - anchor_y))
        self.zoomChanged.emit(pixels_per_hour)

    def zoom(self, steps: int, anchor_y: float | None = None) -> None:
        levels = list(ZOOM_LEVELS)
        current = min(range(len(levels)), key=lambda i: abs(levels[i] - self.pixels_per_hour))
        target = levels[max(0, min(len(levels) - 1, current + steps))]
        self.set_zoom(target, anchor_y)

    def set_collapsed(self, keys: set[str]) -> None:
        self.collapsed = set(keys)
        self.relayout()

    def toggle_lane(self, key: str) -> None:
        if key in self.collapsed:
            self.collapsed.discard(key)
        else:
            self.collapsed.add(key)
        self.relayout()

    def select(self, item_id: str | None, reveal: bool = True) -> None:
        """Select a session (a paper selects its first session) and bring it into view."""
        session_id = item_id
        program = self.controller.program
        if item_id and program is not None and item_id in program.papers:
            sessions = program.sessions_of(program.papers[item_id])
            session_id = sessions[0].id if sessions else None
        self.selected_id = session_id
        if session_id and reveal and program is not None:
            session = program.find_session(session_id)
            if session is not None and session.start is not None:
                day = timezones.to_zone(session.start, self.controller.display_zone).date()
                if day != self.day:
                    self.day = day
                    self.relayout()
                    self.dayChanged.emit(day)
                self.ensure_visible(session_id)
        self._describe_selection()
        self.viewport().update()

    def ensure_visible(self, session_id: str) -> None:
        block = self.block_for(session_id)
        if block is None:
            return
        visible_h = self.viewport().height() - self.header_height()
        visible_w = self.viewport().width() - self.gutter_width()
        v = self.verticalScrollBar()
        h = self.horizontalScrollBar()
        if block.rect.top() < v.value() or block.rect.top() > v.value() + visible_h - 40:
            v.setValue(round(block.rect.top() - 20))
        if block.rect.left() < h.value() or block.rect.right() > h.value() + visible_w:
            h.setValue(round(block.rect.left() - 10))

    def block_for(self, session_id: str) -> Block | None:
        if self._ensure_layout() is None:
            return None
        assert self._layout is not None
        for block in self._layout.blocks:
            if block.session.id == session_id:
                return block
        return None

    def visible_blocks(self) -> list[Block]:
        """The blocks at least partly in view."""
        if self._ensure_layout() is None:
            return []
        assert self._layout is not None
        left = self.horizontalScrollBar().value()
        top = self.verticalScrollBar().value()
        right = left + self.viewport().width() - self.gutter_width()
        bottom = top + self.viewport().height() - self.header_height()
        return [b for b in self._candidates(self._layout, top, bottom)
                if b.bottom >= top and b.right >= left and b.left <= right]

    @staticmethod
    def _candidates(layout: DayLayout, top: float, bottom: float) -> list[Block]:
        """Blocks whose top is within reach of [top, bottom] (sorted tops, bisect)."""
        first = bisect.bisect_left(layout.tops, top - layout.tallest)
        last = bisect.bisect_right(layout.tops, bottom)
        return layout.blocks[first:last]

    def block_viewport_rect(self, session_id: str) -> QRect:
        """Where a block is on screen (for tests and accessibility)."""
        block = self.block_for(session_id)
        if block is None:
            return QRect()
        return block.rect.translated(self.content_origin()).toAlignedRect()

    def star_viewport_rect(self, session_id: str) -> QRect:
        block = self.block_for(session_id)
        if block is None:
            return QRect()
        return self._star_rect(block).translated(self.content_origin()).toAlignedRect()

    # -- layout ----------------------------------------------------------------------------
    def _on_program_changed(self) -> None:
        program = self.controller.program
        self._by_track = bool(program and program.tracks)
        self._room_order = {room: i for i, room in enumerate(program.rooms)} if program else {}
        if program is not None and program.tracks:
            self._categories = {track: i for i, track in enumerate(program.tracks)}
            self._categories[""] = len(program.tracks)
        else:
            self._categories = {kind.value: i for i, kind in enumerate(SessionKind)}
        days = self.days()
        self.day = days[0] if days else None
        self.selected_id = None
        self.relayout()
        self.verticalScrollBar().setValue(0)
        self.dayChanged.emit(self.day)

    def category_of(self, session: Session) -> int:
        key = session.track if self._by_track else session.kind.value
        return self._categories.get(key, 0)

    def categories(self) -> dict[str, int]:
        return dict(self._categories)

    def colours_by_track(self) -> bool:
        return self._by_track

    def _on_times_changed(self) -> None:
        """Keep the same session (or instant) in view when every time moves."""
        self._pixmaps.clear()  # their time lines are stale
        anchor: Session | None = None
        program = self.controller.program
        if program is not None and self.selected_id:
            anchor = program.find_session(self.selected_id)
        top = self.top_time()
        zone = self.controller.display_zone
        if anchor is not None and anchor.start is not None:
            self.day = timezones.to_zone(anchor.start, zone).date()
            self.relayout()
            self.ensure_visible(anchor.id)
        elif top is not None:
            days = self.days()
            day = timezones.to_zone(top, zone).date()
            self.day = day if day in days or not days else min(
                days, key=lambda d: abs((d - day).days))
            self.relayout()
            self.scroll_to_time(top)
        else:
            days = self.days()
            self.day = days[0] if days else None
            self.relayout()
        self.dayChanged.emit(self.day)

    def _on_stars_changed(self, ids: list[str]) -> None:
        if self.proxy.filters.starred_only:
            return  # the proxy's filterChanged relayouts
        self.viewport().update()

    def relayout(self) -> None:
        """Lay the day out again before it is next drawn or asked about."""
        self._layout_dirty = True
        self.viewport().update()

    def _build_layout(self) -> DayLayout | None:
        program = self.controller.program
        if program is None or self.day is None:
            return None
        zone = self.controller.display_zone
        day_start, day_end = timefmt.day_bounds(self.day, zone)
        todays = [s for s in self.controller.sessions_by_day().get(self.day, [])
                  if not s.all_day]  # whole days are listed above the clock, not on it
        if todays:
            first = max(day_start, min(s.start for s in todays if s.start is not None))
            last = min(day_end, max((s.end or s.start) for s in todays
                                    if s.start is not None))
        else:
            first, last = day_start, day_start + dt.timedelta(hours=8)
        start = _floor_hour(first, zone)
        end = _ceil_hour(max(last, first + dt.timedelta(hours=1)), zone)
        end = min(max(end, start + dt.timedelta(hours=4)), max(day_end, start))
        layout = DayLayout(self.day, start, end, by_room=bool(self._room_order))
        shown = [s for s in todays if self.proxy.accepts_session(s)]
        layout.hidden = len(todays) - len(shown)
        shown.sort(key=_start_then_longest)
        visible_width = self.viewport().width() - self.gutter_width() - 1
        if layout.by_room:
            groups: dict[str, list[Session]] = {}
            order = self._room_order
            for session in shown:
                groups.setdefault(session.room or NO_ROOM, []).append(session)
            keys = sorted(groups, key=lambda k: order.get(k, len(order)))
            self._place_room_lanes(layout, groups, keys, visible_width)
        else:
            self._place_clusters(layout, shown, visible_width)
        pph = self.pixels_per_hour
        layout.height = TOP_PAD + (end - start).total_seconds() / 3600 * pph
        for block in layout.blocks:
            session = block.session
            assert session.start is not None
            s_end = session.end or session.start
            top = TOP_PAD + (max(session.start, start) - start).total_seconds() / 3600 * pph
            bottom = TOP_PAD + (min(s_end, end) - start).total_seconds() / 3600 * pph
            block.rect = QRectF(block.rect.left(), top, block.rect.width(),
                                max(bottom - top, MIN_BLOCK_HEIGHT))
            block.clipped_top = session.start < start
            block.clipped_bottom = s_end > end
        for block in layout.blocks:
            rect = block.rect
            block.top, block.bottom = rect.top(), rect.bottom()
            block.left, block.right = rect.left(), rect.right()
        layout.blocks.sort(key=lambda b: (b.top, b.left))
        layout.tops = [b.top for b in layout.blocks]
        layout.tallest = max((b.bottom - b.top for b in layout.blocks), default=0.0)
        program_zone = self.controller.program_zone
        step = 30 if pph >= 90 else 60
        for mark in timefmt.hour_marks(start, end, zone, step):
            y = TOP_PAD + (mark - start).total_seconds() / 3600 * pph
            layout.marks.append(Mark(y, timefmt.hm(mark),
                                     timefmt.hm(timezones.to_zone(mark, program_zone)),
                                     mark.minute == 0))
        layout.display_abbreviation = timezones.abbreviation(timezones.to_zone(start, zone))
        layout.program_abbreviation = timezones.abbreviation(
            timezones.to_zone(start, program_zone))
        return layout

    def _place_room_lanes(self, layout: DayLayout, groups: dict[str, list[Session]],
                          keys: list[str], visible_width: float) -> None:
        """One lane per room (sub-columns where a room double-books); collapsed lanes thin."""
        columns_of: dict[str, list[int]] = {}
        for key in keys:
            cols, count = pack_columns(groups[key])
            columns_of[key] = cols
            layout.lanes.append(Lane(key, key or "No room", True, key in self.collapsed, count))
        expanded_units = sum(lane.columns for lane in layout.lanes if not lane.collapsed)
        collapsed_width = sum(COLLAPSED_WIDTH for lane in layout.lanes if lane.collapsed)
        column_width = max(MIN_COLUMN_WIDTH,
                           (visible_width - collapsed_width) / max(1, expanded_units))
        x = 0.0
        for lane_index, (lane, key) in enumerate(zip(layout.lanes, keys, strict=True)):
            lane.x = x
            lane.width = COLLAPSED_WIDTH if lane.collapsed else column_width * lane.columns
            x += lane.width
            for session, column in zip(groups[key], columns_of[key], strict=True):
                left = lane.x if lane.collapsed else lane.x + column * column_width
                width = lane.width if lane.collapsed else column_width
                layout.blocks.append(Block(session, lane_index, column,
                                           QRectF(left, 0, width, 0), self.category_of(session)))
        layout.width = x

    def _place_clusters(self, layout: DayLayout, shown: list[Session],
                        visible_width: float) -> None:
        """No rooms: sessions that overlap share the width side by side (as calendar apps do);
        a session overlapping nothing gets the whole width."""
        layout.lanes.append(Lane(NO_ROOM, "", False, False, 1, 0.0, 0.0))
        cluster: list[Session] = []
        cluster_end: dt.datetime | None = None
        widest = 0.0

        def flush() -> None:
            nonlocal widest
            if not cluster:
                return
            cols, count = pack_columns(cluster)
            width = max(MIN_COLUMN_WIDTH, visible_width / count)
            for session, column in zip(cluster, cols, strict=True):
                layout.blocks.append(Block(session, 0, column,
                                           QRectF(column * width, 0, width, 0),
                                           self.category_of(session)))
            widest = max(widest, width * count)
            layout.lanes[0].columns = max(layout.lanes[0].columns, count)

        for session in shown:
            assert session.start is not None
            end = session.end or session.start
            if cluster_end is not None and session.start >= cluster_end:
                flush()
                cluster = []
                cluster_end = None
            cluster.append(session)
            cluster_end = end if cluster_end is None else max(cluster_end, end)
        flush()
        layout.lanes[0].width = max(widest, visible_width)
        layout.width = max(widest, visible_width)

    def _update_scrollbars(self) -> None:
        layout = self._layout
        visible_w = self.viewport().width() - self.gutter_width()
        visible_h = self.viewport().height() - self.header_height()
        width = layout.width if layout else 0
        height = layout.height if layout else 0
        h = self.horizontalScrollBar()
        v = self.verticalScrollBar()
        h.setRange(0, max(0, round(width - visible_w)))
        h.setPageStep(max(1, visible_w))
        h.setSingleStep(40)
        v.setRange(0, max(0, round(height + 8 - visible_h)))
        v.setPageStep(max(1, visible_h))
        v.setSingleStep(max(4, self.pixels_per_hour // 4))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):
            self._style_generation += 1
            self._pixmaps.clear()
            self.relayout()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def sizeHint(self) -> QSize:
        return QSize(700, 500)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(self.viewport().rect(), palette.color(QPalette.ColorRole.Base))
        layout = self._ensure_layout()
        if layout is None:
            self._paint_message(painter, "Open a program (Ctrl+O) or drop a file here"
                                if self.controller.program is None else "No sessions")
            return
        gutter = self.gutter_width()
        header = self.header_height()
        origin = self.content_origin()
        view = self.viewport().rect()
        content_clip = QRect(gutter, header, view.width() - gutter, view.height() - header)
        visible = QRectF(-origin.x() + gutter, -origin.y() + header, content_clip.width(),
                         content_clip.height())
        painter.save()
        painter.setClipRect(content_clip)
        painter.translate(origin)
        self._paint_grid(painter, layout, visible)
        self._paint_lanes(painter, layout, visible)
        dark = is_dark(palette)
        top, bottom = visible.top(), visible.bottom()
        left, right = visible.left(), visible.right()
        for block in self._candidates(layout, top, bottom):
            if block.bottom < top or block.right < left or block.left > right:
                continue
            self._draw_block(painter, block, layout, dark)
        self._paint_now(painter, layout, visible)
        painter.restore()
        if not layout.blocks:
            reason = ("Nothing on this day matches the search and filters"
                      if layout.hidden else "No sessions on this day")
            self._paint_message(painter, reason)
        self._paint_gutter(painter, layout, origin, header, gutter)
        self._paint_header(painter, layout, origin, header, gutter)

    def _paint_message(self, painter: QPainter, text: str) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_grid(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        palette = self.palette()
        line = palette.color(QPalette.ColorRole.Mid)
        faint = QColor(line)
        faint.setAlpha(70)
        right = max(layout.width, visible.right())
        for mark in layout.marks:
            y = mark.y
            if y < visible.top() - 1 or y > visible.bottom() + 1:
                continue
            painter.setPen(QPen(line if mark.full_hour else faint, 1))
            painter.drawLine(QPointF(visible.left(), y), QPointF(right, y))

    def _paint_lanes(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        alternate = QColor(palette.color(QPalette.ColorRole.AlternateBase))
        alternate.setAlpha(120)
        for index, lane in enumerate(layout.lanes):
            if lane.collapsed:
                painter.fillRect(QRectF(lane.x, visible.top(), lane.width, visible.height()),
                                 palette.color(QPalette.ColorRole.Window))
            elif index % 2 == 1 and layout.by_room:
                painter.fillRect(QRectF(lane.x, visible.top(), lane.width, visible.height()),
                                 alternate)
            if index:
                painter.drawLine(QPointF(lane.x, visible.top()),
                                 QPointF(lane.x, visible.bottom()))

    @staticmethod
    def _star_rect_in(area: QRectF) -> QRectF:
        rect = area.adjusted(2, 1, -2, -1)
        size = min(STAR_SIZE, max(8.0, rect.height() - 4), rect.width() - 4)
        return QRectF(rect.left() + 3, rect.top() + 2, size, size)

    def _star_rect(self, block: Block) -> QRectF:
        return self._star_rect_in(block.rect)

    def _draw_block(self, painter: QPainter, block: Block, layout: DayLayout,
                    dark: bool) -> None:
        """Blit the block from the cache (rendering it on a miss), then the selection."""
        session = block.session
        width, height = block.right - block.left, block.bottom - block.top
        state = self.controller.session_state(session)
        conflicted = session.id in self.controller.conflict_map
        starred_in = len(self.controller.stars.starred_papers_in(session)) \
            if session.paper_ids else 0
        lane = layout.lanes[block.lane]
        ratio = self.devicePixelRatioF()
        if width * height * ratio * ratio > PIXMAP_MAX_PIXELS:
            painter.save()
            painter.translate(block.left, block.top)
            self._paint_block(painter, block, layout, dark, QRectF(0, 0, width, height))
            painter.restore()
        else:
            key = (session.id, round(width), round(height), ratio, state, conflicted,
                   starred_in, dark, self.controller.display_zone_name, lane.collapsed,
                   block.clipped_top, block.clipped_bottom, layout.by_room,
                   self._style_generation, self.controller.change_notes.get(session.id, ""))
            pixmap = self._pixmaps.get(key)
            if pixmap is None:
                pixmap = QPixmap(max(1, math.ceil(width * ratio)),
                                 max(1, math.ceil(height * ratio)))
                pixmap.setDevicePixelRatio(ratio)
                pixmap.fill(Qt.GlobalColor.transparent)
                pixmap_painter = QPainter(pixmap)
                self._paint_block(pixmap_painter, block, layout, dark,
                                  QRectF(0, 0, width, height))
                pixmap_painter.end()
                self._pixmaps[key] = pixmap
                if len(self._pixmaps) > PIXMAP_CACHE_SIZE:
                    self._pixmaps.popitem(last=False)
            else:
                self._pixmaps.move_to_end(key)
            painter.drawPixmap(QPointF(block.left, block.top), pixmap)
        if session.id == self.selected_id:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 3))
            painter.drawRoundedRect(block.rect.adjusted(1, 0, -1, 0), 5, 5)
            painter.restore()

    def _paint_block(self, painter: QPainter, block: Block, layout: DayLayout,
                     dark: bool, area: QRectF) -> None:
        """Render one block into ``area`` (block-local coordinates)."""
        session = block.session
        rect = area.adjusted(2, 1, -2, -1)
        fill = category_colour(block.category, dark)
        edge = category_edge(block.category, dark)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if session.end_estimated and not block.clipped_bottom:
            gradient = QLinearGradient(rect.topLeft(), rect.bottomLeft())
            faded = QColor(fill)
            faded.setAlpha(25)
            gradient.setColorAt(0.0, fill)
            gradient.setColorAt(1.0 - FADE_SHARE, fill)
            gradient.setColorAt(1.0, faded)
            painter.setBrush(gradient)
        else:
            painter.setBrush(fill)
        others = self.controller.conflicts_of(session.id)
        painter.setPen(QPen(edge, 1))
        if session.end_estimated and not block.clipped_bottom:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 4, 4)
        if session.cancelled:
            hatch = QColor(edge)
            hatch.setAlpha(110)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 4, 4)
        if session.end_estimated and not block.clipped_bottom:
            # Solid sides where the time is known, a dotted bottom where it is a guess.
            painter.setPen(QPen(edge, 1))
            solid_bottom = rect.top() + rect.height() * (1 - FADE_SHARE)
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.topLeft(), QPointF(rect.left(), solid_bottom))
            painter.drawLine(rect.topRight(), QPointF(rect.right(), solid_bottom))
            painter.setPen(QPen(edge, 1, Qt.PenStyle.DotLine))
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        if others:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(icons.CONFLICT_RED, 2))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4)
        painter.restore()
        star_rect = self._star_rect_in(area)
        state = self.controller.session_state(session)
        if rect.height() >= 10 and rect.width() >= 12:
            icons.paint_star(painter, star_rect, state)
        lane = layout.lanes[block.lane]
        if lane.collapsed or rect.width() < 40 or rect.height() < 12:
            if others and rect.height() > STAR_SIZE * 2:
                icons.paint_warning(painter, QRectF(star_rect.left(), star_rect.bottom() + 2,
                                                    star_rect.width(), star_rect.height()))
            return
        text_left = star_rect.right() + 4
        right = rect.right() - 3
        if others:
            warn = QRectF(rect.right() - STAR_SIZE - 3, rect.top() + 2, STAR_SIZE, STAR_SIZE)
            icons.paint_warning(painter, warn)
            right = warn.left() - 2
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.85))
        metrics_small = QFontMetrics(small)
        assert session.start is not None
        time_text = timefmt.short_span(session.start, session.end, self.controller.display_zone,
                                       session.end_estimated)
        if block.clipped_top:
            time_text = "↑ " + time_text
        painter.setFont(small)
        line_h = metrics_small.height()
        if rect.height() >= max(line_h, STAR_SIZE) + QFontMetrics(self.font()).height():
            painter.drawText(QRectF(text_left, rect.top() + 1, right - text_left, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics_small.elidedText(time_text, Qt.TextElideMode.ElideRight,
                                                      round(right - text_left)))
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_metrics = QFontMetrics(title_font)
        title_top = rect.top() + max(line_h, STAR_SIZE) + 1
        extra = self._block_extra(session, layout)
        room_for = int((rect.bottom() - title_top - 2) // title_metrics.height())
        # A change mark ("moved from Sat 14:00") is worth a title line: shown from 2 lines.
        noted = session.id in self.controller.change_notes
        extra_h = line_h if extra and (room_for >= 3 or (noted and room_for >= 2)) else 0
        if extra_h:
            room_for = int((rect.bottom() - title_top - extra_h - 3) // title_metrics.height())
        if room_for >= 1:
            painter.setFont(title_font)
            lines = wrap_lines(title_metrics, session_title(session), rect.width() - 8,
                               room_for)
            y = title_top
            for line in lines:
                painter.drawText(QRectF(rect.left() + 4, y, rect.width() - 8,
                                        title_metrics.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
                y += title_metrics.height()
        else:
            # Too short for a title line of its own: the title follows the time.
            painter.setFont(small)
            painter.drawText(QRectF(text_left, rect.top() + 1, right - text_left, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics_small.elidedText(f"{time_text}  {session_title(session)}",
                                                      Qt.TextElideMode.ElideRight,
                                                      round(right - text_left)))
        if extra_h:
            painter.setFont(small)
            painter.drawText(QRectF(rect.left() + 4, rect.bottom() - line_h - 2, rect.width() - 8,
                                    line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics_small.elidedText(extra, Qt.TextElideMode.ElideRight,
                                                      round(rect.width() - 8)))
        painter.restore()

    def _block_extra(self, session: Session, layout: DayLayout) -> str:
        """The small line at the bottom: starred papers, kind, place, estimate."""
        parts = []
        note = self.controller.change_notes.get(session.id)
        if note:
            parts.append(note)
        if session.paper_ids:
            starred = len(self.controller.stars.starred_papers_in(session))
            parts.append(f"{starred} of {len(session.paper_ids)} ★" if starred
                         else f"{len(session.paper_ids)} papers")
        if not layout.by_room and place_of(session):
            parts.append(place_of(session))
        elif self._by_track or not layout.by_room:
            parts.append(session.kind.label)
        if session.end_estimated:
            parts.append("end estimated")
        return " · ".join(parts)

    def _paint_now(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        now = self.controller.now()
        if not layout.start <= now <= layout.end:
            return
        y = self.y_of(now)
        painter.setPen(QPen(icons.CONFLICT_RED, 2))
        painter.drawLine(QPointF(visible.left(), y), QPointF(max(layout.width, visible.right()), y))

    def _paint_gutter(self, painter: QPainter, layout: DayLayout, origin: QPointF, header: int,
                      gutter: int) -> None:
        palette = self.palette()
        view = self.viewport().rect()
        painter.save()
        painter.setClipRect(QRect(0, header, gutter, view.height() - header))
        painter.fillRect(QRect(0, header, gutter, view.height() - header),
                         palette.color(QPalette.ColorRole.Window))
        column = self.gutter_column_width()
        two = self.two_clocks()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        line_height = self._metrics().height()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for mark in layout.marks:
            y = mark.y + origin.y()
            if y < header - line_height or y > view.height() + line_height:
                continue
            box = QRectF(0, y - line_height / 2, column - 6, line_height)
            painter.setPen(text if mark.full_hour else muted)
            painter.drawText(box, right, mark.display)
            if two:
                painter.setPen(muted)
                painter.drawText(QRectF(column, box.top(), column - 6, box.height()), right,
                                 mark.program)
        metrics = self._metrics()
        now = self.controller.now()
        if layout.start <= now <= layout.end:
            y = self.y_of(now) + origin.y()
            painter.setPen(QPen(icons.CONFLICT_RED, 2))
            painter.drawLine(QPointF(0, y), QPointF(gutter, y))
            painter.drawText(QRectF(2, y - metrics.height(), gutter, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, "now")
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(gutter - 1, header, gutter - 1, view.height())
        if two:
            painter.drawLine(column, header, column, view.height())
        painter.restore()

    def _paint_header(self, painter: QPainter, layout: DayLayout, origin: QPointF, header: int,
                      gutter: int) -> None:
        palette = self.palette()
        view = self.viewport().rect()
        painter.save()
        painter.fillRect(QRect(0, 0, view.width(), header),
                         palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, header - 1, view.width(), header - 1)
        # The corner: which clock is which.
        column = self.gutter_column_width()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(0, 0, column - 6, header), Qt.AlignmentFlag.AlignRight
                         | Qt.AlignmentFlag.AlignVCenter,
                         self._fit(layout.display_abbreviation, column - 8))
        if self.two_clocks():
            program_abbr = layout.program_abbreviation
            painter.setFont(self.font())
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRectF(column, 0, column - 6, header), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, self._fit(program_abbr, column - 8))
        painter.setClipRect(QRect(gutter, 0, view.width() - gutter, header))
        painter.setFont(self.font())
        metrics = self._metrics()
        for lane in layout.lanes:
            if not lane.title:
                continue
            x = lane.x + origin.x()
            if x + lane.width < gutter or x > view.width():
                continue
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            if lane.collapsed:
                painter.drawText(QRectF(x, 0, lane.width, header), Qt.AlignmentFlag.AlignCenter,
                                 "▸")
            else:
                arrow = "▾ " if lane.collapsible else ""
                painter.drawText(QRectF(x + 6, 0, lane.width - 12, header),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 metrics.elidedText(arrow + lane.title,
                                                    Qt.TextElideMode.ElideRight,
                                                    round(lane.width - 12)))
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(QPointF(x, 0), QPointF(x, header))
        painter.restore()

    def _fit(self, text: str, width: int) -> str:
        return self._metrics().elidedText(text, Qt.TextElideMode.ElideRight, width)

    # -- interaction -----------------------------------------------------------------------
    def _content_point(self, pos: QPoint | QPointF) -> QPointF:
        return QPointF(pos) - self.content_origin()

    def block_at(self, pos: QPoint | QPointF) -> Block | None:
        """The block under a viewport position (the topmost painted one)."""
        layout = self._ensure_layout()
        if layout is None or pos.x() < self.gutter_width() or pos.y() < self.header_height():
            return None
        point = self._content_point(pos)
        for block in reversed(self._candidates(layout, point.y(), point.y())):
            if block.rect.contains(point):
                return block
        return None

    def lane_at_header(self, pos: QPoint | QPointF) -> Lane | None:
        layout = self._ensure_layout()
        if layout is None or pos.y() >= self.header_height() or pos.x() < self.gutter_width():
            return None
        x = self._content_point(pos).x()
        for lane in layout.lanes:
            if lane.x <= x < lane.x + lane.width:
                return lane
        return None

    def _lane_at_content_x(self, pos: QPoint | QPointF) -> Lane | None:
        layout = self._ensure_layout()
        if layout is None:
            return None
        x = self._content_point(pos).x()
        for lane in layout.lanes:
            if lane.x <= x < lane.x + lane.width:
                return lane
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        lane = self.lane_at_header(pos)
        if lane is not None and lane.collapsible:
            self.toggle_lane(lane.key)
            return
        block = self.block_at(pos)
        if block is None:
            lane = self._lane_at_content_x(pos)
            if lane is not None and lane.collapsed:
                self.toggle_lane(lane.key)
            return
        if self._star_rect(block).adjusted(-3, -3, 3, 3).contains(self._content_point(pos)):
            self.selected_id = block.session.id
            self.selected.emit(block.session.id)
            self.starRequested.emit(block.session.id)
        else:
            self.selected_id = block.session.id
            self.selected.emit(block.session.id)
        self._describe_selection()
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1
            self.zoom(steps, event.position().y() - self.header_height())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if key == Qt.Key.Key_Space:
            if self.selected_id:
                self.starRequested.emit(self.selected_id)
            return
        if text in ("+", "=") or key == Qt.Key.Key_Plus:
            self.zoom(1)
            return
        if text in ("-", "_") or key == Qt.Key.Key_Minus:
            self.zoom(-1)
            return
        if text.lower() == "c" and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            block = self.block_for(self.selected_id) if self.selected_id else None
            if block is not None and self._layout is not None:
                lane = self._layout.lanes[block.lane]
                if lane.collapsible:
                    self.toggle_lane(lane.key)
            return
        layout = self._ensure_layout()
        blocks = layout.blocks if layout is not None else []
        moves: dict[Qt.Key, Callable[[], Block | None]] = {
            Qt.Key.Key_Down: lambda: self._neighbour(0, 1),
            Qt.Key.Key_Up: lambda: self._neighbour(0, -1),
            Qt.Key.Key_Right: lambda: self._neighbour(1, 0),
            Qt.Key.Key_Left: lambda: self._neighbour(-1, 0),
            Qt.Key.Key_Home: lambda: blocks[0] if blocks else None,
            Qt.Key.Key_End: lambda: blocks[-1] if blocks else None,
        }
        if key in moves and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            target = moves[key]()  # type: ignore[index]
            if target is not None:
                self.selected_id = target.session.id
                self.ensure_visible(target.session.id)
                self.selected.emit(target.session.id)
                self._describe_selection()
                self.viewport().update()
            return
        super().keyPressEvent(event)

    def _neighbour(self, dx: int, dy: int) -> Block | None:
        layout = self._ensure_layout()
        if layout is None or not layout.blocks:
            return None
        current = self.block_for(self.selected_id) if self.selected_id else None
        if current is None:
            return layout.blocks[0]
        if dy:
            same_lane = [b for b in layout.blocks if b.lane == current.lane]
            same_lane.sort(key=lambda b: (b.rect.top(), b.rect.left()))
            position = same_lane.index(current) + dy
            return same_lane[position] if 0 <= position < len(same_lane) else None
        # Left/right: the next column (or lane) over, nearest in time.
        def place(block: Block) -> tuple[int, int]:
            return block.lane, block.column
        here = place(current)
        candidates = [b for b in layout.blocks if (place(b) > here if dx > 0 else place(b) < here)]
        if not candidates:
            return None
        nearest_place = min(candidates, key=lambda b: place(b)) if dx > 0 else max(
            candidates, key=lambda b: place(b))
        column = [b for b in candidates if place(b) == place(nearest_place)]
        centre = current.rect.center().y()
        return min(column, key=lambda b: abs(b.rect.center().y() - centre))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            self._show_tooltip(event)
            return True
        return super().viewportEvent(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        pos = event.pos()
        lane = self.lane_at_header(pos)
        if lane is not None and lane.title:
            action = "expand" if lane.collapsed else "collapse"
            QToolTip.showText(event.globalPos(), f"{lane.title}: click to {action} this room "
                              "(C with a session selected)", self)
            return
        block = self.block_at(pos)
        if block is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPos(), self.describe(block.session), self)

    def describe(self, session: Session) -> str:
        """Title, both clocks, place, star, conflicts: the block as words."""
        lines = [session.title]
        if session.start is not None:
            lines.append(timefmt.span(session.start, session.end, self.controller.display_zone,
                                      session.end_estimated)
                         + " · program time "
                         + timefmt.span(session.start, session.end, self.controller.program_zone,
                                        session.end_estimated))
            if session.end_estimated:
                lines.append("The end is an estimate: the program gives only a start.")
        details = [session.kind.label]
        if place_of(session):
            details.append(place_of(session))
        if session.track:
            details.append(f"track {session.track}")
        lines.append(" · ".join(details))
        state = self.controller.session_state(session)
        if state == StarState.FULL:
            lines.append("★ Starred")
        elif state == StarState.PARTIAL:
            lines.append(f"½★ {len(self.controller.stars.starred_papers_in(session))} of its "
                         f"papers starred")
        others = self.controller.conflicts_of(session.id)
        if others:
            lines.append("⚠ " + conflict_text(self.controller, others))
        return "\n".join(lines)

    def _describe_selection(self) -> None:
        program = self.controller.program
        session = program.find_session(self.selected_id) if program and self.selected_id else None
        if session is None:
            day = timefmt.long_day_label(self.day) if self.day else "no day"
            self.setAccessibleDescription(f"Timeline of {day}; no session selected")
        else:
            self.setAccessibleDescription(self.describe(session).replace("\n", ". "))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        layout = self._ensure_layout()
        if layout is None or not layout.by_room:
            return
        lane = self.lane_at_header(event.pos()) or self._lane_at_content_x(event.pos())
        menu = QMenu(self)
        if lane is not None:
            toggle = QAction(("Expand" if lane.collapsed else "Collapse") + f" “{lane.title}”",
                             menu)
            toggle.triggered.connect(lambda: self.toggle_lane(lane.key))
            menu.addAction(toggle)
            others = QAction("Collapse all other rooms", menu)
            others.triggered.connect(lambda: self.set_collapsed(
                {other.key for other in layout.lanes if other.key != lane.key}))
            menu.addAction(others)
        expand = QAction("Expand all rooms", menu)
        expand.triggered.connect(lambda: self.set_collapsed(set()))
        menu.addAction(expand)
        menu.exec(event.globalPos())


class TimelinePane(QWidget):
    """The timeline with its day bar, legend and the list of unscheduled sessions."""

    def __init__(self, controller: Controller, proxy: FilterProxy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view = TimelineView(controller, proxy, self)
        self.previous_day = self._tool_button("◀", "Previous day (Alt+Page Up)")
        self.next_day = self._tool_button("▶", "Next day (Alt+Page Down)")
        self.zoom_out = self._tool_button("−", "Zoom out (−, Ctrl+wheel)")
        self.zoom_in = self._tool_button("+", "Zoom in (+, Ctrl+wheel)")
        self.day_label = QLabel()
        self.day_label.setAccessibleName("Day shown")
        self.day_label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.day_label.font())
        font.setBold(True)
        self.day_label.setFont(font)
        self.day_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.previous_day)
        bar.addWidget(self.next_day)
        bar.addWidget(self.day_label, 1)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Colour legend")
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.legend_area = QScrollArea()
        self.legend_area.setWidget(self.legend)
        self.legend_area.setWidgetResizable(True)
        self.legend_area.setFrameShape(QFrame.Shape.NoFrame)
        self.legend_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend.setContentsMargins(0, 0, 0, 0)
        self.legend_area.setMaximumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.legend_area.setAccessibleName("Colour legend")
        self.legend_timer = QTimer(self)
        self.legend_timer.setSingleShot(True)
        self.legend_timer.setInterval(120)
        self.legend_timer.timeout.connect(self._update_legend)
        self.all_day_model = AllDayModel(controller, proxy.accepts_session, self)
        self.all_day_label = QLabel("All day:")
        self.all_day = QListView()
        self.all_day.setModel(self.all_day_model)
        self.all_day.setAccessibleName("Whole-day sessions of this day")
        self.all_day.setIconSize(QSize(16, 16))
        self.all_day_label.setBuddy(self.all_day)
        self.unscheduled_model = UnscheduledModel(controller, proxy.accepts_session, self)
        self.unscheduled_label = QLabel()
        self.unscheduled = QListView()
        self.unscheduled.setModel(self.unscheduled_model)
        self.unscheduled.setAccessibleName("Sessions without a time")
        self.unscheduled.setIconSize(QSize(16, 16))
        self.unscheduled.setMaximumHeight(90)
        self.unscheduled_label.setBuddy(self.unscheduled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.all_day_label)
        layout.addWidget(self.all_day)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend_area)
        layout.addWidget(self.unscheduled_label)
        layout.addWidget(self.unscheduled)
        self.previous_day.clicked.connect(lambda: self.view.step_day(-1))
        self.next_day.clicked.connect(lambda: self.view.step_day(1))
        self.zoom_in.clicked.connect(lambda: self.view.zoom(1))
        self.zoom_out.clicked.connect(lambda: self.view.zoom(-1))
        self.view.dayChanged.connect(self._update_bar)
        proxy.filterChanged.connect(lambda: self._update_bar(self.view.day))
        proxy.filterChanged.connect(self._refresh_unscheduled)
        proxy.filterChanged.connect(self._refresh_all_day)
        self.view.dayChanged.connect(self._refresh_all_day)
        # (Not .start itself: valueChanged(int) would pass the value as the interval.)
        proxy.filterChanged.connect(lambda: self.legend_timer.start())
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self.legend_timer.start())
        self.view.horizontalScrollBar().valueChanged.connect(
            lambda _v: self.legend_timer.start())
        controller.programChanged.connect(self._refresh_unscheduled)
        controller.timesChanged.connect(lambda: self._update_bar(self.view.day))
        self._refresh_unscheduled()
        self._refresh_all_day()
        self._update_bar(self.view.day)

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_bar(self.view.day)  # skipped while hidden

    def _update_bar(self, day: object) -> None:
        if not self.isVisible():
            return  # counting hidden sessions would lay out a day nobody sees
        zone = self.controller.display_zone_name
        if isinstance(day, dt.date):
            days = self.view.days()
            text = f"{timefmt.long_day_label(day)} · times in {zone}"
            layout = self.view.layout_data
            if layout is not None and layout.hidden:
                text += f" · {layout.hidden} hidden by search or filters"
            self.day_label.setText(text)
            self.previous_day.setEnabled(bool(days) and day != days[0])
            self.next_day.setEnabled(bool(days) and day != days[-1])
        else:
            self.day_label.setText(f"Times in {zone}")
            self.previous_day.setEnabled(False)
            self.next_day.setEnabled(False)
        self._update_legend()

    def _update_legend(self) -> None:
        """The colours of what is in view (the Tracks or Kinds list has them all)."""
        if not self.isVisible():
            return
        blocks = self.view.visible_blocks()
        if not blocks:
            self.legend.setText("")
            self.legend_area.setVisible(False)
            return
        dark = is_dark(self.palette())
        by_track = self.view.colours_by_track()
        seen: dict[int, str] = {}
        for block in blocks:
            session = block.session
            label = (session.track or "No track") if by_track else session.kind.label
            seen.setdefault(block.category, label)
        items = []
        for category, label in sorted(seen.items(), key=lambda kv: kv[1].casefold()):
            colour = category_colour(category, dark).name()
            edge = category_edge(category, dark).name()
            name = _escape(label).replace(" ", "&nbsp;").replace("-", "\u2011")
            items.append(f'<span style="background-color:{colour}; color:{edge}">&nbsp;■&nbsp;'
                         f"</span>&nbsp;{name}")
        extra = (" &nbsp; <i>faded&nbsp;end&nbsp;=&nbsp;end&nbsp;estimated</i>"
                 if any(b.session.end_estimated for b in blocks) else "")
        what = "Tracks in view" if by_track else "Kinds in view"
        self.legend.setText(f"<b>{what}:</b> " + " &nbsp; ".join(items) + extra)
        self.legend_area.setVisible(True)

    def _refresh_all_day(self, *args: object) -> None:
        self.all_day_model.set_sessions(self.view.all_day_sessions())
        count = self.all_day_model.rowCount()
        self.all_day_label.setVisible(count > 0)
        self.all_day.setVisible(count > 0)
        if count:
            row_h = self.all_day.sizeHintForRow(0)
            self.all_day.setMaximumHeight(min(72, row_h * count + 6))

    def _refresh_unscheduled(self) -> None:
        self.unscheduled_model.refresh()
        count = self.unscheduled_model.rowCount()
        self.unscheduled_label.setText(f"Not scheduled ({count}): the program gives no time")
        self.unscheduled_label.setVisible(count > 0)
        self.unscheduled.setVisible(count > 0)
        if count:
            row_h = self.unscheduled.sizeHintForRow(0)
            self.unscheduled.setMaximumHeight(min(90, row_h * count + 6))


def _escape(text: str) -> str:
    import html

    return html.escape(text)
