"""The export dialog: choices in, :func:`planner.export.ics.export_ics` does the work.

The dialog writes no iCalendar itself. It gathers scope, zone, reminder and split, runs the
exporter off the GUI thread and says what happened, or what to do when it could not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.ids import slug
from planner.core.text import plural
from planner.ui.accessible_names import name_popup
from planner.ui.controller import Controller
from planner.ui.worker import run_in_background

ALARMS = ((None, "No reminder"), (5, "5 minutes before"), (10, "10 minutes before"),
          (15, "15 minutes before"), (30, "30 minutes before"), (60, "1 hour before"))


class ExportDialog(QDialog):
    """Choose what to export and where. Emits ``exported(list[str])`` with the files written."""

    exported = Signal(list)

    def __init__(self, controller: Controller, shown_ids: list[str] | None = None,
                 folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.shown_ids = shown_ids or []
        self.written: list[Path] = []
        self.error = ""
        self.warnings: list[str] = []
        self.setWindowTitle("Export to calendar")
        self.setAccessibleName("Export to calendar")
        program = controller.program
        name = program.name if program else "program"
        sessions, papers = controller.counts()

        self.nothing_starred = sessions + papers == 0
        agenda = ("nothing starred yet" if self.nothing_starred else
                  f"{plural(sessions, 'starred session')}, {plural(papers, 'starred paper')}")
        self.scope_agenda = QRadioButton(f"&My agenda ({agenda})")
        self.scope_shown = QRadioButton(
            f"&What the list shows now ({plural(len(self.shown_ids), 'session')})")
        total = len(program.sessions) if program else 0
        self.scope_all = QRadioButton(f"&Everything in the program ({plural(total, 'session')})")
        self.scope = QButtonGroup(self)
        for button in (self.scope_agenda, self.scope_shown, self.scope_all):
            self.scope.addButton(button)
        self.scope_agenda.setChecked(True)
        self.scope_shown.setEnabled(bool(self.shown_ids))

        self.zone = QComboBox()
        self.zone.setAccessibleName("Time zone of the events")
        display = controller.display_zone_name
        self.zone.addItem(f"My display zone ({display})", display)
        if program is not None and program.source_zone != display:
            self.zone.addItem(f"The program's zone ({program.source_zone})", program.source_zone)
        if display != "UTC":
            self.zone.addItem("UTC", "UTC")

        self.alarm = QComboBox()
        self.alarm.setAccessibleName("Reminder")
        for minutes, label in ALARMS:
            self.alarm.addItem(label, minutes)
        self.alarm.setCurrentIndex(2)
        name_popup(self.zone, "Time zones for the events")
        name_popup(self.alarm, "Reminders")

        self.paper_events = QCheckBox("One event per starred &paper (instead of per session)")
        self.split = QCheckBox("Write one file per event, into a &folder")
        self.split.setToolTip("For calendars that import one event at a time")

        self.path = QLineEdit()
        self.path.setAccessibleName("File to write")
        default_folder = folder or os.path.expanduser("~")
        self.path.setText(str(Path(default_folder) / f"{slug(name)}-agenda.ics"))
        self.browse = QPushButton("&Choose…")
        self.browse.setAutoDefault(False)  # Enter in the path field exports, not browses
        self.browse.setAccessibleName("Choose the file")
        self.browse.clicked.connect(self._choose_path)
        self.split.toggled.connect(self._on_split)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        scope_box = QVBoxLayout()
        for button in (self.scope_agenda, self.scope_shown, self.scope_all):
            scope_box.addWidget(button)
        scope_label = QLabel("Export:")
        form.addRow(scope_label, scope_box)
        zone_label = QLabel("&Times in:")
        zone_label.setBuddy(self.zone)
        form.addRow(zone_label, self.zone)
        alarm_label = QLabel("&Reminder:")
        alarm_label.setBuddy(self.alarm)
        form.addRow(alarm_label, self.alarm)
        form.addRow("", self.paper_events)
        form.addRow("", self.split)
        file_label = QLabel("&Save to:")
        file_label.setBuddy(self.path)
        form.addRow(file_label, path_row)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Export result")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("E&xport",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Why Export is not available")
        self.scope.buttonToggled.connect(lambda *_: self._update_export_button())
        self.path.textChanged.connect(lambda _t: self._update_export_button())
        if self.nothing_starred:  # start on something that can be exported
            (self.scope_shown if self.shown_ids else self.scope_all).setChecked(True)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._update_export_button()
        self.resize(560, self.sizeHint().height())
        # Now that the buttons are in the dialog (setDefault before that does not stick, and
        # Cancel became the default): Enter exports, from the path field too.
        for box_button in self.buttons.buttons():
            if isinstance(box_button, QPushButton):
                box_button.setAutoDefault(False)
        self.export_button.setDefault(True)

    def _update_export_button(self) -> None:
        """Export only what can be exported, and say why not in the window's words."""
        why = ""
        if self.scope_agenda.isChecked() and self.nothing_starred:
            why = ("Nothing is starred yet: click a ☆ in the timeline or the list (or press "
                   "Space) to add to your agenda, or export what the list shows or everything.")
        elif not self.path.text().strip():
            why = "Choose where to save the calendar file."
        self.hint.setText(why)
        self.hint.setVisible(bool(why))
        self.export_button.setEnabled(not why)

    def _on_split(self, split: bool) -> None:
        text = self.path.text()
        if split and text.endswith(".ics"):
            self.path.setText(text[:-4])
        elif not split and text and not text.endswith(".ics"):
            self.path.setText(text + ".ics")

    def _choose_path(self) -> None:
        if self.split.isChecked():
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the event files",
                                                      self.path.text())
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to calendar", self.path.text(),
                                                    "iCalendar files (*.ics)")
        if chosen:
            self.path.setText(chosen)

    def options(self) -> Any:
        from planner.export.ics import ExportOptions, Scope

        ids: tuple[str, ...] = ()
        if self.scope_all.isChecked():
            scope = Scope.ALL
        elif self.scope_shown.isChecked():
            scope, ids = Scope.IDS, tuple(self.shown_ids)
        else:
            scope = Scope.STARRED
        return ExportOptions(scope=scope, ids=ids, zone=str(self.zone.currentData()),
                             alarm_minutes=self.alarm.currentData(),
                             paper_events=self.paper_events.isChecked(),
                             split=self.split.isChecked())

    def start_export(self) -> None:
        """Run the exporter in a worker; the dialog stays responsive and reports back."""
        program = self.controller.program
        if program is None:
            return
        target = self.path.text().strip()
        if not target:
            self._show_error("Choose where to save the calendar file first.")
            return
        options = self.options()
        stars = self.controller.stars.snapshot()  # a snapshot for the worker
        split = self.split.isChecked()

        def work() -> tuple[list[Path], list[str]]:
            from planner.export.ics import export_ics, write_export

            result = export_ics(program, stars, options)
            return write_export(result, target, split=split), list(result.warnings)

        if not self.export_button.isEnabled():
            return  # Enter while Export is not available
        self.export_button.setEnabled(False)
        self.message.setText("Exporting…")
        run_in_background(work, self._done, self._failed, self)

    def _done(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        files, warnings = outcome
        self.written = files
        self.warnings = warnings  # e.g. unscheduled sessions left out; the window shows them
        self._update_export_button()
        self.message.setText(f"Wrote {plural(len(files), 'file')}.")
        self.exported.emit([str(f) for f in files])
        self.accept()

    def _failed(self, message: str, details: str) -> None:
        self._update_export_button()
        self._show_error(message, details)

    def _show_error(self, message: str, details: str = "") -> None:
        self.error = message
        self.message.setText(f"⚠ {message}")
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed",
                          "The calendar could not be exported.", QMessageBox.StandardButton.Ok,
                          self)
        box.setInformativeText(f"{message}\n\nPick a folder you can write to (Choose…), "
                               f"then try again.")
        if details:
            box.setDetailedText(details)
        box.setObjectName("exportError")
        box.open()
