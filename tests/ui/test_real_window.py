"""The real window on a real X server (Xvfb): `planner gui --screenshot` as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def _free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(
                f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :199")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb server; its DISPLAY."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    number = _free_display()
    server = subprocess.Popen([binary, f":{number}", "-screen", "0", "1920x1080x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 15
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            why = server.stderr.read().decode() if server.stderr else ""
            pytest.fail(f"Xvfb did not start: {why}")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()  # the pipe is ours to close (ResourceWarning otherwise)


def run_gui(display: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb",
               PLANNER_DATA_DIR=str(data_dir), XDG_RUNTIME_DIR=str(data_dir / "runtime"))
    (data_dir / "runtime").mkdir(mode=0o700, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "planner", "gui", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.xvfb
def test_real_window_under_xvfb_saves_a_screenshot(xvfb, data_dir, tmp_path):
    shot = tmp_path / "window.png"
    run = run_gui(xvfb, data_dir, "--screenshot", str(shot), "--tz", "America/Los_Angeles",
                  "--select", "poster-session-12", "--size", "1280x800")
    assert run.returncode == 0, run.stderr
    image = QImage(str(shot))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    # Not a blank window: the timeline and the text painted many colours.
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20
    assert "Warning" not in run.stderr, run.stderr
    keep = REPO / "screenshots"
    if keep.is_dir():
        shutil.copy(shot, keep / "xvfb-window.png")


@pytest.mark.xvfb
def test_planner_without_arguments_reopens_the_last_program(xvfb, data_dir, tmp_path):
    first = run_gui(xvfb, data_dir, "--screenshot", str(tmp_path / "a.png"))
    assert first.returncode == 0, first.stderr
    from planner.storage.store import Store
    from planner.workspace import BUNDLED_PROGRAM, last_program_path

    with Store(data_dir) as store:
        assert last_program_path(store) == BUNDLED_PROGRAM.resolve()


def test_screenshot_without_a_display_uses_offscreen(data_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    env["PLANNER_DATA_DIR"] = str(data_dir)
    shot = tmp_path / "offscreen.png"
    run = subprocess.run([sys.executable, "-m", "planner", "gui", "--screenshot", str(shot),
                          "--size", "1920x1080", "--theme", "dark"], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert QImage(str(shot)).size().width() == 1920


def test_gui_with_an_unknown_zone_fails_with_a_suggestion(data_dir, tmp_path):
    run = subprocess.run([sys.executable, "-m", "planner", "gui", "--tz", "Europe/Viena",
                          "--screenshot", str(tmp_path / "x.png")], cwd=REPO,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert "Europe/Vienna" in run.stderr
