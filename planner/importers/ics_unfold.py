"""iCalendar lines folded inside a UTF-8 character, made decodable without moving a line.

RFC 5545 folds content lines at 75 *octets*, so a producer may split a multi-byte character
between a line and its continuation (``…\\xc3`` CRLF SPACE ``\\xa9…``); decoded line by line the
file is not UTF-8. Unfolding must happen before decoding: here the partial character's leading
bytes move to just after the fold's whitespace, so every character is whole, the unfolded
text is the same, and every line keeps its number for error messages.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r?\n[ \t])([\x80-\xbf]{1,3})")


def mend_split_characters(data: bytes) -> str | None:
    """The text of an iCalendar file whose only UTF-8 errors are folds inside characters;
    None for anything else (the caller then tries other encodings)."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n")[:6].upper().startswith(b"BEGIN:"):
        return None
    mended = _SPLIT.sub(rb"\2\1\3", data)
    if mended == data:
        return None
    try:
        return mended.decode("utf-8")
    except UnicodeDecodeError:
        return None
