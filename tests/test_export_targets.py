"""Export targets that are not a plain new file: a FIFO, a device, a socket, a symlink, a
private file, a hard link. planner replaces only regular files, follows links, keeps modes."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.core.files import FileWriteError, write_atomically
from planner.export.ics import ExportError, ExportResult, Scope, write_export
from tests.cli.test_cli import run_cli
from tests.test_export_helpers import export, sample_program, sample_stars


def _result() -> ExportResult:
    return export(sample_program(), sample_stars(), scope=Scope.ALL, zone="UTC")


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "agenda.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_fifo_is_refused_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "agenda.ics"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match=r"named pipe \(FIFO\); planner writes only regular"):
        write_export(_result(), fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agenda.ics"]  # no temporary left


def test_socket_is_refused(unix_socket: Path) -> None:
    with pytest.raises(ExportError, match="socket"):
        write_export(_result(), unix_socket)
    assert stat.S_ISSOCK(unix_socket.lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_device_node_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null-device"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    with pytest.raises(ExportError, match="character device"):
        write_export(_result(), device)
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    link = tmp_path / "agenda.ics"
    link.symlink_to(tmp_path / "pipe")
    with pytest.raises(ExportError, match=r"a link to .*pipe.*FIFO"):
        write_export(_result(), link)
    assert link.is_symlink() and stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode)


def test_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "calendars" / "agenda.ics"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "agenda.ics"
    link.symlink_to(Path("calendars") / "agenda.ics")  # relative, as people make them
    result = _result()
    write_export(result, link)
    assert link.is_symlink() and os.readlink(link) == str(Path("calendars") / "agenda.ics")
    assert real.read_bytes() == result.data
    assert sorted(p.name for p in real.parent.iterdir()) == ["agenda.ics"]


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "agenda.ics"
    link.symlink_to(tmp_path / "new.ics")
    outcome = write_atomically(link, b"data")
    assert outcome.written == tmp_path / "new.ics" and link.is_symlink()
    assert (tmp_path / "new.ics").read_bytes() == b"data"


def test_symlink_loop_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(FileWriteError, match="too many levels of symbolic links"):
        write_atomically(tmp_path / "a", b"data")


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_existing_mode_is_kept(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_export(_result(), target)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "agenda.ics", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "agenda.ics").stat().st_mode) == 0o640


def test_hard_link_is_replaced_atomically_and_the_user_is_told(tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old")
    other = tmp_path / "backup.ics"
    os.link(target, other)
    result = _result()
    write_export(result, target)
    assert target.read_bytes() == result.data
    assert other.read_bytes() == b"old"  # the documented choice: atomic rename breaks the link
    assert any("2 hard links" in warning and "previous content" in warning
               for warning in result.warnings)


def test_split_export_refuses_a_fifo_among_its_files(tmp_path: Path) -> None:
    result = export(sample_program(), sample_stars(), scope=Scope.ALL, zone="UTC", split=True)
    folder = tmp_path / "split"
    folder.mkdir()
    first = next(iter(result.files))
    os.mkfifo(folder / first)
    with pytest.raises(ExportError, match="FIFO"):
        write_export(result, folder, split=True)
    assert stat.S_ISFIFO((folder / first).lstat().st_mode)


def test_cli_refuses_a_fifo_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "agenda.ics"
    os.mkfifo(fifo)
    done = run_cli("export", "--all", "-o", str(fifo), data_dir=tmp_path / "data")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"planner: cannot write {fifo}: it is a named pipe (FIFO); planner writes only "
        f"regular files")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_cli_warns_about_a_hard_link(tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old")
    os.link(target, tmp_path / "other.ics")
    done = run_cli("export", "--all", "-o", str(target), data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "planner: warning: " + str(target) + " had 2 hard links" in done.stderr
