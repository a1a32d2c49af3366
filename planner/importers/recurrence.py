"""Bounded expansion of iCalendar recurrence rules (RRULE) on wall-clock times.

``dateutil.rrule`` searches for the next occurrence until the year 9999: a rule that can never
match again (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) keeps it busy for seconds, per event, and a
hostile file can hold thousands of them. This expander walks the calendar day by day from the
rule's first period up to a fixed horizon, so its work is bounded by the horizon whatever the
rule says. It covers what program feeds use: FREQ YEARLY to HOURLY, INTERVAL, COUNT, UNTIL,
BYMONTH, BYMONTHDAY, BYYEARDAY, BYDAY (with ordinals), BYHOUR/BYMINUTE/BYSECOND, BYSETPOS and
WKST. BYWEEKNO, MINUTELY and SECONDLY raise :class:`UnsupportedRule`.

Times are naive wall-clock readings in the event's zone (RFC 5545 expands rules in local time);
the caller attaches the zone afterwards.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.core.lazy_pattern import LazyPattern

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = LazyPattern(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")


class UnsupportedRule(ValueError):
    """A rule this expander does not evaluate (the caller keeps the first occurrence)."""


# Calendar days (hours count as days for HOURLY) that all the rules of one file may walk
# together. One rule walks at most a year (367 days); a real program with recurring events
# needs a few thousand. 48,000 rules that never match walked 17.6 million days: 85 s.
MAX_DAYS_PER_FILE = 1_000_000


class OutOfWork(Exception):
    """The file's rules used up its :class:`WorkBudget`; the caller keeps first occurrences."""


class WorkBudget:
    """What one file's recurrence rules may cost in all, shared by every :func:`expand`."""

    def __init__(self, days: int = MAX_DAYS_PER_FILE) -> None:
        self.remaining = days
        self.exhausted = False

    def spend(self, days: int) -> None:
        self.remaining -= days
        if self.remaining < 0:
            self.exhausted = True
            raise OutOfWork


@dataclass(frozen=True)
class Rule:
    """A parsed RRULE, independent of the library that read the text."""

    freq: str
    interval: int = 1
    count: int | None = None
    until: dt.datetime | None = None  # naive wall clock in the event's zone
    by_month: frozenset[int] = frozenset()
    by_month_day: frozenset[int] = frozenset()
    by_year_day: frozenset[int] = frozenset()
    by_day: tuple[tuple[int, int], ...] = ()  # (ordinal or 0, weekday 0=Monday)
    by_hour: tuple[int, ...] = ()
    by_minute: tuple[int, ...] = ()
    by_second: tuple[int, ...] = ()
    by_set_pos: tuple[int, ...] = ()
    week_start: int = 0


def _ints(values: Sequence[Any], low: int, high: int, name: str,
          allow_negative: bool = False) -> frozenset[int]:
    result: set[int] = set()
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name}={value!r} is not a number") from None
        magnitude = abs(number) if allow_negative else number
        if not low <= magnitude <= high or (allow_negative and number == 0):
            raise ValueError(f"{name}={number} is out of range")
        result.add(number)
    return frozenset(result)


def parse_rule(parts: Mapping[str, Sequence[Any]],
               until: dt.datetime | None = None) -> Rule:
    """A :class:`Rule` from RRULE parts (``{"FREQ": ["WEEKLY"], "BYDAY": ["MO", "-1FR"]}``).

    Args:
        parts: rule part name -> values, as icalendar's ``vRecur`` holds them.
        until: UNTIL already converted to the event's wall clock (the caller knows the zone).

    Raises:
        UnsupportedRule: BYWEEKNO, MINUTELY or SECONDLY.
        ValueError: a malformed part.
    """
    upper: dict[str, list[Any]] = {
        str(key).upper(): list(value) if isinstance(value, list | tuple) else [value]
        for key, value in parts.items()}
    freq = str((upper.get("FREQ") or [""])[0]).upper()
    if freq in ("MINUTELY", "SECONDLY"):
        raise UnsupportedRule(f"FREQ={freq} (a program does not repeat every {freq[:-2]})")
    if freq not in FREQUENCIES:
        raise ValueError(f"FREQ={freq or '(missing)'} is not a recurrence frequency")
    if "BYWEEKNO" in upper:
        raise UnsupportedRule("BYWEEKNO")
    interval = int((upper.get("INTERVAL") or [1])[0])
    if not 1 <= interval <= 10_000:
        raise ValueError(f"INTERVAL={interval} is out of range")
    count_values = upper.get("COUNT")
    count = int(count_values[0]) if count_values else None
    if count is not None and count < 1:
        raise ValueError(f"COUNT={count} is not positive")
    by_day: list[tuple[int, int]] = []
    for value in upper.get("BYDAY", []):
        match = _BYDAY.match(str(value).strip().upper())
        if match is None:
            raise ValueError(f"BYDAY={value!r} is not a weekday such as MO or -1FR")
        ordinal = int(match[1]) if match[1] else 0
        if abs(ordinal) > 53:
            raise ValueError(f"BYDAY={value!r} has an ordinal out of range")
        by_day.append((ordinal, WEEKDAYS.index(match[2])))
    week_start = str((upper.get("WKST") or ["MO"])[0]).upper()
    return Rule(
        freq=freq, interval=interval, count=count, until=until,
        by_month=_ints(upper.get("BYMONTH", []), 1, 12, "BYMONTH"),
        by_month_day=_ints(upper.get("BYMONTHDAY", []), 1, 31, "BYMONTHDAY", True),
        by_year_day=_ints(upper.get("BYYEARDAY", []), 1, 366, "BYYEARDAY", True),
        by_day=tuple(by_day),
        by_hour=tuple(sorted(_ints(upper.get("BYHOUR", []), 0, 23, "BYHOUR"))),
        by_minute=tuple(sorted(_ints(upper.get("BYMINUTE", []), 0, 59, "BYMINUTE"))),
        by_second=tuple(sorted(_ints(upper.get("BYSECOND", []), 0, 60, "BYSECOND"))),
        by_set_pos=tuple(sorted(_ints(upper.get("BYSETPOS", []), 1, 366, "BYSETPOS", True))),
        week_start=WEEKDAYS.index(week_start) if week_start in WEEKDAYS else 0)


@dataclass(frozen=True)
class Expansion:
    """Occurrences in time order, and whether the horizon or the cap cut the rule short."""

    occurrences: list[dt.datetime]
    truncated: bool


def expand(rule: Rule, start: dt.datetime, horizon: dt.datetime,
           max_count: int = 500, budget: WorkBudget | None = None) -> Expansion:
    """Occurrences of ``rule`` from ``start`` (always the first) up to ``horizon``.

    The work is bounded by the number of days (hours for HOURLY) between the first period's
    start and ``horizon``, never by what the rule says; and, with a ``budget``, by what the
    whole file may still spend.

    Raises:
        OutOfWork: the budget ran out during this rule.
    """
    occurrences = [start]
    if rule.count == 1 or max_count <= 1:
        return Expansion(occurrences, False)
    if budget is not None and budget.exhausted:
        raise OutOfWork
    truncated = False
    for candidate in _candidates(rule, start, horizon, budget):
        if candidate <= start:
            continue
        if rule.until is not None and candidate > rule.until:
            return Expansion(occurrences, False)
        if candidate > horizon:
            truncated = True
            break
        occurrences.append(candidate)
        if rule.count is not None and len(occurrences) >= rule.count:
            return Expansion(occurrences, False)
        if len(occurrences) >= max_count:
            return Expansion(occurrences, True)
    else:
        # The walk reached the horizon: the rule may go on after it unless UNTIL ends it.
        truncated = not (rule.until is not None and rule.until <= horizon)
    return Expansion(occurrences, truncated)


# -- the walk ------------------------------------------------------------------------------------
def _candidates(rule: Rule, start: dt.datetime, horizon: dt.datetime,
                budget: WorkBudget | None = None) -> Iterator[dt.datetime]:
    """Every instance of the rule from the first period's start to just past ``horizon``."""
    cost = 24 if rule.freq == "HOURLY" else 1
    first_day = _period_start(rule, start.date())
    # Finish the horizon's period, so BYSETPOS counts from the end of a whole period.
    last_day = _period_end(rule, horizon.date() + dt.timedelta(days=1))
    times = _times(rule, start)
    period_key: object = None
    pending: list[dt.datetime] = []
    day = first_day
    while day <= last_day:
        if budget is not None:
            budget.spend(cost)
        key = _period_key(rule, day, start.date())
        if key != period_key:
            yield from _select(rule, pending)
            pending = []
            period_key = key
        if _in_interval(rule, day, start) and _day_matches(rule, day, start):
            if rule.freq == "HOURLY":
                pending.extend(_hourly(rule, day, start))
            else:
                pending.extend(dt.datetime.combine(day, time) for time in times)
        day += dt.timedelta(days=1)
    yield from _select(rule, pending)


def _select(rule: Rule, candidates: list[dt.datetime]) -> list[dt.datetime]:
    """BYSETPOS picks positions within one period's candidates."""
    candidates.sort()
    if not rule.by_set_pos or not candidates:
        return candidates
    picked = {candidates[pos - 1] if pos > 0 else candidates[pos]
              for pos in rule.by_set_pos if pos <= len(candidates) and -pos <= len(candidates)}
    return sorted(picked)


def _period_start(rule: Rule, day: dt.date) -> dt.date:
    if rule.freq == "YEARLY":
        return day.replace(month=1, day=1)
    if rule.freq == "MONTHLY":
        return day.replace(day=1)
    if rule.freq == "WEEKLY":
        return day - dt.timedelta(days=(day.weekday() - rule.week_start) % 7)
    return day


def _period_end(rule: Rule, day: dt.date) -> dt.date:
    if rule.freq == "YEARLY":
        return day.replace(month=12, day=31)
    if rule.freq == "MONTHLY":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if rule.freq == "WEEKLY":
        return _period_start(rule, day) + dt.timedelta(days=6)
    return day


def _period_key(rule: Rule, day: dt.date, first: dt.date) -> object:
    if rule.freq == "YEARLY":
        return day.year
    if rule.freq == "MONTHLY":
        return (day.year, day.month)
    if rule.freq == "WEEKLY":
        return _period_start(rule, day)
    return day


def _in_interval(rule: Rule, day: dt.date, start: dt.datetime) -> bool:
    """Whether the period holding ``day`` is one INTERVAL lets through."""
    if rule.interval == 1 or rule.freq == "HOURLY":
        return True
    first = start.date()
    if rule.freq == "YEARLY":
        steps = day.year - first.year
    elif rule.freq == "MONTHLY":
        steps = (day.year - first.year) * 12 + day.month - first.month
    elif rule.freq == "WEEKLY":
        steps = (_period_start(rule, day) - _period_start(rule, first)).days // 7
    else:
        steps = (day - first).days
    return steps % rule.interval == 0


def _day_matches(rule: Rule, day: dt.date, start: dt.datetime) -> bool:
    """The BY* day filters, with RFC 5545's defaults taken from DTSTART."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    by_month, by_month_day, by_day = rule.by_month, rule.by_month_day, rule.by_day
    # Defaults (RFC 5545 3.3.10): what the rule leaves open comes from DTSTART.
    if rule.freq == "YEARLY" and not (by_month or by_month_day or by_day or rule.by_year_day):
        by_month, by_month_day = frozenset({start.month}), frozenset({start.day})
    elif not (by_month_day or by_day or rule.by_year_day) and (
            rule.freq == "MONTHLY" or (rule.freq == "YEARLY" and by_month)):
        by_month_day = frozenset({start.day})
    elif rule.freq == "WEEKLY" and not by_day:
        by_day = ((0, start.weekday()),)
    if by_month and day.month not in by_month:
        return False
    if by_month_day and not (day.day in by_month_day
                             or day.day - days_in_month - 1 in by_month_day):
        return False
    if rule.by_year_day:
        year_day = day.timetuple().tm_yday
        days_in_year = 366 if calendar.isleap(day.year) else 365
        if not (year_day in rule.by_year_day
                or year_day - days_in_year - 1 in rule.by_year_day):
            return False
    if by_day:
        return any(_weekday_matches(rule, day, ordinal, weekday, days_in_month, by_month)
                   for ordinal, weekday in by_day)
    return True


def _weekday_matches(rule: Rule, day: dt.date, ordinal: int, weekday: int,
                     days_in_month: int, by_month: frozenset[int]) -> bool:
    if day.weekday() != weekday:
        return False
    if ordinal == 0 or rule.freq not in ("MONTHLY", "YEARLY"):
        return True
    if rule.freq == "MONTHLY" or by_month:  # the n-th such weekday of the month
        if ordinal > 0:
            return (day.day - 1) // 7 + 1 == ordinal
        return -((days_in_month - day.day) // 7 + 1) == ordinal
    year_day = day.timetuple().tm_yday  # the n-th such weekday of the year
    days_in_year = 366 if calendar.isleap(day.year) else 365
    if ordinal > 0:
        return (year_day - 1) // 7 + 1 == ordinal
    return -((days_in_year - year_day) // 7 + 1) == ordinal


def _times(rule: Rule, start: dt.datetime) -> list[dt.time]:
    hours = rule.by_hour or (start.hour,)
    minutes = rule.by_minute or (start.minute,)
    seconds = rule.by_second or (start.second,)
    return sorted(dt.time(h, m, min(s, 59)) for h in hours for m in minutes for s in seconds)


def _hourly(rule: Rule, day: dt.date, start: dt.datetime) -> list[dt.datetime]:
    minutes = rule.by_minute or (start.minute,)
    seconds = rule.by_second or (start.second,)
    result: list[dt.datetime] = []
    base = dt.datetime.combine(start.date(), dt.time(start.hour))
    for hour in range(24):
        moment = dt.datetime.combine(day, dt.time(hour))
        steps = int((moment - base).total_seconds() // 3600)
        if steps % rule.interval or (rule.by_hour and hour not in rule.by_hour):
            continue
        result.extend(moment.replace(minute=m, second=min(s, 59))
                      for m in minutes for s in seconds)
    return result
