"""Helpers every importer shares: untrusted text made plain, clock and duration values, kinds,
and choosing a program's source zone from the evidence a file gives.

Program files come from the internet, so HTML in abstracts is *read*, never rendered: a
tokenizer keeps the text and drops tags, scripts, styles and comments, and control characters
are stripped, so nothing reaches a terminal or a widget as markup or escape codes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from planner.core import timezones
from planner.core.ids import fold_text
from planner.core.lazy_pattern import LazyPattern
from planner.core.model import SessionKind
from planner.core.text import neutralize_bidi

# C0/C1 control characters except tab and newline (and DEL): never shown to the user.
_CONTROL = LazyPattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = LazyPattern("[\ud800-\udfff]")
_MANY_NEWLINES = LazyPattern(r"\n{3,}")
_ODD_SPACES = LazyPattern(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ASCII_CONTROL = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_SPACE_RUN = LazyPattern(r"  +")
_LOOKS_LIKE_HTML = LazyPattern(r"<[A-Za-z!/]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def clean_text(text: str | None) -> str:
    """Plain text with unified newlines, no control characters, and no stray blank runs.

    Each rewrite runs only when a C-speed test says it is needed: programs carry megabytes of
    descriptions, and most of it is already clean.
    """
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_CONTROL)) != len(raw):
            text = _CONTROL.sub("", text)
    elif not text.replace("\n", "").replace("\t", "").isprintable():
        # Control characters, odd spaces (no-break, thin...) and lone surrogates are all
        # "not printable".
        # Bidi overrides and isolates are "not printable" too; planner.core.text owns them.
        text = _ODD_SPACES.sub(" ", _CONTROL.sub("", neutralize_bidi(replace_surrogates(text))))
    if "\t" in text:
        text = text.replace("\t", " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = "\n".join([line.strip(" ") for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def clean_line(text: str | None) -> str:
    """One line of plain text (titles, rooms, names): whitespace runs become one space."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text  # the common case, decided at C speed
    return " ".join(_CONTROL.sub(" ", neutralize_bidi(replace_surrogates(text))).split())


def replace_surrogates(text: str) -> str:
    """``text`` without lone surrogates (a JSON ``\\ud800`` escape makes one): they cannot be
    printed, saved or exported, so each becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "blockquote", "pre", "table", "tr",
    "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address",
})
# A tag's attributes: anything up to ">" but never past the next "<", and at most 2000 characters.
# So every attempt to match a tag ends at the next "<" and the work stays linear in the text,
# whatever it holds ("<p " repeated 30 000 times took minutes with a pattern that scanned on).
# A ">" inside a quoted attribute value ends the tag early; the rest shows as text, harmlessly.
_ATTRS = r"[^<>]{0,2000}>"
# Elements whose content is never text for a reader; an unclosed one runs to the end, as in a
# browser. Comments likewise. Each match starts where the last ended, so this is linear too.
_HIDDEN = LazyPattern(r"<!--.*?(?:-->|\Z)|<(script|style|head|title|template|noscript)\b"
                      + _ATTRS + r".*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
# One pattern per replacement, each starting with a literal "<", so the regular-expression
# engine skips ahead at C speed.
_BLOCK_TAG = LazyPattern(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b" + _ATTRS,
                         re.IGNORECASE)
_ITEM_TAG = LazyPattern(r"<li\b" + _ATTRS, re.IGNORECASE)
_BREAK_TAG = LazyPattern(r"<br\b" + _ATTRS, re.IGNORECASE)
_CELL_TAG = LazyPattern(r"<(?:td|th)\b" + _ATTRS, re.IGNORECASE)
_ANY_TAG = LazyPattern(r"</?[A-Za-z][A-Za-z0-9:-]*" + _ATTRS + r"|<[!?]" + _ATTRS)
_HIDDEN_HINT = LazyPattern(r"<!--|<(?:script|style|head|title|template|noscript)\b",
                           re.IGNORECASE)


def html_to_text(text: str | None) -> str:
    """The readable text of a (possibly HTML) description; plain text passes through.

    Text without tags or entities is kept as written (its newlines are meaningful, e.g.
    Markdown from pretalx). Anything that looks like HTML is tokenized: tags are dropped (block
    tags become line breaks), scripts, styles and comments vanish, entities are decoded. The
    result is only ever shown as plain text, never rendered, so no markup survives as markup.
    """
    if not text:
        return ""
    if ("<" not in text and "&" not in text) or not _LOOKS_LIKE_HTML.search(text):
        return clean_text(text)
    import html

    flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if _HIDDEN_HINT.search(flat):
        flat = _HIDDEN.sub(" ", flat)
    if "<" in flat:
        flat = _BLOCK_TAG.sub("\n\n", flat)
        flat = _ITEM_TAG.sub("\n• ", flat)
        flat = _BREAK_TAG.sub("\n", flat)
        flat = _CELL_TAG.sub(" ", flat)
        flat = _ANY_TAG.sub("", flat)
    if "&" in flat:
        flat = html.unescape(flat)
    return clean_text(flat)


# -- clock values and durations -----------------------------------------------------------------
_CLOCK = LazyPattern(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_HMS_DURATION = LazyPattern(r"^\s*(?:(\d+)[d:. ]\s*)??(\d{1,3}):(\d{2})(?::(\d{2}))?\s*$")
_ISO_DURATION = LazyPattern(
    r"^\s*(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$",
    re.IGNORECASE)
_MINUTES = LazyPattern(r"^\s*(\d{1,4})\s*(?:min|mins|minutes|m)?\s*$", re.IGNORECASE)

# Longer than any conference session; bigger values are typos or hostile.
MAX_DURATION = dt.timedelta(days=31)


def parse_clock(text: str | None) -> dt.time | None:
    """``"09:30"``, ``"9:30"`` or ``"09:30:00"`` as a time of day; None when absent or bad."""
    if not text:
        return None
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


@functools.lru_cache(maxsize=512)
def parse_duration(text: str | None) -> dt.timedelta | None:
    """frab durations (``"01:30"``, ``"1:30:00"``, ``"1d 02:00"``), ISO 8601 (``"PT1H30M"``)
    or plain minutes (``"90"``); None when absent. Raises ValueError on a bad value."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    match = _HMS_DURATION.match(value)
    if match:
        days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
        if minutes > 59 or seconds > 59:
            raise ValueError(f"{value!r} is not a duration (minutes or seconds over 59)")
        result = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    elif (iso := _ISO_DURATION.match(value)) and any(iso.groups()[1:]):
        sign, *amounts = iso.groups()
        if any(part and len(part.split(".")[0]) > 7 for part in amounts):
            raise ValueError(f"{value!r} is an impractically long duration")
        weeks_text, days_text, hours_text, minutes_text, seconds_text = amounts
        result = dt.timedelta(weeks=int(weeks_text or 0), days=int(days_text or 0),
                              hours=int(hours_text or 0), minutes=int(minutes_text or 0),
                              seconds=float(seconds_text or 0))
        if sign:
            raise ValueError(f"{value!r} is a negative duration")
    elif minutes_match := _MINUTES.match(value):
        result = dt.timedelta(minutes=int(minutes_match[1]))
    else:
        raise ValueError(f"{value!r} is not a duration; expected hh:mm or ISO 8601 like PT1H30M")
    if result > MAX_DURATION:
        raise ValueError(f"{value!r} is longer than {MAX_DURATION.days} days")
    return result


def parse_iso_datetime(text: str) -> dt.datetime:
    """An ISO 8601 date-time, aware when it carries an offset (``Z`` included), else naive.

    Raises ValueError with the text when it is not one.
    """
    value = text.strip()
    if value.endswith(("z", "Z")):
        value = value[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not an ISO 8601 date-time "
                         f"(expected e.g. 2020-02-01T09:30:00+01:00)") from None


def parse_iso_date(text: str) -> dt.date:
    """``2020-02-01`` (a date-time is cut to its date). Raises ValueError when it is neither."""
    value = text.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected e.g. 2020-02-01)") from None


# -- kinds -------------------------------------------------------------------------------------
# Words in a free-form event type, checked in this order (the first hit wins).
_KIND_WORDS: tuple[tuple[SessionKind, tuple[str, ...]], ...] = (
    (SessionKind.INVITED_TALK, ("keynote", "invited")),
    (SessionKind.POSTER, ("poster",)),
    (SessionKind.WORKSHOP, ("workshop", "hands on", "handson", "tutorial", "lab", "hackathon",
                            "bootcamp", "werkstatt")),
    (SessionKind.REMARKS, ("ceremony", "opening", "closing", "welcome", "remarks")),
    (SessionKind.SOCIAL, ("concert", "dj", "djset", "party", "social", "music", "gathering",
                          "meetup", "reception", "dinner", "lunch", "breakfast", "game",
                          "screening", "movie", "performance", "live podcast")),
    (SessionKind.TALK, ("lecture", "talk", "talks", "vortrag", "devroom", "maintrack",
                        "lightningtalk", "lightning", "presentation", "slot", "track",
                        "session", "kurzvortrag")),
)


@functools.lru_cache(maxsize=1024)
def kind_from_type(text: str | None, default: SessionKind = SessionKind.TALK) -> SessionKind:
    """The kind a free-form event type names (``lecture`` -> TALK, ``hands-on`` -> WORKSHOP).

    An empty type gives ``default`` (frab's own default type is a lecture); a type that names
    nothing we know gives OTHER, never an error.
    """
    if not text or not text.strip():
        return default
    exact = SessionKind.parse(text)
    if exact is not SessionKind.OTHER or fold_text(text) == "other":
        return exact
    words = fold_text(text).split()
    joined = " ".join(words)
    for kind, keys in _KIND_WORDS:
        for key in keys:
            if " " in key:
                if key in joined:
                    return kind
            elif key in words:
                return kind
    return SessionKind.OTHER


# -- the source zone ----------------------------------------------------------------------------
# Conference series held in one city every year, for files that name neither zone nor city.
# FOSDEM 2021 (online) published Brussels times without saying so.
KNOWN_SERIES_ZONES: dict[str, str] = {
    "fosdem": "Europe/Brussels",
}


# Longer than any IANA, Windows or vendor zone name (the longest real ones are about 60).
MAX_ZONE_NAME = 100


@dataclass
class ZoneChoice:
    """The program's source zone and how we know it."""

    name: str
    guessed: bool
    evidence: str
    warnings: list[str] = field(default_factory=list)


def zone_for_city(city: str) -> str | None:
    """The IANA zone named after a city (``Brussels`` -> Europe/Brussels), if exactly one."""
    if len(city) > MAX_ZONE_NAME:
        return None
    words = fold_text(city).split()
    if not words or len(" ".join(words)) < 3:
        return None
    wanted = "_".join(words)
    hits = [name for name in timezones.all_zone_names()
            if "/" in name and name.rsplit("/", 1)[-1].lower() == wanted
            and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))]
    if not hits:
        return None
    # Prefer the canonical name (Europe/Kyiv over a legacy link) when the city has several.
    canonical = [name for name, _label in timezones.search_zones(" ".join(words))
                 if name in hits]
    return (canonical or hits)[0]


def fixed_offset_zone(offset: dt.timedelta) -> str | None:
    """The IANA ``Etc/GMT±h`` name for a whole-hour offset (note the inverted sign)."""
    seconds = int(offset.total_seconds())
    if seconds % 3600:
        return None
    hours = seconds // 3600
    if hours == 0:
        return "UTC"
    name = f"Etc/GMT{-hours:+d}"
    return name if timezones.is_zone_name(name) else None


def choose_zone(*, requested: str | None = None,
                declared: Iterable[tuple[str, str]] = (),
                offsets: Counter[dt.timedelta] | None = None,
                sample: dt.datetime | None = None,
                city: str = "", title: str = "",
                only_utc: bool = False) -> ZoneChoice:
    """Pick the source zone from the strongest evidence a file gives.

    Args:
        requested: the zone the user asked for (``--source-tz``); always wins.
        declared: (zone name, where it was found) pairs the file states, strongest first.
        offsets: UTC offsets seen on explicit date-times, with their counts.
        sample: one instant of the program, to check a city's zone against the offsets.
        city: the conference city, when the file names one.
        title: the conference title, for series held in one place every year.
        only_utc: every time in the file is UTC and nothing names a zone.
    """
    warnings: list[str] = []
    if requested:
        return ZoneChoice(timezones.zone_name(timezones.get_zone(requested)), False,
                          "chosen by the user")
    for name, where in declared:
        if not name or not name.strip():
            continue
        if len(name) > MAX_ZONE_NAME:  # no zone is named like this; spare the fuzzy search
            warnings.append(f"{where} names an unknown time zone ({name[:40]!r}…)")
            continue
        try:
            zone = timezones.get_zone(name)
        except timezones.UnknownZoneError as exc:
            warnings.append(f"{where} names an unknown time zone: {exc}")
            continue
        return ZoneChoice(timezones.zone_name(zone), False, f"{where}: {name.strip()}", warnings)

    common_offset = offsets.most_common(1)[0][0] if offsets else None
    candidates: list[tuple[str, str]] = []
    if city.strip():
        by_city = zone_for_city(city)
        if by_city:
            candidates.append((by_city, f"the conference city {clean_line(city)!r}"))
    series = fold_text(title).split()
    for word in series[:3]:
        if word in KNOWN_SERIES_ZONES:
            candidates.append((KNOWN_SERIES_ZONES[word],
                               f"{clean_line(title)!r} (this series is held in "
                               f"{KNOWN_SERIES_ZONES[word].split('/')[-1]})"))
    for name, where in candidates:
        if common_offset is not None and sample is not None:
            try:
                local = timezones.to_zone(sample, timezones.get_zone(name))
            except (OverflowError, ValueError):
                continue
            if local.utcoffset() != common_offset:
                continue
        note = (f"The file names no time zone; its times are read as {name}, guessed from "
                f"{where}. Change the program's zone if that is wrong.")
        return ZoneChoice(name, True, f"guessed from {where}", [*warnings, note])
    if common_offset is not None:
        name = fixed_offset_zone(common_offset) or "UTC"
        shown = timezones.format_offset(common_offset)
        note = (f"The file names no time zone; its times carry the offset {shown}, so the "
                f"program's zone is {name}. Choose the real zone (e.g. Europe/Berlin) to see "
                f"program times with its daylight-saving rules.")
        return ZoneChoice(name, True, f"offset {shown} on the file's date-times",
                          [*warnings, note])
    if only_utc:
        note = ("The file gives every time in UTC and names no time zone; the program's zone "
                "is set to UTC. Times are exact; choose the conference's zone to see its "
                "local clock.")
        return ZoneChoice("UTC", True, "all times are UTC", [*warnings, note])
    note = ("The file names no time zone and gives times without an offset; they are read as "
            "UTC. Choose the conference's real zone: every such time will move with it.")
    return ZoneChoice("UTC", True, "no evidence; UTC assumed", [*warnings, note])


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, max(0, offset)) + 1


def line_of(text: str, pattern: str, start: int = 0) -> int | None:
    """Line of the first match of a regular expression, for pointing messages at the source."""
    match = re.compile(pattern).search(text, start)
    return line_of_offset(text, match.start()) if match else None


MAX_URL = 2048  # longer is no link anyone clicks, and keeps the checks below cheap
_WHITESPACE_OR_CONTROL = LazyPattern("[\\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PLAIN_WEB_URL = LazyPattern(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s\\<>\"]*)?\Z",
                             re.IGNORECASE)
_BARE_DOMAIN = LazyPattern(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:[/:?#]\S*)?$",
                           re.IGNORECASE)


def web_link(href: str | None, base_url: str = "") -> str:
    """An absolute http(s) URL for a link from a program file, or "" when it is none.

    Relative paths are resolved against the schedule's base URL; bare domains
    (``www.example.org``) get ``https://``; anything else (``javascript:``, ``file:``, free
    text) is dropped, so the app never offers to open it.
    """
    value = (href or "").strip()
    if not value or len(value) > MAX_URL or _WHITESPACE_OR_CONTROL.search(value):
        return ""
    if _PLAIN_WEB_URL.match(value):
        return value
    lowered = value.lower()
    if lowered.startswith(("http://", "https://")):
        result = value
    elif value.startswith("//"):
        result = "https:" + value
    elif value.startswith(("/", "./", "../")) and base_url.lower().startswith(("http://",
                                                                              "https://")):
        result = urljoin(base_url, value)
    elif _BARE_DOMAIN.match(value):
        result = "https://" + value
    else:
        return ""
    try:
        parts = urlsplit(result)
    except ValueError:
        return ""
    return result if parts.scheme in ("http", "https") and parts.netloc else ""


class IdAllocator:
    """Stable, distinct ids for the items of one file.

    :func:`planner.core.ids.unique_id` appends a hash of the item's content when its base id is
    taken. Items with identical content (a hostile file can repeat one event thousands of
    times) are told apart by how many times that content came before, so each new id costs one
    hash instead of a search through every earlier copy.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._repeats: Counter[tuple[str, str]] = Counter()
        self.duplicates = 0

    def allocate(self, base: str, content: str) -> str:
        from planner.core.ids import unique_id

        if base not in self.taken:
            self.taken.add(base)
            return base
        self.duplicates += 1
        repeat = self._repeats[(base, content)]
        self._repeats[(base, content)] += 1
        chosen = unique_id(base, self.taken, content if not repeat else f"{content}#{repeat}")
        self.taken.add(chosen)
        return chosen
