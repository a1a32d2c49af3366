"""The window's one piece of shared state: the open workspace, the display zone, the clock.

Views never call the store or change the program themselves; they ask the controller, which
calls :class:`planner.workspace.Workspace` (the same use cases as the command line) and then
tells every view what changed through signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from planner.core import timezones
from planner.core.busy import BusyTime
from planner.core.conflicts import ConflictSummary
from planner.core.errors import PlannerError
from planner.core.model import Paper, Program, Session
from planner.core.star_notes import StarNote
from planner.core.stars import Stars, StarState
from planner.ui import timefmt
from planner.workspace import (
    Workspace,
    open_workspace,
    remember_display_zone,
    remember_last_program,
    stored_setting,
)

if TYPE_CHECKING:
    from pathlib import Path

    from planner.core.reminders import ReminderSettings
    from planner.core.settings import Setting
    from planner.core.update import UpdatePlan
    from planner.net.cache import ProgramCache
    from planner.net.refresh import RefreshOutcome
    from planner.storage.reminder_log import ReminderLog
    from planner.storage.store import Store

Clock = Callable[[], dt.datetime]
T = TypeVar("T")


def system_clock() -> dt.datetime:
    return dt.datetime.now(timezones.UTC)


class Controller(QObject):
    """Holds the workspace and broadcasts changes.

    Signals:
        programChanged: a program was opened (everything must be rebuilt).
        starsChanged(list[str]): these ids were starred or unstarred.
        conflictsChanged: the set of conflicting sessions may have changed.
        timesChanged: the display zone or the program's source zone changed; every time moves.
        failed(str, str): something the user must be told (title, what to do).
        busyChanged: the user's busy times (their own calendar) were loaded or cleared.
        aboutToChange: another program is about to open, or the window to close: views
            holding an edit not saved yet (a note being typed) save it now.

    A note or priority change is announced as ``starsChanged([id])``: it changes what the
    views show of that star and what an export or a sync writes.
    """

    programChanged = Signal()
    starsChanged = Signal(list)
    conflictsChanged = Signal()
    timesChanged = Signal()
    failed = Signal(str, str)
    busyChanged = Signal()
    aboutToChange = Signal()

    def __init__(self, display_zone: str = "UTC", clock: Clock = system_clock,
                 local_zone: str = "UTC", parent: QObject | None = None, *,
                 store: Store | None = None) -> None:
        super().__init__(parent)
        self.store = store  # where programs open (the window never touches it itself)
        self.workspace: Workspace | None = None
        self.display_zone_name = timezones.zone_name(timezones.get_zone(display_zone))
        self.display_zone: dt.tzinfo = timezones.get_zone(self.display_zone_name)
        self.local_zone_name = local_zone
        self.clock = clock
        # Counted in full, a handful per session named: 3,000 parallel stars are 4.5M pairs.
        self.conflicts = ConflictSummary()
        self.conflict_map: dict[str, list[Session]] = {}
        self.busy: tuple[BusyTime, ...] = ()  # the user's calendar; titles stay in the app
        self._by_day: dict[dt.date, list[Session]] | None = None
        # session id -> "moved from Sat 14:00" after a refresh (planner.ui.live sets it).
        self.change_notes: dict[str, str] = {}

    def user_store(self) -> Store:
        """The store, for the domain helpers that keep their own records in it (sync state and
        settings); views pass it on and never read or write it themselves."""
        if self.store is None:
            raise RuntimeError("the window was started without a store")
        return self.store

    # -- reading ---------------------------------------------------------------------------
    @property
    def program(self) -> Program | None:
        return self.workspace.program if self.workspace else None

    @property
    def stars(self) -> Stars:
        return self.workspace.stars if self.workspace else Stars()

    @property
    def program_zone(self) -> dt.tzinfo:
        program = self.program
        return program.zone if program else timezones.UTC

    def now(self) -> dt.datetime:
        return self.clock()

    @property
    def two_clocks(self) -> bool:
        """Whether the program's own clock differs from the display's (and so is worth showing)."""
        program = self.program
        return program is not None and program.source_zone != self.display_zone_name

    def both_clocks(self, session: Session) -> str:
        """A timed session's span on the display clock, then on the program's when it differs."""
        assert session.start is not None
        text = timefmt.span(session.start, session.end, self.display_zone, session.end_estimated)
        if self.two_clocks:
            text += " · program time " + timefmt.span(session.start, session.end,
                                                      self.program_zone, session.end_estimated)
        return text

    def is_starred(self, item_id: str) -> bool:
        return self.stars.is_starred(item_id)

    def note_of(self, item_id: str) -> StarNote:
        """The note and priority of a starred item (plain for any other)."""
        return self.stars.note_of(item_id)

    def is_maybe(self, item_id: str) -> bool:
        return self.stars.is_maybe(item_id)

    def session_state(self, session: Session) -> str:
        program = self.program
        if program is None:
            return StarState.NONE
        return self.stars.session_state(program, session)

    def conflicts_of(self, session_id: str) -> list[Session]:
        """The first few sessions this one overlaps (see :meth:`unlisted_conflicts`)."""
        return self.conflict_map.get(session_id, [])

    def unlisted_conflicts(self, session_id: str) -> int:
        return self.conflicts.unlisted(session_id)

    def counts(self) -> tuple[int, int]:
        """(starred sessions, starred papers), counted from the stars, not the program, so a
        star flip on a 50,000-paper program stays cheap."""
        program = self.program
        if program is None:
            return 0, 0
        ids = self.stars.ids
        sessions = sum(1 for item_id in ids if program.find_session(item_id) is not None)
        papers = sum(1 for item_id in ids if item_id in program.papers)
        return sessions, papers

    def sessions_by_day(self) -> dict[dt.date, list[Session]]:
        """Scheduled sessions under each display-zone day they touch (cached until the
        program or a zone changes)."""
        if self._by_day is None:
            program = self.program
            self._by_day = (timefmt.sessions_by_day(program.sessions, self.display_zone,
                                                    source_zone=program.zone)
                            if program else {})
        return self._by_day

    def item(self, item_id: str) -> Session | Paper | None:
        program = self.program
        if program is None:
            return None
        return program.find_session(item_id) or program.papers.get(item_id)

    @property
    def data_folder(self) -> Path | None:
        """The folder of the user's stars and settings (for the About box)."""
        return self.store.folder if self.store is not None else None

    # -- changing --------------------------------------------------------------------------
    def open_workspace(self, program: Program, path: Path | None = None,
                       as_update: bool = False,
                       carry: bool = True) -> tuple[Workspace, UpdatePlan | None]:
        """A workspace on ``program`` in the store, stars carried from the open program when
        it is the same conference (see :func:`planner.workspace.open_workspace`; ``carry``
        False: a refresh moved them already); the caller shows it with :meth:`set_workspace`."""
        if self.store is None:
            raise PlannerError("no store to open the program in")
        self.flush_edits()  # before the stars are carried: a note typed now goes with them
        previous = self.program if carry else None
        return open_workspace(program, self.store, previous, as_update, path)

    def set_workspace(self, workspace: Workspace) -> None:
        if workspace is not self.workspace:
            self.flush_edits()
        self.workspace = workspace
        self._by_day = None
        self._recompute_conflicts()
        self.programChanged.emit()

    def set_change_notes(self, notes: dict[str, str]) -> None:
        self.change_notes = dict(notes)
        self.conflictsChanged.emit()  # the views repaint blocks and details

    def toggle(self, item_id: str) -> None:
        """Flip one star, save it, and tell the views."""
        if self.workspace is None:
            return
        self.flush_edits()  # a note being typed is saved (and then goes with the star)
        try:
            self.workspace.toggle(item_id)
        except PlannerError as error:
            self.failed.emit("The star could not be saved",
                             f"{error}\n\nCheck that the data folder is writable and has space, "
                             f"then try again.")
            return
        self._after_stars([item_id])

    def set_starred(self, item_ids: Iterable[str], starred: bool) -> None:
        if self.workspace is None:
            return
        self.flush_edits()
        try:
            changed = self.workspace.set_starred(list(item_ids), starred)
        except PlannerError as error:
            self.failed.emit("The stars could not be saved", str(error))
            return
        self._after_stars(changed)

    def flush_edits(self) -> None:
        """Ask every view to save what the user is typing (see ``aboutToChange``)."""
        self.aboutToChange.emit()

    def set_note(self, item_id: str, note: str | None = None,
                 priority: str | None = None) -> bool:
        """Save the note and/or priority of a star (starring the item if needed); False, with
        ``failed`` emitted, when it could not be saved."""
        if self.workspace is None:
            return False
        before = self.stars.note_of(item_id)
        try:
            self.workspace.annotate([item_id], note=note, priority=priority)
        except PlannerError as error:
            self.failed.emit("The note could not be saved",
                             f"{error}\n\nThe text stays in the note field; check that the data "
                             f"folder is writable and has space, then type again.")
            return False
        if self.stars.note_of(item_id) != before:
            self._after_stars([item_id])
        return True

    def _after_stars(self, ids: list[str]) -> None:
        before = self._conflict_pairs()
        self._recompute_conflicts()
        self.starsChanged.emit(ids)
        if self._conflict_pairs() != before:
            self.conflictsChanged.emit()

    def set_busy_times(self, busy: Sequence[BusyTime]) -> None:
        """Show these busy times and count them in the conflicts (empty: none)."""
        before = self._conflict_pairs()
        self.busy = tuple(busy)
        self._recompute_conflicts()
        self.busyChanged.emit()
        if self._conflict_pairs() != before:
            self.conflictsChanged.emit()

    def _conflict_pairs(self) -> object:
        return self.conflicts.signature()

    def _recompute_conflicts(self) -> None:
        self.conflicts = (self.workspace.conflict_summary(self.busy) if self.workspace
                          else ConflictSummary())
        self.conflict_map = self.conflicts.listed

    def set_display_zone(self, zone_name: str, remember: bool = True) -> None:
        zone = timezones.get_zone(zone_name)
        name = timezones.zone_name(zone)
        if remember and self.workspace is not None:
            # Even when it is already shown (chosen with --tz for one run): now it is chosen.
            try:
                remember_display_zone(self.workspace.store, name)
            except PlannerError as error:
                self.failed.emit("The time zone could not be remembered", str(error))
        if name == self.display_zone_name:
            return
        self.display_zone_name = name
        self.display_zone = zone
        self._by_day = None
        self.timesChanged.emit()

    def change_source_zone(self, zone_name: str) -> None:
        """Re-read the program's times in another source zone (stars are kept: ids do not
        depend on times)."""
        if self.workspace is None:
            return
        try:
            self.workspace.change_source_zone(zone_name)
        except PlannerError as error:
            self.failed.emit("The program's time zone could not be saved", str(error))
        self._by_day = None
        self._recompute_conflicts()
        self.timesChanged.emit()
        self.conflictsChanged.emit()

    # -- the live program's records (planner.ui.live asks here, never the store) -----------
    def setting(self, setting: Setting[T]) -> T:
        """A store setting as declared (the default without a store or when damaged)."""
        return stored_setting(self.store, setting) if self.store is not None \
            else setting.default

    def put_setting(self, setting: Setting[T], value: T) -> None:
        try:
            self.user_store().set_setting(setting.name, value)
        except PlannerError as error:
            self.failed.emit("The setting could not be saved", str(error))

    def remember_address(self, url: str) -> None:
        """The program shown came from ``url``: open it from there at the next start."""
        try:
            remember_last_program(self.user_store(), url)
        except PlannerError as error:
            self.failed.emit("The program's address could not be remembered", str(error))

    def reminder_settings(self, paused: bool) -> ReminderSettings:
        from planner.storage.live_settings import reminder_settings

        program = self.program
        return reminder_settings(self.user_store(), program.name if program else "", paused)

    def reminder_log(self) -> ReminderLog:
        """Which reminders fired: its own connection to the store's file (GUI thread)."""
        from planner.storage.reminder_log import ReminderLog

        return ReminderLog.for_store(self.user_store())

    def program_cache(self) -> ProgramCache:
        """The offline copies of downloaded programs, beside the store."""
        from planner.net.cache import CACHE_FOLDER, ProgramCache

        return ProgramCache(self.user_store().folder / CACHE_FOLDER)

    def refresh_job(self, url: str, force: bool, cache: ProgramCache,
                    fetcher: Callable[..., object] | None = None
                    ) -> Callable[[], RefreshOutcome]:
        """The work of one refresh, for a worker thread: it opens a store of its own there
        (SQLite connections stay in their thread) and moves the stars in it; the window's
        store sees them when the new version is opened."""
        from planner.net.refresh import refresh_in_folder

        store = self.user_store()
        folder, carry = store.folder, not store.read_only
        clock, zone = self.clock, self.display_zone

        def work() -> RefreshOutcome:
            return refresh_in_folder(url, folder, carry=carry, cache=cache, clock=clock,
                                     force=force, fetcher=fetcher, zone=zone)

        return work
