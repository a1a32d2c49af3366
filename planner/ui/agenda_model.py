"""The agenda model: "My agenda" as rows (day headings, starred sessions with their starred
papers, free time), over what :func:`planner.core.agenda.build_agenda` computes.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from planner.core.agenda import AgendaEntry, AgendaKind
from planner.core.agenda import build_agenda as build_entries
from planner.core.model import Paper, Session
from planner.ui import icons, timefmt
from planner.ui.colours import conflict_tint
from planner.ui.controller import Controller
from planner.ui.model_cells import (
    ACCESSIBLE,
    CONFLICT_ROLE,
    DECORATION,
    DISPLAY,
    ID_ROLE,
    ITEM_ROLE,
    KIND_ROLE,
    ROOT,
    SESSION_ROLE,
    STAR_ROLE,
    TOOLTIP,
    UNSET,
    Index,
    conflict_text,
    paper_cell,
    place_of,
    session_title,
    star_look,
    star_name,
    star_tooltip,
)
from planner.ui.note_cells import maybe_style, note_accessible, note_suffix, note_tooltip


class AgendaColumn(enum.IntEnum):
    STAR = 0
    TIME = 1
    TITLE = 2
    PLACE = 3


AGENDA_HEADERS = {AgendaColumn.STAR: "★", AgendaColumn.TIME: "Time", AgendaColumn.TITLE: "Title",
                  AgendaColumn.PLACE: "Room / location"}



def build_agenda(controller: Controller) -> list[AgendaEntry]:
    """The agenda of the controller's program, stars and display zone."""
    program = controller.program
    if program is None:
        return []
    return build_entries(program, controller.stars, controller.display_zone)


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

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
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

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self.entries)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self.entries[parent.row()].papers)

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(AgendaColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(AgendaColumn):
            return None
        if role == DISPLAY:
            if section == AgendaColumn.TIME:
                return f"Time ({self.controller.display_zone_name})"
            return AGENDA_HEADERS[AgendaColumn(section)]
        if role == ACCESSIBLE and section == AgendaColumn.STAR:
            return "Star"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        entry = self.entry(index)
        if entry is None:
            return Qt.ItemFlag.NoItemFlags
        if entry.kind is AgendaKind.SESSION:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index: Index, role: int = DISPLAY) -> Any:
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
            if role == DISPLAY and column == 0:
                return timefmt.long_day_label(entry.day) if entry.day else "Not scheduled"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if entry.kind is AgendaKind.GAP:
            if role == DISPLAY and column == 0 and entry.gap is not None:
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
        note = entry.note
        if role == DISPLAY:
            if column == AgendaColumn.TIME:
                if session.start is None:
                    return "not scheduled"
                if session.all_day:
                    return "all day"
                return timefmt.short_span(session.start, session.end,
                                          self.controller.display_zone, session.end_estimated)
            if column == AgendaColumn.TITLE:
                title = session_title(session) + note_suffix(note)
                if others:
                    return f"{title}  — overlaps {others[0].title}" + (
                        f" and {len(others) - 1} more" if len(others) > 1 else "")
                return title
            if column == AgendaColumn.PLACE:
                return place_of(session)
            return None
        if role == DECORATION:
            if column == AgendaColumn.STAR:
                return icons.star_icon(star_look(self.controller, session.id, state))
            if column == AgendaColumn.TITLE and others:
                return icons.warning_icon()
            return None
        if role == TOOLTIP:
            if column == AgendaColumn.STAR:
                return star_tooltip(state, "maybe" if note.maybe else "")
            text = conflict_text(self.controller, others) if others else session.title
            return text + note_tooltip(note)
        if role == ACCESSIBLE:
            if column == AgendaColumn.STAR:
                return star_name(self.controller, session.id, state)
            if column == AgendaColumn.TITLE and not note.plain:
                return note_accessible(session_title(session), note)
        if role == Qt.ItemDataRole.BackgroundRole and others:
            return QBrush(conflict_tint())
        if note.maybe and column in (AgendaColumn.TIME, AgendaColumn.TITLE,
                                     AgendaColumn.PLACE):
            return maybe_style(role)
        return None

    def _paper_data(self, paper: Paper, session: Session, column: int, role: int) -> Any:
        if role == KIND_ROLE:
            return "paper"
        note = self.controller.note_of(paper.id)
        if column == AgendaColumn.TITLE and not note.plain:
            if role == DISPLAY:
                return paper.title + note_suffix(note)
            if role == ACCESSIBLE:
                return note_accessible(paper.title, note)
            if role == TOOLTIP:
                return paper.title + note_tooltip(note)
        shared = paper_cell(self.controller, paper, session, column, role, AgendaColumn.STAR,
                            AgendaColumn.TITLE)
        if shared is not UNSET:
            return shared
        if role == TOOLTIP and column == AgendaColumn.TITLE:
            return paper.title
        if note.maybe and column == AgendaColumn.TITLE:
            return maybe_style(role)
        return None

