"""Where the files that ship inside the package are: the bundled program, its catalog, icons.

Found through ``importlib.resources`` (never by walking up from a source file), so a checkout,
an editable install and an installed wheel all find them, whatever the current folder.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from pathlib import Path

DATA_PACKAGE = "planner.data"
RESOURCES_PACKAGE = "planner.resources"

PROGRAM_NAME = "iclr2021-fri-7-may.txt"
DESKTOP_FILE_NAME = "planner.desktop"
ICON_SVG_NAME = "planner.svg"
ICON_PNG_NAME = "planner.png"

# Files extracted from a zipped install stay until the process ends (as_file's context).
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def _path(package: str, name: str) -> Path:
    resource = files(package) / name
    if isinstance(resource, Path):  # every ordinary install: the file itself
        return resource
    return _extracted.enter_context(as_file(resource))  # pragma: no cover - zipped installs


def data_file(name: str) -> Path:
    """A file of :mod:`planner.data` (the program, its ``.meta.json``, the paper catalog)."""
    return _path(DATA_PACKAGE, name)


def resource_file(name: str) -> Path:
    """A file of :mod:`planner.resources` (icons, the ``.desktop`` file)."""
    return _path(RESOURCES_PACKAGE, name)


def bundled_program() -> Path:
    """The bundled program (one day of ICLR 2021); its sidecar and catalog sit beside it."""
    return data_file(PROGRAM_NAME)
