"""The domain core: plain dataclasses (program, sessions, papers, stars) and the rules over them
(zones, conflicts, agenda, updates, reminders, safe file writing). No Qt, no network."""
