"""Help: the keys active on the screen it was opened from, read from the real bindings, then
what the screen's counters, columns, statuses and colours mean."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.screens.help_topics import Topic
from tui.text import text


class HelpScreen(ModalScreen[None]):
    """A table of key, action and what it does (disabled actions dimmed), then the topics."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 100;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & .help-title { text-style: bold; color: $text-primary; margin-top: 1; }
    }
    """

    def __init__(self, bindings: Iterable[ActiveBinding], topics: Iterable[Topic] = ()) -> None:
        super().__init__()
        self._keys = list(bindings)
        self._topics = list(topics)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Help (Esc closes)"
            yield Static("Keys", classes="help-title")
            yield Static(self._key_table(), id="help-keys")
            for topic in self._topics:
                yield Static(topic.title, classes="help-title", markup=False)
                yield Static(_two_columns(topic.rows), classes="help-topic")

    def _key_table(self) -> Table:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action", no_wrap=True)
        table.add_column("What it does", ratio=1)
        for active in self._keys:
            binding = active.binding
            if binding.system or binding.id is None or not binding.description:
                continue  # Textual's own (focus, copy) are not Floorwatch's keys
            table.add_row(
                text(self.app.get_key_display(binding)),
                text(binding.description),
                text(binding.tooltip),
                style=None if active.enabled else "dim",
            )
        return table


def _two_columns(rows: Iterable[tuple[Text, str]]) -> Table:
    table = Table(box=None, expand=True, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("Shown", no_wrap=True, min_width=14)
    table.add_column("Meaning", ratio=1)
    for shown, meaning in rows:
        table.add_row(shown, text(meaning))
    return table
