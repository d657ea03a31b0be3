"""Every field of a scenario document, made invalid, gives a `ScenarioError` naming its path;
`floorwatch replay` turns that into exit 2 with the path on stderr."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel

from fixtures.scenario import (
    STEP_KINDS,
    SUPERVISOR_KINDS,
    Scenario,
    ScenarioError,
    Step,
    load_scenario,
    parse_scenario,
)

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
Loc = tuple[str | int, ...]

POLICY = {"online": 60, "away": 30, "offline": 10, "skills": {"billing": {"online": 120}}}
STEPS: list[dict[str, Any]] = [
    {"at": 1, "consumer_message": {"conv": "c1", "text": "hello?"}},
    {"at": 2, "agent_message": {"conv": "c1", "text": "hi"}},
    {"at": 3, "agent_state": {"agent": "a1", "state": "AWAY"}},
    {"at": 4, "open_conversation": {"id": "c3", "skill": "sales", "agent": "a2"}},
    {"at": 5, "assign": {"conv": "c2", "agent": "a1"}},
    {"at": 6, "transfer": {"conv": "c3", "skill": "billing"}},
    {"at": 7, "supervisor": {"hold": "c1", "until": 50}},
    {"at": 8, "supervisor": {"release": "c1"}},
    {"at": 9, "supervisor": {"extend": {"conv": "c2", "seconds": 30}}},
    {"at": 10, "supervisor": {"unassign": "c2"}},
    {"at": 11, "supervisor": {"policy": {"online": 90, "skills": {"sales": {"away": 20}}}}},
    {"at": 12, "supervisor": {"hold_agent": "a2", "until": 60}},
    {"at": 13, "supervisor": {"release_agent": "a2"}},
    {"at": 14, "supervisor": {"dry_run": True}},
    {"at": 14.5, "supervisor": {"give_back": "c2", "refused": "nothing was taken"}},
    {"at": 15, "fault": "drop_socket"},
    {"at": 16, "fault": {"stall_feed": 2}},
    {"at": 17, "fault": "fail_next_action"},
    {"at": 18, "fault": "duplicate_last"},
    {"at": 19, "fault": {"kind": "reorder_next"}},
    {"at": 20, "close_conversation": {"conv": "c3"}},
]
BASE: dict[str, Any] = {
    "name": "every-field",
    "description": "one of everything the schema knows",
    "policy": POLICY,
    "routing": {"delay": 1.5},
    "agents": [
        {
            "id": "a1",
            "name": "Ana",
            "skills": ["sales", "billing"],
            "state": "ONLINE",
            "max_conversations": 4,
            "bot": False,
        },
        {"id": "a2", "name": "Bo", "skills": ["sales"], "state": "AWAY"},
    ],
    "conversations": [
        {"id": "c1", "skill": "sales", "agent": "a1"},
        {"id": "c2", "skill": "sales"},
    ],
    "timeline": STEPS,
    "until": 120,
    "expect": [
        {
            "type": "unassign.decided",
            "conv": "c1",
            "agent": "a1",
            "reason": "away",
            "at": 45,
            "detail": "away",
        }
    ],
    "wire_shape": "public",
    "expect_all_decisions": True,
}

FREE_TEXT = {"description", "agents[].name", "timeline[].consumer_message.text"}
FREE_TEXT |= {"timeline[].agent_message.text", "timeline[].supervisor.refused"}
FREE_TEXT |= {"expect[].detail"}
"""Strings any text is good for (only a non-string is refused)."""
NAMES = {"agents[].skills[]", "conversations[].skill", "timeline[].open_conversation.skill"}
NAMES |= {"timeline[].transfer.skill", "name"}
NAMES |= {"agents[].id", "conversations[].id", "timeline[].open_conversation.id"}
"""Identifiers that are not references: any non-empty text is good (a new id only leaves
the references to the old one unknown, named where they are)."""
WRONG_TYPE: list[object] = [["a", "list"]]


def schema_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every field path of the schema, lists as `[]`."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind, suffix = info.annotation, ""
        if get_origin(kind) in (Union, types.UnionType):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        if get_origin(kind) is list:
            kind, suffix = get_args(kind)[0], "[]"
        yield path + suffix
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from schema_paths(kind, f"{path}{suffix}.")


def normal(loc: Loc) -> str:
    """`timeline[3].assign.agent` -> `timeline[].assign.agent`."""
    return shown(tuple("" if isinstance(part, int) else part for part in loc))


def shown(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int) or part == "":
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def leaves(node: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    """Every node of the document with where it is, the document's root left out."""
    if loc:
        yield loc, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*loc, i))


def bad_values(loc: Loc, value: object) -> list[object]:
    path = normal(loc)
    if isinstance(value, list):
        return ["not-a-list", [] if path == "agents[].skills" else {"x": 1}]
    if isinstance(value, dict):
        return [*WRONG_TYPE, "not-an-object"]
    if isinstance(value, bool):
        return [*WRONG_TYPE, "yes", 1]
    if isinstance(value, int | float):
        return [*WRONG_TYPE, -1, "soon", True, float("nan"), float("inf")]
    if path in FREE_TEXT:
        return [*WRONG_TYPE, 5]
    if path in NAMES:
        return [*WRONG_TYPE, 5, ""]
    return [*WRONG_TYPE, 5, "", "zz-nobody-knows"]


def _changed(loc: Loc, value: object) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    node: Any = doc
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value
    return doc


def _without(loc: Loc) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    node: Any = doc
    for part in loc[:-1]:
        node = node[part]
    del node[loc[-1]]
    return doc


def _is_key(loc: Loc) -> bool:
    return isinstance(loc[-1], str)


CHANGES = [
    pytest.param(loc, value, id=f"{shown(loc)}={value!r}")
    for loc, current in leaves(BASE)
    for value in bad_values(loc, current)
]
UNKNOWN_KEYS = [
    pytest.param(loc, id=shown(loc) or "(scenario)")
    for loc, node in [((), BASE), *leaves(BASE)]
    if isinstance(node, dict)
]
DEFINITIONS = {("agents",), ("conversations",)}
"""Taking these away leaves every reference unknown: those are named where they are."""
REMOVALS = [
    pytest.param(loc, id=shown(loc))
    for loc, _ in leaves(BASE)
    if _is_key(loc) and loc not in DEFINITIONS
]


def problems(doc: object) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(doc)
    assert raised.value.problems, "a refusal names at least one problem"
    return raised.value.problems


def names(lines: list[str], loc: Loc) -> bool:
    path = shown(loc)
    return any(line.startswith((f"{path}:", f"{path}.")) for line in lines)


def test_the_document_is_valid_and_uses_every_field_of_the_schema() -> None:
    scenario = parse_scenario(copy.deepcopy(BASE))
    assert {step.kind for step in scenario.timeline} == set(STEP_KINDS)
    assert {s.supervisor.kind for s in scenario.timeline if s.supervisor} == set(SUPERVISOR_KINDS)
    faults = {s.fault.kind for s in scenario.timeline if s.fault}
    assert faults == {"drop_socket", "stall_feed", "fail_next_action", "duplicate_last"} | {
        "reorder_next"
    }
    in_document = {normal(loc) for loc, _ in leaves(BASE)}
    in_document |= {"timeline[].fault.kind"}  # the bare-name spelling of a fault is its kind
    schema = set(schema_paths(Scenario))
    schema |= {f"timeline[].{p}" for p in schema_paths(Step)} - {"timeline[].at"}
    assert schema - in_document == set(), "give the new fields a value in BASE"
    assert len(CHANGES) > 250


@pytest.mark.parametrize(("loc", "value"), CHANGES)
def test_a_bad_value_names_its_path(loc: Loc, value: object) -> None:
    lines = problems(_changed(loc, value))
    assert names(lines, loc), lines


@pytest.mark.parametrize("loc", UNKNOWN_KEYS)
def test_an_unknown_key_names_its_path(loc: Loc) -> None:
    lines = problems(_changed((*loc, "bogus"), 1))
    assert names(lines, (*loc, "bogus")), lines


@pytest.mark.parametrize("loc", REMOVALS)
def test_a_missing_field_names_its_path_or_its_parent(loc: Loc) -> None:
    doc = _without(loc)
    try:
        parse_scenario(doc)
    except ScenarioError as exc:
        assert names(exc.problems, loc) or names(exc.problems, loc[:-1]), exc.problems
        assert all(line.split(":")[0] for line in exc.problems)


def test_required_fields_are_named_when_missing() -> None:
    doc = _without(("until",))
    del doc["agents"][0]["state"], doc["timeline"][4]["assign"]["agent"], doc["expect"][0]["type"]
    assert problems(doc) == [
        "agents[0].state: Field required",
        "timeline[4].assign.agent: Field required",
        "until: Field required",
        "expect[0].type: Field required",
    ]


def test_a_document_nested_too_deeply_is_a_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 2_000)
    with pytest.raises(ScenarioError, match=str(path)):
        load_scenario(path)


def _replay(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FLOORWATCH), "replay", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_replay_exits_2_naming_every_bad_field(tmp_path: Path) -> None:
    doc = _changed(("timeline", 11, "supervisor", "until"), -5)
    doc["agents"][1]["max_conversations"] = 0
    doc["expect"][0]["reason"] = "boredom"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc))
    result = _replay(path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    text = result.stderr
    assert text.startswith("invalid scenario: ")
    for where in ("agents[1].max_conversations", "timeline[11].supervisor.until"):
        assert f"\n{where}: " in text or f": {where}: " in text
    assert "\nexpect[0].reason: Input should be 'online'" in text


def test_replay_of_a_json_file_with_a_bad_step_exits_2(tmp_path: Path) -> None:
    doc = _changed(("timeline", 15, "fault"), {"stall_feed": -2})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = _replay(path)
    assert result.returncode == 2, result.stderr
    assert "timeline[15].fault.stall_feed: Input should be greater than 0" in result.stderr
    assert "Traceback" not in result.stderr
