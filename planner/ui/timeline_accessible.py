"""The timeline for screen readers: every block in view is its own accessible object.

The view paints its blocks, so Qt sees one widget. This module gives assistive technology the
blocks as children of the timeline's interface (a list of items): each says its title (name),
both clocks, room, star state and conflicts (description, the words of
:func:`planner.ui.timeline_text.describe`), where it is on screen, whether it is the
selection, whether it is starred (checkable, checked; half-starred reads as mixed), and offers
a Toggle action that stars or unstars it. When the selection moves, a Focus and a Selection
event name the new block, so a screen reader follows the arrow keys.

It works only from the view's public API (``visible_blocks``, ``block_for``,
``block_viewport_rect``, ``describe``, ``select``) and is installed with
:func:`QAccessible.installFactory`, so the view's own code does not change with it.

Lifetime, the delicate part with PySide6: the interfaces are Python objects handed to Qt's
accessibility cache, which owns and deletes them. Python keeps a reference to every interface
it has handed over (else Python would free what Qt still uses), and removes them from Qt's
cache itself, through :func:`QAccessible.deleteAccessibleInterface`, when a block leaves the
day (filter, program change) or the view is destroyed, and before the interpreter exits.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleStateChangeEvent,
    QWindow,
)
from PySide6.QtWidgets import QAccessibleWidget

from planner.core.stars import StarState

if TYPE_CHECKING:
    from planner.ui.timeline_layout import Block
    from planner.ui.timeline_view import TimelineView

_installed = False
_views: dict[int, TimelineInterface] = {}  # every timeline interface Qt's cache holds


def install() -> None:
    """Let Qt ask this module for the timeline's interface (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    QAccessible.installFactory(_factory)
    atexit.register(_release_all)


def _factory(key: str, thing: QObject) -> QAccessibleInterface | None:
    from planner.ui.timeline_view import TimelineView

    if not isinstance(thing, TimelineView):
        return None
    interface = TimelineInterface(thing)
    _views[id(interface)] = interface
    thing.destroyed.connect(lambda *_args, i=interface: i.release())
    return interface


def _release_all() -> None:
    """Take every interface out of Qt's cache while Python can still free them."""
    for interface in list(_views.values()):
        interface.release()


def selection_moved(view: TimelineView) -> None:
    """Tell assistive technology which block is the selection now (a Focus event when the
    timeline has the keyboard focus, and a Selection event)."""
    if not QAccessible.isActive():
        return  # nobody listens: nothing to build
    interface = QAccessible.queryAccessibleInterface(view)
    if not isinstance(interface, TimelineInterface):
        return
    interface.announce_selection()


class TimelineInterface(QAccessibleWidget):
    """The timeline as a list whose items are the blocks in view."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view, QAccessible.Role.List, "Timeline")
        self.view = view
        self._blocks: dict[str, BlockInterface] = {}  # by session id, each in Qt's cache
        self._order_key: tuple[object, ...] | None = None
        self._order: list[str] = []
        self._stale = False
        self._announced: str | None = None
        self._reported: list[str] | None = None  # the children a reader last saw
        self._report_pending = False
        self._released = False
        for signal in (view.controller.programChanged, view.proxy.filterChanged,
                       view.dayChanged):
            signal.connect(self._mark_stale)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(self.children_may_change)
        view.controller.starsChanged.connect(self._on_stars_changed)
        self._focus_watch = FocusWatch(self, view)  # a child of the view: goes with it

    # -- lifetime --------------------------------------------------------------------------
    def alive(self) -> bool:
        return not self._released and shiboken6.isValid(self.view)

    def release(self) -> None:
        """Out of Qt's cache: the blocks, then this interface (the view is going)."""
        if self._released:
            return
        self._released = True
        for block in list(self._blocks.values()):
            block.remove()
        self._blocks.clear()
        if shiboken6.isValid(self):
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(self))
        _views.pop(id(self), None)

    def _mark_stale(self, *_args: object) -> None:
        self._stale = True  # pruned when next asked: a hidden timeline lays nothing out
        self.children_may_change()

    def children_may_change(self, *_args: object) -> None:
        """Blocks came into view or left it (scroll, filter, day, size): tell a listening
        screen reader once the change has settled, so it reads the list again."""
        if self._report_pending or not QAccessible.isActive():
            return
        self._report_pending = True
        QTimer.singleShot(0, self._report_children)

    def _report_children(self) -> None:
        self._report_pending = False
        if not self.alive() or not self.view.isVisible():
            return  # shown again later: the show reports (and only then lays out)
        if self._reported is None:
            return  # nobody has read the list yet: nothing to correct
        ids = self.session_ids()
        if ids != self._reported:
            self._reported = list(ids)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.view, QAccessible.Event.ObjectReorder))

    def _prune(self) -> None:
        """Forget the blocks that left the day (filtered out, another program or day)."""
        if not self._stale:
            return
        self._stale = False
        for session_id, block in list(self._blocks.items()):
            if self.view.block_for(session_id) is None:
                block.remove()
                del self._blocks[session_id]

    # -- the blocks in view ----------------------------------------------------------------
    def session_ids(self) -> list[str]:
        """The blocks in view, in reading order: by start, then left to right."""
        if not self.alive():
            return []
        self._prune()
        view = self.view
        key = (view.layout_data, view.horizontalScrollBar().value(),
               view.verticalScrollBar().value(), view.viewport().size())
        if self._order_key is None or key[0] is not self._order_key[0] \
                or key[1:] != self._order_key[1:]:
            blocks = sorted(view.visible_blocks(), key=lambda b: (b.top, b.left))
            self._order = [b.session.id for b in blocks]
            self._order_key = key
        return self._order

    def block_interface(self, session_id: str) -> BlockInterface:
        block = self._blocks.get(session_id)
        if block is None or not shiboken6.isValid(block):
            block = BlockInterface(self, session_id)
            QAccessible.registerAccessibleInterface(block)
            self._blocks[session_id] = block
        return block

    def index_of_session(self, session_id: str | None) -> int:
        ids = self.session_ids()
        return ids.index(session_id) if session_id in ids else -1

    def announce_selection(self, focus_arrived: bool = False) -> None:
        """Focus and Selection events for the selected block when it changed (a star change
        says so by its own state event, not by announcing the same block again), or when the
        keyboard focus has just arrived."""
        selected = self.view.selected_id
        index = self.index_of_session(selected)
        if index < 0:
            self._announced = None
            return
        if selected == self._announced and not focus_arrived:
            return
        self._announced = selected
        if self.view.hasFocus():
            event = QAccessibleEvent(self.view, QAccessible.Event.Focus)
            event.setChild(index)
            QAccessible.updateAccessibility(event)
        if not focus_arrived:
            event = QAccessibleEvent(self.view, QAccessible.Event.Selection)
            event.setChild(index)
            QAccessible.updateAccessibility(event)

    def _on_stars_changed(self, ids: list[str]) -> None:
        """A block whose star changed says so (its checked state)."""
        if not QAccessible.isActive() or not self.alive():
            return
        program = self.view.controller.program
        for session_id in self.session_ids():
            session = program.find_session(session_id) if program else None
            if session is None or not (session_id in ids or any(
                    paper in ids for paper in session.paper_ids)):
                continue
            changed = QAccessible.State()
            changed.checked = True
            changed.checkStateMixed = True
            event = QAccessibleStateChangeEvent(self.view, changed)
            event.setChild(self.index_of_session(session_id))
            QAccessible.updateAccessibility(event)

    # -- QAccessibleInterface --------------------------------------------------------------
    def isValid(self) -> bool:
        return self.alive()

    def childCount(self) -> int:
        ids = self.session_ids()
        self._reported = list(ids)
        return len(ids)

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        ids = self.session_ids()
        if not 0 <= index < len(ids):
            return None
        return self.block_interface(ids[index])

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if isinstance(child, BlockInterface) and child.owner is self:
            return self.index_of_session(child.session_id)
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        if not self.alive():
            return None
        viewport = self.view.viewport()
        block = self.view.block_at(viewport.mapFromGlobal(QPoint(x, y)))
        if block is None or block.session.id not in self.session_ids():
            return None
        return self.block_interface(block.session.id)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        if not self.alive() or not self.view.hasFocus():
            return None
        selected = self.view.selected_id
        if selected is None or selected not in self.session_ids():
            return None
        return self.block_interface(selected)


class FocusWatch(QObject):
    """When the timeline gets the keyboard focus, the selected block is announced right after
    the timeline itself (Qt sends the widget's own Focus event once the focus has moved); when
    it is shown or resized, other blocks may be in view."""

    def __init__(self, interface: TimelineInterface, view: TimelineView) -> None:
        super().__init__(view)
        self.interface = interface
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn and QAccessible.isActive():
            QTimer.singleShot(0, self._announce)
        elif kind in (QEvent.Type.Show, QEvent.Type.Resize) and self.interface.alive():
            self.interface.children_may_change()
        return False

    def _announce(self) -> None:
        if self.interface.alive() and self.interface.view.hasFocus():
            self.interface.announce_selection(focus_arrived=True)


class BlockInterface(QAccessibleInterface):
    """One block: a list item named by its title, checkable by its star."""

    def __init__(self, owner: TimelineInterface, session_id: str) -> None:
        super().__init__()
        self.owner = owner
        self.session_id = session_id
        self.actions = BlockActions(self)

    def remove(self) -> None:
        """Out of Qt's cache (Qt deletes its side; this Python object is then let go)."""
        if shiboken6.isValid(self):
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(self))

    def _block(self) -> Block | None:
        if not self.owner.alive():
            return None
        return self.owner.view.block_for(self.session_id)

    # -- what the star action does ---------------------------------------------------------
    def toggle_star(self) -> None:
        if self._block() is not None:
            self.owner.view.controller.toggle(self.session_id)

    def select(self, focus: bool) -> None:
        if self._block() is None:
            return
        view = self.owner.view
        view.select(self.session_id, reveal=True)
        view.selected.emit(self.session_id)
        if focus:  # the keyboard comes here: the window too, as a click would make it
            view.window().activateWindow()
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- QAccessibleInterface --------------------------------------------------------------
    def isValid(self) -> bool:
        return self._block() is not None

    def object(self) -> QObject | None:  # type: ignore[override]
        return None  # a painted block has no QObject; the cache keys it by its id

    def window(self) -> QWindow | None:  # type: ignore[override]
        if not self.owner.alive():
            return None
        return self.owner.view.window().windowHandle()

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return self.owner if self.owner.alive() else None

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def text(self, kind: QAccessible.Text) -> str:
        block = self._block()
        if block is None:
            return ""
        if kind == QAccessible.Text.Name:
            return block.session.title
        if kind == QAccessible.Text.Description:
            lines = self.owner.view.describe(block.session).split("\n")
            return ". ".join(line.rstrip(".") for line in lines[1:])
        if kind == QAccessible.Text.Help:
            return "Space stars or unstars; arrow keys move to the next session"
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        pass  # a block's words come from the program

    def rect(self) -> QRect:
        """The painted block on screen, cut to the part of it not under the clocks or the
        room headers."""
        if self._block() is None:
            return QRect()
        view = self.owner.view
        viewport = view.viewport()
        shown = QRect(view.gutter_width(), view.header_height(),
                      viewport.width() - view.gutter_width(),
                      viewport.height() - view.header_height())
        area = view.block_viewport_rect(self.session_id).intersected(shown)
        if area.isEmpty():
            return QRect()
        return QRect(viewport.mapToGlobal(area.topLeft()), area.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        block = self._block()
        if block is None:
            state.invalid = True
            return state
        view = self.owner.view
        selected = view.selected_id == self.session_id
        state.focusable = True
        state.selectable = True
        state.selected = selected
        state.focused = selected and view.hasFocus()
        state.checkable = True
        star = view.controller.session_state(block.session)
        state.checked = star == StarState.FULL
        state.checkStateMixed = star == StarState.PARTIAL
        state.offscreen = self.rect().isEmpty()
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> int:
        """The star's action interface, as the raw pointer Qt's C++ side casts to."""
        if kind == QAccessible.InterfaceType.ActionInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self.actions)[0])  # type: ignore[return-value]
        return shiboken6.VoidPtr(0)  # type: ignore[return-value]


TOGGLE = QAccessibleActionInterface.toggleAction()
PRESS = QAccessibleActionInterface.pressAction()
SET_FOCUS = QAccessibleActionInterface.setFocusAction()
# What a screen reader says for our own actions: (name, description); SetFocus keeps Qt's.
ACTION_WORDS = {
    TOGGLE: ("Star or unstar", "Add this session to My agenda, or take it out"),
    PRESS: ("Select", "Select this session and show its details"),
}


class BlockActions(QAccessibleActionInterface):
    """Toggle stars or unstars the block; Press and SetFocus select it."""

    def __init__(self, block: BlockInterface) -> None:
        super().__init__()
        self.block = block

    def actionNames(self) -> list[str]:
        return [TOGGLE, PRESS, SET_FOCUS]

    def localizedActionName(self, name: str) -> str:
        words = ACTION_WORDS.get(name)
        return words[0] if words else super().localizedActionName(name)

    def localizedActionDescription(self, name: str) -> str:
        words = ACTION_WORDS.get(name)
        return words[1] if words else super().localizedActionDescription(name)

    def doAction(self, name: str) -> None:
        if name == TOGGLE:
            self.block.toggle_star()
        elif name in (PRESS, SET_FOCUS):
            self.block.select(focus=name == SET_FOCUS)

    def keyBindingsForAction(self, name: str) -> list[str]:
        return ["Space"] if name == TOGGLE else []
