"""The window's two ties to syncing, kept out of main_window: the menu action's dialog and the
automatic (debounced, background) sync after star changes and program loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from planner.ui.auto_sync import AutoSync

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow
    from planner.ui.sync_dialog import SyncDialog


class SyncHook(QObject):
    """Owns the window's AutoSync and opens the Sync dialog; reports in the status bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.auto_sync = AutoSync(window.controller, self)
        self.auto_sync.synced.connect(self._show)
        self.auto_sync.failed.connect(lambda text: self._show(f"Sync failed: {text}"))
        self.dialog: SyncDialog | None = None

    def _show(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text, 10_000)

    def open_dialog(self) -> SyncDialog | None:
        from planner.ui.sync_dialog import SyncDialog

        if self.window.controller.program is None:
            self.window.show_error("Nothing to sync", "No program is open.",
                                   what_to_do="Open a program with File → Open first.")
            return None
        dialog = SyncDialog(self.window.controller, self.auto_sync, self.window)
        dialog.synced.connect(lambda summary: self._show(f"Calendar synced: {summary}"))
        self.dialog = dialog
        dialog.open()
        return dialog
