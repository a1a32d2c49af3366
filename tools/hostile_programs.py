"""Generate over-limit and expensive program files, and measure what planner does with them.

Each case is a program a hostile (or just huge) feed could be: a million events, thousands of
recurrence rules that never match, a frab file of hundreds of thousands of talks, thousands of
starred parallel sessions. planner must refuse or open each within 10 s and 1 GB. The tests in
``tests/reliability/test_hostile_cost.py`` use the same generators at sizes that stay fast; this
script measures the full-size cases in a child process (wall time, peak resident memory)::

    python tools/hostile_programs.py measure            # every case, full size
    python tools/hostile_programs.py measure --case ics-million
    python tools/hostile_programs.py write CASE FILE    # just the file
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_ICS_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n"
_ICS_TAIL = "END:VCALENDAR\r\n"


def ics_many_events(count: int) -> str:
    """``count`` plain one-hour events (1,000,000 of them are about 60 MB)."""
    parts = [_ICS_HEAD]
    for index in range(count):
        day, hour = divmod(index, 24)
        parts.append(f"BEGIN:VEVENT\nUID:e{index}\nDTSTART:2024{1 + day // 28 % 12:02d}"
                     f"{1 + day % 28:02d}T{hour:02d}0000Z\nEND:VEVENT\n")
    parts.append(_ICS_TAIL)
    return "".join(parts)


def ics_never_matching_hourly(count: int) -> str:
    """``count`` events whose HOURLY rule can never match again (30 February)."""
    parts = [_ICS_HEAD]
    for index in range(count):
        parts.append(f"BEGIN:VEVENT\r\nUID:r{index}\r\nDTSTART:20240105T100000Z\r\n"
                     f"DURATION:PT1H\r\nRRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\n"
                     f"SUMMARY:Rule {index}\r\nEND:VEVENT\r\n")
    parts.append(_ICS_TAIL)
    return "".join(parts)


def frab_xml_many_events(count: int) -> str:
    """A frab schedule.xml of ``count`` events in one room (392,000 are about 63 MB)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<schedule><conference><title>Huge'
             '</title><time_zone_name>Europe/Berlin</time_zone_name></conference>\n'
             '<day index="1" date="2024-12-27"><room name="Saal 1">\n']
    for index in range(count):
        parts.append(f'<event id="{index}" guid="g-{index}"><date>2024-12-27T11:00:00+01:00'
                     f'</date><start>11:00</start><duration>00:30</duration><title>Talk {index}'
                     f'</title></event>\n')
    parts.append("</room></day></schedule>\n")
    return "".join(parts)


def frab_json_many_events(count: int) -> str:
    """A frab schedule.json (classic layout) of ``count`` events in one room."""
    events = [{"id": index, "guid": f"g-{index}", "date": "2024-12-27T11:00:00+01:00",
               "start": "11:00", "duration": "00:30", "title": f"Talk {index}"}
              for index in range(count)]
    day = {"index": 1, "date": "2024-12-27", "rooms": {"Saal 1": events}}
    conference = {"title": "Huge", "acronym": "huge", "time_zone_name": "Europe/Berlin",
                  "days": [day]}
    return json.dumps({"schedule": {"version": "1", "conference": conference}},
                      separators=(",", ":"))


def virtual_page_many_sessions(count: int) -> str:
    """A copied virtual-conference page of ``count`` session headers."""
    return "".join(f"Poster Session {index} Fri 7 May 02:00 a.m.\nTalk {index}\n[ Virtual ]\n"
                   for index in range(count))


def ics_parallel_sessions(count: int) -> str:
    """``count`` sessions all at the same hour (star them all: every pair conflicts)."""
    parts = [_ICS_HEAD]
    parts.extend(f"BEGIN:VEVENT\r\nUID:p{index}\r\nDTSTART:20241227T100000Z\r\n"
                 f"DURATION:PT1H\r\nSUMMARY:Parallel {index}\r\nEND:VEVENT\r\n"
                 for index in range(count))
    parts.append(_ICS_TAIL)
    return "".join(parts)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[int], str]
    size: int
    what: str
    star_all: bool = False
    options: tuple[str, ...] = ()


CASES = {case.name: case for case in (
    Case("ics-million", ics_many_events, 1_000_000, ".ics of 1,000,000 events"),
    Case("ics-hourly-never", ics_never_matching_hourly, 48_000,
         ".ics of 48,000 never-matching HOURLY rules"),
    Case("frab-xml-392k", frab_xml_many_events, 392_000, "frab XML of 392,000 events"),
    Case("frab-json-392k", frab_json_many_events, 392_000, "frab JSON of 392,000 events"),
    Case("page-200k", virtual_page_many_sessions, 200_000, "copied page of 200,000 sessions",
         options=("--year", "2021")),
    Case("starred-parallel-3000", ics_parallel_sessions, 3_000,
         "3,000 starred parallel sessions, `planner list`", star_all=True),
)}


def measure(case: Case, folder: Path, size: int | None = None) -> dict[str, object]:
    """Run ``planner list`` (after starring everything, if the case says so) in a child."""
    path = folder / f"{case.name}.txt"
    path.write_text(case.make(size or case.size), encoding="utf-8")
    env = {**os.environ, "PLANNER_DATA_DIR": str(folder / "data")}
    if case.star_all:
        code = ("import sys; from planner.workspace import Workspace, open_program; "
                "from planner.storage.store import Store; p = open_program(sys.argv[1]); "
                "s = Store(); Workspace.open(p, s).set_starred([x.id for x in p.sessions], "
                "True); s.close()")
        subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=True)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "planner", "list", "--tz", "UTC",
                                  *case.options, str(path)], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the helpers'
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
        err.seek(0)
        last = err.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return {"case": case.name, "what": case.what, "bytes": path.stat().st_size,
            "exit": child.returncode, "seconds": round(seconds, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "stdout_lines": lines, "stderr": last[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("measure")
    run.add_argument("--case", action="append", choices=sorted(CASES))
    run.add_argument("--size", type=int)
    write = sub.add_parser("write")
    write.add_argument("case", choices=sorted(CASES))
    write.add_argument("file")
    write.add_argument("--size", type=int)
    args = parser.parse_args(argv)
    if args.command == "write":
        case = CASES[args.case]
        Path(args.file).write_text(case.make(args.size or case.size), encoding="utf-8")
        return 0
    for name in args.case or sorted(CASES):
        # One child per case, measured alone: ru_maxrss of children is a running maximum.
        code = ("import json, sys; from pathlib import Path; from tools import hostile_programs "
                "as h; print(json.dumps(h.measure(h.CASES[sys.argv[1]], Path(sys.argv[2]), "
                "int(sys.argv[3]) or None)))")
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([sys.executable, "-c", code, name, folder, str(args.size or 0)],
                           check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
