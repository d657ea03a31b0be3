"""Body models beyond the samples: presence, REST payloads, request bodies, tolerance."""

from typing import Any

import pytest
from pydantic import ValidationError

from engine.protocol import (
    AgentStateBody,
    AgentViewStatusResponse,
    Availability,
    BaseUrisResponse,
    ExConversationChangeBody,
    LoginRequest,
    LoginResponse,
    OtherField,
    ParticipantsChange,
    RefreshRequest,
    Spelling,
    UpdateConversationFieldBody,
    subscribe_agent_states,
)

REMOVE_AGENT = {
    "field": "ParticipantsChange",
    "type": "REMOVE",
    "role": "ASSIGNED_AGENT",
    "userId": "12345678.a1",
}


def test_conversation_field_may_be_a_single_object() -> None:
    body = UpdateConversationFieldBody.model_validate(
        {"conversationId": "c1", "conversationField": REMOVE_AGENT}
    )
    assert body.conversation_field == [
        ParticipantsChange(
            field="ParticipantsChange", type="REMOVE", role="ASSIGNED_AGENT", user_id="12345678.a1"
        )
    ]


def test_other_conversation_fields_are_kept_by_kind_only() -> None:
    body = UpdateConversationFieldBody.model_validate(
        {
            "conversationId": "c1",
            "conversationField": [REMOVE_AGENT, {"field": "Skill", "type": "UPDATE", "skill": "9"}],
        }
    )
    assert body.conversation_field[1] == OtherField(field="Skill")


@pytest.mark.parametrize(
    "field",
    [
        {**REMOVE_AGENT, "type": "DROP"},
        {**REMOVE_AGENT, "role": "CONSUMER"},
        {"type": "REMOVE"},
        "ParticipantsChange",
    ],
)
def test_bad_conversation_fields_are_refused(field: Any) -> None:
    with pytest.raises(ValidationError):
        UpdateConversationFieldBody.model_validate(
            {"conversationId": "c1", "conversationField": field}
        )


def test_subscribe_agent_states_builder() -> None:
    built = subscribe_agent_states("3")
    assert (built.kind, built.id, built.type, built.body) == (
        "req",
        "3",
        ".ams.routing.SubscribeAgentsState",
        {},
    )
    assert subscribe_agent_states("4", Spelling.DOCUMENTED).type == "routing.SubscribeAgentsState"


def test_agent_state_extension_fields() -> None:
    body = AgentStateBody.model_validate(
        {
            "subscriptionId": "s",
            "changes": [
                {
                    "type": "UPSERT",
                    "result": {
                        "agentUserId": "12345678.a1",
                        "channels": ["MESSAGING"],
                        "availability": "OCCUPIED",
                        "description": "",
                        "stateChangedTs": 1732500010000,
                        "agentName": "Ana",
                        "isBot": False,
                        "somethingNew": {"x": 1},
                    },
                }
            ],
        }
    )
    result = body.changes[0].result
    assert result.availability is Availability.OCCUPIED
    assert (result.state_changed_ts, result.agent_name, result.is_bot) == (
        1732500010000,
        "Ana",
        False,
    )


def test_unknown_availability_is_refused() -> None:
    with pytest.raises(ValidationError):
        AgentStateBody.model_validate(
            {"changes": [{"type": "UPSERT", "result": {"availability": "DANCING"}}]}
        )


def test_agent_view_status_response() -> None:
    response = AgentViewStatusResponse.model_validate(
        {
            "_metadata": {"count": 2},
            "accountID": "12345678",
            "agentStatusRecords": [
                {
                    "agentId": "a1",
                    "agentName": "Ana",
                    "agentLoginName": "ana",
                    "agentSkills": [{"skillId": "sales", "skillName": "Sales"}],
                    "currentStatus": "AWAY",
                    "currentStatusStartTimeL": 1732500010000,
                    "lastUpdatedTimeL": 1732500011000,
                    "configuredMaxSlots": 8,
                    "openAssignedConversations": 1,
                    "currentConnectionState": "CONNECTED",
                    "isBot": False,
                },
                {"agentId": 555, "currentStatus": "ONLINE"},
            ],
        }
    )
    first, second = response.agent_status_records
    assert response.account_id == "12345678"
    assert (first.agent_id, first.current_status, first.current_status_start_time_l) == (
        "a1",
        Availability.AWAY,
        1732500010000,
    )
    assert (second.agent_id, second.agent_name, second.is_bot) == ("555", None, None)


def test_empty_agent_view_status_response() -> None:
    assert AgentViewStatusResponse.model_validate({}).agent_status_records == []


def test_csds_base_uris() -> None:
    response = BaseUrisResponse.model_validate(
        {
            "baseURIs": [
                {"service": "agentVep", "account": "12345678", "baseURI": "127.0.0.1:8080"},
                {"service": "asyncMessagingEnt", "account": 12345678, "baseURI": "127.0.0.1:8081"},
            ]
        }
    )
    assert response.uri_for("asyncMessagingEnt") == "127.0.0.1:8081"
    assert response.base_uris[1].account == "12345678"
    assert response.uri_for("msgHist") is None


def test_login_payloads() -> None:
    request = LoginRequest.model_validate({"username": "sup", "password": "pw"})
    assert request.model_dump() == {"username": "sup", "password": "pw"}
    response = LoginResponse.model_validate(
        {
            "csrf": "c",
            "wsuk": "w",
            "bearer": "b",
            "sessionTTl": "28800000",
            "config": {
                "loginName": "sup",
                "userId": 3705342610,
                "userPid": "9c7d-pid",
                "serverCurrentTime": 1474549184722,
                "isAdmin": True,
            },
        }
    )
    assert (response.bearer, response.csrf) == ("b", "c")
    assert (response.config.user_id, response.config.user_pid) == ("3705342610", "9c7d-pid")
    assert RefreshRequest.model_validate({"csrf": "c"}).csrf == "c"
    with pytest.raises(ValidationError):
        LoginResponse.model_validate({"csrf": "c", "config": {"userId": "1"}})


def test_minimal_conversation_changes() -> None:
    body = ExConversationChangeBody.model_validate(
        {
            "subscriptionId": "s",
            "changes": [
                {
                    "type": "UPSERT",
                    "result": {
                        "convId": "c1",
                        "conversationDetails": {"participants": [], "state": "OPEN", "startTs": 5},
                    },
                },
                {"type": "DELETE", "result": {"convId": "c2"}},
            ],
        }
    )
    upsert, delete = body.changes
    assert upsert.result.conversation_details is not None
    assert upsert.result.conversation_details.dialogs == []
    assert upsert.result.last_content_event_notification is None
    assert (delete.type, delete.result.conv_id) == ("DELETE", "c2")


@pytest.mark.parametrize(
    "body",
    [
        {"subscriptionId": "s", "changes": [{"type": "PATCH", "result": {"convId": "c"}}]},
        {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": {}}]},
        {"changes": []},
        {"subscriptionId": "s", "changes": {"type": "UPSERT"}},
    ],
)
def test_broken_conversation_changes_are_refused(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ExConversationChangeBody.model_validate(body)
