"""What the search and filters hide, said in one line with a way back, and kept per program.

A filter chosen for one conference ("hide what is over") must not empty the next one: the
filters are saved with the program's view state and a program without saved filters opens
with none. Whenever something is hidden, :class:`HiddenBar` says how many and offers
*Show all*; while a search runs it also gives the number of results.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from planner.core import settings as declared
from planner.core.text import plural
from planner.ui.models import FacetModel
from planner.ui.proxy import FilterProxy
from planner.ui.window_settings import WindowSettings

REFRESH_MS = 60  # after a program change, the count follows once the models settle


def hidden_text(shown: int, total: int, query: str, filtering: bool) -> str:
    """``12 sessions match “rust” · 933 hidden`` or ``31 of 945 sessions hidden by filters``."""
    hidden = total - shown
    if query.strip():
        text = f"{plural(shown, 'session')} {'matches' if shown == 1 else 'match'} “{query}”"
        return text + (f" · {hidden:,} hidden" if hidden else "")
    if filtering and hidden:
        return f"{hidden:,} of {plural(total, 'session')} hidden by filters"
    return ""


class HiddenBar(QWidget):
    """``N hidden · Show all``: visible only while something is hidden."""

    def __init__(self, proxy: FilterProxy, reset: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.label = QLabel()
        self.label.setAccessibleName("Hidden by search and filters")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setWordWrap(True)
        self.show_all = QPushButton("Show &all")
        self.show_all.setAccessibleName("Show all: clear the search and filters")
        self.show_all.setToolTip("Clear the search and every filter (Ctrl+Shift+F)")
        self.show_all.clicked.connect(reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.show_all)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        # At once after a filter change (the search box is debounced already): the bar
        # appearing or going resizes the list, and doing that before the list's next paint
        # makes it one paint of 10,000 rows' view instead of two.
        proxy.filterChanged.connect(self.refresh)
        proxy.modelReset.connect(self.timer.start)
        self.setVisible(False)

    def refresh(self) -> None:
        self.timer.stop()
        program = self.proxy.controller.program
        total = len(program.sessions) if program is not None else 0
        shown = self.proxy.rowCount() if program is not None else 0
        text = hidden_text(shown, total, self.proxy.filters.query, self.proxy.is_filtering())
        self.label.setText(text)
        self.setVisible(bool(text))
        self.show_all.setVisible(shown < total)


def save_filters(stored: WindowSettings, group: str, starred_only: bool, hide_over: bool,
                 facets: dict[str, FacetModel]) -> None:
    """Into the program's settings group."""
    stored.put(declared.FILTER_STARRED_ONLY, starred_only, group)
    stored.put(declared.FILTER_HIDE_OVER, hide_over, group)
    for name, facet in facets.items():
        stored.put(declared.FILTER_UNCHECKED[name], sorted(facet.unchecked), group)


def restore_filters(stored: WindowSettings, group: str, starred_only: QCheckBox,
                    hide_over: QCheckBox, facets: dict[str, FacetModel]) -> None:
    """From the program's settings group: what this program had, else nothing filtered."""
    starred_only.setChecked(stored.get(declared.FILTER_STARRED_ONLY, group))
    hide_over.setChecked(stored.get(declared.FILTER_HIDE_OVER, group))
    for name, facet in facets.items():
        keys = {key for key, _, _ in facet.values}
        saved: list[str] = stored.get(declared.FILTER_UNCHECKED[name], group)
        unchecked = set(saved) & keys
        if unchecked != facet.unchecked:
            facet.set_all(True)
            if unchecked:
                facet.unchecked = unchecked
                if facet.values:
                    facet.dataChanged.emit(facet.index(0), facet.index(len(facet.values) - 1))
                facet.selectionChanged.emit()
