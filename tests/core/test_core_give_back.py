"""Give it back: after an unassign, a supervisor gives the conversation back to the agent it
was taken from (SUGGEST, after a REMOVE of whoever holds it by then), refused with the reason
when that cannot be; the agent's acceptance shows as the feed naming them again."""

from __future__ import annotations

import pytest
from core_harness import Floor, waiting_floor

from engine.core import (
    ActionFailed,
    ActionSucceeded,
    AgentChanged,
    AgentState,
    AuditType,
    GiveBack,
    Seen,
    TransferToAgent,
    parse_command_text,
)


def unassigned(floor: Floor, *, to: str | None = "a2", at: float = 60.0) -> None:
    """c1's wait is due at 60 s: decided, sent, confirmed; routing then gives it to `to`."""
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.advance(at)
    [action] = floor.actions
    floor.engine.apply(ActionSucceeded(action), at)
    floor.assign("c1", at, None)
    if to is not None:
        floor.assign("c1", at + 1, to)
    floor.collect()


def give_back(floor: Floor, now: float = 65.0, seen: Seen | None = None) -> str | None:
    refused = floor.engine.execute(GiveBack(conv="c1", by="Sam", seen=seen), now)
    floor.collect()
    return None if refused is None else refused.reason


def test_it_goes_back_with_a_remove_of_the_agent_who_holds_it_then_a_suggest() -> None:
    floor = waiting_floor()
    unassigned(floor)
    assert floor.engine.read.taken_from("c1") == "a1"
    assert give_back(floor) is None
    transfer = floor.transfers[-1]
    assert transfer == TransferToAgent("c1", "a1", "a2", 65.0, "Sam")
    [asked] = floor.events(AuditType.OVERRIDE_GIVE_BACK)
    assert (asked.conv, asked.agent, asked.by, asked.detail) == ("c1", "a1", "Sam", "to a1 from a2")
    floor.engine.apply(ActionSucceeded(transfer), 65.0)
    floor.assign("c1", 65.0, None)  # offered: SUGGESTED, not the assigned agent yet
    floor.assign("c1", 67.0, "a1")  # accepted: ACTIVE
    floor.collect()
    [sent] = floor.events(AuditType.GIVE_BACK_SENT)
    [accepted] = floor.events(AuditType.GIVE_BACK_ACCEPTED)
    assert (sent.at, accepted.at, accepted.detail) == (65.0, 67.0, "SUGGESTED -> ACTIVE")
    assert floor.engine.read.taken_from("c1") is None
    assert floor.view("c1").waiting_since == 67.0  # her wait starts when she has it again


def test_from_the_queue_there_is_nobody_to_remove() -> None:
    floor = waiting_floor()
    unassigned(floor, to=None)
    assert give_back(floor) is None
    assert floor.transfers[-1] == TransferToAgent("c1", "a1", None, 65.0, "Sam")


def test_if_it_goes_elsewhere_or_the_platform_refuses_the_audit_says_so() -> None:
    floor = waiting_floor()
    unassigned(floor)
    give_back(floor)
    floor.assign("c1", 66.0, None)
    floor.assign("c1", 70.0, "a2")  # the offer lapsed, routing gave it to Ben again
    [failed] = floor.events(AuditType.GIVE_BACK_FAILED)
    assert failed.detail == "it went to a2 instead"
    assert floor.engine.read.taken_from("c1") == "a1"  # it may be given back again
    give_back(floor, 71.0)
    floor.engine.apply(ActionFailed(floor.transfers[-1], "refused: 400"), 71.5)
    floor.collect()
    assert [e.detail for e in floor.events(AuditType.GIVE_BACK_FAILED)][-1] == "refused: 400"


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("nothing", "give back c1: Floorwatch has not unassigned it: nothing to give back"),
        ("offline", "give back c1: a1 is Offline"),
        ("full", "give back c1: a1 is at capacity (2 of 2)"),
        ("twice", "give back c1: it is being given back to a1 already"),
        ("closed", "give back c1: the conversation is not open (unknown or closed)"),
        ("moved", "c1 is now with a3; nothing was done"),
    ],
)
def test_refused_with_the_reason(setup: str, reason: str) -> None:
    floor = waiting_floor()
    seen = None
    if setup != "nothing":
        unassigned(floor)
    if setup == "offline":
        floor.presence("a1", AgentState.OFFLINE, 62.0)
    if setup == "full":
        floor.engine.apply(AgentChanged("a1", AgentState.ONLINE, 0.0, max_conversations=2), 62.0)
        floor.open("c8", 62.0, "a1")
        floor.open("c9", 62.0, "a1")
    if setup == "twice":
        give_back(floor)
    if setup == "closed":
        floor.close("c1", 62.0)
    if setup == "moved":
        seen = Seen("c1", "a2", floor.view("c1").wait_key)
        floor.assign("c1", 63.0, "a3")
    before = len(floor.transfers)
    assert give_back(floor, 65.0, seen) == reason
    assert len(floor.transfers) == before


def test_the_json_form() -> None:
    assert parse_command_text('{"give_back": "c1"}', by="Sam") == GiveBack(conv="c1", by="Sam")
