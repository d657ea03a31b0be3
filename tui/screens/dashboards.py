"""Who is on a team floor: each dashboard's supervisor and engine, which one acts, and how
long ago its lease keeper last reached the database (read again every second)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.core.lease_rule import FloorDashboard
from tui.text import safe


def dashboard_lines(dashboards: Sequence[FloorDashboard]) -> str:
    """One line per dashboard: ACTING or watching, supervisor, engine, last seen (this
    dashboard's own marked)."""
    if not dashboards:
        return "No dashboard has reached the floor's database yet."
    lines = []
    for d in dashboards:
        role = "ACTING  " if d.acting else "watching"
        mark = "  (this one)" if d.own else ""
        lines.append(
            f"{role}  {safe(d.supervisor)}  {safe(d.engine)}  seen {d.seen_ago:.0f} s ago{mark}"
        )
    return "\n".join(lines)


class DashboardsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,D", "dismiss", "Close", id="dashboards-close"),
    ]
    DEFAULT_CSS = """
    DashboardsScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%;
            max-width: 120;
            height: auto;
            max-height: 80%;
            border: round $primary;
            border-title-color: $text;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    def __init__(self, dashboards: Callable[[], Sequence[FloorDashboard]]) -> None:
        """`dashboards`: the floor's, as last read."""
        super().__init__()
        self._dashboards = dashboards

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Dashboards on this floor (esc closes)"
            yield Static(self._text(), id="dashboards-body", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self._refresh)

    def _text(self) -> str:
        return dashboard_lines(self._dashboards())

    def _refresh(self) -> None:
        self.query_one("#dashboards-body", Static).update(self._text())
