"""Light, dark or the system's palette.

"System" keeps the platform's palette and follows its colour-scheme changes. An explicit choice
uses the Fusion style with a palette of our own, because not every platform (X11 without a
desktop portal, the offscreen screenshot platform) can switch scheme on request.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from planner.core.settings import THEMES

__all__ = ["THEMES", "apply_theme"]

_system_palette: QPalette | None = None
_system_style: str | None = None


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f2023",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3a3d41",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#9a9ea5",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#33363a",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#45484d",
        QPalette.ColorRole.Midlight: "#3a3d41",
        QPalette.ColorRole.Mid: "#55585e",
        QPalette.ColorRole.Dark: "#17181a",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.LinkVisited: "#b59cff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return palette


def _light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    palette = style.standardPalette() if style else QPalette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6b6f76"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the whole application to ``theme`` (one of :data:`THEMES`)."""
    global _system_palette, _system_style
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
        style = app.style()
        _system_style = style.name() if style is not None else None
    hints = QGuiApplication.styleHints()
    if theme == "dark":
        app.setStyle("Fusion")
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(_dark_palette())
    elif theme == "light":
        app.setStyle("Fusion")
        hints.setColorScheme(Qt.ColorScheme.Light)
        app.setPalette(_light_palette())
    else:
        hints.unsetColorScheme()
        if _system_style:
            app.setStyle(_system_style)
        app.setPalette(_system_palette)
