"""Fixtures for the download tests: a real HTTP server on 127.0.0.1 and two 38C3 versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.net.server import ProgramServer, serve
from tests.net.versions import Versions, make_versions


@pytest.fixture
def program_server() -> Iterator[ProgramServer]:
    yield from serve()


@pytest.fixture(scope="session")
def _versions_cache() -> dict[str, Versions]:
    return {}


@pytest.fixture
def versions(shared_data: Path, _versions_cache: dict[str, Versions]) -> Versions:
    if "38c3" not in _versions_cache:
        _versions_cache["38c3"] = make_versions(shared_data)
    return _versions_cache["38c3"]
