"""User data on disk: stars and settings. Nothing else in planner touches these files."""
