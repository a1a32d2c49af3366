"""Where and how a sync goes (the target), what it did (the report), and its error type."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from planner.core.errors import PlannerError
from planner.sync import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT  # re-exported


class SyncError(PlannerError):
    """A sync that could not be done (or finished); ``report`` says what was done before."""

    def __init__(self, message: str, report: SyncReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class SyncTarget:
    """Where to sync.

    Attributes:
        url: a calendar collection URL, or (with ``calendar_name``) the server's URL.
        user: the login name ('' for a server without authentication).
        calendar_name: find the user's calendar with this display name, create it if missing.
        timeout: seconds to wait for any one answer.
        ca_file: a certificate authority bundle for servers with their own CA.
    """

    url: str
    user: str = ""
    calendar_name: str = ""
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str = ""

    @property
    def server(self) -> str:
        """scheme://host[:port] of the URL, without any user name, for messages and keys."""
        return server_of(self.url)


@dataclass
class SyncReport:
    """What one sync did. ``conflicts`` are sentences about events left for the next sync."""

    calendar_url: str = ""
    created: int = 0
    recreated: int = 0  # deleted by the user in the calendar while still starred
    updated: int = 0
    merged: int = 0  # edited by the user and changed by the program: fields merged
    kept: int = 0  # edited by the user, program unchanged: the user's copy stays
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.created + self.recreated + self.updated + self.merged + self.deleted

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.updated} updated",
                 f"{self.deleted} deleted", f"{self.unchanged} unchanged"]
        if self.recreated:
            parts.append(f"{self.recreated} re-created (deleted in the calendar)")
        if self.merged:
            parts.append(f"{self.merged} merged with your edits")
        if self.kept:
            parts.append(f"{self.kept} kept as you edited them")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} left for the next sync")
        return ", ".join(parts)


def server_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}" if parts.scheme and host else url.split("@")[-1]


def check_url(url: str) -> None:
    """Refuse what is not an http(s) URL, and passwords written into it (they would be shown)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        _ = parts.port
    except ValueError:
        raise SyncError(f"{server_of(url)}: not a valid URL; expected "
                        f"https://host/path/to/calendar/") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"{url.split('@')[-1]!s}: not a server URL; expected "
                        f"https://host/path/to/calendar/")
    if parts.password is not None:
        raise SyncError(f"{server_of(url)}: the URL contains a password; remove it and use "
                        f"the keyring, PLANNER_CALDAV_PASSWORD or --password-stdin")


# -- connecting ------------------------------------------------------------------------------
