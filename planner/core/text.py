"""What a title may look like on screen and in a calendar: the one owner of two rules.

* **No hidden reordering.** Bidi embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069) let a title display as something other than what it is ("Keynote" that
  reads backwards, a file name whose extension is disguised). They are removed wherever a
  program's text enters planner (importers) and again where it leaves (export), so neither the
  list, the window nor a calendar app ever receives one. The implicit marks LRM, RLM and ALM
  stay: they only nudge neutral characters, and Arabic and Hebrew titles use them.
* **Cut between letters, never inside one.** A limit of N characters is applied on extended
  grapheme cluster boundaries (UAX #29, via the ``regex`` module's ``\\X``), so a letter keeps
  its combining accents, an emoji its skin tone or its ZWJ sequence, a flag both halves.
"""

from __future__ import annotations

import functools
from typing import Any

# Explicit directional formatting characters (Unicode Bidirectional Algorithm, UAX #9 §2).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REMOVE_BIDI: dict[int, None] = {ord(ch): None for ch in BIDI_CONTROLS}


def neutralize_bidi(text: str) -> str:
    """``text`` without bidi embedding/override/isolate controls (the marks are kept)."""
    if text.isascii() or BIDI_CONTROLS.isdisjoint(text):
        return text
    return text.translate(_REMOVE_BIDI)


@functools.cache
def _grapheme_pattern() -> Any:
    import regex  # lazy: only a long title needs it

    return regex.compile(r"\X", regex.DOTALL)


def grapheme_prefix(text: str, limit: int) -> str:
    """The longest prefix of ``text`` of at most ``limit`` characters that ends on a grapheme
    boundary (so never between a letter and its combining marks)."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    if text[: limit + 1].isascii():
        return text[:limit]  # ASCII: every character is its own grapheme (except CR LF)
    end = 0
    for cluster in _grapheme_pattern().finditer(text, 0, min(len(text), limit + 64)):
        if cluster.end() > limit:
            break
        end = cluster.end()
    if end:
        return text[:end]
    # No boundary within the limit. A real letter (a base and a few marks, an emoji sequence)
    # is dropped whole; only an absurd one (a base with hundreds of combining marks) is cut
    # inside, as the only way to honour the limit.
    first = _grapheme_pattern().match(text, 0, min(len(text), 64))
    return "" if first is not None and first.end() < 64 else text[:limit]


def plural(count: int, word: str) -> str:
    """``1 session``, ``2 sessions``, ``1,204 sessions``: counts as the window shows them."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def escape_html(text: str) -> str:
    """``text`` safe inside HTML (quotes too) for the details, the timeline's labels and the
    printed agenda. ``html`` is imported on first use: it loads an entity table of 2,000 names
    that a window's first paint does not need."""
    from html import escape

    return escape(text, quote=True)
