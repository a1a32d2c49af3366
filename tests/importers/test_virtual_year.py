"""The year of a page whose dates have a weekday but no year, and the conference's name
(planner.importers.virtual_year), tested directly: the headers here are the protocol's
(a line number and a match with the weekday, day and month), not a parsed page."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from planner.core.errors import ProgramError
from planner.importers import ImportOptions
from planner.importers.virtual_year import conference_name, month_day, resolve_year

# The groups resolve_year reads: wd, then d1 m1 ("7 May") or m2 d2 ("May 7").
_DATE = re.compile(r"(?P<wd>[A-Za-z]+),?\s+(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[A-Za-z]+)"
                   r"|(?P<m2>[A-Za-z]+)\s+(?P<d2>\d{1,2}))$")


@dataclass
class Header:
    line: int
    when: re.Match[str] | None

    @property
    def date_text(self) -> str:
        return self.when.group(0) if self.when else ""


def headers(*dates: str) -> list[Header]:
    """One header per date, on lines 10, 20, 30…"""
    found = []
    for number, text in enumerate(dates, start=1):
        match = _DATE.match(text)
        assert match is not None, text
        found.append(Header(10 * number, match))
    return found


def year_of(text: str, *dates: str, year: int | None = None) -> int | None:
    return resolve_year(headers(*dates), text, ImportOptions(year=year), "page.txt")


def test_month_day_reads_both_orders() -> None:
    assert [month_day(h) for h in headers("Fri 7th May", "Saturday, February 1",
                                          "sat 29 feb")] == [(4, 5, 7), (5, 2, 1), (5, 2, 29)]


def test_one_named_year_that_fits_is_the_year() -> None:
    assert year_of("Welcome to 2021!", "Fri 7 May") == 2021


def test_a_second_day_rules_out_a_year_the_first_allows() -> None:
    # Of the years named, Sat 1 Feb fits 2020 only (1 Feb 2019 was a Friday).
    assert year_of("2019 and 2020", "Sat 1 Feb") == 2020
    # Fri 7 May fits 2004 (a leap year) and 2021 alike; Sun 31 Jan only 2021.
    assert year_of("2004, 2021", "Fri 7 May", "Sun 31 Jan") == 2021
    assert year_of("2004, 2021", "Sat 31 Jan", "Fri 7 May") == 2004


def test_a_leap_day_fits_only_a_leap_year() -> None:
    assert year_of("2019 2020", "Sat 29 Feb") == 2020


def test_a_year_named_with_the_conference_beats_a_more_frequent_one() -> None:
    text = "Founded 2010. In 2010 we met; 2010 was fun. NeurIPS 2021 starts"
    assert year_of(text, "Fri 7 May") == 2021


def test_a_conference_year_that_misfits_falls_back_to_the_plain_years() -> None:
    assert year_of("ICLR 2020 was online; this page is from 2021", "Fri 7 May") == 2021


def test_named_more_often_wins_among_fitting_years() -> None:
    assert year_of("2010 2021 2021", "Fri 7 May") == 2021


def test_two_fitting_years_named_equally_often_are_ambiguous() -> None:
    with pytest.raises(ProgramError, match=r"'Fri 7 May'.* fits 2010 and 2021, named equally "
                                           r"often; pass --year") as caught:
        year_of("Since 2010, and again in 2021", "Fri 7 May", "Fri 7 May")
    assert caught.value.line == 10 and caught.value.path == "page.txt"


def test_two_conference_years_equally_named_are_ambiguous_too() -> None:
    with pytest.raises(ProgramError, match="fits 2010 and 2021"):
        year_of("ICLR 2010 and ICLR 2021", "Fri 7 May")


def test_no_year_named_is_an_error_on_the_first_header() -> None:
    with pytest.raises(ProgramError, match=r"'Fri 7 May': the text names no year; pass "
                                           r"--year") as caught:
        year_of("Posters all day", "Fri 7 May", "Sat 8 May")
    assert caught.value.line == 10


def test_named_years_that_misfit_name_the_header_that_rules_them_out() -> None:
    # Thu 6 May fits 2021, Mon 9 May does not (a Sunday): the message names the second header.
    with pytest.raises(ProgramError, match=r"'Mon 9 May': none of the years the text names "
                                           r"\(2021\) puts it on that weekday") as caught:
        year_of("ICLR 2021", "Thu 6 May", "Mon 9 May")
    assert caught.value.line == 20


def test_numbers_that_are_not_years_are_not_candidates() -> None:
    # 12021, 1.2021, 3,2021 and 20211 are not the year 2021.
    with pytest.raises(ProgramError, match="names no year"):
        year_of("room 12021, version 1.2021, 3,2021 votes, id 20211", "Fri 7 May")


def test_no_dated_header_has_no_year() -> None:
    assert year_of("ICLR 2021") is None


def test_the_year_option_wins_when_it_fits() -> None:
    assert year_of("ICLR 2010", "Fri 7 May", year=2021) == 2021


def test_the_year_option_is_checked_against_each_weekday() -> None:
    with pytest.raises(ProgramError, match=r"'Fri 7 May' does not fit the year 2022 \(it is a "
                                           r"Saturday\)") as caught:
        year_of("ICLR 2022", "Fri 7 May", year=2022)
    assert caught.value.line == 10
    with pytest.raises(ProgramError, match=r"'Mon 9 May' does not fit the year 2021 \(it is a "
                                           r"Sunday\)") as caught:
        year_of("", "Thu 6 May", "Mon 9 May", year=2021)  # the first fits, the second not
    assert caught.value.line == 20
    with pytest.raises(ProgramError, match=r"does not fit the year 2019 \(that day does not "
                                           r"exist\)"):
        year_of("", "Sat 29 Feb", year=2019)


@pytest.mark.parametrize("year", [1899, 2200])
def test_the_year_option_out_of_range(year: int) -> None:
    with pytest.raises(ProgramError, match=f"year {year} is out of range"):
        year_of("", "Fri 7 May", year=year)


def test_a_day_no_year_has_is_not_a_date() -> None:
    with pytest.raises(ProgramError, match=r"'Fri 31 Apr' is not a real date") as caught:
        year_of("ICLR 2021", "Thu 6 May", "Fri 31 Apr", year=2021)
    assert caught.value.line == 20


def test_conference_name_is_the_acronym_named_most_with_the_year() -> None:
    text = ("MAY 2021, MAY 2021, MAY 2021 · FRI 2021 FRI 2021 FRI 2021 · ICML 2020 ICML 2020 "
            "ICML 2020 · ICLR 2021, ICLR-2021, NeurIPS 2021")
    assert conference_name(text, 2021) == "ICLR 2021"  # month and weekday words are no names
    assert conference_name(text, 2020) == "ICML 2020"
    assert conference_name(text, None) == "ICML 2020"
    assert conference_name(text, 2019) == ""
    assert conference_name("nothing here 2021", 2021) == ""
