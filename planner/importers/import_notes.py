"""The warnings one import collects: general ones once each, per-event ones capped."""

from __future__ import annotations

from planner.importers.text import replace_surrogates

MAX_EVENT_WARNINGS = 20


class ImportNotes:
    """Warnings for the user, capped so that a broken file does not drown them."""

    def __init__(self) -> None:
        self.general_items: list[str] = []
        self.event_items: list[str] = []
        self.dropped = 0

    def general(self, message: str) -> None:
        """A note about the whole file, said once however often it comes up."""
        message = replace_surrogates(message)
        if message not in self.general_items:
            self.general_items.append(message)

    def event(self, where: str, message: str) -> None:
        """A note about one event, ``where`` naming it (line, element); only the first few."""
        if len(self.event_items) >= MAX_EVENT_WARNINGS:
            self.dropped += 1
            return
        self.event_items.append(replace_surrogates(f"{where}: {message}" if where else message))

    def all(self) -> list[str]:
        extra = [f"… and {self.dropped} more problems like these"] if self.dropped else []
        return [*self.general_items, *self.event_items, *extra]
