"""The compact VTIMEZONEs say the same offsets as pytz, read back by two independent parsers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import timezones as tz
from planner.export.vtimezone import MARGIN, ZoneHistory, find_transitions, vtimezone

# No DST, +05:45, date line, southern hemisphere with half hours, +12:45/+13:45, -03:30/-02:30,
# a zone that dropped DST (Sao Paulo 2019), one with Ramadan breaks (Casablanca), US and EU rules,
# a 30-minute DST (Lord Howe), fixed-date rules (Tehran until 2022).
ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "Pacific/Apia", "Pacific/Kiritimati",
         "Australia/Adelaide", "Pacific/Chatham", "America/St_Johns", "America/Sao_Paulo",
         "Africa/Casablanca", "America/New_York", "Europe/Vienna", "Australia/Lord_Howe",
         "Asia/Tehran", "Europe/London", "Etc/GMT+5"]


def _readers(component_text: str) -> list[dt.tzinfo]:
    """The zone as vobject (dateutil) and icalendar (built from the component) read it."""
    import icalendar
    import vobject

    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{component_text}END:VCALENDAR\r\n"
    from_vobject = vobject.readOne(text).vtimezone.gettzinfo()
    component: Any = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")[0]
    from_icalendar = component.to_tz(lookup_tzid=False)
    return [from_vobject, from_icalendar]


def _assert_same_offsets(zone_name: str, first: dt.datetime, last: dt.datetime,
                         samples: list[dt.datetime]) -> None:
    zone = tz.get_zone(zone_name)
    component = vtimezone(zone_name, first, last)
    readers = _readers(component.to_ical().decode())
    for instant in samples:
        wall = tz.wall_clock(instant, zone)
        if tz.classify(wall, zone) is not tz.LocalTimeKind.NORMAL:
            continue  # a wall time in a gap or fold has no single answer to compare
        expected = tz.utc_offset(zone, instant)
        for reader in readers:
            assert wall.replace(tzinfo=reader).utcoffset() == expected, (
                zone_name, wall, type(reader).__name__)


def _parsed(zone_name: str, first: dt.datetime, last: dt.datetime) -> Any:
    """The VTIMEZONE as a reader sees it (written, then parsed again)."""
    import icalendar

    return icalendar.Timezone.from_ical(vtimezone(zone_name, first, last).to_ical())


def _span(zone_name: str, start: str, days: int) -> tuple[dt.datetime, dt.datetime]:
    first = tz.localize(dt.datetime.fromisoformat(start), tz.get_zone(zone_name))
    return first, tz.add(first, dt.timedelta(days=days))


@pytest.mark.parametrize("zone_name", ZONES)
def test_vtimezone_offsets_match_pytz_around_a_conference(zone_name: str) -> None:
    first, last = _span(zone_name, "2021-05-07 02:00", 3)
    hours = [tz.add(first, dt.timedelta(hours=h)) for h in range(-24, 24 * 4)]
    _assert_same_offsets(zone_name, first, last, hours)


@pytest.mark.parametrize("zone_name", ZONES)
def test_vtimezone_offsets_match_pytz_over_two_years(zone_name: str) -> None:
    first, last = _span(zone_name, "2020-01-15 09:00", 730)
    days = [tz.add(first, dt.timedelta(days=d, hours=h)) for d in range(0, 731, 3)
            for h in (0, 13)]
    _assert_same_offsets(zone_name, first, last, days)


@settings(max_examples=60, deadline=None)
@given(zone_name=st.sampled_from(ZONES),
       start=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2035, 1, 1)),
       days=st.integers(min_value=0, max_value=500),
       probes=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=8))
def test_vtimezone_offsets_match_pytz_anywhere(zone_name: str, start: dt.datetime, days: int,
                                               probes: list[float]) -> None:
    zone = tz.get_zone(zone_name)
    first = tz.localize(start, zone)
    last = tz.add(first, dt.timedelta(days=days))
    samples = [tz.add(first, (last - first) * p) for p in probes] + [first, last]
    _assert_same_offsets(zone_name, first, last, samples)


def test_vtimezone_vienna_is_two_yearly_rules() -> None:
    first, last = _span("Europe/Vienna", "2021-05-07 02:00", 1)
    component = _parsed("Europe/Vienna", first, last)
    parts = {sub.name: sub for sub in component.subcomponents}
    assert set(parts) == {"STANDARD", "DAYLIGHT"}
    assert parts["DAYLIGHT"]["RRULE"]["BYDAY"] == ["-1SU"]
    assert parts["DAYLIGHT"]["RRULE"]["BYMONTH"] == [3]
    assert parts["STANDARD"]["RRULE"]["BYMONTH"] == [10]
    assert "RDATE" not in component.to_ical().decode()
    assert len(component.to_ical().splitlines()) <= 20


def test_vtimezone_without_dst_is_one_standard_observance() -> None:
    first, last = _span("Asia/Kathmandu", "2021-05-07 02:00", 1)
    text = vtimezone("Asia/Kathmandu", first, last).to_ical().decode()
    assert text.count("BEGIN:STANDARD") == 1
    assert "BEGIN:DAYLIGHT" not in text
    assert "TZOFFSETTO:+0545" in text


def test_vtimezone_is_bounded_to_the_exported_dates() -> None:
    first, last = _span("America/St_Johns", "2021-05-07 02:00", 2)
    component = _parsed("America/St_Johns", first, last)
    for part in component.subcomponents:
        onset = part.decoded("DTSTART")
        assert first.replace(tzinfo=None) - MARGIN <= onset <= last.replace(tzinfo=None)
        rule = part.get("RRULE")
        if rule is not None:
            until = rule["UNTIL"][0]
            assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)
            assert until <= tz.to_utc(last) + MARGIN + dt.timedelta(days=1)


def test_vtimezone_southern_hemisphere_daylight_starts_in_spring() -> None:
    first, last = _span("Pacific/Chatham", "2021-05-07 02:00", 1)
    component = _parsed("Pacific/Chatham", first, last)
    daylight = next(p for p in component.subcomponents if p.name == "DAYLIGHT")
    assert daylight.decoded("DTSTART").month == 9
    assert daylight.decoded("TZOFFSETFROM") == dt.timedelta(hours=12, minutes=45)
    assert daylight.decoded("TZOFFSETTO") == dt.timedelta(hours=13, minutes=45)


def test_find_transitions_finds_the_exact_second() -> None:
    zone = tz.get_zone("Europe/Vienna")
    found = find_transitions(zone, dt.datetime(2021, 3, 1, tzinfo=dt.UTC),
                             dt.datetime(2021, 4, 1, tzinfo=dt.UTC))
    assert [t.at for t in found] == [dt.datetime(2021, 3, 28, 1, 0, tzinfo=dt.UTC)]
    assert found[0].onset == dt.datetime(2021, 3, 28, 2, 0)


def test_zone_history_refuses_spans_it_did_not_probe() -> None:
    first, last = _span("Europe/Vienna", "2021-05-07 02:00", 1)
    history = ZoneHistory(tz.get_zone("Europe/Vienna"), first, last)
    with pytest.raises(ValueError):
        history.component(first, tz.add(last, dt.timedelta(days=30)))
