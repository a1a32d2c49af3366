"""The filter sidebar: days, starred only, hide what is over, and the kind, track and room lists."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Program, SessionKind
from planner.ui.models import FacetModel

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def facet_view(model: FacetModel, name: str) -> tuple[QWidget, QListView]:
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
        lambda pos, v=view, m=model: facet_menu(v, m, pos))
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


def facet_menu(view: QListView, model: FacetModel, pos: QPoint) -> None:
    index = view.indexAt(pos)
    menu = QMenu(view)
    if index.isValid():
        key = model.values[index.row()][0]
        menu.addAction("Show only this", lambda: model.only(key))
    menu.addAction("Show all", lambda: model.set_all(True))
    menu.exec(view.viewport().mapToGlobal(pos))


def build_sidebar(window: MainWindow) -> QWidget:
    sidebar = QWidget()
    layout = QVBoxLayout(sidebar)
    layout.setContentsMargins(6, 6, 6, 6)
    days_label = QLabel("<b>&Days</b>")
    window.days_view = QListView()
    window.days_view.setModel(window.days_model)
    window.days_view.setAccessibleName("Days")
    window.days_view.setAccessibleDescription("Jump to a day; days as the display zone sees "
                                              "them")
    window.days_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    days_label.setBuddy(window.days_view)
    layout.addWidget(days_label)
    layout.addWidget(window.days_view)
    show_label = QLabel("<b>Show</b>")
    layout.addWidget(show_label)
    window.starred_only = QCheckBox("Starred &only")
    window.starred_only.setAccessibleName("Starred only")
    window.hide_over = QCheckBox("&Hide what is over")
    window.hide_over.setAccessibleName("Hide what is over")
    layout.addWidget(window.starred_only)
    layout.addWidget(window.hide_over)
    window.kind_box, window.kind_view = facet_view(window.kind_facet, "Kinds")
    window.track_box, window.track_view = facet_view(window.track_facet, "Tracks")
    window.room_box, window.room_view = facet_view(window.room_facet, "Rooms")
    for box in (window.kind_box, window.track_box, window.room_box):
        layout.addWidget(box)
    window.reset_button = QPushButton("Reset filters")
    window.reset_button.setAccessibleName("Reset filters")
    window.reset_button.clicked.connect(window.reset_filters)
    layout.addWidget(window.reset_button)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(sidebar)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setAccessibleName("Filters")
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls are the tab stops
    scroll.setMinimumWidth(150)
    return scroll


def fit_list(view: QListView, rows: int, most: int) -> None:
    row_h = max(view.sizeHintForRow(0), view.fontMetrics().height() + 4) if rows else 20
    view.setFixedHeight(min(rows, most) * row_h + 2 * view.frameWidth() + 2)


def fill_facets(window: MainWindow, program: Program) -> None:
    """The kind, track and room lists of a newly shown program, with counts, all ticked
    (filters belong to a program: restore_view_state brings back this one's)."""
    kinds = Counter(session.kind.value for session in program.sessions)
    tracks_seen = Counter(session.track for session in program.sessions)
    rooms_seen = Counter(session.room for session in program.sessions)
    for facet in (window.kind_facet, window.track_facet, window.room_facet):
        facet.unchecked = set()
    by_track = bool(program.tracks)
    categories = window.timeline.view.categories()  # the legend's colours
    window.kind_facet.set_values([(k.value, k.label, kinds[k.value])
                                  for k in SessionKind if k.value in kinds],
                                 colours=None if by_track else categories)
    tracks = [(t, t, tracks_seen[t]) for t in program.tracks]
    if tracks and tracks_seen.get(""):
        tracks.append(("", "No track", tracks_seen[""]))
    window.track_facet.set_values(tracks, colours=categories if by_track else None)
    rooms = [(r, r, rooms_seen[r]) for r in program.rooms]
    if rooms and rooms_seen.get(""):
        rooms.append(("", "No room", rooms_seen[""]))
    window.room_facet.set_values(rooms)
    window.track_box.setVisible(bool(tracks))
    window.room_box.setVisible(bool(rooms))
    for view, model in ((window.kind_view, window.kind_facet),
                        (window.track_view, window.track_facet),
                        (window.room_view, window.room_facet)):
        fit_list(view, model.rowCount(), 8)
