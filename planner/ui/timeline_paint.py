"""Painting the timeline: grid, lanes, blocks (from a pixmap cache), now, clocks, header.

What lies behind the blocks (day bands, shortened nights, busy times) is
:mod:`planner.ui.timeline_backdrop`. The painter reads a
:class:`~planner.ui.timeline_layout.DayLayout` and the view's state (palette, font, selection,
scroll position); it decides nothing about where a block goes.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)

from planner.core.model import Session
from planner.ui import icons, timefmt, timeline_backdrop
from planner.ui.colours import category_colour, category_edge, is_dark
from planner.ui.models import place_of, session_title
from planner.ui.timeline_axis import DISPLAY
from planner.ui.timeline_gutter import NOW_TEXT, GutterLabels, gutter_labels
from planner.ui.timeline_layout import Block, DayLayout
from planner.ui.timeline_text import wrap_lines as wrap_lines  # (re-exported)

if TYPE_CHECKING:
    from planner.ui.timeline_view import TimelineView

PIXMAP_CACHE_SIZE = 800  # rendered blocks kept for scrolling
PIXMAP_MAX_PIXELS = 600_000  # bigger blocks are drawn directly
STAR_SIZE = 16
FADE_SHARE = 0.45  # the part of an estimated block that fades out


def rect_of(block: Block) -> QRectF:
    """The block's rectangle in content coordinates."""
    return QRectF(block.left, block.top, block.right - block.left, block.bottom - block.top)


def star_rect_in(area: QRectF) -> QRectF:
    """Where the star is drawn (and clicked) inside a block's ``area``."""
    rect = area.adjusted(2, 1, -2, -1)
    size = min(STAR_SIZE, max(8.0, rect.height() - 4), rect.width() - 4)
    return QRectF(rect.left() + 3, rect.top() + 2, size, size)


class TimelinePainter:
    """Paints a :class:`TimelineView`; keeps the rendered blocks for scrolling."""

    def __init__(self, view: TimelineView) -> None:
        self.view = view
        self._pixmaps: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self._style_generation = 0

    def forget(self, restyled: bool = False) -> None:
        """Drop the rendered blocks (times or style changed)."""
        self._pixmaps.clear()
        if restyled:
            self._style_generation += 1

    def paint(self) -> None:
        """Paint the viewport: grid, lanes, the blocks in view, now, the clocks and the header."""
        painter = QPainter(self.view.viewport())
        palette = self.view.palette()
        painter.fillRect(self.view.viewport().rect(), palette.color(QPalette.ColorRole.Base))
        layout = self.view.layout_data
        if layout is None:
            self._paint_message(painter, "Open a program (Ctrl+O) or drop a file here"
                                if self.view.controller.program is None else "No sessions")
            return
        gutter = self.view.gutter_width()
        header = self.view.header_height()
        origin = self.view.content_origin()
        view = self.view.viewport().rect()
        content_clip = QRect(gutter, header, view.width() - gutter, view.height() - header)
        visible = QRectF(-origin.x() + gutter, -origin.y() + header, content_clip.width(),
                         content_clip.height())
        painter.save()
        painter.setClipRect(content_clip)
        painter.translate(origin)
        self._paint_grid(painter, layout, visible)
        self._paint_lanes(painter, layout, visible)
        timeline_backdrop.paint_days(self.view, painter, layout, visible)
        timeline_backdrop.paint_busy(self.view, painter, layout, visible)
        dark = is_dark(palette)
        top, bottom = visible.top(), visible.bottom()
        left, right = visible.left(), visible.right()
        for block in layout.candidates(top, bottom):
            if block.bottom < top or block.right < left or block.left > right:
                continue
            self._draw_block(painter, block, layout, dark)
        self._paint_now(painter, layout, visible)
        painter.restore()
        if not layout.blocks:
            reason = ("Nothing matches the search and filters"
                      if layout.hidden else "No sessions")
            self._paint_message(painter, reason)
        self._paint_gutter(painter, layout, origin, header, gutter)
        self._paint_header(painter, layout, origin, header, gutter)

    def _paint_message(self, painter: QPainter, text: str) -> None:
        painter.setPen(self.view.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(self.view.viewport().rect(), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_grid(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        palette = self.view.palette()
        line = palette.color(QPalette.ColorRole.Mid)
        faint = QColor(line)
        faint.setAlpha(70)
        right = max(layout.width, visible.right())
        for mark in layout.marks_between(visible.top() - 1, visible.bottom() + 1):
            y = mark.y
            painter.setPen(QPen(line if mark.full_hour else faint, 1))
            painter.drawLine(QPointF(visible.left(), y), QPointF(right, y))

    def _paint_lanes(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        palette = self.view.palette()
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

    def _star_rect(self, block: Block) -> QRectF:
        return star_rect_in(rect_of(block))

    def _draw_block(self, painter: QPainter, block: Block, layout: DayLayout,
                    dark: bool) -> None:
        """Blit the block from the cache (rendering it on a miss), then the selection."""
        session = block.session
        width, height = block.right - block.left, block.bottom - block.top
        state = self.view.controller.session_state(session)
        conflicted = session.id in self.view.controller.conflict_map
        starred_in = len(self.view.controller.stars.starred_papers_in(session)) \
            if session.paper_ids else 0
        lane = layout.lanes[block.lane]
        ratio = self.view.devicePixelRatioF()
        if width * height * ratio * ratio > PIXMAP_MAX_PIXELS:
            painter.save()
            painter.translate(block.left, block.top)
            self._paint_block(painter, block, layout, dark, QRectF(0, 0, width, height))
            painter.restore()
        else:
            key = (session.id, round(width), round(height), ratio, state, conflicted,
                   starred_in, dark, self.view.controller.display_zone_name, lane.collapsed,
                   block.clipped_top, block.clipped_bottom, layout.by_room,
                   self._style_generation, self.view.controller.change_notes.get(session.id, ""))
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
        if session.id == self.view.selected_id:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.view.palette().color(QPalette.ColorRole.Highlight), 3))
            painter.drawRoundedRect(rect_of(block).adjusted(1, 0, -1, 0), 5, 5)
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
        others = self.view.controller.conflicts_of(session.id)
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
        star_rect = star_rect_in(area)
        state = self.view.controller.session_state(session)
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
        painter.setPen(self.view.palette().color(QPalette.ColorRole.Text))
        small = QFont(self.view.font())
        small.setPointSizeF(max(6.5, self.view.font().pointSizeF() * 0.85))
        metrics_small = QFontMetrics(small)
        assert session.start is not None
        time_text = timefmt.short_span(session.start, session.end,
                                       self.view.controller.display_zone, session.end_estimated)
        if block.clipped_top:
            time_text = "↑ " + time_text
        painter.setFont(small)
        line_h = metrics_small.height()
        if rect.height() >= max(line_h, STAR_SIZE) + QFontMetrics(self.view.font()).height():
            painter.drawText(QRectF(text_left, rect.top() + 1, right - text_left, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics_small.elidedText(time_text, Qt.TextElideMode.ElideRight,
                                                      round(right - text_left)))
        title_font = QFont(self.view.font())
        title_font.setBold(True)
        title_metrics = QFontMetrics(title_font)
        title_top = rect.top() + max(line_h, STAR_SIZE) + 1
        extra = self._block_extra(session, layout)
        room_for = int((rect.bottom() - title_top - 2) // title_metrics.height())
        # A change mark ("moved from Sat 14:00") is worth a title line: shown from 2 lines.
        noted = session.id in self.view.controller.change_notes
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
        note = self.view.controller.change_notes.get(session.id)
        if note:
            parts.append(note)
        if session.paper_ids:
            starred = len(self.view.controller.stars.starred_papers_in(session))
            parts.append(f"{starred} of {len(session.paper_ids)} ★" if starred
                         else f"{len(session.paper_ids)} papers")
        if not layout.by_room and place_of(session):
            parts.append(place_of(session))
        elif self.view.colours_by_track() or not layout.by_room:
            parts.append(session.kind.label)
        if session.end_estimated:
            parts.append("end estimated")
        return " · ".join(parts)

    def _paint_now(self, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
        now = self.view.controller.now()
        if not layout.start <= now <= layout.end:
            return
        y = layout.y_of(now)
        painter.setPen(QPen(icons.CONFLICT_RED, 2))
        painter.drawLine(QPointF(visible.left(), y), QPointF(max(layout.width, visible.right()), y))

    def _paint_gutter(self, painter: QPainter, layout: DayLayout, origin: QPointF, header: int,
                      gutter: int) -> None:
        palette = self.view.palette()
        view = self.view.viewport().rect()
        painter.save()
        painter.setClipRect(QRect(0, header, gutter, view.height() - header))
        painter.fillRect(QRect(0, header, gutter, view.height() - header),
                         palette.color(QPalette.ColorRole.Window))
        column = self.view.gutter_column_width()
        two = self.view.two_clocks()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        # Label rectangles are as wide as their text: no clipping of a last pixel.
        right = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                 | Qt.TextFlag.TextDontClip)
        labels = self.gutter_labels(layout, origin, header)
        bold = QFont(self.view.font())
        bold.setBold(True)
        for band, rect in labels.days:
            weekday, _space, date = band.label.partition(" ")
            painter.setFont(bold)
            painter.setPen(text if band.clock == DISPLAY else muted)
            painter.drawText(rect, right, f"{weekday}\n{date}")
        painter.setFont(self.view.font())
        for mark, display, program in labels.marks:
            painter.setPen(text if mark.full_hour else muted)
            painter.drawText(display, right, mark.display)
            if program is not None:
                painter.setPen(muted)
                painter.drawText(program, right, mark.program)
        if labels.now is not None and labels.now_y is not None:
            painter.setPen(QPen(icons.CONFLICT_RED, 2))
            painter.drawLine(QPointF(0, labels.now_y), QPointF(gutter, labels.now_y))
            painter.drawText(labels.now, Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip,
                             NOW_TEXT)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(gutter - 1, header, gutter - 1, view.height())
        if two:
            painter.drawLine(column, header, column, view.height())
        painter.restore()

    def gutter_labels(self, layout: DayLayout, origin: QPointF, header: int) -> GutterLabels:
        """The gutter's labels where they are painted (viewport coordinates)."""
        now = self.view.controller.now()
        now_y = layout.y_of(now) + origin.y() if layout.start <= now <= layout.end else None
        return gutter_labels(layout, origin.y(), self.view.font_metrics(),
                             self.view.gutter_column_width(), self.view.two_clocks(), now_y,
                             header, self.view.viewport().height())

    def _paint_header(self, painter: QPainter, layout: DayLayout, origin: QPointF, header: int,
                      gutter: int) -> None:
        palette = self.view.palette()
        view = self.view.viewport().rect()
        painter.save()
        painter.fillRect(QRect(0, 0, view.width(), header),
                         palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, header - 1, view.width(), header - 1)
        # The corner: which clock is which.
        column = self.view.gutter_column_width()
        display_title, program_title = self.view.clock_titles()
        bold = QFont(self.view.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(0, 0, column - 6, header), Qt.AlignmentFlag.AlignRight
                         | Qt.AlignmentFlag.AlignVCenter,
                         self._fit(display_title, column - 8))
        if self.view.two_clocks():
            program_abbr = program_title
            painter.setFont(self.view.font())
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRectF(column, 0, column - 6, header), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, self._fit(program_abbr, column - 8))
        painter.setClipRect(QRect(gutter, 0, view.width() - gutter, header))
        painter.setFont(self.view.font())
        metrics = self.view.font_metrics()
        lanes = [layout.busy_lane, *layout.lanes] if layout.busy_lane else layout.lanes
        for lane in lanes:
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
        return self.view.font_metrics().elidedText(text, Qt.TextElideMode.ElideRight, width)

