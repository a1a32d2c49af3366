"""Column widths of the list and the agenda: the title takes the stretch, the others give way.

Qt's ``Stretch`` gives the title only what the fixed columns leave, which in a narrow window is
nothing. :class:`TitleFirst` watches the view's width and shrinks the other columns (down to a
floor each) so the title keeps at least half of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTreeView

TITLE_SHARE = 0.5  # of the view's width, kept for the title while other columns can shrink
TITLE_FLOOR = 160  # pixels


def shared_widths(available: int, preferred: Mapping[int, int], floors: Mapping[int, int],
                  title_share: float = TITLE_SHARE) -> dict[int, int]:
    """Widths for the non-title columns: ``preferred`` when the title still gets its share,
    else shrunk in proportion to what each can give (never below its floor)."""
    title_wanted = max(TITLE_FLOOR, round(available * title_share))
    room = max(0, available - title_wanted)
    total = sum(preferred.values())
    if total <= room:
        return dict(preferred)
    give = {col: max(0, preferred[col] - floors.get(col, 0)) for col in preferred}
    can_give = sum(give.values())
    must_give = total - room
    if can_give <= must_give:
        return {col: min(preferred[col], floors.get(col, 0)) for col in preferred}
    ratio = must_give / can_give
    return {col: preferred[col] - round(give[col] * ratio) for col in preferred}


class TitleFirst(QObject):
    """Keeps ``title`` stretched and at least half the width of ``view``."""

    def __init__(self, view: QTreeView, title: int, floors: Mapping[int, int]) -> None:
        super().__init__(view)
        self.view = view
        self.title = title
        self.floors = dict(floors)
        self.preferred: dict[int, int] = {}
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(title, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(16)
        view.viewport().installEventFilter(self)

    def set_preferred(self, column: int, width: int) -> None:
        """The width ``column`` has when the window is wide enough."""
        self.preferred[column] = width
        self.fit()

    def fit(self) -> None:
        header = self.view.header()
        shown = {col: w for col, w in self.preferred.items() if not header.isSectionHidden(col)}
        fixed = sum(header.sectionSize(col) for col in range(header.count())
                    if col != self.title and col not in shown and not header.isSectionHidden(col))
        widths = shared_widths(self.view.viewport().width() - fixed, shown, self.floors)
        for column, width in widths.items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
