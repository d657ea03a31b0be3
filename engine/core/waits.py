"""A consumer message pending an agent response, and the key that names it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Wait:
    """The facts of a consumer message pending an agent response."""

    waiting_since: float
    extension: float
    manual_at: float | None
    key: str
    """Identifies this wait: the conversation, the agent and when the wait began."""


def wait_key(conv_id: str, agent: str, waiting_since: float, manual_at: float | None) -> str:
    if manual_at is not None:
        return f"{conv_id}|{agent}|manual@{manual_at:.3f}"
    return f"{conv_id}|{agent}|{waiting_since:.3f}"
