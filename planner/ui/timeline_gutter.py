"""Where the clock gutter's labels go: hour labels of both clocks and the "now" label.

The "now" label sits just above the now line, else just below it, else next to the hour label
that sits on the line; when no place near the line is free (a low zoom) it takes the one covering
fewer hour labels, which are then not drawn. Plain geometry
on ``QRectF`` so the view, the painter and the tests agree on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

from planner.core import timezones
from planner.ui.timeline_layout import DayLayout, Mark

NOW_TEXT = "now"
RIGHT_PAD = 6  # between an hour label and its column's right edge
NEAR_LINE = 1.6  # how far (in label heights) the "now" label may move from its line


@dataclass
class GutterLabels:
    """Viewport rectangles of the labels drawn in the gutter (hidden marks left out)."""

    marks: list[tuple[Mark, QRectF, QRectF | None]] = field(default_factory=list)
    now: QRectF | None = None
    now_y: float | None = None


def gutter_labels(layout: DayLayout, origin_y: float, metrics: QFontMetrics, column: float,
                  two_clocks: bool, now_y: float | None, top: float,
                  bottom: float) -> GutterLabels:
    """The labels between viewport ``top`` and ``bottom``; ``now_y`` is the now line (or None)."""
    height = metrics.height()
    labels = GutterLabels(now_y=now_y)
    for mark in layout.marks:
        y = mark.y + origin_y
        if y < top - height or y > bottom + height:
            continue
        width = metrics.horizontalAdvance(mark.display)
        display = QRectF(column - RIGHT_PAD - width, y - height / 2, width, height)
        program = None
        if two_clocks:
            width = metrics.horizontalAdvance(mark.program)
            program = QRectF(2 * column - RIGHT_PAD - width, y - height / 2, width, height)
        labels.marks.append((mark, display, program))
    if now_y is None:
        return labels
    width = metrics.horizontalAdvance(NOW_TEXT) + 2
    shown = [rect for _mark, display, program in labels.marks
             for rect in (display, program) if rect is not None]

    def covered(rect: QRectF) -> int:
        return sum(1 for other in shown if other.intersects(rect))

    above = QRectF(2, now_y - height - 1, width, height)
    below = QRectF(2, now_y + 1, width, height)
    # Free places next to the line, or next to an hour label that is on it.
    candidates = [above, below]
    for other in shown:
        if abs(other.center().y() - now_y) < 2 * height:
            candidates += [QRectF(2, other.top() - height - 1, width, height),
                           QRectF(2, other.bottom() + 1, width, height)]
    free = [rect for rect in candidates if not covered(rect) and rect.top() >= top
            and abs(rect.center().y() - now_y) <= NEAR_LINE * height]
    labels.now = (min(free, key=lambda rect: abs(rect.center().y() - now_y)) if free
                  else min((above, below), key=covered))  # above when both are free
    now = labels.now
    labels.marks = [(mark, display, program) for mark, display, program in labels.marks
                    if not display.intersects(now)
                    and (program is None or not program.intersects(now))]
    return labels


def city_of(zone_name: str) -> str:
    """``America/Argentina/Buenos_Aires`` -> ``Buenos Aires``; ``UTC`` stays ``UTC``."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def clock_titles(display_name: str, display_zone: dt.tzinfo, program_name: str,
                 program_zone: dt.tzinfo, day: dt.date | None,
                 two_clocks: bool) -> tuple[str, str]:
    """The gutter's two clock titles on ``day``: abbreviations (CEST, PDT), or the zones'
    cities when two different zones share an abbreviation (Europe/Brussels and Europe/Berlin
    are both CET)."""
    noon = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(12))
    moment = timezones.localize(noon, display_zone)
    display = timezones.abbreviation(timezones.to_zone(moment, display_zone))
    program = timezones.abbreviation(timezones.to_zone(moment, program_zone))
    if two_clocks and display == program and city_of(display_name) != city_of(program_name):
        return city_of(display_name), city_of(program_name)
    return display, program
