"""What the help screen explains besides the keys: the header's counters, the table's columns,
statuses and colours. Built from the things themselves (the columns, the statuses, the
widgets' own styles), so it cannot drift from what the screen shows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from engine.core.model import Status
from tui.summary import URGENT_SECONDS, Urgency
from tui.widgets.columns import COLUMNS
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.floor_header import FloorHeader

STATUSES = {
    Status.WATCHING: "counting down to an automatic unassign",
    Status.EXTENDED: "counting down; a supervisor extended the deadline",
    Status.HELD: "held (the row or its agent): not unassigned until released or the hold "
    "ends; Left turns negative once past the deadline, and releasing it then asks first",
    Status.OFF: "the threshold in force is off: never unassigned automatically",
    Status.NO_PRESENCE: "the agent's state is not known yet: no deadline until it is",
    Status.UNASSIGNING: "the unassign is sent; waiting for the feed to show the agent gone",
    Status.FAILED: "the unassign failed and is retried with a growing delay (Left: retry)",
    Status.WOULD_UNASSIGN: "dry run: decided and recorded, not sent",
    Status.NOT_SENT: "decided while dry run was on, which has ended; a wait is decided once, "
    "so unassign it with the Unassign key if it should go",
}
"""Every status a row can show, in the supervisor's words."""
URGENCIES = {
    Urgency.PLENTY: ("4:30", "more than half the allowed time left"),
    Urgency.HALF: ("0:20", "less than half the allowed time left"),
    Urgency.SOON: ("0:05", f"less than {URGENT_SECONDS:g} s left"),
    Urgency.OVERDUE: ("-0:03", "past the deadline: unassigned as soon as the feed is proven "
                      "current (a held row: once released)"),
}  # fmt: skip
COUNTERS = (
    ("watched", "conversations waiting on their assigned agent's answer (the table's rows)"),
    ("agents", "human agents online, away (back soon included) and offline"),
    ("load", "open conversations per online human agent"),
    ("data as of", "everything the platform sent up to that time (platform time) is shown"),
    ("open/waiting", "in the agents panel: the agent's open conversations / those waiting"),
)


@dataclass(frozen=True, slots=True)
class Topic:
    title: str
    rows: tuple[tuple[Text, str], ...]
    """What is shown (as it looks on screen), and what it means."""


def floor_topics(table: ConversationTable, header: FloorHeader) -> list[Topic]:
    """The floor screen's topics; samples are drawn in the widgets' own styles."""

    def sample(words: str, style: Style) -> Text:
        return Text(words, style)

    def table_style(name: str) -> Style:
        return table.get_component_rich_style(f"conversation-table--{name}", partial=True)

    colours = [
        (sample(text, table_style(level)), f"Left: {meaning}")
        for level, (text, meaning) in URGENCIES.items()
    ]
    colours += [
        (sample("held", table_style("held")), "a held row is dimmed"),
        (sample("failed", table_style("failed")), "an unassign that failed (retried)"),
        (sample("left", table_style("left")), "frozen: the conversation has left the table"),
        (
            sample(" DRY RUN ", header.get_component_rich_style("floor-header--dry-run")),
            "dry run is on: nothing is sent",
        ),
    ]
    return [
        Topic("Counters", tuple((Text(name, "bold"), what) for name, what in COUNTERS)),
        Topic("Columns", tuple((Text(c.title, "bold"), c.about) for c in COLUMNS)),
        Topic("Statuses", tuple((Text(str(s), "bold"), what) for s, what in STATUSES.items())),
        Topic("Colours", tuple(colours)),
    ]
