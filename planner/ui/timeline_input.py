"""What the timeline does with the mouse, the wheel, the keys and its context menu.

Each handler takes the :class:`~planner.ui.timeline_view.TimelineView` and says whether it
used the event; the view passes what is left to Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu

from planner.ui.timeline_layout import Block
from planner.ui.timeline_paint import rect_of, star_rect_in

if TYPE_CHECKING:
    from planner.ui.timeline_view import TimelineView


def press(view: TimelineView, event: QMouseEvent) -> bool:
    """Left click: a room header or a collapsed room toggles, a block is selected (and its
    star toggled when the click hits the star)."""
    if event.button() != Qt.MouseButton.LeftButton:
        return False
    view.setFocus(Qt.FocusReason.MouseFocusReason)
    pos = event.position()
    lane = view.lane_at_header(pos)
    if lane is not None and lane.collapsible:
        view.toggle_lane(lane.key)
        return True
    block = view.block_at(pos)
    if block is None:
        lane = view.lane_at_content_x(pos)
        if lane is not None and lane.collapsed:
            view.toggle_lane(lane.key)
        return True
    view.selected_id = block.session.id
    view.selected.emit(block.session.id)
    if star_rect_in(rect_of(block)).adjusted(-3, -3, 3, 3).contains(view.content_point(pos)):
        view.starRequested.emit(block.session.id)
    view.describe_selection()
    view.viewport().update()
    return True


def wheel(view: TimelineView, event: QWheelEvent) -> bool:
    """Ctrl+wheel zooms around the pointer; Shift+wheel or a sideways wheel scrolls rooms."""
    if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        steps = 1 if event.angleDelta().y() > 0 else -1
        view.zoom(steps, event.position().y() - view.header_height())
        event.accept()
        return True
    sideways = sideways_delta(view, event)
    if sideways is None:
        return False
    bar = view.horizontalScrollBar()
    bar.setValue(bar.value() - sideways)
    event.accept()
    return True


def sideways_delta(view: TimelineView, event: QWheelEvent) -> int | None:
    """Pixels to scroll the rooms by: Shift turns the wheel sideways, and a horizontal
    wheel (or a touchpad's sideways swipe) scrolls sideways. None: not sideways."""
    angle = event.angleDelta()
    pixels = event.pixelDelta()
    if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
        # Some platforms already turn Shift+wheel into x; take whichever axis moved.
        notches = (angle.y() or angle.x()) / 120
        pixel = pixels.y() or pixels.x()
    elif angle.x() and abs(angle.x()) > abs(angle.y()):
        notches = angle.x() / 120
        pixel = pixels.x()
    else:
        return None
    if pixel:
        return pixel
    lines = QApplication.wheelScrollLines()
    return round(notches * lines * view.horizontalScrollBar().singleStep())


def key(view: TimelineView, event: QKeyEvent) -> bool:
    """Space stars, +/- zoom, C collapses the room, arrows/Home/End move between blocks."""
    code = event.key()
    text = event.text()
    if code == Qt.Key.Key_Space:
        if view.selected_id:
            view.starRequested.emit(view.selected_id)
        return True
    if text in ("+", "=") or code == Qt.Key.Key_Plus:
        view.zoom(1)
        return True
    if text in ("-", "_") or code == Qt.Key.Key_Minus:
        view.zoom(-1)
        return True
    layout = view.layout_data
    if text.lower() == "c" and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        block = view.block_for(view.selected_id) if view.selected_id else None
        if block is not None and layout is not None:
            lane = layout.lanes[block.lane]
            if lane.collapsible:
                view.toggle_lane(lane.key)
        return True
    blocks = layout.blocks if layout is not None else []
    moves: dict[Qt.Key, Callable[[], Block | None]] = {
        Qt.Key.Key_Down: lambda: neighbour(view, 0, 1),
        Qt.Key.Key_Up: lambda: neighbour(view, 0, -1),
        Qt.Key.Key_Right: lambda: neighbour(view, 1, 0),
        Qt.Key.Key_Left: lambda: neighbour(view, -1, 0),
        Qt.Key.Key_Home: lambda: blocks[0] if blocks else None,
        Qt.Key.Key_End: lambda: blocks[-1] if blocks else None,
    }
    if code not in moves or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    target = moves[code]()  # type: ignore[index]
    if target is not None:
        view.selected_id = target.session.id
        view.ensure_visible(target.session.id)
        view.selected.emit(target.session.id)
        view.describe_selection()
        view.viewport().update()
    return True


def neighbour(view: TimelineView, dx: int, dy: int) -> Block | None:
    """The block an arrow key moves to: up/down within the lane, left/right to the next
    column over, nearest in time."""
    layout = view.layout_data
    if layout is None or not layout.blocks:
        return None
    current = view.block_for(view.selected_id) if view.selected_id else None
    if current is None:
        return layout.blocks[0]
    if dy:
        same_lane = [b for b in layout.blocks if b.lane == current.lane]
        same_lane.sort(key=lambda b: (b.top, b.left))
        position = same_lane.index(current) + dy
        return same_lane[position] if 0 <= position < len(same_lane) else None

    def place(block: Block) -> tuple[int, int]:
        return block.lane, block.column

    here = place(current)
    candidates = [b for b in layout.blocks if (place(b) > here if dx > 0 else place(b) < here)]
    if not candidates:
        return None
    nearest = min(candidates, key=place) if dx > 0 else max(candidates, key=place)
    column = [b for b in candidates if place(b) == place(nearest)]
    centre = current.centre_y
    return min(column, key=lambda b: abs(b.centre_y - centre))


def context_menu(view: TimelineView, event: QContextMenuEvent) -> None:
    """Collapse or expand rooms (only when the day is laid out by room)."""
    layout = view.layout_data
    if layout is None or not layout.by_room:
        return
    lane = view.lane_at_header(event.pos()) or view.lane_at_content_x(event.pos())
    menu = QMenu(view)
    if lane is not None:
        toggle = QAction(("Expand" if lane.collapsed else "Collapse") + f" “{lane.title}”", menu)
        toggle.triggered.connect(lambda: view.toggle_lane(lane.key))
        menu.addAction(toggle)
        others = QAction("Collapse all other rooms", menu)
        others.triggered.connect(lambda: view.set_collapsed(
            {other.key for other in layout.lanes if other.key != lane.key}))
        menu.addAction(others)
    expand = QAction("Expand all rooms", menu)
    expand.triggered.connect(lambda: view.set_collapsed(set()))
    menu.addAction(expand)
    menu.exec(event.globalPos())
