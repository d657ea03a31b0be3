"""Supervisor overrides that outlive a restart: holds, extensions and the dry-run switch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.core.model import AgentId, ConvId


def _empty() -> Mapping[str, float | None]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Overrides:
    """Everything a supervisor set that the engine must restore after a restart.

    `conv_holds` and `agent_holds` map to the time the hold ends, or None for "until released".
    `extensions` map a conversation to the seconds added to its current wait.
    """

    conv_holds: Mapping[ConvId, float | None] = field(default_factory=_empty)
    agent_holds: Mapping[AgentId, float | None] = field(default_factory=_empty)
    extensions: Mapping[ConvId, float] = field(default_factory=lambda: MappingProxyType({}))
    dry_run: bool = False
