"""Opening programs in the window: file choosers, parsing off the GUI thread with a progress
line for slow files, the failure dialog, and building the search index in the background."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from planner.core.model import Program
from planner.core.search_index import TextScan, WordIndex
from planner.ui.worker import load_program_file, run_in_background

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

PROGRAM_FILES = "Conference programs (*.xml *.json *.ics *.txt);;All files (*)"
BACKGROUND_START_MS = 250
# The search's first index (a text scan) starts sooner: it is cheap, and search should work
# a moment after the window shows.
INDEX_START_MS = 50


class ProgramLoader(QObject):
    """Owns what one load needs to know: whether it is running, whether the file is a newer
    version of the open program, and where the open program came from."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.is_loading = False
        self.update_next = False  # the next program shown is a newer copy: stars move with it
        self.path: Path | None = None  # the open program's file (None: bundled or a URL)

    def _start_folder(self) -> str:
        return str(self.path.parent) if self.path else str(Path.home())

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Open a conference program", self._start_folder(), PROGRAM_FILES)
        if chosen:
            self.open_path(chosen)

    def choose_update(self) -> None:
        program = self.window.controller.program
        if program is None:
            self.choose_file()
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, f"Newer version of {program.name}", self._start_folder(),
            PROGRAM_FILES)
        if chosen:
            self.open_path(chosen, update=True)

    def open_path(self, path: Path | str | None, update: bool = False) -> None:
        """Parse a program off the GUI thread (the bundled one for None) and show it.

        With ``update`` the file is a newer copy of the open program: stars move with it.
        """
        self.update_next = update
        target = Path(path) if path is not None else None
        self.is_loading = True
        shown = target.name if target else "the bundled program"
        self.window.progress_label.setText(f"Opening {shown}…")
        self.window.progress_timer.start()
        run_in_background(lambda: load_program_file(target),
                          lambda program: self._on_loaded(program, target),
                          lambda message, details: self._on_failed(message, details, target),
                          self)

    def take_update(self) -> bool:
        """Whether the program being shown is a newer copy (asked once per program shown)."""
        update, self.update_next = self.update_next, False
        return update

    def show_progress(self) -> None:
        """Only loads that take a moment show the progress line (see the status bar's timer)."""
        if self.is_loading:
            self.window.progress_label.show()
            self.window.progress.show()

    def _end_progress(self) -> None:
        self.is_loading = False
        self.window.progress_timer.stop()
        self.window.progress.hide()
        self.window.progress_label.hide()

    def _on_loaded(self, program: object, path: Path | None) -> None:
        self._end_progress()
        assert isinstance(program, Program)
        self.window.show_program(program, path)

    def _on_failed(self, message: str, details: str, path: Path | None) -> None:
        self._end_progress()
        shown = str(path) if path else "the bundled program"
        self.window.show_error(
            f"Could not open {shown}", message, details,
            "Check that the file is a conference program: frab/Pentabarf XML, frab JSON, an "
            "iCalendar (.ics) file or a copied virtual-conference page. Then open it again "
            "with File → Open.")
        self.window.loadFailed.emit(message)

    def index_later(self, program: Program) -> None:
        """Build the search indexes after the window has painted (the worker's Python would
        share the GIL with the first paint): a text scan first, which search can use a moment
        later, then the word index that makes each keystroke cheap. A search typed before the
        scan is ready runs when it is."""
        QTimer.singleShot(INDEX_START_MS, self, lambda: self._build_scan(program))

    def _current(self, program: Program) -> bool:
        return self.window.controller.program is program

    def _build_scan(self, program: Program) -> None:
        if not self._current(program) or self.window.proxy.search_index is not None:
            return

        def done(scan: object) -> None:
            if self._current(program) and isinstance(scan, TextScan):
                self.window.proxy.set_search_index(scan)
                run_in_background(lambda: WordIndex.build(scan), words_done, failed, self)

        def words_done(index: object) -> None:
            if self._current(program) and isinstance(index, WordIndex):
                self.window.proxy.set_search_index(index)

        def failed(message: str, details: str) -> None:
            self.window.show_error("Search is unavailable", message, details)

        run_in_background(lambda: TextScan.build(program), done, failed, self)
