"""Message type names: the public spellings Floorwatch uses, and the raw-to-public mapping."""

from __future__ import annotations

GET_CLOCK = "GetClock"
SUBSCRIBE_EX_CONVERSATIONS = "cqm.SubscribeExConversations"
SUBSCRIBE_AGENTS_STATE = "routing.SubscribeAgentsState"
UPDATE_CONVERSATION_FIELD = "cm.UpdateConversationField"
EX_CONVERSATION_CHANGE_NOTIFICATION = "cqm.ExConversationChangeNotification"
AGENT_STATE_NOTIFICATION = "routing.AgentStateNotification"

_RAW_PREFIXES = (
    ("ams.aam.", "cqm."),
    ("ams.cm.", "cm."),
    ("ams.routing.", "routing."),
    ("ams.ms.", "ms."),
)


def normalize_type(name: str) -> str:
    """The public spelling of a type name: ".ams.aam.X" -> "cqm.X", ".GetClock" -> "GetClock"."""
    name = name.removeprefix(".")
    for raw, public in _RAW_PREFIXES:
        if name.startswith(raw):
            return public + name[len(raw) :]
    return name
