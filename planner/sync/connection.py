"""Reaching a CalDAV calendar: the client, finding or creating the calendar, listing the
user's calendars, and every failure told in one line naming the server (never the password)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from planner.sync.target import SyncError, SyncReport, SyncTarget, check_url


def _client(target: SyncTarget, password: str) -> Any:
    from caldav.davclient import DAVClient

    check_url(target.url)
    timeout: Any = target.timeout  # niquests takes float seconds; caldav's hint says int
    client = DAVClient(
        url=target.url.strip(), username=target.user or None, password=password or None,
        timeout=timeout, ssl_verify_cert=target.ca_file or True, enable_rfc6764=False)
    # A sync lists every event of the calendar (UIDs included) before it creates any, so the
    # UID search caldav would add before each If-None-Match PUT was done once already: one
    # REPORT per sync instead of one per new event. If-None-Match: * still guards the URL.
    features: Any = client.features
    if features is not None and features.is_supported("save.if-none-match"):
        features.set_feature("save.no-uid-conflict", "full")
    return client


def open_calendar(target: SyncTarget, password: str) -> Any:
    """The caldav Calendar to sync into, checked to be a calendar that holds events.

    Raises:
        SyncError: one line naming the server and what to fix.
    """
    with _explained(target, password, "opening the calendar"):
        client = _client(target, password)
        if target.calendar_name:
            return _named_calendar(client, target)
        calendar = client.calendar(url=target.url.strip())
        _check_is_event_calendar(calendar, target)
        return calendar


def list_calendars(target: SyncTarget, password: str) -> list[tuple[str, str]]:
    """(display name, URL) of the user's calendars that hold events (for the dialog)."""
    with _explained(target, password, "listing the calendars"):
        client = _client(target, password)
        found = []
        for calendar in client.principal().calendars():
            props = _props(calendar)
            if _supports_events(props):
                name = props.get("{DAV:}displayname") or _last_segment(str(calendar.url))
                found.append((str(name), str(calendar.url)))
        return found


def _props(calendar: Any) -> dict[str, Any]:
    from caldav.elements import cdav, dav

    props: dict[str, Any] = calendar.get_properties(
        [dav.ResourceType(), cdav.SupportedCalendarComponentSet(), dav.DisplayName()])
    return props


def _supports_events(props: dict[str, Any]) -> bool:
    components = props.get("{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set")
    return components is None or "VEVENT" in components  # absent: all kinds (RFC 4791)


def _check_is_event_calendar(calendar: Any, target: SyncTarget) -> None:
    props = _props(calendar)
    kinds = props.get("{DAV:}resourcetype") or []
    if "{urn:ietf:params:xml:ns:caldav}calendar" not in kinds:
        raise SyncError(f"{target.server}: {_path(target.url)} is not a CalDAV calendar; give "
                        f"a calendar's URL, or the server's URL with --calendar NAME")
    if not _supports_events(props):
        raise SyncError(f"{target.server}: the calendar {_path(target.url)} holds only "
                        f"tasks or notes, not events; choose a calendar for events (or a new "
                        f"one with --calendar NAME)")


def _named_calendar(client: Any, target: SyncTarget) -> Any:
    principal = client.principal()
    wanted = target.calendar_name.strip()
    for calendar in principal.calendars():
        props = _props(calendar)
        name = props.get("{DAV:}displayname") or _last_segment(str(calendar.url))
        if wanted in (str(name), _last_segment(str(calendar.url))):
            if not _supports_events(props):
                raise SyncError(f"{target.server}: the calendar {wanted!r} holds only tasks "
                                f"or notes, not events; choose another name")
            return calendar
    return principal.make_calendar(name=wanted, supported_calendar_component_set=["VEVENT"])


def _last_segment(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path or "/"


# -- errors told in one line -----------------------------------------------------------------
class _explained:
    """Turn library and network errors into one SyncError line (no traceback, no password)."""

    def __init__(self, target: SyncTarget, password: str, doing: str,
                 report: SyncReport | None = None) -> None:
        self.target = target
        self.password = password
        self.doing = doing
        self.report = report

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if exc is None or isinstance(exc, SyncError) or not isinstance(exc, Exception):
            return
        message = explain(exc, self.target, self.doing)
        if self.report is not None and self.report.changes:
            message += f" (before that: {self.report.summary()}; sync again to finish)"
        if self.password:
            message = message.replace(self.password, "***")
        raise SyncError(message, self.report) from None


def explain(exc: Exception, target: SyncTarget, doing: str = "syncing") -> str:
    """One line naming the server and what to fix, for any error of a sync."""
    from caldav.lib import error

    server = target.server
    status = getattr(exc, "status", None)
    if isinstance(exc, error.DAVError) and status is None:
        status = _status_in(str(getattr(exc, "reason", "")))
    if status == 401:
        who = f"user {target.user!r}" if target.user else "a login without a user name"
        return (f"{server}: the server refused the login for {who} (401 Unauthorized); check "
                f"the user name and the password (many providers need an app password: "
                f"docs/sync.md)")
    if status == 403:
        return (f"{server}: the server forbids this (403 Forbidden) at {_path(target.url)}; "
                f"the user may not write to that calendar: choose one of your own")
    if status == 404 or isinstance(exc, error.NotFoundError):
        return (f"{server}: no calendar at {_path(target.url)} (404 Not Found); check the "
                f"calendar's URL, or give the server's URL with --calendar NAME")
    if status == 507:
        return (f"{server}: the server has no room left (507 Insufficient Storage) while "
                f"{doing}; free space or quota on the server, then sync again")
    if status == 412:
        return (f"{server}: an event changed on the server while {doing} (412 Precondition "
                f"Failed); sync again")
    if isinstance(status, int) and status >= 400:
        return f"{server}: the server answered {status} while {doing}; check the URL"
    network = _network_problem(exc, target)
    if network:
        return network
    if isinstance(exc, error.DAVError):
        return (f"{server}: {_path(target.url)} does not answer as a CalDAV server while "
                f"{doing}; check the URL (it must name a CalDAV calendar or server)")
    if isinstance(exc, ValueError | KeyError | AttributeError | TypeError | LookupError):
        return (f"{server}: the answer is not what a CalDAV server sends while {doing}; check "
                f"that the URL names a CalDAV calendar")
    return f"{server}: {doing} failed: {type(exc).__name__}"


def _status_in(reason: str) -> int | None:
    head = reason.strip().split(" ", 1)[0]
    return int(head) if head.isdigit() and len(head) == 3 else None


def _network_problem(exc: Exception, target: SyncTarget) -> str:
    server = target.server
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    names = " ".join(type(item).__name__ for item in chain)
    text = " ".join(str(item) for item in chain).lower()
    if "SSL" in names or "certificate" in text or "ssl" in text or "tls" in text:
        return (f"{server}: TLS failed (the server's certificate is not trusted or the "
                f"connection is not TLS); check the URL's scheme, or pass the server's CA with "
                f"--ca-file")
    if "Timeout" in names or "timed out" in text:
        return (f"{server}: no answer within {target.timeout:g} s; check that the server is up, "
                f"or allow more time with --timeout")
    if "Connection" in names or "refused" in text or "resolve" in text or "Name" in names:
        return (f"{server}: cannot connect (the server is down or the address is wrong); "
                f"check the URL and try again")
    if "InvalidURL" in names or "MissingSchema" in names or "InvalidSchema" in names:
        return f"{server}: not a valid URL; expected https://host/path/to/calendar/"
    return ""
