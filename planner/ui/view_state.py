"""The window's view state: theme, geometry, and where the user was in each program.

Stored through :class:`planner.ui.window_settings.WindowSettings`; damaged values are reset and
the user is told.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication

from planner.core import settings as declared
from planner.core import timezones
from planner.ui.filter_bar import restore_filters, save_filters
from planner.ui.models import FacetModel
from planner.ui.theme import apply_theme
from planner.ui.timeline import DEFAULT_ZOOM, suggested_zoom
from planner.ui.window_fit import fit_to_screen
from planner.ui.window_settings import program_group
from planner.ui.window_views import reveal_in_tab

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def set_theme(window: MainWindow, theme: str) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, theme)
    window.view_settings.put(declared.THEME, theme)
    window.theme_actions[theme].setChecked(True)
    window.details.refresh()
    window.timeline._update_legend()
    window.kind_facet.set_values(window.kind_facet.values, window.kind_facet.colours)
    window.track_facet.set_values(window.track_facet.values, window.track_facet.colours)

# -- remembering -----------------------------------------------------------------------

def restore_window_state(window: MainWindow) -> None:
    geometry = window.view_settings.get(declared.WINDOW_GEOMETRY)
    if geometry and window.restoreGeometry(QByteArray(geometry)):
        fit_to_screen(window)
    else:
        window.resize(1280, 800)
    state = window.view_settings.get(declared.WINDOW_STATE)
    if state:
        window.restoreState(QByteArray(state))
    splitter = window.view_settings.get(declared.WINDOW_SPLITTER)
    if splitter:
        window.splitter.restoreState(QByteArray(splitter))
    theme = window.view_settings.get(declared.THEME)
    window.theme_actions.get(theme, window.theme_actions["system"]).setChecked(True)


def report_settings_notices(window: MainWindow) -> None:
    """Tell the user (status bar, stderr) which damaged settings were reset."""
    notices = window.view_settings.take_notices()
    if not notices:
        return
    window.settings_notices.extend(notices)
    for notice in notices:
        print(f"planner: {notice}", file=sys.stderr)
    window.statusBar().showMessage(
        "Some saved window settings were damaged and were reset: " + "; ".join(notices),
        15000)


def view_group(window: MainWindow) -> str:
    program = window.controller.program
    return program_group(program.key if program else "")


def facets(window: MainWindow) -> dict[str, FacetModel]:
    return {"kinds": window.kind_facet, "tracks": window.track_facet, "rooms": window.room_facet}


def save_view_state(window: MainWindow) -> None:
    """Where the user was in this program: tab, day and hour, zoom, rooms, selection."""
    if window.controller.program is None:
        return
    view = window.timeline.view
    group = view_group(window)
    stored = window.view_settings
    stored.put(declared.VIEW_TOP, view.top_time(), group)
    stored.put(declared.VIEW_ZOOM, view.pixels_per_hour, group)
    stored.put(declared.VIEW_COLLAPSED, sorted(view.collapsed), group)
    stored.put(declared.VIEW_FIT_ROOMS, view.fit_rooms, group)
    stored.put(declared.VIEW_TAB, window.tabs.currentIndex(), group)
    stored.put(declared.VIEW_CURRENT, window.current_id or "", group)
    save_filters(stored, group, window.starred_only.isChecked(), window.hide_over.isChecked(),
                 facets(window))


def restore_view_state(window: MainWindow) -> None:
    view = window.timeline.view
    group = view_group(window)
    stored = window.view_settings
    program = window.controller.program
    top = stored.get(declared.VIEW_TOP, group)
    has_zoom = stored.qt.contains(f"{group}/{declared.VIEW_ZOOM.name}")
    zoom = stored.get(declared.VIEW_ZOOM, group)
    if not has_zoom:
        zoom = suggested_zoom(program.sessions) if program else DEFAULT_ZOOM
    collapsed = stored.get(declared.VIEW_COLLAPSED, group)
    fit_rooms = stored.get(declared.VIEW_FIT_ROOMS, group)
    tab = stored.get(declared.VIEW_TAB, group)
    current = stored.get(declared.VIEW_CURRENT, group)
    restore_filters(stored, group, window.starred_only, window.hide_over, facets(window))
    report_settings_notices(window)
    view.pixels_per_hour = zoom
    view.set_collapsed(set(collapsed))
    view.set_fit_rooms(fit_rooms)
    window.tabs.setCurrentIndex(tab)
    if current and window.controller.item(current) is not None:
        window.set_current(current)
        window.timeline.view.select(current, reveal=False)
    if top is not None:
        day = timezones.to_zone(top, window.controller.display_zone).date()
        if day in view.days():
            view.set_day(day, keep_time=False)
            view.scroll_to_time(top)
    reveal_in_tab(window, window.tabs.currentIndex())
