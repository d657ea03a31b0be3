"""What the engine produced since the last `drain()`: audit events, actions, changed rows.

The audit builders take keyword arguments only, so a call site reads as the event it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.core.actions import Action, Unassign
from engine.core.audit import ENGINE, AuditEvent, AuditType
from engine.core.model import AgentId, ConvId


@dataclass
class Effects:
    """Audit events in the order they happened, and the unassigns to send."""

    audit: list[AuditEvent] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


class EffectsBuffer:
    def __init__(self) -> None:
        self._effects = Effects()
        self._changed: set[ConvId] = set()

    def note(
        self,
        type_: AuditType,
        now: float,
        *,
        conv: ConvId | None = None,
        agent: AgentId | None = None,
        by: str = ENGINE,
        detail: str = "",
    ) -> None:
        """An audit event about a conversation (with its agent), an agent, or the floor."""
        self._effects.audit.append(AuditEvent(now, type_, conv, agent, None, by, detail))

    def note_action(
        self,
        type_: AuditType,
        now: float,
        *,
        action: Unassign,
        by: str = ENGINE,
        detail: str = "",
        as_of: float | None = None,
    ) -> None:
        """An audit event about an unassign: its conversation, agent, reason and wait key."""
        event = AuditEvent(
            now, type_, action.conv_id, action.agent, action.reason, by, detail, action.key, as_of
        )
        self._effects.audit.append(event)

    def act(self, action: Action) -> None:
        self._effects.actions.append(action)

    def touch(self, conv_id: ConvId) -> None:
        """The conversation's view may have changed (for batched UI updates)."""
        self._changed.add(conv_id)

    def drain(self) -> Effects:
        effects, self._effects = self._effects, Effects()
        return effects

    def take_changed(self) -> set[ConvId]:
        changed, self._changed = self._changed, set()
        return changed
