"""The scenario schema: every problem is one line naming the path of the bad field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures import scenario as scenario_module
from fixtures.scenario import (
    STEP_KINDS,
    ScenarioError,
    list_scenarios,
    load_scenario,
    parse_scenario,
)


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "t",
        "policy": {"online": 60, "away": 30, "offline": 10},
        "agents": [
            {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
            {"id": "a2", "name": "Bo", "skills": ["sales"], "state": "AWAY"},
        ],
        "conversations": [
            {"id": "c1", "skill": "sales", "agent": "a1"},
            {"id": "c2", "skill": "sales", "agent": None},
        ],
        "timeline": [],
        "until": 120,
    }
    base.update(changes)
    return base


def problems(data: object) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_a_valid_document_gets_the_documented_defaults() -> None:
    s = parse_scenario(doc())
    assert s.routing.delay == 1.0
    assert s.agents[0].max_conversations == 8
    assert s.agents[0].bot is False
    assert s.wire_shape == "raw"
    assert s.conversations[1].agent is None
    assert s.engine_policy().default.away == 30
    assert s.policy == {"online": 60, "away": 30, "offline": 10}


def test_bad_agent_state_names_the_step_and_field() -> None:
    timeline = [{"at": i, "consumer_message": {"conv": "c1"}} for i in range(3)]
    timeline.append({"at": 5, "agent_state": {"agent": "a1", "state": "SLEEPING"}})
    assert problems(doc(timeline=timeline)) == [
        "timeline[3].agent_state.state: Input should be 'ONLINE', 'AWAY', 'BACK_SOON' or 'OFFLINE'"
    ]


def test_unknown_agent_reference() -> None:
    conversations = [*doc()["conversations"], {"id": "c3", "skill": "sales", "agent": "a9"}]
    assert problems(doc(conversations=conversations)) == [
        "conversations[2].agent: unknown agent 'a9'"
    ]


def test_unknown_agent_in_steps_and_expectations() -> None:
    timeline = [
        {"at": 1, "assign": {"conv": "c1", "agent": "zz"}},
        {"at": 2, "supervisor": {"hold_agent": "zz"}},
    ]
    expect = [{"type": "unassign.decided", "conv": "c1", "agent": "zz"}]
    assert problems(doc(timeline=timeline, expect=expect)) == [
        "timeline[0].assign.agent: unknown agent 'zz'",
        "timeline[1].supervisor.hold_agent: unknown agent 'zz'",
        "expect[0].agent: unknown agent 'zz'",
    ]


def test_negative_time() -> None:
    timeline = [{"at": -1, "consumer_message": {"conv": "c1"}}]
    assert problems(doc(timeline=timeline)) == [
        "timeline[0].at: Input should be greater than or equal to 0"
    ]


def test_unknown_step_key() -> None:
    [line] = problems(doc(timeline=[{"at": 1, "wait": {"conv": "c1"}}]))
    assert line.startswith("timeline[0].wait: unknown step key (expected one of consumer_message,")


def test_two_actions_in_one_step() -> None:
    step = {"at": 1, "consumer_message": {"conv": "c1"}, "agent_state": {"agent": "a1"}}
    assert problems(doc(timeline=[step])) == [
        "timeline[0]: a step has one action besides 'at', got consumer_message and agent_state"
    ]


def test_a_step_without_action() -> None:
    [line] = problems(doc(timeline=[{"at": 1}]))
    assert line.startswith("timeline[0]: a step needs one action besides 'at'")


def test_bad_policy_values_name_the_threshold() -> None:
    assert problems(doc(policy={"online": -5})) == [
        "policy.online: must be a non-negative number of seconds, got -5"
    ]
    bad_override = {"online": 60, "skills": {"billing": {"away": "soon"}}}
    assert problems(doc(policy=bad_override)) == [
        "policy.skills.billing.away: expected a number of seconds or null, got 'soon'"
    ]
    step = {"at": 3, "supervisor": {"policy": {"offline": "x"}}}
    assert problems(doc(timeline=[step])) == [
        "timeline[0].supervisor.policy.offline: expected a number of seconds or null, got 'x'"
    ]


def test_unknown_fields_anywhere() -> None:
    data = doc(colour="blue")
    data["agents"][0]["team"] = "red"
    assert problems(data) == ["agents[0].team: unknown field", "colour: unknown field"]


def test_missing_required_fields_and_types() -> None:
    data = doc()
    del data["until"]
    data["agents"][1]["max_conversations"] = 0
    data["agents"][1]["bot"] = "yes"
    assert problems(data) == [
        "agents[1].max_conversations: Input should be greater than or equal to 1",
        "agents[1].bot: Input should be a valid boolean",
        "until: Field required",
    ]


def test_an_agent_needs_a_skill() -> None:
    data = doc()
    data["agents"][0]["skills"] = []
    assert problems(data) == ["agents[0].skills: an agent needs at least one skill"]


def test_duplicate_ids() -> None:
    data = doc()
    data["agents"].append({"id": "a1", "name": "Again", "skills": ["x"], "state": "ONLINE"})
    data["timeline"] = [{"at": 1, "open_conversation": {"id": "c2", "skill": "sales"}}]
    assert problems(data) == [
        "agents[2].id: duplicate agent id 'a1'",
        "timeline[0].open_conversation.id: duplicate conversation id 'c2'",
    ]


def test_conversations_exist_from_their_opening_step_on() -> None:
    timeline = [
        {"at": 5, "consumer_message": {"conv": "c3"}},
        {"at": 10, "open_conversation": {"id": "c3", "skill": "sales"}},
        {"at": 12, "supervisor": {"hold": "c9"}},
        {"at": 20, "consumer_message": {"conv": "c3"}},
    ]
    assert problems(doc(timeline=timeline)) == [
        "timeline[0].consumer_message.conv: conversation 'c3' is not open yet (opened at 10)",
        "timeline[2].supervisor.hold: unknown conversation 'c9'",
    ]


def test_nothing_acts_on_a_closed_conversation() -> None:
    timeline = [
        {"at": 5, "close_conversation": {"conv": "c1"}},
        {"at": 6, "agent_message": {"conv": "c1"}},
        {"at": 7, "supervisor": {"release": "c1"}},
    ]
    assert problems(doc(timeline=timeline)) == [
        "timeline[1].agent_message.conv: conversation 'c1' is already closed (timeline[0])"
    ]


def test_steps_must_not_come_after_until() -> None:
    timeline = [{"at": 121, "consumer_message": {"conv": "c1"}}]
    assert problems(doc(timeline=timeline)) == ["timeline[0].at: 121 is after until (120)"]


def test_the_timeline_is_stable_sorted_by_time() -> None:
    timeline = [
        {"at": 9, "consumer_message": {"conv": "c1", "text": "late"}},
        {"at": 3, "consumer_message": {"conv": "c1", "text": "first"}},
        {"at": 3, "consumer_message": {"conv": "c1", "text": "second"}},
    ]
    s = parse_scenario(doc(timeline=timeline))
    texts = [step.consumer_message.text for step in s.timeline if step.consumer_message]
    assert texts == ["first", "second", "late"]
    assert [step.kind for step in s.timeline] == ["consumer_message"] * 3


def test_fault_spellings() -> None:
    timeline = [
        {"at": 1, "fault": "drop_socket"},
        {"at": 2, "fault": {"stall_feed": 4.5}},
        {"at": 3, "fault": "reorder_next"},
    ]
    faults = [step.fault for step in parse_scenario(doc(timeline=timeline)).timeline]
    assert [(f.kind, f.stall_feed) for f in faults if f] == [
        ("drop_socket", None),
        ("stall_feed", 4.5),
        ("reorder_next", None),
    ]
    bad = [
        {"at": 1, "fault": "explode"},
        {"at": 2, "fault": {"stall_feed": 0}},
        {"at": 3, "fault": {"stall": 2}},
    ]
    lines = problems(doc(timeline=bad))
    assert lines[0].startswith("timeline[0].fault: unknown fault 'explode' (expected 'drop_socket'")
    assert lines[1:] == [
        "timeline[1].fault.stall_feed: Input should be greater than 0",
        "timeline[2].fault.stall: unknown field",
    ]


def test_supervisor_steps() -> None:
    timeline = [
        {"at": 1, "supervisor": {"hold": "c1", "until": 50}},
        {"at": 2, "supervisor": {"extend": {"conv": "c1", "seconds": 30}}},
        {"at": 3, "supervisor": {"dry_run": True}},
        {"at": 4, "supervisor": {"policy": {"online": 90}}},
    ]
    steps = [step.supervisor for step in parse_scenario(doc(timeline=timeline)).timeline]
    assert [sup.kind for sup in steps if sup] == ["hold", "extend", "dry_run", "policy"]
    policy = steps[3].engine_policy() if steps[3] else None
    assert policy is not None and policy.default.online == 90
    bad = [
        {"at": 1, "supervisor": {"hold": "c1", "release": "c1"}},
        {"at": 2, "supervisor": {"release": "c1", "until": 9}},
        {"at": 3, "supervisor": {"extend": {"conv": "c1", "seconds": 0}}},
    ]
    assert problems(doc(timeline=bad)) == [
        "timeline[0].supervisor: expected exactly one of hold, release, extend, unassign, policy, "
        "hold_agent, release_agent, dry_run, give_back; got hold and release",
        "timeline[1].supervisor: 'until' goes only with 'hold' or 'hold_agent'",
        "timeline[2].supervisor.extend.seconds: Input should be greater than 0",
    ]
    hold_in_the_past = {"at": 4, "supervisor": {"hold": "c1", "until": 4}}
    assert problems(doc(timeline=[hold_in_the_past])) == [
        "timeline[0].supervisor.until: must be later than at (4)"
    ]


def test_expectations_and_wire_shape() -> None:
    expect = [{"type": "unassign.decided", "conv": "c1", "agent": "a1", "reason": "away", "at": 30}]
    s = parse_scenario(doc(expect=expect, wire_shape="raw"))
    assert s.expect[0].reason == "away" and s.wire_shape == "raw"
    bad = [{"type": "unassign.maybe"}, {"type": "feed.stale", "conv": "c7"}]
    lines = problems(doc(expect=bad))
    assert lines[0].startswith("expect[0].type: Input should be 'unassign.decided'")
    assert problems(doc(expect=bad[1:])) == ["expect[0].conv: unknown conversation 'c7'"]


def test_not_an_object() -> None:
    assert problems([1, 2]) == ["(scenario): expected an object, got a list"]
    assert problems(None) == ["(scenario): expected an object, got empty document"]


def test_step_kinds_cover_the_design() -> None:
    assert set(STEP_KINDS) == {
        "consumer_message",
        "agent_message",
        "agent_state",
        "open_conversation",
        "close_conversation",
        "assign",
        "transfer",
        "supervisor",
        "fault",
    }


# Loading ------------------------------------------------------------------------------------


def load_problems(ref: str | Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ref)
    assert "Traceback" not in str(caught.value)
    return caught.value.problems


def test_load_json_and_yaml_files(tmp_path: Path) -> None:
    json_path = tmp_path / "one.json"
    json_path.write_text(json.dumps(doc(name="from-json")))
    assert load_scenario(json_path).name == "from-json"
    yaml_path = tmp_path / "two.yaml"
    yaml_path.write_text(
        "name: from-yaml\n"
        "until: 60\n"
        "agents:\n"
        "  - {id: a1, name: Ana, skills: [sales], state: ONLINE}\n"
        "conversations:\n"
        "  - {id: c1, skill: sales, agent: a1}\n"
        "timeline:\n"
        "  - {at: 0, consumer_message: {conv: c1, text: hi}}\n"
        "  - {at: 5, fault: drop_socket}\n"
    )
    s = load_scenario(str(yaml_path))
    assert s.name == "from-yaml"
    assert [step.kind for step in s.timeline] == ["consumer_message", "fault"]


def test_bad_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "name": "x",\n  "until": 10\n  "agents": []\n}\n')
    assert load_problems(path) == [
        f"{path}: invalid JSON at line 4, column 3: Expecting ',' delimiter"
    ]


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"name": "x", "until": 10, "until": 20}')
    assert load_problems(path) == [f"{path}: invalid JSON: duplicate key until"]
    yaml_path = tmp_path / "dup.yml"
    yaml_path.write_text("name: x\nuntil: 10\nuntil: 20\n")
    assert load_problems(yaml_path) == [
        f"{yaml_path}: invalid YAML at line 3, column 1: duplicate key 'until'"
    ]


def test_bad_yaml_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nagents: [\n  {id: a1\n")
    [line] = load_problems(path)
    assert line.startswith(f"{path}: invalid YAML at line 4, column 1:")


def test_schema_errors_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc(until=-1)))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems == ["until: Input should be greater than 0"]
    assert caught.value.source == str(path)


def test_missing_files_and_unknown_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_problems(tmp_path / "nope.json") == [
        f"{tmp_path / 'nope.json'}: no such scenario file"
    ]
    assert load_problems(tmp_path / "notes.txt") == [
        f"{tmp_path / 'notes.txt'}: expected a .json, .yaml or .yml file"
    ]
    monkeypatch.setattr(scenario_module, "SCENARIOS_DIR", tmp_path)
    (tmp_path / "alpha.json").write_text(json.dumps(doc(name="alpha")))
    (tmp_path / "beta.yaml").write_text("name: beta\nuntil: 5\n")
    assert list_scenarios() == ["alpha", "beta"]
    assert load_scenario("alpha").name == "alpha"
    assert load_scenario("beta").name == "beta"
    assert load_problems("gamma") == [f"gamma: no such scenario in {tmp_path} (known: alpha, beta)"]
