"""The README's live-mode config example loads as written (and says what it claims)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.config import load_config
from engine.core import Policy
from engine.protocol import Spelling

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_config_example_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = README.read_text()
    section = text[text.index("## Live mode against LivePerson") :]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the section shows a config file"
    path = tmp_path / "floor.yaml"
    path.write_text(found[1])
    monkeypatch.setenv("FLOORWATCH_PASSWORD", "secret")
    config = load_config(path)
    assert (config.account, config.dry_run, config.spelling) == ("12345678", True, Spelling.RAW)
    assert config.policy is not None and config.ca_file is None


def test_every_policy_example_of_the_readme_loads() -> None:
    """The grace and fallback examples (each a `policy:` block of its own) are valid."""
    blocks = re.findall(r"```yaml\n(policy:.*?)```", README.read_text(), re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        policy = Policy.from_mapping(yaml.safe_load(block)["policy"])
        assert Policy.from_mapping(policy.to_mapping()) == policy
