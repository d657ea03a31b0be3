"""A read-only table refreshed in place from rows the screen builds each second."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

LiveRow = tuple[str, Sequence[Text]]
"""(a key unique in the table, the cells)"""


class LiveTable(DataTable[Text]):
    """Cells are `Text` (never markup). When the rows' keys are the same as before, only the
    cells that changed are updated, so the cursor and the scroll stay where they are."""

    def __init__(
        self, columns: Sequence[str], *, cursor: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id, cursor_type="row" if cursor else "none", zebra_stripes=True)
        self._titles = columns
        self._shown: list[LiveRow] = []

    def on_mount(self) -> None:
        for index, title in enumerate(self._titles):
            self.add_column(title, key=str(index))

    def show(self, rows: Sequence[LiveRow]) -> None:
        before = self._shown
        if [key for key, _ in before] != [key for key, _ in rows]:
            self.clear()
            for key, cells in rows:
                self.add_row(*cells, key=key)
        else:
            for (key, old), (_, new) in zip(before, rows, strict=True):
                for index, (was, now) in enumerate(zip(old, new, strict=True)):
                    if was != now:
                        self.update_cell(key, str(index), now)
        self._shown = list(rows)
