"""The conference overview: every day side by side, stars and conflicts at a glance.

A ``QAbstractScrollArea`` over :mod:`planner.ui.overview_layout` (where blocks go, plain data,
rebuilt lazily after a change and only while shown); :mod:`planner.ui.overview_paint` draws
it. It follows the filters (the window's :class:`~planner.ui.proxy.FilterProxy`), the stars,
the conflicts and the display zone live. It never changes anything itself: it emits
``sessionActivated`` (go there in the timeline), ``timeActivated`` (an empty spot: that day
and time in the timeline), ``focused`` (the keyboard moved to a session) and ``starRequested``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from planner.core.model import Session, SessionKind
from planner.core.stars import StarState
from planner.ui import timefmt
from planner.ui.controller import Controller
from planner.ui.models import session_title
from planner.ui.overview_layout import (
    DayColumn,
    DaySpans,
    OverviewBlock,
    OverviewLayout,
    build_overview,
    day_spans,
    rebuild_days,
)
from planner.ui.overview_paint import paint_overview
from planner.ui.proxy import FilterProxy
from planner.ui.timeline_text import session_facts

ARROWS = {Qt.Key.Key_Up: "up", Qt.Key.Key_Down: "down", Qt.Key.Key_Left: "left",
          Qt.Key.Key_Right: "right"}
HELP = ("Every day of the conference side by side; arrow keys move between sessions and days, "
        "Enter shows the session in the timeline, Space stars it")


class OverviewView(QAbstractScrollArea):
    """All days as columns; the keyboard's session is ``focus_id``."""

    sessionActivated = Signal(str)
    timeActivated = Signal(object)  # an aware datetime
    focused = Signal(str)
    starRequested = Signal(str)

    def __init__(self, controller: Controller, proxy: FilterProxy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.proxy = proxy
        self.focus_id: str | None = None
        self.focus_day: dt.date | None = None  # which of a midnight-crossing session's blocks
        self._layout: OverviewLayout | None = None
        self._dirty = True
        self._states: dict[str, str] | None = None  # session id -> star state, per star change
        self._categories: dict[str, int] = {}  # track (or kind) -> colour, as the timeline's
        self._by_track = False
        self._spans: tuple[object, DaySpans] | None = None
        self.column_pixmaps: dict[dt.date, QImage] = {}  # each day as painted, until it changes
        self.column_dirty: dict[dt.date, list[QRectF]] = {}  # of them, parts a star changed
        self._known_conflicts: set[str] = set()  # the conflicting sessions the images show
        self._star_days: set[dt.date] | None = None  # redrawn for a star, before the next paint
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Conference overview")
        self.setAccessibleDescription(HELP)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.horizontalScrollBar().setAccessibleName("Overview horizontal scroll")
        self.verticalScrollBar().setAccessibleName("Overview vertical scroll")
        controller.programChanged.connect(self._on_program_changed)
        controller.timesChanged.connect(self.relayout)
        controller.busyChanged.connect(self.relayout)
        controller.starsChanged.connect(self._on_stars_changed)
        controller.conflictsChanged.connect(self._on_conflicts_changed)
        proxy.filterChanged.connect(self.relayout)

    # -- geometry --------------------------------------------------------------------------
    def header_height(self) -> int:
        return 2 * self.fontMetrics().height() + 10

    def gutter_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("00:00") + 14

    def content_origin(self) -> QPointF:
        return QPointF(self.gutter_width() - self.horizontalScrollBar().value(),
                       self.header_height() - self.verticalScrollBar().value())

    def content_point(self, pos: QPoint | QPointF) -> QPointF:
        return QPointF(pos) - self.content_origin()

    def visible_content(self) -> QRectF:
        """The part of the content in view (content coordinates)."""
        origin = self.content_origin()
        viewport = self.viewport().rect()
        return QRectF(self.gutter_width() - origin.x(), self.header_height() - origin.y(),
                      viewport.width() - self.gutter_width(),
                      viewport.height() - self.header_height())

    @property
    def layout_data(self) -> OverviewLayout | None:
        """The layout, built on first use after a change (a hidden overview costs nothing)."""
        if self._dirty:
            self._dirty = False
            self._layout = self._build()
            self._update_scrollbars()
        return self._layout

    def relayout(self) -> None:
        """Lay out again before the next paint (filters, zone, size, stars changed)."""
        self._dirty = True
        self._states = None
        self.redraw()

    def redraw(self) -> None:
        """Paint every day again (same layout: conflicts or notes changed)."""
        self.column_pixmaps.clear()
        self.column_dirty.clear()
        self._known_conflicts = set(self.controller.conflict_map)
        self.viewport().update()

    def _build(self) -> OverviewLayout | None:
        if self.controller.program is None:
            return None
        viewport = self.viewport()
        by_day = self.controller.sessions_by_day()
        return build_overview(by_day, self.controller.display_zone, self.proxy.accepts_session,
                              viewport.width() - self.gutter_width() - 1,
                              viewport.height() - self.header_height(), self.controller.busy,
                              mine=self._is_mine, spans=self.spans())

    def spans(self) -> DaySpans:
        """The sessions' wall-clock minutes per day, kept while the controller's days are
        the same object (it makes new ones when the program or a zone changes)."""
        by_day = self.controller.sessions_by_day()
        if self._spans is None or self._spans[0] is not by_day:
            self._spans = (by_day, day_spans(by_day, self.controller.display_zone))
        return self._spans[1]

    def _update_scrollbars(self) -> None:
        layout = self._layout
        visible_w = self.viewport().width() - self.gutter_width()
        visible_h = self.viewport().height() - self.header_height()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setRange(0, max(0, round((layout.width if layout else 0) - visible_w)))
        h.setPageStep(max(1, visible_w))
        h.setSingleStep(40)
        v.setRange(0, max(0, round((layout.height if layout else 0) - visible_h)))
        v.setPageStep(max(1, visible_h))
        v.setSingleStep(20)

    # -- what the blocks show --------------------------------------------------------------
    def state_of(self, session: Session) -> str:
        """Star state (full, partial, none), cached until the stars change."""
        if self._states is None:
            self._states = {}
        state = self._states.get(session.id)
        if state is None:
            state = self._states[session.id] = self.controller.session_state(session)
        return state

    def category_of(self, session: Session) -> int:
        key = session.track if self._by_track else session.kind.value
        return self._categories.get(key, 0)

    def is_conflicted(self, session: Session) -> bool:
        return session.id in self.controller.conflict_map

    def day_counts(self, column: DayColumn) -> tuple[int, int, int]:
        """(sessions shown, starred ones: full or some papers, starred ones in conflict)."""
        conflicts = sum(1 for session in column.mine if self.is_conflicted(session))
        return column.shown, len(column.mine), conflicts

    def day_title(self, column: DayColumn) -> tuple[str, str]:
        """The header's two lines: ``Sat 28 Dec · 3★`` and ``42 sessions · ⚠ 1``."""
        shown, starred, conflicts = self.day_counts(column)
        first = timefmt.day_label(column.day) + (f" · {starred}★" if starred else "")
        parts = [f"{shown} session{'s' if shown != 1 else ''}"]
        if column.hidden:
            parts.append(f"{column.hidden} hidden")
        if conflicts:
            parts.append(f"⚠ {conflicts}")
        return first, " · ".join(parts)

    def describe(self, session: Session) -> str:
        """Title, time (display zone), place, star and conflicts, for tooltips and readers."""
        controller = self.controller
        lines = [session_title(session)]
        if session.start is not None:
            lines.append(timefmt.span(session.start, session.end, controller.display_zone,
                                      session.end_estimated))
        lines += session_facts(controller, session, self.state_of(session))
        return "\n".join(lines)

    # -- the keyboard's session ------------------------------------------------------------
    def focus_block(self) -> OverviewBlock | None:
        layout = self.layout_data
        if layout is None or not self.focus_id:
            return None
        if self.focus_day is not None:
            column = layout.column_of(self.focus_day)
            if column is not None:
                block = next((b for b in column.blocks if b.session.id == self.focus_id), None)
                if block is not None:
                    return block
        return layout.block_for(self.focus_id)

    def select(self, session_id: str | None, reveal: bool = True) -> None:
        """Make ``session_id`` the keyboard's session (a paper's id: its first session)."""
        program = self.controller.program
        if session_id and program is not None and session_id in program.papers:
            sessions = program.sessions_of(program.papers[session_id])
            session_id = sessions[0].id if sessions else None
        if session_id != self.focus_id:
            self.focus_day = None
        self.focus_id = session_id or None
        if reveal:
            self.ensure_visible()
        self._describe_focus()
        self.viewport().update()

    def _move_to(self, block: OverviewBlock) -> None:
        self.focus_id = block.session.id
        self.focus_day = block_day(self, block)
        self.ensure_visible()
        self._describe_focus()
        self.viewport().update()
        self.focused.emit(block.session.id)

    def ensure_visible(self) -> None:
        block = self.focus_block()
        if block is None:
            return
        visible = self.visible_content()
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        if block.left < visible.left() or block.right > visible.right():
            column = self.layout_data.columns[block.day_index]  # type: ignore[union-attr]
            h.setValue(round(column.x + column.width / 2 - visible.width() / 2))
        if block.top < visible.top() or block.bottom > visible.bottom():
            v.setValue(round(block.top - 20))

    def _describe_focus(self) -> None:
        """The accessible description follows the keyboard's session (without a layout: a
        hidden overview lays nothing out)."""
        program = self.controller.program
        session = program.find_session(self.focus_id) if program and self.focus_id else None
        if session is None:
            self.setAccessibleDescription(HELP)
            return
        lines = self.describe(session).split("\n")
        self.setAccessibleDescription(". ".join(line.rstrip(".") for line in lines))

    def _first_in_view(self) -> OverviewBlock | None:
        layout = self.layout_data
        if layout is None:
            return None
        visible = self.visible_content()
        for column in layout.columns:
            if column.x + column.width < visible.left():
                continue
            blocks = [b for b in column.blocks if b.bottom >= visible.top()]
            if blocks:
                return blocks[0]
        return next((c.blocks[0] for c in layout.columns if c.blocks), None)

    # -- events ----------------------------------------------------------------------------
    def _on_program_changed(self) -> None:
        program = self.controller.program
        self._by_track = bool(program and program.tracks)
        if program is not None and program.tracks:
            self._categories = {track: i for i, track in enumerate(program.tracks)}
            self._categories[""] = len(program.tracks)
        else:
            self._categories = {kind.value: i for i, kind in enumerate(SessionKind)}
        self.focus_id = None
        self.focus_day = None
        self.relayout()
        self.horizontalScrollBar().setValue(0)
        self.verticalScrollBar().setValue(0)

    def _on_stars_changed(self, ids: list[str]) -> None:
        """The user's sessions have their own part of each day: lay out again the days of
        the sessions these stars touch (all of them when the layout is stale anyway)."""
        program = self.controller.program
        if (self._dirty or self._layout is None or program is None or len(ids) > 50
                or not self.isVisible()):  # hidden: laid out when shown
            self.relayout()
        else:
            touched: list[Session] = []
            for item_id in ids:
                found = program.find_session(item_id)
                paper = program.papers.get(item_id)
                touched.extend([found] if found is not None
                               else program.sessions_of(paper) if paper is not None else [])
            days: set[dt.date] = set()
            for session in touched:
                if self._states is not None:
                    self._states.pop(session.id, None)
                if session.start is not None:
                    days.update(timefmt.local_days(session.start, session.end,
                                                   self.controller.display_zone))
            changed = rebuild_days(self._layout, self.spans(), days,
                                   self.proxy.accepts_session, self._is_mine, touched)
            conflicts = set(self.controller.conflict_map)
            redraw = {s.id for s in touched} | (conflicts ^ self._known_conflicts)
            self._known_conflicts = conflicts
            self._mark_dirty(changed, redraw)
            self._star_days = days
            self.viewport().update()
        self._describe_focus()

    def _mark_dirty(self, changed: dict[dt.date, list[OverviewBlock]],
                    redraw: set[str]) -> None:
        """Where each day's image must be drawn again: its changed blocks and the blocks of
        the ``redraw`` sessions (new star state or conflicts); most of a day changed (its
        first star splits it in two): the whole image."""
        assert self._layout is not None
        for column in self._layout.columns:
            if column.day not in changed or column.day not in self.column_pixmaps:
                continue
            blocks = changed[column.day] + [b for b in column.blocks if b.session.id in redraw]
            if len(blocks) > len(column.blocks) // 2:
                self.column_pixmaps.pop(column.day)
                self.column_dirty.pop(column.day, None)
                continue
            self.column_dirty.setdefault(column.day, []).extend(
                QRectF(b.left, b.top, b.width, b.height) for b in blocks)

    def _on_conflicts_changed(self) -> None:
        """A star's new conflicts are with sessions at the same time, so on the days just
        redrawn for it; any other change of conflicts paints every day again."""
        if self._star_days is None:
            self.redraw()

    def _is_mine(self, session: Session) -> bool:
        return self.state_of(session) != StarState.NONE

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        layout = self.layout_data
        block = self.focus_block()
        if layout is None:
            super().keyPressEvent(event)
            return
        if key in ARROWS or key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            target: OverviewBlock | None
            if block is None:
                target = self._first_in_view()
            elif key == Qt.Key.Key_Home:
                target = layout.columns[block.day_index].blocks[0]
            elif key == Qt.Key.Key_End:
                target = layout.columns[block.day_index].blocks[-1]
            else:
                target = layout.neighbour(block, ARROWS[key]) or block
            if target is not None:
                self._move_to(target)
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and block is not None:
            self.sessionActivated.emit(block.session.id)
            event.accept()
        elif key == Qt.Key.Key_Space and block is not None:
            self.starRequested.emit(block.session.id)
            event.accept()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        layout = self.layout_data
        pos = event.position()
        if layout is None or pos.x() < self.gutter_width():
            return
        point = self.content_point(pos)
        column = layout.column_at(point.x())
        if column is None:
            return
        if pos.y() < self.header_height():  # a day's header: that day from its first hour
            self.timeActivated.emit(layout.moment_at(column.day, layout.y_of_minute(
                layout.first_minute)))
            return
        block = column.block_at(point.x(), point.y())
        if block is not None:
            self._move_to(block)
            self.sessionActivated.emit(block.session.id)
        else:
            self.timeActivated.emit(layout.moment_at(column.day, point.y()))
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Shift+wheel (or a sideways wheel) scrolls the days sideways."""
        delta = event.angleDelta()
        sideways = delta.x() if delta.x() else (
            delta.y() if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0)
        if not sideways:
            super().wheelEvent(event)
            return
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() - round(sideways / 120 * bar.singleStep() * 3))
        event.accept()

    def block_at(self, pos: QPoint | QPointF) -> OverviewBlock | None:
        layout = self.layout_data
        if layout is None or pos.x() < self.gutter_width() or pos.y() < self.header_height():
            return None
        point = self.content_point(pos)
        return layout.block_at(point.x(), point.y())

    def block_viewport_rect(self, session_id: str, day: dt.date | None = None) -> QRect:
        """Where a session's block is on screen (tests, accessibility)."""
        layout = self.layout_data
        if layout is None:
            return QRect()
        block = None
        if day is not None:
            column = layout.column_of(day)
            block = next((b for b in column.blocks if b.session.id == session_id),
                         None) if column else None
        else:
            block = layout.block_for(session_id)
        if block is None:
            return QRect()
        origin = self.content_origin()
        return QRectF(block.left + origin.x(), block.top + origin.y(), block.width,
                      block.height).toAlignedRect()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            block = self.block_at(event.pos())
            if block is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.describe(block.session), self)
            return True
        return super().viewportEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):
            self.relayout()
        super().changeEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def sizeHint(self) -> QSize:
        return QSize(700, 500)

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_overview(self)
        self._star_days = None


def block_day(view: OverviewView, block: OverviewBlock) -> dt.date:
    layout = view.layout_data
    assert layout is not None
    return layout.columns[block.day_index].day
