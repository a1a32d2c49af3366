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
    dialog = export_through_dialog(window, qtbot, tmp_path / "empty.ics")
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=10_000)
    assert "nothing starred" in dialog.error
    box = dialog.findChild(QMessageBox, "exportError")
    assert box is not None and "Star sessions or papers first" in box.informativeText()
    assert not (tmp_path / "empty.ics").exists()
    box.close()
    dialog.reject()


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
