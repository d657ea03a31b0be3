"""Errors raised for frames that break the protocol, with short readable reasons."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

EXCERPT_CHARS = 80


class FrameError(ValueError):
    """A frame that is not a valid protocol envelope; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BodyError(FrameError):
    """A valid envelope of a notification type the feed reads, whose body does not match that
    type's model (`reason` names the type and the field)."""


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem of a pydantic error in one short line, never quoting the input."""
    return describe_errors(exc.errors(include_url=False, include_input=False))


def describe_errors(errors: Sequence[ErrorDetails], skip: int = 0) -> str:
    """The first of `errors` in one short line, its location less its first `skip` parts (the
    tags and labels of the unions it was found under), never quoting the input."""
    first = errors[0]
    where = excerpt(".".join(str(part) for part in first["loc"][skip:]))
    if first["type"] == "missing":
        text = f"missing field '{where}'"
    elif where:
        text = f"field '{where}': {excerpt(first['msg'])}"
    else:
        text = excerpt(first["msg"])
    if len(errors) > 1:
        text += f" (+{len(errors) - 1} more)"
    return text
