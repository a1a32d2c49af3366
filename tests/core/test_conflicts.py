from __future__ import annotations

from planner.core.conflicts import conflicts_by_session, find_conflicts
from planner.core.stars import Stars, StarState
from tests.factories import paper, program, session


def _prog():  # type: ignore[no-untyped-def]
    return program(
        session("poster", "2021-05-07 02:00", 120, papers=["p1", "p2"]),
        session("oral", "2021-05-07 04:00", 60, papers=["p1"]),
        session("ws-a", "2021-05-07 16:00", 480),
        session("ws-b", "2021-05-07 17:00", 480),
        session("talk", None),
        papers=[paper("p1"), paper("p2")])


def test_overlapping_starred_workshops_conflict() -> None:
    prog = _prog()
    conflicts = find_conflicts(prog, Stars({"ws-a", "ws-b"}))
    assert [(c.first.id, c.second.id) for c in conflicts] == [("ws-a", "ws-b")]
    by_session = conflicts_by_session(conflicts)
    assert [s.id for s in by_session["ws-a"]] == ["ws-b"]


def test_back_to_back_sessions_do_not_conflict() -> None:
    assert find_conflicts(_prog(), Stars({"poster", "oral"})) == []


def test_starred_paper_counts_as_its_session() -> None:
    prog = _prog()
    prog.sessions[1].start = prog.sessions[0].start  # oral now overlaps the poster session
    conflicts = find_conflicts(prog, Stars({"p2", "oral"}))
    assert [(c.first.id, c.second.id) for c in conflicts] == [("poster", "oral")]


def test_unstarring_removes_conflict() -> None:
    stars = Stars({"ws-a", "ws-b"})
    stars.ids.discard("ws-b")
    assert find_conflicts(_prog(), stars) == []


def test_unscheduled_never_conflicts() -> None:
    assert find_conflicts(_prog(), Stars({"talk", "ws-a"})) == []


def test_session_state_half_star_when_a_paper_is_starred() -> None:
    prog = _prog()
    stars = Stars({"p1"})
    assert stars.session_state(prog, prog.session("poster")) == StarState.PARTIAL
    assert stars.session_state(prog, prog.session("ws-a")) == StarState.NONE
    assert [s.id for s in stars.agenda_sessions(prog)] == ["poster", "oral"]
    assert stars.missing(prog) == []
    assert Stars({"gone"}).missing(prog) == ["gone"]
