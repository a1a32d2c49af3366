"""Keep the agenda in a CalDAV calendar: create, update and delete planner's own events only.

One sync:

1. list the calendar's events (one REPORT, with their ETags);
2. for every event of the agenda (:mod:`planner.export.objects`) decide, from the server's
   copy and what planner last wrote there (:mod:`planner.sync.state`):

   * not on the server: PUT with ``If-None-Match: *`` (created; or re-created when the user
     deleted it in the calendar while it is still starred);
   * on the server as planner last wrote it: PUT with ``If-Match`` when the content changed
     (SEQUENCE + 1, new LAST-MODIFIED and DTSTAMP), else nothing;
   * changed on the server since (the user edited it, or planner wrote it and was killed before
     recording it): if it still carries the content planner means now, it is kept as it is;
     otherwise the program's fields are merged into the user's copy (their alarms and other
     properties stay) and it is PUT with ``If-Match`` on the ETag just read;

3. delete (``If-Match``) the events planner wrote for this program that left the agenda.

Every accepted write is recorded at once, so a sync cut short (server gone, killed process)
is finished by the next one without duplicates: UIDs are stable, and an object carries
X-PLANNER-PROGRAM and X-PLANNER-HASH so planner recognises its own writes that it never
recorded. Events without planner's UID form and marker are never touched.

Errors are one line naming the server and what to fix (:func:`explain`); the password never
appears in them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from planner.core.errors import PlannerError
from planner.core.model import Program
from planner.core.stars import Stars
from planner.export.ics import UID_DOMAIN, ExportOptions
from planner.export.objects import (
    AgendaObject,
    agenda_objects,
    merge_into_server_copy,
    planner_fields,
    program_marker,
    stamped,
)
from planner.sync.state import SyncedEvent, SyncState

if TYPE_CHECKING:
    from icalendar import Calendar

DEFAULT_TIMEOUT = 30.0
Progress = Callable[[int, int], None]  # (done, total)


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


# -- syncing --------------------------------------------------------------------------------
@dataclass
class _ServerCopy:
    url: str
    etag: str
    calendar: Calendar
    marker: str
    content_hash: str
    sequence: int
    resource: Any


def sync_agenda(program: Program, stars: Stars, options: ExportOptions, target: SyncTarget,
                password: str, state: SyncState, progress: Progress | None = None,
                now: Callable[[], dt.datetime] | None = None) -> SyncReport:
    """Make planner's events in the calendar exactly the agenda; see the module docstring.

    Raises:
        SyncError: the server refused or went away; ``error.report`` counts what was done
            (and recorded) before. Stars are never touched.
    """
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    objects, warnings = agenda_objects(program, stars, options)
    try:
        calendar = open_calendar(target, password)
    except SyncError as error:
        state.finish(target.url, False, str(error))
        raise
    calendar_url = str(calendar.url)
    report = SyncReport(calendar_url=calendar_url, warnings=list(warnings))
    marker = program_marker(program)
    try:
        with _explained(target, password, "syncing", report):
            # Records are per calendar and program: two conferences can share a calendar.
            state_key = f"{calendar_url}#{marker}"
            records = state.events(state_key)
            server = _server_copies(calendar)
            wanted = {obj.uid for obj in objects}
            stale = [uid for uid, copy in server.items()
                     if uid not in wanted and (copy.marker == marker or uid in records)
                     and uid.endswith("@" + UID_DOMAIN)]
            total = len(objects) + len(stale)
            done = 0
            for obj in objects:
                _sync_one(calendar, obj, server.get(obj.uid), records.get(obj.uid), marker,
                          clock(), state, state_key, report)
                done += 1
                if progress is not None:
                    progress(done, total)
            for uid in stale:
                _delete_one(server[uid], uid, state, state_key, report)
                done += 1
                if progress is not None:
                    progress(done, total)
            for uid in set(records) - wanted - set(server):
                state.forget(state_key, uid)  # gone from both: nothing left to do
    except SyncError as error:
        state.finish(calendar_url, False, str(error))
        raise
    finally:
        _close(calendar)
    state.finish(calendar_url, not report.conflicts, report.summary())
    return report


def _close(calendar: Any) -> None:
    """Close the client's HTTP connections, also after an error (no socket left open)."""
    client = getattr(calendar, "client", None)
    with contextlib.suppress(Exception):
        if client is not None:
            client.close()


def _server_copies(calendar: Any) -> dict[str, _ServerCopy]:
    """UID -> the server's copy of every event in the calendar (one REPORT)."""
    from icalendar import Calendar

    copies: dict[str, _ServerCopy] = {}
    for resource in calendar.search(event=True):
        try:
            parsed = Calendar.from_ical(resource.data)
        except Exception:  # another client's broken object: not ours, leave it alone
            continue
        uid, marker, content_hash, sequence = planner_fields(parsed)
        if uid:
            copies[uid] = _ServerCopy(str(resource.url), str(resource.etag or ""), parsed,
                                      marker, content_hash, sequence, resource)
    return copies


def _object_url(calendar: Any, uid: str) -> Any:
    name = urllib.parse.quote(uid.split("@", 1)[0], safe="") + ".ics"
    return calendar.url.join(name)


def _sync_one(calendar: Any, obj: AgendaObject, copy: _ServerCopy | None,
              record: SyncedEvent | None, marker: str, now: dt.datetime, state: SyncState,
              calendar_url: str, report: SyncReport) -> None:
    from caldav.calendarobjectresource import Event
    from caldav.lib import error

    if copy is None:
        sequence = record.sequence + 1 if record is not None else 0
        url = record.href if record is not None else _object_url(calendar, obj.uid)
        resource = Event(calendar.client, url=url, parent=calendar,
                         data=stamped(obj, marker, sequence, now).to_ical().decode("utf-8"))
        try:
            resource.save(no_overwrite=True, increase_seqno=False)
        except error.ConsistencyError:
            report.conflicts.append(f"{obj.summary}: created in the calendar by someone else "
                                    f"during this sync; the next sync settles it")
            return
        _record(state, calendar_url, obj, resource, sequence)
        if record is not None:
            report.recreated += 1
        else:
            report.created += 1
        return
    if record is not None and record.etag == copy.etag and copy.etag:
        if record.content_hash == obj.content_hash:
            report.unchanged += 1
            return
        sequence = max(record.sequence, copy.sequence) + 1
        if record.edited:  # the user's edits of an earlier sync stay
            payload = merge_into_server_copy(obj, copy.calendar, marker, sequence, now)
        else:
            payload = stamped(obj, marker, sequence, now)
        kind = "merged" if record.edited else "updated"
    elif copy.content_hash == obj.content_hash:
        # Edited by the user (or written by a sync killed before it recorded): the server's
        # copy already says what the program says; it stays as it is.
        state.record(calendar_url, SyncedEvent(obj.uid, copy.url, copy.etag, obj.content_hash,
                                               copy.sequence, edited=record is not None))
        if record is not None:
            report.kept += 1
        else:
            report.unchanged += 1
        return
    else:
        sequence = max(record.sequence if record else 0, copy.sequence) + 1
        payload = merge_into_server_copy(obj, copy.calendar, marker, sequence, now)
        kind = "merged" if record is not None else "updated"
    resource = copy.resource
    resource.data = payload.to_ical().decode("utf-8")
    resource.props["{DAV:}getetag"] = copy.etag
    try:
        resource.save(increase_seqno=False, precondition="etag")
    except (error.ETagMismatchError, error.ScheduleTagMismatchError):
        report.conflicts.append(f"{obj.summary}: changed in the calendar during this sync; "
                                f"the next sync settles it")
        return
    _record(state, calendar_url, obj, resource, sequence, edited=kind == "merged")
    if kind == "merged":
        report.merged += 1
    else:
        report.updated += 1


def _record(state: SyncState, calendar_url: str, obj: AgendaObject, resource: Any,
            sequence: int, edited: bool = False) -> None:
    state.record(calendar_url, SyncedEvent(obj.uid, str(resource.url), str(resource.etag or ""),
                                           obj.content_hash, sequence, edited))


def _delete_one(copy: _ServerCopy, uid: str, state: SyncState, calendar_url: str,
                report: SyncReport) -> None:
    from caldav.lib import error

    try:
        if copy.etag and not copy.etag.startswith("W/"):
            copy.resource.delete(if_match=copy.etag)
        else:
            copy.resource.delete()
    except error.NotFoundError:
        pass  # already gone
    except (error.ETagMismatchError, error.ScheduleTagMismatchError):
        report.conflicts.append(f"{uid}: changed in the calendar during this sync; the next "
                                f"sync removes it")
        return
    except error.DeleteError as exc:
        if getattr(exc, "status", None) != 412:
            raise
        report.conflicts.append(f"{uid}: changed in the calendar during this sync; the next "
                                f"sync removes it")
        return
    state.forget(calendar_url, uid)
    report.deleted += 1


# -- errors ------------------------------------------------------------------------------------
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
