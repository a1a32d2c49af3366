"""The streaming reader of frab ``schedule.xml``: raw events while the defused expat reads.

expat calls the reader twice per element (29,000 elements in 36C3 merged), so the handlers are
closures over local state rather than methods on ``self``: each attribute lookup saved is paid
58,000 times per file. The limits of :class:`planner.importers.safe_xml.StreamReader` (depth,
element count) and :data:`planner.importers.limits.MAX_SESSIONS` are checked as before, while
reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.core.errors import ProgramError
from planner.importers import limits
from planner.importers.safe_xml import StreamReader
from planner.importers.text import parse_iso_date

EVENT_GROUPS = frozenset({"persons", "links", "attachments"})
_LINK_GROUPS = ("links", "attachments")


@dataclass(slots=True)
class RawEvent:
    """An <event> as read: its attributes, the text of its direct children, people, links."""

    attrs: dict[str, str]
    line: int
    day_date: dt.date | None
    room: str
    texts: dict[str, str] = field(default_factory=dict)
    persons: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


class ScheduleReader(StreamReader):
    """Builds raw events while expat reads, without an element tree.

    ``<schedule>`` → ``<conference>`` (its direct children's text) and ``<day date>`` →
    ``<room name>`` → ``<event>``, or ``<event>`` directly under ``<day>`` (legacy Pentabarf),
    at any depth below the day. Inside an event: direct children's text, ``<persons><person>``,
    and ``<links>``/``<attachments>`` children with an ``href``.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.root: str | None = None
        self.conference_fields: dict[str, str] = {}
        self.days = 0
        self.events: list[RawEvent] = []
        self.warnings: list[str] = []
        handlers = self._handlers()
        self.start: Callable[[str, list[str]], None] = handlers[0]  # type: ignore[assignment]
        self.end: Callable[[str], None] = handlers[1]  # type: ignore[assignment]

    def _handlers(self) -> tuple[Callable[[str, list[str]], None], Callable[[str], None]]:
        stack = self.stack
        push, pop = stack.append, stack.pop
        parts = self.parts
        clear = parts.clear
        join = "".join
        events = self.events
        fields = self.conference_fields
        max_depth, max_elements = self.max_depth, self.max_elements
        count = 0
        event: RawEvent | None = None
        texts: dict[str, str] = {}
        event_depth = -10
        href = ""
        in_conference = in_day = False
        day_date: dt.date | None = None
        room = ""

        def start(tag: str, attr_list: list[str]) -> None:
            nonlocal count, event, texts, event_depth, href, in_conference, in_day, day_date
            nonlocal room
            depth = len(stack)
            count += 1
            if depth >= max_depth or count > max_elements:
                self.count = count
                self.check(depth, tag)
            push(tag)
            clear()
            if event is not None:
                if attr_list and depth == event_depth + 2:
                    href = _attribute(attr_list, "href")
                return
            if depth == 0:
                if tag != "schedule":
                    raise ProgramError(f"expected <schedule> as the root element of a frab "
                                       f"schedule, found <{tag}>", path=self.path,
                                       line=self.line, element=f"<{tag}>")
                self.root = tag
            elif depth == 1:
                if tag == "conference":
                    in_conference = True
                elif tag == "day":
                    day_date = self._open_day(_attributes(attr_list), self.line)
                    in_day = True
            elif in_day:
                if tag == "event":
                    event = RawEvent(_attributes(attr_list), self.line, day_date, room)
                    texts = event.texts
                    event_depth = depth
                elif tag == "room" and depth == 2:
                    room = _attribute(attr_list, "name")

        def end(tag: str) -> None:
            nonlocal event, href, in_conference, in_day, room
            pop()
            depth = len(stack)
            if event is not None:
                if depth == event_depth + 1:
                    if tag not in EVENT_GROUPS:
                        texts[tag] = join(parts) if parts else ""
                elif depth == event_depth:
                    events.append(event)
                    line = event.line
                    event = None
                    if len(events) > limits.MAX_SESSIONS:  # refuse while reading
                        raise limits.too_many_sessions(self.path, "events", line, "<event>")
                elif depth == event_depth + 2:
                    group = stack[-1]
                    if group == "persons" and tag == "person":
                        event.persons.append(join(parts) if parts else "")
                    elif href and group in _LINK_GROUPS:
                        event.links.append((href, join(parts) if parts else ""))
                    href = ""
                clear()
                return
            if in_conference:
                if depth == 2:
                    fields[tag] = join(parts).strip() if parts else ""
                elif depth == 1:
                    in_conference = False
            elif depth == 1 and tag == "day":
                in_day = False
            elif depth == 2 and tag == "room":
                room = ""
            clear()

        return start, end

    def _open_day(self, attrs: dict[str, str], line: int) -> dt.date | None:
        """Count a ``<day>``; its date, or None with a warning when it has none that parses."""
        self.days += 1
        raw_date = attrs.get("date", "")
        if raw_date:
            try:
                return parse_iso_date(raw_date)
            except ValueError as exc:
                self.warnings.append(f"line {line}, <day index=\"{attrs.get('index', '?')}\">: "
                                     f"{exc}")
        return None


def _attributes(attr_list: list[str]) -> dict[str, str]:
    """expat's flat [name, value, ...] list as a dict."""
    return dict(zip(attr_list[::2], attr_list[1::2], strict=True))


def _attribute(attr_list: list[str], name: str) -> str:
    for index in range(0, len(attr_list), 2):
        if attr_list[index] == name:
            return attr_list[index + 1]
    return ""
