"""Every control a keyboard or screen reader user reaches has a name a screen reader can say:
the real window on the bundled program, every tab shown, and the export dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QTabBar, QToolButton, QWidget

from planner.workspace import BUNDLED_PROGRAM


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for the widget: the labels that name it (a combo box's name is
    its current text on Linux, its label comes by this relation), then its own name."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    labels = [other.text(QAccessible.Text.Name).strip()
              for other, _ in interface.relations(QAccessible.RelationFlag.Label)]
    return " ".join([*labels, interface.text(QAccessible.Text.Name).strip()]).strip()


def reachable(top: QWidget) -> list[QWidget]:
    """Widgets Tab reaches, and every button (a tool button of an action, a line edit's clear
    button), whether it takes the focus or is only clicked."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        action_button = isinstance(widget, QToolButton) and widget.defaultAction() is not None
        if tab or action_button or isinstance(widget, QAbstractButton):
            found.append(widget)
    return found


def nameless(top: QWidget) -> list[str]:
    missing = []
    for widget in reachable(top):
        if not spoken_name(widget):
            parent = widget.parentWidget()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                           f"{type(parent).__name__ if parent else None}")
    return missing


def test_every_focusable_control_of_the_window_has_a_name(make_window, qtbot):
    window = make_window()
    with qtbot.waitSignal(window.programLoaded, timeout=60_000):
        window.open_path(BUNDLED_PROGRAM)
    program = window.controller.program
    session = next(s for s in program.sessions if s.paper_ids)
    window.controller.toggle(session.id)  # the agenda has a row, the details a star
    window.select_item(session.id)
    checked = set()
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        assert not nameless(window), window.tabs.tabText(tab)
        checked.update(reachable(window))
    names = {QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
             for w in checked}
    for expected in ("Search", "Clear search", "Days", "Timeline", "Details", "Starred only",
                     "Zoom in", "Fields to search", "Time zones"):
        assert expected in names, (expected, " | ".join(sorted(names)))
    assert spoken_name(window.zone_picker).startswith("Show times in:")
    assert spoken_name(window.search_field) == "in: Everything"
    # Each tab of the view tabs is named too (a screen reader lists them).
    bar = window.tabs.findChild(QTabBar)
    tabs = QAccessible.queryAccessibleInterface(bar)
    tab_names = [tabs.child(i).text(QAccessible.Text.Name) for i in range(tabs.childCount())
                 if tabs.child(i).role() == QAccessible.Role.PageTab]
    assert len(tab_names) == window.tabs.count() and all(tab_names), tab_names


def test_every_control_of_the_export_dialog_has_a_name(make_window):
    window = make_window()
    window.controller.toggle("workshop-a")
    window.export_action.trigger()
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert len(reachable(dialog)) > 3
    assert not nameless(dialog)
    dialog.reject()


def test_every_control_of_the_sync_dialog_has_a_name(make_window):
    window = make_window()
    window.sync_action.trigger()
    dialog = window.sync_hook.dialog
    assert dialog is not None and dialog.isVisible()
    assert len(reachable(dialog)) > 3
    assert not nameless(dialog)
    dialog.reject()
