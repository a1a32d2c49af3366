"""The timeline in words: tooltips, the clocks' corner tip, the accessible description of
the selected block (both clocks, place, star state, conflicts), and words wrapped to fit a block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QToolTip

from planner.core.model import Session
from planner.core.stars import StarState
from planner.ui import timefmt, timeline_accessible
from planner.ui.models import conflict_text, place_of

if TYPE_CHECKING:
    from planner.ui.controller import Controller
    from planner.ui.timeline_view import TimelineView


def corner_tip(view: TimelineView) -> str:
    """The clocks' full zone names, for the corner above the gutter."""
    display, program = view.clock_titles()
    text = f"{display}: {view.controller.display_zone_name} (display time)"
    if view.two_clocks() and view.controller.program is not None:
        text += f"\n{program}: {view.controller.program.source_zone} (program time)"
    return text


def show_tooltip(view: TimelineView, event: QHelpEvent) -> None:
    """The tip for what is under the pointer: corner, room header, block or busy time."""
    pos = event.pos()
    if pos.y() < view.header_height() and pos.x() < view.gutter_width():
        QToolTip.showText(event.globalPos(), corner_tip(view), view)
        return
    lane = view.lane_at_header(pos)
    if lane is not None and lane.title:
        action = "expand" if lane.collapsed else "collapse"
        QToolTip.showText(event.globalPos(), f"{lane.title}: click to {action} this room "
                          "(C with a session selected)", view)
        return
    block = view.block_at(pos)
    if block is None:
        show_busy_tooltip(view, event)
        return
    QToolTip.showText(event.globalPos(), describe(view, block.session), view)


def show_busy_tooltip(view: TimelineView, event: QHelpEvent) -> None:
    """A busy time of the user's calendar: its title and time (never leaves the app)."""
    layout = view.layout_data
    point = view.content_point(event.pos())
    busy = layout.busy_at(point.x(), point.y()) if layout is not None else None
    if busy is None or event.pos().x() < view.gutter_width():
        QToolTip.hideText()
        return
    when = timefmt.span(busy.busy.start, busy.busy.end, view.controller.display_zone)
    QToolTip.showText(event.globalPos(), f"{busy.busy.title or 'Busy'}\n{when}\nFrom your "
                      f"calendar: shown only here, never exported", view)


def describe(view: TimelineView, session: Session) -> str:
    """Title, both clocks, place, star, conflicts: the block as words."""
    controller = view.controller
    lines = [session.title]
    if session.start is not None:
        lines.append(controller.both_clocks(session))
        if session.end_estimated:
            lines.append("The end is an estimate: the program gives only a start.")
    lines += session_facts(controller, session, controller.session_state(session))
    return "\n".join(lines)


def session_facts(controller: Controller, session: Session, state: str) -> list[str]:
    """Kind, place and track; star; conflicts: the lines a block's tooltip and its
    accessible description share in the timeline and the overview."""
    details = [session.kind.label]
    if place_of(session):
        details.append(place_of(session))
    if session.track:
        details.append(f"track {session.track}")
    lines = [" · ".join(details)]
    if state == StarState.FULL:
        lines.append("★ Starred")
    elif state == StarState.PARTIAL:
        lines.append(f"½★ {len(controller.stars.starred_papers_in(session))} of its "
                     f"papers starred")
    others = controller.conflicts_of(session.id)
    if others:
        lines.append("⚠ " + conflict_text(controller, others,
                                          controller.unlisted_conflicts(session.id)))
    return lines


def describe_selection(view: TimelineView) -> None:
    """The view's accessible description follows the selected block."""
    timeline_accessible.selection_moved(view)  # the block itself, as its own object
    program = view.controller.program
    session = program.find_session(view.selected_id) if program and view.selected_id else None
    if session is None:
        day = timefmt.long_day_label(view.day) if view.day else "no day"
        view.setAccessibleDescription(f"Timeline of {day}; no session selected")
    else:
        lines = describe(view, session).split("\n")
        view.setAccessibleDescription(". ".join(line.rstrip(".") for line in lines))


def wrap_lines(metrics: QFontMetrics, text: str, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one elided if cut."""
    if max_lines <= 0 or width <= 4:
        return []
    words = text.split()
    lines: list[str] = []
    current = ""
    for position, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            continue
        if len(lines) == max_lines - 1:  # no room for another line: the rest ends in "…"
            rest = " ".join([current, *words[position:]])
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, int(width)))
            return lines
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
        current = word
    if current:
        lines.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, int(width)))
    return lines
