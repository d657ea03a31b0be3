"""Domain vocabulary shared by every rule of the engine."""

from __future__ import annotations

from enum import StrEnum

ConvId = str
AgentId = str


class AgentState(StrEnum):
    """An agent's presence as the platform reports it."""

    ONLINE = "ONLINE"
    AWAY = "AWAY"
    BACK_SOON = "BACK_SOON"
    OFFLINE = "OFFLINE"


class Reason(StrEnum):
    """Why a conversation is unassigned: the threshold in force, or a supervisor."""

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"
    MANUAL = "manual"


def reason_for(state: AgentState) -> Reason:
    """The threshold that applies to an agent in `state` (Back soon counts as Away)."""
    if state is AgentState.ONLINE:
        return Reason.ONLINE
    if state is AgentState.OFFLINE:
        return Reason.OFFLINE
    return Reason.AWAY


class Status(StrEnum):
    """Where a conversation stands in the eyes of the engine (shown per row in the UI)."""

    WATCHING = "watching"
    HELD = "held"
    EXTENDED = "extended"
    OFF = "off"
    """Watched, but the threshold in force is off: it will never be unassigned automatically."""
    NO_PRESENCE = "no-presence"
    """Watched, but the agent's state is not known yet: no deadline until it is."""
    UNASSIGNING = "unassigning"
    FAILED = "failed"
    WOULD_UNASSIGN = "would-unassign"
    """Dry run: the engine decided, recorded, and did not act."""
    NOT_SENT = "not-sent"
    """Decided while dry run was on, which has ended: a wait is decided once, so the engine
    leaves it to the supervisor (unassign now)."""
