"""Errors raised for frames that break the protocol, with short readable reasons."""

from __future__ import annotations

from pydantic import ValidationError

EXCERPT_CHARS = 80


class FrameError(ValueError):
    """A frame that is not a valid protocol envelope; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem of a pydantic error in one short line, never quoting the input."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    first = errors[0]
    where = excerpt(".".join(str(part) for part in first["loc"]))
    if first["type"] == "missing":
        text = f"missing field '{where}'"
    elif where:
        text = f"field '{where}': {excerpt(first['msg'])}"
    else:
        text = excerpt(first["msg"])
    if len(errors) > 1:
        text += f" (+{len(errors) - 1} more)"
    return text
