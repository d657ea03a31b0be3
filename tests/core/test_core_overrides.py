"""Supervisor overrides: hold, release, extend, unassign now, per-agent holds, live policy,
dry run, and what survives a restart."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest
from core_harness import Floor, assert_refused, conversation_commands, waiting_floor

from engine.core import (
    AgentState,
    AuditType,
    Extend,
    Hold,
    HoldAgent,
    Overrides,
    Reason,
    Release,
    ReleaseAgent,
    SetDryRun,
    SetPolicy,
    Status,
    UnassignNow,
)


def decisions(floor: Floor) -> list[tuple[float, str | None, Reason | None]]:
    return [(e.at, e.conv, e.reason) for e in floor.decided()]


# ---------------------------------------------------------------------- hold / release


def test_a_hold_until_released_exempts_the_conversation() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 10.0)
    floor.collect()
    [hold] = floor.events(AuditType.OVERRIDE_HOLD)
    assert (hold.at, hold.conv, hold.agent, hold.by, hold.detail) == (
        10.0,
        "c1",
        "a1",
        "sup",
        "until released",
    )
    view = floor.view("c1")
    assert (view.status, view.hold_until, view.deadline) == (Status.HELD, None, None)
    floor.advance(500.0)
    assert floor.decided() == []
    floor.engine.execute(Release(conv="c1", by="sup"), 500.0)
    floor.collect()
    [release] = floor.events(AuditType.OVERRIDE_RELEASE)
    assert (release.at, release.conv, release.by) == (500.0, "c1", "sup")
    assert floor.view("c1").deadline == 60.0
    floor.tick(500.0)
    assert decisions(floor) == [(500.0, "c1", Reason.ONLINE)]
    assert floor.actions[0].due_at == 60.0


def test_a_hold_until_a_time_past_the_deadline_decides_when_it_ends() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=100.0, by="sup"), 10.0)
    floor.collect()
    assert floor.events(AuditType.OVERRIDE_HOLD)[0].detail == "until 100.000"
    view = floor.view("c1")
    assert (view.status, view.hold_until, view.deadline) == (Status.HELD, 100.0, 100.0)
    floor.advance(99.0)
    assert floor.decided() == []
    floor.advance(200.0)
    [ended] = floor.events(AuditType.OVERRIDE_RELEASE)
    assert (ended.at, ended.conv, ended.by, ended.detail) == (100.0, "c1", "engine", "hold ended")
    assert decisions(floor) == [(100.0, "c1", Reason.ONLINE)]
    assert floor.actions[0].due_at == 60.0


def test_a_hold_ending_before_the_deadline_leaves_the_deadline_alone() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=40.0, by="sup"), 10.0)
    assert floor.view("c1").deadline == 60.0
    floor.advance(200.0)
    assert [e.at for e in floor.events(AuditType.OVERRIDE_RELEASE)] == [40.0]
    assert decisions(floor) == [(60.0, "c1", Reason.ONLINE)]
    view = floor.view("c1")
    assert (view.status, view.hold_until) == (Status.UNASSIGNING, None)


def test_a_timed_hold_ends_at_its_time_even_when_nothing_counts_down() -> None:
    floor = waiting_floor({"online": None})
    floor.engine.execute(Hold(conv="c1", until=100.0, by="sup"), 5.0)
    floor.advance(300.0)
    ended = [e for e in floor.events(AuditType.OVERRIDE_RELEASE) if e.detail == "hold ended"]
    assert [e.at for e in ended] == [100.0]
    assert floor.view("c1").hold_until is None


def test_a_hold_persists_across_waits_until_released() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 10.0)
    floor.agent_says("c1", 20.0)
    floor.consumer_says("c1", 30.0)
    assert floor.view("c1").status is Status.HELD
    floor.advance(1000.0)
    assert floor.decided() == []


@pytest.mark.parametrize("until", [10.0, 5.0])
def test_a_hold_must_end_in_the_future(until: float) -> None:
    floor = waiting_floor()
    assert_refused(floor.engine.execute(Hold(conv="c1", until=until, by="sup"), 10.0), "future")
    assert_refused(
        floor.engine.execute(HoldAgent(agent="a1", until=until, by="sup"), 10.0), "future"
    )
    assert floor.view("c1").status is Status.WATCHING


def test_release_clears_the_extension_and_a_pending_manual_unassign() -> None:
    floor = waiting_floor()
    floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 5.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 6.0)
    assert floor.view("c1").reason is Reason.MANUAL
    floor.engine.execute(Release(conv="c1", by="sup"), 7.0)
    view = floor.view("c1")
    assert (view.status, view.reason, view.extension, view.deadline) == (
        Status.WATCHING,
        Reason.ONLINE,
        0.0,
        60.0,
    )
    floor.advance(200.0)
    assert decisions(floor) == [(60.0, "c1", Reason.ONLINE)]


# ---------------------------------------------------------------------- extend


def test_extend_adds_seconds_to_the_current_wait() -> None:
    floor = waiting_floor()
    floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 5.0)
    floor.engine.execute(Extend(conv="c1", seconds=15.0, by="lead"), 6.0)
    floor.collect()
    assert [(e.at, e.by, e.conv, e.detail) for e in floor.events(AuditType.OVERRIDE_EXTEND)] == [
        (5.0, "sup", "c1", "+30 s"),
        (6.0, "lead", "c1", "+15 s"),
    ]
    view = floor.view("c1")
    assert (view.status, view.extension, view.deadline) == (Status.EXTENDED, 45.0, 105.0)
    floor.advance(104.0)
    assert floor.decided() == []
    floor.advance(200.0)
    assert decisions(floor) == [(105.0, "c1", Reason.ONLINE)]


def test_an_extension_applies_on_top_of_a_presence_change() -> None:
    floor = waiting_floor()
    floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 5.0)
    floor.presence("a1", AgentState.AWAY, 10.0)
    assert floor.view("c1").deadline == 60.0


def test_an_extension_ends_with_its_wait() -> None:
    floor = waiting_floor()
    floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 5.0)
    floor.agent_says("c1", 40.0)
    floor.consumer_says("c1", 50.0)
    view = floor.view("c1")
    assert (view.extension, view.deadline, view.status) == (0.0, 110.0, Status.WATCHING)


def test_an_extension_ends_with_the_agent() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 5.0)
    floor.assign("c1", 20.0, "a2")
    assert (floor.view("c1").extension, floor.view("c1").deadline) == (0.0, 80.0)


def test_extend_needs_a_consumer_message_waiting() -> None:
    floor = waiting_floor()
    floor.agent_says("c1", 10.0)
    assert_refused(
        floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 11.0), "no consumer message"
    )


def test_extend_is_refused_for_a_conversation_in_the_queue() -> None:
    """Its next agent starts afresh, so an extension given there would silently vanish."""
    floor = waiting_floor()
    floor.assign("c1", 10.0, None)  # back in the queue, the consumer's message still waiting
    assert_refused(
        floor.engine.execute(Extend(conv="c1", seconds=30.0, by="sup"), 11.0), "in the queue"
    )


@pytest.mark.parametrize("seconds", [0.0, -5.0, math.nan])
def test_extend_needs_a_positive_number_of_seconds(seconds: float) -> None:
    floor = waiting_floor()
    assert_refused(
        floor.engine.execute(Extend(conv="c1", seconds=seconds, by="sup"), 5.0),
        "seconds must be positive",
    )
    assert floor.view("c1").deadline == 60.0


# ---------------------------------------------------------------------- unassign now


def test_unassign_now_is_decided_at_the_next_tick_with_reason_manual() -> None:
    floor = waiting_floor()
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.collect()
    [command] = floor.events(AuditType.OVERRIDE_UNASSIGN_NOW)
    assert (command.at, command.conv, command.agent, command.by) == (10.0, "c1", "a1", "sup")
    view = floor.view("c1")
    assert (view.reason, view.deadline) == (Reason.MANUAL, 10.0)
    floor.tick(10.0)
    assert decisions(floor) == [(10.0, "c1", Reason.MANUAL)]
    [action] = floor.actions
    assert (action.reason, action.due_at, action.decided_at, action.agent) == (
        Reason.MANUAL,
        10.0,
        10.0,
        "a1",
    )


def test_unassign_now_skips_a_hold() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 5.0)
    floor.engine.execute(HoldAgent(agent="a1", until=None, by="sup"), 5.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.tick(10.0)
    assert decisions(floor) == [(10.0, "c1", Reason.MANUAL)]


def test_unassign_now_works_when_no_consumer_message_is_waiting() -> None:
    floor = waiting_floor()
    floor.agent_says("c1", 5.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.tick(10.0)
    assert decisions(floor) == [(10.0, "c1", Reason.MANUAL)]


def test_unassign_now_on_a_threshold_that_is_off() -> None:
    floor = waiting_floor({"online": None})
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.tick(10.0)
    assert decisions(floor) == [(10.0, "c1", Reason.MANUAL)]


def test_unassign_now_is_dropped_when_the_agent_changes_first() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.assign("c1", 10.0, "a2")
    floor.tick(10.0)
    assert floor.decided() == []
    assert floor.view("c1").reason is Reason.ONLINE


def test_unassign_now_is_not_lost_silently_when_the_agent_writes_before_the_tick() -> None:
    """The command is decided at the next tick with a barrier; if anything cancels it first,
    the audit log must say so (the supervisor saw override.unassign_now)."""
    floor = waiting_floor()
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.agent_says("c1", 10.5)
    floor.tick(11.0)
    after = floor.audit[[e.type for e in floor.audit].index(AuditType.OVERRIDE_UNASSIGN_NOW) + 1 :]
    outcome = (
        AuditType.UNASSIGN_DECIDED,
        AuditType.UNASSIGN_RACED,
        AuditType.OVERRIDE_RELEASE,
    )
    assert [e for e in after if e.conv == "c1" and e.type in outcome] != []


def test_unassign_now_is_refused_while_an_unassign_is_under_way() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    assert_refused(
        floor.engine.execute(UnassignNow(conv="c1", by="sup"), 61.0), "already under way"
    )


@pytest.mark.parametrize("command", ["hold", "release", "extend", "unassign_now"])
def test_commands_on_an_unknown_conversation_are_refused(command: str) -> None:
    engine = waiting_floor().engine
    commands = conversation_commands("c9")
    assert_refused(engine.execute(commands[command], 1.0), "c9 is not open")


# ---------------------------------------------------------------------- per-agent holds


def test_an_agent_hold_exempts_every_conversation_of_the_agent() -> None:
    floor = waiting_floor()
    floor.open("c2", 0.0, "a1", consumer_at=10.0)
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.open("c3", 0.0, "a2", consumer_at=0.0)
    floor.engine.execute(HoldAgent(agent="a1", until=None, by="sup"), 5.0)
    floor.collect()
    [hold] = floor.events(AuditType.OVERRIDE_HOLD)
    assert (hold.conv, hold.agent, hold.by, hold.detail) == (None, "a1", "sup", "until released")
    assert [floor.view(c).status for c in ("c1", "c2", "c3")] == [
        Status.HELD,
        Status.HELD,
        Status.WATCHING,
    ]
    assert {a.agent_id: a.held for a in floor.engine.read.agents()} == {"a1": True, "a2": False}
    floor.advance(99.0)
    assert decisions(floor) == [(60.0, "c3", Reason.ONLINE)]
    floor.open("c4", 100.0, "a1", consumer_at=100.0)
    assert floor.view("c4").status is Status.HELD
    floor.advance(300.0)
    assert len(floor.decided()) == 1
    floor.engine.execute(ReleaseAgent(agent="a1", by="sup"), 300.0)
    floor.tick(300.0)
    assert sorted(decisions(floor)[1:]) == [
        (300.0, "c1", Reason.ONLINE),
        (300.0, "c2", Reason.ONLINE),
        (300.0, "c4", Reason.ONLINE),
    ]
    release = floor.events(AuditType.OVERRIDE_RELEASE)[-1]
    assert (release.agent, release.conv, release.by) == ("a1", None, "sup")


def test_a_timed_agent_hold_ends_at_its_time() -> None:
    floor = waiting_floor()
    floor.engine.execute(HoldAgent(agent="a1", until=100.0, by="sup"), 5.0)
    view = floor.view("c1")
    assert (view.status, view.hold_until, view.deadline) == (Status.HELD, 100.0, 100.0)
    floor.advance(200.0)
    [ended] = floor.events(AuditType.OVERRIDE_RELEASE)
    assert (ended.at, ended.agent, ended.detail) == (100.0, "a1", "hold ended")
    assert decisions(floor) == [(100.0, "c1", Reason.ONLINE)]


def test_the_later_of_a_conversation_hold_and_an_agent_hold_applies() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=80.0, by="sup"), 5.0)
    floor.engine.execute(HoldAgent(agent="a1", until=120.0, by="sup"), 5.0)
    assert floor.view("c1").hold_until == 120.0
    floor.advance(300.0)
    assert decisions(floor) == [(120.0, "c1", Reason.ONLINE)]


def test_a_timed_agent_hold_ends_even_when_the_agent_has_nothing_waiting() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.engine.execute(HoldAgent(agent="a1", until=20.0, by="sup"), 1.0)
    floor.advance(25.0)
    assert [a.held for a in floor.engine.read.agents()] == [False]
    ended = [e for e in floor.events(AuditType.OVERRIDE_RELEASE) if e.agent == "a1"]
    assert [(e.at, e.detail) for e in ended] == [(20.0, "hold ended")]


def test_releasing_an_agent_that_is_not_held_is_refused() -> None:
    floor = waiting_floor()
    assert_refused(floor.engine.execute(ReleaseAgent(agent="a1", by="sup"), 1.0), "not held")


# ---------------------------------------------------------------------- dry run


def test_dry_run_decides_and_records_but_never_acts() -> None:
    floor = waiting_floor(dry_run=True)
    assert floor.engine.read.dry_run is True
    floor.advance(100.0)
    [decided] = floor.decided()
    assert (decided.at, decided.conv, decided.reason) == (60.0, "c1", Reason.ONLINE)
    assert "dry run" in decided.detail
    assert floor.actions == []
    assert floor.view("c1").status is Status.WOULD_UNASSIGN


def test_dry_run_never_decides_the_same_wait_twice() -> None:
    floor = waiting_floor(dry_run=True)
    floor.advance(100.0)
    floor.engine.execute(SetPolicy(policy=floor.engine.read.policy, by="sup"), 100.0)
    floor.presence("a1", AgentState.OFFLINE, 110.0)
    floor.consumer_says("c1", 120.0)
    floor.advance(1000.0)
    floor.engine.execute(SetDryRun(on=False, by="sup"), 1000.0)
    floor.advance(2000.0)
    assert len(floor.decided()) == 1
    assert floor.actions == []


def test_dry_run_does_not_decide_a_wait_again_after_unassign_now_and_release() -> None:
    """The wait c1|a1|0 is decided (dry run), then a manual unassign is decided (dry run), then
    the supervisor releases: the first wait must not be decided a second time."""
    floor = waiting_floor({"online": 0}, dry_run=True)
    floor.tick(1.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 2.0)
    floor.tick(2.0)
    floor.engine.execute(Release(conv="c1", by="sup"), 3.0)
    floor.tick(3.0)
    keys = [e.key for e in floor.decided()]
    assert len(keys) == len(set(keys)), keys
    assert [(e.at, e.reason) for e in floor.decided()] == [
        (1.0, Reason.ONLINE),
        (2.0, Reason.MANUAL),
    ]


def test_dry_run_decides_each_new_wait() -> None:
    floor = waiting_floor(dry_run=True)
    floor.advance(100.0)
    floor.agent_says("c1", 110.0)
    floor.consumer_says("c1", 120.0)
    floor.advance(1000.0)
    assert [(e.at, "dry run" in e.detail) for e in floor.decided()] == [
        (60.0, True),
        (180.0, True),
    ]
    assert floor.actions == []


def test_dry_run_switch_is_audited_once_per_change() -> None:
    floor = waiting_floor()
    floor.engine.execute(SetDryRun(on=True, by="sup"), 1.0)
    floor.engine.execute(SetDryRun(on=True, by="sup"), 2.0)
    floor.engine.execute(SetDryRun(on=False, by="lead"), 3.0)
    floor.collect()
    assert [(e.at, e.by, e.detail) for e in floor.events(AuditType.DRY_RUN_CHANGED)] == [
        (1.0, "sup", "on"),
        (3.0, "lead", "off"),
    ]
    floor.advance(100.0)
    assert len(floor.actions) == 1
    assert "dry run" not in floor.decided()[0].detail


def test_dry_run_switched_on_mid_wait_applies_to_the_next_decision() -> None:
    floor = waiting_floor()
    floor.engine.execute(SetDryRun(on=True, by="sup"), 30.0)
    floor.advance(100.0)
    assert floor.actions == []
    assert "dry run" in floor.decided()[0].detail


# ---------------------------------------------------------------------- restart


def test_overrides_capture_holds_extensions_and_dry_run() -> None:
    floor = waiting_floor()
    floor.open("c2", 0.0, "a1", consumer_at=0.0)
    floor.engine.execute(Hold(conv="c1", until=100.0, by="sup"), 5.0)
    floor.engine.execute(Extend(conv="c2", seconds=30.0, by="sup"), 5.0)
    floor.engine.execute(HoldAgent(agent="a2", until=None, by="sup"), 5.0)
    floor.engine.execute(SetDryRun(on=True, by="sup"), 5.0)
    assert floor.engine.overrides() == Overrides(
        conv_holds=MappingProxyType({"c1": 100.0}),
        agent_holds=MappingProxyType({"a2": None}),
        extensions=MappingProxyType({"c2": 30.0}),
        dry_run=True,
    )


def test_restored_overrides_apply_to_conversations_as_they_appear() -> None:
    saved = Overrides(
        conv_holds=MappingProxyType({"c1": 100.0}),
        agent_holds=MappingProxyType({"a2": None}),
        extensions=MappingProxyType({"c2": 30.0}),
        dry_run=True,
    )
    floor = Floor()
    floor.engine.restore(saved)
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1", consumer_at=0.0)
    floor.open("c2", 0.0, "a1", consumer_at=0.0)
    floor.open("c3", 0.0, "a2", consumer_at=0.0)
    assert (floor.view("c1").status, floor.view("c1").hold_until) == (Status.HELD, 100.0)
    assert (floor.view("c2").extension, floor.view("c2").deadline) == (30.0, 90.0)
    assert floor.view("c3").status is Status.HELD
    assert floor.engine.read.dry_run is True
    assert floor.engine.overrides() == saved


@pytest.mark.parametrize("kind", ["conversation", "agent"])
def test_a_restored_timed_hold_ends_at_its_time(kind: str) -> None:
    saved = (
        Overrides(conv_holds=MappingProxyType({"c1": 50.0}))
        if kind == "conversation"
        else Overrides(agent_holds=MappingProxyType({"a1": 50.0}))
    )
    floor = Floor()
    floor.engine.restore(saved)
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1", consumer_at=0.0)
    assert (floor.view("c1").status, floor.view("c1").hold_until) == (Status.HELD, 50.0)
    floor.advance(200.0)
    ended = [e for e in floor.events(AuditType.OVERRIDE_RELEASE) if e.detail == "hold ended"]
    assert [e.at for e in ended] == [50.0]
    assert decisions(floor) == [(60.0, "c1", Reason.ONLINE)]
    assert [a.held for a in floor.engine.read.agents()] == [False]


def test_restored_overrides_apply_to_conversations_already_known() -> None:
    floor = waiting_floor()
    floor.engine.restore(Overrides(conv_holds=MappingProxyType({"c1": None})))
    assert floor.view("c1").status is Status.HELD


def test_overrides_keep_restored_holds_of_conversations_not_seen_yet() -> None:
    """Saving right after a restore (before the snapshot arrived) must not lose holds."""
    saved = Overrides(
        conv_holds=MappingProxyType({"c9": None}),
        extensions=MappingProxyType({"c9": 15.0}),
    )
    floor = Floor()
    floor.engine.restore(saved)
    assert floor.engine.overrides() == saved
