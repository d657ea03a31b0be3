"""The SDK the conformance test runs is the pinned release, as npm installed it."""

from __future__ import annotations

import json
from pathlib import Path

from sdk_npm import HERE, PINNED_VERSION, installed_version, is_current


def test_the_installed_sdk_is_the_pinned_release(sdk_modules: Path) -> None:
    assert installed_version() == PINNED_VERSION == "1.2.0"
    assert is_current(), "node_modules matches package-lock.json"


def test_package_json_and_its_lock_pin_exactly_1_2_0() -> None:
    package = json.loads((HERE / "package.json").read_text())
    assert package["dependencies"] == {"node-agent-sdk": "1.2.0"}
    lock = json.loads((HERE / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == {"node-agent-sdk": "1.2.0"}
    locked = lock["packages"]["node_modules/node-agent-sdk"]
    assert locked["version"] == "1.2.0"
    assert locked["integrity"].startswith("sha512-")
