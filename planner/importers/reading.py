"""Bytes to text for every importer: size limit, binary files, encodings, clear errors.

Program files come from the internet, so nothing here trusts the file: its size is checked
before a byte is read (a 200 MB file is refused at once), only regular files are opened (a FIFO
would block forever, ``/dev/zero`` never ends), and NUL bytes anywhere refuse the file rather
than reaching a parser. :func:`read_user_file` is the one reader of every file a user names
(programs, paper catalogs, sidecar metadata, .ics files with stars).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from planner.core.errors import ProgramError

# Generous: the largest real program we know (36C3, merged) is 2.3 MB.
MAX_PROGRAM_BYTES = 64 * 1024 * 1024

_ENCODINGS = "expected UTF-8, UTF-16 or UTF-32 with a byte-order mark, or Windows-1252"


def read_program_text(path: Path, limit: int = MAX_PROGRAM_BYTES) -> str:
    """The file's text; UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252."""
    data = read_user_file(path, "a program file", limit, plural="programs")
    return decode_program_bytes(data, str(path))


def read_user_file(path: Path, expected: str, limit: int, plural: str = "files") -> bytes:
    """The bytes of a file the user named: the one way planner reads such files.

    Programs, paper catalogs, sidecar metadata, .ics files with stars: each may be a FIFO
    (opening it for reading blocks until a writer comes), ``/dev/zero`` (never ends), a folder
    or far too large. Only regular files are read, the size is checked before the first byte
    and again on what was opened, and the read stops at ``limit`` whatever the file claims.
    The open never blocks (``O_NONBLOCK``: a FIFO swapped in after the check is refused too).

    Args:
        path: the file as the user named it (symbolic links are followed).
        expected: what the file should be, for messages ("a paper catalog").
        limit: the most bytes accepted.
        plural: the kind of file in the size message ("programs over 64 MB are refused").

    Raises:
        ProgramError: naming the file and what was expected.
    """
    shown = str(path)
    with _as_program_errors(shown, expected):
        regular_file_info(path, expected, limit, plural)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | \
            getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
        with open(descriptor, "rb", closefd=True) as handle:
            # The file may have been swapped or grown since stat(): check what we opened.
            opened = os.fstat(handle.fileno())
            _check_kind(opened.st_mode, expected, shown)
            _check_size(opened.st_size, limit, shown, plural)
            data = _read_at_most(handle, limit + 1)
    if len(data) > limit:
        raise ProgramError(f"is larger than {_megabytes(limit)} MB; refused", path=shown)
    return data


def regular_file_info(path: Path, expected: str, limit: int,
                      plural: str = "files") -> os.stat_result:
    """``stat()`` of a regular file within ``limit``, or the reader's ProgramError; for
    callers that cache by size and modification time before reading."""
    shown = str(path)
    with _as_program_errors(shown, expected):
        info = path.stat()
        _check_kind(info.st_mode, expected, shown)
        _check_size(info.st_size, limit, shown, plural)
    return info


@contextlib.contextmanager
def _as_program_errors(shown: str, expected: str) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError:
        raise ProgramError(f"no such file; expected {expected}", path=shown) from None
    except PermissionError:
        raise ProgramError("permission denied; cannot read the file", path=shown) from None
    except IsADirectoryError:
        raise ProgramError(f"is a folder; expected {expected}", path=shown) from None
    except OSError as exc:
        raise ProgramError(f"cannot read the file: {exc.strerror or exc}", path=shown) from None
    except ValueError as exc:  # a NUL byte in the name, and the like
        raise ProgramError(f"cannot read the file: {exc}", path=shown) from None


def _check_kind(mode: int, expected: str, shown: str) -> None:
    if stat.S_ISDIR(mode):
        raise ProgramError(f"is a folder; expected {expected}", path=shown)
    if not stat.S_ISREG(mode):
        raise ProgramError(f"is not a regular file (a device, pipe or socket); expected "
                           f"{expected}", path=shown)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.0f}" if size >= 1e6 else f"{size / 1e6:.2g}"


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


def _check_size(size: int, limit: int, shown: str, plural: str = "programs") -> None:
    if size > limit:
        raise ProgramError(f"is {_megabytes(size)} MB; {plural} over {_megabytes(limit)} MB "
                           f"are refused", path=shown)


def decode_program_bytes(data: bytes, shown: str = "",
                         expected: str = "a conference program") -> str:
    """Text from bytes as read from a file; every problem is a ProgramError with a line
    (``expected`` names what an empty file should have held)."""
    if not data.strip():
        raise ProgramError(f"is empty; expected {expected}", path=shown, line=1)
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
