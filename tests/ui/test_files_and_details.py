"""Opening files (dialog errors, drag and drop, updates), details and links, accessibility."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QAccessible, QDesktopServices, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from planner.core.model import Program
from planner.ui.main_window import MainWindow
from tests.factories import session
from tests.ui.conftest import iclr_like

REPO = Path(__file__).resolve().parents[2]
FOSDEM = REPO.parent / "shared" / "data" / "frab-xml" / "frab-xml_fosdem2025.xml"


def wait_loaded(window: MainWindow, qtbot, path: Path | None) -> None:
    with qtbot.waitSignal(window.programLoaded, timeout=60_000):
        window.open_path(path)


def test_a_file_that_is_not_a_program_gets_a_dialog_saying_what_to_do(make_window, qtbot,
                                                                       tmp_path):
    window = make_window()
    junk = tmp_path / "notes.txt"
    junk.write_text("shopping list: milk, eggs\n", encoding="utf-8")
    with qtbot.waitSignal(window.loadFailed, timeout=30_000):
        window.open_path(junk)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "notes.txt" in box.text()
    assert "not a conference program" in box.informativeText()
    assert "File → Open" in box.informativeText()
    assert window.controller.program.name == "ICLR-like day"  # the open program stays
    box.close()


def test_dropping_a_real_program_opens_it_with_rooms_as_lanes(make_window, qtbot):
    if not FOSDEM.is_file():
        pytest.skip(f"{FOSDEM} is absent (it comes with ../shared)")
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FOSDEM))])
    drop = QDropEvent(QPoint(300, 300), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.programLoaded, timeout=60_000):
        window.dropEvent(drop)
    program = window.controller.program
    assert program.name.startswith("FOSDEM 2025")
    assert window.windowTitle() == f"{program.name} — planner"  # Qt adds nothing to it
    lanes = window.timeline.view.layout_data.lanes
    assert len(lanes) > 20 and all(lane.collapsible for lane in lanes)
    assert window.room_box.isVisibleTo(window) and window.track_box.isVisibleTo(window)
    assert str(FOSDEM.resolve()) in window._recent()


def test_reopening_an_updated_program_keeps_stars_and_says_what_moved(make_window, qtbot):
    old = iclr_like()
    window = make_window(old)
    window.controller.toggle("workshop-a")
    new = iclr_like()
    moved = new.session("workshop-a")
    moved.start = moved.start + dt.timedelta(hours=1)
    moved.end = moved.end + dt.timedelta(hours=1)
    renamed = new.session("closing-remarks")
    renamed.id = "closing-remarks-2021"
    new.reindex()
    window.controller.toggle("closing-remarks")
    window.show_program(new)
    assert window.controller.is_starred("workshop-a")
    assert window.controller.is_starred("closing-remarks-2021")  # followed its new id
    box = window.findChild(QMessageBox, "updateReport")
    assert box is not None and "Workshop A on Learning" in box.informativeText()
    box.close()


def test_an_update_that_swaps_ids_keeps_both_stars_and_counts_right(make_window, qtbot):
    """Issue 10.1/10.2 through the window's update path: two workshops swap their ids, and a
    removed talk's id goes to a new one; the dialog's counts are what the window shows."""
    old = iclr_like()
    for n, item in enumerate(old.sessions):
        item.guid = f"guid-{n}"
    window = make_window(old)
    window.controller.set_starred(["workshop-a", "workshop-b", "closing-remarks"], True)
    new = iclr_like()
    for n, item in enumerate(new.sessions):
        item.guid = f"guid-{n}"
    first, second = new.session("workshop-a"), new.session("workshop-b")
    first.id, second.id = "workshop-b", "workshop-a"
    reused = new.session("closing-remarks")
    reused.guid, reused.title = "guid-new", "A new talk in the old slot"
    new.reindex()
    window.show_program(new)
    starred = {sid for sid in ("workshop-a", "workshop-b", "closing-remarks")
               if window.controller.is_starred(sid)}
    assert starred == {"workshop-a", "workshop-b"}
    assert {new.session(sid).title for sid in starred} == {"Workshop A on Learning",
                                                           old.session("workshop-b").title}
    box = window.findChild(QMessageBox, "updateReport")
    assert box is not None
    assert box.informativeText().startswith(
        "2 of your starred items are in the new version; 1 are missing from it")
    box.close()


def test_only_web_links_open_in_the_browser(make_window, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toString()) or True))
    window = make_window()
    window.select_item("workshop-a")
    html = window.details.toHtml()
    assert "https://example.org/a" in html and "not a web link; not opened" in html
    window.details.anchorClicked.emit(QUrl("https://example.org/a"))
    window.details.anchorClicked.emit(QUrl("javascript:alert(1)"))
    window.details.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://example.org/a"]
    assert "Not opened" in window.statusBar().currentMessage()


def test_details_show_both_clocks_papers_and_marked_derived_titles(make_window):
    window = make_window(zone="Asia/Kolkata")
    window.select_item("poster-session-12")
    text = window.details.toPlainText()
    assert "Fri 7 May 05:30–~07:30 IST · Fri 7 May 02:00–~04:00 CEST (program time)" in text
    assert "End estimated" in text and "Papers (3, 0 starred)" in text
    assert "a poster session is assumed to last" in text
    window.select_item("oral-session-12")
    assert "an oral session is assumed to last" in window.details.toPlainText()
    window.select_item("poster-session-12")
    assert "no published title; headline made from the abstract" in text
    window.details.selectRequested.emit("p-mars")
    window.details.anchorClicked.emit(QUrl("select:p-mars"))
    paper_text = window.details.toPlainText()
    assert "Presented in:" in paper_text
    assert "Poster Session 12" in paper_text and "Oral Session 12" in paper_text


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def test_every_control_has_an_accessible_name(make_window):
    window = make_window()
    window.export()
    QApplication.processEvents()
    controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractScrollArea)
    unnamed = []
    checked = 0
    for root in (window, window.export_dialog):
        for widget in root.findChildren(QWidget):
            if not isinstance(widget, controls) or not widget.isVisibleTo(root):
                continue
            if widget.parent() is not None and isinstance(widget.parent(), QComboBox):
                continue  # the combo box's own line edit / list: named with the box
            checked += 1
            if not _name(widget).strip():
                unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    window.export_dialog.reject()
    assert checked > 25
    assert unnamed == []


def test_program_with_only_unscheduled_sessions_still_opens(make_window):
    program = Program(name="Call for papers", source_zone="UTC",
                      sessions=[session("a", None), session("b", None)], key="cfp")
    window = make_window(program, zone="UTC")
    assert window.timeline.unscheduled_model.rowCount() == 2
    assert window.timeline.view.layout_data is None


def test_slow_files_show_progress_and_the_window_stays_usable(make_window, qtbot, monkeypatch,
                                                              tmp_path):
    import time

    from planner.ui import program_loader

    window = make_window()

    def slow_load(path: Path | None) -> Program:
        time.sleep(1.0)  # in the worker thread
        return iclr_like()

    monkeypatch.setattr(program_loader, "load_program_file", slow_load)
    window.open_path(tmp_path / "slow.txt")
    qtbot.waitUntil(lambda: window.progress.isVisible(), timeout=3000)
    assert "Opening slow.txt" in window.progress_label.text()
    window.controller.toggle("workshop-a")  # the GUI thread is free meanwhile
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=10_000)


def test_event_that_ends_before_it_starts_is_shown_with_its_flag(make_window, tmp_path):
    from planner.importers import load_program

    path = tmp_path / "reversed.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
                    "BEGIN:VEVENT\r\nUID:r1@x\r\nDTSTAMP:20240101T000000Z\r\n"
                    "DTSTART:20241227T100000Z\r\nDTEND:20241227T090000Z\r\n"
                    "SUMMARY:Backwards talk\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:r2@x\r\nDTSTAMP:20240101T000000Z\r\n"
                    "DTSTART:20241227T110000Z\r\nDTEND:20241227T113000Z\r\n"
                    "SUMMARY:Normal talk\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    program = load_program(path)
    window = make_window(program)
    backwards = next(s for s in program.sessions if s.title == "Backwards talk")
    normal = next(s for s in program.sessions if s.title == "Normal talk")
    window.select_item(backwards.id)
    assert "an end at or before the start" in window.details.toPlainText()
    window.select_item(normal.id)
    assert "an end at or before the start" not in window.details.toPlainText()
