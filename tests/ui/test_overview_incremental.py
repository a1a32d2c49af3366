"""A star packs only what it changes on the overview (overview_packing): after any number of
random stars and unstars, every day's blocks are the ones a whole new layout makes."""

from __future__ import annotations

import random
import sys
import zlib
from pathlib import Path

import pytest

from planner.core import timefmt
from planner.core import timezones as tz
from planner.core.model import Program
from planner.importers import load_program
from planner.ui.overview_layout import build_overview, day_spans, rebuild_days
from tests.factories import session

BERLIN = tz.get_zone("Europe/Berlin")
LOS_ANGELES = tz.get_zone("America/Los_Angeles")


def boxes(layout):
    return [([(b.session.id, b.left, b.right, b.top, b.bottom, b.column, b.columns,
               b.clipped_top, b.clipped_bottom) for b in column.blocks],
             column.tops, column.tallest, [s.id for s in column.mine], column.shown)
            for column in layout.columns]


def toggle_at_random(program: Program, zone, toggles: int, seed: int, every: int,
                     start_starred: int = 0) -> int:
    """Star and unstar random sessions (a few several at once), each laid out again
    incrementally; every ``every`` toggles compared with a fresh layout. Returns how many
    blocks the toggles changed in all (the incremental work)."""
    rng = random.Random(seed)
    timed = [s for s in program.sessions if s.start is not None]
    by_day = timefmt.sessions_by_day(timed, zone)
    spans = day_spans(by_day, zone)
    mine = {s.id for s in rng.sample(timed, start_starred)}

    def accepts(item) -> bool:  # some hidden by a filter
        return zlib.crc32(item.id.encode()) % 11 != 0

    def is_mine(item) -> bool:
        return item.id in mine

    layout = build_overview(by_day, zone, accepts, 1400, 800, mine=is_mine, spans=spans)
    changed = 0
    for number in range(1, toggles + 1):
        picked = rng.sample(timed, rng.choice((1, 1, 1, 2, 3)))
        mine.symmetric_difference_update(s.id for s in picked)
        days = {day for s in picked for day in timefmt.local_days(s.start, s.end, zone)}
        result = rebuild_days(layout, spans, days, accepts, is_mine, picked)
        changed += sum(len(blocks) for blocks in result.values())
        if number % every == 0 or number == toggles:
            fresh = build_overview(by_day, zone, accepts, 1400, 800, mine=is_mine,
                                   spans=spans)
            assert boxes(layout) == boxes(fresh), f"after toggle {number}"
    return changed


def test_38c3_after_random_stars_is_laid_out_as_a_whole_new_layout(shared_data):
    program = load_program(shared_data / "frab-xml" / "frab-xml_38c3.xml")
    for zone, seed in ((BERLIN, 1), (LOS_ANGELES, 2)):
        toggle_at_random(program, zone, toggles=120, seed=seed, every=4)


def test_the_benchmarks_busy_days_after_random_stars_match_a_whole_new_layout():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        from bench_gui import make_program
    finally:
        sys.path.pop(0)
    program = make_program(10_000, 0)  # days of 2,000 sessions in one overlapping chain
    changed = toggle_at_random(program, LOS_ANGELES, toggles=60, seed=3, every=10,
                               start_starred=30)
    assert changed < 60 * 2_000 / 2  # fewer blocks than the days hold


@pytest.mark.parametrize("seed", range(20))
def test_random_small_days_match_a_whole_new_layout(seed):
    rng = random.Random(seed)
    sessions = [session(f"s{i}", f"2021-05-0{3 + rng.randrange(2)} "
                                 f"{8 + rng.randrange(12):02d}:{rng.randrange(4) * 15:02d}",
                        rng.choice((15, 30, 45, 60, 90, 240))) for i in range(60)]
    program = Program(name="Random", source_zone="Europe/Berlin", sessions=sessions,
                      key=f"random-{seed}")
    toggle_at_random(program, BERLIN, toggles=80, seed=seed, every=1)
