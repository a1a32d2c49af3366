"""The live program in the window: Open URL, refresh (F5, on start, on a timer), the change
banner, the failure bar, now & next, reminders and the tray.

Every download runs in the worker pool (:func:`planner.ui.worker.run_in_background`) through
the same Qt-free :func:`planner.net.refresh.refresh` as ``planner refresh``, on a store of the
worker's own (:meth:`Controller.refresh_job`); the GUI thread only applies the outcome. Settings,
the reminder log and the offline copies come from the controller: no store here. Time comes
from the controller's clock, so tests drive it. Notifications go through one seam,
:attr:`LiveController.notifier`, which tests replace to capture them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from planner.core import reminders as rem
from planner.core import settings as declared
from planner.core.changes import ChangeReport
from planner.core.now_next import entry_line, now_and_next
from planner.net.address import is_url
from planner.net.refresh import RefreshOutcome, refresh_interval
from planner.ui import icons
from planner.ui.worker import run_in_background

TICK_MS = 30_000


class Notifier(Protocol):
    def notify(self, title: str, body: str) -> None: ...


class DesktopNotifier:
    """The tray's balloon where there is a tray, else a freedesktop notification (gdbus)."""

    def __init__(self, tray: QSystemTrayIcon | None) -> None:
        self.tray = tray

    def notify(self, title: str, body: str) -> None:
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 15_000)
            return

        def quoted(text: str) -> str:
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

        # Fire and forget: never wait on the desktop from the GUI thread.
        with contextlib.suppress(OSError):
            subprocess.Popen(["gdbus", "call", "--session", "--dest",
                              "org.freedesktop.Notifications", "--object-path",
                              "/org/freedesktop/Notifications", "--method",
                              "org.freedesktop.Notifications.Notify", "'planner'", "0",
                              "'planner'", quoted(title), quoted(body), "[]", "{}", "-1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class _Bar(QFrame):
    """A dismissible bar at the top of the window (never a modal dialog)."""

    def __init__(self, name: str, with_list: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        row = QHBoxLayout()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss)
        layout.addLayout(row)
        self.list = QListWidget() if with_list else None
        if self.list is not None:
            self.list.setMaximumHeight(110)
            layout.addWidget(self.list)
        self.hide()


class LiveController(QObject):
    """Attached to a :class:`planner.ui.main_window.MainWindow` by :func:`attach`."""

    def __init__(self, window: object, notifier: Notifier | None = None,
                 fetcher: Callable[..., object] | None = None) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        from planner.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        self.window = window
        self.controller = window.controller
        # The offline copies and the reminder log come from the controller: the store is not
        # touched here (a refresh's worker opens one of its own, see Controller.refresh_job).
        self.cache = window.controller.program_cache()
        self.log = window.controller.reminder_log()
        self.fetcher = fetcher
        self.url: str | None = None
        self.refreshing = False
        self.paused = False
        self.last_refresh: dt.datetime | None = None
        self.report: ChangeReport | None = None
        self.outcomes: list[RefreshOutcome] = []
        self._build_widgets()
        self._build_actions()
        self.tray = self._build_tray()
        self.notifier: Notifier = notifier or DesktopNotifier(self.tray)
        window.update_reporter = self.show_plan
        window.installEventFilter(self)
        self.controller.programChanged.connect(self.tick)
        self.controller.starsChanged.connect(lambda _ids: self.update_now_next())
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # -- building --------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        central = self.window.takeCentralWidget()
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.now_next = QLabel()
        self.now_next.setObjectName("nowNext")
        self.now_next.setAccessibleName("Now and next")
        self.now_next.setContentsMargins(8, 2, 8, 2)
        self.failure_bar = _Bar("refreshFailure")
        self.banner = _Bar("changeBanner", with_list=True)
        layout.addWidget(self.now_next)
        layout.addWidget(self.failure_bar)
        layout.addWidget(self.banner)
        if central is not None:
            layout.addWidget(central, 1)
        self.window.setCentralWidget(container)

    def _build_actions(self) -> None:
        w = self.window
        self.open_url_action = QAction("Open &URL…", w)
        self.open_url_action.setShortcut(QKeySequence("Ctrl+L"))
        self.open_url_action.triggered.connect(self.ask_url)
        self.refresh_action = QAction("&Refresh", w)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setStatusTip("Download the program again (only if it changed)")
        self.refresh_action.triggered.connect(lambda: self.refresh_now(force=True))
        self.reminders_action = QAction("Re&minders", w)
        self.reminders_action.setCheckable(True)
        self.reminders_action.setChecked(self.controller.setting(declared.REMINDERS_ON))
        self.reminders_action.toggled.connect(
            lambda on: self.controller.put_setting(declared.REMINDERS_ON, bool(on)))
        self.tray_action = QAction("&Close to Tray", w)
        self.tray_action.setCheckable(True)
        self.tray_action.setChecked(self.controller.setting(declared.CLOSE_TO_TRAY))
        self.tray_action.toggled.connect(
            lambda on: self.controller.put_setting(declared.CLOSE_TO_TRAY, bool(on)))
        for action in (self.open_url_action, self.refresh_action):
            w.addAction(action)
        menus = {a.text().replace("&", ""): a.menu() for a in w.menuBar().actions()}
        file_menu, view_menu = menus.get("File"), menus.get("View")
        if isinstance(file_menu, QMenu):
            first = file_menu.actions()[1] if len(file_menu.actions()) > 1 else None
            file_menu.insertAction(first, self.open_url_action)  # type: ignore[arg-type]
        if isinstance(view_menu, QMenu):
            view_menu.addSeparator()
            view_menu.addAction(self.refresh_action)
            view_menu.addAction(self.reminders_action)
            view_menu.addAction(self.tray_action)

    def _build_tray(self) -> QSystemTrayIcon | None:
        self.tray_menu = QMenu()
        self.tray_now = self.tray_menu.addAction("Nothing starred now")
        self.tray_now.setEnabled(False)
        self.tray_menu.addSeparator()
        self.tray_menu.addAction("Open Window", self.show_window)
        self.pause_action = self.tray_menu.addAction("Pause Reminders")
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(lambda on: setattr(self, "paused", bool(on)))
        self.tray_menu.addAction("Quit", self._quit)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(icons.app_icon(), self)
        tray.setContextMenu(self.tray_menu)
        tray.setToolTip("planner")
        tray.show()
        return tray

    # -- opening and refreshing ---------------------------------------------------------------
    def ask_url(self) -> None:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("Open a program from the web")
        dialog.setLabelText("Address of the program (frab XML/JSON, iCalendar):")
        dialog.textValueSelected.connect(lambda text: self.open_url(text.strip()))
        self.url_dialog = dialog
        dialog.open()

    def open_url(self, url: str) -> None:
        self.url = url
        self.refresh_now(force=False)

    def refresh_now(self, force: bool = True) -> None:
        """Refresh in a worker thread; the outcome comes back to the GUI thread."""
        if self.url is None:
            self.window.statusBar().showMessage("This program was not opened from the web; "
                                                "File → Open URL… opens one", 5000)
            return
        if self.refreshing:
            return
        self.refreshing = True
        self.window.statusBar().showMessage(f"Checking {self.url}…")
        work = self.controller.refresh_job(self.url, force, self.cache, self.fetcher)
        run_in_background(work, self._on_refreshed, self._on_failed, self)

    def _on_failed(self, message: str, details: str) -> None:
        self.refreshing = False
        self.failure_bar.label.setText(message)
        self.failure_bar.show()

    def _on_refreshed(self, result: object) -> None:
        self.refreshing = False
        assert isinstance(result, RefreshOutcome)
        self.outcomes.append(result)
        now = self.controller.now()
        self.last_refresh = now
        self.window.statusBar().clearMessage()
        if result.error is not None:
            self.failure_bar.label.setText(result.notice(now))
            self.failure_bar.show()
        else:
            self.failure_bar.hide()
        program = result.program
        if program is None:
            return
        current = self.controller.program
        same = current is not None and current.key == program.key
        if not (same and result.status != "downloaded"):
            self.window.show_program(program, None, stars_moved=True)
            self.controller.remember_address(result.url)
        age = result.age(now)
        self.window.setWindowTitle(f"planner — {program.name} (copy from {age})")
        if result.report is not None:
            self.show_report(result.report)

    # -- telling the user -------------------------------------------------------------------
    def show_plan(self, old: object, new: object, plan: object) -> None:
        """A newer file of the same conference was opened: the same banner as a refresh."""
        from planner.core.changes import build_report
        from planner.core.model import Program
        from planner.core.update import UpdatePlan

        assert isinstance(old, Program) and isinstance(new, Program)
        assert isinstance(plan, UpdatePlan)
        before = {o for o, n in plan.matches.items() if n in plan.kept} | set(plan.missing)
        self.show_report(build_report(old, new, plan, before, self.controller.display_zone))

    def show_report(self, report: ChangeReport) -> None:
        self.report = report
        self.controller.set_change_notes(report.marks)
        if not report.items and not report.missing:
            return
        count = len(report.items)
        text = f"The program changed: {count} change{'s' if count != 1 else ''} to your stars"
        if report.missing:
            gone = len(report.missing)
            text += (f"; {gone} starred item{' is' if gone == 1 else 's are'} gone (the star"
                     f"{' is' if gone == 1 else 's are'} kept)")
        self.banner.label.setText(text + ".")
        assert self.banner.list is not None
        self.banner.list.clear()
        self.banner.list.addItems(report.lines())
        self.banner.show()
        soon = rem.soon_changes(report, self.controller.now())
        if soon:
            self.notifier.notify(*rem.change_message(soon))

    def update_now_next(self) -> None:
        program = self.controller.program
        if program is None:
            return
        view = now_and_next(program, self.controller.stars, self.controller.now(), 1)
        zone = self.controller.display_zone
        parts = []
        if view.running:
            parts.append("Now: " + entry_line(view.running[0], zone)
                         + (f" (+{len(view.running) - 1} more)" if len(view.running) > 1
                            else ""))
        if view.upcoming:
            parts.append("Next: " + entry_line(view.upcoming[0], zone))
        text = "   ·   ".join(parts) or "Nothing running or coming up"
        if not view.starred_only:
            text += "   (nothing starred: the whole program)"
        self.now_next.setText(text)
        self.tray_now.setText(text[:120])

    # -- the clock --------------------------------------------------------------------------
    def tick(self) -> None:
        """Once in a while (and whenever a program opens): reminders, now & next, refresh."""
        self.update_now_next()
        self.check_reminders()
        program = self.controller.program
        setting = self.controller.setting
        if self.url is None or self.refreshing or not setting(declared.AUTO_REFRESH):
            return
        now = self.controller.now()
        interval = refresh_interval(program, now, setting(declared.REFRESH_RUNNING),
                                    setting(declared.REFRESH_BEFORE))
        if interval is not None and (self.last_refresh is None
                                     or now >= self.last_refresh + interval):
            self.refresh_now(force=False)

    def check_reminders(self) -> None:
        program = self.controller.program
        if program is None:
            return
        now = self.controller.now()
        settings = self.controller.reminder_settings(self.paused)
        due = rem.due_reminders(program, self.controller.stars, settings, now,
                                self.log.fired(), self.log.last_check(program.key))
        for reminder in due.now:
            self.notifier.notify(*rem.reminder_message(reminder, now,
                                                       self.controller.display_zone,
                                                       program.zone))
        if due.missed:
            self.notifier.notify(*rem.missed_message(due.missed, self.controller.display_zone,
                                                     program.zone))
        if not settings.paused:
            self.log.mark_fired(due.keys, now, program.key)

    # -- window events ----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
                if any(u.scheme() in ("http", "https") for u in event.mimeData().urls()):
                    event.acceptProposedAction()
                    return True
            elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
                for url in event.mimeData().urls():
                    if url.scheme() in ("http", "https"):
                        self.open_url(url.toString())
                        event.acceptProposedAction()
                        return True
            elif event.type() == QEvent.Type.Close and self.tray is not None \
                    and self.tray.isVisible() and self.controller.setting(declared.CLOSE_TO_TRAY) \
                    and not getattr(self, "_quitting", False):
                self.window.save_view_state()
                self.window.hide()
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def show_window(self) -> None:
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def _quit(self) -> None:
        self._quitting = True
        self.window.close()


def attach(window: object, notifier: Notifier | None = None,
           fetcher: Callable[..., object] | None = None) -> LiveController:
    live = LiveController(window, notifier, fetcher)
    window.live = live  # type: ignore[attr-defined]
    return live


def start_url(options_program: str | None, remembered: object) -> str | None:
    """The address to open at start: PROGRAM if it is one, else the last program if it was."""
    if options_program:
        return options_program if is_url(options_program) else None
    return remembered if is_url(remembered) else None  # type: ignore[return-value]
