"""The bundled program opens without sniffing its format: its sidecar names it, so opening it
(what the window does at first start) imports neither the other importers nor icalendar."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from planner.importers import detect_format
from planner.workspace import BUNDLED_PROGRAM, open_program, read_sidecar

ROOT = Path(__file__).resolve().parents[2]


def test_the_sidecar_names_the_format_and_opening_imports_only_that_importer() -> None:
    assert read_sidecar(BUNDLED_PROGRAM)["format"] == "virtual-page"
    code = ("import sys, json; from planner.workspace import open_program; p = open_program(); "
            "print(json.dumps([len(p.sessions), len(p.papers), "
            "sorted(m for m in sys.modules if m.startswith(('icalendar', "
            "'planner.importers.ical', 'planner.importers.frab', 'planner.importers.indico')))]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    sessions, papers, heavy = json.loads(done.stdout)
    assert heavy == []
    # The sidecar says what sniffing finds, and opening in this process gives the same program.
    assert detect_format(BUNDLED_PROGRAM.read_text(encoding="utf-8")) == "virtual-page"
    program = open_program()
    assert (sessions, papers) == (len(program.sessions), len(program.papers))
    assert sessions > 20 and papers > 50
