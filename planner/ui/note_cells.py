"""How the agenda shows a star's note and priority: "maybe" in grey italics (and in words, for
screen readers and tooltips), the note's start after the title, the whole note in the tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner.core.star_notes import StarNote, clean_note, note_line
from planner.export.text import clip

NOTE_SHOWN = 80  # characters of the note after the title; the tooltip has it all
MAYBE_GREY = QColor(128, 128, 128)


def note_suffix(note: StarNote) -> str:
    """`` · maybe`` and `` ✎ first words of the note`` after a title, or ''."""
    text = "  · maybe" if note.maybe else ""
    line = note_line(note.note)
    if line:
        text += f"  ✎ {clip(line, NOTE_SHOWN)}"
    return text


def note_tooltip(note: StarNote) -> str:
    text = "\n\nStarred as maybe." if note.maybe else ""
    full = clean_note(note.note)
    if full:
        text += f"\n\nYour note:\n{full}"
    return text


def note_accessible(title: str, note: StarNote) -> str:
    parts = [title]
    if note.maybe:
        parts.append("maybe")
    full = note_line(note.note)
    if full:
        parts.append(f"your note: {full}")
    return ", ".join(parts)


def maybe_style(role: int) -> Any:
    """Grey italics for the text of a "maybe" row (the words say it too)."""
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(MAYBE_GREY)
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setItalic(True)
        return font
    return None
