"""The window's size and how its panes share it: the views get space first.

A restored geometry from a bigger screen is fitted to the one the window is on now; in a small
window (or at a high scale factor) the filters and the details give way before the timeline.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QSplitter, QWidget

SIDEBAR_SHARE, SIDEBAR_MOST = 0.17, 210
DETAILS_SHARE, DETAILS_MOST = 0.24, 340


def pane_sizes(total: int, sidebar_least: int, details_least: int) -> list[int]:
    """Widths of sidebar, views and details for a splitter ``total`` pixels wide."""
    sidebar = max(sidebar_least, min(SIDEBAR_MOST, round(total * SIDEBAR_SHARE)))
    details = max(details_least, min(DETAILS_MOST, round(total * DETAILS_SHARE)))
    return [sidebar, max(0, total - sidebar - details), details]


VIEWS_LEAST_SHARE = 0.5  # below this share of the width, the side panes are made narrower


def share_panes(splitter: QSplitter) -> None:
    """Give the middle of a three-pane splitter everything the sides do not need."""
    sidebar, details = splitter.widget(0), splitter.widget(2)
    if sidebar is None or details is None:
        return
    splitter.setSizes(pane_sizes(splitter.width(), sidebar.minimumWidth(),
                                 details.minimumWidth()))


class ViewsFirst(QObject):
    """Re-shares the panes whenever the splitter's middle gets less than half its width
    (a small window, a high scale factor, a restored state from a bigger screen)."""

    def __init__(self, splitter: QSplitter) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.check()
        return False

    def check(self) -> None:
        splitter = self.splitter
        sizes = splitter.sizes()
        if len(sizes) == 3 and splitter.width() > 0 and \
                sizes[1] < splitter.width() * VIEWS_LEAST_SHARE:
            share_panes(splitter)


def fitted(frame: QRect, screen: QRect) -> QRect:
    """``frame`` moved and shrunk so that it lies within ``screen``."""
    width = min(frame.width(), screen.width())
    height = min(frame.height(), screen.height())
    left = min(max(frame.left(), screen.left()), screen.right() + 1 - width)
    top = min(max(frame.top(), screen.top()), screen.bottom() + 1 - height)
    return QRect(left, top, width, height)


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move a (restored) window that would not fit on its screen."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    inside = fitted(frame, available)
    if inside == frame:
        return
    border_w = frame.width() - window.width()
    border_h = frame.height() - window.height()
    window.resize(max(200, inside.width() - border_w), max(200, inside.height() - border_h))
    window.move(inside.topLeft())
