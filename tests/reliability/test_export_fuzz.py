"""Nothing in a program can inject into an exported .ics: the exporter is fed fuzzed programs
(from the importers, and built directly with hostile text) and its output is read back with
vobject, an independent parser. Every event must come back exactly once, with the text and
the instants that were planned, and nothing else may appear."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import time
from collections import Counter
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from planner.core import timezones
from planner.core.errors import PlannerError
from planner.core.model import Link, Paper, Program, Session, SessionKind
from planner.core.stars import Stars
from tests.reliability.conftest import record
from tools import fuzz_importers
from tools.fuzz_importers import Seed

pytestmark = pytest.mark.skipif(importlib.util.find_spec("planner.export.ics") is None,
                                reason="the .ics exporter has not landed")
vobject = pytest.importorskip("vobject")

EXAMPLES = int(os.environ.get("PLANNER_FUZZ_EXAMPLES", "1000")) // 4
ZONES = ["UTC", "Europe/Vienna", "Asia/Kathmandu", "Pacific/Apia", "America/New_York",
         "Australia/Adelaide"]
INJECTIONS = [
    "Talk\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:INJECTED\r\nX-INJECTED:1",
    "Talk\nEND:VCALENDAR\nBEGIN:VCALENDAR\nX-INJECTED:1",
    "A;B,C\\D:E\"F", "\x00\x1b[31m\x07\x08\x7f\x85\x9b", "\u2028\u2029\r\r\n",
    "ATTACH:file:///etc/passwd", " continued\r\n line", "\ufeffBOM", "\U0001f600" * 40,
    "e\u0301" * 100, "x" * 5000, "", " ",
]  # no lone surrogates: importers must not make them (see test_fuzz_importers.JSON_SURROGATE)


def _export(program: Program, rng: Random) -> tuple[Any, str]:
    """Export with random options; (result, "") or (None, clear error)."""
    from planner.export.ics import ExportError, ExportOptions, Scope, export_ics

    items = [item_id for item_id, _ in program.iter_items()]
    stars = Stars(set(rng.sample(items, rng.randint(0, len(items)))) if items else set())
    scope = rng.choice([Scope.ALL, Scope.STARRED])
    options = ExportOptions(scope=scope, zone=rng.choice(ZONES),
                            alarm_minutes=rng.choice([None, 0, 10]),
                            paper_events=rng.random() < 0.3, split=rng.random() < 0.2,
                            stamp=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    try:
        return export_ics(program, stars, options), ""
    except ExportError as error:
        return None, str(error)


def _instant(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value
    return value


def _read_calendars(text: str) -> list[Any]:
    """vobject's calendars in ``text``, each time zone taken from this file's VTIMEZONE.

    vobject keeps one process-wide TZID -> zone map and reuses the first zone it saw under a
    TZID (or pytz's); cleared here, so each export is read by its own VTIMEZONE alone.
    """
    import vobject.icalendar as vobject_icalendar

    registry = vobject_icalendar.__dict__["__tzidMap"]
    registry.clear()
    vobject_icalendar.registerTzid("UTC", vobject_icalendar.utc)
    return list(vobject.readComponents(text))


def _same(read: Any, planned: str) -> bool:
    """Text read back equals the planned text (vobject drops U+FEFF, a zero-width space)."""
    return isinstance(read, str) and read.replace("\ufeff", "") == planned.replace("\ufeff", "")


def check_export(result: Any) -> str:
    """Read the calendar back with vobject; "" when it holds exactly what was planned."""
    text = result.data.decode("utf-8")
    for line in text.split("\r\n"):
        if line and not (":" in line or ";" in line or line.startswith((" ", "\t"))):
            return f"a line that is no content line: {line[:80]!r}"
    try:
        calendars = _read_calendars(text)
    except Exception as exc:  # vobject raises many types; any means unreadable
        return f"vobject cannot read the export: {type(exc).__name__}: {exc}"
    if len(calendars) != 1:
        return f"{len(calendars)} VCALENDARs"
    calendar = calendars[0]
    events = list(getattr(calendar, "vevent_list", []))
    if len(events) != len(result.events):
        return f"{len(events)} VEVENTs read back, {len(result.events)} planned"
    allowed_calendar = {"PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME",
                        "X-WR-TIMEZONE", "VTIMEZONE", "VEVENT", "NAME", "REFRESH-INTERVAL",
                        "X-PUBLISHED-TTL", "SOURCE", "COLOR"}
    extra = {child.name for child in calendar.getChildren()} - allowed_calendar
    if extra:
        return f"unexpected calendar properties {sorted(extra)}"
    planned = {event.uid: event for event in result.events}
    for event in events:
        names = {child.name for child in event.getChildren()}
        if "X-INJECTED" in names or "ATTACH" in names:
            return "an injected property came through"
        uid = event.uid.value
        if uid not in planned:
            return f"unknown UID {uid!r}"
        plan = planned.pop(uid)
        if not _same(event.summary.value, plan.summary):
            return f"SUMMARY {event.summary.value!r} != planned {plan.summary!r}"
        if plan.description and not _same(event.description.value, plan.description):
            return "DESCRIPTION differs from what was planned"
        if plan.location and not _same(event.location.value, plan.location):
            return "LOCATION differs from what was planned"
        start = event.dtstart.value
        if plan.dates is not None:
            if start != plan.dates[0]:
                return f"DTSTART {start} != planned date {plan.dates[0]}"
        elif _instant(start) != _instant(plan.start):
            return f"DTSTART {start!r} is not the planned instant {plan.start!r}"
        elif _instant(event.dtend.value) != _instant(plan.end):
            return f"DTEND {event.dtend.value!r} is not the planned instant {plan.end!r}"
    if planned:
        return f"UIDs missing: {sorted(planned)[:3]}"
    for name, data in result.files.items():
        if "/" in name or "\\" in name or name.startswith(".") or not name:
            return f"unsafe file name {name!r}"
        try:
            single = _read_calendars(data.decode("utf-8"))
        except Exception as exc:  # as above
            return f"split file {name!r} unreadable: {exc}"
        if len(single) != 1 or len(list(getattr(single[0], "vevent_list", []))) != 1:
            return f"split file {name!r} does not hold exactly one event"
    return ""


def _run(program: Program, rng: Random, counts: Counter[str]) -> None:
    try:
        result, error = _export(program, rng)
    except PlannerError as exc:  # e.g. an unknown zone: a clear error is fine
        counts["clear error"] += 1
        assert str(exc)
        return
    if result is None:
        counts["nothing to export"] += 1
        assert error
        return
    problem = check_export(result)
    assert not problem, problem
    counts["exports checked"] += 1
    counts["events checked"] += len(result.events)


def test_exports_of_fuzzed_programs_read_back_exactly(seeds: list[Seed]) -> None:
    """Programs the importers made from mutated real files, exported and read back."""
    everything = [seed.data for seed in seeds]
    landed = [seed for seed in seeds
              if importlib.util.find_spec(fuzz_importers.FORMATS[seed.format]) is not None]
    counts: Counter[str] = Counter()
    started = time.monotonic()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(seed=st.sampled_from(landed), rng=st.randoms(use_true_random=False))
    def fuzz(seed: Seed, rng: Random) -> None:
        data = fuzz_importers.mutate(seed.data, rng, everything)
        outcome = fuzz_importers.run_input(seed.format, data, timeout=5.0)
        if outcome.kind != "program":
            counts["not a program"] += 1
            return
        assert isinstance(outcome.program, Program)
        with fuzz_importers.time_limit(10.0):
            _run(outcome.program, rng, counts)

    try:
        fuzz()
    finally:
        record("export fuzz: fuzzed programs", f"{dict(counts)} in "
               f"{time.monotonic() - started:.0f} s")
    assert counts["exports checked"] > 0


_hostile_text = st.one_of(st.sampled_from(INJECTIONS),
                          st.text(st.characters(codec="utf-8"), max_size=60),
                          st.text(alphabet=st.sampled_from(list("\r\n:;,\\\" \tA\x00é")),
                                  max_size=30))


@st.composite
def hostile_programs(draw: Any) -> Program:
    """Programs built from the model with hostile text everywhere a file can put text."""
    zone_name = draw(st.sampled_from(ZONES))
    zone = timezones.get_zone(zone_name)
    sessions = []
    papers: dict[str, Paper] = {}
    for number in range(draw(st.integers(1, 4))):
        start = None
        end = None
        if draw(st.booleans()) or number == 0:
            base = dt.datetime(2024, 3, 31, 0, 0) + dt.timedelta(
                minutes=draw(st.integers(0, 60 * 24 * 3)))
            start = timezones.localize(base, zone)
            end = start + dt.timedelta(minutes=draw(st.integers(0, 60 * 30)))
        paper_ids = []
        for paper_number in range(draw(st.integers(0, 2))):
            paper_id = f"p{number}-{paper_number}"
            papers[paper_id] = Paper(id=paper_id, title=draw(_hostile_text),
                                     abstract=draw(_hostile_text), link=draw(_hostile_text))
            paper_ids.append(paper_id)
        sessions.append(Session(
            id=f"s{number}-{draw(st.text('abc-_./:;', max_size=6))}",
            kind=draw(st.sampled_from(list(SessionKind))), title=draw(_hostile_text),
            start=start, end=end, location=draw(_hostile_text), room=draw(_hostile_text),
            track=draw(_hostile_text), speakers=[draw(_hostile_text)],
            links=[Link(draw(st.sampled_from(["https://example.org/a", "javascript:x",
                                             "http://x/\r\nX-INJECTED:1"])))],
            description=draw(_hostile_text), paper_ids=paper_ids))
    return Program(name=draw(_hostile_text), source_zone=zone_name, sessions=sessions,
                   papers=papers, key=draw(st.sampled_from(["conf", "/home/u/x.xml", "a\r\nb"])))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(program=hostile_programs(), rng=st.randoms(use_true_random=False))
def test_exports_of_hostile_programs_read_back_exactly(program: Program, rng: Random) -> None:
    counts: Counter[str] = Counter()
    with fuzz_importers.time_limit(10.0):
        _run(program, rng, counts)


def test_injection_in_every_field_stays_text() -> None:
    """The classic: a title that tries to end the event and start another."""
    from planner.export.ics import ExportOptions, Scope, export_ics

    zone = timezones.get_zone("Europe/Vienna")
    start = timezones.localize(dt.datetime(2021, 5, 7, 2, 0), zone)
    payload = INJECTIONS[0]
    program = Program(name=payload, source_zone="Europe/Vienna", key="conf", sessions=[
        Session(id="s1", kind=SessionKind.TALK, title=payload, start=start,
                end=start + dt.timedelta(hours=1), location=payload, description=payload,
                speakers=[payload], links=[Link("https://example.org/\r\nX-INJECTED:1")])])
    result = export_ics(program, Stars({"s1"}), ExportOptions(scope=Scope.ALL,
                                                               zone="Europe/Vienna"))
    assert check_export(result) == ""
    assert b"\r\nX-INJECTED" not in result.data and b"\r\nUID:evil" not in result.data
    record("export: injection payload", "stays inside SUMMARY/DESCRIPTION/LOCATION; vobject "
           "reads back 1 event")
