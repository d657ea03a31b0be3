"""Message type names: the documented (public) spellings, the raw ones, and the mapping.

LivePerson documents `GetClock`, `cqm.SubscribeExConversations`, ...; its official Node SDK
(node-agent-sdk 1.2.0, `lib/Const.js`) sends the raw names (`.GetClock`,
`.ams.aam.SubscribeExConversations`, ...) on the socket, and receives raw notification names
(`.ams.aam.ExConversationChangeNotification`). Nothing shows the service accepts the
documented names on a raw socket, so the client sends the raw ones unless told otherwise; it
reads either spelling (`normalize_type`).
"""

from __future__ import annotations

from enum import StrEnum

GET_CLOCK = "GetClock"
SUBSCRIBE_EX_CONVERSATIONS = "cqm.SubscribeExConversations"
SUBSCRIBE_AGENTS_STATE = "routing.SubscribeAgentsState"
UPDATE_CONVERSATION_FIELD = "cm.UpdateConversationField"
QUERY_MESSAGES = "ms.QueryMessages"
"""A dialog's messages after a sequence: what the SDK's `subscribeMessagingEvents` sends
(`lib/Transformer.js`: `.ams.ms.QueryMessages` with `newerThanSequence`); answered by
`.ams.ms.QueryMessages$Response`, a list of messaging events."""
EX_CONVERSATION_CHANGE_NOTIFICATION = "cqm.ExConversationChangeNotification"
AGENT_STATE_NOTIFICATION = "routing.AgentStateNotification"


class Spelling(StrEnum):
    """How request type names are spelt on the socket."""

    RAW = "raw"
    """As the official SDK sends them (the default)."""
    DOCUMENTED = "documented"
    """As LivePerson's API documentation names them."""


_RAW_REQUESTS = {
    GET_CLOCK: ".GetClock",
    SUBSCRIBE_EX_CONVERSATIONS: ".ams.aam.SubscribeExConversations",
    SUBSCRIBE_AGENTS_STATE: ".ams.routing.SubscribeAgentsState",
    UPDATE_CONVERSATION_FIELD: ".ams.cm.UpdateConversationField",
    QUERY_MESSAGES: ".ams.ms.QueryMessages",
}


def spelled(name: str, spelling: Spelling) -> str:
    """The request type `name` (a documented name) as `spelling` writes it."""
    return _RAW_REQUESTS[name] if spelling is Spelling.RAW else name


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


def spellings(name: str) -> tuple[str, ...]:
    """Every spelling `normalize_type` reads as the public `name`: public or raw, with or
    without a leading dot."""
    raw = next((r + name[len(p) :] for r, p in _RAW_PREFIXES if name.startswith(p)), name)
    return tuple(form for base in dict.fromkeys((name, raw)) for form in (base, "." + base))
