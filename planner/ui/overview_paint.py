"""Painting the conference overview: day columns, hour lines, compact blocks, headers.

Starred sessions are filled with the star's gold (half-starred ones, holding a starred paper,
with a lighter gold), the rest in a pale tint of their track or kind; a starred session that
overlaps another of the agenda gets a red edge and a ⚠, so conflicts show without colour too.
The painter reads an :class:`~planner.ui.overview_layout.OverviewLayout` and decides nothing
about where a block goes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen

from planner.core import timezones
from planner.core.stars import StarState
from planner.ui import icons, timefmt
from planner.ui.colours import category_colour, category_edge, is_dark
from planner.ui.models import session_title
from planner.ui.overview_layout import BUSY_WIDTH, DayColumn, OverviewBlock, OverviewLayout
from planner.ui.timeline_paint import wrap_lines

if TYPE_CHECKING:
    from planner.ui.overview_view import OverviewView

TEXT_MIN_WIDTH = 34  # narrower blocks carry no title (the tooltip has it)
WARNING_SIZE = 12


def paint_overview(view: OverviewView) -> None:
    """Each day's column comes from an image (rendered on a miss: after a layout, or a star
    on that day); now, the keyboard's frame, the clock and the headers are drawn over it."""
    painter = QPainter(view.viewport())
    palette = view.palette()
    viewport = view.viewport().rect()
    painter.fillRect(viewport, palette.color(QPalette.ColorRole.Base))
    layout = view.layout_data
    if layout is None or not layout.columns:
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(viewport, Qt.AlignmentFlag.AlignCenter,
                         "Open a program (Ctrl+O) or drop a file here"
                         if view.controller.program is None else "No sessions")
        return
    gutter, header = view.gutter_width(), view.header_height()
    origin = view.content_origin()
    visible = view.visible_content()
    painter.save()
    painter.setClipRect(QRect(gutter, header, viewport.width() - gutter,
                              viewport.height() - header))
    painter.translate(origin)
    columns = [c for c in layout.columns
               if c.x + c.width >= visible.left() and c.x <= visible.right()]
    ratio = view.devicePixelRatioF()
    for column in columns:
        pixmap = view.column_pixmaps.get(column.day)
        if pixmap is None:
            pixmap = render_column(view, layout, column, ratio)
            view.column_pixmaps[column.day] = pixmap
        painter.drawImage(QPointF(column.x, 0), pixmap)
    _paint_now(view, painter, layout, visible)
    focus = view.focus_block()
    if focus is not None:
        width = 3 if view.hasFocus() else 2
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(focus.left - 1, focus.top - 1, focus.width + 2,
                                focus.height + 2))
    painter.restore()
    _paint_gutter(view, painter, layout, origin, gutter, header)
    _paint_header(view, painter, columns, origin, gutter, header)


def render_column(view: OverviewView, layout: OverviewLayout, column: DayColumn,
                  ratio: float) -> QImage:
    """One day as a picture: its background, hour lines, busy strip and blocks."""
    # A QImage: the raster engine paints into it directly (a QPixmap costs a conversion).
    pixmap = QImage(max(1, math.ceil(column.width * ratio)),
                    max(1, math.ceil(layout.height * ratio)),
                    QImage.Format.Format_ARGB32_Premultiplied)
    pixmap.setDevicePixelRatio(ratio)
    palette = view.palette()
    index = layout.columns.index(column)
    pixmap.fill(palette.color(QPalette.ColorRole.AlternateBase if index % 2
                              else QPalette.ColorRole.Base))
    painter = QPainter(pixmap)
    painter.translate(-column.x, 0)
    line = palette.color(QPalette.ColorRole.Mid)
    faint = QColor(line)
    faint.setAlpha(60)
    right = column.x + column.width
    for y, hour in layout.hour_lines():
        painter.setPen(QPen(line if hour % 6 == 0 else faint, 1))
        painter.drawLine(QPointF(column.x, y), QPointF(right, y))
    painter.setPen(QPen(line, 1))
    painter.drawLine(QPointF(column.x, 0), QPointF(column.x, layout.height))
    _paint_busy(painter, palette, column)
    small = QFont(view.font())
    small.setPointSizeF(max(6.5, view.font().pointSizeF() * 0.85))
    painter.setFont(small)
    metrics = QFontMetrics(small)
    colours: dict[tuple[int, str], tuple[QColor, QColor]] = {}
    dark = is_dark(palette)
    for block in column.blocks:
        _paint_block(view, painter, block, dark, metrics, colours)
    painter.end()
    return pixmap


def _paint_busy(painter: QPainter, palette: QPalette, column: DayColumn) -> None:
    fill = QColor(palette.color(QPalette.ColorRole.Dark))
    fill.setAlpha(150)
    for bar in column.busy:
        painter.fillRect(QRectF(column.x + 0.5, bar.top, BUSY_WIDTH, bar.bottom - bar.top),
                         fill)


def _colours(category: int, state: str, dark: bool) -> tuple[QColor, QColor]:
    """(fill, edge) of a block: gold for the user's, a pale tint of its track otherwise."""
    if state == StarState.FULL:
        return QColor(icons.STAR_GOLD), QColor(icons.STAR_EDGE)
    if state == StarState.PARTIAL:
        fill = QColor(icons.STAR_GOLD)
        fill.setAlpha(120)
        return fill, QColor(icons.STAR_EDGE)
    fill, edge = category_colour(category, dark), category_edge(category, dark)
    fill.setAlpha(150)
    edge.setAlpha(140)
    return fill, edge


def _paint_block(view: OverviewView, painter: QPainter, block: OverviewBlock, dark: bool,
                 metrics: QFontMetrics,
                 colours: dict[tuple[int, str], tuple[QColor, QColor]]) -> None:
    session = block.session
    state = view.state_of(session)
    key = (view.category_of(session), state)
    pair = colours.get(key)
    if pair is None:
        pair = colours[key] = _colours(key[0], state, dark)
    fill, edge = pair
    rect = QRectF(block.left + 0.5, block.top + 0.5, max(1.0, block.width - 1),
                  max(1.0, block.height - 1))
    conflicted = state != StarState.NONE and view.is_conflicted(session)
    if rect.width() < 3:  # a sliver: its edge colour, or it would vanish
        painter.fillRect(rect, icons.CONFLICT_RED if conflicted
                         else edge if state == StarState.NONE else fill)
        return
    painter.fillRect(rect, fill)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if conflicted:
        painter.setPen(QPen(icons.CONFLICT_RED, 2))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
    else:
        painter.setPen(QPen(edge, 1))
        painter.drawRect(rect)
    right = rect.right() - 2
    if conflicted and rect.width() >= WARNING_SIZE + 6 and rect.height() >= WARNING_SIZE:
        warn = QRectF(rect.right() - WARNING_SIZE - 2, rect.top() + 1, WARNING_SIZE,
                      WARNING_SIZE)
        icons.paint_warning(painter, warn)
        right = warn.left() - 1
    if rect.width() < TEXT_MIN_WIDTH or rect.height() < metrics.height() - 2:
        return
    lines = max(1, int((rect.height() - 2) // metrics.height()))
    prefix = {StarState.FULL: "★ ", StarState.PARTIAL: "½★ "}.get(state, "")
    title = prefix + session_title(session)
    text_colour = QColor("#1a1a1a") if state != StarState.NONE else view.palette().color(
        QPalette.ColorRole.Text)
    painter.setPen(text_colour)
    y = rect.top() + 1
    for index, line in enumerate(wrap_lines(metrics, title, right - rect.left() - 3, lines)):
        width = (right if index == 0 else rect.right() - 2) - rect.left() - 3
        painter.drawText(QRectF(rect.left() + 3, y, width, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        y += metrics.height()


def _paint_now(view: OverviewView, painter: QPainter, layout: OverviewLayout,
               visible: QRectF) -> None:
    now = timezones.wall_clock(view.controller.now(), layout.zone)
    column = layout.column_of(now.date())
    minute = now.hour * 60 + now.minute
    if column is None or not layout.first_minute <= minute <= layout.last_minute:
        return
    y = layout.y_of_minute(minute)
    if visible.top() <= y <= visible.bottom():
        painter.setPen(QPen(icons.CONFLICT_RED, 2))
        painter.drawLine(QPointF(column.x, y), QPointF(column.x + column.width, y))


def _paint_gutter(view: OverviewView, painter: QPainter, layout: OverviewLayout,
                  origin: QPointF, gutter: int, header: int) -> None:
    palette = view.palette()
    viewport = view.viewport().rect()
    painter.save()
    painter.fillRect(QRect(0, header, gutter, viewport.height() - header),
                     palette.color(QPalette.ColorRole.Window))
    painter.setClipRect(QRect(0, header, gutter, viewport.height() - header))
    metrics = view.fontMetrics()
    every = 1 if layout.pixels_per_hour >= metrics.height() + 4 else 2
    painter.setPen(palette.color(QPalette.ColorRole.WindowText))
    for y, hour in layout.hour_lines():
        if hour % every:
            continue
        top = y + origin.y() - metrics.height() / 2
        painter.drawText(QRectF(0, top, gutter - 6, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                         | Qt.TextFlag.TextDontClip, f"{hour % 24:02d}:00")
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.drawLine(gutter - 1, header, gutter - 1, viewport.height())
    painter.restore()


def _paint_header(view: OverviewView, painter: QPainter, columns: list[DayColumn],
                  origin: QPointF, gutter: int, header: int) -> None:
    palette = view.palette()
    viewport = view.viewport().rect()
    painter.save()
    painter.fillRect(QRect(0, 0, viewport.width(), header),
                     palette.color(QPalette.ColorRole.Window))
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.drawLine(0, header - 1, viewport.width(), header - 1)
    bold = QFont(view.font())
    bold.setBold(True)
    bold_metrics = QFontMetrics(bold)
    metrics = view.fontMetrics()
    line_h = metrics.height()
    # The corner names the clock the axis reads (the display zone's).
    program = view.controller.program
    if program is not None and columns:
        day_start = timefmt.day_bounds(columns[0].day, view.controller.display_zone)[0]
        abbreviation = timezones.abbreviation(day_start)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(0, header - line_h - 5, gutter - 6, line_h),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         bold_metrics.elidedText(abbreviation, Qt.TextElideMode.ElideRight,
                                                 gutter - 8))
    painter.setClipRect(QRect(gutter, 0, viewport.width() - gutter, header))
    focus = view.focus_block()
    layout = view.layout_data
    focus_day = layout.columns[focus.day_index].day if focus and layout else None
    for column in columns:
        x = column.x + origin.x()
        first, second = view.day_title(column)
        width = round(column.width - 10)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.Highlight) if column.day == focus_day
                       else palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(x + 5, 4, width, line_h), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter,
                         bold_metrics.elidedText(first, Qt.TextElideMode.ElideRight, width))
        painter.setFont(view.font())
        painter.setPen(icons.CONFLICT_RED if "⚠" in second
                       else palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRectF(x + 5, 5 + line_h, width, line_h), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(second, Qt.TextElideMode.ElideRight, width))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPointF(x, 0), QPointF(x, header))
    painter.restore()
