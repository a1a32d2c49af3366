"""Reading a PDF back as its reader would: poppler's pdftotext (poppler-utils, in .ci/setup),
and a folder nothing may be written into (for the whole-or-nothing tests)."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def pdf_pages(path: Path, layout: bool = True) -> list[str]:
    """The text of each page of ``path``: in layout mode each row of the agenda's table is on
    one line; without it (``-raw``, the order it was drawn in) each cell's text comes whole."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install poppler-utils (bash .ci/setup --test does)"
    assert path.read_bytes().startswith(b"%PDF-"), f"{path} is not a PDF"
    mode = ["-layout"] if layout else ["-raw"]
    done = subprocess.run([tool, *mode, "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, timeout=60)
    pages = done.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(path: Path, layout: bool = True) -> str:
    """All the text of ``path``, each run of spaces one space (table columns vary in width);
    without ``layout``, a cell's wrapped lines are joined too (one space)."""
    lines = [" ".join(line.split()) for page in pdf_pages(path, layout)
             for line in page.splitlines()]
    return "\n".join(lines) if layout else " ".join(line for line in lines if line)


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` made unwritable even for root (chattr +i where chmod is not enough)."""
    folder.mkdir(exist_ok=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    immutable = False
    if os.geteuid() == 0 and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True,
                                   check=False).returncode == 0
    try:
        probe = folder / ".probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("cannot make a folder read-only here (root without chattr +i)")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(stat.S_IRWXU)


def pdf_page_size(path: Path) -> tuple[float, float]:
    """Width and height of the first page in points (pdfinfo)."""
    tool = shutil.which("pdfinfo")
    assert tool, "pdfinfo is missing: install poppler-utils (bash .ci/setup --test does)"
    done = subprocess.run([tool, str(path)], check=True, capture_output=True, text=True,
                          timeout=60)
    line = next(line for line in done.stdout.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)
