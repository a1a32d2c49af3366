"""A keyboard user sees where the focus is, on every stop of the Tab chain."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from planner.ui.focus_ring import RING


def test_every_tab_stop_shows_a_focus_ring(make_window, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.search.setFocus(Qt.FocusReason.TabFocusReason)
    ring = window.focus_ring
    seen = []
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None and focused.window() is window
        seen.append(focused.accessibleName() or type(focused).__name__)
        assert ring.isVisible(), seen[-1]
        visible = focused.visibleRegion().boundingRect()
        if visible.isEmpty():
            visible = focused.rect()
        where = ring.geometry()
        corner = focused.mapTo(window, visible.topLeft())
        expected = QRect(corner, visible.size()).adjusted(-RING, -RING, RING, RING)
        assert where == expected.intersected(window.rect()), seen[-1]
        # The ring is drawn: its border pixels are the highlight colour.
        image = ring.grab().toImage()
        highlight = ring.palette().color(ring.palette().ColorRole.Highlight)
        assert image.pixelColor(1, image.height() // 2) == highlight, seen[-1]
        window.focusNextChild()
        if QApplication.focusWidget() is window.search:
            break
    for name in ("Search", "Search in", "Show times in", "Days", "Timeline"):
        assert name in seen, (name, seen)


def test_the_ring_goes_when_the_focus_leaves_the_window(make_window, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.timeline.view.setFocus()
    assert window.focus_ring.isVisible()
    window.timeline.view.clearFocus()
    assert not window.focus_ring.isVisible()
