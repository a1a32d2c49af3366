"""Refresh a program from its address: one use case for ``planner refresh``, ``planner list URL``
and the window's worker thread.

The order is what keeps the user's data safe: download (conditionally, with the copy's ETag and
Last-Modified), refuse an HTML page, decode and *parse* the new body, and only then replace the
offline copy (atomically, :mod:`planner.net.cache`) and move the stars (``carry_stars``). Any
failure on the way leaves the last good copy, which is then what the user sees, with one line
saying why and how old it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from planner.core import timezones
from planner.core.carry import StarStore, carry_stars
from planner.core.changes import ChangeReport, build_report
from planner.core.errors import PlannerError, ProgramError
from planner.core.model import Program
from planner.core.update import plan_update
from planner.importers import ImportOptions, parse_text
from planner.net.cache import CACHE_FOLDER, OfflineCopy, ProgramCache, describe_age
from planner.net.fetch import (
    DEFAULT_LIMITS,
    FailureKind,
    FetchError,
    FetchLimits,
    Validators,
    check_url,
    fetch,
)

Clock = Callable[[], dt.datetime]

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_SUFFIXES = {"frab-xml": ".xml", "frab-json": ".json", "ics": ".ics"}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RefreshStars(StarStore, Protocol):
    """The store as a refresh uses it: the starred ids before, then the stars moved."""

    def starred(self, program_key: str) -> set[str]: ...


@dataclass
class RefreshOutcome:
    """What a refresh did.

    Attributes:
        status: ``downloaded`` (a new version replaced the copy), ``unchanged`` (304, or the same
            bytes again), ``fresh`` (the server's max-age said no request was needed) or
            ``failed`` (``error`` says why; ``program`` is the last good copy, if any).
        previous: the version the copy held before, when a new one replaced it.
        report: what changed for the user's stars (with ``previous``).
    """

    url: str
    status: str
    program: Program | None
    copy: OfflineCopy | None
    error: PlannerError | None = None
    previous: Program | None = None
    report: ChangeReport | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def age(self, now: dt.datetime) -> str:
        return describe_age(self.copy.info.fetched, now) if self.copy else ""

    def notice(self, now: dt.datetime) -> str:
        """One line for the user ("" when a download just succeeded and nothing is to say)."""
        if self.error is not None:
            if self.copy is None:
                return f"{self.error}; no offline copy yet"
            return (f"{self.error}; showing the offline copy downloaded {self.age(now)} "
                    f"(last checked {describe_age(self.copy.info.checked, now)})")
        if self.status == "fresh" and self.copy is not None:
            return (f"{self.url}: offline copy from {self.age(now)} (the server said it stays "
                    f"current for {self.copy.info.max_age} s)")
        return ""


def refresh(url: str, *, cache: ProgramCache | None = None, clock: Clock = utc_now,
            stars: RefreshStars | None = None, options: ImportOptions | None = None,
            format_name: str | None = None, force: bool = True,
            limits: FetchLimits = DEFAULT_LIMITS,
            fetcher: Callable[..., object] | None = None,
            zone: dt.tzinfo | None = None) -> RefreshOutcome:
    """Bring the offline copy of ``url`` up to date, and the user's stars with it.

    Args:
        force: ask the server even while its max-age says the copy is fresh (on demand).
        stars: the store; with it, stars follow their items to a new version.
        fetcher: :func:`planner.net.fetch.fetch` (a test may wrap it to watch threads).
        zone: the zone the change list is worded in (default: the program's).
    Raises:
        FetchError: only for an address that is not http(s); every other failure is an outcome.
    """
    url = check_url(url)
    cache = cache or ProgramCache()
    options = options or ImportOptions()
    copy = cache.get(url)
    now = clock()
    if copy is not None and not force and copy.info.fresh_at(now):
        return _from_copy(url, "fresh", copy, options, format_name)
    validators = Validators(copy.info.etag, copy.info.last_modified) if copy else None
    get = fetcher or fetch
    try:
        result = get(url, validators, limits)
        from planner.net.fetch import FetchResult

        assert isinstance(result, FetchResult)
        if result.not_modified:
            if copy is None:
                raise FetchError(FailureKind.OTHER, f"{url}: the server answered 304 (not "
                                                    f"modified) to a first download")
            copy = cache.confirm(copy, clock(), etag=result.etag,
                                 last_modified=result.last_modified, max_age=result.max_age)
            return _from_copy(url, "unchanged", copy, options, format_name)
        body = result.body or b""
        program = parse_body(url, body, result.content_type, options, format_name)
    except (FetchError, ProgramError) as error:
        outcome = _from_copy(url, "failed", copy, options, format_name) if copy else \
            RefreshOutcome(url, "failed", None, None)
        outcome.error = error
        return outcome
    import hashlib

    if copy is not None and hashlib.sha256(body).hexdigest() == copy.info.sha256:
        copy = cache.confirm(copy, clock(), etag=result.etag,
                             last_modified=result.last_modified, max_age=result.max_age)
        return RefreshOutcome(url, "unchanged", program, copy)
    previous = _parse_copy(url, copy, options, format_name) if copy else None
    saved = cache.save(url, body, clock(), etag=result.etag, last_modified=result.last_modified,
                       max_age=result.max_age, content_type=result.content_type,
                       final_url=result.final_url,
                       suffix=_SUFFIXES.get(program.source_format, ".txt"))
    outcome = RefreshOutcome(url, "downloaded", program, saved, previous=previous)
    if previous is not None and stars is not None:
        before = stars.starred(previous.key)
        plan = carry_stars(stars, previous, program)
        outcome.report = build_report(previous, program, plan, before,
                                      zone or program.zone)
    return outcome


def report_for(previous: Program, program: Program, starred: set[str],
               zone: dt.tzinfo) -> ChangeReport:
    """The change list without touching the store (the window carries stars itself)."""
    plan = plan_update(previous, program, starred)
    return build_report(previous, program, plan, starred, zone)


def parse_body(url: str, body: bytes, content_type: str = "",
               options: ImportOptions | None = None,
               format_name: str | None = None) -> Program:
    """A downloaded body as a program; an HTML page or anything unreadable is a ProgramError."""
    from planner.importers.reading import decode_program_bytes

    if "html" in content_type.lower() or _HTML_START.match(body[:4096]):
        raise FetchError(FailureKind.NOT_A_PROGRAM,
                         f"{url}: the server sent a web page (HTML), not a program; is the "
                         f"address the program's XML/JSON/iCalendar export?")
    text = decode_program_bytes(body, url)
    try:
        program = parse_text(text, options or ImportOptions(), url, format_name)
    except ProgramError as error:
        raise error.located(url) from None
    return _label(program, url)


def _label(program: Program, url: str) -> Program:
    program.source_path = url
    if not program.key:
        program.key = url
    return program


def _parse_copy(url: str, copy: OfflineCopy, options: ImportOptions,
                format_name: str | None) -> Program | None:
    try:
        return load_copy(url, copy, options, format_name)
    except ProgramError:
        return None


def load_copy(url: str, copy: OfflineCopy, options: ImportOptions | None = None,
              format_name: str | None = None) -> Program:
    """The offline copy as a program, read through the shared reader like any file."""
    from planner.importers.reading import read_program_text

    text = read_program_text(copy.path)
    try:
        program = parse_text(text, options or ImportOptions(), str(copy.path), format_name)
    except ProgramError as error:
        raise error.located(str(copy.path)) from None
    return _label(program, url)


def _from_copy(url: str, status: str, copy: OfflineCopy, options: ImportOptions,
               format_name: str | None) -> RefreshOutcome:
    try:
        program = load_copy(url, copy, options, format_name)
    except ProgramError as error:
        return RefreshOutcome(url, "failed", None, None, error=error)
    return RefreshOutcome(url, status, program, copy)


def refresh_interval(program: Program | None, now: dt.datetime, running_minutes: int = 15,
                     before_minutes: int = 60) -> dt.timedelta | None:
    """How long until the next automatic refresh: often while the program is under way, hourly
    before it, never once it is over (None)."""
    span = program.span() if program is not None else None
    if span is None:
        return dt.timedelta(minutes=before_minutes)
    start, end = span
    if now > end + dt.timedelta(hours=1):
        return None
    if now >= start - dt.timedelta(hours=1):
        return dt.timedelta(minutes=running_minutes)
    return dt.timedelta(minutes=before_minutes)


def zone_of(program: Program | None) -> dt.tzinfo:
    return program.zone if program is not None else timezones.UTC


def refresh_in_folder(url: str, folder: Path, *, carry: bool = True,
                      cache: ProgramCache | None = None, clock: Clock = utc_now,
                      options: ImportOptions | None = None, format_name: str | None = None,
                      force: bool = False, fetcher: Callable[..., object] | None = None,
                      zone: dt.tzinfo | None = None) -> RefreshOutcome:
    """:func:`refresh` with the offline copies and stars of the data ``folder``, on a store of
    its own, opened and closed in the calling thread: a worker never shares the window's SQLite
    connection. ``carry`` False (or a read-only store): the stars stay where they are."""
    from planner.storage.store import Store

    store = Store(folder)
    try:
        return refresh(url, cache=cache or ProgramCache(folder / CACHE_FOLDER), clock=clock,
                       stars=None if store.read_only or not carry else store,
                       options=options, format_name=format_name, force=force,
                       fetcher=fetcher, zone=zone)
    finally:
        store.close()


def open_url(url: str, options: ImportOptions | None = None, format_name: str | None = None,
             data_folder: str | None = None, clock: Clock = utc_now) -> RefreshOutcome:
    """Open a program by its address as a command does: ask the server (conditionally, and not
    while its max-age holds), fall back to the offline copy; stars follow a new version.

    Raises:
        PlannerError: when there is neither a download nor an offline copy (one line).
    """
    from planner.storage.paths import data_dir

    outcome = refresh_in_folder(url, data_dir(data_folder), clock=clock, options=options,
                                format_name=format_name, force=False)
    if outcome.program is None:
        raise PlannerError(outcome.notice(clock()) or f"{url}: no program")
    return outcome
