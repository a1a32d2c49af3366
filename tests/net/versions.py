"""Two versions of the real 38C3 program (from ../shared/data) for the refresh tests.

The "changed" version is the real file with four edits, the kind a program gets on the day:

* ``moved``: the first Saal 1 event of Sat 28 Dec moves to Sun 29 Dec 09:00 (Berlin);
* ``cancelled``: the second gets "CANCELLED: " before its title (how frab sites mark it);
* ``overlap``: the third moves onto the start of the fourth (a new conflict among stars);
* ``new``: one new event is added (not starred: it must not appear in the change list).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as DET

SOURCE = Path("frab-xml") / "frab-xml_38c3.xml"
BERLIN = dt.timezone(dt.timedelta(hours=1))


@dataclass(frozen=True)
class Versions:
    original: bytes
    changed: bytes
    moved: str  # planner ids ("e-<frab id>")
    cancelled: str
    overlap: str
    overlapped: str
    moved_title: str
    cancelled_title: str
    overlap_title: str
    overlapped_title: str
    overlapped_start: dt.datetime

    @property
    def starred(self) -> list[str]:
        return [self.moved, self.cancelled, self.overlap, self.overlapped]


def _set_start(event: ET.Element, start: dt.datetime) -> None:
    date = event.find("date")
    assert date is not None and event.find("start") is not None
    date.text = start.isoformat()
    event.find("start").text = f"{start:%H:%M}"  # type: ignore[union-attr]


def make_versions(shared_data: Path) -> Versions:
    original = (shared_data / SOURCE).read_bytes()
    root = DET.fromstring(original)
    day = next(d for d in root.findall("day") if d.get("date") == "2024-12-28")
    room = next(r for r in day.findall("room") if r.get("name") == "Saal 1")
    events = room.findall("event")
    moved, cancelled, overlap, overlapped = events[0], events[1], events[2], events[3]
    titles = {e.get("id"): (e.findtext("title") or "") for e in events[:4]}
    _set_start(moved, dt.datetime(2024, 12, 29, 9, 0, tzinfo=BERLIN))
    title = cancelled.find("title")
    assert title is not None
    title.text = "CANCELLED: " + (title.text or "")
    overlapped_start = dt.datetime.fromisoformat(overlapped.findtext("date") or "")
    _set_start(overlap, overlapped_start)
    new_event = ET.fromstring(ET.tostring(events[-1]))
    new_event.set("id", "999001")
    new_event.set("guid", "00000000-0000-4000-8000-000000999001")
    new_title = new_event.find("title")
    assert new_title is not None
    new_title.text = "A talk added on the day"
    room.append(new_event)
    changed = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    ids = [f"e-{e.get('id')}" for e in (moved, cancelled, overlap, overlapped)]
    return Versions(original, changed, *ids, titles[moved.get("id")],
                    titles[cancelled.get("id")], titles[overlap.get("id")],
                    titles[overlapped.get("id")], overlapped_start)
