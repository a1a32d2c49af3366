"""The live-program settings (declared in :mod:`planner.core.settings`) read from and written
to the store: refresh intervals, reminders, closing to the tray."""

from __future__ import annotations

from planner.core.reminders import ReminderSettings
from planner.core.settings import (
    AUTO_REFRESH,
    CLOSE_TO_TRAY,
    LIVE_SETTINGS,
    REFRESH_BEFORE,
    REFRESH_RUNNING,
    REMINDER_MINUTES,
    REMINDER_OVERRIDES,
    REMINDERS_ON,
    Setting,
    read,
)
from planner.storage.store import Store

__all__ = ["AUTO_REFRESH", "CLOSE_TO_TRAY", "LIVE_SETTINGS", "REFRESH_BEFORE", "REFRESH_RUNNING",
           "REMINDERS_ON", "REMINDER_MINUTES", "REMINDER_OVERRIDES", "get_bool", "get_int",
           "reminder_settings", "set_override"]


def get_int(store: Store, setting: Setting[int]) -> int:
    """A number setting as declared: clamped into its range, the default when damaged."""
    return read(setting, store.setting(setting.name, None))


def get_bool(store: Store, setting: Setting[bool]) -> bool:
    return read(setting, store.setting(setting.name, None))


def reminder_settings(store: Store, program_key: str, paused: bool = False) -> ReminderSettings:
    overrides = read(REMINDER_OVERRIDES, store.setting(REMINDER_OVERRIDES.name, None))
    return ReminderSettings(enabled=get_bool(store, REMINDERS_ON),
                            minutes_before=get_int(store, REMINDER_MINUTES),
                            overrides=overrides.get(program_key, {}), paused=paused)


def set_override(store: Store, program_key: str, item_id: str, minutes: int | None) -> None:
    """Per-star lead time (None removes the override)."""
    overrides = read(REMINDER_OVERRIDES, store.setting(REMINDER_OVERRIDES.name, None))
    mine = dict(overrides.get(program_key, {}))
    if minutes is None:
        mine.pop(item_id, None)
    else:
        mine[item_id] = minutes
    overrides[program_key] = mine
    store.set_setting(REMINDER_OVERRIDES.name, overrides)
