"""Tree views that star: a click on the star column, or Space on the current row.

The view only asks (``starRequested``); the window passes the request to the controller,
which saves the star and tells every view.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from planner.ui.models import ID_ROLE, SESSION_ROLE

Index = QModelIndex | QPersistentModelIndex


class StarTreeView(QTreeView):
    """A tree whose column ``star_column`` is a star button on every row.

    Signals:
        starRequested(str): the id of the row's item.
        currentItemChanged(str, str): the current row's item id and its session's id, when
            the user moved it (not when a filter, sort or reset moved rows under it).
    """

    starRequested = Signal(str)
    currentItemChanged = Signal(str, str)

    def __init__(self, star_column: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.star_column = star_column
        self._skip_release = False
        self._model_busy = 0  # >0 while rows move under a filter, sort or reset
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        # Connected before the selection model is made, so these run before it moves the
        # current row in response to the same signals.
        if model is not None:
            for before in (model.modelAboutToBeReset, model.layoutAboutToBeChanged,
                           model.rowsAboutToBeRemoved, model.rowsAboutToBeInserted):
                before.connect(self._busy)
            for after in (model.modelReset, model.layoutChanged, model.rowsRemoved,
                          model.rowsInserted):
                after.connect(self._idle)
        super().setModel(model)
        selection = self.selectionModel()
        if selection is not None:
            selection.currentChanged.connect(self._on_current_changed)

    def _busy(self, *args: object) -> None:
        self._model_busy += 1

    def _idle(self, *args: object) -> None:
        self._model_busy = max(0, self._model_busy - 1)

    def configure_star_column(self) -> None:
        header = self.header()
        header.setSectionResizeMode(self.star_column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(self.star_column, 30)

    @staticmethod
    def item_id(index: QModelIndex) -> str:
        value = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        return value if isinstance(value, str) else ""

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._model_busy:
            return  # the row moved or vanished under the user: not a choice they made
        item_id = self.item_id(current)
        session = current.siblingAtColumn(0).data(SESSION_ROLE) if current.isValid() else None
        session_id = getattr(session, "id", "") if session is not None else ""
        self.currentItemChanged.emit(item_id, session_id)

    def _on_star(self, index: QModelIndex) -> bool:
        item_id = self.item_id(index)
        if not item_id:
            return False
        self.starRequested.emit(item_id)
        return True

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() == self.star_column:
            # Counted as one click: the first release already starred.
            self._skip_release = True
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if (event.button() == Qt.MouseButton.LeftButton and index.isValid()
                and index.column() == self.star_column):
            if self._skip_release:
                self._skip_release = False
            else:
                self._on_star(index)
            event.accept()
            super().mouseReleaseEvent(event)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            current = self.currentIndex()
            if current.isValid() and self._on_star(current):
                event.accept()
                return
        super().keyPressEvent(event)

    def select_index(self, index: QModelIndex) -> None:
        """Make ``index`` current and selected, expanding its parent, and scroll to it."""
        if not index.isValid():
            return
        if index.parent().isValid():
            self.expand(index.parent())
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
