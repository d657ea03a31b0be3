"""One identity for an agent everywhere it is drawn: `Dev (a04)`, or the id alone when the
feed never named them. The names come from the read model (`agent_name`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from engine.core.model import AgentId
from engine.core.text import shown

NAME_LIMIT = 40
"""Characters of a name a label keeps, so the id after it is always there to read."""

Names = Callable[[AgentId], str | None]
"""An agent's name by id (None: unknown): `ReadModel.agent_name`."""


def no_names(agent_id: AgentId) -> str | None:
    """The names of a floor that knows none."""
    return None


@lru_cache(maxsize=8192)  # drawn for every row painted, and for every row a sort by agent keys
def agent_label(agent_id: AgentId | None, name: str | None) -> str:
    """`Dev (a04)`; `a04` when the name is unknown; "-" for no agent. The name is cleaned
    and capped (`NAME_LIMIT`); the caller draws the label as plain text (`tui.text`)."""
    if agent_id is None:
        return "-"
    return f"{shown(name, NAME_LIMIT)} ({agent_id})" if name else agent_id


def labeled(agent_id: AgentId | None, names: Names) -> str:
    """`agent_label` with the name looked up."""
    return agent_label(agent_id, names(agent_id) if agent_id is not None else None)
