"""Icons drawn with QPainter, so they are sharp at any device pixel ratio and need no files.

The star has three states (full, half: some papers starred, empty), plus a faint look for a
full star marked "maybe", and the conflict mark is a warning triangle: conflicts are never
shown by colour alone.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from planner.bundled import ICON_PNG_NAME, ICON_SVG_NAME, resource_file
from planner.core.stars import StarState

STAR_GOLD = QColor("#e0a100")
STAR_EDGE = QColor("#9a6e00")
STAR_EMPTY_EDGE = QColor("#8c8c8c")
CONFLICT_RED = QColor("#d83a2e")
# A star starred as "maybe": the gold edge of a star, filled only faintly (☆-ish, not ★).
STAR_MAYBE_FILL = QColor(224, 161, 0, 70)
MAYBE_LOOK = "maybe"  # a look of a full star, not a StarState

_SIZES = (16, 20, 24, 32, 48)


def star_path(rect: QRectF) -> QPainterPath:
    """A five-pointed star filling ``rect``."""
    cx, cy = rect.center().x(), rect.center().y() + rect.height() * 0.04
    outer = min(rect.width(), rect.height()) / 2
    inner = outer * 0.45
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    path = QPainterPath()
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


def paint_star(painter: QPainter, rect: QRectF, state: str) -> None:
    """Draw a star in ``rect``: gold (full), half gold (partial), faint gold (a full star
    marked "maybe") or an outline (none)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = star_path(rect.adjusted(1, 1, -1, -1))
    width = max(1.0, rect.width() / 14)
    if state == StarState.FULL:
        painter.setPen(QPen(STAR_EDGE, width))
        painter.setBrush(STAR_GOLD)
        painter.drawPath(path)
    elif state == StarState.PARTIAL:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(STAR_GOLD)
        left = QRectF(rect.left(), rect.top(), rect.width() / 2, rect.height())
        painter.save()
        painter.setClipRect(left)
        painter.drawPath(path)
        painter.restore()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(STAR_EDGE, width))
        painter.drawPath(path)
    elif state == MAYBE_LOOK:
        painter.setPen(QPen(STAR_EDGE, width))
        painter.setBrush(STAR_MAYBE_FILL)
        painter.drawPath(path)
    else:
        painter.setPen(QPen(STAR_EMPTY_EDGE, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    painter.restore()


def paint_warning(painter: QPainter, rect: QRectF) -> None:
    """A red warning triangle with an exclamation mark."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    r = rect.adjusted(0.5, 1, -0.5, -0.5)
    triangle = QPolygonF([QPointF(r.center().x(), r.top()), QPointF(r.right(), r.bottom()),
                          QPointF(r.left(), r.bottom())])
    painter.setPen(QPen(CONFLICT_RED.darker(130), max(1.0, r.width() / 16)))
    painter.setBrush(CONFLICT_RED)
    painter.drawPolygon(triangle)
    painter.setPen(QPen(QColor("white"), max(1.2, r.width() / 9), Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap))
    x = r.center().x()
    painter.drawLine(QPointF(x, r.top() + r.height() * 0.38),
                     QPointF(x, r.top() + r.height() * 0.68))
    painter.drawPoint(QPointF(x, r.top() + r.height() * 0.84))
    painter.restore()


def _icon(draw: str, state: str = "") -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            rect = QRectF(0, 0, size, size)
            if draw == "star":
                paint_star(painter, rect, state)
            else:
                paint_warning(painter, rect)
            painter.end()
            icon.addPixmap(pixmap)
    return icon


@functools.cache
def star_icon(state: str) -> QIcon:
    return _icon("star", state)


@functools.cache
def warning_icon() -> QIcon:
    return _icon("warning")


@functools.cache
def app_icon() -> QIcon:
    """The application icon from ``planner/resources/`` (SVG, PNG fallback), or a painted star."""
    for path in (resource_file(ICON_SVG_NAME), resource_file(ICON_PNG_NAME)):
        if path.is_file():
            icon = QIcon(str(path))
            if not icon.isNull():
                return icon
    return star_icon(StarState.FULL)
