"""The display-zone picker: type any part of an IANA name (or an offset) to find a zone.

"Local (<zone>)" and "Program (<zone>)" come first; every entry shows its UTC offset *during the
program* (a summer conference in Vienna is UTC+02:00, whatever today's offset is). The search
itself is :func:`planner.core.timezones.search_zones`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from planner.core import timezones
from planner.ui.accessible_names import name_completions, name_popup


def zone_label(name: str, at: dt.datetime | None) -> str:
    return f"{name} ({timezones.offset_label(timezones.get_zone(name), at)})"


class ZonePicker(QComboBox):
    """An editable combo box of IANA zones. Emits ``zoneChosen(name)``."""

    zoneChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, special: bool = True) -> None:
        super().__init__(parent)
        self.special = special
        self.at: dt.datetime | None = None
        self.local_zone = "UTC"
        self.program_zone: str | None = None
        self._current = "UTC"
        self._complete = False
        self._labels: dict[str, str] = {}  # completion label -> zone name
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(26)
        self.setAccessibleName("Time zone")
        self.setToolTip("Type part of a zone name (kolkata, los angeles) or an offset (+05:30)")
        self._matches = QStringListModel(self)
        completer = QCompleter(self._matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)
        name_completions(completer, "Matching time zones")
        completer.activated[str].connect(self._on_completion)  # type: ignore[index]
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText("Type a city or zone…")
        name_popup(self, "Time zones")
        line.textEdited.connect(self._on_text_edited)
        line.editingFinished.connect(self._on_editing_finished)
        self.activated.connect(self._on_activated)
        self._restore = QTimer(self)
        self._restore.setSingleShot(True)
        self._restore.setInterval(0)
        self._restore.timeout.connect(self._show_current)

    # -- filling ---------------------------------------------------------------------------
    def populate(self, local_zone: str, program_zone: str | None, at: dt.datetime | None,
                 current: str, zones: list[tuple[str, str]] | None = None) -> None:
        """Fill the list: specials first, then every common zone, with offsets at ``at``.

        Without ``zones`` only the specials and the current zone are added now; the rest
        (430 zones, each built by pytz on first use) when the list first opens, or when
        :meth:`add_zones` brings them from a worker thread.
        """
        self.local_zone = local_zone
        self.program_zone = program_zone
        self.at = at
        self._complete = False
        self.blockSignals(True)
        self.clear()
        if self.special:
            self.addItem(f"Local ({zone_label(local_zone, at)})", local_zone)
            if program_zone:
                self.addItem(f"Program ({zone_label(program_zone, at)})", program_zone)
            self.insertSeparator(self.count())
        self.blockSignals(False)
        if zones is not None:
            self.add_zones(zones, at)
        self.set_current(current)

    def _special_rows(self) -> int:
        """Local, Program and the separator come first."""
        if not self.special:
            return 0
        return 3 if self.program_zone else 2

    def add_zones(self, zones: list[tuple[str, str]], at: dt.datetime | None) -> None:
        """Add every zone (name, offset) once; ignored if computed for another date."""
        if self._complete or at != self.at:
            return
        self._complete = True
        self.blockSignals(True)
        while self.count() > self._special_rows():  # a current zone added alone goes
            self.removeItem(self.count() - 1)
        for name, offset in zones:
            self.addItem(f"{name} ({offset})", name)
        self.blockSignals(False)
        self._show_current()

    def ensure_complete(self) -> None:
        if not self._complete:
            self.add_zones(timezones.search_zones("", self.at), self.at)

    def showPopup(self) -> None:
        self.ensure_complete()
        super().showPopup()

    def set_current(self, name: str) -> None:
        self._current = name
        self._show_current()

    def current_zone(self) -> str:
        return self._current

    def _show_current(self) -> None:
        row = self.findData(self._current)
        self.blockSignals(True)
        if row < 0:
            self.addItem(zone_label(self._current, self.at), self._current)
            row = self.count() - 1
        self.setCurrentIndex(row)
        self.setEditText(self.itemText(row))
        self.blockSignals(False)

    # -- searching -------------------------------------------------------------------------
    def matches(self, text: str) -> list[tuple[str, str]]:
        """(label, zone) pairs for typed text: name words, else offsets such as +05:30."""
        text = text.strip()
        found = timezones.search_zones(text, self.at)
        if not found and text and text.lstrip("UTCutc ")[:1] in "+-−":
            wanted = text.upper().replace("UTC", "").replace("−", "-").strip()
            if len(wanted) <= 3:  # "+5" -> "+05"
                wanted = wanted[0] + wanted[1:].zfill(2)
            found = [(name, offset) for name, offset in timezones.search_zones("", self.at)
                     if offset.replace("UTC", "").startswith(wanted)]
        return [(f"{name} ({offset})", name) for name, offset in found]

    def _on_text_edited(self, text: str) -> None:
        pairs = self.matches(text)
        self._labels = dict(pairs)
        self._matches.setStringList([label for label, _ in pairs])
        completer = self.completer()
        if completer is not None and pairs:
            completer.complete()

    def _on_completion(self, label: str) -> None:
        name = self._labels.get(label)
        if name:
            self._choose(name)

    def _on_activated(self, row: int) -> None:
        name = self.itemData(row)
        if isinstance(name, str):
            self._choose(name)

    def _on_editing_finished(self) -> None:
        text = self.currentText()
        row = self.findText(text)
        if row >= 0:
            return
        pairs = self.matches(text)
        if len(pairs) == 1:
            self._choose(pairs[0][1])
        else:
            self._restore.start()

    def _choose(self, name: str) -> None:
        self._current = name
        self._restore.start()
        self.zoneChosen.emit(name)
