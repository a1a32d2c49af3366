"""Every stored setting, declared once: name, type, default, allowed values, description.

Settings are read back from files the user (or a crash, or another version) may have damaged:
``window.ini`` (QSettings, through :mod:`planner.ui.window_settings`) and the store's settings
table. A stored value is never trusted: :func:`read` validates it against its declaration,
clamps a number into its range (with a notice), and drops a value that fails (the default is
used, with a notice). No Qt here; the window's adapter turns Qt's types into plain ones first.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from planner.core import timezones

T = TypeVar("T")

# Minutes before a starred session that its reminder fires, unless the user chose otherwise.
# Declared here, not in planner.core.reminders, so reading settings (every command does) does
# not import the reminder and change-report modules.
DEFAULT_MINUTES = 10

MAX_TEXT = 4096  # a path, an id or a folder; anything longer is damage
MAX_STATE_BYTES = 64 * 1024  # Qt's window/splitter state blobs are a few hundred bytes


class SettingError(ValueError):
    """Why a stored value cannot be used (a sentence fragment)."""


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A validated value, and a note when it had to be changed (clamped, trimmed)."""

    value: T
    note: str = ""


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One stored setting.

    Attributes:
        name: its key (``window/geometry``; per-program view keys live in a program's group).
        default: used when the value is absent or fails validation.
        description: what it remembers, for people reading the code or the file.
        check: validates a raw stored value; raises :class:`SettingError`.
        kind: the stored type, in words (for the docs and messages).
    """

    name: str
    default: T
    description: str
    check: Callable[[object], Checked[T]]
    kind: str


def read(setting: Setting[T], raw: object, notices: list[str] | None = None) -> T:
    """The stored value if it passes its declaration, else the default (with a notice)."""
    if raw is None:
        return copy.copy(setting.default)
    try:
        checked = setting.check(raw)
    except SettingError as error:
        if notices is not None:
            notices.append(f"the saved setting {setting.name!r} was damaged ({error}); it was "
                           f"reset")
        return copy.copy(setting.default)
    if checked.note and notices is not None:
        notices.append(f"the saved setting {setting.name!r} {checked.note}")
    return checked.value


def is_valid(setting: Setting[T], raw: object) -> bool:
    """Whether ``raw`` passes the declaration unchanged (no clamping needed)."""
    try:
        return not setting.check(raw).note
    except SettingError:
        return False


# -- value checkers ------------------------------------------------------------------------
def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise SettingError(f"{_shown(raw)} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and len(raw) <= 40:
        try:
            return int(raw.strip())
        except ValueError:
            pass
    raise SettingError(f"{_shown(raw)} is not a whole number")


def _as_text(raw: object, limit: int = MAX_TEXT) -> str:
    if not isinstance(raw, str):
        raise SettingError(f"{_shown(raw)} is not text")
    if len(raw) > limit:
        raise SettingError(f"the text is {len(raw)} characters long; at most {limit} expected")
    if any(ord(char) < 32 or ord(char) == 127 for char in raw):
        raise SettingError("the text contains control characters")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in raw):
        raise SettingError("the text contains lone surrogates")
    return raw


def _as_list(raw: object) -> list[object]:
    # QSettings hands back a one-item list as a plain string, and an empty list as None.
    if isinstance(raw, str):
        return [raw] if raw else []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    raise SettingError(f"{_shown(raw)} is not a list")


def whole_number(low: int, high: int) -> Callable[[object], Checked[int]]:
    """A whole number, clamped into ``[low, high]``."""

    def check(raw: object) -> Checked[int]:
        value = _as_int(raw)
        if value < low:
            return Checked(low, f"was {value}, below {low}; {low} is used")
        if value > high:
            return Checked(high, f"was {value}, above {high}; {high} is used")
        return Checked(value)

    return check


def one_of(choices: Sequence[str]) -> Callable[[object], Checked[str]]:
    def check(raw: object) -> Checked[str]:
        value = _as_text(raw, 64)
        if value not in choices:
            raise SettingError(f"{_shown(value)} is not one of {', '.join(choices)}")
        return Checked(value)

    return check


def flag(raw: object) -> Checked[bool]:
    """On or off; QSettings hands booleans back as "true"/"false" from the file."""
    if isinstance(raw, bool):
        return Checked(raw)
    value = _as_text(raw, 8).strip().lower()
    if value in ("true", "1"):
        return Checked(True)
    if value in ("false", "0", ""):
        return Checked(False)
    raise SettingError(f"{_shown(raw)} is neither true nor false")


def text(raw: object) -> Checked[str]:
    return Checked(_as_text(raw))


def text_list(limit: int) -> Callable[[object], Checked[list[str]]]:
    """Up to ``limit`` distinct texts; extra items are dropped with a note."""

    def check(raw: object) -> Checked[list[str]]:
        items = _as_list(raw)
        values = list(dict.fromkeys(_as_text(item) for item in items))
        if len(values) > limit:
            return Checked(values[:limit], f"held {len(values)} items; the first {limit} "
                                           f"are kept")
        return Checked(values)

    return check


def instant(raw: object) -> Checked[dt.datetime | None]:
    """An ISO 8601 time with an offset, inside the supported dates; empty means none."""
    value = _as_text(raw, 64)
    if not value:
        return Checked(None)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise SettingError(f"{_shown(value)} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise SettingError(f"{_shown(value)} has no UTC offset")
    if not timezones.in_supported_range(moment):
        raise SettingError(f"{value} is outside the supported dates "
                           f"({timezones.SUPPORTED_RANGE_TEXT})")
    return Checked(moment)


def state_bytes(raw: object) -> Checked[bytes]:
    """An opaque blob (Qt's saved geometry or state), bounded in size."""
    if not isinstance(raw, (bytes, bytearray)):
        raise SettingError(f"{_shown(raw)} is not saved window data")
    if len(raw) > MAX_STATE_BYTES:
        raise SettingError(f"{len(raw)} bytes; at most {MAX_STATE_BYTES} expected")
    return Checked(bytes(raw))


def zone_name(raw: object) -> Checked[str]:
    value = _as_text(raw, 128)
    if not timezones.is_zone_name(value):
        raise SettingError(f"{_shown(value)} is not an IANA time zone")
    return Checked(value)


def zone_by_program(raw: object) -> Checked[dict[str, str]]:
    """Program key -> IANA zone; entries that are not that are dropped with a note."""
    if not isinstance(raw, Mapping):
        raise SettingError(f"{_shown(raw)} is not a table of program keys and zones")
    kept = {key: value for key, value in raw.items()
            if isinstance(key, str) and len(key) <= MAX_TEXT and isinstance(value, str)
            and timezones.is_zone_name(value)}
    dropped = len(raw) - len(kept)
    return Checked(kept, f"had {dropped} unusable entries; they were dropped" if dropped else "")


# -- the declarations ----------------------------------------------------------------------
THEMES = ("system", "light", "dark")
ZOOM_RANGE = (24, 480)  # pixels per hour: the timeline's first and last zoom level
TAB_COUNT = 4  # timeline, list, my agenda, overview
RECENT_LIMIT = 8

# window.ini, top level
THEME = Setting("theme", "system", "colour theme of the window", one_of(THEMES), "choice")
RECENT = Setting[list[str]]("recent", [], "recently opened programs, newest first",
                            text_list(RECENT_LIMIT), "list of paths")
EXPORT_FOLDER = Setting("export_folder", "", "folder of the last export", text, "path")
BUSY_FILE = Setting("busy_file", "", "the personal calendar (.ics) shown as busy times; empty: "
                    "none", text, "path")
WINDOW_GEOMETRY = Setting("window/geometry", b"", "window size and place (Qt's own format)",
                          state_bytes, "bytes")
WINDOW_STATE = Setting("window/state", b"", "tool bars and docks (Qt's own format)",
                       state_bytes, "bytes")
WINDOW_SPLITTER = Setting("window/splitter", b"", "split between the views and the details",
                          state_bytes, "bytes")

# window.ini, one group per program ("program-<hash of its key>")
VIEW_TOP = Setting[dt.datetime | None]("top", None, "the time at the top of the timeline",
                                       instant, "ISO 8601 time with offset")
VIEW_ZOOM = Setting("zoom", 60, "timeline zoom in pixels per hour", whole_number(*ZOOM_RANGE),
                    "whole number")
VIEW_COLLAPSED = Setting[list[str]]("collapsed", [], "rooms collapsed in the timeline",
                                    text_list(1000), "list of room names")
VIEW_TAB = Setting("tab", 0, "the tab shown: timeline, list, my agenda or overview",
                   whole_number(0, TAB_COUNT - 1), "whole number")
VIEW_CURRENT = Setting("current", "", "the selected session or paper id", text, "id")
VIEW_FIT_ROOMS = Setting("fit_rooms", False, "all rooms squeezed into the timeline's width",
                         flag, "true or false")
# Filters belong to a program: an older conference must not open with this one's filters.
FILTER_STARRED_ONLY = Setting("starred_only", False, "show only starred sessions", flag,
                              "true or false")
FILTER_HIDE_OVER = Setting("hide_over", False, "hide sessions that are over", flag,
                           "true or false")
FILTER_UNCHECKED = {facet: Setting[list[str]](f"unchecked_{facet}", [],
                                              f"{facet} unticked in the sidebar",
                                              text_list(1000), "list of names")
                    for facet in ("kinds", "tracks", "rooms")}

WINDOW_SETTINGS: tuple[Setting[Any], ...] = (
    THEME, RECENT, EXPORT_FOLDER, BUSY_FILE, WINDOW_GEOMETRY, WINDOW_STATE, WINDOW_SPLITTER)
VIEW_SETTINGS: tuple[Setting[Any], ...] = (
    VIEW_TOP, VIEW_ZOOM, VIEW_COLLAPSED, VIEW_TAB, VIEW_CURRENT, VIEW_FIT_ROOMS,
    FILTER_STARRED_ONLY, FILTER_HIDE_OVER, *FILTER_UNCHECKED.values())

# the store's settings table (JSON values)
LAST_PROGRAM = Setting("last_program", "", "the program opened last (absolute path, or its "
                       "address when it came from the web)", text, "path or URL")
DISPLAY_ZONE = Setting("display_zone", "", "the zone times are shown in; empty: the machine's",
                       zone_name, "IANA zone")
SOURCE_ZONES = Setting[dict[str, str]]("source_zones", {}, "per program key, the zone the user "
                                       "chose for times without an offset", zone_by_program,
                                       "table of program key to IANA zone")



def reminder_overrides(raw: object) -> Checked[dict[str, dict[str, int]]]:
    """Program key -> {item id: minutes}; entries that are not that are dropped."""
    if not isinstance(raw, Mapping):
        raise SettingError(f"{_shown(raw)} is not a table")
    table: dict[str, dict[str, int]] = {}
    for key, items in raw.items():
        if isinstance(key, str) and isinstance(items, Mapping):
            table[key] = {str(i): m for i, m in items.items()
                          if isinstance(m, int) and not isinstance(m, bool) and m >= 0}
    return Checked(table)


# live programs and reminders (the store's settings table, keys as stored since issue 12)
REFRESH_RUNNING = Setting("live.refresh_minutes_running", 15, "minutes between automatic "
                          "refreshes while the program is under way", whole_number(1, 1440),
                          "minutes")
REFRESH_BEFORE = Setting("live.refresh_minutes_before", 60, "minutes between automatic "
                         "refreshes before the program starts", whole_number(1, 10_080),
                         "minutes")
AUTO_REFRESH = Setting("live.auto_refresh", True, "refresh on start and on the timer", flag,
                       "true or false")
CLOSE_TO_TRAY = Setting("live.close_to_tray", False, "closing the window keeps planner in the "
                        "tray (reminders go on)", flag, "true or false")
REMINDERS_ON = Setting("reminders.enabled", True, "desktop reminders before starred sessions",
                       flag, "true or false")
REMINDER_MINUTES = Setting("reminders.minutes", DEFAULT_MINUTES,
                           "minutes before a starred session to remind",
                           whole_number(0, 525_600), "minutes")
REMINDER_OVERRIDES = Setting[dict[str, dict[str, int]]](
    "reminders.overrides", {}, "program key -> {item id: minutes} for single stars (0: none)",
    reminder_overrides, "table of program key to item minutes")
LIVE_SETTINGS: tuple[Setting[Any], ...] = (
    REFRESH_RUNNING, REFRESH_BEFORE, AUTO_REFRESH, CLOSE_TO_TRAY, REMINDERS_ON, REMINDER_MINUTES,
    REMINDER_OVERRIDES)

STORE_SETTINGS: tuple[Setting[Any], ...] = (
    LAST_PROGRAM, DISPLAY_ZONE, SOURCE_ZONES, *LIVE_SETTINGS)
