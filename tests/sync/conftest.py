"""Fixtures of the sync tests: real Radicale servers and a fault proxy, on 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.caldav_servers import FaultProxy, RadicaleServer


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    """Radicale without authentication (any user name, no password)."""
    pytest.importorskip("radicale", reason="radicale is not installed (pip install -e .[test])")
    server = RadicaleServer(tmp_path / "radicale").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def radicale_auth(tmp_path: Path) -> Iterator[RadicaleServer]:
    """Radicale with htpasswd authentication (tests.caldav_servers.USER / PASSWORD)."""
    pytest.importorskip("radicale", reason="radicale is not installed (pip install -e .[test])")
    server = RadicaleServer(tmp_path / "radicale-auth", auth=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def proxy(radicale_auth: RadicaleServer) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the authenticating Radicale."""
    front = FaultProxy(radicale_auth.port)
    try:
        yield front
    finally:
        front.close()
