"""SDK conformance tests: LivePerson's Node agent SDK against the fixture platform.

The helpers live in this folder (`sdk_*.py`, `driver.js`); the SDK itself is installed from the
npm registry into `node_modules` (pinned by `package-lock.json`) once per session, and only when
missing or stale. Without node and npm on PATH the tests are skipped (`.ci/run` installs them).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from sdk_npm import InstallError, ensure_installed, missing_tools
from sdk_session import ConformanceRun, run_conformance


@pytest.fixture(scope="session")
def sdk_modules() -> Path:
    """tests/sdk/node_modules with the pinned SDK in it (`npm ci` when missing or stale)."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH (install nodejs and npm; .ci/run does)")
    try:
        return ensure_installed()
    except InstallError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def conformance(sdk_modules: Path) -> ConformanceRun:
    """One whole SDK run against the platform, shared by the module's tests (each asserts one
    step on what it recorded)."""
    del sdk_modules
    return asyncio.run(run_conformance())
