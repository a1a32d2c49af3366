"""How long opening the largest real program takes, against a plain ``xml.etree`` parse.

The importer does more than parse (defused parser, zone resolution, plain-text descriptions,
ids), so the plain parse is the floor; the target is to stay within 3x of it. Both are timed in
the same run, interleaved, so a busy machine slows both alike. Prints the figures; exit status
1 when the ratio misses the target (so CI can flag it) unless --no-fail is given.

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


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


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
    first = _timed(lambda: load_program(path))
    program = load_program(path)
    importer: list[float] = []
    plain: list[float] = []
    for _ in range(args.runs):
        importer.append(_timed(lambda: load_program(path)))
        plain.append(_timed(lambda: ET.parse(path)))
    ratio_median = statistics.median(importer) / statistics.median(plain)
    ratio_best = min(importer) / min(plain)
    print(f"program:            {path.name} ({path.stat().st_size / 1e6:.2f} MB, "
          f"{len(program.sessions)} sessions, {len(program.rooms)} rooms)")
    print(f"runs:               {args.runs} (interleaved)")
    print(f"importer, 1st open: {first * 1000:7.1f} ms (includes module imports)")
    print(f"importer:           median {statistics.median(importer) * 1000:7.1f} ms, "
          f"best {min(importer) * 1000:7.1f} ms")
    print(f"xml.etree.parse:    median {statistics.median(plain) * 1000:7.1f} ms, "
          f"best {min(plain) * 1000:7.1f} ms")
    print(f"ratio:              median {ratio_median:.2f}x, best {ratio_best:.2f}x "
          f"(target within {TARGET_RATIO:.0f}x)")
    if ratio_median > TARGET_RATIO and not args.no_fail:
        print("bench_import: over target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
