"""Files planner does not read but names, with what to open instead: one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("content", "expected"), [
    (b"<!DOCTYPE html><html><head><title>Schedule</title></head><body>x</body></html>",
     "is an HTML web page"),
    (b'<!doctype html><html><script src="/static/pretalx/js/x.js"></script></html>',
     "schedule.xml"),
    (b'{"talks": [{"code": "AB12", "title": "T"}], "rooms": [{"id": 1}], "speakers": [], '
     b'"timezone": "Europe/Berlin"}', "pretalx's schedule widget JSON"),
    (b'[{"event_key": "1", "name": "Talk", "event_start": "2024-01-01 10:00", '
     b'"event_end": "2024-01-01 11:00"}]', "Sched's JSON"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\nendstream",
     "is a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml\x00\x00",
     "save the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00", "old Office document"),
])
def test_known_other_files_get_one_line_saying_what_to_do(content: bytes, expected: str,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "download.bin"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "planner", "--data-dir", str(tmp_path),
                             "list", str(path)], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{path}:1:" in lines[0] and expected in lines[0], lines
