"""The program model: the tree of sessions with their papers as children, over the live program.

It is shared (through :class:`planner.ui.proxy.FilterProxy`) by the list and the timeline. A star
flip emits ``dataChanged`` for the rows that show that item only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from planner.core import timezones
from planner.core.model import Paper, Session
from planner.core.stars import StarState
from planner.ui import icons
from planner.ui.colours import conflict_tint
from planner.ui.controller import Controller
from planner.ui.model_cells import (
    ACCESSIBLE,
    COLUMNS,
    CONFLICT_ROLE,
    DECORATION,
    DISPLAY,
    HEADERS,
    ID_ROLE,
    ITEM_ROLE,
    ROOT,
    SESSION_ROLE,
    STAR_ROLE,
    TOOLTIP,
    UNSET,
    Column,
    Index,
    conflict_text,
    paper_cell,
    place_of,
    session_time_text,
    session_title,
    star_look,
    star_name,
    star_tooltip,
)

# Every role data() answers for some row. A view asks about seven roles per painted cell;
# the others (foreground, check state, ...) are turned away before any per-row work.
ANSWERED_ROLES = frozenset(int(role) for role in (
    ITEM_ROLE, ID_ROLE, SESSION_ROLE, STAR_ROLE, CONFLICT_ROLE, DISPLAY, DECORATION, TOOLTIP,
    ACCESSIBLE, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.FontRole))


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
        self._ids_by_row: list[str] = []
        self._has_papers_by_row: list[bool] = []
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
        self._ids_by_row = [self._sessions[ordinal].id for ordinal in self._order]
        self._has_papers_by_row = [bool(self._sessions[ordinal].paper_ids)
                                   for ordinal in self._order]
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

    def ids_by_row(self) -> list[str]:
        """Every session's id, in row order (kept: the filter asks on every keystroke)."""
        return self._ids_by_row

    def has_papers_by_row(self) -> list[bool]:
        """Whether each row's session has papers, in row order (kept, like ids_by_row)."""
        return self._has_papers_by_row

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
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
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

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        internal = index.internalId()
        if internal == 0:
            return QModelIndex()
        return self.createIndex(self._row_of[internal - 1], 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._order)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self.papers_at(self._order[parent.row()]))

    def columnCount(self, parent: Index = ROOT) -> int:
        return COLUMNS

    def hasChildren(self, parent: Index = ROOT) -> bool:
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
                   role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMNS:
            return None
        column = Column(section)
        if role == DISPLAY:
            if column == Column.TIME and self.controller.program is not None:
                return f"Time ({self.controller.display_zone_name})"
            return HEADERS[column]
        if role == TOOLTIP:
            if column == Column.STAR:
                return "Star: click a star, or press Space, to star or unstar"
            if column == Column.TIME:
                return f"Times in {self.controller.display_zone_name} (the display zone)"
        if role == ACCESSIBLE and column == Column.STAR:
            return "Star"
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in ANSWERED_ROLES or not index.isValid():
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
        if role == DISPLAY:
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
        if role == DECORATION:
            if column == Column.STAR:
                return icons.star_icon(star_look(self.controller, session.id,
                                                 self.controller.session_state(session)))
            if column == Column.TITLE and session.id in self.controller.conflict_map:
                return icons.warning_icon()
            return None
        if role == TOOLTIP:
            return self._session_tooltip(session, column)
        if role == ACCESSIBLE and column == Column.STAR:
            return star_name(self.controller, session.id, self.controller.session_state(session))
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
            if self.controller.is_maybe(session.id):
                detail = "maybe" + (f"; {detail}" if detail else "")
            return star_tooltip(state, detail)
        others = self.controller.conflicts_of(session.id)
        if others:
            return conflict_text(self.controller, others,
                                 self.controller.unlisted_conflicts(session.id))
        if column == Column.TIME and session.start is not None and not session.all_day:
            text = self.controller.both_clocks(session)
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
        if shared is not UNSET:
            return shared
        starred = self.controller.is_starred(paper.id)
        in_conflict = starred and session.id in self.controller.conflict_map
        if role == CONFLICT_ROLE:
            return self.controller.conflicts_of(session.id) if starred else []
        if role == DISPLAY:
            return "Paper" if column == Column.KIND else None
        if role == DECORATION:
            return icons.warning_icon() if column == Column.TITLE and in_conflict else None
        if role == TOOLTIP:
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

