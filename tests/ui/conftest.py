"""Window tests: offscreen Qt, Qt warnings fail the test, user data in a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

import planner.ui  # noqa: F401  (its import makes CPython 3.11 safe for PySide6 6.12)
from planner.core import timezones as tz
from planner.core.model import Link, Paper, Program, SessionKind
from planner.storage.store import Store
from planner.ui.app import application, create_window
from planner.ui.main_window import MainWindow
from planner.ui.worker import wait_for_tasks
from tests.factories import paper, session

# Set before the QApplication is made (pytest-qt makes it on first use).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# What the offscreen platform says about features it lacks (grabbing the keyboard for a popup,
# size hints): about the test platform, not about our code.
BENIGN = ("This plugin does not support",)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[list[str]]:
    """Collect Qt warnings during the test and fail it if there were any."""
    caught: list[str] = []

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        serious = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if kind in serious and not message.startswith(BENIGN):
            caught.append(message)

    previous = qInstallMessageHandler(handler)
    yield caught
    qInstallMessageHandler(previous)
    if caught:
        pytest.fail("Qt warnings:\n" + "\n".join(caught))


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    """The user data folder of this test (PLANNER_DATA_DIR points at it)."""
    assert os.environ["PLANNER_DATA_DIR"] == str(_isolated_data_dir)
    return _isolated_data_dir


def iclr_like() -> Program:
    """The bundled day's shape: a poster session at 02:00 Vienna time (Thursday evening in Los
    Angeles), an oral session sharing a paper with it, workshops that overlap, a paper whose
    title was derived, and a talk without a time."""
    papers = [
        Paper("p-mars", "MARS: Markov Molecular Sampling for Multi-objective Drug Discovery",
              "Searching for novel molecules with desired chemical properties.",
              link="https://openreview.net/forum?id=kHSu4ebxFXY"),
        Paper("p-co2", "CO2: Consistent Contrast for Unsupervised Visual Representation",
              "Contrastive learning has recently been a core for unsupervised learning."),
        Paper("p-derived", "Federated learning for heterogeneous clients",
              "Federated Learning (FL) is a method of training models on private data.",
              title_derived=True),
    ]
    sessions = [
        session("poster-session-12", "2021-05-07 02:00", 120, kind=SessionKind.POSTER,
                papers=["p-mars", "p-co2", "p-derived"], location="Virtual",
                end_estimated=True),
        session("oral-session-12", "2021-05-07 04:00", 120, kind=SessionKind.ORAL,
                papers=["p-mars"], end_estimated=True),
        session("closing-remarks", "2021-05-07 07:00", 30, kind=SessionKind.REMARKS),
        session("workshop-a", "2021-05-07 14:00", 480, kind=SessionKind.WORKSHOP,
                end_estimated=True, links=[Link("https://example.org/a", "Website"),
                                           Link("javascript:alert(1)", "Bad")]),
        session("workshop-b", "2021-05-07 16:00", 480, kind=SessionKind.WORKSHOP,
                end_estimated=True, description="Energy-based models."),
        session("invited-talk", None, kind=SessionKind.INVITED_TALK),
    ]
    for item in sessions:
        item.title = {"poster-session-12": "Poster Session 12", "oral-session-12":
                      "Oral Session 12", "workshop-a": "Workshop A on Learning",
                      "workshop-b": "Workshop B on Energy"}.get(item.id, item.title)
    program = Program(name="ICLR-like day", source_zone="Europe/Vienna", sessions=sessions,
                      papers={p.id: p for p in papers}, key="iclr-like", zone_guessed=True)
    return program


def rooms_program(rooms: int = 30, per_room: int = 8) -> Program:
    """A FOSDEM-like day: many rooms, tracks, explicit offsets."""
    sessions = []
    for r in range(rooms):
        for i in range(per_room):
            start = f"2025-02-01 {9 + i:02d}:00"
            sessions.append(session(f"r{r}-t{i}", start, 50, kind=SessionKind.TALK,
                                    room=f"Room {r:02d}", track=f"Track {r % 7}",
                                    floating=False, zone="Europe/Brussels"))
    return Program(name="Rooms conf", source_zone="Europe/Brussels", sessions=sessions,
                   key="rooms-conf")


@pytest.fixture
def make_window(qtbot: object, data_dir: Path) -> Iterator[Callable[..., MainWindow]]:
    """Open a window on a program (parsed already), as ``planner gui`` would."""
    opened: list[tuple[MainWindow, Store]] = []

    def make(program: Program | None = None, zone: str | None = "Europe/Vienna",
             clock: Callable[[], dt.datetime] | None = None) -> MainWindow:
        application()
        store = Store(data_dir)
        window = create_window(store, zone, "light")
        if clock is not None:
            window.controller.clock = clock
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)  # type: ignore[attr-defined]
        window.show_program(program or iclr_like())
        opened.append((window, store))
        return window

    yield make
    wait_for_tasks()  # nothing may call back into a closed window
    QApplication.processEvents()
    for window, store in opened:
        window.close()
        store.close()


def restart(window: MainWindow, make: Callable[..., MainWindow], program: Program,
            zone: str | None = None) -> MainWindow:
    """Close the window (saving its state) and open a new one on the same data folder."""
    window.close()
    window.controller.store.close()
    return make(program, zone)


def vienna(text: str) -> dt.datetime:
    return tz.localize(dt.datetime.fromisoformat(text), tz.get_zone("Europe/Vienna"))


__all__ = ["iclr_like", "paper", "restart", "rooms_program", "vienna"]
