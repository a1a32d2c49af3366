"""Many rooms: Shift+wheel and a sideways wheel scroll them; "fit rooms to width" shows all."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import iclr_like, restart, rooms_program


def wheel(view, delta: QPoint, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.mapToGlobal(centre), QPoint(), delta,
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_shift_wheel_and_horizontal_wheel_scroll_the_rooms_sideways(make_window):
    window = make_window(rooms_program(), zone="Europe/Brussels")
    view = window.timeline.view
    view.scroll_to_time(view.layout_data.start)
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    assert h.maximum() > 0  # 30 rooms do not fit
    top = v.value()
    wheel(view, QPoint(0, -120), Qt.KeyboardModifier.ShiftModifier)  # wheel down = right
    assert h.value() > 0
    assert v.value() == top  # the day did not move
    first = h.value()
    wheel(view, QPoint(-120, 0))  # a sideways wheel (tilt, touchpad)
    assert h.value() > first
    assert v.value() == top
    wheel(view, QPoint(0, 120), Qt.KeyboardModifier.ShiftModifier)
    assert h.value() < view.horizontalScrollBar().maximum() and h.value() < first * 2


def test_fit_rooms_to_width_shows_every_room_and_is_a_checkable_action(make_window, qtbot):
    window = make_window(rooms_program(), zone="Europe/Brussels")
    view = window.timeline.view
    visible = view.viewport().width() - view.gutter_width()
    lanes = view.layout_data.lanes
    assert lanes[-1].x + lanes[-1].width > visible  # before: only a few rooms fit
    action = window.fit_rooms_action
    assert action.isCheckable() and action.shortcut().toString() == "Ctrl+Shift+R"
    assert action in window.menuBar().actions()[2].menu().actions()  # View menu
    action.trigger()
    assert view.fit_rooms
    layout = view.layout_data
    assert len(layout.lanes) == 30
    assert layout.lanes[-1].x + layout.lanes[-1].width <= visible
    assert view.horizontalScrollBar().maximum() == 0
    for block in layout.blocks:  # every session has a rectangle inside the view
        assert 0 <= block.left < block.right <= visible
    window.grab()  # narrow blocks paint without Qt warnings
    action.trigger()
    assert not view.fit_rooms and not action.isChecked()
    assert view.layout_data.lanes[-1].x > visible
    assert view.horizontalScrollBar().maximum() > 0


def test_fit_rooms_belongs_to_the_program_and_is_remembered(make_window):
    window = make_window(rooms_program(), zone="Europe/Brussels")
    window.fit_rooms_action.trigger()
    window.show_program(iclr_like())  # another program: its own setting (off)
    assert not window.timeline.view.fit_rooms and not window.fit_rooms_action.isChecked()
    window.show_program(rooms_program())
    assert window.timeline.view.fit_rooms
    window = restart(window, make_window, rooms_program(), "Europe/Brussels")
    assert window.timeline.view.fit_rooms and window.fit_rooms_action.isChecked()
