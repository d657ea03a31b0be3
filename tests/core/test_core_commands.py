"""Supervisor commands: their JSON form, read into values, and the refusals a caller shows."""

from __future__ import annotations

import pytest
from core_harness import assert_refused, waiting_floor

from engine.core import (
    AgentState,
    AuditType,
    CommandError,
    Extend,
    Hold,
    HoldAgent,
    Policy,
    Refused,
    Release,
    ReleaseAgent,
    Seen,
    SetDryRun,
    SetPolicy,
    UnassignNow,
    parse_command,
    parse_command_text,
)
from engine.core.views import ConversationView


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ('{"hold": "c1"}', Hold(conv="c1", until=None, by="ana")),
        ('{"hold": "c1", "until": 60}', Hold(conv="c1", until=1060.0, by="ana")),
        ('{"release": "c1"}', Release(conv="c1", by="ana")),
        ('{"extend": {"conv": "c1", "seconds": 30}}', Extend(conv="c1", seconds=30.0, by="ana")),
        ('{"unassign": "c1"}', UnassignNow(conv="c1", by="ana")),
        ('{"hold_agent": "a1", "until": 5}', HoldAgent(agent="a1", until=1005.0, by="ana")),
        ('{"release_agent": "a1"}', ReleaseAgent(agent="a1", by="ana")),
        ('{"dry_run": true}', SetDryRun(on=True, by="ana")),
        (
            '{"policy": {"online": 60, "away": null}}',
            SetPolicy(policy=Policy.from_mapping({"online": 60, "away": None}), by="ana"),
        ),
    ],
)
def test_each_json_form_reads_into_its_command(line: str, command: object) -> None:
    assert parse_command_text(line, by="ana", origin=1000.0) == command


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("not json", "not JSON"),
        ("[1]", "expected a JSON object"),
        ("{}", "expected exactly one of"),
        ('{"hold": "c1", "release": "c1"}', "got hold and release"),
        ('{"hold": ""}', "hold: expected a non-empty id"),
        ('{"hold": 7}', "hold: expected a non-empty id"),
        ('{"release": "c1", "until": 5}', "until: goes only with"),
        ('{"hold": "c1", "until": "soon"}', "until: expected a number of seconds"),
        ('{"hold": "c1", "until": true}', "until: expected a number of seconds"),
        ('{"extend": {"conv": "c1"}}', "extend: expected"),
        ('{"extend": {"conv": "c1", "seconds": 0}}', "extend.seconds: must be positive"),
        ('{"extend": {"conv": "c1", "seconds": NaN}}', "extend.seconds: expected a number"),
        ('{"policy": {"online": -1}}', "policy.online"),
        ('{"dry_run": "yes"}', "dry_run: expected true or false"),
        ('{"hold": "c1", "by": "mallory"}', "by: unknown field"),
    ],
)
def test_a_malformed_command_names_what_is_wrong(line: str, words: str) -> None:
    with pytest.raises(CommandError, match=words.replace("(", r"\(")):
        parse_command_text(line, by="ana")


def test_who_gave_a_command_is_the_callers_word_not_the_documents() -> None:
    command = parse_command({"unassign": "c1"}, by="ana")
    floor = waiting_floor()
    assert floor.engine.execute(command, 5.0) is None
    floor.collect()
    [asked] = floor.events(AuditType.OVERRIDE_UNASSIGN_NOW)
    assert (asked.conv, asked.agent, asked.by) == ("c1", "a1", "ana")


def test_a_refusal_carries_the_command_and_audits_nothing() -> None:
    floor = waiting_floor()
    command = ReleaseAgent(agent="a1", by="ana")
    assert floor.engine.execute(command, 5.0) == Refused(
        command, "release agent a1: the agent is not held"
    )
    floor.collect()
    assert floor.events(AuditType.OVERRIDE_RELEASE) == []


def test_setting_dry_run_to_what_it_is_changes_and_audits_nothing() -> None:
    floor = waiting_floor(dry_run=True)
    assert floor.engine.execute(SetDryRun(on=True, by="ana"), 5.0) is None
    floor.collect()
    assert floor.events(AuditType.DRY_RUN_CHANGED) == []
    assert floor.engine.read.dry_run


# ---------------------------------------------------------------------- what the supervisor saw


def _seen(floor_view: ConversationView) -> Seen:
    return Seen(floor_view.conv_id, floor_view.agent, floor_view.wait_key)


def test_a_row_command_on_the_row_as_shown_is_carried_out() -> None:
    floor = waiting_floor()
    seen = _seen(floor.view("c1"))
    assert seen.wait_key is not None
    assert floor.engine.execute(UnassignNow(conv="c1", by="ana", seen=seen), 5.0) is None


def test_a_row_command_is_refused_when_the_conversation_moved_to_another_agent() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    seen = _seen(floor.view("c1"))
    floor.assign("c1", 3.0, "a2")
    floor.consumer_says("c1", 4.0)
    for command in (
        UnassignNow(conv="c1", by="ana", seen=seen),
        Hold(conv="c1", by="ana", seen=seen),
        Extend(conv="c1", seconds=60, by="ana", seen=seen),
        Release(conv="c1", by="ana", seen=seen),
        HoldAgent(agent="a1", by="ana", seen=seen),
    ):
        refused = floor.engine.execute(command, 5.0)
        assert refused is not None
        assert refused.reason == "c1 is now with a2; nothing was done"
    floor.collect()
    assert floor.events(AuditType.OVERRIDE_UNASSIGN_NOW, AuditType.OVERRIDE_HOLD) == []


def test_a_row_command_is_refused_when_the_wait_it_showed_is_over() -> None:
    floor = waiting_floor()
    seen = _seen(floor.view("c1"))
    floor.agent_says("c1", 3.0)
    floor.consumer_says("c1", 4.0)
    assert_refused(
        floor.engine.execute(UnassignNow(conv="c1", by="ana", seen=seen), 5.0),
        "c1 waits on a newer message than the one shown; nothing was done",
    )
    floor.agent_says("c1", 6.0)
    assert_refused(
        floor.engine.execute(Hold(conv="c1", by="ana", seen=seen), 7.0),
        "a1 has answered c1; nothing was done",
    )


def test_a_row_command_is_refused_when_the_conversation_left_or_went_back_to_the_queue() -> None:
    floor = waiting_floor()
    floor.open("c2", 0.0, "a1", consumer_at=0.0)
    seen_c1, seen_c2 = _seen(floor.view("c1")), _seen(floor.view("c2"))
    floor.assign("c1", 2.0, None)
    floor.close("c2", 2.0)
    assert_refused(
        floor.engine.execute(UnassignNow(conv="c1", by="ana", seen=seen_c1), 3.0),
        "c1 is back in the queue; nothing was done",
    )
    assert_refused(
        floor.engine.execute(Release(conv="c2", by="ana", seen=seen_c2), 3.0),
        "c2 has left the floor (closed); nothing was done",
    )


def test_the_json_form_carries_what_was_seen() -> None:
    line = '{"unassign": "c1", "seen": {"agent": "a1", "wait": "c1|a1|0.000"}}'
    assert parse_command_text(line, by="ana") == UnassignNow(
        conv="c1", by="ana", seen=Seen("c1", "a1", "c1|a1|0.000")
    )
    line = '{"hold_agent": "a1", "seen": {"conv": "c1", "agent": "a1", "wait": null}}'
    assert parse_command_text(line, by="ana") == HoldAgent(
        agent="a1", by="ana", seen=Seen("c1", "a1", None)
    )
    with pytest.raises(CommandError, match="seen: goes only with a row command"):
        parse_command_text('{"dry_run": true, "seen": {"agent": null, "wait": null}}', by="ana")
    with pytest.raises(CommandError, match=r"seen\.agent: expected a string"):
        parse_command_text('{"hold": "c1", "seen": {"agent": 5, "wait": null}}', by="ana")
