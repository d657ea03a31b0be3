"""The oracle judges fallback skills from the platform's record: a removal by an action must
move the conversation where its skill's `on_unassign` says, unless the hourly limit is met."""

from __future__ import annotations

from oracle_support import decisions_of

from fixtures.oracle import judge
from fixtures.oracle.moves import POLICY_WINDOW, MoveJudge
from fixtures.platform.record import RecordEntry, RecordKind
from fixtures.replay import replay
from fixtures.scenario import load_scenario
from fixtures.soak import floor_of, judge_result


def test_the_fallback_scenarios_are_judged_right() -> None:
    for name in ("fallback-skill", "fallback-limit"):
        scenario = load_scenario(name)
        verdict = judge_result(scenario, replay(scenario))
        assert verdict.ok, [str(f) for f in verdict.wrong]


def test_a_removal_left_in_its_queue_against_the_policy_is_wrong() -> None:
    scenario = load_scenario("fallback-skill")
    result = replay(scenario)
    not_moved = [e for e in result.record if e.kind is not RecordKind.CONVERSATION_TRANSFERRED]
    verdict = judge(not_moved, decisions_of(result), floor_of(scenario), result.refused)
    wrong = verdict.wrong[0]  # (Olga's removal later, on billing as far as this record says)
    assert (wrong.at, wrong.conv, wrong.agent) == (60.0, "c1", "a1")
    assert wrong.why == "sent to its own queue from billing; the policy said skill overflow"


def test_a_move_past_the_hourly_limit_is_wrong() -> None:
    scenario = load_scenario("fallback-limit")
    result = replay(scenario)
    record = list(result.record)
    second = next(
        i
        for i, e in enumerate(record)
        if e.kind is RecordKind.AGENT_REMOVED and e.agent == "o1" and e.detail == "action"
    )
    moved = RecordEntry(
        record[second].at, RecordKind.CONVERSATION_TRANSFERRED, "c1", None, "billing"
    )
    record.insert(second + 1, moved)
    verdict = judge(record, decisions_of(result), floor_of(scenario), result.refused)
    assert [f.why for f in verdict.wrong] == [
        "sent to skill billing from overflow; the policy said its queue"
    ]


def test_a_move_retried_after_a_policy_change_is_judged_by_every_policy_of_the_window() -> None:
    """Decided under a policy set at the start, lost, sent again just after a change: the policy
    in force when the window began still allows it; a window later it no longer does."""
    old = {"skills": {"loyalty": {"on_unassign": "skill:support"}}}
    new = {"skills": {"loyalty": {"on_unassign": "skill:sales"}}}
    moves = MoveJudge(old)
    moves.policy_set(1000.0, new)

    def moved_to_support(conv: str, t: float) -> None:
        moves.removed(conv, "a1", t, "loyalty")
        moves.see(RecordEntry(t, RecordKind.CONVERSATION_TRANSFERRED, conv, None, "support"))

    moved_to_support("c1", 1001.0)
    assert moves.wrong == []
    moved_to_support("c2", 1000.0 + POLICY_WINDOW + 1)
    assert [(f.conv, f.why) for f in moves.wrong] == [
        ("c2", "sent to skill support from loyalty; the policy said skill sales")
    ]
