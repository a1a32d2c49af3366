"""Where the files that ship inside the package are: the bundled program, its catalog, icons.

Found through each package's import spec (never by walking up from a source file), so a
checkout, an editable install and an installed wheel all find them, whatever the current folder;
``importlib.resources`` (slow to import) only for a package that is not a folder on disk.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
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
    folder = _package_folder(package)
    if folder is not None:  # what ``files(package)`` is for a package in a folder, found
        return folder / name  # without importing importlib.resources (~10 ms of every start)
    from importlib.resources import as_file, files

    resource = files(package) / name
    if isinstance(resource, Path):  # every ordinary install: the file itself
        return resource
    return _extracted.enter_context(as_file(resource))  # pragma: no cover - zipped installs


def _package_folder(package: str) -> Path | None:
    """The folder of a regular package on disk; None for anything else (zip, namespace)."""
    spec = importlib.import_module(package).__spec__
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if spec is None or not spec.has_location or len(locations) != 1:
        return None
    folder = Path(locations[0])
    return folder if folder.is_dir() else None


def data_file(name: str) -> Path:
    """A file of :mod:`planner.data` (the program, its ``.meta.json``, the paper catalog)."""
    return _path(DATA_PACKAGE, name)


def resource_file(name: str) -> Path:
    """A file of :mod:`planner.resources` (icons, the ``.desktop`` file)."""
    return _path(RESOURCES_PACKAGE, name)


def bundled_program() -> Path:
    """The bundled program (one day of ICLR 2021); its sidecar and catalog sit beside it."""
    return data_file(PROGRAM_NAME)
