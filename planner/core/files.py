"""Writing a user's file: whole or not at all, and only over what is a plain file.

Every writer in planner (export, split export, the window's export dialog) goes through
:func:`write_atomically`, so these rules hold in one place:

* **Whole or not at all.** The data goes to a temporary file in the target's folder, is
  flushed to disk, and is renamed over the target; the folder is synced after the rename.
* **Only regular files are replaced.** A FIFO, a device node, a socket or a folder at the
  target is refused: renaming over ``/dev/sdb`` or a FIFO someone reads would silently turn it
  into a regular file.
* **A symlink is followed**: the file it points to is replaced (the link stays a link).
* **The existing file's mode is kept** (a 600 file stays 600); a new file gets the umask's mode.
* **Hard links**: a rename gives the name a new inode, so the file's other names keep the old
  content. We keep the atomic rename (a half-written calendar is worse than a stale second
  name) and say so: the outcome lists a note the caller shows the user.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.errors import PlannerError

MAX_SYMLINK_HOPS = 40  # as the kernel's ELOOP limit


class FileWriteError(PlannerError):
    """The target cannot or must not be written; the message names it and says why."""


@dataclass(frozen=True)
class WriteOutcome:
    """Where the data went (the symlink's target, if any) and what the user should know."""

    written: Path
    notes: list[str] = field(default_factory=list)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "not a regular file"


def resolve_target(target: Path) -> Path:
    """The path that will be written: ``target`` with every symlink followed (even dangling)."""
    current = Path(os.path.abspath(target))
    for _ in range(MAX_SYMLINK_HOPS):
        try:
            info = current.lstat()
        except FileNotFoundError:
            return current
        except OSError as exc:
            raise FileWriteError(f"cannot write {target}: {exc.strerror or exc}") from None
        if not stat.S_ISLNK(info.st_mode):
            return current
        link = Path(os.readlink(current))
        current = Path(os.path.abspath(current.parent / link))
    raise FileWriteError(f"cannot write {target}: too many levels of symbolic links")


def write_atomically(target: Path, data: bytes) -> WriteOutcome:
    """Replace the regular file at ``target`` (or its symlink's target) with ``data``.

    Raises:
        FileWriteError: the target is not a regular file, or the disk refused the write.
    """
    resolved = resolve_target(target)
    shown = str(target) if resolved == Path(os.path.abspath(target)) else \
        f"{target} (a link to {resolved})"
    notes: list[str] = []
    mode: int | None = None
    owner: tuple[int, int] | None = None
    try:
        info = resolved.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileWriteError(f"cannot write {shown}: {exc.strerror or exc}") from None
    if info is not None:
        kind = _kind(info.st_mode)
        if kind is not None:
            hint = "; give a file name" if kind == "a folder" else "; planner writes only " \
                "regular files"
            raise FileWriteError(f"cannot write {shown}: it is {kind}{hint}")
        mode = stat.S_IMODE(info.st_mode)
        owner = (info.st_uid, info.st_gid)
        if info.st_nlink > 1:
            notes.append(f"{shown} had {info.st_nlink} hard links: it was replaced as a new "
                         f"file (so it is never half-written), and its other "
                         f"{info.st_nlink - 1} name(s) still hold the previous content")
    _replace(resolved, data, mode, owner, shown)
    return WriteOutcome(resolved, notes)


def _replace(resolved: Path, data: bytes, mode: int | None, owner: tuple[int, int] | None,
             shown: str) -> None:
    folder = resolved.parent
    temporary = folder / f".{resolved.name}.{secrets.token_hex(4)}.tmp"
    try:
        # A new file: 0o666 lets the umask decide, as for any new file. Replacing one: start
        # private and take the old file's mode before a byte is written.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                         0o666 if mode is None else 0o600)
        try:
            with os.fdopen(handle, "wb") as stream:
                if owner is not None and os.geteuid() == 0:  # root keeps the owner too
                    with contextlib.suppress(OSError):
                        os.fchown(stream.fileno(), *owner)
                if mode is not None:  # after fchown, which clears set-id bits
                    os.fchmod(stream.fileno(), mode)
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, resolved)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _sync_folder(folder)
    except FileWriteError:
        raise
    except OSError as exc:
        raise FileWriteError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
