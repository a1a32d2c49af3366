"""The agenda kept in the user's calendar: CalDAV sync, its state, and its credentials."""
