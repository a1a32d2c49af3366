"""A refresh of 38C3 from a local HTTP server: a full download and a 304, against floors.

The server (the one the tests use, on 127.0.0.1) serves the 38C3 frab XML with an ETag and
gzip. A full refresh (empty offline folder) downloads, parses, saves the copy atomically; its
floor is a plain ``requests`` download of the same address plus the same parse. A 304 refresh
asks with If-None-Match and opens the offline copy; its floor is the bare conditional request
plus that parse. Medians of --runs, interleaved.

Usage: .venv/bin/python benchmarks/bench_refresh.py [--runs N] [PROGRAM]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT = REPO.parent / "shared" / "data" / "frab-xml" / "frab-xml_38c3.xml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.program.is_file():
        print(f"no program at {args.program} (the shared data folder is absent)")
        return 2
    import requests

    from planner.importers import parse_text
    from planner.net.cache import ProgramCache
    from planner.net.refresh import refresh
    from tests.net.server import Route, serve

    body = args.program.read_bytes()
    timings: dict[str, list[float]] = {"full": [], "full floor": [], "304": [], "304 floor": []}
    with contextlib.contextmanager(serve)() as server, tempfile.TemporaryDirectory() as folder:
        url = server.set("/38c3.xml", Route(body=body, etag='"v1"'))
        warm = ProgramCache(Path(folder) / "warm")
        refresh(url, cache=warm)  # the 304 runs start from this copy
        for run in range(args.runs):
            started = time.perf_counter()
            outcome = refresh(url, cache=ProgramCache(Path(folder) / f"cold-{run}"))
            timings["full"].append(time.perf_counter() - started)
            assert outcome.status == "downloaded", outcome.status

            started = time.perf_counter()
            text = requests.get(url, timeout=30).content.decode("utf-8")
            parse_text(text, None, "38c3.xml")
            timings["full floor"].append(time.perf_counter() - started)

            started = time.perf_counter()
            outcome = refresh(url, cache=warm, force=True)
            timings["304"].append(time.perf_counter() - started)
            assert outcome.status == "unchanged", outcome.status

            started = time.perf_counter()
            answer = requests.get(url, headers={"If-None-Match": '"v1"'}, timeout=30)
            assert answer.status_code == 304
            parse_text(text, None, "38c3.xml")
            timings["304 floor"].append(time.perf_counter() - started)
        sessions = len(outcome.program.sessions) if outcome.program else 0
        statuses = server.statuses("/38c3.xml")
    median = {name: statistics.median(values) for name, values in timings.items()}
    print(f"38C3: {len(body) / 1e6:.1f} MB, {sessions} sessions; {args.runs} runs, "
          f"{statuses.count(304)} answers 304, {statuses.count(200)} answers 200")
    for kind in ("full", "304"):
        print(f"{kind:>5} refresh {median[kind] * 1000:7.0f} ms  floor "
              f"{median[kind + ' floor'] * 1000:7.0f} ms  ratio "
              f"{median[kind] / median[kind + ' floor']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
