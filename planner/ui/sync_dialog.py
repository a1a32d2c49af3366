"""The "Sync to calendar…" dialog: server, user, calendar picker, test, sync, last result.

Every network call (testing the connection, listing calendars, syncing, the keyring) runs in the
worker pool; the dialog only gathers choices and shows what came back. The password is kept in
the system keyring when the user asks (and one exists), otherwise in memory for this session;
never in the settings.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.ui.accessible_names import name_popup
from planner.ui.auto_sync import AutoSync
from planner.ui.controller import Controller
from planner.ui.worker import run_in_background


class _ProgressRelay(QObject):
    """Emitted from the worker thread, delivered on the GUI thread (queued)."""

    progress = Signal(int, int)


class SyncDialog(QDialog):
    """Choose a CalDAV calendar and sync the agenda into it. Emits ``synced(str)``."""

    synced = Signal(str)

    def __init__(self, controller: Controller, auto_sync: AutoSync | None = None,
                 parent: QWidget | None = None) -> None:
        from planner.sync.settings import auto_sync_enabled, load_sync_settings

        super().__init__(parent)
        self.controller = controller
        self.store = controller.user_store()
        self.auto_sync = auto_sync
        self.result_text = ""
        self.error = ""
        self.setWindowTitle("Sync to calendar")
        self.setAccessibleName("Sync to calendar")
        remembered = load_sync_settings(self.store)

        self.url = QLineEdit(remembered.url if remembered else "")
        self.url.setPlaceholderText("https://cloud.example.org/remote.php/dav/")
        self.url.setAccessibleName("Server or calendar address")
        self.user = QLineEdit(remembered.user if remembered else "")
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from the system keyring (or an app password)")
        self.password.setAccessibleName("Password")
        self.remember = QCheckBox("&Keep the password in the system keyring")
        self.calendar = QComboBox()
        self.calendar.setEditable(True)
        self.calendar.setAccessibleName("Calendar")
        name_popup(self.calendar, "Your calendars")
        self.calendar.setToolTip("Pick one of your calendars (Test connection lists them), or "
                                 "type a name: a new calendar of that name is created")
        if remembered is not None:
            shown = remembered.calendar_name or remembered.url
            self.calendar.addItem(shown, remembered.url if not remembered.calendar_name else "")
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.auto = QCheckBox("Sync &automatically after every change")
        self.auto.setChecked(auto_sync_enabled(self.store))
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Sync result")
        self.last = QLabel(self._last_result())
        self.last.setWordWrap(True)
        self.last.setAccessibleName("Last sync")

        form = QFormLayout()
        form.addRow("&Server:", self.url)
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        form.addRow("", self.remember)
        form.addRow("&Calendar:", self.calendar)
        form.addRow("", self.test_button)
        form.addRow("", self.auto)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.sync_button = self.buttons.addButton("S&ync now",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.sync_button.setDefault(True)
        self.buttons.accepted.connect(self.start_sync)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.last)
        layout.addWidget(self.buttons)
        self.relay = _ProgressRelay(self)
        self.relay.progress.connect(self._on_progress)
        self.resize(560, self.sizeHint().height())

    # -- choices -------------------------------------------------------------------------------
    def _last_result(self) -> str:
        from planner.sync.state import SyncState, SyncStateError

        try:
            with SyncState(self.store.folder) as state:
                run = state.latest_run()
        except SyncStateError:
            return ""
        if run is None:
            return "Not synced yet."
        when = run.finished_at.astimezone(self.controller.display_zone).strftime(
            "%a %d %b %H:%M")
        return f"Last sync {when}: {'done' if run.ok else 'failed'}: {run.summary}"

    def settings(self) -> Any:
        """SyncSettings from the fields: a picked calendar's URL, or the server plus a name."""
        from dataclasses import replace

        from planner.sync.settings import SyncSettings, load_sync_settings

        url = self.url.text().strip()
        calendar_url = self.calendar.currentData()
        text = self.calendar.currentText().strip()
        if calendar_url and text == self.calendar.itemText(self.calendar.currentIndex()):
            chosen = SyncSettings(url=str(calendar_url), user=self.user.text().strip())
        else:
            chosen = SyncSettings(url=url, user=self.user.text().strip(), calendar_name=text)
        # The dialog sets the target; the export choices remembered from `planner sync` (zone,
        # alarm, paper events, timeout, CA file) stay, so a sync from here keeps the alarms.
        remembered = load_sync_settings(self.store)
        if remembered is None:
            return chosen
        return replace(remembered, url=chosen.url, user=chosen.user,
                       calendar_name=chosen.calendar_name)

    def _password_or_none(self) -> str | None:
        typed = self.password.text()
        if typed:
            return typed
        return self.auto_sync.session_password if self.auto_sync is not None else None

    # -- work in the background ----------------------------------------------------------------
    def test_connection(self) -> None:
        from planner.sync.caldav_sync import SyncTarget, server_of

        url = self.url.text().strip()
        user = self.user.text().strip()
        typed = self._password_or_none()
        target = SyncTarget(url, user)

        def work() -> list[tuple[str, str]]:
            from planner.sync.caldav_sync import list_calendars
            from planner.sync.credentials import find_password

            password = typed if typed is not None else find_password(server_of(url), user)
            return list_calendars(target, password)

        self._busy("Connecting…")
        run_in_background(work, self._listed, self._failed, self)

    def _listed(self, calendars: object) -> None:
        assert isinstance(calendars, list)
        self._idle()
        typed = self.calendar.currentText()
        self.calendar.clear()
        for name, url in calendars:
            self.calendar.addItem(name, url)
        if typed and self.calendar.findText(typed) >= 0:
            self.calendar.setCurrentIndex(self.calendar.findText(typed))
        self.message.setText(f"Connected: {len(calendars)} calendar(s) for events. Pick one, "
                             f"or type a new name.")

    def start_sync(self) -> None:
        from planner.export.ics import ExportOptions
        from planner.sync.caldav_sync import server_of
        from planner.sync.settings import save_sync_settings, set_auto_sync

        program = self.controller.program
        if program is None:
            return
        settings = self.settings()
        if not settings.url:
            self._show_error("Enter your calendar server's address first.")
            return
        typed = self._password_or_none()
        remember = self.remember.isChecked() and bool(self.password.text())
        stars = self.controller.stars.snapshot()
        options = ExportOptions(zone=settings.zone or self.controller.display_zone_name,
                                alarm_minutes=settings.alarm_minutes,
                                paper_events=settings.paper_events)
        folder = str(self.store.folder)
        relay = self.relay

        def work() -> tuple[str, list[str]]:
            from planner.sync.caldav_sync import sync_agenda
            from planner.sync.credentials import CredentialError, find_password, save_in_keyring
            from planner.sync.state import SyncState

            server = server_of(settings.url)
            password = typed if typed is not None else find_password(server, settings.user)
            with SyncState(folder) as state:
                report = sync_agenda(program, stars, options, settings.target(), password,
                                     state, progress=relay.progress.emit)
            notes = list(report.conflicts)
            if remember and settings.user:
                try:
                    save_in_keyring(server, settings.user, password)
                except CredentialError as error:
                    notes.append(f"{error}; the password is kept until you quit")
            return report.summary(), notes

        save_sync_settings(self.store, settings)
        set_auto_sync(self.store, self.auto.isChecked())
        if self.auto_sync is not None and self.password.text():
            self.auto_sync.session_password = self.password.text()
        self._busy("Syncing…")
        run_in_background(work, self._synced, self._failed, self)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _synced(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        summary, notes = outcome
        self._idle()
        self.result_text = summary
        self.message.setText("Synced: " + summary + ("\n" + "\n".join(notes) if notes else ""))
        self.last.setText(self._last_result())
        self.synced.emit(summary)

    def _failed(self, message: str, details: str) -> None:
        self._idle()
        self._show_error(message)
        self.last.setText(self._last_result())

    def _busy(self, text: str) -> None:
        self.error = ""
        self.message.setText(text)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.sync_button.setEnabled(False)
        self.test_button.setEnabled(False)

    def _idle(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.sync_button.setEnabled(True)
        self.test_button.setEnabled(True)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.message.setText(f"⚠ {message}")
