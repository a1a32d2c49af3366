"""Program text made safe and short for calendar fields.

Titles and abstracts come from web pages and can hold anything: control characters (which
iCalendar forbids and some parsers choke on), stray carriage returns, lone surrogates that
cannot even be encoded as UTF-8. Escaping ``;``, ``,``, ``\\`` and line breaks is *not* done
here: that is icalendar's job when it writes the file.
"""

from __future__ import annotations

import re

from planner.core.text import grapheme_prefix, neutralize_bidi

ELLIPSIS = "…"

# C0 and C1 controls, DEL, the two non-characters and U+FEFF (a byte-order mark, invisible,
# which readers strip when it starts a value) go; tab becomes a space; the Unicode line
# and paragraph separators (and NEL) become a plain line break so they are escaped like one.
_TABLE: dict[int, str | None] = {code: None for code in range(0x20)}
_TABLE.update({code: None for code in range(0x7F, 0xA0)})
_TABLE.update({0x09: " ", 0x0A: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n",
               0xFEFF: None, 0xFFFE: None, 0xFFFF: None})
_SURROGATES = re.compile("[\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_export_text(text: str) -> str:
    """``text`` without control characters, with line breaks normalized to ``\\n``.

    Line breaks are kept (a description may have paragraphs); trailing spaces on each line and
    runs of more than one empty line are dropped.
    """
    if text.isprintable():  # the common case: nothing to do, and fast
        return text.strip()
    text = neutralize_bidi(text)  # a title must not be able to disguise itself
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
    text = _SURROGATES.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def one_line(text: str) -> str:
    """Clean text on a single line (for SUMMARY, LOCATION): every run of spaces is one space."""
    if text.isprintable() and "  " not in text:
        return text.strip()
    return " ".join(clean_export_text(text).split())


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near, and
    never inside a letter (a grapheme cluster: a base and its accents, an emoji sequence)."""
    if len(text) <= limit:
        return text
    cut = grapheme_prefix(text, max(limit - 1, 0))
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" \n,;:.-–—") + ELLIPSIS
