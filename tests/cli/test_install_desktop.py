"""``planner install-desktop``: the .desktop file and icons land where freedesktop menus look."""

from __future__ import annotations

import configparser
import os
import shlex
from pathlib import Path

import pytest

from planner import desktop
from planner.bundled import resource_file
from planner.cli import main


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg data"  # a space: the Exec line must still name the right file
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


def test_install_desktop_writes_entry_and_icons_under_xdg_data_home(
        data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install-desktop"]) == 0
    entry_path = data_home / "applications" / "planner.desktop"
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "planner.svg"
    png = data_home / "icons" / "hicolor" / "256x256" / "apps" / "planner.png"
    assert capsys.readouterr().out.splitlines() == [
        f"installed {entry_path}", f"installed {svg}", f"installed {png}"]
    assert svg.read_bytes() == resource_file("planner.svg").read_bytes()
    assert png.read_bytes() == resource_file("planner.png").read_bytes()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    entry = read_entry(entry_path)
    bundled = read_entry(resource_file("planner.desktop"))
    assert entry["Icon"] == "planner" == svg.stem  # the theme name the icons were installed as
    assert entry["Type"] == "Application" and entry["Name"] == bundled["Name"]
    assert {k: v for k, v in entry.items() if k not in ("Exec", "TryExec")} == {
        k: v for k, v in bundled.items() if k not in ("Exec", "TryExec")}
    # Exec names this installation's planner-gui (a menu does not see a shell's PATH).
    program, field_code = shlex.split(entry["Exec"])
    assert field_code == "%f"
    assert program == entry["TryExec"] == desktop.gui_command()
    assert os.path.isabs(program) and os.access(program, os.X_OK)
    assert not list(data_home.rglob(".*.tmp"))


def test_install_desktop_twice_replaces_and_remove_takes_only_its_files(
        data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = data_home / "applications" / "someone-else.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nName=other\n", encoding="utf-8")
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop"]) == 0
    capsys.readouterr()
    assert main(["install-desktop", "--remove"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert sorted(p.name for p in data_home.rglob("*") if p.is_file()) == ["someone-else.desktop"]
    assert main(["install-desktop", "--remove"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_install_desktop_quotes_a_command_with_spaces(tmp_path: Path) -> None:
    command = str(tmp_path / "my apps" / 'planner "gui"')
    target = desktop.install(tmp_path / "share", command=command)
    entry = read_entry(target.entry)
    # The spec's quoting: inside double quotes, " ` $ \ are backslash-escaped; the file format
    # then escapes each backslash once more.
    unescaped = entry["Exec"].replace("\\\\", "\\")
    assert shlex.split(unescaped) == [command, "%f"]
    assert entry["TryExec"] == command


def test_xdg_data_home_unset_or_relative_means_local_share(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in ("", "relative/share"):
        monkeypatch.setenv("XDG_DATA_HOME", value)
        assert desktop.xdg_data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop.xdg_data_home() == tmp_path / ".local" / "share"


def test_install_desktop_where_it_cannot_write_is_one_clear_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    assert main(["install-desktop", "--data-home", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"planner: {blocker / 'applications' / 'planner.desktop'}: cannot write")
    assert len(err.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8").startswith("a file")
