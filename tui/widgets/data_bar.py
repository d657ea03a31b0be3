"""The data bar under the header: the floor's figures, each with the key that filters the
table by it (or opens its view), and unassigns per minute over the last hour by reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from engine.core.model import Reason
from engine.core.views import Figure, FloorFigures
from tui.clock import duration

FIGURE_KEYS: dict[Figure, str] = {
    Figure.OVERDUE: "1",
    Figure.DUE_SOON: "2",
    Figure.WAITING: "3",
    Figure.HELD: "4",
    Figure.IN_FLIGHT: "5",
}
QUEUE_KEY = "6"
SKILLS_KEY = "7"
LABELS: dict[Figure, tuple[str, str]] = {
    Figure.OVERDUE: ("Overdue", "Overdue"),
    Figure.DUE_SOON: ("Due in 30 s", "Due 30s"),
    Figure.WAITING: ("Waiting", "Wait"),
    Figure.HELD: ("Held", "Held"),
    Figure.IN_FLIGHT: ("In flight", "Flight"),
}
"""Each figure's label, long and short (for a narrow terminal)."""
WIDE = 120
"""From this width on, the line of unassigns says what its sparklines show."""
REASONS = (Reason.ONLINE, Reason.AWAY, Reason.OFFLINE, Reason.MANUAL)


class FigureLine(Widget):
    """One line: `1 Overdue 0  2 Due in 30 s 3 ...  6 Queue 4 (1 returned, longest 2:10)`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "figure-line--key",
        "figure-line--label",
        "figure-line--alert",
        "figure-line--warn",
        "figure-line--active",
    }
    DEFAULT_CSS = """
    FigureLine {
        height: 1;
        & > .figure-line--key { color: $text-accent; text-style: bold; }
        & > .figure-line--label { color: $text-muted; }
        & > .figure-line--alert { color: $text-error; text-style: bold; }
        & > .figure-line--warn { color: $text-warning; text-style: bold; }
        & > .figure-line--active { text-style: reverse; }
    }
    """

    figures: reactive[FloorFigures | None] = reactive(None)
    active: reactive[Figure | None] = reactive(None)

    def render(self) -> Text:
        figures = self.figures
        if figures is None:
            return Text()
        line = self._line(figures, short=False)
        if cell_len(line.plain) > self.size.width:
            line = self._line(figures, short=True)
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _line(self, figures: FloorFigures, *, short: bool) -> Text:
        line = Text()
        gap = " " if short else "  "
        for figure, key in FIGURE_KEYS.items():
            value = figures.count(figure)
            style = self._style("active") if figure is self.active else Style()
            line.append(key, self._style("key") + style)
            line.append(f" {LABELS[figure][short]} ", self._style("label") + style)
            line.append(str(value), self._value_style(figure, value) + style)
            line.append(gap)
        line.append(QUEUE_KEY, self._style("key"))
        line.append(" Queue " if not short else " Q ", self._style("label"))
        line.append(str(figures.queued), self._style("warn") if figures.queued else None)
        longest = figures.longest_in_queue
        if short:
            line.append(f"/{figures.returned_queued}")
            if longest is not None:
                line.append(f" {duration(longest)}")
        else:
            line.append(f" ({figures.returned_queued} returned", self._style("label"))
            if longest is not None:
                line.append(f", longest {duration(longest)}", self._style("label"))
            line.append(")", self._style("label"))
        line.append(gap)
        line.append(SKILLS_KEY, self._style("key"))
        line.append(" Skills", self._style("label"))
        return line

    def _value_style(self, figure: Figure, value: int) -> Style:
        if not value:
            return Style()
        if figure in (Figure.OVERDUE, Figure.IN_FLIGHT):
            return self._style("alert")
        if figure is Figure.DUE_SOON:
            return self._style("warn")
        return Style()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"figure-line--{name}", partial=True)


class DataBar(Widget):
    """The figures' line, and a line of recent unassigns: per reason, the count of the last
    15 minutes and a sparkline of the last hour, one bar a minute."""

    DEFAULT_CSS = """
    DataBar {
        height: 2;
        padding: 0 1;
        background: $panel-darken-1;
        & > Horizontal { height: 1; }
        Static { width: auto; color: $text-muted; }
        .trend-count { color: $text; margin-right: 1; }
        Sparkline { width: 1fr; min-width: 4; margin-right: 1; }
        #trend-online > .sparkline--max-color { color: $success; }
        #trend-away > .sparkline--max-color { color: $warning; }
        #trend-offline > .sparkline--max-color { color: $error; }
        #trend-manual > .sparkline--max-color { color: $accent; }
    }
    """

    def compose(self) -> ComposeResult:
        yield FigureLine()
        with Horizontal():
            yield Static("Unassigned 15 min ", markup=False)
            yield Static("0", id="unassigned-total", classes="trend-count", markup=False)
            yield Static("· last hour, per minute: ", id="trend-hint", markup=False)
            for reason in REASONS:
                yield Static(f"{reason} ", markup=False)
                yield Static("0", id=f"unassigned-{reason}", classes="trend-count", markup=False)
                yield Sparkline([0], id=f"trend-{reason}")

    def on_resize(self) -> None:
        self.query_one("#trend-hint").display = self.size.width >= WIDE

    def show_active(self, active: Figure | None) -> None:
        """The figure the table is filtered by (marked)."""
        self.query_one(FigureLine).active = active

    def show(
        self,
        figures: FloorFigures,
        trend: Mapping[Reason, Sequence[int]],
        active: Figure | None,
    ) -> None:
        """The figures as of now, the filter in force, the last hour's unassigns."""
        line = self.query_one(FigureLine)
        line.figures, line.active = figures, active
        unassigned = figures.unassigned
        self.query_one("#unassigned-total", Static).update(str(sum(unassigned.values())))
        for reason in REASONS:
            self.query_one(f"#unassigned-{reason}", Static).update(str(unassigned.get(reason, 0)))
            spark = self.query_one(f"#trend-{reason}", Sparkline)
            data = list(trend.get(reason, ()))
            if spark.data != data:
                spark.data = data
