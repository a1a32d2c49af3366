"""The timeline's vertical axis: instants to pixels across a whole conference (no Qt).

The axis is a row of stretches, each mapping an interval of time linearly onto pixels. Stretches
at the zoom's scale hold the sessions; a long empty stretch between them (the night, a rest day)
is *compressed* into a short strip so scrolling from one day into the next stays short and
continuous. Day boundaries are bands at the midnights of the display zone and of the program
zone; every midnight is found with :mod:`planner.core.timezones` (so 23 h and 25 h days and
zones whose clocks skip midnight are placed where their clocks say, never by adding 24 h).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from planner.core import timefmt, timezones

TOP_PAD = 12  # room above the first hour line for its label
COMPRESSED_HEIGHT = 60  # pixels of an empty stretch, however long (room for a day label)
COMPRESS_FROM = dt.timedelta(hours=6)  # empty stretches at least this long are compressed
DISPLAY = "display"
PROGRAM = "program"


@dataclass(frozen=True)
class Stretch:
    """An interval of time (UTC) drawn between ``top`` and ``bottom`` (content pixels)."""

    start: dt.datetime
    end: dt.datetime
    top: float
    bottom: float
    compressed: bool = False

    seconds: float = field(init=False)
    start_stamp: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "seconds", (self.end - self.start).total_seconds())
        object.__setattr__(self, "start_stamp", self.start.timestamp())

    def y_of(self, moment: dt.datetime) -> float:
        return self.y_of_timestamp(moment.timestamp())

    def y_of_timestamp(self, stamp: float) -> float:
        """(Multiplied before divided: whole hours land on whole pixels, exactly.)"""
        span = self.seconds
        if not span:
            return self.top
        return self.top + (stamp - self.start_stamp) * (self.bottom - self.top) / span

    def moment_at(self, y: float) -> dt.datetime:
        height = self.bottom - self.top
        seconds = (y - self.top) * self.seconds / height if height else 0.0
        return self.start + dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class Band:
    """A day boundary: the midnight starting ``day`` on one clock (``DISPLAY`` or ``PROGRAM``)."""

    y: float
    day: dt.date
    clock: str
    moment: dt.datetime
    compressed: bool  # it falls in a compressed (empty) stretch

    @property
    def label(self) -> str:
        return timefmt.day_label(self.day)  # "Sat 28 Dec"


@dataclass
class TimeAxis:
    """Stretches top to bottom; bands; where each display-zone day starts when navigated to."""

    stretches: list[Stretch]
    bands: list[Band] = field(default_factory=list)
    day_tops: list[tuple[float, dt.date]] = field(default_factory=list)  # sorted by y
    day_starts: list[float] = field(default_factory=list)  # each day top's instant (POSIX)
    _starts: list[dt.datetime] = field(default_factory=list)
    _tops: list[float] = field(default_factory=list)

    _stamps: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.stretches]
        self._stamps = [s.start_stamp for s in self.stretches]
        self._tops = [s.top for s in self.stretches]

    @property
    def start(self) -> dt.datetime:
        return self.stretches[0].start

    @property
    def end(self) -> dt.datetime:
        return self.stretches[-1].end

    @property
    def bottom(self) -> float:
        return self.stretches[-1].bottom

    def stretch_at_time(self, moment: dt.datetime) -> Stretch:
        return self._stretch_at(moment.timestamp())

    def _stretch_at(self, stamp: float) -> Stretch:
        # On POSIX timestamps: comparing aware datetimes asks pytz for offsets every time.
        index = bisect.bisect_right(self._stamps, stamp) - 1
        return self.stretches[max(0, min(index, len(self.stretches) - 1))]

    def y_of(self, moment: dt.datetime) -> float:
        """Continuous and increasing; beyond either end the nearest stretch's scale goes on."""
        return self.y_of_timestamp(moment.timestamp())

    def y_of_timestamp(self, stamp: float) -> float:
        return self._stretch_at(stamp).y_of_timestamp(stamp)

    def moment_at(self, y: float) -> dt.datetime:
        index = bisect.bisect_right(self._tops, y) - 1
        return self.stretches[max(0, min(index, len(self.stretches) - 1))].moment_at(y)

    def compressed(self) -> list[Stretch]:
        return [s for s in self.stretches if s.compressed]

    def day_top(self, day: dt.date) -> float | None:
        """Where navigating to ``day`` puts the top of the view (its band)."""
        for y, other in self.day_tops:
            if other == day:
                return y
        return None

    def day_at(self, y: float) -> dt.date | None:
        """The display-zone day a navigator at content ``y`` is on."""
        index = bisect.bisect_right([top for top, _day in self.day_tops], y) - 1
        return self.day_tops[max(0, index)][1] if self.day_tops else None


def merge_spans(spans: Iterable[tuple[float, float]],
                gap: float = COMPRESS_FROM.total_seconds()) -> list[tuple[float, float]]:
    """Busy intervals (POSIX timestamps): spans closer than ``gap`` seconds become one."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < gap:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def floor_hour(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    wall = timezones.wall_clock(moment, zone).replace(minute=0, second=0, microsecond=0)
    return timezones.localize(wall, zone)


def ceil_hour(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    floored = floor_hour(moment, zone)
    if floored >= moment:
        return floored
    return timezones.add(floored, dt.timedelta(hours=1))


def build_axis(spans: Sequence[tuple[float, float]], zone: dt.tzinfo,
               program_zone: dt.tzinfo, pixels_per_hour: float,
               compress: bool = True) -> TimeAxis:
    """An axis over ``spans`` (the sessions' times as POSIX timestamps, in any order): from the
    whole hour before
    the first to the whole hour after the last, on ``zone``'s clock; with ``compress``, every
    empty stretch of at least :data:`COMPRESS_FROM` becomes :data:`COMPRESSED_HEIGHT` pixels."""
    if not spans:
        raise ValueError("an axis needs at least one span")
    merged = merge_spans(spans, COMPRESS_FROM.total_seconds() if compress else float("inf"))
    y = float(TOP_PAD)
    stretches: list[Stretch] = []
    for start_stamp, end_stamp in merged:
        start = dt.datetime.fromtimestamp(start_stamp, dt.UTC)
        end = dt.datetime.fromtimestamp(end_stamp, dt.UTC)
        first = timezones.to_utc(floor_hour(start, zone))
        last = timezones.to_utc(ceil_hour(max(end, start + dt.timedelta(hours=1)), zone))
        if stretches:
            previous = stretches[-1]
            first = max(first, previous.end)
            stretches.append(Stretch(previous.end, first, y, y + COMPRESSED_HEIGHT, True))
            y += COMPRESSED_HEIGHT
        height = (last - first).total_seconds() / 3600 * pixels_per_hour
        stretches.append(Stretch(first, last, y, y + height))
        y += height
    axis = TimeAxis(stretches)
    add_bands(axis, zone, program_zone)
    return axis


def midnights(start: dt.datetime, end: dt.datetime,
              zone: dt.tzinfo) -> list[tuple[dt.date, dt.datetime]]:
    """The days of ``zone`` whose first instant is in [start, end], with that instant (on a
    day whose clocks skip midnight, the first instant they show)."""
    found = []
    day = timezones.to_zone(start, zone).date()
    last = timezones.to_zone(end, zone).date()
    while day <= last:
        moment = timefmt.day_bounds(day, zone)[0]
        if start <= moment <= end:
            found.append((day, moment))
        day += dt.timedelta(days=1)
    return found


def add_bands(axis: TimeAxis, zone: dt.tzinfo, program_zone: dt.tzinfo) -> None:
    """The midnights of both clocks as bands (the program's only where the display clock's
    are not), and where each display-zone day starts."""
    display_midnights: set[dt.datetime] = set()
    for clock, clock_zone in ((DISPLAY, zone), (PROGRAM, program_zone)):
        for day, moment in midnights(axis.start, axis.end, clock_zone):
            if clock == DISPLAY:
                display_midnights.add(moment)
            elif moment in display_midnights:
                continue  # both clocks start the day together: one band says it
            stretch = axis.stretch_at_time(moment)
            axis.bands.append(Band(axis.y_of(moment), day, clock, moment, stretch.compressed))
    axis.bands.sort(key=lambda band: band.y)
    first_day = timezones.to_zone(axis.start, zone).date()
    tops: list[tuple[float, dt.date]] = [(float(TOP_PAD), first_day)]
    starts = [float("-inf")]
    for band in axis.bands:
        if band.clock != DISPLAY:
            continue
        # At its midnight, also inside a shortened strip: the day in view is then the day of
        # the instant at the top, and going to a day puts its band at the top.
        if band.day == tops[-1][1]:
            continue
        tops.append((max(band.y, tops[-1][0] + 1), band.day))
        starts.append(band.moment.timestamp())
    axis.day_tops, axis.day_starts = tops, starts
