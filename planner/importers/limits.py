"""How big a program planner opens, checked while a file is read, not after.

A conference program has hundreds to a few thousand sessions (the largest real one we know,
36C3 merged, has about 1,400). A file that holds more than :data:`MAX_SESSIONS` is refused as
soon as the parser has seen that many, so a million-event file costs the time and memory of
20,000 events, not of a million (161 s and 2 GB before this check moved into the parsers).
The limit is where the slowest reader stays within 10 s on a 2-core machine: icalendar parses
about 2,500 events a second, so 50,000 valid events took 20 s.
"""

from __future__ import annotations

from planner.core.errors import ProgramError

MAX_SESSIONS = 20_000


def too_many_sessions(path: str, what: str = "events", line: int | None = None,
                      element: str = "") -> ProgramError:
    """The error every importer raises when a program is over :data:`MAX_SESSIONS`."""
    return ProgramError(f"has more than {MAX_SESSIONS:,} {what}; refused as too large for a "
                        f"conference program", path=path, line=line, element=element)
