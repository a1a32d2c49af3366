"""SIGKILL during ``planner sync``, then sync again: exactly the agenda, no duplicates, no
leftovers, the user's own event untouched (short rounds of tools/crash_harness.py --mode sync)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.sync_crash import run_sync_rounds


@pytest.mark.slow
def test_sigkill_during_sync_then_sync_again_gives_exactly_the_agenda(tmp_path: Path) -> None:
    pytest.importorskip("radicale", reason="radicale is not installed (pip install -e .[test])")
    totals = run_sync_rounds(8, seed=5, scratch=tmp_path, kills_wanted=4)
    assert totals.ok, totals.line() + "\n" + "\n".join(totals.problems)
    assert totals.killed >= 4  # enough rounds were really cut short (rounds are added until so)
