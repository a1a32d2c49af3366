"""Names for the parts Qt adds to a widget on its own (a line edit's clear button, a toolbar's
or menu bar's » button, a combo box's drop-down list), which a screen reader would otherwise
announce as a bare "button" or "list"."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QToolButton, QWidget


def name_clear_button(line: QLineEdit, name: str) -> None:
    """The × that ``setClearButtonEnabled`` puts in ``line``."""
    for button in line.findChildren(QToolButton):
        button.setAccessibleName(name)


def name_extension_button(bar: QWidget, name: str) -> None:
    """The » button a toolbar or menu bar shows when its items do not fit."""
    for button in bar.findChildren(QToolButton):
        if button.objectName() in ("qt_toolbar_ext_button", "qt_menubar_ext_button"):
            button.setAccessibleName(name)


def name_popup(box: QComboBox, name: str) -> None:
    """The list a combo box drops down (and, when it is editable, what it types into)."""
    view = box.view()
    if view is not None:
        view.setAccessibleName(name)
    line = box.lineEdit()
    if line is not None and not line.accessibleName():
        line.setAccessibleName(box.accessibleName())


def name_completions(completer: QCompleter, name: str) -> None:
    popup = completer.popup()
    if popup is not None:
        popup.setAccessibleName(name)
