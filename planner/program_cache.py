"""A cache of the parsed bundled program, so the window shows it without parsing again.

Parsing the bundled ICLR day (matching its pasted page against the paper catalog) takes over a
second; reading the pickled result takes milliseconds. The cache file is keyed by everything
the parse depends on: planner's version, Python's, where the bundled data files are and their
bytes (the page, its ``.meta.json``, the catalog) and the source of the modules that parse it.
Any other key, a damaged file or one that is not a Program is ignored and written afresh. It
is written atomically (temporary file and rename) in the user's cache folder
(``$XDG_CACHE_HOME/planner``, else ``~/.cache/planner``); it is no user data, so a failure to
read or write it only costs the parse.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import planner
from planner.bundled import PROGRAM_NAME, data_file
from planner.core.model import Program

CACHE_NAME = "bundled-program.pickle"
# The modules whose code decides what the parse gives (their source is part of the key).
_SOURCE_FOLDERS = ("core", "importers")
_SOURCE_FILES = ("workspace.py", "bundled.py", "program_cache.py")


def cache_folder() -> Path:
    """The user's cache folder for planner (never the data folder: this is disposable)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "planner"


def cache_key() -> str:
    """Digest of everything the bundled program's parse depends on."""
    digest = hashlib.sha256()
    digest.update(f"planner {planner.__version__}\0python {sys.version}\0".encode())
    data_folder = data_file(PROGRAM_NAME).parent
    # The program remembers where it was read from: a moved install parses again.
    digest.update(str(data_folder.resolve()).encode() + b"\0")
    package = Path(planner.__file__).parent
    sources = [path for folder in _SOURCE_FOLDERS for path in (package / folder).glob("*.py")]
    sources += [package / name for name in _SOURCE_FILES]
    for path in sorted(data_folder.iterdir()) + sorted(sources):
        if path.is_file():
            digest.update(path.name.encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_cached(key: str, folder: Path | None = None) -> Program | None:
    """The cached program for ``key``, or None when there is none, it is stale or damaged."""
    path = (folder or cache_folder()) / CACHE_NAME
    try:
        with path.open("rb") as stream:
            stored_key, program = pickle.load(stream)
    except Exception:  # absent, unreadable or damaged (any unpickling error): parse instead
        return None
    if stored_key != key or not isinstance(program, Program):
        return None
    return program


def write_cached(key: str, program: Program, folder: Path | None = None) -> None:
    """Store ``program`` under ``key`` atomically; a folder that cannot be written is skipped."""
    target_folder = folder or cache_folder()
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".bundled-", dir=target_folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, program), stream, protocol=pickle.HIGHEST_PROTOCOL)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target_folder / CACHE_NAME)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        return


def bundled_program(parse: Callable[[], Program], folder: Path | None = None) -> Program:
    """The bundled program from the cache, else from ``parse()`` (then cached)."""
    key = cache_key()
    program = read_cached(key, folder)
    if program is not None:
        return program
    program = parse()
    write_cached(key, program, folder)
    return program
