"""Every scenario in every form the client and the platform may speak: the client's request
names raw (as the official SDK sends them) or documented, the platform's conversations in
the raw wire shape or the documented public one, and the same events every way."""

from __future__ import annotations

from typing import Any

import pytest

from engine.protocol import Spelling
from fixtures.replay import replay
from fixtures.scenario import WireShape, list_scenarios, load_scenario

SHAPES: tuple[WireShape, ...] = ("raw", "documented")
FORMS = [(spelling, shape) for spelling in (Spelling.RAW, Spelling.DOCUMENTED) for shape in SHAPES]


def _events(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["type"], r.get("conv"), r.get("agent"), r.get("reason"), r["at"]) for r in records]


@pytest.mark.parametrize("name", list_scenarios())
def test_every_form_meets_the_expect_with_the_same_events(name: str) -> None:
    scenario = load_scenario(name)
    runs = {form: replay(scenario, spelling=form[0], shape=form[1]) for form in FORMS}
    for form, result in runs.items():
        assert result.report.met, (form, result.report.diff_lines())
        assert result.warnings == [], (form, result.warnings)
    first = _events(runs[FORMS[0]].records)
    assert {form: _events(r.records) == first for form, r in runs.items()} == dict.fromkeys(
        FORMS, True
    )
