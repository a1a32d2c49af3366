"""Two clocks with one abbreviation (Brussels and Berlin, both CET) say which is which."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QFont, QFontMetrics

from planner.core import timezones as tz
from planner.ui.timeline_gutter import city_of, clock_titles
from tests.ui.conftest import rooms_program


def test_same_abbreviation_different_zones_are_named_by_city(make_window):
    program = rooms_program(rooms=3)
    program.source_zone = "Europe/Berlin"
    window = make_window(program, zone="Europe/Brussels")
    view = window.timeline.view
    assert view.two_clocks()
    assert view.clock_titles() == ("Brussels", "Berlin")
    column = view.gutter_column_width()
    bold = QFont(view.font())
    bold.setBold(True)
    assert QFontMetrics(bold).horizontalAdvance("Brussels") <= column - 8  # not elided
    assert view.font_metrics().horizontalAdvance("Berlin") <= column - 8
    assert view.corner_tip() == ("Brussels: Europe/Brussels (display time)\n"
                                 "Berlin: Europe/Berlin (program time)")
    window.grab()


def test_different_abbreviations_stay_abbreviations(make_window):
    window = make_window(zone="America/Los_Angeles")  # a Vienna program
    assert window.timeline.view.clock_titles() == ("PDT", "CEST")


def test_one_clock_keeps_its_abbreviation(make_window):
    window = make_window(rooms_program(rooms=3), zone="Europe/Brussels")
    view = window.timeline.view
    assert not view.two_clocks()
    assert view.clock_titles()[0] == "CET"


def test_clock_titles_in_summer_and_for_nested_zone_names():
    summer = dt.date(2025, 7, 1)
    assert clock_titles("Europe/Brussels", tz.get_zone("Europe/Brussels"), "Europe/Berlin",
                        tz.get_zone("Europe/Berlin"), summer, True) == ("Brussels", "Berlin")
    assert clock_titles("Europe/Brussels", tz.get_zone("Europe/Brussels"), "Europe/London",
                        tz.get_zone("Europe/London"), summer, True) == ("CEST", "BST")
    assert city_of("America/Argentina/Buenos_Aires") == "Buenos Aires"
