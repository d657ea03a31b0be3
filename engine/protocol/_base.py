"""The base of every protocol model and the id type the wire spells as string or number."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """A protocol object: camelCase on the wire, snake_case in Python, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )


def _int_as_str(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


WireId = Annotated[str, BeforeValidator(_int_as_str)]
"""An identifier: a string on the wire, though some senders write it as an integer."""
