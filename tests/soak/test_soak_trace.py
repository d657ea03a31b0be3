"""A finding's story (`floorwatch soak --trace`): the platform's record of its conversation,
its agents' presence and the policy changes, the steps that named it and its audit, near it."""

from __future__ import annotations

import dataclasses

from oracle_support import decisions_of, judged

from fixtures.replay import replay
from fixtures.scenario import load_scenario
from fixtures.soak_trace import story_lines


def test_an_early_decision_is_told_with_its_record_and_audit() -> None:
    scenario = load_scenario("away-agent")
    result = replay(scenario)
    [decision] = decisions_of(result)
    early = dataclasses.replace(decision, at=decision.at - 5, as_of=decision.at - 5)
    [finding] = judged(scenario, result, [early]).wrong
    timeline = [{"at": 1.0, "supervisor": {"extend": {"conv": "c1", "seconds": 30}}}]
    lines = story_lines([finding], result.record, result.records, timeline)
    assert lines[0] == f"finding: {finding}"
    told = "\n".join(lines)
    assert "platform" in told and "message.consumer" in told
    assert "agent.state" in told or "agent=a1" in told  # the agent's presence, near it
    assert '  step     1.000 {"at": 1.0, "supervisor": {"extend"' in told
    assert '"type": "unassign.decided"' in told
    assert story_lines([], result.record, result.records, timeline) == []
