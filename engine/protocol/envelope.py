"""The UMS envelope: every websocket frame is a request, a response or a notification."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from engine.protocol._base import WireId, WireModel
from engine.protocol.errors import FrameError, describe_validation_error, excerpt

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


class Response(Envelope):
    kind: Literal["resp"] = "resp"
    req_id: RequestId
    code: int
    type: str
    body: dict[str, Any] | str | None = None

    @property
    def ok(self) -> bool:
        """True for a success code (the SDK treats any code above 399 as an error)."""
        return self.code < 400


class Notification(Envelope):
    kind: Literal["notification"] = "notification"
    type: str
    body: dict[str, Any]


Frame = Request | Response | Notification

_BY_KIND: dict[str, type[Request] | type[Response] | type[Notification]] = {
    "req": Request,
    "resp": Response,
    "notification": Notification,
}

_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def parse_frame(raw: str | bytes, max_bytes: int = MAX_FRAME_BYTES) -> Frame:
    """The envelope of one websocket frame; raises FrameError (only) when it is not valid."""
    text = _checked_text(raw, max_bytes)
    try:
        obj = json.loads(text)
    except RecursionError:
        raise FrameError("not JSON: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        raise FrameError(excerpt(f"not JSON: {exc}")) from None
    if not isinstance(obj, dict):
        raise FrameError(f"not a JSON object but {_json_type(obj)}")
    if "kind" not in obj:
        raise FrameError("missing field 'kind'")
    kind = obj["kind"]
    if not isinstance(kind, str):
        raise FrameError(f"field 'kind' is {_json_type(kind)}, not a string")
    model = _BY_KIND.get(kind)
    if model is None:
        raise FrameError(f"unknown kind {excerpt(repr(kind))}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise FrameError(f"bad {kind}: {describe_validation_error(exc)}") from None


def _json_type(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), "a value")


def _checked_text(raw: str | bytes, max_bytes: int) -> str:
    size = len(raw)
    if isinstance(raw, bytes):
        if size > max_bytes:
            raise FrameError(f"oversized: {size} bytes > {max_bytes}")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FrameError("not UTF-8") from None
    # A character is 1-4 bytes in UTF-8: encode only when the length alone cannot decide.
    if size > max_bytes // 4:
        size = len(raw.encode("utf-8", "surrogatepass")) if size <= max_bytes else size
        if size > max_bytes:
            raise FrameError(f"oversized: more than {max_bytes} bytes")
    return raw
