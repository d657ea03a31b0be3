"""The conversation table's one-line column titles, with the sort column marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.widgets.columns import DEFAULT_SORT, fit, layout


class ColumnHeader(Widget):
    """Titles laid out exactly like the table's cells for the same width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"column-header--sorted"}
    DEFAULT_CSS = """
    ColumnHeader {
        height: 1;
        text-style: bold;
        & > .column-header--sorted { color: $text-accent; }
    }
    """

    sort_column: reactive[str] = reactive(DEFAULT_SORT)
    reverse: reactive[bool] = reactive(False)

    def render(self) -> Text:
        sorted_style = self.get_component_rich_style("column-header--sorted", partial=True)
        text = Text(no_wrap=True, overflow="crop")
        for column, cells in layout(self.size.width):
            if column.key == self.sort_column:
                arrow = "▼" if self.reverse else "▲"
                title = f"{fit(column.title, cells - 2).rstrip()} {arrow}"
                text.append(fit(title, cells, right=column.right), sorted_style)
            else:
                text.append(fit(column.title, cells, right=column.right))
        return text
