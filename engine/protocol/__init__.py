"""Pydantic models of the platform protocol subset (LivePerson agent Messaging API).

Shared by the live client (`engine.link`) and the fixture platform. Imports pydantic and the
standard library only. Python attributes are snake_case; the wire names are their aliases.
"""

from engine.protocol.bodies import (
    ClockResponseBody,
    ConversationField,
    OtherField,
    ParticipantsChange,
    SubscribeExConversationsBody,
    SubscribeResponseBody,
    UpdateConversationFieldBody,
)
from engine.protocol.builders import (
    get_clock,
    subscribe_agent_states,
    subscribe_conversations,
    unassign,
)
from engine.protocol.conversations import (
    ContentEvent,
    ConversationChange,
    ConversationDetails,
    ConversationResult,
    Dialog,
    ExConversationChangeBody,
    LastContentEvent,
    OriginatorMetadata,
    Participant,
    ParticipantDetail,
    Role,
)
from engine.protocol.envelope import (
    MAX_FRAME_BYTES,
    Frame,
    Notification,
    Request,
    Response,
    parse_frame,
)
from engine.protocol.errors import FrameError, describe_validation_error
from engine.protocol.names import (
    AGENT_STATE_NOTIFICATION,
    EX_CONVERSATION_CHANGE_NOTIFICATION,
    GET_CLOCK,
    SUBSCRIBE_AGENTS_STATE,
    SUBSCRIBE_EX_CONVERSATIONS,
    UPDATE_CONVERSATION_FIELD,
    Spelling,
    normalize_type,
    spelled,
)
from engine.protocol.presence import (
    AgentStateBody,
    AgentStateChange,
    AgentStateResult,
    AgentStatusRecord,
    AgentViewStatusResponse,
    Availability,
)
from engine.protocol.rest import (
    BaseUri,
    BaseUrisResponse,
    LoginConfig,
    LoginRequest,
    LoginResponse,
    RefreshRequest,
)

__all__ = [
    "AGENT_STATE_NOTIFICATION",
    "EX_CONVERSATION_CHANGE_NOTIFICATION",
    "GET_CLOCK",
    "MAX_FRAME_BYTES",
    "SUBSCRIBE_AGENTS_STATE",
    "SUBSCRIBE_EX_CONVERSATIONS",
    "UPDATE_CONVERSATION_FIELD",
    "AgentStateBody",
    "AgentStateChange",
    "AgentStateResult",
    "AgentStatusRecord",
    "AgentViewStatusResponse",
    "Availability",
    "BaseUri",
    "BaseUrisResponse",
    "ClockResponseBody",
    "ContentEvent",
    "ConversationChange",
    "ConversationDetails",
    "ConversationField",
    "ConversationResult",
    "Dialog",
    "ExConversationChangeBody",
    "Frame",
    "FrameError",
    "LastContentEvent",
    "LoginConfig",
    "LoginRequest",
    "LoginResponse",
    "Notification",
    "OriginatorMetadata",
    "OtherField",
    "Participant",
    "ParticipantDetail",
    "ParticipantsChange",
    "RefreshRequest",
    "Request",
    "Response",
    "Role",
    "Spelling",
    "SubscribeExConversationsBody",
    "SubscribeResponseBody",
    "UpdateConversationFieldBody",
    "describe_validation_error",
    "get_clock",
    "normalize_type",
    "parse_frame",
    "spelled",
    "subscribe_agent_states",
    "subscribe_conversations",
    "unassign",
]
