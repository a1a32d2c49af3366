"""The timeline as a real screen reader's bus sees it: planner under Xvfb with Qt's AT-SPI
bridge, read by a separate process through libatspi (what Orca uses), which stars a block by
its action and follows the Down key by the focus events."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.storage.store import Store
from planner.workspace import open_program
from tests.ui.test_real_window import REPO, xvfb  # noqa: F401  (the fixture)

READER = Path(__file__).with_name("atspi_reader.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def _atspi_available() -> str | None:
    """Why the test cannot run here, or None."""
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon is not installed (apt-get install dbus)"
    if not Path(BUS_LAUNCHER).exists():
        return "at-spi-bus-launcher is not installed (apt-get install at-spi2-core)"
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Atspi', "
                            "'2.0'); from gi.repository import Atspi"],
                           capture_output=True, text=True, check=False) \
        if Path(SYSTEM_PYTHON).exists() else None
    if check is None or check.returncode != 0:
        return "libatspi for python is missing (apt-get install python3-gi gir1.2-atspi-2.0)"
    return None


@pytest.fixture
def session_bus(xvfb: str, tmp_path: Path) -> Iterator[dict[str, str]]:  # noqa: F811
    """A private D-Bus session bus (the accessibility bus is started from it on demand);
    the environment that reaches it and the X server."""
    why = _atspi_available()
    if why:
        pytest.skip(why)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, DISPLAY=xvfb, XDG_RUNTIME_DIR=str(runtime))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    started = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                              "--print-pid=1"], env=env, capture_output=True, text=True,
                             timeout=30, check=True)
    address, pid = started.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    try:
        yield env
    finally:
        os.kill(int(pid), signal.SIGTERM)


@pytest.mark.xvfb
def test_a_screen_reader_walks_stars_and_follows_the_timeline(session_bus, data_dir):
    env = dict(session_bus, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
               PLANNER_DATA_DIR=str(data_dir))
    app = subprocess.Popen([sys.executable, "-m", "planner", "gui", "--tz", "Asia/Kolkata",
                            "--size", "1400x900"], env=env, cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        read = subprocess.run([SYSTEM_PYTHON, str(READER)], env=session_bus,
                              capture_output=True, text=True, timeout=150, check=False)
    finally:
        app.terminate()
        _, errors = app.communicate(timeout=30)
    assert read.returncode == 0, (read.stdout, read.stderr, errors)
    seen = json.loads(read.stdout)
    program = open_program()
    titles = {s.title for s in program.sessions}
    before = seen["before"]
    assert len(before) >= 2
    for index, block in enumerate(before):
        assert block["name"] in titles
        assert block["role"] == "list item" and block["parent"] == "Timeline"
        assert block["index"] == index
        assert block["checkable"] and not block["checked"]
        assert {"Toggle", "Press", "SetFocus"} <= set(block["actions"])
        x, y, width, height = block["rect"]
        assert width > 0 and height > 0 and 0 <= x < 1920 and 0 <= y < 1080
        assert "program time" in block["description"]  # Kolkata beside the program's Vienna
    first, second = before[0]["name"], before[1]["name"]
    # Reading order follows time: the second block starts no earlier than the first.
    assert before[0]["rect"][1] <= before[1]["rect"][1]

    # The Toggle action starred the second block: it reads as checked, the app saved it.
    assert seen["toggled"] and seen["after_toggle"]["checked"]
    assert "★ Starred" in seen["after_toggle"]["description"]
    starred_session = next(s for s in program.sessions if s.title == second)
    with Store(data_dir) as store:
        assert starred_session.id in store.starred(program.key)

    # SetFocus put the keyboard on the first block, the Down key moved it to the second, and
    # the screen reader heard each move as a focus event naming the block.
    assert seen["focus_action"]
    assert [b["name"] for b in seen["after_focus"] if b["focused"]] == [first]
    assert [b["name"] for b in seen["after_down"] if b["focused"]] == [second]
    assert [b["name"] for b in seen["after_down"] if b["selected"]] == [second]
    focused = [e["name"] for e in seen["events"]
               if e["type"] == "object:state-changed:focused" and e["detail"] == 1]
    assert first in focused and second in focused, seen["events"]
    assert focused.index(first) < len(focused) - 1 - focused[::-1].index(second)
    checked = [e["name"] for e in seen["events"] if e["type"] == "object:state-changed:checked"]
    assert second in checked, seen["events"]
