"""The conflict summary counts exactly what the pairwise sweep finds, and names a handful."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.core.conflicts import (
    LISTED_PER_SESSION,
    conflicts_by_session,
    find_conflicts,
    summarize_conflicts,
)
from planner.core.stars import Stars
from tests.factories import program, session

_SPANS = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), max_size=30)


@given(_SPANS, st.integers(1, 4))
def test_summary_agrees_with_every_pair(spans: list[tuple[int, int]], per_session: int) -> None:
    sessions = [session(f"s{i}", f"2021-05-07 {hour:02d}:00", halves * 30, zone="UTC")
                for i, (hour, halves) in enumerate(spans)]
    prog = program(*sessions)
    stars = Stars({s.id for s in sessions})
    pairs = find_conflicts(prog, stars)
    by_session = conflicts_by_session(pairs)
    summary = summarize_conflicts(prog, stars, per_session)
    assert summary.pairs == len(pairs)
    assert summary.counts == {sid: len(others) for sid, others in by_session.items()}
    assert set(summary.listed) == set(by_session)
    for sid, others in summary.listed.items():
        assert len(others) == min(per_session, len(by_session[sid]))
        assert {o.id for o in others} <= {o.id for o in by_session[sid]}
        assert summary.unlisted(sid) == len(by_session[sid]) - len(others)
        assert others == sorted(others, key=lambda o: (o.start, o.end, o.title, o.id))
    assert [(c.first.id, c.second.id) for c in summary.first_pairs] == [
        (c.first.id, c.second.id) for c in pairs[:20]]


def test_three_thousand_parallel_sessions_are_counted_not_listed() -> None:
    sessions = [session(f"p{i}", "2024-12-27 10:00", 60) for i in range(3000)]
    prog = program(*sessions)
    summary = summarize_conflicts(prog, Stars({s.id for s in sessions}))
    assert summary.pairs == 3000 * 2999 // 2
    assert all(len(others) == LISTED_PER_SESSION for others in summary.listed.values())
    assert all(summary.unlisted(s.id) == 2999 - LISTED_PER_SESSION for s in sessions)
    assert len(summary.first_pairs) == 20


def test_a_long_session_under_many_short_ones_counts_them_all() -> None:
    long_one = session("day", "2024-12-27 08:00", 600)
    shorts = [session(f"t{i}", f"2024-12-27 {8 + i // 2:02d}:{30 * (i % 2):02d}", 30)
              for i in range(20)]
    prog = program(long_one, *shorts)
    summary = summarize_conflicts(prog, Stars({"day", *(s.id for s in shorts)}))
    assert summary.counts["day"] == 20 and summary.pairs == 20
    assert [s.id for s in summary.others("day")] == [f"t{i}" for i in range(5)]
    assert all(summary.counts[s.id] == 1 for s in shorts)
