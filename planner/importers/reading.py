"""Bytes to text for every importer: size limit, binary files, encodings, clear errors."""

from __future__ import annotations

import codecs
from pathlib import Path

from planner.core.errors import ProgramError

# Generous: the largest real program we know (36C3, merged) is 2.3 MB.
MAX_PROGRAM_BYTES = 64 * 1024 * 1024


def read_program_text(path: Path, limit: int = MAX_PROGRAM_BYTES) -> str:
    """The file's text; UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    shown = str(path)
    try:
        if path.is_dir():
            raise ProgramError("is a folder; expected a program file", path=shown)
        size = path.stat().st_size
        if size > limit:
            raise ProgramError(f"is {size / 1e6:.0f} MB; programs over {limit / 1e6:.0f} MB are "
                               f"refused", path=shown)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ProgramError("no such file", path=shown) from None
    except PermissionError:
        raise ProgramError("permission denied; cannot read the file", path=shown) from None
    except OSError as exc:
        raise ProgramError(f"cannot read the file: {exc.strerror}", path=shown) from None
    if len(data) > limit:
        raise ProgramError(f"is larger than {limit / 1e6:.0f} MB; refused", path=shown)
    return decode_program_bytes(data, shown)


def decode_program_bytes(data: bytes, shown: str = "") -> str:
    if not data.strip():
        raise ProgramError("is empty; expected a conference program", path=shown, line=1)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", shown)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", shown)
    if b"\x00" in data[:4096]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ProgramError("is a binary file (it contains NUL bytes); expected a text program",
                           path=shown, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 decodes almost any byte; the five undefined bytes make it refuse.
        return _decode(data, "cp1252", shown)


def _decode(data: bytes, encoding: str, shown: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProgramError(f"is not valid text (byte {exc.start}); expected UTF-8, UTF-16 with "
                           f"a byte-order mark, or Windows-1252", path=shown, line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgramError("contains NUL characters; expected a text program", path=shown,
                           line=line)
    return text.lstrip("\ufeff")
