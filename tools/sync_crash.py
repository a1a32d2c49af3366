"""SIGKILL ``planner sync`` at random moments, sync again, and check the calendar.

Each round changes the stars at random, starts ``python -m planner sync`` against a real Radicale
on 127.0.0.1, kills it with SIGKILL at a random moment (during start-up, while listing, between
and during writes), then runs the same sync to the end. The calendar must then hold exactly the
agenda: every starred session once, at its instant, no duplicates, no leftovers of unstarred
sessions, and the user's own event untouched. Part of ``tools/crash_harness.py --mode sync``.
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

USER_EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//user//EN\r\nBEGIN:VEVENT\r\n"
              "UID:dentist@example.org\r\nDTSTAMP:20210501T000000Z\r\n"
              "DTSTART:20210507T080000Z\r\nDTEND:20210507T090000Z\r\nSUMMARY:Dentist\r\n"
              "END:VEVENT\r\nEND:VCALENDAR\r\n")


@dataclasses.dataclass
class SyncTotals:
    """Figures of a run (docs/sync.md)."""

    rounds: int = 0
    killed: int = 0
    finished_before_kill: int = 0
    duplicates: int = 0
    missing: int = 0
    leftovers: int = 0
    wrong_times: int = 0
    user_event_changed: int = 0
    failed_resyncs: int = 0
    seconds: float = 0.0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.missing or self.leftovers or self.wrong_times
                    or self.user_event_changed or self.failed_resyncs or self.problems)

    def line(self) -> str:
        return (f"sync: {self.rounds} rounds ({self.killed} killed mid-sync, "
                f"{self.finished_before_kill} finished first) in {self.seconds:.0f} s: "
                f"{self.duplicates} duplicates, {self.missing} missing, {self.leftovers} "
                f"leftovers, {self.wrong_times} wrong times, {self.user_event_changed} user "
                f"events changed, {self.failed_resyncs} failed re-syncs")


def run_sync_rounds(rounds: int, seed: int = 0, scratch: Path | None = None,
                    log: bool = False, kills_wanted: int = 0) -> SyncTotals:
    """Run ``rounds`` kill-and-resync rounds, and more (up to three times as many) until
    ``kills_wanted`` kills landed mid-sync: on a loaded machine a sync may finish first."""
    from planner.export.ics import event_uid
    from planner.storage.store import Store
    from planner.workspace import open_program
    from tests.caldav_servers import PASSWORD, USER, RadicaleServer, read_back

    rng = random.Random(seed)
    folder = Path(scratch or tempfile.mkdtemp(prefix="planner-sync-crash-"))
    server = RadicaleServer(folder / "radicale", auth=True).start()
    totals = SyncTotals()
    began = time.monotonic()
    try:
        url = server.make_calendar("agenda")
        calendar = server.client().calendar(url=url)
        dentist = calendar.add_event(USER_EVENT, increase_seqno=False)
        dentist_etag = {str(r.url): r.etag for r in calendar.search(event=True)}[str(dentist.url)]
        program = open_program()
        sessions = [s for s in program.sessions if s.start is not None]
        data = folder / "data"
        env = dict(os.environ, PLANNER_CALDAV_PASSWORD=PASSWORD, PLANNER_DATA_DIR=str(data),
                   PYTHONPATH=str(REPO))
        command = [sys.executable, "-m", "planner", "sync", url, "--user", USER, "--tz",
                   "Europe/Vienna"]
        number = -1
        while number + 1 < rounds or (totals.killed < kills_wanted
                                      and number + 1 < 3 * rounds):
            number += 1
            chosen = rng.sample(sessions, rng.randint(0, min(40, len(sessions))))
            with Store(data) as store:
                store.set_starred(program.key, list(store.starred(program.key)), False)
                store.set_starred(program.key, [s.id for s in chosen], True)
            child = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 3.0))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                totals.killed += 1
            else:
                totals.finished_before_kill += 1
            child.wait()
            again = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                                   timeout=300, check=False)
            totals.rounds += 1
            if again.returncode != 0:
                totals.failed_resyncs += 1
                totals.problems.append(f"round {number}: re-sync exit {again.returncode}: "
                                       f"{again.stderr.strip()[-300:]}")
                continue
            resources = calendar.search(event=True)
            etags = {str(r.url): r.etag for r in resources}
            if etags.get(str(dentist.url)) != dentist_etag:
                totals.user_event_changed += 1
            try:
                events = read_back(url)
            except AssertionError as error:  # read_back refuses duplicate UIDs
                totals.duplicates += 1
                totals.problems.append(f"round {number}: {error}")
                continue
            totals.duplicates += len(resources) - len(events)
            expected = {event_uid(program, s.id): s for s in chosen}
            ours = {uid: e for uid, e in events.items() if uid.endswith("@planner")}
            totals.missing += len(set(expected) - set(ours))
            totals.leftovers += len(set(ours) - set(expected))
            for uid, session in expected.items():
                if uid in ours and session.start is not None and ours[uid].start != session.start:
                    totals.wrong_times += 1
            if log and (number + 1) % 10 == 0:
                print(f"  sync round {number + 1}/{rounds}", flush=True)
    finally:
        server.stop()
        totals.seconds = time.monotonic() - began
    return totals


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    totals = run_sync_rounds(args.rounds, args.seed, log=True)
    print(totals.line())
    for problem in totals.problems[:10]:
        print(f"  {problem}")
    return 0 if totals.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
