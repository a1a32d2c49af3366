"""What every item model shares: the custom data roles, the list's columns and the cell texts.

The program, agenda and list models (and the timeline and details views) read a session's
place, title, time, star and conflict texts from here, so each view says the same thing.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from planner.core.conflicts import is_calendar
from planner.core.model import Paper, Session
from planner.core.stars import StarState
from planner.ui import icons, timefmt
from planner.ui.controller import Controller

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the Session or Paper
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its id
SESSION_ROLE = Qt.ItemDataRole.UserRole + 3  # the session (a paper row: the slot's session)
STAR_ROLE = Qt.ItemDataRole.UserRole + 4  # StarState of the row's item
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 5  # sessions the row's session collides with
KIND_ROLE = Qt.ItemDataRole.UserRole + 6  # a row kind in the agenda ("day", "gap", ...)

DISPLAY = Qt.ItemDataRole.DisplayRole
DECORATION = Qt.ItemDataRole.DecorationRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


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
STAR_NAMES = {StarState.FULL: "starred", StarState.PARTIAL: "some papers starred",
               StarState.NONE: "not starred"}


def star_look(controller: Controller, item_id: str, state: str) -> str:
    """The star to draw: a full star marked "maybe" looks fainter (icons.MAYBE_LOOK)."""
    if state == StarState.FULL and controller.is_maybe(item_id):
        return icons.MAYBE_LOOK
    return state


def star_name(controller: Controller, item_id: str, state: str) -> str:
    """The star's state in words, for screen readers: "starred, maybe" for a maybe."""
    name = STAR_NAMES[state]
    return name + ", maybe" if star_look(controller, item_id, state) == icons.MAYBE_LOOK \
        else name


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
    parts: list[str] = []
    calendar: list[str] = []  # busy times of the user's calendar: "Clashes with your calendar"
    for other in others:
        when = ""
        if other.start is not None:
            span = timefmt.span(other.start, other.end, controller.display_zone,
                                other.end_estimated)
            when = f" ({span})"
        (calendar if is_calendar(other) else parts).append(f"{other.title}{when}")
    if more > 0:
        parts.append(f"and {more:,} more")
    texts = [f"Clashes with {'; '.join(calendar)}"] if calendar else []
    if parts:
        texts.append("Overlaps with " + "; ".join(parts))
    return "; ".join(texts)


def session_time_text(session: Session, zone: dt.tzinfo, source_zone: dt.tzinfo) -> str:
    if session.start is None:
        return "not scheduled"
    if session.all_day:
        return timefmt.all_day_text(session, source_zone)
    return timefmt.span(session.start, session.end, zone, session.end_estimated, with_zone=False)


def session_title(session: Session) -> str:
    """The title as lists show it: a cancelled session says so in words, not only by style."""
    return f"Cancelled: {session.title}" if session.cancelled else session.title


UNSET = object()


def paper_cell(controller: Controller, paper: Paper, session: Session, column: int, role: int,
               star_column: int, title_column: int) -> Any:
    """What every view shows for a paper row: the objects, the star, the title (marked when it
    was derived from the abstract). ``UNSET`` for what the view decides itself."""
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
        if role == DECORATION:
            return icons.star_icon(star_look(controller, paper.id, state))
        if role == ACCESSIBLE:
            return star_name(controller, paper.id, state)
        if role == TOOLTIP:
            return star_tooltip(state, "maybe" if controller.is_maybe(paper.id) else "")
    if column == title_column:
        if role == DISPLAY:
            return paper.title + (DERIVED_MARK if paper.title_derived else "")
        if role == Qt.ItemDataRole.FontRole and paper.title_derived:
            font = QFont()
            font.setItalic(True)
            return font
    return UNSET
