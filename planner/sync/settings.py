"""What planner remembers about syncing, in the user's settings (never a password).

* the calendar last synced to (URL, user, calendar name, zone, alarm...), so ``planner sync``
  and the window's automatic sync need no arguments the second time;
* the user name per server;
* whether to sync automatically after star changes and program refreshes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from planner.storage.store import Store
from planner.sync.caldav_sync import DEFAULT_TIMEOUT, SyncTarget, server_of

SETTING_TARGET = "caldav_target"
SETTING_USERS = "caldav_users"  # server -> user name
SETTING_AUTO_SYNC = "caldav_auto_sync"


@dataclass(frozen=True)
class SyncSettings:
    """The remembered sync target and export choices."""

    url: str
    user: str = ""
    calendar_name: str = ""
    zone: str = ""  # '' = the display zone
    alarm_minutes: int | None = None
    paper_events: bool = False
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str = ""

    def target(self) -> SyncTarget:
        return SyncTarget(self.url, self.user, self.calendar_name, self.timeout, self.ca_file)


def load_sync_settings(store: Store) -> SyncSettings | None:
    value = store.setting(SETTING_TARGET)
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        return None
    fields = SyncSettings.__dataclass_fields__
    known: dict[str, Any] = {key: item for key, item in value.items() if key in fields}
    try:
        return SyncSettings(**known)
    except TypeError:
        return None


def save_sync_settings(store: Store, settings: SyncSettings) -> None:
    store.set_setting(SETTING_TARGET, asdict(settings))
    if settings.user:
        users = store.setting(SETTING_USERS, {})
        users = dict(users) if isinstance(users, dict) else {}
        users[server_of(settings.url)] = settings.user
        store.set_setting(SETTING_USERS, users)


def remembered_user(store: Store, url: str) -> str:
    users = store.setting(SETTING_USERS, {})
    user = users.get(server_of(url)) if isinstance(users, dict) else None
    return user if isinstance(user, str) else ""


def auto_sync_enabled(store: Store) -> bool:
    return store.setting(SETTING_AUTO_SYNC, False) is True


def set_auto_sync(store: Store, enabled: bool) -> None:
    store.set_setting(SETTING_AUTO_SYNC, bool(enabled))
