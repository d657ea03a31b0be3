"""One `validate_json` pass from frame text to models, and readable reasons when it fails.

The frame size is checked before anything is decoded. Pydantic's JSON parser (jiter) builds
no Python object for a field no model reads; a failure is turned into the short reason the
feed logs: not JSON, not an object, the `kind` missing or unknown, or the envelope or body
field at fault (never quoting the input).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from engine.protocol.errors import BodyError, FrameError, describe_errors, excerpt
from engine.protocol.names import normalize_type

T = TypeVar("T")

READ = "read"
"""The label of the notifications decoded with their bodies (a union keyed by `type`)."""
OTHER = "other"
"""The label of every other notification, decoded with its body as a plain object."""

_UNTAGGED = frozenset({"union_tag_invalid", "union_tag_not_found"})
_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def decode(adapter: TypeAdapter[T], raw: str | bytes, max_bytes: int) -> T:
    """`raw` validated by `adapter` in one pass; raises FrameError (only) when it is not valid."""
    text = _checked_text(raw, max_bytes)
    try:
        return adapter.validate_json(text)
    except ValidationError as exc:
        raise frame_error(exc) from None
    except ValueError as exc:  # an integer with more digits than Python converts
        raise FrameError(excerpt(f"not JSON: {exc}")) from None


def frame_error(exc: ValidationError) -> FrameError:
    """Why a frame (a union of envelopes keyed by `kind`) failed, in a few words."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        detail = str(first.get("ctx", {}).get("error", first["msg"]))
        if "recursion limit" in detail:
            return FrameError("not JSON: nested too deeply")
        return FrameError(excerpt(f"not JSON: {detail}"))
    if not first["loc"]:
        return _root_error(first)
    kind = str(first["loc"][0])
    if kind == "notification" and len(first["loc"]) > 1 and first["loc"][1] in (READ, OTHER):
        return _notification_error(errors)
    return FrameError(f"bad {kind}: {describe_errors(errors, skip=1)}")


def _notification_error(errors: Sequence[ErrorDetails]) -> FrameError:
    """Why a notification failed, from the errors of its two branches (located as
    `("notification", READ, type, "body", ...)` and `("notification", OTHER, ...)`): the
    body's when its type is one the feed reads, else the envelope's."""
    read = [e for e in errors if e["loc"][1] == READ]
    if read and read[0]["type"] not in _UNTAGGED:
        type_name = normalize_type(str(read[0]["loc"][2]))
        if all(len(e["loc"]) > 4 for e in read):  # within the body
            return BodyError(f"{type_name}: {describe_errors(read, skip=4)}")
        return FrameError(f"bad notification: {describe_errors(read, skip=3)}")
    other = [e for e in errors if e["loc"][1] == OTHER]
    return FrameError(f"bad notification: {describe_errors(other, skip=2)}")


def _root_error(error: ErrorDetails) -> FrameError:
    value = error["input"]
    if error["type"] == "union_tag_not_found":
        return FrameError("missing field 'kind'")
    if error["type"] == "union_tag_invalid" and isinstance(value, dict):
        kind = value.get("kind")
        if not isinstance(kind, str):
            return FrameError(f"field 'kind' is {_json_type(kind)}, not a string")
        return FrameError(f"unknown kind {excerpt(repr(kind))}")
    return FrameError(f"not a JSON object but {_json_type(value)}")


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
