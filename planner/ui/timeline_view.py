"""The timeline view: the whole conference on one continuous time axis, sessions as blocks.

A ``QAbstractScrollArea`` that owns the view's state (day in view, zoom, collapsed rooms,
selection) and hit-testing; its input is :mod:`planner.ui.timeline_input`, its words (tooltips,
accessible descriptions) :mod:`planner.ui.timeline_text`, its days (which is in view, going to
one) :mod:`planner.ui.timeline_days`, its clock gutter :mod:`planner.ui.timeline_gutter`. Where
blocks go is computed by :mod:`planner.ui.timeline_layout` (plain data, once per change, only
while visible); drawing is :mod:`planner.ui.timeline_paint`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from planner.core import timezones
from planner.core.model import Session, SessionKind
from planner.ui import timeline_days, timeline_gutter, timeline_input, timeline_text
from planner.ui.controller import Controller
from planner.ui.proxy import FilterProxy
from planner.ui.timeline_layout import (
    BUSY_LANE_WIDTH,
    DEFAULT_ZOOM,
    FIT_MIN_COLUMN_WIDTH,
    MIN_COLUMN_WIDTH,
    TOP_PAD,
    ZOOM_LEVELS,
    Block,
    DayLayout,
    Lane,
    LayoutOptions,
    add_busy_lane,
    build_layout,
    session_spans,
)
from planner.ui.timeline_paint import TimelinePainter, rect_of, star_rect_in


class TimelineView(QAbstractScrollArea):
    """The painted conference. Emits ``selected(id)``, ``starRequested(id)`` (never stars
    itself) and ``dayChanged(day)`` whenever another day scrolls into view.

    Keys: arrows move between sessions, Space stars, +/- zoom, C collapses the room's lane.
    """

    selected = Signal(str)
    starRequested = Signal(str)
    dayChanged = Signal(object)
    zoomChanged = Signal(int)
    fitRoomsChanged = Signal(bool)

    def __init__(self, controller: Controller, proxy: FilterProxy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.proxy = proxy
        self.day: dt.date | None = None
        self.pixels_per_hour = DEFAULT_ZOOM
        self.collapsed: set[str] = set()
        self.fit_rooms = False  # every room lane squeezed into the visible width
        self.selected_id: str | None = None
        self._layout: DayLayout | None = None
        self._layout_dirty = True
        self.painter = TimelinePainter(self)
        self._categories: dict[str, int] = {}
        self._room_order: dict[str, int] = {}  # program.rooms, computed once per program
        self._by_track = False
        # The timed sessions and their timestamps, kept until the program or its times change.
        self._timed: tuple[list[Session], dict[int, tuple[float, float]]] | None = None
        self.clock_titles_cache: tuple[object, tuple[str, str]] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription("Sessions of every day as blocks, one day below the next; "
                                      "arrow keys move, Space stars, plus and minus zoom")
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.horizontalScrollBar().setAccessibleName("Timeline horizontal scroll")
        self.verticalScrollBar().setAccessibleName("Timeline vertical scroll")
        controller.programChanged.connect(self._on_program_changed)
        controller.starsChanged.connect(self._on_stars_changed)
        controller.conflictsChanged.connect(self.viewport().update)
        controller.timesChanged.connect(self._on_times_changed)
        controller.busyChanged.connect(self.relayout)
        proxy.filterChanged.connect(self.relayout)

    # -- geometry --------------------------------------------------------------------------
    def font_metrics(self) -> QFontMetrics:
        return QFontMetrics(self.font())

    def header_height(self) -> int:
        return self.font_metrics().height() + 14

    def gutter_column_width(self) -> int:
        return timeline_gutter.column_width(self)

    def clock_titles(self) -> tuple[str, str]:
        return timeline_gutter.view_clock_titles(self)

    def two_clocks(self) -> bool:
        return self.controller.two_clocks

    def gutter_width(self) -> int:
        return self.gutter_column_width() * (2 if self.two_clocks() else 1)

    def content_origin(self) -> QPointF:
        """Where content coordinate (0, 0) is in the viewport, after scrolling."""
        return QPointF(self.gutter_width() - self.horizontalScrollBar().value(),
                       self.header_height() - self.verticalScrollBar().value())

    def y_of(self, moment: dt.datetime) -> float:
        layout = self._ensure_layout()
        assert layout is not None
        return layout.y_of(moment)

    def moment_at(self, y: float) -> dt.datetime:
        """The instant at content ``y``, on the display zone's clock."""
        layout = self._ensure_layout()
        assert layout is not None
        return timezones.to_zone(layout.moment_at(y), self.controller.display_zone)

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

    def set_day(self, day: dt.date | None, keep_time: bool = False) -> None:
        """Scroll to ``day``'s start (or, ``keep_time``, to the same hour on it)."""
        timeline_days.go_to_day(self, day, keep_time)

    def step_day(self, delta: int) -> None:
        timeline_days.step_day(self, delta)

    def open_at_now(self) -> bool:
        return timeline_days.open_at_now(self)

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

    def set_fit_rooms(self, fit: bool) -> None:
        """Squeeze every room into the visible width (blocks narrow; titles elide), or give
        each room its readable width again."""
        if fit == self.fit_rooms:
            return
        self.fit_rooms = fit
        self.relayout()
        if fit:
            self.horizontalScrollBar().setValue(0)
        self.fitRoomsChanged.emit(fit)

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
            self.ensure_visible(session_id)
            session = program.find_session(session_id)
            if session is not None and session.start is not None and not session.all_day:
                day = timezones.to_zone(session.start, self.controller.display_zone).date()
                if day != self.day:  # the Days list marks the chosen session's day
                    self.day = day
                    self.dayChanged.emit(day)
        self.describe_selection()
        self.viewport().update()

    def ensure_visible(self, session_id: str) -> None:
        block = self.block_for(session_id)
        if block is None:
            return
        visible_h = self.viewport().height() - self.header_height()
        visible_w = self.viewport().width() - self.gutter_width()
        v = self.verticalScrollBar()
        h = self.horizontalScrollBar()
        if block.top < v.value() or block.top > v.value() + visible_h - 40:
            v.setValue(round(block.top - 20))
        if block.left < h.value() or block.right > h.value() + visible_w:
            h.setValue(round(block.left - 10))
        timeline_days.follow_scroll(self)

    def block_for(self, session_id: str) -> Block | None:
        layout = self._ensure_layout()
        return layout.block_for(session_id) if layout is not None else None

    def visible_blocks(self) -> list[Block]:
        """The blocks at least partly in view."""
        if self._ensure_layout() is None:
            return []
        assert self._layout is not None
        left = self.horizontalScrollBar().value()
        top = self.verticalScrollBar().value()
        right = left + self.viewport().width() - self.gutter_width()
        bottom = top + self.viewport().height() - self.header_height()
        return [b for b in self._layout.candidates(top, bottom)
                if b.bottom >= top and b.right >= left and b.left <= right]

    def block_viewport_rect(self, session_id: str) -> QRect:
        """Where a block is on screen (for tests and accessibility)."""
        block = self.block_for(session_id)
        if block is None:
            return QRect()
        return rect_of(block).translated(self.content_origin()).toAlignedRect()

    def star_viewport_rect(self, session_id: str) -> QRect:
        block = self.block_for(session_id)
        if block is None:
            return QRect()
        return star_rect_in(rect_of(block)).translated(self.content_origin()).toAlignedRect()

    # -- layout ----------------------------------------------------------------------------
    def _on_program_changed(self) -> None:
        self._timed = None
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
        self.verticalScrollBar().setValue(0)  # the first day's top (laid out when first seen)
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
        self.painter.forget()  # their time lines are stale
        self._timed = None
        anchor: Session | None = None
        program = self.controller.program
        if program is not None and self.selected_id:
            anchor = program.find_session(self.selected_id)
        top = self.top_time()
        self.relayout()
        if anchor is not None and anchor.start is not None:
            self.ensure_visible(anchor.id)
        elif top is not None:
            self.scroll_to_time(top)
        else:
            self.verticalScrollBar().setValue(0)
        self.day = None  # the days themselves moved: the day in view is found again
        timeline_days.follow_scroll(self)
        if self.day is None:
            days = self.days()
            self.day = days[0] if days else None
            self.dayChanged.emit(self.day)

    def _on_stars_changed(self, ids: list[str]) -> None:
        self.describe_selection()  # a screen reader hears the new star state
        if self.proxy.filters.starred_only:
            return  # the proxy's filterChanged relayouts
        self.viewport().update()

    def relayout(self) -> None:
        """Lay the day out again before it is next drawn or asked about."""
        self._layout_dirty = True
        self.viewport().update()

    def _build_layout(self) -> DayLayout | None:
        program = self.controller.program
        if program is None:
            return None
        # Whole days are listed above the clock, not on it.
        if self._timed is None:
            timed = [s for s in program.sessions if s.start is not None and not s.all_day]
            self._timed = (timed, session_spans(timed))
        timed, spans = self._timed
        busy = self.controller.busy
        options = LayoutOptions(
            zone=self.controller.display_zone, program_zone=self.controller.program_zone,
            pixels_per_hour=self.pixels_per_hour,
            visible_width=self.viewport().width() - self.gutter_width() - 1
            - (BUSY_LANE_WIDTH if busy else 0),
            room_order=self._room_order, collapsed=frozenset(self.collapsed),
            min_column_width=FIT_MIN_COLUMN_WIDTH if self.fit_rooms else MIN_COLUMN_WIDTH)
        layout = build_layout(timed, options, self.proxy.accepts_session, self.category_of,
                              spans)
        if busy and layout is not None:
            add_busy_lane(layout, busy)
        return layout

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
        # Past the end far enough that the last day's start can reach the top of the view.
        last_day = layout.axis.day_tops[-1][0] - TOP_PAD if layout else 0
        v.setRange(0, max(0, round(height + 8 - visible_h), round(last_day)))
        v.setPageStep(max(1, visible_h))
        v.setSingleStep(max(4, self.pixels_per_hour // 4))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):
            self.painter.forget(restyled=True)
            self.relayout()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if dy and self.isVisible():  # (a hidden timeline is laid out when shown)
            timeline_days.follow_scroll(self)
        self.viewport().update()

    def sizeHint(self) -> QSize:
        return QSize(700, 500)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painter.paint()

    # -- interaction -----------------------------------------------------------------------
    def content_point(self, pos: QPoint | QPointF) -> QPointF:
        return QPointF(pos) - self.content_origin()

    def block_at(self, pos: QPoint | QPointF) -> Block | None:
        """The block under a viewport position (the topmost painted one)."""
        layout = self._ensure_layout()
        if layout is None or pos.x() < self.gutter_width() or pos.y() < self.header_height():
            return None
        point = self.content_point(pos)
        for block in reversed(layout.candidates(point.y(), point.y())):
            if block.contains(point.x(), point.y()):
                return block
        return None

    def lane_at_header(self, pos: QPoint | QPointF) -> Lane | None:
        layout = self._ensure_layout()
        if layout is None or pos.y() >= self.header_height() or pos.x() < self.gutter_width():
            return None
        return layout.lane_at(self.content_point(pos).x())

    def lane_at_content_x(self, pos: QPoint | QPointF) -> Lane | None:
        layout = self._ensure_layout()
        if layout is None:
            return None
        return layout.lane_at(self.content_point(pos).x())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not timeline_input.press(self, event):
            super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not timeline_input.wheel(self, event):
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not timeline_input.key(self, event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        timeline_input.context_menu(self, event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            timeline_text.show_tooltip(self, event)
            return True
        return super().viewportEvent(event)

    def corner_tip(self) -> str:
        """The clocks' full zone names, for the corner above the gutter."""
        return timeline_text.corner_tip(self)

    def describe(self, session: Session) -> str:
        """Title, both clocks, place, star, conflicts: the block as words."""
        return timeline_text.describe(self, session)

    def describe_selection(self) -> None:
        """Tell assistive technology which block is selected now."""
        timeline_text.describe_selection(self)

