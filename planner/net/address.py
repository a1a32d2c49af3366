"""Telling a web address from a file path, without importing the downloader (sockets, TLS):
every command that opens a PROGRAM asks, most of them about a file."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: object) -> bool:
    """True for text that looks like a web address (any scheme://), not a file path."""
    return isinstance(text, str) and _SCHEME.match(text) is not None
