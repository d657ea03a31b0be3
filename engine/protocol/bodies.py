"""Bodies of the requests Floorwatch sends and of their responses, as the receiver reads them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Tag

from engine.protocol._base import WireId, WireModel


class SubscribeExConversationsBody(WireModel):
    brand_id: WireId | None = None
    conv_state: list[Literal["OPEN", "CLOSE"]] | None = None
    agent_ids: list[WireId] | None = None
    min_last_updated_time: int | None = None


class ParticipantsChange(WireModel):
    """A `ParticipantsChange` field; REMOVE of the ASSIGNED_AGENT returns it to the queue."""

    field: Literal["ParticipantsChange"]
    type: Literal["ADD", "REMOVE", "UPDATE", "SUGGEST"]
    role: Literal["ASSIGNED_AGENT", "MANAGER", "READER"]
    user_id: WireId | None = None


class OtherField(WireModel):
    """Any other conversation field (Skill, ConversationStateField, TTRField...), unread."""

    field: str


def _field_tag(value: Any) -> str | None:
    field = value.get("field") if isinstance(value, dict) else getattr(value, "field", None)
    if field is None:
        return None
    return "participants" if field == "ParticipantsChange" else "other"


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


ConversationField = Annotated[
    Annotated[ParticipantsChange, Tag("participants")] | Annotated[OtherField, Tag("other")],
    Discriminator(_field_tag),
]


class UpdateConversationFieldBody(WireModel):
    """`cm.UpdateConversationField`; `conversationField` may be one object or an array."""

    conversation_id: str
    conversation_field: Annotated[list[ConversationField], BeforeValidator(_as_list)]


class SubscribeResponseBody(WireModel):
    subscription_id: str


class ClockResponseBody(WireModel):
    """The body of a `GetClock` response: the server's clock in epoch milliseconds."""

    current_time: int
