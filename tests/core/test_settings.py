"""The settings schema: each declaration validates, clamps or drops a stored value."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import settings
from planner.core.settings import read


def test_every_setting_is_declared_once_with_a_description() -> None:
    declared = settings.WINDOW_SETTINGS + settings.VIEW_SETTINGS + settings.STORE_SETTINGS
    names = [setting.name for setting in declared]
    assert len(names) == len(set(names))
    for setting in declared:
        assert setting.description and setting.kind
        # the default itself passes the declaration (None means "no value" for the top time)
        if setting.default is not None and setting.default != "":
            assert settings.is_valid(setting, setting.default), setting.name


@pytest.mark.parametrize("raw,expected,noted", [
    ("120", 120, False), (120, 120, False), (120.0, 120, False), (" 90 ", 90, False),
    ("2147483647", 480, True), (-5, 24, True), ("99999999999999999999", 480, True),
])
def test_zoom_is_clamped_into_its_range(raw: object, expected: int, noted: bool) -> None:
    notices: list[str] = []
    assert read(settings.VIEW_ZOOM, raw, notices) == expected
    assert bool(notices) == noted
    if noted:
        assert "'zoom'" in notices[0] and str(expected) in notices[0]


@pytest.mark.parametrize("raw", ["abc", "", "1e400", "nan", True, [1, 2], b"60", float("inf"),
                                 {"a": 1}, "9" * 100])
def test_a_number_that_is_not_one_is_dropped_with_a_notice(raw: object) -> None:
    notices: list[str] = []
    assert read(settings.VIEW_ZOOM, raw, notices) == settings.VIEW_ZOOM.default
    assert len(notices) == 1 and "was damaged" in notices[0] and "reset" in notices[0]


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                 "2300-01-01T00:00:00+00:00", "2021-05-07T02:00:00",
                                 "2021-13-45T99:99:00+00:00", "garbage", 42, "x" * 100])
def test_top_time_outside_the_range_or_naive_is_dropped(raw: object) -> None:
    notices: list[str] = []
    assert read(settings.VIEW_TOP, raw, notices) is None
    assert len(notices) == 1


def test_top_time_in_range_is_kept() -> None:
    moment = dt.datetime(2021, 5, 7, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert read(settings.VIEW_TOP, moment.isoformat()) == moment
    assert read(settings.VIEW_TOP, "") is None


def test_lists_accept_qsettings_one_item_strings_and_are_bounded() -> None:
    assert read(settings.VIEW_COLLAPSED, "Janson") == ["Janson"]
    assert read(settings.VIEW_COLLAPSED, ["A", "B", "A"]) == ["A", "B"]
    notices: list[str] = []
    recent = read(settings.RECENT, [f"/p/{n}.xml" for n in range(50)], notices)
    assert recent == [f"/p/{n}.xml" for n in range(settings.RECENT_LIMIT)]
    assert "first 8" in notices[0]
    assert read(settings.RECENT, ["ok", 5]) == []  # a list holding a non-text is damage


@pytest.mark.parametrize("raw", ["evil\x1b[31m", "a\x00b", "x" * 5000, "\ud800"])
def test_text_with_controls_or_too_long_is_dropped(raw: str) -> None:
    notices: list[str] = []
    assert read(settings.VIEW_CURRENT, raw, notices) == ""
    assert notices


def test_choices_zones_and_blobs() -> None:
    assert read(settings.THEME, "dark") == "dark"
    assert read(settings.THEME, "neon") == "system"
    assert read(settings.DISPLAY_ZONE, "Asia/Kathmandu") == "Asia/Kathmandu"
    assert read(settings.DISPLAY_ZONE, "Mars/Olympus_Mons") == ""
    assert read(settings.DISPLAY_ZONE, 42) == ""
    notices: list[str] = []
    zones = read(settings.SOURCE_ZONES, {"k1": "Europe/Vienna", "k2": "Nowhere", "k3": 3},
                 notices)
    assert zones == {"k1": "Europe/Vienna"} and "2 unusable" in notices[0]
    assert read(settings.SOURCE_ZONES, [1, 2]) == {}
    assert read(settings.WINDOW_GEOMETRY, b"\x01\xd9\xd0\xcb") == b"\x01\xd9\xd0\xcb"
    assert read(settings.WINDOW_GEOMETRY, b"x" * (settings.MAX_STATE_BYTES + 1)) == b""
    assert read(settings.WINDOW_GEOMETRY, "not bytes") == b""


def test_defaults_are_fresh_copies() -> None:
    first = read(settings.VIEW_COLLAPSED, None)
    first.append("changed")
    assert read(settings.VIEW_COLLAPSED, None) == []


def test_live_settings_stored_before_the_typed_declarations_read_the_same(tmp_path) -> None:
    """Keys and JSON values written by the issue-12 code (plain ``store.set_setting``) keep
    their meaning now that the declarations live in core.settings."""
    from planner.storage import live_settings as ls
    from planner.storage.store import Store

    with Store(tmp_path) as store:
        store.set_setting("live.refresh_minutes_running", 5)
        store.set_setting("live.refresh_minutes_before", 120)
        store.set_setting("live.auto_refresh", False)
        store.set_setting("live.close_to_tray", True)
        store.set_setting("reminders.enabled", False)
        store.set_setting("reminders.minutes", 0)
        store.set_setting("reminders.overrides", {"prog": {"s1": 3, "s2": 0, "bad": "x"}})
    with Store(tmp_path) as store:
        assert ls.get_int(store, ls.REFRESH_RUNNING) == 5
        assert ls.get_int(store, ls.REFRESH_BEFORE) == 120
        assert ls.get_bool(store, ls.AUTO_REFRESH) is False
        assert ls.get_bool(store, ls.CLOSE_TO_TRAY) is True
        reminders = ls.reminder_settings(store, "prog")
        assert (reminders.enabled, reminders.minutes_before) == (False, 0)
        assert reminders.overrides == {"s1": 3, "s2": 0}
        store.set_setting("live.refresh_minutes_running", 0)  # damaged: clamped to 1 minute
        assert ls.get_int(store, ls.REFRESH_RUNNING) == 1
        store.set_setting("live.auto_refresh", "maybe")  # damaged: the default
        assert ls.get_bool(store, ls.AUTO_REFRESH) is True
