"""CalDAV sync: 200 starred sessions from empty, then a re-sync with 5 changes.

A real Radicale on 127.0.0.1 behind the counting proxy of the tests (tests/caldav_servers.py):
requests are counted by method, seconds by wall clock. The floor, measured in the same run, is
plain ``caldav`` PUTs of the same 200 objects into another calendar (one request each, nothing
decided): the cost no sync can avoid. Changes in the re-sync: 2 sessions unstarred, 2 starred,
1 moved by the program.

Run: ``.venv/bin/python benchmarks/bench_sync.py [--sessions 200]``
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.bench_export import generated_program  # noqa: E402
from planner.core import timezones  # noqa: E402
from planner.core.stars import Stars  # noqa: E402
from planner.export.ics import ExportOptions  # noqa: E402
from planner.export.objects import agenda_objects  # noqa: E402
from planner.sync.caldav_sync import SyncTarget, sync_agenda  # noqa: E402
from planner.sync.state import SyncState  # noqa: E402
from tests.caldav_servers import PASSWORD, USER, FaultProxy, RadicaleServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--sessions", type=int, default=200)
    args = parser.parse_args()
    program, _ = generated_program(args.sessions * 2)
    scheduled = [s for s in program.sessions if s.start is not None]
    stars = Stars({s.id for s in scheduled[:args.sessions]})
    options = ExportOptions(zone="Europe/Vienna", alarm_minutes=10)
    with tempfile.TemporaryDirectory(prefix="planner-bench-sync-") as scratch:
        server = RadicaleServer(Path(scratch) / "radicale", auth=True).start()
        proxy = FaultProxy(server.port)
        try:
            url = server.make_calendar("agenda")
            floor_url = server.make_calendar("floor")
            front = url.replace(f":{server.port}/", f":{proxy.port}/")
            target = SyncTarget(front, USER)
            with SyncState(Path(scratch) / "state") as state:
                proxy.reset_counts()
                began = time.perf_counter()
                report = sync_agenda(program, stars, options, target, PASSWORD, state)
                first = time.perf_counter() - began
                first_counts = dict(proxy.counts)
                assert report.created == args.sessions, report.summary()

                # Five changes: two unstarred, two starred, one moved by the program.
                changed = Stars(set(stars.ids))
                changed.ids -= {scheduled[0].id, scheduled[1].id}
                changed.ids |= {scheduled[args.sessions].id, scheduled[args.sessions + 1].id}
                moved = scheduled[5]
                index = program.sessions.index(moved)
                shift = timezones.add(moved.start, _hour())  # type: ignore[arg-type]
                program.sessions[index] = dataclasses.replace(
                    moved, start=shift, end=timezones.add(moved.end, _hour()))  # type: ignore[arg-type]
                proxy.reset_counts()
                began = time.perf_counter()
                report = sync_agenda(program, changed, options, target, PASSWORD, state)
                second = time.perf_counter() - began
                second_counts = dict(proxy.counts)
                assert report.changes == 5, report.summary()

                proxy.reset_counts()
                began = time.perf_counter()
                report = sync_agenda(program, changed, options, target, PASSWORD, state)
                third = time.perf_counter() - began
                third_counts = dict(proxy.counts)
                assert report.changes == 0, report.summary()

            # The floor: the same objects PUT with plain caldav, nothing listed or decided.
            objects, _ = agenda_objects(program, stars, options)
            calendar = server.client().calendar(url=floor_url)
            began = time.perf_counter()
            for obj in objects:
                calendar.add_event(obj.data.decode("utf-8"), increase_seqno=False)
            floor = time.perf_counter() - began
        finally:
            proxy.close()
            server.stop()
    print(f"sync of {args.sessions} starred sessions from empty: {first:.2f} s, "
          f"{sum(first_counts.values())} requests {_methods(first_counts)}")
    print(f"re-sync with 5 changes: {second:.2f} s, {sum(second_counts.values())} requests "
          f"{_methods(second_counts)}")
    print(f"re-sync without changes: {third:.2f} s, {sum(third_counts.values())} requests "
          f"{_methods(third_counts)}")
    print(f"floor (plain caldav PUT of the same {len(objects)} objects): {floor:.2f} s; "
          f"sync from empty is {first / floor:.2f}x the floor")
    return 0


def _hour() -> object:
    import datetime as dt

    return dt.timedelta(hours=1)


def _methods(counts: dict[str, int]) -> str:
    return "(" + ", ".join(f"{method} {n}" for method, n in sorted(counts.items())) + ")"


if __name__ == "__main__":
    raise SystemExit(main())
