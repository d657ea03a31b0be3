"""Pure rules of the automatic agent unassign: standard library only, no I/O, no clock reads."""

from engine.core.audit import AuditEvent, AuditType
from engine.core.commands import Unassign
from engine.core.engine import Effects, Engine, EngineError
from engine.core.events import (
    AgentChanged,
    ConversationChanged,
    ConversationGone,
    FeedEvent,
    LastMessage,
)
from engine.core.model import AgentId, AgentState, ConvId, Reason, Status
from engine.core.overrides import Overrides
from engine.core.policy import Policy, PolicyError, Thresholds

__all__ = [
    "AgentChanged",
    "AgentId",
    "AgentState",
    "AuditEvent",
    "AuditType",
    "ConvId",
    "ConversationChanged",
    "ConversationGone",
    "Effects",
    "Engine",
    "EngineError",
    "FeedEvent",
    "LastMessage",
    "Overrides",
    "Policy",
    "PolicyError",
    "Reason",
    "Status",
    "Thresholds",
    "Unassign",
]
