"""Search and filters, shared by the list and the timeline.

:class:`FilterProxy` is the ``QSortFilterProxyModel`` the list shows; the timeline asks the same
object (:meth:`FilterProxy.accepts_session`) which sessions to draw, so both always agree.
The matching rule is :mod:`planner.core.search` (every term must match the session's text or its
papers'); the indexes of :mod:`planner.core.search_index` answer it so a keystroke does not fold
50,000 abstracts again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import compress
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from planner.core.model import Paper, Session
from planner.core.search import plain_terms, query_terms
from planner.core.search_index import SessionSearch, TextScan, WordIndex
from planner.core.stars import StarState
from planner.ui.controller import Controller
from planner.ui.model_cells import ROOT
from planner.ui.models import ProgramModel

Index = QModelIndex | QPersistentModelIndex

# Programs with more papers than this get their search index built off the GUI thread.
BACKGROUND_INDEX_PAPERS = 5000
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Above this many rows coming or going, one layout change is cheaper for a view than a
# signal per run of rows (a search that keeps 1,000 of 10,000 sessions removes ~1,000 runs).
BULK_CHANGE_ROWS = 300


def _narrows(old: list[str], new: list[str]) -> bool:
    """True when every text matching ``new`` also matches ``old`` (typing on refines): each
    old term is the start of a new one, in the same field."""
    return bool(old) and all(any(n.startswith(o) for n in new) for o in old)


@dataclass
class Filters:
    """What the user filters by; ``None`` sets mean "everything"."""

    query: str = ""
    kinds: set[str] | None = None
    tracks: set[str] | None = None
    rooms: set[str] | None = None
    starred_only: bool = False
    hide_over: bool = False


class FilterProxy(QSortFilterProxyModel):
    """Rows of :class:`ProgramModel` that pass the search and the filters.

    Sorting is delegated to the source model (its keys are precomputed in Python), so this
    proxy only filters; ``filterChanged`` tells the timeline to redraw.

    Signals:
        filterChanged: the set of accepted sessions changed.
        searchPending(bool): a search waits for the index (True) or ran (False).
    """

    filterChanged = Signal()
    searchPending = Signal(bool)

    def __init__(self, controller: Controller, source: ProgramModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.program_model = source
        self.filters = Filters()
        self.search_index: SessionSearch | None = None
        self.search_field = ""  # "" (everything) or one of planner.core.search.FIELDS
        self._terms: list[str] = []
        self._hits: set[str] | None = None  # None: no search
        self._paper_cache: dict[str, set[str] | None] = {}
        self._pending = False
        self._now = controller.now()  # one clock reading per filter pass
        self._rows: list[bool] | None = None  # has papers, by top-level row (see _top_rows)
        self._rows_ok = False
        self._top_id: int | None = None  # internalId of top-level rows (see hasChildren)
        self._search_only = True  # no filter but the search: a row passes when it is a hit
        self._hit_rows: list[bool] | None = None  # is a hit, by source row (search only)
        self.setDynamicSortFilter(True)
        self.setSourceModel(source)
        # Connected after the proxy's own handlers, which only note what is about to move.
        for moving in (source.modelAboutToBeReset, source.layoutAboutToBeChanged,
                       source.rowsAboutToBeInserted, source.rowsAboutToBeRemoved):
            moving.connect(self._forget_hit_rows)
        controller.programChanged.connect(self._on_program_changed)
        controller.starsChanged.connect(self._on_stars_changed)
        for changed in (self.rowsInserted, self.rowsRemoved, self.layoutChanged,
                        self.modelReset):
            changed.connect(self._forget_rows)

    # -- the rule --------------------------------------------------------------------------
    def is_over(self, session: Session, now: dt.datetime) -> bool:
        end = session.end or session.start
        return end is not None and end <= now

    def accepts_session(self, session: Session) -> bool:
        """The shared filter: the list's rows and the timeline's blocks."""
        f = self.filters
        if f.kinds is not None and session.kind.value not in f.kinds:
            return False
        if f.tracks is not None and session.track not in f.tracks:
            return False
        if f.rooms is not None and session.room not in f.rooms:
            return False
        if f.starred_only and self.controller.session_state(session) == StarState.NONE:
            return False
        if f.hide_over and self.is_over(session, self._now):
            return False
        return self._hits is None or session.id in self._hits

    def accepts_paper(self, session: Session, paper: Paper) -> bool:
        allowed = self._paper_cache.get(session.id, ...)
        if allowed is ...:
            allowed = self._papers_shown(session)
            self._paper_cache[session.id] = allowed
        return allowed is None or paper.id in allowed

    def _papers_shown(self, session: Session) -> set[str] | None:
        """Papers of an accepted session to list: those matching the search (all of them when
        the session's own text or several papers together made the match), and only starred
        ones under "starred only" unless the session itself is starred."""
        program = self.controller.program
        if program is None:
            return None
        papers = program.papers_of(session)
        shown = papers
        if self._terms and self.search_index is not None:
            hits = [p for p in papers if self.search_index.paper_matches(session, p, self._terms)]
            if hits:
                shown = hits
        if self.filters.starred_only and not self.controller.is_starred(session.id):
            starred = [p for p in shown if self.controller.is_starred(p.id)]
            if starred:
                shown = starred
        if len(shown) == len(papers):
            return None
        return {p.id for p in shown}

    # -- QSortFilterProxyModel -------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.program_model
        if not source_parent.isValid():
            if self._search_only:  # the common case, once per row per keystroke: keep it short
                hit_rows = self._hit_rows
                if hit_rows is not None:
                    return hit_rows[source_row]
                hits = self._hits
                return hits is None or model.session_at(source_row).id in hits
            return self.accepts_session(model.session_at(source_row))
        session = model.session_of(source_parent)
        if session is None:
            return False
        ordinal = model.ordinal_of(session.id)
        assert ordinal is not None
        papers = model.papers_at(ordinal)
        return source_row < len(papers) and self.accepts_paper(session, papers[source_row])

    def hasChildren(self, parent: Index = ROOT) -> bool:
        """Answered from the domain for session rows.

        A tree view asks this for every row it lays out; the default maps each row to the
        source and asks it twice more (three calls into Python per row, 10,000 rows per
        keystroke). Rows are in source order (this proxy never sorts), so the top-level rows
        are the accepted source rows, whose answers are listed once per filter change.
        """
        if not parent.isValid():
            return super().hasChildren(parent)
        answers = self._rows if self._rows_ok else self._top_rows()
        if answers is not None and parent.internalId() == self._top_id:
            # A top-level row (they share their parent's mapping, the root's): one call into
            # Qt instead of making and asking the parent index.
            row = parent.row()
            if row < len(answers):
                return answers[row]
        if parent.parent().isValid():
            return False  # a paper
        row = parent.row()
        if answers is None or row >= len(answers):
            return super().hasChildren(parent)
        return answers[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The source's flags (it keeps Qt's defaults), without mapping each row back to it:
        a tree view asks for every row on every layout."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _top_rows(self) -> list[bool] | None:
        """Whether each top-level row has papers, or None when the rows do not match."""
        if self._rows is None:
            model = self.program_model
            hits = self._hits
            if self._search_only and hits is None:
                self._rows = model.has_papers_by_row()
            elif self._search_only and self._hit_rows is not None:
                self._rows = list(compress(model.has_papers_by_row(), self._hit_rows))
            else:
                sessions = model.sessions_by_row()
                if self._search_only and hits is not None:
                    sessions = [s for s in sessions if s.id in hits]
                elif not self._search_only:
                    sessions = [s for s in sessions if self.accepts_session(s)]
                self._rows = [bool(s.paper_ids) for s in sessions]
            self._rows_ok = len(self._rows) == self.rowCount()  # else: ask Qt, row by row
            self._top_id = self.index(0, 0).internalId() if self._rows else None
        return self._rows if self._rows_ok else None

    def _forget_rows(self, *args: object) -> None:
        self._rows = None
        self._rows_ok = False
        self._top_id = None

    def _forget_hit_rows(self, *args: object) -> None:
        self._hit_rows = None

    def _list_hit_rows(self) -> None:
        """List which source rows are hits once, so filterAcceptsRow is a list lookup."""
        hits = self._hits
        if self._search_only and hits is not None:
            self._hit_rows = list(map(hits.__contains__, self.program_model.ids_by_row()))
        else:
            self._hit_rows = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.program_model.sort(column, order)

    # -- changing the filters ---------------------------------------------------------------
    def set_query(self, text: str) -> None:
        self.filters.query = text
        terms = query_terms(text, self.search_field)
        if not terms:
            if self._same_rows(self._hits, None):
                self._keep_rows([], None)
            else:
                self._apply(lambda: self._set_hits([], None), self._changes(self._hits, None))
            return
        if self.search_index is None:
            self._pending = True
            self.searchPending.emit(True)
            return
        within = self._hits if _narrows(self._terms, terms) else None
        hits = self.search_index.sessions_matching(terms, within, self.controller.program)
        if self._same_rows(self._hits, hits):
            self._keep_rows(terms, hits)
            return
        self._apply(lambda: self._set_hits(terms, hits), self._changes(self._hits, hits))

    def _same_rows(self, old: set[str] | None, new: set[str] | None) -> bool:
        """True when both sets of hits show the same sessions ("molecu" -> "molecul", or
        "m", which every session has, after no search)."""
        if old == new:
            return True
        total = self.program_model.rowCount()
        return (old is None or len(old) == total) and (new is None or len(new) == total)

    def _keep_rows(self, terms: list[str], hits: set[str] | None) -> None:
        """A new search that shows the same sessions: no row comes or goes (no pass over
        10,000 rows); only the papers listed under expanded sessions may change."""
        self._set_hits(terms, hits)
        self._list_hit_rows()
        self._paper_cache.clear()
        self.program_model.refresh_listed_papers()
        self.filterChanged.emit()

    def _changes(self, old: set[str] | None, new: set[str] | None) -> int:
        """About how many sessions a new set of search hits shows or hides."""
        total = self.program_model.rowCount()
        if old is None and new is None:
            return 0
        if old is None or new is None:
            return total - len(new if old is None else old)  # type: ignore[arg-type]
        return len(old ^ new)

    def _set_hits(self, terms: list[str], hits: set[str] | None) -> None:
        self._terms = terms
        self._hits = hits

    def set_search_index(self, index: SessionSearch | None) -> None:
        """A new index (a scan first, then the word index): a search typed before it runs."""
        self.search_index = index
        if index is not None and self._pending:
            self._pending = False
            self._terms, self._hits = [], None
            self._forget_hit_rows()
            self.set_query(self.filters.query)
            self.searchPending.emit(False)

    def set_filter(self, **changes: Any) -> None:
        """Change kinds, tracks, rooms, starred_only or hide_over."""
        def change() -> None:
            for name, value in changes.items():
                setattr(self.filters, name, value)
        self._apply(change, self.program_model.rowCount())

    def refilter(self) -> None:
        """Apply the filters again (the clock moved: "hide what is over")."""
        self._apply(lambda: None, self.program_model.rowCount())

    def _apply(self, change: Any, changed_rows: int) -> None:
        """Change the filter and update the views: row by row for small changes (a view
        keeps its place and expansions), as one layout change for big ones."""
        bulk = changed_rows > BULK_CHANGE_ROWS
        if not bulk:
            self.beginFilterChange()
        change()
        f = self.filters
        self._search_only = not (f.starred_only or f.hide_over) and all(
            s is None for s in (f.kinds, f.tracks, f.rooms))
        self._paper_cache.clear()
        self._now = self.controller.now()
        self._forget_rows()
        self._list_hit_rows()
        if bulk:
            self.invalidate()
        else:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._forget_rows()
        self.filterChanged.emit()

    def is_filtering(self) -> bool:
        f = self.filters
        return bool(self._terms) or f.starred_only or f.hide_over or any(
            s is not None for s in (f.kinds, f.tracks, f.rooms))

    def terms(self) -> list[str]:
        return list(self._terms)

    def highlight_words(self) -> list[str]:
        """The searched words (without fields), for highlighting."""
        return plain_terms(self._terms)

    # -- following the controller -----------------------------------------------------------
    def _on_program_changed(self) -> None:
        self.search_index = None
        self._terms, self._hits = [], None
        self._forget_hit_rows()
        self._paper_cache.clear()
        program = self.controller.program
        if program is not None and len(program.papers) <= BACKGROUND_INDEX_PAPERS:
            self.search_index = WordIndex.build(TextScan.build(program))
        if self.filters.query:
            self.set_query(self.filters.query)
        else:
            self.filterChanged.emit()

    def _on_stars_changed(self, ids: list[str]) -> None:
        self._paper_cache.clear()
        if self.filters.starred_only:
            self.filterChanged.emit()

    # -- helpers for views -----------------------------------------------------------------
    def item_of(self, index: Index) -> Session | Paper | None:
        if not index.isValid():
            return None
        return self.program_model.item_of(self.mapToSource(index))

    def indexes_of(self, item_id: str) -> list[QModelIndex]:
        result = []
        for source_index in self.program_model.indexes_of(item_id):
            index = self.mapFromSource(source_index)
            if index.isValid():
                result.append(index)
        return result
