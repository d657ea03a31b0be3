"""Pure rules of the automatic agent unassign: standard library only, no I/O, no clock reads."""

from engine.core.actions import Action, TransferToAgent, Unassign
from engine.core.audit import AuditEvent, AuditType
from engine.core.command_json import CommandError, parse_command, parse_command_text
from engine.core.commands import (
    Command,
    Extend,
    GiveBack,
    Hold,
    HoldAgent,
    Refused,
    Release,
    ReleaseAgent,
    Seen,
    SetDryRun,
    SetPolicy,
    UnassignNow,
)
from engine.core.effects import Effects
from engine.core.engine import Engine
from engine.core.events import (
    ActionFailed,
    ActionSucceeded,
    AgentChanged,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    FeedEvent,
    FeedFresh,
    FeedStale,
    LastMessage,
    LinkEvent,
    MayAct,
    MessagesRead,
)
from engine.core.model import AgentId, AgentState, ConvId, Reason, Status
from engine.core.overrides import Overrides
from engine.core.policy import Policy, PolicyError, Thresholds
from engine.core.read_model import ReadModel

__all__ = [
    "Action",
    "ActionFailed",
    "ActionSucceeded",
    "AgentChanged",
    "AgentId",
    "AgentState",
    "AuditEvent",
    "AuditType",
    "BarrierCompleted",
    "Command",
    "CommandError",
    "ConvId",
    "ConversationChanged",
    "ConversationGone",
    "Effects",
    "Engine",
    "Extend",
    "FeedEvent",
    "FeedFresh",
    "FeedStale",
    "GiveBack",
    "Hold",
    "HoldAgent",
    "LastMessage",
    "LinkEvent",
    "MayAct",
    "MessagesRead",
    "Overrides",
    "Policy",
    "PolicyError",
    "ReadModel",
    "Reason",
    "Refused",
    "Release",
    "ReleaseAgent",
    "Seen",
    "SetDryRun",
    "SetPolicy",
    "Status",
    "Thresholds",
    "TransferToAgent",
    "Unassign",
    "UnassignNow",
    "parse_command",
    "parse_command_text",
]
