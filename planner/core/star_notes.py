"""A star's note and priority: what the user wrote about a talk, and must-go or maybe.

A plain star is a "must" without a note: stars saved before notes existed read that way, so
nothing a user starred changes meaning. "Maybe" is the lighter, explicit choice (shown in grey,
exported as free time). The note belongs to the star: unstarring drops it with the star (it
is shown nowhere without one), but a workspace remembers it for the rest of the session so a
star flipped off by mistake and back on gets its note back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.core.errors import PlannerError

MUST = "must"
MAYBE = "maybe"
PRIORITIES = (MUST, MAYBE)
# A short note: a reminder, a question to ask, where to sit. Long enough for a paragraph or
# two, short enough to read in a phone calendar's event view.
NOTE_LIMIT = 2000


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
    """The note as it is saved: line breaks made ``\\n``, surrounding blanks dropped.

    Raises:
        NoteError: when it is longer than :data:`NOTE_LIMIT` characters.
    """
    note = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(note) > NOTE_LIMIT:
        raise NoteError(f"the note is {len(note):,} characters long; a note holds at most "
                        f"{NOTE_LIMIT:,}")
    return note


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
