"""Export from the dialog: the exporter's function writes a file real calendar apps read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from planner.ui.export_dialog import ExportDialog
from tests.interop import TOOL, interop_env


def export_through_dialog(window, qtbot, target: Path, alarm_minutes: int | None = 10,
                          zone_row: int = 0) -> ExportDialog:
    # The offscreen platform has no active window, so shortcuts cannot fire: trigger the
    # action that Ctrl+E is bound to.
    assert window.export_action.shortcut() == QKeySequence("Ctrl+E")
    window.export_action.trigger()
    dialog = window.export_dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    dialog.zone.setCurrentIndex(zone_row)
    dialog.alarm.setCurrentIndex(dialog.alarm.findData(alarm_minutes))
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return dialog


def test_export_dialog_writes_a_file_real_calendars_accept(make_window, qtbot, tmp_path):
    env = interop_env()
    window = make_window(zone="Asia/Kolkata")
    for item_id in ("p-mars", "workshop-a", "closing-remarks"):
        window.controller.toggle(item_id)
    target = tmp_path / "my agenda.ics"
    dialog = export_through_dialog(window, qtbot, target, alarm_minutes=10)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert target.is_file() and dialog.written == [target]
    data = target.read_bytes().decode("utf-8")
    assert "TZID=Asia/Kolkata" in data and "BEGIN:VALARM" in data and "TRIGGER:-PT10M" in data
    # The starred paper is in both its sessions (poster and oral), so four events.
    assert "MARS: Markov Molecular Sampling" in data.replace("\r\n ", "")
    run = subprocess.run([sys.executable, str(TOOL), "--expect-events", "4", "--expect-tz",
                          "Asia/Kolkata", str(target)], capture_output=True, text=True, env=env,
                         timeout=900, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0 and "FAIL" not in report, report
    assert "Exported to" in window.statusBar().currentMessage()


def test_export_with_nothing_starred_says_what_to_do(make_window, qtbot, tmp_path):
    window = make_window()
    window.export()
    dialog = window.export_dialog
    assert "nothing starred yet" in dialog.scope_agenda.text()
    assert not dialog.scope_agenda.isChecked()  # it starts on something it can export
    assert dialog.export_button.isEnabled()
    dialog.scope_agenda.setChecked(True)
    assert not dialog.export_button.isEnabled()
    hint = dialog.hint.text()
    assert dialog.hint.isVisibleTo(dialog) and "Nothing is starred yet" in hint
    assert "planner star" not in hint and "--all" not in hint and "--ids" not in hint
    dialog.path.setText(str(tmp_path / "empty.ics"))
    dialog.path.setFocus()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter does nothing it cannot do
    qtbot.wait(50)
    assert not (tmp_path / "empty.ics").exists() and not dialog.error
    dialog.reject()


def test_enter_in_the_path_field_exports(make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    chooser_opened = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: chooser_opened.append(1) or ("", ""))
    window = make_window()
    window.controller.toggle("workshop-a")
    window.export()
    dialog = window.export_dialog
    target = tmp_path / "enter.ics"
    dialog.path.setText(str(target))
    dialog.browse.setFocus()  # the chooser was the last button focused
    dialog.path.setFocus()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert not chooser_opened and not dialog.error, dialog.error
    assert target.is_file(), (dialog.written, dialog.result())


def test_scope_labels_count_with_plurals_and_offer_what_the_list_shows(make_window):
    window = make_window()
    window.controller.toggle("workshop-a")
    window.export()
    dialog = window.export_dialog
    assert dialog.scope_agenda.text() == "&My agenda (1 starred session, 0 starred papers)"
    # No search or filter: the list shows all six sessions, and says so.
    assert dialog.scope_shown.isEnabled()
    assert dialog.scope_shown.text() == "&What the list shows now (6 sessions)"
    assert dialog.scope_all.text() == "&Everything in the program (6 sessions)"
    dialog.reject()
    window.search.setText("closing")
    window.apply_search()
    window.export()
    assert window.export_dialog.scope_shown.text() == "&What the list shows now (1 session)"
    window.export_dialog.reject()


def test_export_of_what_the_list_shows(make_window, qtbot, tmp_path):
    window = make_window()
    window.search.setText("workshop")
    window.apply_search()
    window.export()
    dialog = window.export_dialog
    assert dialog.scope_shown.isEnabled()
    dialog.scope_shown.setChecked(True)
    dialog.split.setChecked(True)
    folder = tmp_path / "events"
    dialog.path.setText(str(folder))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert len(list(folder.glob("*.ics"))) == 2


def test_export_names_the_unscheduled_sessions_it_left_out(make_window, qtbot, tmp_path):
    window = make_window()
    for item_id in ("workshop-a", "invited-talk"):
        window.controller.toggle(item_id)
    target = tmp_path / "agenda.ics"
    dialog = export_through_dialog(window, qtbot, target)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 1
    box = window.findChild(QMessageBox, "exportNotes")
    assert box is not None and box.isVisible()
    assert "Invited Talk" in box.informativeText()
    box.close()
