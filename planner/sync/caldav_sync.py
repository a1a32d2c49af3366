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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from planner.sync.connection import _explained, explain, list_calendars, open_calendar
from planner.sync.state import SyncedEvent, SyncState
from planner.sync.target import (
    DEFAULT_TIMEOUT,
    SyncError,
    SyncReport,
    SyncTarget,
    check_url,
    server_of,
)

if TYPE_CHECKING:
    from icalendar import Calendar

__all__ = ["DEFAULT_TIMEOUT", "SyncError", "SyncReport", "SyncTarget", "check_url", "explain",
           "list_calendars", "open_calendar", "server_of", "sync_agenda"]

Progress = Callable[[int, int], None]  # (done, total)


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
