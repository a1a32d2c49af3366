"""Small list models for the sidebar and the timeline's side lists: filter facets (and the
colour legend), days, and the sessions the timeline cannot place (unscheduled, all-day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QPainter, QPixmap

from planner.core.model import Session
from planner.ui import icons, timefmt
from planner.ui.colours import category_colour, category_edge, is_dark
from planner.ui.controller import Controller
from planner.ui.model_cells import (
    ACCESSIBLE,
    DECORATION,
    DISPLAY,
    ID_ROLE,
    ITEM_ROLE,
    ROOT,
    SESSION_ROLE,
    STAR_NAMES,
    STAR_ROLE,
    TOOLTIP,
    Index,
    session_title,
    star_tooltip,
)


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

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.values)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.values):
            return None
        key, label, count = self.values[index.row()]
        if role == DISPLAY:
            return f"{label} ({count})"
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Unchecked if key in self.unchecked
                    else Qt.CheckState.Checked)
        if role == ID_ROLE:
            return key
        if role == DECORATION and key in self.colours:
            return swatch(self.colours[key])
        if role == TOOLTIP:
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

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.days)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.days):
            return None
        day, count = self.days[index.row()]
        if role == DISPLAY:
            return timefmt.day_label(day)
        if role == TOOLTIP:
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

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.sessions)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        session = self.item_of(index)
        if session is None:
            return None
        if role == DISPLAY:
            return self.describe(session)
        if role in (ITEM_ROLE, SESSION_ROLE):
            return session
        if role == ID_ROLE:
            return session.id
        state = self.controller.session_state(session)
        if role == STAR_ROLE:
            return state
        if role == DECORATION:
            return icons.star_icon(state)
        if role == TOOLTIP:
            return f"{session.title}: {self.reason()}. " + star_tooltip(state)
        if role == ACCESSIBLE:
            return f"{self.describe(session)}, {STAR_NAMES[state]}"
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
