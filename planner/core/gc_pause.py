"""Bulk building without the cyclic garbage collector's full passes in the middle.

Exporting 10,000 sessions makes a few million small objects (icalendar components, parameter
dicts, property values) that all stay alive until the file is written. Each time enough of them
pile up, CPython's collector walks *every* tracked object in the process, the open program
included: six full passes, a seventh of the export's time, that free nothing (none of these
objects is garbage yet). Pausing the collector for the build drops them; the next automatic
collection after it sees what the build left behind.

Reference counting frees ordinary garbage as usual while paused; only cycles wait. The pause is
process-wide, so it is re-enabled only by the outermost user and only if it was on before.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (nested and threaded uses are fine)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
