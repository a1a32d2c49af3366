"""The main window: search and zone on top, filters left, Timeline | List | My agenda in the
middle, details right, stars and conflicts in the status bar.

The window wires views to the controller and keeps view state (geometry, the place in the
timeline) in ``QSettings``; the user's data (stars, zones, last program) goes through the
workspace only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QWidget,
)

from planner.core import settings as declared
from planner.core import timezones
from planner.core.errors import PlannerError
from planner.core.model import Program
from planner.core.update import UpdatePlan
from planner.ui import (
    day_navigation,
    icons,
    view_state,
    window_actions,
    window_dialogs,
    window_filters,
)
from planner.ui.busy_times import BusyTimesHook
from planner.ui.columns import TitleFirst
from planner.ui.controller import Controller
from planner.ui.details import DetailsView
from planner.ui.export_dialog import ExportDialog
from planner.ui.filter_bar import HiddenBar
from planner.ui.focus_ring import FocusRing
from planner.ui.models import (
    ITEM_ROLE,
    KIND_ROLE,
    AgendaModel,
    DaysModel,
    FacetModel,
    ProgramModel,
)
from planner.ui.overview_view import OverviewView
from planner.ui.program_loader import BACKGROUND_START_MS, ProgramLoader
from planner.ui.proxy import FilterProxy
from planner.ui.sidebar import fill_facets, fit_list
from planner.ui.star_note import StarNoteEditor
from planner.ui.sync_hook import SyncHook
from planner.ui.timeline import TimelinePane
from planner.ui.view_state import report_settings_notices, restore_window_state
from planner.ui.views import StarTreeView
from planner.ui.window_actions import add_recent, build_actions, build_menus, build_toolbar
from planner.ui.window_dialogs import report_update
from planner.ui.window_fit import ViewsFirst
from planner.ui.window_settings import WindowSettings
from planner.ui.window_status import build_status_bar, update_status
from planner.ui.window_views import (
    TAB_AGENDA,
    TAB_LIST,
    TAB_OVERVIEW,
    TAB_TIMELINE,
    build_central,
    reveal_in_tab,
    size_time_columns,
)
from planner.ui.worker import run_in_background
from planner.ui.zone_picker import ZonePicker


class MainWindow(QMainWindow):
    """The planner window. ``programLoaded`` fires once a program is shown (tests wait on it)."""

    programLoaded = Signal()
    loadFailed = Signal(str)

    # Made by window_actions: the commands, the toolbar's search and zone, the recent menu.
    open_action: QAction
    update_action: QAction
    bundled_action: QAction
    export_action: QAction
    sync_hook: SyncHook
    busy_times: BusyTimesHook
    sync_action: QAction
    print_action: QAction  # and export_pdf_action: planner/ui/print_actions.py
    export_pdf_action: QAction
    quit_action: QAction
    find_action: QAction
    star_action: QAction
    reset_action: QAction
    tab_actions: list[QAction]
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    previous_day_action: QAction
    next_day_action: QAction
    now_action: QAction
    fit_rooms_action: QAction
    expand_lanes_action: QAction
    display_zone_action: QAction
    source_zone_action: QAction
    shortcuts_action: QAction
    about_action: QAction
    about_qt_action: QAction
    theme_group: QActionGroup
    theme_actions: dict[str, QAction]
    search: QLineEdit
    search_field: QComboBox
    zone_picker: ZonePicker
    search_timer: QTimer
    recent_menu: QMenu
    shortcuts_box: QMessageBox
    # Made by window_views: the views in the middle.
    sidebar: QWidget
    timeline: TimelinePane
    list_view: StarTreeView
    list_columns: TitleFirst
    agenda_view: StarTreeView
    agenda_columns: TitleFirst
    agenda_empty: QLabel
    overview: OverviewView  # made by overview_nav
    tabs: QTabWidget
    details: DetailsView
    star_note: StarNoteEditor
    splitter: QSplitter
    hidden_bar: HiddenBar
    views_first: ViewsFirst
    # Made by window_status: the status bar.
    stars_label: QLabel
    conflict_icon: QLabel
    conflicts_label: QLabel
    zone_button: QPushButton
    progress: QProgressBar
    progress_label: QLabel
    progress_timer: QTimer
    clock_timer: QTimer
    # Made by sidebar: the filters.
    days_view: QListView
    starred_only: QCheckBox
    hide_over: QCheckBox
    kind_box: QWidget
    kind_view: QListView
    track_box: QWidget
    track_view: QListView
    room_box: QWidget
    room_view: QListView
    reset_button: QPushButton
    # Made by window_dialogs: the last dialog of each kind (tests look at them).
    source_zone_dialog: QDialog
    export_dialog: ExportDialog
    error_box: QMessageBox
    update_box: QMessageBox

    def __init__(self, controller: Controller, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.view_settings = WindowSettings(settings)
        self.settings_notices: list[str] = []  # every reset of a damaged setting, for the user
        self.current_id: str | None = None
        self.loader = ProgramLoader(self)
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

        build_actions(self)
        build_toolbar(self)
        build_central(self)
        build_menus(self)
        build_status_bar(self)
        self._connect()
        self.busy_times = BusyTimesHook(self)  # File > Open Busy Times…, the grey lane's data
        self.focus_ring = FocusRing(self)
        restore_window_state(self)
        report_settings_notices(self)
        self.agenda_model.set_active(self.tabs.currentIndex() == TAB_AGENDA)
        update_status(self)

    # -- building --------------------------------------------------------------------------
    def _connect(self) -> None:
        c = self.controller
        c.programChanged.connect(self._on_program_changed)
        c.starsChanged.connect(lambda _ids: update_status(self))
        c.conflictsChanged.connect(lambda: update_status(self))
        c.timesChanged.connect(self._on_times_changed)
        c.failed.connect(self.show_error)
        window_filters.connect_filters(self)
        self.zone_picker.zoneChosen.connect(self._on_zone_chosen)
        selection = self.days_view.selectionModel()
        selection.currentChanged.connect(
            lambda index, _previous: day_navigation.on_day_clicked(self, index))
        self.days_view.activated.connect(lambda index: day_navigation.on_day_clicked(self, index))
        view = self.timeline.view
        view.selected.connect(lambda item_id: self.set_current(item_id, origin=TAB_TIMELINE))
        view.starRequested.connect(self.controller.toggle)
        view.dayChanged.connect(lambda day: day_navigation.on_timeline_day(self, day))
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
    def open_path(self, path: Path | str | None, update: bool = False) -> None:
        """Parse a program off the GUI thread (the bundled one for None) and show it."""
        self.loader.open_path(path, update)

    def choose_file(self) -> None:
        self.loader.choose_file()

    def choose_update(self) -> None:
        self.loader.choose_update()

    def show_program(self, program: Program, path: Path | None = None,
                     stars_moved: bool = False) -> None:
        """Open ``program`` (already parsed) with the user's stars (``stars_moved``: a refresh
        already moved them to this version)."""
        old = self.controller.program
        if old is not None:
            self.save_view_state()
        update = self.loader.take_update()
        try:
            # The same conference again (or a copy the user says is newer): stars follow
            # their items to new ids, and the user is told what moved.
            workspace, plan = self.controller.open_workspace(
                program, path, as_update=update, carry=not stars_moved)
        except PlannerError as error:
            self.show_error("The program could not be opened", str(error))
            return
        self.loader.path = path
        if path is not None:
            add_recent(self, path)
        self.controller.set_workspace(workspace)
        if self.proxy.search_index is None:
            self.loader.index_later(program)
        self.restore_view_state()
        self.timeline.view.open_at_now()  # a program under way opens at now, not where it was
        if plan is not None and (plan.changes or plan.missing):
            if self.update_reporter is not None and old is not None:
                self.update_reporter(old, program, plan)
            else:
                report_update(self, plan)
        self.programLoaded.emit()

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
        fill_facets(self, program)
        fit_list(self.days_view, self.days_model.rowCount(), 7)
        window_filters.clear_facet_filters(self)
        self.list_view.setRootIsDecorated(bool(program.papers))
        self._populate_zone_picker()
        update_status(self)
        self.set_current(None)
        self._after_agenda_reset()

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
        size_time_columns(self)
        fit_list(self.days_view, self.days_model.rowCount(), 7)
        update_status(self)
        day_navigation.on_timeline_day(self, self.timeline.view.day)

    def _on_zone_chosen(self, name: str) -> None:
        try:
            self.controller.set_display_zone(name)
        except (timezones.UnknownZoneError, PlannerError) as error:
            self.show_error("Unknown time zone", str(error))

    def on_clock_tick(self) -> None:
        """Every minute: what is over may hide, and the now line moves."""
        if self.proxy.filters.hide_over:
            self.proxy.refilter()
        self.timeline.view.viewport().update()

    # -- search and filters (window_filters) ----------------------------------------------
    def apply_search(self) -> None:
        window_filters.apply_search(self)

    def reset_filters(self) -> None:
        window_filters.reset_filters(self)

    # -- selection -------------------------------------------------------------------------
    def set_current(self, item_id: str | None, session_id: str = "",
                    origin: int | None = None) -> None:
        """One current item for every view; the details follow it."""
        if not item_id:
            item_id = None
        if item_id == self.current_id and origin is not None:
            return
        self.current_id = item_id
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
        reveal_in_tab(self, self.tabs.currentIndex())

    def _on_tab_changed(self, tab: int) -> None:
        self.agenda_model.set_active(tab == TAB_AGENDA)
        reveal_in_tab(self, tab)

    def show_tab(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)
        widget = {TAB_TIMELINE: self.timeline.view, TAB_LIST: self.list_view,
                  TAB_AGENDA: self.agenda_view, TAB_OVERVIEW: self.overview}[tab]
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
            reveal_in_tab(self, TAB_AGENDA)

    # -- export ----------------------------------------------------------------------------
    def shown_session_ids(self) -> list[str]:
        ids = []
        for row in range(self.proxy.rowCount()):
            item = self.proxy.item_of(self.proxy.index(row, 0))
            if item is not None:
                ids.append(item.id)
        return ids

    # -- dialogs, view state (window_dialogs, view_state) ----------------------------------
    def change_source_zone(self) -> None:
        window_dialogs.change_source_zone(self)

    def export(self) -> ExportDialog | None:
        return window_dialogs.export(self)

    def show_error(self, title: str, message: str, details: str = "",
                   what_to_do: str = "") -> None:
        """An error in a dialog that says what happened and what to do next."""
        window_dialogs.show_error(self, title, message, details, what_to_do)

    def show_about(self) -> None:
        window_dialogs.show_about(self)

    def show_shortcuts(self) -> None:
        window_actions.show_shortcuts(self)

    def _recent(self) -> list[str]:
        return window_actions.recent_files(self)

    def set_theme(self, theme: str) -> None:
        view_state.set_theme(self, theme)

    def save_view_state(self) -> None:
        """Where the user was in this program: tab, day and hour, zoom, rooms, selection."""
        view_state.save_view_state(self)

    def restore_view_state(self) -> None:
        view_state.restore_view_state(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.flush_edits()  # a note being typed is saved
        self.save_view_state()
        stored = self.view_settings
        stored.put(declared.WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        stored.put(declared.WINDOW_STATE, bytes(self.saveState().data()))
        stored.put(declared.WINDOW_SPLITTER, bytes(self.splitter.saveState().data()))
        stored.sync()
        super().closeEvent(event)
