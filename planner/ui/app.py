"""Start the window. The start-up order, and why:

1. Qt settings that must precede the application: high-DPI scale factors passed through
   unrounded; the offscreen platform when a screenshot is asked for and there is no display.
2. ``QApplication`` with its names (they place QSettings and set the window class that the
   ``.desktop`` file matches) and the application icon.
3. The store (stars and settings) in the data folder: ``--data-dir``, ``$PLANNER_DATA_DIR`` or
   the platform's folder. A store that cannot be opened stops here, with a dialog.
4. ``QSettings`` for window geometry and view state, as an INI file in the same folder, so
   tests and portable installs keep everything in one place.
5. The theme (system, light or dark).
6. The display zone: ``--tz``, else the remembered choice, else the system's (Qt's zone id).
7. Controller and main window, shown at once; the window opens before the program is parsed.
8. The program, parsed in a worker thread: PROGRAM, else the last one opened, else the bundled
   one. Importers (and icalendar) are imported there, not at start-up.
9. With ``--screenshot``: once the program is shown, select ``--select``, render, save, exit 0.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QTimeZone
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import __version__
from planner.core import settings as declared
from planner.core import timezones
from planner.core.errors import PlannerError
from planner.storage.store import Store
from planner.ui import icons, timeline_accessible
from planner.ui.controller import Controller
from planner.ui.main_window import MainWindow
from planner.ui.theme import THEMES, apply_theme
from planner.ui.worker import wait_for_tasks
from planner.workspace import display_zone_name, last_program_path, stored_setting

SETTINGS_FILE = "window.ini"
SCREENSHOT_TIMEOUT_MS = 120_000
SETTLE_MS = 300
EXIT_ERROR = 2


@dataclass
class GuiOptions:
    """What ``planner gui`` was asked to do."""

    program: str | None = None
    tz: str | None = None
    data_dir: str | None = None
    screenshot: str | None = None
    select: str | None = None
    size: tuple[int, int] | None = None
    theme: str | None = None
    view: str | None = None  # timeline, list, agenda or overview
    busy: str | None = None  # a personal .ics shown as busy times (not remembered)


def parse_size(text: str) -> tuple[int, int]:
    """``1280x800`` -> (1280, 800)."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise PlannerError(f"--size expects WIDTHxHEIGHT such as 1280x800, not {text!r}") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise PlannerError(f"--size {text}: width and height must be between 200 and 10000")
    return width, height


def _prepare_platform(options: GuiOptions) -> None:
    if options.screenshot and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once with planner's names and icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName("planner")
    app.setApplicationDisplayName("planner")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("planner")
    app.setDesktopFileName("planner")
    app.setWindowIcon(icons.app_icon())
    timeline_accessible.install()  # screen readers see the timeline's blocks
    return app


def system_zone() -> str:
    qt_zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return timezones.system_zone_name(qt_zone or None)


def settings_for(store: Store) -> QSettings:
    return QSettings(str(store.folder / SETTINGS_FILE), QSettings.Format.IniFormat)


def create_window(store: Store, display_zone: str | None = None,
                  theme: str | None = None) -> MainWindow:
    """A window on ``store`` (steps 4 to 7); the caller opens a program in it."""
    settings = settings_for(store)
    app = QApplication.instance()
    chosen_theme = theme if theme in THEMES else None
    if chosen_theme is None:
        # Read without healing: the window reads it again, and reports and resets a damaged
        # value itself.
        chosen_theme = declared.read(declared.THEME, settings.value(declared.THEME.name))
    if isinstance(app, QApplication) and chosen_theme != "system":
        apply_theme(app, chosen_theme)
    local = system_zone()
    zone = display_zone_name(store, display_zone, local)
    controller = Controller(zone, local_zone=local, store=store)
    window = MainWindow(controller, settings)
    controller.setParent(window)
    if theme:
        window.theme_actions[chosen_theme].setChecked(True)
    return window


def run(options: GuiOptions) -> int:
    """Open the window and run until it closes (or the screenshot is saved)."""
    _prepare_platform(options)
    app = application()
    try:
        store = Store(options.data_dir)
    except PlannerError as error:
        QMessageBox.critical(None, "planner cannot start",
                             f"{error}\n\nChoose another data folder with --data-dir, or free "
                             f"space / fix the permissions of this one, then start again.")
        return EXIT_ERROR
    if options.tz:
        timezones.get_zone(options.tz)  # an unknown zone fails here, with suggestions
    window = create_window(store, options.tz, options.theme)
    if options.size:
        window.resize(*options.size)
    for notice in store.notices:
        window.show_error("Your saved stars needed repair", notice)
    if options.busy:
        window.busy_times.open(Path(options.busy), remember=False)
    program_path = (Path(options.program) if options.program and "://" not in options.program
                    else last_program_path(store))
    status = {"code": 0}

    if options.screenshot:
        target = Path(options.screenshot)

        def select() -> None:
            if options.view:
                window.show_view(options.view)
            if options.select:
                window.select_item(options.select)
            # Let the debounced parts (legend of what is in view) catch up before the picture.
            QTimer.singleShot(SETTLE_MS, capture)

        def capture() -> None:
            app.processEvents()
            target.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(target), "PNG"):
                print(f"planner: cannot write the screenshot {target}", file=sys.stderr)
                status["code"] = EXIT_ERROR
            app.exit(status["code"])

        def failed(message: str) -> None:
            print(f"planner: {message}", file=sys.stderr)
            status["code"] = EXIT_ERROR
            app.exit(EXIT_ERROR)

        window.programLoaded.connect(lambda: QTimer.singleShot(SETTLE_MS, select))
        window.loadFailed.connect(failed)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: failed("timed out opening the program"))
    elif options.select:
        window.programLoaded.connect(lambda: window.select_item(options.select or ""))

    from planner.ui.live import attach, start_url

    live = attach(window)
    url = start_url(options.program, stored_setting(store, declared.LAST_PROGRAM))
    window.show()
    if url is not None:
        live.open_url(url)  # the offline copy, refreshed on start
    else:
        window.open_path(program_path)
    code = app.exec()
    wait_for_tasks()  # a parse or an index still running must not call back into nothing
    store.close()
    return status["code"] or code
