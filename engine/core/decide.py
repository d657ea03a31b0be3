"""Deciding one due wait: the `Unassign` (back to its queue, or to a fallback skill), its audit
line and, outside dry run, the action."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.actions import Unassign
from engine.core.audit import AuditEvent, AuditType
from engine.core.effects import EffectsBuffer
from engine.core.fallback import Moves
from engine.core.freshness import Freshness
from engine.core.inflight import InFlight
from engine.core.mode import Mode
from engine.core.plan import Plan
from engine.core.record import ConversationRecord

MOVE_NOTE = "; to skill "
NOT_SENT_NOTE = "; dry run: not sent"


def sent_move(event: AuditEvent) -> bool:
    """Whether an `unassign.decided` line is a move to a fallback skill that was sent (outside
    dry run): its detail, written by `Decider.decide`, says so."""
    decided = event.type is AuditType.UNASSIGN_DECIDED
    return decided and MOVE_NOTE in event.detail and NOT_SENT_NOTE not in event.detail


@dataclass(frozen=True, slots=True)
class Decider:
    """The parts a decision reads and writes."""

    mode: Mode
    freshness: Freshness
    inflight: InFlight
    moves: Moves
    effects: EffectsBuffer

    def decide(self, conv: ConversationRecord, plan: Plan, due_at: float, now: float) -> None:
        """Decide the conversation's wait, due at `due_at`, at `now`."""
        mode, effects = self.mode, self.effects
        wait = conv.wait()
        assert conv.agent is not None and wait is not None and plan.reason is not None
        route = self.moves.route(mode.policy.fallbacks, conv.conv_id, conv.skill, now)
        action = Unassign(
            conv.conv_id, conv.agent, plan.reason, due_at, now, wait.key, to_skill=route.to_skill
        )
        conv.manual_at = None  # the request is answered by this decision
        detail = f"{now - due_at:.1f} s past the deadline"
        if route.to_skill is not None:
            detail += f"{MOVE_NOTE}{route.to_skill}"
        elif route.held_back:
            detail += f"; {route.held_back}"
        if mode.dry_run:
            detail += NOT_SENT_NOTE
        as_of = self.freshness.barrier_at
        effects.note_action(
            AuditType.UNASSIGN_DECIDED, now, action=action, detail=detail, as_of=as_of
        )
        if self.inflight.decide(action, dry_run=mode.dry_run):
            effects.act(action)
