"""What the largest hostile programs cost: refused or opened, in time and memory.

The cases of issue 10, item 9, at their full size: a 60 MB .ics of a million events, 48,000
recurring events whose HOURLY rules never match, a 63 MB frab XML of 392,000 events, and 3,000
starred parallel sessions listed. Each runs in its own ``planner`` process, so its peak memory
(ru_maxrss) is its own. The floor, measured in the same run, is the least any reader must do:
read the same bytes and count their lines. Goal: every case within 10 s and 1 GB.

Usage: .venv/bin/python benchmarks/bench_oversize.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs one planner command in this child and reports its own peak memory on stderr's last line.
CHILD = """
import resource, sys
from planner.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
sys.stderr.write(f"\\nMAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
sys.exit(code or 0)
"""


def _ics_million(path: Path) -> None:
    with path.open("w", encoding="ascii") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//b//EN\r\n")
        for n in range(1_000_000):
            out.write(f"BEGIN:VEVENT\r\nUID:{n}\r\nDTSTART:20241227T1000Z\r\nEND:VEVENT\r\n")
        out.write("END:VCALENDAR\r\n")


def _ics_rules(path: Path) -> None:
    with path.open("w", encoding="ascii") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//b//EN\r\n")
        for n in range(19_000):
            out.write(f"BEGIN:VEVENT\r\nUID:r{n}@b\r\nDTSTAMP:20240101T000000Z\r\n"
                      "DTSTART:20241227T100000Z\r\nDTEND:20241227T103000Z\r\n"
                      "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\n"
                      f"SUMMARY:Rule {n}\r\nEND:VEVENT\r\n")
        out.write("END:VCALENDAR\r\n")


def _frab_xml(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?><schedule><conference><title>Big</title><start>'
                  "2024-12-27</start><end>2024-12-27</end></conference>"
                  '<day index="1" date="2024-12-27"><room name="A">')
        for n in range(392_000):
            out.write(f'<event id="{n}"><date>2024-12-27T10:00:00+01:00</date><start>10:00'
                      f"</start><duration>00:30</duration><room>A</room><title>T{n}</title>"
                      "</event>\n")
        out.write("</room></day></schedule>")


def _parallel(path: Path) -> None:
    with path.open("w", encoding="ascii") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//b//EN\r\n")
        for n in range(3_000):
            out.write(f"BEGIN:VEVENT\r\nUID:p{n}@b\r\nDTSTAMP:20240101T000000Z\r\n"
                      "DTSTART:20241227T100000Z\r\nDTEND:20241227T110000Z\r\n"
                      f"SUMMARY:Parallel {n}\r\nEND:VEVENT\r\n")
        out.write("END:VCALENDAR\r\n")


def _run(args: list[str], data_dir: Path) -> tuple[float, int, int, int]:
    """Seconds, peak MB, exit status and stdout lines of one planner process."""
    env = {**os.environ, "PLANNER_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    peak = int(done.stderr.rsplit("MAXRSS", 1)[-1]) // 1024 if "MAXRSS" in done.stderr else -1
    return seconds, peak, done.returncode, done.stdout.count("\n")


def _floor(path: Path) -> float:
    started = time.monotonic()
    with path.open("rb") as source:
        sum(1 for _ in source)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-oversize-"))
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {"ics-1M-events.ics": _ics_million, "ics-19k-never-matching-rules.ics": _ics_rules,
              "frab-392k-events.xml": _frab_xml, "ics-3000-parallel.ics": _parallel}
    for name, make in inputs.items():
        if not (folder / name).exists():
            make(folder / name)
    data = folder / "data"
    parallel = folder / "ics-3000-parallel.ics"
    listed = subprocess.run(
        [sys.executable, "-m", "planner", "list", str(parallel), "--json"], cwd=REPO,
        capture_output=True, text=True, env={**os.environ, "PLANNER_DATA_DIR": str(data)},
        check=True).stdout
    ids = [session["id"] for session in json.loads(listed)]
    _run(["star", "--program", str(parallel), *ids], data)
    cases = [(name, ["list", str(folder / name), "--tz", "UTC"]) for name in inputs
             if name != "ics-3000-parallel.ics"]
    cases.append((f"list --starred, {len(ids)} parallel stars",
                  ["list", str(parallel), "--starred", "--tz", "UTC"]))
    print(f"{'case':42} {'MB':>6} {'time':>8} {'floor':>8} {'ratio':>7} {'peak':>8} "
          f"{'exit':>4} {'lines':>7}")
    worst_s, worst_mb = 0.0, 0
    for name, command in cases:
        path = Path(command[1])
        floor = _floor(path)
        seconds, peak, status, lines = _run(command, data)
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, peak)
        size = path.stat().st_size / 1e6
        print(f"{name:42} {size:6.1f} {seconds:7.2f}s {floor:7.3f}s {seconds / floor:6.0f}x "
              f"{peak:6d}MB {status:4d} {lines:7d}")
    print(f"worst: {worst_s:.2f} s, {worst_mb} MB (goal: 10 s, 1024 MB); peak of this "
          f"process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    return 0 if worst_s <= 10 and worst_mb <= 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
