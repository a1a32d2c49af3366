"""The window's dialogs: program time zone, export, errors, About, what an update changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
)

from planner import __version__
from planner.core import settings as declared
from planner.core.update import UpdatePlan, describe
from planner.ui.export_dialog import ExportDialog
from planner.ui.zone_picker import ZonePicker

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def change_source_zone(window: MainWindow) -> None:
    program = window.controller.program
    if program is None:
        return
    dialog = QDialog(window)
    dialog.setWindowTitle("Program time zone")
    text = QLabel(
        f"The times in “{program.name}” were written in <b>{program.source_zone}</b>"
        + (" — a guess." if program.zone_guessed else ".")
        + (f"<br><br>{program.zone_evidence}" if program.zone_evidence else "")
        + "<br><br>If that is wrong, choose the zone the program's page or file used. "
          "Every time moves; your stars stay.")
    text.setWordWrap(True)
    text.setTextFormat(Qt.TextFormat.RichText)
    picker = ZonePicker(dialog, special=False)
    span = program.span()
    picker.populate(window.controller.local_zone_name, None, span[0] if span else None,
                    program.source_zone)
    label = QLabel("&Zone:")
    label.setBuddy(picker)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    row = QHBoxLayout()
    row.addWidget(label)
    row.addWidget(picker, 1)
    layout.addLayout(row)
    layout.addWidget(buttons)
    dialog.resize(520, dialog.sizeHint().height())
    window.source_zone_dialog = dialog
    if dialog.exec() == QDialog.DialogCode.Accepted:
        window.controller.change_source_zone(picker.current_zone())



def export(window: MainWindow) -> ExportDialog | None:
    if window.controller.program is None:
        show_error(window, "Nothing to export", "No program is open.",
                          what_to_do="Open a program with File → Open first.")
        return None
    folder = window.view_settings.get(declared.EXPORT_FOLDER)
    shown = window.shown_session_ids()
    dialog = ExportDialog(window.controller, shown, folder, window)
    dialog.exported.connect(lambda files: on_exported(window, files))
    window.export_dialog = dialog
    dialog.open()
    return dialog


def on_exported(window: MainWindow, files: list[str]) -> None:
    if files:
        window.view_settings.put(declared.EXPORT_FOLDER, str(Path(files[0]).parent))
        where = files[0] if len(files) == 1 else f"{len(files)} files in " \
            f"{Path(files[0]).parent}"
        window.statusBar().showMessage(f"Exported to {where}", 8000)
    warnings = getattr(window.export_dialog, "warnings", [])
    if warnings:
        box = QMessageBox(QMessageBox.Icon.Information, "Exported, with notes",
                          "The calendar was written. Some things could not go into it:",
                          QMessageBox.StandardButton.Ok, window)
        box.setInformativeText("\n\n".join(warnings))
        box.setObjectName("exportNotes")
        box.open()

# -- messages --------------------------------------------------------------------------

def show_error(window: MainWindow, title: str, message: str, details: str = "",
               what_to_do: str = "") -> None:
    """An error in a dialog that says what happened and what to do next."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, title, QMessageBox.StandardButton.Ok,
                      window)
    box.setObjectName("errorBox")
    box.setInformativeText(message + (f"\n\n{what_to_do}" if what_to_do else ""))
    if details:
        box.setDetailedText(details)
    window.error_box = box
    box.open()


def show_about(window: MainWindow) -> None:
    data = window.controller.data_folder
    QMessageBox.about(
        window, "About planner",
        f"<h3>planner {__version__}</h3>"
        "<p>See a conference program in your time zone, star sessions and papers, find "
        "the clashes, and export your agenda to any calendar.</p>"
        f"<p>Your stars and settings are kept in <tt>{data}</tt>.</p>"
        "<p>MIT licence. Programs belong to their conferences.</p>")


def report_update(window: MainWindow, plan: UpdatePlan) -> None:
    """What changed among the starred items, in a dialog that does not block."""
    zone = window.controller.display_zone
    lines = [f"{change.title}: {describe(change, zone)}" for change in plan.changes
             if change.starred]
    missing = len(plan.missing)
    summary = (f"{len(plan.kept)} of your starred items are in the new version"
               + (f"; {missing} are missing from it (their stars are kept)." if missing
                  else "."))
    box = QMessageBox(QMessageBox.Icon.Information, "The program has changed",
                      "The program has changed since you last opened it.",
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("updateReport")
    box.setInformativeText(summary + ("\n\n" + "\n".join(lines[:12]) if lines else ""))
    if len(lines) > 12:
        box.setDetailedText("\n".join(lines))
    window.update_box = box
    box.open()
