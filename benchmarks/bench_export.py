"""How long exporting 10,000 sessions takes, against plain icalendar serialization.

The floor builds the same calendar with icalendar directly, from the already planned events:
the same VEVENTs (same properties, STATUS included, same text, same zone), the same calendar
properties and the same VTIMEZONE component (built once, outside the timing), through
``Component.add`` and ``to_ical``: the cost no exporter can avoid. Ours adds choosing the
sessions, writing descriptions, cleaning text, UIDs and deriving the compact VTIMEZONE. Both
are measured in the same run, interleaved, CPU time of each run (steadier than wall time on a
shared machine); the medians are compared. Goal (issue 11): ours within 1.0x of the floor.

Run: ``.venv/bin/python benchmarks/bench_export.py [--sessions N] [--repeat R] [--no-fail]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# This checkout's planner, not whichever one the virtualenv has installed (an editable install
# of another worktree would otherwise be measured).
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from planner.core import timezones  # noqa: E402
from planner.core.model import (  # noqa: E402
    ESTIMATED_DURATION,
    Link,
    Paper,
    Program,
    Session,
    SessionKind,
)
from planner.core.stars import Stars  # noqa: E402
from planner.export.ics import (  # noqa: E402
    ExportOptions,
    PlannedEvent,
    Scope,
    export_ics,
    plan_events,
)

ZONE = "Europe/Vienna"
STAMP = dt.datetime(2021, 4, 1, 12, 0, tzinfo=dt.UTC)
WORDS = ["learning", "neural", "network", "graph", "molecule", "contrastive", "robust",
         "federated", "optimization", "transformer", "generative", "causal", "sparse",
         "adversarial", "reinforcement"]


def generated_program(count: int, seed: int = 7) -> tuple[Program, Stars]:
    """``count`` sessions over ten days in Vienna, a third with papers, a tenth starred."""
    rng = random.Random(seed)
    zone = timezones.get_zone(ZONE)
    kinds = list(SessionKind)
    sessions: list[Session] = []
    papers: dict[str, Paper] = {}
    starred: set[str] = set()
    for index in range(count):
        kind = kinds[index % len(kinds)]
        wall = dt.datetime(2021, 5, 3, 8, 0) + dt.timedelta(days=rng.randrange(10),
                                                            minutes=15 * rng.randrange(48))
        start = timezones.localize(wall, zone)
        end = timezones.add(start, ESTIMATED_DURATION[kind])
        title = " ".join(rng.choice(WORDS) for _ in range(5)).title()
        session = Session(id=f"s{index}", kind=kind, title=f"{title}; part {index}", start=start,
                          end=end, end_estimated=index % 2 == 0, room=f"Room {index % 30}",
                          links=[Link(f"https://example.org/s/{index}")],
                          description="A session about " + ", ".join(rng.sample(WORDS, 6)))
        if index % 3 == 0:
            for slot in range(3):
                paper_id = f"p{index}-{slot}"
                abstract = " ".join(rng.choice(WORDS) for _ in range(120))
                papers[paper_id] = Paper(id=paper_id, title=f"Paper {paper_id}: {title}",
                                         abstract=abstract,
                                         link=f"https://openreview.net/forum?id={paper_id}")
                session.paper_ids.append(paper_id)
            starred.add(session.paper_ids[0])
        if index % 10 == 0:
            starred.add(session.id)
        sessions.append(session)
    program = Program(name="Benchmark Conference", source_zone=ZONE, sessions=sessions,
                      papers=papers, key="bench")
    return program, Stars(starred)


def plain_icalendar(events: list[PlannedEvent], vtimezone: Any) -> bytes:
    """The same events through icalendar, with nothing of ours in between."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Benchmark Conference")
    calendar.add("name", "Benchmark Conference")
    calendar.add("color", "darkorange")
    calendar.add_component(vtimezone)
    for planned in events:
        event = Event()
        event.add("uid", planned.uid)
        event.add("dtstamp", STAMP)
        event.add("dtstart", planned.start)
        event.add("dtend", planned.end)
        event.add("summary", planned.summary)
        event.add("status", "CANCELLED" if planned.cancelled else "CONFIRMED")
        event.add("description", planned.description)
        event.add("location", planned.location)
        event.add("url", planned.url)
        event.add("categories", [planned.category])
        event.add("x-planner-session", planned.session_id)
        for item in planned.items:
            event.add("x-planner-item", item)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


_FULL_PASSES = [0]


def _count_full_passes(phase: str, info: dict[str, int]) -> None:
    if phase == "start" and info["generation"] == 2:
        _FULL_PASSES[0] += 1


def cpu_seconds(action: Callable[[], object], passes: list[int] | None = None) -> float:
    """CPU seconds of ``action``; the garbage collector's full passes during it go to
    ``passes`` (the exporter pauses the collector: planner.core.gc_pause)."""
    before = _FULL_PASSES[0]
    begin = time.process_time()
    action()
    seconds = time.process_time() - begin
    if passes is not None:
        passes.append(_FULL_PASSES[0] - before)
    return seconds


GOAL = 1.0  # issue 11: planner's export no slower than plain icalendar serialisation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()

    from planner.export.vtimezone import vtimezone

    begin = time.perf_counter()
    program, stars = generated_program(args.sessions)
    print(f"generated {len(program.sessions)} sessions, {len(program.papers)} papers, "
          f"{len(stars.ids)} stars in {time.perf_counter() - begin:.2f} s")
    options = ExportOptions(scope=Scope.ALL, zone=ZONE, stamp=STAMP)
    events, _ = plan_events(program, stars, options)
    zone_part = vtimezone(ZONE, min(e.start for e in events), max(e.end for e in events))
    ours_bytes = export_ics(program, stars, options).data
    plain_bytes = plain_icalendar(events, zone_part)
    # Warm-up done above (imports, caches); now the measured runs, interleaved.
    ours: list[float] = []
    plain: list[float] = []
    planning: list[float] = []
    ours_passes: list[int] = []
    plain_passes: list[int] = []
    gc.callbacks.append(_count_full_passes)
    for _ in range(args.repeat):
        ours.append(cpu_seconds(lambda: export_ics(program, stars, options), ours_passes))
        plain.append(cpu_seconds(lambda: plain_icalendar(events, zone_part), plain_passes))
        planning.append(cpu_seconds(lambda: plan_events(program, stars, options)))
    ours_s, plain_s = statistics.median(ours), statistics.median(plain)
    plan_s = statistics.median(planning)
    ratio = ours_s / plain_s
    with open("/proc/loadavg", encoding="ascii") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    print(f"events: {len(events)}; ours {len(ours_bytes) / 1e6:.2f} MB, "
          f"plain {len(plain_bytes) / 1e6:.2f} MB; {args.repeat} runs each, interleaved, "
          f"CPU seconds, medians; load {load}")
    print(f"planner export (plan + VTIMEZONE + icalendar): {ours_s:.2f} s "
          f"({ours_s / len(events) * 1e6:.0f} µs/event; best {min(ours):.2f})")
    print(f"  of which planning (no icalendar):            {plan_s:.2f} s")
    print(f"floor, plain icalendar, same events:           {plain_s:.2f} s "
          f"({plain_s / len(events) * 1e6:.0f} µs/event; best {min(plain):.2f})")
    print(f"full garbage-collector passes per run: ours {statistics.median(ours_passes):.0f}, "
          f"floor {statistics.median(plain_passes):.0f} (ours pauses the collector while it "
          f"builds; see planner/core/gc_pause.py)")
    print(f"ratio {ratio:.2f}x (without planning {(ours_s - plan_s) / plain_s:.2f}x), "
          f"goal {GOAL:.1f}x: {'meets' if ratio <= GOAL else 'OVER'}")
    return 0 if ratio <= GOAL or args.no_fail else 1


if __name__ == "__main__":
    raise SystemExit(main())
