"""The search's parts around the box: the field it looks in, Esc, and the matches highlighted
in the list (the start of each word a term matched)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from planner.core.search import FIELD_LABELS
from planner.ui.accessible_names import name_popup
from planner.ui.proxy import FilterProxy


def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii").lower()


def match_ranges(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, length) of every word of ``text`` that starts with one of ``words`` (folded),
    the length being the part matched."""
    if not words:
        return []
    pattern = _word_starts(tuple(words))
    if text.isascii():  # folding is lower-casing: positions stay (every painted cell asks)
        return [(m.start(), m.end() - m.start()) for m in pattern.finditer(text.lower())]
    folded: list[str] = []
    origin: list[int] = []  # index in text of each folded character
    for position, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            origin.append(position)
    ranges = []
    for match in pattern.finditer("".join(folded)):
        first = origin[match.start()]
        last = origin[match.end() - 1]
        ranges.append((first, last - first + 1))
    return ranges


@lru_cache(maxsize=32)
def _word_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """The longest of ``words`` at each start of a word (folded text is ASCII)."""
    longest_first = sorted(set(words), key=len, reverse=True)
    return re.compile("(?<![a-z0-9])(?:" + "|".join(map(re.escape, longest_first)) + ")")


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell's text with the searched word starts on a highlight background.

    A search that keeps the same rows ("mo" after "m") moves no row, so nothing else repaints
    the view: the delegate repaints its own column then, the only cells whose look changed.
    """

    def __init__(self, proxy: FilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self._words: list[str] = []
        self._rows = -1
        proxy.filterChanged.connect(self._on_filter_changed)

    def _on_filter_changed(self) -> None:
        words, rows = self.proxy.highlight_words(), self.proxy.rowCount()
        same_rows = rows == self._rows  # else the view lays out and repaints all of itself
        self._rows = rows
        old, self._words = self._words, words
        view = self.parent()
        if words != old and same_rows and isinstance(view, QTreeView):
            self._repaint_changed(view, old, words)

    def _repaint_changed(self, view: QTreeView, old: list[str], new: list[str]) -> None:
        """Repaint the shown cells of this delegate's column(s) whose highlight differs
        (typing on, most shown titles match neither, or the same word starts)."""
        header = view.header()
        columns = [c for c in range(header.count()) if view.itemDelegateForColumn(c) is self]
        height = view.viewport().height()
        row = view.indexAt(QPoint(0, 0))
        while row.isValid():
            for column in columns:
                cell = row.siblingAtColumn(column)
                text = cell.data(Qt.ItemDataRole.DisplayRole)
                if isinstance(text, str) and match_ranges(text, old) != match_ranges(text, new):
                    view.viewport().update(view.visualRect(cell))
            if view.visualRect(row).bottom() >= height:
                break
            row = view.indexBelow(row)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        words = self.proxy.highlight_words()
        if not words:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        text = opt.text
        ranges = match_ranges(text, words)
        if not ranges:  # what QStyledItemDelegate.paint does, without asking the model again
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            return
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        area: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        area = area.adjusted(3, 0, -3, 0)
        metrics = opt.fontMetrics
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width())
        layout = QTextLayout(shown, opt.font)
        mark = QTextCharFormat()
        mark.setBackground(QColor(255, 214, 0, 150))
        mark.setFontWeight(700)
        formats = []
        for start, length in ranges:
            if start >= len(shown):
                continue
            piece = QTextLayout.FormatRange()
            piece.start, piece.length, piece.format = start, min(length, len(shown) - start), mark
            formats.append(piece)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(area.width())
        layout.endLayout()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(opt.palette.color(role))
        top = area.top() + (area.height() - line.height()) / 2
        layout.draw(painter, QPointF(area.left(), top))
        painter.restore()


def search_field_box(proxy: FilterProxy, apply: Callable[[], None]) -> QComboBox:
    """*in: Everything / Titles / Speakers / Abstracts / Rooms*: limits every search term."""
    box = QComboBox()
    box.setAccessibleName("Search in")
    box.setToolTip("Limit the search to titles, speakers, abstracts or rooms (or type "
                   "title:word, speaker:word, abstract:word, room:word)")
    for key, label in FIELD_LABELS.items():
        box.addItem(label, key)

    def chosen(_index: int) -> None:
        proxy.search_field = str(box.currentData() or "")
        apply()

    box.currentIndexChanged.connect(chosen)
    name_popup(box, "Fields to search")
    return box


class EscapeClears(QObject):
    """Esc in the search box clears the search at once (a second Esc leaves the box)."""

    def __init__(self, line: QLineEdit, apply: Callable[[], None],
                 leave: Callable[[], None]) -> None:
        super().__init__(line)
        self.line = line
        self.apply = apply
        self.leave = leave
        line.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            if self.line.text():
                self.line.clear()
                self.apply()
            else:
                self.leave()
            return True
        return False
