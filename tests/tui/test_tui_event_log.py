"""The event log cuts long lines with an ellipsis, cuts them again after a resize, and keeps
following the newest line (through new lines and resizes) unless scrolled up."""

from __future__ import annotations

from rich.cells import cell_len
from tui_harness import T0, Floor, main_screen

from engine.core import AuditEvent, AuditType
from tui.app import FloorwatchApp
from tui.widgets.event_log import EventLog


def log_of(app: FloorwatchApp) -> EventLog:
    return main_screen(app).query_one(EventLog)


def visible(log: EventLog) -> list[str]:
    return [log.render_line(y).text for y in range(log.scrollable_content_region.height)]


def events(count: int, detail: str = "") -> list[AuditEvent]:
    return [AuditEvent(T0 + i, AuditType.FEED_FRESH, detail=f"#{i} {detail}") for i in range(count)]


async def test_long_lines_end_in_an_ellipsis_and_are_cut_anew_after_a_resize(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=(100, 30)) as pilot:
        log = log_of(app)
        log.add(events(1, "x" * 150))
        await pilot.pause()
        narrow = visible(log)[0]
        assert narrow.endswith("…") and cell_len(narrow) == log.scrollable_content_region.width
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        wide = visible(log)[0]
        assert wide.endswith("…") and cell_len(wide) == log.scrollable_content_region.width
        assert cell_len(wide) > cell_len(narrow) and wide.startswith(narrow[:-1])
        assert log.lines[0].endswith("x" * 150 + ")"), "the line is kept whole"


async def test_the_log_follows_the_newest_line_through_a_resize(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(160, 45)) as pilot:
        log = log_of(app)
        log.add(events(100))
        await pilot.pause()
        assert "#99" in visible(log)[-1]
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        assert "#99" in visible(log)[-1], "still at the newest line after the resize"
        log.add([AuditEvent(T0 + 200, AuditType.FEED_STALE, detail="newest")])
        await pilot.pause()
        assert "newest" in visible(log)[-1]


async def test_a_log_scrolled_up_stays_where_it_is(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(160, 45)) as pilot:
        log = log_of(app)
        log.add(events(100))
        await pilot.pause()
        log.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        log.add(events(3, "more"))
        await pilot.pause()
        assert "#0" in visible(log)[0], "reading older lines is not interrupted"
