"""Fixtures of the reliability suite, and the figures it reports (docs/reliability.md).

Every figure a test measures (rounds killed, stars lost, fuzz inputs per importer...) is
recorded with :func:`record` and printed at the end of the run; with
``PLANNER_RELIABILITY_JSON=FILE`` it is also written there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tools import crash_harness, fuzz_importers

FIGURES: dict[str, Any] = {}


def record(name: str, value: Any) -> None:
    """Keep a figure for the end-of-run summary."""
    FIGURES[name] = value


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for name, value in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {value}")
    target = os.environ.get("PLANNER_RELIABILITY_JSON")
    if target:
        Path(target).write_text(json.dumps(FIGURES, indent=2, default=str), encoding="utf-8")


@pytest.fixture(scope="session")
def seeds() -> list[fuzz_importers.Seed]:
    """Cuts of the real programs in ../shared/data (and the bundled ICLR page)."""
    found = fuzz_importers.load_seeds()
    if fuzz_importers.shared_data() is None:
        pytest.skip("../shared/data is absent: no real programs to seed from")
    return found


@pytest.fixture(scope="session")
def small_program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real program cut small, that this build opens in milliseconds."""
    try:
        return crash_harness.write_small_program(tmp_path_factory.mktemp("program"))
    except RuntimeError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def mountable() -> bool:
    return crash_harness.can_mount()


@pytest.fixture
def tmpfs(mountable: bool) -> Iterator[Path]:
    """A 1 MB tmpfs: a disk that really fills up (needs root; skipped otherwise)."""
    if not mountable:
        pytest.skip("cannot mount a tmpfs here (not root); the file-size-limit variant covers "
                    "a full disk")
    with crash_harness.small_tmpfs(1024 * 1024) as mount_point:
        yield mount_point


@pytest.fixture
def can_make_read_only() -> None:
    if not crash_harness.can_make_read_only():
        pytest.skip("cannot make a folder read-only for root without mount")
