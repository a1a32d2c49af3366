"""Reminders before starred sessions: which are due, which were missed, and their words.

Qt-free and clock-free: every function takes ``now``. What already fired is passed in (the
store remembers it, :mod:`planner.storage.reminder_log`), so a reminder fires once however often
planner restarts; a session that moves gets a new reminder (its key holds the start).

Reminders that came due while planner was not running (after its last check) and whose session
has started since are *missed*: they are shown as one summary, not as a burst.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planner.core import timezones
from planner.core.changes import ChangeItem, ChangeReport
from planner.core.model import Program, Session
from planner.core.settings import DEFAULT_MINUTES as DEFAULT_MINUTES  # re-exported
from planner.core.stars import Stars

CHANGE_HORIZON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class ReminderSettings:
    """The user's choices (settings ``reminders.*``).

    Attributes:
        minutes_before: lead time for every star without an override.
        overrides: item id -> minutes for that star (0 or less: no reminder for it).
        paused: reminders are paused from the tray (nothing fires; nothing is lost).
    """

    enabled: bool = True
    minutes_before: int = DEFAULT_MINUTES
    overrides: Mapping[str, int] = field(default_factory=dict)
    paused: bool = False


@dataclass(frozen=True)
class Reminder:
    key: str
    session: Session
    due: dt.datetime

    @property
    def start(self) -> dt.datetime:
        assert self.session.start is not None
        return self.session.start


@dataclass
class DueReminders:
    now: list[Reminder] = field(default_factory=list)
    missed: list[Reminder] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [r.key for r in (*self.now, *self.missed)]


def reminder_key(program: Program, session: Session) -> str:
    """Stable per program, session and start: a moved session is reminded again."""
    start = session.start.astimezone(dt.UTC).isoformat() if session.start else ""
    return f"{program.key}|{session.id}|{start}"


def lead_minutes(session: Session, stars: Stars, settings: ReminderSettings) -> int | None:
    """Minutes before ``session`` to remind; an override on the session or one of its starred
    papers wins (the smallest lead among them), None for no reminder."""
    leads = [settings.overrides[item] for item in (session.id, *session.paper_ids)
             if item in settings.overrides and item in stars.ids]
    minutes = min(leads) if leads else settings.minutes_before
    return minutes if minutes > 0 else None


def planned(program: Program, stars: Stars, settings: ReminderSettings) -> list[Reminder]:
    """Every reminder of the agenda, in the order they come due."""
    result = []
    for session in stars.agenda_sessions(program):
        if session.start is None or session.cancelled or session.all_day:
            continue
        minutes = lead_minutes(session, stars, settings)
        if minutes is None:
            continue
        result.append(Reminder(reminder_key(program, session), session,
                               session.start - dt.timedelta(minutes=minutes)))
    result.sort(key=lambda r: (r.due, r.session.title))
    return result


def due_reminders(program: Program, stars: Stars, settings: ReminderSettings,
                  now: dt.datetime, fired: Iterable[str],
                  last_check: dt.datetime | None) -> DueReminders:
    """What to show at ``now``.

    Args:
        fired: keys already shown (never shown again).
        last_check: when planner last looked (None the first time: nothing counts as missed).
    """
    result = DueReminders()
    if not settings.enabled or settings.paused:
        return result
    done = set(fired)
    for reminder in planned(program, stars, settings):
        if reminder.due > now:
            break
        if reminder.key in done:
            continue
        if now < reminder.start:
            result.now.append(reminder)
        elif last_check is not None and reminder.due > last_check:
            result.missed.append(reminder)
    return result


def both_clocks(moment: dt.datetime, display_zone: dt.tzinfo, program_zone: dt.tzinfo) -> str:
    """``14:00 CET`` and, when the program's clock differs, ``(18:30 IST here)``."""
    program_time = timezones.to_zone(moment, program_zone)
    mine = timezones.to_zone(moment, display_zone)
    text = f"{program_time:%H:%M} {timezones.abbreviation(program_time)}"
    if mine.utcoffset() != program_time.utcoffset():
        text += f" ({mine:%H:%M} {timezones.abbreviation(mine)} your time)"
    return text


def reminder_message(reminder: Reminder, now: dt.datetime, display_zone: dt.tzinfo,
                     program_zone: dt.tzinfo) -> tuple[str, str]:
    """(title, body) of the notification."""
    session = reminder.session
    minutes = max(0, int(-(-(reminder.start - now).total_seconds() // 60)))
    title = f"In {minutes} min: {session.title}" if minutes else f"Now: {session.title}"
    place = session.room or session.location or "no room given"
    body = f"{place} · {both_clocks(reminder.start, display_zone, program_zone)}"
    return title, body


def missed_message(missed: list[Reminder], display_zone: dt.tzinfo,
                   program_zone: dt.tzinfo) -> tuple[str, str]:
    """One summary for reminders missed while planner was not running."""
    count = len(missed)
    title = f"{count} reminder{'s' if count != 1 else ''} missed while planner was closed"
    shown = [f"{r.session.title} ({both_clocks(r.start, display_zone, program_zone)})"
             for r in missed[:5]]
    if count > 5:
        shown.append(f"… and {count - 5} more")
    return title, "\n".join(shown)


def soon_changes(report: ChangeReport | None, now: dt.datetime,
                 horizon: dt.timedelta = CHANGE_HORIZON) -> list[ChangeItem]:
    """Changes to starred sessions that start (or started to) within ``horizon`` of ``now``."""
    if report is None:
        return []
    result = []
    for item in report.items:
        moments = [m for m in (item.start, item.old_start) if m is not None]
        if any(now - dt.timedelta(hours=1) <= m <= now + horizon for m in moments):
            result.append(item)
    return result


def change_message(items: list[ChangeItem]) -> tuple[str, str]:
    title = (f"A starred session today changed: {items[0].title}" if len(items) == 1
             else f"{len(items)} starred sessions in the next 24 hours changed")
    return title, "\n".join(item.line() for item in items[:6])
