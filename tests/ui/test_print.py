"""File → Print… and File → Export PDF…: the dialogs answered, the PDF read back (pdftotext)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.core import timezones as tz
from planner.core.busy import BusyTime
from planner.core.model import SessionKind
from planner.ui import print_actions
from planner.ui.print_actions import WHOLE_CONFERENCE, ScopeDialog
from planner.ui.worker import wait_for_tasks
from tests.export.test_agenda_print import STARS, berlin_program
from tests.factories import program, session
from tests.pdf import pdf_pages, pdf_text

BERLIN = tz.get_zone("Europe/Berlin")
PRIVATE = "Dentist appointment with Dr Secret"


class Answers:
    """What the user picks in the scope dialog and the file chooser; what they were offered."""

    def __init__(self, scope: object, path: str = "") -> None:
        self.scope = scope
        self.path = path
        self.offered_day: dt.date | None = None
        self.suggested = ""

    def ask_scope(self, window: object, day: dt.date | None, title: str) -> object:
        self.offered_day = day
        return day if self.scope == "day" else self.scope

    def ask_pdf_path(self, window: object, suggested: str) -> str:
        self.suggested = suggested
        return self.path


def starred_window(make_window, zone: str = "Asia/Tokyo"):
    window = make_window(berlin_program(), zone=zone)
    window.controller.set_starred(sorted(STARS.ids), True)
    return window


def finish(window) -> None:
    """Let the worker render and its result reach the window."""
    assert wait_for_tasks()
    QApplication.processEvents()
    assert window.export_pdf_action.isEnabled() and window.print_action.isEnabled()


def answer(monkeypatch: pytest.MonkeyPatch, answers: Answers) -> None:
    monkeypatch.setattr(print_actions, "ask_scope", answers.ask_scope)
    monkeypatch.setattr(print_actions, "ask_pdf_path", answers.ask_pdf_path)


def test_file_menu_has_print_and_export_pdf(make_window) -> None:
    window = make_window()
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert "&Print…" in texts and "Export &PDF…" in texts
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def test_export_pdf_of_the_day_in_view(make_window, monkeypatch, tmp_path: Path) -> None:
    window = starred_window(make_window)
    window.timeline.view.step_day(1)  # Saturday in Tokyo: "Late" (after midnight) and Day Two
    in_view = window.timeline.view.day
    assert in_view == dt.date(2024, 12, 28)
    target = tmp_path / "saturday"  # no suffix: ".pdf" is added
    answers = Answers("day", str(target))
    answer(monkeypatch, answers)
    window.export_pdf_action.trigger()
    assert not window.export_pdf_action.isEnabled()  # rendering in a worker
    assert "Writing saturday.pdf…" in window.statusBar().currentMessage()
    finish(window)
    assert answers.offered_day == in_view
    assert answers.suggested.endswith("agenda-saturday-28-dec-2024.pdf")
    written = tmp_path / "saturday.pdf"
    text = pdf_text(written)
    assert "Saturday 28 Dec 2024 · 2 sessions\nTimes in Asia/Tokyo · program clock Europe/Berlin" \
        in text
    assert "00:30–01:30 JST Fri 27 Dec ★ Late Saal 1" in text and "★ Day Two" in text
    assert "Opening" not in text and "Friday 27 Dec 2024" not in text
    assert f"to {written}" in window.statusBar().currentMessage()


def test_export_pdf_of_the_whole_conference_with_busy_times(make_window, monkeypatch,
                                                            tmp_path: Path) -> None:
    window = starred_window(make_window)
    start = tz.localize(dt.datetime(2024, 12, 27, 13, 30), BERLIN)
    window.controller.set_busy_times([BusyTime(start, start + dt.timedelta(hours=1), PRIVATE)])
    target = tmp_path / "whole.pdf"
    answer(monkeypatch, Answers(WHOLE_CONFERENCE, str(target)))
    window.export_pdf_action.trigger()
    finish(window)
    text = pdf_text(target)
    assert "Friday 27 Dec 2024" in text and "Saturday 28 Dec 2024" in text
    # Talk C (13:00–14:00 Berlin) clashes with the busy hour: marked, its title never printed.
    flowing = pdf_text(target, layout=False)
    assert "★ Talk C Talk ⚠ clashes with your calendar (21:30–22:30 JST)" in flowing
    assert "Dentist" not in flowing and "Secret" not in flowing


def test_print_goes_through_the_print_dialog(make_window, monkeypatch, tmp_path: Path) -> None:
    window = starred_window(make_window, zone="Europe/Berlin")
    target = tmp_path / "printed.pdf"
    chosen: list[QPrinter] = []

    def print_dialog(parent: object, printer: QPrinter) -> bool:
        # What picking "Print to File (PDF)" in the dialog does to the printer.
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        chosen.append(printer)
        return True

    answer(monkeypatch, Answers(WHOLE_CONFERENCE))
    monkeypatch.setattr(print_actions, "run_print_dialog", print_dialog)
    window.print_action.trigger()
    finish(window)
    assert chosen and chosen[0].docName() == "Test Conference — My agenda"
    pages = pdf_pages(target)
    assert len(pages) == 1 and "page 1 of 1" in pages[0]
    text = pdf_text(target)
    # Berlin on Berlin's clock: one time column.
    assert "Times in Europe/Berlin" in text and "(program)" not in text
    assert "10:00–11:00 CET ★ Opening Saal 1" in text
    assert "Printed 6 sessions" in window.statusBar().currentMessage()


def test_cancelled_dialogs_write_nothing(make_window, monkeypatch, tmp_path: Path) -> None:
    window = starred_window(make_window)
    answer(monkeypatch, Answers(None, str(tmp_path / "never.pdf")))
    window.export_pdf_action.trigger()
    answer(monkeypatch, Answers(WHOLE_CONFERENCE, ""))
    window.export_pdf_action.trigger()
    monkeypatch.setattr(print_actions, "run_print_dialog", lambda parent, printer: False)
    window.print_action.trigger()
    assert list(tmp_path.iterdir()) == []


def test_nothing_starred_says_how_to_star_in_window_words(make_window, monkeypatch,
                                                          tmp_path: Path) -> None:
    window = make_window(berlin_program(), zone="Asia/Tokyo")
    answers = Answers(WHOLE_CONFERENCE, str(tmp_path / "agenda.pdf"))
    answer(monkeypatch, answers)
    window.export_pdf_action.trigger()
    box = window.findChild(QMessageBox, "printMessage")
    assert box is not None and box.isVisible()
    assert "Nothing is starred in Test Conference" in box.text()
    assert "press Space" in box.text() and "planner star" not in box.text()
    assert answers.suggested == "" and list(tmp_path.iterdir()) == []
    box.close()


def test_unwritable_target_is_reported_and_leaves_the_old_file(make_window, monkeypatch,
                                                               tmp_path: Path) -> None:
    window = starred_window(make_window)
    folder = tmp_path / "a folder.pdf"
    folder.mkdir()
    answer(monkeypatch, Answers(WHOLE_CONFERENCE, str(folder)))
    window.export_pdf_action.trigger()
    finish(window)
    box = window.findChild(QMessageBox, "printMessage")
    assert box is not None and "it is a folder" in box.text() and "Nothing was written" in \
        box.text()
    assert list(folder.iterdir()) == []
    box.close()


def test_scope_dialog_offers_the_day_in_view_and_the_whole_conference(qtbot) -> None:
    dialog = ScopeDialog(dt.date(2024, 12, 28), "Export PDF")
    qtbot.addWidget(dialog)
    assert dialog.day_button.text() == "The &day in view (Saturday 28 Dec 2024)"
    assert dialog.day_button.isChecked() and dialog.chosen() == dt.date(2024, 12, 28)
    dialog.whole_button.setChecked(True)
    assert dialog.chosen() == WHOLE_CONFERENCE
    no_day = ScopeDialog(None, "Print My agenda")
    qtbot.addWidget(no_day)
    assert not no_day.day_button.isEnabled() and no_day.chosen() == WHOLE_CONFERENCE


def test_print_honours_the_dialogs_page_range(make_window, monkeypatch, tmp_path: Path) -> None:
    sessions = [session(f"talk-{day}-{hour:02d}", f"2024-12-{27 + day} {hour:02d}:00", 45,
                        zone="Europe/Berlin", kind=SessionKind.TALK, room=f"Room {hour}")
                for day in range(3) for hour in range(8, 22)]
    window = make_window(program(*sessions, zone="Europe/Berlin"), zone="Europe/Berlin")
    window.controller.set_starred([s.id for s in sessions], True)
    target = tmp_path / "page-two.pdf"

    def print_dialog(parent: object, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return True

    answer(monkeypatch, Answers(WHOLE_CONFERENCE))
    monkeypatch.setattr(print_actions, "run_print_dialog", print_dialog)
    window.print_action.trigger()
    finish(window)
    (page,) = pdf_pages(target)
    assert "page 2 of " in page and "page 1 of" not in page
    assert "Talk 0 08" not in page  # the first session is on page 1
    assert "Printed 42 sessions on 1 page" in window.statusBar().currentMessage()


def test_export_pdf_shows_the_notes_and_maybe_set_in_the_window(make_window, monkeypatch,
                                                                 tmp_path: Path) -> None:
    window = starred_window(make_window)
    window.controller.set_note("talk-c", note="ask about <the> slides", priority="maybe")
    window.controller.set_note("p-a", note="read it on the train")
    target = tmp_path / "notes.pdf"
    answer(monkeypatch, Answers(WHOLE_CONFERENCE, str(target)))
    window.export_pdf_action.trigger()
    finish(window)
    flowing = pdf_text(target, layout=False)
    assert "★ Talk C Talk MAYBE · My note: “ask about <the> slides”" in flowing
    assert "★ Analytical Engines Revisited A. Lovelace, C. Babbage My note: “read it on the " \
           "train”" in flowing
    assert flowing.count("My note") == 2 and "MUST" not in flowing
