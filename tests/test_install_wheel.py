"""The app as a user installs it: a built wheel in a fresh virtualenv, run from another folder.

Nothing of the checkout may help: the venv does not see our site-packages, PYTHONPATH is cleared
and the commands run in an empty folder, so the bundled program, the catalog, the icons and the
.desktop file must come from inside the installed package.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

SHIPPED = {
    "planner/data/iclr2021-fri-7-may.txt",
    "planner/data/iclr2021-fri-7-may.meta.json",
    "planner/data/iclr2021_papers.tsv",
    "planner/resources/planner.desktop",
    "planner/resources/planner.svg",
    "planner/resources/planner.png",
}


def run(command: list[str], cwd: Path, env: dict[str, str],
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return done


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with the wheel built from this checkout."""
    root = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
         str(REPO)], cwd=root, env=env)
    (wheel,) = (root / "dist").glob("planner-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        missing = SHIPPED - set(archive.namelist())
    assert not missing, f"the wheel lacks {sorted(missing)}"
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root, env=env)
    # Dependencies come from pip's own cache and configured indexes, like a user's install.
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=root,
        env=env)
    return venv


@pytest.fixture
def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env.update(PLANNER_DATA_DIR=str(tmp_path / "user-data"), QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"))
    (tmp_path / "runtime").mkdir(mode=0o700)
    return folder, env


def test_installed_wheel_lists_the_bundled_program_from_another_folder(
        installed: Path, elsewhere: tuple[Path, dict[str, str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, env = elsewhere
    where = run([str(installed / "bin" / "python"), "-c",
                 "import planner, planner.bundled as b; print(planner.__file__); "
                 "print(b.bundled_program())"], cwd=folder, env=env).stdout.split()
    site = installed / "lib"
    assert all(Path(p).is_relative_to(site) for p in where), where
    listed = run([str(installed / "bin" / "planner"), "list", "--json", "--tz", "UTC"],
                 cwd=folder, env=env)
    assert main(["list", "--json", "--tz", "UTC"]) == 0  # the checkout, in this process
    assert json.loads(listed.stdout) == json.loads(capsys.readouterr().out)
    sessions = json.loads(listed.stdout)
    assert len(sessions) == 32 and sessions[0]["title"] == "Poster Session 12"
    papers = [paper for session in sessions for paper in session["papers"]]
    assert sum(not paper["title_derived"] for paper in papers) == 76  # titled from the catalog
    assert "no such file" not in listed.stderr.lower()
    text = run([str(installed / "bin" / "planner"), "list", "--tz", "UTC"], cwd=folder, env=env)
    assert "Poster Session 12" in text.stdout and "Oral Session 12" in text.stdout
    assert sorted(p.name for p in folder.iterdir()) == []


def test_installed_wheel_takes_a_screenshot_and_installs_its_desktop_entry(
        installed: Path, elsewhere: tuple[Path, dict[str, str]]) -> None:
    folder, env = elsewhere
    shot = folder / "shot.png"
    run([str(installed / "bin" / "planner"), "gui", "--screenshot", str(shot),
         "--size", "1024x700", "--tz", "Asia/Kolkata"], cwd=folder, env=env, timeout=120)
    assert shot.stat().st_size > 10_000  # a drawn window, not an empty image
    assert png_size(shot) == (1024, 700)
    run([str(installed / "bin" / "planner"), "install-desktop"], cwd=folder, env=env)
    entry = Path(env["XDG_DATA_HOME"]) / "applications" / "planner.desktop"
    assert f"Exec={installed / 'bin' / 'planner-gui'} %f" in entry.read_text(encoding="utf-8")
    assert (Path(env["XDG_DATA_HOME"]) / "icons/hicolor/scalable/apps/planner.svg").is_file()
