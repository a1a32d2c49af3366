"""Keep the calendar and kept exports current from the window, off the GUI thread.

After a star change or a program (re)load, and when the user turned automatic sync on (or kept
an export with ``--keep``), a single-shot timer waits for the changes to settle (debounce), then
one worker task rewrites the kept exports and syncs the CalDAV calendar with a snapshot of the
stars. The window never waits on the network; a change during a sync schedules one more.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.stars import Stars
from planner.ui.controller import Controller
from planner.ui.worker import run_in_background

DEBOUNCE_MS = 3000
AFTER_PAINT_MS = 150  # a new program is checked for automatic sync after the window painted


@dataclasses.dataclass(frozen=True)
class SyncJob:
    """Plain data for one background run (no Qt, no store access in the worker but the
    sync state's own file)."""

    program: Any
    stars: Stars
    display_zone: str
    kept: list[Any]
    settings: Any | None  # planner.sync.settings.SyncSettings
    password: str | None  # typed in the dialog this session; else env/keyring in the worker
    data_folder: str


def run_job(job: SyncJob) -> str:
    """The work of one automatic sync (in the worker thread); returns a status-bar line."""
    from planner.core.errors import PlannerError
    from planner.export.keep import write_kept

    problems = []
    for kept in job.kept:
        try:
            write_kept(job.program, job.stars, kept)
        except PlannerError as error:
            problems.append(f"{kept.path}: {error}")
    message = f"Kept {len(job.kept)} export(s) current" if job.kept else ""
    if job.settings is not None:
        from planner.export.ics import ExportOptions
        from planner.sync.caldav_sync import server_of, sync_agenda
        from planner.sync.credentials import find_password
        from planner.sync.state import SyncState

        settings = job.settings
        password = job.password if job.password is not None else find_password(
            server_of(settings.url), settings.user)
        options = ExportOptions(zone=settings.zone or job.display_zone,
                                alarm_minutes=settings.alarm_minutes,
                                paper_events=settings.paper_events)
        with SyncState(job.data_folder) as state:
            report = sync_agenda(job.program, job.stars, options, settings.target(), password,
                                 state)
        message = f"Calendar synced: {report.summary()}"
    if problems:
        raise PlannerError("; ".join(problems))
    return message


class AutoSync(QObject):
    """Debounced automatic sync; ``synced(str)`` / ``failed(str)`` report on the GUI thread."""

    synced = Signal(str)
    failed = Signal(str)

    def __init__(self, controller: Controller, parent: QObject | None = None,
                 delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = controller.user_store()
        self.session_password: str | None = None  # typed in the dialog, kept in memory only
        self.running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.run_now)
        controller.starsChanged.connect(lambda _ids: self.schedule())
        # Another program: checked once the window has painted (the check imports the kept
        # exports' and sync settings' modules, which a first paint does not need).
        controller.programChanged.connect(
            lambda: QTimer.singleShot(AFTER_PAINT_MS, self, self._schedule_if_open))

    def wanted(self) -> bool:
        from planner.export.keep import kept_exports
        from planner.sync.settings import auto_sync_enabled, load_sync_settings

        program = self.controller.program
        if program is None:
            return False
        if auto_sync_enabled(self.store) and load_sync_settings(self.store) is not None:
            return True
        return any(k.program_key == program.key for k in kept_exports(self.store))

    def _schedule_if_open(self) -> None:
        if not self.store.closed:  # the window may be closing by then
            self.schedule()

    def schedule(self) -> None:
        """A change happened: sync once things have been quiet for the debounce delay."""
        if self.wanted():
            self.timer.start()

    def job(self) -> SyncJob | None:
        from planner.export.keep import kept_exports
        from planner.sync.settings import auto_sync_enabled, load_sync_settings

        program = self.controller.program
        if program is None:
            return None
        settings = load_sync_settings(self.store) if auto_sync_enabled(self.store) else None
        kept = [k for k in kept_exports(self.store) if k.program_key == program.key]
        return SyncJob(program, self.controller.stars.snapshot(),
                       self.controller.display_zone_name, kept, settings, self.session_password,
                       str(self.store.folder))

    def run_now(self) -> None:
        if self.running:
            self._again = True
            return
        job = self.job()
        if job is None:
            return
        self.running = True
        run_in_background(lambda: run_job(job), self._done, self._failed, context=self)

    def _done(self, message: object) -> None:
        self.running = False
        self.synced.emit(str(message))
        self._maybe_again()

    def _failed(self, message: str, details: str) -> None:
        self.running = False
        self.failed.emit(message)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.timer.start()
