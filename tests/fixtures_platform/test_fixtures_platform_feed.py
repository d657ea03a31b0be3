"""The fixture platform's feed: subscriptions, frame contents, requests, shapes, views, record."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from fixtures.platform import Platform, RecordKind
from fixtures.scenario import Scenario, parse_scenario

EPOCH = 1_732_500_000_000
PID_A1 = str(uuid.uuid5(uuid.NAMESPACE_URL, "floorwatch-agent:a1"))
Frame = dict[str, Any]


def scenario(timeline: list[dict[str, Any]] | None = None, **changes: Any) -> Scenario:
    data: dict[str, Any] = {
        "name": "feed",
        "agents": [
            {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
            {"id": "a2", "name": "Bo", "skills": ["sales", "billing"], "state": "AWAY"},
            {"id": "bot", "name": "Bot", "skills": ["sales"], "state": "ONLINE", "bot": True},
        ],
        "conversations": [
            {"id": "c1", "skill": "sales", "agent": "a1"},
            {"id": "c2", "skill": "billing", "agent": None},
        ],
        "timeline": timeline or [],
        "until": 600,
    }
    data.update(changes)
    return parse_scenario(data)


def req(type_: str, req_id: str = "1", **body: Any) -> Frame:
    return {"kind": "req", "id": req_id, "type": type_, "body": body}


def unassign(conv: str, agent: str, req_id: str = "u1") -> Frame:
    field = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}
    body = {"conversationId": conv, "conversationField": [{**field, "userId": agent}]}
    return {"kind": "req", "id": req_id, "type": "cm.UpdateConversationField", "body": body}


def subscribed(s: Scenario, *, agents: bool = False) -> Platform:
    platform = Platform(s)
    platform.connect()
    platform.handle_request(req("cqm.SubscribeExConversations", "s1", convState=["OPEN"]))
    if agents:
        platform.handle_request(req("routing.SubscribeAgentsState", "s2"))
    return platform


def run_to(platform: Platform, t: float) -> list[Frame]:
    """Advance event by event to `t`, collecting every frame delivered on the way."""
    frames = platform.take_outgoing(platform.now)
    while (upcoming := platform.next_event_at()) is not None and upcoming <= t:
        platform.advance_to(upcoming)
        frames += platform.take_outgoing(upcoming)
    platform.advance_to(t)
    return frames + platform.take_outgoing(t)


def result(frame: Frame) -> Frame:
    [change] = frame["body"]["changes"]
    assert change["type"] == "UPSERT"
    return change["result"]  # type: ignore[no-any-return]


def changes_of(frames: list[Frame], conv: str) -> list[Frame]:
    """The conversation changes of `conv` (UPSERTs), in either spelling of the notification
    type; a snapshot frame holds several."""
    found = []
    for frame in frames:
        if frame["type"].endswith("ExConversationChangeNotification"):
            for change in frame["body"]["changes"]:
                if change["result"]["convId"] == conv:
                    assert change["type"] == "UPSERT"
                    found.append(change["result"])
    return found


def test_subscribe_answers_then_sends_a_snapshot_of_open_conversations() -> None:
    platform = subscribed(scenario([{"at": 0, "close_conversation": {"conv": "c2"}}]))
    platform.advance_to(0)
    platform.take_outgoing(0)
    platform.handle_request(req("cqm.SubscribeExConversations", "7"))
    response, snapshot = platform.take_outgoing(0)
    assert response["kind"] == "resp" and response["reqId"] == "7" and response["code"] == 200
    assert response["type"] == ".ams.aam.SubscribeExConversations$Response"
    assert snapshot["body"]["subscriptionId"] == response["body"]["subscriptionId"]
    assert [result(snapshot)["convId"]] == ["c1"]
    platform.handle_request(req("cqm.SubscribeExConversations", "8", convState=["OPEN", "CLOSE"]))
    _, both = platform.take_outgoing(0)  # one frame holds the snapshot's changes
    assert [change["result"]["convId"] for change in both["body"]["changes"]] == ["c1", "c2"]


def test_conversation_upsert_matches_the_wire_conventions() -> None:
    platform = subscribed(
        scenario([{"at": 12.5, "consumer_message": {"conv": "c1", "text": "Hi?"}}])
    )
    [before] = changes_of(run_to(platform, 0), "c1")
    [change] = changes_of(run_to(platform, 20), "c1")
    details = change["conversationDetails"]
    assert details["skillId"] == "sales" and details["brandId"] == "12345678"
    assert details["convId"] == "c1"
    # The real wire: legacy ids and PIDs per role, roles nobody holds left out.
    assert details["participants"] == {
        "CONSUMER": ["consumer-c1"],
        "ASSIGNED_AGENT": ["12345678.a1"],
    }
    assert details["participantsPId"] == {"CONSUMER": ["consumer-c1"], "ASSIGNED_AGENT": [PID_A1]}
    [dialog] = details["dialogs"]
    assert dialog["dialogId"] == "c1" and dialog["dialogType"] == "MAIN"
    assert dialog["participantsDetails"] == [
        {"id": "consumer-c1", "role": "CONSUMER", "state": "ACTIVE"},
        {"id": "12345678.a1", "role": "ASSIGNED_AGENT", "state": "ACTIVE"},
    ]
    assert details["state"] == details["stage"] == "OPEN"
    assert details["startTs"] == EPOCH
    assert details["ttr"] == {"ttrType": "NORMAL", "value": 3600}
    event = change["lastContentEventNotification"]
    assert event["sequence"] == 0 and event["dialogId"] == "c1"
    assert event["serverTimestamp"] == EPOCH + 12_500
    assert event["originatorId"] == event["originatorPId"] == "consumer-c1"
    assert event["originatorMetadata"]["role"] == "CONSUMER"
    assert event["event"] == {"type": "ContentEvent", "contentType": "text/plain", "message": "Hi?"}
    assert change["effectiveTTR"] == EPOCH + 12_500 + 3_600_000
    assert change["numberOfunreadMessages"] == {"consumer-c1": 0, "12345678.a1": 1}
    # A message is not metadata: metaDataLastUpdateTs stays where the snapshot had it.
    assert details["metaDataLastUpdateTs"] == before["conversationDetails"]["metaDataLastUpdateTs"]
    assert "lastContentEventNotification" not in before and before["effectiveTTR"] == -1


def test_agent_messages_follow_consumer_messages_in_sequence() -> None:
    platform = subscribed(
        scenario(
            [
                {"at": 1, "consumer_message": {"conv": "c1"}},
                {"at": 2, "consumer_message": {"conv": "c1"}},
                {"at": 3, "agent_message": {"conv": "c1", "text": "On it"}},
            ]
        )
    )
    changes = changes_of(run_to(platform, 5), "c1")[1:]
    assert [c["lastContentEventNotification"]["sequence"] for c in changes] == [0, 1, 2]
    last = changes[-1]
    event = last["lastContentEventNotification"]
    assert event["originatorId"] == "12345678.a1" and event["originatorPId"] == PID_A1
    assert event["originatorMetadata"]["role"] == "ASSIGNED_AGENT"
    assert last["effectiveTTR"] == -1
    assert last["numberOfunreadMessages"] == {"consumer-c1": 1, "12345678.a1": 0}


def test_an_agent_message_without_an_agent_is_ignored_and_recorded() -> None:
    # c2's only agent is AWAY, so nobody takes it and it stays unassigned.
    platform = subscribed(scenario([{"at": 4, "agent_message": {"conv": "c2"}}]))
    assert len(changes_of(run_to(platform, 10), "c2")) == 1  # the snapshot only
    ignored = [e for e in platform.record if e.kind is RecordKind.STEP_IGNORED]
    assert [(e.at, e.conv) for e in ignored] == [(4.0, "c2")]
    assert platform.conversation("c2").last_message is None


def test_close_sends_one_final_upsert() -> None:
    platform = subscribed(
        scenario(
            [
                {"at": 0.5, "close_conversation": {"conv": "c2"}},
                {"at": 30, "close_conversation": {"conv": "c1"}},
            ]
        )
    )
    frames = run_to(platform, 60)
    [_, closed] = changes_of(frames, "c2")  # snapshot, close; never routed afterwards
    details = closed["conversationDetails"]
    assert details["state"] == details["stage"] == "CLOSE"
    assert details["endTs"] == details["dialogs"][0]["endTs"] == EPOCH + 500
    assert details["metaDataLastUpdateTs"] == EPOCH + 500
    assert changes_of(frames, "c1")[-1]["conversationDetails"]["endTs"] == EPOCH + 30_000
    assert platform.agent("a1").load == 0


def test_get_clock_uses_platform_time_in_both_spellings() -> None:
    platform = Platform(scenario(), epoch_ms=1_000_000, account="777")
    platform.connect()
    platform.advance_to(2.25)
    platform.handle_request(req("GetClock", "g1"))
    platform.handle_request(req(".GetClock", "g2"))
    assert platform.take_outgoing(2.25) == [
        {"kind": "resp", "reqId": "g1", "code": 200, "type": ".GetClock$Response",
         "body": {"currentTime": 1_002_250}},
        {"kind": "resp", "reqId": "g2", "code": 200, "type": ".GetClock$Response",
         "body": {"currentTime": 1_002_250}},
    ]  # fmt: skip
    assert platform.epoch_ms == 1_000_000 and platform.account == "777"


def test_agent_states_subscription_and_changes() -> None:
    platform = Platform(scenario([{"at": 9, "agent_state": {"agent": "a2", "state": "ONLINE"}}]))
    platform.connect()
    platform.handle_request(req(".ams.routing.SubscribeAgentsState", "a"))
    response, snapshot = platform.take_outgoing(0)
    assert response["type"] == ".ams.GenericSubscribe$Response" and response["code"] == 200
    assert snapshot["type"] == ".ams.routing.AgentStateNotification"
    assert snapshot["body"]["subscriptionId"] == response["body"]["subscriptionId"]
    states = [c["result"] for c in snapshot["body"]["changes"]]
    assert [(s["agentUserId"], s["availability"], s["isBot"]) for s in states] == [
        ("12345678.a1", "ONLINE", False),
        ("12345678.a2", "AWAY", False),
        ("12345678.bot", "ONLINE", True),
    ]
    assert states[0] == {
        "agentUserId": "12345678.a1",
        "channels": ["MESSAGING"],
        "availability": "ONLINE",
        "description": "",
        "stateChangedTs": EPOCH,
        "agentName": "Ana",
        "isBot": False,
        "configuredMaxSlots": 8,  # a Floorwatch extension, as the push itself is
    }
    [change] = [f for f in run_to(platform, 10) if f["type"].endswith("AgentStateNotification")]
    [update] = change["body"]["changes"]
    assert update["type"] == "UPSERT"
    assert update["result"]["availability"] == "ONLINE"
    assert update["result"]["stateChangedTs"] == EPOCH + 9000


def test_frames_go_only_to_what_the_connection_subscribed() -> None:
    platform = Platform(scenario([{"at": 1, "agent_state": {"agent": "a1", "state": "AWAY"}}]))
    platform.connect()
    platform.handle_request(req("cqm.SubscribeExConversations"))
    frames = run_to(platform, 5)
    assert not any(f["type"].endswith("AgentStateNotification") for f in frames)
    with pytest.raises(RuntimeError):
        Platform(scenario()).handle_request(req("GetClock"))


def test_unassign_answers_200_then_upserts_without_the_agent() -> None:
    platform = subscribed(scenario([{"at": 5, "consumer_message": {"conv": "c1"}}]))
    run_to(platform, 30)
    platform.handle_request(unassign("c1", "12345678.a1", "42"))
    response, upsert = platform.take_outgoing(30)
    assert response == {
        "kind": "resp",
        "reqId": "42",
        "code": 200,
        "type": ".ReqBody$StringResp",
        "body": "OK Agent removed successfully",
    }
    change = result(upsert)
    details = change["conversationDetails"]
    assert details["participants"] == {"CONSUMER": ["consumer-c1"]}
    assert details["metaDataLastUpdateTs"] == EPOCH + 30_000
    assert change["effectiveTTR"] == EPOCH + 5000 + 3_600_000  # still pending the agent side
    assert change["numberOfunreadMessages"] == {"consumer-c1": 0}
    assert platform.conversation("c1").queued


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (
            unassign("c1", "12345678.a2"),
            "Participant 12345678.a2 does not hold role ASSIGNED_AGENT in conversation c1",
        ),
        (
            unassign("c1", "a1"),
            "Participant a1 does not hold role ASSIGNED_AGENT in conversation c1",
        ),
        (unassign("c404", "12345678.a1"), "Conversation c404 was not found"),
        (req("cm.UpdateConversationField", conversationId="c1"), "conversationField must be"),
        (req("cqm.Nope"), "Unsupported request type cqm.Nope"),
        ({"kind": "req", "id": 5, "type": "GetClock", "body": []}, "The body of GetClock must be"),
        ({"kind": "resp", "id": "9"}, "Expected kind 'req', got 'resp'"),
    ],
)
def test_bad_requests_get_a_readable_400(frame: Frame, reason: str) -> None:
    platform = subscribed(scenario())
    platform.take_outgoing(0)
    platform.handle_request(frame)
    [response] = platform.take_outgoing(0)
    assert response["code"] == 400 and response["type"] == ".ReqBody$StringResp"
    assert response["body"].startswith(reason)
    assert response["reqId"] == (str(frame["id"]) if "id" in frame else None)
    assert platform.conversation("c1").agent == "a1"


def test_raw_request_spellings_are_accepted() -> None:
    platform = Platform(scenario())
    platform.connect()
    platform.handle_request(req(".ams.aam.SubscribeExConversations", "s"))
    frame = unassign("c1", "12345678.a1")
    frame["type"] = ".ams.cm.UpdateConversationField"
    frame["body"]["conversationField"] = frame["body"]["conversationField"][0]  # a single object
    platform.handle_request(frame)
    codes = [f["code"] for f in platform.take_outgoing(0) if f["kind"] == "resp"]
    assert codes == [200, 200]
    assert platform.conversation("c1").agent is None


def test_one_scenario_in_both_shapes() -> None:
    """Raw is the default (`wire_shape`); `shape` serves the same scenario either way."""
    frames = {shape: run_to(subscribed_as(scenario(), shape), 0) for shape in ("raw", "public")}
    raw, public = (changes_of(frames[shape], "c1")[0] for shape in ("raw", "public"))
    assert {f["type"] for f in frames["raw"]} == {
        ".ams.aam.SubscribeExConversations$Response",
        ".ams.aam.ExConversationChangeNotification",
        ".ams.GenericSubscribe$Response",
        ".ams.routing.AgentStateNotification",
    }
    assert {f["type"] for f in frames["public"]} == {
        "cqm.SubscribeExConversationsResponse",
        "cqm.ExConversationChangeNotification",
        "GenericSubscribeResponse",
        "routing.AgentStateNotification",
    }
    assert raw["conversationDetails"]["participants"]["ASSIGNED_AGENT"] == ["12345678.a1"]
    assert public["conversationDetails"]["participants"][1] == {
        "id": PID_A1,
        "role": "ASSIGNED_AGENT",
    }


def subscribed_as(s: Scenario, shape: str) -> Platform:
    platform = Platform(s, shape="raw" if shape == "raw" else "public")
    platform.connect()
    platform.handle_request(req("cqm.SubscribeExConversations", "s1"))
    platform.handle_request(req("routing.SubscribeAgentsState", "s2"))
    return platform


def test_agent_view_lists_every_agent() -> None:
    platform = Platform(scenario([{"at": 3, "agent_state": {"agent": "a2", "state": "OFFLINE"}}]))
    platform.advance_to(10)
    view = platform.agent_view(10)
    assert view["_metadata"] == {"count": 3} and view["accountID"] == "12345678"
    a1, a2, _ = view["agentStatusRecords"]
    assert a1 == {
        "agentId": "a1",
        "agentName": "Ana",
        "agentLoginName": "a1",
        "agentSkills": [{"skillId": "sales", "skillName": "sales"}],
        "currentStatus": "ONLINE",
        "currentStatusStartTimeL": EPOCH,
        "lastUpdatedTimeL": EPOCH + 10_000,
        "configuredMaxSlots": 8,
        "openAssignedConversations": 1,
        "currentConnectionState": "CONNECTED",
        "isBot": False,
    }
    assert a2["currentStatus"] == "OFFLINE" and a2["currentStatusStartTimeL"] == EPOCH + 3000


def test_supervisor_steps_come_due_for_the_engine() -> None:
    platform = Platform(
        scenario(
            [
                {"at": 5, "supervisor": {"hold": "c1", "until": 50}},
                {"at": 8, "supervisor": {"dry_run": True}},
            ]
        )
    )
    platform.advance_to(6)
    [(at, step)] = platform.take_supervisor_steps(6)
    assert at == 5 and step.hold == "c1" and step.until == 50
    assert platform.take_supervisor_steps(6) == []
    platform.advance_to(8)
    assert [s.kind for _, s in platform.take_supervisor_steps(8)] == ["dry_run"]


def test_time_never_goes_back() -> None:
    platform = Platform(scenario())
    platform.advance_to(5)
    with pytest.raises(ValueError, match="cannot go back"):
        platform.advance_to(4)


def test_the_record_tells_what_happened() -> None:
    platform = subscribed(
        scenario(
            [
                {"at": 2, "consumer_message": {"conv": "c1", "text": "hello"}},
                {"at": 3, "agent_state": {"agent": "a2", "state": "ONLINE"}},
                {"at": 4, "supervisor": {"unassign": "c1"}},
            ]
        )
    )
    run_to(platform, 6)
    platform.handle_request(unassign("c1", "12345678.a2"))
    platform.handle_request(unassign("c1", "12345678.a1"))
    run_to(platform, 10)
    summary = [(e.at, e.kind.value, e.conv, e.agent, e.detail) for e in platform.record]
    assert summary == [
        (0.0, "conversation.opened", "c1", None, "sales"),
        (0.0, "agent.assigned", "c1", "a1", "initial"),
        (0.0, "conversation.opened", "c2", None, "billing"),
        (0.0, "conversation.queued", "c2", None, "billing"),
        (0.0, "connection.opened", None, None, "1"),
        (0.0, "connection.subscribed", None, None, "conversations"),
        (2.0, "message.consumer", "c1", "a1", "hello"),
        (3.0, "agent.state", None, "a2", "ONLINE"),
        (3.0, "agent.assigned", "c2", "a2", "routing"),
        (4.0, "supervisor", None, None, '{"unassign":"c1"}'),
        (6.0, "action.rejected", "c1", None,
         "Participant 12345678.a2 does not hold role ASSIGNED_AGENT in conversation c1"),
        (6.0, "action.applied", "c1", "a1", "OK Agent removed successfully"),
        (6.0, "agent.removed", "c1", "a1", "action"),
        (6.0, "conversation.queued", "c1", None, "sales"),
        (7.0, "agent.assigned", "c1", "a2", "routing"),
    ]  # fmt: skip


def test_frames_are_json_and_parse_with_the_engine_protocol() -> None:
    protocol = pytest.importorskip("engine.protocol")
    for shape in ("public", "raw"):
        platform = subscribed(
            scenario(
                [
                    {"at": 1, "consumer_message": {"conv": "c1"}},
                    {"at": 2, "agent_message": {"conv": "c1"}},
                    {"at": 3, "agent_state": {"agent": "a2", "state": "ONLINE"}},
                    {"at": 9, "close_conversation": {"conv": "c1"}},
                ],
                wire_shape=shape,
            ),
            agents=True,
        )
        platform.handle_request(req("GetClock", "g"))
        for frame in run_to(platform, 10):
            parsed = protocol.parse_frame(json.dumps(frame))
            kind = protocol.normalize_type(frame["type"])
            if kind == protocol.EX_CONVERSATION_CHANGE_NOTIFICATION:
                protocol.ExConversationChangeBody.model_validate(parsed.body)
            elif kind == protocol.AGENT_STATE_NOTIFICATION:
                protocol.AgentStateBody.model_validate(parsed.body)
        protocol.AgentViewStatusResponse.model_validate(platform.agent_view(10))
