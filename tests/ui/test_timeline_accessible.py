"""The timeline as a screen reader meets it, through Qt's accessibility API: every block in view
is a child with its title, both clocks, star state, screen rectangle and a star action."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QApplication

from planner.core.model import SessionKind
from planner.core.timezones import to_zone
from planner.storage.store import Store
from planner.ui.app import application, create_window
from planner.ui.timeline import ZOOM_LEVELS
from planner.ui.timeline_accessible import TimelineInterface
from planner.ui.worker import wait_for_tasks
from tests.ui.conftest import iclr_like, rooms_program

NAME = QAccessible.Text.Name
DESCRIPTION = QAccessible.Text.Description


@pytest.fixture
def accessibility() -> Iterator[list[tuple[QAccessible.Event, int, str]]]:
    """Accessibility on (as when a screen reader runs); the events Qt is asked to send, as
    (type, child index, name of the object the event resolves to)."""
    sent: list[tuple[QAccessible.Event, int, str]] = []
    original = QAccessible.updateAccessibility

    def spy(event: object) -> None:
        interface = event.accessibleInterface()  # type: ignore[attr-defined]
        name = interface.text(NAME) if interface is not None else ""
        sent.append((event.type(), event.child(), name))  # type: ignore[attr-defined]
        original(event)

    was_active = QAccessible.isActive()
    QAccessible.setActive(True)
    QAccessible.updateAccessibility = spy  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        QAccessible.updateAccessibility = original  # type: ignore[method-assign]
        QAccessible.setActive(was_active)


def timeline_of(window: object) -> tuple[object, QAccessibleInterface]:
    view = window.timeline.view  # type: ignore[attr-defined]
    interface = QAccessible.queryAccessibleInterface(view)
    assert isinstance(interface, TimelineInterface)
    return view, interface


def children(interface: QAccessibleInterface) -> list[QAccessibleInterface]:
    return [interface.child(i) for i in range(interface.childCount())]


def global_rect(view: object, session_id: str) -> QRect:
    rect = view.block_viewport_rect(session_id)  # type: ignore[attr-defined]
    return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())  # type: ignore[attr-defined]


def test_blocks_in_view_are_children_with_titles_times_and_rects(make_window, accessibility):
    window = make_window()
    view, timeline = timeline_of(window)
    assert timeline.role() == QAccessible.Role.List
    visible = view.visible_blocks()
    assert len(visible) >= 3
    assert timeline.childCount() == len(visible)
    program = window.controller.program
    items = children(timeline)
    titles = {program.find_session(b.session.id).title for b in visible}
    assert {item.text(NAME) for item in items} == titles
    for index, item in enumerate(items):
        session = next(s for s in program.sessions if s.title == item.text(NAME))
        assert item.role() == QAccessible.Role.ListItem
        assert item.parent() is timeline
        assert timeline.indexOfChild(item) == index
        assert timeline.child(index) is item  # the same object each time it is asked
        if view.block_viewport_rect(session.id).bottom() < view.viewport().height():
            assert item.rect() == global_rect(view, session.id)
        # The middle of the block, on screen, is that block (hit-testing).
        centre = item.rect().center()
        assert timeline.childAt(centre.x(), centre.y()) is item
    oral = next(i for i in items if i.text(NAME) == "Oral Session 12")
    words = oral.text(DESCRIPTION)
    session = program.find_session("oral-session-12")
    display = to_zone(session.start, window.controller.display_zone)
    shown = to_zone(session.start, window.controller.program_zone)
    assert f"{display:%H:%M}" in words and f"{shown:%H:%M}" in words
    assert "program time" not in words  # the window shows Vienna, the program's own zone
    assert SessionKind.ORAL.label in words
    assert "Starred" not in words
    assert not oral.state().checked and oral.state().checkable


def poster_words(make_window, zone: str) -> str:
    """What a screen reader reads for Poster Session 12, selected, with the display in ``zone``."""
    view, timeline = timeline_of(make_window(zone=zone))
    view.select("poster-session-12")
    poster = next(i for i in children(timeline) if i.text(NAME) == "Poster Session 12")
    return poster.text(DESCRIPTION)


def test_two_clocks_when_they_differ(make_window, accessibility):
    words = poster_words(make_window, "Asia/Kolkata")
    # 02:00 in Vienna (program clock) is 05:30 in Kolkata (display clock).
    assert "05:30" in words and "02:00" in words and "program time" in words


def test_one_clock_when_the_display_is_the_program_zone(make_window, accessibility):
    words = poster_words(make_window, "Europe/Vienna")
    # Vienna is the program's own zone: one span, said once, not the same span twice.
    assert "02:00" in words and "program time" not in words
    assert words.count("02:00") == 1


def test_star_state_and_the_toggle_action(make_window, accessibility, data_dir):
    window = make_window()
    view, timeline = timeline_of(window)
    window.controller.toggle("workshop-a")
    view.select("workshop-a")
    workshop = next(i for i in children(timeline) if i.text(NAME) == "Workshop A on Learning")
    assert workshop.state().checked
    assert "★ Starred" in workshop.text(DESCRIPTION)
    view.select("oral-session-12")
    oral = next(i for i in children(timeline) if i.text(NAME) == "Oral Session 12")
    assert not oral.state().checked
    # A starred paper of the poster session: half-starred reads as mixed.
    window.controller.toggle("p-co2")
    poster = next(i for i in children(timeline) if i.text(NAME) == "Poster Session 12")
    assert poster.state().checkStateMixed and not poster.state().checked
    actions = oral.actionInterface()
    assert actions is not None
    toggle = QAccessibleActionInterface.toggleAction()
    assert toggle in actions.actionNames()
    assert actions.keyBindingsForAction(toggle) == ["Space"]
    sent_before = len(accessibility)
    actions.doAction(toggle)
    assert window.controller.is_starred("oral-session-12")
    assert oral.state().checked
    with Store(data_dir) as second:  # saved, as another reader of the store sees it
        assert "oral-session-12" in second.starred(window.controller.program.key)
    changed = [e for e in accessibility[sent_before:]
               if e[0] == QAccessible.Event.StateChanged and e[2] == "Oral Session 12"]
    assert changed, accessibility[sent_before:]
    actions.doAction(toggle)
    assert not window.controller.is_starred("oral-session-12")
    assert not oral.state().checked


def test_workshops_overlapping_say_so(make_window, accessibility):
    window = make_window()
    view, timeline = timeline_of(window)
    window.controller.toggle("workshop-a")
    window.controller.toggle("workshop-b")
    view.select("workshop-a")
    item = timeline.focusChild() or next(
        i for i in children(timeline) if i.text(NAME) == "Workshop A on Learning")
    assert "⚠ Overlaps with Workshop B on Energy" in item.text(DESCRIPTION)


def test_keyboard_moves_focus_to_the_new_block_and_sends_focus(make_window, qtbot,
                                                                accessibility):
    window = make_window(rooms_program(rooms=4, per_room=4))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    view, timeline = timeline_of(window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    program = window.controller.program
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Down):
        before = view.selected_id
        del accessibility[:]
        qtbot.keyClick(view, key)
        assert view.selected_id != before, key
        title = program.find_session(view.selected_id).title
        focused = timeline.focusChild()
        assert focused is not None and focused.text(NAME) == title
        assert focused.state().focused and focused.state().selected
        index = timeline.indexOfChild(focused)
        assert (QAccessible.Event.Focus, index, title) in accessibility, accessibility
        assert (QAccessible.Event.Selection, index, title) in accessibility
        others = [c for c in children(timeline) if c is not focused]
        assert not any(c.state().focused or c.state().selected for c in others)
    # Space stars it: its state changes, and the same block is not announced all over again.
    del accessibility[:]
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert timeline.focusChild().state().checked
    kinds = [e[0] for e in accessibility if e[2] == title]
    assert QAccessible.Event.StateChanged in kinds and QAccessible.Event.Focus not in kinds


def test_tabbing_into_the_timeline_announces_the_selected_block(make_window, qtbot,
                                                                accessibility):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    view, timeline = timeline_of(window)
    window.search.setFocus(Qt.FocusReason.TabFocusReason)
    view.select("oral-session-12")
    assert not any(e[0] == QAccessible.Event.Focus for e in accessibility)  # not focused yet
    index = timeline.indexOfChild(
        next(i for i in children(timeline) if i.text(NAME) == "Oral Session 12"))
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: (QAccessible.Event.Focus, index, "Oral Session 12")
                    in accessibility, timeout=2000)
    assert timeline.focusChild().text(NAME) == "Oral Session 12"


def test_press_action_selects_and_shows_the_details(make_window, accessibility):
    window = make_window()
    view, timeline = timeline_of(window)
    item = next(i for i in children(timeline) if i.text(NAME) == "Oral Session 12")
    item.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    assert view.selected_id == "oral-session-12"
    assert window.current_id == "oral-session-12"
    assert item.state().selected


def test_filtered_out_blocks_leave_without_a_crash(make_window, accessibility):
    window = make_window()
    view, timeline = timeline_of(window)
    before = timeline.childCount()
    oral = next(i for i in children(timeline) if i.text(NAME) == "Oral Session 12")
    window.kind_facet.only(SessionKind.WORKSHOP.value)
    view.verticalScrollBar().setValue(0)
    assert timeline.childCount() == len(view.visible_blocks()) < before
    names = {c.text(NAME) for c in children(timeline)}
    assert "Oral Session 12" not in names
    # The interface a screen reader still holds for the vanished block is gone from Qt's
    # cache, not dangling: Qt deleted it, and asking it anything is refused, not a crash.
    assert not shiboken6.isValid(oral)
    window.kind_facet.set_all(True)
    view.verticalScrollBar().setValue(0)
    assert timeline.childCount() == len(view.visible_blocks())
    assert "Oral Session 12" in {c.text(NAME) for c in children(timeline)}


def test_a_reader_is_told_when_other_blocks_come_into_view(make_window, qtbot,
                                                         accessibility):
    window = make_window(rooms_program(rooms=4, per_room=12))
    view, timeline = timeline_of(window)
    view.set_zoom(ZOOM_LEVELS[-1])  # the day is taller than the window
    view.verticalScrollBar().setValue(0)
    first = {c.text(NAME) for c in children(timeline)}
    reorders = [QAccessible.Event.ObjectReorder]
    del accessibility[:]
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: [e[0] for e in accessibility if e[0] in reorders] == reorders,
                    timeout=2000)
    later = {c.text(NAME) for c in children(timeline)}
    assert later != first and timeline.childCount() == len(view.visible_blocks())
    del accessibility[:]
    window.kind_facet.set_all(False)  # every block goes
    qtbot.waitUntil(lambda: any(e[0] in reorders for e in accessibility), timeout=2000)
    assert timeline.childCount() == 0


def test_another_program_leaves_no_dangling_blocks(make_window, accessibility):
    window = make_window()
    view, timeline = timeline_of(window)
    old = children(timeline)
    assert old
    window.show_program(rooms_program(rooms=3, per_room=3))
    titles = {c.text(NAME) for c in children(timeline)}
    assert titles == {b.session.title for b in view.visible_blocks()} and titles
    assert titles.isdisjoint({"Poster Session 12", "Oral Session 12"})
    assert not any(shiboken6.isValid(item) for item in old)


def test_a_destroyed_view_takes_its_blocks_along(qtbot, data_dir, accessibility):
    application()
    store = Store(data_dir)
    try:
        window = create_window(store, "Europe/Vienna", "light")
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.show_program(iclr_like())
        view, timeline = timeline_of(window)
        kept = children(timeline)
        assert kept
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        assert not shiboken6.isValid(view)
        assert not shiboken6.isValid(timeline)  # out of Qt's cache, deleted by Qt
        assert not any(shiboken6.isValid(item) for item in kept)
    finally:
        wait_for_tasks()
        store.close()
