"""Audit events: every decision, action result, override and policy change, who/what/why/when."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.core.model import AgentId, ConvId, Reason


class AuditType(StrEnum):
    UNASSIGN_DECIDED = "unassign.decided"
    UNASSIGN_SENT = "unassign.sent"
    UNASSIGN_CONFIRMED = "unassign.confirmed"
    UNASSIGN_FAILED = "unassign.failed"
    UNASSIGN_RACED = "unassign.raced"
    OVERRIDE_HOLD = "override.hold"
    OVERRIDE_RELEASE = "override.release"
    OVERRIDE_EXTEND = "override.extend"
    OVERRIDE_UNASSIGN_NOW = "override.unassign_now"
    OVERRIDE_GIVE_BACK = "override.give_back"
    GIVE_BACK_SENT = "give_back.sent"
    """The platform took the transfer: the agent is offered the conversation (SUGGESTED)."""
    GIVE_BACK_ACCEPTED = "give_back.accepted"
    """The feed shows the agent ACTIVE on it again (SUGGESTED -> ACTIVE)."""
    GIVE_BACK_FAILED = "give_back.failed"
    """The platform refused it, it could not be sent, or the agent did not take it."""
    POLICY_CHANGED = "policy.changed"
    DRY_RUN_CHANGED = "mode.dry_run"
    FEED_STALE = "feed.stale"
    FEED_FRESH = "feed.fresh"


ENGINE = "engine"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of the audit log. `by` is who acted (`engine` or a supervisor's name)."""

    at: float
    type: AuditType
    conv: ConvId | None = None
    agent: AgentId | None = None
    reason: Reason | None = None
    by: str = ENGINE
    detail: str = ""
    key: str | None = None
    """Idempotency key of the wait an unassign belongs to."""
    as_of: float | None = None
    """For a decision: the start of the freshness barrier it rests on, so the platform's state
    at this time is what the engine knew when it decided."""

    def to_record(self, time_origin: float = 0.0) -> dict[str, Any]:
        """A JSON-ready dict; `at` is shifted by `time_origin` and rounded to milliseconds."""
        record: dict[str, Any] = {"at": round(self.at - time_origin, 3), "type": self.type.value}
        if self.conv is not None:
            record["conv"] = self.conv
        if self.agent is not None:
            record["agent"] = self.agent
        if self.reason is not None:
            record["reason"] = self.reason.value
        record["by"] = self.by
        if self.detail:
            record["detail"] = self.detail
        if self.key is not None:
            record["key"] = self.key
        if self.as_of is not None:
            record["as_of"] = round(self.as_of - time_origin, 3)
        return record
