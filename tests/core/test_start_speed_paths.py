"""The shortcuts that keep a command's start short give the same answers as the long way."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import pytz

from planner.core import timezones
from planner.core.lazy_pattern import LazyPattern


def test_listed_zone_is_pytz_own_object() -> None:
    zone = timezones.get_zone("Australia/Brisbane")
    assert zone is pytz.timezone("Australia/Brisbane")
    assert timezones.get_zone("australia/brisbane") is zone  # case-insensitive: the long way
    assert timezones.get_zone(" Australia/Brisbane ") is zone


@pytest.mark.parametrize("name", ["zone.tab", "iso3166.tab", "America", "../etc/passwd", ""])
def test_files_that_are_not_zones_stay_unknown(name: str) -> None:
    with pytest.raises(timezones.UnknownZoneError):
        timezones.get_zone(name)


def test_opening_a_zone_does_not_check_every_zone_file() -> None:
    """pytz.timezone() opens ~600 files on its first call to fill all_timezones_set."""
    code = ("import pytz\nfrom planner.core import timezones\n"
            "opened = []\n"
            "real = pytz.open_resource\n"
            "pytz.open_resource = lambda name: opened.append(name) or real(name)\n"
            "timezones.get_zone('Europe/Vienna')\n"
            "print(len(opened))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert int(result.stdout) == 1


@pytest.mark.parametrize(("source", "flags", "text"), [
    (r"(\d+):(\d{2})", 0, "at 9:30 and 10:45"),
    (r"^end:(\w+)$", re.MULTILINE | re.IGNORECASE, "BEGIN:A\nEND:VEVENT\nend:x"),
    (r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE, "Ann, Bo AND Cy & Di"),
])
def test_lazy_pattern_matches_like_a_compiled_one(source: str, flags: int, text: str) -> None:
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)
    assert lazy.pattern == compiled.pattern
    for method in ("match", "search", "fullmatch"):
        found, expected = getattr(lazy, method)(text), getattr(compiled, method)(text)
        assert (found and found.span()) == (expected and expected.span())
    assert lazy.findall(text) == compiled.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.sub("_", text) == compiled.sub("_", text)
    assert lazy.sub(lambda m: m.group(0).upper(), text, 1) == compiled.sub(
        lambda m: m.group(0).upper(), text, 1)
    assert lazy.split(text) == compiled.split(text)
    found, expected = lazy.search(text, 3), compiled.search(text, 3)
    assert (found and found.span()) == (expected and expected.span())


def test_lazy_pattern_compiles_once_on_first_use() -> None:
    lazy = LazyPattern(r"x+")
    assert lazy._compiled is None  # nothing compiled at import
    lazy.search("axx")
    first = lazy.compiled
    lazy.sub("", "xx")
    assert lazy.compiled is first
