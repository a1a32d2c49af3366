"""A star's note and priority: what the user wrote about a talk, and must-go or maybe.

A plain star is a "must" without a note: stars saved before notes existed read that way, so
nothing a user starred changes meaning. "Maybe" is the lighter, explicit choice (shown in grey,
exported as free time). The note belongs to the star: unstarring drops it with the star (it
is shown nowhere without one), but a workspace remembers it for the rest of the session so a
star flipped off by mistake and back on gets its note back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from planner.core.errors import PlannerError
from planner.core.text import neutralize_bidi

MUST = "must"
MAYBE = "maybe"
PRIORITIES = (MUST, MAYBE)
# A short note: a reminder, a question to ask, where to sit. Long enough for a paragraph or
# two, short enough to read in a phone calendar's event view.
NOTE_LIMIT = 2000


# C0 and C1 controls (terminal escapes among them), DEL and lone surrogates go; a tab is a
# space; line breaks stay (a note may have lines).
_CONTROLS: dict[int, str | None] = {
    code: None for code in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
_CONTROLS.update({0x09: " ", 0x2028: "\n", 0x2029: "\n", 0xFEFF: None})
_SURROGATES = re.compile("[\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n{3,}")


class NoteError(PlannerError):
    """A note or priority that cannot be saved (too long, an unknown priority)."""


@dataclass(frozen=True)
class StarNote:
    """The user's note on one starred item and its priority."""

    note: str = ""
    priority: str = MUST

    @property
    def maybe(self) -> bool:
        return self.priority == MAYBE

    @property
    def plain(self) -> bool:
        """A star with nothing added: not worth storing in :attr:`Stars.notes`."""
        return not self.note and self.priority == MUST


PLAIN = StarNote()


def checked_note(text: str) -> str:
    """The note as it is saved: cleaned (:func:`clean_note`).

    Raises:
        NoteError: when it is longer than :data:`NOTE_LIMIT` characters.
    """
    note = clean_note(text)
    if len(note) > NOTE_LIMIT:
        raise NoteError(f"the note is {len(note):,} characters long; a note holds at most "
                        f"{NOTE_LIMIT:,}")
    return note


def clean_note(text: str) -> str:
    """A note safe to show in a terminal, a widget or a calendar: no control characters or
    escape sequences, no direction overrides, ``\\n`` line breaks, no surrounding blanks.
    Applied when a note is saved and again wherever one is shown (a store may hold anything)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable():
        text = _SURROGATES.sub("", neutralize_bidi(text).translate(_CONTROLS))
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()


def note_line(text: str) -> str:
    """A note on one line (a list row, a tooltip's first line)."""
    return " ".join(clean_note(text).split())


def checked_priority(value: str) -> str:
    if value not in PRIORITIES:
        raise NoteError(f"unknown priority {value!r}; expected {' or '.join(PRIORITIES)}")
    return value


def stored_priority(value: object) -> str:
    """A priority read from the store: anything but "maybe" is a plain star."""
    return MAYBE if value == MAYBE else MUST


def merged(parts: Iterable[StarNote]) -> StarNote:
    """One note for several stored stars that now belong to one item (a rare merge after an
    update): every distinct note is kept, and it is a "must" if any of them was."""
    notes: list[str] = []
    priorities: set[str] = set()
    for part in parts:
        priorities.add(part.priority)
        if part.note and part.note not in notes:
            notes.append(part.note)
    priority = MAYBE if priorities == {MAYBE} else MUST
    return StarNote("\n\n".join(notes)[:NOTE_LIMIT], priority)
