"""A visible focus ring around whichever control of the window has the keyboard focus.

Several controls draw no focus of their own (the painted timeline, the trees without a
current row, the details browser, lists in the sidebar), so a keyboard user tabbing through the
window could not see where they were. One overlay, transparent to the mouse, follows the focus
and draws a ring in the palette's highlight colour around the visible part of the control.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

RING = 2  # pixels


class FocusRing(QWidget):
    """Draws the ring; one per window (``window`` is its parent)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Focus ring")
        self.target: QWidget | None = None
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self.target is not None:
            self.target.removeEventFilter(self)
        window = self.parentWidget()
        if new is None or window is None or new.window() is not window or new is window:
            self.target = None
            self.hide()
            return
        self.target = new
        new.installEventFilter(self)
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show,
                            QEvent.Type.Hide):
            self.follow()
        return False

    def follow(self) -> None:
        """Put the ring around the visible part of the focused control."""
        target, window = self.target, self.parentWidget()
        if target is None or window is None or not target.isVisible():
            self.hide()
            return
        visible = target.visibleRegion().boundingRect()
        if visible.isEmpty():
            visible = target.rect()
        top_left = target.mapTo(window, visible.topLeft())
        area = QRect(top_left, visible.size()).adjusted(-RING, -RING, RING, RING)
        self.setGeometry(area.intersected(window.rect()))
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
