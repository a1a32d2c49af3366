"""Where ../shared/tools/ics-interop and its consumers are; shared by the export tests.

Locally a missing tool skips with the reason; under CI (CI=true, where .ci/setup installed
everything) it fails, so a broken install step cannot hide behind a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO.parent / "shared" / "tools" / "ics-interop" / "ics-interop-check"
DEFAULT_VENV = Path("/opt/ics-interop-venv")
DEFAULT_NODE = Path("/opt/ics-interop-node/node_modules")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true" and (REPO.parent / "shared").is_dir():
        pytest.fail(f"{reason}; .ci/setup --test should have installed it")
    pytest.skip(reason)


def interop_env() -> dict[str, str]:
    """The environment that runs ics-interop-check with every consumer, or skip/fail."""
    if not TOOL.is_file():
        pytest.skip(f"ics-interop-check is not at {TOOL} (it comes with ../shared)")
    env = dict(os.environ)
    if not env.get("ICS_INTEROP_VENV"):
        if not DEFAULT_VENV.is_dir():
            _unavailable("the ics-interop consumers are not installed: set ICS_INTEROP_VENV or "
                         "run .ci/setup --test")
        env["ICS_INTEROP_VENV"] = str(DEFAULT_VENV)
    if not env.get("NODE_PATH") and DEFAULT_NODE.is_dir():
        env["NODE_PATH"] = str(DEFAULT_NODE)
    return env
