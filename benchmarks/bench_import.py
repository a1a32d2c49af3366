"""How long opening the largest real program takes, against a plain ``xml.etree`` parse.

The importer does more than parse (defused parser, zone resolution, plain-text descriptions,
ids), so the plain parse is the floor; the target is to stay within 3x of it. Both are timed in
the same run, interleaved, so a busy machine slows both alike; wall-clock and CPU time are both
printed (CPU time of the best run is the steadiest figure on a shared machine). Exit status 1
when both the median wall ratio and the best CPU ratio miss the target, unless --no-fail.

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
DEFAULT = REPO.parent / "shared" / "data" / "frab-xml" / "frab-xml_36c3-merged_giggity.xml"
TARGET_RATIO = 3.0


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
    ratio_best = min(wall_i) / min(wall_p)
    ratio_cpu = min(cpu_i) / min(cpu_p)
    print(f"program:            {path.name} ({path.stat().st_size / 1e6:.2f} MB, "
          f"{len(program.sessions)} sessions, {len(program.rooms)} rooms)")
    print(f"runs:               {args.runs} of each, interleaved")
    print(f"importer, 1st open: {first * 1000:7.1f} ms wall (includes module imports)")
    print(f"importer:           wall median {statistics.median(wall_i) * 1000:7.1f} ms, "
          f"best {min(wall_i) * 1000:7.1f} ms; CPU best {min(cpu_i) * 1000:7.1f} ms")
    print(f"xml.etree.parse:    wall median {statistics.median(wall_p) * 1000:7.1f} ms, "
          f"best {min(wall_p) * 1000:7.1f} ms; CPU best {min(cpu_p) * 1000:7.1f} ms")
    print(f"ratio:              wall median {ratio_median:.2f}x, wall best {ratio_best:.2f}x, "
          f"CPU best {ratio_cpu:.2f}x (target within {TARGET_RATIO:.0f}x)")
    if min(ratio_median, ratio_cpu) > TARGET_RATIO and not args.no_fail:
        print("bench_import: over target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
