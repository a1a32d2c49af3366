"""Work off the GUI thread: parse a program, build a search index.

A task runs a plain function in ``QThreadPool`` and hands back plain data through a queued
signal; it never touches a widget. Errors a user can act on (:class:`PlannerError`) come back as
their message; anything else as a short line plus the traceback for a bug report.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from planner.core.errors import PlannerError
from planner.core.timezones import UnknownZoneError


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(str, str)  # message, details


class Task(QRunnable):
    """One function call in the thread pool."""

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self.function = function
        self.signals = _Signals()
        self.setAutoDelete(False)  # kept alive by run_in_background's registry

    def run(self) -> None:
        try:
            result = self.function()
        except (PlannerError, UnknownZoneError, OSError) as error:
            self.signals.failed.emit(str(error), "")
        except Exception as error:  # shown to the user instead of a crash
            self.signals.failed.emit(f"unexpected error: {error}", traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class _Relay(QObject):
    """Lives on the GUI thread, so the task's queued signals call back there."""

    def __init__(self, task: Task, done: Callable[[Any], None],
                 failed: Callable[[str, str], None]) -> None:
        super().__init__()
        self.task = task
        self.done = done
        self.failed = failed

    @Slot(object)
    def on_finished(self, result: object) -> None:
        _running.pop(self.task, None)
        done = self.done
        self._let_go()
        done(result)

    @Slot(str, str)
    def on_failed(self, message: str, details: str) -> None:
        _running.pop(self.task, None)
        failed = self.failed
        self._let_go()
        failed(message, details)

    def _let_go(self) -> None:
        """Drop the task's function and callbacks: the relay lives as long as its context (a
        window), and they may hold a program or a search index that is no longer shown."""
        self.task.function = _nothing
        self.done = _ignore
        self.failed = _ignore


def _nothing() -> None:
    return None


def _ignore(*args: object) -> None:
    return None


_running: dict[Task, _Relay] = {}


def run_in_background(function: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[str, str], None], context: QObject | None = None,
                      pool: QThreadPool | None = None) -> Task:
    """Run ``function`` in a worker thread; ``done``/``failed`` are called on the GUI thread.

    With ``context`` (a window), nothing is called back once it has been destroyed.
    """
    task = Task(function)
    relay = _Relay(task, done, failed)
    if context is not None:
        relay.setParent(context)  # destroyed with it, which disconnects the callbacks
        relay.destroyed.connect(lambda *_: _running.pop(task, None))
    _running[task] = relay
    task.signals.finished.connect(relay.on_finished)
    task.signals.failed.connect(relay.on_failed)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def wait_for_tasks(timeout_ms: int = 30_000) -> bool:
    """Block until the pool is idle (tests, the screenshot mode, shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def load_program_file(path: Path | None) -> Any:
    """Parse a program file (the bundled one for None). Runs in the worker thread, so the
    importers (and their heavy imports) load there too."""
    from planner.workspace import open_program

    if path is None:
        from planner.program_cache import bundled_program

        return bundled_program(open_program)
    return open_program(path)
