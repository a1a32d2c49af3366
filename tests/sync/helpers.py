"""What the sync tests share: run the CLI in-process, and compare a calendar with the agenda."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from dataclasses import dataclass

import pytest

from planner.cli import main
from planner.export.ics import event_uid
from planner.workspace import open_program
from tests.caldav_servers import PASSWORD, USER, ReadEvent, read_back

# Bundled program: ids that have a time (from `planner list`).
SESSIONS = ["poster-session-12", "workshop-on-learning-to-learn", "oral-session-12",
            "closing-remarks", "responsible-ai-rai", "ai-for-public-health"]


@dataclass
class Run:
    status: int
    out: str
    err: str


def cli(capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None) -> Run:
    """``planner ARGS`` in this process (the data dir comes from the autouse fixture)."""
    capsys.readouterr()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        status = main(list(args))
    finally:
        sys.stdin = saved
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)


def starred_agenda(capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[dt.datetime,
                                                                         dt.datetime]]:
    """UID -> (start, end) in UTC of every starred session, from ``planner list --starred``."""
    program = open_program()
    run = cli(capsys, "list", "--starred", "--json", "--tz", "UTC")
    assert run.status == 0, run.err
    agenda = {}
    for item in json.loads(run.out):
        if item["start"] is None:
            continue
        agenda[event_uid(program, item["id"])] = (dt.datetime.fromisoformat(item["start"]),
                                                  dt.datetime.fromisoformat(item["end"]))
    return agenda


def planner_events(calendar_url: str, password: str = PASSWORD) -> dict[str, ReadEvent]:
    return {uid: event for uid, event in read_back(calendar_url, USER, password).items()
            if uid.endswith("@planner")}


def assert_calendar_is_agenda(capsys: pytest.CaptureFixture[str], calendar_url: str,
                              password: str = PASSWORD) -> dict[str, ReadEvent]:
    """The calendar's planner events are exactly the starred agenda, instant by instant."""
    agenda = starred_agenda(capsys)
    events = planner_events(calendar_url, password)
    assert {uid: (e.start, e.end) for uid, e in events.items()} == agenda
    return events
