"""Supervisor commands: their JSON form, read into values, and the refusals a caller shows."""

from __future__ import annotations

import pytest
from core_harness import waiting_floor

from engine.core import (
    AuditType,
    CommandError,
    Extend,
    Hold,
    HoldAgent,
    Policy,
    Refused,
    Release,
    ReleaseAgent,
    SetDryRun,
    SetPolicy,
    UnassignNow,
    parse_command,
    parse_command_text,
)


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
