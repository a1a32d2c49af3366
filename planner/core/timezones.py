"""All time-zone work of planner, in one place, on pytz.

pytz bundles its own copy of the IANA database, so the same program shows the same instants on
every desktop. Every other module goes through these functions; nobody else calls
``pytz.timezone`` or builds ``datetime(..., tzinfo=zone)`` (which silently picks LMT offsets).

Policy for local wall-clock times that are not a single instant (stated once, used everywhere):

* **Gap** (the clock jumps forward, e.g. 02:30 on the last Sunday of March in Vienna does not
  exist): the time is read as if the clock had not been moved yet, so it lands *after* the jump
  by the gap's length (02:30 CET = 03:30 CEST). Calendar apps (and RFC 5545 section 3.3.5) do
  the same.
* **Fold** (the clock goes back, e.g. 02:30 on the last Sunday of October happens twice): the
  *first* occurrence (still summer time) is taken, also as RFC 5545 says.

Both cases are reported back (:class:`LocalTimeKind`) so callers can tell the user.

**Supported dates.** planner works with instants from 1900-01-01 00:00 UTC up to (not including)
2200-01-01 00:00 UTC (:data:`FIRST_SUPPORTED`, :data:`END_SUPPORTED`). Conferences happen well
inside that range; near Python's year 1 and year 9999 a zone's offset pushes a time past
``datetime``'s limits. Importers keep sessions outside the range off the timeline (with a
warning), and every conversion here raises :class:`DateRangeError`, one readable line, instead
of ``OverflowError``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import pytz
from pytz.tzfile import build_tzinfo
from pytz.tzinfo import BaseTzInfo

from planner.core.errors import PlannerError

UTC = pytz.utc

FIRST_SUPPORTED = dt.datetime(1900, 1, 1, tzinfo=UTC)
END_SUPPORTED = dt.datetime(2200, 1, 1, tzinfo=UTC)
SUPPORTED_RANGE_TEXT = "1900-01-01 to 2199-12-31 UTC"

class UnknownZoneError(ValueError):
    """A zone name that is not in the IANA database."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown time zone {name!r}{hint}; expected an IANA name such as "
                         f"Europe/Vienna or America/Los_Angeles")


class DateRangeError(PlannerError, ValueError):
    """A time outside the supported dates (or past what ``datetime`` can hold)."""

    def __init__(self, moment: dt.datetime | dt.date | str) -> None:
        shown = moment if isinstance(moment, str) else moment.isoformat()
        super().__init__(f"the time {shown} is outside the dates planner supports "
                         f"({SUPPORTED_RANGE_TEXT})")


def in_supported_range(moment: dt.datetime) -> bool:
    """Whether an aware instant lies in [FIRST_SUPPORTED, END_SUPPORTED)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no instant")
    try:
        return FIRST_SUPPORTED <= moment < END_SUPPORTED
    except OverflowError:  # an offset that pushes the instant past datetime's limits
        return False


def check_supported(moment: dt.datetime) -> dt.datetime:
    """``moment`` itself, or :class:`DateRangeError` when it is outside the supported dates."""
    if not in_supported_range(moment):
        raise DateRangeError(moment)
    return moment


class LocalTimeKind(enum.Enum):
    """How a wall-clock time maps to instants in its zone."""

    NORMAL = "normal"
    GAP = "gap"  # does not exist (clocks jumped forward)
    FOLD = "fold"  # exists twice (clocks went back)


@dataclass(frozen=True)
class Localized:
    """An aware instant made from a wall-clock time, and what was special about it."""

    instant: dt.datetime
    kind: LocalTimeKind

    @property
    def note(self) -> str:
        """A sentence for the user, empty for normal times."""
        if self.kind is LocalTimeKind.GAP:
            return ("this local time does not exist (clocks jumped forward); "
                    "read as the time after the jump")
        if self.kind is LocalTimeKind.FOLD:
            return ("this local time happens twice (clocks went back); "
                    "the first occurrence is used")
        return ""


@functools.cache
def all_zone_names() -> tuple[str, ...]:
    """Every IANA name pytz knows (including links such as US/Eastern), sorted."""
    return tuple(sorted(pytz.all_timezones))


@functools.cache
def _common_names() -> tuple[str, ...]:
    return tuple(sorted(pytz.common_timezones))


def is_zone_name(name: str) -> bool:
    """Whether ``name`` is an IANA zone pytz knows; a listed name is checked by opening just
    its own file (``pytz.all_timezones_set`` opens all ~600 on first use: ~20 ms of a start)."""
    if name in _listed_names():
        return _listed_zone(name) is not None
    return name in pytz.all_timezones_set


def get_zone(name: str) -> BaseTzInfo:
    """The pytz zone called ``name`` (case-insensitive), or :class:`UnknownZoneError`."""
    cleaned = name.strip()
    if cleaned.upper() in {"UTC", "Z", "GMT", "ETC/UTC", "ZULU"}:
        return UTC
    listed = _listed_zone(cleaned)
    if listed is not None:
        return listed
    try:
        return pytz.timezone(cleaned)
    except (pytz.UnknownTimeZoneError, ValueError, UnicodeEncodeError):
        pass
    lowered = cleaned.lower()
    for candidate in all_zone_names():
        if candidate.lower() == lowered:
            return pytz.timezone(candidate)
    raise UnknownZoneError(cleaned, suggest_zones(cleaned))


@functools.cache
def _listed_names() -> frozenset[str]:
    """The names pytz lists, without opening every zone file to check it exists (which
    ``pytz.timezone`` does on its first call: ~20 ms of a command's start)."""
    return frozenset(getattr(pytz, "_all_timezones_unchecked", ()))


def _listed_zone(name: str) -> BaseTzInfo | None:
    """The zone for an exactly spelt listed name, put into pytz's own cache so that
    ``pytz.timezone(name)`` returns the same object later; None to take the slow path."""
    cache = getattr(pytz, "_tzinfo_cache", None)
    if cache is None or name not in _listed_names():
        return None
    found = cache.get(name)
    if found is None:
        try:
            with pytz.open_resource(name) as stream:  # type: ignore[attr-defined]
                found = cache.setdefault(name, build_tzinfo(name, stream))
        except (OSError, ValueError):
            return None
    return found if isinstance(found, BaseTzInfo) else None


def zone_name(zone: dt.tzinfo) -> str:
    """The IANA name of a zone from this module."""
    return str(getattr(zone, "zone", None) or zone.tzname(None) or "UTC")


def suggest_zones(text: str, limit: int = 3) -> list[str]:
    """Close IANA names for a misspelt one."""
    import difflib

    lowered = text.lower().replace(" ", "_")
    by_lower = {name.lower(): name for name in _common_names()}
    hits = difflib.get_close_matches(lowered, list(by_lower), n=limit, cutoff=0.6)
    if not hits:
        # Try the city part alone ("vienna" -> Europe/Vienna).
        cities = {name.rsplit("/", 1)[-1].lower(): name for name in _common_names()}
        hits = [cities[c] for c in difflib.get_close_matches(lowered, list(cities), n=limit)]
        return hits
    return [by_lower[h] for h in hits]


def classify(wall: dt.datetime, zone: dt.tzinfo) -> LocalTimeKind:
    """Whether a naive wall-clock time is normal, in a gap or in a fold of ``zone``."""
    if not isinstance(zone, BaseTzInfo):
        return LocalTimeKind.NORMAL
    try:
        zone.localize(wall, is_dst=None)
    except pytz.NonExistentTimeError:
        return LocalTimeKind.GAP
    except pytz.AmbiguousTimeError:
        return LocalTimeKind.FOLD
    except OverflowError:
        raise DateRangeError(wall) from None
    return LocalTimeKind.NORMAL


def localize_checked(wall: dt.datetime, zone: dt.tzinfo) -> Localized:
    """Attach ``zone`` to a naive wall-clock time following the module's gap/fold policy."""
    if wall.tzinfo is not None:
        raise ValueError(f"localize expects a naive time, got {wall.isoformat()}")
    if not isinstance(zone, BaseTzInfo):  # UTC or a fixed offset: no gaps, no folds
        return Localized(wall.replace(tzinfo=zone), LocalTimeKind.NORMAL)
    try:
        return _localize_pytz(wall, zone)
    except OverflowError:
        raise DateRangeError(wall) from None


def _localize_pytz(wall: dt.datetime, zone: BaseTzInfo) -> Localized:
    kind = classify(wall, zone)
    if kind is LocalTimeKind.GAP:
        # is_dst=False reads the wall time with the offset in force *before* the jump;
        # normalize() then moves it onto the real clock after the jump.
        instant = zone.normalize(zone.localize(wall, is_dst=False))
    else:
        # In a fold is_dst=True picks the first (summer-time) occurrence; elsewhere it is moot.
        instant = zone.localize(wall, is_dst=True)
    return Localized(instant, kind)


def localize(wall: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Like :func:`localize_checked`, when the caller needs only the instant."""
    return localize_checked(wall, zone).instant


def normalize(moment: dt.datetime) -> dt.datetime:
    """Fix the offset after arithmetic on an aware time (pytz needs this across DST changes)."""
    zone = moment.tzinfo
    if zone is None:
        raise ValueError("normalize expects an aware datetime")
    if isinstance(zone, BaseTzInfo):
        try:
            return zone.normalize(moment)
        except OverflowError:
            raise DateRangeError(moment) from None
    return moment


def to_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The same instant on the clocks of ``zone``."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no instant; localize it first")
    try:
        converted = moment.astimezone(zone)
    except OverflowError:
        raise DateRangeError(moment) from None
    return normalize(converted)


def to_utc(moment: dt.datetime) -> dt.datetime:
    return to_zone(moment, UTC)


def add(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """Aware time plus an elapsed duration, with the offset fixed afterwards."""
    try:
        moved = moment + delta
    except OverflowError:
        raise DateRangeError(moment) from None
    return normalize(moved)


def wall_clock(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The naive wall-clock reading of an instant in ``zone``."""
    return to_zone(moment, zone).replace(tzinfo=None)


def abbreviation(moment: dt.datetime) -> str:
    """The zone's abbreviation at that instant (CEST, PDT, +0545...)."""
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        return format_offset(moment.utcoffset() or dt.timedelta())
    return name


def format_offset(offset: dt.timedelta) -> str:
    """``+05:45`` style offset text."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def utc_offset(zone: dt.tzinfo, at: dt.datetime | None = None) -> dt.timedelta:
    """The zone's offset from UTC at an instant (now by default)."""
    moment = at or dt.datetime.now(UTC)
    return to_zone(moment, zone).utcoffset() or dt.timedelta()


def offset_label(zone: dt.tzinfo, at: dt.datetime | None = None) -> str:
    return "UTC" + format_offset(utc_offset(zone, at))


def search_zones(text: str = "", at: dt.datetime | None = None) -> list[tuple[str, str]]:
    """IANA names containing every word of ``text`` (case-insensitive), with their UTC offset."""
    words = [w.lower() for w in text.replace("/", " ").replace("_", " ").split()]
    result = []
    for name in _common_names():
        haystack = name.lower().replace("_", " ")
        if all(word in haystack for word in words):
            result.append((name, offset_label(get_zone(name), at)))
    if not result and text.strip() and is_zone_name(text.strip()):
        name = text.strip()
        result.append((name, offset_label(get_zone(name), at)))
    return result


def _zone_from_localtime_link() -> str | None:
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return None


def system_zone_name(qt_zone_id: str | None = None) -> str:
    """The machine's IANA zone: Qt's answer if given, then $TZ, /etc/timezone, /etc/localtime.

    UTC is the last resort. The core never imports Qt; the window passes
    ``QTimeZone.systemTimeZoneId()`` in as ``qt_zone_id``.
    """
    candidates: list[str | None] = [qt_zone_id, os.environ.get("TZ", "").lstrip(":") or None]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip() or None)
    candidates.append(_zone_from_localtime_link())
    for candidate in candidates:
        if candidate and is_zone_name(candidate):
            return candidate
        if candidate and candidate.upper() in {"UTC", "UTC0", "GMT"}:
            return "UTC"
    return "UTC"
