"""The window's middle: sidebar, Timeline | List | My agenda | Overview tabs and details in one
splitter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from planner.ui.columns import TitleFirst
from planner.ui.details import DetailsView
from planner.ui.filter_bar import HiddenBar
from planner.ui.models import AgendaColumn, Column
from planner.ui.search_ui import HighlightDelegate
from planner.ui.sidebar import build_sidebar
from planner.ui.star_note import StarNoteEditor
from planner.ui.timeline import TimelinePane
from planner.ui.views import StarTreeView
from planner.ui.window_fit import ViewsFirst

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


TAB_TIMELINE, TAB_LIST, TAB_AGENDA, TAB_OVERVIEW = 0, 1, 2, 3


def build_central(window: MainWindow) -> None:
    window.sidebar = build_sidebar(window)
    window.timeline = TimelinePane(window.controller, window.proxy)
    window.timeline.view.fitRoomsChanged.connect(window.fit_rooms_action.setChecked)
    window.list_view = StarTreeView(Column.STAR)
    window.list_view.setModel(window.proxy)
    window.list_view.setAccessibleName("Sessions and papers")
    window.list_view.setSortingEnabled(True)
    window.list_view.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
    window.list_view.setTreePosition(Column.TITLE)  # papers indent under titles, not stars
    window.list_view.configure_star_column()
    window.list_view.setItemDelegateForColumn(Column.TITLE,
                                              HighlightDelegate(window.proxy, window.list_view))
    time_floor = window.fontMetrics().horizontalAdvance("Sat 30 Sep 22:00") + 12
    window.list_columns = TitleFirst(window.list_view, Column.TITLE, {
        Column.TIME: time_floor, Column.KIND: 48, Column.PLACE: 64})
    window.list_columns.set_preferred(Column.KIND, 110)
    window.list_columns.set_preferred(Column.PLACE, 130)
    window.agenda_view = StarTreeView(AgendaColumn.STAR)
    window.agenda_view.setModel(window.agenda_model)
    window.agenda_view.setAccessibleName("My agenda")
    window.agenda_view.setAlternatingRowColors(False)
    window.agenda_view.setTreePosition(AgendaColumn.TITLE)
    window.agenda_view.setRootIsDecorated(False)  # always expanded: papers under sessions
    window.agenda_view.setItemsExpandable(False)
    window.agenda_view.configure_star_column()
    window.agenda_columns = TitleFirst(window.agenda_view, AgendaColumn.TITLE, {
        AgendaColumn.TIME: time_floor, AgendaColumn.PLACE: 64})
    window.agenda_columns.set_preferred(AgendaColumn.PLACE, 130)
    size_time_columns(window)
    window.agenda_empty = QLabel("Nothing starred yet. Click a ☆ in the timeline or the list "
                                 "(or press Space) to build your agenda.")
    window.agenda_empty.setWordWrap(True)
    window.agenda_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    agenda_page = QWidget()
    agenda_layout = QVBoxLayout(agenda_page)
    agenda_layout.setContentsMargins(0, 0, 0, 0)
    agenda_layout.addWidget(window.agenda_empty)
    agenda_layout.addWidget(window.agenda_view, 1)
    window.tabs = QTabWidget()
    window.tabs.setAccessibleName("Views")
    window.tabs.tabBar().setAccessibleName("Views")
    window.tabs.addTab(window.timeline, "&Timeline")
    window.tabs.addTab(window.list_view, "&List")
    window.tabs.addTab(agenda_page, "My &agenda")
    from planner.ui.overview_nav import build_overview_tab  # it imports the tab numbers

    build_overview_tab(window)
    window.details = DetailsView(window.controller)
    window.star_note = StarNoteEditor(window.controller)
    window.details.itemShown.connect(window.star_note.show_item)
    details_pane = QWidget()
    details_pane.setObjectName("detailsPane")
    details_pane.setMinimumWidth(180)
    details_layout = QVBoxLayout(details_pane)
    details_layout.setContentsMargins(0, 0, 0, 0)
    details_layout.setSpacing(0)
    details_layout.addWidget(window.details, 1)
    details_layout.addWidget(window.star_note)
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.setObjectName("mainSplitter")
    window.splitter.addWidget(window.sidebar)
    window.hidden_bar = HiddenBar(window.proxy, window.reset_filters)
    views = QWidget()
    views_layout = QVBoxLayout(views)
    views_layout.setContentsMargins(0, 0, 0, 0)
    views_layout.setSpacing(0)
    views_layout.addWidget(window.hidden_bar)
    views_layout.addWidget(window.tabs, 1)
    window.splitter.addWidget(views)
    window.splitter.addWidget(details_pane)
    window.splitter.setStretchFactor(0, 0)
    window.splitter.setStretchFactor(1, 1)
    window.splitter.setStretchFactor(2, 0)
    window.splitter.setSizes([190, 780, 330])
    window.splitter.setChildrenCollapsible(False)
    window.views_first = ViewsFirst(window.splitter)
    window.setCentralWidget(window.splitter)
    window.setTabOrder(window.search, window.search_field)
    window.setTabOrder(window.search_field, window.zone_picker)
    window.setTabOrder(window.zone_picker, window.days_view)
    window.setTabOrder(window.days_view, window.starred_only)
    window.setTabOrder(window.starred_only, window.hide_over)
    window.setTabOrder(window.hide_over, window.kind_view)
    window.setTabOrder(window.kind_view, window.track_view)
    window.setTabOrder(window.track_view, window.room_view)
    window.setTabOrder(window.room_view, window.reset_button)
    window.setTabOrder(window.reset_button, window.hidden_bar.show_all)
    window.setTabOrder(window.hidden_bar.show_all, window.tabs)
    window.setTabOrder(window.tabs, window.timeline.view)
    window.setTabOrder(window.timeline.view, window.list_view)
    window.setTabOrder(window.list_view, window.agenda_view)
    window.setTabOrder(window.agenda_view, window.overview)
    window.setTabOrder(window.overview, window.details)
    window.setTabOrder(window.details, window.star_note.edit)
    window.setTabOrder(window.star_note.edit, window.star_note.must)
    window.setTabOrder(window.star_note.must, window.star_note.maybe)

def size_time_columns(window: MainWindow) -> None:
    """Time columns wide enough for their header (it names the zone) and a long span."""
    metrics = window.list_view.fontMetrics()
    header_text = f"Time ({window.controller.display_zone_name})"
    longest = "Wed 30 Sep 22:00–~23:00"
    window.list_columns.set_preferred(
        Column.TIME, max(metrics.horizontalAdvance(longest),
                         metrics.horizontalAdvance(header_text) + 30) + 16)
    window.agenda_columns.set_preferred(
        AgendaColumn.TIME, max(metrics.horizontalAdvance("22:00–~02:00 (+1 day)"),
                               metrics.horizontalAdvance(header_text) + 30) + 16)


def reveal_in_tab(window: MainWindow, tab: int) -> None:
    """Select the current item in the view of ``tab`` (without it choosing anew)."""
    item_id = window.current_id
    if not item_id:
        return
    if tab == TAB_TIMELINE:
        window.timeline.view.select(item_id, reveal=True)
    elif tab == TAB_LIST:
        indexes = window.proxy.indexes_of(item_id)
        if indexes and window.list_view.currentIndex().siblingAtColumn(0) != indexes[0]:
            window.list_view.blockSignals(True)
            window.list_view.select_index(indexes[0])
            window.list_view.blockSignals(False)
    elif tab == TAB_OVERVIEW:
        window.overview.select(item_id, reveal=True)
    elif tab == TAB_AGENDA:
        index = window.agenda_model.index_of(item_id)
        if index.isValid():
            window.agenda_view.blockSignals(True)
            window.agenda_view.select_index(index)
            window.agenda_view.blockSignals(False)
