"""The oracle re-derives grace for flapping presence from the platform's record: a decision on
a flicker shorter than the grace is wrong, one after the grace is right, and a wait due once the
grace ends is missed if nobody decides it."""

from __future__ import annotations

import dataclasses
from typing import Any

from oracle_support import decisions_of, judged, one_conversation

from fixtures.oracle import Decision, judge
from fixtures.replay import replay
from fixtures.soak import floor_of

GRACE: dict[str, Any] = {"online": 60, "offline": 10, "grace": {"offline": 5}}


def flicker(back_at: float | None) -> list[dict[str, object]]:
    steps: list[dict[str, object]] = [
        {"at": 20, "agent_state": {"agent": "a1", "state": "OFFLINE"}}
    ]
    if back_at is not None:
        steps.append({"at": back_at, "agent_state": {"agent": "a1", "state": "ONLINE"}})
    return steps


def test_a_decision_on_a_flicker_within_the_grace_is_wrong() -> None:
    scenario = one_conversation("flicker", GRACE, flicker(23), 59)
    result = replay(scenario)
    assert decisions_of(result) == []
    on_the_flicker = Decision(at=21.0, conv="c1", agent="a1", reason="offline", as_of=21.0)
    [wrong] = judged(scenario, result, [on_the_flicker]).wrong
    assert wrong.why == "its deadline (25.000) had not passed"


def test_a_decision_once_the_grace_is_over_is_right_and_its_reason_is_the_new_state() -> None:
    scenario = one_conversation("offline-stays", GRACE, flicker(None), 40)
    result = replay(scenario)
    [decision] = decisions_of(result)
    assert (decision.at, decision.reason) == (25.0, "offline")
    assert judged(scenario, result, [decision]).ok
    as_online = dataclasses.replace(decision, reason="online")
    [wrong] = judged(scenario, result, [as_online]).wrong
    assert wrong.why == "reason online, but the agent was offline"


def test_a_wait_due_when_the_grace_ends_is_missed_without_a_decision() -> None:
    scenario = one_conversation("offline-stays", GRACE, flicker(None), 40)
    result = replay(scenario)
    floor = floor_of(scenario)
    [missed] = judge(result.record, [], floor).missed
    assert missed.why.startswith("due from 25.000 on fresh data")
    assert judge(result.record, [], dataclasses.replace(floor, until=26.9)).ok
