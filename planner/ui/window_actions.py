"""The window's actions, toolbar and menus: every command with its shortcut, and the recent files.

Plain functions over the window: they create the actions and widgets the window keeps as
attributes (``window.open_action``, ``window.search``…), so tests and other modules reach them
as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolBar,
    QWidget,
)

from planner.core import settings as declared
from planner.ui.accessible_names import name_clear_button, name_extension_button
from planner.ui.day_navigation import go_to_now
from planner.ui.search_ui import EscapeClears, search_field_box
from planner.ui.sync_hook import SyncHook
from planner.ui.theme import THEMES
from planner.ui.timeline import DEFAULT_ZOOM
from planner.ui.window_filters import focus_search, focus_zone_picker, leave_search, search_again
from planner.ui.zone_picker import ZonePicker

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

SEARCH_DELAY_MS = 180
RECENT_LIMIT = declared.RECENT_LIMIT


def add_action(window: MainWindow, text: str, slot: Callable[..., object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(window: MainWindow) -> None:
    window.open_action = add_action(window, "&Open…", window.choose_file,
                                    QKeySequence.StandardKey.Open,
                                    "Open a conference program (frab XML/JSON, iCalendar, "
                                    "copied page)")
    window.update_action = add_action(
        window, "Open &Updated Version…", window.choose_update,
        tip="Open a newer copy of this program; your stars follow their sessions and "
            "papers, and you see what changed")
    window.bundled_action = add_action(window, "Open &Bundled Program",
                                       lambda: window.open_path(None),
                                       tip="Open the ICLR 2021 day that comes with planner")
    window.export_action = add_action(window, "&Export to Calendar…", window.export, "Ctrl+E",
                                      "Export your agenda as an iCalendar file")
    window.print_action = add_action(window, "&Print…", lambda: _print_agenda(window),
                                     QKeySequence.StandardKey.Print,
                                     "Print My agenda: the day in view or the whole conference")
    window.export_pdf_action = add_action(window, "Export &PDF…",
                                          lambda: _export_pdf(window),
                                          tip="Save My agenda as a PDF to print or carry")
    window.sync_hook = SyncHook(window)
    window.sync_action = add_action(window, "S&ync to Calendar…", window.sync_hook.open_dialog,
                                    tip="Keep your agenda in a CalDAV calendar (Nextcloud, "
                                        "Fastmail, iCloud…)")
    window.quit_action = add_action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    window.find_action = add_action(window, "&Find", lambda: focus_search(window),
                                    QKeySequence.StandardKey.Find,
                                    "Search titles, abstracts, speakers, kinds, rooms, tracks")
    window.star_action = add_action(window, "&Star or Unstar Selection", window.toggle_current_star,
                                    "Ctrl+D", "Star the selected session or paper (also Space)")
    window.reset_action = add_action(window, "&Reset Filters", window.reset_filters, "Ctrl+Shift+F")
    window.tab_actions = []
    for index, (text, key) in enumerate((("&Timeline", "Ctrl+1"), ("&List", "Ctrl+2"),
                                         ("My &Agenda", "Ctrl+3"), ("&Overview", "Ctrl+4"))):
        window.tab_actions.append(add_action(window, text,
                                             lambda _=False, i=index: window.show_tab(i),
                                             key))
    window.zoom_in_action = add_action(window, "Zoom &In", lambda: window.timeline.view.zoom(1),
                                       QKeySequence.StandardKey.ZoomIn)
    window.zoom_out_action = add_action(window, "Zoom &Out", lambda: window.timeline.view.zoom(-1),
                                        QKeySequence.StandardKey.ZoomOut)
    window.zoom_reset_action = add_action(
        window, "&Reset Zoom", lambda: window.timeline.view.set_zoom(DEFAULT_ZOOM), "Ctrl+0")
    window.previous_day_action = add_action(window, "&Previous Day",
                                            lambda: window.timeline.view.step_day(-1),
                                            "Alt+PgUp")
    window.next_day_action = add_action(window, "&Next Day",
                                        lambda: window.timeline.view.step_day(1),
                                        "Alt+PgDown")
    window.now_action = add_action(window, "Go to No&w", lambda: go_to_now(window), "Ctrl+Shift+N",
                                   "Show the day and hour that is now")
    window.fit_rooms_action = add_action(
        window, "&Fit Rooms to Width", lambda checked: window.timeline.view.set_fit_rooms(checked),
        "Ctrl+Shift+R",
        "Squeeze every room of the timeline into the window's width")
    window.fit_rooms_action.setCheckable(True)
    window.expand_lanes_action = add_action(window, "&Expand All Rooms",
                                            lambda: window.timeline.view.set_collapsed(set()))
    window.display_zone_action = add_action(window, "&Display Time Zone…",
                                            lambda: focus_zone_picker(window),
                                            "Ctrl+T", "Choose the zone times are shown in")
    window.source_zone_action = add_action(window, "&Program Time Zone…", window.change_source_zone,
                                           tip="Change the zone the program's times were "
                                               "written in (when it was a guess)")
    window.shortcuts_action = add_action(window, "&Keyboard Shortcuts", window.show_shortcuts,
                                         QKeySequence.StandardKey.HelpContents)
    window.about_action = add_action(window, "&About planner", window.show_about)
    window.about_qt_action = add_action(window, "About &Qt", QApplication.aboutQt)
    window.theme_group = QActionGroup(window)
    window.theme_actions = {}
    for theme in THEMES:
        action = QAction({"system": "&System", "light": "&Light", "dark": "&Dark"}[theme],
                         window)
        action.setCheckable(True)
        action.triggered.connect(lambda _=False, t=theme: window.set_theme(t))
        window.theme_group.addAction(action)
        window.theme_actions[theme] = action


# File → Print… and Export PDF…: Qt's print support is loaded on first use, not at start.
def _print_agenda(window: MainWindow) -> None:
    from planner.ui.print_actions import print_agenda

    print_agenda(window)


def _export_pdf(window: MainWindow) -> None:
    from planner.ui.print_actions import export_pdf

    export_pdf(window)


def build_toolbar(window: MainWindow) -> None:
    toolbar = QToolBar("Search and time zone", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    window.search = QLineEdit()
    window.search.setPlaceholderText("Search papers, sessions, speakers…  (Ctrl+F)")
    window.search.setClearButtonEnabled(True)
    window.search.setAccessibleName("Search")
    window.search.setAccessibleDescription("Every word must match a title, abstract, speaker, "
                                           "kind, room or track")
    window.search.setMinimumWidth(180)
    name_clear_button(window.search, "Clear search")
    search_label = QLabel("&Search:")
    search_label.setBuddy(window.search)
    window.zone_picker = ZonePicker(window)
    window.zone_picker.setAccessibleName("Show times in")
    zone_label = QLabel("Show &times in:")
    zone_label.setBuddy(window.zone_picker)
    container = QWidget()
    row = QHBoxLayout(container)
    row.setContentsMargins(6, 2, 6, 2)
    row.addWidget(search_label)
    row.addWidget(window.search, 3)
    window.search_field = search_field_box(window.proxy, lambda: search_again(window))
    field_label = QLabel("in:")  # also what a screen reader says the field box is for
    field_label.setBuddy(window.search_field)
    row.addWidget(field_label)
    row.addWidget(window.search_field)
    EscapeClears(window.search, window.apply_search, lambda: leave_search(window))
    row.addSpacing(12)
    row.addWidget(zone_label)
    row.addWidget(window.zone_picker, 2)
    toolbar.addWidget(container)
    name_extension_button(toolbar, "More of the toolbar")
    window.addToolBar(toolbar)
    window.search_timer = QTimer(window)
    window.search_timer.setSingleShot(True)
    window.search_timer.setInterval(SEARCH_DELAY_MS)


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(window.open_action)
    window.recent_menu = file_menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window))
    file_menu.addAction(window.update_action)
    file_menu.addAction(window.bundled_action)
    file_menu.addSeparator()
    file_menu.addAction(window.export_action)
    file_menu.addAction(window.sync_action)
    file_menu.addSeparator()
    file_menu.addAction(window.print_action)
    file_menu.addAction(window.export_pdf_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(window.find_action)
    edit_menu.addAction(window.star_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.reset_action)
    view_menu = bar.addMenu("&View")
    for action in window.tab_actions:
        view_menu.addAction(action)
    view_menu.addSeparator()
    for action in (window.zoom_in_action, window.zoom_out_action, window.zoom_reset_action,
                   window.fit_rooms_action):
        view_menu.addAction(action)
    view_menu.addSeparator()
    for action in (window.previous_day_action, window.next_day_action, window.now_action,
                   window.expand_lanes_action):
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(window.display_zone_action)
    view_menu.addAction(window.source_zone_action)
    view_menu.addSeparator()
    theme_menu = view_menu.addMenu("T&heme")
    for action in window.theme_actions.values():
        theme_menu.addAction(action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.shortcuts_action)
    help_menu.addSeparator()
    help_menu.addAction(window.about_action)
    help_menu.addAction(window.about_qt_action)
    name_extension_button(bar, "More menus")


def recent_files(window: MainWindow) -> list[str]:
    return window.view_settings.get(declared.RECENT)


def add_recent(window: MainWindow, path: Path) -> None:
    resolved = str(path.resolve())
    recent = [resolved] + [p for p in recent_files(window) if p != resolved]
    window.view_settings.put(declared.RECENT, recent[:RECENT_LIMIT])


def fill_recent_menu(window: MainWindow) -> None:
    window.recent_menu.clear()
    recent = [p for p in recent_files(window) if Path(p).is_file()]
    if not recent:
        empty = window.recent_menu.addAction("No recent programs")
        empty.setEnabled(False)
        return
    for number, path in enumerate(recent, start=1):
        action = window.recent_menu.addAction(f"&{number} {Path(path).name}")
        action.setToolTip(path)
        action.triggered.connect(lambda _=False, p=path: window.open_path(p))


def show_shortcuts(window: MainWindow) -> None:
    rows = [("Ctrl+O", "Open a program (or drop a file on the window)"),
            ("Ctrl+E", "Export to calendar"), ("Ctrl+P", "Print My agenda"),
            ("Ctrl+F", "Search"),
            ("Ctrl+T", "Choose the display time zone"),
            ("Space / Ctrl+D", "Star or unstar the selected item"),
            ("Ctrl+1 / 2 / 3 / 4", "Timeline / List / My agenda / Overview"),
            ("Arrows", "Move between sessions in the timeline"),
            ("+ / − / Ctrl+wheel", "Zoom the timeline"),
            ("Shift+wheel", "Scroll the rooms sideways"),
            ("Ctrl+Shift+R", "Fit the rooms to the width"),
            ("Alt+PgUp / Alt+PgDown", "Previous / next day"),
            ("C", "Collapse or expand the selected session's room"),
            ("Ctrl+Shift+N", "Go to now"), ("Ctrl+Shift+F", "Reset filters"),
            ("Ctrl+Q", "Quit")]
    table = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                      f"<table>{table}</table>", QMessageBox.StandardButton.Ok, window)
    box.open()
    window.shortcuts_box = box
