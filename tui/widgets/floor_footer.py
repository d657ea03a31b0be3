"""The footer: the keys that fit the width, in order, with Help and the palette always there."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
FIRST = ("unassign_now", "hold", "extend", "release", "thresholds", "filter", "dry_run")
"""Actions given room before the others, when not every key fits."""


class FloorFooter(Footer):
    """Textual's compact footer, cut to fit: keys that would not fit are left out (help and
    the palette list them all) instead of overlapping or being squeezed into garble."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._width = 0

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        palette = [i for i in items if i.has_class("-command-palette")]
        always = palette + [i for i in items if _action(i) == HELP_ACTION]
        budget = (self.size.width or self.app.size.width) - sum(map(_cells, always))
        chosen: set[int] = set()
        for item in sorted(items, key=_rank):
            cost = _cells(item)
            if item not in always and cost <= budget:
                chosen.add(id(item))
                budget -= cost
        yield from (item for item in items if id(item) in chosen)
        yield from always

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)


def _rank(item: Widget) -> int:
    action = _action(item)
    return FIRST.index(action) if action in FIRST else len(FIRST)


def _action(item: Widget) -> str | None:
    return item.action if isinstance(item, FooterKey) else None


def _cells(item: Widget) -> int:
    """Cells a compact footer key takes: key, space, description, and one cell of margin (or,
    for the palette key, of border)."""
    if not isinstance(item, FooterKey):
        return 0
    return cell_len(item.key_display) + 1 + cell_len(item.description) + 1
