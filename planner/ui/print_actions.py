"""File → Print… and File → Export PDF…: "My agenda" on paper or as a PDF file.

The window only asks (which days, which printer or file) and says what happened; the content is
:func:`planner.export.agenda_print.build_print_agenda` (as ``planner print``), the pages
:mod:`planner.ui.printing`. The dialogs are module functions (:func:`ask_scope`,
:func:`ask_pdf_path`, :func:`run_print_dialog`) so tests can answer them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.core import settings as declared
from planner.core import timefmt
from planner.core.errors import PlannerError
from planner.core.ids import slug
from planner.export.agenda_print import (
    NothingToPrintError,
    PrintAgenda,
    build_print_agenda,
    program_days,
)
from planner.ui.printing import render_pages, write_pdf
from planner.ui.worker import run_in_background

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

HOW_TO_STAR = ("Star the sessions and papers you want to attend first: click their ☆ or "
               "select one and press Space.")
WHOLE_CONFERENCE = "whole"


class ScopeDialog(QDialog):
    """Print the day in view, or the whole conference."""

    def __init__(self, day: dt.date | None, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Which part of My agenda?"))
        self.group = QButtonGroup(self)
        self.day_button = QRadioButton(
            f"The &day in view ({timefmt.long_day_label(day)})" if day else "The day in view")
        self.day_button.setEnabled(day is not None)
        self.whole_button = QRadioButton("The &whole conference")
        for button in (self.day_button, self.whole_button):
            self.group.addButton(button)
            layout.addWidget(button)
        (self.day_button if day is not None else self.whole_button).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.day = day

    def chosen(self) -> dt.date | str:
        return self.day if self.day_button.isChecked() and self.day else WHOLE_CONFERENCE


def ask_scope(window: MainWindow, day: dt.date | None, title: str) -> dt.date | str | None:
    """The day to print, :data:`WHOLE_CONFERENCE`, or None (cancelled)."""
    dialog = ScopeDialog(day, title, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()


def ask_pdf_path(window: MainWindow, suggested: str) -> str:
    """The PDF file to write ("" when cancelled)."""
    chosen, _ = QFileDialog.getSaveFileName(window, "Export PDF", suggested,
                                            "PDF documents (*.pdf)")
    return chosen


def run_print_dialog(window: MainWindow, printer: QPrinter) -> bool:
    """The system's print dialog on ``printer``; False when cancelled."""
    dialog = QPrintDialog(printer, window)
    dialog.setWindowTitle("Print My agenda")
    return dialog.exec() == QDialog.DialogCode.Accepted


def day_in_view(window: MainWindow) -> dt.date | None:
    """The display-zone day the timeline shows, if it is a day of the program."""
    day = getattr(window.timeline.view, "day", None)
    return day if isinstance(day, dt.date) else None


def _agenda(window: MainWindow, title: str) -> PrintAgenda | None:
    """Ask which days, build their agenda; None (and a message) when there is nothing."""
    controller = window.controller
    program = controller.program
    if program is None:
        return None
    zone = controller.display_zone
    days = program_days(program, zone)
    day = day_in_view(window)
    if day not in days:
        day = None
    if len(days) <= 1:
        scope: dt.date | str | None = WHOLE_CONFERENCE  # one day: nothing to choose
    else:
        scope = ask_scope(window, day, title)
    if scope is None:
        return None
    try:
        return build_print_agenda(program, controller.stars, zone,
                                  scope if isinstance(scope, dt.date) else None,
                                  controller.busy)
    except NothingToPrintError as error:
        text = str(error)
        _tell(window, title, f"{text[:1].upper()}{text[1:]}.\n\n{HOW_TO_STAR}")
    except PlannerError as error:
        _tell(window, title, str(error))
    return None


def _tell(window: MainWindow, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      window)
    box.setTextFormat(Qt.TextFormat.PlainText)  # program names are text, never markup
    box.setObjectName("printMessage")  # a child of the window: tests find it, it stays alive
    box.open()


def print_agenda(window: MainWindow) -> None:
    """File → Print…: the print dialog, then the pages on the chosen printer (laid out and
    painted in a worker: a long agenda takes seconds)."""
    agenda = _agenda(window, "Print My agenda")
    if agenda is None:
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(f"{agenda.program_name} — My agenda")
    if not run_print_dialog(window, printer):
        return

    def done(pages: object) -> None:
        _busy(window, False)
        assert isinstance(pages, int)
        window.statusBar().showMessage(f"Printed {agenda.summary} on {_pages(pages)}", 8000)

    def failed(message: str, details: str) -> None:
        _busy(window, False)
        _tell(window, "Print My agenda", f"Nothing was printed: {message}")

    _busy(window, True, "Printing My agenda…")
    chosen = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        chosen = (printer.fromPage(), printer.toPage() or printer.fromPage())
    # The printer stays alive in the closure until the worker is done with it.
    run_in_background(lambda: render_pages(agenda, printer, chosen), done, failed, window)


def export_pdf(window: MainWindow) -> None:
    """File → Export PDF…: a file chooser, then the PDF rendered in a worker and written whole
    (or not at all)."""
    agenda = _agenda(window, "Export PDF")
    if agenda is None:
        return
    folder = window.view_settings.get(declared.EXPORT_FOLDER) or os.path.expanduser("~")
    name = slug(agenda.program_name) or "program"
    suffix = "" if agenda.scope == "Whole conference" else f"-{slug(agenda.scope)}"
    chosen = ask_pdf_path(window, str(Path(folder) / f"{name}-agenda{suffix}.pdf"))
    if not chosen:
        return
    target = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def done(result: object) -> None:
        _busy(window, False)
        assert isinstance(result, tuple)
        outcome, pages = result
        window.view_settings.put(declared.EXPORT_FOLDER, str(target.parent))
        message = f"Wrote {agenda.summary} on {_pages(pages)} to {target}"
        if outcome.notes:
            _tell(window, "Export PDF", message + "\n\n" + "\n".join(outcome.notes))
        window.statusBar().showMessage(message, 8000)

    def failed(message: str, details: str) -> None:
        _busy(window, False)
        _tell(window, "Export PDF", f"{message}\n\nNothing was written; choose another file "
                                    f"or folder.")

    _busy(window, True, f"Writing {target.name}…")
    run_in_background(lambda: write_pdf(agenda, target), done, failed, window)


def _busy(window: MainWindow, busy: bool, message: str = "") -> None:
    """One print job at a time; the status bar says one is running."""
    window.print_action.setEnabled(not busy)
    window.export_pdf_action.setEnabled(not busy)
    if busy:
        window.statusBar().showMessage(message)
    else:
        window.statusBar().clearMessage()


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"
