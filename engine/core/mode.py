"""The engine's switches a supervisor sets for the whole floor: the policy and dry run; and
the time of the latest call into the engine, which a plan is made at."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.policy import Policy


@dataclass(slots=True)
class Mode:
    policy: Policy
    dry_run: bool = False
    """Decide and audit, never act."""
    now: float = float("-inf")
    """Platform time of the latest `apply`, `execute` or `tick` (grace is judged at it)."""
