"""What an engine that starts, or takes a team floor over, recalls from the floor's audit of
the last hour (`FloorStore.recent_unassigns`), whichever engine wrote it: the moves to a
fallback skill that count against `moves_per_hour`, and the agent each conversation was last
taken from (for give back).

A move counts from its confirmation. A move decided and sent whose outcome the audit does not
hold (its engine stopped, or the feed showed it while no engine acted) counts from its
decision: the limit errs towards keeping a conversation in its queue, never towards moving it
once too often. A move whose last outcome was a failure does not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.core.audit import AuditEvent, AuditType
from engine.core.decide import sent_move
from engine.core.fallback import HOUR
from engine.core.model import AgentId, ConvId

RECALL_SECONDS = HOUR
"""How far back, before the floor's newest audit line, the engine recalls."""
RECALLED_TYPES = (
    AuditType.UNASSIGN_DECIDED,
    AuditType.UNASSIGN_CONFIRMED,
    AuditType.UNASSIGN_FAILED,
    AuditType.GIVE_BACK_ACCEPTED,
)


@dataclass(frozen=True, slots=True)
class Move:
    conv: ConvId
    key: str
    at: float


@dataclass(slots=True)
class Recalled:
    moves: list[Move] = field(default_factory=list)
    taken: dict[ConvId, AgentId | None] = field(default_factory=dict)
    """Per conversation: the agent its latest confirmed unassign took it from (None: given
    back to them since)."""


def recalled(events: Iterable[AuditEvent]) -> Recalled:
    """What the audit lines `events` (in the order written) say."""
    decided: dict[str, tuple[ConvId, float]] = {}
    confirmed: dict[str, float] = {}
    failed: set[str] = set()
    found = Recalled()
    for event in events:
        key, conv = event.key, event.conv
        if key is None or conv is None:
            if event.type is AuditType.GIVE_BACK_ACCEPTED and conv is not None:
                found.taken[conv] = None
            continue
        match event.type:
            case AuditType.UNASSIGN_DECIDED if sent_move(event):
                decided[key] = (conv, event.at)
            case AuditType.UNASSIGN_CONFIRMED:
                confirmed[key] = event.at
                failed.discard(key)
                if event.agent is not None:
                    found.taken[conv] = event.agent
            case AuditType.UNASSIGN_FAILED if key not in confirmed:
                failed.add(key)
    for key, (conv, at) in decided.items():
        if key in confirmed:
            found.moves.append(Move(conv, key, confirmed[key]))
        elif key not in failed:
            found.moves.append(Move(conv, key, at))
    return found
