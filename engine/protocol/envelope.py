"""The UMS envelope: every websocket frame is a request, a response or a notification."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter

from engine.protocol._base import WireId, WireModel
from engine.protocol.bodies import ClockResponseBody
from engine.protocol.decode import decode

RequestId = Annotated[WireId, Field(min_length=1, max_length=64)]
MAX_FRAME_BYTES = 16 * 1024 * 1024
"""The largest frame read by default: 16 MiB holds a notification of several thousand
conversation changes (a few KB each); a larger one is dropped, and the feed read again."""


class Envelope(WireModel):
    """Envelope fields are checked strictly: a wrong type is a broken frame, not a coercion."""

    model_config = ConfigDict(strict=True)

    def to_wire(self) -> str:
        """The frame as JSON text, ready to send."""
        return self.model_dump_json(by_alias=True, exclude_none=True)


class Request(Envelope):
    kind: Literal["req"] = "req"
    id: RequestId
    type: str
    body: dict[str, Any]
    headers: list[Any] | None = None
    metadata: list[Any] | None = None


ResponseBody = Annotated[
    ClockResponseBody | dict[str, Any] | list[Any] | str | None,
    Field(union_mode="left_to_right"),
]
"""A response's body by its shape, in one pass: `reqId` says which request it answers, but
request ids are no tags a union can be keyed by, and the wire's `type` is not reliable (the
session checks the shape against the request answered). A list: the messaging events a
`QueryMessages` answers with."""


class Response(Envelope):
    kind: Literal["resp"] = "resp"
    req_id: RequestId
    code: int
    type: str
    body: ResponseBody = None

    @property
    def ok(self) -> bool:
        """True for a success code (the SDK treats any code above 399 as an error)."""
        return self.code < 400


class Notification(Envelope):
    kind: Literal["notification"] = "notification"
    type: str
    body: dict[str, Any]


Frame = Request | Response | Notification

_FRAMES: TypeAdapter[Frame] = TypeAdapter(Annotated[Frame, Field(discriminator="kind")])


def parse_frame(raw: str | bytes, max_bytes: int = MAX_FRAME_BYTES) -> Frame:
    """The envelope of one websocket frame, its body a plain object (`engine.protocol.feed`
    reads the bodies too); raises FrameError (only) when it is not valid."""
    return decode(_FRAMES, raw, max_bytes)
