"""Every file planner reads goes through one reader: a device, a FIFO or a folder named as a
catalog, a sidecar, the catalog a sidecar names, or an .ics with stars gives one line, at once,
and never a read that does not end (``/dev/zero`` ate 24 GB; a FIFO hung forever)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.core.errors import ProgramError
from planner.importers.catalog import load_catalog
from planner.importers.reading import read_user_file
from planner.workspace import BUNDLED_PROGRAM, read_sidecar
from tests.reliability.conftest import record
from tests.work import no_hang

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs or devices here")

MEMORY_LIMIT = 2 * 1024 ** 3  # a child over this dies; the bug used 24 GB


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_planner(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m planner`` in a child with 2 GB of address space and 30 s."""
    return subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=30, check=False,
                          preexec_fn=_bounded, cwd=Path(__file__).resolve().parents[2])


def assert_one_line(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("planner: warn")]
    assert len(lines) == 1 and lines[0].startswith("planner: "), done.stderr[-2000:]
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.tsv"
    os.mkfifo(path)  # nobody ever writes: opening it for reading the usual way blocks forever
    return path


def _program_with_sidecar(folder: Path, meta: str | None) -> Path:
    program = folder / "talks.txt"
    program.write_bytes(BUNDLED_PROGRAM.read_bytes())
    if meta is not None:
        (folder / "talks.meta.json").write_text(meta, encoding="utf-8")
    return program


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
def test_catalog_option_that_is_not_a_regular_file_is_one_line(
        tmp_path: Path, fifo: Path, special: str) -> None:
    target = {"/dev/zero": "/dev/zero", "fifo": str(fifo), "folder": str(tmp_path)}[special]
    started = time.monotonic()
    done = run_planner(tmp_path / "data", "list", "--catalog", target)
    line = assert_one_line(done, target, "paper catalog")
    assert ("folder" if special == "folder" else "not a regular file") in line
    record(f"hostile: --catalog {special}", f"one line in {time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_catalog_named_by_a_sidecar_is_checked(tmp_path: Path, fifo: Path,
                                               special: str) -> None:
    target = "/dev/zero" if special == "/dev/zero" else fifo.name
    program = _program_with_sidecar(tmp_path, f'{{"catalog": "{target}"}}')
    done = run_planner(tmp_path / "data", "list", str(program))
    assert_one_line(done, "not a regular file", "talks.meta.json")


def test_sidecar_that_is_a_fifo_or_device_is_one_line(tmp_path: Path) -> None:
    program = _program_with_sidecar(tmp_path, None)
    sidecar = tmp_path / "talks.meta.json"
    os.mkfifo(sidecar)
    done = run_planner(tmp_path / "data", "list", str(program))
    assert_one_line(done, str(sidecar), "not a regular file", "metadata")
    sidecar.unlink()
    sidecar.symlink_to("/dev/zero")
    with pytest.raises(ProgramError, match="not a regular file"):
        read_sidecar(program)


def test_oversized_sidecar_is_refused_without_reading_it(tmp_path: Path) -> None:
    program = _program_with_sidecar(tmp_path, None)
    with (tmp_path / "talks.meta.json").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse
    with pytest.raises(ProgramError, match="refused"):
        read_sidecar(program)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "fifo in a folder"])
def test_import_stars_from_a_device_or_fifo_is_one_line(tmp_path: Path, special: str) -> None:
    if special == "/dev/zero":
        target = "/dev/zero"
    else:
        folder = tmp_path / "exports"
        folder.mkdir()
        os.mkfifo(folder / "agenda.ics")
        target = str(folder if special == "fifo in a folder" else folder / "agenda.ics")
    done = run_planner(tmp_path / "data", "import-stars", target)
    assert_one_line(done, "not a regular file", "iCalendar")


def test_reader_refuses_fifo_without_blocking_and_devices_without_reading(fifo: Path) -> None:
    with no_hang():  # opening the FIFO to read would wait for a writer forever
        for path in (fifo, Path("/dev/zero"), Path("/dev/null")):
            with pytest.raises(ProgramError, match="not a regular file"):
                read_user_file(path, "a test file", 1024)
            with pytest.raises(ProgramError, match="not a regular file"):
                load_catalog(path)


def test_reader_stops_at_the_limit_and_names_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "big.tsv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(ProgramError, match=r"catalogs over .* are refused"):
        read_user_file(path, "a paper catalog", 4096, plural="catalogs")
    assert read_user_file(path, "a paper catalog", 5000) == b"x" * 5000
    with pytest.raises(ProgramError, match="no such file; expected a paper catalog"):
        read_user_file(tmp_path / "missing.tsv", "a paper catalog", 4096)
