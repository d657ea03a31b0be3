"""Feed translation: protocol notifications -> core events."""

import uuid
from pathlib import Path
from typing import Any

import pytest

from engine.core.events import AgentChanged, ConversationChanged, ConversationGone, LastMessage
from engine.core.model import AgentState
from engine.link.translate import (
    FeedTranslator,
    TranslationError,
    UnknownNotification,
    presence_from_agent_view,
)
from engine.protocol import AgentViewStatusResponse, Notification, parse_frame

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"protocol samples not found at {SAMPLES}"
)
CONV = "b6a3f0d2-51c4-4e8f-9d27-3a1e6c0b7f45"
CONSUMER = "7a3f9c1e5b2d8a4f6c0e9b7d3a1f5c8e2b6d4a0f9e7c3b1a5d8f2e6c4b0a9d7e"
CONV_TYPE = "cqm.ExConversationChangeNotification"
EPOCH_MS = 1_732_500_000_000


def sample(name: str) -> Notification:
    frame = parse_frame((SAMPLES / name).read_bytes())
    assert isinstance(frame, Notification)
    return frame


def translate(frame: Notification, translator: FeedTranslator | None = None) -> list[Any]:
    return (translator or FeedTranslator()).translate(frame, received_at=99.0)


def pid(agent: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"floorwatch-agent:{agent}"))


def fixture_change(
    conv: str = "c1",
    agent: str | None = "a1",
    *,
    last: dict[str, Any] | None = None,
    legacy_in_dialog: bool = True,
    **details: Any,
) -> dict[str, Any]:
    """One UPSERT result following the fixture platform's wire conventions (public shape)."""
    consumer = f"consumer-{conv}"
    participants = [{"id": consumer, "role": "CONSUMER"}]
    in_dialog = [{"id": consumer, "role": "CONSUMER", "state": "ACTIVE"}]
    unread = {consumer: 0}
    if agent is not None:
        participants.append({"id": pid(agent), "role": "ASSIGNED_AGENT"})
        agent_id = f"12345678.{agent}" if legacy_in_dialog else pid(agent)
        in_dialog.append({"id": agent_id, "role": "ASSIGNED_AGENT", "state": "ACTIVE"})
        unread[f"12345678.{agent}"] = 1
    result: dict[str, Any] = {
        "convId": conv,
        "effectiveTTR": -1,
        "conversationDetails": {
            "skillId": "sales",
            "participants": participants,
            "dialogs": [{"dialogId": conv, "participantsDetails": in_dialog, "state": "OPEN"}],
            "state": "OPEN",
            "stage": "OPEN",
            "startTs": EPOCH_MS,
            "metaDataLastUpdateTs": EPOCH_MS + 1000,
            "ttr": {"ttrType": "NORMAL", "value": 3600},
            **details,
        },
        "numberOfunreadMessages": unread,
    }
    if last is not None:
        result["lastContentEventNotification"] = last
    return result


def consumer_message(conv: str = "c1", sequence: int = 0, at_ms: int = EPOCH_MS + 5000) -> Any:
    return {
        "sequence": sequence,
        "dialogId": conv,
        "serverTimestamp": at_ms,
        "originatorId": f"consumer-{conv}",
        "originatorPId": f"consumer-{conv}",
        "originatorMetadata": {"id": f"consumer-{conv}", "role": "CONSUMER"},
        "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "hi"},
    }


def agent_message(agent: str, conv: str = "c1", sequence: int = 1) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "dialogId": conv,
        "serverTimestamp": EPOCH_MS + 8000,
        "originatorId": f"12345678.{agent}",
        "originatorPId": pid(agent),
        "originatorMetadata": {"id": pid(agent), "role": "ASSIGNED_AGENT"},
        "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "hello"},
    }


def notification(*results: dict[str, Any], change: str = "UPSERT") -> Notification:
    changes = [{"type": change, "result": result} for result in results]
    return Notification(type=CONV_TYPE, body={"subscriptionId": "s", "changes": changes})


def one(frame: Notification, translator: FeedTranslator | None = None) -> Any:
    [event] = translate(frame, translator)
    return event


# --- the shared samples ---------------------------------------------------------------------

SAMPLE_CHANGE = ConversationChanged(
    conv_id=CONV,
    metadata_ts=1732499795.0,
    skill="1234567890",
    agent="987654321",
    consumer=CONSUMER,
    open=True,
    last_message=LastMessage(sequence=7, at=1732500060.0, from_consumer=True),
)


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "ex_conversation_change.upsert.notification.json",
        "ex_conversation_change.upsert.raw_v2.notification.json",
    ],
)
def test_public_and_raw_shapes_translate_alike(name: str) -> None:
    assert translate(sample(name)) == [SAMPLE_CHANGE]


@needs_samples
def test_raw_shape_teaches_the_pid_for_later_public_changes() -> None:
    translator = FeedTranslator()
    translate(sample("ex_conversation_change.upsert.raw_v2.notification.json"), translator)
    public = sample("ex_conversation_change.upsert.notification.json")
    public.body["changes"][0]["result"].pop("numberOfunreadMessages")
    assert one(public, translator).agent == "987654321"


@needs_samples
def test_back_to_queue_sample_has_no_agent() -> None:
    event = one(sample("ex_conversation_change.back_to_queue.notification.json"))
    assert event == ConversationChanged(
        conv_id=CONV,
        metadata_ts=1732500120.3,
        skill="1234567890",
        agent=None,
        consumer=CONSUMER,
        open=True,
        last_message=LastMessage(sequence=7, at=1732500060.0, from_consumer=True),
    )


@needs_samples
def test_agent_state_sample() -> None:
    assert translate(sample("agent_state.notification.json")) == [
        AgentChanged(agent_id="987654321", state=AgentState.AWAY, since=99.0)
    ]


# --- conversations: the fixture platform's conventions -------------------------------------


def test_fixture_change_resolves_the_agent_pid_through_the_dialog_legacy_id() -> None:
    event = one(notification(fixture_change(last=consumer_message())))
    assert event == ConversationChanged(
        conv_id="c1",
        metadata_ts=(EPOCH_MS + 1000) / 1000,
        skill="sales",
        agent="a1",
        consumer="consumer-c1",
        open=True,
        last_message=LastMessage(sequence=0, at=(EPOCH_MS + 5000) / 1000, from_consumer=True),
    )


def test_a_learned_pid_resolves_in_later_changes_without_a_legacy_id() -> None:
    translator = FeedTranslator()
    one(notification(fixture_change()), translator)
    later = fixture_change(legacy_in_dialog=False)
    later.pop("numberOfunreadMessages")
    assert one(notification(later), translator).agent == "a1"


def test_pid_learned_from_unread_keys_when_the_dialog_names_the_pid() -> None:
    assert one(notification(fixture_change(legacy_in_dialog=False))).agent == "a1"


def test_unread_keys_are_not_used_when_another_agent_takes_part() -> None:
    change = fixture_change(legacy_in_dialog=False)
    details = change["conversationDetails"]
    details["participants"].append({"id": pid("m1"), "role": "MANAGER"})
    change["numberOfunreadMessages"] = {"consumer-c1": 0, "12345678.m1": 3}
    assert one(notification(change)).agent == pid("a1")


def test_an_unresolved_pid_stays_a_pid() -> None:
    change = fixture_change(legacy_in_dialog=False)
    change.pop("numberOfunreadMessages")
    assert one(notification(change)).agent == pid("a1")


def test_learn_pid_explicitly() -> None:
    translator = FeedTranslator()
    translator.learn_pid(pid("a1"), "a1")
    change = fixture_change(legacy_in_dialog=False)
    change.pop("numberOfunreadMessages")
    assert one(notification(change), translator).agent == "a1"


def test_pid_learned_from_an_agent_message() -> None:
    translator = FeedTranslator()
    change = fixture_change(legacy_in_dialog=False, last=agent_message("a1"))
    change.pop("numberOfunreadMessages")
    event = one(notification(change), translator)
    assert event.agent == "a1"
    assert event.last_message == LastMessage(1, (EPOCH_MS + 8000) / 1000, from_consumer=False)


def test_legacy_id_for_the_unassign_request() -> None:
    translator = FeedTranslator()
    translator.learn_pid(pid("a1"), "12345678.a1")
    assert translator.legacy_id(pid("a1"), "12345678") == "12345678.a1"
    assert translator.legacy_id("a2", "12345678") == "12345678.a2"
    assert translator.legacy_id("12345678.a3", "12345678") == "12345678.a3"


def test_a_suggested_agent_is_not_the_assigned_agent() -> None:
    change = fixture_change(agent=None)
    change["conversationDetails"]["dialogs"][0]["participantsDetails"].append(
        {"id": "12345678.a2", "role": "ASSIGNED_AGENT", "state": "SUGGESTED"}
    )
    assert one(notification(change)).agent is None


def test_missing_last_content_event_is_unknown_not_answered() -> None:
    event = one(notification(fixture_change()))
    assert event.last_message is None


@pytest.mark.parametrize(
    ("event_type", "known"), [("RichContentEvent", True), ("AcceptStatusEvent", False)]
)
def test_only_content_events_are_messages(event_type: str, known: bool) -> None:
    last = consumer_message()
    last["event"] = {"type": event_type, "content": {}}
    assert (one(notification(fixture_change(last=last))).last_message is not None) is known


def test_message_author_without_metadata_is_matched_against_the_consumer() -> None:
    from_consumer, from_agent = consumer_message(), agent_message("a1")
    del from_consumer["originatorMetadata"], from_agent["originatorMetadata"]
    events = translate(
        notification(fixture_change(last=from_consumer), fixture_change(last=from_agent))
    )
    assert [e.last_message.from_consumer for e in events] == [True, False]


@pytest.mark.parametrize("skill", [{"skillId": "-1"}, {"skillId": None}, {"skillId": ""}])
def test_no_skill(skill: dict[str, Any]) -> None:
    assert one(notification(fixture_change(**skill))).skill is None


def test_metadata_time_falls_back_to_the_newest_dialog_then_the_start() -> None:
    change = fixture_change(metaDataLastUpdateTs=None)
    dialogs = change["conversationDetails"]["dialogs"]
    dialogs.append({**dialogs[0], "metaDataLastUpdateTs": EPOCH_MS + 3000})
    dialogs.append({**dialogs[0], "metaDataLastUpdateTs": EPOCH_MS + 2000})
    assert one(notification(change)).metadata_ts == (EPOCH_MS + 3000) / 1000
    assert one(notification(fixture_change(metaDataLastUpdateTs=None))).metadata_ts == (
        EPOCH_MS / 1000
    )


def test_closed_conversation_is_not_open() -> None:
    event = one(notification(fixture_change(state="CLOSE", stage="CLOSE", endTs=EPOCH_MS + 9000)))
    assert isinstance(event, ConversationChanged)
    assert not event.open


def test_delete_means_gone() -> None:
    assert translate(notification(fixture_change("c9"), change="DELETE")) == [
        ConversationGone("c9")
    ]


def test_one_event_per_change_in_order() -> None:
    events = translate(notification(fixture_change("c1"), fixture_change("c2", agent="a2")))
    assert [(e.conv_id, e.agent) for e in events] == [("c1", "a1"), ("c2", "a2")]


def test_raw_type_spelling_is_accepted() -> None:
    frame = notification(fixture_change())
    raw = Notification(type=".ams.aam.ExConversationChangeNotification", body=frame.body)
    assert translate(raw) == translate(frame)


# --- errors and unknown types ---------------------------------------------------------------


def test_upsert_without_details_is_a_translation_error() -> None:
    with pytest.raises(TranslationError, match="without conversationDetails"):
        translate(notification({"convId": "c1"}))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"changes": []}, "missing field 'subscriptionId'"),
        (
            {"subscriptionId": "s", "changes": [{"type": "UPSERT"}]},
            "missing field 'changes.0.result'",
        ),
        (
            {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": {"convId": 5}}]},
            "field 'changes.0.result.convId'",
        ),
    ],
)
def test_malformed_bodies_are_translation_errors(body: dict[str, Any], reason: str) -> None:
    with pytest.raises(TranslationError) as caught:
        translate(Notification(type=CONV_TYPE, body=body))
    assert caught.value.reason.startswith(f"{CONV_TYPE}: {reason}")


def test_unknown_notification_types_are_reported_by_their_public_name() -> None:
    with pytest.raises(UnknownNotification) as caught:
        translate(Notification(type=".ams.ms.OnlineEventDistribution", body={}))
    assert caught.value.type_name == "ms.OnlineEventDistribution"


# --- agent state ----------------------------------------------------------------------------


def agent_state(**result: Any) -> Notification:
    body = {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": result}]}
    return Notification(type=".ams.routing.AgentStateNotification", body=body)


def test_agent_state_extension_fields() -> None:
    frame = agent_state(
        agentUserId="12345678.a1",
        channels=["MESSAGING"],
        availability="BACK_SOON",
        description="",
        stateChangedTs=EPOCH_MS + 10_000,
        agentName="Ana",
        isBot=True,
    )
    assert translate(frame) == [
        AgentChanged("a1", AgentState.BACK_SOON, (EPOCH_MS + 10_000) / 1000, name="Ana", bot=True)
    ]


def test_occupied_counts_as_online_and_pids_resolve() -> None:
    translator = FeedTranslator()
    translator.learn_pid(pid("a1"), "a1")
    [event] = translate(agent_state(agentUserId=pid("a1"), availability="OCCUPIED"), translator)
    assert (event.agent_id, event.state) == ("a1", AgentState.ONLINE)


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        ({"availability": "AWAY"}, "agent state change without agentUserId"),
        (
            {"agentUserId": "12345678.a1", "availability": "ASLEEP"},
            "routing.AgentStateNotification",
        ),
    ],
)
def test_bad_agent_states_are_translation_errors(result: dict[str, Any], reason: str) -> None:
    with pytest.raises(TranslationError, match=reason):
        translate(agent_state(**result))


# --- agent-view REST ------------------------------------------------------------------------


def test_presence_from_agent_view() -> None:
    response = AgentViewStatusResponse.model_validate(
        {
            "_metadata": {"count": 4},
            "accountID": "12345678",
            "agentStatusRecords": [
                {
                    "agentId": "a1",
                    "agentName": "Ana",
                    "currentStatus": "AWAY",
                    "currentStatusStartTimeL": EPOCH_MS + 10_000,
                    "currentConnectionState": "CONNECTED",
                    "isBot": False,
                },
                {"agentId": "a2", "currentStatus": "OCCUPIED"},
                {
                    "agentId": "a3",
                    "currentStatus": "ONLINE",
                    "currentStatusStartTimeL": EPOCH_MS,
                    "currentConnectionState": "DISCONNECTED",
                },
                {"agentId": "bot1", "agentName": "Bot", "currentStatus": "ONLINE", "isBot": True},
            ],
        }
    )
    assert presence_from_agent_view(response, taken_at=50.0) == [
        AgentChanged("a1", AgentState.AWAY, (EPOCH_MS + 10_000) / 1000, name="Ana"),
        AgentChanged("a2", AgentState.ONLINE, 50.0),
        AgentChanged("a3", AgentState.OFFLINE, EPOCH_MS / 1000),
        AgentChanged("bot1", AgentState.ONLINE, 50.0, name="Bot", bot=True),
    ]


def test_presence_from_an_empty_agent_view() -> None:
    empty = AgentViewStatusResponse.model_validate({})
    assert presence_from_agent_view(empty, taken_at=1.0) == []
