"""The collector pause used by bulk builds: off inside, back as it was after, nested or not."""

from __future__ import annotations

import gc
import threading

from planner.core.gc_pause import collector_paused


def test_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not switch it back on early
    assert gc.isenabled()


def test_collector_stays_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_exception_still_restores_the_collector() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_threads_overlapping_leave_it_on_once_all_are_done() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()

    def build() -> None:
        with collector_paused():
            inside.wait()
            leave.wait()

    workers = [threading.Thread(target=build) for _ in range(2)]
    for worker in workers:
        worker.start()
    inside.wait()
    assert not gc.isenabled()
    leave.set()
    for worker in workers:
        worker.join()
    assert gc.isenabled()


def test_cycles_made_while_paused_are_collected_afterwards() -> None:
    import weakref

    class Node:
        other: Node | None = None

    with collector_paused():
        first, second = Node(), Node()
        first.other, second.other = second, first
        probe = weakref.ref(first)
        del first, second
        assert probe() is not None  # a cycle waits while paused
    gc.collect()
    assert probe() is None
