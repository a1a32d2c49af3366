"""The window's search and filters: the search box (typed, Enter, Esc, its field), the sidebar's
check boxes and facet lists wired to the filter proxy, and resetting them all.

The proxy (:mod:`planner.ui.proxy`) does the filtering; this module only connects the widgets
that :mod:`planner.ui.window_actions` and :mod:`planner.ui.sidebar` build to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

AUTO_EXPAND_LIMIT = 25  # a search with this many matches or fewer opens every session's papers


def connect_filters(window: MainWindow) -> None:
    proxy = window.proxy
    window.search.textChanged.connect(lambda _t: window.search_timer.start())
    window.search.returnPressed.connect(window.apply_search)
    window.search_timer.timeout.connect(window.apply_search)
    window.starred_only.toggled.connect(lambda on: proxy.set_filter(starred_only=on))
    window.hide_over.toggled.connect(lambda on: proxy.set_filter(hide_over=on))
    window.kind_facet.selectionChanged.connect(
        lambda: proxy.set_filter(kinds=window.kind_facet.selected()))
    window.track_facet.selectionChanged.connect(
        lambda: proxy.set_filter(tracks=window.track_facet.selected()))
    window.room_facet.selectionChanged.connect(
        lambda: proxy.set_filter(rooms=window.room_facet.selected()))
    proxy.filterChanged.connect(lambda: _on_filter_changed(window))
    proxy.searchPending.connect(lambda pending: _on_search_pending(window, pending))


def apply_search(window: MainWindow) -> None:
    window.search_timer.stop()
    window.proxy.set_query(window.search.text())


def search_again(window: MainWindow) -> None:
    """The search field's scope changed: search the same words again."""
    if window.search.text().strip():
        window.apply_search()


def leave_search(window: MainWindow) -> None:
    """Esc in the search field: back to the view of the current tab."""
    window.show_tab(window.tabs.currentIndex())


def reset_filters(window: MainWindow) -> None:
    window.search.clear()
    window.apply_search()
    window.starred_only.setChecked(False)
    window.hide_over.setChecked(False)
    for facet in (window.kind_facet, window.track_facet, window.room_facet):
        if facet.unchecked:
            facet.set_all(True)


def clear_facet_filters(window: MainWindow) -> None:
    """A new program has other kinds, tracks and rooms: the old choices mean nothing there."""
    filters = window.proxy.filters
    if any(f is not None for f in (filters.kinds, filters.tracks, filters.rooms)):
        window.proxy.set_filter(kinds=None, tracks=None, rooms=None)


def focus_search(window: MainWindow) -> None:
    window.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
    window.search.selectAll()


def focus_zone_picker(window: MainWindow) -> None:
    window.zone_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
    line = window.zone_picker.lineEdit()
    if line is not None:
        line.selectAll()


def _on_search_pending(window: MainWindow, pending: bool) -> None:
    if pending:
        window.statusBar().showMessage("Preparing search (first time for this program)…")
    else:
        window.statusBar().clearMessage()


def _on_filter_changed(window: MainWindow) -> None:
    if window.proxy.terms() and 0 < window.proxy.rowCount() <= AUTO_EXPAND_LIMIT:
        window.list_view.expandAll()
