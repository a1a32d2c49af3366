"""File > Open Busy Times… / Clear Busy Times: the user's own calendar as a grey lane.

The file is remembered in ``window.ini`` (:data:`planner.core.settings.BUSY_FILE`), read off
the GUI thread, and read again when it changes. Editors and sync tools replace a file by
writing a new one and renaming it over the old, which ends a watch on the file itself: so the
folder is watched too, the file re-added after each change, and changes debounced (a sync
writes several times in a row). A file that cannot be read leaves the busy times shown before.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from planner.core import settings as declared
from planner.core.busy import BusyTimes, program_window
from planner.ui.worker import run_in_background

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

DEBOUNCE_MS = 300


Window = tuple[dt.datetime, dt.datetime] | None


def _read(path: Path, zone: str, window: Window) -> BusyTimes:
    """Runs in the worker thread (the importer and its heavy imports load there)."""
    from planner.importers.busy_ics import read_busy_times

    return read_busy_times(path, zone, window)


def _signature(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of the file from the next (a replace gives a new inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class BusyTimesHook(QObject):
    """Owns the busy-times actions, the file watch and the background reads.

    Signals:
        loaded(str): busy times were read (the summary line).
        readFailed(str): the file could not be read (the one-line reason).
    """

    loaded = Signal(str)
    readFailed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.path: Path | None = None
        self.last: BusyTimes | None = None
        self._generation = 0  # a read started before a newer one is dropped
        self._read_version: tuple[int, int, int] | None = None  # of the last read started
        self._tell_failure = False  # a dialog for the user's own choice, a status line after
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_disk_change)
        self.watcher.directoryChanged.connect(self._on_disk_change)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.reload)
        self.open_action = QAction("Open &Busy Times…", window)
        self.open_action.setToolTip("Show your own calendar (.ics) as busy times; starred "
                                    "sessions that clash with it count as conflicts. Its titles "
                                    "stay in this window and are never exported.")
        self.open_action.triggered.connect(self.choose_file)
        self.clear_action = QAction("C&lear Busy Times", window)
        self.clear_action.triggered.connect(self.clear)
        self.clear_action.setEnabled(False)
        self._add_to_file_menu()
        self.controller.programChanged.connect(self._on_context_changed)
        self.controller.timesChanged.connect(self._on_context_changed)
        remembered = window.view_settings.get(declared.BUSY_FILE)
        if remembered:
            self.open(Path(remembered), remember=False, tell_failure=False)

    def _add_to_file_menu(self) -> None:
        """After the program entries, before Export (the window's File menu is built first)."""
        export = self.window.export_action
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and export in menu.actions():
                menu.insertAction(export, self.open_action)
                menu.insertAction(export, self.clear_action)
                menu.insertSeparator(export)
                return

    # -- the user's actions ----------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Open busy times (your calendar)",
                                                start, "Calendars (*.ics);;All files (*)")
        if chosen:
            self.open(Path(chosen))

    def open(self, path: Path, remember: bool = True, tell_failure: bool = True) -> None:
        """Show ``path`` as busy times (read in the background) and watch it."""
        self.path = path.absolute()
        if remember:
            self.window.view_settings.put(declared.BUSY_FILE, str(self.path))
        self.clear_action.setEnabled(True)
        self._watch()
        self._tell_failure = tell_failure
        self.reload()

    def clear(self) -> None:
        self._generation += 1
        self.path = None
        self.last = None
        self.debounce.stop()
        self._unwatch()
        self.window.view_settings.put(declared.BUSY_FILE, "")
        self.clear_action.setEnabled(False)
        self.controller.set_busy_times(())
        self.window.statusBar().showMessage("Busy times cleared", 5000)

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        if self.path is None:
            return
        self._generation += 1
        generation = self._generation
        path, zone = self.path, self.controller.display_zone_name
        self._read_version = _signature(path)
        window = program_window(self.controller.program)
        run_in_background(lambda: _read(path, zone, window),
                          lambda result: self._done(generation, result),
                          lambda message, _details: self._failed(generation, message),
                          context=self)

    def _done(self, generation: int, result: BusyTimes) -> None:
        if generation != self._generation:
            return
        self.last = result
        self._tell_failure = False
        self._watch()  # an atomic replace ended the watch on the old file
        self.controller.set_busy_times(result.times)
        summary = result.summary()
        self.window.statusBar().showMessage(summary, 8000)
        self.loaded.emit(summary)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._watch()
        kept = " (the busy times shown before are kept)" if self.last else ""
        if self._tell_failure:
            self._tell_failure = False
            self.window.show_error("The busy times could not be read", message + kept)
        else:
            self.window.statusBar().showMessage(f"Busy times not read again: {message}{kept}",
                                                15_000)
        self.readFailed.emit(message)

    # -- watching --------------------------------------------------------------------------
    def _watch(self) -> None:
        if self.path is None:
            return
        wanted = [str(self.path.parent)]
        if self.path.exists():
            wanted.append(str(self.path))
        missing = [p for p in wanted if p not in self.watcher.files() + self.watcher.directories()]
        if missing:
            self.watcher.addPaths(missing)

    def _unwatch(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)

    def _on_disk_change(self, changed: str) -> None:
        if self.path is None:
            return
        version = _signature(self.path)
        if version is None or version == self._read_version:
            return  # another file of the folder, or ours mid-replace: wait for it to come back
        self.debounce.start()

    def _on_context_changed(self) -> None:
        """A new program (another window of dates) or display zone (floating times)."""
        if self.path is not None:
            self.reload()
