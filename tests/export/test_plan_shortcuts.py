"""The export plan's shortcuts (issue 11) give what the full work gives."""

from __future__ import annotations

import urllib.parse

from hypothesis import example, given
from hypothesis import strategies as st

from planner.core.model import Link, SessionKind
from planner.core.stars import Stars
from planner.export.ics import ExportOptions, Scope, export_ics, plan_events
from planner.export.plan import _web_url
from planner.export.text import clean_export_text
from tests.factories import program, session

_SAFE = ":/?#[]@!$&'()*+,;=%~"
_URL_CHARS = st.text(alphabet=st.sampled_from(
    [*"abcXYZ019_.-~:/?#[]@!$&'()*+,;=% \t\n\\\"<>é€\x00\x7f\u202e", "\U0001f600"]),
    max_size=40)


def _web_url_in_full(url: str) -> str:
    """What _web_url did for every URL before plain ones were returned as they are."""
    cleaned = clean_export_text(url)
    if not cleaned.lower().startswith(("http://", "https://")):
        return ""
    return urllib.parse.quote(cleaned, safe=_SAFE)


@given(scheme=st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "", " https://"]),
       rest=_URL_CHARS)
@example(scheme="https://", rest="example.org/a?b=c&d=%20#x")
@example(scheme="https://", rest="example.org/a b")
@example(scheme="http://", rest="example.org/\u202eevil")
def test_plain_urls_come_out_as_the_full_cleaning_and_quoting_gives(scheme: str,
                                                                    rest: str) -> None:
    url = scheme + rest
    assert _web_url(url) == _web_url_in_full(url)


def _sessions() -> list[object]:
    return [session(f"talk-{index}", f"2021-05-07 {10 + index}:00", kind=SessionKind.TALK,
                    links=[Link(f"https://example.org/t/{index}")]) for index in range(3)]


def test_file_names_are_made_only_for_split() -> None:
    prog = program(*_sessions())  # type: ignore[arg-type]
    plain = ExportOptions(scope=Scope.ALL, zone="Europe/Vienna")
    events, _ = plan_events(prog, Stars(), plain)
    assert [event.file_name for event in events] == ["", "", ""]
    assert export_ics(prog, Stars(), plain).files == {}
    split = ExportOptions(scope=Scope.ALL, zone="Europe/Vienna", split=True)
    events, _ = plan_events(prog, Stars(), split)
    assert [event.file_name for event in events] == [
        "2021-05-07-talk-0.ics", "2021-05-07-talk-1.ics", "2021-05-07-talk-2.ics"]
    assert sorted(export_ics(prog, Stars(), split).files) == [
        event.file_name for event in events]
    # Everything else in the plan is the same either way.
    assert [event.uid for event in events] == [
        event.uid for event in plan_events(prog, Stars(), plain)[0]]
