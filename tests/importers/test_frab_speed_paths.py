"""What the frab import's speed work (issue 11) must not change."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from planner.core import timezones as tz
from planner.core.errors import ProgramError
from planner.core.model import Program, Session, SessionKind
from planner.importers import ImportOptions, frab_xml
from planner.importers.supported_dates import unschedule_unsupported

SCHEDULE = """<schedule><conference><title>T</title><time_zone_name>Europe/Vienna
</time_zone_name></conference><day date="2021-05-07"><room name="A">
<event id="1"><start>10:00</start><duration>00:30</duration><title>One</title></event>
<event id="2"><start>10:00</start><duration>00:30</duration><title>Two</title></event>
</room></day></schedule>"""


def test_shared_instants_are_checked_once_each_and_every_session_gets_the_answer() -> None:
    good = tz.localize(dt.datetime(2021, 5, 7, 10), tz.get_zone("Europe/Vienna"))
    bad = dt.datetime(2300, 1, 1, tzinfo=tz.UTC)
    sessions = [Session(id=f"s{index}", kind=SessionKind.TALK, title=f"S{index}",
                        start=good, end=bad if index % 2 else good) for index in range(6)]
    prog = Program(name="P", source_zone="Europe/Vienna", sessions=sessions)
    assert unschedule_unsupported(prog) == 3
    assert [s.start is None for s in prog.sessions] == [False, True] * 3
    assert all(s.start is good for s in prog.sessions[::2])
    assert "'S1' and 2 more: dated outside" in prog.warnings[0]


def test_sessions_at_the_same_time_share_one_start_object_and_the_right_times() -> None:
    prog = frab_xml.parse(SCHEDULE, ImportOptions())
    one, two = prog.sessions
    assert one.start == two.start == tz.localize(dt.datetime(2021, 5, 7, 10),
                                                 tz.get_zone("Europe/Vienna"))
    assert (one.source_line, two.source_line) == (3, 4)


@pytest.mark.parametrize("enabled", [True, False])
def test_parsing_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        frab_xml.parse(SCHEDULE, ImportOptions())
        assert gc.isenabled() is enabled
        with pytest.raises(ProgramError):
            frab_xml.parse("<schedule><day>", ImportOptions())
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
