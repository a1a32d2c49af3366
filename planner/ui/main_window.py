"""The main window: search and zone on top, filters left, Timeline | List | My agenda in the
middle, details right, stars and conflicts in the status bar.

The window wires views to the controller and keeps view state (geometry, the place in the
timeline) in ``QSettings``; the user's data (stars, zones, last program) goes through the
workspace only.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner import __version__
from planner.core import settings as declared
from planner.core import timezones
from planner.core.errors import PlannerError
from planner.core.model import Program, SessionKind
from planner.core.update import UpdatePlan, describe
from planner.ui import icons, timefmt
from planner.ui.columns import TitleFirst
from planner.ui.controller import Controller
from planner.ui.details import DetailsView
from planner.ui.export_dialog import ExportDialog
from planner.ui.filter_bar import HiddenBar, restore_filters, save_filters
from planner.ui.focus_ring import FocusRing
from planner.ui.models import (
    ITEM_ROLE,
    KIND_ROLE,
    AgendaColumn,
    AgendaModel,
    Column,
    DaysModel,
    FacetModel,
    ProgramModel,
)
from planner.ui.proxy import FilterProxy, SearchIndex
from planner.ui.search_ui import EscapeClears, HighlightDelegate, search_field_box
from planner.ui.sync_hook import SyncHook
from planner.ui.theme import THEMES, apply_theme
from planner.ui.timeline import DEFAULT_ZOOM, TimelinePane, suggested_zoom
from planner.ui.views import StarTreeView
from planner.ui.window_fit import ViewsFirst, fit_to_screen
from planner.ui.window_settings import WindowSettings, program_group
from planner.ui.worker import load_program_file, run_in_background
from planner.ui.zone_picker import ZonePicker

SEARCH_DELAY_MS = 180
RECENT_LIMIT = declared.RECENT_LIMIT
PROGRESS_AFTER_MS = 500
BACKGROUND_START_MS = 250
AUTO_EXPAND_LIMIT = 25

TAB_TIMELINE, TAB_LIST, TAB_AGENDA, TAB_OVERVIEW = 0, 1, 2, 3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class MainWindow(QMainWindow):
    """The planner window. ``programLoaded`` fires once a program is shown (tests wait on it)."""

    programLoaded = Signal()
    loadFailed = Signal(str)

    def __init__(self, controller: Controller, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.view_settings = WindowSettings(settings)
        self.settings_notices: list[str] = []  # every reset of a damaged setting, for the user
        self.current_id: str | None = None
        self.current_session_id = ""
        self._is_loading = False
        self._program_path: Path | None = None
        self._update_next = False
        # Set by planner.ui.live: shows what an update changed in its banner, not a dialog.
        self.update_reporter: Callable[[Program, Program, UpdatePlan], None] | None = None
        self.setWindowTitle("planner")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)

        self.program_model = ProgramModel(controller, self)
        self.proxy = FilterProxy(controller, self.program_model, self)
        self.agenda_model = AgendaModel(controller, self)
        self.days_model = DaysModel(controller, self)
        self.kind_facet = FacetModel("Kind", self)
        self.track_facet = FacetModel("Track", self)
        self.room_facet = FacetModel("Room", self)

        self._build_actions()
        self._build_toolbar()
        self._build_central()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self.focus_ring = FocusRing(self)
        self._restore_window_state()
        self._report_settings_notices()
        self.agenda_model.set_active(self.tabs.currentIndex() == TAB_AGENDA)
        self._update_status()

    # -- building --------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open…", self.choose_file, QKeySequence.StandardKey.Open,
                                        "Open a conference program (frab XML/JSON, iCalendar, "
                                        "copied page)")
        self.update_action = self._action(
            "Open &Updated Version…", self.choose_update,
            tip="Open a newer copy of this program; your stars follow their sessions and "
                "papers, and you see what changed")
        self.bundled_action = self._action("Open &Bundled Program", lambda: self.open_path(None),
                                           tip="Open the ICLR 2021 day that comes with planner")
        self.export_action = self._action("&Export to Calendar…", self.export, "Ctrl+E",
                                          "Export your agenda as an iCalendar file")
        self.sync_hook = SyncHook(self)
        self.sync_action = self._action("S&ync to Calendar…", self.sync_hook.open_dialog,
                                        tip="Keep your agenda in a CalDAV calendar (Nextcloud, "
                                            "Fastmail, iCloud…)")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.find_action = self._action("&Find", self.focus_search, QKeySequence.StandardKey.Find,
                                        "Search titles, abstracts, speakers, kinds, rooms, tracks")
        self.star_action = self._action("&Star or Unstar Selection", self.toggle_current_star,
                                        "Ctrl+D", "Star the selected session or paper (also Space)")
        self.reset_action = self._action("&Reset Filters", self.reset_filters, "Ctrl+Shift+F")
        self.tab_actions = []
        for index, (text, key) in enumerate((("&Timeline", "Ctrl+1"), ("&List", "Ctrl+2"),
                                             ("My &Agenda", "Ctrl+3"))):
            self.tab_actions.append(self._action(text, lambda _=False, i=index: self.show_tab(i),
                                                 key))
        self.zoom_in_action = self._action("Zoom &In", lambda: self.timeline.view.zoom(1),
                                           QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = self._action("Zoom &Out", lambda: self.timeline.view.zoom(-1),
                                            QKeySequence.StandardKey.ZoomOut)
        self.zoom_reset_action = self._action(
            "&Reset Zoom", lambda: self.timeline.view.set_zoom(DEFAULT_ZOOM), "Ctrl+0")
        self.previous_day_action = self._action("&Previous Day",
                                                lambda: self.timeline.view.step_day(-1),
                                                "Alt+PgUp")
        self.next_day_action = self._action("&Next Day", lambda: self.timeline.view.step_day(1),
                                            "Alt+PgDown")
        self.now_action = self._action("Go to No&w", self.go_to_now, "Ctrl+Shift+N",
                                       "Show the day and hour that is now")
        self.fit_rooms_action = self._action(
            "&Fit Rooms to Width", lambda checked: self.timeline.view.set_fit_rooms(checked),
            "Ctrl+Shift+R",
            "Squeeze every room of the timeline into the window's width")
        self.fit_rooms_action.setCheckable(True)
        self.expand_lanes_action = self._action("&Expand All Rooms",
                                                lambda: self.timeline.view.set_collapsed(set()))
        self.display_zone_action = self._action("&Display Time Zone…", self.focus_zone_picker,
                                                "Ctrl+T", "Choose the zone times are shown in")
        self.source_zone_action = self._action("&Program Time Zone…", self.change_source_zone,
                                               tip="Change the zone the program's times were "
                                                   "written in (when it was a guess)")
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts,
                                             QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("&About planner", self.show_about)
        self.about_qt_action = self._action("About &Qt", QApplication.aboutQt)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = QAction({"system": "&System", "light": "&Light", "dark": "&Dark"}[theme],
                             self)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Search and time zone", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search papers, sessions, speakers…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.search.setAccessibleDescription("Every word must match a title, abstract, speaker, "
                                             "kind, room or track")
        self.search.setMinimumWidth(180)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        self.zone_picker = ZonePicker(self)
        self.zone_picker.setAccessibleName("Show times in")
        zone_label = QLabel("Show &times in:")
        zone_label.setBuddy(self.zone_picker)
        container = QWidget()
        row = QHBoxLayout(container)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(search_label)
        row.addWidget(self.search, 3)
        self.search_field = search_field_box(self.proxy, self._search_again)
        row.addWidget(self.search_field)
        EscapeClears(self.search, self.apply_search, self._leave_search)
        row.addSpacing(12)
        row.addWidget(zone_label)
        row.addWidget(self.zone_picker, 2)
        toolbar.addWidget(container)
        self.addToolBar(toolbar)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)

    def _facet_view(self, model: FacetModel, name: str) -> tuple[QWidget, QListView]:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        header = QHBoxLayout()
        label = QLabel(f"<b>{name}</b>")
        header.addWidget(label, 1)
        view = QListView()
        view.setModel(model)
        view.setAccessibleName(f"{name} filter")
        view.setAccessibleDescription("Space checks or unchecks; unchecked values are hidden")
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setUniformItemSizes(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(
            lambda pos, v=view, m=model: self._facet_menu(v, m, pos))
        for text, checked in (("All", True), ("None", False)):
            button = QPushButton(text)
            button.setFlat(True)
            button.setAccessibleName(f"{text} {name.lower()}")
            button.setToolTip(f"{'Check' if checked else 'Uncheck'} every {name.lower()}")
            button.clicked.connect(lambda _=False, m=model, c=checked: m.set_all(c))
            button.setMaximumWidth(button.fontMetrics().horizontalAdvance(text) + 18)
            header.addWidget(button)
        label.setBuddy(view)
        layout.addLayout(header)
        layout.addWidget(view)
        return box, view

    def _facet_menu(self, view: QListView, model: FacetModel, pos: QPoint) -> None:
        index = view.indexAt(pos)
        menu = QMenu(view)
        if index.isValid():
            key = model.values[index.row()][0]
            menu.addAction("Show only this", lambda: model.only(key))
        menu.addAction("Show all", lambda: model.set_all(True))
        menu.exec(view.viewport().mapToGlobal(pos))

    def _build_sidebar(self) -> QWidget:
        sidebar = QWidget()
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(6, 6, 6, 6)
        days_label = QLabel("<b>&Days</b>")
        self.days_view = QListView()
        self.days_view.setModel(self.days_model)
        self.days_view.setAccessibleName("Days")
        self.days_view.setAccessibleDescription("Jump to a day; days as the display zone sees "
                                                "them")
        self.days_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        days_label.setBuddy(self.days_view)
        layout.addWidget(days_label)
        layout.addWidget(self.days_view)
        show_label = QLabel("<b>Show</b>")
        layout.addWidget(show_label)
        self.starred_only = QCheckBox("Starred &only")
        self.starred_only.setAccessibleName("Starred only")
        self.hide_over = QCheckBox("&Hide what is over")
        self.hide_over.setAccessibleName("Hide what is over")
        layout.addWidget(self.starred_only)
        layout.addWidget(self.hide_over)
        self.kind_box, self.kind_view = self._facet_view(self.kind_facet, "Kinds")
        self.track_box, self.track_view = self._facet_view(self.track_facet, "Tracks")
        self.room_box, self.room_view = self._facet_view(self.room_facet, "Rooms")
        for box in (self.kind_box, self.track_box, self.room_box):
            layout.addWidget(box)
        self.reset_button = QPushButton("Reset filters")
        self.reset_button.setAccessibleName("Reset filters")
        self.reset_button.clicked.connect(self.reset_filters)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(sidebar)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName("Filters")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls are the tab stops
        scroll.setMinimumWidth(150)
        return scroll

    def _build_central(self) -> None:
        self.sidebar = self._build_sidebar()
        self.timeline = TimelinePane(self.controller, self.proxy)
        self.timeline.view.fitRoomsChanged.connect(self.fit_rooms_action.setChecked)
        self.list_view = StarTreeView(Column.STAR)
        self.list_view.setModel(self.proxy)
        self.list_view.setAccessibleName("Sessions and papers")
        self.list_view.setSortingEnabled(True)
        self.list_view.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
        self.list_view.setTreePosition(Column.TITLE)  # papers indent under titles, not stars
        self.list_view.configure_star_column()
        self.list_view.setItemDelegateForColumn(Column.TITLE,
                                                HighlightDelegate(self.proxy, self.list_view))
        time_floor = self.fontMetrics().horizontalAdvance("Sat 30 Sep 22:00") + 12
        self.list_columns = TitleFirst(self.list_view, Column.TITLE, {
            Column.TIME: time_floor, Column.KIND: 48, Column.PLACE: 64})
        self.list_columns.set_preferred(Column.KIND, 110)
        self.list_columns.set_preferred(Column.PLACE, 130)
        self.agenda_view = StarTreeView(AgendaColumn.STAR)
        self.agenda_view.setModel(self.agenda_model)
        self.agenda_view.setAccessibleName("My agenda")
        self.agenda_view.setAlternatingRowColors(False)
        self.agenda_view.setTreePosition(AgendaColumn.TITLE)
        self.agenda_view.setRootIsDecorated(False)  # always expanded: papers under sessions
        self.agenda_view.setItemsExpandable(False)
        self.agenda_view.configure_star_column()
        self.agenda_columns = TitleFirst(self.agenda_view, AgendaColumn.TITLE, {
            AgendaColumn.TIME: time_floor, AgendaColumn.PLACE: 64})
        self.agenda_columns.set_preferred(AgendaColumn.PLACE, 130)
        self._size_time_columns()
        self.agenda_empty = QLabel("Nothing starred yet. Click a ☆ in the timeline or the list "
                                   "(or press Space) to build your agenda.")
        self.agenda_empty.setWordWrap(True)
        self.agenda_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        agenda_page = QWidget()
        agenda_layout = QVBoxLayout(agenda_page)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_layout.addWidget(self.agenda_empty)
        agenda_layout.addWidget(self.agenda_view, 1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Views")
        self.tabs.tabBar().setAccessibleName("Views")
        self.tabs.addTab(self.timeline, "&Timeline")
        self.tabs.addTab(self.list_view, "&List")
        self.tabs.addTab(agenda_page, "My &agenda")
        self.details = DetailsView(self.controller)
        self.details.setMinimumWidth(180)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.hidden_bar = HiddenBar(self.proxy, self.reset_filters)
        views = QWidget()
        views_layout = QVBoxLayout(views)
        views_layout.setContentsMargins(0, 0, 0, 0)
        views_layout.setSpacing(0)
        views_layout.addWidget(self.hidden_bar)
        views_layout.addWidget(self.tabs, 1)
        self.splitter.addWidget(views)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([190, 780, 330])
        self.splitter.setChildrenCollapsible(False)
        self.views_first = ViewsFirst(self.splitter)
        self.setCentralWidget(self.splitter)
        self.setTabOrder(self.search, self.search_field)
        self.setTabOrder(self.search_field, self.zone_picker)
        self.setTabOrder(self.zone_picker, self.days_view)
        self.setTabOrder(self.days_view, self.starred_only)
        self.setTabOrder(self.starred_only, self.hide_over)
        self.setTabOrder(self.hide_over, self.kind_view)
        self.setTabOrder(self.kind_view, self.track_view)
        self.setTabOrder(self.track_view, self.room_view)
        self.setTabOrder(self.room_view, self.reset_button)
        self.setTabOrder(self.reset_button, self.hidden_bar.show_all)
        self.setTabOrder(self.hidden_bar.show_all, self.tabs)
        self.setTabOrder(self.tabs, self.timeline.view)
        self.setTabOrder(self.timeline.view, self.list_view)
        self.setTabOrder(self.list_view, self.agenda_view)
        self.setTabOrder(self.agenda_view, self.details)

    def _size_time_columns(self) -> None:
        """Time columns wide enough for their header (it names the zone) and a long span."""
        metrics = self.list_view.fontMetrics()
        header_text = f"Time ({self.controller.display_zone_name})"
        longest = "Wed 30 Sep 22:00–~23:00"
        self.list_columns.set_preferred(
            Column.TIME, max(metrics.horizontalAdvance(longest),
                             metrics.horizontalAdvance(header_text) + 30) + 16)
        self.agenda_columns.set_preferred(
            AgendaColumn.TIME, max(metrics.horizontalAdvance("22:00–~02:00 (+1 day)"),
                                   metrics.horizontalAdvance(header_text) + 30) + 16)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.update_action)
        file_menu.addAction(self.bundled_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.star_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.reset_action)
        view_menu = bar.addMenu("&View")
        for action in self.tab_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action,
                       self.fit_rooms_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (self.previous_day_action, self.next_day_action, self.now_action,
                       self.expand_lanes_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.display_zone_action)
        view_menu.addAction(self.source_zone_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("T&heme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        help_menu.addAction(self.about_qt_action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.stars_label = QLabel()
        self.stars_label.setAccessibleName("Starred")
        self.conflict_icon = QLabel()
        self.conflict_icon.setPixmap(icons.warning_icon().pixmap(16, 16))
        self.conflict_icon.setAccessibleName("Conflict warning")
        self.conflicts_label = QLabel()
        self.conflicts_label.setAccessibleName("Conflicts")
        self.zone_button = QPushButton()
        self.zone_button.setFlat(True)
        self.zone_button.setAccessibleName("Program time zone")
        self.zone_button.setToolTip("The zone the program's times were written in. Click to "
                                    "change it if it was guessed wrong; every time moves.")
        self.zone_button.clicked.connect(self.change_source_zone)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Opening")
        self.progress.hide()
        self.progress_label = QLabel()
        self.progress_label.hide()
        # One container: the status bar hides it under a temporary message as a whole, while
        # the icon inside comes and goes with the conflicts.
        summary = QWidget()
        summary_row = QHBoxLayout(summary)
        summary_row.setContentsMargins(0, 0, 0, 0)
        summary_row.addWidget(self.stars_label)
        summary_row.addWidget(self.conflict_icon)
        summary_row.addWidget(self.conflicts_label)
        status.addWidget(summary)
        status.addPermanentWidget(self.progress_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.zone_button)
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.progress_timer.setInterval(PROGRESS_AFTER_MS)
        self.progress_timer.timeout.connect(self._show_progress)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(60_000)
        self.clock_timer.timeout.connect(self._on_clock)
        self.clock_timer.start()

    def _connect(self) -> None:
        c = self.controller
        c.programChanged.connect(self._on_program_changed)
        c.starsChanged.connect(lambda _ids: self._update_status())
        c.conflictsChanged.connect(self._update_status)
        c.timesChanged.connect(self._on_times_changed)
        c.failed.connect(self.show_error)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        self.search_timer.timeout.connect(self.apply_search)
        self.zone_picker.zoneChosen.connect(self._on_zone_chosen)
        self.starred_only.toggled.connect(lambda on: self.proxy.set_filter(starred_only=on))
        self.hide_over.toggled.connect(lambda on: self.proxy.set_filter(hide_over=on))
        self.kind_facet.selectionChanged.connect(
            lambda: self.proxy.set_filter(kinds=self.kind_facet.selected()))
        self.track_facet.selectionChanged.connect(
            lambda: self.proxy.set_filter(tracks=self.track_facet.selected()))
        self.room_facet.selectionChanged.connect(
            lambda: self.proxy.set_filter(rooms=self.room_facet.selected()))
        self.proxy.filterChanged.connect(self._on_filter_changed)
        self.proxy.searchPending.connect(self._on_search_pending)
        selection = self.days_view.selectionModel()
        selection.currentChanged.connect(self._on_day_clicked)
        self.days_view.activated.connect(self._on_day_clicked)
        view = self.timeline.view
        view.selected.connect(lambda item_id: self.set_current(item_id, origin=TAB_TIMELINE))
        view.starRequested.connect(self.controller.toggle)
        view.dayChanged.connect(self._on_timeline_day)
        self.timeline.unscheduled.clicked.connect(self._on_unscheduled_clicked)
        for index, tree in ((TAB_LIST, self.list_view), (TAB_AGENDA, self.agenda_view)):
            tree.starRequested.connect(self.controller.toggle)
            tree.currentItemChanged.connect(
                lambda item_id, session_id, i=index, t=tree: self._on_tree_current(
                    t, i, item_id, session_id))
        self.agenda_model.modelReset.connect(self._after_agenda_reset)
        self.details.starRequested.connect(self.controller.toggle)
        self.details.selectRequested.connect(lambda item_id: self.select_item(item_id))
        self.details.linkRefused.connect(
            lambda url: self.statusBar().showMessage(f"Not opened (only web links open): {url}",
                                                     5000))
        self.tabs.currentChanged.connect(self._on_tab_changed)

    # -- loading ---------------------------------------------------------------------------
    def choose_update(self) -> None:
        if self.controller.program is None:
            self.choose_file()
            return
        start = str(self._program_path.parent) if self._program_path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, f"Newer version of {self.controller.program.name}", start,
            "Conference programs (*.xml *.json *.ics *.txt);;All files (*)")
        if chosen:
            self.open_path(chosen, update=True)

    def open_path(self, path: Path | str | None, update: bool = False) -> None:
        """Parse a program off the GUI thread (the bundled one for None) and show it.

        With ``update`` the file is a newer copy of the open program: stars move with it.
        """
        self._update_next = update
        target = Path(path) if path is not None else None
        self._is_loading = True
        shown = target.name if target else "the bundled program"
        self.progress_label.setText(f"Opening {shown}…")
        self.progress_timer.start()
        run_in_background(lambda: load_program_file(target),
                          lambda program: self._on_loaded(program, target),
                          lambda message, details: self._on_load_failed(message, details, target),
                          self)

    def _show_progress(self) -> None:
        if self._is_loading:
            self.progress_label.show()
            self.progress.show()

    def _end_progress(self) -> None:
        self._is_loading = False
        self.progress_timer.stop()
        self.progress.hide()
        self.progress_label.hide()

    def _on_loaded(self, program: object, path: Path | None) -> None:
        self._end_progress()
        assert isinstance(program, Program)
        self.show_program(program, path)

    def show_program(self, program: Program, path: Path | None = None,
                     stars_moved: bool = False) -> None:
        """Open ``program`` (already parsed) with the user's stars (``stars_moved``: a refresh
        already moved them to this version)."""
        old = self.controller.program
        if old is not None:
            self.save_view_state()
        update, self._update_next = self._update_next, False
        try:
            # The same conference again (or a copy the user says is newer): stars follow
            # their items to new ids, and the user is told what moved.
            workspace, plan = self.controller.open_workspace(
                program, path, as_update=update, carry=not stars_moved)
        except PlannerError as error:
            self.show_error("The program could not be opened", str(error))
            return
        self._program_path = path
        if path is not None:
            self._add_recent(path)
        self.controller.set_workspace(workspace)
        if self.proxy.search_index is None:
            # After the window has painted: the worker's Python would share the GIL with
            # the first paint. A search typed before then waits for it.
            QTimer.singleShot(BACKGROUND_START_MS, self,
                              lambda: self._build_index_in_background(program))
        self.restore_view_state()
        self.timeline.view.open_at_now()  # a program under way opens at now, not where it was
        if plan is not None and (plan.changes or plan.missing):
            if self.update_reporter is not None and old is not None:
                self.update_reporter(old, program, plan)
            else:
                self._report_update(plan)
        self.programLoaded.emit()

    def _report_update(self, plan: UpdatePlan) -> None:
        """What changed among the starred items, in a dialog that does not block."""
        zone = self.controller.display_zone
        lines = [f"{change.title}: {describe(change, zone)}" for change in plan.changes
                 if change.starred]
        missing = len(plan.missing)
        summary = (f"{len(plan.kept)} of your starred items are in the new version"
                   + (f"; {missing} are missing from it (their stars are kept)." if missing
                      else "."))
        box = QMessageBox(QMessageBox.Icon.Information, "The program has changed",
                          "The program has changed since you last opened it.",
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("updateReport")
        box.setInformativeText(summary + ("\n\n" + "\n".join(lines[:12]) if lines else ""))
        if len(lines) > 12:
            box.setDetailedText("\n".join(lines))
        self.update_box = box
        box.open()

    def _build_index_in_background(self, program: Program) -> None:
        if self.controller.program is not program or self.proxy.search_index is not None:
            return

        def done(index: object) -> None:
            if self.controller.program is program and isinstance(index, SearchIndex):
                self.proxy.set_search_index(index)

        run_in_background(lambda: SearchIndex.build(program), done,
                          lambda message, details: self.show_error("Search is unavailable",
                                                                   message, details), self)

    def _on_load_failed(self, message: str, details: str, path: Path | None) -> None:
        self._end_progress()
        shown = str(path) if path else "the bundled program"
        self.show_error(f"Could not open {shown}", message, details,
                        "Check that the file is a conference program: frab/Pentabarf XML, frab "
                        "JSON, an iCalendar (.ics) file or a copied virtual-conference page. "
                        "Then open it again with File → Open.")
        self.loadFailed.emit(message)

    def choose_file(self) -> None:
        start = str(self._program_path.parent) if self._program_path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a conference program", start,
            "Conference programs (*.xml *.json *.ics *.txt);;All files (*)")
        if chosen:
            self.open_path(chosen)

    def _recent(self) -> list[str]:
        return self.view_settings.get(declared.RECENT)

    def _add_recent(self, path: Path) -> None:
        resolved = str(path.resolve())
        recent = [resolved] + [p for p in self._recent() if p != resolved]
        self.view_settings.put(declared.RECENT, recent[:RECENT_LIMIT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self._recent() if Path(p).is_file()]
        if not recent:
            empty = self.recent_menu.addAction("No recent programs")
            empty.setEnabled(False)
            return
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())
                event.acceptProposedAction()
                return

    # -- following the program -------------------------------------------------------------
    def _on_program_changed(self) -> None:
        program = self.controller.program
        if program is None:
            return
        # Qt adds " — planner" (the display name) to a title that does not end with it.
        self.setWindowTitle(f"{program.name} — planner")
        counts_kind: dict[str, int] = {}
        counts_track: dict[str, int] = {}
        counts_room: dict[str, int] = {}
        for session in program.sessions:
            counts_kind[session.kind.value] = counts_kind.get(session.kind.value, 0) + 1
            counts_track[session.track] = counts_track.get(session.track, 0) + 1
            counts_room[session.room] = counts_room.get(session.room, 0) + 1
        for facet in (self.kind_facet, self.track_facet, self.room_facet):
            facet.unchecked = set()  # filters belong to a program (restore_view_state)
        by_track = bool(program.tracks)
        categories = self.timeline.view.categories()  # the legend's colours
        self.kind_facet.set_values([(k.value, k.label, counts_kind[k.value])
                                    for k in SessionKind if k.value in counts_kind],
                                   colours=None if by_track else categories)
        tracks = [(t, t, counts_track[t]) for t in program.tracks]
        if tracks and counts_track.get(""):
            tracks.append(("", "No track", counts_track[""]))
        self.track_facet.set_values(tracks, colours=categories if by_track else None)
        rooms = [(r, r, counts_room[r]) for r in program.rooms]
        if rooms and counts_room.get(""):
            rooms.append(("", "No room", counts_room[""]))
        self.room_facet.set_values(rooms)
        self.track_box.setVisible(bool(tracks))
        self.room_box.setVisible(bool(rooms))
        for view, model in ((self.kind_view, self.kind_facet), (self.track_view,
                                                                self.track_facet),
                            (self.room_view, self.room_facet), ):
            self._fit_list(view, model.rowCount(), 8)
        self._fit_list(self.days_view, self.days_model.rowCount(), 7)
        if any(f is not None for f in (self.proxy.filters.kinds, self.proxy.filters.tracks,
                                       self.proxy.filters.rooms)):
            self.proxy.set_filter(kinds=None, tracks=None, rooms=None)
        self.list_view.setRootIsDecorated(bool(program.papers))
        self._populate_zone_picker()
        self._update_status()
        self.set_current(None)
        self._after_agenda_reset()

    def _fit_list(self, view: QListView, rows: int, most: int) -> None:
        row_h = max(view.sizeHintForRow(0), view.fontMetrics().height() + 4) if rows else 20
        view.setFixedHeight(min(rows, most) * row_h + 2 * view.frameWidth() + 2)

    def _populate_zone_picker(self) -> None:
        """Local and Program at once; the 430 other zones (offsets during the program) are
        computed in a worker, so opening a program does not wait for pytz to load them."""
        program = self.controller.program
        span = program.span() if program else None
        at = span[0] if span else None
        self.zone_picker.populate(self.controller.local_zone_name,
                                  program.source_zone if program else None, at,
                                  self.controller.display_zone_name)
        QTimer.singleShot(BACKGROUND_START_MS, self, lambda: run_in_background(
            lambda: timezones.search_zones("", at),
            lambda zones: self.zone_picker.add_zones(zones, at),
            lambda message, details: None, self))  # on failure it fills when opened

    def _on_times_changed(self) -> None:
        self._populate_zone_picker()
        self._size_time_columns()
        self._fit_list(self.days_view, self.days_model.rowCount(), 7)
        self._update_status()
        self._on_timeline_day(self.timeline.view.day)

    def _on_zone_chosen(self, name: str) -> None:
        try:
            self.controller.set_display_zone(name)
        except (timezones.UnknownZoneError, PlannerError) as error:
            self.show_error("Unknown time zone", str(error))

    def _update_status(self) -> None:
        program = self.controller.program
        if program is None:
            self.stars_label.setText("No program open")
            self.conflict_icon.hide()
            self.conflicts_label.setText("")
            self.zone_button.setText("")
            self.zone_button.hide()
            return
        sessions, papers = self.controller.counts()
        self.stars_label.setText(f"★ {_plural(sessions, 'session')} and "
                                 f"{_plural(papers, 'paper')} starred")
        conflicts = self.controller.conflicts  # a summary: counted, the first pairs named
        self.conflict_icon.setVisible(bool(conflicts.pairs))
        if conflicts.pairs:
            self.conflicts_label.setText(f"· {_plural(conflicts.pairs, 'conflict')}")
            shown = conflicts.first_pairs
            more = conflicts.pairs - len(shown)
            self.conflicts_label.setToolTip("\n".join(
                [f"{c.first.title} overlaps {c.second.title}" for c in shown]
                + ([f"… and {more:,} more"] if more > 0 else [])))
        else:
            self.conflicts_label.setText("· no conflicts")
            self.conflicts_label.setToolTip("None of your starred sessions overlap")
        guessed = " (guessed: change…)" if program.zone_guessed else " (change…)"
        self.zone_button.setText(f"Program zone {program.source_zone}{guessed}")
        self.zone_button.show()

    def _on_clock(self) -> None:
        if self.proxy.filters.hide_over:
            self.proxy.refilter()
        self.timeline.view.viewport().update()

    # -- search and filters ----------------------------------------------------------------
    def apply_search(self) -> None:
        self.search_timer.stop()
        self.proxy.set_query(self.search.text())

    def _search_again(self) -> None:
        if self.search.text().strip():
            self.apply_search()

    def _leave_search(self) -> None:
        self.show_tab(self.tabs.currentIndex())

    def _on_search_pending(self, pending: bool) -> None:
        if pending:
            self.statusBar().showMessage("Preparing search (first time for this program)…")
        else:
            self.statusBar().clearMessage()

    def _on_filter_changed(self) -> None:
        if self.proxy.terms() and 0 < self.proxy.rowCount() <= AUTO_EXPAND_LIMIT:
            self.list_view.expandAll()

    def reset_filters(self) -> None:
        self.search.clear()
        self.apply_search()
        self.starred_only.setChecked(False)
        self.hide_over.setChecked(False)
        for facet in (self.kind_facet, self.track_facet, self.room_facet):
            if facet.unchecked:
                facet.set_all(True)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_zone_picker(self) -> None:
        self.zone_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        line = self.zone_picker.lineEdit()
        if line is not None:
            line.selectAll()

    # -- selection -------------------------------------------------------------------------
    def set_current(self, item_id: str | None, session_id: str = "",
                    origin: int | None = None) -> None:
        """One current item for every view; the details follow it."""
        if not item_id:
            item_id = None
        if item_id == self.current_id and origin is not None:
            return
        self.current_id = item_id
        self.current_session_id = session_id
        self.details.show_item(item_id, session_id or None)
        if origin != TAB_TIMELINE and item_id:
            self.timeline.view.select(item_id, reveal=self.tabs.currentIndex() == TAB_TIMELINE)

    def _on_tree_current(self, tree: StarTreeView, tab: int, item_id: str,
                         session_id: str) -> None:
        # A view on a hidden tab does not choose what the details show.
        if item_id and self.tabs.currentIndex() == tab:
            self.set_current(item_id, session_id, tab)

    def select_item(self, item_id: str) -> None:
        """Select an item and show it in the current view (``--select``, links in details)."""
        if self.controller.item(item_id) is None:
            self.statusBar().showMessage(f"No session or paper with id {item_id}", 5000)
            return
        self.set_current(item_id)
        self._reveal_in_tab(self.tabs.currentIndex())

    def _reveal_in_tab(self, tab: int) -> None:
        item_id = self.current_id
        if not item_id:
            return
        if tab == TAB_TIMELINE:
            self.timeline.view.select(item_id, reveal=True)
        elif tab == TAB_LIST:
            indexes = self.proxy.indexes_of(item_id)
            if indexes and self.list_view.currentIndex().siblingAtColumn(0) != indexes[0]:
                self.list_view.blockSignals(True)
                self.list_view.select_index(indexes[0])
                self.list_view.blockSignals(False)
        elif tab == TAB_AGENDA:
            index = self.agenda_model.index_of(item_id)
            if index.isValid():
                self.agenda_view.blockSignals(True)
                self.agenda_view.select_index(index)
                self.agenda_view.blockSignals(False)

    def _on_tab_changed(self, tab: int) -> None:
        self.agenda_model.set_active(tab == TAB_AGENDA)
        self._reveal_in_tab(tab)

    def show_tab(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)
        widget = {TAB_TIMELINE: self.timeline.view, TAB_LIST: self.list_view,
                  TAB_AGENDA: self.agenda_view}[tab]
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_view(self, name: str) -> None:
        """Show a view by name (``gui --view``): timeline, list, agenda or overview."""
        tabs = {"timeline": TAB_TIMELINE, "list": TAB_LIST, "agenda": TAB_AGENDA,
                "overview": TAB_OVERVIEW}
        self.show_tab(tabs[name])

    def toggle_current_star(self) -> None:
        if self.current_id:
            self.controller.toggle(self.current_id)

    def _on_unscheduled_clicked(self, index: QModelIndex) -> None:
        session = index.data(ITEM_ROLE)
        if session is not None:
            self.set_current(session.id, session.id, TAB_TIMELINE)

    def _after_agenda_reset(self) -> None:
        for row in range(self.agenda_model.rowCount()):
            kind = self.agenda_model.index(row, 0).data(KIND_ROLE)
            self.agenda_view.setFirstColumnSpanned(row, QModelIndex(), kind in ("day", "gap"))
        self.agenda_view.expandAll()
        empty = self.agenda_model.rowCount() == 0
        self.agenda_empty.setVisible(empty)
        self.agenda_view.setVisible(not empty)
        if self.tabs.currentIndex() == TAB_AGENDA and self.current_id:
            self._reveal_in_tab(TAB_AGENDA)

    def _on_day_clicked(self, index: QModelIndex) -> None:
        day = self.days_model.day_at(index.row())
        if day is not None and day != self.timeline.view.day:
            self.timeline.view.set_day(day)
            if self.tabs.currentIndex() == TAB_LIST:
                self._scroll_list_to_day(day)

    def _scroll_list_to_day(self, day: dt.date) -> None:
        sessions = self.controller.sessions_by_day().get(day, [])
        for session in sorted(sessions, key=lambda s: s.start):  # type: ignore[arg-type,return-value]
            indexes = self.proxy.indexes_of(session.id)
            if indexes:
                self.list_view.scrollTo(indexes[0], QAbstractItemView.ScrollHint.PositionAtTop)
                return

    def _on_timeline_day(self, day: object) -> None:
        if not isinstance(day, dt.date):
            return
        row = self.days_model.row_of(day)
        if row >= 0 and self.days_view.currentIndex().row() != row:
            # Not with the selection model's signals blocked: the list would keep drawing the
            # old day as selected. (_on_day_clicked sees the day is shown and does nothing.)
            self.days_view.setCurrentIndex(self.days_model.index(row))

    def go_to_now(self) -> None:
        now = self.controller.now()
        day = timezones.to_zone(now, self.controller.display_zone).date()
        view = self.timeline.view
        if day not in view.days():
            self.statusBar().showMessage(
                f"The program is not on today ({timefmt.day_label(day)}).", 5000)
            return
        self.show_tab(TAB_TIMELINE)
        view.set_day(day, keep_time=False)
        view.scroll_to_time(now - dt.timedelta(minutes=30))

    # -- zones -----------------------------------------------------------------------------
    def change_source_zone(self) -> None:
        program = self.controller.program
        if program is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Program time zone")
        text = QLabel(
            f"The times in “{program.name}” were written in <b>{program.source_zone}</b>"
            + (" — a guess." if program.zone_guessed else ".")
            + (f"<br><br>{program.zone_evidence}" if program.zone_evidence else "")
            + "<br><br>If that is wrong, choose the zone the program's page or file used. "
              "Every time moves; your stars stay.")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        picker = ZonePicker(dialog, special=False)
        span = program.span()
        picker.populate(self.controller.local_zone_name, None, span[0] if span else None,
                        program.source_zone)
        label = QLabel("&Zone:")
        label.setBuddy(picker)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(picker, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        dialog.resize(520, dialog.sizeHint().height())
        self.source_zone_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.controller.change_source_zone(picker.current_zone())

    # -- export ----------------------------------------------------------------------------
    def shown_session_ids(self) -> list[str]:
        ids = []
        for row in range(self.proxy.rowCount()):
            item = self.proxy.item_of(self.proxy.index(row, 0))
            if item is not None:
                ids.append(item.id)
        return ids

    def export(self) -> ExportDialog | None:
        if self.controller.program is None:
            self.show_error("Nothing to export", "No program is open.",
                            what_to_do="Open a program with File → Open first.")
            return None
        folder = self.view_settings.get(declared.EXPORT_FOLDER)
        shown = self.shown_session_ids()
        dialog = ExportDialog(self.controller, shown, folder, self)
        dialog.exported.connect(self._on_exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_exported(self, files: list[str]) -> None:
        if files:
            self.view_settings.put(declared.EXPORT_FOLDER, str(Path(files[0]).parent))
            where = files[0] if len(files) == 1 else f"{len(files)} files in " \
                f"{Path(files[0]).parent}"
            self.statusBar().showMessage(f"Exported to {where}", 8000)
        warnings = getattr(self.export_dialog, "warnings", [])
        if warnings:
            box = QMessageBox(QMessageBox.Icon.Information, "Exported, with notes",
                              "The calendar was written. Some things could not go into it:",
                              QMessageBox.StandardButton.Ok, self)
            box.setInformativeText("\n\n".join(warnings))
            box.setObjectName("exportNotes")
            box.open()

    # -- messages --------------------------------------------------------------------------
    def show_error(self, title: str, message: str, details: str = "",
                   what_to_do: str = "") -> None:
        """An error in a dialog that says what happened and what to do next."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, title, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("errorBox")
        box.setInformativeText(message + (f"\n\n{what_to_do}" if what_to_do else ""))
        if details:
            box.setDetailedText(details)
        self.error_box = box
        box.open()

    def show_about(self) -> None:
        data = self.controller.data_folder
        QMessageBox.about(
            self, "About planner",
            f"<h3>planner {__version__}</h3>"
            "<p>See a conference program in your time zone, star sessions and papers, find "
            "the clashes, and export your agenda to any calendar.</p>"
            f"<p>Your stars and settings are kept in <tt>{data}</tt>.</p>"
            "<p>MIT licence. Programs belong to their conferences.</p>")

    def show_shortcuts(self) -> None:
        rows = [("Ctrl+O", "Open a program (or drop a file on the window)"),
                ("Ctrl+E", "Export to calendar"), ("Ctrl+F", "Search"),
                ("Ctrl+T", "Choose the display time zone"),
                ("Space / Ctrl+D", "Star or unstar the selected item"),
                ("Ctrl+1 / 2 / 3", "Timeline / List / My agenda"),
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
                          f"<table>{table}</table>", QMessageBox.StandardButton.Ok, self)
        box.open()
        self.shortcuts_box = box

    # -- theme -----------------------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.view_settings.put(declared.THEME, theme)
        self.theme_actions[theme].setChecked(True)
        self.details.refresh()
        self.timeline._update_legend()
        self.kind_facet.set_values(self.kind_facet.values, self.kind_facet.colours)
        self.track_facet.set_values(self.track_facet.values, self.track_facet.colours)

    # -- remembering -----------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        geometry = self.view_settings.get(declared.WINDOW_GEOMETRY)
        if geometry and self.restoreGeometry(QByteArray(geometry)):
            fit_to_screen(self)
        else:
            self.resize(1280, 800)
        state = self.view_settings.get(declared.WINDOW_STATE)
        if state:
            self.restoreState(QByteArray(state))
        splitter = self.view_settings.get(declared.WINDOW_SPLITTER)
        if splitter:
            self.splitter.restoreState(QByteArray(splitter))
        theme = self.view_settings.get(declared.THEME)
        self.theme_actions.get(theme, self.theme_actions["system"]).setChecked(True)

    def _report_settings_notices(self) -> None:
        """Tell the user (status bar, stderr) which damaged settings were reset."""
        notices = self.view_settings.take_notices()
        if not notices:
            return
        self.settings_notices.extend(notices)
        for notice in notices:
            print(f"planner: {notice}", file=sys.stderr)
        self.statusBar().showMessage(
            "Some saved window settings were damaged and were reset: " + "; ".join(notices),
            15000)

    def _program_group(self) -> str:
        program = self.controller.program
        return program_group(program.key if program else "")

    def _facets(self) -> dict[str, FacetModel]:
        return {"kinds": self.kind_facet, "tracks": self.track_facet, "rooms": self.room_facet}

    def save_view_state(self) -> None:
        """Where the user was in this program: tab, day and hour, zoom, rooms, selection."""
        if self.controller.program is None:
            return
        view = self.timeline.view
        group = self._program_group()
        stored = self.view_settings
        stored.put(declared.VIEW_TOP, view.top_time(), group)
        stored.put(declared.VIEW_ZOOM, view.pixels_per_hour, group)
        stored.put(declared.VIEW_COLLAPSED, sorted(view.collapsed), group)
        stored.put(declared.VIEW_FIT_ROOMS, view.fit_rooms, group)
        stored.put(declared.VIEW_TAB, self.tabs.currentIndex(), group)
        stored.put(declared.VIEW_CURRENT, self.current_id or "", group)
        save_filters(stored, group, self.starred_only.isChecked(), self.hide_over.isChecked(),
                     self._facets())

    def restore_view_state(self) -> None:
        view = self.timeline.view
        group = self._program_group()
        stored = self.view_settings
        program = self.controller.program
        top = stored.get(declared.VIEW_TOP, group)
        has_zoom = stored.qt.contains(f"{group}/{declared.VIEW_ZOOM.name}")
        zoom = stored.get(declared.VIEW_ZOOM, group)
        if not has_zoom:
            zoom = suggested_zoom(program.sessions) if program else DEFAULT_ZOOM
        collapsed = stored.get(declared.VIEW_COLLAPSED, group)
        fit_rooms = stored.get(declared.VIEW_FIT_ROOMS, group)
        tab = stored.get(declared.VIEW_TAB, group)
        current = stored.get(declared.VIEW_CURRENT, group)
        restore_filters(stored, group, self.starred_only, self.hide_over, self._facets())
        self._report_settings_notices()
        view.pixels_per_hour = zoom
        view.set_collapsed(set(collapsed))
        view.set_fit_rooms(fit_rooms)
        self.tabs.setCurrentIndex(tab)
        if current and self.controller.item(current) is not None:
            self.set_current(current)
            self.timeline.view.select(current, reveal=False)
        if top is not None:
            day = timezones.to_zone(top, self.controller.display_zone).date()
            if day in view.days():
                view.set_day(day, keep_time=False)
                view.scroll_to_time(top)
        self._reveal_in_tab(self.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_view_state()
        stored = self.view_settings
        stored.put(declared.WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        stored.put(declared.WINDOW_STATE, bytes(self.saveState().data()))
        stored.put(declared.WINDOW_SPLITTER, bytes(self.splitter.saveState().data()))
        stored.sync()
        super().closeEvent(event)
