"""Compact VTIMEZONE components, derived from the zone database by probing offsets.

icalendar's own generated VTIMEZONE writes every change since the zone began, many dates on one
RDATE line; vobject and ical.js (so Thunderbird, and Radicale) read only the first of them and
put summer events an hour off. Here each change near the exported dates becomes a STANDARD or
DAYLIGHT observance; changes that repeat every year on the same rule (``last Sunday of March at
02:00``) are merged into one observance with a yearly RRULE bounded by UNTIL. Every merged rule
is checked against the real changes, so a zone whose rule cannot be written that way (fixed
dates, lunar calendars) simply gets one observance per change: longer, never wrong.

Offsets come only from :mod:`planner.core.timezones` (pytz's data), sampled and bisected to the
second, so no per-zone table and no private pytz field is used.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.core import timezones

if TYPE_CHECKING:
    from icalendar import Timezone

# Changes this far either side of the exported dates are described, so both observances of a
# zone with summer time appear (each with its RRULE) and a calendar that moves an event by a
# few months still finds the right offset.
MARGIN = dt.timedelta(days=366)
# No zone has changed its offset twice within this step since the 1940s.
_STEP = dt.timedelta(hours=6)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ZoneState:
    """What a zone's clocks say during one stretch of time."""

    offset: dt.timedelta
    dst: bool
    name: str


@dataclass(frozen=True)
class Transition:
    """A change of a zone's clocks at ``at`` (UTC) from ``before`` to ``after``."""

    at: dt.datetime
    before: ZoneState
    after: ZoneState

    @property
    def onset(self) -> dt.datetime:
        """The naive wall-clock time of the change on the old clock (RFC 5545's DTSTART)."""
        return (self.at + self.before.offset).replace(tzinfo=None)


def zone_state(zone: dt.tzinfo, instant: dt.datetime) -> ZoneState:
    local = timezones.to_zone(instant, zone)
    return ZoneState(local.utcoffset() or dt.timedelta(), bool(local.dst()),
                     timezones.abbreviation(local))


def find_transitions(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> list[Transition]:
    """Every change of ``zone``'s offset, DST flag or abbreviation in ``[start, end]``."""
    found: list[Transition] = []
    moment = timezones.to_utc(start)
    stop = timezones.to_utc(end)
    state = zone_state(zone, moment)
    while moment < stop:
        following = min(moment + _STEP, stop)
        next_state = zone_state(zone, following)
        if next_state != state:
            found.append(_bisect(zone, moment, state, following, next_state))
        moment, state = following, next_state
    return found


def _bisect(zone: dt.tzinfo, low: dt.datetime, low_state: ZoneState, high: dt.datetime,
            high_state: ZoneState) -> Transition:
    """The first second of ``high_state`` between ``low`` and ``high``."""
    while (high - low) > dt.timedelta(seconds=1):
        middle = low + dt.timedelta(seconds=(high - low).total_seconds() // 2)
        if zone_state(zone, middle) == low_state:
            low = middle
        else:
            high = middle
    # Should the step hold two changes, the state right after the first is the one that counts.
    del high_state
    return Transition(high, low_state, zone_state(zone, high))


@dataclass
class _Observance:
    """One STANDARD or DAYLIGHT component: a change, or a yearly run of equal changes."""

    kind: str
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    changes: list[Transition] = field(default_factory=list)
    # BYDAY values still consistent with every change so far ("2SU", "-1SU").
    bydays: set[str] = field(default_factory=set)

    @property
    def first(self) -> dt.datetime:
        return self.changes[0].onset

    def accepts(self, change: Transition) -> bool:
        """Whether ``change`` is next year's occurrence of this observance's rule."""
        if (_kind(change), change.before.offset, change.after.offset, change.after.name) != (
                self.kind, self.offset_from, self.offset_to, self.name):
            return False
        last = self.changes[-1].onset
        onset = change.onset
        return (onset.year == last.year + 1 and onset.month == last.month
                and onset.weekday() == last.weekday() and onset.time() == last.time()
                and bool(self.bydays & _bydays(onset)))

    def add(self, change: Transition) -> None:
        self.bydays = _bydays(change.onset) if not self.changes else self.bydays & _bydays(
            change.onset)
        self.changes.append(change)

    def rrule(self) -> dict[str, Any] | None:
        """The yearly rule that yields exactly this observance's changes, or None for one."""
        if len(self.changes) < 2:
            return None
        last_first = sorted(self.bydays, key=lambda value: (not value.startswith("-"), value))
        return {"FREQ": "YEARLY", "BYMONTH": self.first.month, "BYDAY": last_first[0],
                "UNTIL": _until(self.changes[-1])}


def _until(change: Transition) -> dt.datetime:
    """UNTIL for a rule whose last occurrence is ``change``, in UTC as RFC 5545 wants.

    dateutil (so vobject and Radicale) compares UNTIL's digits with the *local* onset, which in
    zones east of UTC is later than the UTC instant and would drop the last occurrence. The
    later of the UTC instant and the local reading keeps it under either reading; the next
    occurrence is a year away, so nothing else slips in.
    """
    local_as_utc = change.onset.replace(tzinfo=dt.UTC)
    return max(change.at.astimezone(dt.UTC), local_as_utc)


def _kind(change: Transition) -> str:
    return "DAYLIGHT" if change.after.dst else "STANDARD"


def _bydays(day: dt.datetime) -> set[str]:
    """The BYDAY values naming this date within its month: nth weekday, and -1 if last."""
    weekday = _WEEKDAYS[day.weekday()]
    values = {f"{(day.day - 1) // 7 + 1}{weekday}"}
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        values.add(f"-1{weekday}")
    return values


def group_observances(changes: Sequence[Transition]) -> list[_Observance]:
    """Changes merged into as few yearly observances as the real data allows."""
    observances: list[_Observance] = []
    for change in changes:
        for observance in observances:
            if observance.accepts(change):
                observance.add(change)
                break
        else:
            new = _Observance(_kind(change), change.before.offset, change.after.offset,
                              change.after.name)
            new.add(change)
            observances.append(new)
    return observances


class ZoneHistory:
    """A zone's changes over a stretch of time, probed once and cut per file.

    Args:
        zone: a zone from :mod:`planner.core.timezones`.
        first: the earliest instant that will be exported.
        last: the latest instant that will be exported.
    """

    def __init__(self, zone: dt.tzinfo, first: dt.datetime, last: dt.datetime) -> None:
        self.zone = zone
        self.tzid = timezones.zone_name(zone)
        self.start = timezones.to_utc(first) - MARGIN
        self.end = timezones.to_utc(last) + MARGIN
        self.transitions = find_transitions(zone, self.start, self.end)

    def observances(self, first: dt.datetime, last: dt.datetime) -> list[_Observance]:
        """The observances that describe ``[first, last]`` (plus the margin) completely."""
        low = timezones.to_utc(first) - MARGIN
        high = timezones.to_utc(last) + MARGIN
        if low < self.start or high > self.end:
            raise ValueError("span outside the probed history")
        chosen = [t for t in self.transitions if low <= t.at <= high]
        if not chosen or chosen[0].at > timezones.to_utc(first):
            # Nothing changed between the margin's start and the first event: describe the
            # state then with an observance that begins at the margin's start (local midnight).
            state = zone_state(self.zone, low)
            midnight = (low + state.offset).replace(tzinfo=None, hour=0, minute=0, second=0,
                                                    microsecond=0)
            at = (midnight - state.offset).replace(tzinfo=dt.UTC)
            chosen.insert(0, Transition(at, state, state))
        return group_observances(chosen)

    def component(self, first: dt.datetime, last: dt.datetime) -> Timezone:
        """A VTIMEZONE valid for every instant in ``[first, last]``."""
        from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

        vtimezone = Timezone()
        vtimezone.add("tzid", self.tzid)
        for observance in self.observances(first, last):
            part = TimezoneDaylight() if observance.kind == "DAYLIGHT" else TimezoneStandard()
            part.add("dtstart", observance.first)
            part.add("tzoffsetfrom", observance.offset_from)
            part.add("tzoffsetto", observance.offset_to)
            part.add("tzname", observance.name)
            rule = observance.rrule()
            if rule is not None:
                part.add("rrule", rule)
            vtimezone.add_component(part)
        return vtimezone


def vtimezone(zone_name: str, first: dt.datetime, last: dt.datetime) -> Timezone:
    """The compact VTIMEZONE of ``zone_name`` for events between ``first`` and ``last``."""
    return ZoneHistory(timezones.get_zone(zone_name), first, last).component(first, last)
