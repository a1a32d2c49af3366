"""The timeline pane: the painted view with its day bar, legend, whole-day and unscheduled lists.

The pieces live in their own modules: :mod:`planner.ui.timeline_layout` (where blocks go, plain
data), :mod:`planner.ui.timeline_paint` (drawing) and :mod:`planner.ui.timeline_view` (state and
input). This module puts them together and re-exports what other modules import from here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.core.text import escape_html
from planner.ui import timefmt
from planner.ui.colours import category_colour, category_edge, is_dark
from planner.ui.controller import Controller
from planner.ui.models import AllDayModel, UnscheduledModel
from planner.ui.proxy import FilterProxy
from planner.ui.timeline_layout import (
    COLLAPSED_WIDTH,
    DEFAULT_ZOOM,
    ZOOM_LEVELS,
    Block,
    DayLayout,
    Lane,
    pack_columns,
    suggested_zoom,
)
from planner.ui.timeline_text import wrap_lines
from planner.ui.timeline_view import TimelineView

__all__ = [
    "COLLAPSED_WIDTH",
    "DEFAULT_ZOOM",
    "ZOOM_LEVELS",
    "Block",
    "DayLayout",
    "Lane",
    "TimelinePane",
    "TimelineView",
    "pack_columns",
    "suggested_zoom",
    "wrap_lines",
]


class TimelinePane(QWidget):
    """The timeline with its day bar, legend and the list of unscheduled sessions."""

    def __init__(self, controller: Controller, proxy: FilterProxy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view = TimelineView(controller, proxy, self)
        self.previous_day = self._tool_button("◀", "Previous day (Alt+Page Up)")
        self.next_day = self._tool_button("▶", "Next day (Alt+Page Down)")
        self.zoom_out = self._tool_button("−", "Zoom out (−, Ctrl+wheel)")
        self.zoom_in = self._tool_button("+", "Zoom in (+, Ctrl+wheel)")
        self.day_label = QLabel()
        self.day_label.setAccessibleName("Day shown")
        self.day_label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.day_label.font())
        font.setBold(True)
        self.day_label.setFont(font)
        self.day_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.previous_day)
        bar.addWidget(self.next_day)
        bar.addWidget(self.day_label, 1)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Colour legend")
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.legend_area = QScrollArea()
        self.legend_area.setWidget(self.legend)
        self.legend_area.setWidgetResizable(True)
        self.legend_area.setFrameShape(QFrame.Shape.NoFrame)
        self.legend_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend.setContentsMargins(0, 0, 0, 0)
        self.legend_area.setMaximumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.legend_area.setAccessibleName("Colour legend")
        self.legend_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do there by key
        self.legend_timer = QTimer(self)
        self.legend_timer.setSingleShot(True)
        self.legend_timer.setInterval(120)
        self.legend_timer.timeout.connect(self._update_legend)
        self.all_day_model = AllDayModel(controller, proxy.accepts_session, self)
        self.all_day_label = QLabel("All day:")
        self.all_day = QListView()
        self.all_day.setModel(self.all_day_model)
        self.all_day.setAccessibleName("Whole-day sessions of this day")
        self.all_day.setIconSize(QSize(16, 16))
        self.all_day_label.setBuddy(self.all_day)
        self.unscheduled_model = UnscheduledModel(controller, proxy.accepts_session, self)
        self.unscheduled_label = QLabel()
        self.unscheduled = QListView()
        self.unscheduled.setModel(self.unscheduled_model)
        self.unscheduled.setAccessibleName("Sessions without a time")
        self.unscheduled.setIconSize(QSize(16, 16))
        self.unscheduled.setMaximumHeight(90)
        self.unscheduled_label.setBuddy(self.unscheduled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.all_day_label)
        layout.addWidget(self.all_day)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend_area)
        layout.addWidget(self.unscheduled_label)
        layout.addWidget(self.unscheduled)
        self.previous_day.clicked.connect(lambda: self.view.step_day(-1))
        self.next_day.clicked.connect(lambda: self.view.step_day(1))
        self.zoom_in.clicked.connect(lambda: self.view.zoom(1))
        self.zoom_out.clicked.connect(lambda: self.view.zoom(-1))
        self.view.dayChanged.connect(self._update_bar)
        proxy.filterChanged.connect(lambda: self._update_bar(self.view.day))
        proxy.filterChanged.connect(self._refresh_unscheduled)
        proxy.filterChanged.connect(self._refresh_all_day)
        self.view.dayChanged.connect(self._refresh_all_day)
        # (Not .start itself: valueChanged(int) would pass the value as the interval.)
        proxy.filterChanged.connect(lambda: self.legend_timer.start())
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self.legend_timer.start())
        self.view.horizontalScrollBar().valueChanged.connect(
            lambda _v: self.legend_timer.start())
        controller.programChanged.connect(self._refresh_unscheduled)
        controller.timesChanged.connect(lambda: self._update_bar(self.view.day))
        self._refresh_unscheduled()
        self._refresh_all_day()
        self._update_bar(self.view.day)

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_bar(self.view.day)  # skipped while hidden

    def _update_bar(self, day: object) -> None:
        if not self.isVisible():
            return  # counting hidden sessions would lay out a day nobody sees
        zone = self.controller.display_zone_name
        if isinstance(day, dt.date):
            days = self.view.days()
            text = f"{timefmt.long_day_label(day)} · times in {zone}"
            layout = self.view.layout_data
            hidden = layout.hidden_by_day.get(day, 0) if layout is not None else 0
            if hidden:
                text += f" · {hidden} hidden by search or filters"
            self.day_label.setText(text)
            self.previous_day.setEnabled(bool(days) and day != days[0])
            self.next_day.setEnabled(bool(days) and day != days[-1])
        else:
            self.day_label.setText(f"Times in {zone}")
            self.previous_day.setEnabled(False)
            self.next_day.setEnabled(False)
        self._update_legend()

    def _update_legend(self) -> None:
        """The colours of what is in view (the Tracks or Kinds list has them all)."""
        if not self.isVisible():
            return
        blocks = self.view.visible_blocks()
        if not blocks:
            self.legend.setText("")
            self.legend_area.setVisible(False)
            return
        dark = is_dark(self.palette())
        by_track = self.view.colours_by_track()
        seen: dict[int, str] = {}
        for block in blocks:
            session = block.session
            label = (session.track or "No track") if by_track else session.kind.label
            seen.setdefault(block.category, label)
        items = []
        for category, label in sorted(seen.items(), key=lambda kv: kv[1].casefold()):
            colour = category_colour(category, dark).name()
            edge = category_edge(category, dark).name()
            name = escape_html(label).replace(" ", "&nbsp;").replace("-", "\u2011")
            items.append(f'<span style="background-color:{colour}; color:{edge}">&nbsp;■&nbsp;'
                         f"</span>&nbsp;{name}")
        extra = (" &nbsp; <i>faded&nbsp;end&nbsp;=&nbsp;end&nbsp;estimated</i>"
                 if any(b.session.end_estimated for b in blocks) else "")
        what = "Tracks in view" if by_track else "Kinds in view"
        self.legend.setText(f"<b>{what}:</b> " + " &nbsp; ".join(items) + extra)
        self.legend_area.setVisible(True)

    def _refresh_all_day(self, *args: object) -> None:
        self.all_day_model.set_sessions(self.view.all_day_sessions())
        count = self.all_day_model.rowCount()
        self.all_day_label.setVisible(count > 0)
        self.all_day.setVisible(count > 0)
        if count:
            row_h = self.all_day.sizeHintForRow(0)
            self.all_day.setMaximumHeight(min(72, row_h * count + 6))

    def _refresh_unscheduled(self) -> None:
        self.unscheduled_model.refresh()
        count = self.unscheduled_model.rowCount()
        self.unscheduled_label.setText(f"Not scheduled ({count}): the program gives no time")
        self.unscheduled_label.setVisible(count > 0)
        self.unscheduled.setVisible(count > 0)
        if count:
            row_h = self.unscheduled.sizeHintForRow(0)
            self.unscheduled.setMaximumHeight(min(90, row_h * count + 6))
