"""The engine's switches a supervisor sets for the whole floor: the policy and dry run."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.policy import Policy


@dataclass(slots=True)
class Mode:
    policy: Policy
    dry_run: bool = False
    """Decide and audit, never act."""
