"""The agenda kept in the user's calendar: CalDAV sync, its state, and its credentials."""

# Seconds to wait for each answer of the server. Here, not in :mod:`planner.sync.target`, so
# that the command line's help text does not load the sync code for every command.
DEFAULT_TIMEOUT = 30.0
