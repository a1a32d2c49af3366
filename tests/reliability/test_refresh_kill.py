"""SIGKILL during refreshes: a child process refreshes a program again and again while the
server (127.0.0.1) flips between two versions; killed at random moments, it must leave an
offline copy that is one complete version (its hash matches its record) and every star."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.net.cache import ProgramCache
from planner.net.refresh import refresh
from planner.storage.store import Store
from tests.net.server import ProgramServer, Route, serve
from tests.reliability.conftest import record

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
BEFORE = (FIXTURES / "fosdem2020_before.xml").read_bytes()
AFTER = (FIXTURES / "fosdem2020_after.xml").read_bytes()
ROUNDS = 12

CHILD = """
import sys
from planner.net.cache import ProgramCache
from planner.net.refresh import refresh
from planner.storage.store import Store
url, folder = sys.argv[1], sys.argv[2]
with Store(folder) as store:
    print("ready", flush=True)
    while True:
        refresh(url, cache=ProgramCache(store.folder / "programs"), stars=store, force=True)
"""


def wait_for_request(server: ProgramServer, since: int, timeout: float = 30.0) -> None:
    """Kill only a child that has begun refreshing: on a loaded machine its imports alone
    can outlast a random delay, and a kill before any request tests nothing."""
    deadline = time.monotonic() + timeout
    while len(server.requests) <= since:
        assert time.monotonic() < deadline, "the child made no request"
        time.sleep(0.005)


@pytest.fixture
def program_server() -> Iterator[ProgramServer]:
    yield from serve()


def test_sigkill_during_refresh_keeps_copy_and_stars(program_server: ProgramServer,
                                                     tmp_path: Path) -> None:
    url = program_server.set("/p.xml", Route(body=BEFORE, gzip=False))
    folder = tmp_path / "data"
    with Store(folder) as store:
        first = refresh(url, cache=ProgramCache(folder / "programs"), stars=store)
        assert first.program is not None
        key = first.program.key
        store.set_starred(key, ["e-10715", "e-9265", "e-9249"], True)
    stop = threading.Event()

    def flip() -> None:
        bodies = [AFTER, BEFORE]
        while not stop.is_set():
            for body in bodies:
                program_server.routes["/p.xml"] = Route(body=body, gzip=False)
                time.sleep(0.003)

    flipper = threading.Thread(target=flip, daemon=True)
    flipper.start()
    rng = random.Random(12)
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    killed = 0
    try:
        for _ in range(ROUNDS):
            child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(folder)],
                                     cwd=REPO, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            wait_for_request(program_server, since=len(program_server.requests))
            time.sleep(rng.uniform(0.0, 0.4))
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=10)  # waits and closes the pipe
            killed += child.returncode == -signal.SIGKILL
            copy = ProgramCache(folder / "programs").get(url)
            assert copy is not None
            body = copy.path.read_bytes()
            assert body in (BEFORE, AFTER)
            assert hashlib.sha256(body).hexdigest() == copy.info.sha256
            with Store(folder) as store:
                stars = store.starred(key)
            assert {"e-10715", "e-9265"} <= stars, stars
            assert stars & {"e-9249", "e-19249"}, stars
    finally:
        stop.set()
        flipper.join(5)
    requests_seen = len(program_server.requests)
    record("refresh SIGKILL rounds", f"{killed} killed, {requests_seen} requests, 0 lost")
    assert killed == ROUNDS
    assert requests_seen > ROUNDS  # the children did refresh before they were killed
