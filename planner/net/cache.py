"""Offline copies of downloaded programs, in the user data folder (``programs/`` in it).

One folder per address (named by a hash of it) holds the last good download and ``copy.json``,
which names that body file and what the server said about it (ETag, Last-Modified, max-age) and
when. A new download is written to a new body file first, then ``copy.json`` is replaced
atomically (temp file, fsync, rename), and only then is the old body removed: a crash or SIGKILL
at any moment leaves ``copy.json`` naming a complete, parsed body.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from planner.storage.paths import data_dir

CACHE_FOLDER = "programs"
META_NAME = "copy.json"


@dataclass(frozen=True)
class CopyInfo:
    """What we know about one offline copy. Instants are ISO 8601 UTC strings."""

    url: str
    body_name: str
    sha256: str
    size: int
    fetched_at: str  # when this body was downloaded
    checked_at: str  # when the server last confirmed it (200 or 304)
    etag: str = ""
    last_modified: str = ""
    max_age: int | None = None
    content_type: str = ""
    final_url: str = ""

    @property
    def fetched(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.fetched_at)

    @property
    def checked(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.checked_at)

    def fresh_at(self, now: dt.datetime) -> bool:
        """True while the server's max-age says the copy needs no new request."""
        if not self.max_age:
            return False
        return now < self.checked + dt.timedelta(seconds=self.max_age)


@dataclass(frozen=True)
class OfflineCopy:
    """An offline copy on disk: its body file and what we know about it."""

    path: Path
    info: CopyInfo


class ProgramCache:
    """The offline copies under ``folder`` (default: ``programs/`` in the data folder)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir() / CACHE_FOLDER

    def folder_for(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
        return self.folder / digest

    def get(self, url: str) -> OfflineCopy | None:
        """The copy of ``url``, or None when there is none (or its record is unreadable)."""
        where = self.folder_for(url)
        try:
            raw = json.loads((where / META_NAME).read_text(encoding="utf-8"))
            info = CopyInfo(**raw)
        except (OSError, ValueError, TypeError):
            return None
        body = where / info.body_name
        if info.url != url or not body.is_file() or Path(info.body_name).name != info.body_name:
            return None
        return OfflineCopy(body, info)

    def save(self, url: str, body: bytes, now: dt.datetime, *, etag: str = "",
             last_modified: str = "", max_age: int | None = None, content_type: str = "",
             final_url: str = "", suffix: str = ".txt") -> OfflineCopy:
        """Keep ``body`` (already parsed by the caller) as the copy of ``url``, atomically."""
        where = self.folder_for(url)
        where.mkdir(parents=True, exist_ok=True)
        previous = self.get(url)
        digest = hashlib.sha256(body).hexdigest()
        name = f"body-{digest[:16]}{suffix}"
        if not (where / name).is_file() or (where / name).stat().st_size != len(body):
            _atomic_write(where / name, body)
        stamp = now.astimezone(dt.UTC).isoformat(timespec="seconds")
        info = CopyInfo(url=url, body_name=name, sha256=digest, size=len(body),
                        fetched_at=stamp, checked_at=stamp, etag=etag,
                        last_modified=last_modified, max_age=max_age,
                        content_type=content_type, final_url=final_url or url)
        self._write_info(where, info)
        if previous is not None and previous.path.name != name:
            with contextlib.suppress(OSError):
                previous.path.unlink()
        self._sweep(where, keep=name)
        return OfflineCopy(where / name, info)

    def confirm(self, copy: OfflineCopy, now: dt.datetime, *, etag: str = "",
                last_modified: str = "", max_age: int | None = None) -> OfflineCopy:
        """The server said 304: the copy is current as of ``now`` (new validators if sent)."""
        old = copy.info
        info = CopyInfo(**{**asdict(old),
                           "checked_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
                           "etag": etag or old.etag,
                           "last_modified": last_modified or old.last_modified,
                           "max_age": max_age if max_age is not None else old.max_age})
        self._write_info(copy.path.parent, info)
        return OfflineCopy(copy.path, info)

    def _write_info(self, where: Path, info: CopyInfo) -> None:
        data = json.dumps(asdict(info), indent=1, ensure_ascii=False).encode("utf-8")
        _atomic_write(where / META_NAME, data)

    @staticmethod
    def _sweep(where: Path, keep: str) -> None:
        """Remove bodies and temp files a crash left behind (never the one in use)."""
        for entry in where.iterdir():
            stale_body = entry.name.startswith("body-") and entry.name != keep
            if stale_body or entry.name.startswith(".tmp-"):
                with contextlib.suppress(OSError):
                    entry.unlink()


def _atomic_write(target: Path, data: bytes) -> None:
    """Write to a temp file beside ``target``, fsync, rename over it, fsync the folder."""
    handle, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    with contextlib.suppress(OSError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def describe_age(moment: dt.datetime, now: dt.datetime) -> str:
    """``just now``, ``12 min ago``, ``3 h ago``, ``2 days ago``."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
