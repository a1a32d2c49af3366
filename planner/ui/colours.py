"""Colours that stay readable in a light and a dark palette.

Tracks (or kinds, when a program has no tracks) get evenly spread hues in the order the program
lists them, so the same program always gets the same colours and the legend matches the blocks.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_GOLDEN = 0.618033988749895


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark theme)."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
        QPalette.ColorRole.WindowText).lightness()


def category_colour(index: int, dark: bool) -> QColor:
    """The fill of the ``index``-th track or kind: pastel on light, deep on dark."""
    hue = (0.58 + index * _GOLDEN) % 1.0
    if dark:
        return QColor.fromHslF(hue, 0.45, 0.30)
    return QColor.fromHslF(hue, 0.65, 0.86)


def category_edge(index: int, dark: bool) -> QColor:
    hue = (0.58 + index * _GOLDEN) % 1.0
    if dark:
        return QColor.fromHslF(hue, 0.55, 0.55)
    return QColor.fromHslF(hue, 0.55, 0.45)


def conflict_tint() -> QColor:
    """A translucent red behind conflicting rows; reads on light and dark backgrounds."""
    return QColor(216, 58, 46, 70)
