"""Bytes to text for every importer: size limit, binary files, encodings, clear errors.

Program files come from the internet, so nothing here trusts the file: its size is checked
before a byte is read (a 200 MB file is refused at once), only regular files are opened (a FIFO
would block forever, ``/dev/zero`` never ends), and NUL bytes anywhere refuse the file rather
than reaching a parser.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import BinaryIO

from planner.core.errors import ProgramError

# Generous: the largest real program we know (36C3, merged) is 2.3 MB.
MAX_PROGRAM_BYTES = 64 * 1024 * 1024

_ENCODINGS = "expected UTF-8, UTF-16 or UTF-32 with a byte-order mark, or Windows-1252"


def read_program_text(path: Path, limit: int = MAX_PROGRAM_BYTES) -> str:
    """The file's text; UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252."""
    shown = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ProgramError("is a folder; expected a program file", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise ProgramError("is not a regular file (a device, pipe or socket); expected a "
                               "program file", path=shown)
        _check_size(info.st_size, limit, shown)
        with path.open("rb") as handle:
            # The file may have been swapped or grown since stat(): check what we opened.
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise ProgramError("is not a regular file; expected a program file", path=shown)
            _check_size(opened.st_size, limit, shown)
            data = _read_at_most(handle, limit + 1)
    except FileNotFoundError:
        raise ProgramError("no such file", path=shown) from None
    except PermissionError:
        raise ProgramError("permission denied; cannot read the file", path=shown) from None
    except IsADirectoryError:
        raise ProgramError("is a folder; expected a program file", path=shown) from None
    except OSError as exc:
        raise ProgramError(f"cannot read the file: {exc.strerror or exc}", path=shown) from None
    if len(data) > limit:
        raise ProgramError(f"is larger than {limit / 1e6:.0f} MB; refused", path=shown)
    return decode_program_bytes(data, shown)


def _read_at_most(handle: BinaryIO, count: int) -> bytes:
    """Up to ``count`` bytes, in chunks: ``read(count)`` would allocate all of ``count`` up
    front (64 MB for every file, however small)."""
    chunks: list[bytes] = []
    total = 0
    while total < count:
        chunk = handle.read(min(1 << 20, count - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _check_size(size: int, limit: int, shown: str) -> None:
    if size > limit:
        raise ProgramError(f"is {size / 1e6:.0f} MB; programs over {limit / 1e6:.0f} MB are "
                           f"refused", path=shown)


def decode_program_bytes(data: bytes, shown: str = "") -> str:
    """Text from bytes as read from a file; every problem is a ProgramError with a line."""
    if not data.strip():
        raise ProgramError("is empty; expected a conference program", path=shown, line=1)
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode(data, "utf-32", shown)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", shown)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", shown)
    if b"\x00" in data:
        from planner.importers.recognise import recognise_binary

        if (known := recognise_binary(data)) is not None:
            raise ProgramError(known, path=shown, line=1)
        position = data.index(b"\x00")
        line = data[:position].count(b"\n") + 1
        head = data[:4096]
        if len(head) >= 8 and head.count(b"\x00") * 3 >= len(head):
            raise ProgramError("looks like UTF-16 text without a byte-order mark; save it as "
                               "UTF-8 (or UTF-16 with a BOM)", path=shown, line=line)
        raise ProgramError("is a binary file (it contains NUL bytes); expected a text program",
                           path=shown, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from planner.importers.ics_unfold import mend_split_characters

        mended = mend_split_characters(data)  # an .ics folded inside a UTF-8 character
        if mended is not None:
            return mended
        # Windows-1252 decodes almost any byte; the five undefined bytes make it refuse.
        return _decode(data, "cp1252", shown)


def _decode(data: bytes, encoding: str, shown: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProgramError(f"is not valid text (byte {exc.start}); {_ENCODINGS}", path=shown,
                           line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgramError("contains NUL characters; expected a text program", path=shown,
                           line=line)
    return text.lstrip("\ufeff")
