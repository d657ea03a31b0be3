"""The session's requests under way: what each was sent for, and when."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine.core import Unassign


class Purpose(Enum):
    SUBSCRIBE = "subscribe"
    RESYNC = "resync"
    BARRIER = "barrier"
    UNASSIGN = "unassign"


@dataclass(frozen=True, slots=True)
class Pending:
    purpose: Purpose
    sent_at: float
    action: Unassign | None = None
