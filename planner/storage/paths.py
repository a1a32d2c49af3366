"""Where user data lives: ``--data-dir``, then ``$PLANNER_DATA_DIR``, then the platform's
user data folder. Tests and portable installs point it elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "PLANNER_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder for the user's stars and settings (created on first use by the store)."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("planner", appauthor=False))
