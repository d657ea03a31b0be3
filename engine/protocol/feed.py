"""The frames the feed reads, decoded with their bodies in one `validate_json` pass.

`decode_frame` validates the envelope and its body together: a union keyed by `kind`, whose
notification member is a union keyed by `type` (every spelling of the two notification types
the feed reads) before any other notification (its body a plain object). A response's body
is read by its shape (`ResponseBody`). No intermediate dicts are built, and no Python code
runs to choose the model of a frame the feed reads: only unions pydantic-core resolves itself
(a callable `Discriminator` would be handed the whole frame as Python objects first). Only a
notification of another type meets Python code: the check that its type is not read.

A notification of a type the feed reads whose body does not match raises `BodyError`, the
envelope being sound; any other broken frame, `FrameError`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import GetCoreSchemaHandler, GetPydanticSchema, TypeAdapter, ValidationError
from pydantic_core import CoreSchema, core_schema

from engine.protocol.conversations import ExConversationChangeBody
from engine.protocol.decode import OTHER, READ, decode
from engine.protocol.envelope import MAX_FRAME_BYTES, Envelope, Notification, Request, Response
from engine.protocol.errors import BodyError, describe_errors
from engine.protocol.names import (
    AGENT_STATE_NOTIFICATION,
    EX_CONVERSATION_CHANGE_NOTIFICATION,
    normalize_type,
    spellings,
)
from engine.protocol.presence import AgentStateBody


class ConversationNotification(Envelope):
    """`cqm.ExConversationChangeNotification`, in any spelling, with its body read."""

    kind: Literal["notification"] = "notification"
    type: str
    body: ExConversationChangeBody


class AgentStateNotification(Envelope):
    """`routing.AgentStateNotification`, in any spelling, with its body read."""

    kind: Literal["notification"] = "notification"
    type: str
    body: AgentStateBody


ReadNotification = ConversationNotification | AgentStateNotification | Notification
"""A notification as the feed reads it: a plain `Notification` is of a type it does not read."""

_READ_TYPES: dict[str, type[ConversationNotification] | type[AgentStateNotification]] = {
    EX_CONVERSATION_CHANGE_NOTIFICATION: ConversationNotification,
    AGENT_STATE_NOTIFICATION: AgentStateNotification,
}


def _not_read(notification: Notification) -> Notification:
    """Only a type the feed does not read may fall through to a plain notification."""
    if normalize_type(notification.type) in _READ_TYPES:
        raise ValueError("a notification the feed reads")
    return notification


def _notification_schema(_source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    by_type = {
        spelling: handler.generate_schema(model)
        for name, model in _READ_TYPES.items()
        for spelling in spellings(name)
    }
    read = core_schema.tagged_union_schema(by_type, discriminator="type")
    other = core_schema.no_info_after_validator_function(
        _not_read, handler.generate_schema(Notification)
    )
    return core_schema.union_schema([(read, READ), (other, OTHER)], mode="left_to_right")


def _frame_schema(_source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    by_kind = {
        "req": handler.generate_schema(Request),
        "resp": handler.generate_schema(Response),
        "notification": handler.generate_schema(_NotificationUnion),
    }
    return core_schema.tagged_union_schema(by_kind, discriminator="kind")


_NotificationUnion = Annotated[ReadNotification, GetPydanticSchema(_notification_schema)]
FeedFrame = Request | Response | ReadNotification
_FRAMES: TypeAdapter[FeedFrame] = TypeAdapter(
    Annotated[FeedFrame, GetPydanticSchema(_frame_schema)]
)


def decode_frame(raw: str | bytes, max_bytes: int = MAX_FRAME_BYTES) -> FeedFrame:
    """One websocket frame with its body, in one pass; raises `BodyError` for a notification
    the feed reads whose body does not match, `FrameError` for any other broken frame."""
    return decode(_FRAMES, raw, max_bytes)


def read_notification(notification: Notification) -> ReadNotification:
    """A notification built in code (its body a plain object) read as `decode_frame` reads
    it (one of a type the feed does not read is returned as it is); raises `BodyError` when
    its body does not match its type."""
    name = normalize_type(notification.type)
    model = _READ_TYPES.get(name)
    if model is None:
        return notification
    try:
        return model.model_validate({"type": notification.type, "body": notification.body})
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        raise BodyError(f"{name}: {describe_errors(errors, skip=1)}") from None
