"""The live-program settings, declared once (type, default, why), read and written through the
store's settings: refresh intervals, reminders, closing to the tray."""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.reminders import DEFAULT_MINUTES, ReminderSettings
from planner.storage.store import Store


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    description: str


REFRESH_RUNNING = Setting("live.refresh_minutes_running", 15,
                          "minutes between automatic refreshes while the program is under way")
REFRESH_BEFORE = Setting("live.refresh_minutes_before", 60,
                         "minutes between automatic refreshes before the program starts")
AUTO_REFRESH = Setting("live.auto_refresh", True, "refresh on start and on the timer")
CLOSE_TO_TRAY = Setting("live.close_to_tray", False,
                        "closing the window keeps planner in the tray (reminders go on)")
REMINDERS_ON = Setting("reminders.enabled", True, "desktop reminders before starred sessions")
REMINDER_MINUTES = Setting("reminders.minutes", DEFAULT_MINUTES,
                           "minutes before a starred session to remind")
REMINDER_OVERRIDES = Setting("reminders.overrides", {},
                             "program key -> {item id: minutes} for single stars (0: none)")
ALL = [REFRESH_RUNNING, REFRESH_BEFORE, AUTO_REFRESH, CLOSE_TO_TRAY, REMINDERS_ON,
       REMINDER_MINUTES, REMINDER_OVERRIDES]


def get_int(store: Store, setting: Setting, lowest: int = 1) -> int:
    value = store.setting(setting.key, setting.default)
    default = setting.default if isinstance(setting.default, int) else lowest
    return value if isinstance(value, int) and not isinstance(value, bool) and \
        value >= lowest else default


def get_bool(store: Store, setting: Setting) -> bool:
    value = store.setting(setting.key, setting.default)
    return value if isinstance(value, bool) else bool(setting.default)


def reminder_settings(store: Store, program_key: str, paused: bool = False) -> ReminderSettings:
    overrides = store.setting(REMINDER_OVERRIDES.key, {})
    mine = overrides.get(program_key, {}) if isinstance(overrides, dict) else {}
    clean = {str(k): int(v) for k, v in mine.items() if isinstance(v, int)} \
        if isinstance(mine, dict) else {}
    return ReminderSettings(enabled=get_bool(store, REMINDERS_ON),
                            minutes_before=get_int(store, REMINDER_MINUTES, lowest=0),
                            overrides=clean, paused=paused)


def set_override(store: Store, program_key: str, item_id: str, minutes: int | None) -> None:
    """Per-star lead time (None removes the override)."""
    overrides = store.setting(REMINDER_OVERRIDES.key, {})
    overrides = dict(overrides) if isinstance(overrides, dict) else {}
    mine = dict(overrides.get(program_key, {})) if isinstance(
        overrides.get(program_key), dict) else {}
    if minutes is None:
        mine.pop(item_id, None)
    else:
        mine[item_id] = minutes
    overrides[program_key] = mine
    store.set_setting(REMINDER_OVERRIDES.key, overrides)
