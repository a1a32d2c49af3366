"""Zone abbreviations written in program text ("09:30–10:30 EDT"), as evidence for a zone.

An abbreviation names an offset, not a zone (IST is India, Ireland or Israel), so it only
ever gives a *guess*, shown as one; each maps to the zone most conferences writing it mean, and
the guess is kept only when it agrees with the offsets the files' exact times carry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from planner.core import timezones

ABBREVIATION_ZONES: dict[str, str] = {
    "EDT": "America/New_York", "EST": "America/New_York", "ET": "America/New_York",
    "CDT": "America/Chicago", "CST": "America/Chicago", "CT": "America/Chicago",
    "MDT": "America/Denver", "MST": "America/Denver",
    "PDT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "BST": "Europe/London", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "IST": "Asia/Kolkata", "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong", "JST": "Asia/Tokyo", "KST": "Asia/Seoul",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide", "AWST": "Australia/Perth", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland", "UTC": "UTC", "GMT": "UTC",
}

# An abbreviation right after a clock time ("10:30 EDT", "10:30 a.m. PT") or in parentheses.
_AFTER_CLOCK = re.compile(r"\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?\s*)?\(?([A-Z]{2,4})\b")
_IN_PARENS = re.compile(r"\(([A-Z]{2,4})\)")
_ALL_TIMES = re.compile(r"\ball times (?:are )?(?:in )?([A-Z]{2,4})\b", re.IGNORECASE)


def count_zone_words(texts: Iterable[str]) -> Counter[str]:
    """How often each known abbreviation follows a clock time in ``texts``."""
    found: Counter[str] = Counter()
    for text in texts:
        if not text or len(text) > 100_000:
            continue
        for pattern in (_AFTER_CLOCK, _IN_PARENS, _ALL_TIMES):
            for match in pattern.finditer(text):
                word = match[1].upper()
                if word in ABBREVIATION_ZONES:
                    found[word] += 1
    return found


def zone_from_words(words: Counter[str], samples: Iterable[dt.datetime]) -> tuple[str, str] | None:
    """(IANA zone, the abbreviation) for the most common word whose zone agrees with every
    exact sample instant's offset on that date, or None."""
    checked = list(samples)[:200]
    for word, _count in words.most_common():
        zone_name = ABBREVIATION_ZONES[word]
        zone = timezones.get_zone(zone_name)
        if all(_agrees(sample, zone) for sample in checked):
            return zone_name, word
    return None


def _agrees(sample: dt.datetime, zone: dt.tzinfo) -> bool:
    """The sample's own offset is the zone's (a UTC sample carries no local evidence)."""
    offset = sample.utcoffset()
    if offset is None or offset == dt.timedelta(0):
        return True
    try:
        return timezones.to_zone(sample, zone).utcoffset() == offset
    except (OverflowError, ValueError):
        return False
