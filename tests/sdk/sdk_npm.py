"""The pinned Node SDK in `tests/sdk/node_modules`: `npm ci` from the registry if missing or stale.

Stale means the lock file changed since the last install: `npm ci` leaves a stamp holding the
lock file's digest, so an edit of `package-lock.json` (say, a new pin) installs again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK = HERE / "package-lock.json"
MODULES = HERE / "node_modules"
STAMP = MODULES / ".floorwatch-lock-digest"
SDK_PACKAGE = MODULES / "node-agent-sdk" / "package.json"
PINNED_VERSION = "1.2.0"
INSTALL_TIMEOUT = 300.0


class InstallError(RuntimeError):
    """`npm ci` could not install the SDK; the message says why and what to do."""


def missing_tools() -> list[str]:
    """The commands the conformance test needs that are not on PATH."""
    return [tool for tool in ("node", "npm") if shutil.which(tool) is None]


def lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def is_current() -> bool:
    """Whether node_modules holds what the lock file names (installed by `ensure_installed`)."""
    try:
        return STAMP.read_text().strip() == lock_digest() and SDK_PACKAGE.is_file()
    except FileNotFoundError:
        return False


def ensure_installed() -> Path:
    """node_modules, after `npm ci` if it was missing or stale; raises InstallError."""
    if is_current():
        return MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm is not on PATH: install nodejs and npm (.ci/run does)")
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        result = subprocess.run(
            command,
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InstallError(
            f"`npm ci` in {HERE} took more than {INSTALL_TIMEOUT:.0f} s: "
            "is the npm registry reachable?"
        ) from None
    if result.returncode != 0:
        raise InstallError(
            f"`npm ci` in {HERE} failed (exit {result.returncode}); the conformance test needs "
            f"node-agent-sdk {PINNED_VERSION} from the npm registry "
            f"(`npm config get registry`):\n{result.stderr.strip() or result.stdout.strip()}"
        )
    STAMP.write_text(lock_digest() + "\n")
    return MODULES


def installed_version() -> str:
    """The version of node-agent-sdk that node would load."""
    version = json.loads(SDK_PACKAGE.read_text())["version"]
    assert isinstance(version, str)
    return version
