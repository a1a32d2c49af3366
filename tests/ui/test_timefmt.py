"""How the window writes times, with real zones (no display needed)."""

from __future__ import annotations

import datetime as dt

from planner.core import timezones as tz
from planner.ui import timefmt
from tests.factories import session


def at(text: str, zone: str) -> dt.datetime:
    return tz.localize(dt.datetime.fromisoformat(text), tz.get_zone(zone))


def test_span_names_both_days_when_a_session_crosses_midnight():
    start, end = at("2021-05-07 02:00", "Europe/Vienna"), at("2021-05-07 04:00", "Europe/Vienna")
    assert timefmt.span(start, end, tz.get_zone("Europe/Vienna"), True) == \
        "Fri 7 May 02:00–~04:00 CEST"
    assert timefmt.span(start, end, tz.get_zone("America/Los_Angeles")) == \
        "Thu 6 May 17:00–19:00 PDT"
    late = at("2021-05-07 23:30", "Europe/Vienna")
    assert timefmt.span(late, late + dt.timedelta(hours=1), tz.get_zone("Europe/Vienna")) == \
        "Fri 7 May 23:30 – Sat 8 May 00:30 CEST"
    assert timefmt.span(late - dt.timedelta(hours=1), late + dt.timedelta(minutes=30),
                        tz.get_zone("Europe/Vienna")) == "Fri 7 May 22:30–00:00 CEST"


def test_zones_without_letters_show_offsets():
    start = at("2021-05-07 02:00", "Europe/Vienna")
    assert timefmt.span(start, None, tz.get_zone("Asia/Kathmandu")) == "Fri 7 May 05:45 +05:45"
    assert timefmt.span(start, None, tz.get_zone("Pacific/Kiritimati")) == "Fri 7 May 14:00 +14:00"
    assert timefmt.span(start, None, tz.get_zone("Pacific/Pago_Pago")) == "Thu 6 May 13:00 SST"


def test_days_follow_the_display_zone():
    poster = session("poster", "2021-05-07 02:00", 120)
    vienna, los_angeles = tz.get_zone("Europe/Vienna"), tz.get_zone("America/Los_Angeles")
    assert list(timefmt.sessions_by_day([poster], vienna)) == [dt.date(2021, 5, 7)]
    assert list(timefmt.sessions_by_day([poster], los_angeles)) == [dt.date(2021, 5, 6)]
    # A session ending exactly at midnight does not touch the next day.
    evening = session("evening", "2021-05-07 22:00", 120)
    assert list(timefmt.sessions_by_day([evening], vienna)) == [dt.date(2021, 5, 7)]
    across = session("across", "2021-05-07 23:00", 120)
    assert list(timefmt.sessions_by_day([across], vienna)) == [dt.date(2021, 5, 7),
                                                               dt.date(2021, 5, 8)]


def test_whole_day_sessions_keep_their_date_in_every_zone():
    whole = session("whole", "2024-12-28 00:00", 24 * 60, zone="Europe/Berlin", all_day=True)
    berlin, apia = tz.get_zone("Europe/Berlin"), tz.get_zone("Pacific/Apia")
    assert list(timefmt.sessions_by_day([whole], apia, source_zone=berlin)) == \
        [dt.date(2024, 12, 28)]
    assert timefmt.all_day_text(whole, berlin) == "Sat 28 Dec, all day"


def test_hour_lines_on_days_with_a_clock_change():
    vienna = tz.get_zone("Europe/Vienna")
    spring = timefmt.day_bounds(dt.date(2021, 3, 28), vienna)
    autumn = timefmt.day_bounds(dt.date(2021, 10, 31), vienna)
    assert spring[1] - spring[0] == dt.timedelta(hours=23)
    assert autumn[1] - autumn[0] == dt.timedelta(hours=25)
    spring_marks = [timefmt.hm(m) for m in timefmt.hour_marks(*spring, vienna)]
    autumn_marks = [timefmt.hm(m) for m in timefmt.hour_marks(*autumn, vienna)]
    assert "02:00" not in spring_marks and len(spring_marks) == 24  # 00:00 .. 24:00, no 02:00
    assert autumn_marks.count("02:00") == 2 and len(autumn_marks) == 26


def test_hour_lines_of_a_half_hour_zone_are_its_own_whole_hours():
    kolkata = tz.get_zone("Asia/Kolkata")
    start, end = timefmt.day_bounds(dt.date(2021, 5, 7), kolkata)
    marks = list(timefmt.hour_marks(start, start + dt.timedelta(hours=3), kolkata))
    assert [timefmt.hm(m) for m in marks] == ["00:00", "01:00", "02:00", "03:00"]
    # Midnight in Kolkata is 20:30 in Vienna: Vienna's lines fall on its own whole hours.
    vienna = tz.get_zone("Europe/Vienna")
    marks = list(timefmt.hour_marks(start, start + dt.timedelta(hours=2), vienna))
    assert [timefmt.hm(m) for m in marks] == ["21:00", "22:00"]
    adelaide = tz.get_zone("Australia/Adelaide")  # +09:30 in May: 04:00 at Kolkata's midnight
    marks = list(timefmt.hour_marks(start, start + dt.timedelta(hours=2), adelaide))
    assert [timefmt.hm(m) for m in marks] == ["04:00", "05:00", "06:00"]
    assert end - start == dt.timedelta(hours=24)


def test_durations_read_naturally():
    assert timefmt.duration_text(dt.timedelta(minutes=90)) == "1 h 30 min"
    assert timefmt.duration_text(dt.timedelta(hours=2)) == "2 h"
    assert timefmt.duration_text(dt.timedelta(minutes=45)) == "45 min"
