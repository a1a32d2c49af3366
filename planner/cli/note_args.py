"""``planner star ID --note TEXT --maybe/--must`` and how ``list`` shows notes and priorities."""

from __future__ import annotations

import argparse
from typing import Any

from planner.core.star_notes import MAYBE, MUST, NOTE_LIMIT, clean_note
from planner.core.stars import Stars
from planner.workspace import Workspace


def add_note_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", metavar="TEXT",
                        help=f"your note on the star (at most {NOTE_LIMIT:,} characters; "
                             f"'' removes it); shown in the agenda and exported")
    priority = parser.add_mutually_exclusive_group()
    priority.add_argument("--maybe", dest="priority", action="store_const", const=MAYBE,
                          help="mark the star 'maybe' (shown in grey, exported as free time)")
    priority.add_argument("--must", dest="priority", action="store_const", const=MUST,
                          help="mark the star 'must' again (what a plain star is)")


def wants_note(args: argparse.Namespace) -> bool:
    return getattr(args, "note", None) is not None or getattr(args, "priority", None) is not None


def save_notes(workspace: Workspace, ids: list[str], args: argparse.Namespace) -> list[str]:
    """Star ``ids`` with the note and priority the arguments give, in one transaction."""
    return workspace.annotate(ids, note=args.note, priority=args.priority)


def star_suffix(stars: Stars, item_id: str) -> str:
    """What ``star`` prints after "starred ID": the priority and whether a note is kept."""
    note = stars.note_of(item_id)
    parts = [note.priority]
    if note.note:
        parts.append(f"note of {len(note.note):,} characters")
    return f" ({', '.join(parts)})"


def note_lines(stars: Stars, item_id: str, indent: str = "     ") -> list[str]:
    """The lines ``list`` prints under a starred item: "maybe", then the note (cleaned, so a
    note cannot move the cursor or recolour the terminal)."""
    if not stars.is_starred(item_id):
        return []
    note = stars.note_of(item_id)
    lines = [f"{indent}(maybe)"] if note.maybe else []
    text = clean_note(note.note)
    if text:
        first, *rest = text.split("\n")
        lines.append(f"{indent}✎ {first}")
        lines += [f"{indent}  {line}" for line in rest]
    return lines


def note_json(stars: Stars, item_id: str) -> dict[str, Any]:
    """``priority`` ("must"/"maybe", null when not starred) and ``note`` for ``--json``."""
    if not stars.is_starred(item_id):
        return {"priority": None, "note": ""}
    note = stars.note_of(item_id)
    return {"priority": note.priority, "note": clean_note(note.note)}
