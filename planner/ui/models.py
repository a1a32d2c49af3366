"""Item models over the live program: the views show the domain objects, never copies of them.

:class:`ProgramModel` is the tree of sessions with their papers as children, shared (through
:class:`planner.ui.proxy.FilterProxy`) by the list and the timeline. A star flip emits
``dataChanged`` for the rows that show that item only. Every model returns the domain object
under :data:`ITEM_ROLE`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from planner.core import timezones
from planner.core.model import Paper, Session
from planner.core.stars import StarState
from planner.ui import icons, timefmt
from planner.ui.colours import category_colour, category_edge, conflict_tint, is_dark
from planner.ui.controller import Controller

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the Session or Paper
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its id
SESSION_ROLE = Qt.ItemDataRole.UserRole + 3  # the session (a paper row: the slot's session)
STAR_ROLE = Qt.ItemDataRole.UserRole + 4  # StarState of the row's item
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 5  # sessions the row's session collides with
KIND_ROLE = Qt.ItemDataRole.UserRole + 6  # a row kind in the agenda ("day", "gap", ...)

_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


class Column(enum.IntEnum):
    STAR = 0
    TIME = 1
    KIND = 2
    TITLE = 3
    PLACE = 4


COLUMNS = len(Column)  # (len() of an enum class is slow; index() runs per row per layout)
HEADERS = {Column.STAR: "★", Column.TIME: "Time", Column.KIND: "Kind", Column.TITLE: "Title",
           Column.PLACE: "Room / location"}
DERIVED_MARK = " (title from abstract)"
_STAR_NAMES = {StarState.FULL: "starred", StarState.PARTIAL: "some papers starred",
               StarState.NONE: "not starred"}


def place_of(session: Session) -> str:
    """Room, else location (a virtual program has only a location)."""
    return session.room or session.location


def star_tooltip(state: str, detail: str = "") -> str:
    action = "unstar" if state == StarState.FULL else "star"
    text = {StarState.FULL: "Starred", StarState.PARTIAL: "Some of its papers are starred",
            StarState.NONE: "Not starred"}[state]
    if detail:
        text += f" ({detail})"
    return f"{text}. Click, or press Space, to {action}."


def conflict_text(controller: Controller, others: list[Session], more: int = 0) -> str:
    """``Overlaps with Oral Session 12 (Fri 7 May 04:00–06:00 CEST)``: names the other side
    (the first few; ``more`` counts the rest)."""
    parts = []
    for other in others:
        when = ""
        if other.start is not None:
            span = timefmt.span(other.start, other.end, controller.display_zone,
                                other.end_estimated)
            when = f" ({span})"
        parts.append(f"{other.title}{when}")
    if more > 0:
        parts.append(f"and {more:,} more")
    return "Overlaps with " + "; ".join(parts)


def session_time_text(session: Session, zone: dt.tzinfo, source_zone: dt.tzinfo) -> str:
    if session.start is None:
        return "not scheduled"
    if session.all_day:
        return timefmt.all_day_text(session, source_zone)
    return timefmt.span(session.start, session.end, zone, session.end_estimated, with_zone=False)


def session_title(session: Session) -> str:
    """The title as lists show it: a cancelled session says so in words, not only by style."""
    return f"Cancelled: {session.title}" if session.cancelled else session.title


_UNSET = object()


def paper_cell(controller: Controller, paper: Paper, session: Session, column: int, role: int,
               star_column: int, title_column: int) -> Any:
    """What every view shows for a paper row: the objects, the star, the title (marked when it
    was derived from the abstract). ``_UNSET`` for what the view decides itself."""
    if role == ITEM_ROLE:
        return paper
    if role == ID_ROLE:
        return paper.id
    if role == SESSION_ROLE:
        return session
    state = StarState.FULL if controller.is_starred(paper.id) else StarState.NONE
    if role == STAR_ROLE:
        return state
    if column == star_column:
        if role == _DECORATION:
            return icons.star_icon(state)
        if role == _ACCESSIBLE:
            return _STAR_NAMES[state]
        if role == _TOOLTIP:
            return star_tooltip(state)
    if column == title_column:
        if role == _DISPLAY:
            return paper.title + (DERIVED_MARK if paper.title_derived else "")
        if role == Qt.ItemDataRole.FontRole and paper.title_derived:
            font = QFont()
            font.setItalic(True)
            return font
    return _UNSET


class ProgramModel(QAbstractItemModel):
    """Sessions (top level) with their papers as children, over ``controller.program``.

    A top-level index has internal id 0; a paper row's internal id is its session's position in
    ``program.sessions`` plus one, which does not change when the rows are sorted.
    """

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._sessions: list[Session] = []
        self._order: list[int] = []  # row -> ordinal in program.sessions
        self._row_of: list[int] = []  # ordinal -> row
        self._ordinal: dict[str, int] = {}  # session id -> ordinal
        self._papers: dict[int, list[Paper]] = {}  # ordinal -> its papers (lazily)
        self._listed: set[int] = set()  # sessions whose papers a view has asked for
        self._conflicted: set[str] = set()
        self._sort: tuple[int, Qt.SortOrder] = (Column.TIME, Qt.SortOrder.AscendingOrder)
        controller.programChanged.connect(self.reload)
        controller.starsChanged.connect(self._on_stars_changed)
        controller.conflictsChanged.connect(self._on_conflicts_changed)
        controller.timesChanged.connect(self._on_times_changed)
        self.reload()

    # -- building --------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        program = self.controller.program
        self._sessions = list(program.sessions) if program else []
        self._ordinal = {s.id: i for i, s in enumerate(self._sessions)}
        self._papers = {}
        self._listed = set()
        self._conflicted = set(self.controller.conflict_map)
        self._order = self._sorted_order(*self._sort)
        self._index_rows()
        self.endResetModel()

    def _index_rows(self) -> None:
        self._row_of = [0] * len(self._sessions)
        for row, ordinal in enumerate(self._order):
            self._row_of[ordinal] = row

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        sessions = self._sessions
        far = dt.datetime.max.replace(tzinfo=timezones.UTC)
        time_key = [(s.start or far, s.title.casefold()) for s in sessions]
        if column == Column.TIME:
            keys: list[Any] = time_key
        elif column == Column.STAR:
            rank = {StarState.FULL: 0, StarState.PARTIAL: 1, StarState.NONE: 2}
            keys = [(rank[self.controller.session_state(s)], time_key[i])
                    for i, s in enumerate(sessions)]
        elif column == Column.KIND:
            keys = [(s.kind.label, time_key[i]) for i, s in enumerate(sessions)]
        elif column == Column.PLACE:
            keys = [(place_of(s).casefold(), time_key[i]) for i, s in enumerate(sessions)]
        else:
            keys = [(s.title.casefold(), time_key[i]) for i, s in enumerate(sessions)]
        return sorted(range(len(sessions)), key=keys.__getitem__,
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on precomputed keys (a C++ sort would call back per comparison)."""
        self._sort = (column, order)
        if not self._sessions:
            return
        self.layoutAboutToBeChanged.emit()
        old_order = self._order
        self._order = self._sorted_order(column, order)
        self._index_rows()
        moved_from = []
        moved_to = []
        for persistent in self.persistentIndexList():
            if persistent.isValid() and persistent.internalId() == 0:
                ordinal = old_order[persistent.row()]
                moved_from.append(persistent)
                moved_to.append(self.createIndex(self._row_of[ordinal], persistent.column(), 0))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    # -- lookups (plain Python, used by the proxy and the views) ---------------------------
    def session_at(self, row: int) -> Session:
        return self._sessions[self._order[row]]

    def sessions_by_row(self) -> list[Session]:
        """Every session, in row order (one list, not a call per row)."""
        sessions = self._sessions
        return [sessions[ordinal] for ordinal in self._order]

    def refresh_listed_papers(self) -> None:
        """Tell views (and the filter) that the paper rows they have listed may have changed."""
        for ordinal in self._listed:
            count = len(self.papers_at(ordinal))
            if count:
                self.dataChanged.emit(self.createIndex(0, 0, ordinal + 1),
                                      self.createIndex(count - 1, COLUMNS - 1, ordinal + 1))

    def papers_at(self, ordinal: int) -> list[Paper]:
        papers = self._papers.get(ordinal)
        if papers is None:
            program = self.controller.program
            papers = program.papers_of(self._sessions[ordinal]) if program else []
            self._papers[ordinal] = papers
        return papers

    def ordinal_of(self, session_id: str) -> int | None:
        return self._ordinal.get(session_id)

    def session_of(self, index: Index) -> Session | None:
        """The session of a row (for a paper row: its slot's session)."""
        if not index.isValid():
            return None
        internal = index.internalId()
        if internal == 0:
            return self.session_at(index.row())
        return self._sessions[internal - 1]

    def item_of(self, index: Index) -> Session | Paper | None:
        if not index.isValid():
            return None
        internal = index.internalId()
        if internal == 0:
            return self.session_at(index.row())
        papers = self.papers_at(internal - 1)
        return papers[index.row()] if index.row() < len(papers) else None

    def index_of_session(self, session_id: str, column: int = 0) -> QModelIndex:
        ordinal = self._ordinal.get(session_id)
        if ordinal is None:
            return QModelIndex()
        return self.createIndex(self._row_of[ordinal], column, 0)

    def indexes_of_paper(self, paper_id: str, column: int = 0) -> list[QModelIndex]:
        """One index per slot: a paper presented in two sessions has two rows."""
        program = self.controller.program
        paper = program.papers.get(paper_id) if program else None
        if paper is None:
            return []
        result = []
        for session_id in paper.session_ids:
            ordinal = self._ordinal.get(session_id)
            if ordinal is None:
                continue
            for row, candidate in enumerate(self.papers_at(ordinal)):
                if candidate.id == paper_id:
                    result.append(self.createIndex(row, column, ordinal + 1))
        return result

    def indexes_of(self, item_id: str, column: int = 0) -> list[QModelIndex]:
        session_index = self.index_of_session(item_id, column)
        if session_index.isValid():
            return [session_index]
        return self.indexes_of_paper(item_id, column)

    # -- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not 0 <= column < COLUMNS:
            return QModelIndex()
        if not parent.isValid():
            if 0 <= row < len(self._order):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        ordinal = self._order[parent.row()]
        if 0 <= row < len(self.papers_at(ordinal)):
            return self.createIndex(row, column, ordinal + 1)
        return QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        internal = index.internalId()
        if internal == 0:
            return QModelIndex()
        return self.createIndex(self._row_of[internal - 1], 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._order)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self.papers_at(self._order[parent.row()]))

    def columnCount(self, parent: Index = _ROOT) -> int:
        return COLUMNS

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self._order)
        if parent.internalId() != 0:
            return False
        return bool(self._sessions[self._order[parent.row()]].paper_ids)

    def canFetchMore(self, parent: Index) -> bool:
        """A session's papers count as not yet listed until a view expands it.

        The filter proxy then answers "has children" without filtering every session's
        papers, which is what made a 10,000-session list slow to lay out.
        """
        if not parent.isValid() or parent.internalId() != 0:
            return False
        ordinal = self._order[parent.row()]
        return ordinal not in self._listed and bool(self._sessions[ordinal].paper_ids)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() and parent.internalId() == 0:
            self._listed.add(self._order[parent.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMNS:
            return None
        column = Column(section)
        if role == _DISPLAY:
            if column == Column.TIME and self.controller.program is not None:
                return f"Time ({self.controller.display_zone_name})"
            return HEADERS[column]
        if role == _TOOLTIP:
            if column == Column.STAR:
                return "Star: click a star, or press Space, to star or unstar"
            if column == Column.TIME:
                return f"Times in {self.controller.display_zone_name} (the display zone)"
        if role == _ACCESSIBLE and column == Column.STAR:
            return "Star"
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        internal = index.internalId()
        if internal == 0:
            return self._session_data(self.session_at(index.row()), index.column(), role)
        session = self._sessions[internal - 1]
        papers = self.papers_at(internal - 1)
        if index.row() >= len(papers):
            return None
        return self._paper_data(papers[index.row()], session, index.column(), role)

    def _session_data(self, session: Session, column: int, role: int) -> Any:
        if role == ITEM_ROLE:
            return session
        if role == ID_ROLE:
            return session.id
        if role == SESSION_ROLE:
            return session
        if role == STAR_ROLE:
            return self.controller.session_state(session)
        if role == CONFLICT_ROLE:
            return self.controller.conflicts_of(session.id)
        if role == _DISPLAY:
            if column == Column.TIME:
                return session_time_text(session, self.controller.display_zone,
                                         self.controller.program_zone)
            if column == Column.KIND:
                return session.kind.label
            if column == Column.TITLE:
                return session_title(session)
            if column == Column.PLACE:
                return place_of(session)
            return None
        if role == _DECORATION:
            if column == Column.STAR:
                return icons.star_icon(self.controller.session_state(session))
            if column == Column.TITLE and session.id in self.controller.conflict_map:
                return icons.warning_icon()
            return None
        if role == _TOOLTIP:
            return self._session_tooltip(session, column)
        if role == _ACCESSIBLE and column == Column.STAR:
            return _STAR_NAMES[self.controller.session_state(session)]
        if role == Qt.ItemDataRole.BackgroundRole and session.id in self.controller.conflict_map:
            return QBrush(conflict_tint())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.STAR:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and session.cancelled and column == Column.TITLE:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def _session_tooltip(self, session: Session, column: int) -> str | None:
        if column == Column.STAR:
            state = self.controller.session_state(session)
            detail = ""
            if session.paper_ids:
                starred = len(self.controller.stars.starred_papers_in(session))
                detail = f"{starred} of {len(session.paper_ids)} papers starred"
            return star_tooltip(state, detail)
        others = self.controller.conflicts_of(session.id)
        if others:
            return conflict_text(self.controller, others,
                                 self.controller.unlisted_conflicts(session.id))
        if column == Column.TIME and session.start is not None and not session.all_day:
            text = timefmt.span(session.start, session.end, self.controller.display_zone,
                                session.end_estimated)
            text += " · program time " + timefmt.span(session.start, session.end,
                                                      self.controller.program_zone,
                                                      session.end_estimated)
            if session.end_estimated:
                text += " (end estimated)"
            return text
        if column == Column.PLACE and session.track:
            return f"{place_of(session)} · track {session.track}"
        if column == Column.TITLE:
            return session.title
        return None

    def _paper_data(self, paper: Paper, session: Session, column: int, role: int) -> Any:
        shared = paper_cell(self.controller, paper, session, column, role, Column.STAR,
                            Column.TITLE)
        if shared is not _UNSET:
            return shared
        starred = self.controller.is_starred(paper.id)
        in_conflict = starred and session.id in self.controller.conflict_map
        if role == CONFLICT_ROLE:
            return self.controller.conflicts_of(session.id) if starred else []
        if role == _DISPLAY:
            return "Paper" if column == Column.KIND else None
        if role == _DECORATION:
            return icons.warning_icon() if column == Column.TITLE and in_conflict else None
        if role == _TOOLTIP:
            if in_conflict:
                return conflict_text(self.controller, self.controller.conflicts_of(session.id))
            if column == Column.TITLE:
                if paper.title_derived:
                    return ("No title was published for this paper; this headline was made "
                            "from its abstract.")
                return paper.title
            return None
        if role == Qt.ItemDataRole.BackgroundRole and in_conflict:
            return QBrush(conflict_tint())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.STAR:
            return Qt.AlignmentFlag.AlignCenter
        return None

    # -- live updates ----------------------------------------------------------------------
    def _emit_row(self, index: QModelIndex) -> None:
        left = index.siblingAtColumn(0)
        right = index.siblingAtColumn(len(Column) - 1)
        self.dataChanged.emit(left, right)

    def _on_stars_changed(self, ids: list[str]) -> None:
        for item_id in ids:
            session_index = self.index_of_session(item_id)
            if session_index.isValid():
                self._emit_row(session_index)
                continue
            for paper_index in self.indexes_of_paper(item_id):
                self._emit_row(paper_index)
                self._emit_row(paper_index.parent())  # its session's half star

    def _on_conflicts_changed(self) -> None:
        now = set(self.controller.conflict_map)
        changed = now ^ self._conflicted
        # Sessions still in conflict may have a different partner: refresh them too.
        changed |= now & self._conflicted
        self._conflicted = now
        for session_id in changed:
            index = self.index_of_session(session_id)
            if index.isValid():
                self._emit_row(index)
                ordinal = self._ordinal[session_id]
                count = len(self.papers_at(ordinal))
                if count:
                    self.dataChanged.emit(self.createIndex(0, 0, ordinal + 1),
                                          self.createIndex(count - 1, len(Column) - 1,
                                                           ordinal + 1))

    def _on_times_changed(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, Column.TIME, Column.TIME)
        if not self._order:
            return
        column, order = self._sort
        if column == Column.TIME:
            # A new source zone can reorder floating and fixed sessions.
            self.sort(column, order)
        self.dataChanged.emit(self.createIndex(0, 0, 0),
                              self.createIndex(len(self._order) - 1, len(Column) - 1, 0))


# -- the agenda ----------------------------------------------------------------------------
class AgendaKind(enum.StrEnum):
    DAY = "day"
    SESSION = "session"
    GAP = "gap"


@dataclass(frozen=True)
class AgendaEntry:
    kind: AgendaKind
    session: Session | None = None
    day: dt.date | None = None
    gap: dt.timedelta | None = None
    papers: tuple[Paper, ...] = ()


class AgendaColumn(enum.IntEnum):
    STAR = 0
    TIME = 1
    TITLE = 2
    PLACE = 3


AGENDA_HEADERS = {AgendaColumn.STAR: "★", AgendaColumn.TIME: "Time", AgendaColumn.TITLE: "Title",
                  AgendaColumn.PLACE: "Room / location"}


def build_agenda(controller: Controller) -> list[AgendaEntry]:
    """Starred items in time order, grouped by display-zone day, with the free time between."""
    program = controller.program
    if program is None:
        return []
    stars = controller.stars
    sessions = stars.agenda_sessions(program)
    zone = controller.display_zone

    def day_of(session: Session) -> dt.date:
        assert session.start is not None
        if session.all_day:
            return timefmt.all_day_dates(session, program.zone)[0]
        return timezones.to_zone(session.start, zone).date()

    timed = sorted((s for s in sessions if s.start is not None),
                   key=lambda s: (day_of(s), not s.all_day, s.start, s.title))
    entries: list[AgendaEntry] = []
    last_day: dt.date | None = None
    last_end: dt.datetime | None = None
    for session in timed:
        assert session.start is not None
        day = day_of(session)
        if day != last_day:
            entries.append(AgendaEntry(AgendaKind.DAY, day=day))
            last_day = day
            last_end = None
        elif (last_end is not None and not session.all_day
              and session.start - last_end >= dt.timedelta(minutes=1)):
            entries.append(AgendaEntry(AgendaKind.GAP, gap=session.start - last_end))
        papers = tuple(program.papers[pid] for pid in stars.starred_papers_in(session)
                       if pid in program.papers)
        entries.append(AgendaEntry(AgendaKind.SESSION, session=session, papers=papers))
        if not session.all_day:  # a whole day would swallow every gap
            end = session.end or session.start
            last_end = end if last_end is None else max(last_end, end)
    untimed = [s for s in sessions if s.start is None]
    if untimed:
        entries.append(AgendaEntry(AgendaKind.DAY, day=None))
        for session in untimed:
            papers = tuple(program.papers[pid] for pid in stars.starred_papers_in(session)
                           if pid in program.papers)
            entries.append(AgendaEntry(AgendaKind.SESSION, session=session, papers=papers))
    return entries


class AgendaModel(QAbstractItemModel):
    """"My agenda": day headings, starred sessions (starred papers as children), gaps.

    While no view shows it (``set_active(False)``) it only notes that it is stale, so a star
    flip on a big program does not rebuild an agenda nobody looks at.
    """

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.entries: list[AgendaEntry] = []
        self.active = True
        self._stale = False
        controller.programChanged.connect(self._changed)
        controller.starsChanged.connect(self._changed)
        controller.timesChanged.connect(self._changed)
        self.refresh()

    def _changed(self, *args: object) -> None:
        if self.active:
            self.refresh()
        else:
            self._stale = True

    def set_active(self, active: bool) -> None:
        self.active = active
        if active:
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.beginResetModel()
        self.entries = build_agenda(self.controller)
        self.endResetModel()

    def entry(self, index: Index) -> AgendaEntry | None:
        if not index.isValid():
            return None
        internal = index.internalId()
        return self.entries[internal - 1 if internal else index.row()]

    def item_of(self, index: Index) -> Session | Paper | None:
        entry = self.entry(index)
        if entry is None:
            return None
        if index.internalId():
            return entry.papers[index.row()]
        return entry.session

    def index_of(self, item_id: str) -> QModelIndex:
        self.refresh_if_stale()
        for row, entry in enumerate(self.entries):
            if entry.session is not None and entry.session.id == item_id:
                return self.createIndex(row, 0, 0)
            for child, paper in enumerate(entry.papers):
                if paper.id == item_id:
                    return self.createIndex(child, 0, row + 1)
        return QModelIndex()

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not 0 <= column < len(AgendaColumn):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(self.entries) else \
                QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        papers = self.entries[parent.row()].papers
        return self.createIndex(row, column, parent.row() + 1) if 0 <= row < len(papers) else \
            QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self.entries)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self.entries[parent.row()].papers)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(AgendaColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(AgendaColumn):
            return None
        if role == _DISPLAY:
            if section == AgendaColumn.TIME:
                return f"Time ({self.controller.display_zone_name})"
            return AGENDA_HEADERS[AgendaColumn(section)]
        if role == _ACCESSIBLE and section == AgendaColumn.STAR:
            return "Star"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        entry = self.entry(index)
        if entry is None:
            return Qt.ItemFlag.NoItemFlags
        if entry.kind is AgendaKind.SESSION:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        entry = self.entry(index)
        if entry is None:
            return None
        column = index.column()
        if index.internalId():
            assert entry.session is not None
            return self._paper_data(entry.papers[index.row()], entry.session, column, role)
        if role == KIND_ROLE:
            return entry.kind.value
        if entry.kind is AgendaKind.DAY:
            if role == _DISPLAY and column == 0:
                return timefmt.long_day_label(entry.day) if entry.day else "Not scheduled"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if entry.kind is AgendaKind.GAP:
            if role == _DISPLAY and column == 0 and entry.gap is not None:
                return f"      {timefmt.duration_text(entry.gap)} free"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(128, 128, 128))
            return None
        session = entry.session
        assert session is not None
        if role in (ITEM_ROLE, SESSION_ROLE):
            return session
        if role == ID_ROLE:
            return session.id
        state = self.controller.session_state(session)
        others = self.controller.conflicts_of(session.id)
        if role == STAR_ROLE:
            return state
        if role == CONFLICT_ROLE:
            return others
        if role == _DISPLAY:
            if column == AgendaColumn.TIME:
                if session.start is None:
                    return "not scheduled"
                if session.all_day:
                    return "all day"
                return timefmt.short_span(session.start, session.end,
                                          self.controller.display_zone, session.end_estimated)
            if column == AgendaColumn.TITLE:
                if others:
                    return f"{session_title(session)}  — overlaps {others[0].title}" + (
                        f" and {len(others) - 1} more" if len(others) > 1 else "")
                return session_title(session)
            if column == AgendaColumn.PLACE:
                return place_of(session)
            return None
        if role == _DECORATION:
            if column == AgendaColumn.STAR:
                return icons.star_icon(state)
            if column == AgendaColumn.TITLE and others:
                return icons.warning_icon()
            return None
        if role == _TOOLTIP:
            if column == AgendaColumn.STAR:
                return star_tooltip(state)
            if others:
                return conflict_text(self.controller, others)
            return session.title
        if role == _ACCESSIBLE and column == AgendaColumn.STAR:
            return _STAR_NAMES[state]
        if role == Qt.ItemDataRole.BackgroundRole and others:
            return QBrush(conflict_tint())
        return None

    def _paper_data(self, paper: Paper, session: Session, column: int, role: int) -> Any:
        if role == KIND_ROLE:
            return "paper"
        shared = paper_cell(self.controller, paper, session, column, role, AgendaColumn.STAR,
                            AgendaColumn.TITLE)
        if shared is not _UNSET:
            return shared
        if role == _TOOLTIP and column == AgendaColumn.TITLE:
            return paper.title
        return None


# -- small list models for the sidebar -----------------------------------------------------
class FacetModel(QAbstractListModel):
    """Checkable values of one filter (kinds, tracks or rooms); all checked means no filter.

    Doubles as the colour legend when ``colours`` is set.
    """

    selectionChanged = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.values: list[tuple[str, str, int]] = []  # (key, label, count)
        self.unchecked: set[str] = set()
        self.colours: dict[str, int] = {}  # key -> colour category, when this is the legend

    def set_values(self, values: list[tuple[str, str, int]],
                   colours: dict[str, int] | None = None) -> None:
        self.beginResetModel()
        self.values = values
        self.colours = colours or {}
        keys = {key for key, _, _ in values}
        self.unchecked &= keys
        self.endResetModel()

    def selected(self) -> set[str] | None:
        """The checked keys, or None when everything is checked (no filtering)."""
        if not self.unchecked:
            return None
        return {key for key, _, _ in self.values if key not in self.unchecked}

    def set_all(self, checked: bool) -> None:
        self.unchecked = set() if checked else {key for key, _, _ in self.values}
        if self.values:
            self.dataChanged.emit(self.index(0), self.index(len(self.values) - 1))
        self.selectionChanged.emit()

    def only(self, key: str) -> None:
        self.unchecked = {k for k, _, _ in self.values if k != key}
        if self.values:
            self.dataChanged.emit(self.index(0), self.index(len(self.values) - 1))
        self.selectionChanged.emit()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.values)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.values):
            return None
        key, label, count = self.values[index.row()]
        if role == _DISPLAY:
            return f"{label} ({count})"
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Unchecked if key in self.unchecked
                    else Qt.CheckState.Checked)
        if role == ID_ROLE:
            return key
        if role == _DECORATION and key in self.colours:
            return swatch(self.colours[key])
        if role == _TOOLTIP:
            return f"Show {self.name.lower()} “{label}” ({count} sessions)"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        key = self.values[index.row()][0]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if checked:
            self.unchecked.discard(key)
        else:
            self.unchecked.add(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.selectionChanged.emit()
        return True


def swatch(category: int) -> QIcon:
    """A small filled square in a category's colour: the legend entry."""
    dark = is_dark()
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(category_edge(category, dark))
    painter.setBrush(category_colour(category, dark))
    painter.drawRoundedRect(1, 1, 12, 12, 3, 3)
    painter.end()
    return QIcon(pixmap)


class DaysModel(QAbstractListModel):
    """The days of the program as the display zone sees them, with session counts."""

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.days: list[tuple[dt.date, int]] = []
        controller.programChanged.connect(self.refresh)
        controller.timesChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        by_day = self.controller.sessions_by_day()
        self.beginResetModel()
        self.days = sorted((day, len(sessions)) for day, sessions in by_day.items())
        self.endResetModel()

    def day_at(self, row: int) -> dt.date | None:
        return self.days[row][0] if 0 <= row < len(self.days) else None

    def row_of(self, day: dt.date) -> int:
        for row, (candidate, _) in enumerate(self.days):
            if candidate == day:
                return row
        return -1

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.days)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.days):
            return None
        day, count = self.days[index.row()]
        if role == _DISPLAY:
            return timefmt.day_label(day)
        if role == _TOOLTIP:
            return (f"{timefmt.long_day_label(day)} in {self.controller.display_zone_name}: "
                    f"{count} sessions")
        if role == ITEM_ROLE:
            return day
        return None


class UnscheduledModel(QAbstractListModel):
    """Sessions without a time, so they are not lost from the timeline."""

    def __init__(self, controller: Controller, accepts: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.accepts = accepts  # callable(Session) -> bool, the shared filter
        self.sessions: list[Session] = []
        self._all: list[Session] = []  # the program's, found once per program
        controller.programChanged.connect(self._on_program)
        controller.timesChanged.connect(self._on_program)
        controller.starsChanged.connect(self._on_stars)
        self._on_program()

    def _on_program(self) -> None:
        program = self.controller.program
        self._all = program.unscheduled if program else []
        self.refresh()

    def refresh(self) -> None:
        unscheduled = self._all
        if self.accepts is not None:
            unscheduled = [s for s in unscheduled if self.accepts(s)]
        self.beginResetModel()
        self.sessions = unscheduled
        self.endResetModel()

    def _on_stars(self, ids: list[str]) -> None:
        if self.sessions:
            self.dataChanged.emit(self.index(0), self.index(len(self.sessions) - 1))

    def describe(self, session: Session) -> str:
        return f"{session_title(session)} · {session.kind.label}"

    def reason(self) -> str:
        return "the program gives no time for it"

    def item_of(self, index: Index) -> Session | None:
        if not index.isValid() or not 0 <= index.row() < len(self.sessions):
            return None
        return self.sessions[index.row()]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.sessions)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        session = self.item_of(index)
        if session is None:
            return None
        if role == _DISPLAY:
            return self.describe(session)
        if role in (ITEM_ROLE, SESSION_ROLE):
            return session
        if role == ID_ROLE:
            return session.id
        state = self.controller.session_state(session)
        if role == STAR_ROLE:
            return state
        if role == _DECORATION:
            return icons.star_icon(state)
        if role == _TOOLTIP:
            return f"{session.title}: {self.reason()}. " + star_tooltip(state)
        if role == _ACCESSIBLE:
            return f"{self.describe(session)}, {_STAR_NAMES[state]}"
        return None


class AllDayModel(UnscheduledModel):
    """Whole-day sessions of the day the timeline shows (they have no place on its clock)."""

    def _on_program(self) -> None:
        """The timeline pane sets the day's sessions (it knows the day)."""

    def set_sessions(self, sessions: list[Session]) -> None:
        self._all = sessions
        self.refresh()

    def describe(self, session: Session) -> str:
        program_zone = self.controller.program_zone
        return (f"{session_title(session)} · {session.kind.label} · "
                f"{timefmt.all_day_text(session, program_zone)}")

    def reason(self) -> str:
        return "it lasts the whole day"
