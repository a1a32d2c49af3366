"""The zone module on real zones: no DST, odd offsets, the date line, the south, gaps, folds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core import timezones as tz
from planner.core.timezones import LocalTimeKind

UTC = dt.UTC


def at(zone: str, *args: int) -> dt.datetime:
    return tz.localize(dt.datetime(*args), tz.get_zone(zone))


def test_localize_kolkata_has_half_hour_offset() -> None:
    moment = at("Asia/Kolkata", 2021, 5, 7, 5, 30)
    assert moment.astimezone(UTC) == dt.datetime(2021, 5, 7, 0, 0, tzinfo=UTC)
    assert tz.abbreviation(moment) == "IST"


def test_localize_kathmandu_has_45_minute_offset() -> None:
    moment = at("Asia/Kathmandu", 2021, 5, 7, 5, 45)
    assert moment.astimezone(UTC) == dt.datetime(2021, 5, 7, 0, 0, tzinfo=UTC)
    assert tz.format_offset(moment.utcoffset() or dt.timedelta()) == "+05:45"


def test_to_zone_apia_crosses_the_date_line() -> None:
    # 7 May 2021 00:00 UTC is already 13:00 on 7 May in Apia (+13), 14:00 in Kiritimati (+14),
    # but still 6 May 14:00 in Honolulu (-10).
    instant = dt.datetime(2021, 5, 7, 0, 0, tzinfo=UTC)
    assert tz.wall_clock(instant, tz.get_zone("Pacific/Apia")) == dt.datetime(2021, 5, 7, 13, 0)
    kiritimati = tz.wall_clock(instant, tz.get_zone("Pacific/Kiritimati"))
    assert kiritimati == dt.datetime(2021, 5, 7, 14, 0)
    honolulu = tz.wall_clock(instant, tz.get_zone("Pacific/Honolulu"))
    assert honolulu == dt.datetime(2021, 5, 6, 14, 0)


def test_apia_skipped_30_december_2011() -> None:
    # Samoa jumped from -10 to +14: 30 Dec 2011 never happened there.
    result = tz.localize_checked(dt.datetime(2011, 12, 30, 12, 0), tz.get_zone("Pacific/Apia"))
    assert result.kind is LocalTimeKind.GAP


def test_adelaide_southern_hemisphere_summer_in_january() -> None:
    summer = at("Australia/Adelaide", 2021, 1, 15, 12, 0)
    winter = at("Australia/Adelaide", 2021, 7, 15, 12, 0)
    assert summer.utcoffset() == dt.timedelta(hours=10, minutes=30)
    assert winter.utcoffset() == dt.timedelta(hours=9, minutes=30)
    assert tz.abbreviation(summer) == "ACDT"


def test_localize_vienna_gap_moves_after_the_jump() -> None:
    result = tz.localize_checked(dt.datetime(2021, 3, 28, 2, 30), tz.get_zone("Europe/Vienna"))
    assert result.kind is LocalTimeKind.GAP
    assert result.instant.astimezone(UTC) == dt.datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    assert tz.wall_clock(result.instant, tz.get_zone("Europe/Vienna")) == dt.datetime(
        2021, 3, 28, 3, 30)
    assert "does not exist" in result.note


def test_localize_vienna_fold_takes_first_occurrence() -> None:
    result = tz.localize_checked(dt.datetime(2021, 10, 31, 2, 30), tz.get_zone("Europe/Vienna"))
    assert result.kind is LocalTimeKind.FOLD
    assert result.instant.astimezone(UTC) == dt.datetime(2021, 10, 31, 0, 30, tzinfo=UTC)
    assert tz.abbreviation(result.instant) == "CEST"


def test_localize_new_york_gap_and_fold() -> None:
    zone = tz.get_zone("America/New_York")
    gap = tz.localize_checked(dt.datetime(2021, 3, 14, 2, 15), zone)
    assert gap.kind is LocalTimeKind.GAP
    assert gap.instant.astimezone(UTC) == dt.datetime(2021, 3, 14, 7, 15, tzinfo=UTC)
    fold = tz.localize_checked(dt.datetime(2021, 11, 7, 1, 30), zone)
    assert fold.kind is LocalTimeKind.FOLD
    assert fold.instant.astimezone(UTC) == dt.datetime(2021, 11, 7, 5, 30, tzinfo=UTC)
    assert tz.abbreviation(fold.instant) == "EDT"


def test_add_across_dst_normalizes_offset() -> None:
    start = at("Europe/Vienna", 2021, 3, 28, 1, 0)
    later = tz.add(start, dt.timedelta(hours=2))
    assert later.strftime("%H:%M %Z") == "04:00 CEST"


def test_localize_rejects_aware_time() -> None:
    with pytest.raises(ValueError):
        tz.localize(dt.datetime(2021, 5, 7, tzinfo=UTC), tz.get_zone("UTC"))


def test_get_zone_unknown_name_suggests() -> None:
    with pytest.raises(tz.UnknownZoneError) as caught:
        tz.get_zone("Europe/Viena")
    assert "Europe/Vienna" in str(caught.value)


def test_get_zone_is_case_insensitive() -> None:
    assert tz.zone_name(tz.get_zone("europe/vienna")) == "Europe/Vienna"
    assert tz.zone_name(tz.get_zone("utc")) == "UTC"


def test_search_zones_lists_offsets() -> None:
    found = dict(tz.search_zones("kathmandu", at=dt.datetime(2021, 5, 7, tzinfo=UTC)))
    assert found == {"Asia/Kathmandu": "UTC+05:45"}
    found = dict(tz.search_zones("los angeles", at=dt.datetime(2021, 5, 7, tzinfo=UTC)))
    assert found == {"America/Los_Angeles": "UTC-07:00"}


def test_system_zone_prefers_qt_then_tz_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert tz.system_zone_name("Europe/Vienna") == "Europe/Vienna"
    assert tz.system_zone_name(None) == "Asia/Kolkata"
    assert tz.system_zone_name("Not/AZone") == "Asia/Kolkata"


ZONES = ["Europe/Vienna", "America/New_York", "Australia/Adelaide", "Asia/Kathmandu",
         "Pacific/Apia", "Pacific/Chatham", "America/St_Johns", "UTC"]


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2037, 12, 31)),
       st.sampled_from(ZONES))
def test_wall_clock_round_trip_outside_gaps(wall: dt.datetime, zone_name: str) -> None:
    zone = tz.get_zone(zone_name)
    result = tz.localize_checked(wall.replace(microsecond=0), zone)
    back = tz.wall_clock(result.instant, zone)
    if result.kind is LocalTimeKind.GAP:
        assert back > wall.replace(microsecond=0)
    else:
        assert back == wall.replace(microsecond=0)


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2037, 12, 31),
                    timezones=st.just(UTC)), st.sampled_from(ZONES))
def test_to_zone_keeps_the_instant(instant: dt.datetime, zone_name: str) -> None:
    converted = tz.to_zone(instant, tz.get_zone(zone_name))
    assert converted == instant
    # The offset is the one in force at that instant (pytz's fromutc), not a stale LMT one.
    assert converted.utcoffset() == tz.get_zone(zone_name).fromutc(
        instant.replace(tzinfo=tz.get_zone(zone_name))).utcoffset()


def test_is_zone_name_agrees_with_pytz_on_every_name_and_on_misspellings():
    import pytz

    names = sorted(pytz.all_timezones)
    assert all(tz.is_zone_name(name) for name in names)
    for wrong in ("europe/berlin", "Mars/Olympus", "", "Europe/Berlin ", "../etc/passwd"):
        assert tz.is_zone_name(wrong) == (wrong in pytz.all_timezones_set)
