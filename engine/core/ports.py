"""The engine's boundaries: the action port it acts through and the read model the UI reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from engine.core.actions import Unassign
from engine.core.model import ConvId
from engine.core.policy import Policy
from engine.core.views import AgentView, ConversationView, FeedView


class ActionPort(Protocol):
    """Sends an unassign to the platform. The result comes back through
    `Engine.action_succeeded` / `Engine.action_failed`; confirmation comes from the feed."""

    def send_unassign(self, action: Unassign) -> None: ...


class Clock(Protocol):
    """Platform time in seconds; injected so tests and replays control it."""

    def now(self) -> float: ...


class FloorReadModel(Protocol):
    """What the UI may read. It never writes engine state except through commands."""

    @property
    def policy(self) -> Policy: ...

    @property
    def dry_run(self) -> bool: ...

    def feed(self) -> FeedView: ...

    def watched_ids(self) -> Iterator[ConvId]: ...

    def conversation(self, conv_id: ConvId) -> ConversationView | None: ...

    def agents(self) -> list[AgentView]: ...

    def take_changed(self) -> set[ConvId]: ...
