"""The year of a copied virtual-conference page, whose dates name a weekday but no year.

:mod:`planner.importers.virtual_page` finds the dated headers; this module picks the one year
that puts every header's day on its weekday (``--year`` if given, checked; else a year the text
names, those next to a conference acronym first) and names the conference (``ICLR 2021``).
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from collections.abc import Sequence
from typing import Protocol

from planner.core.errors import ProgramError
from planner.importers import ImportOptions

WEEKDAYS = {"mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
             "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4,
             "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6}
MONTHS = {"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
           "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8,
           "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
           "nov": 11, "november": 11, "dec": 12, "december": 12}

_CONFERENCE = re.compile(r"\b(?P<name>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)[ -](?P<year>(?:19|20)\d\d)\b")
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d])")


class DatedHeader(Protocol):
    """A session header with a weekday-day-month date (no year) on a numbered line."""

    line: int
    when: re.Match[str] | None

    @property
    def date_text(self) -> str: ...


def month_day(header: DatedHeader) -> tuple[int, int, int]:
    """(weekday, month, day) of a dated header."""
    assert header.when is not None
    when = header.when
    month = MONTHS[(when.group("m1") or when.group("m2")).lower()]
    day = int(when.group("d1") or when.group("d2"))
    return WEEKDAYS[when.group("wd").lower()], month, day


def _fits(year: int, header: DatedHeader) -> bool:
    weekday, month, day = month_day(header)
    try:
        return dt.date(year, month, day).weekday() == weekday
    except ValueError:
        return False


def resolve_year(dated: Sequence[DatedHeader], text: str, options: ImportOptions,
                  path: str) -> int | None:
    """The year of the page's dates: --year if given (checked), else one the text names.

    Years named next to a conference acronym ("ICLR 2021") are tried before any other year;
    a candidate must put every header's day on its weekday.
    """
    for header in dated:
        _, month, day = month_day(header)
        try:
            dt.date(2000, month, day)  # a leap year: every real day exists
        except ValueError:
            raise ProgramError(f"'{header.date_text}' is not a real date; expected a day of "
                               f"the month that exists", path, header.line) from None
    if options.year is not None:
        if not 1900 <= options.year <= 2199:
            raise ProgramError(f"year {options.year} is out of range; expected 1900 to 2199",
                               path)
        for header in dated:
            if not _fits(options.year, header):
                raise ProgramError(_weekday_mismatch(header, options.year), path, header.line)
        return options.year
    if not dated:
        return None
    tagged = collections.Counter(int(m.group("year")) for m in _CONFERENCE.finditer(text))
    plain = collections.Counter(int(m.group(0)) for m in _YEAR.finditer(text))
    first = dated[0]
    for pool in (tagged, plain):
        fitting = [year for year in pool if all(_fits(year, h) for h in dated)]
        if not fitting:
            continue
        top = max(pool[year] for year in fitting)
        winners = sorted(year for year in fitting if pool[year] == top)
        if len(winners) == 1:
            return winners[0]
        raise ProgramError(f"cannot tell the year of '{first.date_text}': it fits "
                           f"{' and '.join(map(str, winners))}, named equally often; pass "
                           f"--year", path, first.line)
    if not plain:
        raise ProgramError(f"cannot tell the year of '{first.date_text}': the text names no "
                           f"year; pass --year", path, first.line)
    misfit = next((h for h in dated if not any(_fits(y, h) for y in plain)), first)
    raise ProgramError(f"cannot tell the year of '{misfit.date_text}': none of the years the "
                       f"text names ({', '.join(map(str, sorted(plain)))}) puts it on that "
                       f"weekday; pass --year", path, misfit.line)


def _weekday_mismatch(header: DatedHeader, year: int) -> str:
    _, month, day = month_day(header)
    try:
        actual = f"it is a {dt.date(year, month, day):%A}"
    except ValueError:
        actual = "that day does not exist"
    return (f"'{header.date_text}' does not fit the year {year} ({actual}); expected the "
            f"conference's year in --year")


def conference_name(text: str, year: int | None) -> str:
    """``ICLR 2021``: the acronym most often named with the program's year."""
    names: collections.Counter[str] = collections.Counter()
    for found in _CONFERENCE.finditer(text):
        name = found.group("name")
        if name.lower() in MONTHS or name.lower() in WEEKDAYS:
            continue
        if year is None or int(found.group("year")) == year:
            names[f"{name} {found.group('year')}"] += 1
    return names.most_common(1)[0][0] if names else ""
