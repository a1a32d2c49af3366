"""What the times of an iCalendar file mean: TZID to zone (IANA, Windows and vendor names,
the file's VTIMEZONE), the instants of values, and the choice of the program's zone.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings as warnings_module
from collections import Counter
from typing import Any

from planner.core import timezones
from planner.core.lazy_pattern import LazyPattern
from planner.importers import ImportOptions
from planner.importers.ical_values import _text, _Value
from planner.importers.import_notes import ImportNotes
from planner.importers.text import MAX_ZONE_NAME, choose_zone, zone_for_city

_BOGUS_ZONE_LINE = LazyPattern(r"^(?:VTIMEZONE|TIMEZONE|TZ)[ \t]*:([^\r\n]*)",
                               re.MULTILINE | re.IGNORECASE)
_UTC_PREFIX = LazyPattern(r"^\(\s*(?:UTC|GMT)\s*[+-]?\d{0,2}(?::?\d{2})?\s*\)\s*")


def iana_name(tzid: str) -> str | None:
    """The IANA zone a TZID means, if it can be told: IANA names, Windows names, vendor
    prefixes (``/softwarestudio.org/Olson_20011030_5/Pacific/Auckland``), ``(UTC+01:00) City``.
    """
    name = tzid.strip().strip('"').strip()
    if not name or len(name) > MAX_ZONE_NAME:
        return None
    for candidate in (name, name.replace(" ", "_")):
        if found := _known(candidate):
            return found
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    windows = WINDOWS_TO_OLSON.get(name) or WINDOWS_TO_OLSON.get(_UTC_PREFIX.sub("", name))
    if windows:
        return _known(windows)
    parts = [part for part in name.split("/") if part]
    for index in range(1, len(parts)):
        candidate = "/".join(parts[index:])
        if "/" in candidate and (found := _known(candidate)):
            return found
    stripped = _UTC_PREFIX.sub("", name)
    if stripped != name:
        return zone_for_city(stripped)
    return None


def _known(name: str) -> str | None:
    if len(name) > MAX_ZONE_NAME:
        return None
    try:
        return timezones.zone_name(timezones.get_zone(name))
    except timezones.UnknownZoneError:
        return None



def _zone_from_vtimezone(vtimezone: Any) -> dt.tzinfo | None:
    """The zone a file's VTIMEZONE defines, or None when its rules cannot be used."""
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")
            zone: dt.tzinfo = vtimezone.to_tz(lookup_tzid=False)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
        return None
    return zone


class _Zones:
    """What each TZID means in this file, decided once per TZID."""

    def __init__(self, vtimezones: dict[str, Any], program_zone: dt.tzinfo,
                 notes: ImportNotes) -> None:
        self.vtimezones = vtimezones
        self.program_zone = program_zone
        self.notes = notes
        self._resolved: dict[str, tuple[str, dt.tzinfo]] = {}
        self._disagreement_noted: set[str] = set()
        self._localized: dict[tuple[int, dt.datetime], timezones.Localized] = {}
        self._file_zones: dict[str, dt.tzinfo | None] = {}
        # A program repeats the same slots: (kind, TZID, wall) -> instant, floating.
        self._instants: dict[tuple[str, str, dt.datetime], tuple[dt.datetime, bool]] = {}
        self._noted = False  # whether the instant being worked out told the user something

    def resolve(self, tzid: str) -> tuple[str, dt.tzinfo]:
        """("iana" | "file" | "program", zone) for a TZID."""
        if tzid in self._resolved:
            return self._resolved[tzid]
        result: tuple[str, dt.tzinfo]
        iana = iana_name(tzid)
        vtimezone = self.vtimezones.get(tzid.strip())
        if iana is not None:
            result = ("iana", timezones.get_zone(iana))
            if vtimezone is None:
                # Common (Google, Symposion) and unambiguous for an exact IANA name, but
                # RFC 5545 requires a VTIMEZONE: say once per TZID how it was read.
                self.notes.general(f"TZID {tzid[:60]!r} has no VTIMEZONE in the file (RFC 5545 "
                                   f"requires one); it is read as the IANA zone {iana}")
        elif vtimezone is not None and (file_zone := self._file_zone(tzid, vtimezone)):
            result = ("file", file_zone)
        else:
            zone_label = timezones.zone_name(self.program_zone)
            if vtimezone is None:
                self.notes.general(f"TZID {tzid[:60]!r} is neither an IANA zone nor defined by a "
                                   f"VTIMEZONE in the file; its times are read in the "
                                   f"program's zone ({zone_label})")
            result = ("program", self.program_zone)
        self._resolved[tzid] = result
        return result

    def _file_zone(self, tzid: str, vtimezone: Any) -> dt.tzinfo | None:
        """The zone a VTIMEZONE defines, built once per TZID (the zone caches its rules'
        occurrences; a fresh one would walk them from DTSTART, 1601 for Outlook, every time)."""
        key = tzid.strip()
        if key in self._file_zones:
            return self._file_zones[key]
        zone = _zone_from_vtimezone(vtimezone)
        if zone is None:
            self.notes.general(f"the VTIMEZONE {tzid[:60]!r} cannot be used; its times "
                               f"are read in the program's zone")
        self._file_zones[key] = zone
        return zone

    def zone_of(self, value: _Value) -> dt.tzinfo:
        """The zone whose wall clock ``value.wall`` reads (for expanding recurrence)."""
        if value.kind == "utc":
            return timezones.UTC
        if value.kind == "zoned":
            return self.resolve(value.tzid)[1]
        return self.program_zone

    def instant(self, value: _Value, wall: dt.datetime | None = None,
                where: str = "") -> tuple[dt.datetime, bool]:
        """The instant ``wall`` (default: the value's own) means, and whether it is floating."""
        wall = value.wall if wall is None else wall
        key = (value.kind, value.tzid, wall)
        found = self._instants.get(key)
        if found is not None:
            return found
        self._noted = False
        result = self._instant(value, wall, where)
        if not self._noted:
            # Only outcomes without a per-event note are shared: each event keeps its own.
            self._instants[key] = result
        return result

    def _instant(self, value: _Value, wall: dt.datetime,
                 where: str) -> tuple[dt.datetime, bool]:
        if value.kind == "utc":
            return timezones.to_zone(wall.replace(tzinfo=timezones.UTC),
                                     self.program_zone), False
        if value.kind == "zoned":
            how, zone = self.resolve(value.tzid)
            if how == "iana":
                localized = self._localize(wall, zone)
                if localized.note:
                    self._noted = True
                    self.notes.event(where, f"{wall:%Y-%m-%d %H:%M} {value.tzid}: "
                                            f"{localized.note}")
                self._check_against_file(value.tzid, wall, localized.instant, where)
                return timezones.to_zone(localized.instant, self.program_zone), False
            if how == "file":
                return timezones.to_zone(wall.replace(tzinfo=zone), self.program_zone), False
            return self._floating(wall, where), True
        return self._floating(wall, where), True

    def _localize(self, wall: dt.datetime, zone: dt.tzinfo) -> timezones.Localized:
        """Memoized: a program repeats the same slots in the same zone all day."""
        key = (id(zone), wall)
        found = self._localized.get(key)
        if found is None:
            found = self._localized[key] = timezones.localize_checked(wall, zone)
        return found

    def _floating(self, wall: dt.datetime, where: str) -> dt.datetime:
        localized = self._localize(wall, self.program_zone)
        if localized.note:
            self._noted = True
            self.notes.event(where, f"{wall:%Y-%m-%d %H:%M}: {localized.note}")
        return localized.instant

    def _check_against_file(self, tzid: str, wall: dt.datetime, instant: dt.datetime,
                            where: str) -> None:
        """IANA rules win over the file's VTIMEZONE; say so when they differ."""
        key = tzid.strip()
        vtimezone = self.vtimezones.get(key)
        if vtimezone is None or key in self._disagreement_noted:
            return
        file_zone = self._file_zone(tzid, vtimezone)
        if file_zone is None:
            self._disagreement_noted.add(key)
            return
        try:
            file_offset = wall.replace(tzinfo=file_zone).utcoffset()
        except (ValueError, OverflowError):
            return
        iana_offset = instant.utcoffset()
        if file_offset is None or iana_offset is None or file_offset == iana_offset:
            return
        self._disagreement_noted.add(key)
        self.notes.general(
            f"the file's VTIMEZONE {key!r} gives UTC{timezones.format_offset(file_offset)} "
            f"on {wall:%Y-%m-%d %H:%M} but the IANA rules for {key} give "
            f"UTC{timezones.format_offset(iana_offset)}; the IANA rules are used (the event "
            f"happened where it happened){f' (first at {where})' if where else ''}")


def _choose_zone(options: ImportOptions, calendar: Any, text: str, events: list[Any],
                 vtimezones: dict[str, Any], notes: ImportNotes) -> Any:
    """The program's zone: the user's, X-WR-TIMEZONE, a malformed zone line, the zone most
    events name, a VTIMEZONE's X-LIC-LOCATION; else the offsets of file-defined zones, else
    UTC (exact for UTC-only files, a guess for floating ones)."""
    declared: list[tuple[str, str]] = []
    if calendar is not None:
        wr_zone = _text(calendar, "X-WR-TIMEZONE").strip()
        if wr_zone:
            declared.append((iana_name(wr_zone) or wr_zone, "X-WR-TIMEZONE"))
    bogus = _BOGUS_ZONE_LINE.search(text)
    if bogus and bogus.group(1).strip():
        value = bogus.group(1).strip()
        line = text.count("\n", 0, bogus.start()) + 1
        mapped = iana_name(value)
        if mapped:
            notes.general(f"line {line}: {bogus.group(0).strip()!r} is not a valid iCalendar "
                          f"line (a VTIMEZONE is a component, not a property); its zone "
                          f"{mapped} is taken as the program's zone")
            declared.append((mapped, f"line {line}"))
    tzids: Counter[str] = Counter()
    offsets: Counter[dt.timedelta] = Counter()
    sample: dt.datetime | None = None
    file_zones: dict[str, dt.tzinfo | None] = {}
    all_utc = bool(events)
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore")
        for event in events:
            prop = event.get("DTSTART")
            if isinstance(prop, list):
                prop = prop[0] if prop else None
            if prop is None:
                continue
            try:
                value = prop.dt
            except (ValueError, TypeError, AttributeError):
                continue
            tzid = str(prop.params.get("TZID", "")).strip()
            if not (isinstance(value, dt.datetime) and value.tzinfo is not None and not tzid):
                all_utc = False
            if not tzid or not isinstance(value, dt.datetime):
                continue
            mapped = iana_name(tzid)
            if mapped:
                tzids[mapped] += 1
            elif tzid in vtimezones:
                # The file's own VTIMEZONE, never ``value.tzinfo``: icalendar caches zones by
                # TZID for the whole process, so that would be the first file's definition.
                if tzid not in file_zones:
                    file_zones[tzid] = _zone_from_vtimezone(vtimezones[tzid])
                zone = file_zones[tzid]
                if zone is None:
                    continue
                wall = value.replace(tzinfo=None)
                try:
                    offset = wall.replace(tzinfo=zone).utcoffset()
                    if offset is not None and sample is None:
                        sample = (wall - offset).replace(tzinfo=dt.UTC)
                except (ValueError, OverflowError, TypeError):
                    continue
                if offset is not None:
                    offsets[offset] += 1
    if tzids:
        most, count = tzids.most_common(1)[0]
        declared.append((most, f"TZID of {count} events"))
    for tzid, component in vtimezones.items():
        location = _text(component, "X-LIC-LOCATION").strip()
        if location and iana_name(location):
            declared.append((str(iana_name(location)), f"X-LIC-LOCATION of VTIMEZONE {tzid}"))
    return choose_zone(requested=options.source_zone, declared=declared, offsets=offsets,
                       sample=sample, only_utc=all_utc)
