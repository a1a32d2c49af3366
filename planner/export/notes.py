"""The user's own words in an exported event: their note and "maybe", above the program's text.

A phone calendar shows the start of DESCRIPTION first, so what the user wrote comes first,
labelled "Your note", and a line "— from the program —" separates it from the program's text,
so nobody mistakes one for the other. A "maybe" star is said in words at the top (every app
shows that), as a CATEGORIES value (apps that filter or colour by category), and as
TRANSP:TRANSPARENT: the event does not make the user look busy to someone booking a meeting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from planner.core.model import Paper
from planner.core.star_notes import NOTE_LIMIT, PRIORITIES, StarNote, clean_note
from planner.core.stars import Stars
from planner.export.text import clip, one_line

# The notes and priorities of the event's stars as data, so ``planner import-stars`` on another
# computer brings them back: {"item id": {"note": "...", "priority": "maybe"}} (JSON text).
X_NOTES = "X-PLANNER-NOTES"
PROGRAM_SEPARATOR = "— from the program —"
MAYBE_LINE = "Maybe: starred as “maybe” in planner."
MAYBE_CATEGORY = "maybe"


def is_maybe(stars: Stars, items: Iterable[str]) -> bool:
    """An event is "maybe" when every star it stands for is (any "must" makes it a must)."""
    starred = [item for item in items if stars.is_starred(item)]
    return bool(starred) and all(stars.is_maybe(item) for item in starred)


def _note_text(stars: Stars, item_id: str) -> str:
    return clean_note(stars.note_of(item_id).note)


def personal_block(stars: Stars, item_id: str, papers: Iterable[Paper] = (),
                   maybe: bool = False) -> str:
    """"Maybe", the note on ``item_id`` and the notes on ``papers`` (each named), or ''."""
    lines = [MAYBE_LINE] if maybe else []
    note = _note_text(stars, item_id)
    if note:
        lines.append(f"Your note: {note}")
    for paper in papers:
        text = _note_text(stars, paper.id)
        if text:
            title = clip(one_line(paper.title) or paper.id, 80)
            lines.append(f"Your note on “{title}”: {text}")
    return "\n".join(lines)


def with_personal(personal: str, program_text: str) -> str:
    """The user's block, the separator, then the program's text."""
    if not personal:
        return program_text
    return f"{personal}\n\n{PROGRAM_SEPARATOR}\n\n{program_text}" if program_text else personal


def notes_value(stars: Stars, items: Iterable[str]) -> str:
    """The X-PLANNER-NOTES value of an event standing for ``items`` ('' when all are plain)."""
    found = {}
    for item in items:
        note = stars.note_of(item)
        if not note.plain:
            found[item] = {"note": clean_note(note.note), "priority": note.priority}
    return json.dumps(found, ensure_ascii=False, sort_keys=True) if found else ""


def read_notes(value: object) -> dict[str, StarNote]:
    """The notes an X-PLANNER-NOTES value holds; anything malformed is skipped, not trusted."""
    if value is None:
        return {}
    try:
        data = json.loads(str(value))
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found = {}
    for item, entry in data.items():
        if not isinstance(entry, dict):
            continue
        note, priority = entry.get("note", ""), entry.get("priority", "must")
        if isinstance(note, str) and priority in PRIORITIES:
            found[str(item)] = StarNote(clean_note(note)[:NOTE_LIMIT], priority)
    return found
