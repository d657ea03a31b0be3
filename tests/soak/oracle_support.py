"""Helpers of the oracle tests: a scenario of one conversation, and the oracle's verdict on
decisions of a test's own."""

from __future__ import annotations

from typing import Any

from fixtures.oracle import Decision, Verdict, judge
from fixtures.platform.record import RecordEntry, RecordKind
from fixtures.replay import ReplayResult
from fixtures.scenario import Scenario, parse_scenario
from fixtures.soak import floor_of


def decisions_of(result: ReplayResult) -> list[Decision]:
    return [Decision.from_record(r) for r in result.records if r["type"] == "unassign.decided"]


def judged(scenario: Scenario, result: ReplayResult, decisions: list[Decision]) -> Verdict:
    """The verdict on `decisions` instead of the engine's; each gets a keep-alive answered at
    its data, as a real barrier would, so that only the platform's state can make it wrong."""
    record = list(result.record)
    for decision in decisions:
        if decision.as_of is not None:
            at = next((i for i, e in enumerate(record) if e.at > decision.as_of), len(record))
            record.insert(at, RecordEntry(decision.as_of, RecordKind.CLOCK_ANSWERED))
    return judge(record, decisions, floor_of(scenario), result.refused)


def one_conversation(
    name: str, policy: dict[str, Any], steps: list[dict[str, Any]], until: float
) -> Scenario:
    """c1 on agent a1 (a2 beside), in dry run so that no action changes the record: the
    tests put decisions of their own to the oracle."""
    agent = {"name": "Ana", "skills": ["sales"], "state": "ONLINE", "max_conversations": 4}
    return parse_scenario(
        {
            "name": name,
            "policy": policy,
            "agents": [{"id": "a1", **agent}, {"id": "a2", **agent}],
            "conversations": [{"id": "c1", "skill": "sales", "agent": "a1"}],
            "timeline": [
                {"at": 0, "supervisor": {"dry_run": True}},
                {"at": 0, "consumer_message": {"conv": "c1"}},
                *steps,
            ],
            "until": until,
            "expect_all_decisions": False,
        }
    )
