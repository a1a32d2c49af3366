"""Every importer, fed mutations of real programs, gives a Program or its own clear error.

The mutations (bit flips, truncation, line duplication and deletion, splicing, unicode
insertion, value swaps) live in ``tools/fuzz_importers.py``; here hypothesis drives them, a
few thousand inputs per run (``PLANNER_FUZZ_EXAMPLES`` per importer, default 1000). The long
run is ``python tools/fuzz_importers.py --inputs 100000``. Every failing input is kept in
``fuzz_regressions/<format>/`` and replayed below.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from random import Random

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from planner.bundled import bundled_program
from tests.reliability.conftest import record
from tools import fuzz_importers
from tools.fuzz_importers import FORMATS, Seed

EXAMPLES = int(os.environ.get("PLANNER_FUZZ_EXAMPLES", "1000"))
# In the normal run an input that takes this long is a hang (they take milliseconds).
TIMEOUT = 5.0

# Bugs found in other modules, reported to their owners. A kept input listed here is an
# expected failure (strict: the test flips to "unexpectedly passed" once the bug is fixed, and
# the entry must go). The predicate recognises new inputs hitting the same bug in the
# hypothesis runs, so one known bug does not hide others.
KnownBug = tuple[str, Callable[[bytes, str], bool], str]
KNOWN_BUGS: list[KnownBug] = []
# Found by this fuzzer and fixed since (kept below as plain regressions): ics hangs on a
# VTIMEZONE RRULE with INTERVAL=0 or hundreds of rules, OSError on a 300-letter TZID
# (9559bda); frab-json lone surrogates from \ud800 escapes (4bf32e7); ics OverflowError for an
# event at 9999-12-31T23:59:59 west of UTC, and zones leaking between files through
# icalendar's TZID cache (both in _choose_zone).
KNOWN_REGRESSIONS: dict[str, str] = {}


def _landed(format_name: str) -> bool:
    return importlib.util.find_spec(FORMATS[format_name]) is not None


def _known(format_name: str, data: bytes, detail: str) -> str:
    for name, matches, reason in KNOWN_BUGS:
        if name == format_name and matches(data, detail):
            return reason
    return ""


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_fuzzed_input_gives_program_or_clear_error(format_name: str,
                                                    seeds: list[Seed]) -> None:
    if not _landed(format_name):
        pytest.skip(f"{FORMATS[format_name]} has not landed yet")
    group = [seed for seed in seeds if seed.format == format_name]
    assert group, f"no seeds for {format_name}"
    everything = [seed.data for seed in seeds]
    counts: Counter[str] = Counter()
    started = time.monotonic()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(seed=st.sampled_from(group), rng=st.randoms(use_true_random=False))
    def fuzz(seed: Seed, rng: Random) -> None:
        data = fuzz_importers.mutate(seed.data, rng, everything)
        outcome = fuzz_importers.run_input(format_name, data, timeout=TIMEOUT)
        counts[outcome.kind] += 1
        if outcome.kind != "failure":
            return
        if _known(format_name, data, outcome.detail):
            counts["known bug"] += 1
            return
        kept = fuzz_importers.keep_failure(format_name, data, outcome.detail)
        raise AssertionError(f"{format_name} importer failed on an input kept as {kept}:\n"
                             f"{outcome.detail}")

    try:
        fuzz()
    finally:
        total = sum(counts[kind] for kind in ("program", "error", "failure"))
        record(f"fuzz (normal run): {format_name}",
               f"{total} inputs, {counts['program']} programs, {counts['error']} clear errors, "
               f"{counts['failure'] - counts['known bug']} new failures, "
               f"{counts['known bug']} hitting a known bug, "
               f"{time.monotonic() - started:.0f} s")
    assert counts["program"] > 0, "no mutation ever parsed: the seeds are broken"


def _regressions() -> list[pytest.param]:  # type: ignore[valid-type]
    params = []
    for path in sorted(fuzz_importers.REGRESSIONS.glob("*/*.bin")):
        name = f"{path.parent.name}/{path.name}"
        marks = []
        if name in KNOWN_REGRESSIONS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_REGRESSIONS[name]))
        params.append(pytest.param(path, id=name, marks=marks))
    return params


@pytest.mark.parametrize("path", _regressions())
def test_kept_crashing_input_now_gives_program_or_clear_error(path: Path) -> None:
    format_name = path.parent.name
    if not _landed(format_name):
        pytest.skip(f"{FORMATS[format_name]} has not landed yet")
    outcome = fuzz_importers.run_input(format_name, path.read_bytes(), timeout=3.0)
    assert outcome.kind in ("program", "error"), outcome.detail


def test_every_kept_input_has_a_known_format() -> None:
    for path in fuzz_importers.REGRESSIONS.glob("*/*.bin"):
        assert path.parent.name in FORMATS, path


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_real_files_open_or_give_clear_error(format_name: str, seeds: list[Seed]) -> None:
    """The whole real files (not cut), through load_program as the app opens them."""
    if not _landed(format_name):
        pytest.skip(f"{FORMATS[format_name]} has not landed yet")
    shared = fuzz_importers.shared_data()
    assert shared is not None
    folders = {"frab-xml": ["frab-xml"], "frab-json": ["frab-json"],
               "ics": ["ics", "ical-conformance/valid", "ical-conformance/invalid"],
               "mini-conf": ["ml-conf"], "csv": ["other-formats"], "indico": [],
               "virtual-page": []}[format_name]
    paths = [p for folder in folders for p in sorted((shared / folder).iterdir())
             if p.suffix in (".xml", ".json", ".ics", ".yml", ".csv")
             and not p.name.startswith(("workshop_", "iclr2021_"))]
    if format_name == "indico":
        paths = sorted((fuzz_importers.REPO / "tests" / "fixtures").glob("indico_*.json"))
    if format_name == "virtual-page":
        paths = [bundled_program()]
    outcomes: Counter[str] = Counter()
    for path in paths:
        outcome = fuzz_importers.run_input(format_name, path.read_bytes(), timeout=30.0)
        assert outcome.kind != "failure", f"{path.name}: {outcome.detail}"
        outcomes[outcome.kind] += 1
    record(f"real files: {format_name}", dict(outcomes))


def test_mutations_are_reproducible(seeds: list[Seed]) -> None:
    """The long run regenerates a failing input from (format, index, seed) alone."""
    grouped = fuzz_importers.seeds_by_format(seeds)
    everything = [seed.data for seed in seeds]
    for format_name in grouped:
        first = fuzz_importers.input_for(format_name, 17, 3, grouped, everything)
        again = fuzz_importers.input_for(format_name, 17, 3, grouped, everything)
        assert first == again


def test_hang_is_reported_as_failure() -> None:
    """The time bound itself works, even against ``except Exception`` in an importer."""

    rounds = 0

    def stubborn() -> None:
        nonlocal rounds
        while rounds < 1_000:  # 10 s: the 0.2 s limit must stop it long before
            rounds += 1
            with contextlib.suppress(Exception):  # what a careless importer might do
                time.sleep(0.01)

    with pytest.raises(fuzz_importers.InputTimeout), fuzz_importers.time_limit(0.2):
        stubborn()
    assert rounds < 1_000
