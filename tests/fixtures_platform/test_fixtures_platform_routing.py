"""Routing on the fixture platform: who gets a queued conversation, and when."""

from __future__ import annotations

import time
from typing import Any

from fixtures.platform import Platform, RecordKind
from fixtures.scenario import Scenario, parse_scenario


def agent(
    agent_id: str, state: str = "ONLINE", skills: tuple[str, ...] = ("sales",), **more: Any
) -> dict[str, Any]:
    return {
        "id": agent_id,
        "name": agent_id.upper(),
        "skills": list(skills),
        "state": state,
        **more,
    }


def scenario(
    agents: list[dict[str, Any]],
    conversations: list[dict[str, Any]],
    timeline: list[dict[str, Any]] | None = None,
    delay: float = 2,
) -> Scenario:
    return parse_scenario(
        {
            "name": "routing",
            "routing": {"delay": delay},
            "agents": agents,
            "conversations": conversations,
            "timeline": timeline or [],
            "until": 3600,
        }
    )


def conv(conv_id: str, agent_id: str | None = None, skill: str = "sales") -> dict[str, Any]:
    return {"id": conv_id, "skill": skill, "agent": agent_id}


def unassign(platform: Platform, conv_id: str, agent_id: str) -> int:
    field = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}
    body = {
        "conversationId": conv_id,
        "conversationField": [{**field, "userId": f"12345678.{agent_id}"}],
    }
    platform.handle_request(
        {"kind": "req", "id": "u", "type": "cm.UpdateConversationField", "body": body}
    )
    [response] = [f for f in platform.take_outgoing(platform.now) if f["kind"] == "resp"]
    return int(response["code"])


def run_to(platform: Platform, t: float) -> None:
    while (upcoming := platform.next_event_at()) is not None and upcoming <= t:
        platform.advance_to(upcoming)
    platform.advance_to(t)


def assignments(platform: Platform) -> list[tuple[float, str | None, str | None]]:
    return [
        (e.at, e.conv, e.agent)
        for e in platform.record
        if e.kind is RecordKind.AGENT_ASSIGNED and e.detail == "routing"
    ]


def connected(s: Scenario) -> Platform:
    platform = Platform(s)
    platform.connect()
    return platform


def test_an_unassigned_conversation_goes_to_another_agent_after_the_delay() -> None:
    # a1 has the fewest conversations but is the agent c1 was just taken from.
    platform = connected(scenario([agent("a1"), agent("a2")], [conv("c1", "a1"), conv("c2", "a2")]))
    run_to(platform, 10)
    assert unassign(platform, "c1", "a1") == 200
    assert platform.conversation("c1").agent is None
    run_to(platform, 11.9)
    assert platform.conversation("c1").queued
    assert platform.next_event_at() == 12
    run_to(platform, 12)
    assert platform.conversation("c1").agent == "a2"
    assert assignments(platform) == [(12.0, "c1", "a2")]


def test_the_agent_with_the_fewest_open_conversations_wins() -> None:
    agents = [agent("a1"), agent("a2"), agent("a3")]
    convs = [
        conv("x1", "a1"),
        conv("x2", "a1"),
        conv("x3", "a2"),
        conv("y1", "a3"),
        conv("y2", "a3"),
        conv("q"),
    ]
    platform = connected(scenario(agents, convs))
    run_to(platform, 5)
    assert platform.conversation("q").agent == "a2"


def test_ties_go_to_the_first_agent_in_scenario_order() -> None:
    platform = connected(
        scenario([agent("b"), agent("a"), agent("c")], [conv("q1"), conv("q2"), conv("q3")])
    )
    run_to(platform, 5)
    assert [(c, a) for _, c, a in assignments(platform)] == [("q1", "b"), ("q2", "a"), ("q3", "c")]


def test_away_offline_bots_and_other_skills_are_not_routed_to() -> None:
    agents = [
        agent("away", "AWAY"),
        agent("soon", "BACK_SOON"),
        agent("off", "OFFLINE"),
        agent("bot", bot=True),
        agent("billing", skills=("billing",)),
    ]
    platform = connected(scenario(agents, [conv("q")]))
    run_to(platform, 100)
    assert platform.conversation("q").agent is None and platform.conversation("q").queued


def test_a_waiting_conversation_goes_to_the_agent_who_comes_online() -> None:
    timeline = [{"at": 40, "agent_state": {"agent": "a1", "state": "ONLINE"}}]
    platform = connected(scenario([agent("a1", "AWAY")], [conv("q")], timeline))
    run_to(platform, 39)
    assert platform.conversation("q").agent is None
    run_to(platform, 40)
    assert assignments(platform) == [(40.0, "q", "a1")]


def test_capacity_freed_by_a_close_is_used_at_once_oldest_first() -> None:
    timeline = [
        {"at": 1, "open_conversation": {"id": "q1", "skill": "sales"}},
        {"at": 2, "open_conversation": {"id": "q2", "skill": "sales"}},
        {"at": 30, "close_conversation": {"conv": "c1"}},
    ]
    platform = connected(scenario([agent("a1", max_conversations=1)], [conv("c1", "a1")], timeline))
    run_to(platform, 29)
    assert platform.conversation("q1").queued and platform.conversation("q2").queued
    run_to(platform, 30)
    assert assignments(platform) == [(30.0, "q1", "a1")]
    assert platform.agent("a1").load == 1


def test_never_straight_back_even_when_that_agent_is_the_only_one_free() -> None:
    timeline = [{"at": 50, "close_conversation": {"conv": "c2"}}]
    agents = [agent("a1"), agent("a2", max_conversations=1)]
    platform = connected(scenario(agents, [conv("c1", "a1"), conv("c2", "a2")], timeline))
    run_to(platform, 5)
    unassign(platform, "c1", "a1")
    run_to(platform, 49)
    assert platform.conversation("c1").agent is None
    run_to(platform, 50)
    assert assignments(platform) == [(50.0, "c1", "a2")]


def test_transfer_requeues_on_the_new_skill() -> None:
    agents = [agent("a1", skills=("sales", "billing")), agent("a2", skills=("billing",))]
    timeline = [{"at": 10, "transfer": {"conv": "c1", "skill": "billing"}}]
    platform = connected(scenario(agents, [conv("c1", "a1")], timeline, delay=1))
    run_to(platform, 10)
    view = platform.conversation("c1")
    assert (view.agent, view.skill, view.queued) == (None, "billing", True)
    run_to(platform, 11)
    assert platform.conversation("c1").agent == "a2"
    removed = [(e.agent, e.detail) for e in platform.record if e.kind is RecordKind.AGENT_REMOVED]
    assert removed == [("a1", "transfer")]


def test_direct_assignment_ignores_skill_state_and_capacity() -> None:
    agents = [agent("a1", "AWAY", skills=("billing",), max_conversations=1), agent("a2")]
    timeline = [
        {"at": 0.5, "assign": {"conv": "q", "agent": "a1"}},
        {"at": 5, "assign": {"conv": "c2", "agent": "a1"}},
    ]
    platform = connected(scenario(agents, [conv("q"), conv("c2", "a2")], timeline))
    run_to(platform, 10)
    assert platform.conversation("q").agent == "a1" and platform.conversation("c2").agent == "a1"
    assert platform.agent("a1").load == 2 and platform.agent("a2").load == 0
    assert assignments(platform) == []  # the routing timer of q was cancelled


def test_opened_conversations_with_and_without_agent() -> None:
    timeline = [
        {"at": 3, "open_conversation": {"id": "n1", "skill": "sales", "agent": "a2"}},
        {"at": 4, "open_conversation": {"id": "n2", "skill": "sales"}},
    ]
    platform = connected(scenario([agent("a1"), agent("a2")], [], timeline, delay=0.5))
    run_to(platform, 10)
    assert platform.conversation("n1").agent == "a2"
    assert assignments(platform) == [(4.5, "n2", "a1")]


def test_a_long_busy_day_replays_fast() -> None:
    """10,000 conversations over 8 hours on 40 agents: a benchmark-sized run stays quick."""
    agents = [agent(f"a{i}", max_conversations=4) for i in range(40)]
    timeline: list[dict[str, Any]] = []
    for n in range(10_000):
        start = n * 2.8
        cid = f"c{n}"
        timeline += [
            {"at": start, "open_conversation": {"id": cid, "skill": "sales"}},
            {"at": start + 5, "consumer_message": {"conv": cid}},
            {"at": start + 60, "consumer_message": {"conv": cid}},
            {"at": start + 200, "close_conversation": {"conv": cid}},
        ]
    s = parse_scenario({"name": "day", "agents": agents, "timeline": timeline, "until": 8 * 3600})
    platform = connected(s)
    platform.handle_request(
        {"kind": "req", "id": "1", "type": "cqm.SubscribeExConversations", "body": {}}
    )
    started = time.perf_counter()
    frames = 0
    while (upcoming := platform.next_event_at()) is not None and upcoming <= s.until:
        platform.advance_to(upcoming)
        frames += len(platform.take_outgoing(upcoming))
    elapsed = time.perf_counter() - started
    assert frames > 40_000
    assert elapsed < 5.0, f"{elapsed:.2f} s"
