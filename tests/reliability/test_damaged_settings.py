"""A damaged ``window.ini`` never reaches a widget: every stored value is checked against its
declaration (:mod:`planner.core.settings`), clamped or dropped with a notice, and the file heals.

Before: ``zoom=2147483647`` overflowed Qt's scroll range (SIGSEGV) and
``top=0001-01-01T00:00:00+14:00`` raised OverflowError in a slot, on every start, because the
last program reopens.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from planner.core import settings
from planner.storage.store import Store
from planner.ui.window_settings import WindowSettings, program_group
from planner.workspace import display_zone_name, open_program
from tests.reliability.conftest import record

ROOT = Path(__file__).resolve().parents[2]

# Hostile values as they appear in an INI file (QSettings' own syntax included).
NUMBERS = ["2147483647", "-2147483648", "99999999999999999999999", "-1", "abc", "1e400", "nan",
           "", "@Invalid()", "1, 2", "true", r"@Variant(\0\0\0\x7f\0\0\0\x5Qfoo)",
           "@ByteArray(\\xff\\xfe)"]
TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2021-05-07T02:00:00",
         "2021-13-45T99:99:00+00:00", "garbage", "2300-01-01T00:00:00Z", "@Invalid()",
         "0001-01-01T00:00:00", "x" * 10_000]
TEXTS = [r"\x1b[31mred", r"a\0b", "x" * 10_000, "@Invalid()", "1, 2, 3",
         r"@Variant(\0\0\0\n\0\0\0\x5\0\x61)", "@ByteArray(abc)"]
BLOBS = ["@ByteArray()", "@ByteArray(\\x1\\xd9\\xd0\\xcb\\0\\x3\\0\\0\\x7f\\xff\\xff\\xff)",
         "garbage", "@Variant(\\0\\0\\0\\x7f)", "@ByteArray(" + "\\xff" * 70_000 + ")"]

HOSTILE: dict[str, list[str]] = {
    "zoom": NUMBERS, "tab": NUMBERS, "top": TIMES, "current": TEXTS, "collapsed": TEXTS,
    "theme": ["neon", "", "@Invalid()", "dark, light", "1"],
    "recent": [", ".join(f"/tmp/p{n}.xml" for n in range(500)), "@Invalid()", "5", r"a\0b"],
    "export_folder": TEXTS,
    "window/geometry": BLOBS, "window/state": BLOBS, "window/splitter": BLOBS,
}
VIEW_KEYS = {setting.name for setting in settings.VIEW_SETTINGS}


def _ini(group: str, key: str, value: str) -> str:
    if key in VIEW_KEYS:
        return f"[{group}]\n{key}={value}\n"
    if "/" in key:
        section, name = key.split("/", 1)
        return f"[{section}]\n{name}={value}\n"
    return f"[General]\n{key}={value}\n"


def corpus(group: str) -> list[tuple[str, bytes]]:
    """(label, file content): each hostile value of each key, then whole-file damage."""
    cases = [(f"{key}={value[:30]}", _ini(group, key, value).encode("utf-8"))
             for key, values in HOSTILE.items() for value in values]
    rng = random.Random(10)
    everything = "".join(_ini(group, key, values[0]) for key, values in HOSTILE.items())
    cases.append(("every key damaged", everything.encode("utf-8")))
    cases.append(("random bytes", bytes(rng.randrange(256) for _ in range(4096))))
    cases.append(("NUL bytes", b"\x00" * 1000))
    cases.append(("truncated group", f"[{group}\nzoom=60".encode()))
    cases.append(("UTF-16", _ini(group, "zoom", "2147483647").encode("utf-16")))
    cases.append(("group repeated", (_ini(group, "zoom", "60") * 3
                                     + _ini(group, "zoom", "2147483647")).encode()))
    flipped = bytearray(everything.encode("utf-8"))
    for _ in range(200):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    cases.append(("200 flipped bytes", bytes(flipped)))
    return cases


def _read_all(path: Path, group: str) -> tuple[dict[str, object], list[str]]:
    stored = WindowSettings(QSettings(str(path), QSettings.Format.IniFormat))
    values: dict[str, object] = {}
    for setting in settings.WINDOW_SETTINGS:
        values[setting.name] = stored.get(setting)
    for setting in settings.VIEW_SETTINGS:
        values[setting.name] = stored.get(setting, group)
    stored.sync()
    return values, stored.take_notices()


def _usable(setting: settings.Setting[object], value: object) -> bool:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return value == setting.default or settings.is_valid(setting, value)


GROUP = program_group("conference-key")


# Qt itself warns about the damaged variants it is fed; that warning is the input, not a fault.
@pytest.mark.qt_log_ignore(r"QVariant::load: unknown user type")
@pytest.mark.parametrize("label,content", corpus(GROUP), ids=[c[0] for c in corpus(GROUP)])
def test_damaged_window_ini_gives_usable_values_and_heals(tmp_path: Path, label: str,
                                                          content: bytes) -> None:
    path = tmp_path / "window.ini"
    path.write_bytes(content)
    values, notices = _read_all(path, GROUP)
    for setting in settings.WINDOW_SETTINGS + settings.VIEW_SETTINGS:
        assert _usable(setting, values[setting.name]), (setting.name, values[setting.name])
    zoom = values["zoom"]
    assert isinstance(zoom, int) and settings.ZOOM_RANGE[0] <= zoom <= settings.ZOOM_RANGE[1]
    assert isinstance(values["tab"], int) and 0 <= values["tab"] < settings.TAB_COUNT
    top = values["top"]
    assert top is None or (isinstance(top, dt.datetime) and top.tzinfo is not None)
    if label.startswith(("zoom=2147483647", "top=0001", "tab=9", "theme=neon")):
        assert notices, "a damaged value was used without a notice"
    # The next start reads a healed file: the same values, nothing more to say.
    again, second_notices = _read_all(path, GROUP)
    assert again == values
    assert second_notices == [] or label in {"random bytes", "NUL bytes", "UTF-16",
                                             "200 flipped bytes", "truncated group"}


def test_zoom_and_tab_ranges_match_the_window() -> None:
    from planner.ui.main_window import TAB_AGENDA, TAB_LIST, TAB_OVERVIEW, TAB_TIMELINE
    from planner.ui.timeline import DEFAULT_ZOOM, ZOOM_LEVELS

    assert (ZOOM_LEVELS[0], ZOOM_LEVELS[-1]) == settings.ZOOM_RANGE
    assert settings.VIEW_ZOOM.default == DEFAULT_ZOOM
    assert sorted((TAB_TIMELINE, TAB_LIST, TAB_AGENDA, TAB_OVERVIEW)) == list(
        range(settings.TAB_COUNT))


def test_damaged_store_settings_fall_back_with_a_notice(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.set_setting(settings.DISPLAY_ZONE.name, 42)
        store.set_setting(settings.SOURCE_ZONES.name, ["not", "a", "table"])
        store.set_setting(settings.LAST_PROGRAM.name, "x" * 10_000)
    with Store(tmp_path) as store:
        assert display_zone_name(store, None, "Asia/Kolkata") == "Asia/Kolkata"
        from planner.workspace import Workspace, last_program_path

        assert last_program_path(store) is None
        workspace = Workspace.open(open_program(None), store)
        assert workspace.apply_remembered_source_zone() is False
        workspace.change_source_zone("Asia/Kathmandu")  # replaces the damaged table
        assert store.setting(settings.SOURCE_ZONES.name) == {
            workspace.program.key: "Asia/Kathmandu"}
        joined = " ".join(store.notices)
        assert "'display_zone'" in joined and "'source_zones'" in joined
        assert "'last_program'" in joined


# -- a real window on damaged files (a crash here is a SIGSEGV, so it runs in a child) --------
def _bundled_group() -> str:
    return program_group(open_program(None).key)


def _blobs() -> dict[str, bytes]:
    """Real geometry/state/splitter bytes from a planner window, to mutate."""
    script = ("import os;os.environ['QT_QPA_PLATFORM']='offscreen'\n"
              "from planner.ui.app import application, create_window\n"
              "from planner.storage.store import Store\n"
              "import sys, tempfile\n"
              "app = application([])\n"
              "w = create_window(Store(tempfile.mkdtemp()), 'UTC', 'light')\n"
              "w.show(); app.processEvents()\n"
              "for b in (w.saveGeometry(), w.saveState(), w.splitter.saveState()):\n"
              "    print(bytes(b.data()).hex())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True, cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stdout.split()[-3:]
    return dict(zip(("geometry", "state", "splitter"), map(bytes.fromhex, lines), strict=True))


def _byte_array(data: bytes) -> str:
    return "@ByteArray(" + "".join(f"\\x{byte:02x}" for byte in data) + ")"


def _start_window(tmp_path: Path, ini: str, name: str) -> subprocess.CompletedProcess[str]:
    data = tmp_path / name
    data.mkdir()
    (data / "window.ini").write_text(ini, encoding="utf-8")
    shot = data / "shot.png"
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--data-dir", str(data), "gui", "--tz", "UTC",
         "--screenshot", str(shot)], capture_output=True, text=True, timeout=120, check=False,
        cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, f"{name}: exit {done.returncode}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    assert shot.stat().st_size > 10_000
    return done


def test_real_window_starts_on_damaged_view_state(tmp_path: Path) -> None:
    group = _bundled_group()
    starts = {
        "zoom": f"[{group}]\nzoom=2147483647\n",
        "top": f"[{group}]\ntop=0001-01-01T00:00:00+14:00\n",
        "all": f"[{group}]\nzoom=2147483647\ntop=9999-12-31T23:59:59-14:00\ntab=99\n"
               f"collapsed=@Invalid()\ncurrent=\\x1b[31m\n[General]\ntheme=neon\n"
               f"recent=@Variant(\\0\\0\\0\\x7f)\n",
    }
    for name, ini in starts.items():
        done = _start_window(tmp_path, ini, name)
        assert "was damaged" in done.stderr or "above 480" in done.stderr, done.stderr
    # and the file healed: the next start says nothing more
    again = _start_window(tmp_path, (tmp_path / "all" / "window.ini").read_text(), "all-again")
    assert "saved setting" not in again.stderr
    record("settings: real window on damaged window.ini", f"{len(starts) + 1} starts, 0 crashes")


def test_real_window_starts_on_mutated_qt_state(tmp_path: Path) -> None:
    blobs = _blobs()
    rng = random.Random(11)
    starts = 0
    for round_number in range(4):
        sections = []
        for key, blob in blobs.items():
            mutated = bytearray(blob)
            for _ in range(rng.randrange(1, 12)):
                position = rng.randrange(len(mutated))
                mutated[position] = rng.choice((0x00, 0x7F, 0xFF, rng.randrange(256)))
            sections.append(f"{key}={_byte_array(bytes(mutated))}")
        ini = "[window]\n" + "\n".join(sections) + "\n"
        _start_window(tmp_path, ini, f"mutated-{round_number}")
        starts += 1
    record("settings: real window on mutated geometry/state bytes", f"{starts} starts, 0 crashes")
