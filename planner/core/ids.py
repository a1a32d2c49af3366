"""Stable, content-derived ids: the same program opened again gives the same ids."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# ASCII text: upper case to lower, letters and digits kept, anything else a space.
_ASCII_FOLD = bytes(
    c + 32 if 0x41 <= c <= 0x5A else c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20
    for c in range(128)) + b" " * 128


def fold_text(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, for comparing text loosely."""
    if text.isascii():  # NFKD changes no ASCII character: a table lookup per byte
        return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NON_WORD.split(ascii_text)).strip()


def slug(text: str, max_length: int = 48) -> str:
    """``Poster Session 12`` -> ``poster-session-12``; clipped at a word boundary."""
    words = fold_text(text).split()
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > max_length:
            break
        result = candidate
    return result or (words[0][:max_length] if words else "item")


def short_hash(*parts: str, length: int = 10) -> str:
    import hashlib  # here: loading OpenSSL costs every start ~5 ms, most never hash

    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def unique_id(base: str, taken: set[str], disambiguator: str) -> str:
    """``base`` if free, else ``base`` plus a hash of ``disambiguator`` (never a counter,
    which would shift when an earlier item is added or removed)."""
    if base not in taken:
        return base
    candidate = f"{base}-{short_hash(disambiguator, length=6)}"
    counter = 2
    while candidate in taken:
        candidate = f"{base}-{short_hash(disambiguator, str(counter), length=6)}"
        counter += 1
    return candidate
