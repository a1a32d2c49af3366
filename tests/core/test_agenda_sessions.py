"""The agenda (starred sessions and those holding a starred paper) is found from the stars,
not by asking every session: it must give what asking every session gives."""

from __future__ import annotations

import random

from planner.core.model import Paper, Program
from planner.core.stars import Stars
from tests.factories import session


def every_session_asked(program: Program, stars: Stars) -> list[str]:
    return [s.id for s in program.sessions
            if s.id in stars.ids or any(pid in stars.ids for pid in s.paper_ids)]


def test_the_agenda_from_the_stars_is_the_agenda_from_every_session() -> None:
    rng = random.Random(11)
    papers = [Paper(f"p{i}", f"Paper {i}") for i in range(30)]
    sessions = [session(f"s{i}", f"2021-05-07 {8 + i % 10:02d}:00",
                        papers=rng.sample([p.id for p in papers] + ["p-gone"], 3))
                for i in range(20)]
    program = Program(name="Agenda", source_zone="Europe/Vienna", sessions=sessions,
                      papers={p.id: p for p in papers}, key="agenda")
    items = [s.id for s in sessions] + [p.id for p in papers] + ["p-gone", "elsewhere"]
    for _ in range(300):
        stars = Stars(set(rng.sample(items, rng.randint(0, 8))))
        assert [s.id for s in stars.agenda_sessions(program)] == \
            every_session_asked(program, stars), stars.ids
