"""Agent presence: `routing.AgentStateNotification` bodies and the Agent Metrics REST reading.

`stateChangedTs`, `agentName` and `isBot` on the notification, and `isBot` on the REST
records, are Floorwatch extensions served by the fixture platform.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from engine.protocol._base import WireId, WireModel


class Availability(StrEnum):
    """An agent's availability; OCCUPIED (takes transfers only) counts as ONLINE downstream."""

    ONLINE = "ONLINE"
    AWAY = "AWAY"
    BACK_SOON = "BACK_SOON"
    OFFLINE = "OFFLINE"
    OCCUPIED = "OCCUPIED"


class AgentStateResult(WireModel):
    agent_user_id: WireId | None = None
    channels: list[str] | None = None
    availability: Availability
    description: str | None = None
    state_changed_ts: int | None = None
    agent_name: str | None = None
    is_bot: bool | None = None
    configured_max_slots: int | None = None
    """Floorwatch extension (the push of every agent's state is one): the agent's capacity."""


class AgentStateChange(WireModel):
    type: str
    result: AgentStateResult


class AgentStateBody(WireModel):
    subscription_id: str | None = None
    changes: list[AgentStateChange]


class AgentStatusRecord(WireModel):
    """One logged-in agent in the `agent-view/status` answer; `agentId` is the bare userId."""

    agent_id: WireId
    agent_name: str | None = None
    current_status: Availability
    current_status_start_time_l: int | None = None
    last_updated_time_l: int | None = None
    current_connection_state: str | None = None
    is_bot: bool | None = None
    configured_max_slots: int | None = None


class AgentViewStatusResponse(WireModel):
    """The Agent Metrics `agent-view/status` response (only logged-in agents are listed)."""

    account_id: WireId | None = Field(default=None, alias="accountID")
    agent_status_records: list[AgentStatusRecord] = Field(default_factory=list)
