"""What the platform answered to an action: an unassign sent or failed (audited; its record in
flight moves on), or a give-back's answer (`engine.core.give_back`)."""

from __future__ import annotations

from engine.core.actions import TransferToAgent
from engine.core.audit import AuditType
from engine.core.effects import EffectsBuffer
from engine.core.events import ActionFailed, ActionSucceeded
from engine.core.give_back import GiveBacks
from engine.core.inflight import InFlight
from engine.core.model import ConvId


def action_result(
    event: ActionSucceeded | ActionFailed,
    now: float,
    inflight: InFlight,
    give_backs: GiveBacks,
    effects: EffectsBuffer,
) -> ConvId | None:
    """Audit the answer; returns the conversation to re-plan, if any."""
    action = event.action
    if isinstance(action, TransferToAgent):
        give_backs.result(event, now, effects)
        return None
    if isinstance(event, ActionSucceeded):
        detail = f"attempt {action.attempt}"
        effects.note_action(AuditType.UNASSIGN_SENT, now, action=action, detail=detail)
        return action.conv_id if inflight.succeeded(action) else None
    effects.note_action(AuditType.UNASSIGN_FAILED, now, action=action, detail=event.error)
    return action.conv_id if inflight.failed(action, event.error, now) else None
