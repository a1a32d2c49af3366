"""The window's time formatting: the one shared formatter, :mod:`planner.core.timefmt`."""

from planner.core.timefmt import *  # noqa: F403
