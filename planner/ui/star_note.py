"""The note and must/maybe of the star shown in the details pane.

Shown under the details for a starred session or paper. The note is saved as the user types
(after a short pause), and at once when the user leaves the field, picks another item, opens
another program or closes the window (``Controller.aboutToChange``), so a note is never lost.
It goes through the controller, like every change of a star; views never touch the store.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Paper, Program
from planner.core.star_notes import MAYBE, MUST, NOTE_LIMIT
from planner.ui.controller import Controller

SAVE_DELAY_MS = 700  # a pause in typing this long saves the note


class StarNoteEditor(QWidget):
    """A note field and a Must go / Maybe choice for the item the details show.

    Emits ``saved(id)`` after each save that reached the store.
    """

    saved = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.item_id: str | None = None
        self._dirty = False  # typed and not saved yet
        self._program: Program | None = None  # the program the shown item belongs to
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(3)
        self.heading = QLabel("&Your note")
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("starNote")
        self.edit.setTabChangesFocus(True)  # Tab leaves the field, as in a form
        self.edit.setPlaceholderText("A note for yourself: a question to ask, who to meet… "
                                     "Saved as you type; shown in My agenda and exported.")
        self.edit.setAccessibleName("Your note")
        self.edit.setAccessibleDescription(
            f"Your note on this star, at most {NOTE_LIMIT:,} characters; saved as you type")
        self.heading.setBuddy(self.edit)
        self.edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.must = QRadioButton("&Must go")
        self.maybe = QRadioButton("Ma&ybe")
        self.must.setToolTip("A plain star: you mean to go")
        self.maybe.setToolTip("Shown in grey in My agenda, and exported as free time")
        self.priority = QButtonGroup(self)
        self.priority.addButton(self.must)
        self.priority.addButton(self.maybe)
        self.status = QLabel("")
        self.status.setObjectName("starNoteStatus")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.must)
        row.addWidget(self.maybe)
        row.addStretch(1)
        row.addWidget(self.status)
        layout.addWidget(self.heading)
        layout.addWidget(self.edit)
        layout.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        self.edit.textChanged.connect(self._on_typed)
        self.edit.installEventFilter(self)
        self.must.toggled.connect(lambda on: self._on_priority(on, MUST))
        self.maybe.toggled.connect(lambda on: self._on_priority(on, MAYBE))
        controller.aboutToChange.connect(self.save)
        controller.programChanged.connect(lambda: self.show_item(None))
        controller.starsChanged.connect(self._on_stars_changed)
        self.show_item(None)

    # -- following the details -----------------------------------------------------------------
    def show_item(self, item_id: str | None) -> None:
        """Show the note of ``item_id`` (saving the one being typed first)."""
        if item_id != self.item_id:
            self.save()
        self.item_id = item_id
        self._program = self.controller.program
        self._load()

    def _on_stars_changed(self, ids: list[str]) -> None:
        if self.item_id in ids and not self._dirty:
            self._load()  # starred or unstarred elsewhere (a click, the CLI, a refresh)

    def _load(self) -> None:
        item_id = self.item_id
        starred = item_id is not None and self.controller.is_starred(item_id)
        self.setVisible(starred)
        if not starred or item_id is None:
            return
        note = self.controller.note_of(item_id)
        what = "paper" if isinstance(self.controller.item(item_id), Paper) else "session"
        self.heading.setText(f"&Your note on this {what}")
        if self.edit.toPlainText() != note.note:
            self.edit.blockSignals(True)
            self.edit.setPlainText(note.note)
            self.edit.moveCursor(QTextCursor.MoveOperation.End)
            self.edit.blockSignals(False)
        for button, on in ((self.must, not note.maybe), (self.maybe, note.maybe)):
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
        self._dirty = False
        self.status.setText("")

    # -- saving ----------------------------------------------------------------------------------
    def _on_typed(self) -> None:
        text = self.edit.toPlainText()
        if len(text) > NOTE_LIMIT:
            # Like a field's maximum length: what goes past the limit is not taken.
            self.edit.blockSignals(True)
            self.edit.setPlainText(text[:NOTE_LIMIT])
            self.edit.moveCursor(QTextCursor.MoveOperation.End)
            self.edit.blockSignals(False)
            self.status.setText(f"A note holds at most {NOTE_LIMIT:,} characters")
        else:
            self.status.setText("")
        self._dirty = True
        self.timer.start()

    def save(self) -> None:
        """Save what was typed, if anything (to the item and program it was typed for)."""
        self.timer.stop()
        if not self._dirty or self.item_id is None:
            return
        if self._program is not self.controller.program:
            self._dirty = False  # the program went away without telling us: nothing to save to
            return
        self._dirty = False
        if self.controller.set_note(self.item_id, note=self.edit.toPlainText()):
            self.status.setText("Saved")
            self.saved.emit(self.item_id)
        else:
            self._dirty = True  # kept in the field; the next pause or leaving tries again

    def _on_priority(self, checked: bool, priority: str) -> None:
        if not checked or self.item_id is None:
            return
        self.save()
        if self.controller.set_note(self.item_id, priority=priority):
            self.saved.emit(self.item_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.save()
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        self.save()
        super().hideEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # Esc in the field: leave it, saved
            self.save()
            self.edit.clearFocus()
            return
        super().keyPressEvent(event)
