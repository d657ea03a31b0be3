"""Every scenario in every form the client and the platform may speak: the client's request
names raw (as the official SDK sends them) or documented, and the same events either way."""

from __future__ import annotations

from typing import Any

import pytest

from engine.protocol import Spelling
from fixtures.replay import replay
from fixtures.scenario import list_scenarios, load_scenario


def _events(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["type"], r.get("conv"), r.get("agent"), r.get("reason"), r["at"]) for r in records]


@pytest.mark.parametrize("name", list_scenarios())
def test_both_spellings_meet_the_expect_with_the_same_events(name: str) -> None:
    scenario = load_scenario(name)
    raw = replay(scenario, spelling=Spelling.RAW)
    documented = replay(scenario, spelling=Spelling.DOCUMENTED)
    assert raw.report.met, raw.report.diff_lines()
    assert documented.report.met, documented.report.diff_lines()
    assert _events(documented.records) == _events(raw.records)
