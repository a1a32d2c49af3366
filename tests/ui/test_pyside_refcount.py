"""Guard against the PySide6 release whose void methods leak references to None on 3.11."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from PySide6.QtCore import QObject
thing = QObject()
before = sys.getrefcount(None)
for _ in range(3000):
    thing.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    # In a child process: with the broken wheels enough calls abort the interpreter.
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert abs(int(result.stdout.strip())) < 100
