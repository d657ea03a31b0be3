"""The conversation table's columns: titles, widths, cell text and sort keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from engine.core.model import AgentState, Status
from engine.core.text import clean
from engine.core.views import ConversationView
from tui.clock import duration, wall_time
from tui.identity import agent_label
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
    about: str
    """What the column shows, for the help screen."""
    order: tuple[str, str] = ("A to Z", "Z to A")
    """How its sort reads, ascending (▲) and reversed (▼): the sort key's real direction."""
    flex: int = 0
    """A share of the spare width, up to `most` cells."""
    most: int = 0
    drop: int = 0
    """Columns with a higher `drop` are left out first when the table is too narrow."""
    live: bool = False
    right: bool = False


def state_label(state: AgentState | None) -> str:
    return STATE_LABELS[state] if state is not None else "unknown"


def _waited(view: ConversationView) -> float | None:
    """Sorts by how long the consumer has waited: a later start is a shorter wait."""
    return -view.waiting_since if view.waiting_since is not None else None


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
    "agent": lambda v: agent_label(v.agent, v.agent_name),
    "state": lambda v: state_label(v.agent_state),
    "threshold": _threshold,
    "status": _status,
}

COLUMNS: tuple[Column, ...] = (
    Column("conversation", "Conversation", 12, lambda v: v.conv_id,
           "the conversation's id", flex=3, most=38),
    Column("consumer", "Consumer", 10, lambda v: v.consumer,
           "the consumer, as the platform names them", flex=1, most=24, drop=4),
    Column("skill", "Skill", 9, lambda v: v.skill,
           "the conversation's skill (its thresholds may differ)", flex=1, most=24),
    Column("agent", "Agent", 10, lambda v: agent_label(v.agent, v.agent_name),
           "the assigned agent, who owes the answer: name (id)", flex=2, most=30),
    Column("state", "State", 9, lambda v: v.agent_state,
           "the agent's state: online, away, back soon, offline", drop=1),
    Column("waiting", "Waiting", 7, _waited,
           "how long the consumer has waited for the agent's answer",
           ("shortest first", "longest first"), live=True, right=True, drop=2),
    Column("threshold", "Threshold", 16, lambda v: v.threshold,
           "the threshold in force: the agent's state and its seconds (+ an extension)",
           ("lowest first", "highest first"), drop=3),
    Column("left", "Left", 7, lambda v: v.deadline,
           "time to the deadline; negative: past it (a held row waits for its release)",
           ("least time first", "most time first"), live=True, right=True),
    Column("status", "Status", 15, lambda v: str(v.status),
           "where the engine stands (see Statuses)"),
)  # fmt: skip
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
DEFAULT_SORT = "left"
GAP = 1


def by_key(key: str) -> Column:
    return COLUMNS[COLUMN_KEYS.index(key)]


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, each with its width.

    Spare cells go to the columns whose text runs long (ids, names, skills) by their `flex`,
    each up to its `most`; what is left after that widens the last column."""
    shown = list(COLUMNS)
    for column in sorted(COLUMNS, key=lambda c: -c.drop):
        if _needed(shown) <= width or column.drop == 0:
            break
        shown.remove(column)
    widths = [column.width for column in shown]
    growing = [i for i, column in enumerate(shown) if column.flex]
    while (spare := width - GAP * len(shown) - sum(widths)) > 0 and growing:
        total = sum(shown[i].flex for i in growing)
        for i in growing:
            widths[i] = min(shown[i].most, widths[i] + max(1, spare * shown[i].flex // total))
            if width - GAP * len(shown) - sum(widths) <= 0:
                break
        growing = [i for i in growing if widths[i] < shown[i].most]
    widths[-1] += max(0, width - GAP * len(shown) - sum(widths))
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
