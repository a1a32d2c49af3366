"""Use cases: stars kept across restarts and re-imports of an edited copy of the program."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from planner.storage.store import Store
from planner.workspace import BUNDLED_PROGRAM, Workspace, open_program, sidecar_path


def copy_bundled(folder: Path) -> Path:
    target = folder / BUNDLED_PROGRAM.name
    shutil.copy(BUNDLED_PROGRAM, target)
    meta = sidecar_path(BUNDLED_PROGRAM).read_text(encoding="utf-8")
    # The copy's sidecar must still find the bundled catalog.
    meta = meta.replace('"iclr2021_papers.tsv"', f'"{BUNDLED_PROGRAM.parent}/iclr2021_papers.tsv"')
    sidecar_path(target).write_text(meta, encoding="utf-8")
    return target


def test_stars_survive_reimport_of_an_edited_copy(tmp_path: Path) -> None:
    program_file = copy_bundled(tmp_path)
    program = open_program(program_file)
    poster = program.session("poster-session-12")
    papers = program.papers_of(poster)
    chosen = [poster.id, papers[0].id, papers[-1].id, "workshop-on-learning-to-learn"]
    with Store(tmp_path / "data") as store:
        Workspace.open(program, store).set_starred(chosen, True)

    text = program_file.read_text(encoding="utf-8")
    edited = (text.replace("Poster Session 12 Fri 7 May 02:00 a.m.",
                           "Poster Session 12 Fri 7 May 02:30 a.m.")  # the session moved
                  .replace("\n[ Virtual ]\n", "\n[ Virtual ]\n\n", 3)  # extra blank lines
                  .replace("learning-to-learn, or meta-learning,",  # a small text edit
                           "learning-to-learn (or meta-learning)"))
    assert edited != text
    program_file.write_text(edited, encoding="utf-8")

    reopened = open_program(program_file)
    with Store(tmp_path / "data") as store:
        workspace = Workspace.open(reopened, store)
        assert workspace.stars.ids == set(chosen)
        assert workspace.stars.missing(reopened) == []
    moved = reopened.session("poster-session-12")
    assert moved.start is not None
    assert moved.start.astimezone(dt.UTC) == dt.datetime(2021, 5, 7, 0, 30, tzinfo=dt.UTC)


def test_sidecar_sets_zone_without_a_missing_zone_warning() -> None:
    program = open_program()
    assert program.source_zone == "Europe/Vienna"
    assert program.zone_guessed is True
    assert "Synthetic Data" in program.zone_evidence or "PT" in program.zone_evidence
    assert not any("--source-tz" in warning for warning in program.warnings)


def test_toggle_and_conflicts(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        workspace = Workspace.open(open_program(), store)
        assert workspace.toggle("workshop-on-learning-to-learn") is True
        assert workspace.toggle("workshop-on-weakly-supervised-learning") is True
        assert [(c.first.id, c.second.id) for c in workspace.conflicts()] == [
            ("workshop-on-learning-to-learn", "workshop-on-weakly-supervised-learning")]
        assert workspace.toggle("workshop-on-learning-to-learn") is False
        assert workspace.conflicts() == []
