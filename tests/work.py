"""Bounds on work done, not on time: unit tests must not fail because the machine is busy.

:func:`count_calls` counts the Python and builtin function calls made in a block (on this
thread), a deterministic measure of how much an importer did: a rule that makes dateutil
search to the year 9999 or an id scheme that compares every copy with every other shows up as
millions of calls, whatever the load. Speed itself is measured in ``benchmarks/``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any


@dataclass
class Calls:
    count: int = 0


@contextmanager
def count_calls() -> Iterator[Calls]:
    """Count the function calls (Python and builtin) made inside the block."""
    calls = Calls()

    def profile(_frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" or event == "c_call":
            calls.count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


class Hang(AssertionError):
    """The block ran past its hang guard."""


@contextmanager
def no_hang(seconds: float = 60.0) -> Iterator[None]:
    """Fail a block that never ends (a backtracking pattern, an endless rule) instead of
    letting it stall the suite. A guard against hangs far above any real run, not a speed
    claim (main thread only)."""

    from tools.fuzz_importers import InputTimeout, time_limit  # the one SIGALRM guard

    try:
        with time_limit(seconds):
            yield
    except InputTimeout:
        raise Hang(f"still running after {seconds:.0f} s: it hangs") from None
