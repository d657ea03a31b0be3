"""A row's cells as strips: runs of static cells (the table caches them) and live cells."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from engine.core.model import Status
from tui.widgets.columns import STATIC_TEXT, Column, fit, layout, live_text
from tui.widgets.conversation_rows import Row

Piece = Strip | tuple[Column, int]
"""A run of static cells, cached; or a live column (with its width) rendered at paint time."""
LEFT = "left"
"""The status of a row the freeze keeps after its conversation left the table."""


def static_pieces(row: Row, width: int, style: Style, failed: Style) -> list[Piece]:
    """The row's static cells in runs, with the live columns left as gaps between them."""
    pieces: list[Piece] = []
    segments: list[Segment] = []
    for column, cells in layout(width):
        if column.live:
            pieces += [Strip(segments), (column, cells)]
            segments = []
            continue
        status = column.key == "status"
        text = LEFT if row.gone and status else STATIC_TEXT[column.key](row.view)
        bad = status and not row.gone and row.view.status is Status.FAILED
        segments.append(Segment(fit(text, cells), failed if bad else style))
    pieces.append(Strip(segments))
    return pieces


def live_cell(piece: tuple[Column, int], row: Row, now: float, style: Style) -> Strip:
    """A cell that changes with time, as of `now` (empty for a row that left)."""
    column, cells = piece
    text = "" if row.gone else live_text(column.key, row.view, now)
    return Strip([Segment(fit(text, cells, right=column.right), style)])
