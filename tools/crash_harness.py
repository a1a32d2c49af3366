"""Kill the star operation with SIGKILL at random moments; check that no reported star is lost.

A star the app *reported* as saved must survive anything short of losing the disk. Each round
starts a child that stars and unstars items (one transaction per batch, one printed line per
item once its transaction has committed), kills it at a random moment (during start-up, while
opening the store, mid-transaction, mid-print), then opens the store and compares it with what
the child had printed. The store must open without a notice, pass SQLite's integrity check,
hold every reported star and no reported unstar, and hold every batch whole or not at all.

The same runs on a nearly full disk (a small tmpfs when we may mount one, otherwise a file-size
limit set in the child) and against a read-only data folder: a clear message, nothing lost,
nothing half-written.

Children (``--mode``):

* ``store``: :class:`planner.storage.store.Store` directly (start-up ~50 ms, so most kills land
  in the middle of the work);
* ``workspace``: :class:`planner.workspace.Workspace` on a real program, as the window stars;
* ``cli``: the real ``planner.cli.main(["--data-dir", D, "star", ID...])`` called in a loop in
  one process;
* ``cli-process``: one ``python -m planner --data-dir D star --program P ID...`` per round, the
  command exactly as a user types it.

* ``sync``: ``python -m planner sync`` against a real Radicale, killed mid-sync, then run
  again: the calendar must hold exactly the agenda (``tools/sync_crash.py``; rounds / 20).

Long run: ``python tools/crash_harness.py --rounds 1000`` (all modes the build supports).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve()
if str(REPO) not in sys.path:  # run as a script: make ``tools`` importable
    sys.path.insert(0, str(REPO))
STORE_KEY = "crash-harness"
ITEM_COUNT = 40
MAX_BATCH = 6

Op = tuple[bool, tuple[str, ...]]  # (starred, ids) committed in one transaction
FillFn = Callable[[random.Random | None], None]  # fill the disk (rng) or free it (None)


# -- the operations a child performs ----------------------------------------------------------
def make_ops(seed: int, count: int, ids: Sequence[str], max_batch: int = MAX_BATCH) -> list[Op]:
    """The child's operations, reproducible from the seed so the parent knows them too."""
    rng = random.Random(seed)
    ops: list[Op] = []
    for _ in range(count):
        size = rng.randint(1, min(max_batch, len(ids)))
        ops.append((rng.random() < 0.65, tuple(rng.sample(list(ids), size))))
    return ops


def apply_op(state: set[str], op: Op) -> set[str]:
    starred, ids = op
    return state | set(ids) if starred else state - set(ids)


# -- child side ---------------------------------------------------------------------------------
def _limit_file_size(limit: int) -> None:
    """Emulate a full disk: writes past ``limit`` bytes fail with EFBIG instead of killing us."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def run_child(args: argparse.Namespace) -> int:
    """Perform the ops, printing ``starred ID`` / ``unstarred ID`` after each commit."""
    from planner.core.errors import PlannerError

    if args.fsize_limit:
        _limit_file_size(args.fsize_limit)
    ids = json.loads(args.ids)
    ops = make_ops(args.seed, args.ops, ids, args.max_batch)
    out = sys.stdout
    if args.mode == "hammer":
        return _hammer(args, ops)
    try:
        if args.mode == "cli":
            from planner.cli import main as cli_main

            out.write("ready\n")
            out.flush()
            for starred, batch in ops:
                verb = "star" if starred else "unstar"
                status = cli_main(["--data-dir", args.folder, verb, "--program", args.program,
                                   *batch])
                if status != 0:
                    return status
            return 0
        if args.mode == "workspace":
            from planner.storage.store import Store
            from planner.workspace import Workspace, open_program

            program = open_program(args.program)
            store = Store(args.folder)
            workspace = Workspace.open(program, store)
            out.write("ready\n")
            out.flush()
            for starred, batch in ops:
                saved = workspace.set_starred(batch, starred)
                out.write("".join(f"{'starred' if starred else 'unstarred'} {i}\n"
                                  for i in saved))
                out.flush()
            store.close()
            return 0
        from planner.storage.store import Store

        store = Store(args.folder)
        out.write("ready\n")
        out.flush()
        for starred, batch in ops:
            store.set_starred(STORE_KEY, batch, starred)
            out.write("".join(f"{'starred' if starred else 'unstarred'} {i}\n" for i in batch))
            out.flush()
        store.close()
        return 0
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return 2


def _hammer(args: argparse.Namespace, ops: Sequence[Op]) -> int:
    """One of several concurrent writers: every op is its own transaction; errors are
    reported on stdout (the test counts them) and the writer goes on."""
    from planner.core.errors import PlannerError

    if args.start_at:  # start together, so the fresh store is created concurrently too
        time.sleep(max(0.0, args.start_at - time.time()))
    out = sys.stdout
    star: Callable[[Sequence[str], bool], list[str]]
    try:
        if args.program:
            from planner.storage.store import Store
            from planner.workspace import Workspace, open_program

            workspace = Workspace.open(open_program(args.program), Store(args.folder))
            star = workspace.set_starred
            close = workspace.store.close
        else:
            from planner.storage.store import Store

            store = Store(args.folder)

            def store_star(ids: Sequence[str], starred: bool) -> list[str]:
                store.set_starred(STORE_KEY, ids, starred)
                return list(ids)

            star = store_star
            close = store.close
    except PlannerError as error:
        out.write(f"error: {error}\n")
        return 2
    for starred, batch in ops:
        try:
            star(batch, starred)
        except PlannerError as error:
            out.write(f"error: {error}\n")
            continue
        out.write("".join(f"{'starred' if starred else 'unstarred'} {i}\n" for i in batch))
    out.flush()
    close()
    return 0


@dataclasses.dataclass
class Concurrency:
    """Figures of a concurrent run: operations, errors, stars lost."""

    processes: int = 0
    operations: int = 0
    errors: int = 0
    locked_messages: int = 0
    stars_lost: int = 0
    unstars_lost: int = 0
    seconds: float = 0.0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.locked_messages or self.stars_lost or self.unstars_lost
                    or self.problems)

    def line(self) -> str:
        return (f"{self.processes} processes x {self.operations // max(1, self.processes)} "
                f"operations in {self.seconds:.1f} s: {self.errors} errors, "
                f"{self.locked_messages} 'database is locked', {self.stars_lost} stars lost, "
                f"{self.unstars_lost} unstars lost")


def run_concurrent(folder: Path, processes: int = 2, ops_each: int = 1000,
                   program: str | Path = "", seed: int = 0,
                   timeout: float = 600) -> Concurrency:
    """``processes`` writers at once, each on its own items, ``ops_each`` commits each."""
    if program:
        target = Target.for_mode("workspace", program)
        key, all_ids = target.key, target.ids
    else:
        key, all_ids = STORE_KEY, [f"item-{i:03d}" for i in range(100 * processes)]
    shares = [all_ids[n::processes] for n in range(processes)]
    start_at = time.time() + 1.5  # everyone is up (imports done) before anyone opens
    children = []
    for number, ids in enumerate(shares):
        command = [sys.executable, str(HARNESS), "--child", "--mode", "hammer",
                   "--folder", str(folder), "--seed", str(seed + number),
                   "--ops", str(ops_each), "--ids", json.dumps(ids), "--max-batch", "1",
                   "--start-at", repr(start_at)]
        if program:
            command += ["--program", str(program)]
        children.append(subprocess.Popen(command, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True,
                                         env=child_env(folder)))
    try:
        results = [child.communicate(timeout=timeout) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    totals = Concurrency(processes=processes, seconds=time.time() - start_at)
    expected: set[str] = set()
    for number, ((stdout, stderr), child) in enumerate(zip(results, children, strict=True)):
        ops = make_ops(seed + number, ops_each, shares[number], max_batch=1)
        lines = stdout.splitlines()
        errors = [line for line in lines if line.startswith("error:")]
        totals.errors += len(errors)
        totals.locked_messages += sum("locked" in line for line in lines + stderr.splitlines())
        totals.operations += len(lines) - len(errors)
        if child.returncode != 0 or "Traceback" in stderr:
            totals.problems.append(f"writer {number}: exit {child.returncode}: {stderr[-500:]}")
        totals.problems.extend(errors[:3])
        state: set[str] = set()
        for op in ops:
            state = apply_op(state, op)
        expected |= state
    from planner.storage.store import Store

    with Store(folder) as store:
        if store.notices:
            totals.problems.append(f"notices: {store.notices}")
        actual = store.starred(key) & set(all_ids)
    totals.stars_lost = len(expected - actual)
    totals.unstars_lost = len(actual - expected)
    return totals


# -- parent side --------------------------------------------------------------------------------
@dataclasses.dataclass
class Target:
    """What the children star: the store key and item ids, and the program for real modes."""

    mode: str
    key: str
    ids: list[str]
    program: str = ""

    @classmethod
    def for_mode(cls, mode: str, program: str | Path = "") -> Target:
        """``program`` defaults to a small real program (fast to load in every child)."""
        if mode == "store":
            return cls(mode, STORE_KEY, [f"item-{i:02d}" for i in range(ITEM_COUNT)])
        from planner.workspace import open_program

        if not program:
            program = write_small_program(Path(tempfile.mkdtemp(prefix="planner-program-")))
        loaded = open_program(program)
        ids = sorted(item_id for item_id, _ in loaded.iter_items())
        rng = random.Random(len(ids))
        chosen = sorted(rng.sample(ids, min(ITEM_COUNT, len(ids))))
        return cls(mode, loaded.key, chosen, str(program))


def write_small_program(folder: Path, min_items: int = 8) -> Path:
    """A small cut of a real program (see tools/fuzz_importers.py) this build can open.

    The bundled ICLR day takes about a second to load (catalog matching); a child that loads
    it for every ``star`` would spend each round loading, never saving. frab cuts parse in
    milliseconds, so they come first; then the smallest seed with enough items.
    """
    from planner.importers import available_formats, parse_text
    from planner.importers.reading import decode_program_bytes
    from tools.fuzz_importers import load_seeds

    formats = available_formats()
    preference = ["frab-xml", "frab-json", "virtual-page", "ics"]
    candidates = sorted((seed for seed in load_seeds() if seed.format in formats),
                        key=lambda seed: (preference.index(seed.format)
                                          if seed.format in preference else 9, len(seed.data)))
    for seed in candidates:
        try:
            program = parse_text(decode_program_bytes(seed.data), format_name=seed.format)
        except Exception:  # a seed this build cannot read: try the next
            continue
        if sum(1 for _ in program.iter_items()) >= min_items:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{seed.name}.program"
            path.write_bytes(seed.data)
            return path
    raise RuntimeError("no importer of this build opens any seed program")


@dataclasses.dataclass
class Totals:
    """The figures reported in docs/reliability.md."""

    mode: str = ""
    condition: str = "normal"
    rounds: int = 0
    killed: int = 0
    killed_before_ready: int = 0
    finished: int = 0
    failed_with_message: int = 0
    reported_stars: int = 0
    reported_unstars: int = 0
    stars_lost: int = 0
    unstars_lost: int = 0
    half_written: int = 0
    unclean_opens: int = 0
    unclear_errors: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.stars_lost or self.unstars_lost or self.half_written
                    or self.unclean_opens or self.unclear_errors)

    def line(self) -> str:
        return (f"{self.mode}/{self.condition}: {self.rounds} rounds, {self.killed} killed "
                f"({self.killed_before_ready} before the store was open), {self.finished} "
                f"finished, {self.failed_with_message} stopped with a message; "
                f"{self.reported_stars} stars and {self.reported_unstars} unstars reported; "
                f"{self.stars_lost} stars lost, {self.unstars_lost} unstars lost, "
                f"{self.half_written} half-written, {self.unclean_opens} unclean opens, "
                f"{self.unclear_errors} unclear errors")


class _LineReader(threading.Thread):
    """Collects a child's stdout lines as they arrive, so the parent can kill at any time."""

    def __init__(self, stream: object) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.ready_at = 0.0
        self.last_at = 0.0

    def run(self) -> None:
        for raw in self.stream:  # type: ignore[attr-defined]
            if not raw.endswith("\n"):
                break  # cut by the kill: not a report
            line = raw.rstrip("\n")
            self.lines.append(line)
            self.last_at = time.monotonic()
            if line == "ready":
                self.ready_at = self.last_at
                self.ready.set()

    def seconds_per_line(self) -> float | None:
        reported = len(self.lines) - (1 if self.ready.is_set() else 0)
        if reported < 2 or not self.ready_at:
            return None
        return (self.last_at - self.ready_at) / reported


def child_command(target: Target, folder: Path, seed: int, ops: int,
                  fsize_limit: int = 0) -> list[str]:
    if target.mode == "cli-process":
        batch = make_ops(seed, 1, target.ids)[0]
        verb = "star" if batch[0] else "unstar"
        return [sys.executable, "-m", "planner", "--data-dir", str(folder), verb,
                "--program", target.program, *batch[1]]
    command = [sys.executable, str(HARNESS), "--child", "--mode", target.mode,
               "--folder", str(folder), "--seed", str(seed), "--ops", str(ops),
               "--ids", json.dumps(target.ids)]
    if target.program:
        command += ["--program", target.program]
    if fsize_limit:
        command += ["--fsize-limit", str(fsize_limit)]
    return command


def child_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PLANNER_DATA_DIR"] = str(folder)  # never the real home, whatever the mode
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Children run this checkout's planner, whatever the virtualenv's install points at (a
    # shared venv installed from another worktree would give them another store schema).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("COVERAGE_PROCESS_START", None)
    return env


def read_state(folder: Path, key: str) -> tuple[set[str], list[str]]:
    """The stars on disk and what is wrong with the store (empty when it opens cleanly)."""
    from planner.storage.store import STORE_NAME, Store

    problems: list[str] = []
    store = Store(folder)
    try:
        if store.notices:
            problems.append("notice on open: " + " | ".join(store.notices))
        if store.read_only:
            problems.append("opened read-only")
        state = store.starred(key)
    finally:
        store.close()
    conn = sqlite3.connect(folder / STORE_NAME)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if check != [("ok",)]:
        problems.append(f"integrity_check: {check}")
    damaged = sorted(p.name for p in folder.glob("*.damaged-*"))
    if damaged:
        problems.append(f"store moved aside: {damaged}")
    return state, problems


def check_round(totals: Totals, before: set[str], after: set[str], ops: Sequence[Op],
                lines: Sequence[str], label: str) -> None:
    """Compare the store with the reported lines; count what is lost or half-written."""
    reported = [line for line in lines if line != "ready"]
    # Lines come one per item, in op order, after each op's commit. Map them back to ops.
    done = 0  # ops fully or partly reported (hence committed)
    position = 0
    for index, (_, ids) in enumerate(ops):
        if position >= len(reported):
            break
        count = min(len(ids), len(reported) - position)
        expected_lines = [f"{'starred' if ops[index][0] else 'unstarred'} {i}"
                          for i in ids[:count]]
        if reported[position:position + count] != expected_lines:
            totals.problems.append(f"{label}: unexpected output {reported[position:][:3]}")
            break
        position += count
        done = index + 1
    totals.reported_stars += sum(1 for line in reported if line.startswith("starred "))
    totals.reported_unstars += sum(1 for line in reported if line.startswith("unstarred "))
    expected = set(before)
    for op in ops[:done]:
        expected = apply_op(expected, op)
    allowed = [expected]
    if done < len(ops):  # the op in flight may or may not have committed
        allowed.append(apply_op(expected, ops[done]))
    if after in allowed:
        return
    # Which promise was broken?
    last: dict[str, bool] = {}
    for starred, ids in ops[:done]:
        for item_id in ids:
            last[item_id] = starred
    in_flight = set(ops[done][1]) if done < len(ops) else set()
    lost = {i for i, starred in last.items() if starred and i not in after and i not in in_flight}
    undead = {i for i, starred in last.items()
              if not starred and i in after and i not in in_flight}
    totals.stars_lost += len(lost)
    totals.unstars_lost += len(undead)
    if not lost and not undead:
        totals.half_written += 1
    totals.problems.append(f"{label}: store {sorted(after)} is none of the allowed states; "
                           f"lost {sorted(lost)}, unstars lost {sorted(undead)}")


def run_rounds(target: Target, folder: Path, rounds: int, seed: int = 0,
               condition: str = "normal", fill: FillFn | None = None,
               fsize_allowance: tuple[int, int] | None = None,
               log: bool = False) -> Totals:
    """``rounds`` kill rounds against the data folder ``folder``; the store persists across
    rounds, so every round also starts from the recovery of the previous kill."""
    totals = Totals(mode=target.mode, condition=condition)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    state, problems = read_state(folder, target.key)
    if problems:
        totals.problems.append(f"before the first round: {problems}")
    startup = 0.15  # seconds to "ready"; refined from the rounds
    window = {"store": 0.04, "workspace": 0.04, "cli": 0.5}.get(target.mode, 0.04)
    if target.mode == "cli-process":  # one whole command: time it (warm), unkilled
        for _ in range(2):
            began = time.monotonic()
            subprocess.run(child_command(target, folder, 0, 1), capture_output=True,
                           env=child_env(folder), cwd=folder.parent, timeout=300, check=False)
            startup = time.monotonic() - began
        state, _ = read_state(folder, target.key)
    for number in range(rounds):
        round_seed = rng.randrange(2**32)
        ops_count = 1 if target.mode == "cli-process" else 2000
        ops = make_ops(round_seed, ops_count, target.ids)
        fsize_limit = 0
        if fsize_allowance is not None:
            used = sum(p.stat().st_size for p in folder.glob("planner.sqlite3*"))
            fsize_limit = used + rng.randint(*fsize_allowance)
        if fill is not None:
            fill(rng)
        command = child_command(target, folder, round_seed, ops_count, fsize_limit)
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=child_env(folder), cwd=folder.parent)
        reader = _LineReader(child.stdout)
        reader.start()
        if target.mode == "cli-process":
            time.sleep(rng.uniform(0, startup))
        elif rng.random() < 0.2:
            time.sleep(rng.uniform(0, startup * 1.3))  # start-up, opening, schema creation
        else:
            reader.ready.wait(timeout=60)
            if not reader.ready.is_set() and child.poll() is None:
                totals.problems.append(f"round {number}: child never got ready")
            time.sleep(rng.uniform(0, window))
        killed = child.poll() is None
        ready_before_kill = reader.ready.is_set()
        if killed:
            child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join(timeout=10)
        stderr = child.stderr.read() if child.stderr else ""
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
        if reader.ready_at and target.mode != "cli-process":
            startup = 0.8 * startup + 0.2 * (reader.ready_at - started)
        per_line = reader.seconds_per_line()
        if per_line is not None:  # kill within the next few operations, wherever they are
            window = 0.7 * window + 0.3 * min(2.0, max(0.01, 8 * per_line))
        elif killed and ready_before_kill and target.mode == "cli":
            # Killed before two operations were reported: the first command's imports and
            # parse outlasted the window on a loaded machine. Wait longer next round, or no
            # round reports anything to check.
            window = min(2.0, window * 1.5)
        totals.rounds += 1
        if killed:
            totals.killed += 1
            if not ready_before_kill and target.mode != "cli-process":
                totals.killed_before_ready += 1
        elif child.returncode == 0:
            totals.finished += 1
        else:
            totals.failed_with_message += 1
        if stderr.strip() and not _clear_error(stderr, condition, killed):
            totals.unclear_errors += 1
            totals.problems.append(f"round {number}: unclear error (exit "
                                   f"{child.returncode}): {stderr.strip()[-500:]}")
        if fill is not None:
            fill(None)  # free the disk before looking, as the user would
        after, problems = read_state(folder, target.key)
        if problems:
            totals.unclean_opens += 1
            totals.problems.append(f"round {number}: {problems}")
        check_round(totals, state, after, ops, reader.lines, f"round {number}")
        state = after
        if log and (number + 1) % 50 == 0:
            print(f"  {number + 1} rounds: {totals.line()}", flush=True)
    return totals


def _clear_error(stderr: str, condition: str, killed: bool = False) -> bool:
    """A one-line ``planner: ...`` message saying what is wrong; no traceback, no SQLite jargon."""
    if "Traceback" in stderr or "database is locked" in stderr:
        return False
    if killed:  # stopped before it could finish its message: only the above applies
        return True
    lines = [line for line in stderr.splitlines() if line.strip()]
    if not lines or not lines[-1].startswith("planner: "):
        return False
    if condition in ("full-disk", "file-size-limit"):
        return "nothing was changed" in lines[-1] and ("disk" in lines[-1])
    return True



# -- conditions ---------------------------------------------------------------------------------
def can_mount() -> bool:
    """True when we may mount a tmpfs here (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or sys.platform != "linux":
        return False
    probe = Path(tempfile.mkdtemp(prefix="planner-mount-probe-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            return False
        subprocess.run(["umount", str(probe)], capture_output=True, check=False)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


@contextlib.contextmanager
def small_tmpfs(size_bytes: int) -> Iterator[Path]:
    """A private tmpfs of ``size_bytes``: a disk that really fills up."""
    mount_point = Path(tempfile.mkdtemp(prefix="planner-tmpfs-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0755", "tmpfs",
                    str(mount_point)], check=True, capture_output=True)
    try:
        yield mount_point
    finally:
        done = subprocess.run(["umount", str(mount_point)], capture_output=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)
        with contextlib.suppress(OSError):
            mount_point.rmdir()


def filler(folder: Path, free_range: tuple[int, int]) -> FillFn:
    """A fill function: leaves a random number of free bytes on the tmpfs, then frees them."""
    path = folder.parent / "filler.bin"

    def fill(rng: random.Random | None) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if rng is None:
            return
        stats = os.statvfs(folder.parent)
        free = stats.f_bavail * stats.f_frsize
        keep = rng.randint(*free_range)
        with path.open("wb") as handle:
            remaining = max(0, free - keep)
            chunk = b"\0" * 65536
            try:
                while remaining > 0:
                    handle.write(chunk[:remaining])
                    remaining -= min(remaining, len(chunk))
            except OSError:
                pass

    return fill


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for everyone, root included (a read-only bind mount as root)."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True,
                       capture_output=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder), str(folder)],
                           check=True, capture_output=True)
            yield
        finally:
            done = subprocess.run(["umount", str(folder)], capture_output=True, check=False)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
        return
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(mode)


def can_make_read_only() -> bool:
    if os.geteuid() != 0:
        return True
    return can_mount()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def read_only_round(target: Target, folder: Path, seed: int) -> tuple[Totals, str]:
    """Star against a read-only folder: a clear message, exit 2, not one byte changed."""
    totals = Totals(mode=target.mode, condition="read-only", rounds=1)
    before, _ = read_state(folder, target.key)
    files_before = snapshot(folder)
    ops = make_ops(seed, 1 if target.mode == "cli-process" else 50, target.ids)
    with read_only_folder(folder):
        child = subprocess.run(child_command(target, folder, seed, len(ops)),
                               capture_output=True, text=True, env=child_env(folder),
                               cwd=folder.parent, timeout=120, check=False)
        files_during = snapshot(folder)
    if child.returncode != 2 or not _clear_error(child.stderr, "read-only"):
        totals.unclear_errors += 1
        totals.problems.append(f"exit {child.returncode}: {child.stderr.strip()[-500:]}")
    else:
        totals.failed_with_message += 1
    if "read-only" not in child.stderr:
        totals.unclear_errors += 1
        totals.problems.append(f"message does not say read-only: {child.stderr.strip()}")
    if [line for line in child.stdout.splitlines() if line != "ready"]:
        totals.problems.append(f"reported saves in a read-only folder: {child.stdout[:300]}")
        totals.half_written += 1
    if files_during != files_before:
        totals.half_written += 1
        totals.problems.append("files changed in the read-only folder")
    after, problems = read_state(folder, target.key)
    if problems:
        totals.unclean_opens += 1
        totals.problems.append(str(problems))
    if after != before:
        totals.stars_lost += len(before - after)
        totals.half_written += 1
    return totals, child.stderr.strip()


# -- the long run -------------------------------------------------------------------------------
def available_modes() -> list[str]:
    """Modes this build can run: the real program needs its importer to have landed."""
    modes = ["store"]
    try:
        from planner.workspace import open_program

        open_program()
    except Exception:  # any failure means: not in this build yet
        return modes
    modes += ["workspace", "cli"]
    import importlib.util

    if importlib.util.find_spec("planner.cli.program_cmds") is not None:
        modes.append("cli-process")
    if all(importlib.util.find_spec(name) is not None for name in ("caldav", "radicale")):
        modes.append("sync")
    return modes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=1000, help="kill rounds per mode")
    parser.add_argument("--mode", action="append", dest="modes",
                        choices=["store", "workspace", "cli", "cli-process", "hammer", "sync"],
                        help="child kind (repeatable; default: all this build supports)")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--skip-conditions", action="store_true",
                        help="only plain kills: no full disk, no read-only folder")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    # Child-only arguments.
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--ops", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--ids", default="[]", help=argparse.SUPPRESS)
    parser.add_argument("--program", default="", help=argparse.SUPPRESS)
    parser.add_argument("--max-batch", type=int, default=MAX_BATCH, help=argparse.SUPPRESS)
    parser.add_argument("--fsize-limit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.mode = (args.modes or ["store"])[0]
        return run_child(args)

    modes = args.modes or available_modes()
    print(f"crash harness: seed {args.seed}, {args.rounds} rounds per mode, modes {modes}",
          flush=True)
    results: list[Totals] = []
    failed_sync: list[str] = []
    with tempfile.TemporaryDirectory(prefix="planner-crash-") as scratch:
        for mode in modes:
            if mode == "sync":  # SIGKILL planner sync against Radicale (tools/sync_crash.py)
                from tools.sync_crash import run_sync_rounds

                synced = run_sync_rounds(max(1, args.rounds // 20), args.seed,
                                         Path(scratch) / "sync", log=True)
                print(synced.line(), flush=True)
                if not synced.ok:
                    failed_sync.extend(synced.problems or [synced.line()])
                continue
            target = Target.for_mode(mode)
            rounds = args.rounds if mode != "cli-process" else max(1, args.rounds // 5)
            totals = run_rounds(target, Path(scratch) / mode / "data", rounds, args.seed,
                                log=True)
            print(totals.line(), flush=True)
            results.append(totals)
            if args.skip_conditions:
                continue
            results.extend(_conditions(target, Path(scratch) / mode, args.seed,
                                       max(20, args.rounds // 10)))
    failed = [t for t in results if not t.ok]
    for totals in failed:
        for problem in totals.problems[:10]:
            print(f"  {totals.mode}/{totals.condition}: {problem}")
    if args.json:
        Path(args.json).write_text(json.dumps([dataclasses.asdict(t) for t in results],
                                              indent=2), encoding="utf-8")
    for problem in failed_sync[:10]:
        print(f"  sync: {problem}")
    print("OK: no reported star lost" if not failed else f"FAILED: {len(failed)} runs")
    return 1 if failed or failed_sync else 0


def _conditions(target: Target, scratch: Path, seed: int, rounds: int) -> list[Totals]:
    results: list[Totals] = []
    if target.mode == "cli-process":
        return results
    if can_mount():
        with small_tmpfs(1024 * 1024) as disk:
            folder = disk / "data"
            totals = run_rounds(target, folder, rounds, seed, condition="full-disk",
                                fill=filler(folder, (0, 48 * 1024)))
            print(totals.line(), flush=True)
            results.append(totals)
    totals = run_rounds(target, scratch / "fsize", rounds, seed, condition="file-size-limit",
                        fsize_allowance=(0, 64 * 1024))
    print(totals.line(), flush=True)
    results.append(totals)
    if can_make_read_only():
        folder = scratch / "read-only"
        run_rounds(target, folder, 3, seed)  # something to lose
        totals, message = read_only_round(target, folder, seed)
        print(totals.line() + f"; message: {message.splitlines()[-1] if message else ''}",
              flush=True)
        results.append(totals)
    return results


if __name__ == "__main__":
    sys.exit(main())
