"""Sessions outside the supported dates leave the timeline, with one warning per program.

Every importer's result passes through here (:func:`planner.importers.parse_text`), so no
format can put a year-1 or year-9999 session where the timeline, the list or an export would
have to convert it: those are the instants where a zone's offset overflows ``datetime``.
"""

from __future__ import annotations

import datetime as dt

from planner.core import timezones
from planner.core.model import Program, Session


def unschedule_unsupported(program: Program) -> int:
    """Clear the times of sessions outside the supported range; returns how many."""
    moved: list[Session] = []
    # Importers share one datetime object among the sessions at the same time, so each
    # distinct object is checked once (comparing aware times calls pytz twice); the cache keeps
    # the objects, so an id is never reused while it is in there.
    checked: dict[int, tuple[dt.datetime, bool]] = {}

    def supported(moment: dt.datetime | None) -> bool:
        if moment is None:
            return True
        found = checked.get(id(moment))
        if found is None:
            found = checked[id(moment)] = (moment, timezones.in_supported_range(moment))
        return found[1]

    for session in program.sessions:
        if not (supported(session.start) and supported(session.end)):
            moved.append(session)
            session.start = None
            session.end = None
            session.end_estimated = False
    if moved:
        first = moved[0]
        where = f" (line {first.source_line})" if first.source_line else ""
        others = f" and {len(moved) - 1} more" if len(moved) > 1 else ""
        program.warnings.append(
            f"{first.title!r}{where}{others}: dated outside the dates planner supports "
            f"({timezones.SUPPORTED_RANGE_TEXT}); listed as unscheduled")
    return len(moved)
