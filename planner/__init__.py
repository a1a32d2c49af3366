"""planner: plan your conference."""

__version__ = "0.1.0"
