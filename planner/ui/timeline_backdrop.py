"""Painting what lies behind the timeline's blocks: day bands, shortened nights, busy times.

Day bands mark every midnight of the display clock (a tinted band naming the day) and of the
program's clock (a dashed line); long empty stretches are hatched strips saying how long they
really are; the user's own calendar is a grey first lane. Blocks are painted over all of it, so a
session crossing midnight stays one whole block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen

from planner.core import timezones
from planner.ui import timefmt
from planner.ui.timeline_axis import DISPLAY
from planner.ui.timeline_layout import DayLayout
from planner.ui.timeline_text import wrap_lines

if TYPE_CHECKING:
    from planner.ui.timeline_view import TimelineView


def paint_days(view: TimelineView, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
    """Empty stretches as hatched strips saying how long they are; every midnight of the
    display clock as a tinted band with the day's name, the program clock's as a dashed
    line (blocks are drawn over both: a session crossing midnight stays whole)."""
    palette = view.palette()
    right = max(layout.width, visible.right())
    small = QFont(view.font())
    small.setPointSizeF(max(6.5, view.font().pointSizeF() * 0.85))
    metrics = QFontMetrics(small)
    painter.save()
    painter.setFont(small)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    for stretch in layout.axis.compressed():
        if stretch.bottom < visible.top() or stretch.top > visible.bottom():
            continue
        strip = QRectF(visible.left(), stretch.top, right - visible.left(),
                       stretch.bottom - stretch.top)
        painter.fillRect(strip, palette.color(QPalette.ColorRole.Window))
        hatch = QColor(palette.color(QPalette.ColorRole.Mid))
        hatch.setAlpha(60)
        painter.fillRect(strip, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        zone = view.controller.display_zone
        text = (f"≈ {timefmt.duration_text(stretch.end - stretch.start)} without sessions "
                f"({timefmt.hm(timezones.to_zone(stretch.start, zone))}–"
                f"{timefmt.hm(timezones.to_zone(stretch.end, zone))}), shortened")
        painter.setPen(muted)
        painter.drawText(QRectF(visible.left() + 8, stretch.bottom - metrics.height() - 2,
                                visible.width() - 16, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    band_fill = QColor(palette.color(QPalette.ColorRole.Highlight))
    band_fill.setAlpha(45)
    bold = QFont(small)
    bold.setBold(True)
    for band in layout.bands:
        if band.y < visible.top() - 40 or band.y > visible.bottom() + 1:
            continue
        if band.clock == DISPLAY:
            height = metrics.height() + 4
            painter.fillRect(QRectF(visible.left(), band.y, right - visible.left(), height),
                             band_fill)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawLine(QPointF(visible.left(), band.y), QPointF(right, band.y))
            text = f"{timefmt.long_day_label(band.day)} begins ({view.clock_titles()[0]})"
            painter.setFont(bold)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            _label_in_free_place(painter, layout, visible, band.y, height, text, band.label)
            painter.setFont(small)
        elif view.two_clocks():
            pen = QPen(muted, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(visible.left(), band.y), QPointF(right, band.y))
            text = f"{band.label} begins on the program's clock ({view.clock_titles()[1]})"
            _label_in_free_place(painter, layout, visible, band.y, metrics.height() + 2, text,
                                 f"{band.label} ({view.clock_titles()[1]})")
    painter.restore()


def _label_in_free_place(painter: QPainter, layout: DayLayout, visible: QRectF, top: float,
                         height: float, *texts: str) -> None:
    """Draw the first of ``texts`` that fits where no block covers it (blocks are painted
    later, over it): a label peeking out in pieces between blocks would read as noise."""
    for text in texts:
        width = painter.fontMetrics().horizontalAdvance(text) + 4
        left = free_place(layout, top, top + height, visible.left() + 6, visible.right() - 6,
                          width)
        if left is not None:
            painter.drawText(QRectF(left, top + 1, width, height - 2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            return


def free_place(layout: DayLayout, top: float, bottom: float, left: float, right: float,
               width: float) -> float | None:
    """The leftmost x in [left, right] where ``width`` pixels between ``top`` and ``bottom``
    cross no block (None when there is none)."""
    covered = sorted((b.left, b.right) for b in layout.candidates(top, bottom)
                     if b.top < bottom and b.bottom > top and b.right > left and b.left < right)
    x = left
    for block_left, block_right in covered:
        if block_left - x >= width:
            return x
        x = max(x, block_right + 4)
    return x if right - x >= width else None

def paint_busy(view: TimelineView, painter: QPainter, layout: DayLayout, visible: QRectF) -> None:
    """The user's own calendar: grey blocks in the first lane, titles inside the app only."""
    lane = layout.busy_lane
    if lane is None:
        return
    palette = view.palette()
    shade = QColor(palette.color(QPalette.ColorRole.Window))
    shade.setAlpha(140)  # the hour lines show through
    painter.fillRect(QRectF(lane.x, visible.top(), lane.width, visible.height()), shade)
    painter.save()
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
    painter.drawLine(QPointF(lane.x + lane.width, visible.top()),
                     QPointF(lane.x + lane.width, visible.bottom()))
    fill = QColor(palette.color(QPalette.ColorRole.Mid))
    fill.setAlpha(150)
    small = QFont(view.font())
    small.setPointSizeF(max(6.5, view.font().pointSizeF() * 0.85))
    metrics = QFontMetrics(small)
    painter.setFont(small)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for block in layout.busy_blocks:
        if block.bottom < visible.top() or block.top > visible.bottom():
            continue
        rect = QRectF(lane.x + 3, block.top + 1, lane.width - 6, block.bottom - block.top - 2)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Dark), 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        room = int((rect.height() - 2) // metrics.height())
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        y = rect.top() + 1
        for line in wrap_lines(metrics, block.busy.title or "Busy", rect.width() - 6, room):
            painter.drawText(QRectF(rect.left() + 3, y, rect.width() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             line)
            y += metrics.height()
    painter.restore()
