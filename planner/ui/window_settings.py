"""``window.ini`` through the typed declarations of :mod:`planner.core.settings`.

The only place the window touches ``QSettings``. Reading turns Qt's types into plain ones
(``QByteArray`` to ``bytes``) and hands them to the declaration; a value that fails is removed
from the file, a clamped one written back, so a damaged file heals on the first start and never
reaches a widget (``zoom=2147483647`` used to overflow Qt's scroll range and crash the window).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from planner.core import settings
from planner.core.settings import Setting

T = TypeVar("T")


class WindowSettings:
    """Typed reads and writes of the window's QSettings; ``notices`` collects what was reset."""

    def __init__(self, store: QSettings) -> None:
        self.qt = store
        self.notices: list[str] = []
        if store.status() == QSettings.Status.FormatError:
            self.notices.append(f"the window settings file {store.fileName()} could not be "
                                f"read; the window starts with its defaults")

    def get(self, setting: Setting[T], group: str = "") -> T:
        key = _key(setting, group)
        try:
            raw = _plain(self.qt.value(key))
        except (RuntimeError, TypeError, ValueError, OverflowError):  # a type PySide cannot map
            raw = _UNREADABLE
        if raw is None and self.qt.contains(key):
            raw = _UNREADABLE  # "@Invalid()" or a type Qt cannot build: planner never writes it
        found: list[str] = []
        value = settings.read(setting, raw, found)
        if found:
            self.notices.extend(found)
            self.qt.remove(key)  # the damaged value goes; a clamped one is written back
            if value != setting.default:
                self.put(setting, value, group)
        return value

    def put(self, setting: Setting[T], value: T, group: str = "") -> None:
        self.qt.setValue(_key(setting, group), _stored(value))

    def take_notices(self) -> list[str]:
        """The notices gathered since the last call (each said once)."""
        notices, self.notices = list(dict.fromkeys(self.notices)), []
        return notices

    def sync(self) -> None:
        self.qt.sync()


def program_group(program_key: str) -> str:
    """The QSettings group of one program's view state (tab, zoom, top time...)."""
    return "program-" + hashlib.sha1(program_key.encode("utf-8")).hexdigest()[:16]


class _Unreadable:
    def __repr__(self) -> str:
        return "an unreadable value"


_UNREADABLE = _Unreadable()


def _key(setting: Setting[Any], group: str) -> str:
    return f"{group}/{setting.name}" if group else setting.name


def _plain(raw: object) -> object:
    if isinstance(raw, QByteArray):
        return bytes(raw.data())
    return raw


def _stored(value: object) -> object:
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value is None:
        return ""
    return value
