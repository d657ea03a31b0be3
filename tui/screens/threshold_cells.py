"""The thresholds grid's words: what a cell says, what is wrong with it, what applying does.

A cell holds seconds, `off`, or nothing: in a skill's row, nothing means "the default row's
value" (inherit). What the values mean, and the preview of applying them, are the engine's
(`Policy`, `PolicyPreview`); this module only turns them into the supervisor's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.core.model import Reason
from engine.core.policy import Policy
from engine.core.preview import PolicyPreview
from tui.text import safe

OFF = "off"
NAMES_LISTED = 5
"""Conversations the preview names before it says "and N more"."""
TYPE_IT = f"type a number of seconds, or {OFF}"


class CellError(ValueError):
    """A cell's text that is no threshold, said as the screen shows it."""


@dataclass(frozen=True, slots=True)
class Cell:
    skill: str | None
    """None: the default row."""
    reason: Reason

    @property
    def name(self) -> str:
        """How the supervisor calls this cell: "Online", "billing away"."""
        if self.skill is None:
            return self.reason.value.capitalize()
        return f"{safe(self.skill)} {self.reason.value}"

    @property
    def path(self) -> str:
        """The field of the policy's JSON shape it fills (`PolicyError.path`)."""
        if self.skill is None:
            return f"policy.{self.reason}"
        return f"policy.skills.{self.skill}.{self.reason}"


def seconds_text(value: float | None) -> str:
    return OFF if value is None else f"{value:g}"


def cell_text(policy: Policy, cell: Cell) -> str:
    """The cell's text for `policy`: "" for a skill cell that inherits the default."""
    if cell.skill is None:
        return seconds_text(policy.default.for_reason(cell.reason))
    override = policy.skills.get(cell.skill, {})
    return seconds_text(override[cell.reason]) if cell.reason in override else ""


def cell_value(cell: Cell, text: str) -> float | str | None:
    """Seconds, None (off), or the text as typed (the policy judges it: "not a number").

    Raises `CellError` for an empty default cell, which has nothing to inherit."""
    text = text.strip()
    if text.lower() == OFF:
        return None
    if not text:
        raise CellError(f"{cell.name}: {TYPE_IT} (the default row inherits nothing)")
    try:
        seconds = float(text)
    except ValueError:
        return text
    return text if math.isnan(seconds) else seconds


def problem_text(cell: Cell, problem: str) -> str:
    """A `PolicyError.problem` in the supervisor's words."""
    if problem == "negative":
        return f"{cell.name}: cannot be negative; {TYPE_IT}"
    if problem == "longer than a week":
        return f"{cell.name}: a week at most; type fewer seconds, or {OFF}"
    return f"{cell.name}: {TYPE_IT}"


def preview_text(preview: PolicyPreview) -> str:
    """The question before applying: what the new thresholds do to the floor right now,
    e.g. "3 conversations become due now, 2 get later deadlines"."""
    due = len(preview.due_now)
    later = "gets a later deadline" if preview.later == 1 else "get later deadlines"
    counts = [
        f"{due} {'conversation becomes' if due == 1 else 'conversations become'} due now",
        f"{preview.later} {later}",
    ]
    if preview.earlier:
        one = preview.earlier == 1
        counts.append(f"{preview.earlier} {'gets an earlier one' if one else 'get earlier ones'}")
    lines = [", ".join(counts) + "."]
    if due:
        names = ", ".join(safe(c) for c in preview.due_now[:NAMES_LISTED])
        if due > NAMES_LISTED:
            names += f" and {due - NAMES_LISTED} more"
        outcome = (
            "decided and recorded at once, not sent (dry run)"
            if preview.dry_run
            else "unassigned at once"
        )
        lines.append(f"Due now, so {outcome}: {names}.")
    lines.append("Apply the new thresholds?")
    return "\n".join(lines)
