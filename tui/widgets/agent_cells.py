"""The agents view's columns: which fit a width, and each agent's cells. A column that does
not fit is left out whole (time in state first, then state, then held): figures are never
cut; only the name is shortened, with an ellipsis, down to `NAME_LEAST` cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.core.model import AgentState
from tui.widgets.columns import GAP, state_label

if TYPE_CHECKING:
    from tui.widgets.agents_view import AgentLine

NAME_LEAST = 8
NAME_MOST = 32
FIXED = {"state": 9, "for": 7, "held": 4}
DROPPED_FIRST = ("for", "state", "held")
STATE_STYLE = {
    AgentState.ONLINE: "online",
    AgentState.AWAY: "away",
    AgentState.BACK_SOON: "away",
    AgentState.OFFLINE: "offline",
}


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    width: int
    style: str = ""
    """A component class of the view, without its prefix ("" for none)."""
    right: bool = False


def figures_text(line: AgentLine) -> str:
    return f"{line.view.open_conversations}/{line.view.waiting_conversations}"


def late_text(line: AgentLine) -> str:
    return f"{line.overdue} late" if line.overdue else ""


def layout(lines: Sequence[AgentLine], width: int) -> dict[str, int]:
    """Each column shown, in order, with its width: the figures as wide as the widest."""
    held = any(line.view.held for line in lines)
    late = max((len(late_text(line)) for line in lines), default=0)
    columns = {
        "name": NAME_LEAST,
        "state": FIXED["state"],
        "for": FIXED["for"],
        "figures": max((len(figures_text(line)) for line in lines), default=3),
        **({"late": late} if late else {}),
        **({"held": FIXED["held"]} if held else {}),
    }
    for key in DROPPED_FIRST:
        if _needed(columns) <= width:
            break
        columns.pop(key, None)
    longest = max((len(line.label) for line in lines), default=NAME_LEAST)
    spare = max(0, width - _needed(columns))
    columns["name"] = min(max(NAME_LEAST, longest), NAME_LEAST + spare, NAME_MOST)
    return columns


def _needed(columns: dict[str, int]) -> int:
    return sum(columns.values()) + GAP * len(columns)


def cells(line: AgentLine, columns: dict[str, int], since: str) -> list[Cell]:
    """The line's cells for the columns `layout` chose; `since`: its time in state."""
    view = line.view
    waiting = "waiting" if view.waiting_conversations else ""
    state = STATE_STYLE[view.state] if view.state is not None else ""
    every = {
        "name": (line.label, "", False),
        "state": (state_label(view.state), state, False),
        "for": (since, "", True),
        "figures": (figures_text(line), waiting, True),
        "late": (late_text(line), "overdue", False),
        "held": ("held" if view.held else "", "held", False),
    }
    return [Cell(every[key][0], width, *every[key][1:]) for key, width in columns.items()]
