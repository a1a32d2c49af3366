"""Files planner does not read but can name, with what to open instead.

Called only when no importer claims a file, so the user gets one line saying what the file is
(an HTML page, pretalx's widget JSON, Sched's JSON, a spreadsheet, a PDF) rather than "not a
program".
"""

from __future__ import annotations

import re

_HTML = re.compile(r"^(?:<!doctype html|<html\b|<head\b|<body\b|<!--)", re.IGNORECASE)


def recognise_binary(data: bytes) -> str | None:
    """The same for a file whose bytes are not text (PDF streams, zip and OLE containers)."""
    head = data[:8]
    if head.startswith(b"%PDF-"):
        return recognise("%PDF-")
    if head.startswith(b"PK\x03\x04"):
        return recognise("PK\x03\x04")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return ("is an old Office document (.xls, .doc); save the sheet as CSV (one row per "
                "session, with Title, Date and Start columns) and open that")
    return None


def recognise(text: str) -> str | None:
    """A one-line message naming what ``text`` is and what to open instead, or None."""
    head = text[:8192].lstrip("\ufeff \t\r\n")
    lowered = head.lower()
    if head.startswith("%PDF-"):
        return ("is a PDF document; planner reads schedule data, not printed programs: open "
                "the conference's .ics, schedule.xml or JSON export instead")
    if head.startswith("PK\x03\x04") or "[content_types].xml" in lowered[:400]:
        return ("is a spreadsheet or other zip archive (.xlsx, .ods); save the sheet as CSV "
                "(one row per session, with Title, Date and Start columns) and open that")
    if _HTML.match(head):
        if "pretalx" in lowered:
            return ("is a pretalx web page; open its schedule export instead: the event's "
                    "/schedule/export/schedule.xml or /schedule/export/schedule.ics URL")
        if "sched.com" in lowered or "sched.org" in lowered:
            return ("is a Sched web page; open its iCalendar feed instead (the 'Add to "
                    "calendar' / .ics link on the Sched site)")
        if "indico" in lowered:
            return ("is an Indico web page; open its export instead: "
                    "/export/event/ID.json?detail=sessions or the event's .ics")
        return ("is an HTML web page; planner reads schedule data: open the conference's "
                ".ics feed, schedule.xml/.json export, or copy the page's text into a .txt "
                "file")
    if head.startswith(("{", "[")):
        if '"talks"' in head and '"rooms"' in head and ('"speakers"' in head
                                                       or '"timezone"' in head):
            return ("is pretalx's schedule widget JSON; open the event's schedule.xml "
                    "(/schedule/export/schedule.xml) or .ics (/schedule/export/schedule.ics) "
                    "export URL instead")
        if '"event_start"' in head and '"event_end"' in head:
            return ("is Sched's JSON (session/list API); open the event's iCalendar feed "
                    "(the .ics link on the Sched site) instead")
    return None
