"""The oracle judges decisions from the platform record alone, and it can say no: a decision
made too early, on a held or answered conversation, on stale data, or never made, is caught."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from oracle_support import decisions_of, judged, one_conversation

from fixtures.oracle import Decision, judge
from fixtures.platform.record import RecordEntry, RecordKind
from fixtures.replay import replay
from fixtures.scenario import list_scenarios, load_scenario
from fixtures.soak import floor_of, judge_result


@pytest.mark.parametrize("name", list_scenarios())
def test_every_scenario_is_judged_right(name: str) -> None:
    scenario = load_scenario(name)
    verdict = judge_result(scenario, replay(scenario))
    assert verdict.ok, [str(f) for f in [*verdict.wrong, *verdict.missed]]


def test_a_decision_before_the_deadline_is_wrong() -> None:
    scenario = load_scenario("away-agent")
    result = replay(scenario)
    [decision] = decisions_of(result)
    early = dataclasses.replace(decision, at=decision.at - 5, as_of=decision.at - 5)
    verdict = judged(scenario, result, [early])
    assert [f.why for f in verdict.wrong] == ["its deadline (30.000) had not passed"]


def test_a_decision_that_never_came_is_missed() -> None:
    scenario = load_scenario("online-unresponsive")
    result = replay(scenario)
    due = 65.0
    before_the_unassign = [e for e in result.record if e.at < due]  # as if never sent
    floor = dataclasses.replace(floor_of(scenario), until=due + 5)
    verdict = judge(before_the_unassign, [], floor)
    assert judge(before_the_unassign, [], dataclasses.replace(floor, until=due + 1.9)).ok
    [missed] = verdict.missed
    assert (missed.conv, missed.agent) == ("c1", "a1")
    assert missed.why.startswith("due from 65.000 on fresh data")


def test_nothing_is_missed_while_the_conversations_are_unsubscribed() -> None:
    scenario = load_scenario("online-unresponsive")
    result = replay(scenario)
    due = 65.0
    record = [e for e in result.record if e.at < due]
    record.append(RecordEntry(due - 1, RecordKind.UNSUBSCRIBED, detail="conversations"))
    assert judge(record, [], dataclasses.replace(floor_of(scenario), until=due + 5)).ok


def test_a_decision_while_held_is_wrong() -> None:
    scenario = load_scenario("hold-and-release")
    result = replay(scenario)
    [decision] = decisions_of(result)
    hold = next(s.at for s in scenario.timeline if s.supervisor and s.supervisor.hold)
    while_held = dataclasses.replace(decision, at=hold + 70, as_of=hold + 70)
    [wrong] = judged(scenario, result, [while_held]).wrong
    assert wrong.why.startswith("the conversation was held")


def test_a_decision_after_the_agent_answered_is_wrong() -> None:
    scenario = load_scenario("agent-answers-in-time")
    result = replay(scenario)
    late = Decision(at=60.0, conv="c1", agent="a1", reason="online", as_of=59.5)
    [wrong] = judged(scenario, result, [late]).wrong
    assert wrong.why.startswith("the agent had answered")


@pytest.mark.parametrize(
    ("as_of", "why"),
    [
        (None, "the decision names no freshness barrier"),
        (20.0, "its data are 10.000 s old"),
        (31.0, "its data (31.000) are from after the decision"),
    ],
)
def test_a_decision_without_fresh_data_is_wrong(as_of: float | None, why: str) -> None:
    scenario = load_scenario("away-agent")
    result = replay(scenario)
    [decision] = decisions_of(result)
    claim = dataclasses.replace(decision, as_of=as_of)
    [wrong] = judge(result.record, [claim], floor_of(scenario)).wrong
    assert wrong.why == why


def test_a_decision_with_no_keep_alive_answered_is_wrong() -> None:
    scenario = load_scenario("away-agent")
    result = replay(scenario)
    [decision] = decisions_of(result)
    claim = dataclasses.replace(decision, at=decision.at - 1, as_of=decision.at - 1.5)
    [wrong] = judge(result.record, [claim], floor_of(scenario)).wrong
    assert wrong.why == "no keep-alive was answered between its data and the decision"


def test_a_removal_twice_from_the_same_wait_is_reported() -> None:
    scenario = load_scenario("away-agent")
    result = replay(scenario)
    applied = [e for e in result.record if e.kind.value == "action.applied"]
    removed = [e for e in result.record if e.kind.value == "agent.removed"]
    assert len(applied) == len(removed) == 1
    index = result.record.index(removed[0])
    doubled = [*result.record[: index + 1], removed[0], *result.record[index + 1 :]]
    verdict = judge(doubled, decisions_of(result), floor_of(scenario))
    assert [f.conv for f in verdict.double_actions] == ["c1"]


def test_the_oracle_shares_no_code_with_the_engine() -> None:
    """Every module of the oracle imports, among ours, only the platform record and the
    oracle's own modules (relative imports resolved)."""
    modules = sorted(Path("fixtures/oracle").glob("*.py"))
    assert modules, "the oracle package is gone"
    ours: set[str] = set()
    for path in modules:
        package = ["fixtures", "oracle"]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                ours.add(".".join([*base, *([node.module] if node.module else [])]))
            elif isinstance(node, ast.Import):
                ours.update(alias.name for alias in node.names)
    ours = {name for name in ours if name.split(".")[0] in {"engine", "fixtures", "tui", "bench"}}
    own = {
        name for name in ours if name == "fixtures.oracle" or name.startswith("fixtures.oracle.")
    }
    assert ours - own == {"fixtures.platform.record"}
    record_source = Path("fixtures/platform/record.py").read_text()
    assert "import engine" not in record_source and "from engine" not in record_source


def test_a_supervisor_command_counts_from_when_it_is_given_not_from_the_barrier() -> None:
    """The engine knows its own commands at once: a policy change given after the barrier
    began but before the decision is part of what it decided on (the agent's answer that
    landed in between is a race, not a fault)."""
    scenario = one_conversation(
        "policy-after-the-barrier",
        {"online": 60},
        [
            {"at": 20, "supervisor": {"policy": {"online": 10}}},
            {"at": 20.05, "agent_message": {"conv": "c1"}},
        ],
        40,
    )
    result = replay(scenario)
    [decision] = decisions_of(result)
    after_the_command = dataclasses.replace(decision, at=20.1, as_of=19.5)
    assert judged(scenario, result, [after_the_command]).ok
    before_the_command = dataclasses.replace(decision, at=19.9, as_of=19.5)
    [wrong] = judged(scenario, result, [before_the_command]).wrong
    assert wrong.why.startswith("its deadline (60.000) had not passed")


def test_a_command_within_a_millisecond_after_the_decision_may_have_come_after_it() -> None:
    """Times are rounded to the millisecond: a policy change recorded 1 ms after a decision
    that it makes early may have reached the engine after it decided (seen in a soak)."""
    scenario = one_conversation(
        "policy-a-millisecond-later",
        {"online": 10},
        [{"at": 10.001, "supervisor": {"policy": {"online": 60}}}],
        40,
    )
    result = replay(scenario)
    [decision] = decisions_of(result)
    assert judged(scenario, result, [dataclasses.replace(decision, at=10.0, as_of=10.0)]).ok
    [wrong] = judged(scenario, result, [dataclasses.replace(decision, at=10.01, as_of=10.0)]).wrong
    assert wrong.why.startswith("its deadline (60.000) had not passed")


def test_a_state_that_flips_back_after_the_engine_saw_it_is_a_race() -> None:
    """The agent goes Offline and back Online 3 ms later: a decision made on the Offline
    reading (between the two) rests on a moment the platform really was in; one whose data
    all come after the flip back is wrong."""
    scenario = one_conversation(
        "offline-flicker",
        {"online": 60, "offline": 10},
        [
            {"at": 20, "agent_state": {"agent": "a1", "state": "OFFLINE"}},
            {"at": 20.003, "agent_state": {"agent": "a1", "state": "ONLINE"}},
        ],
        40,
    )
    result = replay(scenario)
    [decision] = decisions_of(result)
    assert decision.reason == "offline"
    on_the_flicker = dataclasses.replace(decision, at=20.02, as_of=19.9)
    assert judged(scenario, result, [on_the_flicker]).ok
    after_it = dataclasses.replace(decision, at=20.5, as_of=20.1)
    [wrong] = judged(scenario, result, [after_it]).wrong
    assert wrong.why == "its deadline (60.000) had not passed"


def test_a_timed_hold_that_ends_between_the_barrier_and_the_decision_no_longer_holds() -> None:
    scenario = one_conversation(
        "hold-ends-after-the-barrier",
        {"online": 60},
        [
            {"at": 10, "supervisor": {"hold": "c1", "until": 70}},
        ],
        90,
    )
    result = replay(scenario)
    [decision] = decisions_of(result)
    assert decision.at == 70
    assert judged(scenario, result, [dataclasses.replace(decision, at=70.01, as_of=69.9)]).ok
    [wrong] = judged(scenario, result, [dataclasses.replace(decision, at=69.95, as_of=69.9)]).wrong
    assert wrong.why == "the conversation was held"
