"""The status bar: stars and conflicts, the program's zone, and the progress of an opening."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from planner.core.text import plural
from planner.ui import icons

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

PROGRESS_AFTER_MS = 500


def build_status_bar(window: MainWindow) -> None:
    status = window.statusBar()
    window.stars_label = QLabel()
    window.stars_label.setAccessibleName("Starred")
    window.conflict_icon = QLabel()
    window.conflict_icon.setPixmap(icons.warning_icon().pixmap(16, 16))
    window.conflict_icon.setAccessibleName("Conflict warning")
    window.conflicts_label = QLabel()
    window.conflicts_label.setAccessibleName("Conflicts")
    window.zone_button = QPushButton()
    window.zone_button.setFlat(True)
    window.zone_button.setAccessibleName("Program time zone")
    window.zone_button.setToolTip("The zone the program's times were written in. Click to "
                                  "change it if it was guessed wrong; every time moves.")
    window.zone_button.clicked.connect(window.change_source_zone)
    window.progress = QProgressBar()
    window.progress.setRange(0, 0)
    window.progress.setMaximumWidth(160)
    window.progress.setAccessibleName("Opening")
    window.progress.hide()
    window.progress_label = QLabel()
    window.progress_label.hide()
    # One container: the status bar hides it under a temporary message as a whole, while
    # the icon inside comes and goes with the conflicts.
    summary = QWidget()
    summary_row = QHBoxLayout(summary)
    summary_row.setContentsMargins(0, 0, 0, 0)
    summary_row.addWidget(window.stars_label)
    summary_row.addWidget(window.conflict_icon)
    summary_row.addWidget(window.conflicts_label)
    status.addWidget(summary)
    status.addPermanentWidget(window.progress_label)
    status.addPermanentWidget(window.progress)
    status.addPermanentWidget(window.zone_button)
    window.progress_timer = QTimer(window)
    window.progress_timer.setSingleShot(True)
    window.progress_timer.setInterval(PROGRESS_AFTER_MS)
    window.progress_timer.timeout.connect(window.loader.show_progress)
    window.clock_timer = QTimer(window)
    window.clock_timer.setInterval(60_000)
    window.clock_timer.timeout.connect(window.on_clock_tick)
    window.clock_timer.start()


def update_status(window: MainWindow) -> None:
    program = window.controller.program
    if program is None:
        window.stars_label.setText("No program open")
        window.conflict_icon.hide()
        window.conflicts_label.setText("")
        window.zone_button.setText("")
        window.zone_button.hide()
        return
    sessions, papers = window.controller.counts()
    window.stars_label.setText(f"★ {plural(sessions, 'session')} and "
                               f"{plural(papers, 'paper')} starred")
    conflicts = window.controller.conflicts  # a summary: counted, the first pairs named
    clashing = len(conflicts.calendar_counts)  # starred sessions overlapping busy times
    window.conflict_icon.setVisible(bool(conflicts.pairs or clashing))
    if conflicts.pairs or clashing:
        texts = [plural(conflicts.pairs, 'conflict')] if conflicts.pairs else []
        if clashing:
            texts.append(f"{plural(clashing, 'session')} clash with your calendar"
                         if clashing > 1 else "1 session clashes with your calendar")
        window.conflicts_label.setText("· " + " · ".join(texts))
        shown = conflicts.first_pairs
        more = conflicts.pairs - len(shown)
        window.conflicts_label.setToolTip("\n".join(
            [f"{c.first.title} overlaps {c.second.title}" for c in shown]
            + ([f"… and {more:,} more"] if more > 0 else [])
            + ([f"{plural(clashing, 'starred session')} overlap the busy times of your "
                f"calendar"] if clashing else [])))
    else:
        window.conflicts_label.setText("· no conflicts")
        window.conflicts_label.setToolTip("None of your starred sessions overlap")
    guessed = " (guessed: change…)" if program.zone_guessed else " (change…)"
    window.zone_button.setText(f"Program zone {program.source_zone}{guessed}")
    window.zone_button.show()
