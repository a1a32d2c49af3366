"""Values and warnings shared by the iCalendar modules: DTSTART-like values read without the
library's zone guess, and the capped list of notes an import collects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.importers.import_notes import ImportNotes


@dataclass(frozen=True)
class _Value:
    """A DTSTART-like value as written: kind utc/zoned/floating/date, the wall reading, TZID."""

    kind: str
    wall: dt.datetime  # naive; midnight for dates; UTC wall for "utc"
    tzid: str = ""

    @property
    def is_date(self) -> bool:
        return self.kind == "date"



def _get(component: Any, name: str) -> Any:
    """``component.get(name)`` for an upper-case ``name``: a component keeps its property
    names upper-case, so the plain dict lookup finds the same value without the library's case
    folding of the key (a tenth of building the sessions, a dozen lookups per event)."""
    if isinstance(component, dict):
        return dict.get(component, name)
    return component.get(name)


def _first(component: Any, name: str, notes: ImportNotes, where: str) -> Any:
    value = _get(component, name)
    if isinstance(value, list):
        if not value:
            return None
        notes.event(where, f"has {len(value)} {name} lines; the first is used")
        return value[0]
    return value


def _value(prop: Any, date_only: bool = False) -> _Value:
    """Read a date/date-time property without letting the library pick its zone."""
    value = prop.dt
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    if isinstance(value, dt.datetime):
        if date_only and value.time() == dt.time(0):
            return _Value("date", value.replace(tzinfo=None))
        if tzid is not None and str(tzid).strip():
            return _Value("zoned", value.replace(tzinfo=None), str(tzid).strip())
        if value.tzinfo is not None:
            utc_wall = value.astimezone(dt.UTC).replace(tzinfo=None)
            return _Value("utc", utc_wall)
        return _Value("floating", value)
    if isinstance(value, dt.date):
        return _Value("date", dt.datetime.combine(value, dt.time(0)))
    raise ValueError(f"{value!r} is not a date or date-time")


def _values(props: Any) -> list[tuple[_Value, dt.timedelta | _Value | None]]:
    """RDATE/EXDATE values (a property or a list of them), periods with their end."""
    found: list[tuple[_Value, dt.timedelta | _Value | None]] = []
    for prop in props if isinstance(props, list) else [props]:
        params = getattr(prop, "params", {})
        tzid = params.get("TZID")
        for item in getattr(prop, "dts", []):
            raw = item.dt
            if isinstance(raw, tuple):  # PERIOD: (start, end or duration)
                start_raw, tail = raw
                start = _plain_value(start_raw, tzid)
                end: dt.timedelta | _Value | None
                end = tail if isinstance(tail, dt.timedelta) else _plain_value(tail, tzid)
                found.append((start, end))
            else:
                found.append((_plain_value(raw, tzid), None))
    return found


def _plain_value(raw: Any, tzid: Any) -> _Value:
    if isinstance(raw, dt.datetime):
        if tzid is not None and str(tzid).strip():
            return _Value("zoned", raw.replace(tzinfo=None), str(tzid).strip())
        if raw.tzinfo is not None:
            return _Value("utc", raw.astimezone(dt.UTC).replace(tzinfo=None))
        return _Value("floating", raw)
    if isinstance(raw, dt.date):
        return _Value("date", dt.datetime.combine(raw, dt.time(0)))
    raise ValueError(f"{raw!r} is not a date or date-time")


def _text(component: Any, name: str) -> str:
    value = _get(component, name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else ""
