"""The conversation table's columns: titles, widths, cell text and sort keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from engine.core.model import AgentState, Status
from engine.core.text import clean
from engine.core.views import ConversationView
from tui.clock import duration, wall_time
from tui.summary import COUNTING_DOWN

SortValue = str | float
STATE_LABELS = {
    AgentState.ONLINE: "online",
    AgentState.AWAY: "away",
    AgentState.BACK_SOON: "back soon",
    AgentState.OFFLINE: "offline",
}
NO_COUNTDOWN = {Status.UNASSIGNING: "now", Status.FAILED: "retry"}


@dataclass(frozen=True)
class Column:
    """`live` columns change with time and are rendered anew on every repaint."""

    key: str
    title: str
    width: int
    sort_key: Callable[[ConversationView], SortValue | None]
    flex: int = 0
    drop: int = 0
    """Columns with a higher `drop` are left out first when the table is too narrow."""
    live: bool = False
    right: bool = False


def state_label(state: AgentState | None) -> str:
    return STATE_LABELS[state] if state is not None else "unknown"


def _threshold(view: ConversationView) -> str:
    if view.reason is None:
        return ""
    if view.threshold is None:
        return f"{view.reason} off"
    text = f"{view.reason} {view.threshold:g}s" if view.threshold else str(view.reason)
    return f"{text} +{view.extension:g}s" if view.extension else text


def _status(view: ConversationView) -> str:
    if view.status is Status.HELD and view.hold_until is not None:
        return f"held till {wall_time(view.hold_until)[:5]}"
    return str(view.status)


STATIC_TEXT: dict[str, Callable[[ConversationView], str]] = {
    "conversation": lambda v: v.conv_id,
    "consumer": lambda v: v.consumer or "",
    "skill": lambda v: v.skill or "-",
    "agent": lambda v: v.agent or "-",
    "state": lambda v: state_label(v.agent_state),
    "threshold": _threshold,
    "status": _status,
}

COLUMNS: tuple[Column, ...] = (
    Column("conversation", "Conversation", 12, lambda v: v.conv_id, flex=2),
    Column("consumer", "Consumer", 10, lambda v: v.consumer, flex=1, drop=4),
    Column("skill", "Skill", 9, lambda v: v.skill),
    Column("agent", "Agent", 10, lambda v: v.agent, flex=1),
    Column("state", "State", 9, lambda v: v.agent_state, drop=1),
    Column("waiting", "Waiting", 7, lambda v: v.waiting_since, live=True, right=True, drop=2),
    Column("threshold", "Threshold", 16, lambda v: v.threshold, drop=3),
    Column("left", "Left", 7, lambda v: v.deadline, live=True, right=True),
    Column("status", "Status", 15, lambda v: str(v.status)),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
DEFAULT_SORT = "left"
GAP = 1


def by_key(key: str) -> Column:
    return COLUMNS[COLUMN_KEYS.index(key)]


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, each with its width (spare cells go to flex)."""
    shown = list(COLUMNS)
    for column in sorted(COLUMNS, key=lambda c: -c.drop):
        if _needed(shown) <= width or column.drop == 0:
            break
        shown.remove(column)
    widths = [column.width for column in shown]
    spare = width - _needed(shown)
    flexible = [i for i, column in enumerate(shown) if column.flex]
    if spare > 0 and flexible:
        total = sum(shown[i].flex for i in flexible)
        for i in flexible:
            widths[i] += spare * shown[i].flex // total
        widths[flexible[0]] += width - GAP * len(shown) - sum(widths)
    return list(zip(shown, widths, strict=True))


def _needed(columns: list[Column]) -> int:
    return sum(c.width for c in columns) + GAP * len(columns)


def fit(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded or cut (with an ellipsis) to exactly `width` cells, plus the gap.

    Control characters are replaced first (`engine.core.text.clean`), so a cut can never leave
    part of a terminal escape: every character left is printable.
    """
    text = clean(text)
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    elif right:
        text = " " * (width - cell_len(text)) + text
    return set_cell_size(text, width) + " " * GAP


def live_text(key: str, view: ConversationView, now: float) -> str:
    """Text of a column that changes with time: the wait so far, or the time left."""
    if key == "waiting":
        return duration(now - view.waiting_since) if view.waiting_since is not None else ""
    if view.status is Status.HELD:  # the time to its own deadline; negative: past it
        return duration(view.due_at - now) if view.due_at is not None else ""
    if view.deadline is not None and view.status in COUNTING_DOWN:
        return duration(view.deadline - now)
    return NO_COUNTDOWN.get(view.status, "")
