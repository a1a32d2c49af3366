"""Where user data lives: ``--data-dir``, then ``$PLANNER_DATA_DIR``, then the platform's
user data folder. Tests and portable installs point it elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "PLANNER_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder for the user's stars and settings (created on first use by the store).

    A relative folder is made absolute at once, so the store stays where the user meant even
    if the process later changes its working directory.
    """
    if override:
        return _absolute(Path(override))
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return _absolute(Path(from_env))
    import platformdirs

    return Path(platformdirs.user_data_dir("planner", appauthor=False))


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path.expanduser()))
