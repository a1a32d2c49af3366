"""The clock gutter's geometry: its width, its clock titles, where its labels go.

Labels: hour labels of both clocks, the day labels at each clock's midnight, the "now" label.

The "now" label sits just above the now line, else just below it, else next to the hour label
that sits on the line; when no place near the line is free (a low zoom) it takes the one covering
fewer hour labels, which are then not drawn. Plain geometry
on ``QRectF`` so the view, the painter and the tests agree on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetrics

from planner.core import timezones
from planner.ui.timeline_axis import DISPLAY, Band
from planner.ui.timeline_layout import DayLayout, Mark

if TYPE_CHECKING:
    from planner.ui.timeline_view import TimelineView

NOW_TEXT = "now"
RIGHT_PAD = 6  # between an hour label and its column's right edge
NEAR_LINE = 1.6  # how far (in label heights) the "now" label may move from its line


@dataclass
class GutterLabels:
    """Viewport rectangles of the labels drawn in the gutter (hidden marks left out)."""

    marks: list[tuple[Mark, QRectF, QRectF | None]] = field(default_factory=list)
    days: list[tuple[Band, QRectF]] = field(default_factory=list)  # "Sat" / "28 Dec"
    now: QRectF | None = None
    now_y: float | None = None


def gutter_labels(layout: DayLayout, origin_y: float, metrics: QFontMetrics, column: float,
                  two_clocks: bool, now_y: float | None, top: float,
                  bottom: float) -> GutterLabels:
    """The labels between viewport ``top`` and ``bottom``; ``now_y`` is the now line (or None)."""
    height = metrics.height()
    labels = GutterLabels(now_y=now_y)
    for band in layout.bands:
        y = band.y + origin_y
        if y < top - 3 * height or y > bottom + height or (band.clock != DISPLAY
                                                              and not two_clocks):
            continue
        left = 0.0 if band.clock == DISPLAY else column
        label_top = y + height / 2  # under the midnight's hour label
        if band.compressed:  # no hour label there: by its line, between the strip's two
            strip = layout.axis.stretch_at_time(band.moment)
            label_top = max(strip.top + origin_y + height / 2,
                            min(y - height, strip.bottom + origin_y - 2.5 * height))
        labels.days.append((band, QRectF(left + 2, label_top, column - 4, 2 * height)))
    for mark in layout.marks_between(top - height - origin_y, bottom + height - origin_y):
        y = mark.y + origin_y
        width = metrics.horizontalAdvance(mark.display)
        display = QRectF(column - RIGHT_PAD - width, y - height / 2, width, height)
        program = None
        if two_clocks:
            width = metrics.horizontalAdvance(mark.program)
            program = QRectF(2 * column - RIGHT_PAD - width, y - height / 2, width, height)
        labels.marks.append((mark, display, program))
    # The day labels sit under their midnight's hour label; hour labels give way to them.
    labels.marks = [(mark, display, program) for mark, display, program in labels.marks
                    if not any(rect.intersects(display) or (program is not None
                                                            and rect.intersects(program))
                               for _band, rect in labels.days)]
    if now_y is None:
        return labels
    width = metrics.horizontalAdvance(NOW_TEXT) + 2
    shown = [rect for _mark, display, program in labels.marks
             for rect in (display, program) if rect is not None]
    shown += [rect for _band, rect in labels.days]

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


def column_width(view: TimelineView) -> int:
    """One clock column: wide enough for a time, a day label ("28 Dec") and the widest zone
    name shown above it: zones without letters are written as offsets ("+05:45"), in bold
    for the display zone."""
    bold = QFont(view.font())
    bold.setBold(True)
    display, program = view_clock_titles(view)
    return max(view.font_metrics().horizontalAdvance("00:00") + 14,
               QFontMetrics(bold).horizontalAdvance("+00:00") + 14,
               QFontMetrics(bold).horizontalAdvance("28 Dec") + 8,
               QFontMetrics(bold).horizontalAdvance(display) + 10,
               view.font_metrics().horizontalAdvance(program) + 10)


def view_clock_titles(view: TimelineView) -> tuple[str, str]:
    """What the two clocks are called above the gutter on the day in view: their
    abbreviations, or, when the abbreviations are the same but the zones are not (Brussels and
    Berlin, both CET), the zones' cities, so the user can tell which clock is which. Cached on
    the view per day and zones."""
    controller = view.controller
    program = controller.program
    source = program.source_zone if program is not None else ""
    key = (view.day, controller.display_zone_name, source)
    cached = view.clock_titles_cache
    if cached is None or cached[0] != key:
        titles = clock_titles(controller.display_zone_name, controller.display_zone, source,
                              controller.program_zone, view.day, view.two_clocks())
        cached = view.clock_titles_cache = (key, titles)
    return cached[1]
