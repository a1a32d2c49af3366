"""How long opening the largest real program takes, against a plain ``xml.etree`` parse.

The importer does more than parse (defused parser, zone resolution, plain-text descriptions,
ids), so the plain parse is the floor; the goal (issue 11) is to stay within 2x of it. Both are
timed in the same run, interleaved, so a busy machine slows both alike; wall-clock and CPU time
are both printed (CPU time is the steadier figure on a shared machine). The verdict is on the
median CPU ratio; exit status 1 when it misses the goal, unless --no-fail.

Usage: .venv/bin/python benchmarks/bench_import.py [PROGRAM] [--runs N] [--no-fail]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# This checkout's planner, not whichever one the virtualenv has installed.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DEFAULT = REPO.parent / "shared" / "data" / "frab-xml" / "frab-xml_36c3-merged_giggity.xml"
GOAL = 2.0  # issue 11: within 2x of a plain xml.etree parse


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is steadier on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args(argv)
    path = Path(args.program)
    if not path.is_file():
        print(f"bench_import: {path} not found (the shared data folder sits beside the repo)",
              file=sys.stderr)
        return 2

    from planner.importers import load_program

    # First open in a fresh process: includes importing defusedxml and the importer modules.
    first, _cpu = _timed(lambda: load_program(path))
    program = load_program(path)
    importer: list[tuple[float, float]] = []
    plain: list[tuple[float, float]] = []
    for _ in range(args.runs):
        importer.append(_timed(lambda: load_program(path)))
        plain.append(_timed(lambda: ET.parse(path)))
    wall_i, cpu_i = [w for w, _ in importer], [c for _, c in importer]
    wall_p, cpu_p = [w for w, _ in plain], [c for _, c in plain]
    ratio_median = statistics.median(wall_i) / statistics.median(wall_p)
    ratio_cpu = statistics.median(cpu_i) / statistics.median(cpu_p)
    with open("/proc/loadavg", encoding="ascii") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    print(f"program:            {path.name} ({path.stat().st_size / 1e6:.2f} MB, "
          f"{len(program.sessions)} sessions, {len(program.rooms)} rooms)")
    print(f"runs:               {args.runs} of each, interleaved; load {load}")
    print(f"importer, 1st open: {first * 1000:7.1f} ms wall (includes module imports)")
    print(f"importer:           CPU median {statistics.median(cpu_i) * 1000:7.1f} ms; "
          f"wall median {statistics.median(wall_i) * 1000:7.1f} ms, best {min(wall_i) * 1000:.1f}")
    print(f"floor, ET.parse:    CPU median {statistics.median(cpu_p) * 1000:7.1f} ms; "
          f"wall median {statistics.median(wall_p) * 1000:7.1f} ms, best {min(wall_p) * 1000:.1f}")
    verdict = "meets" if ratio_cpu <= GOAL else "OVER"
    print(f"ratio {ratio_cpu:.2f}x CPU median (wall median {ratio_median:.2f}x), "
          f"goal {GOAL:.1f}x: {verdict}")
    if ratio_cpu > GOAL and not args.no_fail:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
